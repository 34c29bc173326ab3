"""What every guided application does with an answer, translated from desk.forms: check it,
say what was wrong (or give up, by the core's rule), and use answers the worker gave ahead of
time once consent is given."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from desk.forms.answers import Invalid, Valid, read_consent
from desk.forms.giving_up import has_given_up
from desk.forms.interruptions import CANCEL, Heard, says_stop
from desk.forms.spec import FormSpec
from desk.membership import joining

FAILURES_SLOT = "m_failures"  # bad answers in a row, whichever form is asking
# Tells the tracker store (rasa_runtime/forgetting.py) to empty the dropped answers from the
# stored conversation too, not only from the slots.
FORGET_SLOT = "forget_answers"
Filled = dict[str, object]  # slot values as they stand, with this turn's answers
MEMBERSHIP_SLOTS = ("m_consent", FAILURES_SLOT, "membership_stage", *joining.SPEC.slots)
AID_SLOTS = (
    "a_consent",
    "a_programme",
    "a_answer",
    "a_answers",
    "aid_stage",
    "aid_awaits_membership",
)


def gave_up(tracker: Tracker) -> bool:
    return has_given_up(tracker.get_slot(FAILURES_SLOT))


def which_to_change(spec: FormSpec) -> dict[str, Any]:
    """The question "which one?" with a button for each answer, for utter_message."""
    buttons = [{"title": f.label, "payload": f"改{f.label}"} for f in spec.answers]
    return {"text": spec.change_which, "buttons": buttons}


def forget() -> SlotSet:
    return SlotSet(FORGET_SLOT, True)


def clear_membership() -> list[EventType]:
    """Forget every answer: nothing of a cancelled, declined or abandoned joining is kept."""
    return [*(SlotSet(slot, None) for slot in MEMBERSHIP_SLOTS), forget()]


def clear_aid() -> list[EventType]:
    return [*(SlotSet(slot, None) for slot in AID_SLOTS), forget()]


def texts_since_form_started(tracker: Tracker, form: str) -> list[str]:
    """What the worker wrote from the message that started the form up to now."""
    events = tracker.events
    started = max(
        (
            i
            for i, e in enumerate(events)
            if e.get("event") == "active_loop" and e.get("name") == form
        ),
        default=0,
    )
    trigger = max((i for i in range(started) if events[i].get("event") == "user"), default=started)
    texts = (e.get("text") or "" for e in events[trigger:] if e.get("event") == "user")
    return [text for text in texts if not text.startswith("/")]


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


class CheckedForm(FormValidationAction, ABC):
    """Subclasses name their form's spec, and may check slots of their own or prefill."""

    spec: FormSpec
    # Intents that are no answer to the consent question but have a rule of their own there.
    heard_at_consent: frozenset[str] = frozenset({"cancel"})

    def form(self) -> str:
        return self.name().removeprefix("validate_")

    @abstractmethod  # abstract: rasa-sdk registers every concrete Action subclass it finds
    def prefill(self, texts: list[str], filled: Filled, tracker: Tracker) -> dict[str, str]:
        """Answers the worker gave ahead of time, by slot."""

    def check(self, slot: str, value: str, tracker: Tracker) -> Valid[str] | Invalid | None:
        """The checked value; None for a slot this form does not check (consent has a rule)."""
        if slot == self.spec.consent_slot or slot not in self.spec.by_slot:
            return None
        return self.spec.answer(slot, value)

    def heard(
        self, slot: str, value: str, checked: Valid[str] | Invalid, tracker: Tracker
    ) -> Heard:
        """The answer to the question asked, or a message for its intent's rule."""
        return self.spec.heard(slot, value, checked, tracker.get_intent_of_latest_message())

    def kept_events(self, slot: str, value: str, tracker: Tracker) -> list[EventType]:
        """Events that go with a kept answer (the aid form keeps a list of answers)."""
        return [SlotSet(slot, value)]

    def at_consent_unanswered(self, tracker: Tracker) -> bool:
        asked = tracker.get_slot("requested_slot")
        consent = self.spec.consent_slot
        return asked == consent and consent not in tracker.slots_to_validate()

    def interrupted(self, tracker: Tracker) -> bool:
        """At the consent question: a message with a rule of its own there (取消 only in clear
        words: a 不要 the classifier called cancel is a no)."""
        intent = tracker.get_intent_of_latest_message()
        if intent == CANCEL:
            return says_stop(latest_text(tracker))
        return intent in self.heard_at_consent

    def consent_in_words(self, tracker: Tracker) -> list[EventType]:
        """可以的, 没问题, 行吧: consent read from the words when the classifier heard neither
        yes nor no; no events when the words say neither either."""
        consent = read_consent(latest_text(tracker))
        slot = self.spec.consent_slot
        if slot in self.spec.by_slot:  # the form's own reading of it (转 is a yes to a lawyer)
            checked = self.spec.check(slot, latest_text(tracker))
            consent = checked.value == "True" if isinstance(checked, Valid) else None
        return [] if consent is None else [SlotSet(slot, consent)]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        declined = tracker.get_slot(self.spec.consent_slot) is False
        return [] if declined or gave_up(tracker) else domain_slots

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Checks the answer just given; rasa-sdk then asks the next question or ends the form."""
        events: list[EventType] = []
        before = tracker.get_slot(FAILURES_SLOT) or 0
        failures = before
        if self.at_consent_unanswered(tracker):
            if self.interrupted(tracker):
                return []  # no events: the rule for 取消 (say) gets its turn
            events.extend(self.consent_in_words(tracker))
            if not events:  # neither yes nor no; the form asks again
                taken = self.spec.failed(self.spec.consent_needed, failures)
                dispatcher.utter_message(text=taken.message)
                failures = taken.failures
        asked = tracker.get_slot("requested_slot")
        for slot, value in tracker.slots_to_validate().items():
            checked = None if value is None else self.check(slot, str(value), tracker)
            if checked is None:
                continue
            if (
                slot == asked
                and self.heard(slot, str(value), checked, tracker) is Heard.INTERRUPTION
            ):
                # Not an answer: the slot stays empty and the form steps aside, so the rule for
                # the message's intent (a legal question, 转人工, 取消) takes the turn.
                return [SlotSet(slot, None), ActionExecutionRejected(self.form())]
            taken = self.spec.take(slot, str(value), checked, failures)
            if taken.message:
                dispatcher.utter_message(text=taken.message)
            failures = taken.failures
            if taken.value is None:
                events.append(SlotSet(slot, None))
            else:
                events.extend(self.kept_events(slot, taken.value, tracker))
        if tracker.get_slot(self.spec.consent_slot) or any(
            e.get("name") == self.spec.consent_slot and e.get("value") for e in events
        ):
            # Answers given ahead of time, also in the message that started the form, are used
            # once consent is given — and only then.
            filled = {**tracker.slots, **{e["name"]: e["value"] for e in events}}
            texts = texts_since_form_started(tracker, self.form())
            events.extend(SlotSet(s, v) for s, v in self.prefill(texts, filled, tracker).items())
        if failures != before:
            events.append(SlotSet(FAILURES_SLOT, failures))
        # No events at all tells Rasa the message was no answer (a question, say), so the rules
        # for interruptions get their turn.
        return events
