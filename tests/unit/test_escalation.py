"""When the bot passes a case on by itself, and what opening the case tells worker and lawyers."""

from __future__ import annotations

import pytest

from desk.cases import triage
from desk.cases.escalation import (
    AfterReply,
    CaseInProgress,
    after_reply,
    automatic_reasons,
    begin,
    case_in_progress,
    open_case,
    unsure_streak,
)
from desk.cases.tickets import NORMAL, URGENT, current_for_chat
from desk.legal.consultation import Reply
from desk.storage.db import session_scope
from tests.cases import LAWYER_CHAT, OTHER, WORKER_CHAT, outbox, register

VALUES = {
    "h_story": "我们工地二十多个人三个月没发工资",
    "h_employer": "某某建筑公司",
    "h_city": "乌鲁木齐市天山区",
    "h_workers": "约20人",
    "h_amount": "约300000元",
    "h_phone": "13912345678",
}


@pytest.mark.parametrize(
    ("kinds", "streak"),
    [
        (["unsure"], 1),
        (["unsure", "unsure"], 2),
        (["unsure", "answer", "unsure"], 1),  # "in a row": an answer in between resets
        (["unsure", "prompt", "no_article"], 2),  # "ask me your question" is no answer at all
        (["calculation"], 0),
        (["unsure", "not_understood", "unsure"], 1),  # a message not read at all is no answer
    ],
)
def test_unsure_answers_are_counted_in_a_row(kinds: list[str], streak: int) -> None:
    count = 0
    for kind in kinds:
        count = unsure_streak(kind, count)
    assert count == streak


def test_automatic_reasons() -> None:
    assert automatic_reasons("加班费怎么算", 1, declined=False) == []
    assert automatic_reasons("加班费怎么算", 2, declined=False) == [triage.UNSURE_TWICE]
    assert automatic_reasons("老板跑了，工资没人发", 0, declined=False) == [triage.ABSCONDING]
    # Said no to a lawyer in this conversation: the bot stops offering by itself.
    assert automatic_reasons("老板跑了，工资没人发", 2, declined=True) == []


UNSURE = Reply("不太确定", "unsure", (("转人工律师", "/request_human"),))
SURE = Reply("答案", "answer", (("相关", "/choose_faq"), ("转人工律师", "/request_human")), "x")


def test_inside_another_form_a_reply_passes_nothing_on_and_keeps_the_streak() -> None:
    after = after_reply(UNSURE, "老板跑了，工资没人发", 1, declined=False, in_form=True)
    assert after == AfterReply([], None, UNSURE)


def test_the_second_unsure_reply_in_a_row_passes_the_case_on_without_its_buttons() -> None:
    assert after_reply(UNSURE, "那个呢", 0, declined=False, in_form=False) == AfterReply(
        [], 1, UNSURE
    )
    after = after_reply(UNSURE, "那个呢", 1, declined=False, in_form=False)
    assert after == AfterReply([triage.UNSURE_TWICE], 2, None)


def test_a_hard_case_is_answered_first_without_buttons_competing_with_the_intake() -> None:
    text = "老板跑了，加班费怎么算"
    after = after_reply(SURE, text, 0, declined=False, in_form=False)
    assert after.reasons == [triage.ABSCONDING]
    assert after.shown == Reply("答案", "answer", (), "x")
    # A button's payload is no message to read a hard case in.
    assert after_reply(SURE, "/ask_legal", 0, declined=False, in_form=False).reasons == []
    assert after_reply(SURE, text, 0, declined=True, in_form=False).reasons == []


def test_a_hard_case_the_desk_is_unsure_of_gets_the_closest_answer_not_a_question() -> None:
    guess = Reply("最接近的答案\n\n您可能还想问：", "answer", (("相关", "/choose_faq"),), "y")
    unsure = Reply("不太确定", "unsure", (("相关", "/choose_faq"),), best_guess=guess)
    after = after_reply(unsure, "我从架子上摔下来腿断了，工伤认定找谁", 0, False, in_form=False)
    assert after.reasons == [triage.INJURY]
    assert after.shown == Reply("最接近的答案", "answer", (), "y")
    # Unsure twice without a hard case: no guess, the lawyer takes it from there.
    after = after_reply(unsure, "那个呢", 1, declined=False, in_form=False)
    assert after.reasons == [triage.UNSURE_TWICE] and after.shown is None


