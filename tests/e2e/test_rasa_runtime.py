"""The speedups in rasa_runtime/ against the pinned Rasa itself (run in .venv-rasa): what they
replace is still there, and behaves as Rasa's own code did for valid and invalid input; a
session ends after MAX_SESSION_TURNS messages, never inside a form."""

from __future__ import annotations

import os
import subprocess

from desk.settings import PROJECT_ROOT

RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"

CHECK = PROJECT_ROOT / "tests" / "e2e" / "rasa_runtime_check.py"


def test_speedups_apply_to_the_pinned_rasa_and_keep_its_behaviour() -> None:
    result = subprocess.run(
        [str(RASA_PYTHON), str(CHECK)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
