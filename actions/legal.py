"""Labour-law questions: the core's consultation rules, translated into Rasa messages."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import DECLINED_SLOT, STREAK_SLOT, start_handoff
from actions.recording import record
from desk.cases.escalation import after_reply
from desk.legal.consultation import (
    PreviousTopic,
    Reply,
    answer_entry,
    answer_message,
    ask_for_question,
)
from desk.legal.library import get_knowledge
from desk.menu import with_offers

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
    offered = reply.buttons
    if not tracker.active_loop_name:  # inside a form the form resumes: no other application
        offered = with_offers(reply.buttons, tracker.latest_message.get("text") or "")
    buttons = [{"title": title, "payload": payload} for title, payload in offered]
    dispatcher.utter_message(text=reply.text, buttons=buttons)
    await record(tracker.sender_id, f"legal_{reply.kind}", "ask_legal", reply.faq_id)
    return [SlotSet("last_faq_id", reply.faq_id)] if reply.faq_id else []


async def answer_or_pass_on(
    dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply
) -> list[dict[str, Any]]:
    """Answers, and passes the case to a lawyer when desk.cases.escalation says it goes on."""
    text = tracker.latest_message.get("text") or ""
    after = after_reply(
        reply,
        text,
        int(tracker.get_slot(STREAK_SLOT) or 0),
        declined=bool(tracker.get_slot(DECLINED_SLOT)),
        in_form=bool(tracker.active_loop_name),
    )
    events = await utter_reply(dispatcher, tracker, after.shown) if after.shown else []
    if after.reasons:
        return [*events, *await start_handoff(dispatcher, tracker, after.reasons)]
    return [*events, *([] if after.streak is None else [SlotSet(STREAK_SLOT, after.streak)])]


class ActionAnswerLegalQuestion(Action):
    def name(self) -> str:
        return "action_answer_legal_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await answer_or_pass_on(dispatcher, tracker, _reply_for(tracker))
