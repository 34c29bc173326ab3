"""The 入会 form's rules without Rasa: answers given ahead, corrections, the masked summary."""

from __future__ import annotations

from datetime import date

from desk.forms.answers import Invalid, Valid
from desk.membership.joining import SPEC, prefill
from tests.identity import make_id_number


def test_answers_given_ahead_fill_the_questions_not_asked_yet() -> None:
    found = prefill(["我叫王强，手机13912345678，在美团送外卖，住天山区"], {})
    assert found == {
        "m_name": "王强",
        "m_phone": "13912345678",
        "m_employer": "美团",
        "m_location": "乌鲁木齐市天山区",
    }


def test_answers_already_given_are_not_overwritten() -> None:
    assert "m_name" not in prefill(["我叫王强"], {"m_name": "李娜"})


def test_each_answer_is_checked_where_it_is_asked() -> None:
    assert SPEC.check("m_id_number", "65010219900307123") == Invalid(
        "身份证号应为18位，您输入了17位"
    )
    assert isinstance(SPEC.check("m_id_number", make_id_number("650102", date(1990, 3, 7))), Valid)
    assert isinstance(SPEC.check("m_phone", "139 1234 5678"), Valid)


def test_the_field_to_change_is_read_from_the_request() -> None:
    assert SPEC.field_to_change("改手机号").slot == "m_phone"  # type: ignore[union-attr]
    assert SPEC.field_to_change("身份证号输错了要改").slot == "m_id_number"  # type: ignore[union-attr]
    assert SPEC.field_to_change("名字写错了").slot == "m_name"  # type: ignore[union-attr]
    assert SPEC.field_to_change("修改信息") is None


def test_the_summary_masks_the_id_and_phone_numbers() -> None:
    id_number = make_id_number("650102", date(1990, 3, 7))
    values = {field.slot: "x" for field in SPEC.fields} | {
        "m_id_number": id_number,
        "m_phone": "13912345678",
        "m_other_member": "False",
    }
    text = SPEC.summary(values)
    assert id_number not in text and "13912345678" not in text
    assert "650102********" in text and "139****5678" in text and "已是其他工会会员：否" in text
