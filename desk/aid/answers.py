"""The questions a policy asks today, and what a worker's reply to one of them is worth.

Like desk.membership.answers, a parser never raises on what a worker types: it returns
Valid(value) or Invalid(one short sentence saying what to send instead). str(value) parses
back to the same value, so a form may keep answers as text between turns (read_answers turns
them back).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from desk.aid.policies import AnswerValue, Policy, Question, QuestionKind
from desk.common.quantities import NUMERAL, is_not_one_number, read_number, says_alone, says_none
from desk.common.text import EDGE_PUNCTUATION, fold, fold_keeping_case, folded_answer
from desk.forms.answers import Invalid, Valid, read_yes_no

# ── months ────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.month}月"

    def following(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)


def months_since(since: int, today: date) -> tuple[Month, ...]:
    """Every complete month from `since` to the month before today's.

    `since` falls in the current year once that month has ended, else in the previous one: on
    2025-01-10, "since 08" is 2024年8月 to 12月; on 2024-08-20 it is 2023年8月 to 2024年7月.
    """
    this_month = Month(today.year, today.month)
    month = Month(today.year if since < today.month else today.year - 1, since)
    months = []
    while month < this_month:
        months.append(month)
        month = month.following()
    return tuple(months)


def month_key(key: str, month: Month) -> str:
    """Where the count of one month is kept: orders_2024_08."""
    return f"{key}_{month.year}_{month.month:02d}"


@dataclass(frozen=True)
class Asked:
    """One question as the worker sees it; a monthly_count question becomes one per month."""

    key: str  # where the answer is kept
    text: str
    question: Question
    month: Month | None = None


def asked_for(question: Question, today: date) -> tuple[Asked, ...]:
    if question.kind is not QuestionKind.MONTHLY_COUNT or question.since is None:
        return (Asked(question.key, question.text, question),)
    return tuple(
        Asked(
            month_key(question.key, month),
            question.text.format(month=month.month, year=month.year),
            question,
            month,
        )
        for month in months_since(question.since, today)
    )


def questions_to_ask(policy: Policy, today: date) -> tuple[Asked, ...]:
    return tuple(asked for question in policy.questions for asked in asked_for(question, today))


def read_answers(policy: Policy, stored: Mapping[str, str], today: date) -> dict[str, AnswerValue]:
    """Answers kept as text, parsed again; one that no longer parses counts as not given."""
    answers: dict[str, AnswerValue] = {}
    for asked in questions_to_ask(policy, today):
        if asked.key in stored:
            result = parse_answer(asked, stored[asked.key])
            if isinstance(result, Valid):
                answers[asked.key] = result.value
    return answers


# ── parsing one answer ────────────────────────────────────────────────────────────────────────

TEXT_MAX_CHARS = 200


def parse_answer(asked: Asked, raw: str) -> Valid[AnswerValue] | Invalid:
    kind = asked.question.kind
    if kind is QuestionKind.CHOICE:
        return _choice(asked.question, raw)
    if kind is QuestionKind.YES_NO:
        return _yes_no(raw)
    if kind in (QuestionKind.INTEGER, QuestionKind.MONTHLY_COUNT):
        return _integer(asked, raw)
    if kind is QuestionKind.MONEY:
        return _money(asked.question, raw)
    return _text(asked.question, raw)


# ── choice ──


def _choice(question: Question, raw: str) -> Valid[AnswerValue] | Invalid:
    text = folded_answer(raw)
    offered = "、".join(choice.value for choice in question.choices)
    words = {
        choice.value: [fold(phrase) for phrase in choice.phrases] for choice in question.choices
    }
    exact = [value for value, phrases in words.items() if text in phrases]
    if exact:
        return Valid(exact[0])
    # The longest word found speaks for its choice; a shorter word inside it does not count
    # (同城配送 is not also 配送 of another choice).
    found = {
        value: max(hits, key=len)
        for value, phrases in words.items()
        if (hits := [phrase for phrase in phrases if phrase in text])
    }
    kept = [
        value
        for value, word in found.items()
        if not any(word in other and word != other for other in found.values())
    ]
    if len(kept) == 1:
        return Valid(kept[0])
    if kept:
        return Invalid(f"您提到了{'和'.join(kept)}，请选一个最主要的：{offered}")
    return Invalid(f"请从这几项里选一个：{offered}")


# ── yes / no ──


def _yes_no(raw: str) -> Valid[AnswerValue] | Invalid:
    # 在享受低保, 建了档, 领着呢: a yes in the words of the question.
    answer = read_yes_no(folded_answer(raw), also_yes="参加|交了|享受|建了|建档|办了|领着|在领")
    if answer == "unsure":
        return Invalid("不确定也没关系，请按您知道的情况回答“是”或“否”，工作人员核实时会再确认")
    if isinstance(answer, bool):
        return Valid(answer)
    return Invalid("请回答“是”或“否”")


# ── numbers ──

# Words around a number that do not change it: 大概四十单, 一个月三千块左右, 接了45单.
_WORDS_BEFORE = re.compile(
    r"^(?:大概|大约|约|差不多|估计|一共|总共|共|只有|只|才|就|也就|接了|跑了|送了|挣了|有|是"
    r"|每个?月|一个月|月收入|收入|全家|家里|家庭|现在|目前|我们家|我家|一家|加起来|算下来|平均)+"
)
_WORDS_AFTER = re.compile(r"(?:左右|上下|吧|啊|呀|呢|了|的样子)+$")
_COUNT_UNITS = re.compile(r"(?:单|个|次|件|份|趟|人|口)+$")
_MONEY_UNITS = re.compile(r"(?:元|块|钱|人民币|rmb)+$")
_TOO_LARGE = Decimal(10) ** 15


_UNSURE = re.compile(r"不知道|不清楚|不记得|记不清|忘了|说不清|不确定|不晓得|没数|没算过")
# Clause breaks; a comma between digits is a thousands separator (3,000).
_CLAUSE = re.compile(r"(?:(?<!\d)[,，]|[,，](?!\d)|[。；;、])+|(?<=[了呢吧])(?=[^了呢吧])")


def _number(raw: str, units: re.Pattern[str], example: str) -> Valid[Decimal] | Invalid:
    """One number, also inside a short sentence: 家里就靠低保，一个月八百 → 800; 没怎么跑，
    就10单 → 10; a clause that says none (一分没有) is 0 when no other clause has a number."""
    folded = folded_answer(raw)
    if _UNSURE.search(folded):
        return Invalid(f"记不准也没关系，说个大概的数就行，比如“{example}”，工作人员核实时会再确认")
    clauses = [clause for clause in _CLAUSE.split(folded) if clause] or [folded]
    readings = [_one_number(clause, units) for clause in clauses]
    numbers = {value for value in readings if isinstance(value, Decimal)}
    if len(numbers) > 1:
        return Invalid(f"您说了好几个数，请只回复一个，比如“{example}”")
    if numbers:
        value = numbers.pop()
    elif "none" in readings:
        value = Decimal(0)
    elif "range" in readings:  # 40多, 三四十: the worker is asked for one number
        return Invalid(f"请说一个具体的数，估个整数也行，比如“{example}”")
    else:
        return Invalid(f"没看懂这个数，请直接回复数字，比如“{example}”")
    if value >= _TOO_LARGE:  # 9亿亿亿: refused before any rounding could overflow
        return Invalid(f"这个数太大了，请核对一下，比如“{example}”")
    return Valid(value)


def _one_number(clause: str, units: re.Pattern[str]) -> Decimal | str | None:
    """A clause's number, "none" when it says there is none, "range" for 40多, else None."""
    text = _WORDS_BEFORE.sub("", clause)
    text = _WORDS_AFTER.sub("", units.sub("", _WORDS_AFTER.sub("", text)))
    if says_none(text) or says_none(clause):
        return "none"
    if is_not_one_number(text):
        return "range"
    return read_number(text)


