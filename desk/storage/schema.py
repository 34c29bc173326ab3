"""Every table of the desk in one metadata, for Alembic and for the test that compares the
models with the migrations."""

from desk.storage.models import Base

metadata = Base.metadata
