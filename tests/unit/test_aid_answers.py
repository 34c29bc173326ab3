from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from desk.aid.answers import (
    Asked,
    Month,
    asked_for,
    month_key,
    months_since,
    parse_answer,
    questions_to_ask,
    read_answers,
    render_value,
)
from desk.aid.engine import Outcome, evaluate
from desk.aid.policies import (
    Choice,
    PolicyBook,
    Question,
    QuestionKind,
    get_policies,
    load_policies,
)
from desk.forms.answers import Invalid, Valid
from desk.settings import get_settings


def ask(kind: QuestionKind, **extra: object) -> Asked:
    question = Question("q", "？", kind, **extra)  # type: ignore[arg-type]
    return Asked("q", "？", question)


def value(asked: Asked, raw: str) -> object:
    result = parse_answer(asked, raw)
    assert isinstance(result, Valid), (raw, result)
    return result.value


def message(asked: Asked, raw: str) -> str:
    result = parse_answer(asked, raw)
    assert isinstance(result, Invalid), (raw, result)
    return result.message


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return get_policies()


# ── months ──


@pytest.mark.parametrize(
    ("today", "first", "last", "count"),
    [
        (date(2024, 11, 20), Month(2024, 8), Month(2024, 10), 3),
        (date(2024, 9, 1), Month(2024, 8), Month(2024, 8), 1),
        (date(2025, 1, 10), Month(2024, 8), Month(2024, 12), 5),
        (date(2025, 3, 31), Month(2024, 8), Month(2025, 2), 7),
        # August not yet over: "since August" is last year's
        (date(2024, 8, 20), Month(2023, 8), Month(2024, 7), 12),
    ],
)
def test_months_since_august(today: date, first: Month, last: Month, count: int) -> None:
    months = months_since(8, today)
    assert (months[0], months[-1], len(months)) == (first, last, count)
    assert all(a.following() == b for a, b in pairwise(months))


def test_since_january_on_the_first_of_january_is_last_year() -> None:
    assert months_since(1, date(2025, 1, 1)) == tuple(Month(2024, m) for m in range(1, 13))


def test_a_monthly_count_becomes_one_question_per_month(book: PolicyBook) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    asked = questions_to_ask(policy, date(2024, 11, 20))
    assert [item.key for item in asked] == [
        "occupation",
        "orders_2024_08",
        "orders_2024_09",
        "orders_2024_10",
        "household_income",
    ]
    assert asked[2].text == "9月份一共接了多少单？"
    assert asked[2].month == Month(2024, 9)
    assert month_key("orders", Month(2024, 9)) == "orders_2024_09"


def test_the_relief_asks_occupation_orders_and_income_but_not_membership(
    book: PolicyBook,
) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    kinds = {question.key: question.kind for question in policy.questions}
    assert kinds == {
        "occupation": QuestionKind.CHOICE,
        "orders": QuestionKind.MONTHLY_COUNT,
        "household_income": QuestionKind.MONEY,
    }
    occupation = policy.question("occupation")
    assert [c.value for c in occupation.choices] == ["外卖送餐员", "快递员", "网约配送员", "其他"]
    assert policy.question("orders").since == 8


# ── integer and monthly counts ──

ORDERS = asked_for(
    Question(
        "orders",
        "{month}月份一共接了多少单？",
        QuestionKind.MONTHLY_COUNT,
        since=8,
        unit="单",
        minimum=Decimal(0),
        maximum=Decimal(20000),
    ),
    date(2024, 11, 20),
)[1]  # 9月


@pytest.mark.parametrize(
    ("raw", "count"),
    [
        ("40", 40),
        ("40单", 40),
        ("四十", 40),
        ("四十九", 49),
        ("四十九单", 49),
        ("五十", 50),
        ("４９", 49),  # full-width
        ("大概45单左右", 45),
        ("接了30单", 30),
        ("一共一百零五单", 105),
        ("两百", 200),
        ("1千2", 1200),
        ("没有", 0),
        ("零", 0),
        ("0", 0),
        ("一单都没有", 0),
        ("一单也没接", 0),
        ("没接到单", 0),
        ("没单", 0),
    ],
)
def test_a_monthly_count_in_any_written_form(raw: str, count: int) -> None:
    assert value(ORDERS, raw) == count


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("40多单", "具体的数"),
        ("十几单", "具体的数"),
        ("三四十", "具体的数"),
        ("30到40", "具体的数"),
        ("不知道", "说个大概的数就行"),
        ("很少", "没看懂"),
        ("没有50单", "没看懂"),
        ("-5", "没看懂"),
        ("", "没看懂"),
    ],
)
def test_a_count_that_is_not_one_number_is_asked_again_for_that_month(raw: str, words: str) -> None:
    text = message(ORDERS, raw)
    assert text.startswith("9月份：") and words in text and "一单都没有就回复“0”" in text


