"""An aid application in chat: which question comes next, the masked summary, and submission
with a preliminary verdict the worker sees at once.

Who the worker is (name, ID, phone, district) is asked as the joining form asks it (SPEC, a part
of joining's); the programme's own questions come from its policy file. Answers travel between
turns as text and are parsed again. A worker who must join first does so in the same
conversation, and the aid application goes in right after (join_then_apply).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.aid.answers import Asked, parse_answer, questions_to_ask, read_answers, render_value
from desk.aid.engine import Outcome, evaluate
from desk.aid.limits import PriorApplication, check_limit
from desk.aid.policies import (
    LimitScope,
    Membership,
    MembershipStatus,
    Policy,
    PolicyBook,
    Question,
    QuestionKind,
)
from desk.applications.store import (
    TOO_MANY_TODAY,
    Applicant,
    at_daily_limit,
    conflict_note,
    membership_elsewhere_note,
    membership_status,
    submit,
)
from desk.common.pii import mask_id_number, mask_phone
from desk.common.pseudonym import keyed_hash
from desk.common.text import folded_answer
from desk.forms.answers import Invalid, Valid
from desk.forms.interruptions import INTERRUPTING, Heard, heard
from desk.forms.person import validate_id_number
from desk.membership import joining
from desk.membership.answers import industry_of, validate_location
from desk.membership.unions import PLATFORM_WORKERS, Routing, TradeUnion, route
from desk.storage.models import Application

KIND = "aid"
HOUSEHOLD_KEY = "household_head"
HOUSEHOLD_QUESTION = Question(
    key=HOUSEHOLD_KEY,
    text="这项救助按户发放。请告诉我户口簿上户主的身份证号（您本人是户主就回复“我是户主”）。",
    kind=QuestionKind.TEXT,
)
CANCELLED = "已取消帮扶/救助申请，您填写的信息都没有保存。需要时随时可以重新申请。"
DECLINED = joining.DECLINED.replace("申请入会", "申请帮扶/救助")
SUMMARY_QUESTION = "信息无误请点「确认提交」；要修改请直接说，比如“改手机号”“改9月单量”“改收入”。"
# The location says which union takes the documents.
PERSONAL = ("m_name", "m_id_number", "m_phone", "m_location")
SPEC = joining.SPEC.only(
    PERSONAL,
    consent_slot="a_consent",
    # No buttons here: the programme's answers to change differ from one programme to another.
    change_which="请说要修改哪一项，比如“改手机号”“改9月单量”“改收入”。",
)
CHECK_MARKS = {True: "✔", False: "✘", None: "？"}
PRELIMINARY = "这是根据您的回答做的初步判断，最终以工会线上线下核实为准。"
OUTCOME_WORDS = {
    Outcome.ELIGIBLE: "初步判断：符合条件",
    Outcome.INELIGIBLE: "初步判断：暂不符合条件",
    Outcome.NEEDS_REVIEW: "初步判断：需要工作人员核实",
}
JOIN_FIRST = (
    "这个项目面向工会会员和已申请入会的职工。在这里还没有您的入会记录，可以先在这里申请入会"
    "（只需再回答几个问题），提交入会申请后会接着办理这份救助申请。"
)


@dataclass(frozen=True)
class AidReply:
    text: str
    needs_membership: bool = False  # offer to join first, keeping the aid answers


def pending_questions(policy: Policy, stored: Mapping[str, str], today: date) -> list[Asked]:
    household = (
        [Asked(HOUSEHOLD_KEY, HOUSEHOLD_QUESTION.text, HOUSEHOLD_QUESTION)]
        if policy.limit.scope is LimitScope.HOUSEHOLD
        else []
    )
    return [
        asked for asked in (*household, *questions_to_ask(policy, today)) if asked.key not in stored
    ]


# 我就是户主, 是我自己, 本人: the applicant heads the household.
_SELF_AS_HEAD = re.compile(
    r"(?:我|我自己|本人)(?:就)?(?:是)?户主(?:本人)?|户主(?:就)?是我(?:自己|本人)?|"
    r"(?:就是|是)?(?:我|我自己|本人|自己)(?:自己|本人)?(?:的)?"
)


def check_aid_answer(
    asked: Asked, raw: str, today: date, own_id: str | None = None
) -> Valid[str] | Invalid:
    """The answer, normalised to the text that parses back to the same value; own_id: the
    applicant's ID number, for the household head who says 我就是户主."""
    if asked.key == HOUSEHOLD_KEY:
        if own_id and _SELF_AS_HEAD.fullmatch(folded_answer(raw)):
            return Valid(own_id)
        checked_id = validate_id_number(raw, today=today)
        return checked_id if isinstance(checked_id, Invalid) else Valid(str(checked_id.value))
    parsed = parse_answer(asked, raw)
    return parsed if isinstance(parsed, Invalid) else Valid(render_value(parsed.value))


