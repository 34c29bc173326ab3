"""Personal data: the one masking function for 身份证号, mobile numbers and bank-card numbers.

Used wherever text reaches someone other than its owner: lists and case transcripts a lawyer
reads, the staff command line, and every log record (a second line of defence: our code never
logs message text). Widths and separators are folded first, so a number is found however it
was typed: １３９１２３４５６７８, 139 1234 5678, 110105-19900101-1234, 6222 0212 3456 7890.
"""

from __future__ import annotations

import re

# Full-width digits, x, plus, hyphen and space as their ASCII forms; one character for one, so
# a match in the folded text is a match at the same place in the original.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "Ｘ": "X",
        "ｘ": "x",
        "＋": "+",
        "－": "-",
        "\u3000": " ",
        "\u00a0": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
# Digits joined by single spaces or dashes, an ID number's final X, a leading + (+86 …).
# Lookarounds instead of \b: Chinese characters count as word characters for \b.
_RUN = re.compile(r"(?<![0-9A-Za-z+])\+?\d(?:[ -]?\d)*(?:[ -]?[Xx])?(?![0-9A-Za-z])")
_GROUP = re.compile(r"\d+[Xx]?")
_MOBILE = re.compile(r"1[3-9]\d{9}")


def _kept(digits: str) -> tuple[int, int] | None:
    """How many leading and trailing characters stay visible; None: not personal data."""
    if _MOBILE.fullmatch(digits):
        return 3, 4  # 139****5678
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        return 5, 4  # +86 139****5678
    if len(digits) == 18 and digits[:17].isdigit():
        return 6, 4  # ID number: 110105********1234
    if digits.isdigit() and 15 <= len(digits) <= 19:
        return 6, 4  # a bank card (or a first-generation ID number): 622202******7890
    return None


def _grouped_like_a_card(groups: list[str]) -> bool:
    """6222 0212 3456 7890 (123): fours, the last maybe three."""
    return all(len(group) == 4 for group in groups[:-1]) and len(groups[-1]) in (3, 4)


def _mask_run(folded: str) -> str | None:
    """The masked form of one run of digits, or None when it is not personal data."""
    groups = _GROUP.findall(folded)
    digits = "".join(groups)
    kept = _kept(digits)
    if kept is None:
        return None
    is_card = kept == (6, 4) and len(digits) != 18
    if is_card and len(groups) > 1 and not _grouped_like_a_card(groups):
        return None  # "12000 13912345678": two numbers, not a card
    head, tail = kept
    if head == 5:  # +86 139: the country code as written
        seen, end = 0, 0
        for end, char in enumerate(folded, 1):  # noqa: B007  (end is used after the loop)
            seen += char.isdigit()
            if seen == head:
                break
        shown = folded[:end]
    else:
        shown = digits[:head]
    return shown + "*" * (len(digits) - head - tail) + digits[-tail:]


def _masked_spans(folded: str) -> list[tuple[int, int, str]]:
    spans = []
    for run in _RUN.finditer(folded):
        masked = _mask_run(run.group())
        if masked is not None:
            spans.append((run.start(), run.end(), masked))
            continue
        # Several numbers side by side ("工资3000 13912345678"): each one on its own.
        for group in _GROUP.finditer(folded, run.start(), run.end()):
            masked = _mask_run(group.group())
            if masked is not None:
                spans.append((group.start(), group.end(), masked))
    return spans


def mask_personal_data(text: str) -> str:
    """Masks every ID number, mobile number and bank-card number found in free text; other
    numbers (amounts, dates, order numbers) stay as written."""
    pieces, last = [], 0
    for start, end, masked in _masked_spans(text.translate(_FOLD)):
        pieces += [text[last:start], masked]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


# The names the callers knew; all of them are the one function.
mask_id_number = mask_phone = mask_personal_data
