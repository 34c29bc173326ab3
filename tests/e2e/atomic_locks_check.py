"""Run by tests/e2e/test_rasa_runtime.py with .venv-rasa's Python against the Redis at
127.0.0.1:6379: two lock stores (two Rasa instances) issue and clean up tickets of one
conversation at once; prints "lost N" — how many just-issued tickets had vanished."""

import sys
import threading
import uuid

from rasa.core.lock_store import RedisLockStore

if sys.argv[1:] == ["atomic"]:
    from rasa_runtime import atomic_locks

    atomic_locks.apply()

ROUNDS = 400
conversation = f"race-{uuid.uuid4().hex}"
lost = [0]


def instance() -> None:
    store = RedisLockStore(host="127.0.0.1", port=6379, db=15, key_prefix="deskcheck")
    for _ in range(ROUNDS):
        ticket = store.issue_ticket(conversation)
        lock = store.get_lock(conversation)
        if lock is None or all(t.number != ticket for t in lock.tickets):
            lost[0] += 1
        store.cleanup(conversation, ticket)


threads = [threading.Thread(target=instance) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"lost {lost[0]}")
