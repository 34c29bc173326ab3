"""The one engine that judges any aid policy: a verdict, with each condition and why.

A verdict is preliminary by design: staff verify every application online and in person
(线上线下相结合的核实), so 符合 means "likely eligible, pending checks", never "money is coming".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from desk.aid.answers import Month, month_key, months_since, render_value
from desk.aid.policies import (
    MEMBERSHIP_LABELS,
    AnswerValue,
    Bound,
    Condition,
    ConsecutiveBelow,
    Manual,
    Membership,
    MembershipStatus,
    OneOf,
    Policy,
    Question,
    Reasons,
)
from desk.common.numerals import chinese_date


class Outcome(StrEnum):
    ELIGIBLE = "符合"
    INELIGIBLE = "不符合"
    NEEDS_REVIEW = "需人工核实"


@dataclass(frozen=True)
class Check:
    condition_id: str
    label: str
    passed: bool | None  # None: left to staff, or an answer is missing
    reason: str  # for the worker, with their own answers in it


@dataclass(frozen=True)
class Verdict:
    policy_id: str
    outcome: Outcome
    checks: tuple[Check, ...]
    amount: Decimal | None  # the programme's standard; None when ineligible or set by staff
    benefit: str
    documents: tuple[str, ...]  # what to bring so staff can verify


VALIDITY_CHECK_ID = "valid_dates"
_UNKNOWN = "这一项还缺少信息，工作人员核实时会向您了解"
_NOT_GIVEN = "未填"


def evaluate(
    policy: Policy,
    answers: Mapping[str, AnswerValue],
    membership_status: MembershipStatus | str,
    today: date,
) -> Verdict:
    """`answers` are parsed values keyed as answers.Asked.key (a month's count: orders_2024_08)."""
    membership = MembershipStatus(membership_status)
    checks = [
        _check(policy, condition, answers, membership, today) for condition in policy.conditions
    ]
    validity = _validity(policy, today)
    if validity is not None:
        checks.insert(0, validity)
    if any(check.passed is False for check in checks):
        outcome = Outcome.INELIGIBLE
    elif any(check.passed is None for check in checks):
        outcome = Outcome.NEEDS_REVIEW
    else:
        outcome = Outcome.ELIGIBLE
    return Verdict(
        policy_id=policy.id,
        outcome=outcome,
        checks=tuple(checks),
        amount=None if outcome is Outcome.INELIGIBLE else policy.benefit.amount_for(answers),
        benefit=policy.benefit.text,
        documents=policy.documents,
    )


def _validity(policy: Policy, today: date) -> Check | None:
    if policy.valid_from is None and policy.valid_until is None:
        return None
    start, end = policy.valid_from, policy.valid_until
    if start is not None and today < start:
        passed, reason = False, f"本项目{chinese_date(start)}起受理，到时再来申请"
    elif end is not None and today > end:
        passed, reason = (
            False,
            f"本项目已于{chinese_date(end)}截止受理；有困难可以回复“转人工”问问其他帮扶",
        )
    else:
        passed, reason = True, f"在受理期内{f'（截止{chinese_date(end)}）' if end else ''}"
    return Check(VALIDITY_CHECK_ID, "受理时间", passed, reason)


def _check(
    policy: Policy,
    condition: Condition,
    answers: Mapping[str, AnswerValue],
    membership: MembershipStatus,
    today: date,
) -> Check:
    if isinstance(condition, Manual):
        quoted = {key: _quote(answers, key) for key in condition.questions}
        return Check(condition.id, condition.label, None, condition.reason.format(**quoted))
    if isinstance(condition, OneOf):
        passed, fields = _one_of(condition, answers)
    elif isinstance(condition, Bound):
        passed, fields = _bound(condition, answers)
    elif isinstance(condition, ConsecutiveBelow):
        question = policy.question(condition.question)
        passed, fields = _consecutive_below(condition, question, answers, today)
    else:
        passed, fields = _membership(condition, membership)
    return Check(condition.id, condition.label, passed, _reason(condition.reasons, passed, fields))


def _reason(reasons: Reasons, passed: bool | None, fields: Mapping[str, str]) -> str:
    if passed is None:
        return (reasons.unknown or _UNKNOWN).format(**fields)
    return (reasons.passed if passed else reasons.failed).format(**fields)


def _quote(answers: Mapping[str, AnswerValue], key: str) -> str:
    return render_value(answers[key]) if key in answers else _NOT_GIVEN


Judged = tuple[bool | None, dict[str, str]]


def _one_of(condition: OneOf, answers: Mapping[str, AnswerValue]) -> Judged:
    fields = {"answer": _quote(answers, condition.question)}
    if condition.question not in answers:
        return None, fields
    return answers[condition.question] in condition.values, fields


def _bound(condition: Bound, answers: Mapping[str, AnswerValue]) -> Judged:
    fields = {
        "answer": _quote(answers, condition.question),
        "per": _quote(answers, condition.per) if condition.per else "",
        "bound": render_value(condition.limit),
        "value": _NOT_GIVEN,
    }
    keys = [condition.question] + ([condition.per] if condition.per else [])
    if any(key not in answers for key in keys):
        return None, fields
    value = Decimal(answers[condition.question])
    if condition.per:
        divisor = Decimal(answers[condition.per])
        if not divisor:  # the question asks for at least 1; a zero here came from elsewhere
            return None, fields
        value /= divisor
    fields["value"] = render_value(value)
    if condition.upper:
        passed = value <= condition.limit if condition.inclusive else value < condition.limit
    else:
        passed = value >= condition.limit if condition.inclusive else value > condition.limit
    return passed, fields


def _consecutive_below(
    condition: ConsecutiveBelow,
    question: Question,
    answers: Mapping[str, AnswerValue],
    today: date,
) -> Judged:
    """Passes on a run of known low months; a missing month that could complete a run leaves
    the condition open (None) rather than failing it."""
    counts: dict[Month, int | None] = {}
    for month in months_since(question.since or 1, today):
        count = answers.get(month_key(question.key, month))
        counts[month] = int(count) if count is not None else None
    best: list[Month] = []
    run: list[Month] = []
    open_run = longest_open = 0
    for month, count in counts.items():
        low = count is not None and count < condition.threshold
        run = [*run, month] if low else []
        best = run if len(run) > len(best) else best
        open_run = open_run + 1 if low or count is None else 0
        longest_open = max(longest_open, open_run)
    unit = question.unit
    fields = {
        "months": "、".join(
            f"{month.label}{_NOT_GIVEN if count is None else f'{count}{unit}'}"
            for month, count in counts.items()
        ),
        "run": str(len(best)),
        "run_months": "、".join(f"{month.label}{counts[month]}{unit}" for month in best),
        "threshold": str(condition.threshold),
        "min_run": str(condition.min_run),
    }
    if len(best) >= condition.min_run:
        return True, fields
    return (None if longest_open >= condition.min_run else False), fields


def _membership(condition: Membership, membership: MembershipStatus) -> Judged:
    return membership in condition.allowed, {"status": MEMBERSHIP_LABELS[membership]}
