"""The gateway's background work: delivering the outbox (at once when woken) and reminding
lawyers of waiting cases."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from bot.messages import Button
from bot.notifier import deliver_forever, remind_forever
from desk.storage.db import session_scope
from desk.storage.models import Notification
from tests.cases import LAWYER, LAWYER_CHAT, open_case, outbox, register

Sent = tuple[str, str, tuple[Button, ...]]


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
