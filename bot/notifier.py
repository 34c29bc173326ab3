"""Delivers the core's notifications (an application approved, …) to the chats they are for.

The core writes them to its outbox table from wherever the change happened (the staff command
line, say); each gateway delivers those of its own channel and marks them sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError

from desk.applications import mark_sent, pending_notifications
from desk.db import session_scope

logger = logging.getLogger(__name__)

Send = Callable[[str, str], Awaitable[None]]  # (chat id without the channel prefix, text)


def _pending(database_url: str | None, prefix: str) -> list[tuple[int, str, str]]:
    with session_scope(database_url) as session:
        return [
            (item.id, item.chat_id.removeprefix(prefix), item.text)
            for item in pending_notifications(session)
            if item.chat_id.startswith(prefix)
        ]


def _mark_sent(database_url: str | None, notification_id: int) -> None:
    with session_scope(database_url) as session:
        mark_sent(session, notification_id)


async def deliver_once(send: Send, prefix: str, database_url: str | None = None) -> int:
    delivered = 0
    for notification_id, chat, text in await asyncio.to_thread(_pending, database_url, prefix):
        try:
            await send(chat, text)
        except Exception:  # one unreachable chat must not block the others
            logger.exception("notification %s not delivered", notification_id)
            continue
        await asyncio.to_thread(_mark_sent, database_url, notification_id)
        delivered += 1
    return delivered


async def deliver_forever(
    send: Send, prefix: str, interval: float = 2.0, database_url: str | None = None
) -> None:
    while True:
        try:
            await deliver_once(send, prefix, database_url)
        except SQLAlchemyError:
            logger.exception("notification outbox unavailable")
        await asyncio.sleep(interval)
