"""What the action tests compare against: the messages an action sent, the statistics and
records it wrote, and the slot resets that recur in many expected event lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from desk.storage.db import session_scope
from desk.storage.models import Application, Interaction, Ticket

Said = list[tuple[str | None, list[str]]]

MENU_BUTTONS = [
    "法律咨询 → /ask_legal",
    "申请入会 → /apply_membership",
    "申请帮扶/救助 → /apply_aid",
    "转人工律师 → /request_human",
    "查询进度 → /check_status",
]
LAWYER_BUTTON = ["转人工律师 → /request_human"]


def cleared(*slots: str) -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in slots]


MEMBERSHIP_SLOTS = (
    "m_consent",
    "m_failures",
    "membership_stage",
    "m_name",
    "m_id_number",
    "m_phone",
    "m_employer",
    "m_occupation",
    "m_location",
    "m_other_member",
)
AID_SLOTS = (
    "a_consent",
    "a_programme",
    "a_answer",
    "a_answers",
    "aid_stage",
    "aid_awaits_membership",
)
INTAKE_SLOTS = (
    "h_story",
    "h_employer",
    "h_city",
    "h_workers",
    "h_amount",
    "h_phone",
    "h_consent",
    "handoff_reasons",
    "m_failures",
)
# Nothing of an application the worker cancels, declines, abandons or submits is kept.
# The marker tells the tracker store to empty them from the stored conversation too.
FORGOTTEN = SlotSet("forget_answers", True)
FORGET_MEMBERSHIP = [*cleared(*MEMBERSHIP_SLOTS), FORGOTTEN]
FORGET_AID = [*cleared(*AID_SLOTS), FORGOTTEN]
FORGET_INTAKE = [*cleared(*INTAKE_SLOTS), FORGOTTEN]
FORM_FAILED = "这一步填写一直没成功，别着急。我这就帮您转给工会律师，先简单问几个问题。"


def handed_over(reasons: list[str], **answers: str) -> list[dict[str, Any]]:
    """The events that start the lawyer intake: other applications dropped, why, and the
    intake's answers already known from the conversation."""
    return [
        *FORGET_MEMBERSHIP,
        *FORGET_AID,
        SlotSet("handoff_reasons", reasons),
        SlotSet("unsure_streak", 0),
        *(SlotSet(slot, value) for slot, value in answers.items()),
        FollowupAction("handoff_form"),
    ]


def said(dispatcher: CollectingDispatcher) -> Said:
    """What the action sent: each message's text and its buttons as "title → payload"."""
    return [
        (message["text"], [f"{b['title']} → {b['payload']}" for b in message["buttons"]])
        for message in dispatcher.messages
    ]


def recorded(database_url: str) -> list[tuple[str, str | None, str | None]]:
    """The statistics written, in order: (kind, service, topic)."""
    with session_scope(database_url) as session:
        rows = session.scalars(select(Interaction).order_by(Interaction.id))
        return [(row.kind, row.service, row.topic) for row in rows]


def applications(database_url: str) -> Sequence[Application]:
    with session_scope(database_url) as session:
        return session.scalars(select(Application).order_by(Application.id)).all()


def tickets(database_url: str) -> Sequence[Ticket]:
    with session_scope(database_url) as session:
        return session.scalars(select(Ticket).order_by(Ticket.id)).all()
