"""`python -m launcher serve` (what `make serve` runs): migrates, starts, answers, stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import inspect

from desk.settings import PROJECT_ROOT
from desk.storage.db import get_engine
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


@dataclass
class Launcher:
    """`python -m launcher serve` in the background, its output collected as it comes."""

    process: subprocess.Popen[str]
    rasa_port: int
    web_port: int
    output: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        assert self.process.stdout is not None
        stdout = self.process.stdout
        self.reader = threading.Thread(target=lambda: self.output.extend(stdout), daemon=True)
        self.reader.start()

    @property
    def printed(self) -> str:
        return "".join(self.output)


def start_launcher(tmp_path: Path, **extra_env: str) -> Launcher:
    rasa_port, web_port = free_port(), free_port()
    env = dict(
        os.environ,
        DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'desk.db'}",
        RASA_PORT=str(rasa_port),
        ACTION_SERVER_PORT=str(free_port()),
        WEB_PORT=str(web_port),
        **extra_env,
    )
    if "TELEGRAM_BOT_TOKEN" not in extra_env:
        env.pop("TELEGRAM_BOT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "launcher", "serve"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return Launcher(process, rasa_port, web_port)


def wait_until_answering(launcher: Launcher) -> list[dict]:
    """Waits for the launcher to say it is ready (as a person at the terminal would), then talks."""
    deadline = time.monotonic() + 180
    while "Rasa 已就绪" not in launcher.printed:
        assert launcher.process.poll() is None, launcher.printed
        assert time.monotonic() < deadline, "the launcher never said it was ready"
        time.sleep(0.5)
    return say(f"http://127.0.0.1:{launcher.rasa_port}", "launcher-check", "你好")


def wait_for_line(launcher: Launcher, line: str) -> None:
    deadline = time.monotonic() + 60
    while line not in launcher.printed:
        assert launcher.process.poll() is None, launcher.printed
        assert time.monotonic() < deadline, launcher.printed
        time.sleep(0.2)


def stop_with_ctrl_c(launcher: Launcher, tmp_path: Path) -> str:
    launcher.process.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends
    launcher.process.wait(timeout=60)
    launcher.reader.join(timeout=10)
    assert launcher.process.returncode == 0, launcher.printed
    # Each child's own process has exited; what it started may take a moment longer.
    deadline = time.monotonic() + 15
    while (left := processes_with(f"DATA_DIR={tmp_path}")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == [], "orphans left behind"
    return launcher.printed


def test_serve_starts_everything_and_ctrl_c_leaves_no_orphan(tmp_path: Path) -> None:
    launcher = start_launcher(tmp_path)
    try:
        assert "申请入会" in button_titles(wait_until_answering(launcher))
        page = f"http://127.0.0.1:{launcher.web_port}/"
        wait_for_line(launcher, f"网页聊天 / web chat: {page}")
        with urllib.request.urlopen(page, timeout=10) as response:  # the gateway serves it
            assert "职工在线服务台" in response.read().decode()
        wait_for_line(launcher, f"律师和工作人员的控制台 / console: {page}console")
        with urllib.request.urlopen(f"{page}console", timeout=10) as response:  # to sign in
            assert "登录控制台" in response.read().decode()
        assert (
            "interactions"
            in inspect(get_engine(f"sqlite:///{tmp_path / 'desk.db'}")).get_table_names()
        )
        assert (tmp_path / "rasa_tracker.db").exists()
        assert len(processes_with(f"DATA_DIR={tmp_path}")) >= 4  # launcher, Rasa, actions, gateway
    finally:
        output = stop_with_ctrl_c(launcher, tmp_path)
    assert "Rasa 已就绪" in output
    assert_only_the_owner_can_read(tmp_path)


def assert_only_the_owner_can_read(data_dir: Path) -> None:
    """Databases, conversations and logs are the workers' data: 0600, folders 0700."""
    created = [data_dir / "desk.db", data_dir / "rasa_tracker.db", data_dir / "log" / "rasa.log"]
    assert all(path.exists() for path in created)
    for path in (data_dir / "log", *data_dir.rglob("*")):
        assert path.stat().st_mode & 0o077 == 0, f"{path} is {oct(path.stat().st_mode)}"


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
    launcher = start_launcher(
        tmp_path, TELEGRAM_BOT_TOKEN="123456:TEST-launcher", TELEGRAM_API_URL=stub.url
    )
    try:
        wait_until_answering(launcher)
        wait_for_line(launcher, "Telegram 网关已启动")  # printed once the gateway's page answers
        asyncio.run_coroutine_threadsafe(
            stub.push(stub.user_message(201, text="/start")), loop
        ).result(10)
        sent = asyncio.run_coroutine_threadsafe(
            stub.wait_for("sendMessage", 2, chat_id=201, timeout=90), loop
        ).result(120)
        assert "您好" in sent[0]["text"] and sent[-1]["reply_markup"]["inline_keyboard"]
        assert len(processes_with(f"DATA_DIR={tmp_path}")) >= 4  # launcher, Rasa, actions, gateway
    finally:
        output = stop_with_ctrl_c(launcher, tmp_path)
    assert "Telegram 网关已启动" in output
