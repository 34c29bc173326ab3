"""转人工: the short intake before a case goes to a lawyer, translated from desk.cases.intake and
desk.cases.escalation. Whatever started it (the worker asking, or the bot seeing a hard case), it
starts here: say why, reuse what was said, ask the rest, and open or add to the case."""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.forms import (
    FAILURES_SLOT,
    CheckedForm,
    Filled,
    clear_aid,
    clear_membership,
    forget,
    gave_up,
    which_to_change,
)
from actions.recording import record
from desk.cases import escalation, intake, triage
from desk.legal.consultation import answer_before_intake
from desk.legal.library import get_knowledge
from desk.storage.db import session_scope

logger = logging.getLogger(__name__)
FORM = "handoff_form"
REASONS_SLOT, STREAK_SLOT, DECLINED_SLOT = "handoff_reasons", "unsure_streak", "handoff_declined"
CONSENT_BUTTONS = [
    {"title": "同意", "payload": "/affirm"},
    {"title": "修改", "payload": "/change_field"},
    {"title": "不同意", "payload": "/deny"},
]
RECENT_MESSAGES = 10


def conversation_texts(tracker: Tracker) -> list[str]:
    """What the worker wrote in this conversation (buttons left out), the latest last."""
    texts: list[str] = []
    for event in tracker.events:
        if event.get("event") in ("session_started", "restart"):
            texts.clear()
        elif event.get("event") == "user":
            text = (event.get("text") or "").strip()
            if text and not text.startswith("/"):
                texts.append(text)
    return texts[-RECENT_MESSAGES:]


def clear_intake() -> list[EventType]:
    cleared = (*intake.SLOTS, REASONS_SLOT, FAILURES_SLOT)
    return [*(SlotSet(slot, None) for slot in cleared), forget()]


async def start_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, reasons: list[str]
) -> list[EventType]:
    """Says why the case goes to a lawyer and starts the intake with what is already known."""

    def case_in_progress() -> escalation.CaseInProgress | None:
        with session_scope() as session:
            return escalation.case_in_progress(session, tracker.sender_id)

    try:
        case = await asyncio.to_thread(case_in_progress)
    except SQLAlchemyError:  # the case is opened after the intake; a hard case is not held up
        logger.exception("could not look up the case in progress")
        case = None
    beginning = escalation.begin(reasons, case, tracker.slots, conversation_texts(tracker))
    dispatcher.utter_message(text=beginning.text)
    await record(tracker.sender_id, "handoff_started", "request_human", ",".join(reasons))
    return [
        *([ActiveLoop(None)] if tracker.active_loop_name else []),
        # A joining or aid application the worker walks away from is dropped, not parked: its
        # summary must not be confirmed by a later "好的", nor its personal data kept.
        *clear_membership(),
        *clear_aid(),
        SlotSet(REASONS_SLOT, reasons),
        SlotSet(STREAK_SLOT, 0),
        *(SlotSet(slot, value) for slot, value in beginning.answers.items()),
        FollowupAction(FORM),
    ]


class ActionHandoffStart(Action):
    """The worker asked for a lawyer (转人工, 找律师, the menu button)."""

    def name(self) -> str:
        return "action_handoff_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        reasons = [triage.EXPLICIT, *triage.detect_reasons(text)]
        # A question asked with the request (请律师的钱公司要出吗) is answered first.
        answer = answer_before_intake(text, get_knowledge())
        if answer is not None:
            dispatcher.utter_message(text=answer.text)
            await record(tracker.sender_id, "legal_answer", "request_human", answer.faq_id)
        return await start_handoff(dispatcher, tracker, reasons)


class ValidateHandoffForm(CheckedForm):
    spec = intake.SPEC
    heard_at_consent = frozenset({"cancel", "change_field"})  # 修改: which answer?

    def name(self) -> str:
        return "validate_handoff_form"

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """At the last question, "改城市" reopens that answer, and anything else that is not a
        yes or no is asked again without counting as a failure: the intake is all there, and
        giving up now would lose it."""
        if not self.at_consent_unanswered(tracker) or self.interrupted(tracker):
            return await super().get_validation_events(dispatcher, tracker, domain)
        field = self.spec.field_to_change(tracker.latest_message.get("text") or "")
        if field is not None:
            return [SlotSet(field.slot, None)]
        consent = self.consent_in_words(tracker)
        if consent:
            return consent
        dispatcher.utter_message(text=self.spec.consent_needed)
        return [SlotSet(self.spec.consent_slot, None)]

    def prefill(self, texts: list[str], filled: Filled, tracker: Tracker) -> dict[str, str]:
        return {}  # what was said already is used as the intake starts (escalation.begin)


def intake_values(tracker: Tracker) -> dict[str, object]:
    return {slot: tracker.get_slot(slot) for slot in intake.SLOTS}


class ActionAskHandoffConsent(Action):
    """The last question shows everything that would go to the lawyer."""

    def name(self) -> str:
        return "action_ask_h_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            text=intake.SPEC.summary(intake_values(tracker)), buttons=CONSENT_BUTTONS
        )
        return []


class ActionHandoffAfterForm(Action):
    """The intake ended: open the case, or say why nothing was kept."""

    def name(self) -> str:
        return "action_handoff_after_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot(intake.CONSENT.slot) is False:
            dispatcher.utter_message(text=intake.DECLINED)
            return [*clear_intake(), SlotSet(DECLINED_SLOT, True)]
        if gave_up(tracker):
            await record(tracker.sender_id, "form_gave_up", "request_human")
            return clear_intake()
        values = intake_values(tracker)
        reasons = list(tracker.get_slot(REASONS_SLOT) or [triage.EXPLICIT])
        texts = conversation_texts(tracker)

        def store() -> str:
            with session_scope() as session:
                return escalation.open_case(session, tracker.sender_id, values, reasons, texts)

        try:
            opened = await asyncio.to_thread(store)
        except SQLAlchemyError:  # keep the intake: agreeing again tries again
            logger.exception("could not open the case")
            dispatcher.utter_message(text=intake.NOT_SAVED_YET)
            return [SlotSet(intake.CONSENT.slot, None), FollowupAction(FORM)]
        dispatcher.utter_message(text=opened)
        await record(tracker.sender_id, "ticket_opened", "request_human")
        return [*clear_intake(), SlotSet(DECLINED_SLOT, None)]


class ActionHandoffChangeField(Action):
    """改电话 at the last question: empty that answer, ask it again, then the summary again."""

    def name(self) -> str:
        return "action_handoff_change_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = intake.SPEC.field_to_change(tracker.latest_message.get("text") or "")
        if field is None:
            dispatcher.utter_message(**which_to_change(intake.SPEC))
            return [SlotSet(intake.CONSENT.slot, None), FollowupAction(FORM)]
        return [SlotSet(field.slot, None), SlotSet(intake.CONSENT.slot, None), FollowupAction(FORM)]
