"""Cases waiting too long for a lawyer are brought to every registered lawyer's notice, once per
waiting period, in one message per lawyer rather than one per case."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desk.cases.lawyer_commands import BUTTONS_SHOWN, queue_line
from desk.cases.lawyers import listing
from desk.cases.tickets import queue_order, take_button
from desk.cases.waiting import readable
from desk.common.chats import telegram_chat
from desk.storage import audit, outbox
from desk.storage.models import Ticket, utcnow

SYSTEM = "system:reminder"


def overdue(session: Session, wait: timedelta, now: datetime) -> list[Ticket]:
    """Open cases older than `wait` that were not brought up during the last `wait`, in the
    queue's order (urgent first)."""
    cutoff = now - wait
    return list(
        session.scalars(
            queue_order(
                select(Ticket).where(
                    Ticket.opened_at <= cutoff,
                    or_(Ticket.reminded_at.is_(None), Ticket.reminded_at <= cutoff),
                )
            )
        )
    )


def remind_overdue(session: Session, wait: timedelta, now: datetime | None = None) -> list[Ticket]:
    """Writes the reminders to the outbox; returns the cases reminded of."""
    now = now or utcnow()
    tickets = overdue(session, wait, now)
    lawyers = listing(session)
    if not tickets or not lawyers:
        return []  # with no lawyer to tell, try again next round rather than mark them reminded
    lines = [f"提醒：有 {len(tickets)} 件案件等了超过 {readable(wait)} 还没有律师接手："]
    lines += [queue_line(ticket, now) for ticket in tickets]
    lines.append("发 /take 编号 接手，发 /queue 查看全部。")
    buttons = [take_button(t.number) for t in tickets[:BUTTONS_SHOWN]]
    for lawyer in lawyers:
        outbox.post(session, telegram_chat(lawyer.telegram_id), "\n".join(lines), buttons)
    for ticket in tickets:
        ticket.reminded_at = now
        audit.record(session, SYSTEM, "ticket.reminded", ticket.number or "")
    return tickets
