"""Throw-away databases for tests: a SQLite file always, PostgreSQL when one is configured.

PostgreSQL is used when DATABASE_URL (or TEST_POSTGRES_URL) is a postgresql URL: each test
gets a database of its own, created and dropped around it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def postgres_server_url() -> str | None:
    for name in ("TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith("postgresql"):
            return url
    return None


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if postgres_server_url() else ["sqlite"]


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
