"""Rasa's SQL tracker store with each turn's three statements written out once.

Every message costs Rasa one read of the conversation and one write (a count of what is stored,
then the new events). The pinned SQLTrackerStore builds each as an ORM query anew, and
SQLAlchemy 1.4 walks the whole query to make its cache key before it may reuse the compiled
SQL; with the ORM unit of work for the inserts, that was about a third of the Rasa process's CPU
at 50 concurrent conversations (benchmarks/bench_load.py --profile). Here the reads are fixed
SQL texts (a cheap cache key), the inserts one executemany, on a plain connection.

Same tables, same rows, same answers as Rasa's own methods: which events belong to the latest
session (those from its last `session_started` on, or all when there is none), ordered by id;
the same columns filled on insert (the id from the table's own autoincrement or sequence).
tests/e2e/test_rasa_runtime.py compares both on the same conversation. Runs in .venv-rasa.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# Rasa's _event_query, as SQL: the latest session's events, or all of them when none started.
LATEST_SESSION = """
    sender_id = :sender_id
    AND (
        (SELECT max(timestamp) FROM {table}
         WHERE sender_id = :sender_id AND type_name = :session_started) IS NULL
        OR timestamp >= (SELECT max(timestamp) FROM {table}
         WHERE sender_id = :sender_id AND type_name = :session_started)
    )
"""


class LeanSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose per-turn reads and writes skip the ORM."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        table = self.SQLEvent.__table__
        latest = LATEST_SESSION.format(table=table.name)
        self._read_latest = sa.text(f"SELECT data FROM {table.name} WHERE {latest} ORDER BY id")
        self._read_all = sa.text(
            f"SELECT data FROM {table.name} WHERE sender_id = :sender_id ORDER BY id"
        )
        self._count_latest = sa.text(f"SELECT count(*) FROM {table.name} WHERE {latest}")
        self._insert = table.insert()

    def _parameters(self, sender_id: str) -> dict[str, str]:
        return {"sender_id": sender_id, "session_started": SessionStarted.type_name}

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        query = self._read_all if fetch_events_from_all_sessions else self._read_latest
        with self.engine.connect() as connection:
            rows = connection.execute(query, self._parameters(sender_id)).scalars().all()
        if not (self.domain and rows):
            return None
        events = [json.loads(data) for data in rows]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            stored = connection.execute(
                self._count_latest, self._parameters(tracker.sender_id)
            ).scalar_one()
            rows = [
                self._row(tracker.sender_id, event)
                for event in itertools.islice(tracker.events, stored, None)
            ]
            if rows:
                connection.execute(self._insert, rows)

    @staticmethod
    def _row(sender_id: str, event: Any) -> dict[str, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
