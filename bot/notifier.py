"""Delivers the core's notifications (an application approved, a lawyer's reply, …) to the
chats they are for.

The core writes them to its outbox table from wherever the change happened (the staff command
line, a lawyer's message, …); each gateway delivers those of its own channel and marks them
sent. The gateway wakes the loop at once after it relayed something, so a relayed message does
not wait for the next round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.messages import Button
from desk.cases.reminders import remind_overdue
from desk.storage import outbox
from desk.storage.db import session_scope

logger = logging.getLogger(__name__)

# (chat id without the channel prefix, text, buttons)
Send = Callable[[str, str, tuple[Button, ...]], Awaitable[None]]
Pending = tuple[int, str, str, tuple[Button, ...]]


def _pending(database_url: str | None, prefix: str) -> list[Pending]:
    with session_scope(database_url) as session:
        return [
            (
                item.id,
                item.chat_id.removeprefix(prefix),
                item.text,
                tuple(Button(b["title"], b["payload"]) for b in item.buttons or ()),
            )
            for item in outbox.pending(session, prefix)
        ]


def _mark_sent(database_url: str | None, notification_id: int) -> None:
    with session_scope(database_url) as session:
        outbox.mark_sent(session, notification_id)


async def deliver_once(send: Send, prefix: str, database_url: str | None = None) -> int:
    delivered = 0
    for notification_id, chat, text, buttons in await asyncio.to_thread(
        _pending, database_url, prefix
    ):
        try:
            await send(chat, text, buttons)
        except Exception:  # one unreachable chat must not block the others
            logger.exception("notification %s not delivered", notification_id)
            continue
        await asyncio.to_thread(_mark_sent, database_url, notification_id)
        delivered += 1
    return delivered


async def deliver_forever(
    send: Send,
    prefix: str,
    interval: float = 2.0,
    database_url: str | None = None,
    wake: asyncio.Event | None = None,
) -> None:
    wake = wake or asyncio.Event()
    while True:
        try:
            await deliver_once(send, prefix, database_url)
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
