"""A local stand-in for WeChat, both sides of it.

The API the desk calls (wechatpy's real client talks to it over HTTP via WECHAT_API_URL):
/cgi-bin/token, /cgi-bin/message/custom/send and /cgi-bin/menu/create. It refuses what WeChat
refuses, with WeChat's error codes: a wrong secret (40125), a token it did not issue (40001) or
retired (42001), a text of more than 2048 bytes (45002), a follower who unfollowed (43004) or
has been silent for more than 48 hours (45015), a menu beyond WeChat's limits (40016-40019), and
"系统繁忙" (-1) when a test asks for it. A refused call is not counted as sent, and stopping the
stand-in fails the test that made one unless the test expected it.

The server side: `Follower` posts signed — and, with an AES key, encrypted — XML to the gateway
as WeChat's servers would, and reads what the follower was sent, passive replies and 客服
messages in the order they came.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import secrets
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import aiohttp
import xmltodict
from aiohttp import web
from wechatpy.crypto import WeChatCrypto

from tests.local_server import serve, wait_until

if TYPE_CHECKING:
    from bot.gateway import Gateway
    from bot.wechat.channel import WeChatChannel

APP_ID = "wx0123456789abcdef"
APP_SECRET = "stand-in-app-secret"
TOKEN = "stand-in-token"
# An EncodingAESKey: 43 characters, base64 of 32 bytes without the trailing "=".
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNT = "gh_desk_account"
TEXT_LIMIT_BYTES = 2048  # 客服消息: "文本消息内容…不超过 2048 字节"


@dataclass
class WeChatApiStub:
    """The WeChat API: tokens, 客服 messages and the menu."""

    sent: list[tuple[str, str]] = field(default_factory=list)  # (openid, text)
    refused: list[tuple[str, int]] = field(default_factory=list)  # (what, errcode)
    expected_refusals: Counter[int] = field(default_factory=Counter)
    token_fetches: int = 0
    menu: dict[str, Any] | None = None
    unfollowed: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)  # wrote more than 48 hours ago
    busy: int = 0  # the next so many 客服 sends get WeChat's "系统繁忙" (-1)
    _tokens: set[str] = field(default_factory=set)
    _retired: set[str] = field(default_factory=set)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._custom_send)
        app.router.add_post("/cgi-bin/menu/create", self._menu_create)
        self._runner, self.url = await serve(app)
        return self.url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
        unexpected = Counter(code for _, code in self.refused) - self.expected_refusals
        assert not unexpected, f"the desk sent what WeChat refuses: {self.refused}"

    # --- what tests do -------------------------------------------------------------------
    def retire_tokens(self) -> None:
        """Every token issued so far is expired (42001), as after two hours."""
        self._retired |= self._tokens
        self._tokens.clear()

    def texts(self, openid: str) -> list[str]:
        return [text for to, text in self.sent if to == openid]

    async def wait_for(self, openid: str, count: int, timeout: float = 30) -> list[str]:
        await wait_until(
            self._changed,
            lambda: len(self.texts(openid)) >= count,
            timeout,
            lambda: f"expected {count} messages, got {self.texts(openid)}",
        )
        return self.texts(openid)

    # --- the API side ----------------------------------------------------------------------
    def _refuse(self, what: str, errcode: int) -> web.Response:
        self.refused.append((what, errcode))
        return web.json_response({"errcode": errcode, "errmsg": f"stand-in refused {what}"})

    def _token_error(self, request: web.Request) -> int | None:
        token = request.query.get("access_token", "")
        if token in self._retired:
            return 42001
        return None if token in self._tokens else 40001

    async def _token(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("appid") != APP_ID or query.get("secret") != APP_SECRET:
            return self._refuse("token", 40125)
        self.token_fetches += 1
        token = secrets.token_hex(16)
        self._tokens.add(token)
        return web.json_response({"access_token": token, "expires_in": 7200})

    async def _custom_send(self, request: web.Request) -> web.Response:
        if (error := self._token_error(request)) is not None:
            # An expired token is what a client meets in normal life: it fetches a new one.
            self.expected_refusals[error] += 1
            return self._refuse("custom/send", error)
        if self.busy:
            self.busy -= 1
            self.expected_refusals[-1] += 1
            return self._refuse("custom/send", -1)
        body = json.loads(await request.read())
        openid, content = body["touser"], body["text"]["content"]
        assert body["msgtype"] == "text"
        if openid in self.unfollowed:
            return self._refuse("custom/send", 43004)
        if openid in self.silent:
            return self._refuse("custom/send", 45015)
        if not content or len(content.encode()) > TEXT_LIMIT_BYTES:
            return self._refuse("custom/send", 45002)
        async with self._changed:
            self.sent.append((openid, content))
            self._changed.notify_all()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _menu_create(self, request: web.Request) -> web.Response:
        if (error := self._token_error(request)) is not None:
            return self._refuse("menu/create", error)
        menu = json.loads(await request.read())
        top = menu.get("button", [])
        if not 1 <= len(top) <= 3:
            return self._refuse("menu/create", 40016)
        for button in top:
            if len(button["name"].encode()) > 16:
                return self._refuse("menu/create", 40018)
            subs = button.get("sub_button", [])
            if len(subs) > 5:
                return self._refuse("menu/create", 40017)
            for entry in subs or [button]:
                if len(entry["name"].encode()) > 60 and entry is not button:
                    return self._refuse("menu/create", 40018)
                if entry["type"] != "click" or not 0 < len(entry["key"].encode()) <= 128:
                    return self._refuse("menu/create", 40019)
        self.menu = menu
        return web.json_response({"errcode": 0, "errmsg": "ok"})


_message_ids = itertools.count(10_000_000)


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signed_query(token: str = TOKEN, at: float | None = None, **extra: str) -> dict[str, str]:
    """at: the moment WeChat signed it (now, unless a test replays an old request)."""
    timestamp, nonce = str(int(time.time() if at is None else at)), secrets.token_hex(5)
    return {
        "signature": signature(token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        **extra,
    }


def message_xml(openid: str, msg_type: str, **fields: str | int) -> str:
    body: dict[str, Any] = {
        "ToUserName": ACCOUNT,
        "FromUserName": openid,
        "CreateTime": int(time.time()),
        "MsgType": msg_type,
        **fields,
    }
    return xmltodict.unparse({"xml": body}, full_document=False)


@dataclass
class Follower:
    """One WeChat user of the 公众号, as WeChat's servers deliver them to the gateway."""

    api: WeChatApiStub
    gateway_url: str  # http://host:port
    openid: str
    encrypted: bool = False
    heard: list[str] = field(default_factory=list)  # passive replies, in order
    _read_passive: int = 0
    _read_custom: int = 0

    @property
    def chat(self) -> str:
        return f"wx:{self.openid}"

    async def deliver(self, xml: str) -> str:
        """Posts the XML as WeChat does; returns the raw HTTP answer."""
        query = signed_query()
        body = xml
        if self.encrypted:
            crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
            envelope = crypto.encrypt_message(xml, query["nonce"], query["timestamp"])
            encrypt = xmltodict.parse(envelope)["xml"]["Encrypt"]
            query["encrypt_type"] = "aes"
            query["msg_signature"] = signature(TOKEN, query["timestamp"], query["nonce"], encrypt)
            body = xmltodict.unparse(
                {"xml": {"ToUserName": ACCOUNT, "Encrypt": encrypt}}, full_document=False
            )
        query["openid"] = self.openid
        url = f"{self.gateway_url}/wechat?{urlencode(query)}"
        async with aiohttp.ClientSession() as session, session.post(url, data=body) as response:
            assert response.status == 200, await response.text()
            return await response.text()

    async def send(self, msg_type: str, **fields: str | int) -> str | None:
        """A message or event; returns the passive reply's text (None for "success")."""
        answer = await self.deliver(message_xml(self.openid, msg_type, **fields))
        text = self.read_reply(answer)
        if text is not None:
            self.heard.append(text)
        return text

    def read_reply(self, answer: str) -> str | None:
        if answer in ("", "success"):
            return None
        reply = xmltodict.parse(answer)["xml"]
        if self.encrypted:
            crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
            assert reply["MsgSignature"] == signature(
                TOKEN, reply["TimeStamp"], reply["Nonce"], reply["Encrypt"]
            )
            plain = crypto.decrypt_message(
                answer, reply["MsgSignature"], reply["TimeStamp"], reply["Nonce"]
            )
            reply = xmltodict.parse(plain)["xml"]
        assert reply["ToUserName"] == self.openid and reply["FromUserName"] == ACCOUNT
        assert reply["MsgType"] == "text"
        assert len(reply["Content"].encode()) <= TEXT_LIMIT_BYTES
        return str(reply["Content"])

    async def says(self, text: str) -> str | None:
        return await self.send("text", Content=text, MsgId=next(_message_ids))

    async def clicks(self, key: str) -> str | None:
        return await self.send("event", Event="CLICK", EventKey=key)

    async def hears(self, timeout: float = 30) -> str:
        """The next text the follower got: a passive reply, else the next 客服 message."""
        if self._read_passive < len(self.heard):
            self._read_passive += 1
            return self.heard[self._read_passive - 1]
        texts = await self.api.wait_for(self.openid, self._read_custom + 1, timeout)
        self._read_custom += 1
        return texts[self._read_custom - 1]

    def unread(self) -> int:
        """Texts the follower got and the test has not read yet."""
        passive = len(self.heard) - self._read_passive
        return passive + len(self.api.texts(self.openid)) - self._read_custom


