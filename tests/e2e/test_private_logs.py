"""No personal data in any log of any process, at any level: ID numbers, phones, card numbers
and names sent through every channel (Rasa's REST endpoint, the Telegram stand-in through the
gateway process, the terminal chat process), with LOG_LEVEL=DEBUG everywhere; then every log
file and every process's stderr is read."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.settings import PROJECT_ROOT
from launcher.scratch import scratch_stack
from launcher.stack import StackConfig
from tests.e2e.rest import say
from tests.e2e.test_membership import new_id_number
from tests.telegram_stub import TelegramStub

TOKEN = "123456:TEST-token-for-the-stub"
NAME = "欧阳铁柱"
OTHER_NAME = "司马春花"
PHONE = "13987654321"
CARD = "6222021234567890123"


def conversation(id_number: str, button: str) -> list[str]:
    """What a worker might send: the joining form answered, then personal data every way."""
    spaced = f"{id_number[:6]} {id_number[6:14]} {id_number[14:]}"
    full_width = unicodedata.normalize("NFKC", PHONE).translate(
        {ord(d): ord(d) + 0xFEE0 for d in "0123456789"}
    )
    return [
        "我想申请入会",
        button,
        NAME,
        id_number,
        PHONE,
        "取消",
        f"/我叫{NAME}，手机{PHONE}，身份证{id_number}",
        f"/ /{OTHER_NAME} {PHONE}",
        f"  {spaced}  ",
        f"我叫{OTHER_NAME}，电话 {full_width}，银行卡 {CARD}",
        f"\u202e{NAME}\u200b{id_number}",
        " \u3000 ",
        f'/inform{{"m_name": "{NAME}", "m_id_number": "{id_number}", "m_phone": "{PHONE}"}}',
    ]


def secrets(id_number: str) -> list[str]:
    return [NAME, OTHER_NAME, id_number, PHONE, CARD]


@pytest.fixture(scope="module")
def debug_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackConfig]:
    base = tmp_path_factory.mktemp("debug-stack")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LOG_LEVEL", "DEBUG")
        env.setenv("LOG_LEVEL_LIBRARIES", "DEBUG")
        with scratch_stack(base) as (config, _):
            yield config


def gateway_env(stack: StackConfig, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "RASA_URL": stack.rasa_url,
        "DATABASE_URL": stack.database_url,
        "LOG_LEVEL": "DEBUG",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def through_rest(stack: StackConfig, id_number: str) -> None:
    for message in conversation(id_number, "/affirm"):
        assert say(stack.rasa_url, "e2e-logs-rest", message)


def through_terminal(stack: StackConfig, id_number: str, log: Path) -> None:
    import subprocess

    lines = "\n".join(conversation(id_number, "1")) + "\n"
    with log.open("w") as stderr:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "--terminal"],
            input=lines,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=PROJECT_ROOT,
            env=gateway_env(stack),
            timeout=300,
        )
    assert done.returncode == 0
    assert done.stdout.count("服务台：") >= len(lines.splitlines())  # every line was answered


async def through_telegram(stack: StackConfig, id_number: str, log: Path) -> None:
    stub = TelegramStub()
    url = await stub.start()
    chat = 424242
    with log.open("w") as output:
        gateway = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=PROJECT_ROOT,
            env=gateway_env(stack, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=url),
            stdout=output,
            stderr=output,
        )
        try:
            for index, message in enumerate(conversation(id_number, "/affirm")):
                before = len(stub.sent("sendMessage", chat))
                if message == "/affirm":
                    update = stub.button_press(chat, message, query_id=f"q{index}")
                else:
                    update = stub.user_message(chat, text=message)
                await stub.push(update)
                await stub.wait_for("sendMessage", before + 1, chat_id=chat, timeout=60)
            # Forged callback data carrying personal data: refused, and logged by nobody.
            answered = len(stub.sent("answerCallbackQuery"))
            before = len(stub.sent("sendMessage", chat))
            forged = f'/inform{{"m_name": "{NAME}", "m_id_number": "{id_number}"}}'
            await stub.push(stub.button_press(chat, forged, query_id="forged"))
            *_, answer = await stub.wait_for("answerCallbackQuery", answered + 1, timeout=60)
            assert answer == {"callback_query_id": "forged", "text": "这个按钮已过期"}
            # The menu that follows: the whole turn is done, logged, before the gateway stops.
            await stub.wait_for("sendMessage", before + 1, chat_id=chat, timeout=60)
        finally:
            gateway.terminate()
            await asyncio.wait_for(gateway.wait(), 30)
            await stub.stop()


def leaks(path: Path, values: list[str]) -> list[str]:
    """The values found in the file, however spaced or wide; and any traceback."""
    text = path.read_text(errors="replace")
    # Rasa's structured log writes JSON, where 欧阳 is \u6b27\u9633.
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = unicodedata.normalize("NFKC", text)
    compact = re.sub(r"[\s\-]", "", text)
    found = [value for value in values if value in text or value in compact]
    return found + (["Traceback"] if "Traceback" in text else [])


async def test_no_personal_data_in_any_log_at_debug_level(
    debug_stack: StackConfig, tmp_path: Path
) -> None:
    id_number = new_id_number()
    through_rest(debug_stack, id_number)
    through_terminal(debug_stack, id_number, tmp_path / "terminal-stderr.log")
    await through_telegram(debug_stack, id_number, tmp_path / "gateway.log")
    logs = [*sorted(debug_stack.log_dir.glob("*.log")), *sorted(tmp_path.glob("*.log"))]
    assert {log.name for log in logs} >= {"rasa.log", "actions.log", "gateway.log"}
    found = {log.name: leaks(log, secrets(id_number)) for log in logs}
    assert found == {log.name: [] for log in logs}
