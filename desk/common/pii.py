"""Personal data: recognising and masking 身份证号 and mainland mobile numbers.

Masking is applied to log records (defence in depth: our code never logs message text) and to
anything shown to someone other than the data's owner.
"""

from __future__ import annotations

import re

# 18-digit resident ID (last character may be X/x) and mainland mobile numbers (1[3-9]x).
# Lookarounds instead of \b: Chinese characters count as word characters for \b.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# Also as people write them for each other: 139 1234 5678, 139-1234-5678, +86 139….
_MOBILE = re.compile(r"(?<![\d+])((?:\+?86[\s-]?)?1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")


def mask_id_number(value: str) -> str:
    """110105199001011234 -> 110105********1234."""
    return _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", value)


def mask_phone(value: str) -> str:
    """13912345678, 139 1234 5678 -> 139****5678; +8613912345678 -> +86139****5678."""
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", value)


def mask_personal_data(text: str) -> str:
    """Masks every ID number and mobile number found in free text."""
    return mask_phone(mask_id_number(text))
