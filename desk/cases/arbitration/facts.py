"""What an arbitration draft needs to know about a case, where each fact comes from, and how a
lawyer gives the missing ones in one line: `/draft AJ-2026-000001 入职 2021-03-01 月薪 6000 …`.

Facts come from three places, the later winning: the worker's intake (用人单位, 所在城市,
联系电话, 涉及金额 when the case is about arrears), what the worker wrote (月薪6000 read by the
calculators' parser), and the lawyer. Each fact is checked where it is given, and stored in its
normal written form (dates as 2021-03-01, money as 6000), so it reads the same when the next
/draft adds more.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from desk.cases.intake import FIELD_BY_SLOT, NOT_GIVEN, NOT_INVOLVED, UNKNOWN
from desk.common.quantities import amount_owed, read_number
from desk.common.text import fold
from desk.forms.answers import Invalid, read_yes_no
from desk.forms.person import validate_id_number, validate_name, validate_phone
from desk.legal.calculators import parse_monthly_wage, parse_overtime, parse_service_months

STILL_EMPLOYED = "在职"

# How the job ended: the key stored, the words a lawyer types, how the draft says it.
END_REASONS: Mapping[str, tuple[str, ...]] = {
    "unlawful": (
        "违法解除",
        "违法辞退",
        "无故辞退",
        "违法解雇",
        "无故解雇",
        "开除",
        "辞退",
        "解雇",
    ),
    "forced": ("被迫解除", "被迫辞职", "被迫离职", "单位过错"),
    "agreed": ("协商解除", "协商一致", "单位提出协商"),
    "expired": ("到期终止", "合同到期", "到期不续", "到期"),
    "resigned": ("主动辞职", "自己辞职", "辞职", "离职"),
}
# What the lawyer calls each claim when keeping or dropping it (保留 加班费, 不主张 年休假).
CLAIM_WORDS: Mapping[str, tuple[str, ...]] = {
    "wages": ("工资", "欠薪", "拖欠工资"),
    "arrears_compensation": ("加付赔偿金", "第八十五条", "85条"),
    "severance": ("经济补偿", "补偿金", "N"),
    "damages": ("赔偿金", "违法解除赔偿金", "2N"),
    "double_pay": ("二倍工资", "双倍工资"),
    "overtime": ("加班费", "加班"),
    "unused_leave": ("年休假工资", "年休假", "年假"),
}


_CLAIM_BY_WORD = {word: key for key, words in CLAIM_WORDS.items() for word in words}


class FactError(ValueError):
    """A value the lawyer typed that cannot be used; the message says what to write instead."""


# --- reading one value -------------------------------------------------------------------

_DATE = re.compile(
    r"(?P<y>\d{4})\s*[-./年]\s*(?P<m>\d{1,2})\s*(?:[-./月]\s*(?P<d>\d{1,2})\s*日?|月)?(?:份)?"
)


def read_date(value: str) -> str:
    """2021-03-01, 2021.3.1, 2021/3/1, 2021年3月1日; 2021-03 or 2021年3月 is the first day."""
    found = _DATE.fullmatch(fold(value).strip())
    if found is None:
        raise FactError("日期请写成 2021-03-01 这样")
    try:
        day = date(int(found["y"]), int(found["m"]), int(found["d"] or 1))
    except ValueError:
        raise FactError(f"没有{value}这一天，请核对") from None
    if not 1950 <= day.year <= 2100:
        raise FactError(f"{value}的年份不对，请核对")
    return day.isoformat()


def _end(value: str) -> str:
    return STILL_EMPLOYED if "在职" in value or "没离职" in value else read_date(value)


def _reason(value: str) -> str | dict[str, str]:
    text = fold(value)
    if "在职" in text:
        return {"end": STILL_EMPLOYED}
    for key, words in END_REASONS.items():
        if any(word in text for word in words):
            return key
    raise FactError("离职原因请写：违法辞退、被迫辞职、协商解除、到期终止、主动辞职，或在职")


_PER_MONTH = re.compile(r"(?:元|块钱?)?\s*(?:/月|每月|一个月|/个月)?$")


def _money(value: str) -> str:
    amount = read_number(_PER_MONTH.sub("", fold(value).strip()))
    if amount is None or amount <= 0 or amount >= Decimal("1e9"):
        raise FactError("金额请写数字，比如 6000")
    return f"{amount.normalize():f}"


def _wage(value: str) -> str:
    written = _money(value)
    if Decimal(written) < 100:
        raise FactError("月薪请写每月工资的元数，比如 6000")
    return written


def _yes_no(value: str) -> str:
    answer = read_yes_no(fold(value), also_yes="签|交|缴|买")
    if not isinstance(answer, bool):
        raise FactError("请写 有 或 无")
    return "yes" if answer else "no"


def _contract(value: str) -> str:
    """有 (signed within the first month), 无, or the day it was signed late."""
    signed_on = _DATE.search(fold(value))
    return read_date(signed_on.group(0)) if signed_on else _yes_no(value)


def _insurance(value: str) -> str:
    if re.search(r"部分|没交全|不足|少交|未足额", value):
        return "partial"
    return _yes_no(value)


_MONTHS = re.compile(r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*个?\s*月")


def _unpaid(value: str) -> dict[str, str]:
    """欠薪 18000, 欠薪 3个月, 欠薪 3个月 2024年6月至8月 (the period goes into the draft)."""
    text = fold(value)
    months = _MONTHS.match(text)
    period = _period(text)
    if months:
        number = read_number(months["n"])
        if number is None or not 0 < number <= 120:
            raise FactError("欠薪的月数请写 3个月 这样")
        return {"unpaid_months": f"{number.normalize():f}", **period}
    amount = amount_owed(text, answer=True)
    if amount is None or amount.value <= 0:
        raise FactError("欠薪请写金额（欠薪 18000）或月数（欠薪 3个月）")
    return {"unpaid": f"{amount.value.normalize():f}", **period}


def _period(text: str) -> dict[str, str]:
    """2024-05至2024-07 → 2024年5月至2024年7月, as the draft says it."""
    months = [date.fromisoformat(read_date(m.group(0))) for m in _DATE.finditer(text)][:2]
    return {"unpaid_period": "至".join(f"{d.year}年{d.month}月" for d in months)} if months else {}


def _overtime(value: str) -> str:
    """平时100小时 周末8天 → read as 平时加班100小时，周末加班8天 by the overtime parser."""
    pieces = [piece for piece in re.split(r"[\s,，;；、]+", fold(value)) if piece]
    text = "，".join(
        piece
        if "加" in piece
        else re.sub(r"^(\D*?)(?=[\d一二两三四五六七八九十])", r"\1加班", piece)
        for piece in pieces
    )
    if not any(parse_overtime(text).hours.values()):
        raise FactError("加班请写时长，比如：加班 平时100小时 周末8天 国庆3天")
    return text


def _days(value: str) -> str:
    number = read_number(fold(value).removesuffix("天"))
    if number is None or number != number.to_integral_value() or not 0 < number <= 60:
        raise FactError("年休假请写没休的天数，比如 5天")
    return str(int(number))


def _percent(value: str) -> str:
    number = read_number(fold(value).rstrip("%％"))
    if number is None or not 50 <= number <= 100:
        raise FactError("加付比例在50%到100%之间，比如 加付 100%")
    return str(int(number))


def _claims(value: str) -> str:
    """Claim names, longest first so that 2N is not also read as N, 加付赔偿金 not as 赔偿金."""
    text, keys = fold(value).upper(), []
    for word, key in sorted(_CLAIM_BY_WORD.items(), key=lambda item: -len(item[0])):
        if word in text:
            text = text.replace(word, " ")
            keys.append(key)
    if not keys:
        raise FactError(
            "请写请求的名称：工资、加班费、年休假、经济补偿、赔偿金、二倍工资、加付赔偿金"
        )
    return ",".join(key for key in CLAIM_WORDS if key in keys)


def _checked(check: Callable[[str], object]) -> Callable[[str], str]:
    def read(value: str) -> str:
        result = check(value)
        if isinstance(result, Invalid):
            raise FactError(result.message)
        return str(result.value)  # type: ignore[attr-defined]

    return read


def _text(limit: int) -> Callable[[str], str]:
    def read(value: str) -> str:
        text = re.sub(r"\s+", " ", value).strip()
        if not text or len(text) > limit:
            raise FactError(f"请写1到{limit}个字")
        return text

    return read


def _id_number(value: str) -> str:
    return _checked(lambda raw: validate_id_number(raw, today=date.today()))(value)


def _gender(value: str) -> str:
    if value.strip() in ("男", "女"):
        return value.strip()
    raise FactError("性别请写 男 或 女")


# --- the facts ----------------------------------------------------------------------------

Reader = Callable[[str], "str | dict[str, str]"]


@dataclass(frozen=True)
class Fact:
    key: str
    label: str  # how the lawyer is asked for it
    words: tuple[str, ...]  # what the lawyer types before the value, the first in examples
    example: str
    read: Reader
    personal: bool = False  # shown to nobody but in the document itself


FACTS: tuple[Fact, ...] = (
    Fact("start", "入职日期", ("入职", "入职日期", "用工"), "2021-03-01", read_date),
    Fact("end", "离职日期（还在职写“在职”）", ("离职", "离职日期", "解除日期"), "2024-07-31", _end),
    Fact("reason", "离职原因", ("原因", "离职原因", "解除原因"), "违法辞退", _reason),
    Fact("wage", "月工资", ("月薪", "月工资", "工资标准"), "6000", _wage),
    Fact(
        "contract",
        "书面劳动合同（有 / 无 / 补签日期）",
        ("合同", "书面合同", "劳动合同"),
        "无",
        _contract,
    ),
    Fact("insurance", "社会保险（有 / 无 / 部分）", ("社保", "社会保险"), "有", _insurance),
    Fact(
        "unpaid",
        "拖欠工资（金额或月数）",
        ("欠薪", "拖欠工资", "欠工资"),
        "3个月 2024-05至2024-07",
        _unpaid,
    ),
    Fact("overtime", "未付加班", ("加班", "加班费"), "平时100小时 周末8天", _overtime),
    Fact("unused_leave", "未休年休假天数", ("年休假", "未休年休假", "年假"), "5天", _days),
    Fact("ordered", "劳动监察已责令限期支付、单位逾期未付", ("责令",), "有", _yes_no),
    Fact("extra_percent", "第八十五条加付比例", ("加付",), "100%", _percent),
    Fact("iou", "单位写的欠条", ("欠条", "欠据"), "有", _yes_no),
    Fact("mediation", "工资的调解协议", ("调解协议",), "有", _yes_no),
    Fact(
        "demanded",
        "工友向单位讨要或投诉的日期（时效中断）",
        ("主张", "讨要", "投诉"),
        "2025-03-01",
        read_date,
    ),
    Fact("keep", "过了时效也要列入的请求", ("保留",), "加班费", _claims),
    Fact("drop", "不列入的请求", ("不主张",), "年休假", _claims),
    Fact(
        "place",
        "劳动合同履行地（城市和区县）",
        ("履行地", "工作地", "城市"),
        "上海市嘉定区",
        _text(40),
    ),
    Fact("employer_place", "用人单位所在地", ("单位所在地",), "上海市浦东新区", _text(40)),
    Fact(
        "employer",
        "用人单位名称",
        ("单位", "用人单位", "被申请人"),
        "上海某某电子有限公司",
        _text(60),
    ),
    Fact(
        "employer_address", "单位住所", ("单位地址", "单位住所"), "上海市嘉定区某某路1号", _text(80)
    ),
    Fact("representative", "法定代表人", ("法定代表人", "法人"), "李某", _text(20)),
    Fact("job", "岗位", ("岗位", "职务", "工种"), "操作工", _text(20)),
    Fact(
        "average_wage",
        "当地上年度职工月平均工资（经济补偿封顶用）",
        ("平均工资", "社平工资"),
        "12183",
        _wage,
    ),
    Fact("filed", "申请日期（默认今天）", ("申请日期", "日期"), "2025-12-01", read_date),
    Fact("name", "申请人姓名", ("姓名",), "张三", _checked(validate_name), personal=True),
    Fact("gender", "性别", ("性别",), "男", _gender, personal=True),
    Fact("ethnicity", "民族", ("民族",), "汉族", _text(10), personal=True),
    Fact("id_number", "身份证号", ("身份证", "身份证号"), "", _id_number, personal=True),
    Fact("address", "住址", ("住址", "地址"), "", _text(80), personal=True),
    Fact("phone", "联系电话", ("电话", "手机"), "", _checked(validate_phone), personal=True),
)
FACT_BY_KEY = {fact.key: fact for fact in FACTS}
_WORD_TO_FACT = {word: fact for fact in FACTS for word in fact.words}
# A fact's word starts the line or follows a space or a semicolon: 周末加班 is not 加班 …
_FACT_WORD = re.compile(
    r"(?:^|(?<=[\s;；]))(?P<word>"
    + "|".join(re.escape(word) for word in sorted(_WORD_TO_FACT, key=len, reverse=True))
    + r")(?=[\s:：]|\d|$)"
)
PERSONAL_KEYS = frozenset(fact.key for fact in FACTS if fact.personal)


_CLAIM_WORD_SET = frozenset(word for words in CLAIM_WORDS.values() for word in words)


def _fact_words(text: str) -> list[re.Match[str]]:
    """Where each fact starts. After 保留 or 不主张 the names of claims are its value (保留
    加班费 年假), though 加班 and 年假 also start facts; a ； ends the list."""
    starts: list[re.Match[str]] = []
    for match in _FACT_WORD.finditer(text):
        previous = starts[-1] if starts else None
        if (
            previous is not None
            and _WORD_TO_FACT[previous["word"]].key in ("keep", "drop")
            and match["word"] in _CLAIM_WORD_SET
            and not re.search("[;；]", text[previous.end() : match.start()])
        ):
            continue
        starts.append(match)
    return starts


@dataclass
class Parsed:
    facts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def parse(line: str) -> Parsed:
    """The facts in what a lawyer typed after the case number; a value that cannot be used is
    named in problems (the others are kept)."""
    parsed = Parsed()
    text = line.strip()
    matches = _fact_words(text)
    leading = text[: matches[0].start()] if matches else text
    if leading.strip():
        parsed.problems.append(
            f"没看懂「{leading.strip()[:20]}」：每一项请写成“名称 值”，比如 入职 2021-03-01"
        )
    for match, following in zip(matches, [*matches[1:], None], strict=False):
        fact = _WORD_TO_FACT[match["word"]]
        value = text[match.end() : following.start() if following else len(text)]
        value = value.strip().lstrip(":：").strip().rstrip(";；，,").strip()
        if not value:
            parsed.problems.append(
                f"{match['word']}：后面没有写内容，例如 {fact.words[0]} {fact.example}"
            )
            continue
        try:
            read = fact.read(value)
        except FactError as error:
            parsed.problems.append(f"{match['word']}：{error}")
            continue
        parsed.facts.update(read if isinstance(read, dict) else {fact.key: read})
    return parsed


_SHOWN = {"yes": "有", "no": "无", "partial": "部分"}


def shown(key: str, value: str) -> str:
    """A stored value as the lawyer would write it: unlawful → 违法解除, yes → 有, 3 months."""
    if key == "reason":
        return END_REASONS[value][0] if value in END_REASONS else value
    if key in ("keep", "drop"):
        return "、".join(
            CLAIM_WORDS[claim][0] for claim in value.split(",") if claim in CLAIM_WORDS
        )
    if key == "unpaid_months":
        return f"{value}个月"
    if key == "unused_leave":
        return f"{value}天"
    return _SHOWN.get(value, value)


def keys_of(fact: Fact) -> tuple[str, ...]:
    """The stored keys one fact fills (欠薪 fills an amount or months, and a period)."""
    return (*sorted(UNPAID_KEYS), "unpaid_period") if fact.key == "unpaid" else (fact.key,)


# --- what the case already tells ----------------------------------------------------------

INTAKE_LABEL = {
    slot: FIELD_BY_SLOT[slot].label for slot in ("h_employer", "h_city", "h_amount", "h_phone")
}
NOT_AN_ANSWER = (UNKNOWN, NOT_INVOLVED, NOT_GIVEN)
FROM_INTAKE, FROM_WORDS, FROM_LAWYER = "登记", "工友原话", "律师"
UNPAID_KEYS = frozenset({"unpaid", "unpaid_months"})


@dataclass(frozen=True)
class Known:
    """The facts of a case by key, and where each came from."""

    facts: dict[str, str]
    sources: dict[str, str]
    # By fact key: what the worker said that helps with a missing fact, or why a known one
    # should be checked.
    hints: Mapping[str, str] = field(default_factory=dict)


def from_case(
    intake: Mapping[str, object], worker_texts: Iterable[str], arrears_case: bool
) -> Known:
    """Facts from the intake and the worker's own words (newest words win)."""
    facts: dict[str, str] = {}
    hints: dict[str, str] = {}

    def take(key: str, value: object, read: Callable[[str], str]) -> None:
        if value in (None, "", *NOT_AN_ANSWER) or str(value).startswith("（原话）"):
            return
        with contextlib.suppress(FactError):  # the lawyer is asked for it instead
            facts[key] = read(str(value))

    take("employer", intake.get(INTAKE_LABEL["h_employer"]), _text(60))
    take("place", intake.get(INTAKE_LABEL["h_city"]), _text(40))
    take("phone", intake.get(INTAKE_LABEL["h_phone"]), _checked(validate_phone))
    sources = dict.fromkeys(facts, FROM_INTAKE)
    owed = intake.get(INTAKE_LABEL["h_amount"])
    if arrears_case and isinstance(owed, str) and not owed.startswith("每人"):
        amount = amount_owed(owed, answer=True)
        if amount is not None and amount.value > 0:
            facts["unpaid"] = f"{amount.value.normalize():f}"
            sources["unpaid"] = FROM_INTAKE
            if amount.approximate:
                hints["unpaid"] = f"登记时说的是“{owed}”，请核实"
    for text in reversed(list(worker_texts)):
        wage = parse_monthly_wage(text)
        if wage is not None and "wage" not in facts:
            facts["wage"], sources["wage"] = f"{wage.normalize():f}", FROM_WORDS
        months = parse_service_months(text)
        if months and "start" not in hints:
            years, rest = divmod(months, 12)
            said = f"{years}年" * bool(years) + f"{rest}个月" * bool(rest)
            hints["start"] = f"工友说干了{said}"
    return Known(facts, sources, hints)


