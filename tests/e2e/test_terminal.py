"""The terminal chat: the same Gateway as Telegram, against the real Rasa server."""

from __future__ import annotations

import io
from collections.abc import Callable

from bot.gateway import Gateway
from bot.rasa_client import RasaClient
from bot.terminal import chat
from desk.common import replies
from launcher.stack import StackConfig
from tests.cases import RASA_TIMEOUT


def scripted(lines: list[str]) -> Callable[[], str]:
    pending = iter(lines)

    def read_line() -> str:
        try:
            return next(pending)
        except StopIteration:
            raise EOFError from None

    return read_line


async def test_a_terminal_conversation_with_numbered_buttons(stack: StackConfig) -> None:
    out = io.StringIO()
    rasa = RasaClient(stack.rasa_url, timeout_seconds=RASA_TIMEOUT)
    gateway = Gateway(rasa, max_chars=2000, database_url=stack.database_url)
    try:
        await chat(gateway, scripted(["2", "2", "", "谢谢", "/help"]), out)
    finally:
        await rasa.close()
    screen = out.getvalue()
    # One "服务台：" per message: greeting, menu, then one answer per line typed.
    parts = screen.split("服务台：")
    _, greeting, menu, after_button, after_decline, after_empty, after_thanks, after_help = parts
    assert "[2] 申请入会" in menu
    assert "您好" in greeting
    assert "您同意吗" in after_button  # typing 2 pressed the second menu button: 申请入会
    assert "[2] 不同意" in after_button
    assert "不会保存任何信息" in after_decline  # and 2 again pressed 不同意
    assert replies.EMPTY_MESSAGE in after_empty
    assert "不客气" in after_thanks
    assert "[5] 查询进度" in after_help
    assert screen.rstrip().endswith("再见！")
