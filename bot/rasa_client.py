"""Client of Rasa's REST channel (POST /webhooks/rest/webhook)."""

from __future__ import annotations

import logging
import zlib
from typing import Any

import aiohttp

from bot.messages import Button, OutgoingMessage

logger = logging.getLogger(__name__)

BUTTONS_ONLY_TEXT = "请选择："


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


def parse_rasa_messages(payload: Any) -> list[OutgoingMessage]:
    """Turns the REST channel's answer into messages; skips kinds we do not render."""
    if not isinstance(payload, list):
        raise RasaUnavailable("unexpected answer shape")
    messages: list[OutgoingMessage] = []
    for item in payload:
        if not isinstance(item, dict):
            continue
        text = str(item.get("text") or "")
        buttons = tuple(
            Button(title=str(button["title"]), payload=str(button["payload"]))
            for button in item.get("buttons") or []
            if isinstance(button, dict) and button.get("title") and button.get("payload")
        )
        if text or buttons:
            messages.append(OutgoingMessage(text=text or BUTTONS_ONLY_TEXT, buttons=buttons))
    return messages


def instance_for(sender_id: str, instances: int) -> int:
    """The Rasa instance a conversation goes to: always the same one (its turns stay in order
    and its tracker warm there), spread evenly over the instances."""
    return zlib.crc32(sender_id.encode()) % instances


class RasaClient:
    def __init__(self, base_urls: str, timeout_seconds: float) -> None:
        """base_urls: one Rasa server, or several comma-separated that share the conversations."""
        self._urls = [
            url.strip().rstrip("/") + "/webhooks/rest/webhook"
            for url in base_urls.split(",")
            if url.strip()
        ]
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    async def send(self, sender_id: str, message: str) -> list[OutgoingMessage]:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
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
