"""The sums workers ask about most, each with the article it rests on, and parsers that pull the
numbers out of a worker's sentence: "干了3年8个月，月工资6000", "月薪五千，周末加班16小时".

The three a worker asks the chat for (经济补偿, 加班费, 年休假天数) and the ones a lawyer's
arbitration draft claims besides (拖欠工资 and 第八十五条's 加付赔偿金, 违法解除赔偿金 2N,
未订书面合同的二倍工资, 未休年休假工资): every figure in a draft comes from here.

Amounts are Decimal and rounded to the fen only at the end; the steps say in plain words how the
result was reached, so a worker can check it against their own payslip.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from desk.common.numerals import CHINESE_NUMERAL_CHARS, chinese_date
from desk.common.quantities import MONEY_NUMERAL, NUMERAL, read_number
from desk.common.text import fold
from desk.legal.statutes import Citation

SEVERANCE_BASIS = (Citation("劳动合同法", article=47),)
OVERTIME_BASIS = (
    Citation("劳动法", article=44),
    Citation("关于职工全年月平均工作时间和工资折算问题的通知", section="二"),
)
ANNUAL_LEAVE_BASIS = (Citation("职工带薪年休假条例", article=3),)
# Service with every employer counts (实施办法 第四条); the first year at a new one is prorated
# by the days left in it (第五条).
CUMULATIVE_SERVICE_BASIS = (
    Citation("企业职工带薪年休假实施办法", article=4),
    Citation("企业职工带薪年休假实施办法", article=5),
)
# Which days of a festival are the statutory holiday (300 %); the rest of a long break is made
# of rest days moved around it (200 %, or time off instead).
HOLIDAY_DAYS_BASIS = Citation("全国年节及纪念日放假办法", article=2)
UNPAID_WAGES_BASIS = (Citation("劳动合同法", article=30), Citation("劳动法", article=50))
# The 50–100 % on top, once the labour inspectorate's order to pay by a date was not obeyed.
ARREARS_COMPENSATION_BASIS = (Citation("劳动合同法", article=85),)
UNLAWFUL_TERMINATION_BASIS = (Citation("劳动合同法", article=87), *SEVERANCE_BASIS)
# From the day after the first month to the day before signing, at most to the day before the
# first anniversary (after which an open-ended contract is deemed made: 实施条例 第七条).
NO_WRITTEN_CONTRACT_BASIS = (
    Citation("劳动合同法", article=82),
    Citation("劳动合同法实施条例", article=6),
    Citation("劳动合同法实施条例", article=7),
)
UNUSED_LEAVE_BASIS = (
    Citation("职工带薪年休假条例", article=5),
    Citation("企业职工带薪年休假实施办法", article=10),
    Citation("企业职工带薪年休假实施办法", article=11),
)

PAID_DAYS_PER_MONTH = Decimal("21.75")  # (365 - 104) ÷ 12, the 折算 notice, section 二
HOURS_PER_DAY = 8
SEVERANCE_CAP_MULTIPLE = 3
SEVERANCE_CAP_YEARS = 12
ARREARS_COMPENSATION_PERCENT = (50, 100)  # 第八十五条: 百分之五十以上百分之一百以下
DOUBLE_PAY_MAX_MONTHS = 11
UNUSED_LEAVE_EXTRA = Decimal(2)  # of the 300 %, 100 % is the wage already paid for the day
_FEN = Decimal("0.01")


@dataclass(frozen=True)
class Calculation:
    amount: Decimal  # 元, or days for annual leave
    steps: tuple[str, ...]
    basis: tuple[Citation, ...]


def yuan(value: Decimal) -> str:
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
            f"月工资{yuan(monthly_wage)}高于当地上年度职工月平均工资的三倍（{yuan(cap)}），"
            f"按{yuan(cap)}计算"
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
    steps.append(f"经济补偿 = {_count(counted)} × {yuan(base)} = {yuan(amount)}")
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


def overtime_pay(
    monthly_wage: Decimal,
    hours: Mapping[OvertimeKind, Decimal],
    notes: tuple[str, ...] = (),
    basis: tuple[Citation, ...] = (),
) -> Calculation:
    """加班费 (劳动法 第四十四条): hours × hourly wage × 150 % / 200 % / 300 %, where the hourly
    wage is the monthly wage ÷ 21.75 ÷ 8. These are minimums. notes: how the hours were
    counted (国庆 7 days: 3 holiday days and 4 rest days), said before the sums; basis: the
    articles those notes rest on."""
    if monthly_wage < 0 or any(value < 0 for value in hours.values()):
        raise ValueError("wage and hours must not be negative")
    hourly = hourly_wage(monthly_wage)
    steps = [*notes, f"小时工资 = {yuan(monthly_wage)} ÷ 21.75天 ÷ 8小时 ≈ {yuan(hourly)}"]
    total = Decimal(0)
    for kind in OvertimeKind:
        kind_hours = hours.get(kind, Decimal(0))
        if not kind_hours:
            continue
        pay = (kind_hours * hourly * kind.multiple).quantize(_FEN, ROUND_HALF_UP)
        total += pay
        percent = _count(kind.multiple * 100)
        steps.append(
            f"{kind.label}{_count(kind_hours)}小时 × {yuan(hourly)} × {percent}% = {yuan(pay)}"
        )
    if hours.get(OvertimeKind.REST_DAY):
        steps.append("休息日加班，单位能安排同样时长补休的，可以不付这200%")
    steps.append(f"加班费至少 {yuan(total)}")
    return Calculation(total, tuple(steps), (*OVERTIME_BASIS, *basis))


# --- 年休假 --------------------------------------------------------------------------------------


def annual_leave_days(cumulative_service_months: int, parts: tuple[int, ...] = ()) -> Calculation:
    """年休假 (职工带薪年休假条例 第三条) by cumulative years of work, with any employer
    (实施办法 第四条): under 1 year none, 1–10 years 5 days, 10–20 years 10 days, 20 years and
    more 15 days. parts: the months with each employer, when the worker named several."""
    if cumulative_service_months < 0 or any(part < 0 for part in parts):
        raise ValueError("service length must not be negative")
    years = cumulative_service_months // 12
    days = 0 if years < 1 else 5 if years < 10 else 10 if years < 20 else 15
    steps = []
    if len(parts) > 1:
        added = " + ".join(_duration(part) for part in parts)
        total = _duration(cumulative_service_months)
        steps.append(f"在不同单位工作的时间都算累计工作时间：{added} = {total}")
    if days:
        steps.append(f"累计工作已满{years}年，每年年休假{days}天")
    else:
        steps.append("累计工作还不满1年，暂时没有年休假")
    steps.append("国家法定休假日、休息日不计入年休假的天数")
    basis = ANNUAL_LEAVE_BASIS
    if len(parts) > 1:
        steps.append("刚换到现在这家的，换单位那一年的年休假按当年在本单位剩余的日历天数折算")
        basis = (*ANNUAL_LEAVE_BASIS, *CUMULATIVE_SERVICE_BASIS)
    return Calculation(Decimal(days), tuple(steps), basis)


# --- what an arbitration claim adds ----------------------------------------------------------


def unpaid_wages(
    monthly_wage: Decimal, months: Decimal | None = None, amount: Decimal | None = None
) -> Calculation:
    """拖欠工资 (劳动合同法 第三十条): the sum the worker names, or months unpaid × monthly wage."""
    if amount is not None:
        if amount < 0:
            raise ValueError("the amount owed must not be negative")
        total = amount.quantize(_FEN, ROUND_HALF_UP)
        steps = [f"被拖欠的工资共{yuan(total)}"]
    elif months is not None:
        if months < 0 or monthly_wage < 0:
            raise ValueError("months and wage must not be negative")
        total = (months * monthly_wage).quantize(_FEN, ROUND_HALF_UP)
        steps = [
            f"拖欠{_count(months)}个月工资：{_count(months)} × {yuan(monthly_wage)} = {yuan(total)}"
        ]
    else:
        raise ValueError("give the amount owed or the months unpaid")
    steps.append("工资应当按月足额支付，不得克扣或者无故拖欠")
    return Calculation(total, tuple(steps), UNPAID_WAGES_BASIS)


def arrears_compensation(
    owed: Decimal, percent: int = ARREARS_COMPENSATION_PERCENT[0]
) -> Calculation:
    """加付赔偿金 (劳动合同法 第八十五条): 50 %–100 % of what was owed, once the employer let the
    labour inspectorate's deadline to pay pass."""
    low, high = ARREARS_COMPENSATION_PERCENT
    if not low <= percent <= high or owed < 0:
        raise ValueError(f"the rate is {low}–{high} % of a non-negative amount")
    amount = (owed * percent / 100).quantize(_FEN, ROUND_HALF_UP)
    steps = (
        "劳动行政部门责令限期支付，单位逾期仍未支付",
        f"加付赔偿金 = {yuan(owed)} × {percent}% = {yuan(amount)}（法定比例为{low}%至{high}%）",
    )
    return Calculation(amount, steps, ARREARS_COMPENSATION_BASIS)


