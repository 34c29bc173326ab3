"""The Telegram side: aiogram 3 handlers that hand everything to the Gateway."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.chunks import split_text
from bot.gateway import Gateway
from bot.keyboards import PayloadStore, inline_keyboard
from bot.messages import OutgoingMessage

logger = logging.getLogger(__name__)

EXPIRED_BUTTON = "这个按钮已过期"
TELEGRAM_PREFIX = "tg:"


def sender_id_of(chat_id: int) -> str:
    return f"{TELEGRAM_PREFIX}{chat_id}"


def telegram_sender(bot: Bot) -> Callable[[str, str], Awaitable[None]]:
    """Sends a notification from the core to a Telegram chat."""

    async def send(chat_id: str, text: str) -> None:
        for chunk in split_text(text):
            await bot.send_message(int(chat_id), chunk)

    return send


async def send_messages(
    bot: Bot, chat_id: int, messages: list[OutgoingMessage], store: PayloadStore
) -> None:
    for message in messages:
        chunks = split_text(message.text)
        for index, chunk in enumerate(chunks):
            # Buttons go under the last piece, where the worker's eyes end up.
            is_last = index == len(chunks) - 1
            markup = inline_keyboard(message.buttons, store) if is_last else None
            await bot.send_message(chat_id, chunk, reply_markup=markup)


def build_router(gateway: Gateway, store: PayloadStore) -> Router:
    router = Router(name="desk")

    @router.message(CommandStart())
    async def on_start(message: Message, bot: Bot) -> None:
        replies = await gateway.on_start(sender_id_of(message.chat.id))
        await send_messages(bot, message.chat.id, replies, store)

    @router.message(Command("help"))
    async def on_help(message: Message, bot: Bot) -> None:
        replies = await gateway.on_help(sender_id_of(message.chat.id))
        await send_messages(bot, message.chat.id, replies, store)

    @router.message(F.text)
    async def on_text(message: Message, bot: Bot) -> None:
        replies = await gateway.on_text(sender_id_of(message.chat.id), message.text or "")
        await send_messages(bot, message.chat.id, replies, store)

    @router.message()
    async def on_anything_else(message: Message, bot: Bot) -> None:
        await send_messages(bot, message.chat.id, gateway.on_non_text(), store)

    @router.callback_query()
    async def on_button(query: CallbackQuery, bot: Bot) -> None:
        payload = store.to_payload(query.data or "")
        chat = query.message.chat.id if query.message else query.from_user.id
        # Answer first, so the button stops spinning even if Rasa is slow.
        if payload is None:
            await query.answer(EXPIRED_BUTTON)
            replies = await gateway.on_help(sender_id_of(chat))
        else:
            await query.answer()
            replies = await gateway.on_button(sender_id_of(chat), payload)
        await send_messages(bot, chat, replies, store)

    return router


def build_bot(token: str, api_url: str | None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else None
    # No parse_mode: replies are plain text, so "<b>" or "*" typed by a worker stay harmless.
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=None))


def build_dispatcher(gateway: Gateway, store: PayloadStore | None = None) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.include_router(build_router(gateway, store or PayloadStore()))
    return dispatcher
