"""The web pages open right now, and delivering the outbox's notices to them.

A notice for a web chat (a lawyer's reply, an application approved) is delivered only while
one of that chat's pages is open, and marked sent only once a page's event stream took it;
otherwise it stays in the outbox until the worker's next visit. The delivery itself is the
notifier's (bot/notifier.py), as for every channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from bot.messages import Button, OutgoingMessage
from bot.notifier import Send, SendDocument, deliver_once
from desk.storage import outbox
from desk.storage.db import session_scope

logger = logging.getLogger(__name__)

HANDED_OVER_SECONDS = 5.0  # how long a notice waits for a page's stream to write it


class PageClosed(Exception):
    """No open page of the chat took the notice: it stays in the outbox."""


@dataclass(eq=False)  # kept in sets: each page is itself
class Page:
    """One open page's event stream: what to write to it, each with a future that says whether
    it was written."""

    queue: asyncio.Queue[tuple[OutgoingMessage, asyncio.Future[bool]]] = field(
        default_factory=asyncio.Queue
    )


class OpenPages:
    def __init__(self, max_pages: int = 2000, max_per_chat: int = 5) -> None:
        self._pages: dict[str, set[Page]] = {}
        self._max_pages = max_pages
        self._max_per_chat = max_per_chat
        # Set when something may be waiting for a page: a page opened, or the outbox was written.
        self.wake = asyncio.Event()

    def open(self, chat_id: str) -> Page | None:
        """A new page of the chat; None when too many are open (the page shows it is busy)."""
        pages = self._pages.get(chat_id, set())
        if len(pages) >= self._max_per_chat or self.count() >= self._max_pages:
            return None  # and a refused chat is not listed as open: its notices wait
        page = Page()
        self._pages.setdefault(chat_id, pages).add(page)
        self.wake.set()
        return page

    def close(self, chat_id: str, page: Page) -> None:
        pages = self._pages.get(chat_id, set())
        pages.discard(page)
        if not pages:
            self._pages.pop(chat_id, None)
        while not page.queue.empty():  # not written: the sender learns it did not go out
            _, written = page.queue.get_nowait()
            if not written.done():
                written.set_result(False)

    def count(self) -> int:
        return sum(len(pages) for pages in self._pages.values())

    def chats(self) -> list[str]:
        return list(self._pages)

    async def push(self, chat_id: str, message: OutgoingMessage) -> None:
        """Hands the message to every open page of the chat; raises PageClosed if none wrote it."""
        loop = asyncio.get_running_loop()
        handed: list[asyncio.Future[bool]] = []
        for page in self._pages.get(chat_id, ()):
            written: asyncio.Future[bool] = loop.create_future()
            page.queue.put_nowait((message, written))
            handed.append(written)
        if not handed:
            raise PageClosed
        done, _ = await asyncio.wait(
            handed, timeout=HANDED_OVER_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
        if not any(future.result() for future in done):
            raise PageClosed

    def sender(self, chat_id: str) -> Send:
        async def send(_: str, text: str, buttons: tuple[Button, ...]) -> None:
            await self.push(chat_id, OutgoingMessage(text, buttons))

        return send

    def document_sender(self, chat_id: str) -> SendDocument:
        """A notice's file is not pushed: the page shows a link to it (served by the web app
        to this chat only)."""

        async def send(
            _: str, text: str, buttons: tuple[Button, ...], name: str, content: bytes
        ) -> None:
            await self.push(chat_id, OutgoingMessage(text, buttons, document=name))

        return send


def _chats_with_due(database_url: str | None, chat_ids: list[str]) -> set[str]:
    if not chat_ids:
        return set()
    with session_scope(database_url) as session:
        return outbox.chats_with_due(session, chat_ids)


async def deliver_to_open_pages(
    pages: OpenPages, interval: float = 2.0, database_url: str | None = None
) -> None:
    """Each open chat's notices, through the notifier; a chat id is its own outbox prefix.
    One query finds the open chats with something due; only those are delivered to."""
    while True:
        try:
            due = await asyncio.to_thread(_chats_with_due, database_url, pages.chats())
            for chat_id in due:
                await deliver_once(
                    pages.sender(chat_id), chat_id, database_url, pages.document_sender(chat_id)
                )
        except SQLAlchemyError:
            logger.exception("notification outbox unavailable")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(pages.wake.wait(), interval)
        pages.wake.clear()
