"""Labour-law questions: the core's consultation rules, translated into Rasa messages."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import DECLINED_SLOT, STREAK_SLOT, start_handoff
from actions.recording import record
from desk.cases.escalation import automatic_reasons, unsure_streak
from desk.legal.consultation import (
    CONFIDENT_KINDS,
    PreviousTopic,
    Reply,
    answer_entry,
    answer_message,
    ask_for_question,
)
from desk.legal.library import get_knowledge

# Loaded when the action server starts, not on the first worker's question.
KNOWLEDGE = get_knowledge()


def _reply_for(tracker: Tracker) -> Reply:
    message = tracker.latest_message
    intent = (message.get("intent") or {}).get("name")
    if intent == "choose_faq":
        chosen = next(tracker.get_latest_entity_values("faq_id"), None)
        entry = KNOWLEDGE.entry(chosen) if chosen else None
        return answer_entry(entry, KNOWLEDGE) if entry else ask_for_question()
    text = (message.get("text") or "").strip()
    if not text or text.startswith("/"):  # the menu button, not a question yet
        return ask_for_question()
    return answer_message(text, KNOWLEDGE, _previous_topic(tracker))


def _previous_topic(tracker: Tracker) -> PreviousTopic | None:
    faq_id = tracker.get_slot("last_faq_id")
    if not faq_id:
        return None
    user_texts = [
        event.get("text") or "" for event in tracker.events if event.get("event") == "user"
    ]
    # The latest user event is the message being answered; the one before it set last_faq_id.
    earlier = user_texts[-2] if len(user_texts) > 1 else ""
    return PreviousTopic(faq_id, None if earlier.startswith("/") or not earlier else earlier)


async def utter_reply(
    dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply
) -> list[dict[str, Any]]:
    buttons = [{"title": title, "payload": payload} for title, payload in reply.buttons]
    dispatcher.utter_message(text=reply.text, buttons=buttons)
    await record(tracker.sender_id, f"legal_{reply.kind}", "ask_legal", reply.faq_id)
    return [SlotSet("last_faq_id", reply.faq_id)] if reply.faq_id else []


async def answer_or_pass_on(
    dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply
) -> list[dict[str, Any]]:
    """Answers, and passes the case to a lawyer when it is a hard one (a collective dispute, an
    injury, …) or the bot has now been unsure twice in a row. Inside another form the form
    goes on instead: the worker is in the middle of something."""
    if tracker.active_loop_name:
        return await utter_reply(dispatcher, tracker, reply)
    streak = unsure_streak(reply.kind, int(tracker.get_slot(STREAK_SLOT) or 0))
    text = tracker.latest_message.get("text") or ""
    reasons = automatic_reasons(
        "" if text.startswith("/") else text, streak, bool(tracker.get_slot(DECLINED_SLOT))
    )
    if not reasons:
        return [*await utter_reply(dispatcher, tracker, reply), SlotSet(STREAK_SLOT, streak)]
    # A confident answer helps at once; topic buttons would only compete with the intake.
    events = await utter_reply(dispatcher, tracker, reply) if reply.kind in CONFIDENT_KINDS else []
    return [*events, *await start_handoff(dispatcher, tracker, reasons)]


class ActionAnswerLegalQuestion(Action):
    def name(self) -> str:
        return "action_answer_legal_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await answer_or_pass_on(dispatcher, tracker, _reply_for(tracker))
