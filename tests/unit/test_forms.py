"""The form specification the chat forms share, on a small form of its own: checks, answers
given ahead, corrections, the summary, and the give-up rule with its counter."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from desk.forms.answers import Invalid, Valid, read_yes_no
from desk.forms.giving_up import MAX_FAILURES, Next, after_failure, has_given_up
from desk.forms.spec import CHANGE_WHICH, Field, FormSpec, Kept, Taken


def _count(raw: str) -> Valid[int] | Invalid:
    return Valid(int(raw)) if raw.strip().isdigit() else Invalid("请写一个数字")


def _town(raw: str) -> Valid[str] | Invalid:
    return Valid(raw.strip()) if raw.strip() else Invalid("请写地名")


SPEC = FormSpec(
    fields=(
        Field("f_town", "城市", _town, "城市|地方"),
        Field("f_phone_count", "手机数", _count, "手机"),
        Field("f_count", "人数", _count, "人数|几个人", shown=lambda value: f"{value}人"),
        Field("f_consent", "同意", _town, "同意"),
    ),
    consent_slot="f_consent",
    consent_needed="请回答同意或不同意。",
    give_up="先不问了。",
    summary_heading="请核对：",
    summary_footer="没问题吗？",
)


# ── The give-up rule ─────────────────────────────────────────────────────────────────────────


def test_a_form_gives_up_at_the_third_bad_answer_in_a_row() -> None:
    assert MAX_FAILURES == 3
    assert after_failure(None) == after_failure(0)
    assert [after_failure(n).next for n in range(3)] == [
        Next.ASK_AGAIN,
        Next.ASK_AGAIN,
        Next.GIVE_UP,
    ]
    assert [after_failure(n).failures for n in range(3)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("failures", "given_up"), [(None, False), (0, False), (2, False), (3, True), (7, True)]
)
def test_the_counter_says_whether_the_form_has_stopped(
    failures: int | None, given_up: bool
) -> None:
    assert has_given_up(failures) is given_up


def test_a_bad_answer_says_what_was_wrong_until_the_form_gives_up() -> None:
    assert SPEC.take("f_count", "很多", _count("很多"), 0) == Taken(None, "请写一个数字", 1)
    assert SPEC.take("f_count", "很多", _count("很多"), 1) == Taken(None, "请写一个数字", 2)
    assert SPEC.take("f_count", "很多", _count("很多"), 2) == Taken(None, "先不问了。", 3, True)


def test_a_good_answer_is_kept_as_text_and_starts_the_count_again() -> None:
    assert SPEC.take("f_count", " 5 ", _count(" 5 "), 2) == Taken("5", None, 0)


def test_no_answer_to_the_consent_question_counts_as_a_failure() -> None:
    assert SPEC.failed(SPEC.consent_needed, 0) == Taken(None, "请回答同意或不同意。", 1)
    assert SPEC.failed(SPEC.consent_needed, 2).gave_up


def test_a_form_may_keep_an_answer_as_said_instead_of_asking_again() -> None:
    def keep(slot: str, raw: str, failures: int) -> Kept | None:
        return Kept(f"（原话）{raw}", "先记下了。") if failures >= 2 else None

    lenient = replace(SPEC, keep_as_said=keep)
    bad = _count("很多")
    assert lenient.take("f_count", "很多", bad, 0) == Taken(None, "请写一个数字", 1)
    assert lenient.take("f_count", "很多", bad, 1) == Taken("（原话）很多", "先记下了。", 0)


# ── Fields, checks, answers given ahead ──────────────────────────────────────────────────────


def test_fields_are_looked_up_by_slot_and_consent_is_no_answer_to_list() -> None:
    assert SPEC.slots == ("f_town", "f_phone_count", "f_count", "f_consent")
    assert SPEC.by_slot["f_count"].label == "人数"
    assert [field.slot for field in SPEC.answers] == ["f_town", "f_phone_count", "f_count"]


def test_a_check_keeps_its_type_and_an_answer_is_its_written_form() -> None:
    assert SPEC.check("f_count", "05") == Valid(5)
    assert SPEC.answer("f_count", "05") == Valid("5")
    assert SPEC.answer("f_count", "五") == Invalid("请写一个数字")
    assert SPEC.is_valid("f_town", "深圳") and not SPEC.is_valid("f_town", " ")


def test_answers_given_ahead_are_checked_and_the_first_good_one_wins() -> None:
    offers = [("f_count", "很多"), ("f_count", "12"), ("f_count", "30"), ("f_town", "深圳")]
    assert SPEC.prefill(offers, {}) == {"f_count": "12", "f_town": "深圳"}


def test_answers_given_ahead_never_overwrite_and_skip_what_is_not_asked() -> None:
    offers = [("f_town", "深圳"), ("f_count", None), ("f_count", ""), ("other", "x")]
    assert SPEC.prefill(offers, {"f_town": "东莞"}) == {}


def test_part_of_a_form_is_a_form_of_its_own() -> None:
    part = SPEC.only(["f_count"], consent_slot="other_consent", change_which="改哪个？")
    assert part.slots == ("f_count",) and part.change_which == "改哪个？"
    assert part.prefill([("f_town", "深圳"), ("f_count", "3")], {}) == {"f_count": "3"}
    assert part.give_up == SPEC.give_up


# ── Corrections and the summary ──────────────────────────────────────────────────────────────


def test_the_field_to_change_is_named_in_the_request() -> None:
    assert SPEC.field_to_change("改人数").slot == "f_count"  # type: ignore[union-attr]
    assert SPEC.field_to_change("城市寫錯了").slot == "f_town"  # type: ignore[union-attr]  # 繁体
    assert SPEC.field_to_change("改一下") is None
    assert SPEC.field_to_change("不同意") is None  # consent is not changed by name
    assert SPEC.change_which == CHANGE_WHICH == "请问要修改哪一项？"


def test_an_order_and_a_word_of_change_can_be_required() -> None:
    strict = replace(SPEC, change_order=("f_count", "f_town"), change_needs=re.compile("改|错"))
    assert SPEC.field_to_change("改城市的人数").slot == "f_town"  # type: ignore[union-attr]
    assert strict.field_to_change("改城市的人数").slot == "f_count"  # type: ignore[union-attr]
    assert strict.field_to_change("城市是深圳") is None
    assert strict.field_to_change("改手机") is None  # not in the order: not changed by name


def test_the_summary_lists_the_answers_as_shown_then_the_question() -> None:
    text = SPEC.summary({"f_town": "深圳", "f_count": "5", "f_consent": "True"})
    assert text == "请核对：\n· 城市：深圳\n· 手机数：\n· 人数：5人\n没问题吗？"


# ── Yes and no ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("是的", True),
        ("不是", False),
        ("没有", False),
        ("不清楚", "unsure"),
        ("嗯", True),
        ("哈", None),
    ],
)
def test_yes_and_no_are_read_in_their_spoken_forms(text: str, read: object) -> None:
    assert read_yes_no(text) == read


def test_a_question_may_take_words_of_its_own_for_yes() -> None:
    assert read_yes_no("交了") is None
    assert read_yes_no("交了", also_yes="交了") is True
