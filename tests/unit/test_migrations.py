from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from desk.storage.db import get_engine
from desk.storage.migrate import upgrade_database
from desk.storage.schema import metadata


def test_migrations_create_exactly_the_modelled_tables(database_url: str) -> None:
    tables = set(inspect(get_engine(database_url)).get_table_names())
    assert set(metadata.tables) <= tables
    assert tables - set(metadata.tables) == {"alembic_version"}


def test_upgrading_twice_is_harmless(database_url: str) -> None:
    upgrade_database(database_url)
    assert "interactions" in inspect(get_engine(database_url)).get_table_names()


def test_migrations_match_the_models_column_by_column(database_url: str) -> None:
    """A column or index added to a model without a migration (or the reverse) shows up here."""
    with get_engine(database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
