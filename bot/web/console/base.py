"""What every console page goes through: who is asking (the session cookie), whether their role
may open it, whether a write comes from our own form (origin and CSRF token), and one unit of
work for the page's core calls. The pages themselves only call the core and fill a template.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from aiohttp import web
from multidict import MultiDict, MultiDictProxy
from sqlalchemy.orm import Session

from bot.web.console.session import Visit, csrf_ok, read_visit, remember
from bot.web.origin import from_this_site
from desk.applications.store import ApplicationError
from desk.cases.lawyers import LawyerError
from desk.cases.tickets import TicketError
from desk.staff import accounts
from desk.staff.accounts import ROLE_LABEL, AccountError
from desk.staff.cli import UsageError
from desk.storage import audit
from desk.storage.db import in_unit_of_work
from desk.storage.models import ConsoleAccount

logger = logging.getLogger(__name__)

ROOT = "/console"
LOGIN = f"{ROOT}/login"
CROSS_SITE = "这个请求不是从服务台控制台的页面发出的，已拒绝。请回到控制台重新操作。"
SIGNED_OUT = "您还没有登录，或者登录已过期。请重新登录。"
NOT_YOURS = "这个页面不对您的账号开放。"

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.web.console", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a missing value is a bug, not an empty cell
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(
    template: str, status: int = 200, visit: Visit | None = None, **context: Any
) -> web.Response:
    """A rendered page; never cached (it holds a CSRF token and, often, personal data)."""
    values = {"account": None, "csrf": visit.csrf if visit else "", "role_label": ROLE_LABEL}
    body = _templates.get_template(template).render({**values, **context})
    response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    # Chrome sends "Origin: null" with a form under no-referrer (the web chat's policy); the
    # console's forms must say where they come from. Addresses here hold no personal data.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def download(body: bytes, content_type: str, name: str) -> web.Response:
    """A file the browser saves (name: ASCII), never cached."""
    return web.Response(
        body=body,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


async def posted_form(
    request: web.Request, visit: Visit, back: str
) -> MultiDictProxy[Any] | web.Response:
    """The form posted, when it comes from a page of ours (the origin, and the CSRF token the
    page was given); else the refusal to show, with a link back."""
    if not from_this_site(request):
        return page("message.html", 403, message=CROSS_SITE, back=back)
    form = await request.post()
    if not csrf_ok(visit, form.get("csrf")):
        return page("message.html", 403, message=CROSS_SITE, back=back)
    return form


def see_other(location: str) -> web.Response:
    """After a write: the browser asks for the page again (a reload does not post twice)."""
    return web.Response(status=303, headers={"Location": location})


@dataclass
class Call:
    """One request to a console page, inside its unit of work."""

    session: Session
    account: ConsoleAccount
    visit: Visit
    params: Mapping[str, str]  # from the path
    query: Mapping[str, str]
    form: MultiDictProxy[Any] = field(default_factory=lambda: MultiDictProxy(MultiDict()))

    @property
    def actor(self) -> str:
        return accounts.actor(self.account)

    def render(self, template: str, status: int = 200, **context: Any) -> web.Response:
        return page(template, status, self.visit, account=self.account, **context)

    def field(self, name: str) -> str:
        value = self.form.get(name, "")
        return value.strip() if isinstance(value, str) else ""


Work = Callable[[Call], web.StreamResponse]
# What a refused action says, rather than an error page: the core's own words for people.
REFUSALS = (AccountError, ApplicationError, LawyerError, TicketError, UsageError)


class Pages:
    """The guard and the unit of work around each page; see the module's docstring."""

    def __init__(self, database_url: str | None, wake: Callable[[], None]) -> None:
        self.database_url = database_url
        self.wake = wake  # the outbox was written: deliver now, not at the next poll

    async def view(self, request: web.Request, role: str | None, work: Work) -> web.StreamResponse:
        return await self._serve(request, role, work, write=False)

    async def write(
        self, request: web.Request, role: str | None, work: Work, back: str
    ) -> web.StreamResponse:
        """back: the page that shows why, when the core refuses the action."""
        return await self._serve(request, role, work, write=True, back=back)

    async def _serve(
        self, request: web.Request, role: str | None, work: Work, write: bool, back: str = ROOT
    ) -> web.StreamResponse:
        visit = read_visit(request)
        form: MultiDictProxy[Any] = MultiDictProxy(MultiDict())
        if write:
            posted = await posted_form(request, visit, ROOT)
            if isinstance(posted, web.Response):
                return posted
            form = posted
        if visit.account_id is None:
            return signed_out(request, write)
        call = (visit, dict(request.match_info), dict(request.query), form)
        try:
            response = await asyncio.to_thread(
                in_unit_of_work, self.database_url, self._guarded, request.path, role, work, call
            )
        except REFUSALS as refusal:  # the unit of work was rolled back: nothing changed
            response = page("message.html", 409, visit, message=str(refusal), back=back)
        if write:
            self.wake()
        if response is None:
            return signed_out(request, write)
        return response

    @staticmethod
    def _guarded(
        session: Session,
        path: str,
        role: str | None,
        work: Work,
        call: tuple[Visit, dict[str, str], dict[str, str], MultiDictProxy[Any]],
    ) -> web.StreamResponse | None:
        visit, params, query, form = call
        account = accounts.by_session(session, visit.account_id or 0, visit.session_key)
        if account is None:
            return None
        if role is not None and account.role != role:
            audit.record(session, accounts.actor(account), "console.refused", path[:64])
            return page("message.html", 403, visit, account=account, message=NOT_YOURS, back=ROOT)
        return work(Call(session, account, visit, params, query, form))


def signed_out(request: web.Request, write: bool) -> web.StreamResponse:
    """A page asked for without a session goes to the sign-in page; a write is refused."""
    if write or request.path.endswith(".json"):
        response: web.StreamResponse = page("message.html", 401, message=SIGNED_OUT, back=LOGIN)
    else:
        response = see_other(LOGIN)
    remember(response, request, read_visit(request).signed_out())
    return response
