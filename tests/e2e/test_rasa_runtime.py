"""The speedups in rasa_runtime/ against the pinned Rasa itself (run in .venv-rasa): what they
replace is still there, and behaves as Rasa's own code did for valid and invalid input; a
session ends after MAX_SESSION_TURNS messages, never inside a form."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from desk.settings import PROJECT_ROOT
from launcher.stack import StackConfig

RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"

CHECK = PROJECT_ROOT / "tests" / "e2e" / "rasa_runtime_check.py"


def _run_with_rasa(script: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """A check script run by .venv-rasa's Python, which imports the pinned Rasa."""
    return subprocess.run(
        [str(RASA_PYTHON), str(script), *arguments],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_speedups_apply_to_the_pinned_rasa_and_keep_its_behaviour(stack: StackConfig) -> None:
    result = _run_with_rasa(CHECK, str(stack.model))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def _process_serving(port: int) -> int:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if (
            b"rasa_runtime" in argv
            and b"--port" in argv
            and argv[argv.index(b"--port") + 1] == (str(port).encode())
        ):
            return int(entry.name)
    raise AssertionError(f"no rasa_runtime process serves port {port}")


def test_the_served_model_runs_without_tensorflow_in_memory(stack: StackConfig) -> None:
    """Our pipeline has no TensorFlow component: the Rasa process must not load the library
    (560 MB and 2.5 s of start-up), yet it answers (the other e2e tests talk to this server)."""
    maps = Path(f"/proc/{_process_serving(stack.rasa_port)}/maps").read_text()
    assert "tensorflow" not in maps
    assert "libpython3.10" in maps or "python3.10" in maps


LOCKS_CHECK = PROJECT_ROOT / "tests" / "e2e" / "atomic_locks_check.py"


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_two_instances_lose_no_ticket_of_a_conversation_s_lock() -> None:
    """Rasa's own Redis lock store loses tickets when two instances change one lock at once
    (about 20 in 800 here), and with them messages; with rasa_runtime.atomic_locks none."""
    result = _run_with_rasa(LOCKS_CHECK, "atomic")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("lost 0"), result.stdout
