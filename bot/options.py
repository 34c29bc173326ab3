"""Buttons for channels that cannot show them (the terminal, WeChat): numbered options the person
answers with a digit.

The options of an answer are numbered from 1 across its messages. Buttons whose titles are
numbers themselves (the rating's "5 分" … "1 分") keep those numbers, so typing 5 gives 5 分
as the text asks. Only the options the desk showed this chat count: a digit chooses one of them
and is otherwise an ordinary answer ("几个人？" "2").
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence

from bot.messages import Button, OutgoingMessage

_OWN_NUMBER = re.compile(r"^\s*(\d+)\s*分?\s*$")


def option_numbers(buttons: Sequence[Button]) -> list[int]:
    """The number each button is chosen by."""
    own = [_OWN_NUMBER.match(button.title) for button in buttons]
    numbers = [int(found.group(1)) for found in own if found]
    if len(numbers) == len(buttons) and len(set(numbers)) == len(numbers):
        return numbers
    return list(range(1, len(buttons) + 1))


def option_line(number: int, button: Button) -> str:
    return button.title if _OWN_NUMBER.match(button.title) else f"[{number}] {button.title}"


def numbered(messages: Sequence[OutgoingMessage]) -> list[tuple[OutgoingMessage, list[str]]]:
    """Each message with the lines of its options, numbered across the whole answer."""
    numbers = option_numbers([button for message in messages for button in message.buttons])
    shown = []
    start = 0
    for message in messages:
        own = numbers[start : start + len(message.buttons)]
        start += len(message.buttons)
        lines = [option_line(n, b) for n, b in zip(own, message.buttons, strict=True)]
        shown.append((message, lines))
    return shown


def options_of(messages: Sequence[OutgoingMessage]) -> dict[int, Button]:
    """What each number chooses in this answer."""
    buttons = [button for message in messages for button in message.buttons]
    return dict(zip(option_numbers(buttons), buttons, strict=True))


def chosen(text: str, options: dict[int, Button]) -> Button | None:
    """The option a typed digit picks ("2", "２", " 2 "); None for anything else."""
    typed = unicodedata.normalize("NFKC", text).strip()
    return options.get(int(typed)) if typed.isdigit() and len(typed) <= 3 else None


class ChatOptions:
    """The options last shown to each chat, bounded (oldest chats forgotten first): a digit
    typed after a restart or long after is read as text."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._shown: OrderedDict[str, dict[int, Button]] = OrderedDict()

    def show(self, chat_id: str, messages: Sequence[OutgoingMessage]) -> None:
        """An answer to the chat's own message replaces its options, even with none: the next
        digit answers the new question. An empty answer (nothing said) changes nothing."""
        if not messages:
            return
        self._shown[chat_id] = options_of(messages)
        self._shown.move_to_end(chat_id)
        while len(self._shown) > self._capacity:
            self._shown.popitem(last=False)

    def notice(self, chat_id: str, messages: Sequence[OutgoingMessage]) -> None:
        """A notice replaces them only when it asks something with options (the rating): a
        notice without any leaves the question the worker was answering in place."""
        if any(message.buttons for message in messages):
            self.show(chat_id, messages)

    def chosen(self, chat_id: str, text: str) -> Button | None:
        return chosen(text, self._shown.get(chat_id, {}))
