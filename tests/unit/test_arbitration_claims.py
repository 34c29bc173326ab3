"""The claims an arbitration draft makes for realistic cases: which ones, how much, on which
articles, whether in time, and before which commission."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from desk.cases.arbitration.claims import PAYMENT_ORDER_BASIS, Assessment, CaseFacts, assess
from desk.cases.arbitration.commissions import (
    CommissionDirectoryError,
    choose,
    get_commissions,
    load_commissions,
)
from desk.cases.arbitration.document import _PROCEDURE
from desk.cases.arbitration.facts import (
    FACT_BY_KEY,
    Known,
    combined,
    from_case,
    merged,
    missing,
    parse,
)
from desk.legal import calculators
from desk.legal.library import get_knowledge
from desk.legal.statutes import Citation

TODAY = date(2025, 12, 1)
SHANGHAI = "单位 上海宏达电子有限公司 履行地 上海市嘉定区 "


def assessed(line: str, where: str = SHANGHAI) -> Assessment:
    parsed = parse(where + line)
    assert not parsed.problems, parsed.problems
    return assess(CaseFacts.from_known(parsed.facts, TODAY), get_commissions())


def claimed(assessment: Assessment) -> dict[str, tuple[Decimal, bool]]:
    return {claim.key: (claim.amount, claim.included) for claim in assessment.claims}


# --- the table of cases ------------------------------------------------------------------

CASES = [
    pytest.param(
        # Still at work, three months unpaid: wages only, not time-limited while the job lasts.
        "入职 2023-03-01 离职 在职 月薪 6000 合同 有 社保 有 欠薪 3个月 2025-08至2025-10",
        {"wages": (Decimal(18000), True)},
        Decimal(18000),
        id="arrears only",
    ),
    pytest.param(
        # 3 years 5 months, dismissed without cause: the odd 5 months count as half a month,
        # N = 3.5 × 8000 = 28000, 2N = 56000.
        "入职 2021-03-01 离职 2024-07-31 原因 违法辞退 月薪 8000 合同 有 社保 有 "
        "申请日期 2024-09-01",
        {"damages": (Decimal(56000), True)},
        Decimal(56000),
        id="dismissal without cause after 3 years 5 months",
    ),
    pytest.param(
        # 8 months without a written contract: the first month is the grace month, so 7 months
        # of the second wage, 7 × 5000.
        "入职 2024-01-01 离职 2024-08-31 原因 主动辞职 月薪 5000 合同 无 社保 无 "
        "申请日期 2024-10-08",
        {"double_pay": (Decimal(35000), True)},
        Decimal(35000),
        id="no written contract for 8 months",
    ),
    pytest.param(
        # Left 2024-05-31, overtime asked for 2025-12-01: more than a year after the job ended.
        # 7000 ÷ 21.75 ÷ 8 × (120 × 150 % + 48 × 200 %) = 11103.45, kept out of the draft.
        "入职 2020-05-01 离职 2024-05-31 原因 主动辞职 月薪 7000 合同 有 社保 有 "
        "加班 平时120小时 周末6天",
        {"overtime": (Decimal("11103.45"), False)},
        Decimal(0),
        id="time-barred overtime",
    ),
    pytest.param(
        # Wages owed are never time-barred while the job lasts, even after ten years …
        "入职 2015-01-01 离职 在职 月薪 6000 合同 有 社保 有 欠薪 20000 申请日期 2025-12-01",
        {"wages": (Decimal(20000), True)},
        Decimal(20000),
        id="wages owed during the job",
    ),
    pytest.param(
        # … but barred a year after it ended (left 2024-01-31, asked 2025-12-01).
        "入职 2015-01-01 离职 2024-01-31 原因 主动辞职 月薪 6000 合同 有 社保 有 欠薪 20000",
        {"wages": (Decimal(20000), False)},
        Decimal(0),
        id="wages owed barred a year after the job ended",
    ),
    pytest.param(
        # Wages unpaid and no social insurance: the worker resigned for the employer's fault
        # (第三十八条), N = 2.5 × 6000; the inspectorate's order was ignored, 第八十五条 at 100 %.
        "入职 2022-01-10 离职 2024-06-30 原因 被迫辞职 月薪 6000 合同 有 社保 无 "
        "欠薪 12000 责令 有 加付 100% 年休假 5天 申请日期 2024-08-01",
        {
            "wages": (Decimal(12000), True),
            "arrears_compensation": (Decimal(12000), True),
            "severance": (Decimal(15000), True),
            "unused_leave": (Decimal("2758.62"), True),
        },
        Decimal("41758.62"),
        id="forced resignation with arrears, order ignored and leave not taken",
    ),
    pytest.param(
        # Signed 2022-06-15: 2022-03-01 … 2022-06-14 is 3 months and 14 of June's 30 days,
        # (3 + 14/30) × 9000.
        "入职 2022-02-01 离职 在职 月薪 9000 合同 2022-06-15 社保 有 申请日期 2023-05-01",
        {"double_pay": (Decimal(31200), True)},
        Decimal(31200),
        id="contract signed late",
    ),
]


@pytest.mark.parametrize(("line", "claims", "total"), CASES)
def test_claims_and_amounts_for_realistic_cases(
    line: str, claims: dict[str, tuple[Decimal, bool]], total: Decimal
) -> None:
    assessment = assessed(line)
    assert claimed(assessment) == claims
    assert assessment.total == total


def test_the_dismissal_claims_twice_the_severance_on_article_87_and_offers_reinstatement() -> None:
    assessment = assessed(
        "入职 2021-03-01 离职 2024-07-31 原因 违法辞退 月薪 8000 合同 有 社保 有 "
        "申请日期 2024-09-01"
    )
    (claim,) = assessment.claims
    assert claim.basis == (Citation("劳动合同法", article=87), Citation("劳动合同法", article=47))
    assert (
        "工作3年5个月，按3.5个月工资计算（零头5个月，不满六个月按半个月算）"
        in claim.calculation.steps
    )
    assert not claim.time_limit.barred and "2025年7月31日" in claim.time_limit.note
    assert any(Citation("劳动合同法", article=48) in note.basis for note in assessment.notes)


def test_double_pay_stops_at_eleven_months_after_a_year_without_a_contract() -> None:
    assessment = assessed(
        "入职 2022-03-01 离职 2023-08-31 原因 主动辞职 月薪 6000 合同 无 社保 有 "
        "申请日期 2023-10-08"
    )
    assert claimed(assessment) == {"double_pay": (Decimal(66000), True)}
    (claim,) = assessment.claims
    assert "2022年4月1日至2023年2月28日" in claim.request
    assert any("无固定期限" in step for step in claim.calculation.steps)


def test_a_time_barred_claim_comes_back_when_the_worker_demanded_or_the_lawyer_keeps_it() -> None:
    barred = (
        "入职 2020-05-01 离职 2024-05-31 原因 主动辞职 月薪 7000 合同 有 社保 有 "
        "加班 平时120小时 周末6天 "
    )
    (note,) = [n for n in assessed(barred).notes if "加班费" in n.text]
    assert (
        "可能已过仲裁时效" in note.text and "主张 日期" in note.text and "保留 加班费" in note.text
    )

    # A demand within the year interrupts the limit (第二十七条第二款): a new year from then.
    interrupted = assessed(barred + "主张 2025-03-01")
    assert claimed(interrupted)["overtime"][1] is True
    assert "2026年3月1日" in interrupted.claims[0].time_limit.note

    kept = assessed(barred + "保留 加班费")
    assert claimed(kept)["overtime"][1] is True
    assert any("按律师要求仍列入" in n.text for n in kept.notes)


def test_a_dropped_claim_is_left_out_and_article_85_needs_the_inspectorates_order() -> None:
    assessment = assessed(
        "入职 2023-03-01 离职 在职 月薪 6000 合同 有 社保 有 欠薪 3个月 年休假 5天 不主张 年休假"
    )
    assert claimed(assessment) == {
        "wages": (Decimal(18000), True),
        "unused_leave": (Decimal("2758.62"), False),
    }
    assert any("责令 有" in note.text for note in assessment.notes)


def test_an_iou_for_wages_adds_a_payment_order() -> None:
    assessment = assessed("入职 2023-03-01 离职 在职 月薪 6000 合同 有 社保 有 欠薪 3个月 欠条 有")
    assert assessment.payment_order is not None
    assert assessment.payment_order.amount == Decimal(18000)
    assert (
        assessed("入职 2023-03-01 离职 在职 月薪 6000 合同 有 社保 有 欠薪 3个月").payment_order
        is None
    )


def test_every_article_a_draft_rests_on_or_mentions_resolves_in_the_statutes() -> None:
    """The same check as the FAQ's: a citation that does not resolve fails."""
    library = get_knowledge().library
    lines = [case.values[0] for case in CASES] + [
        "入职 2022-01-10 离职 2024-06-30 原因 协商解除 月薪 6000 合同 无 社保 部分 欠薪 12000 "
        "欠条 有 调解协议 有",
        "入职 2022-01-10 离职 2024-06-30 原因 到期终止 月薪 6000 合同 有 社保 有",
        "入职 2022-01-10 离职 2024-06-30 原因 被迫辞职 月薪 6000 合同 有 社保 有 加班 国庆7天",
    ]
    cited: set[Citation] = {*_PROCEDURE, *PAYMENT_ORDER_BASIS}
    for line in lines:
        cited.update(assessed(line).citations())
    unresolved = [str(citation) for citation in cited if library.resolve(citation) is None]
    assert not unresolved
    assert len(cited) > 20  # the check saw the articles, not an empty list


