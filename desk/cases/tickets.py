"""Hard cases for human lawyers: one ticket per case, a queue, and an atomic claim.

A worker's chat has at most one case in progress (open or claimed); anything the worker adds
later goes into it. Lawyers take cases oldest-urgent-first; a claim is one transaction that
checks the lawyer, their capacity and that the ticket is still open, so two lawyers pressing
at once never both get it, in one process or several, on SQLite or PostgreSQL.

Every change is written to the ticket's history and the audit log; the worker hears about the
moves that matter to them through the notification outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desk.cases.lawyers import actor as lawyer_actor
from desk.cases.lawyers import by_telegram_id, remove
from desk.common.chats import telegram_chat
from desk.storage import audit, outbox
from desk.storage.models import IN_PROGRESS_SQL, Lawyer, Ticket, TicketEvent, utcnow

OPEN, CLAIMED, CLOSED = "open", "claimed", "closed"
IN_PROGRESS = (OPEN, CLAIMED)
STATUS_LABEL = {OPEN: "等待律师接手", CLAIMED: "律师办理中", CLOSED: "已办结"}

URGENT, NORMAL = "urgent", "normal"
# What makes a case urgent (design notes, "hard cases"): people at risk or a clock running.
URGENT_REASONS = frozenset({"collective", "absconding_boss", "injury", "deadline"})

KNOWN_TAGS = ("欠薪", "工伤", "解除", "社保", "集体", "加班", "合同", "其他")

OUTCOMES = {
    "resolved": "已解决",
    "mediation": "已转调解",
    "arbitration": "已转仲裁",
    "recovered": "已追回欠款",
}
WORKER = "worker"
PRIORITY_LABEL = {URGENT: "紧急", NORMAL: "普通"}
LAWYER_REMOVED = "律师已停止接案"  # the reason recorded when staff remove a lawyer
RATING_STAGE, COMMENT_STAGE = "rating", "comment"
# Button payloads the gateway handles itself (they never reach Rasa).
PAYLOAD_PREFIX = "ticket:"


def rating_buttons(number: str) -> list[tuple[str, str]]:
    return [(f"{score} 分", f"{PAYLOAD_PREFIX}rate:{number}:{score}") for score in range(5, 0, -1)]


def take_button(number: str | None) -> tuple[str, str]:
    """The button that claims this case (for lawyers; anyone else is refused)."""
    return f"接手 {number}", f"{PAYLOAD_PREFIX}take:{number}"


_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


class TicketError(ValueError):
    """A request the ticket cannot honour; the message is fit to show to whoever asked."""


@dataclass(frozen=True)
class Refusal:
    """Why a claim did not give the lawyer a ticket: a normal outcome of a race, not an error."""

    code: str  # not_lawyer | at_capacity | not_found | taken | closed | empty
    message: str


def format_number(year: int, sequence: int) -> str:
    """AJ-2026-000123 (案件): read aloud like the application numbers."""
    return f"AJ-{year}-{sequence:06d}"


def priority_for(reasons: Iterable[str]) -> str:
    """urgent when any reason is in URGENT_REASONS, else normal."""
    return URGENT if URGENT_REASONS.intersection(reasons) else NORMAL


def merge_tags(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """Union in first-seen order, so the tag the case started with stays first."""
    return list(dict.fromkeys(tag.strip() for tag in (*old, *new) if tag.strip()))


def by_number(session: Session, number: str) -> Ticket | None:
    return session.scalars(select(Ticket).where(Ticket.number == number.strip().upper())).first()


def current_for_chat(session: Session, chat_id: str) -> Ticket | None:
    """The chat's case in progress, if any."""
    return session.scalars(
        select(Ticket)
        .where(Ticket.chat_id == chat_id, Ticket.status.in_(IN_PROGRESS))
        .order_by(Ticket.id)
    ).first()


