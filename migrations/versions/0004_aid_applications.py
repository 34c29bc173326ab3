"""Aid applications: programme, preliminary verdict with its checks, amount, household.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("programme", sa.String(64), nullable=True))
        batch.add_column(sa.Column("verdict", sa.String(16), nullable=True))
        batch.add_column(sa.Column("checks", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("amount", sa.Numeric(10, 2), nullable=True))
        batch.add_column(sa.Column("household_hash", sa.String(64), nullable=True))
    op.create_index("ix_applications_household", "applications", ["programme", "household_hash"])


def downgrade() -> None:
    op.drop_index("ix_applications_household", table_name="applications")
    with op.batch_alter_table("applications") as batch:
        for column in ("household_hash", "amount", "checks", "verdict", "programme"):
            batch.drop_column(column)
