"""Recording what the desk did, for the figures union staff report."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.common.pseudonym import chat_pseudonym
from desk.storage.models import Interaction


def channel_of(sender_id: str) -> str:
    """Sender ids are "<channel>:<id>" (tg:42, cli:local); anything else came straight to Rasa."""
    channel, separator, _ = sender_id.partition(":")
    return channel[:16] if separator else "rest"


def record_interaction(
    session: Session,
    sender_id: str,
    kind: str,
    service: str | None = None,
    topic: str | None = None,
) -> Interaction:
    interaction = Interaction(
        channel=channel_of(sender_id),
        chat_pseudonym=chat_pseudonym(sender_id),
        kind=kind,
        service=service,
        topic=topic,
    )
    session.add(interaction)
    return interaction


def count_by_kind(session: Session) -> dict[str, int]:
    rows = session.execute(select(Interaction.kind, func.count()).group_by(Interaction.kind))
    return {kind: count for kind, count in rows}
