"""The staff's pages: applications (filtered, one by one or in batches), the CSV for the report,
the lawyers with their load, and the cases as far as STAFF_SEE_CASES allows
(desk/staff/case_view.py). Every move is the CLI's own core call
(desk/applications/store.py), so each applicant is notified as from the command line.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from typing import Any

from aiohttp import web

from bot.web.console.base import ROOT, Call, Pages, download, see_other
from desk.aid.application import CHECK_MARKS
from desk.aid.policies import get_policies
from desk.applications.store import (
    ALLOWED_MOVES,
    KIND_LABEL,
    STATUS_LABEL,
    ApplicationError,
    by_number,
    change_many,
    listing,
    unknown_note,
)
from desk.cases import lawyers, tickets
from desk.cases.lawyers import LawyerError
from desk.common.pii import mask_personal_data
from desk.settings import get_settings
from desk.staff import case_view
from desk.staff.accounts import STAFF
from desk.staff.cli import MOVES, positive_integer, write_csv
from desk.staff.report import programme_name
from desk.storage import audit
from desk.storage.models import Application, as_utc

APPLICATIONS = f"{ROOT}/applications"
VERDICTS = ("符合", "不符合", "需人工核实")
MOVE_LABEL = {
    "review": "开始审核",
    "approve": "通过",
    "verify": "核实通过",
    "pay": "已发放",
    "reject": "不通过",
}
FILTERS = ("kind", "status", "programme", "verdict", "since", "until")


def _day(text: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(text), time.min, UTC) if text else None
    except ValueError:
        raise ApplicationError(f"日期「{text}」看不懂，请用 2026-03-01 这样的写法") from None


def _filters(query: dict[str, str] | Any) -> dict[str, str]:
    return {name: str(query.get(name, "")).strip() for name in FILTERS}


def _filtered(call: Call) -> list[Application]:
    chosen = _filters(call.query)
    return listing(
        call.session,
        chosen["kind"] or None,
        chosen["status"] or None,
        chosen["programme"] or None,
        chosen["verdict"] or None,
        _day(chosen["since"]),
        _day(chosen["until"]),  # excluded, as in the CLI's export
    )


def row(application: Application) -> dict[str, Any]:
    """As the CLI's list shows it: ID and phone numbers masked."""
    return {
        "number": application.number,
        "kind": KIND_LABEL[application.kind],
        "programme": programme_name(application.programme) if application.programme else "",
        "verdict": application.verdict or "",
        "status": STATUS_LABEL[application.status],
        "created": f"{as_utc(application.created_at):%Y-%m-%d %H:%M}",
        "name": application.applicant_name,
        "phone": mask_personal_data(application.phone),
        "union": application.union_id or "",
        "flagged": bool(application.review_note),
    }


def moves_for(application: Application) -> list[tuple[str, str]]:
    """(command, label) of the moves the application's status allows now."""
    allowed = ALLOWED_MOVES[application.kind].get(application.status, ())
    return [(name, MOVE_LABEL[name]) for name, status in MOVES.items() if status in allowed]