DONE = "done"  # the form's a_answer once every question of the programme is answered


def check_aid_slot(
    slot: str,
    raw: str,
    book: PolicyBook,
    policy: Policy | None,
    stored: Mapping[str, str],
    today: date,
    own_id: str | None = None,
) -> Valid[str] | Invalid | None:
    """An answer to the aid form: the programme, a personal answer, or the answer to the
    programme's next question (a_answer); None for a slot the form does not check. own_id: the
    applicant's ID number, once given."""
    if slot == "a_programme":
        chosen = choose_policy(book, raw)
        return Valid(chosen.id) if chosen else Invalid(CHOOSE_PROGRAMME)
    if slot in PERSONAL:
        return SPEC.answer(slot, raw)
    if slot == "a_answer" and raw != DONE:
        pending = pending_questions(policy, stored, today) if policy else []
        return check_aid_answer(pending[0], raw, today, own_id) if pending else Valid(DONE)
    return None


# 改收入 in the middle of the programme's questions is no correction yet: the form asks on.
_PROGRAMME_INTERRUPTING = INTERRUPTING - {"change_field"}


def heard_in_aid(
    slot: str,
    raw: str,
    checked: Valid[str] | Invalid,
    intent: str | None,
    policy: Policy | None,
    stored: Mapping[str, str],
    today: date,
) -> Heard:
    """Whether the message answers the aid form's question or is for its intent's rule
    (desk.forms.interruptions); a programme's free-text question or the programme's name take
    nearly any text, so there a question still goes to the legal desk."""
    if slot in PERSONAL:
        return SPEC.heard(slot, raw, checked, intent)
    pending = pending_questions(policy, stored, today) if policy else []
    free_text = slot == "a_programme" or bool(
        pending and pending[0].question.kind is QuestionKind.TEXT
    )
    accepted = isinstance(checked, Valid)
    return heard(
        intent, raw, accepted=accepted, free_text=free_text, interrupting=_PROGRAMME_INTERRUPTING
    )


def with_answer(
    policy: Policy | None, stored: Mapping[str, str], value: str, today: date
) -> tuple[dict[str, str], bool] | None:
    """The answers with this one given to the first question still pending, and whether every
    question is answered now; None when none was pending."""
    pending = pending_questions(policy, stored, today) if policy else []
    if policy is None or not pending:
        return None
    answers = {**stored, pending[0].key: value}
    return answers, not pending_questions(policy, answers, today)


def prefill(book: PolicyBook, texts: list[str], filled: Mapping[str, object]) -> dict[str, str]:
    """Answers given ahead of time: who the worker is, and the programme they described."""
    found = SPEC.prefill(joining.said_ahead(texts), filled)
    if filled.get("a_programme") is None:
        policy = next(filter(None, (choose_policy(book, text) for text in texts)), None)
        if policy is not None:
            found["a_programme"] = policy.id
    return found


def summary(
    policy: Policy,
    applicant: Applicant,
    stored: Mapping[str, str],
    today: date,
    location: str | None = None,
) -> str:
    lines = [
        f"请核对您的「{policy.name}」申请：",
        f"· 姓名：{applicant.name}",
        f"· 身份证号：{mask_id_number(applicant.id_number)}",
        f"· 手机号：{mask_phone(applicant.phone)}",
        *([f"· 所在区县：{location}"] if location else []),
    ]
    if HOUSEHOLD_KEY in stored:
        lines.append(f"· 户主身份证号：{mask_id_number(stored[HOUSEHOLD_KEY])}")
    for asked in questions_to_ask(policy, today):
        if asked.key in stored:
            lines.append(f"· {asked.text.split('？')[0]}：{stored[asked.key]}")
    lines.append(SUMMARY_QUESTION)
    return "\n".join(lines)


