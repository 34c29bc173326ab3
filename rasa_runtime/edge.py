"""Rasa's REST endpoint (/webhooks/rest/webhook) guarded like every channel of the gateway.

The gateway cleans what a worker types, but Rasa's port answers whoever posts to it, and the
stock channel passes anything on: a slash-prefixed text becomes an intent of the sender's choice
(an unknown one makes Rasa predict the same answer ten times), entities in a payload reach the
tracker, a whitespace-only message raises inside the graph and gets no reply, and a failure is
logged with the message's text. Here, with desk/common/inbound.py as the one rule:
- only the payloads the desk's buttons carry are read as payloads; any other text is plain text,
  cut to MAX_MESSAGE_CHARS;
- an empty message gets the desk's polite reply without reaching the NLU;
- one turn sends each reply once, at most MAX_REPLIES (inbound.bounded);
- the request must be a JSON object with a short string sender; metadata and input_channel from
  the request are not taken (they would be stored in the tracker as the sender wrote them);
- a failure is logged by its type and place, never with the message.
The request body is capped too (Sanic's REQUEST_MAX_SIZE).
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from desk.common.chats import GATEWAY_TOKEN_ENV, GATEWAY_TOKEN_HEADER, rest_sender
from desk.common.inbound import DEFAULT_MAX_CHARS, MAX_REPLIES, for_rasa
from desk.common.replies import EMPTY_MESSAGE, NO_REPLY

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
# A paste of some 40,000 characters (6 bytes each in JSON's \\u escapes) is still read, then cut.
MAX_REQUEST_BYTES = 256 * 1024


def _max_chars() -> int:
    try:
        return max(1, int(os.environ.get("MAX_MESSAGE_CHARS", DEFAULT_MAX_CHARS)))
    except ValueError:
        return DEFAULT_MAX_CHARS


def _where(error: BaseException) -> str:
    """The exception's type and the innermost frame: enough to find the bug, no data."""
    frames = traceback.extract_tb(error.__traceback__)
    place = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{place}"


def _bound_output(output: Any) -> None:
    """Makes the output channel of one turn keep each reply once and at most MAX_REPLIES
    (counted in what it holds: resilience.py may clear a half turn and send its marker)."""
    persist = output._persist_message
    streamed: list[dict[str, Any]] = []

    async def persist_bounded(message: dict[str, Any]) -> None:
        kept = output.messages if isinstance(output.messages, list) else streamed
        if message in kept or len(kept) >= MAX_REPLIES:
            return
        if kept is streamed:  # a streaming channel's queue: remember what went out
            streamed.append(message)
        await persist(message)

    output._persist_message = persist_bounded


def hardened_rest_input() -> type:
    from rasa.core.channels.channel import UserMessage
    from rasa.core.channels.rest import RestInput
    from sanic.exceptions import InvalidUsage

    class HardenedRestInput(RestInput):
        @classmethod
        def name(cls) -> str:
            return "rest"

        async def _extract_sender(self, req: Any) -> str:
            body = req.json
            sender = body.get("sender") if isinstance(body, dict) else None
            if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
                raise InvalidUsage("a JSON object with a sender (1 to 128 characters)")
            # Only the gateway may speak for a chat (tg:…); anyone else is rest:<sender>.
            token = os.environ.get(GATEWAY_TOKEN_ENV)
            return rest_sender(sender, req.headers.get(GATEWAY_TOKEN_HEADER), token)

        def _extract_message(self, req: Any) -> str:
            return for_rasa(req.json.get("message"), _max_chars())

        def _extract_input_channel(self, req: Any) -> str:
            return self.name()

        def get_metadata(self, request: Any) -> None:
            return None

        def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Any:
            async def guarded(message: UserMessage) -> None:
                output = message.output_channel
                if not message.text:
                    await output.send_text_message(message.sender_id, EMPTY_MESSAGE)
                    return
                _bound_output(output)
                try:
                    await on_new_message(message)
                except Exception as error:  # logged without the text, and answered
                    logger.error("message not handled: %s", _where(error))
                    await output.send_text_message(message.sender_id, NO_REPLY)

            return super().blueprint(guarded)

    return HardenedRestInput


def apply() -> None:
    """Rasa's "rest" credentials entry now builds the hardened channel."""
    from rasa.core import channels

    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(MAX_REQUEST_BYTES))
    channels.BUILTIN_CHANNELS["rest"] = hardened_rest_input()
