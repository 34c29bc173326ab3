"""The 入会 application's rules: its questions, checks, summary, corrections and submission.

The Rasa form asks; this module decides what an answer is worth, what the worker is shown, and
what is stored. Values travel between turns as the normalised strings the checks return.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from desk.applications.store import REVIEW_WORKING_DAYS, Applicant, submit
from desk.common.pii import mask_id_number, mask_phone
from desk.membership import answers
from desk.membership.answers import Invalid, Valid
from desk.membership.unions import route

KIND = "membership"
MAX_FAILURES = 3


@dataclass(frozen=True)
class Field:
    slot: str
    label: str
    check: Callable[[str], Valid | Invalid]
    words: str  # how a worker names the field when asking to change it
    ahead_key: str | None = None  # its key in answers.extract_ahead, if it can come early
    masked: Callable[[str], str] = str


def _check_id_number(raw: str) -> Valid | Invalid:
    return answers.validate_id_number(raw, today=date.today())


def _yes_no(value: str) -> str:
    return "是" if value == "True" else "否"


FIELDS: tuple[Field, ...] = (
    Field("m_name", "姓名", answers.validate_name, "姓名|名字", "name"),
    Field("m_id_number", "身份证号", _check_id_number, "身份证", "id_number", mask_id_number),
    Field("m_phone", "手机号", answers.validate_phone, "手机|电话", "phone", mask_phone),
    Field(
        "m_employer",
        "工作单位/平台",
        answers.validate_employer_or_platform,
        "单位|平台|公司",
        "employer_or_platform",
    ),
    Field("m_occupation", "职业", answers.validate_occupation, "职业|行业|工作"),
    Field("m_location", "所在区县", answers.validate_location, "区县|城市|地址|地区", "location"),
    Field(
        "m_other_member",
        "已是其他工会会员",
        answers.validate_already_member,
        "会员",
        masked=_yes_no,
    ),
)
FIELD_BY_AHEAD_KEY = {field.ahead_key: field for field in FIELDS if field.ahead_key}
FIELD_BY_SLOT = {field.slot: field for field in FIELDS}

CONSENT_NEEDED = "需要先征得您的同意才能继续。请点「同意」或「不同意」，也可以说“取消”。"
DECLINED = "好的，没有您的同意，我们不会保存任何信息。以后想申请，随时点「申请入会」。"
CANCELLED = "已取消入会申请，您填写的信息都没有保存。需要时随时可以重新申请。"
GIVE_UP = "这一项好像一直没能填好，别着急。我先不问了，您填写的信息不会保存。"
CHANGE_WHICH = "请问要修改哪一项？"
SUMMARY_HEADING = "请核对您的入会申请："
SUMMARY_QUESTION = "信息无误请点「确认提交」；要修改请直接说，比如“改手机号”。"


def check_answer(slot: str, raw: str) -> Valid | Invalid:
    return FIELD_BY_SLOT[slot].check(raw)


def prefill(texts: Iterable[str], filled: Mapping[str, object]) -> dict[str, str]:
    """Answers given ahead of time ("我叫王强，手机139…") for questions not asked yet."""
    found: dict[str, str] = {}
    for text in texts:
        for key, raw in answers.extract_ahead(text).items():
            field = FIELD_BY_AHEAD_KEY.get(key)
            if field is None or filled.get(field.slot) is not None or field.slot in found:
                continue
            checked = field.check(raw)
            if isinstance(checked, Valid):
                found[field.slot] = str(checked.value)
    return found


def field_to_change(text: str) -> Field | None:
    """改手机号 → the phone field; None when the text names no field."""
    for field in FIELDS:
        if re.search(field.words, text):
            return field
    return None


def summary(values: Mapping[str, object]) -> str:
    """ID and phone masked: the summary travels through the chat and its logs."""
    lines = [SUMMARY_HEADING]
    for field in FIELDS:
        lines.append(f"· {field.label}：{field.masked(str(values.get(field.slot) or ''))}")
    lines.append(SUMMARY_QUESTION)
    return "\n".join(lines)


def submit_membership(session: Session, chat_id: str, values: Mapping[str, object]) -> str:
    """Stores the application (or finds the pending one) and says what happens next."""
    employer = _checked(answers.validate_employer_or_platform, values["m_employer"])
    occupation = _checked(answers.validate_occupation, values["m_occupation"])
    location = _checked(answers.validate_location, values["m_location"])
    routing = route(location.city, location.district, occupation.industry, employer.is_platform)
    details = {
        "工作单位/平台": employer.name,
        "职业": occupation.text,
        "城市": location.city,
        "区县": location.district,
        "已是其他工会会员": _yes_no(str(values["m_other_member"])),
    }
    applicant = Applicant(str(values["m_name"]), str(values["m_id_number"]), str(values["m_phone"]))
    union = routing.union if routing else None
    result = submit(session, KIND, chat_id, applicant, details, routing)
    number = result.application.number
    if result.duplicate:
        return (
            f"您已经有一份正在办理的入会申请，编号 {number}，不用重复提交。"
            "想了解进度，随时发送「查询进度」。"
        )
    where = "我们会把申请转给您所在地的工会。"
    if union and routing:
        where = f"受理工会：{union.with_contact}。\n{routing.reason}"
    return (
        f"入会申请已提交！编号 {number}（请记下，查询进度时会用到）。\n{where}\n"
        f"工会会在{REVIEW_WORKING_DAYS}个工作日内审核，结果会在这里通知您。"
    )


def _checked(check: Callable[[str], Valid | Invalid], raw: object):  # type: ignore[no-untyped-def]
    checked = check(str(raw))
    if not isinstance(checked, Valid):  # values were checked when given; a change is a bug
        raise ValueError(f"stored answer no longer valid: {checked}")
    return checked.value
