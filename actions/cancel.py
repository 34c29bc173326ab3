"""取消: stops whichever application is under way, in its form or at its summary."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import clear_aid, clear_membership
from actions.handoff import clear_intake
from desk.aid.application import CANCELLED as AID_CANCELLED
from desk.cases import intake
from desk.common import replies
from desk.membership import joining


class ActionCancel(Action):
    def name(self) -> str:
        return "action_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        loop = tracker.active_loop_name
        if loop == "aid_form" or tracker.get_slot("aid_stage"):
            text = AID_CANCELLED
        elif loop == "membership_form" or tracker.get_slot("membership_stage"):
            text = joining.CANCELLED
        elif loop == "handoff_form":
            text = intake.CANCELLED
        else:
            text = replies.NOTHING_TO_CANCEL
        dispatcher.utter_message(text=text)
        # Nothing of a cancelled application is kept, whichever it was.
        return [ActiveLoop(None), *clear_membership(), *clear_aid(), *clear_intake()]