def open_or_add(
    session: Session,
    chat_id: str,
    summary: str,
    intake: dict[str, Any],
    priority: str = NORMAL,
    tags: Iterable[str] = (),
) -> tuple[Ticket, bool]:
    """Opens a case for the chat, or adds to the one in progress. Returns (ticket, created)."""
    if priority not in (URGENT, NORMAL):
        raise TicketError(f"unknown priority {priority!r}")
    ticket = current_for_chat(session, chat_id)
    if ticket is None:
        ticket = _open(session, chat_id, summary, intake, priority, tags)
        if ticket is not None:
            return ticket, True
        # The same chat opened a case a moment ago (uq_tickets_chat_in_progress): add to it.
        ticket = current_for_chat(session, chat_id)
        if ticket is None:
            raise TicketError("案件正在登记中，请稍后再试。")

    # New objects rather than in-place edits: SQLAlchemy only sees JSON changes on assignment.
    ticket.summary = f"{ticket.summary}\n补充：{summary}"
    ticket.intake = {**ticket.intake, **intake}
    ticket.tags = merge_tags(ticket.tags, tags)
    record_event(session, ticket, "added", WORKER, note=summary)
    if priority == URGENT and ticket.priority != URGENT:
        ticket.priority = URGENT
        record_event(session, ticket, "priority", WORKER, note=URGENT)
    if ticket.assignee is not None:
        outbox.post(
            session,
            telegram_chat(ticket.assignee.telegram_id),
            f"案件 {ticket.number} 有当事人的新补充：{summary}",
            ticket_id=ticket.id,
        )
    return ticket, False


def _open(
    session: Session,
    chat_id: str,
    summary: str,
    intake: dict[str, Any],
    priority: str,
    tags: Iterable[str],
) -> Ticket | None:
    """A new case, or None when the chat got one in progress concurrently.

    INSERT … ON CONFLICT DO NOTHING against uq_tickets_chat_in_progress rather than catching
    the IntegrityError: no savepoint needed (pysqlite would commit a savepoint that starts a
    transaction), and the unit of work around it stays intact either way.
    """
    insert = _INSERTS[session.get_bind().dialect.name]
    opened_at = utcnow()
    statement = (
        insert(Ticket)
        .values(
            chat_id=chat_id,
            status=OPEN,
            priority=priority,
            tags=merge_tags((), tags),
            summary=summary,
            intake=dict(intake),
            opened_at=opened_at,
        )
        .on_conflict_do_nothing(index_elements=["chat_id"], index_where=IN_PROGRESS_SQL)
        .returning(Ticket.id)
    )
    ticket_id = session.scalar(statement)
    if ticket_id is None:
        return None
    ticket = session.get_one(Ticket, ticket_id)
    ticket.number = format_number(opened_at.year, ticket.id)  # the id is the sequence
    record_event(session, ticket, "opened", WORKER, note=priority)
    return ticket


_URGENT_FIRST = case((Ticket.priority == URGENT, 0), else_=1)


def queue_order(query: Select[Any]) -> Select[Any]:
    return query.where(Ticket.status == OPEN).order_by(_URGENT_FIRST, Ticket.opened_at, Ticket.id)


def queue(session: Session) -> list[Ticket]:
    """Unclaimed cases: urgent first, then oldest first."""
    return list(session.scalars(queue_order(select(Ticket))))


def ahead_in_queue(session: Session, ticket: Ticket) -> int:
    """How many unclaimed cases come before this one, in the queue's order (one COUNT)."""
    rank = 0 if ticket.priority == URGENT else 1
    earlier = or_(
        Ticket.opened_at < ticket.opened_at,
        and_(Ticket.opened_at == ticket.opened_at, Ticket.id < ticket.id),
    )
    before = or_(rank > _URGENT_FIRST, and_(rank == _URGENT_FIRST, earlier))
    count = select(func.count()).select_from(Ticket).where(Ticket.status == OPEN, before)
    return session.scalar(count) or 0


def assigned_to(session: Session, lawyer_telegram_id: int) -> list[Ticket]:
    """The cases an active lawyer holds now (nothing for anyone else: one query tells both)."""
    return list(
        session.scalars(
            select(Ticket)
            .join(Lawyer, Ticket.assignee_id == Lawyer.id)
            .where(
                Lawyer.telegram_id == lawyer_telegram_id,
                Lawyer.active.is_(True),
                Ticket.status == CLAIMED,
            )
            .order_by(Ticket.claimed_at, Ticket.id)
        )
    )


