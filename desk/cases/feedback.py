"""The follow-up after a closed case (回访): a score from 1 to 5, then an optional comment.

The worker is asked once, with buttons, which keep working. A typed digit counts only as the
next message after the question: anything else ends that wait and goes to the bot, so neither a
new question nor a later "3" (an answer to another form) is swallowed as a score. Right after the
score the next message is the comment, because we asked for it — within a day; later it is a
new message for the bot.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.cases.tickets import CLOSED, COMMENT_STAGE, PAYLOAD_PREFIX, TicketError, by_number, rate
from desk.common.replies import Reply
from desk.storage.models import Ticket, as_utc, utcnow

_SCORE = re.compile(r"^\s*([1-5１-５一二三四五])\s*(分|星)?\s*[。！!.]?\s*$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
SKIP_COMMENT = "不用了"
SKIP_WORDS = frozenset({SKIP_COMMENT, "不用", "没有", "没有了", "算了"})
ASK_COMMENT = "谢谢您的评分！还想说说意见或建议吗？直接回复就好；不用的话点「不用了」。"
THANKS = "谢谢您的反馈，我们会转告律师并继续改进。有问题随时找我。"
SKIPPED = "好的，谢谢您！有问题随时找我。"
COMMENT_WINDOW = timedelta(days=1)


def read_score(text: str) -> int | None:
    """5, ５, 5分, 五分 → 5; anything else None."""
    found = _SCORE.match(text)
    if not found:
        return None
    digit = found.group(1)
    return _CHINESE_DIGITS.get(digit) or int(digit.translate(str.maketrans("１２３４５", "12345")))


def awaiting(session: Session, chat_id: str) -> Ticket | None:
    """The chat's closed case whose follow-up is still open, the latest first."""
    return session.scalars(
        select(Ticket)
        .where(
            Ticket.chat_id == chat_id,
            Ticket.status == CLOSED,
            Ticket.feedback_stage.is_not(None),
        )
        .order_by(Ticket.closed_at.desc(), Ticket.id.desc())
    ).first()


def on_text(session: Session, chat_id: str, text: str) -> list[Reply] | None:
    """A score or a comment for the follow-up; None when the text is neither (the bot answers)."""
    ticket = awaiting(session, chat_id)
    if ticket is None:
        return None
    if ticket.feedback_stage == COMMENT_STAGE:
        ticket.feedback_stage = None
        if not _just_rated(ticket):
            return None
        if text.strip().rstrip("。！!.") in SKIP_WORDS:  # the button's title, typed
            return [Reply(SKIPPED)]
        ticket.rating_comment = text.strip()
        return [Reply(THANKS)]
    score = read_score(text)
    if score is None:
        ticket.feedback_stage = None  # asked once; the buttons still work
        return None
    return _rated(session, ticket.number or "", chat_id, score)


def on_payload(session: Session, chat_id: str, payload: str) -> list[Reply] | None:
    """ticket:rate:<number>:<score> and ticket:nocomment:<number>; None for other payloads."""
    parts = payload.removeprefix(PAYLOAD_PREFIX).split(":")
    if parts[0] == "rate" and len(parts) == 3 and parts[2].isdigit():
        return _rated(session, parts[1], chat_id, int(parts[2]))
    if parts[0] == "nocomment" and len(parts) == 2:
        ticket = by_number(session, parts[1])
        own = ticket is not None and ticket.chat_id == chat_id
        if own and ticket.feedback_stage == COMMENT_STAGE:
            ticket.feedback_stage = None
        return [Reply(SKIPPED)]
    return None


def _just_rated(ticket: Ticket) -> bool:
    rated = [event.created_at for event in ticket.events if event.action == "rated"]
    return bool(rated) and utcnow() - as_utc(rated[-1]) <= COMMENT_WINDOW


def _rated(session: Session, number: str, chat_id: str, score: int) -> list[Reply]:
    try:
        rated = rate(session, number, chat_id, score)
    except TicketError as error:
        return [Reply(str(error))]
    skip = (SKIP_COMMENT, f"{PAYLOAD_PREFIX}nocomment:{rated.number}")
    return [Reply(ASK_COMMENT, (skip,))]
