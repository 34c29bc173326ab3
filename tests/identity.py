"""Made-up but valid 身份证号 and mobile numbers for tests, so no test holds a real person's."""

from __future__ import annotations

from datetime import date


def make_id_number(area: str, birth: date, sequence: str = "123") -> str:
    """A number with a correct check character, computed from ISO 7064 MOD 11-2 as the standard
    defines it (the module uses GB 11643's lookup table), so each checks the other."""
    body = f"{area}{birth:%Y%m%d}{sequence}"
    weighted = sum(int(digit) * pow(2, 17 - position, 11) for position, digit in enumerate(body))
    check = (1 - weighted) % 11
    return body + ("X" if check == 10 else str(check))


# Mainland mobile numbers start 13–19: one of each segment in use, not only the 139 of most tests.
MOBILE_PREFIXES = (
    "130", "139", "145", "147", "150", "158", "166",
    "167", "172", "177", "180", "188", "191", "199",
)  # fmt: skip


def make_mobile_number(prefix: str) -> str:
    return f"{prefix}12345678"