def held_counts(session: Session) -> dict[int, int]:
    """Cases each lawyer holds now, by lawyer row id (lawyers holding none are absent)."""
    rows = session.execute(
        select(Ticket.assignee_id, func.count())
        .where(Ticket.status == CLAIMED, Ticket.assignee_id.is_not(None))
        .group_by(Ticket.assignee_id)
    )
    return {assignee: count for assignee, count in rows if assignee is not None}


def remove_lawyer(session: Session, telegram_id: int, staff: str) -> tuple[Lawyer, list[Ticket]]:
    """Deactivates a lawyer and gives the cases they held back to the queue, keeping their
    place: nobody else could close them, and the workers' messages would keep going to someone
    no longer on the desk. Returns the lawyer and the released cases.

    Under the same lock as a claim (the lawyer's row), and the cases go back in one UPDATE: a
    /take committing at the same moment either comes first and its case is released here, or
    comes after and finds the lawyer inactive."""
    _serialise_claims(session, telegram_id)
    session.scalars(
        select(Lawyer).where(Lawyer.telegram_id == telegram_id).with_for_update()
    ).first()
    lawyer = remove(session, telegram_id, staff)
    released_ids = session.scalars(
        update(Ticket)
        .where(Ticket.assignee_id == lawyer.id, Ticket.status == CLAIMED)
        .values(status=OPEN, assignee_id=None, claimed_at=None)
        .returning(Ticket.id)
        .execution_options(synchronize_session=False)
    ).all()
    released = [session.get_one(Ticket, i, populate_existing=True) for i in sorted(released_ids)]
    for ticket in released:
        _announce_release(session, ticket, lawyer_actor(telegram_id), LAWYER_REMOVED)
    return lawyer, released


# --- Claiming ------------------------------------------------------------------------------


def claim(session: Session, lawyer_telegram_id: int, number: str | None = None) -> Ticket | Refusal:
    """Gives the lawyer the next case in the queue, or the numbered one, if they may have it.

    Runs in the caller's unit of work, which should commit soon: from here on it holds the
    lock that makes competing claims wait (see _serialise_claims).
    """
    _serialise_claims(session, lawyer_telegram_id)
    return _claim(session, lawyer_telegram_id, number)


