"""The three sums workers ask about most, each with the article it rests on, and parsers that
pull the numbers out of a worker's sentence: "干了3年8个月，月工资6000", "月薪五千，周末加班16小时".

Amounts are Decimal and rounded to the fen only at the end; the steps say in plain words how the
result was reached, so a worker can check it against their own payslip.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from desk.common.numerals import CHINESE_NUMERAL_CHARS
from desk.common.quantities import MONEY_NUMERAL, NUMERAL, read_number
from desk.common.text import fold
from desk.legal.statutes import Citation

SEVERANCE_BASIS = (Citation("劳动合同法", article=47),)
OVERTIME_BASIS = (
    Citation("劳动法", article=44),
    Citation("关于职工全年月平均工作时间和工资折算问题的通知", section="二"),
)
ANNUAL_LEAVE_BASIS = (Citation("职工带薪年休假条例", article=3),)

PAID_DAYS_PER_MONTH = Decimal("21.75")  # (365 - 104) ÷ 12, the 折算 notice, section 二
HOURS_PER_DAY = 8
SEVERANCE_CAP_MULTIPLE = 3
SEVERANCE_CAP_YEARS = 12
_FEN = Decimal("0.01")


@dataclass(frozen=True)
class Calculation:
    amount: Decimal  # 元, or days for annual leave
    steps: tuple[str, ...]
    basis: tuple[Citation, ...]


def _yuan(value: Decimal) -> str:
    """6000 → 6000元, 6525.5 → 6525.50元."""
    value = value.quantize(_FEN, ROUND_HALF_UP)
    return f"{value:.0f}元" if value == value.to_integral_value() else f"{value:.2f}元"


def _count(value: Decimal) -> str:
    """3 → 3, 3.5 → 3.5 (months of pay, years, hours)."""
    return f"{value.normalize():f}"


# --- 经济补偿 ------------------------------------------------------------------------------------


def severance(
    service_months: int,
    monthly_wage: Decimal,
    local_average_wage: Decimal | None = None,
) -> Calculation:
    """经济补偿 (劳动合同法 第四十七条): a month's wage per full year of service; six months or
    more count as a year, less than six months as half a month. When the monthly wage is above
    three times the local average, the base is capped at three times the average and the years
    at twelve."""
    if service_months < 0 or monthly_wage < 0:
        raise ValueError("service length and wage must not be negative")
    years, months = divmod(service_months, 12)
    counted = Decimal(years) + (1 if months >= 6 else Decimal("0.5") if months else 0)
    steps = [f"工作{_duration(service_months)}，按{_count(counted)}个月工资计算"]
    if months:
        rule = "满六个月按一年算" if months >= 6 else "不满六个月按半个月算"
        steps[0] += f"（零头{months}个月，{rule}）"
    base = monthly_wage
    cap = local_average_wage * SEVERANCE_CAP_MULTIPLE if local_average_wage else None
    if cap is not None and monthly_wage > cap:
        base = cap
        steps.append(
            f"月工资{_yuan(monthly_wage)}高于当地上年度职工月平均工资的三倍（{_yuan(cap)}），"
            f"按{_yuan(cap)}计算"
        )
        if counted > SEVERANCE_CAP_YEARS:
            counted = Decimal(SEVERANCE_CAP_YEARS)
            steps.append(f"这种情况下年限最多算{SEVERANCE_CAP_YEARS}年")
    elif cap is None:
        steps.append(
            "如果月工资高于当地上年度职工月平均工资的三倍，按三倍封顶，年限最多算"
            f"{SEVERANCE_CAP_YEARS}年"
        )
    amount = (counted * base).quantize(_FEN, ROUND_HALF_UP)
    steps.append(f"经济补偿 = {_count(counted)} × {_yuan(base)} = {_yuan(amount)}")
    steps.append("月工资指离职前十二个月的平均工资，奖金、津贴、补贴都算在内")
    return Calculation(amount, tuple(steps), SEVERANCE_BASIS)


def _duration(months: int) -> str:
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest}个月"
    return f"{years}年{rest}个月" if rest else f"{years}年"


# --- 加班费 --------------------------------------------------------------------------------------


class OvertimeKind(Enum):
    WORKDAY = ("工作日延长工作时间", Decimal("1.5"))
    REST_DAY = ("休息日加班", Decimal(2))
    HOLIDAY = ("法定节假日加班", Decimal(3))

    def __init__(self, label: str, multiple: Decimal) -> None:
        self.label = label
        self.multiple = multiple


def hourly_wage(monthly_wage: Decimal) -> Decimal:
    return monthly_wage / PAID_DAYS_PER_MONTH / HOURS_PER_DAY


def overtime_pay(monthly_wage: Decimal, hours: Mapping[OvertimeKind, Decimal]) -> Calculation:
    """加班费 (劳动法 第四十四条): hours × hourly wage × 150 % / 200 % / 300 %, where the hourly
    wage is the monthly wage ÷ 21.75 ÷ 8. These are minimums."""
    if monthly_wage < 0 or any(value < 0 for value in hours.values()):
        raise ValueError("wage and hours must not be negative")
    hourly = hourly_wage(monthly_wage)
    steps = [f"小时工资 = {_yuan(monthly_wage)} ÷ 21.75天 ÷ 8小时 ≈ {_yuan(hourly)}"]
    total = Decimal(0)
    for kind in OvertimeKind:
        kind_hours = hours.get(kind, Decimal(0))
        if not kind_hours:
            continue
        pay = (kind_hours * hourly * kind.multiple).quantize(_FEN, ROUND_HALF_UP)
        total += pay
        percent = _count(kind.multiple * 100)
        steps.append(
            f"{kind.label}{_count(kind_hours)}小时 × {_yuan(hourly)} × {percent}% = {_yuan(pay)}"
        )
    if hours.get(OvertimeKind.REST_DAY):
        steps.append("休息日加班，单位能安排同样时长补休的，可以不付这200%")
    steps.append(f"加班费至少 {_yuan(total)}")
    return Calculation(total, tuple(steps), OVERTIME_BASIS)


# --- 年休假 --------------------------------------------------------------------------------------


def annual_leave_days(cumulative_service_months: int) -> Calculation:
    """年休假 (职工带薪年休假条例 第三条) by cumulative years of work, with any employer:
    under 1 year none, 1–10 years 5 days, 10–20 years 10 days, 20 years and more 15 days."""
    if cumulative_service_months < 0:
        raise ValueError("service length must not be negative")
    years = cumulative_service_months // 12
    days = 0 if years < 1 else 5 if years < 10 else 10 if years < 20 else 15
    if days:
        reason = f"累计工作已满{years}年，每年年休假{days}天"
    else:
        reason = "累计工作还不满1年，暂时没有年休假"
    steps = (reason, "国家法定休假日、休息日不计入年休假的天数")
    return Calculation(Decimal(days), steps, ANNUAL_LEAVE_BASIS)


# --- reading numbers out of a worker's sentence ---------------------------------------------------

_SERVICE_CUE = re.compile(
    r"(?:干了|做了|工作了|上班|上了|待了|呆了|工龄|司龄|在职|入职|满|已经)\s*$"
)
_NOT_SERVICE_BEFORE = re.compile(r"(?:欠了?|拖了?|扣了?|晚发了?|工资|[元块])\s*$")
_NOT_SERVICE_AFTER = re.compile(
    rf"\s*(?:[\d{CHINESE_NUMERAL_CHARS}元块]|工资|的工资|没发|不发|没给)"
)
_DURATION = re.compile(
    rf"(?:(?P<years>{NUMERAL})\s*年(?P<half>半)?(?:\s*零)?)?"
    rf"(?:(?P<months>{NUMERAL})\s*个\s*月|(?P<half_year>半年))?"
)
_MONEY = rf"(?P<amount>{MONEY_NUMERAL})"
_WAGE_BEFORE = re.compile(
    r"(?:月工资|月薪|月收入|底薪|工资|每个?月|一个月|一月|月入)"
    rf"(?:是|有|才|只有|大概|大约|约|差不多|就|拿|发)?\s*{_MONEY}\s*(?:元|块钱?)?"
)
_WAGE_AFTER = re.compile(rf"{_MONEY}\s*(?:元|块钱?)?\s*(?:一个月|每月|/月|一月)")
_OVERTIME_CUES = {
    OvertimeKind.HOLIDAY: "法定节假日|法定假日|节假日|国庆|春节|过年|五一|元旦|清明|端午|中秋",
    OvertimeKind.REST_DAY: "周末|周六|周日|星期六|星期天|星期日|礼拜六|礼拜天|休息日|双休日?",
    OvertimeKind.WORKDAY: "平时|工作日|平日|下班后|晚上|每天|延时|延点",
}
_OVERTIME = re.compile(
    rf"(?:(?P<cue>{'|'.join(_OVERTIME_CUES.values())})[^，。；,;!?！？]*?)?"
    rf"加(?:了|班了?)?[^，。；,;\d{CHINESE_NUMERAL_CHARS}]{{0,4}}"
    rf"(?P<amount>{NUMERAL})\s*(?:个)?\s*(?P<unit>小时|钟头|钟|天)"
)


def parse_service_months(text: str) -> int | None:
    """干了3年8个月 → 44, 两年半 → 30, 十个月 → 10, 半年 → 6. A length right after a word such
    as 干了 or 工龄 wins; one that belongs to money (一个月3千, 欠了三个月工资) never counts."""
    text = fold(text)
    matches = [match for match in _DURATION.finditer(text) if match.group(0).strip()]
    cued = [match for match in matches if _SERVICE_CUE.search(text[: match.start()])]
    plain = [
        match
        for match in matches
        if not _NOT_SERVICE_BEFORE.search(text[: match.start()])
        and not _NOT_SERVICE_AFTER.match(text, match.end())
    ]
    for match in cued + plain:
        months = _duration_months(match)
        if months is not None:
            return months
    return None


def _duration_months(match: re.Match[str]) -> int | None:
    months = Decimal(0)
    if match.group("years"):
        years = read_number(match.group("years"))
        if years is None or years > 60:  # 2023年 is a date, not a length of service
            return None
        months += years * 12 + (6 if match.group("half") else 0)
    if match.group("months"):
        value = read_number(match.group("months"))
        if value is None:
            return None
        months += value
    if match.group("half_year"):
        months += 6
    return int(months)


def parse_monthly_wage(text: str) -> Decimal | None:
    """月工资6000 / 月薪五千 / 一个月3千5 / 6k / 1.2万 / 1.2w → the monthly wage in 元."""
    text = fold(text)
    for pattern in (_WAGE_BEFORE, _WAGE_AFTER):
        for match in pattern.finditer(text):
            amount = read_number(match.group("amount"))
            if amount is not None and amount >= 100:  # smaller numbers are not a monthly wage
                return amount
    return None


def parse_overtime_hours(text: str) -> dict[OvertimeKind, Decimal]:
    """周末加班16小时 → {REST_DAY: 16}. 加了2天 counts 8 hours a day. Overtime without a word
    saying when is counted as on workdays, the lowest rate, so the result is never too high."""
    text = fold(text)
    hours: dict[OvertimeKind, Decimal] = {}
    for match in _OVERTIME.finditer(text):
        amount = read_number(match.group("amount"))
        if amount is None:
            continue
        if match.group("unit") == "天":
            amount *= HOURS_PER_DAY
        kind = _overtime_kind(match.group("cue"))
        hours[kind] = hours.get(kind, Decimal(0)) + amount
    return hours


def _overtime_kind(cue: str | None) -> OvertimeKind:
    for kind, words in _OVERTIME_CUES.items():
        if cue and re.fullmatch(words, cue):
            return kind
    return OvertimeKind.WORKDAY
