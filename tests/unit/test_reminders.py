"""Cases nobody took in time are brought to the lawyers' notice: once per waiting period."""

from __future__ import annotations

from datetime import timedelta

from desk.cases.reminders import SYSTEM, remind_overdue
from desk.cases.tickets import URGENT, by_number
from desk.storage.db import session_scope
from desk.storage.models import as_utc, utcnow
from tests.cases import (
    LAWYER_CHAT,
    NEIGHBOUR_CHAT,
    OTHER,
    OTHER_CHAT,
    audit,
    on_payload,
    only_text,
    open_case,
    outbox,
    outbox_size,
    register,
    remove,
    take,
    ticket,
)

WAIT = timedelta(hours=2)


def remind(url: str, at: timedelta) -> list[str]:
    """Runs the reminder as if `at` had passed since the cases were opened."""
    with session_scope(url) as session:
        return [t.number or "" for t in remind_overdue(session, WAIT, utcnow() + at)]


def test_overdue_cases_are_brought_up_once_per_period(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER)
    register(database_url, 1003)
    remove(database_url, 1003)
    older = open_case(database_url, tags=("工伤",), priority=URGENT)
    newer = open_case(database_url, chat=NEIGHBOUR_CHAT, tags=())
    take(database_url, OTHER, open_case(database_url, chat="tg:44"))  # taken: never overdue
    with session_scope(database_url) as session:
        case = by_number(session, older)
        assert case is not None
        case.opened_at = as_utc(case.opened_at) - timedelta(minutes=30)
    notices = outbox_size(database_url)

    assert remind(database_url, timedelta(hours=1)) == []
    assert outbox_size(database_url) == notices

    assert remind(database_url, WAIT + timedelta(minutes=1)) == [older, newer]
    for chat in (LAWYER_CHAT, OTHER_CHAT):
        (notice,) = outbox(database_url, chat)[-1:]
        lines = notice.text.splitlines()
        assert "2 件" in lines[0] and "2 小时" in lines[0]
        assert lines[1].startswith(f"{older} 紧急 [工伤] 已等 2 小时 31 分钟")
        assert lines[2].startswith(f"{newer} 普通 [其他] 已等 2 小时 1 分钟")
        assert notice.buttons == [
            {"title": f"接手 {older}", "payload": f"ticket:take:{older}"},
            {"title": f"接手 {newer}", "payload": f"ticket:take:{newer}"},
        ]
    assert outbox(database_url, "tg:1003") == []  # removed lawyers are not bothered
    assert outbox_size(database_url) == notices + 2  # one message per lawyer, not per case
    assert audit(database_url, "ticket.reminded") == [(SYSTEM, older), (SYSTEM, newer)]
    assert ticket(database_url, older).reminded_at is not None

    # Within the next period: quiet. After it: once more.
    assert remind(database_url, WAIT + timedelta(hours=1)) == []
    assert outbox_size(database_url) == notices + 2
    assert remind(database_url, 2 * WAIT + timedelta(minutes=2)) == [older, newer]
    assert outbox_size(database_url) == notices + 4
    assert len(audit(database_url, "ticket.reminded")) == 4

    # The button in the reminder takes the case.
    taken = only_text(on_payload(database_url, LAWYER_CHAT, f"ticket:take:{older}"))
    assert taken.startswith(f"您已接手 {older}")
    assert remind(database_url, 4 * WAIT) == [newer]


def test_urgent_cases_come_first_in_a_reminder(database_url: str) -> None:
    """Only the first few get a 接手 button: those must be the ones the queue serves first."""
    register(database_url)
    normal = open_case(database_url, tags=("欠薪",))
    urgent = open_case(database_url, chat=NEIGHBOUR_CHAT, tags=("工伤",), priority=URGENT)
    with session_scope(database_url) as session:
        case = by_number(session, normal)
        assert case is not None
        case.opened_at = as_utc(case.opened_at) - timedelta(hours=5)
    assert remind(database_url, WAIT + timedelta(minutes=1)) == [urgent, normal]
    (notice,) = outbox(database_url, LAWYER_CHAT)[-1:]
    assert notice.buttons is not None
    assert notice.buttons[0] == {"title": f"接手 {urgent}", "payload": f"ticket:take:{urgent}"}


def test_with_no_lawyer_to_tell_nothing_is_marked_as_reminded(database_url: str) -> None:
    number = open_case(database_url)
    register(database_url)
    remove(database_url)
    assert remind(database_url, WAIT + timedelta(minutes=1)) == []
    assert outbox_size(database_url) == 0
    assert ticket(database_url, number).reminded_at is None
    assert audit(database_url, "ticket.reminded") == []
    # As soon as there is one, they hear about it.
    register(database_url)
    assert remind(database_url, WAIT + timedelta(minutes=2)) == [number]
    assert len(outbox(database_url, LAWYER_CHAT)) == 1
