"""Writes to the core's database off the event loop, so a slow disk never stalls other chats."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from desk.storage.db import session_scope
from desk.storage.interactions import record_interaction

logger = logging.getLogger(__name__)


def _record(sender_id: str, kind: str, service: str | None, topic: str | None) -> None:
    with session_scope() as session:
        record_interaction(session, sender_id, kind, service, topic)


async def record(
    sender_id: str, kind: str, service: str | None = None, topic: str | None = None
) -> None:
    """Statistics must never cost a worker their answer: a failure is logged, not raised."""
    try:
        await asyncio.to_thread(_record, sender_id, kind, service, topic)
    except SQLAlchemyError:
        logger.exception("could not record interaction kind=%s", kind)
