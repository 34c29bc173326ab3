"""Aid policies: the model, and the loader that checks a policy file and lists every problem.

One file per programme under knowledge/policies/ (the schema is in its README.md). A union adds a
programme by adding a file; the engine judges any policy the loader accepts.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from desk.common.text import fold
from desk.settings import get_settings

# A parsed answer: a choice or text is str, yes_no is bool, integer and monthly counts are int,
# money is Decimal.
AnswerValue = str | bool | int | Decimal


class QuestionKind(StrEnum):
    CHOICE = "choice"
    YES_NO = "yes_no"
    INTEGER = "integer"
    MONEY = "money"
    TEXT = "text"
    MONTHLY_COUNT = "monthly_count"  # asked once per complete month since `since`


class MembershipStatus(StrEnum):
    MEMBER = "member"
    PENDING = "pending"  # the joining application is submitted and not yet decided
    NONE = "none"


# How {status} reads in a reason, after 您: 您已是工会会员，可以申请.
MEMBERSHIP_LABELS: Mapping[MembershipStatus, str] = {
    MembershipStatus.MEMBER: "已是工会会员",
    MembershipStatus.PENDING: "已申请入会、正在审核",
    # Only this chat's joining records count (someone may type another person's ID number), so
    # "none" says what the desk can know, not that the person is no member.
    MembershipStatus.NONE: "在这里还没有入会记录",
}


class LimitScope(StrEnum):
    PERSON = "person"
    HOUSEHOLD = "household"


class LimitPeriod(StrEnum):
    ONCE = "once"
    YEAR = "year"  # once per calendar year (金秋助学 and 送温暖 come round every year)


@dataclass(frozen=True)
class Choice:
    value: str
    synonyms: tuple[str, ...]  # 口语 words that mean this choice: 骑手 → 外卖送餐员

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.value, *self.synonyms)


@dataclass(frozen=True)
class Question:
    key: str
    text: str  # for monthly_count a template with {month} (and optionally {year})
    kind: QuestionKind
    choices: tuple[Choice, ...] = ()
    since: int | None = None  # monthly_count: the first month, 1–12
    minimum: Decimal | None = None  # numbers: the smallest value; text: the fewest characters
    maximum: Decimal | None = None
    unit: str = ""  # 单, 人: said back in messages and reasons


@dataclass(frozen=True)
class Reasons:
    """What the worker is told about one condition; placeholders are filled with their answers."""

    passed: str
    failed: str
    unknown: str | None  # when an answer is missing; the engine has a kind default


@dataclass(frozen=True)
class OneOf:
    id: str
    label: str
    question: str
    values: frozenset[str | bool]
    reasons: Reasons


@dataclass(frozen=True)
class Bound:
    """kind max: value ≤ limit (or < when not inclusive); kind min: value ≥ limit (or >)."""

    id: str
    label: str
    question: str
    upper: bool  # True for kind max
    limit: Decimal
    inclusive: bool
    per: str | None  # divide the answer by this one first: household income per person
    reasons: Reasons


@dataclass(frozen=True)
class ConsecutiveBelow:
    """At least `min_run` consecutive months with a count strictly below `threshold`."""

    id: str
    label: str
    question: str
    threshold: int
    min_run: int
    reasons: Reasons


@dataclass(frozen=True)
class Membership:
    id: str
    label: str
    allowed: frozenset[MembershipStatus]
    reasons: Reasons


@dataclass(frozen=True)
class Manual:
    """Always left to staff (documents to see, amounts to check); the reason says why."""

    id: str
    label: str
    questions: tuple[str, ...]  # answers the reason may quote as {key}
    reason: str


Condition = OneOf | Bound | ConsecutiveBelow | Membership | Manual


@dataclass(frozen=True)
class Benefit:
    text: str  # as the programme states it: 每户一次性600元
    amount: Decimal | None  # None where staff set the amount (medical costs)
    by: str | None = None  # a choice question whose answer picks the amount
    amounts: Mapping[str, Decimal] = field(default_factory=dict)

    def amount_for(self, answers: Mapping[str, AnswerValue]) -> Decimal | None:
        if self.by is None:
            return self.amount
        chosen = answers.get(self.by)
        return self.amounts.get(chosen, self.amount) if isinstance(chosen, str) else self.amount


@dataclass(frozen=True)
class Limit:
    scope: LimitScope
    period: LimitPeriod


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    organiser: str
    summary: str
    keywords: tuple[str, ...]
    valid_from: date | None
    valid_until: date | None
    limit: Limit
    review_working_days: int
    benefit: Benefit
    documents: tuple[str, ...]
    questions: tuple[Question, ...]
    conditions: tuple[Condition, ...]

    def question(self, key: str) -> Question:
        found = next((question for question in self.questions if question.key == key), None)
        if found is None:
            raise KeyError(f"{self.id} has no question {key!r}")
        return found


@dataclass(frozen=True)
class PolicyBook:
    policies: tuple[Policy, ...]

    def find(self, policy_id: str) -> Policy | None:
        return next((policy for policy in self.policies if policy.id == policy_id), None)

    def suggest(self, text: str) -> tuple[Policy, ...]:
        """The programmes a worker's free text points to, most keyword hits first."""
        folded = fold(text)
        hits = [(sum(fold(word) in folded for word in p.keywords), p) for p in self.policies]
        ranked = sorted((item for item in hits if item[0]), key=lambda item: -item[0])
        return tuple(policy for _, policy in ranked)


