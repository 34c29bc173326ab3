"""One application per person or per household: may this worker apply for this programme now?

The caller passes the earlier applications as plain data (from the database, or a test); this
module only decides. A pending or approved application blocks a new one; a rejected one does not,
so a worker whose circumstances changed may apply again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desk.aid.policies import LimitPeriod, LimitScope, Policy
from desk.applications.store import APPROVED, PENDING, STATUS_LABEL


@dataclass(frozen=True)
class PriorApplication:
    number: str
    policy_id: str
    person_key: str  # e.g. the keyed hash of the 身份证号
    household_key: str | None  # e.g. a keyed hash of the household register; None if unknown
    status: str  # one of desk.applications.store' statuses
    submitted_on: date


@dataclass(frozen=True)
class LimitDecision:
    allowed: bool
    existing: PriorApplication | None  # the application that blocks a new one
    reason: str  # for the worker; empty when allowed


def check_limit(
    policy: Policy,
    person_key: str,
    household_key: str | None,
    prior: Iterable[PriorApplication],
    today: date,
) -> LimitDecision:
    """Without a household key a household limit still holds for the person themself."""
    household = household_key if policy.limit.scope is LimitScope.HOUSEHOLD else None
    blocking = [
        application
        for application in prior
        if application.policy_id == policy.id
        and application.status in (*PENDING, APPROVED)
        and (policy.limit.period is LimitPeriod.ONCE or application.submitted_on.year == today.year)
        and (
            application.person_key == person_key
            or (household is not None and application.household_key == household)
        )
    ]
    if not blocking:
        return LimitDecision(True, None, "")
    existing = max(blocking, key=lambda application: application.submitted_on)
    return LimitDecision(False, existing, _reason(policy, existing, person_key))


def _reason(policy: Policy, existing: PriorApplication, person_key: str) -> str:
    rule = {
        (LimitScope.PERSON, LimitPeriod.ONCE): "每人限申请一次",
        (LimitScope.PERSON, LimitPeriod.YEAR): "每人每年限申请一次",
        (LimitScope.HOUSEHOLD, LimitPeriod.ONCE): "每户限申请一次",
        (LimitScope.HOUSEHOLD, LimitPeriod.YEAR): "每户每年限申请一次",
    }[(policy.limit.scope, policy.limit.period)]
    status = STATUS_LABEL.get(existing.status, existing.status)
    if existing.person_key != person_key:
        # The number alone shows nothing: a status look-up also needs that applicant's phone.
        return (
            f"您家里已经有人申请过{policy.name}，编号 {existing.number}（{status}），{rule}。"
            "有疑问可以回复“转人工”"
        )
    return (
        f"您已经申请过{policy.name}，编号 {existing.number}（{status}），{rule}，"
        "不用重复申请。发送编号就能查询进度"
    )
