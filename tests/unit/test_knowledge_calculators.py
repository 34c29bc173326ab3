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
    severance,
)
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