class PolicyError(ValueError):
    def __init__(self, path: Path, problems: list[str]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in {path}:\n{listing}")


# The questions a condition may name: None for one written in the file but refused.
_Known = Mapping[str, Question | None]

# ── loading ───────────────────────────────────────────────────────────────────────────────────

_POLICY_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEY = re.compile(r"[a-z][a-z0-9_]*")
# A policy file's keys are the model's fields; the limit's period sits next to `limit`.
_POLICY_KEYS = (*(part.name for part in fields(Policy)), "limit_period")
_NUMERIC = frozenset({QuestionKind.INTEGER, QuestionKind.MONEY, QuestionKind.MONTHLY_COUNT})
_REASON_KEYS = ("pass", "fail", "unknown")
# Per condition kind: its own keys, and the placeholders its reasons may use.
_CONDITION_KEYS: Mapping[str, tuple[str, ...]] = {
    "one_of": ("question", "values", *_REASON_KEYS),
    "max": ("question", "value", "inclusive", "per", *_REASON_KEYS),
    "min": ("question", "value", "inclusive", "per", *_REASON_KEYS),
    "consecutive_below": ("question", "threshold", "min_run", *_REASON_KEYS),
    "membership": ("allowed", *_REASON_KEYS),
    "manual": ("reason", "questions"),
}
PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "one_of": frozenset({"answer"}),
    "max": frozenset({"answer", "value", "per", "bound"}),
    "min": frozenset({"answer", "value", "per", "bound"}),
    "consecutive_below": frozenset({"months", "run", "run_months", "threshold", "min_run"}),
    "membership": frozenset({"status"}),
}


