"""`python -m launcher serve` (what `make serve` runs): migrates, starts, answers, stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from desk.db import get_engine
from desk.settings import PROJECT_ROOT
from launcher.scratch import free_port
from tests.e2e.rest import button_titles, say
from tests.telegram_stub import TelegramStub


def processes_with(marker: str) -> list[int]:
    """Processes whose environment holds marker: every process the launcher started."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def start_launcher(tmp_path: Path, **extra_env: str) -> tuple[subprocess.Popen[str], int]:
    rasa_port = free_port()
    env = dict(
        os.environ,
        DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'desk.db'}",
        RASA_PORT=str(rasa_port),
        ACTION_SERVER_PORT=str(free_port()),
        **extra_env,
    )
    if "TELEGRAM_BOT_TOKEN" not in extra_env:
        env.pop("TELEGRAM_BOT_TOKEN", None)
    launcher = subprocess.Popen(
        [sys.executable, "-m", "launcher", "serve"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return launcher, rasa_port


def wait_until_answering(launcher: subprocess.Popen[str], rasa_port: int) -> list[dict]:
    deadline = time.monotonic() + 180
    while True:
        assert launcher.poll() is None, launcher.stdout.read() if launcher.stdout else ""
        try:
            return say(f"http://127.0.0.1:{rasa_port}", "launcher-check", "你好")
        except OSError:
            assert time.monotonic() < deadline, "Rasa never became ready"
            time.sleep(1)


def stop_with_ctrl_c(launcher: subprocess.Popen[str], tmp_path: Path) -> str:
    launcher.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends
    output, _ = launcher.communicate(timeout=60)
    assert launcher.returncode == 0, output
    time.sleep(0.5)
    assert processes_with(f"DATA_DIR={tmp_path}") == [], "orphans left behind"
    return output


def test_serve_starts_everything_and_ctrl_c_leaves_no_orphan(tmp_path: Path) -> None:
    launcher, rasa_port = start_launcher(tmp_path)
    try:
        assert "申请入会" in button_titles(wait_until_answering(launcher, rasa_port))
        assert (
            "interactions"
            in inspect(get_engine(f"sqlite:///{tmp_path / 'desk.db'}")).get_table_names()
        )
        assert (tmp_path / "rasa_tracker.db").exists()
        assert len(processes_with(f"DATA_DIR={tmp_path}")) >= 3  # launcher, Rasa, actions
    finally:
        output = stop_with_ctrl_c(launcher, tmp_path)
    assert "Rasa 已就绪" in output


@pytest.fixture
def telegram_stub_thread() -> Iterator[tuple[TelegramStub, asyncio.AbstractEventLoop]]:
    """The Bot API stand-in on its own event loop, for a gateway in another process."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    stub = asyncio.run_coroutine_threadsafe(_make_stub(), loop).result(10)
    yield stub, loop
    asyncio.run_coroutine_threadsafe(stub.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


async def _make_stub() -> TelegramStub:
    stub = TelegramStub()
    await stub.start()
    return stub


def test_with_a_token_the_gateway_polls_telegram(
    tmp_path: Path, telegram_stub_thread: tuple[TelegramStub, asyncio.AbstractEventLoop]
) -> None:
    stub, loop = telegram_stub_thread
    launcher, rasa_port = start_launcher(
        tmp_path, TELEGRAM_BOT_TOKEN="123456:TEST-launcher", TELEGRAM_API_URL=stub.url
    )
    try:
        wait_until_answering(launcher, rasa_port)
        asyncio.run_coroutine_threadsafe(
            stub.push(stub.user_message(201, text="/start")), loop
        ).result(10)
        sent = asyncio.run_coroutine_threadsafe(
            stub.wait_for("sendMessage", 2, chat_id=201), loop
        ).result(60)
        assert "您好" in sent[0]["text"] and sent[-1]["reply_markup"]["inline_keyboard"]
        assert len(processes_with(f"DATA_DIR={tmp_path}")) >= 4  # launcher, Rasa, actions, gateway
    finally:
        output = stop_with_ctrl_c(launcher, tmp_path)
    assert "Telegram 网关已启动" in output
