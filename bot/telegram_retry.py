"""Calls to Telegram that meet a passing fault are tried again: "too many requests" (429) after
the wait Telegram names, a server error (5xx) or a lost connection after a growing pause.

A 429 or a 5xx means Telegram did not act on the call, so trying again cannot send a message
twice; nor can a connection that could not be made. A connection dropped after the request went
out is the one case where Telegram may have sent it: aiogram cannot tell the two apart, and a
message repeated once is better than one lost. A call that still fails after the last try
raises as before: the outbox keeps a notice for its next round, and a direct reply is put in
the outbox (bot/telegram.py). getUpdates is left alone: aiogram's polling has its own back-off.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, Response, TelegramMethod
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

logger = logging.getLogger(__name__)

ATTEMPTS = 5
# A longer wait than this is not waited out here: the call fails and the outbox retries later.
LONGEST_WAIT = 60.0
_backoff = wait_exponential(multiplier=0.5, max=8)


def _transient(error: BaseException) -> bool:
    if isinstance(error, TelegramRetryAfter):
        return error.retry_after <= LONGEST_WAIT
    return isinstance(error, TelegramServerError | TelegramNetworkError)


def _wait(state: RetryCallState) -> float:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, TelegramRetryAfter):
        return float(error.retry_after)
    return _backoff(state)


def _log(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    logger.warning(
        "Telegram call failed (%s), try %d of %d",
        type(error).__name__,
        state.attempt_number,
        ATTEMPTS,
    )


class RetryPassingFaults(BaseRequestMiddleware):
    def __init__(self, attempts: int = ATTEMPTS) -> None:
        self._attempts = attempts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Response[Any]:
        if isinstance(method, GetUpdates):
            return await make_request(bot, method)
        retrying = AsyncRetrying(
            retry=retry_if_exception(_transient),
            wait=_wait,
            stop=stop_after_attempt(self._attempts),
            before_sleep=_log,
            reraise=True,
        )
        return await retrying(make_request, bot, method)
