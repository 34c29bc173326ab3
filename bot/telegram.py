"""The Telegram side: aiogram 3 handlers that hand everything to the Gateway."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.chunks import split_text
from bot.gateway import Gateway
from bot.keyboards import PayloadStore, inline_keyboard
from bot.messages import Button, OutgoingMessage, Unreachable
from bot.notifier import keep_for_later
from bot.telegram_retry import RetryPassingFaults
from desk.cases.routing import LAWYER_COMMANDS
from desk.common.chats import telegram_chat, telegram_id

logger = logging.getLogger(__name__)

EXPIRED_BUTTON = "这个按钮已过期"
NOT_RELAYED = "抱歉，这个文件没能转过去。请稍后再发一次，或者用文字说明。"
# The worker is in the web chat or WeChat, where a Telegram file cannot be copied.
NOT_ON_TELEGRAM = "这位工友是在网页或微信里和您联系的，收不到图片和文件。请用文字告诉工友。"


async def copy_with_label(bot: Bot, message: Message, to_chat: int, label: str) -> bool:
    """Copies a photo or file as it is, after a label saying whose it is; False if it failed."""
    try:
        await bot.send_message(to_chat, label)
        await bot.copy_message(to_chat, message.chat.id, message.message_id)
    except TelegramAPIError:
        logger.exception("attachment not relayed")
        return False
    return True


@contextlib.contextmanager
def _refusal_is_unreachable() -> Iterator[None]:
    """A chat that refuses the bot for good: the outbox parks its notices."""
    try:
        yield
    except TelegramForbiddenError as refusal:  # blocked by the user, deactivated, kicked
        raise Unreachable(refusal.message) from None
    except TelegramBadRequest as refusal:
        if "chat not found" in refusal.message.lower():
            raise Unreachable(refusal.message) from None
        raise


def telegram_sender(
    bot: Bot, store: PayloadStore
) -> Callable[[str, str, tuple[Button, ...]], Awaitable[list[int]]]:
    """Sends a notification from the core (with its buttons) to a Telegram chat; returns the
    ids of the messages sent."""

    async def send(chat_id: str, text: str, buttons: tuple[Button, ...]) -> list[int]:
        with _refusal_is_unreachable():
            return await send_messages(bot, int(chat_id), [OutgoingMessage(text, buttons)], store)

    return send


CAPTION_LIMIT = 1024  # characters of a document's caption (Bot API)


def telegram_document_sender(
    bot: Bot, store: PayloadStore
) -> Callable[[str, str, tuple[Button, ...], str, bytes], Awaitable[list[int]]]:
    """Sends a notice's file (an arbitration draft) with its text as the caption; a text too
    long for a caption goes first as messages. Returns the ids of what was sent."""

    async def send(
        chat_id: str, text: str, buttons: tuple[Button, ...], name: str, content: bytes
    ) -> list[int]:
        chat = int(chat_id)
        with _refusal_is_unreachable():
            sent = []
            caption: str | None = text
            if len(text) > CAPTION_LIMIT:
                sent = await send_messages(bot, chat, [OutgoingMessage(text)], store)
                caption = None
            markup = inline_keyboard(buttons, store, chat)
            document = BufferedInputFile(content, filename=name)
            message = await bot.send_document(chat, document, caption=caption, reply_markup=markup)
            return [*sent, message.message_id]

    return send


# Telegram still failing after the retries (bot/telegram_retry.py): a passing outage.
STILL_UNREACHABLE = (TelegramNetworkError, TelegramServerError, TelegramRetryAfter)


def _pieces(messages: list[OutgoingMessage]) -> list[OutgoingMessage]:
    """Each message as the pieces Telegram takes; buttons under the last piece, where the
    worker's eyes end up."""
    pieces = []
    for message in messages:
        chunks = split_text(message.text)
        for index, chunk in enumerate(chunks):
            is_last = index == len(chunks) - 1
            pieces.append(OutgoingMessage(chunk, message.buttons if is_last else ()))
    return pieces


