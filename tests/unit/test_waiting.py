"""What the worker is told about the wait for a lawyer: honest, from the queue and history."""

from __future__ import annotations

from datetime import timedelta

from desk.cases.tickets import URGENT, by_number
from desk.cases.waiting import expected_wait, readable
from desk.storage.db import session_scope
from desk.storage.models import utcnow
from tests.cases import LAWYER, OTHER, open_case, register, remove, take


def wait_text(url: str, number: str) -> str:
    with session_scope(url) as session:
        case = by_number(session, number)
        assert case is not None
        return expected_wait(session, case)


def history(url: str, waits: list[timedelta], priority: str = "normal", days_ago: int = 1) -> None:
    """Cases taken in the past after the given waits (then closed, as most are)."""
    register(url, 9000, capacity=len(waits) + 1)
    for index, wait in enumerate(waits):
        number = take(
            url, 9000, open_case(url, chat=f"tg:past{priority}{index}", priority=priority)
        )
        with session_scope(url) as session:
            case = by_number(session, number)
            assert case is not None
            claimed_at = utcnow() - timedelta(days=days_ago)
            case.opened_at, case.claimed_at, case.status = claimed_at - wait, claimed_at, "closed"


def test_readable_spans() -> None:
    assert readable(timedelta(seconds=59)) == "不到 1 分钟"
    assert readable(timedelta(minutes=25, seconds=59)) == "25 分钟"
    assert readable(timedelta(hours=2)) == "2 小时"
    assert readable(timedelta(hours=2, minutes=10)) == "2 小时 10 分钟"
    assert readable(timedelta(days=1, hours=3, minutes=5)) == "1 天 3 小时"


def test_with_no_lawyer_registered_we_say_we_cannot_tell(database_url: str) -> None:
    register(database_url)
    remove(database_url)
    number = open_case(database_url)
    text = wait_text(database_url, number)
    assert text.startswith("您的案件排在队列最前面。")
    assert "现在没有在线登记的律师" in text and "说不准" in text and "12351" in text
    assert "一般在" not in text


def test_without_history_we_make_no_estimate(database_url: str) -> None:
    register(database_url)
    text = wait_text(database_url, open_case(database_url))
    assert "没有足够的记录" in text and "一般在" not in text
    assert text.endswith("律师接手时我会在这里通知您。")


def test_the_estimate_is_the_median_of_recent_claims_of_the_same_priority(
    database_url: str,
) -> None:
    register(database_url)
    history(database_url, [timedelta(minutes=10), timedelta(minutes=40), timedelta(hours=3)])
    history(database_url, [timedelta(days=3)], days_ago=40)  # too long ago to count
    history(database_url, [timedelta(minutes=5)], priority=URGENT)
    normal = wait_text(database_url, open_case(database_url))
    assert "最近 30 天，同类案件一般在 40 分钟 左右被律师接手。" in normal
    urgent = wait_text(database_url, open_case(database_url, chat="tg:43", priority=URGENT))
    assert "紧急案件一般在 5 分钟 左右" in urgent


def test_the_place_in_the_queue_and_a_full_desk(database_url: str) -> None:
    register(database_url, LAWYER, capacity=2)
    first = open_case(database_url, chat="tg:1")
    open_case(database_url, chat="tg:2")
    mine = open_case(database_url, chat="tg:3")
    text = wait_text(database_url, mine)
    assert text.startswith("您前面还有 2 件案件在等候。")
    assert "可能会比这更久" in text  # two ahead, two free places
    assert wait_text(database_url, first).startswith("您的案件排在队列最前面。")
    register(database_url, OTHER, capacity=5)
    assert "可能会比这更久" not in wait_text(database_url, mine)
    urgent = open_case(database_url, chat="tg:4", priority=URGENT)
    assert wait_text(database_url, urgent).startswith("您的案件排在队列最前面。")
    assert wait_text(database_url, mine).startswith("您前面还有 3 件案件在等候。")


def test_a_lawyer_over_a_lowered_capacity_frees_nothing_for_the_others(
    database_url: str,
) -> None:
    register(database_url, LAWYER, capacity=3)
    for index in range(3):
        take(database_url, LAWYER, open_case(database_url, chat=f"tg:held{index}"))
    register(database_url, LAWYER, capacity=1)  # staff lowered it; the three cases stay
    register(database_url, OTHER, capacity=1)
    first = open_case(database_url, chat="tg:1")
    assert "可能会比这更久" not in wait_text(database_url, first)  # OTHER has a free place
