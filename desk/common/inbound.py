"""What the desk accepts from outside, the same at every edge: the gateway's channels and Rasa's
REST endpoint (rasa_runtime/edge.py). Standard library only: Rasa's Python 3.10 imports it too.

A text starting with "/" is an intent payload to Rasa, which lets whoever sends it pick the
intent and set entities, and Rasa loops on an intent it does not know. Only the payloads the
desk's own buttons carry are read that way; anything else slash-prefixed is plain text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

DEFAULT_MAX_CHARS = 2000
# More than any turn of the desk sends (an answer, a note, a question with its buttons; Rasa
# sends each paragraph of a text without buttons apart, and no answer has more than two); a
# turn that would send more is a loop, and the rest would only bury the answer.
MAX_REPLIES = 8

# The intents the desk's buttons send (desk/menu.py, actions/, domain.yml), and the entities a
# button may carry with one: a topic of the legal FAQ. No payload can fill a form's slot.
BUTTON_INTENTS = frozenset(
    {
        "greet",
        "help",
        "affirm",
        "deny",
        "cancel",
        "change_field",
        "ask_legal",
        "apply_membership",
        "apply_aid",
        "request_human",
        "check_status",
        "choose_faq",
    }
)
BUTTON_ENTITIES = {"choose_faq": frozenset({"faq_id"})}

_PAYLOAD = re.compile(r"/(\w+)(\{.*\})?", re.DOTALL)
_LEADING_SLASHES = re.compile(r"^[\s/／]+")
_WHITESPACE_RUN = re.compile(r"[ \t\u3000]+")
_ENTITY_VALUE = re.compile(r"[\w\-]{1,64}")
# A run of digits or Chinese numerals longer than any number a worker means (a bank card has
# 19 digits, a WeChat Pay or Alipay transaction number 28 to 32, which a story may quote): the
# number patterns of the calculators and the intake would spend time growing with the square
# of its length on it (1.2 s for 2,000 digits, on the action server's loop).
MAX_NUMERAL_RUN = 40
_NUMERAL_RUN = re.compile(rf"[\d零〇一二两三四五六七八九十百千万亿]{{{MAX_NUMERAL_RUN + 1},}}")

T = TypeVar("T")


def is_kept(char: str) -> bool:
    """Control and format characters (C*) go, except newline and tab: zero-width joiners and
    bidi overrides would otherwise split words invisibly or reorder what a lawyer reads."""
    return char in "\n\t" or not unicodedata.category(char).startswith("C")


def visible(raw: str) -> str:
    """Invisible characters dropped, runs of spaces made one, nothing at the ends."""
    text = "".join(char for char in raw if is_kept(char))
    return _WHITESPACE_RUN.sub(" ", text).strip()


def strip_command_slashes(text: str) -> str:
    """ "/ /我叫…" → "我叫…": every leading slash and space, however many, so what is left can
    never be read as a payload."""
    return _LEADING_SLASHES.sub("", text)


def is_button_payload(text: str) -> bool:
    """True for a payload one of the desk's buttons carries: a known intent, and only the
    entities its buttons carry, each a short plain value."""
    match = _PAYLOAD.fullmatch(text)
    if match is None or match.group(1) not in BUTTON_INTENTS:
        return False
    if match.group(2) is None:
        return True
    try:
        entities = json.loads(match.group(2))
    except ValueError:
        return False
    allowed = BUTTON_ENTITIES.get(match.group(1), frozenset())
    return (
        isinstance(entities, dict)
        and set(entities) <= allowed
        and all(
            isinstance(value, str) and _ENTITY_VALUE.fullmatch(value) for value in entities.values()
        )
    )


def without_endless_numbers(text: str) -> str:
    """Each run of more than MAX_NUMERAL_RUN digits or Chinese numerals made "…": it is no
    quantity, ID, phone or card number, and nothing is then read from it."""
    return _NUMERAL_RUN.sub("…", text)


def as_text(raw: str) -> str:
    """A typed message for the NLU: visible, never a payload, no endless numbers."""
    return without_endless_numbers(strip_command_slashes(visible(raw))).strip()


def for_rasa(raw: object, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """What Rasa's REST endpoint passes on: a button's payload as it is, anything else as plain
    text cut to max_chars ("" when nothing is left: the caller answers it politely)."""
    if not isinstance(raw, str):
        return ""
    text = visible(raw)
    if is_button_payload(text):
        return text
    return as_text(text)[:max_chars]


def bounded(replies: Iterable[T], key: Callable[[T], object]) -> list[T]:
    """The replies of one turn without repeats (a looping prediction sends the same answer
    again and again), at most MAX_REPLIES."""
    seen: set[object] = set()
    kept: list[T] = []
    for reply in replies:
        identity = key(reply)
        if identity in seen:
            continue
        seen.add(identity)
        kept.append(reply)
        if len(kept) == MAX_REPLIES:
            break
    return kept