def unlawful_termination_damages(
    service_months: int,
    monthly_wage: Decimal,
    local_average_wage: Decimal | None = None,
) -> Calculation:
    """赔偿金 (劳动合同法 第八十七条): twice the 经济补偿 of 第四十七条, for a contract ended
    against the law (dismissal without a lawful ground)."""
    single = severance(service_months, monthly_wage, local_average_wage)
    amount = (single.amount * 2).quantize(_FEN, ROUND_HALF_UP)
    steps = (
        *single.steps[:-2],  # how the years and the base were counted, without the N itself
        f"经济补偿 N = {yuan(single.amount)}",
        f"违法解除的赔偿金是经济补偿的二倍：2 × {yuan(single.amount)} = {yuan(amount)}",
        single.steps[-1],
    )
    return Calculation(amount, steps, UNLAWFUL_TERMINATION_BASIS)


def add_months(day: date, months: int) -> date:
    """The same day of the month, months later (31 Jan + 1 month is the last day of February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months(start: date, end: date) -> int:
    """Whole months from start to end (2021-03-01 → 2024-08-01 is 41); a part month is not one."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if months > 0 and add_months(start, months) > end else max(months, 0)


def months_and_days(start: date, end: date) -> tuple[int, int]:
    """Whole months from start to end, and the days left over."""
    months = full_months(start, end)
    return months, (end - add_months(start, months)).days


