"""How the desk answers a labour-law message, without Rasa: desk/legal/consultation.py."""

from __future__ import annotations

import json

import pytest

from desk.legal.consultation import (
    LAWYER_BUTTON,
    PreviousTopic,
    answer_before_intake,
    answer_entry,
    answer_message,
    ask_for_question,
    calculate,
    topic_button,
)
from desk.legal.library import Knowledge, get_knowledge


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return get_knowledge()


@pytest.mark.parametrize(
    ("message", "label", "quoted"),
    [
        ("劳动合同法第四十七条", "《劳动合同法》第四十七条", "经济补偿按劳动者在本单位工作的年限"),
        ("劳动法第44条是什么", "《劳动法》第四十四条", "百分之三百"),
        ("工伤保险条例 十四条", "《工伤保险条例》第十四条", "应当认定为工伤"),
    ],
)
def test_a_named_article_is_quoted_in_full(
    knowledge: Knowledge, message: str, label: str, quoted: str
) -> None:
    reply = answer_message(message, knowledge)
    assert reply.kind == "article"
    assert reply.text.startswith(label) and quoted in reply.text


def test_an_article_that_does_not_exist_is_not_invented(knowledge: Knowledge) -> None:
    reply = answer_message("劳动法第999条", knowledge)
    assert reply.kind == "no_article" and "没有第999条" in reply.text


def test_a_cited_answer_has_the_numbers_the_law_and_a_lawyer(knowledge: Knowledge) -> None:
    reply = answer_message("公司三个月没发工资了怎么办", knowledge)
    assert reply.kind == "answer" and reply.faq_id == "wage-arrears-steps"
    body, basis = reply.text.split("\n\n法律依据\n")
    assert "仲裁" in body
    assert "《劳动合同法》第三十条：“用人单位应当按照劳动合同约定" in basis
    assert reply.buttons[-1] == LAWYER_BUTTON


@pytest.mark.parametrize(
    ("message", "expected_id", "number"),
    [
        ("產假有幾天", "women-maternity-leave", "98天"),
        ("没签劳动合同能要双倍工资吗", "contract-no-written-double-pay", "二倍"),
        ("工伤认定申请有时间限制吗", "injury-apply-deadline", "30日"),
        ("试用期最长可以约定多久", "contract-probation-length", "6个月"),
    ],
)
def test_answers_carry_the_numbers_workers_need(
    knowledge: Knowledge, message: str, expected_id: str, number: str
) -> None:
    reply = answer_message(message, knowledge)
    assert reply.faq_id == expected_id
    assert number in reply.text.split("法律依据")[0]


def test_unsure_offers_the_closest_topics_and_a_lawyer(knowledge: Knowledge) -> None:
    reply = answer_message("加班费", knowledge)
    assert reply.kind == "unsure" and "不太确定" in reply.text
    titles = [title for title, _ in reply.buttons]
    assert 2 <= len(titles) <= 4 and titles[-1] == "转人工律师"
    assert all("《" not in reply.text for _ in titles)  # no article is cited when unsure


def test_nonsense_offers_a_lawyer_and_nothing_invented(knowledge: Knowledge) -> None:
    reply = answer_message("今天吃什么好呢啊", knowledge)
    assert reply.kind == "unsure" and reply.buttons == (LAWYER_BUTTON,)
    assert "《" not in reply.text


def test_a_short_follow_up_reads_the_previous_question(knowledge: Knowledge) -> None:
    alone = answer_message("那试用期呢", knowledge)
    assert alone.kind == "unsure"
    previous = PreviousTopic("end-severance-formula", "被辞退有经济补偿吗")
    followed = answer_message("那试用期呢", knowledge, previous)
    assert followed.kind == "answer" and followed.faq_id == "end-probation-dismissal"