# --- the competent commission (第二十一条) -------------------------------------------------


@pytest.mark.parametrize(
    ("performed_in", "employer_in", "expected"),
    [
        ("上海市嘉定区", None, "上海市嘉定区劳动人事争议仲裁委员会"),
        ("上海嘉定", None, "上海市嘉定区劳动人事争议仲裁委员会"),
        ("深圳宝安区的工地", None, "深圳市宝安区劳动人事争议仲裁委员会"),
        ("乌市天山区", "上海市浦东新区", "乌鲁木齐市天山区劳动人事争议仲裁委员会"),  # 履行地 first
        ("上海", None, "上海市劳动人事争议仲裁委员会"),  # no district: the city's
        ("昆山市", "上海市浦东新区", "上海市浦东新区劳动人事争议仲裁委员会"),  # 所在地 then
        ("昆山市", None, None),
    ],
)
def test_the_commission_where_the_contract_is_performed_else_where_the_employer_is(
    performed_in: str, employer_in: str | None, expected: str | None
) -> None:
    jurisdiction = choose(get_commissions(), performed_in, employer_in)
    assert (jurisdiction.commission.name if jurisdiction.commission else None) == expected
    assert "第二十一条" in jurisdiction.reason


def test_the_commission_directory_is_example_data_said_so_and_checked(tmp_path: Path) -> None:
    from desk.settings import get_settings

    source = get_settings().knowledge_dir / "arbitration_commissions.yml"
    assert "这是示例数据" in source.read_text("utf-8")
    broken = tmp_path / "commissions.yml"
    broken.write_text("cities: [{name: 某市}]\ncommissions: []\n", "utf-8")
    with pytest.raises(CommissionDirectoryError, match="no city-level commission"):
        load_commissions(broken)


