from decimal import Decimal

import pytest

from desk.legal.calculators import (
    OvertimeKind,
    annual_leave_days,
    hourly_wage,
    overtime_pay,
    parse_monthly_wage,
    parse_overtime_hours,
    parse_service_months,
    parse_service_parts,
    severance,
)
from desk.legal.consultation import calculate
from desk.legal.library import get_knowledge
from desk.legal.statutes import Citation


@pytest.mark.parametrize(
    ("months", "counted_wages"),
    [(44, 4), (40, Decimal("3.5")), (5, Decimal("0.5")), (6, 1), (12, 1), (0, 0)],
)
def test_severance_half_year_rule(months: int, counted_wages: Decimal) -> None:
    result = severance(months, Decimal(6000))
    assert result.amount == Decimal(6000) * counted_wages
    assert result.basis == (Citation("劳动合同法", article=47),)


def test_severance_cap_limits_base_and_years() -> None:
    result = severance(15 * 12 + 2, Decimal(30000), local_average_wage=Decimal(8000))
    assert result.amount == 12 * 3 * Decimal(8000)
    assert any("三倍" in step for step in result.steps)
    assert any("12年" in step for step in result.steps)


def test_severance_below_the_cap_is_not_capped() -> None:
    result = severance(15 * 12, Decimal(20000), local_average_wage=Decimal(8000))
    assert result.amount == 15 * Decimal(20000)


@pytest.mark.parametrize(
    ("months", "wage", "amount"),
    [
        (15 * 12, Decimal(24000), 15 * Decimal(24000)),  # exactly three times: not 高于, no cap
        (15 * 12, Decimal("24000.01"), 12 * Decimal(24000)),  # a fen above: base and years capped
        (12 * 12 + 6, Decimal(30000), 12 * Decimal(24000)),  # 12.5 years count as 13, capped to 12
        (12 * 12 + 3, Decimal(30000), 12 * Decimal(24000)),  # 12¼ years count as 12.5, capped too
        (12 * 12, Decimal(30000), 12 * Decimal(24000)),
        (10 * 12, Decimal(30000), 10 * Decimal(24000)),  # the years cap never adds years
    ],
)
def test_severance_cap_applies_only_above_three_times_the_average(
    months: int, wage: Decimal, amount: Decimal
) -> None:
    """劳动合同法 第四十七条: 月工资高于 3 倍 → 按 3 倍, 年限最高不超过十二年."""
    result = severance(months, wage, local_average_wage=Decimal(8000))
    assert result.amount == amount
    years_capped = any("年限最多算12年" in step for step in result.steps)
    assert years_capped is (wage > 24000 and months > 12 * 12)


def test_overtime_rates_and_hourly_wage() -> None:
    assert hourly_wage(Decimal(4350)) == Decimal(25)
    hours = {
        OvertimeKind.WORKDAY: Decimal(8),
        OvertimeKind.REST_DAY: Decimal(8),
        OvertimeKind.HOLIDAY: Decimal(8),
    }
    result = overtime_pay(Decimal(4350), hours)
    assert result.amount == 8 * 25 * Decimal("1.5") + 8 * 25 * 2 + 8 * 25 * 3
    assert Citation("劳动法", article=44) in result.basis
    library = get_knowledge().library
    assert all(library.resolve(citation) for citation in result.basis)


@pytest.mark.parametrize(
    ("months", "days"), [(0, 0), (11, 0), (12, 5), (119, 5), (120, 10), (239, 10), (240, 15)]
)
def test_annual_leave_by_cumulative_service(months: int, days: int) -> None:
    result = annual_leave_days(months)
    assert result.amount == days
    assert result.basis == (Citation("职工带薪年休假条例", article=3),)


