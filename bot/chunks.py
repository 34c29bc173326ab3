"""Splitting long replies for channels with a length limit (Telegram: 4096 characters; WeChat
counts UTF-8 bytes: utf8_size)."""

from __future__ import annotations

from collections.abc import Callable

TELEGRAM_LIMIT = 4096


def utf8_size(text: str) -> int:
    return len(text.encode())


def _fitting(text: str, limit: int, size: Callable[[str], int]) -> int:
    """How many characters of text fit in limit (at least one, so splitting always advances)."""
    if size is len:
        return min(len(text), limit)
    low, high = 1, len(text)
    while low < high:  # the longest prefix within the limit
        middle = (low + high + 1) // 2
        if size(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def split_text(
    text: str, limit: int = TELEGRAM_LIMIT, size: Callable[[str], int] = len
) -> list[str]:
    """Cuts at the last paragraph break, else line break, else sentence end before the limit."""
    chunks: list[str] = []
    rest = text
    while size(rest) > limit:
        end = _fitting(rest, limit, size)
        window = rest[:end]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < end // 2:
            cut = max(window.rfind(mark) for mark in "。！？；.!?")
            cut = cut + 1 if cut >= end // 2 else end
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest.strip() or not chunks:
        chunks.append(rest)
    return chunks
