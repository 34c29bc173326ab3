"""入会: the form's validation and what happens around it, translated from desk.membership."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.recording import record
from desk import membership, replies
from desk.application_status import status_reply
from desk.db import session_scope
from desk.validation import Valid

FORM = "membership_form"
LAWYER_BUTTON = {"title": "转人工", "payload": "/request_human"}
CONFIRM_BUTTONS = [
    {"title": "确认提交", "payload": "/affirm"},
    {"title": "修改信息", "payload": "/change_field"},
    {"title": "取消", "payload": "/cancel"},
]


def form_values(tracker: Tracker) -> dict[str, Any]:
    return {field.slot: tracker.get_slot(field.slot) for field in membership.FIELDS}


def clear_form() -> list[EventType]:
    """Forget every answer: nothing of a cancelled or declined application is kept."""
    slots = ["m_consent", "m_failures", "membership_stage", *membership.FIELD_BY_SLOT]
    return [SlotSet(slot, None) for slot in slots]


def texts_since_form_started(tracker: Tracker) -> list[str]:
    """What the worker wrote from the message that started the form up to now."""
    events = tracker.events
    started = max(
        (
            i
            for i, e in enumerate(events)
            if e.get("event") == "active_loop" and e.get("name") == FORM
        ),
        default=0,
    )
    trigger = max((i for i in range(started) if events[i].get("event") == "user"), default=started)
    texts = (e.get("text") or "" for e in events[trigger:] if e.get("event") == "user")
    return [text for text in texts if not text.startswith("/")]


class ValidateMembershipForm(FormValidationAction):
    def name(self) -> str:
        return "validate_membership_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        declined = tracker.get_slot("m_consent") is False
        gave_up = (tracker.get_slot("m_failures") or 0) >= membership.MAX_FAILURES
        return [] if declined or gave_up else domain_slots

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Checks the answer just given; rasa-sdk then asks the next question or ends the form."""
        events: list[EventType] = []
        failures = tracker.get_slot("m_failures") or 0
        to_validate = tracker.slots_to_validate()
        if tracker.get_slot("requested_slot") == "m_consent" and "m_consent" not in to_validate:
            failures += 1  # neither yes nor no: say what is needed, and the form asks again
            if failures < membership.MAX_FAILURES:
                dispatcher.utter_message(text=membership.CONSENT_NEEDED)
            else:
                dispatcher.utter_message(text=membership.GIVE_UP, buttons=[LAWYER_BUTTON])
        for slot, value in to_validate.items():
            if slot not in membership.FIELD_BY_SLOT or value is None:
                continue
            checked = membership.check_answer(slot, str(value))
            if isinstance(checked, Valid):
                events.append(SlotSet(slot, str(checked.value)))
                failures = 0
                continue
            events.append(SlotSet(slot, None))
            failures += 1
            if failures >= membership.MAX_FAILURES:
                dispatcher.utter_message(text=membership.GIVE_UP, buttons=[LAWYER_BUTTON])
            else:
                dispatcher.utter_message(text=checked.message)
        if tracker.get_slot("m_consent"):
            # Answers given ahead of time, also in the message that started the form, are used
            # once consent is given — and only then.
            filled = {**form_values(tracker), **{e["name"]: e["value"] for e in events}}
            for slot, value in membership.prefill(
                texts_since_form_started(tracker), filled
            ).items():
                events.append(SlotSet(slot, value))
        if failures != (tracker.get_slot("m_failures") or 0):
            events.append(SlotSet("m_failures", failures))
        # No events at all tells Rasa the message was no answer (a question, say), so the rules
        # for interruptions get their turn.
        return events


class ActionMembershipAfterForm(Action):
    """The form ended: show the summary, or say why nothing was kept."""

    def name(self) -> str:
        return "action_membership_after_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("m_consent") is False:
            dispatcher.utter_message(text=membership.DECLINED)
            return clear_form()
        if (tracker.get_slot("m_failures") or 0) >= membership.MAX_FAILURES:
            await record(tracker.sender_id, "form_gave_up", "apply_membership")
            return clear_form()
        dispatcher.utter_message(
            text=membership.summary(form_values(tracker)), buttons=CONFIRM_BUTTONS
        )
        return [SlotSet("membership_stage", "confirm")]


class ActionMembershipSubmit(Action):
    def name(self) -> str:
        return "action_membership_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        values = form_values(tracker)

        def store() -> str:
            with session_scope() as session:
                return membership.submit_membership(session, tracker.sender_id, values)

        dispatcher.utter_message(text=await asyncio.to_thread(store))
        await record(tracker.sender_id, "application_submitted", "apply_membership")
        return clear_form()


class ActionCancel(Action):
    """取消: stops an application in the form or at its summary, keeping nothing of it."""

    def name(self) -> str:
        return "action_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        in_application = tracker.active_loop_name == FORM or tracker.get_slot("membership_stage")
        dispatcher.utter_message(
            text=membership.CANCELLED if in_application else replies.NOTHING_TO_CANCEL
        )
        return [ActiveLoop(None), *clear_form()]


class ActionMembershipChangeField(Action):
    """改手机号: empty that answer and let the form ask it again; then the summary again."""

    def name(self) -> str:
        return "action_membership_change_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = membership.field_to_change(tracker.latest_message.get("text") or "")
        if field is None:
            buttons = [{"title": f.label, "payload": f"改{f.label}"} for f in membership.FIELDS]
            dispatcher.utter_message(text=membership.CHANGE_WHICH, buttons=buttons)
            return []
        return [
            SlotSet(field.slot, None),
            SlotSet("membership_stage", None),
            FollowupAction(FORM),
        ]


class ActionCheckStatus(Action):
    def name(self) -> str:
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""

        def look_up() -> str:
            with session_scope() as session:
                return status_reply(session, tracker.sender_id, text)

        dispatcher.utter_message(text=await asyncio.to_thread(look_up))
        await record(tracker.sender_id, "status_lookup", "check_status")
        return []
