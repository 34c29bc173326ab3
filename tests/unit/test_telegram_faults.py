"""Telegram answering 429 with retry_after, 5xx, or dropping the connection: replies and the
core's notices wait and go again, and each reaches the chat exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiogram import Bot
from sqlalchemy import select
from tenacity import wait_fixed

from bot import telegram_retry
from bot.keyboards import PayloadStore
from bot.messages import Button, OutgoingMessage
from bot.notifier import deliver_forever, deliver_once
from bot.telegram import reply, telegram_sender
from desk.common.chats import TELEGRAM_PREFIX
from desk.storage import outbox
from desk.storage.db import session_scope
from desk.storage.models import Notification
from tests.telegram_stub import TelegramStub, bot_with_stub

CHAT = 4242


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[Bot, TelegramStub]]:
    async with bot_with_stub() as (bot, stub):
        yield bot, stub


@pytest.fixture
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """5xx and dropped connections back off 0.5, 1, 2 … s, and the outbox's next round for a
    failed notice is 30 s away; a test needs not wait that long."""
    monkeypatch.setattr(telegram_retry, "_backoff", wait_fixed(0.05))
    monkeypatch.setattr(outbox, "FIRST_RETRY", timedelta(0))


def texts(stub: TelegramStub, chat: int = CHAT) -> list[str]:
    return [call["text"] for call in stub.sent("sendMessage", chat)]


async def test_a_reply_waits_out_429_and_goes_again_after_5xx_and_drops(
    telegram: tuple[Bot, TelegramStub], database_url: str, quick_backoff: None
) -> None:
    bot, stub = telegram
    stub.fail_next("sendMessage", "429", "502", "drop", "500")
    started = time.monotonic()
    buttons = (Button("同意", "/affirm"),)
    await reply(bot, CHAT, [OutgoingMessage("您同意吗？", buttons)], PayloadStore(), database_url)
    assert texts(stub) == ["您同意吗？"]  # once, with its buttons
    assert stub.sent()[0]["reply_markup"]["inline_keyboard"][0][0]["text"] == "同意"
    assert time.monotonic() - started >= 1  # Telegram's retry_after was waited out
    assert stub.faults_served == {"429": 1, "502": 1, "drop": 1, "500": 1}
    assert not _outbox(database_url)


async def test_a_reply_telegram_keeps_refusing_goes_out_later_from_the_outbox(
    telegram: tuple[Bot, TelegramStub], database_url: str, quick_backoff: None
) -> None:
    bot, stub = telegram
    long_text = "第一段" + "字" * 5000  # two pieces: the first goes, the second meets the outage
    answer = [OutgoingMessage(long_text), OutgoingMessage("请选择", (Button("帮助", "/help"),))]
    stub.fail_next("sendMessage", "ok", *["502"] * telegram_retry.ATTEMPTS)
    await reply(bot, CHAT, answer, PayloadStore(), database_url)
    assert len(texts(stub)) == 1 and texts(stub)[0].startswith("第一段")
    kept = _outbox(database_url)
    assert [n.chat_id for n in kept] == [f"tg:{CHAT}"] * 2
    assert kept[1].buttons == [{"title": "帮助", "payload": "/help"}]

    # Telegram is back: the delivery loop sends what was kept, once.
    store = PayloadStore()
    assert await deliver_once(telegram_sender(bot, store), TELEGRAM_PREFIX, database_url) == 2
    assert await deliver_once(telegram_sender(bot, store), TELEGRAM_PREFIX, database_url) == 0
    pieces = texts(stub)
    assert "".join(pieces[:2]) == long_text and pieces[2] == "请选择" and len(pieces) == 3


async def test_notices_through_429_5xx_and_drops_are_each_delivered_once(
    telegram: tuple[Bot, TelegramStub],
    database_url: str,
    quick_backoff: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot, stub = telegram
    # A notice that failed waits (30 s, doubling) before the outbox offers it again.
    monkeypatch.setattr(outbox, "FIRST_RETRY", timedelta(milliseconds=100))
    with session_scope(database_url) as session:
        for number in range(6):
            session.add(Notification(chat_id=f"tg:{CHAT}", text=f"通知{number}"))
    # Some faults last beyond one call's retries: the notice waits for the next round.
    stub.fail_next("sendMessage", "429", "drop", "503", *["500"] * telegram_retry.ATTEMPTS, "drop")
    send = telegram_sender(bot, PayloadStore())
    delivery = asyncio.create_task(deliver_forever(send, TELEGRAM_PREFIX, 0.1, database_url))
    try:
        async with asyncio.timeout(30):
            while _outbox(database_url, unsent=True):
                await asyncio.sleep(0.05)
    finally:
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
    # Each exactly once, in order: the others waited behind the one that met the long outage.
    assert texts(stub) == [f"通知{number}" for number in range(6)]


def _outbox(database_url: str, unsent: bool = False) -> list[Notification]:
    with session_scope(database_url) as session:
        query = select(Notification).order_by(Notification.id)
        if unsent:
            query = query.where(Notification.sent_at.is_(None))
        return list(session.scalars(query))
