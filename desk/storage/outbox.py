"""The notification outbox: the one place the core posts messages for a chat (a staff decision,
a lawyer's reply, a new case for the lawyers) and the one place the gateways take them from.

Posting happens in the caller's unit of work, so a notice exists exactly when the change it
announces was committed; each channel's gateway delivers those of its own chats.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.storage.models import Notification, utcnow

Buttons = Iterable[tuple[str, str]]


def as_buttons(buttons: Buttons) -> list[dict[str, str]]:
    """(title, payload) pairs in the shape Rasa uses, as the outbox stores them."""
    return [{"title": title, "payload": payload} for title, payload in buttons]


def post(session: Session, chat_id: str, text: str, buttons: Buttons = ()) -> Notification:
    stored = as_buttons(buttons)
    notification = Notification(chat_id=chat_id, text=text, buttons=stored or None)
    session.add(notification)
    return notification


def pending(session: Session, chat_prefix: str = "", limit: int = 50) -> list[Notification]:
    """The oldest undelivered notices of one channel's chats (chat ids start with its prefix):
    chosen in SQL, so another channel's backlog never hides this one's."""
    query = select(Notification).where(Notification.sent_at.is_(None))
    if chat_prefix:
        query = query.where(Notification.chat_id.startswith(chat_prefix, autoescape=True))
    return list(session.scalars(query.order_by(Notification.id).limit(limit)))


def mark_sent(session: Session, notification_id: int, when: datetime | None = None) -> None:
    notification = session.get(Notification, notification_id)
    if notification is not None:
        notification.sent_at = when or utcnow()
