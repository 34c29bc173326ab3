"""What the desk says when it did not understand, instead of guessing."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.recording import record
from desk.menu import menu_buttons

NOT_UNDERSTOOD = "抱歉，我没太明白您的意思。可以换个说法再说一次，或者从下面选择您需要的服务："


class ActionDefaultFallback(Action):
    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=NOT_UNDERSTOOD, buttons=menu_buttons())
        await record(tracker.sender_id, "not_understood")
        # Forget the misunderstood message so it does not steer the next prediction.
        return [UserUtteranceReverted()]
