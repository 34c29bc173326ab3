"""The WeChat API as the desk uses it: wechatpy's client, pointed at WECHAT_API_URL when set,
with timeouts on every call and one access-token fetch at a time; and sending texts through the
customer-service message API (客服消息), in pieces WeChat takes.

wechatpy caches the access token until a minute before it expires and, when WeChat says a token
is invalid or expired (40001, 40014, 42001), fetches a new one and repeats the call once. Its
client is synchronous (requests): the gateway calls it in a thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

import requests
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot.chunks import split_text, utf8_size
from bot.messages import OutgoingMessage, Unreachable
from bot.options import numbered

DEFAULT_API_URL = "https://api.weixin.qq.com"
TIMEOUT_SECONDS = 10.0
# The documented limit of a 客服 text is 2048 bytes, and people report 2047 for a passive
# reply; a little below both, counted in UTF-8 (a Chinese character is three bytes).
TEXT_LIMIT_BYTES = 2000
CHOOSE_BY_NUMBER = "（回复数字即可选择）"
# Errors that say the follower cannot be reached: unfollowed (43004), not ours (40003), or
# silent for more than the 48 hours in which the 客服 API may write to them (45015).
UNREACHABLE_ERRORS = frozenset({40003, 43004, 45015})
OUT_OF_WINDOW = "WeChat 45015"  # why their notices are parked until they write again


class _TimedSession(requests.Session):
    """wechatpy fetches the token without a timeout; no call of ours may hang a thread."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs["timeout"] = kwargs.get("timeout") or TIMEOUT_SECONDS
        return super().request(*args, **kwargs)


class DeskWeChatClient(WeChatClient):  # type: ignore[misc]
    def __init__(self, app_id: str, secret: str, api_url: str | None = None) -> None:
        super().__init__(app_id, secret, timeout=TIMEOUT_SECONDS)
        base = (api_url or DEFAULT_API_URL).rstrip("/")
        self.API_BASE_URL = f"{base}/cgi-bin/"
        self._token_url = f"{base}/cgi-bin/token"
        self._http = _TimedSession()
        self._token_lock = threading.Lock()

    def fetch_access_token(self) -> dict[str, Any]:
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        return self._fetch_access_token(url=self._token_url, params=params)  # type: ignore[no-any-return]

    @property
    def access_token(self) -> str:
        # Threads sending at once share one fresh token: a second fetch would make WeChat
        # retire the first token early.
        with self._token_lock:
            return super().access_token  # type: ignore[no-any-return]


def as_text(messages: Sequence[OutgoingMessage]) -> str:
    """An answer as one text: its messages in order, each followed by its options, numbered
    as the worker answers them (bot/options.py)."""
    parts = []
    for message, options in numbered(messages):
        parts.append("\n".join([message.text, *options]))
    text = "\n\n".join(part for part in parts if part.strip())
    if any(message.buttons for message in messages):
        text += "\n" + CHOOSE_BY_NUMBER
    return text


def pieces(messages: Sequence[OutgoingMessage]) -> list[str]:
    """The answer in texts WeChat takes."""
    text = as_text(messages)
    return split_text(text, TEXT_LIMIT_BYTES, utf8_size) if text.strip() else []


class CustomerService:
    """Texts to followers through the 客服消息 API (within 48 hours of their last message)."""

    def __init__(self, client: DeskWeChatClient) -> None:
        self.client = client

    def _send_text(self, openid: str, text: str) -> None:
        try:
            self.client.message.send_text(openid, text)
        except WeChatClientException as error:
            if error.errcode in UNREACHABLE_ERRORS:
                raise Unreachable(f"WeChat {error.errcode}") from None
            raise

    async def send(self, openid: str, text: str) -> None:
        await asyncio.to_thread(self._send_text, openid, text)
