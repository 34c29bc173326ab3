"""Adjustments to the pinned Rasa 3.6.21 where a profile under load showed time going to waste.

1. Action-server responses: Rasa validates each one with `jsonschema.validate`, which re-checks
   the whole events schema (and rebuilds its $ref resolver) on every call: about 45 % of the
   Rasa process's CPU at 50 concurrent conversations. We check each event only against the
   branch of the schema's `oneOf` whose `event` constant it names (the constants are unique, so
   that is the same verdict without trying all 23 branches, which was still 10 % of the CPU
   once compiled), each branch compiled to Python code by fastjsonschema (0.09 ms instead of
   9 ms for a response of 9 events). A response that fails goes through Rasa's own
   method, so its error message and exception are unchanged.
2. The SQLite tracker store: Rasa opens a new connection for every read and write (SQLAlchemy
   1.4's default pool for SQLite files) in rollback-journal mode with a full sync on every
   commit (14 % of the CPU). We keep one pooled connection, in WAL mode with
   synchronous=NORMAL: every committed turn survives a crash of Rasa (only a power cut may lose
   the last turns), and readers run beside the writer. PostgreSQL (several instances) gets the
   same bargain, synchronous_commit=off: Rasa's event loop no longer waits for each flush.
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
5. Per-message bookkeeping that gives the same answer every time (together about 8 % of the
   CPU): the event class for a type name (Rasa walks every subclass of Event, for each event
   it reads back), whether the domain is empty (Rasa builds and serialises an empty domain to
   compare with, for every message), and copying a slot (every tracker, and every prior tracker
   a policy replays, copies all 40 slots through copyreg's generic path).
6. The prediction graph runs in a fixed order instead of through dask (graph_runner.py).
7. Two messages of one conversation at once (a worker who sends 你好 and the question right
   after it): the second waits for the first's lock, and Rasa looks again only once a second,
   so its answer came up to a second late. It looks every LOCK_POLL_SECONDS.
8. The intent classifier's input row is built directly from the sentence features
   (intent_features.py), not through three rounds of scipy block stacking.

Each adjustment checks that the code it replaces is the one it was written for and refuses to
start otherwise (tests/e2e/test_rasa_runtime.py runs the check against the pinned version).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

PINNED_RASA = "3.6.21"
MAX_SESSION_TURNS = 20
LOCK_POLL_SECONDS = 0.05


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
    _cached_bookkeeping()
    _ordered_prediction_graph()
    _prompt_lock_polling()
    from rasa_runtime import intent_features  # imports Rasa: only once the version is known

    intent_features.apply()


def _compile_action_response_validator() -> None:
    from rasa.core.actions.action import RemoteAction

    rasa_validate = RemoteAction._validate_action_result
    is_valid = action_response_checker(RemoteAction.action_response_format_spec())

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if is_valid(result):
            return True
        return rasa_validate(self, result)  # raises, with Rasa's own message

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def action_response_checker(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """The same verdict as validating against schema, with each event checked against its own
    branch of the events' oneOf only (every branch fixes `event` to a constant of its own),
    each branch compiled to Python by fastjsonschema."""
    import fastjsonschema

    events = schema["properties"]["events"]["items"]
    common = {key: value for key, value in events.items() if key != "oneOf"}
    by_type = {
        branch["properties"]["event"]["const"]: fastjsonschema.compile({"allOf": [common, branch]})
        for branch in events["oneOf"]
    }
    assert len(by_type) == len(events["oneOf"]), "two branches share an event type"
    outer = copy.deepcopy(schema)
    del outer["properties"]["events"]["items"]
    check_outer = fastjsonschema.compile(outer)

    def is_valid(result: Any) -> bool:
        try:
            check_outer(result)
            for event in result.get("events") or ():
                kind = event.get("event") if isinstance(event, dict) else None
                if not isinstance(kind, str) or kind not in by_type:
                    return False
                by_type[kind](event)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return is_valid


def _sqlite_tracker_in_wal_mode() -> None:
    from rasa.core import tracker_store
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import QueuePool

    rasa_engine_kwargs = tracker_store.create_engine_kwargs

    def engine_kwargs(url: Any) -> dict[str, Any]:
        if tracker_store.is_postgresql_url(url):
            kwargs = rasa_engine_kwargs(url)
            # As synchronous=NORMAL does for SQLite: a commit returns without waiting for the
            # server's disk flush (a crash of Rasa loses nothing; a crash of the database server
            # may lose its last fraction of a second of turns, never corrupts them).
            options = kwargs.setdefault("connect_args", {}).get("options", "")
            kwargs["connect_args"]["options"] = f"{options} -c synchronous_commit=off".strip()
            return kwargs
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


def _cached_bookkeeping() -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.slots import Slot

    rasa_resolve = Event.resolve_by_type
    by_type: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> Any:
        found = by_type.get(type_name)
        if found is None:  # first sight, or a class defined since: Rasa's own search
            found = rasa_resolve(type_name, default)  # raises for an unknown name as before
            if found is not None and found.type_name == type_name:
                by_type[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]

    rasa_is_empty = Domain.is_empty

    def is_empty(self: Domain) -> bool:
        # A served domain does not change; the answer is kept on the object itself.
        known = self.__dict__.get("_desk_is_empty")
        if known is None:
            known = self.__dict__["_desk_is_empty"] = rasa_is_empty(self)
        return known

    Domain.is_empty = is_empty  # type: ignore[method-assign]

    def copy_slot(self: Slot) -> Slot:
        """What copy.copy does for a plain object, without the generic copyreg path."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    Slot.__copy__ = copy_slot  # type: ignore[attr-defined]


def _ordered_prediction_graph() -> None:
    from rasa.core import processor

    from rasa_runtime.graph_runner import OrderedGraphRunner

    processor.DaskGraphRunner = OrderedGraphRunner  # type: ignore[misc]  # serving only


def _prompt_lock_polling() -> None:
    from rasa.core.lock_store import LockStore

    rasa_acquire = LockStore._acquire_lock

    async def acquire_lock(
        self: LockStore, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> Any:
        wait = min(wait_time_in_seconds, LOCK_POLL_SECONDS)
        return await rasa_acquire(self, conversation_id, ticket, wait)

    LockStore._acquire_lock = acquire_lock  # type: ignore[method-assign]