def test_counts_are_bounded_and_whole() -> None:
    assert "最多20000单" in message(ORDERS, "30000")
    assert "整数" in message(ORDERS, "45.5")
    people = ask(QuestionKind.INTEGER, minimum=Decimal(1), maximum=Decimal(20), unit="人")
    assert value(people, "3口人") == 3
    assert value(people, "三个人") == 3
    assert "不能少于1人" in message(people, "0")


# ── money ──

MONEY = ask(QuestionKind.MONEY, minimum=Decimal(0))


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("3000", "3000"),
        ("3000元", "3000"),
        ("3000块", "3000"),
        ("三千块钱", "3000"),
        ("3千", "3000"),
        ("3千5", "3500"),
        ("两千五", "2500"),
        ("一万二", "12000"),
        ("1.2万", "12000"),
        ("3k", "3000"),
        ("3,000", "3000"),
        ("每个月3000左右", "3000"),
        ("2650.5元", "2650.5"),
        ("没有收入", "0"),
        ("零收入", "0"),
        ("一分钱都没有", "0"),
        ("0", "0"),
    ],
)
def test_money_in_any_written_form(raw: str, amount: str) -> None:
    parsed = value(MONEY, raw)
    assert parsed == Decimal(amount) and str(parsed) == amount


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("三千多", "具体的数"),
        ("两三千", "具体的数"),
        ("不清楚", "说个大概的数就行"),
        ("万", "没看懂"),
        ("1.005", "精确到“分”"),
        ("9亿亿亿亿", "太大了"),
        ("1" * 30, "太大了"),
    ],
)
def test_money_that_is_not_one_amount_is_asked_again(raw: str, words: str) -> None:
    assert words in message(MONEY, raw)


# ── yes / no, choice, text ──

YES_NO = ask(QuestionKind.YES_NO)


@pytest.mark.parametrize(
    ("raw", "answer"),
    [
        ("是", True),
        ("是的", True),
        ("有", True),
        ("参加了", True),
        ("嗯", True),
        ("Yes", True),
        ("否", False),
        ("不是", False),
        ("没有", False),
        ("没参加", False),
        ("no", False),
        ("True", True),
        ("False", False),
    ],
)
def test_yes_or_no(raw: str, answer: bool) -> None:
    assert value(YES_NO, raw) is answer


def test_unsure_is_told_staff_will_check() -> None:
    assert "工作人员核实时" in message(YES_NO, "不知道")
    assert "是”或“否" in message(YES_NO, "随便")


@pytest.fixture(scope="module")
def occupation(book: PolicyBook) -> Asked:
    policy = book.find("new-employment-relief")
    assert policy is not None
    return asked_for(policy.question("occupation"), date(2024, 11, 20))[0]


@pytest.mark.parametrize(
    ("raw", "choice"),
    [
        ("外卖送餐员", "外卖送餐员"),
        ("我是送外卖的", "外卖送餐员"),
        ("骑手", "外卖送餐员"),
        ("美团骑手", "外卖送餐员"),
        ("外卖配送员", "外卖送餐员"),  # not also 配送员
        ("送快递的", "快递员"),
        ("快遞員", "快递员"),  # 繁体
        ("跑腿", "网约配送员"),
        ("闪送", "网约配送员"),
        ("别的", "其他"),
    ],
)
def test_a_choice_from_its_colloquial_words(occupation: Asked, raw: str, choice: str) -> None:
    assert value(occupation, raw) == choice


def test_a_reply_naming_two_choices_or_none_is_asked_again(occupation: Asked) -> None:
    assert "请选一个最主要的" in message(occupation, "送外卖也送快递")
    assert message(occupation, "保安") == "请从这几项里选一个：外卖送餐员、快递员、网约配送员、其他"


def test_text_is_trimmed_and_bounded() -> None:
    text = ask(QuestionKind.TEXT, maximum=Decimal(10))
    assert value(text, "  家裏有老人要照顧。") == "家里有老人要照顾"
    assert "10个字以内" in message(text, "字" * 11)
    assert "简单说一下" in message(text, " 。")


