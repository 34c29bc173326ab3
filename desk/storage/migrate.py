"""Applying the Alembic migrations from code (the launcher and the tests use this)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from desk.settings import PROJECT_ROOT, get_settings


def upgrade_database(url: str | None = None) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = url or get_settings().database_url
    command.upgrade(config, "head")
