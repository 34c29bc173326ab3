"""The outbox as a queue: attempts with back-off, and parking after repeated failure or when a
chat refuses the bot, so one unreachable chat cannot hold up the others.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_error", sa.String(120), nullable=True))
    op.create_index("ix_notifications_chat", "notifications", ["chat_id", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_notifications_chat", "notifications")
    with op.batch_alter_table("notifications") as batch:
        for column in ("last_error", "parked_at", "next_attempt_at", "attempts"):
            batch.drop_column(column)
