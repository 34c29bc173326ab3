"""Signing in and out, and the start page each role lands on.

Attempts are limited per account name and per address (the gateway's FloodLimit): guessing a
password one request after another gets a few tries, then one every half minute.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.flood import FloodLimit, Verdict
from bot.web.console.base import LOGIN, ROOT, Call, Pages, page, posted_form, see_other
from bot.web.console.session import read_visit, remember
from bot.web.origin import client_address
from desk.staff import accounts
from desk.storage.db import in_unit_of_work

WRONG = "用户名或密码不对，请再试一次。"
TOO_MANY = "登录尝试太多了，请过一分钟再试。"
HOME = {accounts.STAFF: f"{ROOT}/applications", accounts.LAWYER: f"{ROOT}/queue"}
ATTEMPTS_AT_ONCE = 5
OFFICE_AT_ONCE = 30


class SignIn:
    def __init__(
        self,
        pages: Pages,
        limit: FloodLimit | None = None,
        address_limit: FloodLimit | None = None,
    ) -> None:
        self.pages = pages
        # Per name typed: five tries at once, then one every 30 s. Per address, more: a union
        # office signs in from behind one address at nine in the morning.
        self.by_name = limit or FloodLimit(ATTEMPTS_AT_ONCE, per_second=1 / 30)
        self.by_address = address_limit or FloodLimit(OFFICE_AT_ONCE, per_second=1 / 6)

    async def form(self, request: web.Request) -> web.StreamResponse:
        visit = read_visit(request)
        if visit.account_id is not None:
            return see_other(ROOT)  # the start page checks whether the session is still good
        response = page("login.html", visit=visit, error=None, username="")
        remember(response, request, visit)
        return response

    async def submit(self, request: web.Request) -> web.StreamResponse:
        visit = read_visit(request)
        form = await posted_form(request, visit, LOGIN)
        if isinstance(form, web.Response):
            return form
        username = str(form.get("username", "")).strip().lower()[:64]
        password = str(form.get("password", ""))
        if (
            self.by_address.check(client_address(request)) is not Verdict.READ
            or self.by_name.check(username) is not Verdict.READ
        ):
            return page("login.html", 429, visit, error=TOO_MANY, username=username)
        account = await asyncio.to_thread(
            in_unit_of_work, self.pages.database_url, accounts.sign_in, username, password
        )
        if account is None:
            return page("login.html", 401, visit, error=WRONG, username=username)
        response = see_other(HOME[account.role])
        remember(response, request, visit.signed_in(account.id, account.session_key))
        return response

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        def end(call: Call) -> web.StreamResponse:
            accounts.sign_out(call.session, call.account)
            return see_other(LOGIN)

        response = await self.pages.write(request, None, end, back=ROOT)
        if response.status == 303:
            remember(response, request, read_visit(request).signed_out())
        return response

    async def home(self, request: web.Request) -> web.StreamResponse:
        return await self.pages.view(request, None, lambda call: see_other(HOME[call.account.role]))
