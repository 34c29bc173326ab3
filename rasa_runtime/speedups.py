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
3. Calls to the action server: Rasa opens a new aiohttp session, so a new TCP connection, for
   every call (5 % of the CPU in connection set-up alone). We keep one session per endpoint
   and event loop. aiohttp drops a connection idle for 15 s; the action server keeps one for
   75 s (actions/__main__.py), so a reused connection is never one the server is closing.
4. Long conversations: Rasa reads, replays, featurises and sends to the action server every
   event of the current session on every turn, so a chat that never pauses for an hour (the
   session expiry) gets slower with each message (message 80 took 4× message 20). A session
   also ends after MAX_SESSION_TURNS messages, when no form is active: Rasa's own session
   start runs, slots carry over (domain.yml), and the work per turn stays bounded. What is
   lost is only older history the actions no longer look at (they read the last 10 messages).

Each adjustment checks that the code it replaces is the one it was written for and refuses to
start otherwise (tests/e2e/test_rasa_runtime.py runs the check against the pinned version).
"""

from __future__ import annotations

from typing import Any

PINNED_RASA = "3.6.21"
MAX_SESSION_TURNS = 20


def apply() -> None:
    import rasa

    if rasa.__version__ != PINNED_RASA:
        raise RuntimeError(
            f"rasa_runtime.speedups was written for Rasa {PINNED_RASA}, found {rasa.__version__}"
        )
    _compile_action_response_validator()
    _sqlite_tracker_in_wal_mode()
    _keep_action_server_connections()
    _bounded_sessions()


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


class _KeptSession:
    """Stands in for `async with aiohttp.ClientSession(...)`, without closing the session."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def _keep_action_server_connections() -> None:
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    rasa_session = EndpointConfig.session
    kept: dict[tuple[str, str, int], Any] = {}

    def session(self: EndpointConfig) -> Any:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # outside a loop (never in the server): Rasa's own behaviour
            return rasa_session(self)
        # By what the session carries, not by object: Rasa may build equal configs anew.
        key = (repr(sorted(self.headers.items())), repr(self.basic_auth), id(loop))
        current = kept.get(key)
        if current is None or current.closed:
            current = kept[key] = rasa_session(self)
        return _KeptSession(current)

    EndpointConfig.session = session  # type: ignore[method-assign]


def _bounded_sessions() -> None:
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.events import SessionStarted, UserUttered

    rasa_expired = MessageProcessor._has_session_expired

    def has_session_expired(self: MessageProcessor, tracker: Any) -> bool:
        if rasa_expired(self, tracker):
            return True
        if tracker.active_loop_name:  # never in the middle of a form
            return False
        turns = 0
        for event in reversed(tracker.events):
            if isinstance(event, SessionStarted):
                break
            turns += isinstance(event, UserUttered)
        return turns >= MAX_SESSION_TURNS

    MessageProcessor._has_session_expired = has_session_expired  # type: ignore[method-assign]
