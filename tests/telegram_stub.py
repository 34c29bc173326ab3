"""A local stand-in for the Telegram Bot API that aiogram really talks to over HTTP.

Implements what the desk uses: getMe, getUpdates (long polling), sendMessage, copyMessage,
answerCallbackQuery, editMessageReplyMarkup; any other method answers ok. Tests push updates in
and read the calls the bot made.

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
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 1000, "is_bot": True, "first_name": "职工服务台", "username": "desk_bot"}

# https://core.telegram.org/bots/api: "1-4096 characters after entities parsing", "0-1024
# characters after entities parsing", "1-64 bytes" of callback_data.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
TEXT_METHODS = frozenset({"sendMessage", "editMessageText"})
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
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
        refused = Counter(f"{call.method}: {reason}" for call, reason in self.refused)
        assert not refused, f"the bot sent what Telegram refuses (times): {dict(refused)}"

    # --- what tests do -------------------------------------------------------------------
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
        deadline = time.monotonic() + timeout
        async with self._changed:
            while len(self.sent(method, chat_id)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} {method}, got {self.sent(method, chat_id)}"
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)
        return self.sent(method, chat_id)

    # --- the Bot API side ------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(await request.post()) if request.can_read_body else {}
        params = {key: _decode(key, value) for key, value in params.items()}
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        refusal = _refusal(method, params)
        if refusal:
            self.refused.append((ApiCall(method, params), refusal))
            return _bad_request(refusal)
        async with self._changed:
            self.calls.append(ApiCall(method, params))
            self._changed.notify_all()
        if method == "getMe":
            return _ok(BOT_USER)
        if method == "sendMessage":
            return _ok(
                {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "from": BOT_USER,
                    "text": params["text"],
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


def _decode(key: str, value: Any) -> Any:
    """JSON-typed parameters decoded; a text starting with "[" stays a text."""
    if key in JSON_PARAMETERS and isinstance(value, str):
        return json.loads(value)
    return value


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _bad_request(description: str) -> web.Response:
    body = {"ok": False, "error_code": 400, "description": description}
    return web.json_response(body, status=400)
