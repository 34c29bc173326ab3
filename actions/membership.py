"""入会: the form's validation and what happens around it, translated from the core."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.aid import aid_draft
from actions.forms import CheckedForm, Filled, clear_aid, clear_membership, gave_up, which_to_change
from actions.handoff import start_handoff
from actions.legal import KNOWLEDGE, answer_or_pass_on
from actions.recording import record
from desk.aid.application import Joined, join_then_apply
from desk.applications.status import ASK_FOR_NUMBER, names_an_application, status_reply
from desk.cases.triage import FORM_FAILED
from desk.legal.consultation import sure_answer
from desk.membership import joining
from desk.storage.db import session_scope

FORM = "membership_form"
CONFIRM_BUTTONS = [
    {"title": "确认提交", "payload": "/affirm"},
    {"title": "修改信息", "payload": "/change_field"},
    {"title": "取消", "payload": "/cancel"},
]


def form_values(tracker: Tracker) -> dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in joining.SPEC.slots}


class ValidateMembershipForm(CheckedForm):
    spec = joining.SPEC

    def name(self) -> str:
        return "validate_membership_form"

    def prefill(self, texts: list[str], filled: Filled, tracker: Tracker) -> dict[str, str]:
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
        if gave_up(tracker):
            await record(tracker.sender_id, "form_gave_up", "apply_membership")
            return await start_handoff(dispatcher, tracker, [FORM_FAILED])  # clears the form
        dispatcher.utter_message(
            text=joining.SPEC.summary(form_values(tracker)), buttons=CONFIRM_BUTTONS
        )
        return [SlotSet("membership_stage", "confirm")]


class ActionMembershipSubmit(Action):
    def name(self) -> str:
        return "action_membership_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # The worker may have joined to qualify for aid: the aid application they answered goes
        # in right after.
        awaits = bool(tracker.get_slot("aid_awaits_membership"))
        values, waiting = form_values(tracker), aid_draft(tracker) if awaits else None

        def store() -> Joined:
            with session_scope() as session:
                return join_then_apply(session, tracker.sender_id, values, waiting, date.today())

        joined = await asyncio.to_thread(store)
        dispatcher.utter_message(text=joined.joining)
        await record(tracker.sender_id, "application_submitted", "apply_membership")
        if joined.aid is not None:
            dispatcher.utter_message(text=joined.aid.text)
            await record(tracker.sender_id, "application_submitted", "apply_aid")
        return [*clear_membership(), *(clear_aid() if awaits else [])]


class ActionMembershipChangeField(Action):
    """改手机号: empty that answer and let the form ask it again; then the summary again."""

    def name(self) -> str:
        return "action_membership_change_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = joining.SPEC.field_to_change(tracker.latest_message.get("text") or "")
        if field is None:
            dispatcher.utter_message(**which_to_change(joining.SPEC))
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

        found = await asyncio.to_thread(look_up)
        if found == ASK_FOR_NUMBER and not names_an_application(text):
            question = sure_answer(text, KNOWLEDGE)
            if question is not None:  # a labour-law question heard as a status request
                return await answer_or_pass_on(dispatcher, tracker, question)
        dispatcher.utter_message(text=found)
        await record(tracker.sender_id, "status_lookup", "check_status")
        return []
