"""Run by tests/e2e/test_rasa_runtime.py with .venv-rasa's Python (it imports the pinned Rasa):
prints "ok" when every speedup applies and keeps Rasa's behaviour."""

import asyncio
import copy
import sqlite3
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import jsonschema
from rasa.core import lock_store, tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.processor import MessageProcessor
from rasa.engine.loader import load_predict_graph_runner
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from rasa_runtime.graph_runner import OrderedGraphRunner
from rasa_runtime.intent_features import rasa_create_x, sentence_row
from rasa_runtime.lean_tracker_store import LeanSQLTrackerStore
from rasa_runtime.speedups import (
    LOCK_POLL_SECONDS,
    MAX_SESSION_TURNS,
    action_response_checker,
    apply,
)

original = RemoteAction._validate_action_result
rasa_resolve = Event.resolve_by_type
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
# The per-event-type check gives the full schema's verdict, valid and invalid alike.
schema = RemoteAction.action_response_format_spec()
full = jsonschema.validators.validator_for(schema)(schema)
checker = action_response_checker(schema)
real_events = [
    event.as_dict()
    for event in (
        SlotSet("m_name", "张三"),
        ActionExecuted("action_listen"),
        ActiveLoop("membership_form"),
        ActiveLoop(None),
        UserUttered("你好", {"name": "greet", "confidence": 0.9}),
        SessionStarted(),
    )
]
responses = [
    valid,
    {"events": real_events, "responses": []},
    {"events": [{"event": "bot", "text": "好", "data": {}}], "responses": [{}]},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "昨天"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": ["slot"]}]},
    {"events": [{"event": "action", "name": 7}]},
    {"events": ["slot"]},
    {"events": {"event": "slot"}},
    {"events": [], "responses": [["好的"]]},
    {"events": [{"event": "user", "parse_data": "greet"}]},
    {"events": [{"event": "followup", "name": "action_x", "metadata": []}]},
    [],
]
for response in responses:
    assert checker(response) == full.is_valid(response), response
assert sum(map(full.is_valid, responses)) == 3, "the corpus holds valid and invalid responses"

# 2. The SQLite tracker store is pooled; PostgreSQL keeps Rasa's own settings.
kwargs = tracker_store.create_engine_kwargs("sqlite:////tmp/x.db")
assert kwargs["poolclass"].__name__ == "QueuePool", kwargs
postgresql = tracker_store.create_engine_kwargs("postgresql://u@h/db")
assert "pool_size" in postgresql
assert postgresql["connect_args"]["options"] == "-c synchronous_commit=off", postgresql

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

# 5. The lean tracker store reads and writes what Rasa's own SQLTrackerStore does.
domain = Domain.load("domain.yml")
with tempfile.TemporaryDirectory() as folder:
    lean = LeanSQLTrackerStore(domain, db=f"{folder}/tracker.db")
    rasa_own = tracker_store.SQLTrackerStore(domain, db=f"{folder}/tracker.db")
    first = [ActionExecuted("action_listen", timestamp=0.5), UserUttered("你好", timestamp=1.0)]
    second = [
        ActionExecuted("action_session_start", timestamp=2.0),
        SessionStarted(timestamp=2.0),
        ActionExecuted("action_listen", timestamp=2.0),
        UserUttered("加班费怎么算", {"name": "ask_law"}, timestamp=3.0),
        SlotSet("m_name", "张三", timestamp=3.0),
    ]
    for store in (lean, rasa_own):  # each appends one turn to what the other stored
        sender = "lean" if store is lean else "rasa"
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, first)))
        grown = asyncio.run(store.retrieve(sender))
        assert grown is not None
        for event in second:
            grown.update(event)
        asyncio.run(store.save(grown))
    for sender in ("lean", "rasa"):
        for reader in (lean, rasa_own):
            latest = asyncio.run(reader.retrieve(sender))
            assert latest is not None and [e.as_dict() for e in latest.events] == [
                e.as_dict() for e in second
            ], (sender, reader)
            everything = asyncio.run(reader.retrieve_full_tracker(sender))
            assert everything is not None and len(everything.events) == len(first + second)
    assert asyncio.run(lean.retrieve("nobody")) is None
    rows = sqlite3.connect(f"{folder}/tracker.db").execute(
        "SELECT sender_id, type_name, intent_name, action_name FROM events ORDER BY id"
    )
    by_sender: dict[str, list[tuple[str, str, str]]] = {"lean": [], "rasa": []}
    for sender, *columns in rows:
        by_sender[sender].append(tuple(columns))
    assert by_sender["lean"] == by_sender["rasa"] and len(by_sender["lean"]) == 7, by_sender