def _serialise_claims(session: Session, lawyer_telegram_id: int) -> None:
    """Makes claims that could conflict run one after the other.

    PostgreSQL: nothing to do here. _claim locks the lawyer's row (SELECT … FOR UPDATE), so one
    lawyer's claims queue up and each sees the others' results when it counts their load; the
    ticket itself is taken by a conditional UPDATE, which PostgreSQL re-checks after waiting for
    a competing claim, so the loser updates no row.

    SQLite has no row locks, and pysqlite only BEGINs (deferred) at the first write, so the
    capacity count would be read before any lock is held. A write as the claim's first
    statement takes the database's write lock at once: claims run one at a time (they last
    milliseconds; others wait up to the busy timeout set in storage.db), every read after it
    sees the latest commit, and readers are not blocked under WAL. The write changes nothing.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(Lawyer)
            .where(Lawyer.telegram_id == lawyer_telegram_id)
            .values(capacity=Lawyer.capacity)
            .execution_options(synchronize_session=False)
        )


def _claim(session: Session, lawyer_telegram_id: int, number: str | None) -> Ticket | Refusal:
    lawyer = session.scalars(
        select(Lawyer).where(Lawyer.telegram_id == lawyer_telegram_id).with_for_update()
    ).first()
    if lawyer is None or not lawyer.active:
        return Refusal(
            "not_lawyer", "您还不是登记的维权律师，不能接案。如需登记，请联系工会工作人员。"
        )
    held = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.assignee_id == lawyer.id, Ticket.status == CLAIMED)
    )
    if (held or 0) >= lawyer.capacity:
        return Refusal(
            "at_capacity",
            f"您手上已有 {held} 件案件，达到上限 {lawyer.capacity} 件。"
            "请先办结或释放一件再接新案。",
        )
    if number is not None:
        return _claim_numbered(session, lawyer, number)
    # PostgreSQL: SKIP LOCKED lets lawyers racing for "next" take different tickets instead of
    # queueing on the same row (SQLite ignores it: there claims already run one at a time).
    # The conditional UPDATE stays the guarantee; the loop covers a ticket taken in between.
    for _ in range(5):
        ticket_id = session.scalar(
            queue_order(select(Ticket.id)).limit(1).with_for_update(skip_locked=True)
        )
        if ticket_id is None:
            return Refusal("empty", "队列里暂时没有待接的案件。")
        ticket = _take(session, ticket_id, lawyer)
        if ticket is not None:
            return ticket
    return Refusal("taken", "案件刚被其他律师接走了，请再试一次。")


def _claim_numbered(session: Session, lawyer: Lawyer, number: str) -> Ticket | Refusal:
    found = session.execute(
        select(Ticket.id, Ticket.status).where(Ticket.number == number.strip().upper())
    ).first()
    if found is None:
        return Refusal("not_found", f"没有编号为 {number} 的案件。")
    if found.status == CLOSED:
        return Refusal("closed", f"案件 {number} 已办结。")
    ticket = _take(session, found.id, lawyer) if found.status == OPEN else None
    if ticket is None:
        return Refusal("taken", f"案件 {number} 已被其他律师接手了。")
    return ticket


def _take(session: Session, ticket_id: int, lawyer: Lawyer) -> Ticket | None:
    if not _move(
        session,
        ticket_id,
        [Ticket.status == OPEN],
        status=CLAIMED,
        assignee_id=lawyer.id,
        claimed_at=utcnow(),
    ):
        return None
    ticket = session.get_one(Ticket, ticket_id, populate_existing=True)
    record_event(session, ticket, "claimed", lawyer_actor(lawyer.telegram_id), note=lawyer.name)
    outbox.post(
        session,
        ticket.chat_id,
        f"律师已接手您的案件 {ticket.number}，会尽快在这里和您联系，请留意消息。",
    )
    return ticket


# --- The lawyer's work on a claimed ticket --------------------------------------------------


def release(
    session: Session, number: str, lawyer_telegram_id: int, reason: str | None = None
) -> Ticket:
    """Gives the case back to the queue, keeping its place (its opened_at)."""
    ticket = held_by(session, number, lawyer_telegram_id)
    _move_held(session, ticket, status=OPEN, assignee_id=None, claimed_at=None)
    _announce_release(session, ticket, lawyer_actor(lawyer_telegram_id), reason)
    return ticket


def _announce_release(session: Session, ticket: Ticket, actor: str, reason: str | None) -> None:
    record_event(session, ticket, "released", actor, note=reason)
    outbox.post(
        session,
        ticket.chat_id,
        f"您的案件 {ticket.number} 正在转交给另一位律师，我们会尽快安排。"
        "在此期间，您有问题也可以先问我。",
    )


def record_first_reply(session: Session, number: str, lawyer_telegram_id: int) -> bool:
    """Notes when the lawyer first answered the worker. True when this reply was the first."""
    ticket = held_by(session, number, lawyer_telegram_id)
    if ticket.first_reply_at is not None:
        return False
    if not _move(session, ticket.id, [Ticket.first_reply_at.is_(None)], first_reply_at=utcnow()):
        return False  # another reply of the same lawyer got there first
    session.refresh(ticket)
    record_event(session, ticket, "first_reply", lawyer_actor(lawyer_telegram_id))
    return True


def close(
    session: Session,
    number: str,
    lawyer_telegram_id: int,
    outcome: str,
    amount: Decimal | None = None,
) -> Ticket:
    """outcome: a key of OUTCOMES; amount: money recovered for the worker, in 元."""
    if outcome not in OUTCOMES:
        raise TicketError(f"结果只能是：{'、'.join(OUTCOMES)}")
    if amount is not None and amount < 0:
        raise TicketError("追回金额不能是负数")
    if outcome == "recovered" and not amount:
        raise TicketError("追回欠款时请写明追回的金额")
    ticket = held_by(session, number, lawyer_telegram_id)
    _move_held(
        session,
        ticket,
        status=CLOSED,
        closed_at=utcnow(),
        outcome=outcome,
        amount_recovered=None if amount is None else Decimal(amount).quantize(Decimal("0.01")),
        feedback_stage=RATING_STAGE,
    )
    note = OUTCOMES[outcome] + (f"，{ticket.amount_recovered} 元" if amount is not None else "")
    record_event(session, ticket, "closed", lawyer_actor(lawyer_telegram_id), note=note)
    outbox.post(
        session,
        ticket.chat_id,
        f"您的案件 {ticket.number} 已办结（{note}）。我又可以为您解答问题了。\n"
        "请给律师的帮助打个分（5 分最满意），点下面的按钮或回复 1 到 5 的数字。谢谢！",
        rating_buttons(ticket.number or ""),
    )
    return ticket


def rate(
    session: Session, number: str, chat_id: str, score: int, comment: str | None = None
) -> Ticket:
    """The worker's rating of a closed case: once, from the chat that opened it."""
    if not 1 <= score <= 5:
        raise TicketError("请回复 1 到 5 之间的数字，5 分最满意。")
    ticket = by_number(session, number)
    if ticket is None or ticket.chat_id != chat_id:
        raise TicketError(f"没有找到您的案件 {number}。")
    if ticket.status != CLOSED:
        raise TicketError("案件办结后才能评价，谢谢您的耐心。")
    comment = comment.strip() if comment and comment.strip() else None
    if ticket.rating is not None or not _move(
        session,
        ticket.id,
        [Ticket.status == CLOSED, Ticket.rating.is_(None)],
        rating=score,
        rating_comment=comment,
        feedback_stage=None if comment else COMMENT_STAGE,
    ):
        raise TicketError("您已经评价过这个案件了，谢谢！")
    session.refresh(ticket)
    record_event(session, ticket, "rated", WORKER, note=str(score))
    return ticket


