"""What the case page shows of the arbitration draft (desk/cases/arbitration/drafts.py): the
newest version, its documents to download, and whether it may go to the worker yet."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from desk.cases.arbitration import drafts
from desk.cases.arbitration.document import APPLICATION_TITLE, PAYMENT_ORDER_TITLE
from desk.storage.models import Ticket

# The download address names the kind and the version's id, never the worker.
KINDS = {"application": APPLICATION_TITLE, "payment-order": PAYMENT_ORDER_TITLE}


def download_url(draft_id: int, kind: str) -> str:
    return f"/console/drafts/{draft_id}/{kind}.docx"


def draft_section(session: Session, ticket: Ticket) -> dict[str, Any] | None:
    draft = drafts.latest(session, ticket)
    if draft is None:
        return None
    present = {
        APPLICATION_TITLE: draft.application is not None,
        PAYMENT_ORDER_TITLE: draft.payment_order is not None,
    }
    return {
        "version": draft.version,
        "documents": [
            (title, download_url(draft.id, kind)) for kind, title in KINDS.items() if present[title]
        ],
        "had": drafts.lawyer_has_copy(session, draft),
        "sent": draft.sent_at is not None,
    }
