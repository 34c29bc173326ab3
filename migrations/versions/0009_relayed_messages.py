"""Relayed messages remembered by their channel id, so a lawyer's reply goes to the case the
bot recorded for the message replied to, not to a case number found in its text.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("ticket_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_notifications_ticket_id", "tickets", ["ticket_id"], ["id"])
    op.create_table(
        "relayed_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
    )
    op.create_index(
        "uq_relayed_messages_chat_message",
        "relayed_messages",
        ["chat_id", "message_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_relayed_messages_chat_message", "relayed_messages")
    op.drop_table("relayed_messages")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint("fk_notifications_ticket_id", type_="foreignkey")
        batch.drop_column("ticket_id")
