"""While a lawyer holds a case the bot is only a go-between: the worker's messages go to the
lawyer and the lawyer's to the worker, labelled, kept in the case's transcript, and delivered
through the outbox (so a message to someone offline is not lost). The bot's own understanding
stays out of the way until the case is closed or released.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.cases.lawyers import actor
from desk.cases.tickets import CLAIMED, assigned_to, record_first_reply
from desk.common.chats import telegram_chat, telegram_id
from desk.common.replies import Reply
from desk.storage import outbox
from desk.storage.models import Ticket, TicketMessage

# Telegram takes 4096 characters in a message; a longer relayed text goes in parts, each
# with its label, so every part says whose it is.
PART_LIMIT = 4096


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
    session: Session, sender_id: str, text: str, reply_to: int | None = None
) -> list[Reply] | None:
    """Relays the message if a case in progress is between its sender and someone else.

    None: nothing to relay, the bot answers as usual. reply_to: the channel's id of the message
    the sender replied to; the case the bot recorded for it is where a lawyer's answer goes
    (never a case number written in a text).
    """
    leg = _leg(session, sender_id, reply_to)
    if leg is None or isinstance(leg, list):
        return leg
    _record(session, leg, text)
    _post(session, leg, text)
    return leg.acknowledgement


def _post(session: Session, leg: Leg, text: str) -> None:
    """The message for the other side, in labelled parts when it is too long for one."""
    room = PART_LIMIT - len(leg.label) - len("（1/9）")
    parts = [text[start : start + room] for start in range(0, len(text), room)] or [text]
    for index, part in enumerate(parts, 1):
        label = leg.label if len(parts) == 1 else f"{leg.label}（{index}/{len(parts)}）"
        outbox.post(session, leg.to_chat, label + part, ticket_id=leg.ticket.id)


def route_attachment(
    session: Session, sender_id: str, what: str, reply_to: int | None = None
) -> Forward | list[Reply] | None:
    """A photo, file or voice message (what: 图片, 文件, …) during a case: the transcript notes
    it and the gateway copies it across. None: no case to relay it in."""
    leg = _leg(session, sender_id, reply_to)
    if leg is None or isinstance(leg, list):
        return leg
    _record(session, leg, f"[{what}]")
    return Forward(leg.to_chat, f"{leg.label}发来{what}：", leg.acknowledgement)


@dataclass(frozen=True)
class LawyerReply:
    """What became of a lawyer's words: relayed (said: the acknowledgement, often nothing), or
    refused before anything was recorded or sent (said: why, in words for the lawyer)."""

    relayed: bool
    said: list[Reply]


def from_lawyer(session: Session, lawyer_id: int, text: str, number: str) -> list[Reply]:
    """/reply <number> <text>: a lawyer's words for the worker of the numbered case."""
    return lawyer_reply(session, lawyer_id, text, number).said


def lawyer_reply(session: Session, lawyer_id: int, text: str, number: str) -> LawyerReply:
    """from_lawyer, telling a refusal from an acknowledgement (the console shows one, and
    redirects after the other)."""
    leg = _lawyer_leg(session, lawyer_id, assigned_to(session, lawyer_id), number=number)
    if isinstance(leg, list):
        return LawyerReply(relayed=False, said=leg)
    _record(session, leg, text)
    _post(session, leg, text)
    return LawyerReply(relayed=True, said=leg.acknowledgement)


def _leg(session: Session, sender_id: str, reply_to: int | None) -> Leg | list[Reply] | None:
    lawyer_id = telegram_id(sender_id)
    held = [] if lawyer_id is None else assigned_to(session, lawyer_id)
    if lawyer_id is not None and held:  # a lawyer holding nothing talks to the bot as anyone
        replied_to = (
            None if reply_to is None else outbox.case_of_message(session, sender_id, reply_to)
        )
        return _lawyer_leg(session, lawyer_id, held, replied_to=replied_to)
    ticket = claimed_for_chat(session, sender_id)
    if ticket is None or ticket.assignee is None or not ticket.assignee.active:
        return None  # a lawyer removed from the desk gets nothing more
    to_lawyer = telegram_chat(ticket.assignee.telegram_id)
    return Leg(ticket, "worker", to_lawyer, worker_label(ticket), [])  # the bot keeps quiet


def _lawyer_leg(
    session: Session,
    lawyer_id: int,
    held: list[Ticket],
    replied_to: int | None = None,
    number: str | None = None,
) -> Leg | list[Reply]:
    """replied_to: the case the bot recorded for the message the lawyer replied to."""
    if not held:
        return [Reply("您手上暂时没有案件。发 /queue 看看待接的案件。")]
    ticket = _addressed(held, number, replied_to)
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


def _addressed(held: list[Ticket], number: str | None, replied_to: int | None) -> Ticket | None:
    if number is not None:
        return next((t for t in held if t.number == number.upper()), None)
    if replied_to is not None:
        return next((t for t in held if t.id == replied_to), None)
    return held[0] if len(held) == 1 else None