def double_pay_without_contract(
    monthly_wage: Decimal, employed_from: date, contract_or_end: date
) -> Calculation:
    """二倍工资 (劳动合同法 第八十二条, 实施条例 第六条、第七条): without a written contract after
    the first month, the employer owes a second wage for each month from the day after the
    first month to the day before the contract was signed or the job ended, at most eleven
    months (after a year an open-ended contract is deemed made). The claim is the second wage:
    the first was paid. A part month counts by its calendar days.

    contract_or_end: the day the contract was signed, or the day after the last day worked."""
    if monthly_wage < 0:
        raise ValueError("the wage must not be negative")
    first_month_ends = add_months(employed_from, 1)
    last_day = min(contract_or_end, add_months(employed_from, 12))
    months, days = months_and_days(first_month_ends, last_day)
    month_after = add_months(first_month_ends, months)
    in_month = (add_months(month_after, 1) - month_after).days
    if months >= DOUBLE_PAY_MAX_MONTHS:
        months, days = DOUBLE_PAY_MAX_MONTHS, 0
    exact = (Decimal(months) + Decimal(days) / in_month) * monthly_wage
    amount = exact.quantize(_FEN, ROUND_HALF_UP)
    span = f"{months}个月" + (f"{days}天" if days else "")
    steps = [
        f"自{chinese_date(employed_from)}用工，满一个月的次日是{chinese_date(first_month_ends)}",
        f"到{chinese_date(last_day - timedelta(days=1))}为止，没有书面劳动合同的时间是{span}"
        + (f"（不足一个月的{days}天按{in_month}天折算）" if days else ""),
    ]
    if contract_or_end >= add_months(employed_from, 12):
        steps.append("满一年仍未订立的，二倍工资最多算十一个月，并视为已订立无固定期限劳动合同")
    part = f" + {days}/{in_month} × {yuan(monthly_wage)}" if days else ""
    steps.append(f"另一倍工资 = {months} × {yuan(monthly_wage)}{part} = {yuan(amount)}")
    return Calculation(amount, tuple(steps), NO_WRITTEN_CONTRACT_BASIS)