class StaffPages:
    def __init__(self, pages: Pages) -> None:
        self.pages = pages

    async def applications(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            return call.render(
                "applications.html",
                rows=[row(a) for a in _filtered(call)],
                chosen=_filters(call.query),
                kinds=KIND_LABEL,
                statuses=STATUS_LABEL,
                verdicts=VERDICTS,
                programmes={p.id: p.name for p in get_policies().policies},
                moves=MOVE_LABEL,
                query=request.query_string,
            )

        return await self.pages.view(request, STAFF, work)

    async def export(self, request: web.Request) -> web.StreamResponse:
        """The CLI's CSV (no names, ID or phone numbers) for the filtered list."""

        def work(call: Call) -> web.StreamResponse:
            rows = _filtered(call)
            out = io.StringIO()
            write_csv(rows, out)
            audit.record(call.session, call.actor, "console.exported", f"{len(rows)} applications")
            body = ("\ufeff" + out.getvalue()).encode()  # the BOM: Excel then reads UTF-8
            return download(body, "text/csv; charset=utf-8", "applications.csv")

        return await self.pages.view(request, STAFF, work)

    async def application(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            application = by_number(call.session, call.params["number"])
            if application is None:
                raise ApplicationError(f"没有编号为 {call.params['number']} 的申请")
            return call.render(
                "application.html",
                app=row(application),
                id_number=mask_personal_data(application.id_number),
                details={k: mask_personal_data(str(v)) for k, v in application.details.items()},
                routing_reason=application.routing_reason or "",
                review_note=application.review_note or "",
                decision_reason=application.decision_reason or "",
                amount=application.amount,
                checks=[
                    {
                        "mark": CHECK_MARKS[c.get("passed")],
                        "passed": c.get("passed"),
                        "label": c.get("label", ""),
                        "reason": c.get("reason", ""),
                    }
                    for c in application.checks or []
                ],
                events=[
                    {
                        "at": f"{as_utc(e.created_at):%Y-%m-%d %H:%M}",
                        "status": STATUS_LABEL[e.status],
                        "actor": e.actor,
                        "note": e.note or "",
                    }
                    for e in application.events
                ],
                moves=moves_for(application),
            )

        return await self.pages.view(request, STAFF, work)

    async def move(self, request: web.Request) -> web.StreamResponse:
        """One application or a batch: the same core call as the CLI, in one transaction."""
        number = request.match_info.get("number")
        back = f"{APPLICATIONS}/{number}" if number else APPLICATIONS

        def work(call: Call) -> web.StreamResponse:
            command = call.field("move")
            if command not in MOVES:
                raise ApplicationError("请选择要做的操作")
            numbers = [number] if number else [str(n) for n in call.form.getall("numbers", [])]
            batch = change_many(
                call.session, numbers, MOVES[command], call.actor, call.field("reason") or None
            )
            return call.render(
                "moved.html",
                moved=[(a.number, STATUS_LABEL[a.status]) for a in batch.moved],
                unknown=unknown_note(batch.unknown) if batch.unknown else "",
                back=back,
            )

        return await self.pages.write(request, STAFF, work, back=back)

    async def lawyers(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            held = tickets.held_counts(call.session)
            rows = [
                {
                    "name": lawyer.name,
                    "telegram_id": lawyer.telegram_id,
                    "capacity": lawyer.capacity,
                    "held": held.get(lawyer.id, 0),
                    "active": lawyer.active,
                }
                for lawyer in lawyers.listing(call.session, include_inactive=True)
            ]
            waiting = len(tickets.queue(call.session))
            return call.render("lawyers.html", rows=rows, waiting=waiting)

        return await self.pages.view(request, STAFF, work)

    async def cases(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            view = get_settings().staff_see_cases
            rows = [
                {"number": ticket.number, "line": case_view.line(ticket)}
                for ticket in case_view.in_progress(call.session, view)
            ]
            return call.render("staff_cases.html", rows=rows, full=view == case_view.FULL)

        return await self.pages.view(request, STAFF, work)

    async def case(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            view = get_settings().staff_see_cases
            text = case_view.case_text(call.session, call.params["number"], view)
            audit.record(call.session, call.actor, "console.case_viewed", call.params["number"])
            return call.render("staff_case.html", number=call.params["number"], text=text)

        return await self.pages.view(request, STAFF, work)

    async def capacity(self, request: web.Request) -> web.StreamResponse:
        """A new number of cases held at once: the CLI's `lawyers add`, which updates."""
        back = f"{ROOT}/lawyers"

        def work(call: Call) -> web.StreamResponse:
            telegram_id = positive_integer(call.params["telegram_id"], "Telegram id ")
            lawyer = lawyers.by_telegram_id(call.session, telegram_id)
            if lawyer is None or not lawyer.active:
                raise LawyerError(f"没有登记 Telegram id 为 {telegram_id} 的律师")
            capacity = positive_integer(call.field("capacity"), "同时承办的案件数", 2**31 - 1)
            lawyers.register(call.session, telegram_id, lawyer.name, capacity, call.actor)
            return see_other(back)

        return await self.pages.write(request, STAFF, work, back=back)