# 6. Bookkeeping: the same event classes, emptiness and slot copies as Rasa's own code.
for event_class in all_subclasses(Event):
    assert Event.resolve_by_type(event_class.type_name) is rasa_resolve(event_class.type_name)
    assert Event.resolve_by_type(event_class.type_name) is rasa_resolve(event_class.type_name)
assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
try:
    Event.resolve_by_type("no_such_event")
except ValueError:
    pass
else:
    raise AssertionError("an unknown event name was accepted")
assert Domain.empty().is_empty() and not domain.is_empty() and not domain.is_empty()
slot = domain.slots[0]
copied = copy.copy(slot)
assert copied is not slot and type(copied) is type(slot) and vars(copied) == vars(slot)
copied.value = "另一个"
assert slot.value != "另一个"

# 7. The prediction graph in a fixed order: the same parses and predictions as through dask.
with tempfile.TemporaryDirectory() as folder:
    model = Path(sys.argv[1])
    runners = []
    for name, runner_class in (("dask", DaskGraphRunner), ("ordered", OrderedGraphRunner)):
        (Path(folder) / name).mkdir()
        runners.append(
            load_predict_graph_runner(Path(folder) / name, model, LocalModelStorage, runner_class)
        )
    (metadata, dask_runner), (_, ordered_runner) = runners
    assert isinstance(ordered_runner, OrderedGraphRunner)
    talk = DialogueStateTracker.from_events("x", [ActionExecuted("action_listen")])
    for text in ("加班费怎么算", "我要入会", "老板跑了工资没发", "你好", "/start"):
        inputs = {"__message__": [UserMessage(text)], "__tracker__": talk}
        parsed = [
            runner.run(dict(inputs), [metadata.nlu_target])[metadata.nlu_target][0].as_dict()
            for runner in (dask_runner, ordered_runner)
        ]
        assert parsed[0] == parsed[1], parsed
        talk.update(UserUttered(text, parsed[0]["intent"], parse_data=parsed[0]))
        predictions = [
            runner.run({"__tracker__": talk}, [metadata.core_target])[metadata.core_target]
            for runner in (dask_runner, ordered_runner)
        ]
        assert predictions[0].probabilities == predictions[1].probabilities, text
        assert predictions[0].policy_name == predictions[1].policy_name, text
        talk.update(
            ActionExecuted(
                domain.action_names_or_texts[
                    predictions[0].probabilities.index(max(predictions[0].probabilities))
                ]
            )
        )

    # 9. The intent classifier's input row: the same matrix, bit-for-bit the same probabilities.
    classifier = next(
        node._component
        for node in ordered_runner._instantiated_nodes.values()
        if isinstance(getattr(node, "_component", None), LogisticRegressionClassifier)
    )
    examples = [
        line.strip()[2:]
        for data in sorted(Path("nlu_data").rglob("*.yml"))
        for line in data.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ") and len(line.strip()) > 3
    ]
    odd = ["1", "ａｂｃ１２３", "工资" * 300, "OK 👍", "劳动合同法第四十七条", "?"]
    assert len(examples) > 500, len(examples)
    for text in examples[::3] + odd:
        inputs = {"__message__": [UserMessage(text)], "__tracker__": talk}
        message = ordered_runner.run(inputs, [metadata.nlu_target])[metadata.nlu_target][0]
        ours, rasas = classifier._create_X([message]), rasa_create_x(classifier, [message])
        assert sentence_row(message) is not None, text  # the fast path was taken
        assert ours.dtype == rasas.dtype and (ours != rasas).nnz == 0, text
        assert (classifier.clf.predict_proba(ours) == classifier.clf.predict_proba(rasas)).all(), (
            text
        )


# 8. A conversation's second message looks for the lock every LOCK_POLL_SECONDS, not every second.
async def second_message_waits() -> list[float]:
    store = InMemoryLockStore()
    waits: list[float] = []
    rasa_sleep = lock_store.asyncio.sleep

    async def first() -> None:
        async with store.lock("x"):
            await rasa_sleep(0.2)

    async def recorded_sleep(seconds: float) -> None:
        waits.append(seconds)
        await rasa_sleep(seconds)

    lock_store.asyncio.sleep = recorded_sleep  # type: ignore[assignment]
    try:
        holder = asyncio.create_task(first())
        await rasa_sleep(0.01)
        async with store.lock("x"):
            pass
        await holder
    finally:
        lock_store.asyncio.sleep = rasa_sleep  # type: ignore[assignment]
    return waits


polls = asyncio.run(second_message_waits())
assert polls and set(polls) == {LOCK_POLL_SECONDS}, polls
print("ok")
