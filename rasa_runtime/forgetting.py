"""Rasa's SQL tracker store, forgetting what a worker withdrew.

Rasa keeps every event of a conversation: the typed ID number and phone, the slot values of a
form. The consent texts promise that nothing of a cancelled or declined application is kept,
and a submitted one lives on in the desk's own database (where staff see it masked), so the
conversation need not hold it twice.

The actions say when: every path that drops a form's answers (取消, 不同意, giving up, a
submission) also sets the slot FORGET_SLOT. When a save brings that event, this store rewrites
the conversation's stored events from the message that started the form up to that event:
what the worker and the bot wrote is emptied, and the answer slots (FORGOTTEN_SLOT_PREFIXES)
are set to nothing. Rows are rewritten, not deleted, so Rasa's count of stored events (which
tells it what to append next) stays right, and the conversation replays to the same state:
the actions emptied those slots anyway.

Runs in .venv-rasa (Python 3.10), as `type:` of the tracker store in endpoints.yml.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.shared.core.trackers import DialogueStateTracker

from rasa_runtime.lean_tracker_store import LeanSQLTrackerStore

FORGET_SLOT = "forget_answers"
# The slots that hold a form's answers: 入会 m_*, 救助 a_*, 转律师登记 h_*.
FORGOTTEN_SLOT_PREFIXES = ("m_", "a_", "h_")
FORGOTTEN_TEXT = ""


def _is_marker(event: dict[str, Any]) -> bool:
    return event.get("event") == "slot" and event.get("name") == FORGET_SLOT


def _markers(events: list[dict[str, Any]]) -> list[int]:
    """Where an action set the marker. Not the copies a new session carries over (the slot
    events between `session_started` and the next message): a session may roll over between a
    form's summary and the worker's 好的 or 取消 (rasa_runtime/speedups.py bounds sessions), and
    a carried-over marker there would hide the form from span_to_forget."""
    found, carrying = [], False
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "session_started":
            carrying = True
        elif kind == "user":
            carrying = False
        elif not carrying and _is_marker(event):
            found.append(index)
    return found


def span_to_forget(events: list[dict[str, Any]]) -> range:
    """Which of a conversation's events (all sessions, in order) the latest marker withdraws:
    from the worker's message that started the first form since the last turn that forgot, up
    to the latest marker itself (a form started right after it, as the lawyer intake after a
    joining given up, keeps its answers). Empty when no form ran in between (取消 with nothing
    to cancel)."""
    markers = _markers(events)
    if not markers:
        return range(0)
    end = markers[-1]
    # The previous turn that forgot: one turn may set the marker more than once.
    said = next((i for i in range(end, -1, -1) if events[i].get("event") == "user"), -1)
    previous = max((i for i in markers if i < said), default=-1)
    started = next(
        (
            i
            for i in range(previous + 1, end)
            if events[i].get("event") == "active_loop" and events[i].get("name")
        ),
        None,
    )
    if started is None:
        return range(0)
    # The message that started the form may already hold answers (我叫王强，要入会). A form
    # started in the turn that forgot the previous one (the lawyer intake after a joining
    # given up) has its answers filled in from right after that marker (h_story, h_phone).
    trigger = next(
        (i for i in range(started, previous, -1) if events[i].get("event") == "user"),
        previous + 1,
    )
    return range(trigger, end + 1)


def forgotten(event: dict[str, Any]) -> dict[str, Any]:
    """The event with what a person wrote or was told emptied, the rest as it was."""
    kind = event.get("event")
    if kind == "user":
        parse_data = dict(event.get("parse_data") or {})
        parse_data.update(text=FORGOTTEN_TEXT, entities=[])
        return {**event, "text": FORGOTTEN_TEXT, "parse_data": parse_data}
    if kind == "bot":
        return {**event, "text": FORGOTTEN_TEXT}
    if kind == "slot" and str(event.get("name", "")).startswith(FORGOTTEN_SLOT_PREFIXES):
        return {**event, "value": None}
    return event


class ForgettingTrackerStore(LeanSQLTrackerStore):
    """The SQL tracker store (same tables, same settings) that forgets withdrawn answers."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if self._marked_this_turn(tracker):
            self.forget(tracker.sender_id)

    @staticmethod
    def _marked_this_turn(tracker: DialogueStateTracker) -> bool:
        for event in reversed(tracker.events):
            if event.type_name == "user":
                return False
            if event.type_name == "slot" and getattr(event, "key", None) == FORGET_SLOT:
                return True
        return False

    def forget(self, sender_id: str) -> int:
        """Rewrites the withdrawn span of the conversation; returns how many rows changed."""
        changed = 0
        with self.session_scope() as session:
            rows = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .order_by(self.SQLEvent.id)
                .all()
            )
            events = [json.loads(row.data) for row in rows]
            for index in span_to_forget(events):
                kept = forgotten(events[index])
                if kept != events[index]:
                    rows[index].data = json.dumps(kept)
                    changed += 1
            session.commit()
        return changed
