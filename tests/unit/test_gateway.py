"""The Gateway against a misbehaving Rasa: the worker always gets an answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web

from bot.gateway import Gateway
from bot.messages import Button, OutgoingMessage
from bot.rasa_client import BUTTONS_ONLY_TEXT, RasaClient
from desk.common import replies
from desk.storage.migrate import upgrade_database

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
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        client = RasaClient(f"http://127.0.0.1:{port}", timeout_seconds=0.5)
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