@pytest.mark.parametrize(
    ("text", "months", "wage"),
    [
        ("干了3年8个月，月工资6000", 44, 6000),
        ("在厂里做了两年半，月薪五千", 30, 5000),
        ("幹了三年八個月，月薪八千", 44, 8000),
        ("欠了三个月工资，干了两年，一个月3千5", 24, 3500),
        ("2019年入职，干了一年零三个月，工资6k", 15, 6000),
        ("10个月", 10, None),
        ("6000元一个月", None, 6000),
        ("月薪1.2w，干了两年", 24, 12000),
    ],
)
def test_numbers_from_a_workers_sentence(text: str, months: int | None, wage: int | None) -> None:
    assert parse_service_months(text) == months
    assert parse_monthly_wage(text) == (None if wage is None else Decimal(wage))


def test_overtime_hours_from_a_sentence() -> None:
    assert parse_overtime_hours("月薪五千，周末加班16小时") == {OvertimeKind.REST_DAY: 16}
    assert parse_overtime_hours("平时每天加班3小时，国庆加了3天班") == {
        OvertimeKind.WORKDAY: 3,
        OvertimeKind.HOLIDAY: 24,
    }
    # Without a word saying when, the lowest rate: never promise too much.
    assert parse_overtime_hours("加班十个小时") == {OvertimeKind.WORKDAY: 10}


# ── corrections: festival days, annual leave across employers ──


@pytest.mark.parametrize(
    ("text", "holiday_days", "rest_days"),
    [
        ("国庆加班7天", 3, 4),
        ("国庆节加了7天班", 3, 4),
        ("春节加班7天", 4, 3),
        ("过年加班6天", 4, 2),
        ("五一加班5天", 2, 3),
        ("劳动节加班2天", 2, 0),
        ("元旦加班3天", 1, 2),
        ("中秋加班1天", 1, 0),
        ("国庆加班3天", 3, 0),
    ],
)
def test_only_a_festival_s_statutory_days_are_paid_at_300_percent(
    text: str, holiday_days: int, rest_days: int
) -> None:
    hours = parse_overtime_hours(text)
    assert hours.get(OvertimeKind.HOLIDAY) == holiday_days * 8
    assert hours.get(OvertimeKind.REST_DAY, 0) == rest_days * 8


def test_a_long_national_day_break_is_three_days_at_300_and_four_at_200() -> None:
    result = calculate("月薪4350，国庆加班7天，加班费怎么算")
    assert result is not None
    # 4350 ÷ 21.75 ÷ 8 = 25 元 an hour: 24 h × 25 × 3 + 32 h × 25 × 2 = 1800 + 1600.
    assert result.amount == Decimal(3400)
    assert "国庆节的法定节假日是3天" in result.steps[0] and "200%" in result.steps[0]
    assert Citation("全国年节及纪念日放假办法", article=2) in result.basis


def test_statutory_holiday_overtime_without_a_festival_named_stays_at_300_percent() -> None:
    result = calculate("月薪4350，法定节假日加班2天")
    assert result is not None and result.amount == Decimal(1200)
    assert Citation("全国年节及纪念日放假办法", article=2) not in result.basis


def test_festival_overtime_in_hours_beyond_its_days_is_rest_day_overtime() -> None:
    assert parse_overtime_hours("国庆加班30小时") == {
        OvertimeKind.HOLIDAY: 24,
        OvertimeKind.REST_DAY: 6,
    }


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("在这家干了3年，之前干了8年，年假有几天", 10),
        ("在现在的厂干了一年半，以前在别的厂干了九年，年休假几天", 10),
        ("累计工作11年，在这家干了2年，年休假多少天", 10),
        ("之前在工地干了15年，现在这家干了6年，年假多少天", 15),
        ("工作了3年，年假几天", 5),  # one employer: as before
    ],
)
def test_annual_leave_counts_service_with_every_employer(text: str, days: int) -> None:
    result = calculate(text)
    assert result is not None and result.amount == days


def test_annual_leave_across_employers_cites_the_implementing_measures() -> None:
    result = calculate("在这家干了3年，之前干了8年，年假有几天")
    assert result is not None
    assert "3年 + 8年 = 11年" in result.steps[0]
    assert Citation("企业职工带薪年休假实施办法", article=4) in result.basis
    assert parse_service_parts("工作了3年，年假几天") == ()
    assert annual_leave_days(132, (36, 96)).amount == 10
