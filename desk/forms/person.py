"""Who the worker is: their name, 身份证号 (GB 11643) and mobile number, checked and normalised
as any form asks them."""

from __future__ import annotations

import re
from datetime import date

from desk.common.numerals import from_chinese
from desk.common.text import clean_answer
from desk.forms.answers import HAN, Invalid, Valid, is_unsure

# Voice input writes digits as 一三九…; 幺 is how 1 is read out in phone numbers.
_TO_ARABIC = str.maketrans(
    {char: str(from_chinese(char)) for char in "零〇一二三四五六七八九"} | {"幺": "1"}
)
# "手机：139…", "身份证号是 1101…": the label a worker types before the value itself.
_NUMBER_LABEL = re.compile(
    r"^(?:我的)?(?:手机号码?|手机|电话号码?|电话|联系方式|身份证号码?|身份证)(?:是|为)?[:：]?"
)
_SEPARATORS = re.compile(r"[\s\-－—–()（）.]")


# ── 姓名 ──────────────────────────────────────────────────────────────────────────────────────

_NAME_PREFIX = re.compile(r"^(?:我叫|我是|我的名字(?:是|叫)|名字(?:是|叫)?|姓名(?:是)?)[:：\s]*")
# Middle-dot look-alikes people type in minority and foreign names (艾力·买买提).
_DOTS = str.maketrans(dict.fromkeys("•・‧∙･", "·"))
_SPACE_NEXT_TO_HAN = re.compile(rf"\s*([{HAN}·])\s*")
_NAME_CHARS = re.compile(rf"[{HAN}A-Za-z· ]+")
_NAME = re.compile(rf"[{HAN}A-Za-z]+(?:[· ][{HAN}A-Za-z]+)*")
NAME_MAX_CHARS = 20


def validate_name(raw: str) -> Valid[str] | Invalid:
    text = _NAME_PREFIX.sub("", clean_answer(raw).translate(_DOTS))
    text = re.sub(r"\s+", " ", _SPACE_NEXT_TO_HAN.sub(r"\1", text)).strip()
    if not text or is_unsure(text):
        return Invalid("请告诉我您的姓名，和身份证上的一致")
    if re.search(r"[0-9]", text):
        return Invalid("姓名里不能有数字，请填写身份证上的姓名")
    if not _NAME_CHARS.fullmatch(text):
        return Invalid("姓名只能包含汉字、英文字母和间隔号“·”，请去掉其他符号")
    if not _NAME.fullmatch(text):
        return Invalid("间隔号“·”只能用在名字中间，比如“艾力·买买提”")
    if len(text) < 2:
        return Invalid("姓名至少要2个字，请填写身份证上的全名")
    if len(text) > NAME_MAX_CHARS:
        return Invalid(f"姓名最多{NAME_MAX_CHARS}个字，您输入了{len(text)}个字")
    return Valid(text)


# ── 身份证号 (GB 11643-1999) ─────────────────────────────────────────────────────────────────

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"  # indexed by the weighted sum modulo 11
MIN_AGE, MAX_AGE = 16, 70


def validate_id_number(raw: str, *, today: date) -> Valid[str] | Invalid:
    """18 characters, a real birth date, an age of 16–70 on `today`, the GB 11643 check digit.

    The date is checked before the check digit: a mistyped year is then named as such.
    """
    text = _SEPARATORS.sub(
        "", _NUMBER_LABEL.sub("", clean_answer(raw).translate(_TO_ARABIC))
    ).upper()
    if not text:
        return Invalid("请输入18位身份证号")
    if not re.fullmatch(r"[0-9X]+", text):
        return Invalid("身份证号只能由数字组成，最后一位可以是X，请核对一下")
    if len(text) != 18:
        return Invalid(f"身份证号应为18位，您输入了{len(text)}位")
    if "X" in text[:17]:
        return Invalid("只有最后一位可以是X，请核对一下身份证号")
    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    try:
        birth = date(year, month, day)
    except ValueError:
        return Invalid(
            f"身份证号第7到14位是出生日期，{year}年{month}月{day}日不是有效日期，请核对一下"
        )
    if birth > today:
        return Invalid(f"身份证号里的出生日期{year}年{month}月{day}日还没到，请核对一下")
    if _id_check_char(text[:17]) != text[17]:
        return Invalid("身份证号的最后一位校验码不对，请核对一下")
    age = today.year - year - ((today.month, today.day) < (month, day))
    if age < MIN_AGE:
        return Invalid(f"按身份证号推算您现在{age}岁，入会需年满{MIN_AGE}周岁，请核对一下号码")
    if age > MAX_AGE:
        return Invalid(
            f"按身份证号推算您已{age}岁，线上入会受理{MIN_AGE}至{MAX_AGE}周岁的职工，"
            "有需要可以回复“转人工”"
        )
    return Valid(text)


def _id_check_char(first_17: str) -> str:
    return _ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first_17, _ID_WEIGHTS, strict=True)) % 11]


# ── 手机号 ────────────────────────────────────────────────────────────────────────────────────

# +86 and 0086 always; a bare 86 only where it leaves exactly a mobile number.
_COUNTRY_CODE = re.compile(r"^(?:\+86|0086|86(?=1\d{10}$))")


def validate_phone(raw: str) -> Valid[str] | Invalid:
    """A mainland mobile number: 11 digits starting 13–19; spaces, dashes and +86 are fine."""
    text = _SEPARATORS.sub("", _NUMBER_LABEL.sub("", clean_answer(raw).translate(_TO_ARABIC)))
    text = _COUNTRY_CODE.sub("", text)
    if not text:
        return Invalid("请留一个手机号，方便工会工作人员联系您")
    if not re.fullmatch(r"[0-9]+", text):
        return Invalid("手机号只能包含数字，请重新输入")
    if len(text) != 11:
        return Invalid(f"手机号应为11位，您输入了{len(text)}位")
    if text.startswith("0"):
        return Invalid("这像是座机号码，请留一个手机号（1开头的11位数字）")
    if not re.match(r"1[3-9]", text):
        return Invalid("手机号应以13至19开头，请核对一下")
    return Valid(text)
