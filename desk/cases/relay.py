"""While a lawyer holds a case the bot is only a go-between: the worker's messages go to the
lawyer and the lawyer's to the worker, labelled, kept in the case's transcript, and delivered
through the outbox (so a message to someone offline is not lost). The bot's own understanding
stays out of the way until the case is closed or released.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.cases.lawyers import actor
from desk.cases.tickets import CLAIMED, assigned_to, record_first_reply
from desk.common.chats import telegram_chat, telegram_id
from desk.common.replies import Reply
from desk.storage import outbox
from desk.storage.models import Ticket, TicketMessage

TICKET_NUMBER = re.compile(r"AJ-\d{4}-\d{6}", re.IGNORECASE)


def worker_label(ticket: Ticket) -> str:
    return f"【{ticket.number} · 工友】"


def claimed_for_chat(session: Session, chat_id: str) -> Ticket | None:
    return session.scalars(
        select(Ticket).where(Ticket.chat_id == chat_id, Ticket.status == CLAIMED)
    ).first()


@dataclass(frozen=True)
class Leg:
    """One message's way through a case: from whom, to which chat, under which label."""

    ticket: Ticket
    author: str  # "worker" or lawyers.actor(...), as the transcript records it
    to_chat: str
    label: str
    acknowledgement: list[Reply]  # what the sender is told (usually nothing)


@dataclass(frozen=True)
class Forward:
    """A photo or file to copy to the other side, after the label text."""

    to_chat: str
    label: str
    acknowledgement: list[Reply]


def route(
    session: Session, sender_id: str, text: str, reply_to: str | None = None
) -> list[Reply] | None:
    """Relays the message if a case in progress is between its sender and someone else.

    None: nothing to relay, the bot answers as usual. reply_to: the text of the message the
    sender replied to, which tells a lawyer's answer which of their cases it belongs to.
    """
    leg = _leg(session, sender_id, reply_to)
    if leg is None or isinstance(leg, list):
        return leg
    _record(session, leg, text)
    outbox.post(session, leg.to_chat, leg.label + text)
    return leg.acknowledgement


def route_attachment(
    session: Session, sender_id: str, what: str, reply_to: str | None = None
) -> Forward | list[Reply] | None:
    """A photo, file or voice message (what: 图片, 文件, …) during a case: the transcript notes
    it and the gateway copies it across. None: no case to relay it in."""
    leg = _leg(session, sender_id, reply_to)
    if leg is None or isinstance(leg, list):
        return leg
    _record(session, leg, f"[{what}]")
    return Forward(leg.to_chat, f"{leg.label}发来{what}：", leg.acknowledgement)


def from_lawyer(session: Session, lawyer_id: int, text: str, number: str) -> list[Reply]:
    """/reply <number> <text>: a lawyer's words for the worker of the numbered case."""
    leg = _lawyer_leg(session, lawyer_id, assigned_to(session, lawyer_id), None, number)
    if isinstance(leg, list):
        return leg
    _record(session, leg, text)
    outbox.post(session, leg.to_chat, leg.label + text)
    return leg.acknowledgement


def _leg(session: Session, sender_id: str, reply_to: str | None) -> Leg | list[Reply] | None:
    lawyer_id = telegram_id(sender_id)
    held = [] if lawyer_id is None else assigned_to(session, lawyer_id)
    if lawyer_id is not None and held:  # a lawyer holding nothing talks to the bot as anyone
        return _lawyer_leg(session, lawyer_id, held, reply_to, None)
    ticket = claimed_for_chat(session, sender_id)
    if ticket is None or ticket.assignee is None:
        return None
    to_lawyer = telegram_chat(ticket.assignee.telegram_id)
    return Leg(ticket, "worker", to_lawyer, worker_label(ticket), [])  # the bot keeps quiet


def _lawyer_leg(
    session: Session,
    lawyer_id: int,
    held: list[Ticket],
    reply_to: str | None,
    number: str | None,
) -> Leg | list[Reply]:
    if not held:
        return [Reply("您手上暂时没有案件。发 /queue 看看待接的案件。")]
    ticket = _addressed(held, number or _number_in(reply_to))
    if ticket is None:
        numbers = "、".join(t.number or "" for t in held)
        return [
            Reply(
                f"您手上有 {len(held)} 件案件（{numbers}）。请在 Telegram 里「回复」工友的那条"
                "消息再写，或者发：/reply 编号 内容"
            )
        ]
    if ticket.first_reply_at is None:
        record_first_reply(session, ticket.number or "", lawyer_id)
    name = ticket.assignee.name if ticket.assignee else "律师"
    # With one case the lawyer knows where it went; with several, say which.
    said = [] if len(held) == 1 else [Reply(f"已转给 {ticket.number} 的工友。")]
    return Leg(ticket, actor(lawyer_id), ticket.chat_id, f"【律师 {name}】", said)


def _record(session: Session, leg: Leg, text: str) -> None:
    session.add(TicketMessage(ticket_id=leg.ticket.id, sender=leg.author, text=text))


def _number_in(text: str | None) -> str | None:
    found = TICKET_NUMBER.search(text or "")
    return found.group(0).upper() if found else None


def _addressed(held: list[Ticket], number: str | None) -> Ticket | None:
    if number is not None:
        return next((t for t in held if t.number == number.upper()), None)
    return held[0] if len(held) == 1 else None
