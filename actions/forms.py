"""What every guided application does with an answer: check it, explain a bad one, give up
politely after three, and use answers the worker gave ahead of time once consent is given."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from desk.membership import joining
from desk.membership.answers import Invalid, Valid

FAILURES_SLOT = "m_failures"
Filled = dict[str, object]  # slot values as they stand, with this turn's answers
MEMBERSHIP_SLOTS = ("m_consent", FAILURES_SLOT, "membership_stage", *joining.FIELD_BY_SLOT)
AID_SLOTS = (
    "a_consent",
    "a_programme",
    "a_answer",
    "a_answers",
    "aid_stage",
    "aid_awaits_membership",
)


def clear_membership() -> list[EventType]:
    """Forget every answer: nothing of a cancelled, declined or abandoned joining is kept."""
    return [SlotSet(slot, None) for slot in MEMBERSHIP_SLOTS]


def clear_aid() -> list[EventType]:
    return [SlotSet(slot, None) for slot in AID_SLOTS]


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


class CheckedForm(FormValidationAction, ABC):
    """Subclasses say which slot holds consent, how to check one slot, and what to prefill."""

    consent_slot: str
    give_up_text: str = joining.GIVE_UP
    consent_needed_text: str = joining.CONSENT_NEEDED
    # Intents that are no answer to the consent question but have a rule of their own there.
    heard_at_consent: frozenset[str] = frozenset({"cancel"})

    def form(self) -> str:
        return self.name().removeprefix("validate_")

    @abstractmethod  # abstract: rasa-sdk registers every concrete Action subclass it finds
    def check(self, slot: str, value: str, tracker: Tracker) -> Valid[str] | Invalid | None:
        """The checked value; None for a slot this form does not check."""

    def prefill(
        self, texts: list[str], filled: dict[str, object], tracker: Tracker
    ) -> dict[str, str]:
        return {}

    def keep_as_said(self, slot: str, value: str, failures: int) -> tuple[str, str] | None:
        """(value, message) to keep instead of asking again after `failures` failed answers in
        a row; None: ask again (and give up after MAX_FAILURES)."""
        return None

    def extra_events(self, slot: str, value: str, tracker: Tracker) -> list[EventType]:
        """Events that go with a valid answer (the aid form keeps a list of answers)."""
        return [SlotSet(slot, value)]

    def at_consent_unanswered(self, tracker: Tracker) -> bool:
        asked = tracker.get_slot("requested_slot")
        return asked == self.consent_slot and self.consent_slot not in tracker.slots_to_validate()

    def interrupted(self, tracker: Tracker) -> bool:
        return tracker.get_intent_of_latest_message() in self.heard_at_consent

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        declined = tracker.get_slot(self.consent_slot) is False
        gave_up = (tracker.get_slot(FAILURES_SLOT) or 0) >= joining.MAX_FAILURES
        return [] if declined or gave_up else domain_slots

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Checks the answer just given; rasa-sdk then asks the next question or ends the form."""
        events: list[EventType] = []
        failures = tracker.get_slot(FAILURES_SLOT) or 0
        to_validate = tracker.slots_to_validate()

        def failed(message: str) -> None:
            nonlocal failures
            failures += 1
            if failures >= joining.MAX_FAILURES:
                dispatcher.utter_message(text=self.give_up_text)
            else:
                dispatcher.utter_message(text=message)

        if self.at_consent_unanswered(tracker):
            if self.interrupted(tracker):
                return []  # no events: the rule for 取消 (say) gets its turn
            failed(self.consent_needed_text)  # neither yes nor no; the form asks again
        for slot, value in to_validate.items():
            checked = None if value is None else self.check(slot, str(value), tracker)
            if checked is None:
                continue
            if isinstance(checked, Invalid):
                kept = self.keep_as_said(slot, str(value), failures + 1)
                if kept is not None:  # in the worker's words: the intake goes on
                    dispatcher.utter_message(text=kept[1])
                    checked = Valid(kept[0])
            if isinstance(checked, Valid):
                events.extend(self.extra_events(slot, str(checked.value), tracker))
                failures = 0
            else:
                events.append(SlotSet(slot, None))
                failed(checked.message)
        if tracker.get_slot(self.consent_slot):
            # Answers given ahead of time, also in the message that started the form, are used
            # once consent is given — and only then.
            filled = {**tracker.slots, **{e["name"]: e["value"] for e in events}}
            texts = texts_since_form_started(tracker, self.form())
            events.extend(SlotSet(s, v) for s, v in self.prefill(texts, filled, tracker).items())
        if failures != (tracker.get_slot(FAILURES_SLOT) or 0):
            events.append(SlotSet(FAILURES_SLOT, failures))
        # No events at all tells Rasa the message was no answer (a question, say), so the rules
        # for interruptions get their turn.
        return events
