"""`/wechat` on the web chat's port: where WeChat's servers verify the URL (GET) and deliver the
followers' messages (POST), in plain mode or 安全模式 (AES, with WECHAT_AES_KEY).

Every request must carry WeChat's signature over WECHAT_TOKEN, made within FRESH_SECONDS of our
clock; anything else is refused without being read. The signature covers the timestamp, so a
copy of a genuine request sent again later (a replay) is refused as stale. The access log
records the path only (bot/web/app.py), never the openid or the signature in the query string.
"""

from __future__ import annotations

import binascii
import logging
import struct
import time
from xml.parsers.expat import ExpatError

from aiohttp import web
from wechatpy import create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.utils import check_signature

from bot.gateway import Gateway
from bot.wechat.api import CustomerService, DeskWeChatClient
from bot.wechat.channel import WeChatChannel
from desk.settings import Settings

logger = logging.getLogger(__name__)

PATH = "/wechat"
EMPTY = "success"  # WeChat's "received, nothing to reply now": it will not retry
NOT_SIGNED = "invalid signature"
# WeChat signs each delivery as it sends it (retries come within seconds); five minutes leaves
# room for a clock a little off without keeping a replay window open for long.
FRESH_SECONDS = 5 * 60
# What a body that is not a message WeChat signed may raise in wechatpy's decryption and parsing.
UNREADABLE = (
    ExpatError,
    KeyError,
    TypeError,
    ValueError,
    binascii.Error,
    struct.error,
    InvalidSignatureException,
    InvalidAppIdException,
)


class WeChatEndpoint:
    def __init__(
        self, channel: WeChatChannel, token: str, app_id: str, aes_key: str | None = None
    ) -> None:
        self.channel = channel
        self._token = token
        self._crypto = None
        if aes_key:
            try:
                self._crypto = WeChatCrypto(token, aes_key, app_id)
            except (AssertionError, ValueError, binascii.Error):
                raise ValueError("WECHAT_AES_KEY must be the 43-character EncodingAESKey") from None

    def routes(self) -> list[web.RouteDef]:
        return [web.get(PATH, self.verify), web.post(PATH, self.receive)]

    def _signed(self, request: web.Request) -> bool:
        """WeChat's signature, made just now (not a replay of an old request)."""
        query = request.query
        timestamp = query.get("timestamp", "")
        try:
            check_signature(
                self._token, query.get("signature", ""), timestamp, query.get("nonce", "")
            )
        except InvalidSignatureException:
            return False
        return timestamp.isdigit() and abs(time.time() - int(timestamp)) <= FRESH_SECONDS

    async def verify(self, request: web.Request) -> web.StreamResponse:
        """The server configuration's check: the echostr back when the signature is right."""
        if not self._signed(request):
            return web.Response(status=403, text=NOT_SIGNED)
        return web.Response(text=request.query.get("echostr", ""))

    async def receive(self, request: web.Request) -> web.StreamResponse:
        if not self._signed(request):
            return web.Response(status=403, text=NOT_SIGNED)
        query = request.query
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        encrypted = query.get("encrypt_type") == "aes"
        if encrypted and self._crypto is None:
            logger.error("an encrypted WeChat message, and WECHAT_AES_KEY is not set")
            return web.Response(status=400, text="encrypted, no key")
        body = await request.read()
        try:
            if self._crypto is not None and encrypted:
                body = self._crypto.decrypt_message(
                    body, query.get("msg_signature", ""), timestamp, nonce
                ).encode()
            message = parse_message(body)
        except UNREADABLE:
            logger.warning("a WeChat request that is not a readable message was refused")
            return web.Response(status=400, text="unreadable")
        if not isinstance(message, BaseMessage):
            return web.Response(status=400, text="empty")
        text = await self.channel.receive(message)
        if text is None:
            return web.Response(text=EMPTY)
        reply = create_reply(text, message, render=True)
        if self._crypto is not None and encrypted:
            reply = self._crypto.encrypt_message(reply, nonce, timestamp)
        return web.Response(text=reply, content_type="application/xml")


def wechat_endpoint(settings: Settings, gateway: Gateway) -> WeChatEndpoint | None:
    """The channel when WECHAT_APP_ID, WECHAT_APP_SECRET and WECHAT_TOKEN are set; else None."""
    if not settings.wechat_enabled:
        if settings.wechat_app_id or settings.wechat_token:
            logger.warning(
                "WeChat is off: it needs WECHAT_APP_ID, WECHAT_APP_SECRET and WECHAT_TOKEN"
            )
        return None
    assert settings.wechat_app_id and settings.wechat_app_secret and settings.wechat_token
    client = DeskWeChatClient(
        settings.wechat_app_id, settings.wechat_app_secret, settings.wechat_api_url
    )
    channel = WeChatChannel(gateway, CustomerService(client))
    return WeChatEndpoint(
        channel, settings.wechat_token, settings.wechat_app_id, settings.wechat_aes_key
    )