def test_a_city_level_commission_comes_with_a_note_to_name_the_district() -> None:
    assessment = assessed(
        "单位 宏达 履行地 上海 入职 2023-03-01 离职 在职 月薪 6000 合同 有 社保 有 欠薪 1000",
        where="",
    )
    assert any("区县" in note.text for note in assessment.notes)


# --- facts: what the lawyer types, what the case already says ----------------------------


def test_a_lawyers_line_is_read_and_each_bad_value_named_without_losing_the_good_ones() -> None:
    parsed = parse(
        "入职 2021年3月1日 月薪 6k 离职 2024.7.31 原因 开除 合同 没签 社保 部分 "
        "年休假 九十天 电话 123"
    )
    assert parsed.facts == {
        "start": "2021-03-01",
        "wage": "6000",
        "end": "2024-07-31",
        "reason": "unlawful",
        "contract": "no",
        "insurance": "partial",
    }
    assert [problem.split("：")[0] for problem in parsed.problems] == ["年休假", "电话"]


def test_still_employed_said_either_way_leaves_no_ending_behind() -> None:
    assert parse("原因 在职 月薪 6000元/月").facts == {"end": "在职", "wage": "6000"}
    earlier = parse("离职 2024-07-31 原因 违法辞退").facts
    assert combined(earlier, parse("离职 在职").facts) == {"end": "在职"}
    assert parse("合同 2021年6月1日补签").facts == {"contract": "2021-06-01"}