def combined(earlier: Mapping[str, str], later: Mapping[str, str]) -> dict[str, str]:
    """later over earlier; arrears given as months replace an amount (and its period), and the
    other way round; 在职 drops how the job ended."""
    facts = dict(earlier)
    if UNPAID_KEYS & later.keys():
        for key in (*UNPAID_KEYS, "unpaid_period"):
            facts.pop(key, None)
    if later.get("end") == STILL_EMPLOYED:
        facts.pop("reason", None)  # still at work: no way the job ended
    return {**facts, **later}


def merged(case: Known, lawyer: Mapping[str, str]) -> Known:
    """The lawyer's facts over the case's."""
    facts = combined(case.facts, lawyer)
    sources = {key: source for key, source in case.sources.items() if key in facts}
    sources.update(dict.fromkeys(lawyer, FROM_LAWYER))
    return Known(facts, sources, case.hints)


def missing(known: Known, arrears_case: bool) -> list[Fact]:
    """What the draft cannot be written without, in the order to ask."""
    facts = known.facts
    needed = ["employer", "place", "start", "wage", "end"]
    if facts.get("end") not in (None, STILL_EMPLOYED):
        needed.append("reason")
    needed += ["contract", "insurance"]
    if arrears_case and not UNPAID_KEYS & facts.keys():
        needed.append("unpaid")
    return [FACT_BY_KEY[key] for key in needed if key not in facts]
