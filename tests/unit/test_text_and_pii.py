import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desk.common.logging_setup import PersonalDataFilter
from desk.common.pii import mask_id_number, mask_personal_data, mask_phone
from desk.common.text import as_written, clean_user_text, fold_width
from desk.storage.db import session_scope
from tests.identity import MOBILE_PREFIXES, make_mobile_number


@pytest.mark.parametrize("raw", ["", "   ", "\x00\x07\u200b", "\u3000\t", "/", " // "])
def test_nothing_meaningful_left_is_none(raw: str) -> None:
    assert clean_user_text(raw, 100) is None


def test_control_characters_are_dropped_and_full_width_folded() -> None:
    cleaned = clean_user_text("加班\x00费\u200b怎么算？电话１３９", 100)
    assert cleaned is not None
    assert cleaned.text == "加班费怎么算？电话139"  # Chinese punctuation stays as written
    assert not cleaned.shortened


def test_widths_are_folded_but_chinese_punctuation_stays() -> None:
    assert fold_width("电话：１３９，ＡＢＣ（二楼）!") == "电话：139，ABC（二楼）!"


def test_long_text_is_cut_and_flagged() -> None:
    cleaned = clean_user_text("欠" * 5000, 2000)
    assert cleaned is not None
    assert len(cleaned.text) == 2000 and cleaned.shortened


def test_newlines_survive_but_runs_of_spaces_collapse() -> None:
    cleaned = clean_user_text("老板  跑了\n怎么办", 100)
    assert cleaned is not None and cleaned.text == "老板 跑了\n怎么办"


def test_id_number_and_phone_are_masked_inside_chinese_text() -> None:
    text = "我叫王强身份证11010519900101123x电话13912345678"
    masked = mask_personal_data(text)
    assert "11010519900101123x" not in masked and "13912345678" not in masked
    assert "110105********123x" in masked and "139****5678" in masked


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("电话 139 1234 5678", "电话 139****5678"),
        ("139-1234-5678", "139****5678"),
        ("+86 13912345678", "+86 139****5678"),
        ("+8613912345678", "+86139****5678"),
        ("（原话）86-139 1234 5678", "（原话）86-139****5678"),
    ],
)
def test_a_phone_written_with_spaces_dashes_or_country_code_is_masked(
    written: str, masked: str
) -> None:
    assert mask_personal_data(written) == masked


@pytest.mark.parametrize("prefix", MOBILE_PREFIXES)
def test_every_mobile_segment_is_masked(prefix: str) -> None:
    number = make_mobile_number(prefix)
    assert mask_personal_data(f"电话{number}") == f"电话{prefix}****5678"
    assert mask_personal_data(f"+86 {prefix} 1234 5678") == f"+86 {prefix}****5678"


def test_a_database_error_does_not_quote_what_a_worker_wrote(database_url: str) -> None:
    """SQLAlchemy puts a statement's parameters into its error text, which a log would keep."""
    with pytest.raises(DBAPIError) as raised, session_scope(database_url) as session:
        session.execute(text("INSERT INTO no_such_table VALUES (:v)"), {"v": "电话13912345678"})
    assert "13912345678" not in str(raised.value)


def test_a_logged_traceback_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.pii")
    logger.addFilter(PersonalDataFilter())
    try:
        raise ValueError("payload 我的电话 139 1234 5678")
    except ValueError:
        with caplog.at_level(logging.ERROR):
            logger.exception("casework unavailable")
    [record] = caplog.records
    assert record.exc_text is not None
    assert "1234 5678" not in record.exc_text and "139****5678" in record.exc_text


def test_masking_leaves_other_numbers_alone() -> None:
    assert mask_phone("欠了12000元，干了10个月") == "欠了12000元，干了10个月"
    assert mask_id_number("订单号 1234567890") == "订单号 1234567890"


def test_log_records_are_masked() -> None:
    record = logging.LogRecord("x", logging.INFO, "f", 1, "phone=%s", ("13912345678",), None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "phone=139****5678"


def test_a_typed_slash_command_cannot_pose_as_an_intent() -> None:
    cleaned = clean_user_text("/apply_aid 我要申请", 100)
    assert cleaned is not None and cleaned.text == "apply_aid 我要申请"


def test_relayed_text_stays_as_written_minus_invisible_characters() -> None:
    assert (
        as_written(" 合同我拍照了，什么时候发给您？\u200b\x07 ") == "合同我拍照了，什么时候发给您？"
    )
    assert as_written("/colse 第二行\n（括号）") == "/colse 第二行\n（括号）"


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("电话１３９１２３４５６７８", "电话139****5678"),
        ("电话：１３９　１２３４　５６７８。", "电话：139****5678。"),
        ("身份证１１０１０５１９９００１０１１２３Ｘ", "身份证110105********123X"),
        ("身份证 110105 19900101 1234 好", "身份证 110105********1234 好"),
        ("110105-1990-0101-1234", "110105********1234"),
        ("卡号6222021234567890123", "卡号622202*********0123"),
        ("卡号 6222 0212 3456 7890", "卡号 622202******7890"),
        ("卡号６２２２－０２１２－３４５６－７８９０", "卡号622202******7890"),
        ("工资3000 13912345678", "工资3000 139****5678"),
    ],
)
def test_full_width_spaced_and_dashed_numbers_and_bank_cards_are_masked(
    written: str, masked: str
) -> None:
    assert mask_personal_data(written) == masked


@pytest.mark.parametrize(
    "kept",
    ["2026-12-03 开的工资条", "欠了 12000 元，干了 10 个月", "订单号 1234567890", "3000 4000 5000"],
)
def test_dates_amounts_and_short_numbers_stay(kept: str) -> None:
    assert mask_personal_data(kept) == kept


def test_the_log_filter_masks_full_width_numbers_too() -> None:
    full_width = ("１３９１２３４５６７８",)
    record = logging.LogRecord("x", logging.INFO, "f", 1, "got %s", full_width, None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "got 139****5678"
