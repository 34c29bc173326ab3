"""The one reader of amounts and head counts, against one table of what workers write.

Every case the triage, intake, calculators and aid forms rely on is here once; their own tests
check only what they make of a reading (约20人, 每人约10000元, an Invalid asking again).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from desk.common.quantities import (
    Amount,
    Count,
    amount_owed,
    head_count,
    is_not_one_number,
    read_number,
    says_alone,
    says_none,
)


def _number(text: str) -> str | None:
    value = read_number(text)
    return None if value is None else f"{value.normalize():f}"


def _count(found: Count | None) -> str | None:
    """5, 约20 (a lower bound), 约20（几十） (kept in the worker's words)."""
    if found is None:
        return None
    shown = f"{'约' if found.approximate else ''}{found.value}"
    return f"{shown}（{found.words}）" if found.words else shown


def _amount(found: Amount | None) -> str | None:
    """32000, 约8000, 每人约10000, 约100000（十几万）; str(value), so never 2.5E+4 or 25000.0."""
    if found is None:
        return None
    shown = f"{'每人' if found.per_person else ''}{'约' if found.approximate else ''}{found.value}"
    return f"{shown}（{found.words}）" if found.words else shown


READERS: dict[str, Callable[[str], str | bool | None]] = {
    "number": _number,  # one number, as a form's answer or a calculator's wage
    "none": says_none,  # 没有: zero, for a form that accepts it
    "not one": is_not_one_number,  # 40多, 三四十: a form asks for one number
    "alone": says_alone,
    "workers": lambda text: _count(head_count(text)),  # in a sentence
    "workers?": lambda text: _count(head_count(text, answer=True)),  # a reply to 几个人？
    "owed": lambda text: _amount(amount_owed(text)),  # in a sentence
    "owed?": lambda text: _amount(amount_owed(text, answer=True)),  # a reply to 多少钱？
}

CASES: list[tuple[str, str, str | bool | None]] = [
    # ── one number ──
    ("number", "6000", "6000"),
    ("number", "47", "47"),
    ("number", "四十七", "47"),
    ("number", "四十九", "49"),
    ("number", "一百零五", "105"),
    ("number", "两百", "200"),
    ("number", "两", "2"),
    ("number", "十", "10"),
    ("number", "零", "0"),
    ("number", "49", "49"),
    ("number", "五千", "5000"),
    ("number", "三千", "3000"),
    ("number", "六千五", "6500"),  # one step below the unit
    ("number", "两千五", "2500"),
    ("number", "一万二", "12000"),
    ("number", "两万三千", "23000"),
    ("number", "3千", "3000"),
    ("number", "3千5", "3500"),
    ("number", "1千2", "1200"),
    ("number", "1万2", "12000"),
    ("number", "3万5千", "35000"),
    ("number", "1.2万", "12000"),
    ("number", "1.2w", "12000"),
    ("number", "1.2W", "12000"),
    ("number", "3k", "3000"),
    ("number", "6K", "6000"),
    ("number", "5k", "5000"),
    ("number", "3,000", "3000"),
    ("number", "2650.5", "2650.5"),
    ("number", "1.005", "1.005"),
    ("number", "３０００", "3000"),  # full-width
    ("number", "萬", None),  # a unit alone is no number
    ("number", "万", None),
    ("number", "-5", None),
    ("number", "很少", None),
    ("number", "", None),
    # ── none at all, and not one number (the aid forms) ──
    ("none", "没有", True),
    ("none", "零", True),
    ("none", "没单", True),
    ("none", "没接到单", True),
    ("none", "一单都没有", True),
    ("none", "一单也没接", True),
    ("none", "没有收入", True),
    ("none", "零收入", True),
    ("none", "一分钱都没有", True),
    ("none", "没有50单", False),
    ("none", "不知道", False),
    ("not one", "40多", True),
    ("not one", "十几", True),
    ("not one", "十来", True),
    ("not one", "三四十", True),
    ("not one", "两三千", True),
    ("not one", "三千多", True),
    ("not one", "30到40", True),
    ("not one", "四十九", False),
    ("not one", "一万二", False),
    ("not one", "3千5", False),
    # ── head counts in a sentence ──
    ("workers", "就我一个", "1"),
    ("workers", "只有我自己被欠薪", "1"),
    ("workers", "就我一个人被欠薪了", "1"),
    ("workers", "我们5个人", "5"),
    ("workers", "我们一共8名工人", "8"),
    ("workers", "欠了12个工人的工资", "12"),
    ("workers", "二十多个工友", "约20"),
    ("workers", "我们宏达电子厂二十多个工友三个月没发工资了", "约20"),
    ("workers", "十几个人", "约10"),
    ("workers", "十来个人", "约10"),
    ("workers", "几十个人", "约20（几十）"),  # 几 ≥ 2: 几十 is at least 20 (11–19 is 十几)
    ("workers", "我们厂几十个人没拿到工资", "约20（几十）"),
    ("workers", "几个人", "约2"),
    ("workers", "好几个工友", "约3"),
    ("workers", "三四十人", "约30"),  # a range counts as its lower end
    ("workers", "十五六个人", "约15"),
    ("workers", "一百多号人", "约100"),
    ("workers", "上百人", "约100（上百）"),
    ("workers", "数十名工人", "约20（数十）"),  # 数十 is 几十
    ("workers", "两个人", "2"),
    ("workers", "我们俩都被欠薪了", "2"),
    ("workers", "我們二十幾個工友", "约20"),  # 繁体
    ("workers", "老板欠了我们二十几个人3个月工资", "约20"),
    ("workers", "几十块钱的事，我们5个人", "5"),  # 几十 of money, not of people
    ("workers", "我们工地四十个人，每人被欠了一万多", "40"),
    ("workers", "干了5个月，欠了三个月工资", None),
    ("workers", "一天干10个小时", None),
    ("workers", "欠了我5000人民币", None),
    ("workers", "第三个人", None),
    ("workers", "大家都没拿到钱", None),
    # ── head counts in a reply to 涉及几个人？ ──
    ("workers?", "5", "5"),
    ("workers?", "五个", "5"),
    ("workers?", "十几个", "约10"),
    ("workers?", "几十个", "约20（几十）"),
    ("workers?", "上百个", "约100（上百）"),
    ("workers?", "几十人", "约20（几十）"),
    ("workers?", "数十人", "约20（数十）"),
    ("workers?", "约20人", "约20"),
    ("workers?", "大概30人左右", "约30"),
    ("workers?", "好几个", "约3"),
    ("workers?", "俩", "2"),
    ("workers?", "0", "0"),
    ("workers?", "很多", None),
    ("workers?", "一些", None),
    ("alone", "就我一个人", True),
    ("alone", "只有我自己", True),
    ("alone", "我们5个人", False),
    # ── the amount owed in a sentence ──
    ("owed", "欠了我三万二", "32000"),
    ("owed", "欠工资8000多", "约8000"),
    ("owed", "一万五千元", "15000"),
    ("owed", "2.5万", "25000"),
    ("owed", "老板欠我两千多块", "约2000"),
    ("owed", "欠了3万2", "32000"),
    ("owed", "工资拖了三个月，一共一万八", "18000"),
    ("owed", "月薪5000，欠了三个月，一共15000", "15000"),
    ("owed", "包工头欠了我们十几个人二十多万", "约200000"),
    ("owed", "欠了我5k", "5000"),
    ("owed", "欠薪3w", "30000"),
    ("owed", "押金500元没退", "500"),
    ("owed", "欠了我1234.5元", "1234.5"),
    ("owed", "欠我的工錢一萬二", "12000"),  # 繁体
    ("owed", "老板欠我们十几万跑了", "约100000（十几万）"),  # at least: 十几万 is not 十 元
    ("owed", "二十几万", "约200000（二十几万）"),
    ("owed", "欠了几千块", "约2000（几千）"),  # 几 ≥ 2, as in 几十个人
    ("owed", "欠了几十万", "约200000（几十万）"),
    ("owed", "欠了20几万", "约200000（20几万）"),
    ("owed", "欠了一万几千", "约12000（一万几千）"),
    ("owed", "老板欠了我8000多块，联系不上了", "约8000"),
    ("owed", "我在东莞，老板欠了我8000", "8000"),
    ("owed", "一共欠了十五万，我在东莞，电话13912345678", "150000"),
    ("owed", "我们工地四十个人，每人被欠了一万多，老板跑了", "每人约10000"),
    ("owed", "每人一万，一共欠了20万", "200000"),  # the total, not what each is owed
    # not amounts owed
    ("owed", "我电话13912345678", None),
    ("owed", "身份证110105199001011234", None),
    ("owed", "2024年3月10号入职", None),
    ("owed", "我们5个人，干了30天", None),
    ("owed", "欠了三个月工资", None),
    ("owed", "月薪5000", None),
    ("owed", "月薪5000，三个月没发", None),
    ("owed", "每天300，干了二十天", None),
    ("owed", "下午3点去仲裁委", None),
    ("owed", "万一老板跑了怎么办", None),
    ("owed", "工资欠到2023-12-01", None),
    # ── the amount owed in a reply to 大概有多少？ ──
    ("owed?", "三万二", "32000"),
    ("owed?", "8000", "8000"),
    ("owed?", "八千多", "约8000"),
    ("owed?", "2.5万", "25000"),
    ("owed?", "一万五千元", "15000"),
    ("owed?", "大概5000块左右", "约5000"),
    ("owed?", "欠了三个月，一共一万八", "18000"),
    ("owed?", "十几万", "约100000（十几万）"),
    ("owed?", "十几万元", "约100000（十几万）"),
    ("owed?", "欠了几千块", "约2000（几千）"),
    ("owed?", "十几块钱", "约10（十几）"),
    ("owed?", "十几个人欠了8000多", "约8000"),  # a collective case: what each is owed
    ("owed?", "每人一万多", "每人约10000"),
    ("owed?", "每人约10000元", "每人约10000"),
    ("owed?", "四十个人每人一万", "每人10000"),
    ("owed?", "人均八千左右", "每人约8000"),
    ("owed?", "每人", None),
    ("owed?", "每月5000", None),  # a wage, not what is owed
    ("owed?", "5000元/月", None),
    ("owed?", "欠了三个月工资", None),
]


@pytest.mark.parametrize(("reader", "text", "expected"), CASES)
def test_what_workers_write(reader: str, text: str, expected: str | bool | None) -> None:
    assert READERS[reader](text) == expected


def test_a_reading_is_exact_decimal() -> None:
    found = amount_owed("2.5万")
    assert found is not None and str(found.value) == "25000" and isinstance(found.value, Decimal)
