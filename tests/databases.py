"""Throw-away databases for tests: a SQLite file always, PostgreSQL when one is configured.

PostgreSQL is used when TEST_POSTGRES_URL (or DATABASE_URL) is a postgresql URL: each test
gets a database of its own, created and dropped around it. Without one, the PostgreSQL variants
are reported as skipped (`make test` sets TEST_POSTGRES_URL when a server answers locally).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

NO_SERVER = "no PostgreSQL server: set TEST_POSTGRES_URL (make test finds one on 127.0.0.1:5432)"


def postgres_server_url() -> str | None:
    for name in ("TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith("postgresql"):
            return url
    return None


def backends() -> list[Any]:
    """Both, always: a missing server shows as skipped tests, not as fewer tests."""
    postgres_missing = pytest.mark.skipif(postgres_server_url() is None, reason=NO_SERVER)
    return ["sqlite", pytest.param("postgresql", marks=postgres_missing)]


@contextmanager
def temporary_database(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    server = make_url(postgres_server_url() or "")
    name = f"desk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        from desk.storage.db import get_engine

        get_engine(server.set(database=name).render_as_string(hide_password=False)).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
