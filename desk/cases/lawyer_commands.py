"""What a registered lawyer can do from the chat: see the queue, take, show, release and close
cases, and answer a worker. Anyone else gets one polite refusal that reveals nothing — not even
whether a case with that number exists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from desk.cases.arbitration import commands as arbitration
from desk.cases.intake import FIELD_BY_SLOT, NOT_INVOLVED, UNKNOWN
from desk.cases.lawyers import by_telegram_id, is_lawyer
from desk.cases.relay import from_lawyer
from desk.cases.tickets import (
    CLAIMED,
    CLOSED,
    OPEN,
    OUTCOMES,
    PAYLOAD_PREFIX,
    PRIORITY_LABEL,
    STATUS_LABEL,
    Refusal,
    TicketError,
    assigned_to,
    by_number,
    claim,
    close,
    queue,
    release,
    take_button,
)
from desk.cases.waiting import readable
from desk.common.chats import telegram_id
from desk.common.numerals import parse_number
from desk.common.pii import mask_personal_data
from desk.common.replies import Reply
from desk.storage.models import Ticket, as_utc, utcnow

NOT_A_LAWYER = (
    "抱歉，这个功能只对工会登记的维权律师开放。"
    "如果您遇到了劳动纠纷，直接把情况发给我，我来帮您；需要律师时说「转人工」就好。"
)
HELP = (
    "律师命令：\n"
    "/queue 待接案件（紧急的、等得久的在前）\n"
    "/take [编号] 接手下一件，或指定的一件\n"
    "/mine 我手上的案件\n"
    "/show 编号 查看案件材料和对话\n"
    "/reply 编号 内容 给工友回消息（也可以直接「回复」工友的消息）\n"
    "/release 编号 [原因] 退回队列，让其他律师接手\n"
    "/close 编号 结果 [金额] 办结。结果：解决、调解、仲裁、追回（追回要写金额）\n"
    "/draft 编号 [名称 值…] 劳动仲裁申请书草稿：缺什么、补什么，齐了就把文件发给您审阅\n"
    "/senddraft 编号 把审阅过的草稿发给工友"
)
CLOSE_USAGE = "请写明结果：/close 编号 结果 [金额]，结果可以是 解决、调解、仲裁、追回。"
QUEUE_SHOWN = 10
BUTTONS_SHOWN = 3  # take buttons under a list of cases: the first few, in queue order
# What a lawyer choosing a case wants to see first, under the labels the intake stores.
QUEUE_FACTS = tuple(FIELD_BY_SLOT[slot].label for slot in ("h_city", "h_workers", "h_amount"))
MAX_AMOUNT = Decimal("1e10")
# What lawyers type for an outcome, in Chinese or as the key itself.
OUTCOME_WORDS = {
    "解决": "resolved",
    "已解决": "resolved",
    "调解": "mediation",
    "转调解": "mediation",
    "仲裁": "arbitration",
    "转仲裁": "arbitration",
    "追回": "recovered",
    "追回欠款": "recovered",
    **{key: key for key in OUTCOMES},
}

Command = Callable[[Session, int, str], list[Reply]]


def run(session: Session, sender_id: str, command: str, args: str) -> list[Reply]:
    """/queue, /take, … from sender_id; args is the rest of the line."""
    lawyer_id = lawyer_id_of(session, sender_id)
    if lawyer_id is None:
        return [Reply(NOT_A_LAWYER)]
    return run_as(session, lawyer_id, command, args)


def run_as(session: Session, lawyer_id: int, command: str, args: str) -> list[Reply]:
    """A command of a lawyer already known to be registered."""
    handler = COMMANDS.get(command)
    if handler is None:
        return [Reply(HELP)]
    try:
        return handler(session, lawyer_id, args.strip())
    except TicketError as error:
        session.rollback()  # a refused command changes nothing
        return [Reply(str(error))]


def press(session: Session, sender_id: str, payload: str) -> list[Reply] | None:
    """The lawyer buttons (ticket:take:<n>, ticket:show:<n>); None for other payloads."""
    action, _, number = payload.removeprefix(PAYLOAD_PREFIX).partition(":")
    if action not in ("take", "show"):
        return None
    return run(session, sender_id, action, number)


def lawyer_id_of(session: Session, sender_id: str) -> int | None:
    user = telegram_id(sender_id)
    if user is None:
        return None
    return user if is_lawyer(session, user) else None


def show_queue(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    waiting = queue(session)
    if not waiting:
        return [Reply("队列里暂时没有待接的案件。")]
    now = utcnow()
    lines = [f"待接案件 {len(waiting)} 件（紧急在前，同级先来先办）："]
    lines += [queue_line(ticket, now) for ticket in waiting[:QUEUE_SHOWN]]
    if len(waiting) > QUEUE_SHOWN:
        lines.append(f"……另有 {len(waiting) - QUEUE_SHOWN} 件")
    buttons = tuple(take_button(t.number) for t in waiting[:BUTTONS_SHOWN])
    return [Reply("\n".join(lines), buttons)]


def queue_facts(ticket: Ticket) -> str:
    """What a lawyer choosing a case sees of the intake (city, people, amount), masked."""
    intake = ticket.intake or {}
    facts = [intake.get(label) for label in QUEUE_FACTS]
    known = " · ".join(str(fact) for fact in facts if fact and fact not in (UNKNOWN, NOT_INVOLVED))
    return mask_personal_data(known)  # the worker's own words: they may hold a phone number


def tags_text(ticket: Ticket) -> str:
    return "、".join(ticket.tags) or "其他"


def queue_line(ticket: Ticket, now: datetime) -> str:
    """One case in the queue: enough to choose, no personal data."""
    known = queue_facts(ticket)
    return (
        f"{ticket.number} {PRIORITY_LABEL[ticket.priority]} [{tags_text(ticket)}] "
        f"已等 {readable(now - as_utc(ticket.opened_at))}" + (f" · {known}" if known else "")
    )


def take(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    result = claim(session, lawyer_id, args.split()[0] if args else None)
    if isinstance(result, Refusal):
        return [Reply(result.message)]
    return [
        Reply(
            f"您已接手 {result.number}，工友已收到通知。您在这里发的消息会转给这位工友"
            "（手上有多件时，请「回复」工友的消息或用 /reply）。\n\n" + details(result)
        )
    ]


def mine(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    held = assigned_to(session, lawyer_id)
    lawyer = by_telegram_id(session, lawyer_id)
    if not held:
        return [Reply("您手上暂时没有案件。发 /queue 看看待接的案件。")]
    now = utcnow()
    capacity = lawyer.capacity if lawyer else len(held)
    lines = [f"您手上的案件 {len(held)}/{capacity} 件："]
    lines += [queue_line(ticket, now) for ticket in held]
    return [Reply("\n".join(lines))]


NOT_YOURS = "只有承办律师能查看案件的登记材料和对话记录。"
TAKE_TO_SEE = "接手后可以查看全部材料。"


def show(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    """The whole case for the lawyer who holds it (or closed it); for other lawyers only its
    queue line: the worker agreed to share the story with the lawyer who takes the case."""
    ticket = _ticket(session, args)
    if is_holder(ticket, lawyer_id):
        return [Reply(details(ticket))]
    line = f"{queue_line(ticket, utcnow())}（{STATUS_LABEL[ticket.status]}）"
    if ticket.status == OPEN:
        return [Reply(f"{line}\n{NOT_YOURS}{TAKE_TO_SEE}", (take_button(ticket.number),))]
    return [Reply(f"{line}\n{NOT_YOURS}")]


def is_holder(ticket: Ticket, lawyer_id: int) -> bool:
    """Holds it now, or held it when it was closed."""
    lawyer = ticket.assignee
    return (
        ticket.status in (CLAIMED, CLOSED)
        and lawyer is not None
        and lawyer.telegram_id == lawyer_id
    )


def details(ticket: Ticket) -> str:
    """The intake and the transcript, for the lawyer who holds the case."""
    lines = [
        f"案件 {ticket.number}（{STATUS_LABEL[ticket.status]}，{PRIORITY_LABEL[ticket.priority]}）",
        f"标签：{tags_text(ticket)}",
        f"登记时间：{as_utc(ticket.opened_at):%Y-%m-%d %H:%M} UTC",
        *(f"{label}：{value}" for label, value in (ticket.intake or {}).items()),
        f"情况：{ticket.summary}",
    ]
    if ticket.messages:
        lines.append("对话记录：")
        lines += [
            f"  {as_utc(m.created_at):%m-%d %H:%M} {'工友' if m.sender == 'worker' else '律师'}："
            f"{m.text}"
            for m in ticket.messages
        ]
    return "\n".join(lines)


def reply(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    number, _, text = args.partition(" ")
    if not text.strip():
        return [Reply("用法：/reply 编号 内容")]
    return from_lawyer(session, lawyer_id, text.strip(), number)


def release_case(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    number, _, reason = args.partition(" ")
    if not number.upper().startswith("AJ-"):  # /release 原因, with the only case held
        number, reason = "", args
    number = _held_number(session, lawyer_id, number)
    ticket = release(session, number, lawyer_id, reason or None)
    return [Reply(f"{ticket.number} 已退回队列，工友已收到通知。")]


def close_case(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    words = args.split()
    if words and words[0].upper().startswith("AJ-"):
        number, words = words[0], words[1:]
    else:
        number = _held_number(session, lawyer_id, "")
    if not words or words[0] not in OUTCOME_WORDS:
        raise TicketError(CLOSE_USAGE)
    ticket = close(session, number, lawyer_id, OUTCOME_WORDS[words[0]], _amount(words[1:]))
    return [Reply(f"{ticket.number} 已办结。工友会收到通知，并被请求给这次服务打分。")]


def _amount(words: list[str]) -> Decimal | None:
    return parse_amount(words[0]) if words else None


def parse_amount(text: str) -> Decimal | None:
    """An amount recovered as lawyers write it (32000, 3.2万, 32,000元); None when blank."""
    if not text.strip():
        return None
    raw = text.strip().removesuffix("元").replace(",", "")
    try:
        amount = parse_number(raw)
    except (InvalidOperation, ValueError):
        raise TicketError(f"金额「{text}」看不懂，请写数字，例如 32000。") from None
    if amount >= MAX_AMOUNT:  # tickets.amount_recovered is Numeric(12, 2)
        raise TicketError(f"金额「{text}」太大了，请核对后再写。")
    return amount


def _held_number(session: Session, lawyer_id: int, number: str) -> str:
    """The number given, or the lawyer's only case when none is given."""
    if number:
        return number
    held = assigned_to(session, lawyer_id)
    if len(held) != 1:
        raise TicketError("请写上案件编号。发 /mine 可以看到您手上的案件。")
    return held[0].number or ""


def _ticket(session: Session, number: str) -> Ticket:
    ticket = by_number(session, number) if number else None
    if ticket is None:
        raise TicketError(f"没有编号为 {number or '（空）'} 的案件。用法：/show 编号")
    return ticket


COMMANDS: dict[str, Command] = {
    "queue": show_queue,
    "take": take,
    "mine": mine,
    "show": show,
    "reply": reply,
    "release": release_case,
    "close": close_case,
    "draft": arbitration.draft,
    "senddraft": arbitration.send_draft,
}
