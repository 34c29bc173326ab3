"""A chat in the terminal, for trying the desk without Telegram. Same Gateway as Telegram."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.gateway import Gateway
from bot.messages import Button, OutgoingMessage
from bot.options import ChatOptions, numbered

SENDER_ID = "cli:local"
INTRO = (
    "（终端聊天：直接输入文字；输入按钮前的数字即点击该按钮；"
    "/help 显示菜单；Ctrl-D 或 Ctrl-C 退出）"
)


def render(messages: list[OutgoingMessage], out: TextIO) -> list[OutgoingMessage]:
    """Prints the messages with their buttons as numbered options (bot/options.py)."""
    for message, options in numbered(messages):
        out.write(f"服务台：{message.text}\n")
        for line in options:
            out.write(f"    {line}\n")
    out.flush()
    return messages


def choose_handler(
    gateway: Gateway, line: str, options: ChatOptions
) -> Callable[[str], Awaitable[list[OutgoingMessage]]]:
    stripped = line.strip()
    button = options.chosen(SENDER_ID, line)
    if button is not None:
        return lambda sender: gateway.on_button(sender, button.payload)
    if stripped == "/start":
        return gateway.on_start
    if stripped == "/help":
        return gateway.on_help
    return lambda sender: gateway.on_text(sender, line)


async def print_notice(chat_id: str, text: str, buttons: tuple[Button, ...] = ()) -> None:
    """A notification from the core (an application approved, …) for the terminal's user.
    Its buttons are shown by title; what they do can be typed (a rating: 1 to 5)."""
    titles = "  ".join(f"[{button.title}]" for button in buttons)
    sys.stdout.write(f"\n【通知】{text}\n" + (f"    {titles}\n" if titles else ""))
    sys.stdout.flush()


def prompt() -> str:
    return input("您：")


async def next_line(read_line: Callable[[], str]) -> str | None:
    """Reads in a daemon thread: Ctrl-C must not wait for a blocked input() to return."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def read() -> None:
        try:
            line: str | None = read_line()
        except EOFError:
            line = None
        with contextlib.suppress(RuntimeError):  # the loop is gone: we are shutting down
            loop.call_soon_threadsafe(lambda: future.done() or future.set_result(line))

    threading.Thread(target=read, daemon=True).start()
    return await future


async def chat(
    gateway: Gateway, read_line: Callable[[], str] = prompt, out: TextIO = sys.stdout
) -> None:
    out.write(INTRO + "\n")
    options = ChatOptions()
    options.show(SENDER_ID, render(await gateway.on_start(SENDER_ID), out))
    while True:
        line = await next_line(read_line)
        if line is None:
            out.write("\n再见！\n")
            return
        handler = choose_handler(gateway, line, options)
        options.show(SENDER_ID, render(await handler(SENDER_ID), out))