def test_severance_calculator_with_the_half_year_rule(knowledge: Knowledge) -> None:
    reply = answer_message("我干了3年8个月，月工资6000，被公司辞退了，补偿多少", knowledge)
    assert reply.kind == "calculation"
    assert "4 × 6000元 = 24000元" in reply.text and "三倍" in reply.text
    assert "《劳动合同法》第四十七条" in reply.text


def test_overtime_calculator_uses_the_rest_day_rate(knowledge: Knowledge) -> None:
    reply = answer_message("月薪5000，周末加班16小时，加班费多少", knowledge)
    assert reply.kind == "calculation"
    assert "200%" in reply.text and "919.54元" in reply.text
    assert "《劳动法》第四十四条" in reply.text


def test_annual_leave_calculator(knowledge: Knowledge) -> None:
    reply = answer_message("工作了12年，年假有几天", knowledge)
    assert reply.kind == "calculation" and "年休假10天" in reply.text
    assert "《职工带薪年休假条例》第三条" in reply.text


def test_numbers_that_describe_a_case_do_not_turn_a_question_into_a_sum(
    knowledge: Knowledge,
) -> None:
    # Service and sick leave are circumstances here: whether leave remains is the question.
    reply = answer_message("干了四年，休了三个月病假，今年年假还有吗", knowledge)
    assert reply.kind == "answer" and reply.faq_id == "leave-annual-excluded"
    # 一年 is the period of the rule, not the worker's service: no sum from it.
    assert calculate("年休假一年能有多少天") is None


def test_a_career_in_total_counts_once_for_annual_leave(knowledge: Knowledge) -> None:
    reply = answer_message("出来打工二十年了，这个厂才干了三年，年假几天", knowledge)
    assert reply.kind == "calculation" and "年休假15天" in reply.text


def test_a_question_asked_with_a_request_for_a_lawyer_is_answered_before_the_intake(
    knowledge: Knowledge,
) -> None:
    answer = answer_before_intake("打官司请律师的钱该谁出", knowledge)
    assert answer is not None and answer.faq_id == "dispute-lawyer-fee"
    assert answer.buttons == ()  # the intake follows at once
    # Asking for a person is not a question the FAQ answers: the intake alone.
    assert answer_before_intake("工会律师能帮我吗", knowledge) is None
    assert answer_before_intake("转人工律师", knowledge) is None


def test_topic_buttons_carry_the_entry_id_as_a_rasa_entity(knowledge: Knowledge) -> None:
    entry = knowledge.entry("wage-arrears-steps")
    assert entry is not None
    title, payload = topic_button(entry)
    assert title == entry.title
    assert payload.startswith("/choose_faq")
    assert json.loads(payload.removeprefix("/choose_faq")) == {"faq_id": "wage-arrears-steps"}
    assert answer_entry(entry, knowledge).faq_id == entry.id


def test_the_menu_button_asks_for_the_question() -> None:
    reply = ask_for_question()
    assert reply.kind == "prompt" and "劳动合同法第四十七条" in reply.text


def test_every_held_out_miss_offers_the_right_topic_or_a_lawyer(knowledge: Knowledge) -> None:
    from scripts.eval_faq import DEFAULT_HELDOUT, load_items

    for item in load_items(DEFAULT_HELDOUT):
        reply = answer_message(item.question, knowledge)
        if reply.faq_id in item.acceptable:
            continue
        offered = {payload for _, payload in reply.buttons}
        right_topic = any(
            f'"{entry_id}"' in payload for entry_id in item.acceptable for payload in offered
        )
        assert right_topic or LAWYER_BUTTON[1] in offered, item.question
        assert reply.kind != "answer" or LAWYER_BUTTON in reply.buttons


def test_a_question_about_joining_is_answered_then_offers_to_apply(knowledge: Knowledge) -> None:
    reply = answer_message("送外卖的能入会吗", knowledge)
    assert reply.faq_id == "gig-join-union" and "《工会法》第三条" in reply.text
    assert reply.buttons[0] == ("现在申请入会", "/apply_membership")