def test_a_choice_question_without_synonyms_still_takes_its_values() -> None:
    plain = ask(QuestionKind.CHOICE, choices=(Choice("甲", ()), Choice("乙", ())))
    assert value(plain, "乙") == "乙"


# ── answers kept as text ──


def reply_to(question: Question) -> str:
    """A reply in a worker's own words, for each kind of question."""
    if question.kind is QuestionKind.CHOICE:
        first = question.choices[0]
        return first.synonyms[0] if first.synonyms else first.value
    return {
        QuestionKind.YES_NO: "是的",
        QuestionKind.INTEGER: "三",
        QuestionKind.MONTHLY_COUNT: "四十九单",
        QuestionKind.MONEY: "1.2万",
        QuestionKind.TEXT: "说明",
    }[question.kind]


def test_stored_text_parses_back_to_the_same_values(book: PolicyBook) -> None:
    today = date(2024, 11, 20)
    for policy in book.policies:
        first = {
            asked.key: value(asked, reply_to(asked.question))
            for asked in questions_to_ask(policy, today)
        }
        stored = {key: str(answer) for key, answer in first.items()}
        assert read_answers(policy, stored, today) == first


def test_read_answers_drops_what_no_longer_parses(book: PolicyBook) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    stored = {"occupation": "快递员", "household_income": "很多", "orders_2024_09": "12"}
    assert read_answers(policy, stored, date(2024, 11, 20)) == {
        "occupation": "快递员",
        "orders_2024_09": 12,
    }


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        (True, "是"),
        (False, "否"),
        (Decimal("3E+3"), "3000"),
        (Decimal("1200.333"), "1200.33"),
        (45, "45"),
        ("快递员", "快递员"),
    ],
)
def test_render_value(answer: object, shown: str) -> None:
    assert render_value(answer) == shown  # type: ignore[arg-type]


# ── adding a programme is adding a file ──

WINTER_WARMTH = """\
# 送温暖（测试用）：春节前慰问在档困难会员
id: winter-warmth
name: 两节送温暖
organiser: 区总工会
summary: 春节前慰问在档困难会员，每户500元。
keywords: [送温暖, 过年, 春节慰问]
valid_from: 2025-01-01
valid_until: 2025-02-28
limit: household
limit_period: year
review_working_days: 3
benefit: {amount: 500, text: 每户500元慰问金}
documents: [本人身份证]
questions:
  - key: on_record
    text: 您家在工会建了困难职工档案吗？
    kind: yes_no
  - key: children
    text: 家里有几个孩子在上学？
    kind: integer
    min: 0
    max: 10
    unit: 个
conditions:
  - id: member
    label: 工会会员
    kind: membership
    allowed: [member]
    pass: 您{status}
    fail: 送温暖面向会员；您{status}
  - id: on_record
    label: 在档困难职工
    kind: one_of
    question: on_record
    values: [true]
    pass: 已建档
    fail: 送温暖慰问在档困难职工，可以先申请困难职工建档
  - id: few_children_in_school
    label: 上学的孩子不超过3个
    kind: max
    question: children
    value: 3
    inclusive: true
    pass: 上学的孩子{answer}个
    fail: 上学的孩子{answer}个，请转人工申请专项助学
"""


def test_a_new_programme_is_one_more_file(tmp_path: Path, book: PolicyBook) -> None:
    for shipped in (get_settings().knowledge_dir / "policies").glob("*.yml"):
        (tmp_path / shipped.name).write_text(shipped.read_text("utf-8"), "utf-8")
    (tmp_path / "winter_warmth.yml").write_text(WINTER_WARMTH, "utf-8")

    extended = load_policies(tmp_path)
    assert len(extended.policies) == len(book.policies) + 1
    policy = extended.find("winter-warmth")
    assert policy is not None
    assert extended.suggest("快过年了，工会有没有送温暖")[0] is policy

    today = date(2025, 1, 15)
    replies = {"on_record": "是的", "children": "两个"}
    answers = {
        asked.key: value(asked, replies[asked.key]) for asked in questions_to_ask(policy, today)
    }
    verdict = evaluate(policy, answers, "member", today)
    assert verdict.outcome is Outcome.ELIGIBLE and verdict.amount == 500
    assert [check.reason for check in verdict.checks] == [
        "在受理期内（截止2025年2月28日）",
        "您已是工会会员",
        "已建档",
        "上学的孩子2个",
    ]
    late = evaluate(policy, answers, "member", date(2025, 3, 1))
    assert late.outcome is Outcome.INELIGIBLE
