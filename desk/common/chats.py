"""How the desk names a conversation: "<channel prefix><the channel's own id>", so that ids of
different channels never collide. Lawyers work in Telegram and are known by their user id."""

from __future__ import annotations

TELEGRAM_PREFIX = "tg:"


def telegram_chat(telegram_id: int) -> str:
    """The desk's id of a Telegram chat (a private chat's id is its user's id)."""
    return f"{TELEGRAM_PREFIX}{telegram_id}"


def telegram_id(chat_id: str) -> int | None:
    """The Telegram id inside a desk chat id; None for chats of other channels."""
    if not chat_id.startswith(TELEGRAM_PREFIX):
        return None
    try:
        return int(chat_id.removeprefix(TELEGRAM_PREFIX))
    except ValueError:
        return None
