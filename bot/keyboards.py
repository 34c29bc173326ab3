"""Inline keyboards from Rasa buttons, within Telegram's 64-byte callback_data limit."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Button

CALLBACK_DATA_LIMIT = 64
_TOKEN_PREFIX = "#"


class PayloadStore:
    """Payloads longer than callback_data allows are kept here and sent as a short token.

    Bounded, oldest first out: a button pressed after its payload was evicted gets the menu.
    """

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def to_callback_data(self, payload: str) -> str:
        if len(payload.encode()) <= CALLBACK_DATA_LIMIT and not payload.startswith(_TOKEN_PREFIX):
            return payload
        token = _TOKEN_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:24]
        self._payloads[token] = payload
        self._payloads.move_to_end(token)
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return token

    def to_payload(self, callback_data: str) -> str | None:
        if callback_data.startswith(_TOKEN_PREFIX):
            return self._payloads.get(callback_data)
        return callback_data


def inline_keyboard(
    buttons: tuple[Button, ...], store: PayloadStore
) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    # Two short buttons share a row; long titles get a row of their own.
    rows: list[list[InlineKeyboardButton]] = []
    for button in buttons:
        key = InlineKeyboardButton(
            text=button.title, callback_data=store.to_callback_data(button.payload)
        )
        if rows and len(rows[-1]) == 1 and len(rows[-1][0].text) <= 8 and len(button.title) <= 8:
            rows[-1].append(key)
        else:
            rows.append([key])
    return InlineKeyboardMarkup(inline_keyboard=rows)
