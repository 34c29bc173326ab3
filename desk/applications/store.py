"""Applications: submitting, duplicate checks, status changes with history, look-ups, notices.

Built once for every kind of application (入会 now, 帮扶/救助 next): what differs between kinds
is the number prefix, the details and the words of the notices, not the machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
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


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class Submitted:
    application: Application
    duplicate: bool  # True: an application was already pending; nothing new was stored


def format_number(kind: str, year: int, sequence: int) -> str:
    """RH-2026-000123: a prefix, the year and six digits, easy to read aloud on the phone."""
    return f"{NUMBER_PREFIX[kind]}-{year}-{sequence:06d}"


def pending_for_person(session: Session, kind: str, id_number: str) -> Application | None:
    return session.scalars(
        select(Application)
        .where(Application.kind == kind, Application.id_number_hash == keyed_hash(id_number))
        .where(Application.status.in_(PENDING))
        .order_by(Application.id)
    ).first()


def submit(
    session: Session,
    kind: str,
    chat_id: str,
    applicant: Applicant,
    details: dict[str, Any],
    routing: Routing | None,
    **aid_fields: Any,
) -> Submitted:
    """aid_fields: programme, verdict, checks, amount, household_hash (aid only)."""
    if kind == "membership":
        existing = pending_for_person(session, kind, applicant.id_number)
        if existing is not None:
            return Submitted(existing, duplicate=True)
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
        **aid_fields,
    )
    session.add(application)
    session.flush()  # the id is the sequence of the readable number
    application.number = format_number(kind, now.year, application.id)
    _record(session, application, SUBMITTED, actor="applicant", note=None)
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


def membership_status(session: Session, id_number: str) -> str:
    """member (an approved joining application), pending, or none — for aid programmes."""
    statuses = session.scalars(
        select(Application.status).where(
            Application.kind == "membership", Application.id_number_hash == keyed_hash(id_number)
        )
    ).all()
    if APPROVED in statuses:
        return "member"
    return "pending" if any(status in PENDING for status in statuses) else "none"


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
