"""The launcher keeps its processes running: one that dies is restarted after a back-off that
grows while it keeps dying at once and starts over once it ran well; stopping ends restarts."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.processes import MAX_BACKOFF, STABLE_SECONDS, Child, ProcessGroup

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


@pytest.fixture
def group(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path / "log")
    yield group
    group.stop_all(grace_seconds=2)


def kill(child: Child) -> None:
    os.kill(child.process.pid, signal.SIGKILL)
    child.process.wait(5)


def test_a_killed_process_is_restarted_with_a_growing_back_off(
    group: ProcessGroup, capsys: pytest.CaptureFixture[str]
) -> None:
    child = group.start("actions", SLEEPER, dict(os.environ), Path.cwd())
    now = child.started_at
    waits = []
    for _ in range(7):
        first_pid = child.process.pid
        kill(child)
        now += 1  # it dies at once, each time
        assert group.restart_exited(now) == []  # noticed: the back-off starts
        waits.append(child.restart_at - now)  # type: ignore[operator]
        assert group.restart_exited(now + waits[-1] - 0.1) == []
        now += waits[-1]
        assert group.restart_exited(now) == [child]
        assert child.process.poll() is None and child.process.pid != first_pid
    assert waits == pytest.approx([1, 2, 4, 8, 16, 30, 30]) and MAX_BACKOFF == 30
    assert child.restarts == 7
    assert "actions 意外退出（signal SIGKILL），1 秒后重启" in capsys.readouterr().err

    # After a good run the next death is restarted after the shortest wait again.
    kill(child)
    now += STABLE_SECONDS + 1
    group.restart_exited(now)
    assert child.restart_at == now + 1


def test_the_other_processes_keep_running_and_stopping_ends_restarts(group: ProcessGroup) -> None:
    rasa = group.start("rasa", SLEEPER, dict(os.environ), Path.cwd())
    actions = group.start("actions", SLEEPER, dict(os.environ), Path.cwd())
    rasa_pid = rasa.process.pid
    stop = threading.Event()
    supervisor = threading.Thread(target=group.supervise, args=(stop, 0.05), daemon=True)
    supervisor.start()
    try:
        kill(actions)
        deadline = time.monotonic() + 10
        while actions.restarts == 0:
            assert time.monotonic() < deadline, "not restarted"
            time.sleep(0.05)
        assert actions.process.poll() is None
        assert rasa.process.pid == rasa_pid and rasa.process.poll() is None
    finally:
        stop.set()
        supervisor.join(5)
    children = list(group.children)
    group.stop_all(grace_seconds=2)
    assert all(c.process.poll() is not None for c in children)
    assert group.restart_exited() == []  # a stopped group restarts nothing
