"""查询进度: what a worker may learn about applications and cases, and how they prove it is
theirs.

From the chat an application was made in, its status is shown at once. From any other chat
the number alone is not enough: the last four digits of the phone number are asked too, and
wrong digits are throttled per chat and per number (10,000 possible endings must not be tried
through). A case with a lawyer (AJ-…) is shown in the chat it was opened from only: its phone
may be missing.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.applications.store import KIND_LABEL, STATUS_LABEL, by_number_and_phone, for_chat
from desk.cases.tickets import OPEN, ahead_in_queue, by_number
from desk.cases.tickets import STATUS_LABEL as CASE_STATUS
from desk.common.attempts import Limit, exhausted, record_failure
from desk.common.pseudonym import chat_pseudonym
from desk.common.text import fold
from desk.storage.models import Application, Ticket

CASES_SHOWN = 3

_NUMBER = re.compile(r"\b([A-Z]{2})\s*-?\s*(\d{4})\s*-?\s*(\d{6})\b", re.IGNORECASE)
_LAST4 = re.compile(r"(?<!\d)(\d{4})(?!\d)")

ASK_FOR_NUMBER = (
    "在这个聊天里没有找到您的申请。如果是在别处提交的，请发送申请编号和手机号后四位，"
    "例如：RH-2026-000123 5678"
)
# A message that names an application or a case: a status request even when nothing is found.
_ABOUT_APPLICATIONS = re.compile(
    r"申请|进度|审核|审批|批了|批下|批准|结果|编号|案子|案件|工单|进展|消息|回音|动静|跟进|登记|"
    r"提交|状态|到哪|有人处理|律师接|补助|救助|助学金|会员|入会|到账|到了没|发了没|我的事|办得|"
    r"查一下|查查|查询"
)
NOT_FOUND = "没有找到与这个编号和手机尾号对应的申请，请核对后再发一次，或者转人工帮您查。"
# Wrong phone digits: a chat may miss 5 times an hour, a number 10 times a day (from any chats).
CHAT_GUESSES = Limit("status.chat", 5, timedelta(hours=1))
NUMBER_GUESSES = Limit("status.number", 10, timedelta(days=1))
TOO_MANY_FROM_CHAT = (
    "手机尾号核对错误的次数有点多。为了保护申请人的信息，请过一个小时再查；"
    "着急的话可以回复“转人工”，请工作人员帮您查。"
)
TOO_MANY_FOR_NUMBER = (
    "这个编号今天核对错误的次数太多，为了保护申请人的信息，暂时不能凭手机尾号查询。"
    "请明天再试，或者在提交申请的那个聊天里直接发“查询进度”；也可以回复“转人工”。"
)


def names_an_application(text: str) -> bool:
    """Whether a message speaks of an application or a case (查进度, 我的申请批了吗), as opposed
    to a question the intent classifier took for one (流产了有假吗)."""
    return bool(_ABOUT_APPLICATIONS.search(fold(text)) or _NUMBER.search(text))


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


def _look_up_by_phone(session: Session, chat_id: str, number: str, last4: str) -> str:
    """A throttled try refuses before looking: right digits included, or the limit would only
    slow the guessing down."""
    chat = chat_pseudonym(chat_id)
    if exhausted(session, CHAT_GUESSES, chat):
        return TOO_MANY_FROM_CHAT
    if exhausted(session, NUMBER_GUESSES, number):
        return TOO_MANY_FOR_NUMBER
    application = by_number_and_phone(session, number, last4)
    if application is not None:
        return describe(application)
    record_failure(session, CHAT_GUESSES, chat)
    record_failure(session, NUMBER_GUESSES, number)
    return NOT_FOUND


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
        return _look_up_by_phone(session, chat_id, number, last4.group(1))
    lines = [describe(item) for item in for_chat(session, chat_id)]
    lines += [describe_case(session, case) for case in cases_of(session, chat_id)]
    if not lines:
        return ASK_FOR_NUMBER
    return "您的申请和案件：\n" + "\n".join(f"· {line}" for line in lines)
