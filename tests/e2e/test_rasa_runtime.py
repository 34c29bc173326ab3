"""The speedups in rasa_runtime/ against the pinned Rasa itself (run in .venv-rasa): what they
replace is still there, and behaves as Rasa's own code did for valid and invalid input."""

from __future__ import annotations

import subprocess

from desk.settings import PROJECT_ROOT

RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"

SCRIPT = r"""
from rasa_runtime.speedups import apply
from rasa.core.actions.action import RemoteAction
from rasa.core import tracker_store

original = RemoteAction._validate_action_result
apply()
assert RemoteAction._validate_action_result is not original
action = RemoteAction("action_x", None)
valid = {"events": [{"event": "slot", "name": "m_name", "value": "张三"}],
         "responses": [{"text": "好的", "buttons": [{"title": "是", "payload": "/affirm"}]}]}
assert action._validate_action_result(valid) is True
import jsonschema
try:
    action._validate_action_result({"events": [{"event": 7}]})
except jsonschema.ValidationError as error:
    assert "Failed to validate Action server response" in error.message, error.message
else:
    raise AssertionError("an invalid response was accepted")
kwargs = tracker_store.create_engine_kwargs("sqlite:////tmp/x.db")
assert kwargs["poolclass"].__name__ == "QueuePool", kwargs
assert "pool_size" in tracker_store.create_engine_kwargs("postgresql://u@h/db")
print("ok")
"""


def test_speedups_apply_to_the_pinned_rasa_and_keep_its_behaviour() -> None:
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", SCRIPT],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
