"""The web chat's HTTP side without Rasa: headers, cookie identity, same-origin writes, limits,
the 法律依据 fold, and notices reaching an open page (or waiting for the next visit)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from importlib import resources

import pytest
from aiohttp import ClientResponse, ClientSession, CookieJar, DummyCookieJar
from sqlalchemy import select

from bot.flood import FloodLimit
from bot.gateway import Gateway
from bot.messages import Button, OutgoingMessage
from bot.web.app import ADDRESS_BURST, CLIENT_HEADER, TOO_LONG, serving, split_basis
from bot.web.identity import COOKIE
from bot.web.pages import OpenPages
from desk.common import replies
from desk.storage import outbox
from desk.storage.db import session_scope
from desk.storage.models import Notification
from launcher.scratch import free_port
from tests.local_server import eventually

PAGE = {CLIENT_HEADER: "1", "Content-Type": "application/json"}
ANSWER = (
    "加班费按工资的150%支付。\n\n法律依据\n· 《中华人民共和国劳动法》第四十四条：“……”"
    "\n\n还有问题随时问我。"
)


class FakeRasa:
    """Answers every message by echoing it, with one button; remembers who asked."""

    def __init__(self) -> None:
        self.senders: list[str] = []

    async def send(self, sender_id: str, message: str) -> list[OutgoingMessage]:
        self.senders.append(sender_id)
        return [OutgoingMessage(f"收到：{message}", (Button("法律咨询", "/ask_legal"),))]

    async def close(self) -> None:
        pass


def frozen() -> float:
    """The limits' clock stands still: however slow this machine, no bucket refills."""
    return 1000.0


@pytest.fixture
async def desk(database_url: str) -> AsyncIterator[tuple[ClientSession, FakeRasa, OpenPages]]:
    """The web chat as the gateway serves it (delivering notices every 0.1 s), and a browser."""
    rasa = FakeRasa()
    flood = FloodLimit(burst=5, clock=frozen)  # the gateway's own per-chat limit, as anywhere
    gateway = Gateway(rasa, 2000, database_url, flood)  # type: ignore[arg-type]
    addresses = FloodLimit(ADDRESS_BURST, 5.0, clock=frozen)
    port = free_port()
    async with (
        serving(gateway, "127.0.0.1", port, database_url, 0.1, addresses) as pages,
        ClientSession(f"http://127.0.0.1:{port}", cookie_jar=CookieJar(unsafe=True)) as client,
    ):
        yield client, rasa, pages


async def post(
    client: ClientSession, path: str, body: object = None, **headers: str
) -> ClientResponse:
    return await client.post(path, data=json.dumps(body or {}), headers={**PAGE, **headers})


async def test_the_page_and_its_files_carry_the_security_headers(desk) -> None:
    client, _, _ = desk
    for path in ("/", "/static/chat.js", "/static/chat.css", "/api/nothing"):
        response = await client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    page = await client.get("/")
    cookie = page.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert page.headers["Cache-Control"] == "no-store"


def test_the_page_is_small_and_needs_nothing_from_elsewhere() -> None:
    static = resources.files("bot.web").joinpath("static")
    texts = {
        name: static.joinpath(name).read_text() for name in ("index.html", "chat.js", "chat.css")
    }
    assert len(texts["chat.js"].encode()) + len(texts["chat.css"].encode()) < 100_000
    for name, text in texts.items():
        assert not re.search(r"https?://|//cdn", text), name  # no CDN, no outside font
    assert not re.search(r"<script(?![^>]*\bsrc=)", texts["index.html"])  # no inline script
    assert "innerHTML" not in texts["chat.js"]  # everything is shown with textContent


async def test_a_write_from_anywhere_but_the_page_is_refused(desk) -> None:
    client, rasa, _ = desk
    bare = await client.post("/api/say", json={"text": "你好"})  # a form or script elsewhere
    assert bare.status == 403
    foreign = await post(client, "/api/say", {"text": "你好"}, Origin="https://evil.example")
    assert foreign.status == 403
    cross = await post(client, "/api/say", {"text": "你好"}, **{"Sec-Fetch-Site": "cross-site"})
    assert cross.status == 403
    assert rasa.senders == []
    origin = str((await client.get("/")).url.origin())
    ours = await post(client, "/api/say", {"text": "你好"}, Origin=origin)
    assert ours.status == 200 and rasa.senders


async def test_the_cookie_keeps_the_conversation_and_restart_begins_another(desk) -> None:
    client, rasa, _ = desk
    opened = await (await post(client, "/api/open", {"conversation": None})).json()
    assert opened["messages"][0]["text"] == "收到：/greet"
    await post(client, "/api/say", {"text": "你好"})
    first, second = rasa.senders
    assert first == second and re.fullmatch(r"web:[\w-]{22}", first)
    again = await (await post(client, "/api/open", opened)).json()
    assert again["messages"] == [] and again["conversation"] == opened["conversation"]
    page = (await client.get("/")).url
    client.cookie_jar.clear()
    client.cookie_jar.update_cookies({COOKIE: "forged.value.here"}, response_url=page)
    await post(client, "/api/say", {"text": "你好"})
    assert rasa.senders[-1] != first  # a forged cookie is a stranger
    await post(client, "/api/say", {"text": "你好"})
    stranger = rasa.senders[-1]
    restarted = await (await post(client, "/api/restart")).json()
    assert restarted["messages"][0]["text"] == "收到：/greet"
    assert rasa.senders[-1] not in (first, stranger)


