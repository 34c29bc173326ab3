"""Applications: submitting, duplicate checks, status changes with history, look-ups, notices.

Built once for every kind of application (入会 now, 帮扶/救助 next): what differs between kinds
is the number prefix, the details and the words of the notices, not the machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.common.pseudonym import keyed_hash
from desk.membership.unions import Routing, union_name
from desk.storage import audit, outbox
from desk.storage.models import Application, ApplicationEvent, utcnow

NUMBER_PREFIX = {"membership": "RH", "aid": "JZ"}
KIND_LABEL = {"membership": "入会申请", "aid": "帮扶救助申请"}

SUBMITTED, UNDER_REVIEW, APPROVED, REJECTED = "submitted", "under_review", "approved", "rejected"
VERIFIED, PAID = "verified", "paid"  # aid: checked by staff (线上线下核实), then paid out
PENDING = (SUBMITTED, UNDER_REVIEW)
STATUS_LABEL = {
    SUBMITTED: "已提交，等待审核",
    UNDER_REVIEW: "审核中",
    APPROVED: "已通过",
    REJECTED: "未通过",
    VERIFIED: "已核实，等待发放",
    PAID: "已发放",
}
ALLOWED_MOVES = {
    "membership": {
        SUBMITTED: (UNDER_REVIEW, APPROVED, REJECTED),
        UNDER_REVIEW: (APPROVED, REJECTED),
    },
    "aid": {
        SUBMITTED: (UNDER_REVIEW, VERIFIED, REJECTED),
        UNDER_REVIEW: (VERIFIED, REJECTED),
        VERIFIED: (PAID, REJECTED),
    },
}
REVIEW_WORKING_DAYS = 5


class ApplicationError(ValueError):
    """A request the records cannot honour; the message is fit to show to staff."""


# Valid ID numbers are easy to generate: without a cap one chat could file applications by the
# thousand. Six a day leaves room for a worker applying for themselves (joining and aid) and
# for a couple of workmates without phones; more goes through staff.
APPLICATIONS_PER_CHAT_PER_DAY = 6
TOO_MANY_TODAY = (
    f"今天从这个聊天提交的申请已经有{APPLICATIONS_PER_CHAT_PER_DAY}份了，这是每个聊天每天的上限"
    "（防止有人冒用别人的身份批量申请）。请明天再提交；如果是在帮工友们集中办理，"
    "请回复“转人工”，工作人员会帮您登记。"
)


class DailyLimitReached(ApplicationError):
    """The chat has filed APPLICATIONS_PER_CHAT_PER_DAY applications in the last 24 hours."""

    def __init__(self) -> None:
        super().__init__(TOO_MANY_TODAY)


def at_daily_limit(session: Session, chat_id: str) -> bool:
    since = utcnow() - timedelta(days=1)
    filed = session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.chat_id == chat_id, Application.created_at > since)
    )
    return (filed or 0) >= APPLICATIONS_PER_CHAT_PER_DAY


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class Submitted:
    application: Application
    # True: this chat already has one pending for the same person; nothing new was stored.
    duplicate: bool


def format_number(kind: str, year: int, sequence: int) -> str:
    """RH-2026-000123: a prefix, the year and six digits, easy to read aloud on the phone."""
    return f"{NUMBER_PREFIX[kind]}-{year}-{sequence:06d}"


def pending_for_person(
    session: Session, kind: str, id_number: str, chat_id: str | None = None
) -> Application | None:
    """The person's pending application of this kind; from chat_id only, when given."""
    query = (
        select(Application)
        .where(Application.kind == kind, Application.id_number_hash == keyed_hash(id_number))
        .where(Application.status.in_(PENDING))
    )
    if chat_id is not None:
        query = query.where(Application.chat_id == chat_id)
    return session.scalars(query.order_by(Application.id)).first()


def used_elsewhere(session: Session, kind: str, id_number: str, chat_id: str) -> list[str]:
    """Numbers of the person's applications of this kind from other chats."""
    return list(
        session.scalars(
            select(Application.number)
            .where(Application.kind == kind, Application.id_number_hash == keyed_hash(id_number))
            .where(Application.chat_id != chat_id)
            .order_by(Application.id)
        )
    )


