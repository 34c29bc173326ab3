"""查询进度: what a worker may learn about applications, and how they prove it is theirs.

From the chat an application was made in, its status is shown at once. From any other chat
the number alone is not enough: the last four digits of the phone number are asked too.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from desk.applications import KIND_LABEL, STATUS_LABEL, by_number_and_phone, for_chat
from desk.models import Application

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


def status_reply(session: Session, chat_id: str, text: str) -> str:
    number_match = _NUMBER.search(text)
    if number_match:
        number = "-".join(part.upper() for part in number_match.groups())
        rest = text[number_match.end() :]
        last4 = _LAST4.search(rest)
        if last4 is None:
            return f"请再发一下手机号后四位，例如：{number} 5678"
        application = by_number_and_phone(session, number, last4.group(1))
        return describe(application) if application else NOT_FOUND
    applications = for_chat(session, chat_id)
    if not applications:
        return ASK_FOR_NUMBER
    return "您的申请：\n" + "\n".join(f"· {describe(item)}" for item in applications)
