"""The form specification the chat forms are declared with: fields in order, each with its
check, answers given ahead of time, corrections (改手机号), the summary, and what one answer
does to the form under the give-up rule.

The Rasa form only asks; a FormSpec decides what an answer is worth and what the worker is
shown. Values travel between turns as the text `answer` returns: checking it again gives the
same value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from desk.common.text import fold
from desk.forms.answers import Invalid, Valid
from desk.forms.giving_up import Next, after_failure
from desk.forms.interruptions import INTERRUPTING, Heard, heard

CHANGE_WHICH = "请问要修改哪一项？"


@dataclass(frozen=True)
class Field:
    slot: str
    label: str
    check: Callable[[str], Valid[Any] | Invalid]
    words: str | None = None  # how a worker names the field to change it; None: not by name
    question: str = ""  # asked by the form itself where it is not in the Rasa domain
    shown: Callable[[str], str] = str  # how the kept value reads in the summary (masked, 5人…)
    # The check takes nearly any text (a name, an employer): its accepting a message says little
    # about whether the message was meant as the answer.
    free_text: bool = False


class Kept(NamedTuple):
    """An answer kept in place of one that failed, and what the worker is told about it."""

    value: str
    message: str


# (slot, raw answer, failures in a row counting this one) → what to keep instead, or None.
KeepAsSaid = Callable[[str, str, int], Kept | None]


@dataclass(frozen=True)
class Taken:
    """What one answer did to the form."""

    value: str | None  # the answer to keep; None: the question is asked again
    message: str | None  # for the worker: what was wrong, that it was kept as said, or giving up
    failures: int  # bad answers in a row, this one counted
    gave_up: bool = False


@dataclass(frozen=True)
class FormSpec:
    fields: tuple[Field, ...]
    consent_slot: str  # the consent question's slot: neither summarised nor changed by name
    consent_needed: str  # said when the consent question gets neither yes nor no
    give_up: str  # said when the form stops asking after repeated bad answers
    summary_heading: str
    summary_footer: str
    change_which: str = CHANGE_WHICH  # a correction request that names no field
    change_order: tuple[str, ...] = ()  # slots, the most specific name first; default: in order
    change_needs: re.Pattern[str] | None = None  # words a correction request must have
    keep_as_said: KeepAsSaid | None = None  # instead of asking again after failures
    interrupting: frozenset[str] = INTERRUPTING  # intents that may take the turn from a question
    by_slot: Mapping[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_slot", {f.slot: f for f in self.fields})

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(self.by_slot)

    @property
    def answers(self) -> tuple[Field, ...]:
        """The fields the summary lists and a correction may name: all but consent."""
        return tuple(f for f in self.fields if f.slot != self.consent_slot)

    def only(self, slots: Iterable[str], **changes: Any) -> FormSpec:
        """This form's fields with those slots (another form asking them too), as a spec."""
        wanted = set(slots)
        return replace(self, fields=tuple(f for f in self.fields if f.slot in wanted), **changes)

    def check(self, slot: str, raw: str) -> Valid[Any] | Invalid:
        """The field's own check, its value typed (an Employer, a Location, …)."""
        return self.by_slot[slot].check(raw)

    def answer(self, slot: str, raw: str) -> Valid[str] | Invalid:
        """The answer as the form keeps it: the checked value in its normal written form."""
        checked = self.check(slot, raw)
        return Valid(str(checked.value)) if isinstance(checked, Valid) else checked

    def is_valid(self, slot: str, raw: str) -> bool:
        return isinstance(self.check(slot, raw), Valid)

    def heard(
        self, slot: str, raw: str, checked: Valid[Any] | Invalid, intent: str | None
    ) -> Heard:
        """Whether the message sent while `slot` was asked answers it, or is for its intent's
        rule (a legal question, 转人工, 取消): see desk.forms.interruptions."""
        free_text = slot in self.by_slot and self.by_slot[slot].free_text
        return heard(
            intent,
            raw,
            accepted=isinstance(checked, Valid),
            free_text=free_text,
            interrupting=self.interrupting,
        )

    def prefill(
        self, offers: Iterable[tuple[str, object]], filled: Mapping[str, object]
    ) -> dict[str, str]:
        """Answers already given (slot, raw), best first, for this form's questions not answered
        yet. Each is checked as if typed in reply to its question, so a doubtful one is asked
        about rather than kept; the first that checks wins, and nothing filled is overwritten."""
        found: dict[str, str] = {}
        for slot, raw in offers:
            if raw in (None, "") or slot not in self.by_slot or slot in found:
                continue
            if filled.get(slot) is not None:
                continue
            checked = self.answer(slot, str(raw))
            if isinstance(checked, Valid):
                found[slot] = checked.value
        return found

    def field_to_change(self, text: str) -> Field | None:
        """改手机号 → the phone field; None when the text names no field (or, where the form
        asks for one, has no word of change: 老板还欠我五千 names the boss but changes nothing)."""
        folded = fold(text)
        if self.change_needs is not None and not self.change_needs.search(folded):
            return None
        order = [self.by_slot[slot] for slot in self.change_order] or self.answers
        return next((f for f in order if f.words and re.search(f.words, folded)), None)

    def summary(self, values: Mapping[str, object]) -> str:
        lines = [self.summary_heading]
        for f in self.answers:
            lines.append(f"· {f.label}：{f.shown(str(values.get(f.slot) or ''))}")
        lines.append(self.summary_footer)
        return "\n".join(lines)

    def take(self, slot: str, raw: str, checked: Valid[Any] | Invalid, failures: int) -> Taken:
        """One answer, checked, under the give-up rule: kept (the count starts again), kept as
        said where the form allows it, or asked again — until the form gives up."""
        if isinstance(checked, Invalid) and self.keep_as_said is not None:
            kept = self.keep_as_said(slot, raw, failures + 1)
            if kept is not None:  # in the worker's words: the form goes on
                return Taken(kept.value, kept.message, 0)
        if isinstance(checked, Valid):
            return Taken(str(checked.value), None, 0)
        return self.failed(checked.message, failures)

    def failed(self, message: str, failures: int) -> Taken:
        """A bad answer (or none to the consent question): say what was wrong, or give up."""
        after = after_failure(failures)
        gave_up = after.next is Next.GIVE_UP
        return Taken(None, self.give_up if gave_up else message, after.failures, gave_up)
