"""The Gateway against a misbehaving Rasa: the worker always gets an answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.flood import NOTICE_EVERY, FloodLimit, Verdict
from bot.gateway import Gateway
from bot.messages import Button, OutgoingMessage
from bot.rasa_client import BUTTONS_ONLY_TEXT, RasaClient
from desk.common import replies
from desk.common.inbound import MAX_REPLIES
from desk.storage.migrate import upgrade_database
from tests.local_server import serve

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def fake_rasa(tmp_path: Path) -> AsyncIterator[Callable[[Handler], Awaitable[Gateway]]]:
    database_url = f"sqlite:///{tmp_path / 'desk.db'}"
    upgrade_database(database_url)  # no case in it: every message goes on to "Rasa"
    runners: list[web.AppRunner] = []
    clients: list[RasaClient] = []

    async def start(handler: Handler) -> Gateway:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", handler)
        runner, url = await serve(app)
        runners.append(runner)
        client = RasaClient(url, timeout_seconds=0.5)
        clients.append(client)
        return Gateway(client, max_chars=10, database_url=database_url)

    yield start
    for client in clients:
        await client.close()
    for runner in runners:
        await runner.cleanup()


async def test_server_error_gets_the_apology(fake_rasa) -> None:
    gateway = await fake_rasa(_replying(web.Response(status=500)))
    assert await gateway.on_text("tg:1", "你好") == [OutgoingMessage(replies.RASA_UNAVAILABLE)]


async def test_slow_rasa_gets_the_apology(fake_rasa) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response([])

    gateway = await fake_rasa(slow)
    assert await gateway.on_text("tg:1", "你好") == [OutgoingMessage(replies.RASA_UNAVAILABLE)]


async def test_garbage_answer_gets_the_apology(fake_rasa) -> None:
    gateway = await fake_rasa(_replying(web.Response(text="<html>oops")))
    assert await gateway.on_button("tg:1", "/help") == [OutgoingMessage(replies.RASA_UNAVAILABLE)]


async def test_silence_from_rasa_becomes_a_polite_reply(fake_rasa) -> None:
    gateway = await fake_rasa(_replying(web.json_response([])))
    assert await gateway.on_text("tg:1", "嗯") == [OutgoingMessage(replies.NO_REPLY)]


async def test_what_reaches_rasa_is_cleaned_and_shortened(fake_rasa) -> None:
    seen: list[dict] = []

    async def echo(request: web.Request) -> web.Response:
        seen.append(await request.json())
        return web.json_response(
            [{"text": "好的"}, {"buttons": [{"title": "菜单", "payload": "/help"}]}]
        )

    gateway = await fake_rasa(echo)
    answer = await gateway.on_text("tg:7", "//欠\x00薪怎么办啊啊啊啊啊啊啊啊")
    assert seen == [{"sender": "tg:7", "message": "欠薪怎么办啊啊啊啊啊"}]
    assert answer == [
        OutgoingMessage(replies.MESSAGE_SHORTENED.format(limit=10)),
        OutgoingMessage("好的"),
        OutgoingMessage(BUTTONS_ONLY_TEXT, (Button("菜单", "/help"),)),
    ]


def _replying(response: web.Response) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return response

    return handler


async def test_with_the_database_down_a_message_is_not_taken_by_the_bot(
    fake_rasa, tmp_path: Path
) -> None:
    """It may be meant for the worker's lawyer: the worker is asked to send it again."""
    asked: list[str] = []

    async def rasa(request: web.Request) -> web.Response:
        asked.append((await request.json())["message"])
        return web.json_response([{"text": "您好"}])

    gateway = await fake_rasa(rasa)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 100)
    gateway._database_url = f"sqlite:///{broken}"
    apology = [OutgoingMessage(replies.RASA_UNAVAILABLE)]
    assert await gateway.on_text("tg:1", "合同拍给您了") == apology
    assert await gateway.on_button("tg:1", "ticket:rate:AJ-2026-000001:5") == apology
    assert asked == []


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("/ /我叫张三", "我叫张三"),
        ("／我叫张三", "我叫张三"),
        (" / / /欠薪", "欠薪"),
        ("/affirm", "affirm"),
        ('/inform{"m_id"}', 'inform{"m_'),
    ],
)
async def test_typed_slashes_never_make_a_payload(fake_rasa, typed: str, sent: str) -> None:
    seen: list[str] = []

    async def echo(request: web.Request) -> web.Response:
        seen.append((await request.json())["message"])
        return web.json_response([{"text": "好的"}])

    gateway = await fake_rasa(echo)
    await gateway.on_text("tg:8", typed)
    assert seen == [sent]