def conflict_note(numbers: list[str]) -> str | None:
    """For staff: which applications from other chats share the ID number."""
    if not numbers:
        return None
    return f"同一身份证号在其他聊天另有申请：{'、'.join(numbers)}。请核实是否本人申请。"


def submit(
    session: Session,
    kind: str,
    chat_id: str,
    applicant: Applicant,
    details: dict[str, Any],
    routing: Routing | None,
    **aid_fields: Any,
) -> Submitted:
    """aid_fields: programme, verdict, checks, amount, household_hash (aid only).

    What the chat is told never depends on another chat's applications: an ID number already
    used from elsewhere (someone typing another person's number, or the person on a new phone)
    gets an application like any other, marked for staff to resolve (review_note); only this
    chat's own pending application counts as a duplicate. Raises DailyLimitReached past
    APPLICATIONS_PER_CHAT_PER_DAY."""
    if kind == "membership":
        existing = pending_for_person(session, kind, applicant.id_number, chat_id)
        if existing is not None:
            return Submitted(existing, duplicate=True)
    if at_daily_limit(session, chat_id):
        raise DailyLimitReached
    review_note = conflict_note(used_elsewhere(session, kind, applicant.id_number, chat_id))
    now = utcnow()
    application = Application(
        kind=kind,
        status=SUBMITTED,
        created_at=now,
        updated_at=now,
        chat_id=chat_id,
        applicant_name=applicant.name,
        id_number=applicant.id_number,
        id_number_hash=keyed_hash(applicant.id_number),
        phone=applicant.phone,
        details=details,
        union_id=routing.union.id if routing and routing.union else None,
        routing_reason=routing.reason if routing else None,
        review_note=review_note,
        **aid_fields,
    )
    session.add(application)
    session.flush()  # the id is the sequence of the readable number
    application.number = format_number(kind, now.year, application.id)
    _record(session, application, SUBMITTED, actor="applicant", note=review_note)
    return Submitted(application, duplicate=False)


def change_status(
    session: Session, number: str, status: str, actor: str, reason: str | None = None
) -> Application:
    application = by_number(session, number)
    if application is None:
        raise ApplicationError(f"没有编号为 {number} 的申请")
    if status not in ALLOWED_MOVES[application.kind].get(application.status, ()):
        current, wanted = STATUS_LABEL[application.status], STATUS_LABEL.get(status, status)
        raise ApplicationError(f"{number} 当前状态为“{current}”，不能改为“{wanted}”")
    if status == REJECTED and not (reason and reason.strip()):
        raise ApplicationError("不通过时必须写明原因，申请人会看到它")
    application.status = status
    application.updated_at = utcnow()
    if status == REJECTED:
        application.decision_reason = reason
    _record(session, application, status, actor=actor, note=reason)
    return application


@dataclass(frozen=True)
class Batch:
    moved: list[Application]
    unknown: list[str]  # numbers no application has, each once, as staff should check them


def unknown_note(numbers: list[str]) -> str:
    return f"没有找到编号为 {'、'.join(numbers)} 的申请，请核对编号后再办理。"


def change_many(
    session: Session, numbers: list[str], status: str, actor: str, reason: str | None = None
) -> Batch:
    """A batch (核实一批、发放一批), in the caller's one transaction: if any of them cannot move,
    the error reaches the caller and the whole batch is rolled back. Each applicant is told once,
    however often the number was listed (a second move would be refused as impossible). A number
    no application has is left out and named: a typo is not a reason to hold up the rest."""
    wanted = list(dict.fromkeys(n.strip().upper() for n in numbers if n.strip()))
    if not wanted:
        raise ApplicationError("请至少选择一件申请")
    unknown = [number for number in wanted if by_number(session, number) is None]
    if len(unknown) == len(wanted):
        raise ApplicationError(unknown_note(unknown))
    moved = [
        change_status(session, number, status, actor, reason)
        for number in wanted
        if number not in unknown
    ]
    return Batch(moved, unknown)


