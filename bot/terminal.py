"""A chat in the terminal, for trying the desk without Telegram. Same Gateway as Telegram."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.gateway import Gateway
from bot.messages import Button, OutgoingMessage

SENDER_ID = "cli:local"
INTRO = (
    "（终端聊天：直接输入文字；输入按钮前的数字即点击该按钮；"
    "/help 显示菜单；Ctrl-D 或 Ctrl-C 退出）"
)


def render(messages: list[OutgoingMessage], out: TextIO) -> list[Button]:
    """Prints the messages; returns the buttons now on screen, numbered from 1."""
    buttons: list[Button] = []
    for message in messages:
        out.write(f"服务台：{message.text}\n")
        for button in message.buttons:
            buttons.append(button)
            out.write(f"    [{len(buttons)}] {button.title}\n")
    out.flush()
    return buttons


def choose_handler(
    gateway: Gateway, line: str, buttons: list[Button]
) -> Callable[[str], Awaitable[list[OutgoingMessage]]]:
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(buttons):
        payload = buttons[int(stripped) - 1].payload
        return lambda sender: gateway.on_button(sender, payload)
    if stripped == "/start":
        return gateway.on_start
    if stripped == "/help":
        return gateway.on_help
    return lambda sender: gateway.on_text(sender, line)


async def chat(
    gateway: Gateway, read_line: Callable[[], str] = input, out: TextIO = sys.stdout
) -> None:
    out.write(INTRO + "\n")
    buttons = render(await gateway.on_start(SENDER_ID), out)
    while True:
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            out.write("\n再见！\n")
            return
        handler = choose_handler(gateway, line, buttons)
        buttons = render(await handler(SENDER_ID), out) or buttons