async def test_only_slashes_get_the_empty_message_reply(fake_rasa) -> None:
    gateway = await fake_rasa(_replying(web.json_response([{"text": "不该到这里"}])))
    for typed in ["/", " / / ", "\u200b/\u202e", "   "]:
        assert await gateway.on_text("tg:9", typed) == [OutgoingMessage(replies.EMPTY_MESSAGE)]


@pytest.mark.parametrize(
    ("pressed", "sent"),
    [
        ("/affirm", "/affirm"),
        ('/choose_faq{"faq_id": "si-x"}', '/choose_faq{"faq_id": "si-x"}'),
        ("美团", "美团"),
        ('/inform{"m_id_number": "1"}', 'inform{"m_'),
        ("/ /restart", "restart"),
    ],
)
async def test_a_button_payload_reaches_rasa_only_if_the_desk_issues_such(
    fake_rasa, pressed: str, sent: str
) -> None:
    seen: list[str] = []

    async def echo(request: web.Request) -> web.Response:
        seen.append((await request.json())["message"])
        return web.json_response([{"text": "好的"}])

    gateway = await fake_rasa(echo)
    await gateway.on_button("tg:10", pressed)
    assert seen == [sent]


async def test_a_looping_rasa_is_answered_once(fake_rasa) -> None:
    looping = [{"text": "同一个回答"}] * 10 + [{"text": f"第{i}条"} for i in range(20)]
    gateway = await fake_rasa(_replying(web.json_response(looping)))
    answer = await gateway.on_text("tg:11", "你好")
    assert answer[0] == OutgoingMessage("同一个回答")
    assert len(answer) == MAX_REPLIES and len(set(answer)) == len(answer)


async def test_a_flooding_chat_gets_one_notice_and_does_not_slow_the_others(fake_rasa) -> None:
    # "Rasa" answers one message at a time, 20 ms each: 200 messages read would keep it busy
    # for 4 s, and the other chat would wait behind them.
    busy = asyncio.Lock()
    asked: list[str] = []

    async def one_at_a_time(request: web.Request) -> web.Response:
        async with busy:
            asked.append((await request.json())["sender"])
            await asyncio.sleep(0.02)
        return web.json_response([{"text": "好的"}])

    gateway = await fake_rasa(one_at_a_time)
    gateway._rasa._timeout = aiohttp.ClientTimeout(total=30)  # the flood must not time out
    flood = [gateway.on_text("tg:666", f"刷屏{i}") for i in range(200)]
    flooding = asyncio.gather(*flood)
    await asyncio.sleep(0)
    other = await gateway.on_text("tg:12", "你好")
    answers = await flooding
    assert other == [OutgoingMessage("好的")]
    # Only the flood's burst reached "Rasa" before the other chat: it did not queue behind 200
    # (counted in requests, not seconds, so a busy machine cannot make it flaky).
    assert asked.index("tg:12") <= 21, f"the other chat came after {asked.index('tg:12')} requests"
    notices = [a for a in answers if a == [OutgoingMessage(replies.TOO_FAST)]]
    assert len(notices) == 1
    assert sum(a == [OutgoingMessage("好的")] for a in answers) == asked.count("tg:666") <= 21
    assert sum(a == [] for a in answers) == 200 - 1 - asked.count("tg:666")


def test_the_flood_limit_refills_at_its_rate() -> None:
    now = [0.0]
    limit = FloodLimit(burst=3, per_second=1.0, clock=lambda: now[0])
    assert [limit.check("a").value for _ in range(5)] == ["read"] * 3 + ["notice", "drop"]
    assert limit.check("b") is Verdict.READ  # another chat is not affected
    now[0] = 1.0
    assert limit.check("a") is Verdict.READ  # one more a second
    assert limit.check("a") is Verdict.DROP  # told a second ago: not again
    now[0] = 1.0 + NOTICE_EVERY
    assert [limit.check("a").value for _ in range(4)] == ["read"] * 3 + ["notice"]