def submit_aid(
    session: Session,
    chat_id: str,
    policy: Policy,
    applicant: Applicant,
    stored: Mapping[str, str],
    today: date,
    location: str | None = None,
) -> AidReply:
    person = keyed_hash(applicant.id_number)
    household = keyed_hash(stored[HOUSEHOLD_KEY]) if HOUSEHOLD_KEY in stored else None
    # Only this chat's own applications are named back to it: typing someone else's ID number
    # must not reveal their programme and its status (health information, for medical aid).
    limit = check_limit(policy, person, household, _prior(session, policy, chat_id), today)
    if not limit.allowed:
        return AidReply(limit.reason)
    elsewhere = check_limit(
        policy, person, household, _prior(session, policy, chat_id, False), today
    )
    if at_daily_limit(session, chat_id):  # before joining is offered: it would count too
        return AidReply(TOO_MANY_TODAY)
    status = membership_status(session, applicant.id_number, chat_id)
    if status == MembershipStatus.NONE and _joining_would_qualify(policy):
        return AidReply(JOIN_FIRST, needs_membership=True)
    verdict = evaluate(policy, read_answers(policy, stored, today), status, today)
    routing = _routing(location, stored.get("occupation", ""))
    union = routing.union if routing else None
    result = submit(
        session,
        KIND,
        chat_id,
        applicant,
        {
            "项目": policy.name,
            **{key: value for key, value in stored.items() if key != HOUSEHOLD_KEY},
        },
        routing,
        programme=policy.id,
        verdict=verdict.outcome.value,
        checks=[{"label": c.label, "passed": c.passed, "reason": c.reason} for c in verdict.checks],
        amount=verdict.amount,
        household_hash=household,
    )
    # What other chats hold (another member of the household, joining under this ID number):
    # staff decide, the chat is not told.
    notes = [
        result.application.review_note,
        conflict_note([elsewhere.existing.number])
        if elsewhere.existing is not None and result.application.review_note is None
        else None,
        membership_elsewhere_note(session, applicant.id_number, chat_id),
    ]
    result.application.review_note = "\n".join(note for note in notes if note) or None
    return AidReply(_result_text(policy, result.application, verdict, union))


@dataclass(frozen=True)
class Draft:
    """An aid application answered in chat and not yet submitted."""

    policy: Policy
    applicant: Applicant
    answers: Mapping[str, str]
    location: str | None = None


def submit_draft(session: Session, chat_id: str, draft: Draft, today: date) -> AidReply:
    return submit_aid(
        session, chat_id, draft.policy, draft.applicant, draft.answers, today, draft.location
    )


@dataclass(frozen=True)
class Joined:
    joining: str  # what the worker is told about the joining application
    aid: AidReply | None  # and about the aid application that waited for it, if one did


def join_then_apply(
    session: Session,
    chat_id: str,
    joining_values: Mapping[str, object],
    waiting: Draft | None,
    today: date,
) -> Joined:
    """Submits the joining application; a worker who joined to qualify for aid has the aid
    application they already answered submitted right after, with their joining now pending."""
    joined = joining.submit_membership(session, chat_id, joining_values)
    return Joined(joined, submit_draft(session, chat_id, waiting, today) if waiting else None)


def _routing(location: str | None, occupation: str) -> Routing | None:
    """Where the worker takes the documents: their district's union, by the same rule as joining."""
    checked = validate_location(location) if location else None
    if not isinstance(checked, Valid):
        return None
    industry = industry_of(occupation)
    return route(checked.value.city, checked.value.district, industry, industry in PLATFORM_WORKERS)


