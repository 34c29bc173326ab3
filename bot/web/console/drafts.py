"""The arbitration draft from the case page: 生成草稿, the download of the lawyer's copy, and
发送给工友 — each the same core call as /draft and /senddraft (desk/cases/arbitration/), so the
review rule is one: a version reaches the worker only after the lawyer had it."""

from __future__ import annotations

import re
from urllib.parse import quote

from aiohttp import web

from bot.web.console.base import ROOT, Call, Pages, see_other
from bot.web.console.draft_section import KINDS
from bot.web.console.lawyer import _lawyer, _readable_case, case_page, case_url
from desk.cases.arbitration import commands, drafts
from desk.cases.tickets import TicketError
from desk.staff.accounts import LAWYER
from desk.storage import audit

MAX_FACTS_CHARS = 2000
MINE = f"{ROOT}/mine"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DraftPages:
    def __init__(self, pages: Pages) -> None:
        self.pages = pages

    async def make(self, request: web.Request) -> web.StreamResponse:
        """生成草稿: the answer /draft gives, shown on the case page."""
        number = request.match_info["number"]

        def work(call: Call) -> web.StreamResponse:
            ticket = _readable_case(call)
            line = call.field("facts")[:MAX_FACTS_CHARS]
            # A line copied from /draft's own example: "/draft AJ-… 入职 …" is the same facts.
            line = re.sub(rf"^/draft\s+({re.escape(number)}\b)?", "", line, flags=re.I).strip()
            said = commands.answer(call.session, _lawyer(call).telegram_id, number, line)
            return case_page(call, ticket, said)

        return await self.pages.write(request, LAWYER, work, back=case_url(number))

    async def download(self, request: web.Request) -> web.StreamResponse:
        """The lawyer's copy of a version, as an attachment; having it is the review."""

        def work(call: Call) -> web.StreamResponse:
            title = KINDS.get(call.params["kind"])
            draft_id = call.params["draft_id"]
            if title is None or not draft_id.isdigit():
                raise TicketError("没有这份文件。")
            ticket, draft, documents = drafts.lawyer_copy(
                call.session, int(draft_id), _lawyer(call).telegram_id
            )
            found = [(name, content) for named, name, content in documents if named == title]
            if not found:
                raise TicketError("这一版没有这份文件。")
            name, content = found[0]
            version = f"第{draft.version}版"
            audit.record(
                call.session, call.actor, "console.draft_downloaded", ticket.number or "", version
            )
            response = web.Response(body=content, content_type=DOCX)
            response.headers["Content-Disposition"] = (
                f"attachment; filename=draft.docx; filename*=UTF-8''{quote(name)}"
            )
            response.headers["Cache-Control"] = "no-store"
            return response

        return await self.pages.write(request, LAWYER, work, back=MINE)

    async def send(self, request: web.Request) -> web.StreamResponse:
        """发送给工友: /senddraft, refused (and saying why) before the lawyer had the version."""
        number = request.match_info["number"]

        def work(call: Call) -> web.StreamResponse:
            drafts.send_to_worker(call.session, number, _lawyer(call).telegram_id)
            return see_other(case_url(number) + "#draft")

        return await self.pages.write(request, LAWYER, work, back=case_url(number) + "#draft")
