"""The lawyer's pages: the queue, their cases, a case with its intake and transcript, and the
moves on it — each the same core call as the Telegram command (desk/cases/…), so the claim,
the capacity, the relay to the worker and the history are one and the same.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot.web.console.base import ROOT, Call, Pages, see_other
from bot.web.console.draft_section import draft_section
from desk.cases import tickets
from desk.cases.intake import NOT_INVOLVED, UNKNOWN
from desk.cases.lawyer_commands import NOT_YOURS, parse_amount, queue_facts, tags_text
from desk.cases.relay import lawyer_reply
from desk.cases.tickets import (
    CLAIMED,
    OPEN,
    OUTCOMES,
    PRIORITY_LABEL,
    STATUS_LABEL,
    Refusal,
    TicketError,
)
from desk.cases.waiting import readable
from desk.staff import accounts
from desk.staff.accounts import LAWYER
from desk.staff.case_view import NO_SUCH_CASE
from desk.storage import audit
from desk.storage.models import Lawyer, Ticket, TicketMessage, as_utc, utcnow

EMPTY_REPLY = "请先写下要发给工友的话。"
MAX_REPLY_CHARS = 4000
QUEUE = f"{ROOT}/queue"


def case_url(number: str | None) -> str:
    return f"{ROOT}/cases/{number}"


def summary(ticket: Ticket) -> dict[str, Any]:
    """A case as a row of the queue or of "my cases": enough to choose, no personal data."""
    return {
        "number": ticket.number,
        "priority": ticket.priority,
        "priority_label": PRIORITY_LABEL[ticket.priority],
        "tags": tags_text(ticket),
        "waited": readable(utcnow() - as_utc(ticket.opened_at)),
        "facts": queue_facts(ticket),
        "status": STATUS_LABEL[ticket.status],
    }


def message_json(message: TicketMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "who": "工友" if message.sender == tickets.WORKER else "律师",
        "mine": message.sender != tickets.WORKER,
        "at": f"{as_utc(message.created_at):%m-%d %H:%M}",
        "text": message.text,
    }


def _lawyer(call: Call) -> Lawyer:
    assert call.account.lawyer is not None  # accounts.may_sign_in: a lawyer account has one
    return call.account.lawyer


def _ticket(call: Call) -> Ticket:
    ticket = tickets.by_number(call.session, call.params["number"])
    if ticket is None:
        raise TicketError(NO_SUCH_CASE)
    return ticket


def _readable_case(call: Call) -> Ticket:
    ticket = _ticket(call)
    if not accounts.may_read_case(call.account, ticket):
        raise TicketError(NOT_YOURS)
    return ticket


def _queue_view(call: Call) -> dict[str, Any]:
    lawyer = _lawyer(call)
    return {
        "waiting": [summary(t) for t in tickets.queue(call.session)],
        "held": len(tickets.assigned_to(call.session, lawyer.telegram_id)),
        "capacity": lawyer.capacity,
    }


class LawyerPages:
    def __init__(self, pages: Pages) -> None:
        self.pages = pages

    # ── pages ───────────────────────────────────────────────────────────────────────────────
    async def queue(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            return call.render("queue.html", **_queue_view(call))

        return await self.pages.view(request, LAWYER, work)

    async def queue_json(self, request: web.Request) -> web.StreamResponse:
        """The queue again, for the open queue page to show new cases without reloading (polled
        like a case page's messages.json)."""

        def work(call: Call) -> web.StreamResponse:
            response = web.json_response(_queue_view(call))
            response.headers["Cache-Control"] = "no-store"
            return response

        return await self.pages.view(request, LAWYER, work)

    async def mine(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            lawyer = _lawyer(call)
            held = tickets.assigned_to(call.session, lawyer.telegram_id)
            return call.render(
                "mine.html", held=[summary(t) for t in held], capacity=lawyer.capacity
            )

        return await self.pages.view(request, LAWYER, work)

    async def case(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            ticket = tickets.by_number(call.session, call.params["number"])
            if ticket is None:
                return call.render("message.html", 404, message=NO_SUCH_CASE, back=ROOT)
            if not accounts.may_read_case(call.account, ticket):
                # Others see its queue line only, and may take it while it waits.
                return call.render(
                    "case_closed_to_you.html",
                    403,
                    case=summary(ticket),
                    may_take=ticket.status == OPEN,
                    reason=NOT_YOURS,
                )
            return case_page(call, ticket)

        return await self.pages.view(request, LAWYER, work)

    async def messages(self, request: web.Request) -> web.StreamResponse:
        """The transcript after a given message, for the open case page to add without reloading."""

        def work(call: Call) -> web.StreamResponse:
            ticket = _ticket(call)
            if not accounts.may_read_case(call.account, ticket):
                return web.json_response({"error": NOT_YOURS}, status=403)  # the page stops
            after = call.query.get("after", "")
            seen = int(after) if after.isdigit() else 0
            # Every few seconds per open case page: only the new messages are read.
            later = select(TicketMessage).where(
                TicketMessage.ticket_id == ticket.id, TicketMessage.id > seen
            )
            new = [message_json(m) for m in call.session.scalars(later.order_by(TicketMessage.id))]
            response = web.json_response({"messages": new, "status": STATUS_LABEL[ticket.status]})
            response.headers["Cache-Control"] = "no-store"
            return response

        return await self.pages.view(request, LAWYER, work)

    # ── moves ───────────────────────────────────────────────────────────────────────────────
    async def take(self, request: web.Request) -> web.StreamResponse:
        return await self._claim(request, request.match_info["number"])

    async def take_next(self, request: web.Request) -> web.StreamResponse:
        return await self._claim(request, None)

    async def _claim(self, request: web.Request, number: str | None) -> web.StreamResponse:
        """The Telegram /take: one transaction, so of two lawyers pressing at once one wins."""

        def work(call: Call) -> web.StreamResponse:
            result = tickets.claim(call.session, _lawyer(call).telegram_id, number)
            if isinstance(result, Refusal):
                return call.render("message.html", 409, message=result.message, back=QUEUE)
            return see_other(case_url(result.number))

        return await self.pages.write(request, LAWYER, work, back=QUEUE)

    async def reply(self, request: web.Request) -> web.StreamResponse:
        number = request.match_info["number"]

        def work(call: Call) -> web.StreamResponse:
            ticket = _readable_case(call)
            text = call.field("text")[:MAX_REPLY_CHARS]
            if not text:
                raise TicketError(EMPTY_REPLY)
            if ticket.status != CLAIMED:
                raise TicketError(
                    f"案件 {ticket.number} 已{STATUS_LABEL[ticket.status]}，不能再回复。"
                )
            # The relay writes the transcript and the worker's notice, in their channel.
            sent = lawyer_reply(call.session, _lawyer(call).telegram_id, text, ticket.number or "")
            if not sent.relayed:  # e.g. released from Telegram a moment ago: say so, keep the text
                refusal = " ".join(reply.text for reply in sent.said)
                return case_page(call, ticket, reply_error=refusal, reply_text=text, status=409)
            audit.record(call.session, call.actor, "console.reply", ticket.number or "")
            return see_other(case_url(ticket.number) + "#reply")

        return await self.pages.write(request, LAWYER, work, back=case_url(number))

    async def release(self, request: web.Request) -> web.StreamResponse:
        number = request.match_info["number"]

        def work(call: Call) -> web.StreamResponse:
            tickets.release(
                call.session, number, _lawyer(call).telegram_id, call.field("reason") or None
            )
            return see_other(QUEUE)

        return await self.pages.write(request, LAWYER, work, back=case_url(number))

    async def close(self, request: web.Request) -> web.StreamResponse:
        number = request.match_info["number"]

        def work(call: Call) -> web.StreamResponse:
            amount = parse_amount(call.field("amount"))
            ticket = tickets.close(
                call.session, number, _lawyer(call).telegram_id, call.field("outcome"), amount
            )
            return see_other(case_url(ticket.number))

        return await self.pages.write(request, LAWYER, work, back=case_url(number))


def case_page(
    call: Call,
    ticket: Ticket,
    draft_answer: str = "",
    reply_error: str = "",
    reply_text: str = "",
    status: int = 200,
) -> web.Response:
    """The case as its holder sees it; draft_answer: what 生成草稿 just said; reply_error: why
    the reply in reply_text was not sent (it stays in the box to send again)."""
    intake = {
        label: value
        for label, value in (ticket.intake or {}).items()
        if value not in (UNKNOWN, NOT_INVOLVED)
    }
    held = ticket.status == CLAIMED
    return call.render(
        "case.html",
        status,
        case=summary(ticket),
        held=held,
        opened_at=f"{as_utc(ticket.opened_at):%Y-%m-%d %H:%M}",
        intake=intake,
        story=ticket.summary,
        messages=[message_json(m) for m in ticket.messages],
        outcomes=OUTCOMES,
        closed_note=_closed_note(ticket),
        draft=draft_section(call.session, ticket) if held else None,
        draft_answer=draft_answer,
        reply_error=reply_error,
        reply_text=reply_text,
    )


def _closed_note(ticket: Ticket) -> str | None:
    if ticket.status != tickets.CLOSED:
        return None
    note = OUTCOMES.get(ticket.outcome or "", ticket.outcome or "")
    if ticket.amount_recovered is not None:
        note += f"，追回 {ticket.amount_recovered} 元"
    if ticket.rating is not None:
        note += f"；工友评分 {ticket.rating} 分"
    return note
