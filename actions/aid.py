"""帮扶/救助: the aid form and what happens around it, translated from desk.aid."""

from __future__ import annotations

import asyncio
from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import FAILURES_SLOT, CheckedForm, Filled, clear_aid, gave_up
from actions.handoff import start_handoff
from actions.recording import record
from desk.aid.answers import Asked
from desk.aid.application import (
    DECLINED,
    DONE,
    PERSONAL,
    SPEC,
    AidReply,
    Draft,
    check_aid_slot,
    choice_buttons,
    correction,
    heard_in_aid,
    pending_questions,
    prefill,
    submit_draft,
    summary,
    with_answer,
)
from desk.aid.policies import Policy, get_policies
from desk.applications.store import Applicant
from desk.cases.triage import FORM_FAILED
from desk.forms.answers import Invalid, Valid
from desk.forms.interruptions import Heard
from desk.storage.db import session_scope

# Loaded when the action server starts, not on the first worker's question.
POLICIES = get_policies()
IDENTITY = ("m_name", "m_id_number", "m_phone")
CONFIRM_BUTTONS = [
    {"title": "确认提交", "payload": "/affirm"},
    {"title": "取消", "payload": "/cancel"},
]
JOIN_BUTTON = {"title": "现在申请入会", "payload": "/apply_membership"}


def policy_of(tracker: Tracker) -> Policy | None:
    return POLICIES.find(tracker.get_slot("a_programme") or "")


def stored_answers(tracker: Tracker) -> dict[str, str]:
    return dict(tracker.get_slot("a_answers") or {})


def next_question(tracker: Tracker, stored: dict[str, str]) -> Asked | None:
    """The programme's first question without an answer in stored."""
    policy = policy_of(tracker)
    pending = pending_questions(policy, stored, date.today()) if policy else []
    return pending[0] if pending else None


def applicant_of(tracker: Tracker) -> Applicant:
    name, id_number, phone = (str(tracker.get_slot(slot)) for slot in IDENTITY)
    return Applicant(name, id_number, phone)


class ValidateAidForm(CheckedForm):
    spec = SPEC

    def name(self) -> str:
        return "validate_aid_form"

    def check(self, slot: str, value: str, tracker: Tracker) -> Valid[str] | Invalid | None:
        policy, stored = policy_of(tracker), stored_answers(tracker)
        own_id = tracker.get_slot("m_id_number")
        return check_aid_slot(slot, value, POLICIES, policy, stored, date.today(), own_id)

    def heard(
        self, slot: str, value: str, checked: Valid[str] | Invalid, tracker: Tracker
    ) -> Heard:
        intent = tracker.get_intent_of_latest_message()
        policy, stored = policy_of(tracker), stored_answers(tracker)
        return heard_in_aid(slot, value, checked, intent, policy, stored, date.today())

    def kept_events(self, slot: str, value: str, tracker: Tracker) -> list[EventType]:
        if slot != "a_answer" or value == DONE:
            return [SlotSet(slot, value)]
        recorded = with_answer(policy_of(tracker), stored_answers(tracker), value, date.today())
        if recorded is None:
            return [SlotSet(slot, DONE)]
        answers, done = recorded
        return [SlotSet("a_answers", answers), SlotSet(slot, DONE if done else None)]

    def prefill(self, texts: list[str], filled: Filled, tracker: Tracker) -> dict[str, str]:
        return prefill(POLICIES, texts, filled)


class ActionAskAAnswer(Action):
    """Asks the programme's next question, with its choices as buttons."""

    def name(self) -> str:
        return "action_ask_a_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked = next_question(tracker, stored_answers(tracker))
        if asked is not None:
            buttons = [{"title": value, "payload": value} for value in choice_buttons(asked)]
            dispatcher.utter_message(text=asked.text, buttons=buttons)
        return []


class ActionAidAfterForm(Action):
    def name(self) -> str:
        return "action_aid_after_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        policy = policy_of(tracker)
        if tracker.get_slot("a_consent") is False:
            dispatcher.utter_message(text=DECLINED)
            return clear_aid()
        if policy is None or gave_up(tracker):
            await record(tracker.sender_id, "form_gave_up", "apply_aid")
            return await start_handoff(dispatcher, tracker, [FORM_FAILED])  # clears the form
        text = summary(
            policy,
            applicant_of(tracker),
            stored_answers(tracker),
            date.today(),
            tracker.get_slot("m_location"),
        )
        dispatcher.utter_message(text=text, buttons=CONFIRM_BUTTONS)
        return [SlotSet("aid_stage", "confirm")]


def aid_draft(tracker: Tracker) -> Draft | None:
    """The aid application the slots hold, if any."""
    policy = policy_of(tracker)
    if policy is None:
        return None
    location = tracker.get_slot("m_location")
    return Draft(policy, applicant_of(tracker), stored_answers(tracker), location)


class ActionAidSubmit(Action):
    def name(self) -> str:
        return "action_aid_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        draft = aid_draft(tracker)
        if draft is None:
            return clear_aid()

        def store() -> AidReply:
            with session_scope() as session:
                return submit_draft(session, tracker.sender_id, draft, date.today())

        reply = await asyncio.to_thread(store)
        if reply.needs_membership:
            # Keep the aid answers; joining asks only what it does not know yet.
            dispatcher.utter_message(text=reply.text, buttons=[JOIN_BUTTON])
            return [SlotSet("aid_stage", None), SlotSet("aid_awaits_membership", True)]
        dispatcher.utter_message(text=reply.text)
        await record(tracker.sender_id, "application_submitted", "apply_aid")
        return [*clear_aid(), *(SlotSet(slot, None) for slot in (*PERSONAL, FAILURES_SLOT))]


class ActionAidChangeField(Action):
    """改手机号 / 改9月单量 at the summary: forget that answer, ask it again, then the summary."""

    def name(self) -> str:
        return "action_aid_change_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        change = correction(policy_of(tracker), text, date.today())
        if change is None:
            dispatcher.utter_message(text=SPEC.change_which)
            return []
        if change.slot is not None:
            changed = [SlotSet(change.slot, None)]
        else:
            stored = stored_answers(tracker)
            stored.pop(change.answer_key or "", None)
            changed = [SlotSet("a_answers", stored), SlotSet("a_answer", None)]
        return [*changed, SlotSet("aid_stage", None), FollowupAction("aid_form")]
