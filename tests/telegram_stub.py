"""A local stand-in for the Telegram Bot API that aiogram really talks to over HTTP.

Implements what the desk uses: getMe, getUpdates (long polling), sendMessage, sendDocument (the
file uploaded as multipart is kept: params["document"] is {"filename", "content"}), copyMessage,
answerCallbackQuery, editMessageReplyMarkup; any other method answers ok. Tests push updates in
and read the calls the bot made.

Faults on demand (`fail_next`): "hold" keeps a call waiting until `release()`; a caller
that died meanwhile has cut the connection, and Telegram does not act on a request it never
received whole, so neither does the stand-in; 429 "Too Many Requests" with retry_after, a 5xx, or a
connection dropped without an answer; a failed call is not acted on nor counted as sent.
Like Telegram, getUpdates with an offset confirms (forgets) the updates before it, so a bot
that restarts gets again only what it had not confirmed.

It refuses what Telegram refuses, with Telegram's own error: a text of more than 4096 characters
(or none), a caption of more than 1024, callback data of more than 64 bytes (or none). A refused
call is not counted as sent, and stopping the stand-in fails the test that made one.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.cases import RASA_TIMEOUT
from tests.local_server import serve, wait_until

if TYPE_CHECKING:
    from aiogram import Bot

BOT_USER = {"id": 1000, "is_bot": True, "first_name": "职工服务台", "username": "desk_bot"}

# https://core.telegram.org/bots/api: "1-4096 characters after entities parsing", "0-1024
# characters after entities parsing", "1-64 bytes" of callback_data.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
TEXT_METHODS = frozenset({"sendMessage", "editMessageText"})
SENDING_METHODS = frozenset({"sendMessage", "copyMessage", "sendPhoto", "sendDocument"})
JSON_PARAMETERS = frozenset(
    {"reply_markup", "entities", "caption_entities", "allowed_updates", "reply_parameters"}
)


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]


@dataclass
class TelegramStub:
    calls: list[ApiCall] = field(default_factory=list)
    refused: list[tuple[ApiCall, str]] = field(default_factory=list)  # and Telegram's reason
    # Chats whose user blocked the bot: Telegram answers 403 to whatever is sent there.
    blocked: set[int] = field(default_factory=set)
    blocked_attempts: Counter[int] = field(default_factory=Counter)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _runner: web.AppRunner | None = None
    _faults: dict[str, list[str]] = field(default_factory=dict)
    faults_served: Counter[str] = field(default_factory=Counter)
    held: asyncio.Event = field(default_factory=asyncio.Event)  # a held call has arrived
    _release: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner, self.url = await serve(app)
        return self.url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
        refused = Counter(f"{call.method}: {reason}" for call, reason in self.refused)
        assert not refused, f"the bot sent what Telegram refuses (times): {dict(refused)}"

    # --- what tests do -------------------------------------------------------------------
    def release(self) -> None:
        self._release.set()

    def fail_next(self, method: str, *faults: str) -> None:
        """The next calls of method fail, one fault each: "429", "500", "502", "drop"; "ok"
        lets one call through (an outage that starts after it)."""
        self._faults.setdefault(method, []).extend(faults)

    async def push(self, update: dict[str, Any]) -> None:
        async with self._changed:
            self._updates.append({"update_id": next(self._update_ids), **update})
            self._changed.notify_all()

    def user_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        return {
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "工友"},
                **content,
            }
        }

    def button_press(self, chat_id: int, data: str, query_id: str) -> dict[str, Any]:
        message = self.user_message(chat_id, text="…")["message"]
        message["from"] = BOT_USER
        return {
            "callback_query": {
                "id": query_id,
                "from": {"id": chat_id, "is_bot": False, "first_name": "工友"},
                "chat_instance": "stub",
                "data": data,
                "message": message,
            }
        }

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict[str, Any]]:
        return [
            call.params
            for call in self.calls
            if call.method == method
            and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))
        ]

    async def wait_for(
        self, method: str, count: int, chat_id: int | None = None, timeout: float = 30
    ) -> list[dict[str, Any]]:
        await wait_until(
            self._changed,
            lambda: len(self.sent(method, chat_id)) >= count,
            timeout,
            lambda: f"expected {count} {method}, got {self.sent(method, chat_id)}",
        )
        return self.sent(method, chat_id)

    # --- the Bot API side ------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(await request.post()) if request.can_read_body else {}
        params = {key: _decode(key, value) for key, value in params.items()}
        params = _with_uploads(params)
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        fault = self._faults[method].pop(0) if self._faults.get(method) else "ok"
        if fault == "hold":
            self.faults_served[fault] += 1
            self.held.set()
            await self._release.wait()
            # A caller killed while held: its closed connection may reach this loop just after
            # the release; let it, or a call nobody is waiting for would count as delivered.
            await asyncio.sleep(0.3)
            if request.transport is None or request.transport.is_closing():
                return web.Response()  # the caller is gone: the call never arrived whole
        elif fault != "ok":
            self.faults_served[fault] += 1
            return _fault(request, fault)
        chat = params.get("chat_id")
        if method in SENDING_METHODS and chat is not None and int(chat) in self.blocked:
            self.blocked_attempts[int(chat)] += 1
            return _forbidden("Forbidden: bot was blocked by the user")
        refusal = _refusal(method, params)
        if refusal:
            self.refused.append((ApiCall(method, params), refusal))
            return _bad_request(refusal)
        if method in ("sendMessage", "sendDocument"):  # recorded: a test can reply to it
            params["message_id"] = next(self._message_ids)
        async with self._changed:
            self.calls.append(ApiCall(method, params))
            self._changed.notify_all()
        if method == "getMe":
            return _ok(BOT_USER)
        if method == "sendMessage":
            return _ok(
                {
                    "message_id": params["message_id"],
                    "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "from": BOT_USER,
                    "text": params["text"],
                }
            )
        if method == "sendDocument":
            upload = params.get("document")
            if not isinstance(upload, dict):
                return _bad_request("Bad Request: there is no document in the request")
            return _ok(
                {
                    "message_id": params["message_id"],
                    "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "from": BOT_USER,
                    "document": {
                        "file_id": f"doc{params['message_id']}",
                        "file_unique_id": f"u{params['message_id']}",
                        "file_name": upload["filename"],
                    },
                    **({"caption": params["caption"]} if params.get("caption") else {}),
                }
            )
        if method == "copyMessage":
            return _ok({"message_id": next(self._message_ids)})
        return _ok(True)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 1.0)

        def pending() -> list[dict[str, Any]]:
            return [update for update in self._updates if update["update_id"] >= offset]

        async with self._changed:
            if offset:
                self._updates = pending()
            if not pending():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(pending())), timeout)
            return pending()


def _refusal(method: str, params: dict[str, Any]) -> str | None:
    """Telegram's description of why it would refuse this call; None if it would not."""
    if method in TEXT_METHODS:
        text = _after_entities_parsing(params.get("text", ""), params.get("parse_mode"))
        if not text.strip():
            return "Bad Request: message text is empty"
        if len(text) > TEXT_LIMIT:
            return "Bad Request: message is too long"
    caption = params.get("caption")
    if caption and len(_after_entities_parsing(caption, params.get("parse_mode"))) > CAPTION_LIMIT:
        return "Bad Request: message caption is too long"
    markup = params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []) if isinstance(markup, dict) else []:
        for key in row:
            data = key.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                return "Bad Request: BUTTON_DATA_INVALID"
    return None


