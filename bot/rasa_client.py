"""Client of Rasa's REST channel (POST /webhooks/rest/webhook)."""

from __future__ import annotations

import logging
import os
import zlib
from typing import Any

import aiohttp

from bot.messages import Button, OutgoingMessage
from desk.common.chats import GATEWAY_TOKEN_ENV, GATEWAY_TOKEN_HEADER
from desk.common.inbound import bounded

logger = logging.getLogger(__name__)

BUTTONS_ONLY_TEXT = "请选择："
# Rasa's answer when an action could not run and the turn was dropped unsaved
# (rasa_runtime/resilience.py): the worker is asked to send the message again.
UNAVAILABLE_MARKER = {"desk": "unavailable"}


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


def parse_rasa_messages(payload: Any) -> list[OutgoingMessage]:
    """Turns the REST channel's answer into messages; skips kinds we do not render. Each message
    once and at most MAX_REPLIES, whichever Rasa answers (a stock one may loop)."""
    if not isinstance(payload, list):
        raise RasaUnavailable("unexpected answer shape")
    messages: list[OutgoingMessage] = []
    for item in payload:
        if not isinstance(item, dict):
            continue
        if item.get("custom") == UNAVAILABLE_MARKER:
            raise RasaUnavailable("the action server could not run an action")
        text = str(item.get("text") or "")
        buttons = tuple(
            Button(title=str(button["title"]), payload=str(button["payload"]))
            for button in item.get("buttons") or []
            if isinstance(button, dict) and button.get("title") and button.get("payload")
        )
        if text or buttons:
            messages.append(OutgoingMessage(text=text or BUTTONS_ONLY_TEXT, buttons=buttons))
    return bounded(messages, key=lambda message: message)


def instance_for(sender_id: str, instances: int) -> int:
    """The Rasa instance a conversation goes to: always the same one (its turns stay in order
    and its tracker warm there), spread evenly over the instances."""
    return zlib.crc32(sender_id.encode()) % instances


class RasaClient:
    def __init__(self, base_urls: str, timeout_seconds: float, token: str | None = None) -> None:
        """base_urls: one Rasa server, or several comma-separated that share the conversations.
        token: the gateway's secret (default: GATEWAY_TOKEN), without which Rasa puts the
        conversation under rest:<sender> rather than the chat named."""
        token = token or os.environ.get(GATEWAY_TOKEN_ENV)
        self._headers = {GATEWAY_TOKEN_HEADER: token} if token else {}
        self._urls = [
            url.strip().rstrip("/") + "/webhooks/rest/webhook"
            for url in base_urls.split(",")
            if url.strip()
        ]
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    async def send(self, sender_id: str, message: str) -> list[OutgoingMessage]:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers=self._headers)
        url = self._urls[instance_for(sender_id, len(self._urls))]
        try:
            async with self._session.post(
                url, json={"sender": sender_id, "message": message}
            ) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"HTTP {response.status}")
                payload = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            logger.warning("Rasa unavailable: %s", type(error).__name__)
            raise RasaUnavailable(str(type(error).__name__)) from error
        return parse_rasa_messages(payload)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
