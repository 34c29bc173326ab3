"""The versions of a case's arbitration draft, and the review step between lawyer and worker.

The lawyer holding the case asks for the draft (prepare): the facts given so far are kept, and
once nothing is missing the documents are rendered as a new version and posted to the lawyer's
chat. Only send_to_worker posts a draft to the worker, and only a version whose copy has reached
the lawyer, for the lawyer who holds the case: the worker never gets an unreviewed draft.
Everything goes through the notification outbox; the documents, which hold personal data, are
never written to logs, listings or the ticket's history (which names the version only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.cases.arbitration import facts as case_facts
from desk.cases.arbitration.claims import Assessment, CaseFacts, assess
from desk.cases.arbitration.commissions import get_commissions
from desk.cases.arbitration.document import (
    APPLICATION_TITLE,
    PAYMENT_ORDER_TITLE,
    render_application,
    render_payment_order,
)
from desk.cases.lawyers import actor
from desk.cases.tickets import TicketError, held_by, record_event
from desk.common.chats import TELEGRAM_PREFIX, WEB_PREFIX, telegram_chat
from desk.storage import outbox
from desk.storage.models import CaseDraft, Notification, Ticket, TicketMessage, utcnow

CHINA = ZoneInfo("Asia/Shanghai")
ARREARS_TAG = "欠薪"
# Channels that deliver a file: Telegram sends it, the web page links to it.
FILE_CHANNELS = (TELEGRAM_PREFIX, WEB_PREFIX)
WORKER = "worker"

FOR_THE_LAWYER = (
    "{number} {title}草稿（第{version}版）。请审阅；Word 文件可以直接修改。"
    "确认无误后发 /senddraft {number}，我会把这一版发给工友。"
)
FOR_THE_WORKER = (
    "您好！这是工会律师和服务台一起为您准备的{title}草稿（案件 {number}），律师已经看过。"
    "请仔细核对里面的每一项，空着的地方（姓名、身份证号、住址等）请自己填好；"
    "有不对的地方，直接在这里回复，律师会帮您改。核对无误后签名，"
    "带上文件里列出的证据材料，交到文件里写的{where}。这是草稿，不是已经提交的文书。"
)


def today_in_china() -> date:
    return datetime.now(CHINA).date()


@dataclass(frozen=True)
class Prepared:
    known: case_facts.Known
    problems: tuple[str, ...]  # values the lawyer typed that could not be used
    missing: tuple[case_facts.Fact, ...]
    assessment: Assessment | None  # when nothing was missing
    draft: CaseDraft | None  # the version rendered now, if any


def _drafts(session: Session, ticket_id: int) -> list[CaseDraft]:
    return list(
        session.scalars(
            select(CaseDraft).where(CaseDraft.ticket_id == ticket_id).order_by(CaseDraft.id)
        )
    )


def _worker_texts(ticket: Ticket) -> list[str]:
    """What the worker wrote, oldest first: the story (and what was added), then the messages."""
    told = [part for part in ticket.summary.split("\n补充：") if part]
    said = [m.text for m in ticket.messages if m.sender == WORKER]
    return told + said


def known_facts(ticket: Ticket, lawyer_facts: dict[str, str]) -> case_facts.Known:
    arrears = ARREARS_TAG in (ticket.tags or ())
    case = case_facts.from_case(ticket.intake or {}, _worker_texts(ticket), arrears)
    return case_facts.merged(case, lawyer_facts)


def prepare(
    session: Session, number: str, lawyer_telegram_id: int, line: str, today: date
) -> Prepared:
    """Adds what the lawyer typed to the case's facts; renders a new version and posts it to
    the lawyer when nothing is missing."""
    ticket = held_by(session, number, lawyer_telegram_id)
    assert ticket.assignee is not None
    history = _drafts(session, ticket.id)
    before = history[-1].facts if history else {}
    parsed = case_facts.parse(line)
    given = case_facts.combined(before, parsed.facts)
    known = known_facts(ticket, given)
    missing = tuple(case_facts.missing(known, ARREARS_TAG in (ticket.tags or ())))
    if missing:
        if given != before:
            session.add(CaseDraft(ticket_id=ticket.id, lawyer_id=ticket.assignee_id, facts=given))
        return Prepared(known, tuple(parsed.problems), missing, None, None)
    assessment = assess(CaseFacts.from_known(known.facts, today), get_commissions())
    if not assessment.included and assessment.payment_order is None:
        if given != before:
            session.add(CaseDraft(ticket_id=ticket.id, lawyer_id=ticket.assignee_id, facts=given))
        return Prepared(known, tuple(parsed.problems), (), assessment, None)
    version = 1 + sum(1 for draft in history if draft.version is not None)
    draft = CaseDraft(
        ticket_id=ticket.id,
        lawyer_id=ticket.assignee_id,
        facts=given,
        version=version,
        # Nothing left to arbitrate (time-barred, say) but an IOU: the payment order alone.
        application=render_application(assessment) if assessment.included else None,
        payment_order=render_payment_order(assessment),
    )
    session.add(draft)
    lawyer_chat = telegram_chat(lawyer_telegram_id)
    notices = _post_documents(session, lawyer_chat, draft, ticket, FOR_THE_LAWYER, None)
    session.flush()
    draft.lawyer_notice_id = notices[0].id
    record_event(session, ticket, "draft", actor(lawyer_telegram_id), note=f"第{version}版")
    return Prepared(known, tuple(parsed.problems), (), assessment, draft)


def latest(session: Session, ticket: Ticket) -> CaseDraft | None:
    """The case's newest rendered version, if any."""
    rendered = [draft for draft in _drafts(session, ticket.id) if draft.version is not None]
    return rendered[-1] if rendered else None


