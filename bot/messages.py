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
