"""The outbox is a queue: one chat that cannot be reached never holds up the others' notices;
failed sends are tried again later, in order, and parked after repeated failure or at once
when the chat blocked the bot."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiogram import Bot
from sqlalchemy import select

from bot.keyboards import PayloadStore
from bot.messages import Button
from bot.notifier import deliver_forever, deliver_once
from bot.telegram import build_bot, telegram_sender
from desk.common.chats import TELEGRAM_PREFIX
from desk.storage import outbox
from desk.storage.db import session_scope
from desk.storage.models import Notification, utcnow
from tests.telegram_stub import TelegramStub

BLOCKED, WORKING = 501, 502


def post(url: str, chat: int, count: int = 1) -> None:
    with session_scope(url) as session:
        for index in range(count):
            outbox.post(session, f"tg:{chat}", f"第{index + 1}条通知")


def notices(url: str, chat: int) -> list[Notification]:
    with session_scope(url) as session:
        query = select(Notification).where(Notification.chat_id == f"tg:{chat}")
        return list(session.scalars(query.order_by(Notification.id)))


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[TelegramStub, Bot]]:
    stub = TelegramStub()
    bot = build_bot("123456:TEST-outbox", await stub.start())
    try:
        yield stub, bot
    finally:
        await bot.session.close()
        await stub.stop()


async def test_a_chat_that_blocked_the_bot_holds_up_nobody(
    database_url: str, telegram: tuple[TelegramStub, Bot]
) -> None:
    stub, bot = telegram
    stub.blocked.add(BLOCKED)
    post(database_url, BLOCKED, 100)  # a lawyer who blocked the bot, reminded all day
    post(database_url, WORKING)
    wake = asyncio.Event()
    sender = telegram_sender(bot, PayloadStore())
    delivery = asyncio.create_task(deliver_forever(sender, TELEGRAM_PREFIX, 60, database_url, wake))
    try:
        async with asyncio.timeout(10):
            while not notices(database_url, WORKING)[0].sent_at:
                await asyncio.sleep(0.05)
    finally:
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
    [sent] = stub.sent(chat_id=WORKING)
    assert sent["text"] == "第1条通知"
    assert stub.blocked_attempts[BLOCKED] == 1  # one refusal parks the chat, not 100 tries
    parked = notices(database_url, BLOCKED)
    assert len(parked) == 100 and all(n.parked_at and not n.sent_at for n in parked)
    assert "blocked by the user" in (parked[0].last_error or "")
    # Later rounds leave the parked notices alone.
    assert await deliver_once(sender, TELEGRAM_PREFIX, database_url) == 0
    assert stub.blocked_attempts[BLOCKED] == 1


async def test_a_failing_chat_is_tried_again_later_in_order_then_parked(
    database_url: str,
) -> None:
    post(database_url, BLOCKED, 2)
    post(database_url, WORKING)
    down = True
    sent: list[tuple[str, str]] = []

    async def send(chat: str, text: str, buttons: tuple[Button, ...]) -> None:
        if down and chat == str(BLOCKED):
            raise ConnectionError("Telegram did not answer")
        sent.append((chat, text))

    assert await deliver_once(send, "tg:", database_url) == 1
    first, second = notices(database_url, BLOCKED)
    assert first.attempts == 1 and second.attempts == 0
    assert first.next_attempt_at is not None and first.parked_at is None
    with session_scope(database_url) as session:
        # Neither goes out before the first's wait is over: the second never overtakes it.
        assert outbox.pending(session, "tg:") == []
        due = utcnow() + outbox.retry_delay(1) + timedelta(seconds=1)
        assert [n.text for n in outbox.pending(session, "tg:", now=due)] == [
            "第1条通知",
            "第2条通知",
        ]
    assert outbox.retry_delay(2) == 2 * outbox.retry_delay(1)
    assert outbox.retry_delay(30) == outbox.LONGEST_WAIT

    with session_scope(database_url) as session:
        for _ in range(outbox.MAX_ATTEMPTS - 1):
            outbox.mark_failed(session, first.id, "ConnectionError")
    [parked, waiting] = notices(database_url, BLOCKED)
    assert parked.parked_at is not None and parked.attempts == outbox.MAX_ATTEMPTS
    down = False
    with session_scope(database_url) as session:
        session.get_one(Notification, waiting.id).next_attempt_at = None
    assert await deliver_once(send, "tg:", database_url) == 1
    assert sent == [(str(WORKING), "第1条通知"), (str(BLOCKED), "第2条通知")]


async def test_failures_are_logged_without_the_text(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    post(database_url, BLOCKED)

    async def send(chat: str, text: str, buttons: tuple[Button, ...]) -> None:
        raise ConnectionError(f"could not send {text}")

    await deliver_once(send, "tg:", database_url)
    assert "not delivered (ConnectionError)" in caplog.text and "通知" not in caplog.text


def test_revive_brings_back_only_what_was_parked_for_that_reason(database_url: str) -> None:
    post(database_url, 601, 2)
    post(database_url, 602)
    with session_scope(database_url) as session:
        assert outbox.park_chat(session, "tg:601", "WeChat 45015") == 2
        assert outbox.park_chat(session, "tg:602", "Forbidden") == 1
    with session_scope(database_url) as session:
        assert outbox.revive(session, "tg:602", "WeChat 45015") == 0  # parked for another reason
        assert outbox.revive(session, "tg:601", "WeChat 45015") == 2
    with session_scope(database_url) as session:
        due = [notice.chat_id for notice in outbox.pending(session, "tg:60")]
    assert due == ["tg:601", "tg:601"]


def test_one_query_finds_which_open_pages_have_something_due(database_url: str) -> None:
    with session_scope(database_url) as session:
        outbox.post(session, "web:due", "您的申请已通过")
        outbox.post(session, "web:retrying", "律师回复了您")
        outbox.post(session, "web:parked", "案件已结束")
        outbox.post(session, "web:sent", "欢迎")
        outbox.post(session, "tg:9", "另一个渠道")
    with session_scope(database_url) as session:
        by_chat = {n.chat_id: n for n in session.scalars(select(Notification))}
        outbox.mark_failed(session, by_chat["web:retrying"].id, "page closed")
        outbox.park_chat(session, "web:parked", "gone")
        outbox.mark_sent(session, by_chat["web:sent"].id)
    open_pages = [f"web:{name}" for name in ("due", "retrying", "parked", "sent", "quiet")]
    open_pages += [f"web:extra{i}" for i in range(outbox.IN_LIST_CHUNK + 3)]  # two chunks
    with session_scope(database_url) as session:
        assert outbox.chats_with_due(session, open_pages) == {"web:due"}
        later = utcnow() + timedelta(hours=1)  # the retry is due again
        assert outbox.chats_with_due(session, open_pages, later) == {"web:due", "web:retrying"}
        assert outbox.chats_with_due(session, []) == set()
