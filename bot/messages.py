"""Channel-neutral shapes of what the desk sends: text with optional buttons."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class OutgoingMessage:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    # The name of a file that goes with the text (an arbitration draft), for a channel that
    # links to it rather than sending it (the web page).
    document: str | None = None


class Unreachable(Exception):
    """The chat refuses the bot for good (blocked it, was deleted): trying again is useless.
    A channel's sender raises it; the outbox then parks the chat's notices."""
