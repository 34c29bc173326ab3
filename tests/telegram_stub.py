"""A local stand-in for the Telegram Bot API that aiogram really talks to over HTTP.

Implements what the desk uses: getMe, getUpdates (long polling), sendMessage, copyMessage,
answerCallbackQuery, editMessageReplyMarkup; any other method answers ok. Tests push updates in
and read the calls the bot made.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 1000, "is_bot": True, "first_name": "职工服务台", "username": "desk_bot"}


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]


@dataclass
class TelegramStub:
    calls: list[ApiCall] = field(default_factory=list)
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
        params = {key: _decode(value) for key, value in params.items()}
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
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


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})