def by_number(session: Session, number: str) -> Application | None:
    return session.scalars(
        select(Application).where(Application.number == number.strip().upper())
    ).first()


def for_chat(session: Session, chat_id: str) -> list[Application]:
    return list(
        session.scalars(
            select(Application)
            .where(Application.chat_id == chat_id)
            .order_by(Application.id.desc())
        )
    )


def by_number_and_phone(session: Session, number: str, phone_last4: str) -> Application | None:
    """For a look-up from another chat: the number alone is not enough to see a status."""
    application = by_number(session, number)
    if application is None or not application.phone.endswith(phone_last4.strip()):
        return None
    return application


def listing(
    session: Session,
    kind: str | None = None,
    status: str | None = None,
    programme: str | None = None,
    verdict: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Application]:
    query = select(Application).order_by(Application.id)
    for column, value in (
        (Application.kind, kind),
        (Application.status, status),
        (Application.programme, programme),
        (Application.verdict, verdict),
    ):
        if value:
            query = query.where(column == value)
    if since:
        query = query.where(Application.created_at >= since)
    if until:
        query = query.where(Application.created_at < until)
    return list(session.scalars(query))


def membership_status(session: Session, id_number: str, chat_id: str) -> str:
    """member (an approved joining application), pending, or none — for aid programmes, from
    this chat's own joining applications only: what another chat's records say about an ID
    number typed here is never told here (membership_elsewhere_note tells staff)."""
    statuses = session.scalars(
        select(Application.status).where(
            Application.kind == "membership",
            Application.id_number_hash == keyed_hash(id_number),
            Application.chat_id == chat_id,
        )
    ).all()
    if APPROVED in statuses:
        return "member"
    return "pending" if any(status in PENDING for status in statuses) else "none"


def membership_elsewhere_note(session: Session, id_number: str, chat_id: str) -> str | None:
    """For staff: joining applications under the same ID number from other chats (or whose chat
    was erased by the retention purge), which the chat's preliminary verdict did not count."""
    others = session.scalars(
        select(Application)
        .where(
            Application.kind == "membership",
            Application.id_number_hash == keyed_hash(id_number),
            Application.chat_id != chat_id,
        )
        .order_by(Application.id)
    ).all()
    if not others:
        return None
    listed = "、".join(f"{other.number}（{STATUS_LABEL[other.status]}）" for other in others)
    return f"同一身份证号在其他聊天有入会申请：{listed}。初步判断没有计入，请核实是否本人。"


def status_notice(application: Application, union_name: str | None) -> str:
    """What the applicant is told when their application moves."""
    label = KIND_LABEL[application.kind]
    who = union_name or "受理的工会"
    if application.status == UNDER_REVIEW:
        return (
            f"您的{label} {application.number} 已进入审核，{who}一般会在"
            f"{REVIEW_WORKING_DAYS}个工作日内完成。"
        )
    if application.status == APPROVED:
        return (
            f"好消息！您的{label} {application.number} 已通过审核，欢迎加入工会。"
            f"{who}会联系您办理后续手续。"
        )
    if application.status == VERIFIED:
        return f"您的{label} {application.number} 已核实通过，救助金会尽快发放，发放后会再通知您。"
    if application.status == PAID:
        return f"您的{label} {application.number} 救助金已发放，请留意银行卡到账。祝一切顺利！"
    if application.status == REJECTED:
        return (
            f"您的{label} {application.number} 这次没有通过，原因：{application.decision_reason}。"
            f"如有疑问，可以联系{who}，或在这里发送“转人工”。"
        )
    return f"您的{label} {application.number} 已提交，我们会尽快审核。"


def _record(
    session: Session, application: Application, status: str, actor: str, note: str | None
) -> None:
    session.add(ApplicationEvent(application=application, status=status, actor=actor, note=note))
    audit.record(session, actor, f"application.{status}", application.number or "")
    if status != SUBMITTED:  # the applicant saw the submission happen in the chat
        text = status_notice(application, union_name(application.union_id))
        outbox.post(session, application.chat_id, text)
