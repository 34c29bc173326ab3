"""Per-chat flood limit in the gateway, for every channel: one chat sending hundreds of messages
must not slow the others.

A token bucket per chat (or per address, for the web page's second limit): a burst of messages
goes through (a forwarded album, a few lines typed fast), then about one a second. What goes
over is not read; the first message over gets a polite notice, then nothing for NOTICE_EVERY
seconds (a notice for each would be one more message to the flooder, and a token a second would
otherwise start a new notice every second).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Up to `burst` requests at once, then one per `seconds_per_request`, per key, in a bounded
    table (a flood of new clients cannot grow it without end)."""

    def __init__(self, burst: int, seconds_per_request: float, capacity: int = 100_000) -> None:
        self._burst = burst
        self._rate = 1.0 / seconds_per_request
        self._capacity = capacity
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(key, None) or _Bucket(float(self._burst), now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        allowed = bucket.tokens >= 1
        if allowed:
            bucket.tokens -= 1
        self._buckets[key] = bucket  # most recent last; the least recently seen go first
        while len(self._buckets) > self._capacity:
            self._buckets.popitem(last=False)
        return allowed


class Verdict(Enum):
    READ = "read"
    NOTICE = "notice"  # the first message over the limit: tell the sender
    DROP = "drop"  # later ones, until NOTICE_EVERY has passed


NOTICE_EVERY = 30.0


class FloodLimit:
    def __init__(
        self,
        burst: int = 20,  # as the web page allows (bot/web/app.py), so it never cuts earlier
        per_second: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        capacity: int = 100_000,
    ) -> None:
        self._buckets = RateLimiter(burst, 1.0 / per_second, capacity)
        self._clock = clock
        self._capacity = capacity
        # When each chat was last told; bounded like the buckets.
        self._noticed: OrderedDict[str, float] = OrderedDict()

    def check(self, chat: str) -> Verdict:
        now = self._clock()
        if self._buckets.allow(chat, now):
            return Verdict.READ
        told = self._noticed.get(chat)
        if told is not None and now - told < NOTICE_EVERY:
            return Verdict.DROP
        self._noticed.pop(chat, None)
        self._noticed[chat] = now
        while len(self._noticed) > self._capacity:
            self._noticed.popitem(last=False)
        return Verdict.NOTICE
