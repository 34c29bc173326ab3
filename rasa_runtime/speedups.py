"""Adjustments to the pinned Rasa 3.6.21 where a profile under load showed time going to waste.

1. Action-server responses: Rasa validates each one with `jsonschema.validate`, which re-checks
   the whole events schema (and rebuilds its $ref resolver) on every call: about 45 % of the
   Rasa process's CPU at 50 concurrent conversations. We compile the validator once; a response
   that fails goes through Rasa's own method, so its error message and exception are unchanged.
2. The SQLite tracker store: Rasa opens a new connection for every read and write (SQLAlchemy
   1.4's default pool for SQLite files) in rollback-journal mode with a full sync on every
   commit (14 % of the CPU). We keep one pooled connection, in WAL mode with
   synchronous=NORMAL: every committed turn survives a crash of Rasa (only a power cut may lose
   the last turns), and readers run beside the writer.

Each adjustment checks that the code it replaces is the one it was written for and refuses to
start otherwise (tests/e2e/test_rasa_runtime.py runs the check against the pinned version).
"""

from __future__ import annotations

from typing import Any

PINNED_RASA = "3.6.21"


def apply() -> None:
    import rasa

    if rasa.__version__ != PINNED_RASA:
        raise RuntimeError(
            f"rasa_runtime.speedups was written for Rasa {PINNED_RASA}, found {rasa.__version__}"
        )
    _compile_action_response_validator()
    _sqlite_tracker_in_wal_mode()


def _compile_action_response_validator() -> None:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    rasa_validate = RemoteAction._validate_action_result
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if validator.is_valid(result):
            return True
        return rasa_validate(self, result)  # raises, with Rasa's own message

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def _sqlite_tracker_in_wal_mode() -> None:
    from rasa.core import tracker_store
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import QueuePool

    rasa_engine_kwargs = tracker_store.create_engine_kwargs

    def engine_kwargs(url: Any) -> dict[str, Any]:
        if tracker_store.is_postgresql_url(url):
            return rasa_engine_kwargs(url)
        # Rasa's event loop is one thread, so one connection serves it; the lock store keeps
        # each conversation's turns in order.
        return {"poolclass": QueuePool, "pool_size": 1, "max_overflow": 4}

    tracker_store.create_engine_kwargs = engine_kwargs

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