def _result_text(
    policy: Policy, application: Application, verdict, union: TradeUnion | None
) -> str:  # type: ignore[no-untyped-def]
    lines = [
        f"申请已提交，编号 {application.number}（请记下，查询进度时会用到）。",
        f"{OUTCOME_WORDS[verdict.outcome]}。",
        *(f"{CHECK_MARKS[check.passed]} {check.label}：{check.reason}" for check in verdict.checks),
    ]
    if verdict.outcome is not Outcome.INELIGIBLE:
        if verdict.amount is not None:
            lines.append(f"标准：{verdict.benefit}。")
        lines.append("核实时请带上：" + "、".join(verdict.documents) + "。")
        where = union.with_contact if union else policy.organiser
        lines.append(
            f"受理：{where}，一般{policy.review_working_days}个工作日内核实，结果会在这里通知您。"
        )
    else:
        lines.append("如果您觉得情况没有说清楚，可以回复“转人工”，请工作人员帮您看看。")
    lines.append(PRELIMINARY)
    return "\n".join(lines)


def _joining_would_qualify(policy: Policy) -> bool:
    """The programme takes applicants whose joining application is pending (the relief does)."""
    return any(
        isinstance(condition, Membership) and MembershipStatus.PENDING in condition.allowed
        for condition in policy.conditions
    )


def _prior(
    session: Session, policy: Policy, chat_id: str, from_this_chat: bool = True
) -> list[PriorApplication]:
    """The programme's applications from this chat, or from every other chat."""
    same_chat = Application.chat_id == chat_id
    rows = session.scalars(
        select(Application).where(
            Application.kind == KIND,
            Application.programme == policy.id,
            same_chat if from_this_chat else ~same_chat,
        )
    )
    return [
        PriorApplication(
            number=row.number or "",
            policy_id=policy.id,
            person_key=row.id_number_hash,
            household_key=row.household_hash,
            status=row.status,
            submitted_on=row.created_at.date(),
        )
        for row in rows
    ]


CHOOSE_PROGRAMME = "没听明白您想申请哪一项，请点下面的按钮选择。"


def choose_policy(book: PolicyBook, text: str) -> Policy | None:
    """A programme named (or clearly described) by the worker; None when it is not clear."""
    for policy in book.policies:
        if text.strip() in (policy.name, policy.id) or policy.name in text:
            return policy
    suggested = book.suggest(text)
    return suggested[0] if suggested else None


def choice_buttons(asked: Asked) -> list[str]:
    """The answers a question offers as buttons: its choices, or 是/否."""
    if asked.question.kind is QuestionKind.CHOICE:
        return [choice.value for choice in asked.question.choices]
    if asked.question.kind is QuestionKind.YES_NO:
        return ["是", "否"]
    return []


@dataclass(frozen=True)
class Correction:
    """What a correction request at the summary reopens: a personal answer or a programme's."""

    slot: str | None = None  # one of PERSONAL
    answer_key: str | None = None  # a key of the programme's stored answers


def correction(policy: Policy | None, text: str, today: date) -> Correction | None:
    """改手机号 → the phone; 改9月单量 → the September count; None: ask which (SPEC.change_which).

    Fields are named as the joining form names them, so 工作填错了 is the occupation — which
    here is a programme's question, not a personal answer."""
    field = joining.SPEC.field_to_change(text)
    if field is not None and field.slot in PERSONAL:
        return Correction(slot=field.slot)
    key = answer_to_change(policy, text, today) if policy else None
    return Correction(answer_key=key) if key else None


def answer_to_change(policy: Policy, text: str, today: date) -> str | None:
    """改9月单量 → the September count; 收入填错了 → the income question; None if unclear."""
    asked_all = [
        Asked(HOUSEHOLD_KEY, HOUSEHOLD_QUESTION.text, HOUSEHOLD_QUESTION),
        *questions_to_ask(policy, today),
    ]
    for asked in asked_all:
        if asked.month and re.search(rf"(?<!\d){asked.month.month}月", text):
            return asked.key
    words = _pairs(text)
    scored = [
        (len(words & _pairs(asked.text)), asked.key) for asked in asked_all if not asked.month
    ]
    best = max(scored, default=(0, None))
    return best[1] if best[0] else None


def _pairs(text: str) -> set[str]:
    """Two-character pieces of the text, enough to tell 收入 from 工作 from 户主."""
    return {text[i : i + 2] for i in range(len(text) - 1)} - _FILLER_PAIRS


_FILLER_PAIRS = {"一共", "多少", "现在", "您的", "我的", "是多", "填错", "错了", "修改", "一下"}
