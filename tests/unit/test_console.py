"""The browser console over HTTP, without Rasa: accounts and sign-in, who may open what, the
CSRF and origin checks on every write, and the lawyer's and staff's moves reaching the core
(the claim, the relay to the worker, the notices) as their Telegram and CLI twins do.

The browser itself (Chromium, with a worker's web chat open) is in tests/e2e/test_console.py.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from aiohttp import ClientResponse, ClientSession, CookieJar
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.flood import FloodLimit
from bot.gateway import Gateway
from bot.web.app import build_app
from bot.web.console.session import COOKIE
from bot.web.pages import OpenPages
from desk.applications.store import Applicant, by_number, submit
from desk.cases.tickets import CLAIMED, CLOSED, OPEN, URGENT
from desk.staff import accounts, cli
from desk.staff.accounts import AccountError
from desk.storage.db import session_scope
from desk.storage.models import AuditEntry
from tests.cases import open_case, outbox, register, ticket
from tests.unit.test_webchat import FakeRasa, frozen

PASSWORD = "correct horse battery"
LAWYER, OTHER = 1001, 1002
WORKER_CHAT = "web:aaaaaaaaaaaaaaaaaaaaaa"
ADDRESS_BURST = 8  # sign-in attempts from one address at once (30 in the gateway)


def add_account(url: str, username: str, role: str, telegram_id: int | None = None) -> None:
    with session_scope(url) as session:
        accounts.create(session, username, PASSWORD, role, "staff:admin", telegram_id)


def audited(url: str, action: str) -> list[tuple[str, str]]:
    with session_scope(url) as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.subject).where(AuditEntry.action == action)
        )
        return [(actor, subject) for actor, subject in rows]


# --- Accounts in the core --------------------------------------------------------------------


def test_an_account_keeps_an_argon2_hash_and_signs_in_with_its_password(database_url: str) -> None:
    add_account(database_url, "li", accounts.STAFF)
    with session_scope(database_url) as session:
        account = accounts.by_username(session, "li")
        assert account is not None
        assert account.password_hash.startswith("$argon2id$") and PASSWORD not in (
            account.password_hash
        )
        assert accounts.sign_in(session, "li", "wrong password!") is None
        assert accounts.sign_in(session, "nobody", PASSWORD) is None
        assert accounts.sign_in(session, "LI ", PASSWORD) is account  # as typed, within reason
    assert audited(database_url, "console.account_created") == [("staff:admin", "li")]
    assert audited(database_url, "console.sign_in_failed") == [
        ("console:li", "li"),
        ("console:-", "-"),
    ]
    assert audited(database_url, "console.signed_in") == [("console:li", "li")]


def test_a_lawyer_account_must_be_a_registered_lawyer(database_url: str) -> None:
    with pytest.raises(AccountError, match="已登记的律师"):
        add_account(database_url, "wang", accounts.LAWYER, LAWYER)
    register(database_url, LAWYER, name="王律师")
    add_account(database_url, "wang", accounts.LAWYER, LAWYER)
    with session_scope(database_url) as session:
        account = accounts.by_username(session, "wang")
        assert account is not None and accounts.lawyer_telegram_id(account) == LAWYER
        assert accounts.actor(account) == f"lawyer:{LAWYER}"  # one history with Telegram


@pytest.mark.parametrize(
    ("username", "password", "problem"),
    [("li", "short", "至少"), ("Li Si", PASSWORD, "用户名"), ("x", PASSWORD, "用户名")],
)
def test_bad_names_and_short_passwords_are_refused(
    database_url: str, username: str, password: str, problem: str
) -> None:
    with pytest.raises(AccountError, match=problem), session_scope(database_url) as session:
        accounts.create(session, username, password, accounts.STAFF, "staff:admin")


def test_disabling_or_removing_the_lawyer_ends_the_sessions(database_url: str) -> None:
    register(database_url, LAWYER)
    add_account(database_url, "wang", accounts.LAWYER, LAWYER)
    with session_scope(database_url) as session:
        account = accounts.by_username(session, "wang")
        assert account is not None
        key, account_id = account.session_key, account.id
        assert accounts.by_session(session, account_id, key) is account
    with session_scope(database_url) as session:
        accounts.disable(session, "wang", "staff:admin")
    with session_scope(database_url) as session:
        assert accounts.by_session(session, account_id, key) is None
        accounts.enable(session, "wang", "staff:admin")
        account = accounts.by_username(session, "wang")
        assert account is not None
        key = account.session_key
        assert accounts.by_session(session, account_id, key) is not None
    from tests.cases import remove

    remove(database_url, LAWYER)
    with session_scope(database_url) as session:
        assert accounts.by_session(session, account_id, key) is None
        assert accounts.sign_in(session, "wang", PASSWORD) is None


def test_the_cli_creates_lists_and_disables_accounts(
    cli_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    register(cli_database, LAWYER, name="王律师")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    add = ["console", "add-user", "wang", "--role", "lawyer", "--password-stdin"]
    assert cli.main([*add, "--lawyer-telegram-id", str(LAWYER)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["console", "add-user", "zhao", "--role", "lawyer", "--password-stdin"]) == 1
    assert "已登记的律师" in capsys.readouterr().err
    assert cli.main(["console", "disable", "wang"]) == 0
    assert cli.main(["console", "list"]) == 0
    listed = capsys.readouterr().out
    assert "wang  维权律师  已停用  律师 王律师" in listed
    with session_scope(cli_database) as session:
        assert accounts.sign_in(session, "wang", PASSWORD) is None


# --- The console over HTTP -------------------------------------------------------------------


@dataclass
class Console:
    server: TestServer
    url: str  # the database's
    gateway: Gateway

    @property
    def origin(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"

    def browser(self) -> Browser:
        # unsafe: the jar keeps cookies of an address like 127.0.0.1 (as a browser does)
        return Browser(self, ClientSession(base_url=self.origin, cookie_jar=CookieJar(unsafe=True)))


@dataclass
class Browser:
    """One person's browser: its own cookies; forms sent as a browser sends them."""

    console: Console
    http: ClientSession
    csrf: str = ""

    async def get(self, path: str) -> ClientResponse:
        response = await self.http.get(path, allow_redirects=False)
        if response.content_type == "text/html":
            found = re.search(r'name="csrf" value="([^"]+)"', await response.text())
            if found:
                self.csrf = found.group(1)
        return response

    async def post(
        self, path: str, data: dict[str, str] | list[tuple[str, str]] | None = None, **headers: str
    ) -> ClientResponse:
        fields = list(data.items()) if isinstance(data, dict) else list(data or [])
        return await self.http.post(
            path,
            data=[("csrf", self.csrf), *fields],
            headers={"Origin": self.console.origin, "Sec-Fetch-Site": "same-origin", **headers},
            allow_redirects=False,
        )

    async def sign_in(self, username: str, password: str = PASSWORD) -> ClientResponse:
        await self.get("/console/login")
        response = await self.post("/console/login", {"username": username, "password": password})
        if response.status == 303:
            await self.get(response.headers["Location"])  # a page with the session's token
        return response

    async def page(self, path: str) -> str:
        response = await self.get(path)
        assert response.status == 200, (path, response.status, await response.text())
        return await response.text()


