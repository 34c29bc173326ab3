"""The give-up rule: after MAX_FAILURES bad answers in a row a form stops asking (and the
worker is offered a human); a good answer starts the count again."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_FAILURES = 3


class Next(StrEnum):
    ASK_AGAIN = "ask_again"
    GIVE_UP = "give_up"


@dataclass(frozen=True)
class AfterFailure:
    next: Next
    failures: int  # the counter's new value, to keep for the next answer


def after_failure(failures: int | None) -> AfterFailure:
    """One more bad answer in a row: ask again, or give up once there have been MAX_FAILURES."""
    count = (failures or 0) + 1
    return AfterFailure(Next.GIVE_UP if count >= MAX_FAILURES else Next.ASK_AGAIN, count)


def has_given_up(failures: int | None) -> bool:
    """Whether a form with this count has stopped asking (the count kept between turns)."""
    return (failures or 0) >= MAX_FAILURES
