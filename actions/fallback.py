"""What the desk says when Rasa was unsure of the message's intent.

The FAQ search gets a chance first: a labour question phrased in a way the intent classifier
has not seen is still answered when the knowledge base is confident about it, and gets the
closest topics to choose from when the knowledge base recognises the subject.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import DECLINED_SLOT, start_handoff
from actions.legal import KNOWLEDGE, answer_or_pass_on
from actions.recording import record
from desk.cases.escalation import automatic_reasons
from desk.legal.consultation import CONFIDENT_KINDS, answer_message
from desk.menu import menu_buttons

NOT_UNDERSTOOD = "抱歉，我没太明白您的意思。可以换个说法再说一次，或者从下面选择您需要的服务："


def wait_for_the_worker(tracker: Tracker, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """After an answer outside a form, the turn ends. No rule follows Rasa's core fallback:
    without this the policy predicts the fallback again, and the worker got the same answer ten
    times (then nothing at all for the next message). A form goes on as its rules say, and so
    does a handoff that starts one."""
    if tracker.active_loop_name or any(event.get("event") == "followup" for event in events):
        return events
    return [*events, FollowupAction("action_listen")]


class ActionDefaultFallback(Action):
    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = (tracker.latest_message.get("text") or "").strip()
        reply = answer_message(text, KNOWLEDGE) if text else None
        if reply is not None and (reply.kind in CONFIDENT_KINDS or reply.offers_topics):
            events = await answer_or_pass_on(dispatcher, tracker, reply)
            return wait_for_the_worker(tracker, events)
        if text and not tracker.active_loop_name:
            # 我们二十多个人都没拿到钱: a hard case, however phrased.
            reasons = automatic_reasons(text, 0, bool(tracker.get_slot(DECLINED_SLOT)))
            if reasons:
                return await start_handoff(dispatcher, tracker, reasons)
        dispatcher.utter_message(text=NOT_UNDERSTOOD, buttons=menu_buttons())
        await record(tracker.sender_id, "not_understood")
        # Forget the misunderstood message so it does not steer the next prediction.
        return [UserUtteranceReverted()]
