"""The notification outbox: the one place the core posts messages for a chat (a staff decision,
a lawyer's reply, a new case for the lawyers) and the one place the gateways take them from.

Posting happens in the caller's unit of work, so a notice exists exactly when the change it
announces was committed; each channel's gateway delivers those of its own chats.

It is a queue, not a list: a failed send is tried again after a wait that doubles each time,
and parked (kept, not tried again) after MAX_ATTEMPTS, or at once for a chat that refuses the
bot. A chat's notices go out in the order they were written: while its oldest waits for
another try, the later ones wait with it. One unreachable chat never holds up another's.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.orm import Session, aliased

from desk.storage.models import Notification, RelayedMessage, utcnow

Buttons = Iterable[tuple[str, str]]

BATCH = 50  # notices taken at a time
IN_LIST_CHUNK = 500  # chat ids per IN (...): well under every database's parameter limit
MAX_ATTEMPTS = 6  # over about half an hour: 30 s, 1, 2, 4, 8 min, then parked
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)


def as_buttons(buttons: Buttons) -> list[dict[str, str]]:
    """(title, payload) pairs in the shape Rasa uses, as the outbox stores them."""
    return [{"title": title, "payload": payload} for title, payload in buttons]


def post(
    session: Session,
    chat_id: str,
    text: str,
    buttons: Buttons = (),
    ticket_id: int | None = None,
    document: tuple[str, bytes] | None = None,
) -> Notification:
    """ticket_id: a message relayed in a case; a reply to it will go to that case.
    document: (file name, content) sent with the text as its caption, for channels that send
    files (the core posts one only for such a chat)."""
    stored = as_buttons(buttons)
    name, content = document or (None, None)
    notification = Notification(
        chat_id=chat_id,
        text=text,
        buttons=stored or None,
        ticket_id=ticket_id,
        document_name=name,
        document=content,
    )
    session.add(notification)
    return notification


def _waiting() -> ColumnElement[bool]:
    """Neither delivered nor parked."""
    return Notification.sent_at.is_(None) & Notification.parked_at.is_(None)


def _due(now: datetime) -> ColumnElement[bool]:
    """Waiting, and neither this notice nor an earlier one of its chat waits for another try."""
    earlier = aliased(Notification)
    held_back = exists().where(
        earlier.chat_id == Notification.chat_id,
        earlier.id <= Notification.id,
        earlier.sent_at.is_(None),
        earlier.parked_at.is_(None),
        earlier.next_attempt_at > now,
    )
    return _waiting() & ~held_back


def chats_with_due(
    session: Session, chat_ids: Collection[str], now: datetime | None = None
) -> set[str]:
    """Which of these chats have a notice due now: one query for all the open web pages,
    instead of one per page."""
    wanted = list(chat_ids)
    due: set[str] = set()
    for start in range(0, len(wanted), IN_LIST_CHUNK):
        chunk = wanted[start : start + IN_LIST_CHUNK]
        query = select(Notification.chat_id).where(
            Notification.chat_id.in_(chunk), _due(now or utcnow())
        )
        due.update(session.scalars(query.distinct()))
    return due


def pending(
    session: Session, chat_prefix: str = "", limit: int = BATCH, now: datetime | None = None
) -> list[Notification]:
    """The oldest notices due now for one channel's chats (chat ids start with its prefix),
    chosen in SQL: another channel's backlog, parked notices and chats waiting for another try
    never hide the ones that can go."""
    query = select(Notification).where(_due(now or utcnow()))
    if chat_prefix:
        query = query.where(Notification.chat_id.startswith(chat_prefix, autoescape=True))
    return list(session.scalars(query.order_by(Notification.id).limit(limit)))


def mark_sent(
    session: Session,
    notification_id: int,
    when: datetime | None = None,
    message_ids: Iterable[int] = (),
) -> None:
    """message_ids: the channel's ids of what was sent (every part of a long text), remembered
    for a relayed message so that a reply to any of them finds its case."""
    notification = session.get(Notification, notification_id)
    if notification is None:
        return
    notification.sent_at = when or utcnow()
    if notification.ticket_id is not None:
        session.add_all(
            RelayedMessage(
                chat_id=notification.chat_id,
                message_id=message_id,
                ticket_id=notification.ticket_id,
            )
            for message_id in message_ids
        )


def document_of(session: Session, chat_id: str, name: str) -> bytes | None:
    """The file called name that a notice brought this chat (the newest), for a channel that
    lets the chat fetch it; None for any other chat or name."""
    return session.scalar(
        select(Notification.document)
        .where(Notification.chat_id == chat_id, Notification.document_name == name)
        .where(Notification.document.is_not(None))
        .order_by(Notification.id.desc())
        .limit(1)
    )


def case_of_message(session: Session, chat_id: str, message_id: int) -> int | None:
    """The case (ticket id) of a message the bot relayed to this chat; None for any other."""
    return session.scalar(
        select(RelayedMessage.ticket_id).where(
            RelayedMessage.chat_id == chat_id, RelayedMessage.message_id == message_id
        )
    )


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the attempts-th failure: 30 s, doubling, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def mark_failed(
    session: Session, notification_id: int, reason: str, now: datetime | None = None
) -> bool:
    """Records a failed send: another try later, or parked after MAX_ATTEMPTS. reason names the
    kind of failure (never the text). True when the notice is parked."""
    notification = session.get(Notification, notification_id)
    if notification is None:
        return False
    now = now or utcnow()
    notification.attempts += 1
    notification.last_error = reason[:120]
    if notification.attempts >= MAX_ATTEMPTS:
        notification.parked_at = now
    else:
        notification.next_attempt_at = now + retry_delay(notification.attempts)
    return notification.parked_at is not None


def park_chat(session: Session, chat_id: str, reason: str, now: datetime | None = None) -> int:
    """A chat that refuses the bot (blocked it, was deleted): all its waiting notices are
    parked in one statement, none tried again. Returns how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.chat_id == chat_id, _waiting())
        .values(
            parked_at=now or utcnow(), attempts=Notification.attempts + 1, last_error=reason[:120]
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]


def revive(session: Session, chat_id: str, reason: str) -> int:
    """The chat's notices parked for this reason go back in the queue: the chat can be reached
    again (a WeChat follower who writes after the 48 hours in which the desk may write to
    them). Looked for first, so a chat with none costs a read, not a write. Returns how many."""
    parked = (
        Notification.chat_id == chat_id,
        Notification.sent_at.is_(None),
        Notification.parked_at.is_not(None),
        Notification.last_error == reason[:120],
    )
    if session.scalar(select(Notification.id).where(*parked).limit(1)) is None:
        return 0
    result = session.execute(
        update(Notification)
        .where(*parked)
        .values(parked_at=None, attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]
