"""Delivers the core's notifications (an application approved, a lawyer's reply, …) to the
chats they are for.

The core writes them to its outbox table from wherever the change happened (the staff command
line, a lawyer's message, …); each gateway delivers those of its own channel and marks them
sent. The gateway wakes the loop at once after it relayed something, so a relayed message does
not wait for the next round.

A failed send is recorded (tried again later, parked after repeated failures) and a chat that
refuses the bot has all its notices parked at once: desk.storage.outbox keeps the queue.

A notice may carry a file (an arbitration draft): a channel that sends files passes
send_document, which sends it with the text as its caption.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.messages import Button, OutgoingMessage, Unreachable
from desk.cases.reminders import remind_overdue
from desk.storage import outbox
from desk.storage.db import session_scope

logger = logging.getLogger(__name__)

# (chat id without the channel prefix, text, buttons)
# Returns the channel's ids of the messages sent, where it has them (None otherwise): a reply
# to a relayed message is routed by them.
Send = Callable[[str, str, tuple[Button, ...]], Awaitable[Sequence[int] | None]]
# (chat id, caption, buttons, file name, content): a file with the notice's text as its caption.
SendDocument = Callable[[str, str, tuple[Button, ...], str, bytes], Awaitable[Sequence[int] | None]]
Document = tuple[str, bytes]  # file name, content
Pending = tuple[int, str, str, tuple[Button, ...], Document | None]


def _pending(database_url: str | None, prefix: str) -> list[Pending]:
    with session_scope(database_url) as session:
        return [
            (
                item.id,
                item.chat_id.removeprefix(prefix),
                item.text,
                tuple(Button(b["title"], b["payload"]) for b in item.buttons or ()),
                (item.document_name, item.document or b"") if item.document_name else None,
            )
            for item in outbox.pending(session, prefix, outbox.BATCH)
        ]


def _mark_sent(database_url: str | None, notification_id: int, message_ids: Sequence[int]) -> None:
    with session_scope(database_url) as session:
        outbox.mark_sent(session, notification_id, message_ids=message_ids)


def _mark_failed(database_url: str | None, notification_id: int, reason: str) -> bool:
    with session_scope(database_url) as session:
        return outbox.mark_failed(session, notification_id, reason)


def _park_chat(database_url: str | None, chat_id: str, reason: str) -> int:
    with session_scope(database_url) as session:
        return outbox.park_chat(session, chat_id, reason)


def keep_for_later(database_url: str | None, chat: str, pieces: list[OutgoingMessage]) -> None:
    """Messages into the outbox for the delivery loop to send: a direct reply the channel would
    not take even after its retries (sent once the channel is back), or a note for another
    chat (a lawyer's, in that lawyer's channel)."""
    with session_scope(database_url) as session:
        for piece in pieces:
            buttons = [(button.title, button.payload) for button in piece.buttons]
            outbox.post(session, chat, piece.text, buttons)


MAX_BATCHES = 20  # per round: a full batch of parked or failed notices is followed at once


async def deliver_once(
    send: Send,
    prefix: str,
    database_url: str | None = None,
    send_document: SendDocument | None = None,
) -> int:
    """Delivers what is due now, batch after batch while batches come full; returns how many
    notices went out."""
    delivered = 0
    for _ in range(MAX_BATCHES):
        batch = await asyncio.to_thread(_pending, database_url, prefix)
        delivered += await _deliver_batch(send, prefix, database_url, batch, send_document)
        if len(batch) < outbox.BATCH:
            break
    return delivered


async def _deliver_batch(
    send: Send,
    prefix: str,
    database_url: str | None,
    batch: list[Pending],
    send_document: SendDocument | None = None,
) -> int:
    delivered = 0
    stalled: set[str] = set()  # chats whose earlier notice failed: the later ones keep order
    for notification_id, chat, text, buttons, document in batch:
        if chat in stalled:
            continue
        try:
            if document is not None and send_document is not None:
                message_ids = await send_document(chat, text, buttons, *document)
            else:
                message_ids = await send(chat, text, buttons)
        except Unreachable as refusal:
            stalled.add(chat)
            parked = await asyncio.to_thread(
                _park_chat, database_url, prefix + chat, str(refusal) or "unreachable"
            )
            logger.warning("a chat refuses the bot: %d notices parked", parked)
            continue
        except Exception as error:  # one unreachable chat must not block the others
            stalled.add(chat)
            parked = await asyncio.to_thread(
                _mark_failed, database_url, notification_id, type(error).__name__
            )
            state = "parked after repeated failures" if parked else "will be tried again"
            logger.warning(
                "notification %s not delivered (%s), %s",
                notification_id,
                type(error).__name__,
                state,
            )
            continue
        await asyncio.to_thread(_mark_sent, database_url, notification_id, message_ids or ())
        delivered += 1
    return delivered


async def deliver_forever(
    send: Send,
    prefix: str,
    interval: float = 2.0,
    database_url: str | None = None,
    wake: asyncio.Event | None = None,
    send_document: SendDocument | None = None,
) -> None:
    wake = wake or asyncio.Event()
    while True:
        try:
            await deliver_once(send, prefix, database_url, send_document)
        except SQLAlchemyError:
            logger.exception("notification outbox unavailable")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), interval)
        wake.clear()


def _remind(database_url: str | None, wait: timedelta) -> int:
    with session_scope(database_url) as session:
        return len(remind_overdue(session, wait))


async def remind_forever(
    wait: timedelta, interval: float = 60.0, database_url: str | None = None
) -> None:
    """Unclaimed cases past the wait are brought to the lawyers' notice (via the outbox)."""
    while True:
        try:
            reminded = await asyncio.to_thread(_remind, database_url, wait)
            if reminded:
                logger.info("reminded lawyers of %d waiting cases", reminded)
        except SQLAlchemyError:
            logger.exception("ticket reminders unavailable")
        await asyncio.sleep(interval)
