"""Writes the statistics to the core's database off the event loop, with group commit: the
records that arrive while one transaction is being written go together in the next one, so
under load the action server commits a few times a second instead of once per message, and
every record is still on disk before its action answers."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from desk.storage.db import session_scope
from desk.storage.interactions import record_interaction

logger = logging.getLogger(__name__)

Row = tuple[str, str, str | None, str | None]  # sender id, kind, service, topic


def _write(rows: list[Row]) -> None:
    with session_scope() as session:
        for row in rows:
            record_interaction(session, *row)


@dataclass
class _GroupCommit:
    waiting: list[tuple[Row, asyncio.Future[None]]] = field(default_factory=list)
    writer: asyncio.Task[None] | None = None

    async def add(self, row: Row) -> None:
        done = asyncio.get_running_loop().create_future()
        self.waiting.append((row, done))
        # A writer from another event loop (a restarted loop, a test) can never run here.
        if (
            self.writer is None
            or self.writer.done()
            or self.writer.get_loop() is not asyncio.get_running_loop()
        ):
            self.writer = asyncio.create_task(self._write_while_waiting())
        await done

    async def _write_while_waiting(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting, []
            try:
                await asyncio.to_thread(_write, [row for row, _ in batch])
            except SQLAlchemyError:
                # Statistics must never cost a worker their answer: logged, not raised.
                kinds = ",".join(sorted({row[1] for row, _ in batch}))
                logger.exception("could not record interaction kind=%s", kinds)
            for _, done in batch:
                if not done.done():
                    done.set_result(None)


_group = _GroupCommit()


async def record(
    sender_id: str, kind: str, service: str | None = None, topic: str | None = None
) -> None:
    await _group.add((sender_id, kind, service, topic))
