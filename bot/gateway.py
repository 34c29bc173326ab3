"""What every channel does with a worker's input: clean it, ask Rasa, never stay silent."""

from __future__ import annotations

from bot.messages import OutgoingMessage
from bot.rasa_client import RasaClient, RasaUnavailable
from desk import replies
from desk.text import clean_user_text

HELP_PAYLOAD = "/help"
GREET_PAYLOAD = "/greet"


class Gateway:
    def __init__(self, rasa: RasaClient, max_chars: int) -> None:
        self._rasa = rasa
        self._max_chars = max_chars

    async def on_text(self, sender_id: str, raw: str) -> list[OutgoingMessage]:
        cleaned = clean_user_text(raw, self._max_chars)
        if cleaned is None:
            return [OutgoingMessage(replies.EMPTY_MESSAGE)]
        notice = []
        if cleaned.shortened:
            notice = [OutgoingMessage(replies.MESSAGE_SHORTENED.format(limit=self._max_chars))]
        return notice + await self._ask(sender_id, cleaned.text)

    async def on_button(self, sender_id: str, payload: str) -> list[OutgoingMessage]:
        return await self._ask(sender_id, payload)

    async def on_start(self, sender_id: str) -> list[OutgoingMessage]:
        return await self._ask(sender_id, GREET_PAYLOAD)

    async def on_help(self, sender_id: str) -> list[OutgoingMessage]:
        return await self._ask(sender_id, HELP_PAYLOAD)

    @staticmethod
    def on_non_text() -> list[OutgoingMessage]:
        return [OutgoingMessage(replies.NON_TEXT)]

    async def _ask(self, sender_id: str, message: str) -> list[OutgoingMessage]:
        try:
            answer = await self._rasa.send(sender_id, message)
        except RasaUnavailable:
            return [OutgoingMessage(replies.RASA_UNAVAILABLE)]
        return answer or [OutgoingMessage(replies.NO_REPLY)]
