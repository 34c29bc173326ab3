"""The gateway's background work: delivering the outbox (at once when woken) and reminding
lawyers of waiting cases."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.messages import Button
from bot.notifier import deliver_forever, deliver_once, remind_forever
from desk.storage import outbox as outbox_queue
from desk.storage.db import session_scope
from desk.storage.migrate import upgrade_database
from desk.storage.models import Notification
from tests.cases import LAWYER, LAWYER_CHAT, open_case, outbox, register
from tests.local_server import eventually

Sent = tuple[str, str, tuple[Button, ...]]


def queue(url: str, *chats: str) -> None:
    with session_scope(url) as session:
        session.add_all(Notification(chat_id=f"tg:{chat}", text=f"给{chat}") for chat in chats)


def unsent(url: str) -> list[str]:
    with session_scope(url) as session:
        query = select(Notification.chat_id).where(Notification.sent_at.is_(None))
        return list(session.scalars(query.order_by(Notification.id)))


async def test_a_woken_delivery_does_not_wait_for_the_next_round(database_url: str) -> None:
    sent: list[Sent] = []

    async def send(chat: str, text: str, buttons: tuple[Button, ...]) -> None:
        sent.append((chat, text, buttons))

    wake = asyncio.Event()
    delivery = asyncio.create_task(deliver_forever(send, "tg:", 60, database_url, wake))
    try:
        await asyncio.sleep(0.3)  # the first round found nothing; the next one is a minute away
        with session_scope(database_url) as session:
            buttons = [{"title": "5 分", "payload": "ticket:rate:AJ-2026-000001:5"}]
            session.add(Notification(chat_id="tg:42", text="已办结", buttons=buttons))
            session.add(Notification(chat_id="cli:local", text="not this channel's"))
        wake.set()
        async with asyncio.timeout(5):
            while not sent:
                await asyncio.sleep(0.05)
    finally:
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
    assert sent == [("42", "已办结", (Button("5 分", "ticket:rate:AJ-2026-000001:5"),))]


async def test_reminders_run_in_the_background(database_url: str) -> None:
    register(database_url)
    number = open_case(database_url)
    reminders = asyncio.create_task(remind_forever(timedelta(0), 60, database_url))
    try:
        async with asyncio.timeout(5):
            while not outbox(database_url, LAWYER_CHAT):
                await asyncio.sleep(0.05)
    finally:
        reminders.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reminders
    [reminder] = outbox(database_url, LAWYER_CHAT)
    assert number in reminder.text and str(LAWYER) not in reminder.text


async def test_a_failed_send_stays_in_the_outbox_and_the_others_still_go(
    database_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox_queue, "FIRST_RETRY", timedelta(0))  # tried again at once
    queue(database_url, "1", "2", "3")
    reachable = {"1", "3"}
    sent: list[str] = []

    async def send(chat: str, text: str, buttons: tuple[Button, ...]) -> None:
        if chat not in reachable:
            raise ConnectionError("Forbidden: bot was blocked by the user")
        sent.append(chat)

    assert await deliver_once(send, "tg:", database_url) == 2
    assert sent == ["1", "3"] and unsent(database_url) == ["tg:2"]
    assert "not delivered" in caplog.text
    reachable.add("2")  # the chat can be reached again: the next round delivers it, once
    assert await deliver_once(send, "tg:", database_url) == 1
    assert await deliver_once(send, "tg:", database_url) == 0
    assert sent == ["1", "3", "2"] and unsent(database_url) == []


async def test_delivery_outlives_an_unavailable_outbox_and_failing_sends(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox_queue, "FIRST_RETRY", timedelta(0))  # tried again at once
    url = f"sqlite:///{tmp_path / 'desk.db'}"  # not migrated yet: the outbox table is missing
    attempts: list[str] = []

    async def send(chat: str, text: str, buttons: tuple[Button, ...]) -> None:
        attempts.append(chat)
        if len(attempts) == 1:
            raise TimeoutError("Telegram did not answer")

    wake = asyncio.Event()
    delivery = asyncio.create_task(deliver_forever(send, "tg:", 0.05, url, wake))
    try:
        await eventually(lambda: "outbox unavailable" in caplog.text)
        assert not delivery.done()
        upgrade_database(url)
        queue(url, "7")
        wake.set()
        async with asyncio.timeout(5):
            while unsent(url):
                await asyncio.sleep(0.05)
    finally:
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
    assert attempts == ["7", "7"]  # failed once, retried, then marked sent
