"""Folding text for the desk: widths, 繁体 → 简体, case, the edges of an answer, clause breaks,
and cleaning what a worker types before it reaches the NLU."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from opencc_purepy import OpenCC

from desk.common.inbound import as_text, is_kept

_CHINESE_PUNCTUATION = re.compile("([，！？：；（）～])")


@dataclass(frozen=True)
class CleanText:
    text: str
    shortened: bool


def as_written(raw: str) -> str:
    """What a person wrote, for another person (a relayed message): invisible control
    characters dropped, nothing else changed — full-width punctuation and a leading "/" stay."""
    return "".join(char for char in raw if is_kept(char)).strip()


def fold_width(raw: str) -> str:
    """Full-width letters and digits (１３９, ＡＢＣ) folded by NFKC into their usual forms, which
    is how the desk reads numbers; Chinese punctuation kept as written (，not ,), since the text
    may be a worker's own words that a lawyer reads. Every pattern of the desk reads both."""
    parts = _CHINESE_PUNCTUATION.split(raw)  # odd places: the punctuation itself
    return "".join(
        part if i % 2 else unicodedata.normalize("NFKC", part) for i, part in enumerate(parts)
    )


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=16384)
def _simplified_character(char: str) -> str:
    return str(_traditional_to_simplified().convert(char))


def to_simplified(text: str) -> str:
    """Character by character: opencc-purepy 1.5's phrase table turns the simplified 结束 into
    結束, and phrase-level choices (乾/干) do not matter for matching anyway."""
    return "".join(map(_simplified_character, text))


def fold_keeping_case(text: str) -> str:
    """Width (NFKC: full-width → half-width, Chinese punctuation too) and script (繁体 → 简体)."""
    return to_simplified(unicodedata.normalize("NFKC", text))


def fold(text: str) -> str:
    """Width, script and case folding: what every comparison starts from."""
    return fold_keeping_case(text).lower()


# ── Answers to a form's questions ────────────────────────────────────────────────────────────

EDGE_PUNCTUATION = " 。.!！?？~～,，;；、\"'“”"


def clean_answer(raw: str) -> str:
    """Full-width folded, 繁体 made simplified, spaces and punctuation at both ends dropped."""
    return to_simplified(fold_width(raw)).strip(EDGE_PUNCTUATION)


def folded_answer(raw: str) -> str:
    """For comparing: folded (width, 繁体, case), no spaces, no punctuation at the ends."""
    return re.sub(r"\s+", "", fold(raw)).strip(EDGE_PUNCTUATION)


# ── Clauses ──────────────────────────────────────────────────────────────────────────────────

# Every clause break, also as NFKC leaves it (, ! ?); a dot only when it is no decimal point.
_CLAUSE_BREAK = re.compile(r"[，,。!！?？;；:：\n~～…\s]+|(?<!\d)\.|\.(?!\d)")


def mark_clauses(text: str) -> str:
    """Every clause break made one "，" (none at the ends), so a pattern can stop at a clause."""
    return _CLAUSE_BREAK.sub("，", text).strip("，")


# ── What a worker types ──────────────────────────────────────────────────────────────────────


def clean_user_text(raw: str, max_chars: int) -> CleanText | None:
    """Returns the text to send to the NLU, or None when nothing meaningful is left.

    Widths are folded (fold_width): the text is also the worker's own account (情况经过).
    """
    # Rasa reads a message starting with "/" as an intent name; only our buttons may send those.
    text = as_text(fold_width(raw))
    if not text:
        return None
    if len(text) > max_chars:
        return CleanText(text[:max_chars], shortened=True)
    return CleanText(text, shortened=False)
