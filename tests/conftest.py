"""Fixtures for every test: scratch data only (the project's var/ is guarded), and databases."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.storage.migrate import upgrade_database
from tests import project_data
from tests.databases import backends, temporary_database

_guard = project_data.OpenGuard()
_scratch: Path | None = None
_var_before = pytest.StashKey[dict[str, project_data.FileState]]()


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is imported: scratch data for the whole run, and the guard on."""
    global _scratch
    _scratch = Path(tempfile.mkdtemp(prefix="desk-tests-"))
    # The gateway's secret towards Rasa, shared by every stack, gateway and REST call of the run.
    os.environ.setdefault("GATEWAY_TOKEN", secrets.token_urlsafe(16))
    project_data.use_scratch_data(_scratch)
    config.stash[_var_before] = project_data.snapshot()
    _guard.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _scratch:
        shutil.rmtree(_scratch, ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def _var_left_unchanged(request: pytest.FixtureRequest) -> Iterator[None]:
    """Torn down last, after the servers have stopped: nothing of the run may have reached var/."""
    yield
    changed = project_data.changes(request.config.stash[_var_before], project_data.snapshot())
    assert not changed, f"the test run changed the project's own data: {changed}"


@pytest.fixture(autouse=True)
def _no_project_data_opened() -> Iterator[None]:
    yield
    touched = _guard.take_touched()
    assert not touched, f"this test opened the project's own data: {touched}"


@pytest.fixture(params=backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite, and PostgreSQL (skipped when no server is set)."""
    with temporary_database(request.param, tmp_path) as url:
        upgrade_database(url)
        yield url


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """cli.main() uses the configured DATABASE_URL: point it at the test database."""
    from desk import settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    settings.get_settings.cache_clear()
    try:
        yield database_url
    finally:
        settings.get_settings.cache_clear()
