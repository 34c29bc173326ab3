"""Chinese numerals: as statutes write article numbers, and as workers write amounts; and a
date as a Chinese text writes it (2024年7月31日).

Statutes: 第十条, 第二十条, 第一百零五条, 第一百一十条 (never 一十 at the start).
Workers: 五千, 六千五 (= 6500), 一万二 (= 12000), 3千, 1.2万, 两年半; desk.common.quantities reads
the rest of how workers write numbers (3千5, 1.2w, 十几万, 二十多个人) on top of these.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {char: value for value, char in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(_DIGIT_VALUES) + "".join(_SMALL_UNITS) + "".join(_LARGE_UNITS)

_ARABIC_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?)([十百千万亿]*)")


def to_chinese(number: int) -> str:
    """1..99999999 as statutes write it: 10→十, 47→四十七, 105→一百零五, 110→一百一十."""
    if not 0 < number < 100_000_000:
        raise ValueError(f"out of range for a statute numeral: {number}")
    high, low = divmod(number, 10_000)
    if not high:
        return _below_ten_thousand(low, leading=True)
    text = _below_ten_thousand(high, leading=True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _below_ten_thousand(low, leading=False)
    return text


def _below_ten_thousand(number: int, *, leading: bool) -> str:
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit_value)
        if not digit:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        # 十 alone at the very start (十, 十七) but 一十 inside (一百一十).
        omit_one = leading and not parts and unit == "十" and digit == 1
        parts.append(("" if omit_one else _DIGITS[digit]) + unit)
    return "".join(parts)


def from_chinese(text: str) -> int:
    """Parses 十, 四十七, 一百零五, 两万三千, and the colloquial 六千五 (6500) or 一万二 (12000)."""
    if not text or any(char not in CHINESE_NUMERAL_CHARS for char in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total = 0
    section = 0  # the part below the current 万/亿
    digit: int | None = None
    last_unit = 0
    for char in text:
        if char in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[char]
            if char in "零〇":
                last_unit = 0  # 一百零五: what follows a zero is plain units
        elif char in _SMALL_UNITS:
            last_unit = _SMALL_UNITS[char]
            section += (1 if digit is None else digit) * last_unit
            digit = None
        else:
            last_unit = _LARGE_UNITS[char]
            total += (section + (digit or 0)) * last_unit
            section, digit = 0, None
    if digit is not None:
        # A trailing digit right after a unit means one step below it: 六千五 = 6500.
        section += digit * (last_unit // 10 if last_unit >= 10 else 1)
    return total + section


def parse_number(text: str) -> Decimal:
    """A number in any of the written forms: 47, 四十七, 3千, 1.2万, 一万二."""
    text = text.strip()
    if not text:
        raise ValueError("empty number")
    match = _ARABIC_WITH_UNIT.fullmatch(text)
    if match:
        try:
            value = Decimal(match.group(1))
        except InvalidOperation as error:  # pragma: no cover - the regex admits only decimals
            raise ValueError(text) from error
        for unit in match.group(2):
            value *= _SMALL_UNITS.get(unit) or _LARGE_UNITS[unit]
        return value
    return Decimal(from_chinese(text))


def chinese_date(day: date) -> str:
    """2024年7月31日: no leading zeros, as letters and documents write it."""
    return f"{day.year}年{day.month}月{day.day}日"
