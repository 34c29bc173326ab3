"""Rasa's Redis lock store, with each change to a conversation's lock made atomically.

Several Rasa instances keep one conversation's messages in order through a ticket lock in
Redis. The pinned RedisLockStore changes it by reading the lock, changing it in Python and
writing it back: two instances that do so at once lose one change. A ticket issued on one
instance while another removes the finished one (or deletes the lock, seeing nobody waiting)
vanishes; its message then finds no lock and is dropped with a LockError, and a waiting
instance's periodic clean-up can write back a ticket already served. Under load (13 messages
of one chat at once over two instances) turns were lost.

Here every change is one Redis transaction (WATCH the key, read, MULTI, write; redis-py's
`transaction` retries when another instance wrote in between), so no change is lost. The
ticket rules themselves are Rasa's own (TicketLock). Runs in .venv-rasa.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

T = TypeVar("T")
# What a change returns: the lock to store (None: delete it) and the value for the caller.
Change = Callable[[TicketLock | None], tuple[TicketLock | None, T]]
_UNCHANGED = object()


def _atomically(store: RedisLockStore, conversation_id: str, change: Change[T]) -> T:
    key = store.key_prefix + conversation_id
    outcome: list[T] = []

    def transaction(pipe: Any) -> None:
        outcome.clear()
        raw = pipe.get(key)  # watched: a write by anyone else before EXEC makes it retry
        lock = TicketLock.from_dict(json.loads(raw)) if raw else None
        new_lock, value = change(lock)
        pipe.multi()
        if new_lock is not _UNCHANGED:
            if new_lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, new_lock.dumps())
        outcome.append(value)

    store.red.transaction(transaction, key)
    return outcome[0]


def issue_ticket(
    self: RedisLockStore, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
) -> int:
    def change(lock: TicketLock | None) -> tuple[TicketLock, int]:
        lock = lock or TicketLock(conversation_id)
        return lock, lock.issue_ticket(lock_lifetime)

    try:
        return _atomically(self, conversation_id, change)
    except Exception as error:  # as Rasa's own method reports it
        raise LockError(f"Error while acquiring lock. Error:\n{error}") from error


def update_lock(self: RedisLockStore, conversation_id: str) -> None:
    _edit(self, conversation_id, TicketLock.remove_expired_tickets)


def finish_serving(self: RedisLockStore, conversation_id: str, ticket_number: int) -> None:
    _edit(self, conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))


def _edit(store: RedisLockStore, conversation_id: str, edit: Callable[[TicketLock], Any]) -> None:
    """Changes an existing lock in one step; a lock that is gone stays gone."""

    def change(lock: TicketLock | None) -> tuple[Any, None]:
        if lock is None:
            return _UNCHANGED, None
        edit(lock)
        return lock, None

    _atomically(store, conversation_id, change)


def cleanup(self: RedisLockStore, conversation_id: str, ticket_number: int) -> None:
    """Removes the served ticket, and the lock when nobody waits: in one step, so a ticket
    issued meanwhile is never deleted with it."""

    def change(lock: TicketLock | None) -> tuple[Any, None]:
        if lock is None:
            return _UNCHANGED, None
        lock.remove_ticket_for(ticket_number)
        return (lock if lock.is_someone_waiting() else None), None

    _atomically(self, conversation_id, change)


def apply() -> None:
    RedisLockStore.issue_ticket = issue_ticket  # type: ignore[method-assign]
    RedisLockStore.update_lock = update_lock  # type: ignore[method-assign]
    RedisLockStore.finish_serving = finish_serving  # type: ignore[method-assign]
    RedisLockStore.cleanup = cleanup  # type: ignore[method-assign]