@pytest.fixture
async def console(database_url: str) -> AsyncIterator[Console]:
    gateway = Gateway(FakeRasa(), 2000, database_url)  # type: ignore[arg-type]
    app = build_app(
        gateway,
        OpenPages(),
        login_limit=FloodLimit(5, 1 / 30, clock=frozen),
        login_address_limit=FloodLimit(ADDRESS_BURST, 1 / 6, clock=frozen),
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    register(database_url, LAWYER, name="王律师", capacity=2)
    register(database_url, OTHER, name="李律师", capacity=2)
    add_account(database_url, "wang", accounts.LAWYER, LAWYER)
    add_account(database_url, "li", accounts.LAWYER, OTHER)
    add_account(database_url, "zhang", accounts.STAFF)
    try:
        yield Console(server, database_url, gateway)
    finally:
        await server.close()


@pytest.fixture
async def browsers(console: Console) -> AsyncIterator[list[Browser]]:
    opened = [console.browser() for _ in range(3)]
    yield opened
    for browser in opened:
        await browser.http.close()


async def signed_in(browsers: list[Browser], *usernames: str) -> list[Browser]:
    """The first browsers, each signed in as one of the usernames, in that order."""
    for browser, username in zip(browsers, usernames, strict=False):
        assert (await browser.sign_in(username)).status == 303, username
    return browsers[: len(usernames)]


async def test_signing_in_sets_a_strict_httponly_cookie_and_lands_on_the_role_page(
    browsers: list[Browser],
) -> None:
    lawyer, staff, _ = browsers
    response = await lawyer.sign_in("wang")
    assert response.status == 303 and response.headers["Location"] == "/console/queue"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie and "Path=/console" in cookie
    assert (await staff.sign_in("zhang")).headers["Location"] == "/console/applications"
    assert "待接案件" in await lawyer.page("/console/queue")


async def test_a_wrong_password_is_refused_and_guessing_is_slowed(browsers: list[Browser]) -> None:
    guesser = browsers[0]
    response = await guesser.sign_in("wang", "not the password")
    assert response.status == 401 and "用户名或密码不对" in await response.text()
    for _ in range(4):
        await guesser.sign_in("wang", "not the password")
    response = await guesser.sign_in("wang")  # right at last, but over the limit
    assert response.status == 429 and "过一分钟" in await response.text()
    assert (await guesser.get("/console/queue")).status == 303  # still signed out


async def test_sign_ins_from_one_address_are_limited_whatever_the_name(
    browsers: list[Browser],
) -> None:
    office, elsewhere, _ = browsers
    behind_nginx = {"X-Forwarded-For": "203.0.113.7"}  # the address the proxy on 127.0.0.1 saw
    await office.get("/console/login")
    for n in range(ADDRESS_BURST):  # a new name each time: no name reaches its own limit
        guess = {"username": f"guess{n}", "password": "not the password"}
        assert (await office.post("/console/login", guess, **behind_nginx)).status == 401
    for username in ("wang", "li"):  # right passwords, names never tried: still too many
        right = {"username": username, "password": PASSWORD}
        response = await office.post("/console/login", right, **behind_nginx)
        assert response.status == 429 and "登录尝试太多了，请过一分钟再试" in await response.text()
    assert (await office.get("/console/queue")).status == 303  # still signed out
    assert (await elsewhere.sign_in("wang")).status == 303  # another address is not held up


async def test_signed_out_requests_and_the_web_chat_cookie_open_nothing(
    console: Console, browsers: list[Browser]
) -> None:
    number = open_case(console.url, chat=WORKER_CHAT)
    visitor = browsers[0]
    for path in ("/console/queue", f"/console/cases/{number}", "/console/applications"):
        response = await visitor.get(path)
        assert response.status == 303 and response.headers["Location"] == "/console/login"
    assert (await visitor.get("/console/report.json")).status == 401
    await visitor.get("/console/login")
    assert (await visitor.post(f"/console/cases/{number}/take")).status == 401
    # A worker's web chat cookie is another cookie: it is nobody here.
    await visitor.http.post("/api/open", json={}, headers={"X-Desk-Page": "1"})
    assert any(cookie.key == "desk_chat" for cookie in visitor.http.cookie_jar)
    assert (await visitor.get("/console/queue")).status == 303
    assert ticket(console.url, number).status == OPEN


async def test_a_lawyer_never_sees_staff_pages_nor_staff_lawyer_pages(
    console: Console, browsers: list[Browser]
) -> None:
    lawyer, staff = await signed_in(browsers, "wang", "zhang")
    for path in ("/console/applications", "/console/report", "/console/report.json"):
        response = await lawyer.get(path)
        assert response.status == 403 and "不对您的账号开放" in await response.text()
    response = await lawyer.post("/console/applications/batch", [("move", "approve")])
    assert response.status == 403
    assert (await staff.get("/console/queue")).status == 403
    number = open_case(console.url, chat=WORKER_CHAT)
    assert (await staff.post(f"/console/cases/{number}/take")).status == 403
    assert ticket(console.url, number).status == OPEN
    assert (f"lawyer:{LAWYER}", "/console/applications") in audited(console.url, "console.refused")


async def test_a_write_without_the_token_or_from_another_site_is_refused(
    console: Console, browsers: list[Browser]
) -> None:
    [lawyer] = await signed_in(browsers, "wang")
    number = open_case(console.url, chat=WORKER_CHAT)
    take = f"/console/cases/{number}/take"
    forged = await lawyer.http.post(
        take, data={"csrf": "guessed"}, headers={"Origin": lawyer.console.origin}
    )
    assert forged.status == 403
    cross = await lawyer.post(
        take, Origin="http://evil.example", **{"Sec-Fetch-Site": "cross-site"}
    )
    assert cross.status == 403 and "不是从服务台控制台的页面发出的" in await cross.text()
    assert ticket(console.url, number).status == OPEN
    assert (await lawyer.post(take)).status == 303  # the page's own form works
    assert ticket(console.url, number).status == CLAIMED


async def test_signing_out_ends_the_session_even_for_a_copied_cookie(
    console: Console, browsers: list[Browser]
) -> None:
    lawyer, thief, _ = browsers
    await lawyer.sign_in("wang")
    thief.http.cookie_jar.update_cookies(
        {c.key: c.value for c in lawyer.http.cookie_jar if c.key == COOKIE}
    )
    assert (await thief.get("/console/queue")).status == 200
    assert (await lawyer.post("/console/logout")).status == 303
    assert (await thief.get("/console/queue")).status == 303
    assert audited(console.url, "console.signed_out") == [(f"lawyer:{LAWYER}", "wang")]


async def test_a_lawyer_takes_replies_and_closes_through_the_core(
    console: Console, browsers: list[Browser]
) -> None:
    lawyer, other = await signed_in(browsers, "wang", "li")
    intake = {"所在城市": "乌鲁木齐", "涉及人数": "1", "手机号": "13912345678"}
    number = open_case(console.url, chat=WORKER_CHAT, intake=intake, summary="电话13912345678")
    queue = await lawyer.page("/console/queue")
    assert number in queue and "乌鲁木齐" in queue
    assert "13912345678" not in queue
    before = await lawyer.get(f"/console/cases/{number}")
    assert before.status == 403 and "13912345678" not in await before.text()  # before taking

    response = await lawyer.post(f"/console/cases/{number}/take")
    assert response.headers["Location"] == f"/console/cases/{number}"
    assert "律师已接手您的案件" in outbox(console.url, WORKER_CHAT)[-1].text
    page = await lawyer.page(f"/console/cases/{number}")
    assert "13912345678" in page  # the holder sees what the worker shared
    refused = await other.get(f"/console/cases/{number}")
    assert refused.status == 403 and "13912345678" not in await refused.text()
    assert (await other.get(f"/console/cases/{number}/messages.json")).status == 403

    await lawyer.post(f"/console/cases/{number}/reply", {"text": "请把工资条拍照发给我"})
    assert outbox(console.url, WORKER_CHAT)[-1].text == "【律师 王律师】请把工资条拍照发给我"
    assert console.gateway.outbox_written.is_set()  # delivery is woken, not left to its poll
    new = await (await lawyer.get(f"/console/cases/{number}/messages.json?after=0")).json()
    assert [(m["who"], m["text"]) for m in new["messages"]] == [("律师", "请把工资条拍照发给我")]
    seen = new["messages"][-1]["id"]  # what the open page polls for next: nothing yet
    later = await lawyer.get(f"/console/cases/{number}/messages.json?after={seen}")
    assert (await later.json())["messages"] == []
    assert ticket(console.url, number).first_reply_at is not None

    closed = await lawyer.post(
        f"/console/cases/{number}/close", {"outcome": "recovered", "amount": "3.2万"}
    )
    assert closed.status == 303
    done = ticket(console.url, number)
    assert done.status == CLOSED and done.amount_recovered == Decimal("32000.00")
    notice = outbox(console.url, WORKER_CHAT)[-1]
    assert "已办结" in notice.text and notice.buttons and notice.buttons[0]["title"] == "5 分"
    assert (f"lawyer:{LAWYER}", number) in audited(console.url, "ticket.closed")


async def test_a_reply_the_relay_refuses_says_why_and_keeps_what_was_typed(
    console: Console, browsers: list[Browser], monkeypatch: pytest.MonkeyPatch
) -> None:
    [lawyer] = await signed_in(browsers, "wang")
    number = open_case(console.url, chat=WORKER_CHAT)
    await lawyer.post(f"/console/cases/{number}/take")
    sent_before = len(outbox(console.url, WORKER_CHAT))
    # Released from Telegram between the page's check and the relay's own (read committed).
    monkeypatch.setattr("desk.cases.relay.assigned_to", lambda session, lawyer_id: [])
    typed = {"text": "请把工资条<拍照>发给我"}
    response = await lawyer.post(f"/console/cases/{number}/reply", typed)
    page = await response.text()
    assert response.status == 409 and "您手上暂时没有案件" in page
    assert re.search(r"<textarea[^>]*>请把工资条&lt;拍照&gt;发给我</textarea>", page)
    assert len(outbox(console.url, WORKER_CHAT)) == sent_before  # nothing reached the worker
    assert audited(console.url, "console.reply") == []


async def test_a_refused_close_changes_nothing_and_says_why(
    console: Console, browsers: list[Browser]
) -> None:
    [lawyer] = await signed_in(browsers, "wang")
    number = open_case(console.url, chat=WORKER_CHAT)
    await lawyer.post(f"/console/cases/{number}/take")
    response = await lawyer.post(f"/console/cases/{number}/close", {"outcome": "recovered"})
    assert response.status == 409 and "写明追回的金额" in await response.text()
    assert ticket(console.url, number).status == CLAIMED
    await lawyer.post(f"/console/cases/{number}/release", {"reason": "回避"})
    assert ticket(console.url, number).status == OPEN


async def test_the_open_queue_page_asks_for_the_cases_waiting_now(
    console: Console, browsers: list[Browser]
) -> None:
    lawyer, staff, visitor = browsers
    await signed_in(browsers, "wang", "zhang")
    page = await lawyer.page("/console/queue")
    assert 'data-source="/console/queue.json"' in page and "队列里暂时没有待接的案件" in page
    number = open_case(console.url, chat=WORKER_CHAT, intake={"所在城市": "克拉玛依"})
    answer = await lawyer.get("/console/queue.json")
    assert answer.status == 200 and answer.headers["Cache-Control"] == "no-store"
    figures = await answer.json()
    assert [case["number"] for case in figures["waiting"]] == [number]
    assert "克拉玛依" in figures["waiting"][0]["facts"]
    assert (figures["held"], figures["capacity"]) == (0, 2)
    assert (await staff.get("/console/queue.json")).status == 403  # the page stops asking
    assert (await visitor.get("/console/queue.json")).status == 401


async def test_two_lawyers_taking_at_once_one_wins(
    console: Console, browsers: list[Browser]
) -> None:
    wang, li = await signed_in(browsers, "wang", "li")
    number = open_case(console.url, chat=WORKER_CHAT)
    path = f"/console/cases/{number}/take"
    answers = await asyncio.gather(wang.post(path), li.post(path))
    assert sorted(a.status for a in answers) == [303, 409]
    loser = next(a for a in answers if a.status == 409)
    assert "已被其他律师接手" in await loser.text()
    assert len(audited(console.url, "ticket.claimed")) == 1


def aid_application(url: str, chat: str, verdict: str = "符合") -> str:
    with session_scope(url) as session:
        person = Applicant("王强", "650102199003070011", "13912345678")
        checks = [
            {"label": "身份", "passed": True, "reason": "外卖送餐员"},
            {"label": "家庭收入", "passed": None, "reason": "需工会核实"},
        ]
        done = submit(
            session,
            "aid",
            chat,
            person,
            {"工作": "外卖"},
            None,
            programme="new-employment-relief",
            verdict=verdict,
            checks=checks,
            amount=Decimal(600),
        )
        return done.application.number or ""


async def test_staff_verify_a_batch_and_each_applicant_is_notified(
    console: Console, browsers: list[Browser]
) -> None:
    [staff] = await signed_in(browsers, "zhang")
    chats = ["web:bbbbbbbbbbbbbbbbbbbbbb", "tg:77"]
    numbers = [aid_application(console.url, chat) for chat in chats]
    unrelated = aid_application(console.url, "tg:78", verdict="不符合")
    listed = await staff.page("/console/applications?verdict=符合")
    assert all(n in listed for n in numbers) and unrelated not in listed
    assert "139****5678" in listed and "13912345678" not in listed

    detail = await staff.page(f"/console/applications/{numbers[0]}")
    assert "✔" in detail and "需工会核实" in detail and "650102********0011" in detail

    moved = await staff.post(
        "/console/applications/batch", [("move", "verify"), *(("numbers", n) for n in numbers)]
    )
    assert moved.status == 200 and "已通知每位申请人" in await moved.text()
    for chat, number in zip(chats, numbers, strict=True):
        assert f"{number} 已核实通过" in outbox(console.url, chat)[-1].text
    with session_scope(console.url) as session:
        application = by_number(session, numbers[0])
        assert application is not None and application.status == "verified"
    assert sorted(audited(console.url, "application.verified")) == sorted(
        ("console:zhang", n) for n in numbers
    )


async def test_a_batch_with_one_impossible_move_changes_none(
    console: Console, browsers: list[Browser]
) -> None:
    [staff] = await signed_in(browsers, "zhang")
    numbers = [aid_application(console.url, f"tg:{n}") for n in (80, 81)]
    response = await staff.post(
        "/console/applications/batch", [("move", "pay"), *(("numbers", n) for n in numbers)]
    )
    assert response.status == 409 and "不能改为" in await response.text()
    rejected = await staff.post(f"/console/applications/{numbers[0]}/move", {"move": "reject"})
    assert rejected.status == 409 and "必须写明原因" in await rejected.text()
    assert outbox(console.url, "tg:80") == []


async def test_a_batch_acts_once_on_a_repeated_number_and_names_the_unknown_ones(
    console: Console, browsers: list[Browser]
) -> None:
    [staff] = await signed_in(browsers, "zhang")
    first, second = (aid_application(console.url, f"tg:{n}") for n in (82, 83))
    typed = [first, first.lower(), second, "JZ-2026-999999", "JZ-2026-999999"]
    response = await staff.post(
        "/console/applications/batch", [("move", "verify"), *(("numbers", n) for n in typed)]
    )
    page = await response.text()
    assert response.status == 200 and "已处理 2 件" in page
    assert page.count("JZ-2026-999999") == 1 and "没有找到编号为 JZ-2026-999999 的申请" in page
    for chat, number in (("tg:82", first), ("tg:83", second)):
        notices = [n.text for n in outbox(console.url, chat) if "已核实通过" in n.text]
        assert len(notices) == 1 and number in notices[0]  # told once
    assert len(audited(console.url, "application.verified")) == 2

    nothing = await staff.post(
        "/console/applications/batch",
        [("move", "verify"), ("numbers", "JZ-2026-999998"), ("numbers", "JZ-2026-999999")],
    )
    said = await nothing.text()
    assert nothing.status == 409 and "JZ-2026-999998、JZ-2026-999999" in said


async def test_the_csv_export_has_no_personal_data(
    console: Console, browsers: list[Browser]
) -> None:
    [staff] = await signed_in(browsers, "zhang")
    number = aid_application(console.url, "tg:90")
    response = await staff.get("/console/applications.csv?kind=aid")
    text = (await response.read()).decode("utf-8-sig")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert text.splitlines()[0] == ",".join(cli.CSV_COLUMNS)
    assert number in text and "王强" not in text and "1391234" not in text
    assert audited(console.url, "console.exported") == [("console:zhang", "1 applications")]


async def test_staff_see_the_lawyers_and_their_load(
    console: Console, browsers: list[Browser]
) -> None:
    lawyer, staff = await signed_in(browsers, "wang", "zhang")
    await lawyer.post(f"/console/cases/{open_case(console.url, chat=WORKER_CHAT)}/take")
    page = await staff.page("/console/lawyers")
    assert re.search(r"王律师</td><td>1001</td><td>1 / 2</td>", page)
    changed = await staff.post(f"/console/lawyers/{LAWYER}/capacity", {"capacity": "4"})
    assert changed.status == 303
    assert re.search(
        r"王律师</td><td>1001</td><td>1 / 4</td>", await staff.page("/console/lawyers")
    )
    refused = await staff.post(f"/console/lawyers/{LAWYER}/capacity", {"capacity": "0"})
    assert refused.status == 409 and "正整数" in await refused.text()
    assert ("console:zhang", f"lawyer:{LAWYER}") in audited(console.url, "lawyer.registered")
    lawyer_tries = await lawyer.post(f"/console/lawyers/{LAWYER}/capacity", {"capacity": "99"})
    assert lawyer_tries.status == 403  # a lawyer cannot raise their own load


async def test_take_next_gives_the_urgent_case_first_and_my_cases_lists_it(
    console: Console, browsers: list[Browser]
) -> None:
    [lawyer] = await signed_in(browsers, "wang")
    older = open_case(console.url, chat="tg:61")
    urgent = open_case(console.url, chat="tg:62", priority=URGENT, tags=("集体",))
    queue = await lawyer.page("/console/queue")
    assert queue.index(urgent) < queue.index(older)  # urgent first, then oldest
    taken = await lawyer.post("/console/queue/take")
    assert taken.headers["Location"] == f"/console/cases/{urgent}"
    mine = await lawyer.page("/console/mine")
    assert urgent in mine and older not in mine and "1/2 件" in mine
    await lawyer.post("/console/queue/take")
    refused = await lawyer.post("/console/queue/take")  # capacity 2, queue empty anyway
    assert refused.status == 409 and "达到上限" in await refused.text()


async def test_what_a_worker_typed_is_shown_as_text(
    console: Console, browsers: list[Browser]
) -> None:
    from tests.cases import on_text

    [lawyer] = await signed_in(browsers, "wang")
    number = open_case(console.url, chat=WORKER_CHAT, summary='<img src=x onerror="alert(1)">')
    await lawyer.post(f"/console/cases/{number}/take")
    on_text(console.url, WORKER_CHAT, "<script>alert(2)</script>")  # relayed to the lawyer
    page = await lawyer.page(f"/console/cases/{number}")
    assert "<script>alert(2)" not in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_a_password_typed_twice_differently_creates_nothing(
    cli_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert cli.main(["console", "add-user", "li", "--role", "staff"]) == 1
    assert "两次输入的密码不一样" in capsys.readouterr().err
    with session_scope(cli_database) as session:
        assert accounts.by_username(session, "li") is None