def test_words_inside_a_value_do_not_start_a_new_fact() -> None:
    parsed = parse("加班 周末加班16小时，平时30小时 保留 加班费、2N 不主张 年假")
    assert parsed.facts == {
        "overtime": "周末加班16小时，平时加班30小时",
        "keep": "damages,overtime",
        "drop": "unused_leave",
    }


def test_the_intake_and_the_workers_words_fill_what_they_can_and_the_rest_is_asked() -> None:
    intake = {
        "用人单位": "宏达电子厂",
        "所在城市": "上海市嘉定区",
        "涉及金额": "约18000元",
        "联系电话": "未提供",
    }
    known = from_case(
        intake, ["老板欠了三个月工资", "我在厂里干了3年5个月，月薪6000"], arrears_case=True
    )
    assert known.facts == {
        "employer": "宏达电子厂",
        "place": "上海市嘉定区",
        "unpaid": "18000",
        "wage": "6000",
    }
    assert known.hints == {
        "start": "工友说干了3年5个月",
        "unpaid": "登记时说的是“约18000元”，请核实",
    }
    assert [fact.key for fact in missing(known, arrears_case=True)] == [
        "start",
        "end",
        "contract",
        "insurance",
    ]

    # The lawyer's months replace the intake's amount; a date of leaving asks for the reason.
    lawyer = parse("欠薪 2个月 离职 2024-07-31").facts
    combined = merged(known, lawyer)
    assert "unpaid" not in combined.facts and combined.facts["unpaid_months"] == "2"
    assert combined.sources["unpaid_months"] == "律师" and combined.sources["wage"] == "工友原话"
    assert FACT_BY_KEY["reason"] in missing(combined, arrears_case=True)


def test_an_unknown_employer_or_a_rough_answer_in_the_intake_is_asked_again() -> None:
    intake = {"用人单位": "不清楚", "所在城市": "（原话）在工地", "涉及金额": "每人一万多"}
    known = from_case(intake, [], arrears_case=True)
    assert known == Known({}, {}, {})
    assert [fact.key for fact in missing(known, arrears_case=True)][:2] == ["employer", "place"]


# --- the calculators the claims use --------------------------------------------------------


def test_the_new_calculators_give_the_figures_lawyers_use() -> None:
    assert calculators.unpaid_wages(Decimal(6000), months=Decimal(3)).amount == Decimal(18000)
    assert calculators.arrears_compensation(Decimal(10000), 50).amount == Decimal(5000)
    with pytest.raises(ValueError):
        calculators.arrears_compensation(Decimal(10000), 120)
    assert calculators.unlawful_termination_damages(41, Decimal(8000)).amount == Decimal(56000)
    # Capped: three times a local average of 10000, twelve years at most.
    capped = calculators.unlawful_termination_damages(15 * 12, Decimal(40000), Decimal(10000))
    assert capped.amount == Decimal(2 * 12 * 30000)
    # Half a month past the grace month: 14 of September's 30 days.
    part = calculators.double_pay_without_contract(
        Decimal(3000), date(2024, 8, 1), date(2024, 9, 15)
    )
    assert part.amount == Decimal("1400.00")
    assert calculators.unused_leave_pay(Decimal(4350), 3).amount == Decimal(1200)
    assert calculators.full_months(date(2021, 3, 1), date(2024, 8, 1)) == 41
    assert calculators.full_months(date(2021, 3, 1), date(2024, 7, 31)) == 40
    assert calculators.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
