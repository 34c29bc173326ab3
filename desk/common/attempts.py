"""Throttles for guessable look-ups: a key (a chat, a record's number) may fail `most` times in
`window`; after that every try is refused, right or wrong, until the oldest failure ages out.

Failures live in the database, so the limit holds across action-server workers and restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desk.storage.models import FailedAttempt, utcnow

# No throttle looks further back; older failures are deleted by the retention purge.
KEPT_AT_MOST = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    action: str
    most: int
    window: timedelta

    def __post_init__(self) -> None:
        if self.window > KEPT_AT_MOST:
            raise ValueError(f"{self.action}: failures are kept for {KEPT_AT_MOST} at most")


def exhausted(session: Session, limit: Limit, key: str, now: datetime | None = None) -> bool:
    """True when the key has used up its failures for now."""
    since = (now or utcnow()) - limit.window
    failures = session.scalar(
        select(func.count())
        .select_from(FailedAttempt)
        .where(
            FailedAttempt.action == limit.action,
            FailedAttempt.key == key,
            FailedAttempt.at > since,
        )
    )
    return (failures or 0) >= limit.most


def record_failure(session: Session, limit: Limit, key: str, now: datetime | None = None) -> None:
    """Counts one failure; failures of this action older than the window are dropped here, so
    the table holds a window's worth at most."""
    now = now or utcnow()
    session.execute(
        delete(FailedAttempt).where(
            FailedAttempt.action == limit.action, FailedAttempt.at <= now - limit.window
        )
    )
    session.add(FailedAttempt(action=limit.action, key=key, at=now))


def forget_old(session: Session, now: datetime | None = None) -> int:
    """Deletes failures no throttle looks at any more; returns how many."""
    cutoff = (now or utcnow()) - KEPT_AT_MOST
    return session.execute(delete(FailedAttempt).where(FailedAttempt.at < cutoff)).rowcount or 0
