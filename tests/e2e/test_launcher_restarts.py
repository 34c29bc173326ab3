"""`make serve` with a Telegram token: kill -9 of the gateway in the middle of delivering a
notice; the launcher restarts it, the notice and those written meanwhile arrive once each, and
what the worker wrote to their lawyer while it was down is relayed, once."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from desk.storage.db import session_scope
from desk.storage.models import Notification
from tests.cases import LAWYER, open_case, register, take
from tests.e2e.test_launcher import (
    processes_with,
    start_launcher,
    stop_with_ctrl_c,
    telegram_stub_thread,
    wait_for_line,
    wait_until_answering,
)
from tests.telegram_stub import TelegramStub

__all__ = ["telegram_stub_thread"]  # the fixture, used here

WORKER = 501


def post(url: str, *texts: str) -> None:
    with session_scope(url) as session:
        session.add_all(Notification(chat_id=f"tg:{WORKER}", text=text) for text in texts)


def gateway_pid(data_dir: Path) -> int:
    for pid in processes_with(f"DATA_DIR={data_dir}"):
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if command[1:3] == [b"-m", b"bot"]:
            return pid
    raise AssertionError("no gateway running")


def until(condition: Any, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_killed_gateway_loses_no_notice_and_no_relayed_message(
    tmp_path: Path, telegram_stub_thread: tuple[TelegramStub, asyncio.AbstractEventLoop]
) -> None:
    stub, loop = telegram_stub_thread

    def on_stub(call: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(call, loop).result(90)

    launcher = start_launcher(
        tmp_path, TELEGRAM_BOT_TOKEN="123456:TEST-restarts", TELEGRAM_API_URL=stub.url
    )
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    try:
        wait_until_answering(launcher)
        # Supervision starts once the gateway is up; a death before that is a failed start.
        wait_for_line(launcher, "Ctrl-C")
        register(url)
        take(url, LAWYER, open_case(url, chat=f"tg:{WORKER}"))

        # The gateway dies while Telegram has not yet taken the notice it is sending.
        loop.call_soon_threadsafe(stub.fail_next, "sendMessage", "hold")
        post(url, "通知0")
        until(stub.held.is_set)
        first = gateway_pid(tmp_path)
        os.killpg(first, signal.SIGKILL)
        until(lambda: not Path(f"/proc/{first}").exists() or _zombie(first), 10)
        loop.call_soon_threadsafe(stub.release)

        # While it is down: more notices, and the worker writes to the lawyer.
        post(url, *(f"通知{n}" for n in range(1, 6)))
        on_stub(stub.push(stub.user_message(WORKER, text="老板今天又没来")))

        def relayed() -> list[str]:
            return [m["text"] for m in stub.sent(chat_id=LAWYER) if "老板今天又没来" in m["text"]]

        until(lambda: len(stub.sent(chat_id=WORKER)) >= 7 and relayed())
        time.sleep(3)  # a duplicate would come in the next delivery rounds
        delivered = Counter(m["text"] for m in stub.sent(chat_id=WORKER))
        assert {f"通知{n}" for n in range(6)} < set(delivered)  # and the case's "taken"
        assert set(delivered.values()) == {1}, delivered
        assert len(relayed()) == 1
        assert gateway_pid(tmp_path) != first
    finally:
        output = stop_with_ctrl_c(launcher, tmp_path)
    assert "gateway 意外退出（signal SIGKILL）" in output


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True
