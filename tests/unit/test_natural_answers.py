"""The ways people really answer a form's questions, read by the core: 没有, 一分没有, 家里没收入了,
就我一个, 一家五口, 不清楚, numbers in words; and which messages answer the question asked
rather than interrupt it (desk.forms.interruptions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desk.aid.answers import Asked, parse_answer
from desk.aid.application import heard_in_aid
from desk.aid.policies import Question, QuestionKind, get_policies
from desk.cases import intake
from desk.common.quantities import says_none
from desk.common.text import folded_answer
from desk.forms.answers import Invalid, Valid, read_consent
from desk.forms.interruptions import Heard, heard
from desk.membership import joining

TODAY = date(2026, 12, 3)


def ask(kind: QuestionKind, unit: str = "") -> Asked:
    return Asked("q", "？", Question("q", "？", kind, unit=unit))  # type: ignore[call-arg]


MONEY, PEOPLE, COUNT = (
    ask(QuestionKind.MONEY),
    ask(QuestionKind.INTEGER, "人"),
    ask(QuestionKind.INTEGER),
)


@pytest.mark.parametrize(
    "said",
    [
        "没有",
        "零",
        "0",
        "一分没有",
        "家里没收入了",
        "全家都没有收入",
        "现在一分钱收入都没有",
        "啥收入都没有",
        "目前没有收入",
        "家里现在没有任何收入",
        "一分钱也没挣到",
        "全家零收入",
    ],
)
def test_no_income_in_its_many_words_is_zero(said: str) -> None:
    assert parse_answer(MONEY, said) == Valid(Decimal(0))


@pytest.mark.parametrize(
    ("said", "amount"),
    [
        ("三千五", 3500),
        ("3千5左右吧", 3500),
        ("大概三千", 3000),
        ("差不多两千五", 2500),
        ("一千五百块", 1500),
        ("每月2000", 2000),
        ("家里就靠低保，一个月八百", 800),
        ("1.2万", 12000),
    ],
)
def test_an_income_in_words_or_with_words_around_it(said: str, amount: int) -> None:
    assert parse_answer(MONEY, said) == Valid(Decimal(amount))


@pytest.mark.parametrize("said", ["没啥收入", "没多少", "很少"])
def test_a_little_is_not_none(said: str) -> None:
    assert not says_none(folded_answer(said))
    assert isinstance(parse_answer(MONEY, said), Invalid)


@pytest.mark.parametrize("said", ["不清楚", "不知道", "记不清了"])
def test_not_knowing_the_figure_is_answered_kindly(said: str) -> None:
    result = parse_answer(MONEY, said)
    assert isinstance(result, Invalid) and "说个大概的数就行" in result.message


@pytest.mark.parametrize(
    ("said", "people"),
    [
        ("就我一个", 1),
        ("只有我自己", 1),
        ("两个人", 2),
        ("三口人", 3),
        ("四口之家", 4),
        ("一家五口", 5),
        ("我们家四口", 4),
        ("就我和老婆两个", 2),
        ("大概四口", 4),
        ("3", 3),
    ],
)
def test_how_many_live_in_the_household(said: str, people: int) -> None:
    assert parse_answer(PEOPLE, said) == Valid(people)


@pytest.mark.parametrize(
    ("said", "orders"),
    [("一单没接", 0), ("没跑", 0), ("四十九", 49), ("没怎么跑，就10单", 10), ("35单左右", 35)],
)
def test_a_months_orders(said: str, orders: int) -> None:
    assert parse_answer(COUNT, said) == Valid(orders)


def test_two_different_numbers_are_asked_about() -> None:
    result = parse_answer(MONEY, "一千，两千")
    assert isinstance(result, Invalid) and "只回复一个" in result.message


@pytest.mark.parametrize(
    ("said", "consent"),
    [
        ("可以的", True),
        ("没问题", True),
        ("行吧", True),
        ("好呀", True),
        ("嗯嗯", True),
        ("不同意", False),
        ("不行", False),
        ("不想", False),
        ("再说吧我想想", None),
    ],
)
def test_consent_in_words(said: str, consent: bool | None) -> None:
    assert read_consent(said) is consent


@pytest.mark.parametrize("said", ["不清楚", "不知道", "我也不清楚"])
def test_the_other_union_question_takes_not_knowing_as_no(said: str) -> None:
    assert joining.SPEC.answer("m_other_member", said) == Valid("False")


@pytest.mark.parametrize(
    ("slot", "said", "kept"),
    [
        ("h_workers", "就我一个", "1"),
        ("h_workers", "两个人", "2"),
        ("h_amount", "没有", intake.NOT_INVOLVED),
        ("h_amount", "三千五", "3500元"),
        ("h_amount", "不清楚", intake.UNKNOWN),
        ("h_employer", "不知道", intake.UNKNOWN),
        ("h_phone", "不方便", intake.NOT_GIVEN),
    ],
)
def test_the_intake_takes_natural_answers(slot: str, said: str, kept: str) -> None:
    assert intake.SPEC.answer(slot, said) == Valid(kept)


# ── answer or interruption ──


@pytest.mark.parametrize(
    ("intent", "said", "accepted", "free_text"),
    [
        ("ask_legal", "家里没收入了", True, False),  # the question takes it: it is the answer
        ("request_human", "就我一个", True, False),
        ("cancel", "没有", True, False),  # 没有 is no cancel
        ("cancel", "算了", True, False),  # 算了 skips the phone where the question allows it
        ("ask_legal", "不清楚", False, False),  # an answer the question explains, not a question
        ("ask_legal", "没多少", False, False),
        ("ask_legal", "送外卖的", True, True),  # an occupation, though it sounds like a topic
        ("inform", "加班费怎么算", True, True),  # the classifier heard an answer
    ],
)
def test_answers_to_the_question_asked(
    intent: str, said: str, accepted: bool, free_text: bool
) -> None:
    assert heard(intent, said, accepted=accepted, free_text=free_text) is Heard.ANSWER


@pytest.mark.parametrize(
    ("intent", "said", "accepted", "free_text"),
    [
        ("cancel", "取消", False, False),
        ("cancel", "不办了", True, False),  # 不 reads as no, but these are words of stopping
        ("cancel", "算了", True, True),  # a name question takes any two characters
        ("ask_legal", "加班费怎么算？", True, True),
        ("ask_legal", "老板拖欠工资", True, True),
        ("ask_legal", "试用期工资最低多少", False, False),
        ("request_human", "转人工", True, True),
        ("ask_legal", "工伤认定要什么材料", False, False),
    ],
)
def test_interruptions(intent: str, said: str, accepted: bool, free_text: bool) -> None:
    assert heard(intent, said, accepted=accepted, free_text=free_text) is Heard.INTERRUPTION


def test_the_intake_takes_a_story_that_reads_like_a_legal_question() -> None:
    story = "老板拖欠我们三个月工资怎么办"
    checked = intake.SPEC.check("h_story", story)
    assert intake.SPEC.heard("h_story", story, checked, "ask_legal") is Heard.ANSWER
    assert intake.SPEC.heard("h_story", "取消", checked, "cancel") is Heard.INTERRUPTION


def test_the_aid_form_takes_no_income_whatever_the_classifier_said() -> None:
    relief = get_policies().find("new-employment-relief")
    assert relief is not None
    stored = {"household_head": "x", "occupation": "外卖骑手"} | {
        f"orders_2026_{m:02d}": "10" for m in range(8, 12)
    }
    for said in ("家里没收入了", "全家都没有收入"):
        checked = Valid("0")
        assert heard_in_aid("a_answer", said, checked, "ask_legal", relief, stored, TODAY) is (
            Heard.ANSWER
        )
    question = "那加班费怎么算？"
    rejected = Invalid("没看懂")
    assert heard_in_aid("a_answer", question, rejected, "ask_legal", relief, stored, TODAY) is (
        Heard.INTERRUPTION
    )


@pytest.mark.parametrize(
    "said", ["我是户主", "我就是户主", "户主是我", "本人", "是我自己", "我自己"]
)
def test_the_applicant_who_heads_the_household_says_so(said: str) -> None:
    from desk.aid.application import HOUSEHOLD_KEY, HOUSEHOLD_QUESTION, check_aid_answer

    asked = Asked(HOUSEHOLD_KEY, HOUSEHOLD_QUESTION.text, HOUSEHOLD_QUESTION)
    own = "650102198805171236"
    assert check_aid_answer(asked, said, TODAY, own) == Valid(own)
    assert isinstance(check_aid_answer(asked, said, TODAY), Invalid)  # own ID not given yet


@pytest.mark.parametrize(
    ("slot", "said", "hint"),
    [
        ("m_employer", "不知道", "平时大家怎么叫它"),
        ("m_employer", "不清楚叫啥", "平时大家怎么叫它"),
        ("m_occupation", "不知道", "平时每天干的活"),
        ("m_name", "不知道", "您的姓名"),
    ],
)
def test_not_knowing_is_never_kept_as_a_name(slot: str, said: str, hint: str) -> None:
    result = joining.SPEC.answer(slot, said)
    assert isinstance(result, Invalid) and hint in result.message


@pytest.mark.parametrize(
    ("said", "yes"), [("在享受低保", True), ("建了档", True), ("没有享受", False)]
)
def test_a_yes_in_the_words_of_the_question(said: str, yes: bool) -> None:
    assert parse_answer(ask(QuestionKind.YES_NO), said) == Valid(yes)
