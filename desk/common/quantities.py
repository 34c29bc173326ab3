"""Amounts of money and head counts in what workers write: 3千5, 1.2w, 5k, 一万二, 十几万 and 几千块
as lower bounds, 二十多个工友, 几十人, 上百人, 每人一万多, 没有.

One reader for the whole desk: the lawyer triage and intake (how many workers, how much is owed),
the calculators (a monthly wage) and the aid forms (an income, a count of orders) all read
numbers here, so 3千5 or 十几万 means the same wherever a worker writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from desk.common.numerals import CHINESE_NUMERAL_CHARS, from_chinese, parse_number
from desk.common.text import fold, mark_clauses

# ── One number, as written ───────────────────────────────────────────────────────────────────

# For a caller's own patterns on folded text: a number (47, 四十七, 1.5), and one that may be an
# amount of money (also 3千5, 6k, 1.2w). read_number reads what they match.
NUMERAL = rf"(?:\d+(?:\.\d+)?|[{CHINESE_NUMERAL_CHARS}]+)"
MONEY_NUMERAL = rf"(?:\d+(?:\.\d+)?\s*(?:[千万kw]\d?)?|[{CHINESE_NUMERAL_CHARS}]+)"

_SHORTHAND = re.compile(r"(?<=\d)([kw])")  # 5k, 1.2w
_SHORTHAND_UNITS = {"k": "千", "w": "万"}
_UNIT_VALUES = {"千": 1000, "万": 10_000}
_TAIL = re.compile(r"(\d+(?:\.\d+)?)([千万])(\d)")  # a digit after the unit is one step below it
_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d)[,，](?=\d{3})")
_DIGITS_TO_CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")
# A unit alone (万, 亿) is not a number, though the numeral parser reads it as 0 or as 100.
_A_DIGIT = re.compile(r"[\d零〇一二两三四五六七八九十]")


def read_number(written: str) -> Decimal | None:
    """One number in any form a worker writes it: 47, 四十七, 3千, 3千5 (3500), 1万2 (12000),
    1.2万, 1.2w, 5k, 一万二, 3,000. None when the text is not one number."""
    text = _THOUSANDS_SEPARATOR.sub("", re.sub(r"\s+", "", fold(written)))
    text = _SHORTHAND.sub(lambda match: _SHORTHAND_UNITS[match.group(1)], text)
    if not _A_DIGIT.search(text):
        return None
    tail = _TAIL.fullmatch(text)
    if tail:
        unit = _UNIT_VALUES[tail.group(2)]
        return Decimal(tail.group(1)) * unit + Decimal(tail.group(3)) * unit / 10
    # 3千5百 and 1万2千 mix the two scripts; all in Chinese they parse: 三千五百, 一万二千.
    for candidate in (text, text.translate(_DIGITS_TO_CHINESE)):
        try:
            return parse_number(candidate)
        except ValueError:
            continue
    return None


# "None at all" in the ways it is said: 没有, 一单都没有, 没接到单, 零收入, 一分钱都没挣.
_NOTHING = re.compile(
    r"(?:一(?:单|个|次|件|分钱?)?(?:都|也))?(?:没有?|无|零)(?:接|跑|送|拉|做|挣|赚)?(?:到|过|着)?"
    r"(?:任何)?(?:单|订单|钱|收入|工资)?(?:了|的)?"
)
# 40多, 十几, 十来单, 三四十, 30到40: a range or an open end, not one number.
_NOT_ONE_NUMBER = re.compile(r"多|几|来|余|[一二两三四五六七八九]{2}|\d(?:-|~|到|至)\d")


# Words around "none" that do not change it: 全家都没有收入, 现在一分钱收入都没有, 家里没收入了,
# 啥收入都没有, 目前根本没有.
_AROUND_NONE = re.compile(
    r"现在|目前|如今|最近|这几个月|这两个月|这个月|暂时|已经|一直|根本|完全|实在|真的|其实|"
    r"我们家|我家|家里人|家里|全家人?|一家人?|家庭|我们|我|咱|俺|每个?月|一个月|"
    r"(?:什么|啥|任何)(?=\S*(?:都|也)(?:没|无))|一(?:分钱?|毛钱?|块钱?|点|单|分收入)(?=\S*(?:都|也)?(?:没|无))|"
    r"(?:收入|进账|工资|钱|订单|单子|单)(?=\S*(?:没|无))|分文|都|也|还|就|是|呀|啊|呢|吧|哦|嘛"
)


def says_none(answer: str) -> bool:
    """The folded answer says there is none (没有, 零收入, 一单都没接, 全家都没有收入, 一分没有):
    zero, not no number. 没多少 and 没啥收入 are not none: they are a little."""
    if _NOTHING.fullmatch(answer):
        return True
    if re.search(r"没(?:多少|几|怎么|啥|什么)|不多|很少", answer):
        return False
    stripped = _AROUND_NONE.sub("", answer)
    return bool(stripped) and bool(_NOTHING.fullmatch(stripped))


def is_not_one_number(answer: str) -> bool:
    """40多, 十几, 三四十, 30到40: a form that needs one number asks again."""
    return bool(_NOT_ONE_NUMBER.search(answer))


# ── In a sentence ────────────────────────────────────────────────────────────────────────────

_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
_APPROX_BEFORE = re.compile(r"(?:约|大约|大概|差不多|将近|近|估计|上)$")
# 几十, 数百, 上百: a lower bound the worker chose not to put a number on; 约20人 or 约10000元
# would tell the lawyer a smaller case than the worker described, so the words are kept.
_ROUGH_WORDS = re.compile(r"(?:几|数|上)[十百千万]")


def _prepared(text: str) -> str:
    return mark_clauses(fold(text))


@dataclass(frozen=True)
class Count:
    """How many workers: a lower bound when approximate (二十多 → 20)."""

    value: int
    approximate: bool
    at: int  # where it was said, in the folded text with its clauses marked
    words: str | None = None  # 几十, 上百: as the worker said it


@dataclass(frozen=True)
class Amount:
    """How much money, in 元: a lower bound when approximate (八千多 → 8000)."""

    value: Decimal
    approximate: bool
    words: str | None = None  # 十几万, 几千: as the worker said it
    per_person: bool = False  # 每人一万多: what each worker is owed


# ── Head counts ──

_PEOPLE = (
    r"(?:个|名|位|号)?(?:人(?!民币|事|力|社|均|次|工费|家)|工友|工人|员工|职工|同事|兄弟|师傅|骑手|农民工|"
    r"老乡|小工|姐妹|伙计|劳务工|临时工)"
)
_HEADCOUNT = re.compile(
    rf"(?<!第)(?P<num>\d+|[{_CN_DIGITS}几]+)(?P<approx>多|来|余|几)?{_PEOPLE}|"
    rf"(?:我们|俺们|咱们|一共|总共|共)(?P<num2>\d+|[{_CN_DIGITS}几]+)(?P<approx2>多|来|余)?(?:个|名|位)"
)
_HAO_JI = re.compile(r"好几(?:个|名|位)?(?:人|工友|工人|员工|同事|兄弟)")
_PAIR = re.compile(r"(?:我们|咱们|俺们|我|咱|俺)俩|^俩(?:人|个)?$")
_HAO_JI_ALONE = re.compile(r"好几(?:个|名|位)?")
_RANGE = re.compile(r"([一二三四五六七八九])([二三四五六七八九])")
_ALONE = re.compile(
    r"就我一个|只有我一个?|只我一个|就我自己|只有我自己|就我本人|只有我本人|我自己一个|就俺一个|"
    r"只有俺|就我(?:一人)?$|我一个人(?!干|做|负责|顶|扛)"
)
_BARE_COUNT = re.compile(
    rf"(?:约|大约|大概|差不多|将近|估计|一共|总共|共|上|数)?(?P<num>\d+|[{_CN_DIGITS}几]+)"
    r"(?P<approx>多|来|余)?(?:个|名|位|人)*(?P<around>左右|上下|出头)?(?:吧|的样子|啊)?"
)


def _chinese_count(num: str) -> tuple[int, bool] | None:
    """十几 → 10, 几十 → 20, 三四十 → 30, 二十 → 20."""
    approximate = False
    if "几" in num:
        approximate = True
        # 几 means "a few", at least 2, before a unit: 几个 → 2, 几十 → 20, 几千 → 2000 (11–19
        # would be 十几); after one it adds nothing sure: 十几 → 10, 二十几 → 20.
        num = num.replace("几", "二" if num.startswith("几") else "")
    ranged = _RANGE.search(num)
    if ranged and int(from_chinese(ranged.group(2))) == int(from_chinese(ranged.group(1))) + 1:
        num = num[: ranged.start(2)] + num[ranged.end(2) :]  # 三四十 → 三十: the lower bound
        approximate = True
    try:
        return from_chinese(num), approximate
    except ValueError:
        return None


def _count_of(num: str, said_before: str) -> tuple[int, bool, str | None] | None:
    """A count and the rough words it was said in: 数十 is read as 几十, 上百 as 百."""
    words = said_before[-1:] + num if said_before[-1:] in ("上", "数") else num
    rough = words if _ROUGH_WORDS.fullmatch(words) else None
    if num.isdigit():
        parsed: tuple[int, bool] | None = (int(num), False)
    else:
        parsed = _chinese_count("几" + num if rough and rough[0] == "数" else num)
    if parsed is None:
        return None
    return parsed[0], parsed[1] or rough is not None, rough


def says_alone(text: str) -> bool:
    """就我一个, 只有我自己: the worker is the only one affected."""
    return bool(_ALONE.search(_prepared(text)))


def _largest_count(text: str) -> Count | None:
    best: Count | None = None
    for match in _HEADCOUNT.finditer(text):
        num = match.group("num") or match.group("num2")
        approx_mark = match.group("approx") or match.group("approx2")
        start = match.start("num") if match.group("num") else match.start("num2")
        found = _count_of(num, text[:start])
        if found is None or found[0] <= 0:
            continue
        approximate = (
            found[1] or bool(approx_mark) or bool(_APPROX_BEFORE.search(text[: match.start()]))
        )
        if best is None or found[0] > best.value:
            best = Count(found[0], approximate, match.start(), found[2])
    for match in _HAO_JI.finditer(text):
        if best is None or best.value < 3:
            best = Count(3, True, match.start())
    pair = _PAIR.search(text)
    if best is None and pair:
        best = Count(2, False, pair.start())
    alone = _ALONE.search(text)
    if best is None and alone:
        return Count(1, False, alone.start())
    return best


def head_count(text: str, *, answer: bool = False) -> Count | None:
    """How many workers are affected, the count a lower bound; answer=True also reads a bare
    number, as in a reply to "涉及几个人？" (5, 二十多).

    就我一个 → 1, 我们5个人 → 5, 二十多个工友 → 20, 十几个 → 10, 几十个人 → 20 (said: 几十),
    三四十人 → 30, 上百人 → 100 (said: 上百), 好几个人 → 3. Days, months or money are not people.
    """
    prepared = _prepared(text)
    found = _largest_count(prepared)
    if found is not None or not answer:
        return found
    if _HAO_JI_ALONE.fullmatch(prepared):
        return Count(3, True, 0)
    bare = _BARE_COUNT.fullmatch(prepared)
    if bare is None:
        return None
    counted = _count_of(bare.group("num"), prepared[: bare.start("num")])
    if counted is None:
        return None
    value, approximate, words = counted
    approximate = approximate or bool(bare.group("approx") or bare.group("around"))
    approximate = approximate or bool(re.match(r"约|大约|大概|差不多|将近|估计", prepared))
    return Count(value, approximate, 0, words)


# ── Amounts of money ──

# 3万2 = 32000 (tail), 20多万 = 200000 (more), 二十多万 likewise; 十几万 = at least 100000
# (more), 几千 = at least 2000 (some), 几十万 = at least 200000: lower bounds, marked approximate.
_NUMBER = re.compile(
    r"(?P<ar>(?<![\d.])\d+(?:\.\d+)?)(?:\s*(?P<more>多|余|几)?(?P<unit>万|千|k|w))?"
    r"(?:(?<=[万千kw])(?P<tail>\d)(?![\d.]))?|"
    rf"(?P<cn>[{_CN_DIGITS}]+)(?:(?P<cnmore>多|余|几)(?P<cnunit>万|千))?|"
    r"(?<![十百千万])(?P<some>几|数)(?P<someunit>[十百千万]+)"
)
_SCALE = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, None: 1}
_MONEY_UNIT = re.compile(r"^(?:多|余|来|几)?(?:块|元|圆|rmb|¥)")
_NOT_MONEY_UNIT = re.compile(
    r"^(?:多|余|来|几)?(?:个(?!亿)|人|名|位|天|日|号|月|年|岁|小时|钟头|点|分|秒|次|单|度|层|楼|栋|%|倍|"
    r"周|星期|礼拜|趟|件|台|条|公里|km|米|斤|平|亩|级|期|批|家|辆|张|份|本|部|间|口|户|伤|工)|"
    r"^[-/.:]\d"
)
_NOT_MONEY_BEFORE = re.compile(r"(?:第|星期|礼拜|周|[-/]|\d[-/.:])$")
_RATE_BEFORE = re.compile(
    r"(?:每|月薪|日薪|时薪|底薪|年薪|月工资|一天|一个?月|一小时|一单|一年|每天|每月|每个月|每人)"
    r"(?:的)?(?:工资|工钱)?(?:能拿|有|是|给|拿|挣|赚|就)?$"
)
_RATE_AFTER = re.compile(r"^(?:多|余|来)?(?:块|元)?(?:钱)?(?:/|一个?月|每月|每天|一天|一小时)")
_OWED_CUE = re.compile(
    r"欠|拖欠|没发|没给|没结|少发|克扣|扣了|押|未付|讨|要回|追回|赔|补偿|差我|没拿到"
)
_TOTAL_CUE = re.compile(r"(?:一共|总共|共计|合计|加起来|总计|共)(?:是|有|欠了?)?$")
_MONEY_CUE = re.compile(r"工资|工钱|薪水|薪资|钱|押金|提成|奖金|费|款")
_APPROX_AFTER = re.compile(r"^(?:多|余|来|几)|^[^，]{0,3}(?:左右|上下|出头)")
# 每人一万多 in a collective case: what each is owed, not the total.
_PER_PERSON = re.compile(r"每(?:个|一个)?人|人均|每位|每名|一人")


def _number_value(match: re.Match[str]) -> Decimal | None:
    if match.group("ar") is not None:
        try:
            value = Decimal(match.group("ar"))
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return None
        scale = _SCALE[match.group("unit")]
        tail = match.group("tail")
        return value * scale + (Decimal(tail) * scale / 10 if tail else 0)
    if match.group("some"):
        counted = _chinese_count("几" + match.group("someunit"))
        return None if counted is None else Decimal(counted[0])
    chinese = match.group("cn")
    if chinese[0] in "十百千万" and chinese[0] != "十":
        return None  # 万一, 千万: words, not amounts
    try:
        value = Decimal(from_chinese(chinese))
    except ValueError:
        return None
    scale = _SCALE[match.group("cnunit")]
    if scale > 1 and value >= scale:  # 一万几千: the 几千 adds to the 一万
        return value + (2 * scale if match.group("cnmore") == "几" else 0)
    return value * scale


@dataclass(frozen=True)
class _Candidate:
    rank: tuple[bool, bool, bool]  # after 一共, after 欠, not a rate
    amount: Amount


def _amount_candidates(prepared: str, bare: bool) -> list[_Candidate]:
    found = []
    for match in _NUMBER.finditer(prepared):
        start, end = match.span()
        value = _number_value(match)
        if value is None or value < 1:
            continue
        before, after = prepared[max(0, start - 10) : start], prepared[end:]
        before = before[before.rfind("，") + 1 :] if "，" in before else before
        if _NOT_MONEY_UNIT.match(after) or _NOT_MONEY_BEFORE.search(prepared[:start]):
            continue
        scaled = bool(match.group("unit") or re.search("[万千]", match.group(0)))
        if match.group("ar") and not match.group("unit") and len(match.group("ar")) >= 7:
            continue  # phone, ID or account numbers, not wages
        chinese = match.group("cn")
        if chinese and not re.search("[十百千万]", chinese) and not _MONEY_UNIT.match(after):
            continue  # 三个, 五天: a bare Chinese digit is a count unless it has 元/块
        money = bool(
            _MONEY_UNIT.match(after)
            or scaled
            or _MONEY_CUE.search(before)
            or _OWED_CUE.search(before)
            or _TOTAL_CUE.search(before)
        )
        if not (money or bare):
            continue
        rate = bool(_RATE_BEFORE.search(before) or _RATE_AFTER.match(after))
        rank = (bool(_TOTAL_CUE.search(before)), bool(_OWED_CUE.search(before)), not rate)
        approximate = bool(
            match.group("more")
            or match.group("cnmore")
            or match.group("some")
            or _APPROX_AFTER.search(after)
            or _APPROX_BEFORE.search(before)
        )
        said = match.group(0) + ("几" if re.match("几(?![十百千万])", after) else "")
        words = said if "几" in said or match.group("some") else None
        per_person = bool(_PER_PERSON.search(before))
        found.append(_Candidate(rank, Amount(_tidy(value), approximate, words, per_person)))
    return found


def _tidy(value: Decimal) -> Decimal:
    """25000 rather than 25000.0; cents kept when there are any."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _owed(prepared: str, bare: bool) -> Amount | None:
    candidates = _amount_candidates(prepared, bare)
    if not candidates:
        return None
    best = max(candidates, key=lambda candidate: candidate.rank)
    if not best.rank[2]:
        return None  # only a rate (月薪5000): how much is owed was not said
    return best.amount


def amount_owed(text: str, *, answer: bool = False) -> Amount | None:
    """How much money is owed, in 元; answer=True also reads a bare number, as in a reply to
    "被拖欠的钱大概有多少？" (8000, 八千多), and 每人… as what each is owed.

    欠了我三万二 → 32000, 欠工资8000多 → 8000, 2.5万 → 25000, 十几万 → 100000 (said: 十几万),
    每人被欠了一万多 → 10000 each. A wage rate alone (月薪5000) is not it, nor phone and ID
    numbers, dates, counts of people, days or months. With several amounts, the one after
    一共/总共 wins, then one after 欠/没发, then the first.
    """
    prepared = _prepared(text)
    if answer:
        each = _PER_PERSON.search(prepared)
        found = _owed(prepared[each.end() :], bare=True) if each else None
        if found is not None:
            return Amount(found.value, found.approximate, found.words, per_person=True)
    return _owed(prepared, bare=answer)
