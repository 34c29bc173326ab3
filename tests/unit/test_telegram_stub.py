"""The Bot API stand-in refuses what Telegram refuses, as Telegram says it: tests can trust it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import build_bot
from tests.telegram_stub import TelegramStub, bot_with_stub

CHAT = 42


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[Bot, TelegramStub]]:
    async with bot_with_stub() as (bot, stub):
        try:
            yield bot, stub
        finally:
            stub.refused.clear()  # refused on purpose here


def keyboard(callback_data: str) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(text="按钮", callback_data=callback_data)
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


async def refusal(call: Awaitable[object]) -> str:
    with pytest.raises(TelegramBadRequest) as refused:
        await call
    return refused.value.message


async def test_a_text_of_4096_characters_is_sent_and_one_more_is_refused(
    telegram: tuple[Bot, TelegramStub],
) -> None:
    bot, stub = telegram
    await bot.send_message(CHAT, "工" * 4096)
    message = await refusal(bot.send_message(CHAT, "工" * 4097))
    assert message == "Bad Request: message is too long"
    assert [len(sent["text"]) for sent in stub.sent()] == [4096]  # a refused call is not sent
    assert await refusal(bot.send_message(CHAT, " \n")) == "Bad Request: message text is empty"


async def test_html_tags_do_not_count_towards_the_limit(
    telegram: tuple[Bot, TelegramStub],
) -> None:
    bot, _ = telegram
    await bot.send_message(CHAT, "<b>" + "工" * 4096 + "</b>", parse_mode="HTML")


async def test_callback_data_is_limited_to_64_bytes_not_characters(
    telegram: tuple[Bot, TelegramStub],
) -> None:
    bot, stub = telegram
    await bot.send_message(CHAT, "选一个", reply_markup=keyboard("/x" + "a" * 62))
    await bot.send_message(CHAT, "选一个", reply_markup=keyboard("工" * 21))  # 63 bytes
    message = await refusal(bot.send_message(CHAT, "选一个", reply_markup=keyboard("工" * 22)))
    assert message == "Bad Request: BUTTON_DATA_INVALID"
    assert len(stub.refused) == 1


async def test_a_caption_is_limited_to_1024_characters(
    telegram: tuple[Bot, TelegramStub],
) -> None:
    bot, _ = telegram
    await bot.copy_message(CHAT, CHAT, 1, caption="证" * 1024)
    message = await refusal(bot.copy_message(CHAT, CHAT, 1, caption="证" * 1025))
    assert message == "Bad Request: message caption is too long"


async def test_stopping_the_stand_in_fails_a_test_that_sent_what_telegram_refuses() -> None:
    stub = TelegramStub()
    bot = build_bot("123456:TEST-token-for-the-stub", await stub.start())
    await refusal(bot.send_message(CHAT, "工" * 5000))
    await bot.session.close()
    with pytest.raises(AssertionError, match="message is too long"):
        await stub.stop()
