"""The 入会 application's rules: its questions, checks, summary, corrections and submission.

The form is declared with desk.forms (SPEC); this module adds what only joining has: answers
picked out of a free sentence ahead of time, and the submission with its routing to a union.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from sqlalchemy.orm import Session

from desk.applications.store import REVIEW_WORKING_DAYS, Applicant, DailyLimitReached, submit
from desk.common.pii import mask_id_number, mask_phone
from desk.forms.answers import Invalid, Valid
from desk.forms.person import validate_id_number, validate_name, validate_phone
from desk.forms.spec import Field, FormSpec
from desk.membership import answers
from desk.membership.unions import route

KIND = "membership"


def _check_id_number(raw: str) -> Valid[str] | Invalid:
    return validate_id_number(raw, today=date.today())


def _yes_no(value: str) -> str:
    return "是" if value == "True" else "否"


CONSENT_NEEDED = "需要先征得您的同意才能继续。请点「同意」或「不同意」，也可以说“取消”。"
DECLINED = "好的，没有您的同意，我们不会保存任何信息。以后想申请，随时点「申请入会」。"
CANCELLED = "已取消入会申请，您填写的信息都没有保存。需要时随时可以重新申请。"
GIVE_UP = "这一项好像一直没能填好，别着急。我先不问了，您填写的信息不会保存。"

SPEC = FormSpec(
    fields=(
        Field("m_name", "姓名", validate_name, "姓名|名字", free_text=True),
        Field("m_id_number", "身份证号", _check_id_number, "身份证", shown=mask_id_number),
        Field("m_phone", "手机号", validate_phone, "手机|电话", shown=mask_phone),
        Field(
            "m_employer",
            "工作单位/平台",
            answers.validate_employer_or_platform,
            "单位|平台|公司",
            free_text=True,
        ),
        Field(
            "m_occupation", "职业", answers.validate_occupation, "职业|行业|工作", free_text=True
        ),
        Field("m_location", "所在区县", answers.validate_location, "区县|城市|地址|地区"),
        Field(
            "m_other_member",
            "已是其他工会会员",
            answers.validate_already_member,
            "会员",
            shown=_yes_no,
        ),
    ),
    consent_slot="m_consent",
    consent_needed=CONSENT_NEEDED,
    give_up=GIVE_UP,
    # ID and phone masked (shown=): the summary travels through the chat and its logs.
    summary_heading="请核对您的入会申请：",
    summary_footer="信息无误请点「确认提交」；要修改请直接说，比如“改手机号”。",
)
# The fields a free sentence can answer ahead of time, by their key in answers.extract_ahead.
AHEAD = {
    "name": "m_name",
    "id_number": "m_id_number",
    "phone": "m_phone",
    "employer_or_platform": "m_employer",
    "location": "m_location",
}


def said_ahead(texts: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(slot, raw answer) for what free sentences say ahead: 我叫王强，手机139…"""
    for text in texts:
        for key, raw in answers.extract_ahead(text).items():
            if key in AHEAD:
                yield AHEAD[key], raw


def prefill(texts: Iterable[str], filled: Mapping[str, object]) -> dict[str, str]:
    """Answers given ahead of time for questions not asked yet."""
    return SPEC.prefill(said_ahead(texts), filled)


def submit_membership(session: Session, chat_id: str, values: Mapping[str, object]) -> str:
    """Stores the application (or finds the pending one) and says what happens next."""
    employer = _kept("m_employer", values)
    occupation = _kept("m_occupation", values)
    location = _kept("m_location", values)
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
    try:
        result = submit(session, KIND, chat_id, applicant, details, routing)
    except DailyLimitReached as refused:
        return str(refused)
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


def _kept(slot: str, values: Mapping[str, object]):  # type: ignore[no-untyped-def]
    """The typed value of a kept answer (an Employer, a Location, …)."""
    checked = SPEC.check(slot, str(values[slot]))
    if not isinstance(checked, Valid):  # values were checked when given; a change is a bug
        raise ValueError(f"stored answer no longer valid: {checked}")
    return checked.value
