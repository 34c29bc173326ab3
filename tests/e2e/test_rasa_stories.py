"""`rasa test core` on the end-to-end test stories (tests/stories/), with the trained model."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from desk.settings import PROJECT_ROOT
from launcher.stack import StackConfig
from launcher.training import RASA_BIN


def test_all_test_stories_pass(stack: StackConfig, tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        ACTION_SERVER_URL=f"http://127.0.0.1:{stack.action_port}/webhook",
        ACTION_SERVER_TOKEN=stack.action_token,
        RASA_TRACKER_DIALECT="sqlite",
        RASA_TRACKER_DB=str(tmp_path / "tracker.db"),
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    result = subprocess.run(
        [
            str(RASA_BIN), "test", "core", "--model", str(stack.model),
            "--stories", "tests/stories", "--endpoints", "endpoints.yml",
            "--out", str(tmp_path), "--fail-on-prediction-errors",
        ],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    failed = tmp_path / "failed_test_stories.yml"
    report = (
        failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    )
    assert result.returncode == 0, report
    assert "None of the test stories failed" in failed.read_text()
