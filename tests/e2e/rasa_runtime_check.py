"""Run by tests/e2e/test_rasa_runtime.py with .venv-rasa's Python (it imports the pinned Rasa):
prints "ok" when every speedup applies and keeps Rasa's behaviour."""

from types import SimpleNamespace

import jsonschema
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_runtime.speedups import MAX_SESSION_TURNS, apply

original = RemoteAction._validate_action_result
apply()
assert RemoteAction._validate_action_result is not original

# 1. Action-server responses: valid accepted, invalid refused with Rasa's own message.
action = RemoteAction("action_x", None)
valid = {
    "events": [{"event": "slot", "name": "m_name", "value": "张三"}],
    "responses": [{"text": "好的", "buttons": [{"title": "是", "payload": "/affirm"}]}],
}
assert action._validate_action_result(valid) is True
try:
    action._validate_action_result({"events": [{"event": 7}]})
except jsonschema.ValidationError as error:
    assert "Failed to validate Action server response" in error.message, error.message
else:
    raise AssertionError("an invalid response was accepted")

# 2. The SQLite tracker store is pooled; PostgreSQL keeps Rasa's own settings.
kwargs = tracker_store.create_engine_kwargs("sqlite:////tmp/x.db")
assert kwargs["poolclass"].__name__ == "QueuePool", kwargs
assert "pool_size" in tracker_store.create_engine_kwargs("postgresql://u@h/db")

# 4. A session ends after MAX_SESSION_TURNS messages, never inside a form.
sessions = SimpleNamespace(
    session_config=SimpleNamespace(are_sessions_enabled=lambda: True, session_expiration_time=60)
)
processor = SimpleNamespace(domain=sessions)


def tracker(turns: int, *extra: object) -> DialogueStateTracker:
    start = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]
    said = [UserUttered("问") for _ in range(turns)]
    return DialogueStateTracker.from_events("x", [*start, *said, *extra])


expired = MessageProcessor._has_session_expired
assert not expired(processor, tracker(MAX_SESSION_TURNS - 1))
assert expired(processor, tracker(MAX_SESSION_TURNS))
assert not expired(processor, tracker(MAX_SESSION_TURNS, ActiveLoop("membership_form")))
print("ok")
