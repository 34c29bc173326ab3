from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.storage.migrate import upgrade_database
from tests.databases import backends, temporary_database


@pytest.fixture(params=backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite, and PostgreSQL too where one is configured."""
    with temporary_database(request.param, tmp_path) as url:
        upgrade_database(url)
        yield url