def _after_entities_parsing(text: Any, parse_mode: str | None) -> str:
    """The text a user sees: HTML tags and entities parsed; Markdown is not used by the desk."""
    text = str(text)
    if parse_mode is None:
        return text
    if parse_mode.upper() == "HTML":
        return html.unescape(re.sub(r"<[^>]*>", "", text))
    raise NotImplementedError(f"the stand-in does not parse {parse_mode}")


def _with_uploads(params: dict[str, Any]) -> dict[str, Any]:
    """Uploaded files read (before the request closes) as {"filename", "content"}, under the
    parameter that refers to them: aiogram sends document="attach://<field>" and the file as
    the multipart field <field>; a file sent as the parameter itself stays where it is."""
    uploads = {
        key: {"filename": value.filename, "content": value.file.read()}
        for key, value in params.items()
        if isinstance(value, web.FileField)
    }
    resolved: dict[str, Any] = {}
    referenced: set[str] = set()
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in uploads:
            referenced.add(value.removeprefix("attach://"))
            value = uploads[value.removeprefix("attach://")]
        resolved[key] = uploads.get(key, value)
    return {key: value for key, value in resolved.items() if key not in referenced}


def _decode(key: str, value: Any) -> Any:
    """JSON-typed parameters decoded; a text starting with "[" stays a text."""
    if key in JSON_PARAMETERS and isinstance(value, str):
        return json.loads(value)
    return value


def _fault(request: web.Request, fault: str) -> web.Response:
    if fault == "drop":
        assert request.transport is not None
        request.transport.close()  # the client sees the connection go, with no answer
        return web.Response()
    if fault == "429":
        body = {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }
        return web.json_response(body, status=429)
    code = int(fault)
    body = {"ok": False, "error_code": code, "description": "Internal Server Error"}
    return web.json_response(body, status=code)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _forbidden(description: str) -> web.Response:
    body = {"ok": False, "error_code": 403, "description": description}
    return web.json_response(body, status=403)


def _bad_request(description: str) -> web.Response:
    body = {"ok": False, "error_code": 400, "description": description}
    return web.json_response(body, status=400)


TOKEN = "123456:TEST-token-for-the-stub"


@contextlib.asynccontextmanager
async def bot_with_stub() -> Any:
    """An aiogram Bot talking to a fresh stand-in, both closed afterwards."""
    from bot.telegram import build_bot

    stub = TelegramStub()
    bot = build_bot(TOKEN, await stub.start())
    try:
        yield bot, stub
    finally:
        await bot.session.close()
        await stub.stop()


@dataclass
class RunningBot:
    stub: TelegramStub
    bot: Bot


async def running_bot(rasa_url: str, database_url: str) -> AsyncIterator[RunningBot]:
    """The gateway as `python -m bot` runs it against a fresh stand-in: polling, and delivering
    the core's notices and documents."""
    from bot.gateway import Gateway
    from bot.keyboards import PayloadStore
    from bot.notifier import deliver_forever
    from bot.rasa_client import RasaClient
    from bot.telegram import (
        build_bot,
        build_dispatcher,
        telegram_document_sender,
        telegram_sender,
    )
    from desk.common.chats import TELEGRAM_PREFIX

    stub = TelegramStub()
    bot = build_bot(TOKEN, await stub.start())
    rasa = RasaClient(rasa_url, timeout_seconds=RASA_TIMEOUT)
    gateway = Gateway(rasa, max_chars=2000, database_url=database_url)
    store = PayloadStore()
    dispatcher = build_dispatcher(gateway, store)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    delivery = asyncio.create_task(
        deliver_forever(
            telegram_sender(bot, store),
            TELEGRAM_PREFIX,
            0.2,
            database_url,
            gateway.outbox_written,
            send_document=telegram_document_sender(bot, store),
        )
    )
    try:
        yield RunningBot(stub, bot)
    finally:
        delivery.cancel()
        await dispatcher.stop_polling()
        await polling
        await rasa.close()
        await stub.stop()