@dataclass
class WeChatSide:
    """The gateway's /wechat as WeChat reaches it, and the API stand-in it sends through."""

    api: WeChatApiStub
    channel: WeChatChannel
    url: str  # the gateway's http://host:port

    def follower(self, openid: str, encrypted: bool = False) -> Follower:
        return Follower(self.api, self.url, openid, encrypted)


@contextlib.asynccontextmanager
async def serving_wechat(
    gateway: Gateway,
    database_url: str,
    delivery_interval: float = 2.0,
    **channel_options: Any,
) -> AsyncIterator[WeChatSide]:
    """The gateway serving /wechat (as `python -m bot` wires it with the WECHAT_ settings) in
    front of a fresh API stand-in; the stand-in's refusals are checked when the block ends."""
    from bot.web.app import serving
    from bot.wechat.api import CustomerService, DeskWeChatClient
    from bot.wechat.channel import WeChatChannel
    from bot.wechat.endpoint import WeChatEndpoint
    from launcher.scratch import free_port

    api = WeChatApiStub()
    await api.start()
    client = DeskWeChatClient(APP_ID, APP_SECRET, api.url)
    channel = WeChatChannel(gateway, CustomerService(client), **channel_options)
    endpoint = WeChatEndpoint(channel, TOKEN, APP_ID, AES_KEY)
    port = free_port()
    routes = endpoint.routes()
    async with serving(gateway, "127.0.0.1", port, database_url, delivery_interval, routes=routes):
        try:
            yield WeChatSide(api, channel, f"http://127.0.0.1:{port}")
        finally:
            await channel.close()
    await api.stop()
