"""Cleaning what a worker types before it reaches the NLU."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Control and format characters (C*) except newline and tab; zero-width joiners and the like
# would otherwise split words invisibly.
_WHITESPACE_RUN = re.compile(r"[ \t\u3000]+")


_CHINESE_PUNCTUATION = re.compile("([，！？：；（）～])")


@dataclass(frozen=True)
class CleanText:
    text: str
    shortened: bool


def _is_kept(char: str) -> bool:
    return char in "\n\t" or not unicodedata.category(char).startswith("C")


def as_written(raw: str) -> str:
    """What a person wrote, for another person (a relayed message): invisible control
    characters dropped, nothing else changed — full-width punctuation and a leading "/" stay."""
    return "".join(char for char in raw if _is_kept(char)).strip()


def fold_width(raw: str) -> str:
    """Full-width letters and digits (１３９, ＡＢＣ) folded by NFKC into their usual forms, which
    is how the desk reads numbers; Chinese punctuation kept as written (，not ,), since the text
    may be a worker's own words that a lawyer reads. Every pattern of the desk reads both."""
    parts = _CHINESE_PUNCTUATION.split(raw)  # odd places: the punctuation itself
    return "".join(
        part if i % 2 else unicodedata.normalize("NFKC", part) for i, part in enumerate(parts)
    )


def clean_user_text(raw: str, max_chars: int) -> CleanText | None:
    """Returns the text to send to the NLU, or None when nothing meaningful is left.

    Widths are folded (fold_width): the text is also the worker's own account (情况经过).
    """
    text = "".join(char for char in fold_width(raw) if _is_kept(char))
    text = _WHITESPACE_RUN.sub(" ", text).strip()
    # Rasa reads a message starting with "/" as an intent name; only our buttons may send those.
    text = text.lstrip("/").strip()
    if not text:
        return None
    if len(text) > max_chars:
        return CleanText(text[:max_chars], shortened=True)
    return CleanText(text, shortened=False)
