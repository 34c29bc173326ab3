"""What a checked answer is (Valid or Invalid), and 是/否 read in their 口语 forms.

A check never raises on what a worker types: it returns Valid(the normalised value) or
Invalid(one short Chinese sentence saying what was wrong and what to send instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

# Han characters: the basic block and extension A, plus extensions B–G for rare name characters.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"


@dataclass(frozen=True)
class Valid(Generic[T]):
    # str(value) is the answer's normal written form: checking it again gives the same value,
    # so a form may keep answers as text between turns.
    value: T


@dataclass(frozen=True)
class Invalid:
    message: str


_UNSURE = re.compile(r"不知道|不清楚|不太?(?:确定|记得)|不是很(?:确定|清楚)|忘了|记不清")
# Checked before yes: 不是 and 没有 hold 是 and 有.
_NO = re.compile(r"不|没|否|未|无|^(?:no|n|false)$")
_YES = r"是|对|有|嗯|已|^(?:yes|y|ok|true)$"  # true: str(True), as answers travel as text


def is_unsure(text: str) -> bool:
    """不知道, 不清楚, 忘了: the worker does not know the answer."""
    return bool(_UNSURE.search(text))


def read_yes_no(text: str, also_yes: str = "") -> bool | Literal["unsure"] | None:
    """是/否 in their 口语 forms: True, False, "unsure" (不清楚, 忘了), or None for neither.

    also_yes: words that mean yes for one question only (入过 for membership, 交了 for dues).
    """
    if _UNSURE.search(text):
        return "unsure"
    if _NO.search(text):
        return False
    if re.search(f"{_YES}|{also_yes}" if also_yes else _YES, text):
        return True
    return None


# Consent in the words people use; 没问题 and 不介意 hold 没 and 不, so they are read first.
_CONSENT_YES = re.compile(r"没问题|没意见|不介意|无所谓|没关系|可以的?|行的?|好的?|愿意|同意|ok")
_CONSENT_NO = re.compile(r"不同意|不愿意|不行|不可以|不好|不要|不用|不想|拒绝")


def read_consent(text: str, also_yes: str = "") -> bool | None:
    """同意 in its 口语 forms (可以的, 没问题, 行吧, 嗯嗯) → True; 不同意, 不行, 不想 → False;
    None for neither."""
    if _CONSENT_NO.search(text):
        return False
    if _CONSENT_YES.search(text) or (also_yes and re.search(also_yes, text)):
        return True
    answer = read_yes_no(text)
    return answer if isinstance(answer, bool) else None