def test_a_new_case_tells_the_worker_and_every_lawyer(database_url: str) -> None:
    register(database_url)
    register(database_url, OTHER, "李")
    with session_scope(database_url) as session:
        said = open_case(session, WORKER_CHAT, VALUES, [triage.COLLECTIVE], ["老板三个月没发工资"])
        ticket = current_for_chat(session, WORKER_CHAT)
        assert ticket is not None and ticket.priority == URGENT
        assert ticket.tags[0] == "集体" and "欠薪" in ticket.tags
        assert ticket.intake["联系电话"] == "13912345678"  # in full: given for the lawyer
    assert f"已为您登记案件 {ticket.number}（紧急）" in said and "排在队列最前面" in said
    for lawyer in (LAWYER_CHAT, f"tg:{OTHER}"):
        [notice] = outbox(database_url, lawyer)
        assert notice.text.startswith(f"新案件：{ticket.number} 紧急")
        assert "13912345678" not in notice.text
        assert notice.buttons == [
            {"title": f"接手 {ticket.number}", "payload": f"ticket:take:{ticket.number}"}
        ]


def test_adding_to_a_case_says_so_and_does_not_alert_lawyers_again(database_url: str) -> None:
    register(database_url)
    with session_scope(database_url) as session:
        open_case(session, WORKER_CHAT, VALUES, [triage.EXPLICIT], [])
    with session_scope(database_url) as session:
        said = open_case(
            session, WORKER_CHAT, {**VALUES, "h_story": "还扣了押金"}, [triage.INJURY], []
        )
        ticket = current_for_chat(session, WORKER_CHAT)
        assert ticket is not None and ticket.priority == URGENT  # raised by the new reason
    assert said.startswith(f"已把新情况补充进您的案件 {ticket.number}（等待律师接手）")
    assert len(outbox(database_url, LAWYER_CHAT)) == 1


def test_with_no_lawyer_the_wait_is_not_guessed(database_url: str) -> None:
    with session_scope(database_url) as session:
        said = open_case(session, WORKER_CHAT, VALUES, [triage.EXPLICIT], [])
        ticket = current_for_chat(session, WORKER_CHAT)
        assert ticket is not None and ticket.priority == NORMAL
    assert "说不准要等多久" in said and "12351" in said


# ── Starting the intake ──────────────────────────────────────────────────────────────────────


def test_a_new_case_starts_from_what_the_conversation_said() -> None:
    texts = ["你好", "老板跑了，欠我们5个人32000元工资"]
    beginning = begin([triage.ABSCONDING], None, {}, texts)
    assert beginning.text == triage.explain([triage.ABSCONDING])
    assert beginning.answers == {
        "h_story": texts[-1],
        "h_workers": "5",
        "h_amount": "32000元",
    }


def test_a_case_in_progress_lends_its_answers_but_not_its_story() -> None:
    case = CaseInProgress("AJ-2026-000007", "claimed", {"所在城市": "深圳", "情况经过": "旧的"})
    texts = ["我在东莞的厂里被拖欠工资", "又想起来，老板还扣了我押金两千"]
    beginning = begin([triage.EXPLICIT], case, {}, texts)
    assert "您已有案件 AJ-2026-000007（律师办理中）" in beginning.text
    assert beginning.answers["h_city"] == "深圳"  # the case's, not the older message's 东莞
    assert beginning.answers["h_story"] == texts[-1]


def test_the_other_forms_lend_checked_answers_and_consent_is_never_given() -> None:
    slots = {
        "m_phone": "13912345678",
        "m_location": "火星",
        "h_consent": True,
        "h_employer": "美团",
    }
    beginning = begin([triage.EXPLICIT], None, slots, [])
    assert beginning.answers == {"h_phone": "13912345678", "h_employer": "美团"}


def test_the_case_in_progress_is_read_from_the_database(database_url: str) -> None:
    with session_scope(database_url) as session:
        assert case_in_progress(session, WORKER_CHAT) is None
        open_case(session, WORKER_CHAT, VALUES, [triage.EXPLICIT], [])
    with session_scope(database_url) as session:
        case = case_in_progress(session, WORKER_CHAT)
    assert case is not None and (case.status, case.intake["所在城市"]) == ("open", VALUES["h_city"])
