"""查询进度: what a worker may learn about applications and cases, and how they prove it is
theirs.

From the chat an application was made in, its status is shown at once. From any other chat
the number alone is not enough: the last four digits of the phone number are asked too. A case
with a lawyer (AJ-…) is shown in the chat it was opened from only: its phone may be missing.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.applications.store import KIND_LABEL, STATUS_LABEL, by_number_and_phone, for_chat
from desk.cases.tickets import OPEN, ahead_in_queue, by_number
from desk.cases.tickets import STATUS_LABEL as CASE_STATUS
from desk.storage.models import Application, Ticket

CASES_SHOWN = 3

_NUMBER = re.compile(r"\b([A-Z]{2})\s*-?\s*(\d{4})\s*-?\s*(\d{6})\b", re.IGNORECASE)
_LAST4 = re.compile(r"(?<!\d)(\d{4})(?!\d)")

ASK_FOR_NUMBER = (
    "在这个聊天里没有找到您的申请。如果是在别处提交的，请发送申请编号和手机号后四位，"
    "例如：RH-2026-000123 5678"
)
NOT_FOUND = "没有找到与这个编号和手机尾号对应的申请，请核对后再发一次，或者转人工帮您查。"


def describe(application: Application) -> str:
    line = (
        f"{KIND_LABEL[application.kind]} {application.number}：{STATUS_LABEL[application.status]}"
    )
    if application.decision_reason:
        line += f"（原因：{application.decision_reason}）"
    return line


def describe_case(session: Session, ticket: Ticket) -> str:
    line = f"律师案件 {ticket.number}：{CASE_STATUS[ticket.status]}"
    if ticket.status == OPEN:
        ahead = ahead_in_queue(session, ticket)
        line += f"（前面还有 {ahead} 件）" if ahead else "（排在最前面）"
    return line


def cases_of(session: Session, chat_id: str) -> list[Ticket]:
    """The chat's latest cases, newest first."""
    query = select(Ticket).where(Ticket.chat_id == chat_id).order_by(Ticket.id.desc())
    return list(session.scalars(query.limit(CASES_SHOWN)))


def status_reply(session: Session, chat_id: str, text: str) -> str:
    number_match = _NUMBER.search(text)
    if number_match and number_match.group(1).upper() == "AJ":
        number = "-".join(part.upper() for part in number_match.groups())
        case = by_number(session, number)
        if case is None or case.chat_id != chat_id:
            return f"在这个聊天里没有找到案件 {number}。案件只能在登记它的聊天里查询。"
        return describe_case(session, case)
    if number_match:
        number = "-".join(part.upper() for part in number_match.groups())
        rest = text[number_match.end() :]
        last4 = _LAST4.search(rest)
        if last4 is None:
            return f"请再发一下手机号后四位，例如：{number} 5678"
        application = by_number_and_phone(session, number, last4.group(1))
        return describe(application) if application else NOT_FOUND
    lines = [describe(item) for item in for_chat(session, chat_id)]
    lines += [describe_case(session, case) for case in cases_of(session, chat_id)]
    if not lines:
        return ASK_FOR_NUMBER
    return "您的申请和案件：\n" + "\n".join(f"· {line}" for line in lines)