def unused_leave_pay(monthly_wage: Decimal, days: int) -> Calculation:
    """未休年休假工资 (条例 第五条, 实施办法 第十条、第十一条): 300 % of the daily wage
    (monthly ÷ 21.75) for each day not taken, of which 100 % was paid as the day's wage: the
    claim is the other 200 %."""
    if monthly_wage < 0 or days < 0:
        raise ValueError("wage and days must not be negative")
    daily = monthly_wage / PAID_DAYS_PER_MONTH
    amount = (days * daily * UNUSED_LEAVE_EXTRA).quantize(_FEN, ROUND_HALF_UP)
    steps = (
        f"日工资 = {yuan(monthly_wage)} ÷ 21.75天 ≈ {yuan(daily)}",
        "应休未休的年休假按日工资的300%支付，其中100%是当天已发的正常工资，还应支付200%",
        f"{days}天 × {yuan(daily)} × 200% = {yuan(amount)}",
    )
    return Calculation(amount, steps, UNUSED_LEAVE_BASIS)


# --- reading numbers out of a worker's sentence ---------------------------------------------------

_SERVICE_CUE = re.compile(
    r"(?:干了|做了|工作了|上班|上了|待了|呆了|工龄|司龄|在职|入职|满|已经)\s*$"
)
# 年假一年有几天 / 每年: a length right after these is a period of the rule, not of service.
_NOT_SERVICE_BEFORE = re.compile(r"(?:欠了?|拖了?|扣了?|晚发了?|工资|[元块]|年假|年休假|每)\s*$")
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
# The statutory holiday days of each festival (全国年节及纪念日放假办法 第二条), by the words
# workers use for it.
FESTIVAL_DAYS = {
    "元旦": ("元旦", 1),
    "春节": ("春节", 4),
    "过年": ("春节", 4),
    "清明": ("清明节", 1),
    "五一": ("劳动节", 2),
    "劳动节": ("劳动节", 2),
    "端午": ("端午节", 1),
    "中秋": ("中秋节", 1),
    "国庆": ("国庆节", 3),
}
_OVERTIME_CUES = {
    OvertimeKind.HOLIDAY: "法定节假日|法定假日|节假日|" + "|".join(FESTIVAL_DAYS),
    OvertimeKind.REST_DAY: "周末|周六|周日|星期六|星期天|星期日|礼拜六|礼拜天|休息日|双休日?",
    OvertimeKind.WORKDAY: "平时|工作日|平日|下班后|晚上|每天|延时|延点",
}
_OVERTIME = re.compile(
    rf"(?:(?P<cue>{'|'.join(_OVERTIME_CUES.values())})[^，。；,;!?！？]*?)?"
    rf"加(?:了|班了?)?[^，。；,;\d{CHINESE_NUMERAL_CHARS}]{{0,4}}"
    rf"(?P<amount>{NUMERAL})\s*(?:个)?\s*(?P<unit>小时|钟头|钟|天)"
)


# The cue words above are a few characters long and spaces come single (desk.common.inbound):
# looking this far back is enough, and keeps a sentence of many lengths linear to read.
_CUE_REACH = 16


def _just_before(text: str, start: int) -> str:
    return text[max(0, start - _CUE_REACH) : start]


def parse_service_months(text: str) -> int | None:
    """干了3年8个月 → 44, 两年半 → 30, 十个月 → 10, 半年 → 6. A length right after a word such
    as 干了 or 工龄 wins; one that belongs to money (一个月3千, 欠了三个月工资) never counts."""
    text = fold(text)
    matches = [match for match in _DURATION.finditer(text) if match.group(0).strip()]
    cued = [match for match in matches if _SERVICE_CUE.search(_just_before(text, match.start()))]
    plain = [
        match
        for match in matches
        if not _NOT_SERVICE_BEFORE.search(_just_before(text, match.start()))
        and not _NOT_SERVICE_AFTER.match(text, match.end())
    ]
    for match in cued + plain:
        months = _duration_months(match)
        if months is not None:
            return months
    return None


