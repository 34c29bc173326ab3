from decimal import Decimal

import pytest

from desk.common.numerals import from_chinese, parse_number, to_chinese

STATUTE_NUMERALS = [
    (1, "一"),
    (10, "十"),
    (14, "十四"),
    (20, "二十"),
    (47, "四十七"),
    (100, "一百"),
    (105, "一百零五"),
    (110, "一百一十"),
    (119, "一百一十九"),
]


@pytest.mark.parametrize(("number", "chinese"), STATUTE_NUMERALS)
def test_arabic_to_chinese_as_statutes_write_it(number: int, chinese: str) -> None:
    assert to_chinese(number) == chinese


@pytest.mark.parametrize(("number", "chinese"), STATUTE_NUMERALS)
def test_chinese_back_to_arabic(number: int, chinese: str) -> None:
    assert from_chinese(chinese) == number


def test_every_number_up_to_a_thousand_round_trips() -> None:
    assert all(from_chinese(to_chinese(n)) == n for n in range(1, 1001))


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("6000", 6000),
        ("五千", 5000),
        ("六千五", 6500),
        ("一万二", 12000),
        ("3千", 3000),
        ("1.2万", 12000),
        ("两万三千", 23000),
        ("两", 2),
    ],
)
def test_amounts_as_workers_write_them(written: str, value: int) -> None:
    assert parse_number(written) == Decimal(value)


@pytest.mark.parametrize("bad", ["", "条", "abc"])
def test_non_numerals_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_number(bad)


def test_out_of_range_is_rejected() -> None:
    with pytest.raises(ValueError):
        to_chinese(0)
