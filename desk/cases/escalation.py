"""When the bot passes a case to a lawyer by itself, and what happens once the intake is done.

Asked for (转人工, the menu button) or not: a collective dispute, an absconding boss, an injury,
a deadline close, two answers in a row the bot was unsure of, a form that failed three times.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from desk.cases import intake, triage
from desk.cases.lawyer_commands import queue_line
from desk.cases.lawyers import listing
from desk.cases.tickets import (
    OPEN,
    PRIORITY_LABEL,
    STATUS_LABEL,
    current_for_chat,
    merge_tags,
    open_or_add,
    priority_for,
    take_button,
)
from desk.cases.waiting import expected_wait
from desk.common.chats import telegram_chat
from desk.legal.consultation import CONFIDENT_KINDS, Reply
from desk.storage import outbox
from desk.storage.models import utcnow

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
    reasons = triage.detect_reasons(text)
    if streak >= UNSURE_LIMIT:
        reasons.append(triage.UNSURE_TWICE)
    return reasons


@dataclass(frozen=True)
class AfterReply:
    """What follows the bot's reply to a legal question."""

    reasons: list[str]  # why the case goes to a lawyer now; [] when it does not
    streak: int | None  # the unsure streak to keep; None: unchanged (inside another form)
    shown: Reply | None  # what the worker is shown before the intake (if any) starts


def after_reply(reply: Reply, text: str, streak: int, declined: bool, in_form: bool) -> AfterReply:
    """Whether this reply to this message passes the case on to a lawyer: a hard case (a
    collective dispute, an injury, …) or the bot now unsure twice in a row. Inside another form
    the form goes on instead: the worker is in the middle of something.

    A hard case is answered first, with its cited text (工伤认定怎么申请, 老板跑了谁付工资):
    when the desk was unsure between topics it answers the closest one rather than ask back, and
    the answer comes without buttons, which would only compete with the intake that follows."""
    if in_form:
        return AfterReply([], None, reply)
    streak = unsure_streak(reply.kind, streak)
    reasons = automatic_reasons("" if text.startswith("/") else text, streak, declined)
    if not reasons:
        return AfterReply([], streak, reply)
    if reply.kind in CONFIDENT_KINDS:
        return AfterReply(reasons, streak, reply.alone())
    hard_case = any(reason in triage.DETECTED for reason in reasons)
    guess = reply.best_guess.alone() if hard_case and reply.best_guess else None
    return AfterReply(reasons, streak, guess)


@dataclass(frozen=True)
class CaseInProgress:
    number: str
    status: str
    intake: dict[str, object]


@dataclass(frozen=True)
class Beginning:
    text: str  # why the case goes to a lawyer, and the case it adds to
    answers: dict[str, str]  # the intake's answers already given, by slot


# Answers the worker gave in another form of this conversation, worth not asking again.
FROM_OTHER_FORMS = {"m_phone": "h_phone", "m_location": "h_city", "m_employer": "h_employer"}


def case_in_progress(session: Session, chat_id: str) -> CaseInProgress | None:
    ticket = current_for_chat(session, chat_id)
    if ticket is None:
        return None
    return CaseInProgress(ticket.number or "", ticket.status, dict(ticket.intake or {}))


def begin(
    reasons: list[str],
    case: CaseInProgress | None,
    slots: Mapping[str, object],
    texts: list[str],
) -> Beginning:
    """What the worker is told as the intake starts, and what it need not ask: answers already
    in the intake's slots, the case in progress (all but its story: the worker is adding
    something new), the other forms' answers, then what the conversation said — for a case in
    progress only its latest message, the rest being in the case already."""
    text = triage.explain(reasons)
    filled: dict[str, object] = {field.slot: slots.get(field.slot) for field in intake.ANSWERS}
    if case is not None:
        text += (
            f"\n您已有案件 {case.number}（{STATUS_LABEL[case.status]}），这次说的情况会补充进去。"
        )
        filled |= intake.prefill_from_previous(case.intake)
    filled |= intake.SPEC.prefill(
        ((slot, slots.get(other)) for other, slot in FROM_OTHER_FORMS.items()), filled
    )
    found = intake.prefill(texts[-1:] if case is not None else texts, filled)
    answers = {slot: str(value) for slot, value in filled.items() if value} | found
    return Beginning(text, answers)


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
    tags = triage.detect_tags([*texts, story])
    if triage.COLLECTIVE in reasons:
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
    for lawyer in listing(session):
        outbox.post(
            session, telegram_chat(lawyer.telegram_id), f"新案件：{line}", [take_button(number)]
        )
