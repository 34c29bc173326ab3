"""The Telegram side: aiogram 3 handlers that hand everything to the Gateway."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.chunks import split_text
from bot.gateway import Gateway
from bot.keyboards import PayloadStore, inline_keyboard
from bot.messages import Button, OutgoingMessage
from desk.cases.routing import LAWYER_COMMANDS
from desk.common.chats import telegram_chat, telegram_id

logger = logging.getLogger(__name__)

EXPIRED_BUTTON = "这个按钮已过期"
NOT_RELAYED = "抱歉，这个文件没能转过去。请稍后再发一次，或者用文字说明。"


async def copy_with_label(bot: Bot, message: Message, to_chat: int, label: str) -> bool:
    """Copies a photo or file as it is, after a label saying whose it is; False if it failed."""
    try:
        await bot.send_message(to_chat, label)
        await bot.copy_message(to_chat, message.chat.id, message.message_id)
    except TelegramAPIError:
        logger.exception("attachment not relayed")
        return False
    return True


def telegram_sender(
    bot: Bot, store: PayloadStore
) -> Callable[[str, str, tuple[Button, ...]], Awaitable[None]]:
    """Sends a notification from the core (with its buttons) to a Telegram chat."""

    async def send(chat_id: str, text: str, buttons: tuple[Button, ...]) -> None:
        await send_messages(bot, int(chat_id), [OutgoingMessage(text, buttons)], store)

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


ATTACHMENT_KINDS = {
    "photo": "图片",
    "document": "文件",
    "voice": "语音",
    "audio": "音频",
    "video": "视频",
    "video_note": "视频",
    "location": "位置",
    "contact": "联系人",
    "sticker": "表情",
}


def attachment_kind(message: Message) -> str:
    """What the message carries, as the transcript and the other side are told (图片, 文件…)."""
    carried = (label for field, label in ATTACHMENT_KINDS.items() if getattr(message, field))
    return next(carried, "消息")


def build_router(gateway: Gateway, store: PayloadStore) -> Router:
    router = Router(name="desk")

    @router.message(CommandStart())
    async def on_start(message: Message, bot: Bot) -> None:
        replies = await gateway.on_start(telegram_chat(message.chat.id))
        await send_messages(bot, message.chat.id, replies, store)

    @router.message(Command("help"))
    async def on_help(message: Message, bot: Bot) -> None:
        replies = await gateway.on_help(telegram_chat(message.chat.id))
        await send_messages(bot, message.chat.id, replies, store)

    @router.message(Command(*LAWYER_COMMANDS))
    async def on_lawyer_command(message: Message, bot: Bot, command: CommandObject) -> None:
        replies = await gateway.on_lawyer_command(
            telegram_chat(message.chat.id), command.command, command.args or ""
        )
        await send_messages(bot, message.chat.id, replies, store)

    @router.message(F.text)
    async def on_text(message: Message, bot: Bot) -> None:
        # A lawyer answering with Telegram's "reply" names the case in the quoted message.
        quoted = message.reply_to_message.text if message.reply_to_message else None
        replies = await gateway.on_text(telegram_chat(message.chat.id), message.text or "", quoted)
        await send_messages(bot, message.chat.id, replies, store)

    @router.message()
    async def on_anything_else(message: Message, bot: Bot) -> None:
        quoted = message.reply_to_message.text if message.reply_to_message else None
        forward, replies = await gateway.on_attachment(
            telegram_chat(message.chat.id), attachment_kind(message), quoted
        )
        if forward is not None:
            # Evidence for the lawyer (a contract, a pay slip): copied as it is, after a label.
            to_chat = telegram_id(forward.to_chat)
            if to_chat is None or not await copy_with_label(bot, message, to_chat, forward.label):
                replies = [OutgoingMessage(NOT_RELAYED)]
        await send_messages(bot, message.chat.id, replies, store)

    @router.callback_query()
    async def on_button(query: CallbackQuery, bot: Bot) -> None:
        payload = store.to_payload(query.data or "")
        chat = query.message.chat.id if query.message else query.from_user.id
        # Answer first, so the button stops spinning even if Rasa is slow.
        if payload is None:
            await query.answer(EXPIRED_BUTTON)
            replies = await gateway.on_help(telegram_chat(chat))
        else:
            await query.answer()
            replies = await gateway.on_button(telegram_chat(chat), payload)
        await send_messages(bot, chat, replies, store)

    return router


def build_bot(token: str, api_url: str | None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else None
    # No parse_mode: replies are plain text, so "<b>" or "*" typed by a worker stay harmless.
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=None))


def build_dispatcher(gateway: Gateway, store: PayloadStore) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.include_router(build_router(gateway, store))
    return dispatcher
