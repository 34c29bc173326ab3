"""python -m bot: the gateway. Always the web chat page; Telegram polling with a token; the
terminal chat with --terminal. Every channel goes through the same Gateway."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from datetime import timedelta

from bot.flood import FloodLimit
from bot.gateway import Gateway
from bot.notifier import deliver_forever, remind_forever
from bot.rasa_client import RasaClient
from bot.wakeups import fan_out
from bot.web.app import page_url, serving
from desk.common.chats import TELEGRAM_PREFIX, WECHAT_PREFIX
from desk.common.logging_setup import configure_logging
from desk.common.private_files import keep_new_files_private
from desk.settings import Settings, get_settings

logger = logging.getLogger("bot")


async def run_telegram(settings: Settings, gateway: Gateway, wake: asyncio.Event) -> None:
    from bot.keyboards import PayloadStore
    from bot.telegram import (
        build_bot,
        build_dispatcher,
        telegram_document_sender,
        telegram_sender,
    )

    assert settings.telegram_bot_token
    bot = build_bot(settings.telegram_bot_token, settings.telegram_api_url)
    store = PayloadStore()
    dispatcher = build_dispatcher(gateway, store)
    delivery = asyncio.create_task(
        deliver_forever(
            telegram_sender(bot, store),
            TELEGRAM_PREFIX,
            wake=wake,
            send_document=telegram_document_sender(bot, store),
        )
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


async def run_terminal(gateway: Gateway, wake: asyncio.Event) -> None:
    from bot.terminal import SENDER_ID, chat, print_notice

    delivery = asyncio.create_task(deliver_forever(print_notice, SENDER_ID[:4], wake=wake))
    try:
        await chat(gateway)
    finally:
        delivery.cancel()


async def main_async(mode: str, rasa_url: str | None = None) -> None:
    """mode: "terminal", "telegram" or "web" (the web page alone); the page is served in all."""
    settings = get_settings()
    rasa = RasaClient(rasa_url or settings.rasa_url, settings.rasa_timeout_seconds)
    flood = FloodLimit(settings.chat_burst, settings.chat_messages_per_second)
    gateway = Gateway(rasa, settings.max_message_chars, flood=flood)
    channel_wake, wechat_wake = asyncio.Event(), asyncio.Event()
    wechat = None
    if settings.wechat_app_id or settings.wechat_token:  # wechatpy (~12 MB) only when configured
        from bot.wechat.endpoint import wechat_endpoint

        wechat = wechat_endpoint(settings, gateway)  # None, with a warning, when incomplete
    routes = wechat.routes() if wechat else ()
    try:
        async with serving(gateway, settings.web_host, settings.web_port, routes=routes) as pages:
            logger.info("web chat listening on port %d", settings.web_port)
            wakes = asyncio.create_task(
                fan_out(gateway.outbox_written, channel_wake, pages.wake, wechat_wake)
            )
            wechat_delivery = None
            if wechat:
                logger.info("WeChat 公众号 channel on /wechat")
                wechat_delivery = asyncio.create_task(
                    deliver_forever(wechat.channel.notice, WECHAT_PREFIX, wake=wechat_wake)
                )
            try:
                if mode == "telegram":
                    await run_telegram(settings, gateway, channel_wake)
                elif mode == "terminal":
                    web = page_url(settings.web_host, settings.web_port)
                    print(f"网页聊天 / web chat: {web}")
                    print(f"律师和工作人员的控制台 / console: {web}console")
                    await run_terminal(gateway, channel_wake)
                else:
                    await asyncio.Event().wait()  # until the process is stopped
            finally:
                wakes.cancel()
                if wechat and wechat_delivery:
                    wechat_delivery.cancel()
                    await wechat.channel.close()
    finally:
        await rasa.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="职工在线服务台 gateway")
    parser.add_argument("--terminal", action="store_true", help="chat in this terminal")
    parser.add_argument(
        "command",
        nargs="?",
        choices=["wechat-menu"],
        help="wechat-menu: install the 公众号's 自定义菜单 (the five services) and exit",
    )
    args = parser.parse_args()
    if args.command == "wechat-menu":
        from bot.wechat.menu import install_menu

        install_menu()
        print("已设置公众号菜单 / WeChat menu installed")
        return
    keep_new_files_private()
    settings = get_settings()
    configure_logging(settings.log_level)
    if args.terminal:
        mode = "terminal"
    elif settings.telegram_bot_token:
        mode = "telegram"
    else:
        mode = "web"
    # A gateway started from a background job inherits SIGINT ignored, and asyncio.run then
    # leaves it ignored: Ctrl-C or `kill -INT` would never stop it (the launcher does the same).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main_async(mode))


if __name__ == "__main__":
    main()
