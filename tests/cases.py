"""Shared steps for the casework tests: lawyers, cases, and what landed in the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from desk.cases import lawyers, routing
from desk.cases.relay import Forward
from desk.cases.tickets import NORMAL, by_number, claim, open_or_add
from desk.common.replies import Reply
from desk.storage.db import in_unit_of_work, session_scope
from desk.storage.models import AuditEntry, Notification, Ticket

# Seconds a test's gateway waits for Rasa: on 2 cores shared with browsers a turn can be slow,
# and the apology it would get instead is not what those tests are about.
RASA_TIMEOUT = 30
LAWYER, OTHER = 1001, 1002
LAWYER_CHAT, OTHER_CHAT = f"tg:{LAWYER}", f"tg:{OTHER}"
WORKER_CHAT, NEIGHBOUR_CHAT = "tg:42", "tg:43"


@dataclass(frozen=True)
class Notice:
    text: str
    buttons: list[dict[str, str]] | None


def register(url: str, telegram_id: int = LAWYER, name: str = "王", capacity: int = 3) -> None:
    with session_scope(url) as session:
        lawyers.register(session, telegram_id, name, capacity, staff="staff:li")


def remove(url: str, telegram_id: int = LAWYER) -> None:
    with session_scope(url) as session:
        lawyers.remove(session, telegram_id, staff="staff:li")


def open_case(
    url: str,
    chat: str = WORKER_CHAT,
    summary: str = "老板拖欠三个月工资",
    intake: dict[str, Any] | None = None,
    priority: str = NORMAL,
    tags: tuple[str, ...] = ("欠薪",),
) -> str:
    with session_scope(url) as session:
        ticket, created = open_or_add(session, chat, summary, intake or {}, priority, tags)
        assert created
        return ticket.number or ""


def take(url: str, telegram_id: int = LAWYER, number: str | None = None) -> str:
    result = in_unit_of_work(url, claim, telegram_id, number)
    assert isinstance(result, Ticket), result
    return result.number or ""


def ticket(url: str, number: str) -> Ticket:
    with session_scope(url) as session:
        found = by_number(session, number)
        assert found is not None
        found.messages, found.events  # noqa: B018 - loaded while the session is open
        return found


def outbox(url: str, chat: str) -> list[Notice]:
    with session_scope(url) as session:
        rows = session.scalars(
            select(Notification).where(Notification.chat_id == chat).order_by(Notification.id)
        )
        return [Notice(row.text, row.buttons) for row in rows]


def outbox_size(url: str) -> int:
    with session_scope(url) as session:
        return len(session.scalars(select(Notification.id)).all())


def audit(url: str, action: str) -> list[tuple[str, str]]:
    """(actor, subject) of the audit entries of one action, oldest first."""
    with session_scope(url) as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.subject)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return [(actor, subject) for actor, subject in rows]


def texts(replies: list[Reply] | None) -> list[str]:
    assert replies is not None
    return [reply.text for reply in replies]


def only_text(replies: list[Reply] | None) -> str:
    (text,) = texts(replies)
    return text


# The gateway's calls for one incoming message, each in a unit of work of its own.


def on_text(url: str, sender: str, text: str, reply_to: int | None = None) -> list[Reply] | None:
    return in_unit_of_work(url, routing.on_text, sender, text, reply_to)


def on_payload(url: str, sender: str, payload: str) -> list[Reply] | None:
    return in_unit_of_work(url, routing.on_payload, sender, payload)


def on_command(url: str, sender: str, name: str, args: str = "") -> list[Reply]:
    return in_unit_of_work(url, routing.on_command, sender, name, args)


def on_attachment(
    url: str, sender: str, what: str, reply_to: int | None = None
) -> Forward | list[Reply] | None:
    return in_unit_of_work(url, routing.on_attachment, sender, what, reply_to)