async def send_messages(
    bot: Bot, chat_id: int, messages: list[OutgoingMessage], store: PayloadStore
) -> list[int]:
    """Sends the messages in pieces Telegram takes; returns the ids Telegram gave them."""
    sent = []
    for piece in _pieces(messages):
        markup = inline_keyboard(piece.buttons, store, chat_id)
        sent.append((await bot.send_message(chat_id, piece.text, reply_markup=markup)).message_id)
    return sent


async def reply(
    bot: Bot,
    chat_id: int,
    messages: list[OutgoingMessage],
    store: PayloadStore,
    database_url: str | None = None,
) -> None:
    """Sends the answer to a worker's message; what Telegram would not take even after the
    retries goes to the outbox, and the delivery loop sends it once Telegram is back."""
    pieces = _pieces(messages)
    for index, piece in enumerate(pieces):
        markup = inline_keyboard(piece.buttons, store, chat_id)
        try:
            await bot.send_message(chat_id, piece.text, reply_markup=markup)
        except STILL_UNREACHABLE as error:
            logger.warning("reply kept in the outbox: %s", type(error).__name__)
            chat = telegram_chat(chat_id)
            await asyncio.to_thread(keep_for_later, database_url, chat, pieces[index:])
            return


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
        await reply(bot, message.chat.id, replies, store, gateway.database_url)

    @router.message(Command("help"))
    async def on_help(message: Message, bot: Bot) -> None:
        replies = await gateway.on_help(telegram_chat(message.chat.id))
        await reply(bot, message.chat.id, replies, store, gateway.database_url)

    @router.message(Command(*LAWYER_COMMANDS))
    async def on_lawyer_command(message: Message, bot: Bot, command: CommandObject) -> None:
        replies = await gateway.on_lawyer_command(
            telegram_chat(message.chat.id), command.command, command.args or ""
        )
        await reply(bot, message.chat.id, replies, store, gateway.database_url)

    @router.message(F.text)
    async def on_text(message: Message, bot: Bot) -> None:
        # A lawyer answering with Telegram's "reply": the case the bot recorded for that message.
        quoted = message.reply_to_message.message_id if message.reply_to_message else None
        replies = await gateway.on_text(telegram_chat(message.chat.id), message.text or "", quoted)
        await reply(bot, message.chat.id, replies, store, gateway.database_url)

    @router.message()
    async def on_anything_else(message: Message, bot: Bot) -> None:
        quoted = message.reply_to_message.message_id if message.reply_to_message else None
        forward, replies = await gateway.on_attachment(
            telegram_chat(message.chat.id), attachment_kind(message), quoted
        )
        if forward is not None:
            # Evidence for the lawyer (a contract, a pay slip): copied as it is, after a label.
            to_chat = telegram_id(forward.to_chat)
            if to_chat is None:
                replies = [OutgoingMessage(NOT_ON_TELEGRAM)]
            elif not await copy_with_label(bot, message, to_chat, forward.label):
                replies = [OutgoingMessage(NOT_RELAYED)]
        await reply(bot, message.chat.id, replies, store, gateway.database_url)

    @router.callback_query()
    async def on_button(query: CallbackQuery, bot: Bot) -> None:
        chat = query.message.chat.id if query.message else query.from_user.id
        # Only what the desk issued to this chat: forged callback data never reaches Rasa.
        payload = store.to_payload(query.data or "", chat)
        # Answer first, so the button stops spinning even if Rasa is slow.
        if payload is None:
            await query.answer(EXPIRED_BUTTON)
            replies = await gateway.on_help(telegram_chat(chat))
        else:
            await query.answer()
            replies = await gateway.on_button(telegram_chat(chat), payload)
        await reply(bot, chat, replies, store, gateway.database_url)

    return router


def build_bot(token: str, api_url: str | None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else None
    # No parse_mode: replies are plain text, so "<b>" or "*" typed by a worker stay harmless.
    bot = Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=None))
    bot.session.middleware(RetryPassingFaults())
    return bot


def build_dispatcher(gateway: Gateway, store: PayloadStore) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.include_router(build_router(gateway, store))
    return dispatcher