# A career in total: 累计工作11年, 出来打工十二年了 (before naming the present employer's share).
_CUMULATIVE_CUE = re.compile(
    r"(?:(?:累计|总共|一共|加起来|前后|总计)(?:工作|干|做|上班)?|出来(?:打工|工作|上班|干活)|打工)"
    r"了?\s*$"
)


_OTHER_EMPLOYERS = re.compile(
    r"之前|以前|原来|上一家|上家|前一家|前面|别的|其他|其它|另一家|另外|换了|跳槽|这家|现在这|老单位"
)


def parse_service_parts(text: str) -> tuple[int, ...]:
    """The lengths of service with each employer a sentence names, in months: 在这家干了3年，
    之前干了8年 → (36, 96); a total the worker gives (累计工作11年) alone: (132,). Empty when the
    sentence names neither a total nor several employers."""
    folded = fold(text)
    several = bool(_OTHER_EMPLOYERS.search(folded))
    parts: list[int] = []
    for match in _DURATION.finditer(folded):
        if not match.group(0).strip():
            continue
        before = _just_before(folded, match.start())
        months = _duration_months(match)
        if months is None or not months:
            continue
        if _CUMULATIVE_CUE.search(before):
            return (months,)
        cued = bool(_SERVICE_CUE.search(before))
        if cued or not (
            _NOT_SERVICE_BEFORE.search(before) or _NOT_SERVICE_AFTER.match(folded, match.end())
        ):
            parts.append(months)
    return tuple(parts) if several and len(parts) > 1 else ()


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


@dataclass(frozen=True)
class Overtime:
    """Overtime hours by kind, read from a sentence, and how a festival's days were counted."""

    hours: dict[OvertimeKind, Decimal]
    notes: tuple[str, ...] = ()
    basis: tuple[Citation, ...] = ()


def parse_overtime(text: str) -> Overtime:
    """周末加班16小时 → {REST_DAY: 16}. 加了2天 counts 8 hours a day. Overtime without a word
    saying when is counted as on workdays, the lowest rate, so the result is never too high.

    A festival counts at 300 % only for its statutory holiday days (国庆 3, 春节 4, 劳动节 2,
    元旦, 清明, 端午, 中秋 1): 国庆加班7天 is 3 days at 300 % and 4 rest days at 200 %."""
    text = fold(text)
    hours: dict[OvertimeKind, Decimal] = {}
    notes: list[str] = []
    for match in _OVERTIME.finditer(text):
        amount = read_number(match.group("amount"))
        if amount is None:
            continue
        in_days = match.group("unit") == "天"
        if in_days:
            amount *= HOURS_PER_DAY
        kind = _overtime_kind(match.group("cue"))
        festival = _festival(match.group("cue"))
        if kind is OvertimeKind.HOLIDAY and festival is not None:
            name, days = festival
            holiday = Decimal(days * HOURS_PER_DAY)
            if amount > holiday:
                rest = amount - holiday
                hours[OvertimeKind.REST_DAY] = hours.get(OvertimeKind.REST_DAY, Decimal(0)) + rest
                amount = holiday
                more = f"{_count(rest / HOURS_PER_DAY)}天" if in_days else f"{_count(rest)}小时"
                these = f"这{days}天" if in_days else f"这{days}天（{_count(holiday)}小时）"
                notes.append(
                    f"{name}的法定节假日是{days}天，{these}加班按300%；"
                    f"其余{more}是调休形成的休息日，按200%（单位安排补休的可以不付）"
                )
        hours[kind] = hours.get(kind, Decimal(0)) + amount
    return Overtime(hours, tuple(notes), (HOLIDAY_DAYS_BASIS,) if notes else ())


def parse_overtime_hours(text: str) -> dict[OvertimeKind, Decimal]:
    """The hours of parse_overtime, by kind."""
    return parse_overtime(text).hours


def _festival(cue: str | None) -> tuple[str, int] | None:
    return next((days for word, days in FESTIVAL_DAYS.items() if cue and word in cue), None)


def _overtime_kind(cue: str | None) -> OvertimeKind:
    for kind, words in _OVERTIME_CUES.items():
        if cue and re.fullmatch(words, cue):
            return kind
    return OvertimeKind.WORKDAY
