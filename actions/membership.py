"""入会: the form's validation and what happens around it, translated from the core."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.aid import submit_pending_aid
from actions.forms import CheckedForm, clear_aid, clear_membership
from actions.handoff import start_handoff
from actions.recording import record
from desk.applications.status import status_reply
from desk.cases.triage import FORM_FAILED
from desk.membership import joining
from desk.membership.answers import Invalid, Valid
from desk.storage.db import session_scope

FORM = "membership_form"
CONFIRM_BUTTONS = [
    {"title": "确认提交", "payload": "/affirm"},
    {"title": "修改信息", "payload": "/change_field"},
    {"title": "取消", "payload": "/cancel"},
]


def form_values(tracker: Tracker) -> dict[str, Any]:
    return {field.slot: tracker.get_slot(field.slot) for field in joining.FIELDS}


class ValidateMembershipForm(CheckedForm):
    consent_slot = "m_consent"

    def name(self) -> str:
        return "validate_membership_form"

    def check(self, slot: str, value: str, tracker: Tracker) -> Valid[str] | Invalid | None:
        if slot not in joining.FIELD_BY_SLOT:
            return None
        checked = joining.check_answer(slot, value)
        return Valid(str(checked.value)) if isinstance(checked, Valid) else checked

    def prefill(
        self, texts: list[str], filled: dict[str, object], tracker: Tracker
    ) -> dict[str, str]:
        return joining.prefill(texts, filled)


class ActionMembershipAfterForm(Action):
    """The form ended: show the summary, or say why nothing was kept."""

    def name(self) -> str:
        return "action_membership_after_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("m_consent") is False:
            dispatcher.utter_message(text=joining.DECLINED)
            return clear_membership()
        if (tracker.get_slot("m_failures") or 0) >= joining.MAX_FAILURES:
            await record(tracker.sender_id, "form_gave_up", "apply_membership")
            return await start_handoff(dispatcher, tracker, [FORM_FAILED])  # clears the form
        dispatcher.utter_message(
            text=joining.summary(form_values(tracker)), buttons=CONFIRM_BUTTONS
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
                return joining.submit_membership(session, tracker.sender_id, values)

        dispatcher.utter_message(text=await asyncio.to_thread(store))
        await record(tracker.sender_id, "application_submitted", "apply_membership")
        if not tracker.get_slot("aid_awaits_membership"):
            return clear_membership()
        # The worker joined to qualify for aid: with the joining application pending, the aid
        # application they already answered goes in now.
        aid = await submit_pending_aid(tracker)
        if aid is not None:
            dispatcher.utter_message(text=aid.text)
            await record(tracker.sender_id, "application_submitted", "apply_aid")
        return [*clear_membership(), *clear_aid()]


class ActionMembershipChangeField(Action):
    """改手机号: empty that answer and let the form ask it again; then the summary again."""

    def name(self) -> str:
        return "action_membership_change_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = joining.field_to_change(tracker.latest_message.get("text") or "")
        if field is None:
            buttons = [{"title": f.label, "payload": f"改{f.label}"} for f in joining.FIELDS]
            dispatcher.utter_message(text=joining.CHANGE_WHICH, buttons=buttons)
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
