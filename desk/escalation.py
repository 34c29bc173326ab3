"""When the bot passes a case to a lawyer by itself, and what happens once the intake is done.

Asked for (转人工, the menu button) or not: a collective dispute, an absconding boss, an injury,
a deadline close, two answers in a row the bot was unsure of, a form that failed three times.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy.orm import Session

from desk import handoff, intake
from desk.lawyer_desk import queue_line
from desk.lawyers import listing
from desk.models import Notification, utcnow
from desk.relay import lawyer_chat
from desk.tickets import (
    OPEN,
    PAYLOAD_PREFIX,
    PRIORITY_LABEL,
    STATUS_LABEL,
    merge_tags,
    open_or_add,
    priority_for,
)
from desk.waiting import expected_wait

# Answers the bot gave without confidence. A message it could not read at all (not understood)
# is no answer: it neither counts nor breaks the streak — twice "嗯？" is no case for a lawyer.
UNSURE_KINDS = frozenset({"unsure", "no_article"})
UNSURE_LIMIT = 2


def unsure_streak(kind: str, streak: int) -> int:
    """How many answers in a row the bot was unsure of, after an answer of this kind."""
    if kind in UNSURE_KINDS:
        return streak + 1
    return streak if kind == "prompt" else 0  # "ask me your question" is no answer at all


def automatic_reasons(text: str, streak: int, declined: bool) -> list[str]:
    """Why this message should go to a lawyer without the worker asking; [] if it need not.

    declined: the worker said no to sharing with a lawyer in this conversation; we do not push
    again (they can still ask for one).
    """
    if declined:
        return []
    reasons = handoff.detect_reasons(text)
    if streak >= UNSURE_LIMIT:
        reasons.append(handoff.UNSURE_TWICE)
    return reasons


def open_case(
    session: Session,
    chat_id: str,
    values: Mapping[str, object],
    reasons: Iterable[str],
    texts: Iterable[str],
) -> str:
    """Opens the chat's case (or adds to the one in progress) from the finished intake and
    returns what the worker is told: the number, the priority and an honest wait."""
    reasons = list(reasons)
    story = str(values.get("h_story") or "")
    tags = handoff.detect_tags([*texts, story])
    if handoff.COLLECTIVE in reasons:
        tags = merge_tags(["集体"], tags)
    ticket, created = open_or_add(
        session, chat_id, story, intake.intake_record(values), priority_for(reasons), tags
    )
    session.flush()
    if created:
        _tell_lawyers(session, queue_line(ticket, utcnow()), ticket.number or "")
        wait = expected_wait(session, ticket)
        return (
            f"已为您登记案件 {ticket.number}（{PRIORITY_LABEL[ticket.priority]}）。{wait}\n"
            "律师接手后，您在这里发的消息会直接转给律师。在那之前，有问题也可以继续问我。"
        )
    added = f"已把新情况补充进您的案件 {ticket.number}（{STATUS_LABEL[ticket.status]}）。"
    return added + (expected_wait(session, ticket) if ticket.status == OPEN else "")


def _tell_lawyers(session: Session, line: str, number: str) -> None:
    take = [{"title": f"接手 {number}", "payload": f"{PAYLOAD_PREFIX}take:{number}"}]
    for lawyer in listing(session):
        session.add(
            Notification(
                chat_id=lawyer_chat(lawyer.telegram_id), text=f"新案件：{line}", buttons=take
            )
        )