class _Reader:
    """Typed reads from one mapping of a policy file; each problem is noted, never raised."""

    def __init__(self, raw: Mapping[str, Any], where: str, problems: list[str]) -> None:
        self.raw, self.where, self.problems = raw, where, problems

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def only(self, keys: Iterable[str]) -> None:
        unknown = sorted(set(self.raw) - set(keys))
        if unknown:
            self.problem(f"unknown keys {unknown}")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.raw.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(f"'{key}' must be a non-empty string")
            return None
        return value.strip()

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or not value or not all(_filled(item) for item in value):
            self.problem(f"'{key}' must be a list of non-empty strings")
            return ()
        return tuple(item.strip() for item in value)

    def number(self, key: str, *, required: bool = True) -> Decimal | None:
        value = self.raw.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(f"'{key}' must be a number")
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.problem(f"'{key}' must be a number, not {value!r}")
            return None

    def count(self, key: str, *, smallest: int = 1) -> int | None:
        value = self.number(key)
        if value is None:
            return None
        if value != value.to_integral_value() or value < smallest:
            self.problem(f"'{key}' must be a whole number of at least {smallest}")
            return None
        return int(value)

    def flag(self, key: str) -> bool | None:
        value = self.raw.get(key)
        if not isinstance(value, bool):
            self.problem(f"'{key}' must be true or false (say whether the bound itself passes)")
            return None
        return value

    def day(self, key: str) -> date | None:
        value = self.raw.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(f"'{key}' must be a date like 2024-10-15, not {value!r}")
            return None

    def member(self, key: str, kinds: type[StrEnum], default: str | None = None) -> Any:
        value = self.raw.get(key, default)
        try:
            return kinds(value)
        except ValueError:
            self.problem(f"'{key}' must be one of {[kind.value for kind in kinds]}, not {value!r}")
            return None


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def load_policy(path: Path) -> Policy:
    """Reads and checks one policy file; raises PolicyError listing every problem."""
    problems: list[str] = []
    policy = _read_policy(path, problems)
    if problems or policy is None:
        raise PolicyError(path, problems)
    return policy


def load_policies(directory: Path) -> PolicyBook:
    """Every *.yml of the directory, in file-name order; one PolicyError names all problems."""
    problems: list[str] = []
    policies = []
    for path in sorted(directory.glob("*.yml")):
        found: list[str] = []
        policy = _read_policy(path, found)
        problems.extend(f"{path.name}: {problem}" for problem in found)
        if policy is not None and not found:
            policies.append(policy)
    counts = Counter(policy.id for policy in policies)
    problems.extend(f"policy id {pid!r} is used {n} times" for pid, n in counts.items() if n > 1)
    if not policies and not problems:
        problems.append("no policy files (*.yml)")
    if problems:
        raise PolicyError(directory, problems)
    return PolicyBook(tuple(policies))


@lru_cache(maxsize=1)
def get_policies() -> PolicyBook:
    """The policies under the configured knowledge directory, loaded once per process."""
    return load_policies(get_settings().knowledge_dir / "policies")


def _read_policy(path: Path, problems: list[str]) -> Policy | None:
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(str(error))
        return None
    if not isinstance(document, dict):
        problems.append("expected a mapping with the keys of a policy")
        return None
    where = f"policy {document['id']}" if _filled(document.get("id")) else "policy"
    reader = _Reader(document, where, problems)
    reader.only(_POLICY_KEYS)
    policy_id = reader.text("id")
    if policy_id and not _POLICY_ID.fullmatch(policy_id):
        reader.problem("id must be kebab-case (a-z, 0-9, -)")
    valid_from, valid_until = reader.day("valid_from"), reader.day("valid_until")
    if valid_from and valid_until and valid_from > valid_until:
        reader.problem("valid_from is after valid_until")
    questions = _read_list(document.get("questions"), "question", where, problems, _read_question)
    # A refused question keeps its key (as None): a condition on it is not reported again.
    by_key: dict[str, Question | None] = dict.fromkeys(_keys(document.get("questions")))
    by_key |= {question.key: question for question in questions}
    conditions = _read_list(
        document.get("conditions"),
        "condition",
        where,
        problems,
        lambda raw, at, found: _read_condition(raw, at, found, by_key),
    )
    _check_unique(questions, conditions, reader)
    limit = Limit(
        reader.member("limit", LimitScope), reader.member("limit_period", LimitPeriod, "once")
    )
    parts = {
        "id": policy_id,
        "name": reader.text("name"),
        "organiser": reader.text("organiser"),
        "summary": reader.text("summary"),
        "keywords": reader.texts("keywords"),
        "review_working_days": reader.count("review_working_days"),
        "benefit": _read_benefit(document.get("benefit"), where, problems, by_key),
        "documents": reader.texts("documents"),
    }
    if None in parts.values() or None in (limit.scope, limit.period) or problems:
        return None
    return Policy(
        **parts,
        valid_from=valid_from,
        valid_until=valid_until,
        limit=limit,
        questions=tuple(questions),
        conditions=tuple(conditions),
    )


