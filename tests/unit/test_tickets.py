"""Tickets and lawyers in the core: one ticket per case, the queue, claims, closing, rating."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from desk.cases import lawyers
from desk.cases.tickets import (
    CLAIMED,
    CLOSED,
    NORMAL,
    OPEN,
    URGENT,
    Refusal,
    TicketError,
    ahead_in_queue,
    assigned_to,
    by_number,
    claim,
    close,
    merge_tags,
    open_or_add,
    priority_for,
    queue,
    rate,
    record_first_reply,
    release,
)
from desk.storage.db import in_unit_of_work, session_scope
from desk.storage.models import AuditEntry, Notification, Ticket

LAWYER, OTHER = 1001, 1002


def register(url: str, telegram_id: int = LAWYER, capacity: int = 3) -> None:
    with session_scope(url) as session:
        lawyers.register(session, telegram_id, f"律师{telegram_id}", capacity, staff="staff:li")


def opened(
    url: str, chat: str = "tg:42", priority: str = NORMAL, tags: tuple[str, ...] = ("欠薪",)
) -> str:
    with session_scope(url) as session:
        ticket, _ = open_or_add(
            session, chat, "老板拖欠三个月工资", {"月工资": 5000}, priority, tags
        )
        return ticket.number or ""


def claimed(url: str, telegram_id: int = LAWYER, number: str | None = None) -> Ticket:
    result = in_unit_of_work(url, claim, telegram_id, number)
    assert isinstance(result, Ticket), result
    return result


def refused(url: str, telegram_id: int = LAWYER, number: str | None = None) -> str:
    result = in_unit_of_work(url, claim, telegram_id, number)
    assert isinstance(result, Refusal), result
    return result.code


def notices(url: str, chat: str = "tg:42") -> list[str]:
    with session_scope(url) as session:
        return list(
            session.scalars(
                select(Notification.text)
                .where(Notification.chat_id == chat)
                .order_by(Notification.id)
            )
        )


def audit(url: str) -> list[tuple[str, str]]:
    with session_scope(url) as session:
        rows = session.execute(select(AuditEntry.actor, AuditEntry.action).order_by(AuditEntry.id))
        return [(actor, action) for actor, action in rows]


# --- Opening and adding ----------------------------------------------------------------------


def test_numbers_can_be_read_aloud(database_url: str) -> None:
    prefix, year, sequence = opened(database_url).split("-")
    assert prefix == "AJ" and year.isdigit() and len(sequence) == 6


def test_one_ticket_per_case_new_information_is_added(database_url: str) -> None:
    first = opened(database_url, tags=("欠薪",))
    with session_scope(database_url) as session:
        ticket, created = open_or_add(
            session, "tg:42", "老板已经失联", {"人数": 12}, NORMAL, ["集体", "欠薪"]
        )
        assert not created and ticket.number == first
        assert ticket.summary == "老板拖欠三个月工资\n补充：老板已经失联"
        assert ticket.intake == {"月工资": 5000, "人数": 12}
        assert ticket.tags == ["欠薪", "集体"]
    with session_scope(database_url) as session:
        assert len(session.scalars(select(Ticket)).all()) == 1
        assert [e.action for e in by_number(session, first).events] == ["opened", "added"]


def test_urgent_news_raises_the_priority_and_normal_news_never_lowers_it(
    database_url: str,
) -> None:
    number = opened(database_url)
    with session_scope(database_url) as session:
        open_or_add(session, "tg:42", "今天工地上受伤了", {}, URGENT, ["工伤"])
        open_or_add(session, "tg:42", "还有加班费", {}, NORMAL, ["加班"])
    with session_scope(database_url) as session:
        ticket = by_number(session, number)
        assert ticket.priority == URGENT
        assert [e.action for e in ticket.events] == ["opened", "added", "priority", "added"]


def test_a_claimed_case_still_collects_additions_and_tells_its_lawyer(database_url: str) -> None:
    register(database_url)
    number = opened(database_url)
    claimed(database_url)
    with session_scope(database_url) as session:
        _, created = open_or_add(session, "tg:42", "我找到了工资条", {}, NORMAL, [])
    assert not created
    expected = f"案件 {number} 有当事人的新补充：我找到了工资条"
    assert notices(database_url, f"tg:{LAWYER}") == [expected]


def test_after_a_case_is_closed_the_next_one_is_a_new_ticket(database_url: str) -> None:
    register(database_url)
    first = opened(database_url)
    claimed(database_url)
    with session_scope(database_url) as session:
        close(session, first, LAWYER, "resolved")
    second = opened(database_url)
    assert second != first
    assert opened(database_url, chat="tg:43") not in (first, second)


def test_priority_and_tags_helpers() -> None:
    assert priority_for(["collective"]) == URGENT
    assert priority_for(["absconding_boss", "other"]) == URGENT
    assert priority_for(["injury"]) == priority_for(["deadline"]) == URGENT
    assert priority_for([]) == priority_for(["overtime"]) == NORMAL
    assert merge_tags(["欠薪", " 工伤 "], ["工伤", "", "社保"]) == ["欠薪", "工伤", "社保"]


def test_an_unknown_priority_is_a_programming_error(database_url: str) -> None:
    with session_scope(database_url) as session, pytest.raises(TicketError):
        open_or_add(session, "tg:42", "x", {}, "high", [])


# --- Queue ----------------------------------------------------------------------------------


def test_queue_is_urgent_first_then_oldest_first(database_url: str) -> None:
    old_normal = opened(database_url, chat="tg:1")
    new_urgent = opened(database_url, chat="tg:2", priority=URGENT)
    old_urgent = opened(database_url, chat="tg:3", priority=URGENT)
    new_normal = opened(database_url, chat="tg:4")
    with session_scope(database_url) as session:
        # Backdate so the order is by opening time, not by insertion.
        for number, hours in ((old_normal, 9), (new_urgent, 1), (old_urgent, 5), (new_normal, 0)):
            ticket = by_number(session, number)
            ticket.opened_at = ticket.opened_at - timedelta(hours=hours)
    with session_scope(database_url) as session:
        order = [t.number for t in queue(session)]
        ahead = [ahead_in_queue(session, by_number(session, n)) for n in order]
    assert order == [old_urgent, new_urgent, old_normal, new_normal]
    assert ahead == [0, 1, 2, 3]  # the position a worker is told, counted by the database


def test_cases_opened_in_the_same_instant_keep_their_order(database_url: str) -> None:
    numbers = [opened(database_url, chat=f"tg:{i}") for i in range(3)]
    with session_scope(database_url) as session:
        cases = [by_number(session, n) for n in numbers]
        for case in cases:
            case.opened_at = cases[0].opened_at
    with session_scope(database_url) as session:
        assert [ahead_in_queue(session, by_number(session, n)) for n in numbers] == [0, 1, 2]


def test_a_raised_case_moves_ahead_of_older_normal_ones(database_url: str) -> None:
    first = opened(database_url, chat="tg:1")
    second = opened(database_url, chat="tg:2")
    with session_scope(database_url) as session:
        open_or_add(session, "tg:2", "十几个工友一起被欠薪", {}, URGENT, ["集体"])
    with session_scope(database_url) as session:
        assert [t.number for t in queue(session)] == [second, first]


# --- Claiming -------------------------------------------------------------------------------


def test_only_registered_active_lawyers_may_claim(database_url: str) -> None:
    opened(database_url)
    assert refused(database_url, telegram_id=999) == "not_lawyer"
    register(database_url)
    with session_scope(database_url) as session:
        lawyers.remove(session, LAWYER, staff="staff:li")
    assert refused(database_url) == "not_lawyer"


def test_claim_next_takes_the_oldest_urgent_case_and_tells_the_worker(database_url: str) -> None:
    register(database_url)
    opened(database_url, chat="tg:1")
    urgent = opened(database_url, chat="tg:42", priority=URGENT)
    ticket = claimed(database_url)
    assert ticket.number == urgent and ticket.status == CLAIMED
    assert ticket.assignee is not None and ticket.assignee.telegram_id == LAWYER
    assert ticket.claimed_at is not None
    expected = f"律师已接手您的案件 {urgent}，会尽快在这里和您联系，请留意消息。"
    assert notices(database_url) == [expected]
    assert (f"lawyer:{LAWYER}", "ticket.claimed") in audit(database_url)
    with session_scope(database_url) as session:
        assert [t.number for t in assigned_to(session, LAWYER)] == [urgent]
        assert urgent not in [t.number for t in queue(session)]


def test_claim_a_given_case_and_the_reasons_for_refusing(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER)
    first, second = opened(database_url, chat="tg:1"), opened(database_url, chat="tg:2")
    assert claimed(database_url, number=second.lower()).number == second
    assert refused(database_url, OTHER, number=second) == "taken"
    assert refused(database_url, OTHER, number="AJ-2000-000999") == "not_found"
    assert claimed(database_url, OTHER).number == first
    assert refused(database_url) == "empty"
    with session_scope(database_url) as session:
        close(session, first, OTHER, "resolved")
    assert refused(database_url, number=first) == "closed"


def test_capacity_is_respected_and_freed_by_release_or_close(database_url: str) -> None:
    register(database_url, capacity=2)
    numbers = [opened(database_url, chat=f"tg:{i}") for i in range(4)]
    claimed(database_url)
    claimed(database_url)
    assert refused(database_url) == "at_capacity"
    assert refused(database_url, number=numbers[3]) == "at_capacity"
    with session_scope(database_url) as session:
        release(session, numbers[0], LAWYER)
    assert claimed(database_url).number == numbers[0]  # it kept its place in the queue
    with session_scope(database_url) as session:
        close(session, numbers[1], LAWYER, "mediation")
    assert claimed(database_url).number == numbers[2]


def test_a_claim_is_undone_with_the_message_that_failed(database_url: str) -> None:
    """The claim is part of the message's unit of work: if the rest of it fails, the case is
    still in the queue and nobody was told it was taken."""
    register(database_url)
    number = opened(database_url)
    told = notices(database_url)
    with pytest.raises(RuntimeError), session_scope(database_url) as session:
        assert isinstance(claim(session, LAWYER), Ticket)
        raise RuntimeError("the reply could not be built")
    with session_scope(database_url) as session:
        assert session.scalar(select(Ticket.status).where(Ticket.number == number)) == OPEN
    assert notices(database_url) == told
    assert claimed(database_url).number == number


# --- Release, first reply, close, rating -----------------------------------------------------


def test_release_puts_the_case_back_for_someone_else(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER)
    number = opened(database_url)
    claimed(database_url)
    with session_scope(database_url) as session, pytest.raises(TicketError, match="不在您手上"):
        release(session, number, OTHER)
    with session_scope(database_url) as session:
        ticket = release(session, number, LAWYER, reason="利益冲突")
        assert ticket.status == OPEN and ticket.assignee_id is None and ticket.claimed_at is None
    assert "正在转交给另一位律师" in notices(database_url)[-1]
    assert claimed(database_url, OTHER).number == number


def test_the_first_reply_is_recorded_once_and_only_for_the_holder(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER)
    number = opened(database_url)
    claimed(database_url)
    with session_scope(database_url) as session, pytest.raises(TicketError):
        record_first_reply(session, number, OTHER)
    with session_scope(database_url) as session:
        assert record_first_reply(session, number, LAWYER)
    with session_scope(database_url) as session:
        first = by_number(session, number).first_reply_at
        assert first is not None
        assert not record_first_reply(session, number, LAWYER)
    with session_scope(database_url) as session:
        assert by_number(session, number).first_reply_at == first


def test_close_records_the_outcome_and_asks_for_a_rating(database_url: str) -> None:
    register(database_url)
    number = opened(database_url)
    claimed(database_url)
    with session_scope(database_url) as session:
        with pytest.raises(TicketError, match="结果只能是"):
            close(session, number, LAWYER, "won")
        with pytest.raises(TicketError, match="金额"):
            close(session, number, LAWYER, "recovered")
        with pytest.raises(TicketError, match="负数"):
            close(session, number, LAWYER, "arbitration", Decimal("-1"))
        ticket = close(session, number, LAWYER, "recovered", Decimal("12800.5"))
    assert ticket.status == CLOSED and ticket.closed_at is not None
    assert ticket.outcome == "recovered"
    with session_scope(database_url) as session:
        assert by_number(session, number).amount_recovered == Decimal("12800.50")
        with pytest.raises(TicketError, match="不在您手上"):
            close(session, number, LAWYER, "resolved")
    notice = notices(database_url)[-1]
    assert f"{number} 已办结（已追回欠款，12800.50 元）" in notice and "1 到 5" in notice


def test_rating_only_once_only_when_closed_only_by_the_worker(database_url: str) -> None:
    register(database_url)
    number = opened(database_url)
    with session_scope(database_url) as session, pytest.raises(TicketError, match="办结后"):
        rate(session, number, "tg:42", 5)
    claimed(database_url)
    with session_scope(database_url) as session:
        close(session, number, LAWYER, "arbitration")
    with session_scope(database_url) as session:
        for score in (0, 6):
            with pytest.raises(TicketError, match="1 到 5"):
                rate(session, number, "tg:42", score)
        with pytest.raises(TicketError, match="没有找到"):
            rate(session, number, "tg:99", 5)
        ticket = rate(session, number, "tg:42", 4, " 律师很耐心 ")
        assert (ticket.rating, ticket.rating_comment) == (4, "律师很耐心")
    with session_scope(database_url) as session, pytest.raises(TicketError, match="评价过"):
        rate(session, number, "tg:42", 1)
    with session_scope(database_url) as session:
        assert by_number(session, number).rating == 4


def test_every_change_is_in_the_audit_log_with_who(database_url: str) -> None:
    register(database_url)
    number = opened(database_url)
    with session_scope(database_url) as session:
        open_or_add(session, "tg:42", "受伤了", {}, URGENT, ["工伤"])
    claimed(database_url)
    with session_scope(database_url) as session:
        release(session, number, LAWYER)
    claimed(database_url)
    with session_scope(database_url) as session:
        record_first_reply(session, number, LAWYER)
        close(session, number, LAWYER, "resolved")
        rate(session, number, "tg:42", 5)
    me = f"lawyer:{LAWYER}"
    assert [entry for entry in audit(database_url) if entry[1].startswith("ticket.")] == [
        ("worker", "ticket.opened"),
        ("worker", "ticket.added"),
        ("worker", "ticket.priority"),
        (me, "ticket.claimed"),
        (me, "ticket.released"),
        (me, "ticket.claimed"),
        (me, "ticket.first_reply"),
        (me, "ticket.closed"),
        ("worker", "ticket.rated"),
    ]
    with session_scope(database_url) as session:
        subjects = session.scalars(
            select(AuditEntry.subject).where(AuditEntry.action.like("ticket.%"))
        ).all()
        assert set(subjects) == {number}
        assert len(by_number(session, number).events) == 9


# --- Lawyers --------------------------------------------------------------------------------


def test_staff_register_update_and_remove_lawyers(database_url: str) -> None:
    register(database_url, capacity=2)
    with session_scope(database_url) as session:
        assert lawyers.is_lawyer(session, LAWYER) and not lawyers.is_lawyer(session, OTHER)
        with pytest.raises(lawyers.LawyerError):
            lawyers.register(session, OTHER, "张律师", 0, staff="staff:li")
        with pytest.raises(lawyers.LawyerError):
            lawyers.register(session, OTHER, "  ", 2, staff="staff:li")
        lawyers.register(session, LAWYER, "王律师", 4, staff="staff:li")
    with session_scope(database_url) as session:
        (lawyer,) = lawyers.listing(session)
        assert (lawyer.name, lawyer.capacity) == ("王律师", 4)
        lawyers.remove(session, LAWYER, staff="staff:zhao")
    with session_scope(database_url) as session:
        assert not lawyers.is_lawyer(session, LAWYER)
        assert lawyers.listing(session) == []
        assert len(lawyers.listing(session, include_inactive=True)) == 1
        with pytest.raises(lawyers.LawyerError):
            lawyers.remove(session, LAWYER, staff="staff:zhao")
        lawyers.register(session, LAWYER, "王律师", 4, staff="staff:li")  # back again
        assert lawyers.is_lawyer(session, LAWYER)
    assert [entry for entry in audit(database_url) if entry[1].startswith("lawyer.")] == [
        ("staff:li", "lawyer.registered"),
        ("staff:li", "lawyer.registered"),
        ("staff:zhao", "lawyer.removed"),
        ("staff:li", "lawyer.registered"),
    ]