def _bounded(value: Decimal, question: Question, unit: str) -> Valid[AnswerValue] | Invalid | None:
    if question.minimum is not None and value < question.minimum:
        return Invalid(f"不能少于{_plain(question.minimum)}{unit}，请核对一下")
    if question.maximum is not None and value > question.maximum:
        return Invalid(
            f"{_plain(value)}{unit}好像太多了，请核对一下（最多{_plain(question.maximum)}{unit}）"
        )
    return None


# How many live in the household: 就我一个, 我和老婆两个, 一家五口, 四口之家.
_FAMILY_OF = re.compile(rf"(?:一家|全家)?(?P<n>{NUMERAL})口(?:人|之家)?")
_COUNTED = re.compile(rf"(?P<n>{NUMERAL})(?:个人?|位)(?:人)?$")


def _people(raw: str) -> Valid[Decimal] | None:
    folded = folded_answer(raw)
    if says_alone(folded) or re.fullmatch(r"(?:就|只有)?我(?:自己)?一个人?(?:住)?", folded):
        return Valid(Decimal(1))
    family = _FAMILY_OF.search(folded) or _COUNTED.search(folded)
    value = read_number(family.group("n")) if family else None
    return Valid(value) if value is not None else None


def _integer(asked: Asked, raw: str) -> Valid[AnswerValue] | Invalid:
    question, unit = asked.question, asked.question.unit
    example = "45" if asked.month else "3"
    people = _people(raw) if unit == "人" else None
    result = people or _number(raw, _COUNT_UNITS, example)
    if isinstance(result, Invalid):
        if asked.month is None:
            return result
        nothing = f"；一{unit}都没有就回复“0”" if unit else "；没有就回复“0”"
        return Invalid(f"{asked.month.label}份：{result.message}{nothing}")
    if result.value != result.value.to_integral_value():
        return Invalid(f"请回复整数，比如“{example}”")
    return _bounded(result.value, question, unit) or Valid(int(result.value))


def _money(question: Question, raw: str) -> Valid[AnswerValue] | Invalid:
    result = _number(raw, _MONEY_UNITS, "3000")
    if isinstance(result, Invalid):
        return Invalid(f"{result.message}；没有就回复“0”")
    value = result.value
    if value != value.quantize(Decimal("0.01")):
        return Invalid("金额精确到“分”就够了，请重新输入，比如“3000”或“2650.5”")
    # 12000.0 from 1.2万 is kept as 12000: the stored text then reads as the worker meant it.
    value = Decimal(int(value)) if value == value.to_integral_value() else value.normalize()
    return _bounded(value, question, question.unit or "元") or Valid(value)


def render_value(value: AnswerValue) -> str:
    """An answer as a reason quotes it: 是/否, 3000 (not 3000.00 or 3E+3), 1333.33."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return _plain(value)
    return str(value)


def _plain(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{rounded.normalize():f}"


# ── text ──


def _text(question: Question, raw: str) -> Valid[AnswerValue] | Invalid:
    text = fold_keeping_case(raw).strip(EDGE_PUNCTUATION)
    shortest = int(question.minimum) if question.minimum is not None else 1
    longest = int(question.maximum) if question.maximum is not None else TEXT_MAX_CHARS
    if len(text) < shortest:
        return Invalid("请简单说一下情况，几个字就行")
    if len(text) > longest:
        return Invalid(f"请简短一些，{longest}个字以内就好，您输入了{len(text)}个字")
    return Valid(text)
