"""Fault injection for end-to-end tests: a stack of one's own whose processes are restarted as
the launcher restarts them, kill -9 of one of them, and talking to it through the gateway."""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.gateway import Gateway
from launcher.processes import Child, ProcessGroup
from launcher.scratch import scratch_stack
from launcher.stack import StackConfig


@contextmanager
def supervised_stack(
    base: Path, database_url: str | None = None
) -> Iterator[tuple[StackConfig, ProcessGroup]]:
    """Rasa and the action server of their own (fault tests break them), kept running."""
    with scratch_stack(base, database_url=database_url) as (config, group):
        stop = threading.Event()
        supervisor = threading.Thread(target=group.supervise, args=(stop, 0.2), daemon=True)
        supervisor.start()
        try:
            yield config, group
        finally:
            stop.set()
            supervisor.join(5)


def child(group: ProcessGroup, name: str) -> Child:
    return next(c for c in group.children if c.name == name)


def kill(group: ProcessGroup, name: str) -> int:
    """kill -9 of the process (and its own children); returns how often it was restarted."""
    target = child(group, name)
    restarts = target.restarts
    os.killpg(target.process.pid, signal.SIGKILL)
    target.process.wait(10)
    return restarts


def ready_url(config: StackConfig, name: str) -> str:
    if name == "actions":
        return f"http://127.0.0.1:{config.action_port}/health"
    return f"{config.rasa_url}/webhooks/rest/"


def wait_restarted(group: ProcessGroup, config: StackConfig, name: str, restarts: int) -> None:
    target, url = child(group, name), ready_url(config, name)
    deadline = time.monotonic() + 120
    while target.restarts == restarts or not answers(url):
        assert time.monotonic() < deadline, f"{name} was not restarted"
        time.sleep(0.2)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


async def say(gateway: Gateway, sender: str, message: str) -> str:
    """What the worker reads back: a text, or a button's payload if it starts with "/"."""
    if message.startswith("/"):
        answer = await gateway.on_button(sender, message)
    else:
        answer = await gateway.on_text(sender, message)
    return "\n".join(m.text for m in answer)
