"""What union staff see of the lawyers' cases, as the union configured it (STAFF_SEE_CASES).

The worker agreed to tell their story to the lawyer who takes the case. Staff need the load
(what waits, who holds what) and the figures; whether they may read more is the union's choice:
- none: no cases here at all (the figures are in the report, the load on the lawyers' page);
- summary (the default): each case as a lawyer choosing from the queue sees it — number,
  urgency, tags, wait, city, people, amount, masked — with its status and holder; never the
  story, the intake's other answers or the transcript;
- full: the whole case as its lawyer reads it, ID, phone and bank-card numbers masked.
The console and the command line both ask this module.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.cases.lawyer_commands import details, queue_line
from desk.cases.tickets import CLAIMED, STATUS_LABEL, TicketError, by_number, queue
from desk.common.pii import mask_personal_data
from desk.storage.models import Ticket, utcnow

NONE, SUMMARY, FULL = "none", "summary", "full"
NOT_SHOWN = (
    "按本服务台的设置（STAFF_SEE_CASES=none），工作人员不查看案件。"
    "案件数量和结果见工作报告，律师的在办件数见律师页。"
)
STORY_NOT_SHOWN = (
    "按本服务台的设置，工作人员只看到案件的这一行；登记内容和对话记录只有承办律师能看。"
)
NO_SUCH_CASE = "没有这个编号的案件。"


def _allowed(view: str) -> None:
    if view not in (SUMMARY, FULL):
        raise TicketError(NOT_SHOWN)


def line(ticket: Ticket) -> str:
    """The queue line, with where the case stands and who holds it."""
    holder = f"，承办：{ticket.assignee.name}" if ticket.assignee is not None else ""
    return f"{queue_line(ticket, utcnow())}（{STATUS_LABEL[ticket.status]}{holder}）"


def in_progress(session: Session, view: str) -> list[Ticket]:
    """The cases in progress: the queue in its order, then the held ones."""
    _allowed(view)
    held = select(Ticket).where(Ticket.status == CLAIMED).order_by(Ticket.claimed_at, Ticket.id)
    return [*queue(session), *session.scalars(held)]


def case_text(session: Session, number: str, view: str) -> str:
    _allowed(view)
    ticket = by_number(session, number)
    if ticket is None:
        raise TicketError(NO_SUCH_CASE)
    if view == FULL:
        return mask_personal_data(details(ticket))
    return f"{line(ticket)}\n{STORY_NOT_SHOWN}"
