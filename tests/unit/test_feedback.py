"""The follow-up after a closed case: a score from 1 to 5, then an optional comment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.cases import routing
from desk.cases.feedback import ASK_COMMENT, COMMENT_WINDOW, SKIPPED, THANKS, read_score
from desk.cases.tickets import by_number, close
from desk.common.replies import Reply
from desk.storage.db import in_unit_of_work, session_scope
from tests.cases import (
    LAWYER,
    NEIGHBOUR_CHAT,
    WORKER_CHAT,
    audit,
    on_payload,
    on_text,
    only_text,
    open_case,
    outbox,
    register,
    take,
    ticket,
)


def closed_case(url: str, chat: str = WORKER_CHAT) -> str:
    register(url)
    number = take(url, number=open_case(url, chat=chat))
    with session_scope(url) as session:
        close(session, number, LAWYER, "resolved")
    return number


def asked_for_a_comment(number: str) -> list[Reply]:
    return [Reply(ASK_COMMENT, (("不用了", f"ticket:nocomment:{number}"),))]


def test_closing_asks_the_worker_for_a_score_with_buttons(database_url: str) -> None:
    number = closed_case(database_url)
    notice = outbox(database_url, WORKER_CHAT)[-1]
    assert "1 到 5" in notice.text
    assert notice.buttons == [
        {"title": f"{score} 分", "payload": f"ticket:rate:{number}:{score}"}
        for score in (5, 4, 3, 2, 1)
    ]
    assert ticket(database_url, number).feedback_stage == "rating"


@pytest.mark.parametrize("answer", ["5", "五分", "５", "5分！"])
def test_a_typed_score_is_stored_and_a_comment_is_invited(database_url: str, answer: str) -> None:
    number = closed_case(database_url)
    assert in_unit_of_work(
        database_url, routing.on_text, WORKER_CHAT, answer
    ) == asked_for_a_comment(number)
    case = ticket(database_url, number)
    assert (case.rating, case.feedback_stage) == (5, "comment")
    assert audit(database_url, "ticket.rated") == [("worker", number)]

    comment = "王律师很耐心，帮我要回了工资"
    assert on_text(database_url, WORKER_CHAT, comment) == [Reply(THANKS)]
    case = ticket(database_url, number)
    assert (case.rating, case.rating_comment, case.feedback_stage) == (5, comment, None)
    # The follow-up is over: what comes next is for the bot.
    assert on_text(database_url, WORKER_CHAT, "4") is None
    assert ticket(database_url, number).rating_comment == comment


def test_the_score_button_and_then_no_comment(database_url: str) -> None:
    number = closed_case(database_url)
    pressed = in_unit_of_work(
        database_url, routing.on_payload, WORKER_CHAT, f"ticket:rate:{number}:3"
    )
    assert pressed == asked_for_a_comment(number)
    assert ticket(database_url, number).rating == 3
    skipped = in_unit_of_work(
        database_url, routing.on_payload, WORKER_CHAT, f"ticket:nocomment:{number}"
    )
    assert skipped == [Reply(SKIPPED)]
    case = ticket(database_url, number)
    assert (case.rating_comment, case.feedback_stage) == (None, None)
    assert on_text(database_url, WORKER_CHAT, "谢谢") is None


def test_typing_the_skip_button_is_not_a_comment(database_url: str) -> None:
    number = closed_case(database_url)
    on_payload(database_url, WORKER_CHAT, f"ticket:rate:{number}:4")
    assert on_text(database_url, WORKER_CHAT, "不用了") == [Reply(SKIPPED)]
    case = ticket(database_url, number)
    assert (case.rating, case.rating_comment, case.feedback_stage) == (4, None, None)


@pytest.mark.parametrize("text", ["加班费怎么算？", "6", "0分", "我要投诉5个人"])
def test_a_question_while_the_score_is_awaited_goes_to_the_bot(
    database_url: str, text: str
) -> None:
    number = closed_case(database_url)
    assert on_text(database_url, WORKER_CHAT, text) is None
    # Asked once: a later digit is an answer to something else (a form's 几个人？), not a score.
    assert on_text(database_url, WORKER_CHAT, "3") is None
    case = ticket(database_url, number)
    assert (case.rating, case.feedback_stage) == (None, None)
    # The buttons still work.
    pressed = in_unit_of_work(
        database_url, routing.on_payload, WORKER_CHAT, f"ticket:rate:{number}:4"
    )
    assert pressed == asked_for_a_comment(number)
    assert ticket(database_url, number).rating == 4


def test_a_message_long_after_the_score_is_not_taken_as_the_comment(database_url: str) -> None:
    number = closed_case(database_url)
    on_payload(database_url, WORKER_CHAT, f"ticket:rate:{number}:5")
    with session_scope(database_url) as session:
        [rated] = [e for e in by_number(session, number).events if e.action == "rated"]
        rated.created_at -= COMMENT_WINDOW + timedelta(minutes=1)
    assert on_text(database_url, WORKER_CHAT, "试用期工资最低多少？") is None
    case = ticket(database_url, number)
    assert (case.rating, case.rating_comment, case.feedback_stage) == (5, None, None)


def test_a_case_is_rated_once(database_url: str) -> None:
    number = closed_case(database_url)
    on_payload(database_url, WORKER_CHAT, f"ticket:rate:{number}:5")
    again = only_text(on_payload(database_url, WORKER_CHAT, f"ticket:rate:{number}:1"))
    assert "评价过" in again
    on_text(database_url, WORKER_CHAT, "很好")
    again = only_text(on_payload(database_url, WORKER_CHAT, f"ticket:rate:{number}:2"))
    assert "评价过" in again
    case = ticket(database_url, number)
    assert (case.rating, case.rating_comment) == (5, "很好")
    assert len(audit(database_url, "ticket.rated")) == 1


def test_nobody_rates_someone_elses_case(database_url: str) -> None:
    number = closed_case(database_url)
    pressed = only_text(on_payload(database_url, NEIGHBOUR_CHAT, f"ticket:rate:{number}:1"))
    assert pressed == f"没有找到您的案件 {number}。"
    assert on_text(database_url, NEIGHBOUR_CHAT, "1") is None
    on_payload(database_url, NEIGHBOUR_CHAT, f"ticket:nocomment:{number}")
    case = ticket(database_url, number)
    assert (case.rating, case.feedback_stage) == (None, "rating")


def test_a_case_in_progress_cannot_be_rated(database_url: str) -> None:
    register(database_url)
    number = take(database_url, number=open_case(database_url))
    pressed = only_text(on_payload(database_url, WORKER_CHAT, f"ticket:rate:{number}:5"))
    assert "办结后才能评价" in pressed
    assert ticket(database_url, number).rating is None


def test_an_unknown_case_button_has_expired(database_url: str) -> None:
    assert texts_of(on_payload(database_url, WORKER_CHAT, "ticket:whatever:1")) == [
        "这个按钮已经失效了。有需要请直接告诉我。"
    ]
    assert on_payload(database_url, WORKER_CHAT, "/greet") is None


def texts_of(replies: list[Reply] | None) -> list[str]:
    return [reply.text for reply in replies or []]


def test_read_score() -> None:
    assert [read_score(t) for t in ("1", " 2分 ", "三星", "四", "5。", "５分")] == [
        1,
        2,
        3,
        4,
        5,
        5,
    ]
    assert [read_score(t) for t in ("0", "6", "55", "5个人", "五分钟", "")] == [None] * 6
