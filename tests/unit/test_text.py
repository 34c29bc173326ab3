"""The one text-folding module: widths, 繁体, case, the edges of an answer, clause breaks."""

from __future__ import annotations

import pytest

from desk.common.text import (
    EDGE_PUNCTUATION,
    clean_answer,
    fold,
    fold_keeping_case,
    fold_width,
    folded_answer,
    mark_clauses,
    to_simplified,
)


def test_simplified_text_is_left_alone() -> None:
    # opencc-purepy's phrase table would turn 结束 into 結束; conversion is per character.
    assert to_simplified("不写结束时间的合同 乾活 後來") == "不写结束时间的合同 干活 后来"


def test_fold_brings_width_script_and_case_to_one_form() -> None:
    assert fold("ＨＲ說，工資６０００！") == "hr说,工资6000!"
    assert fold_keeping_case("ＨＲ說，工資６０００！") == "HR说,工资6000!"


def test_width_folding_alone_keeps_script_and_chinese_punctuation() -> None:
    assert fold_width("工資：６０００，ＨＲ") == "工資：6000，HR"


@pytest.mark.parametrize(
    ("raw", "cleaned", "folded"),
    [
        ("  深圳。", "深圳", "深圳"),
        ("“美團”！", "美团", "美团"),
        ("一个包工头，姓李", "一个包工头，姓李", "一个包工头,姓李"),  # inside: as written
        ("ＡＢＣ 公司 ", "ABC 公司", "abc公司"),  # folded_answer drops every space
        ("...?", "", ""),
    ],
)
def test_an_answer_is_cleaned_for_keeping_and_folded_for_comparing(
    raw: str, cleaned: str, folded: str
) -> None:
    assert clean_answer(raw) == cleaned
    assert folded_answer(raw) == folded


def test_the_edges_of_an_answer_are_spaces_and_punctuation_of_both_widths() -> None:
    assert set("，,。.！!？?；;、 ") <= set(EDGE_PUNCTUATION)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("老板跑了，工资没发。", "老板跑了，工资没发"),
        ("老板跑了!! 工资没发...", "老板跑了，工资没发"),
        ("欠了2.5万\n怎么办？", "欠了2.5万，怎么办"),  # a decimal point is no clause break
        ("一天.两天", "一天，两天"),
    ],
)
def test_every_clause_break_becomes_one_chinese_comma(text: str, marked: str) -> None:
    assert mark_clauses(text) == marked