def _keys(raw_questions: Any) -> list[str]:
    items = raw_questions if isinstance(raw_questions, list) else []
    return [item["key"] for item in items if isinstance(item, dict) and _filled(item.get("key"))]


def _read_list(raw: Any, noun: str, where: str, problems: list[str], read: Any) -> list[Any]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: '{noun}s' must be a non-empty list")
        return []
    items = []
    for position, item in enumerate(raw, start=1):
        at = f"{where}: {noun} #{position}"
        if not isinstance(item, dict):
            problems.append(f"{at}: expected a mapping")
            continue
        if _filled(item.get("key" if noun == "question" else "id")):
            at = f"{where}: {noun} {item.get('key') or item.get('id')}"
        parsed = read(item, at, problems)
        if parsed is not None:
            items.append(parsed)
    return items


def _check_unique(questions: list[Question], conditions: list[Condition], reader: _Reader) -> None:
    for noun, names in (
        ("question key", [question.key for question in questions]),
        ("condition id", [condition.id for condition in conditions]),
    ):
        reader.problems.extend(
            f"{reader.where}: {noun} {name!r} is used {n} times"
            for name, n in Counter(names).items()
            if n > 1
        )


def _read_question(raw: Mapping[str, Any], where: str, problems: list[str]) -> Question | None:
    reader = _Reader(raw, where, problems)
    reader.only(("key", "text", "kind", "choices", "since", "min", "max", "unit"))
    before = len(problems)
    key, text = reader.text("key"), reader.text("text")
    kind: QuestionKind | None = reader.member("kind", QuestionKind)
    if key and not _KEY.fullmatch(key):
        reader.problem("key must be snake_case (a-z, 0-9, _), starting with a letter")
    choices = _read_choices(raw.get("choices"), reader) if kind is QuestionKind.CHOICE else ()
    if kind is not QuestionKind.CHOICE and "choices" in raw:
        reader.problem("only a choice question has 'choices'")
    since = _read_since(raw.get("since"), reader) if kind is QuestionKind.MONTHLY_COUNT else None
    if kind is not QuestionKind.MONTHLY_COUNT and "since" in raw:
        reader.problem("only a monthly_count question has 'since'")
    if kind is QuestionKind.MONTHLY_COUNT and text:
        _check_placeholders(text, frozenset({"month", "year"}), "text", reader)
        if "{month}" not in text:
            reader.problem("a monthly_count text must say which month: put {month} in it")
    minimum, maximum = reader.number("min", required=False), reader.number("max", required=False)
    if (minimum is not None or maximum is not None) and kind not in (*_NUMERIC, QuestionKind.TEXT):
        reader.problem("only number and text questions have 'min' and 'max'")
    if minimum is not None and maximum is not None and minimum > maximum:
        reader.problem("min is greater than max")
    unit = raw.get("unit", "")
    if not isinstance(unit, str):
        reader.problem("'unit' must be a string such as 单")
    if len(problems) > before or key is None or text is None or kind is None:
        return None
    return Question(key, text, kind, choices, since, minimum, maximum, unit)


def _read_choices(raw: Any, reader: _Reader) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        reader.problem("a choice question needs a non-empty 'choices' list")
        return ()
    choices = []
    for item in raw:
        if _filled(item):
            choices.append(Choice(item.strip(), ()))
        elif isinstance(item, dict) and _filled(item.get("value")):
            choice = _Reader(item, f"{reader.where}: choice {item['value']}", reader.problems)
            choice.only(("value", "synonyms"))
            choices.append(Choice(item["value"].strip(), choice.texts("synonyms", required=False)))
        else:
            reader.problem(f"a choice must be a string or {{value, synonyms}}, not {item!r}")
    phrases = Counter(fold(phrase) for choice in choices for phrase in set(choice.phrases))
    reader.problems.extend(
        f"{reader.where}: the word {phrase!r} stands for {n} choices"
        for phrase, n in phrases.items()
        if n > 1
    )
    return tuple(choices)


