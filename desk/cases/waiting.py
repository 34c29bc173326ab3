"""How long a worker can expect to wait for a lawyer: said honestly, from the queue as it is and
from how fast cases of the same priority were taken lately, never a promise we cannot keep."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.cases.lawyers import listing
from desk.cases.tickets import URGENT, ahead_in_queue, held_counts
from desk.staff.report import median
from desk.storage.models import Ticket, as_utc, utcnow

HISTORY = timedelta(days=30)


def readable(span: timedelta) -> str:
    """2 小时 10 分钟, 25 分钟, 不到 1 分钟."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "不到 1 分钟"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} 天" if days else "", f"{hours} 小时" if hours else ""]
    if minutes and not days:
        parts.append(f"{minutes} 分钟")
    return " ".join(part for part in parts if part)


def typical_time_to_claim(
    session: Session, priority: str, now: datetime | None = None
) -> timedelta | None:
    """The median wait of the cases of this priority claimed in the last 30 days."""
    since = (now or utcnow()) - HISTORY
    rows = session.execute(
        select(Ticket.opened_at, Ticket.claimed_at).where(
            Ticket.priority == priority,
            Ticket.claimed_at.is_not(None),
            Ticket.claimed_at >= since,
        )
    ).all()
    waits = [as_utc(claimed) - as_utc(opened) for opened, claimed in rows if claimed]
    return median(waits)


def free_places(session: Session) -> int:
    """How many more cases the active lawyers can take right now (a lawyer over a lowered
    capacity frees nothing for the others)."""
    held = held_counts(session)
    return sum(max(0, lawyer.capacity - held.get(lawyer.id, 0)) for lawyer in listing(session))


def expected_wait(session: Session, ticket: Ticket, now: datetime | None = None) -> str:
    """One or two sentences for the worker about what happens next and when."""
    ahead = ahead_in_queue(session, ticket)
    place = f"您前面还有 {ahead} 件案件在等候。" if ahead else "您的案件排在队列最前面。"
    if not listing(session):
        return (
            place + "现在没有在线登记的律师，我说不准要等多久；工作人员上班后会尽快安排，"
            "律师接手时我会在这里通知您。急事请拨打职工服务热线 12351。"
        )
    typical = typical_time_to_claim(session, ticket.priority, now)
    if typical is None:
        estimate = "最近还没有足够的记录，我没法准确估计等待时间。"
    else:
        kind = "紧急" if ticket.priority == URGENT else "同类"
        estimate = f"最近 30 天，{kind}案件一般在 {readable(typical)} 左右被律师接手。"
    if ahead >= free_places(session):
        estimate += "律师们手上的案子比较满，可能会比这更久一些。"
    return place + estimate + "律师接手时我会在这里通知您。"
