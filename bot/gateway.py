"""What every channel does with a worker's (or a lawyer's) input: clean it, let the core take
what belongs to a case with a lawyer, ask Rasa for the rest, never stay silent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from bot.flood import FloodLimit, Verdict
from bot.messages import Button, OutgoingMessage
from bot.rasa_client import RasaClient, RasaUnavailable
from desk.cases import routing
from desk.cases.relay import Forward
from desk.common import replies
from desk.common.inbound import is_button_payload
from desk.common.text import as_written, clean_user_text
from desk.storage.db import in_unit_of_work

logger = logging.getLogger(__name__)

HELP_PAYLOAD = "/help"
GREET_PAYLOAD = "/greet"


def outgoing(answer: list[replies.Reply]) -> list[OutgoingMessage]:
    return [
        OutgoingMessage(
            reply.text, tuple(Button(title, payload) for title, payload in reply.buttons)
        )
        for reply in answer
    ]


class Gateway:
    def __init__(
        self,
        rasa: RasaClient,
        max_chars: int,
        database_url: str | None = None,
        flood: FloodLimit | None = None,
    ) -> None:
        self._rasa = rasa
        self._max_chars = max_chars
        self._database_url = database_url
        self._flood = flood or FloodLimit()
        # Set when the core wrote to the outbox (a relayed message): delivery goes at once.
        self.outbox_written = asyncio.Event()

    @property
    def database_url(self) -> str | None:
        return self._database_url

    async def on_text(
        self, sender_id: str, raw: str, reply_to: int | None = None
    ) -> list[OutgoingMessage]:
        if (refused := self._refused(sender_id)) is not None:
            return refused
        cleaned = clean_user_text(raw, self._max_chars)
        if cleaned is None:
            return [OutgoingMessage(replies.EMPTY_MESSAGE)]
        notice = []
        if cleaned.shortened:
            notice = [OutgoingMessage(replies.MESSAGE_SHORTENED.format(limit=self._max_chars))]
        # The core gets the text as written: if it is relayed, a person reads it.
        handled = await self._core(routing.on_text, sender_id, as_written(raw), reply_to)
        if handled is not None:
            return notice + handled
        return notice + await self._ask(sender_id, cleaned.text)

    async def on_button(self, sender_id: str, payload: str) -> list[OutgoingMessage]:
        if (refused := self._refused(sender_id)) is not None:
            return refused
        handled = await self._core(routing.on_payload, sender_id, payload)
        if handled is not None:
            return handled
        if is_button_payload(payload):
            return await self._ask(sender_id, payload)
        # A button that carries words (美团, 改姓名) counts as typing them, and is cleaned so.
        cleaned = clean_user_text(payload, self._max_chars)
        if cleaned is None:
            return [OutgoingMessage(replies.EMPTY_MESSAGE)]
        return await self._ask(sender_id, cleaned.text)

    async def on_lawyer_command(
        self, sender_id: str, command: str, args: str
    ) -> list[OutgoingMessage]:
        if (refused := self._refused(sender_id)) is not None:
            return refused
        handled = await self._core(routing.on_command, sender_id, command, args)
        return handled if handled is not None else [OutgoingMessage(replies.RASA_UNAVAILABLE)]

    async def on_start(self, sender_id: str) -> list[OutgoingMessage]:
        if (refused := self._refused(sender_id)) is not None:
            return refused
        return await self._ask(sender_id, GREET_PAYLOAD)

    async def on_help(self, sender_id: str) -> list[OutgoingMessage]:
        if (refused := self._refused(sender_id)) is not None:
            return refused
        return await self._ask(sender_id, HELP_PAYLOAD)

    @staticmethod
    def on_non_text() -> list[OutgoingMessage]:
        return [OutgoingMessage(replies.NON_TEXT)]

    async def on_attachment(
        self, sender_id: str, what: str, reply_to: int | None = None
    ) -> tuple[Forward | None, list[OutgoingMessage]]:
        """A photo, file or voice message: (where to copy it, what to answer the sender).
        Outside a case with a lawyer the bot cannot read it and says so."""
        if (refused := self._refused(sender_id)) is not None:
            return None, refused
        try:
            routed = await asyncio.to_thread(
                in_unit_of_work,
                self._database_url,
                routing.on_attachment,
                sender_id,
                what,
                reply_to,
            )
        except SQLAlchemyError:
            logger.exception("casework unavailable")
            routed = None
        if routed is None:
            return None, self.on_non_text()
        if isinstance(routed, Forward):
            return routed, outgoing(routed.acknowledgement)
        return None, outgoing(routed)

    def _refused(self, sender_id: str) -> list[OutgoingMessage] | None:
        """None when the chat is within its flood limit; else what to answer (once a notice,
        then nothing): the message is not read, and costs the others nothing."""
        verdict = self._flood.check(sender_id)
        if verdict is Verdict.READ:
            return None
        return [OutgoingMessage(replies.TOO_FAST)] if verdict is Verdict.NOTICE else []

    async def _core(
        self, handler: Callable[..., list[replies.Reply] | None], *args: object
    ) -> list[OutgoingMessage] | None:
        """Runs a casework call in a thread, in the message's unit of work; None when it is not
        the core's. With the database down the worker is asked to send it again: the message
        may be for their lawyer, and the bot must not take it instead (nothing is written)."""
        try:
            answer = await asyncio.to_thread(in_unit_of_work, self._database_url, handler, *args)
        except SQLAlchemyError:
            logger.exception("casework unavailable")
            return [OutgoingMessage(replies.RASA_UNAVAILABLE)]
        if answer is None:
            return None
        self.outbox_written.set()
        return outgoing(answer)

    async def _ask(self, sender_id: str, message: str) -> list[OutgoingMessage]:
        try:
            answer = await self._rasa.send(sender_id, message)
        except RasaUnavailable:
            return [OutgoingMessage(replies.RASA_UNAVAILABLE)]
        # The bot's own actions may have written notices (a new case for the lawyers).
        self.outbox_written.set()
        return answer or [OutgoingMessage(replies.NO_REPLY)]
