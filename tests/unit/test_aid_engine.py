from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from desk.aid.answers import Month, month_key
from desk.aid.engine import VALIDITY_CHECK_ID, Check, Outcome, Verdict, evaluate
from desk.aid.limits import PriorApplication, check_limit
from desk.aid.policies import AnswerValue, Manual, Policy, PolicyBook, get_policies
from desk.applications.store import APPROVED, REJECTED, SUBMITTED, UNDER_REVIEW

TODAY = date(2024, 11, 20)  # the relief asks for 8月, 9月 and 10月


def orders(**counts: int) -> dict[str, AnswerValue]:
    """orders(aug=45, sep=30) → the relief's monthly answers for 2024."""
    numbers = {"aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
    return {month_key("orders", Month(2024, numbers[name])): n for name, n in counts.items()}


# One answer set per shipped policy that passes every condition that can pass.
GOOD: Mapping[str, dict[str, AnswerValue]] = {
    "new-employment-relief": {
        "occupation": "外卖送餐员",
        **orders(aug=45, sep=30, oct=12),
        "household_income": Decimal(0),
    },
    "hardship-living": {
        "hardship_cause": "本人或家人患重病",
        "household_size": 3,
        "household_income": Decimal(2400),
        "on_record": True,
    },
    "medical-mutual-aid": {
        "illness": "住院治疗",
        "joined_plan": True,
        "self_paid": Decimal(12000),
    },
    "golden-autumn-education": {
        "study_level": "本科",
        "new_student": True,
        "household_size": 4,
        "household_income": Decimal(4000),
    },
}


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return get_policies()


def judge(
    book: PolicyBook,
    policy_id: str,
    changes: Mapping[str, AnswerValue | None] | None = None,
    membership: str = "member",
    today: date = TODAY,
) -> Verdict:
    answers = {**GOOD[policy_id], **(changes or {})}
    answers = {key: value for key, value in answers.items() if value is not None}
    policy = book.find(policy_id)
    assert policy is not None
    return evaluate(policy, answers, membership, today)


def check_of(verdict: Verdict, condition_id: str) -> Check:
    return next(check for check in verdict.checks if check.condition_id == condition_id)


# (policy, condition, changed answers, membership, passed, words in the reason)
CASES = [
    # ── 新就业形态劳动者临时困难救助 (seed 002) ──
    ("new-employment-relief", "platform_delivery_worker", {}, "member", True, "外卖送餐员"),
    (
        "new-employment-relief",
        "platform_delivery_worker",
        {"occupation": "快递员"},
        "member",
        True,
        "快递员",
    ),
    (
        "new-employment-relief",
        "platform_delivery_worker",
        {"occupation": "网约配送员"},
        "member",
        True,
        "网约配送员",
    ),
    (
        "new-employment-relief",
        "platform_delivery_worker",
        {"occupation": "其他"},
        "member",
        False,
        "转人工",
    ),
    (
        "new-employment-relief",
        "low_orders",
        orders(aug=45, sep=30, oct=60),
        "member",
        True,
        "8月45单、9月30单：连续2个月低于50单",
    ),
    (
        "new-employment-relief",
        "low_orders",
        orders(aug=49, sep=49, oct=49),
        "member",
        True,
        "连续3个月",
    ),
    (  # exactly 50 is not below 50
        "new-employment-relief",
        "low_orders",
        orders(aug=50, sep=50, oct=50),
        "member",
        False,
        "8月50单、9月50单、10月50单：没有连续2个月都低于50单",
    ),
    (  # 49 then 50: the boundary on one side only
        "new-employment-relief",
        "low_orders",
        orders(aug=80, sep=49, oct=50),
        "member",
        False,
        "正好50单不算低于",
    ),
    (  # one low month only
        "new-employment-relief",
        "low_orders",
        orders(aug=120, sep=30, oct=90),
        "member",
        False,
        "没有连续2个月",
    ),
    (  # two low months, not consecutive
        "new-employment-relief",
        "low_orders",
        orders(aug=20, sep=75, oct=10),
        "member",
        False,
        "8月20单、9月75单、10月10单",
    ),
    (
        "new-employment-relief",
        "low_orders",
        orders(aug=0, sep=0, oct=0),
        "member",
        True,
        "8月0单、9月0单、10月0单：连续3个月",
    ),
    (
        "new-employment-relief",
        "zero_income_household",
        {},
        "member",
        True,
        "家庭月收入0元，属于零收入家庭",
    ),
    (
        "new-employment-relief",
        "zero_income_household",
        {"household_income": Decimal(1)},
        "member",
        False,
        "家庭月收入1元",
    ),
    (
        "new-employment-relief",
        "zero_income_household",
        {"household_income": Decimal("0.5")},
        "member",
        False,
        "0.5元",
    ),
    ("new-employment-relief", "member_or_applying", {}, "member", True, "已是工会会员"),
    ("new-employment-relief", "member_or_applying", {}, "pending", True, "正在审核"),
    ("new-employment-relief", "member_or_applying", {}, "none", False, "先申请入会"),
    # ── 困难职工生活救助 ──
    ("hardship-living", "member", {}, "member", True, "已是工会会员"),
    ("hardship-living", "member", {}, "pending", False, "入会后就可以申请"),
    ("hardship-living", "member", {}, "none", False, "在这里还没有入会记录"),
    *(
        ("hardship-living", "hardship_cause", {"hardship_cause": cause}, "member", True, cause)
        for cause in ("本人或家人残疾", "失业下岗", "子女上学负担重", "遭受灾害或意外")
    ),
    ("hardship-living", "hardship_cause", {"hardship_cause": "其他"}, "member", False, "转人工"),
    (
        "hardship-living",
        "income_per_person",
        {"household_income": Decimal(3600)},
        "member",
        True,
        "全家3人每月共3600元，人均1200元，不高于1200元",
    ),
    (
        "hardship-living",
        "income_per_person",
        {"household_income": Decimal(3601)},
        "member",
        False,
        "人均1200.33元，高于1200元",
    ),
    (
        "hardship-living",
        "income_per_person",
        {"household_income": Decimal(0), "household_size": 1},
        "member",
        True,
        "人均0元",
    ),
    # ── 职工医疗互助与大病救助 ──
    ("medical-mutual-aid", "member", {}, "member", True, "已是工会会员"),
    ("medical-mutual-aid", "member", {}, "none", False, "入会后"),
    ("medical-mutual-aid", "joined_plan", {}, "member", True, "参加了"),
    ("medical-mutual-aid", "joined_plan", {"joined_plan": False}, "member", False, "单位工会"),
    ("medical-mutual-aid", "serious_illness", {"illness": "重大疾病"}, "member", True, "重大疾病"),
    ("medical-mutual-aid", "serious_illness", {}, "member", True, "住院治疗"),
    ("medical-mutual-aid", "serious_illness", {"illness": "门诊治疗"}, "member", False, "门诊"),
    ("medical-mutual-aid", "serious_illness", {"illness": "其他"}, "member", False, "转人工"),
    (
        "medical-mutual-aid",
        "self_paid_threshold",
        {"self_paid": Decimal(5000)},
        "member",
        True,
        "自付5000元，达到5000元",
    ),
    (
        "medical-mutual-aid",
        "self_paid_threshold",
        {"self_paid": Decimal("4999.99")},
        "member",
        False,
        "自付4999.99元，还没到5000元",
    ),
    # ── 金秋助学 ──
    ("golden-autumn-education", "member", {}, "member", True, "已是工会会员"),
    ("golden-autumn-education", "member", {}, "pending", False, "入会后"),
    ("golden-autumn-education", "study_level", {}, "member", True, "本科"),
    (
        "golden-autumn-education",
        "study_level",
        {"study_level": "专科（高职）"},
        "member",
        True,
        "专科（高职）",
    ),
    (
        "golden-autumn-education",
        "study_level",
        {"study_level": "研究生"},
        "member",
        False,
        "研究生不在范围内",
    ),
    ("golden-autumn-education", "study_level", {"study_level": "其他"}, "member", False, "转人工"),
    ("golden-autumn-education", "new_student", {}, "member", True, "今年新入学"),
    ("golden-autumn-education", "new_student", {"new_student": False}, "member", False, "已经在读"),
    (
        "golden-autumn-education",
        "income_per_person",
        {"household_income": Decimal(6000)},
        "member",
        True,
        "人均1500元，不高于1500元",
    ),
    (
        "golden-autumn-education",
        "income_per_person",
        {"household_income": Decimal("6000.04")},
        "member",
        False,
        "高于1500元",
    ),
]


@pytest.mark.parametrize(
    ("policy_id", "condition_id", "changes", "membership", "passed", "words"), CASES
)
def test_each_condition_of_each_shipped_policy(
    book: PolicyBook,
    policy_id: str,
    condition_id: str,
    changes: dict[str, AnswerValue],
    membership: str,
    passed: bool,
    words: str,
) -> None:
    verdict = judge(book, policy_id, changes, membership)
    check = check_of(verdict, condition_id)
    assert check.passed is passed
    assert words in check.reason
    if not passed:
        assert verdict.outcome is Outcome.INELIGIBLE
        assert verdict.amount is None


def test_the_cases_pass_and_fail_every_judged_condition_of_every_shipped_policy(
    book: PolicyBook,
) -> None:
    covered = {(case[0], case[1], case[4]) for case in CASES}
    for policy in book.policies:
        for condition in policy.conditions:
            if isinstance(condition, Manual):
                continue
            for passed in (True, False):
                assert (policy.id, condition.id, passed) in covered, (policy.id, condition.id)


# ── outcomes ──


def test_the_relief_is_eligible_with_600_yuan_and_the_documents(book: PolicyBook) -> None:
    verdict = judge(book, "new-employment-relief", membership="pending")
    assert verdict.outcome is Outcome.ELIGIBLE
    assert verdict.amount == Decimal(600)
    assert verdict.benefit == "每户一次性600元"
    assert any("接单记录" in document for document in verdict.documents)
    assert all(check.passed for check in verdict.checks)


@pytest.mark.parametrize(
    ("policy_id", "manual_id", "words"),
    [
        ("hardship-living", "circumstances_verified", "已建档或享受低保：是"),
        ("medical-mutual-aid", "costs_verified", "自付12000元要对照发票"),
        ("golden-autumn-education", "admission_verified", "录取通知书"),
    ],
)
def test_a_manual_condition_leaves_the_verdict_to_staff(
    book: PolicyBook, policy_id: str, manual_id: str, words: str
) -> None:
    verdict = judge(book, policy_id)
    assert verdict.outcome is Outcome.NEEDS_REVIEW
    manual = check_of(verdict, manual_id)
    assert manual.passed is None and words in manual.reason
    assert all(check.passed for check in verdict.checks if check.condition_id != manual_id)


def test_a_failed_condition_outweighs_a_manual_one(book: PolicyBook) -> None:
    verdict = judge(book, "medical-mutual-aid", {"joined_plan": False})
    assert verdict.outcome is Outcome.INELIGIBLE
    assert check_of(verdict, "costs_verified").passed is None


def test_the_medical_benefit_has_no_fixed_amount(book: PolicyBook) -> None:
    assert judge(book, "medical-mutual-aid").amount is None


@pytest.mark.parametrize(("level", "amount"), [("本科", 5000), ("专科（高职）", 3000)])
def test_the_education_amount_follows_the_level(book: PolicyBook, level: str, amount: int) -> None:
    assert judge(book, "golden-autumn-education", {"study_level": level}).amount == amount


def test_a_missing_answer_leaves_the_condition_open(book: PolicyBook) -> None:
    verdict = judge(book, "new-employment-relief", {"household_income": None})
    check = check_of(verdict, "zero_income_household")
    assert check.passed is None and "工作人员核实时会向您了解" in check.reason
    assert verdict.outcome is Outcome.NEEDS_REVIEW
    assert verdict.amount == 600


def test_a_missing_divisor_leaves_a_per_person_bound_open(book: PolicyBook) -> None:
    verdict = judge(book, "hardship-living", {"household_size": None})
    assert check_of(verdict, "income_per_person").passed is None


def test_a_missing_month_that_could_complete_a_run_leaves_it_open(book: PolicyBook) -> None:
    answers = {month_key("orders", Month(2024, 8)): 30, month_key("orders", Month(2024, 10)): 80}
    verdict = judge(book, "new-employment-relief", {**answers, "orders_2024_09": None})
    check = check_of(verdict, "low_orders")
    assert check.passed is None
    assert "8月30单、9月未填、10月80单" in check.reason


def test_a_missing_month_that_cannot_complete_a_run_fails(book: PolicyBook) -> None:
    changes = {**orders(aug=90, oct=80), "orders_2024_09": None}
    assert check_of(judge(book, "new-employment-relief", changes), "low_orders").passed is False


def test_a_known_run_passes_even_with_a_month_missing(book: PolicyBook) -> None:
    changes = {**orders(aug=10, sep=20), "orders_2024_10": None}
    assert check_of(judge(book, "new-employment-relief", changes), "low_orders").passed is True


def test_with_one_complete_month_the_run_cannot_be_reached(book: PolicyBook) -> None:
    verdict = judge(book, "new-employment-relief", orders(aug=10), today=date(2024, 9, 10))
    check = check_of(verdict, "low_orders")
    assert check.passed is False and check.reason.startswith("8月10单：")


def test_the_months_run_across_the_new_year(book: PolicyBook) -> None:
    changes = {**orders(aug=90, sep=90, oct=90, nov=90), "orders_2024_12": 20, "orders_2025_01": 5}
    verdict = judge(book, "new-employment-relief", changes, today=date(2025, 2, 3))
    assert check_of(verdict, "low_orders").reason == "12月20单、1月5单：连续2个月低于50单"


def test_membership_status_must_be_known(book: PolicyBook) -> None:
    with pytest.raises(ValueError):
        judge(book, "new-employment-relief", membership="maybe")


# ── 受理时间 ──


@pytest.fixture
def relief_in_2022(book: PolicyBook) -> Policy:
    policy = book.find("new-employment-relief")
    assert policy is not None
    return replace(policy, valid_from=date(2022, 10, 15), valid_until=date(2022, 12, 31))


@pytest.mark.parametrize(
    ("today", "passed", "words"),
    [
        (date(2022, 10, 14), False, "2022年10月15日起受理"),
        (date(2022, 10, 15), True, "截止2022年12月31日"),
        (date(2022, 12, 31), True, "在受理期内"),
        (date(2023, 1, 1), False, "已于2022年12月31日截止"),
    ],
)
def test_the_dates_of_a_programme_are_checked_first(
    relief_in_2022: Policy, today: date, passed: bool, words: str
) -> None:
    counts = {month_key("orders", month): 10 for month in (Month(2022, 8), Month(2022, 9))}
    answers = {**GOOD["new-employment-relief"], **counts}
    verdict = evaluate(relief_in_2022, answers, "member", today)
    first = verdict.checks[0]
    assert (first.condition_id, first.label, first.passed) == (
        VALIDITY_CHECK_ID,
        "受理时间",
        passed,
    )
    assert words in first.reason
    if not passed:
        assert verdict.outcome is Outcome.INELIGIBLE


def test_a_programme_without_dates_has_no_date_check(book: PolicyBook) -> None:
    verdict = judge(book, "new-employment-relief")
    assert VALIDITY_CHECK_ID not in {check.condition_id for check in verdict.checks}


# ── 每人/每户限一次 ──


def prior(
    status: str = SUBMITTED,
    person: str = "p1",
    household: str | None = "h1",
    policy_id: str = "new-employment-relief",
    on: date = date(2024, 11, 1),
) -> PriorApplication:
    return PriorApplication("JZ-2024-000012", policy_id, person, household, status, on)


def test_a_first_application_is_allowed(book: PolicyBook) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    decision = check_limit(policy, "p1", "h1", [], TODAY)
    assert decision.allowed and decision.existing is None


@pytest.mark.parametrize("status", [SUBMITTED, UNDER_REVIEW, APPROVED])
def test_a_pending_or_approved_application_blocks_the_same_person(
    book: PolicyBook, status: str
) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    decision = check_limit(policy, "p1", None, [prior(status)], TODAY)
    assert not decision.allowed
    assert decision.existing is not None and decision.existing.number == "JZ-2024-000012"
    assert "JZ-2024-000012" in decision.reason and "每户限申请一次" in decision.reason


def test_a_rejected_application_does_not_block(book: PolicyBook) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    assert check_limit(policy, "p1", "h1", [prior(REJECTED)], TODAY).allowed


def test_another_programme_does_not_block(book: PolicyBook) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    assert check_limit(policy, "p1", "h1", [prior(policy_id="hardship-living")], TODAY).allowed


def test_a_household_limit_blocks_a_family_member_with_the_existing_number(
    book: PolicyBook,
) -> None:
    policy = book.find("new-employment-relief")
    assert policy is not None
    decision = check_limit(policy, "p2", "h1", [prior(person="p1")], TODAY)
    assert not decision.allowed
    assert decision.existing is not None
    assert "家里已经有人申请过" in decision.reason and decision.existing.number in decision.reason
    assert check_limit(policy, "p2", "h2", [prior(person="p1")], TODAY).allowed


def test_a_person_limit_ignores_the_household(book: PolicyBook) -> None:
    policy = book.find("medical-mutual-aid")
    assert policy is not None
    earlier = prior(person="p1", policy_id=policy.id)
    assert check_limit(policy, "p2", "h1", [earlier], TODAY).allowed


def test_a_yearly_limit_opens_again_next_year(book: PolicyBook) -> None:
    policy = book.find("golden-autumn-education")
    assert policy is not None
    last_year = prior(APPROVED, policy_id=policy.id, on=date(2023, 8, 20))
    this_year = prior(APPROVED, policy_id=policy.id, on=date(2024, 8, 20))
    assert check_limit(policy, "p1", "h1", [last_year], TODAY).allowed
    decision = check_limit(policy, "p1", "h1", [last_year, this_year], TODAY)
    assert not decision.allowed and "每人每年限申请一次" in decision.reason
    assert decision.existing == this_year
