"""Failed attempts at guessable look-ups (status by number and phone digits), for throttling.

Revision ID: 0011_privacy_attempts
Revises: 0010_console
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_privacy_attempts"
down_revision: str | None = "0010_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "failed_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_failed_attempts_action_key_at", "failed_attempts", ["action", "key", "at"])


def downgrade() -> None:
    op.drop_index("ix_failed_attempts_action_key_at", table_name="failed_attempts")
    op.drop_table("failed_attempts")
