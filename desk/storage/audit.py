"""The append-only audit log: who did what to which record, and when."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desk.storage.models import AuditEntry


def record(
    session: Session, actor: str, action: str, subject: str, detail: str | None = None
) -> AuditEntry:
    entry = AuditEntry(actor=actor, action=action, subject=subject, detail=detail)
    session.add(entry)
    return entry
