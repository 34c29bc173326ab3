"""`python -m launcher serve` (what `make serve` runs): migrates, starts, answers, stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import inspect

from desk.db import get_engine
from desk.settings import PROJECT_ROOT
from tests.e2e.conftest import free_port
from tests.e2e.rest import button_titles, say


def processes_mentioning(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                if marker in cmdline.decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_serve_starts_everything_and_ctrl_c_leaves_no_orphan(tmp_path: Path) -> None:
    rasa_port, action_port = free_port(), free_port()
    database_url = f"sqlite:///{tmp_path / 'desk.db'}"
    env = dict(os.environ, DATA_DIR=str(tmp_path), DATABASE_URL=database_url,
               RASA_PORT=str(rasa_port), ACTION_SERVER_PORT=str(action_port))  # fmt: skip
    env.pop("TELEGRAM_BOT_TOKEN", None)
    launcher = subprocess.Popen(
        [sys.executable, "-m", "launcher", "serve"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            assert launcher.poll() is None, launcher.stdout.read() if launcher.stdout else ""
            try:
                answer = say(f"http://127.0.0.1:{rasa_port}", "launcher-check", "你好")
                break
            except OSError:
                assert time.monotonic() < deadline, "Rasa never became ready"
                time.sleep(1)
        assert "申请入会" in button_titles(answer)
        assert "interactions" in inspect(get_engine(database_url)).get_table_names()
        assert (tmp_path / "rasa_tracker.db").exists()
        children = processes_mentioning(f"--port {rasa_port}") + processes_mentioning(
            f"--port {action_port}"
        )
        assert len(children) >= 2
    finally:
        launcher.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends
        output, _ = launcher.communicate(timeout=60)
    assert launcher.returncode == 0, output
    assert "Rasa 已就绪" in output
    time.sleep(0.5)
    assert processes_mentioning(f"--port {rasa_port}") == []
    assert processes_mentioning(f"--port {action_port}") == []