async def test_the_echo_masks_personal_data_and_bad_requests_get_words(desk) -> None:
    client, _, _ = desk
    said = await (await post(client, "/api/say", {"text": "手机13912345678"})).json()
    assert said["you"] == "手机139****5678"
    empty = await (await post(client, "/api/say", {"text": "   "})).json()
    assert empty["messages"][0]["text"] == replies.EMPTY_MESSAGE
    assert (await post(client, "/api/say", {"text": 5})).status == 400
    assert (await post(client, "/api/press", {"payload": " "})).status == 400
    garbage = await client.post("/api/say", data=b"\xff{", headers=PAGE)
    assert garbage.status == 400 and "刷新" in (await garbage.json())["error"]
    huge = await post(client, "/api/say", {"text": "工资" * 40_000})
    assert huge.status == 413 and (await huge.json())["error"] == TOO_LONG


async def test_a_flooding_page_gets_the_gateways_notice_once_then_nothing(desk) -> None:
    client, rasa, _ = desk
    answers = [
        [
            m["text"]
            for m in (await (await post(client, "/api/say", {"text": "在吗"})).json())["messages"]
        ]
        for _ in range(7)
    ]
    assert answers[:5] == [["收到：在吗"]] * 5 and len(rasa.senders) == 5
    assert answers[5:] == [[replies.TOO_FAST], []]  # not read, and no answer to each


def test_the_legal_basis_is_folded_under_its_heading() -> None:
    before, basis, after = split_basis(ANSWER)
    assert before == "加班费按工资的150%支付。"
    assert basis == "· 《中华人民共和国劳动法》第四十四条：“……”"
    assert after == "还有问题随时问我。"
    assert split_basis("没有依据的话") == ("没有依据的话", None, "")


async def next_event(response: ClientResponse) -> dict:
    async with asyncio.timeout(5):
        while True:
            line = (await response.content.readline()).decode()
            if line.startswith("data: "):
                return json.loads(line.removeprefix("data: "))


def unsent(database_url: str) -> list[str]:
    with session_scope(database_url) as session:
        query = select(Notification.text).where(Notification.sent_at.is_(None))
        return list(session.scalars(query))


async def test_a_notice_reaches_the_open_page_and_waits_for_a_closed_one(
    desk, database_url: str
) -> None:
    client, rasa, pages = desk
    assert (await client.get("/api/events")).status == 204  # no conversation yet
    await post(client, "/api/open")
    chat = rasa.senders[-1]
    with session_scope(database_url) as session:
        outbox.post(session, chat, "您的入会申请已通过审核。")  # while the page was closed
        outbox.post(session, "web:" + "x" * 22, "给没开页面的人")
    await asyncio.sleep(0.3)
    assert len(unsent(database_url)) == 2
    events = await client.get("/api/events")
    assert events.headers["Content-Type"].startswith("text/event-stream")
    assert (await next_event(events))["text"] == "您的入会申请已通过审核。"  # on the next visit
    with session_scope(database_url) as session:
        outbox.post(session, chat, ANSWER, [("1 分", "/rate")])
    pages.wake.set()
    notice = await next_event(events)
    assert notice["basis"].startswith("· 《中华人民共和国劳动法》")
    assert notice["buttons"] == [{"title": "1 分", "payload": "/rate"}]
    # Kept for that worker's next visit; the one shown is marked sent.
    await eventually(lambda: unsent(database_url) == ["给没开页面的人"])


async def test_the_access_log_has_no_address_and_no_query(
    desk, caplog: pytest.LogCaptureFixture
) -> None:
    client, _, _ = desk
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        await client.get("/?phone=13912345678")
    lines = [record.getMessage() for record in caplog.records if record.name == "aiohttp.access"]
    assert lines and lines[-1].startswith("GET / 200")
    assert "139" not in " ".join(lines) and "127.0.0.1" not in " ".join(lines)


async def test_new_cookies_do_not_escape_the_limit_of_an_address(desk) -> None:
    client, _, _ = desk
    origin = (await client.get("/")).url
    async with ClientSession(cookie_jar=DummyCookieJar()) as cookieless:  # a new chat each time
        statuses = [
            (await post(cookieless, str(origin.with_path("/api/say")), {"text": "在吗"})).status
            for _ in range(ADDRESS_BURST + 5)
        ]
        assert statuses[:ADDRESS_BURST] == [200] * ADDRESS_BURST
        assert set(statuses[ADDRESS_BURST:]) == {429}
        # Behind a proxy on the same machine, each worker's own address counts.
        forwarded = {"X-Forwarded-For": "203.0.113.9"}
        other = await post(
            cookieless, str(origin.with_path("/api/say")), {"text": "在吗"}, **forwarded
        )
        assert other.status == 200


def test_a_page_refused_when_the_desk_is_full_leaves_its_chat_waiting_for_the_outbox() -> None:
    """A chat whose page was refused is not listed as open: its notices are not tried on a page
    that does not exist (and parked after failing), they wait for the next visit."""
    pages = OpenPages(max_pages=1, max_per_chat=1)
    assert pages.open("web:a") is not None
    assert pages.open("web:b") is None  # the desk is full
    assert pages.open("web:a") is None  # that chat has its page already
    assert pages.chats() == ["web:a"]
