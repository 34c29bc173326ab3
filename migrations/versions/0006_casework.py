"""Casework: the worker–lawyer transcript, rating follow-up, reminders, buttons on notices, and
at most one case in progress per chat.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IN_PROGRESS = sa.text("status IN ('open', 'claimed')")


def upgrade() -> None:
    op.add_column("tickets", sa.Column("feedback_stage", sa.String(16), nullable=True))
    op.add_column("tickets", sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "uq_tickets_chat_in_progress",
        "tickets",
        ["chat_id"],
        unique=True,
        sqlite_where=IN_PROGRESS,
        postgresql_where=IN_PROGRESS,
    )
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_ticket_messages_ticket", "ticket_messages", ["ticket_id", "id"])
    op.add_column("notifications", sa.Column("buttons", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("notifications", "buttons")
    op.drop_index("ix_ticket_messages_ticket", table_name="ticket_messages")
    op.drop_table("ticket_messages")
    op.drop_index("uq_tickets_chat_in_progress", table_name="tickets")
    op.drop_column("tickets", "reminded_at")
    op.drop_column("tickets", "feedback_stage")