def _read_since(raw: Any, reader: _Reader) -> int | None:
    # "08" as the seed writes it, or 8.
    text = str(raw).strip() if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
    if not text.isdigit() or not 1 <= int(text) <= 12:
        reader.problem(f"'since' must be the first month, 1–12 or \"08\", not {raw!r}")
        return None
    return int(text)


def _read_reasons(reader: _Reader, kind: str) -> Reasons | None:
    passed, failed = reader.text("pass"), reader.text("fail")
    unknown = reader.text("unknown", required=False)
    for key, text in (("pass", passed), ("fail", failed), ("unknown", unknown)):
        if text is not None:
            _check_placeholders(text, PLACEHOLDERS[kind], key, reader)
    if passed is None or failed is None:
        return None
    return Reasons(passed, failed, unknown)


def _check_placeholders(text: str, allowed: frozenset[str], key: str, reader: _Reader) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        reader.problem(f"'{key}' is not a valid template ({error}); write {{ and }} in pairs")
        return
    unknown = sorted(names - allowed)
    if unknown:
        reader.problem(f"'{key}' uses unknown placeholders {unknown}; allowed: {sorted(allowed)}")


def _read_condition(
    raw: Mapping[str, Any], where: str, problems: list[str], questions: _Known
) -> Condition | None:
    reader = _Reader(raw, where, problems)
    kind = raw.get("kind")
    if kind not in _CONDITION_KEYS:
        reader.problem(f"'kind' must be one of {sorted(_CONDITION_KEYS)}, not {kind!r}")
        return None
    reader.only(("id", "label", "kind", *_CONDITION_KEYS[kind]))
    before = len(problems)
    condition_id, label = reader.text("id"), reader.text("label")
    if condition_id and not _KEY.fullmatch(condition_id):
        reader.problem("id must be snake_case (a-z, 0-9, _), starting with a letter")
    if kind == "manual":
        condition: Condition | None = _read_manual(reader, questions)
    else:
        reasons = _read_reasons(reader, kind)
        condition = _READERS[kind](reader, questions, reasons) if reasons else None
    if len(problems) > before or condition_id is None or label is None or condition is None:
        return None
    return condition


def _named(
    reader: _Reader, questions: _Known, key: str, kinds: Iterable[QuestionKind]
) -> Question | None:
    """The question `key` names, if it is of one of `kinds`; one refused on its own is not
    reported again here."""
    name, kinds = reader.raw.get(key), tuple(kinds)
    if not _filled(name) or name not in questions:
        reader.problem(f"'{key}' must name one of the policy's questions, not {name!r}")
        return None
    question = questions[name]
    if question is not None and question.kind not in kinds:
        expected = " or ".join(kind.value for kind in kinds)
        reader.problem(f"{key} {name!r} is {question.kind.value}; it must be {expected}")
        return None
    return question


def _read_one_of(reader: _Reader, questions: _Known, reasons: Reasons) -> OneOf | None:
    question = _named(reader, questions, "question", (QuestionKind.CHOICE, QuestionKind.YES_NO))
    values = reader.raw.get("values")
    if not isinstance(values, list) or not values:
        reader.problem("'values' must be a non-empty list of the answers that pass")
        return None
    if question is None:
        return None
    possible: set[str | bool] = (
        {choice.value for choice in question.choices}
        if question.kind is QuestionKind.CHOICE
        else {True, False}
    )
    strangers = [value for value in values if value not in possible]
    if strangers:
        reader.problem(f"values {strangers} are not answers of {question.key!r}")
        return None
    return OneOf(
        reader.raw.get("id"), reader.raw.get("label"), question.key, frozenset(values), reasons
    )