def lawyer_copy(
    session: Session, draft_id: int, lawyer_telegram_id: int
) -> tuple[Ticket, CaseDraft, list[tuple[str, str, bytes]]]:
    """A version's documents (title, file name, content), for the lawyer holding its case only.
    Taking them (the console's download) is the lawyer having the copy: its notice counts as
    delivered, so Telegram does not send it again and send_to_worker's one rule holds."""
    draft = session.get(CaseDraft, draft_id)
    ticket = session.get(Ticket, draft.ticket_id) if draft is not None else None
    if draft is None or draft.version is None or ticket is None:
        raise TicketError("没有这一版草稿。")
    held_by(session, ticket.number or "", lawyer_telegram_id)  # refuses everyone else
    if not lawyer_has_copy(session, draft):
        outbox.mark_sent(session, draft.lawyer_notice_id)
    return ticket, draft, _documents(draft, ticket.number or "")


def lawyer_has_copy(session: Session, draft: CaseDraft) -> bool:
    """Whether the lawyer holding the case has this version: its notice was delivered (or taken
    from the console), or none was posted. Only then may it go to the worker."""
    notice = session.get(Notification, draft.lawyer_notice_id) if draft.lawyer_notice_id else None
    return notice is None or notice.sent_at is not None


def _documents(draft: CaseDraft, number: str) -> list[tuple[str, str, bytes]]:
    """(title, file name, content) of a version: the application, then any payment order."""
    documents = []
    for title, content in (
        (APPLICATION_TITLE, draft.application),
        (PAYMENT_ORDER_TITLE, draft.payment_order),
    ):
        if content is not None:
            documents.append((title, f"{title}-{number}-第{draft.version}版.docx", content))
    return documents


def _post_documents(
    session: Session,
    chat_id: str,
    draft: CaseDraft,
    ticket: Ticket,
    caption: str,
    ticket_id: int | None,
) -> list[Notification]:
    number = ticket.number or ""
    return [
        outbox.post(
            session,
            chat_id,
            caption.format(
                number=number,
                title=title,
                version=draft.version,
                where="仲裁委员会" if title == APPLICATION_TITLE else "人民法院",
            ),
            ticket_id=ticket_id,
            document=(name, content),
        )
        for title, name, content in _documents(draft, number)
    ]


def send_to_worker(session: Session, number: str, lawyer_telegram_id: int) -> CaseDraft:
    """Posts the latest version to the worker, once its copy reached the lawyer holding the case.
    Raises TicketError, saying why, in every other case."""
    ticket = held_by(session, number, lawyer_telegram_id)
    history = _drafts(session, ticket.id)
    rendered = [draft for draft in history if draft.version is not None]
    if not rendered:
        raise TicketError(f"{ticket.number} 还没有草稿。请先发 /draft {ticket.number}。")
    draft = rendered[-1]
    if history[-1] is not draft:
        raise TicketError(
            f"第{draft.version}版之后您又补充了信息，新版还没有生成。"
            f"请先发 /draft {ticket.number}，看过新版后再发送。"
        )
    if draft.sent_at is not None:
        raise TicketError(f"第{draft.version}版已经发给工友了。有修改请先发 /draft 生成新版。")
    if not lawyer_has_copy(session, draft):
        raise TicketError(
            f"第{draft.version}版还没送到您这里（Telegram 收到，或在控制台下载）。"
            "请收到、看过之后再发送。"
        )
    if not ticket.chat_id.startswith(FILE_CHANNELS):
        raise TicketError(
            "这位工友用的渠道（如微信公众号）目前收不了 Word 文件，Telegram 和网页聊天可以。"
            "请用其他方式把文件交给工友，可以先用 /reply 告诉工友。"
        )
    _post_documents(session, ticket.chat_id, draft, ticket, FOR_THE_WORKER, ticket.id)
    draft.sent_at = utcnow()
    record_event(
        session, ticket, "draft_sent", actor(lawyer_telegram_id), note=f"第{draft.version}版"
    )
    session.add(
        TicketMessage(
            ticket_id=ticket.id,
            sender=actor(lawyer_telegram_id),
            text=f"[仲裁申请书草稿 第{draft.version}版]",
        )
    )
    return draft