def held_by(session: Session, number: str, lawyer_telegram_id: int) -> Ticket:
    lawyer = by_telegram_id(session, lawyer_telegram_id)
    if lawyer is None:
        raise TicketError("您还不是登记的维权律师。")
    ticket = by_number(session, number)
    if ticket is None:
        raise TicketError(f"没有编号为 {number} 的案件。")
    if ticket.status != CLAIMED or ticket.assignee_id != lawyer.id:
        raise TicketError(f"案件 {ticket.number} 不在您手上（{STATUS_LABEL[ticket.status]}）。")
    return ticket


def _move_held(session: Session, ticket: Ticket, **values: Any) -> None:
    """Moves a ticket the caller just saw as held, unless it moved meanwhile."""
    held = [Ticket.status == CLAIMED, Ticket.assignee_id == ticket.assignee_id]
    if not _move(session, ticket.id, held, **values):
        raise TicketError(f"案件 {ticket.number} 的状态刚刚变了，请刷新后再试。")
    session.refresh(ticket)


def _move(
    session: Session, ticket_id: int, conditions: list[ColumnElement[bool]], **values: Any
) -> bool:
    """A conditional UPDATE: the check and the change are one statement, so a state read a
    moment ago cannot be acted on after someone else changed it. True when the row moved."""
    result = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


# Events whose note is the desk's own words (a priority, an outcome, a score, a draft's version,
# the lawyer's name): the audit log keeps those. Other notes are people's words (what a worker
# added to the case, a lawyer's reason for giving it back): they stay with the case, which the
# retention purge erases; the audit log, kept for good, records only who did what.
AUDITED_NOTES = frozenset(
    {"opened", "priority", "claimed", "closed", "rated", "draft", "draft_sent"}
)


def record_event(
    session: Session, ticket: Ticket, action: str, actor: str, note: str | None = None
) -> None:
    session.add(TicketEvent(ticket_id=ticket.id, action=action, actor=actor, note=note))
    audited = note if action in AUDITED_NOTES else None
    audit.record(session, actor, f"ticket.{action}", ticket.number or "", audited)
