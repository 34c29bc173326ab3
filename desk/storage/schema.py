"""Every table of the desk in one metadata, for Alembic and for the test that compares the
models with the migrations (ticket and lawyer models live in their own modules)."""

from desk.cases import (
    lawyers,  # noqa: F401  (importing registers their tables)
    tickets,  # noqa: F401  (importing registers their tables)
)
from desk.storage.models import Base

metadata = Base.metadata
