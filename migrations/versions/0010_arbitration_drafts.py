"""Arbitration drafts: the facts a lawyer gave and the documents rendered from them, and files
carried by the outbox (the draft goes to the lawyer, then to the worker, as a document).

Revision ID: 0010_arbitration
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_arbitration"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("document_name", sa.String(120), nullable=True))
        batch.add_column(sa.Column("document", sa.LargeBinary(), nullable=True))
    op.create_table(
        "case_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), sa.ForeignKey("lawyers.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("application", sa.LargeBinary(), nullable=True),
        sa.Column("payment_order", sa.LargeBinary(), nullable=True),
        sa.Column(
            "lawyer_notice_id",
            sa.Integer(),
            sa.ForeignKey("notifications.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_case_drafts_ticket", "case_drafts", ["ticket_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_case_drafts_ticket", "case_drafts")
    op.drop_table("case_drafts")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("document")
        batch.drop_column("document_name")
