"""Cases waiting too long for a lawyer are brought to every registered lawyer's notice, once per
waiting period, in one message per lawyer rather than one per case."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desk.lawyers import listing
from desk.models import AuditEntry, Notification, as_utc, utcnow
from desk.relay import lawyer_chat
from desk.tickets import OPEN, PAYLOAD_PREFIX, PRIORITY_LABEL, Ticket
from desk.waiting import readable

SYSTEM = "system:reminder"
BUTTONS_PER_REMINDER = 3


def overdue(session: Session, wait: timedelta, now: datetime) -> list[Ticket]:
    """Open cases older than `wait` that were not brought up during the last `wait`."""
    cutoff = now - wait
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.status == OPEN,
                Ticket.opened_at <= cutoff,
                or_(Ticket.reminded_at.is_(None), Ticket.reminded_at <= cutoff),
            )
            .order_by(Ticket.opened_at, Ticket.id)
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
    lines += [
        f"{t.number} {PRIORITY_LABEL[t.priority]} [{'、'.join(t.tags) or '其他'}] "
        f"已等 {readable(now - as_utc(t.opened_at))}"
        for t in tickets
    ]
    lines.append("发 /take 编号 接手，发 /queue 查看全部。")
    buttons = [
        {"title": f"接手 {t.number}", "payload": f"{PAYLOAD_PREFIX}take:{t.number}"}
        for t in tickets[:BUTTONS_PER_REMINDER]
    ]
    for lawyer in lawyers:
        session.add(
            Notification(
                chat_id=lawyer_chat(lawyer.telegram_id), text="\n".join(lines), buttons=buttons
            )
        )
    for ticket in tickets:
        ticket.reminded_at = now
        session.add(AuditEntry(actor=SYSTEM, action="ticket.reminded", subject=ticket.number or ""))
    return tickets
