"""python -m bot: the gateway. Telegram polling with a token, else the terminal chat."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from datetime import timedelta

from bot.gateway import Gateway
from bot.notifier import deliver_forever, remind_forever
from bot.rasa_client import RasaClient
from desk.common.chats import TELEGRAM_PREFIX
from desk.common.logging_setup import configure_logging
from desk.settings import Settings, get_settings

logger = logging.getLogger("bot")


async def run_telegram(settings: Settings, gateway: Gateway) -> None:
    from bot.keyboards import PayloadStore
    from bot.telegram import build_bot, build_dispatcher, telegram_sender

    assert settings.telegram_bot_token
    bot = build_bot(settings.telegram_bot_token, settings.telegram_api_url)
    store = PayloadStore()
    dispatcher = build_dispatcher(gateway, store)
    delivery = asyncio.create_task(
        deliver_forever(telegram_sender(bot, store), TELEGRAM_PREFIX, wake=gateway.outbox_written)
    )
    # Lawyers are on Telegram, so the reminders about waiting cases run with this channel.
    wait = timedelta(minutes=settings.ticket_remind_after_minutes)
    reminders = asyncio.create_task(remind_forever(wait))
    logger.info("polling Telegram for updates")
    try:
        await dispatcher.start_polling(bot, handle_signals=True)
    finally:
        delivery.cancel()
        reminders.cancel()


async def main_async(mode: str, rasa_url: str | None = None) -> None:
    settings = get_settings()
    rasa = RasaClient(rasa_url or settings.rasa_url, settings.rasa_timeout_seconds)
    gateway = Gateway(rasa, settings.max_message_chars)
    try:
        if mode == "telegram":
            await run_telegram(settings, gateway)
        else:
            from bot.terminal import SENDER_ID, chat, print_notice

            delivery = asyncio.create_task(
                deliver_forever(print_notice, SENDER_ID[:4], wake=gateway.outbox_written)
            )
            try:
                await chat(gateway)
            finally:
                delivery.cancel()
    finally:
        await rasa.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="职工在线服务台 gateway")
    parser.add_argument("--terminal", action="store_true", help="chat in this terminal")
    args = parser.parse_args()
    settings = get_settings()
    configure_logging(settings.log_level)
    if args.terminal:
        mode = "terminal"
    elif settings.telegram_bot_token:
        mode = "telegram"
    else:
        sys.exit("TELEGRAM_BOT_TOKEN is not set; use --terminal to chat here.")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main_async(mode))


if __name__ == "__main__":
    main()
