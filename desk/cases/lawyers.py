"""Lawyers (维权律师) registered by union staff: only they may take cases from the queue.

A lawyer is known by their Telegram id, the one thing the gateway can vouch for. Removing a
lawyer deactivates the record instead of deleting it: closed tickets keep pointing at it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.storage import audit
from desk.storage.models import DEFAULT_CAPACITY, Lawyer

__all__ = ["DEFAULT_CAPACITY", "Lawyer", "LawyerError"]


class LawyerError(ValueError):
    """A request about lawyers that cannot be honoured; the message is fit to show to staff."""


def actor(telegram_id: int) -> str:
    """How a lawyer appears in the audit log."""
    return f"lawyer:{telegram_id}"


def by_telegram_id(session: Session, telegram_id: int) -> Lawyer | None:
    return session.scalars(select(Lawyer).where(Lawyer.telegram_id == telegram_id)).first()


def is_lawyer(session: Session, telegram_id: int) -> bool:
    lawyer = by_telegram_id(session, telegram_id)
    return lawyer is not None and lawyer.active


def register(session: Session, telegram_id: int, name: str, capacity: int, staff: str) -> Lawyer:
    """Adds a lawyer, or updates and reactivates one registered before. staff: "staff:<who>"."""
    name = name.strip()
    if not name:
        raise LawyerError("请填写律师的姓名")
    if capacity < 1:
        raise LawyerError("同时承办的案件数至少为 1")
    lawyer = by_telegram_id(session, telegram_id)
    if lawyer is None:
        lawyer = Lawyer(telegram_id=telegram_id, name=name, capacity=capacity, active=True)
        session.add(lawyer)
    else:
        lawyer.name, lawyer.capacity, lawyer.active = name, capacity, True
    audit.record(
        session, staff, "lawyer.registered", actor(telegram_id), f"{name}, capacity {capacity}"
    )
    session.flush()
    return lawyer


def remove(session: Session, telegram_id: int, staff: str) -> Lawyer:
    """Deactivates a lawyer: they can no longer take cases. Staff use tickets.remove_lawyer,
    which also gives the cases they hold back to the queue."""
    lawyer = by_telegram_id(session, telegram_id)
    if lawyer is None or not lawyer.active:
        raise LawyerError(f"没有登记 Telegram id 为 {telegram_id} 的律师")
    lawyer.active = False
    audit.record(session, staff, "lawyer.removed", actor(telegram_id))
    return lawyer


def listing(session: Session, include_inactive: bool = False) -> list[Lawyer]:
    query = select(Lawyer).order_by(Lawyer.name, Lawyer.id)
    if not include_inactive:
        query = query.where(Lawyer.active.is_(True))
    return list(session.scalars(query))
