"""The console's addresses, added to the gateway's web app (bot/web/app.py build_app)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from aiohttp import web

from bot.flood import FloodLimit
from bot.web.console.base import ROOT, Pages
from bot.web.console.drafts import DraftPages
from bot.web.console.lawyer import LawyerPages
from bot.web.console.report import ReportPages
from bot.web.console.signin import SignIn
from bot.web.console.staff import StaffPages

STATIC_TYPES = {
    "console.js": "text/javascript; charset=utf-8",
    "console.css": "text/css; charset=utf-8",
}


async def static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in STATIC_TYPES:
        raise web.HTTPNotFound
    body = resources.files("bot.web.console").joinpath("static", name).read_bytes()
    response = web.Response(body=body)
    response.headers["Content-Type"] = STATIC_TYPES[name]
    response.headers["Cache-Control"] = "no-cache"
    return response


def add_console(
    app: web.Application,
    database_url: str | None,
    wake: Callable[[], None],
    login_limit: FloodLimit | None = None,
    login_address_limit: FloodLimit | None = None,
) -> None:
    """login_limit, login_address_limit: sign-in attempts per name and per address (tests give
    them a clock that stands still); the defaults are SignIn's."""
    pages = Pages(database_url, wake)
    signin, lawyer = SignIn(pages, login_limit, login_address_limit), LawyerPages(pages)
    staff, report, draft = StaffPages(pages), ReportPages(pages), DraftPages(pages)
    get, post = app.router.add_get, app.router.add_post
    get(ROOT, signin.home)
    get(f"{ROOT}/", signin.home)
    get(f"{ROOT}/static/{{name}}", static)
    get(f"{ROOT}/login", signin.form)
    post(f"{ROOT}/login", signin.submit)
    post(f"{ROOT}/logout", signin.sign_out)
    # Lawyers
    get(f"{ROOT}/queue", lawyer.queue)
    get(f"{ROOT}/queue.json", lawyer.queue_json)
    post(f"{ROOT}/queue/take", lawyer.take_next)
    get(f"{ROOT}/mine", lawyer.mine)
    get(f"{ROOT}/cases/{{number}}", lawyer.case)
    get(f"{ROOT}/cases/{{number}}/messages.json", lawyer.messages)
    post(f"{ROOT}/cases/{{number}}/take", lawyer.take)
    post(f"{ROOT}/cases/{{number}}/reply", lawyer.reply)
    post(f"{ROOT}/cases/{{number}}/release", lawyer.release)
    post(f"{ROOT}/cases/{{number}}/close", lawyer.close)
    post(f"{ROOT}/cases/{{number}}/draft", draft.make)
    post(f"{ROOT}/cases/{{number}}/senddraft", draft.send)
    post(f"{ROOT}/drafts/{{draft_id}}/{{kind}}.docx", draft.download)
    # Staff
    get(f"{ROOT}/applications", staff.applications)
    get(f"{ROOT}/applications.csv", staff.export)
    post(f"{ROOT}/applications/batch", staff.move)
    get(f"{ROOT}/applications/{{number}}", staff.application)
    post(f"{ROOT}/applications/{{number}}/move", staff.move)
    get(f"{ROOT}/lawyers", staff.lawyers)
    get(f"{ROOT}/staff/cases", staff.cases)
    get(f"{ROOT}/staff/cases/{{number}}", staff.case)
    post(f"{ROOT}/lawyers/{{telegram_id}}/capacity", staff.capacity)
    get(f"{ROOT}/report", report.page)
    get(f"{ROOT}/report.json", report.figures)
    get(f"{ROOT}/report/{{chart}}.{{format}}", report.chart)
    get(f"{ROOT}/report.pdf", report.pdf)
