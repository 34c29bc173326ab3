"""Inline keyboards from Rasa buttons, within Telegram's 64-byte callback_data limit."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Button
from desk.cases.tickets import PAYLOAD_PREFIX as CASEWORK_PREFIX
from desk.common.inbound import is_button_payload

CALLBACK_DATA_LIMIT = 64
_TOKEN_PREFIX = "#"


class PayloadStore:
    """What each chat's buttons carry. A Telegram client can put any callback_data in a query,
    so a press counts only for a payload the desk issued to that chat; one longer than
    callback_data allows travels as a short token.

    Bounded, oldest first out. A button whose payload is no longer here (evicted, or sent before
    the gateway restarted) is expired, except the desk's fixed payloads, which mean the same in
    every chat: an intent without entities (/affirm, a menu service) and the casework buttons
    (ticket:…), whose rights the core checks itself.
    """

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._issued: OrderedDict[tuple[int, str], str] = OrderedDict()

    def to_callback_data(self, payload: str, chat_id: int) -> str:
        data = payload
        if len(payload.encode()) > CALLBACK_DATA_LIMIT or payload.startswith(_TOKEN_PREFIX):
            data = _TOKEN_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:24]
        self._issued[(chat_id, data)] = payload
        self._issued.move_to_end((chat_id, data))
        while len(self._issued) > self._capacity:
            self._issued.popitem(last=False)
        return data

    def to_payload(self, callback_data: str, chat_id: int) -> str | None:
        issued = self._issued.get((chat_id, callback_data))
        if issued is not None:
            return issued
        return callback_data if is_fixed_payload(callback_data) else None


def is_fixed_payload(payload: str) -> bool:
    if payload.startswith(CASEWORK_PREFIX):
        return len(payload) <= CALLBACK_DATA_LIMIT
    return is_button_payload(payload) and "{" not in payload


def inline_keyboard(
    buttons: tuple[Button, ...], store: PayloadStore, chat_id: int
) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    # Two short buttons share a row; long titles get a row of their own.
    rows: list[list[InlineKeyboardButton]] = []
    for button in buttons:
        key = InlineKeyboardButton(
            text=button.title, callback_data=store.to_callback_data(button.payload, chat_id)
        )
        if rows and len(rows[-1]) == 1 and len(rows[-1][0].text) <= 8 and len(button.title) <= 8:
            rows[-1].append(key)
        else:
            rows.append([key])
    return InlineKeyboardMarkup(inline_keyboard=rows)