def _read_bound(reader: _Reader, questions: _Known, reasons: Reasons) -> Bound:
    numbers = (QuestionKind.INTEGER, QuestionKind.MONEY)
    question = _named(reader, questions, "question", numbers)
    limit, inclusive = reader.number("value"), reader.flag("inclusive")
    per_key = reader.raw.get("per")
    per = _named(reader, questions, "per", numbers) if per_key is not None else None
    if per is not None and (per.minimum is None or per.minimum < 1):
        reader.problem(f"question {per.key!r} divides an answer: give it min: 1")
    return Bound(
        reader.raw.get("id"),
        reader.raw.get("label"),
        question.key if question else "",
        reader.raw["kind"] == "max",
        limit if limit is not None else Decimal(0),
        bool(inclusive),
        per_key,
        reasons,
    )


def _read_consecutive_below(
    reader: _Reader, questions: _Known, reasons: Reasons
) -> ConsecutiveBelow:
    question = _named(reader, questions, "question", (QuestionKind.MONTHLY_COUNT,))
    threshold, min_run = reader.count("threshold"), reader.count("min_run")
    return ConsecutiveBelow(
        reader.raw.get("id"),
        reader.raw.get("label"),
        question.key if question else "",
        threshold or 0,
        min_run or 0,
        reasons,
    )


def _read_membership(reader: _Reader, questions: _Known, reasons: Reasons) -> Membership | None:
    allowed = reader.raw.get("allowed")
    statuses = {status.value for status in MembershipStatus}
    if not isinstance(allowed, list) or not allowed or not set(allowed) <= statuses:
        reader.problem(f"'allowed' must be a non-empty list of {sorted(statuses)}")
        return None
    return Membership(
        reader.raw.get("id"),
        reader.raw.get("label"),
        frozenset(MembershipStatus(status) for status in allowed),
        reasons,
    )


def _read_manual(reader: _Reader, questions: _Known) -> Manual | None:
    keys = reader.texts("questions", required=False)
    for key in keys:
        known = questions.get(key)
        if key not in questions or (known and known.kind is QuestionKind.MONTHLY_COUNT):
            reader.problem(f"'questions' names {key!r}, which is not a single-answer question")
    reason = reader.text("reason")
    if reason is None:
        return None
    _check_placeholders(reason, frozenset(keys), "reason", reader)
    return Manual(reader.raw.get("id"), reader.raw.get("label"), keys, reason)


_READERS: Mapping[str, Any] = {
    "one_of": _read_one_of,
    "max": _read_bound,
    "min": _read_bound,
    "consecutive_below": _read_consecutive_below,
    "membership": _read_membership,
}


def _read_benefit(raw: Any, where: str, problems: list[str], questions: _Known) -> Benefit | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'benefit' must be a mapping with 'text' (and 'amount')")
        return None
    reader = _Reader(raw, f"{where}: benefit", problems)
    reader.only(("text", "amount", "by", "amounts"))
    before = len(problems)
    text, amount = reader.text("text"), reader.number("amount", required=False)
    by = raw.get("by")
    amounts: dict[str, Decimal] = {}
    if by is not None:
        question = _named(reader, questions, "by", (QuestionKind.CHOICE,))
        amounts = _read_amounts(reader, question) if question else {}
    elif "amounts" in raw:
        reader.problem("'amounts' needs 'by': the choice question that picks the amount")
    if len(problems) > before or text is None:
        return None
    return Benefit(text, amount, by, amounts)


def _read_amounts(reader: _Reader, question: Question) -> dict[str, Decimal]:
    raw = reader.raw.get("amounts")
    if not isinstance(raw, dict) or not raw:
        reader.problem("'by' needs 'amounts': choice → amount")
        return {}
    choices = {choice.value for choice in question.choices}
    amounts = {}
    for choice, value in raw.items():
        if choice not in choices:
            reader.problem(f"amounts: {choice!r} is not a choice of {question.key!r}")
        number = _Reader({choice: value}, reader.where, reader.problems).number(choice)
        if number is not None:
            amounts[choice] = number
    return amounts
