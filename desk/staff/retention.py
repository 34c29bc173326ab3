"""How long personal data is kept (`python -m desk purge`, daily under systemd).

- An application that reached its end (joining approved or rejected, aid paid or rejected)
  and a closed case keep their personal data for RETENTION_DAYS after the last change: the
  name, ID and phone numbers, answers, what the worker wrote, arbitration drafts and the chat
  they wrote from (the case's record of which chat got which relayed message too) are then
  erased. What stays is what the union's figures need (number, kind,
  status, dates, the union, verdict and amount, outcome, money recovered, rating) and the keyed
  hashes of ID number and household, which carry the once-per-person/household rules and
  membership and reveal nothing by themselves.
- Conversations (Rasa's tracker store: every message and the slots of half-filled forms) and
  delivered notices are deleted CONVERSATION_RETENTION_DAYS after their last message; so are
  notices parked that long ago (a chat that blocked the bot, a WeChat follower who never wrote
  again): they would never be delivered, and they hold what the desk said to someone.
- The audit log keeps who did what to which record, never what someone wrote: audit lines that
  older versions wrote with a worker's or lawyer's words (a case's 补充, a reason for giving a
  case back) lose those words on the next purge.
Applications and cases still being handled are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import create_engine, delete, inspect, or_, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from desk.applications.store import APPROVED, PAID, REJECTED
from desk.cases.tickets import AUDITED_NOTES, CLOSED
from desk.common import attempts
from desk.settings import Settings
from desk.storage import audit
from desk.storage.models import (
    Application,
    ApplicationEvent,
    AuditEntry,
    CaseDraft,
    Notification,
    RelayedMessage,
    Ticket,
    TicketEvent,
    TicketMessage,
    utcnow,
)

FINAL = (APPROVED, PAID, REJECTED)
ERASED = ""  # what an erased text column holds (they are NOT NULL)


@dataclass(frozen=True)
class Purged:
    applications: int
    cases: int
    notices: int
    conversations: int
    audit_texts: int = 0

    def __str__(self) -> str:
        return (
            f"已清除个人信息 / personal data erased: {self.applications} 份申请 applications, "
            f"{self.cases} 件案件 cases, {self.audit_texts} 条审计记录里的原话 audit texts; "
            f"已删除 / deleted: {self.notices} 条已送达或搁置的通知 notices delivered or parked, "
            f"{self.conversations} 段对话 conversations"
        )


def purge_desk(
    session: Session, application_cutoff: datetime, notice_cutoff: datetime
) -> tuple[int, int, int]:
    """Erases personal data of finished applications and closed cases last changed before the
    cutoff; deletes notices delivered or parked before notice_cutoff. Returns the three counts."""
    applications = list(
        session.scalars(
            select(Application.id).where(
                Application.status.in_(FINAL),
                Application.updated_at < application_cutoff,
                Application.phone != ERASED,
            )
        )
    )
    if applications:
        session.execute(
            update(Application)
            .where(Application.id.in_(applications))
            .values(
                applicant_name=ERASED,
                id_number=ERASED,
                phone=ERASED,
                chat_id=ERASED,
                details={},
                decision_reason=None,
            )
        )
        session.execute(
            update(ApplicationEvent)
            .where(ApplicationEvent.application_id.in_(applications))
            .values(note=None)
        )
    cases = list(
        session.scalars(
            select(Ticket.id).where(
                Ticket.status == CLOSED,
                Ticket.closed_at < application_cutoff,
                Ticket.chat_id != ERASED,
            )
        )
    )
    if cases:
        session.execute(
            update(Ticket)
            .where(Ticket.id.in_(cases))
            .values(summary=ERASED, intake={}, chat_id=ERASED, rating_comment=None)
        )
        session.execute(
            update(TicketEvent).where(TicketEvent.ticket_id.in_(cases)).values(note=None)
        )
        session.execute(delete(TicketMessage).where(TicketMessage.ticket_id.in_(cases)))
        # Which chat got which relayed message: it would tie the worker's chat to the case.
        session.execute(delete(RelayedMessage).where(RelayedMessage.ticket_id.in_(cases)))
        # Arbitration drafts name the worker and their ID number: gone with the case, and so are
        # the copies a notice still carries.
        session.execute(delete(CaseDraft).where(CaseDraft.ticket_id.in_(cases)))
        session.execute(
            update(Notification)
            .where(Notification.ticket_id.in_(cases), Notification.document.is_not(None))
            .values(document=None)
        )
    notices = session.execute(
        delete(Notification).where(
            or_(Notification.sent_at < notice_cutoff, Notification.parked_at < notice_cutoff)
        )
    ).rowcount
    return len(applications), len(cases), notices or 0


def clear_audit_texts(session: Session) -> int:
    """Empties the words older versions copied into case audit lines (see AUDITED_NOTES)."""
    audited = [f"ticket.{action}" for action in sorted(AUDITED_NOTES)]
    cleared = session.execute(
        update(AuditEntry)
        .where(
            AuditEntry.action.like("ticket.%"),
            AuditEntry.action.not_in(audited),
            AuditEntry.detail.is_not(None),
        )
        .values(detail=None)
    ).rowcount
    return cleared or 0


def tracker_url(settings: Settings) -> str:
    """Where Rasa keeps conversations: the shared PostgreSQL store (opened here with our
    driver, psycopg 3), or the launcher's file."""
    if settings.rasa_tracker_url:
        url = make_url(settings.rasa_tracker_url)
        if url.get_backend_name() == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{settings.data_dir / 'rasa_tracker.db'}"


_STALE = "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"


def purge_conversations(url: str, cutoff: datetime) -> int:
    """Deletes every event of the conversations whose last event is older than cutoff (Rasa's
    SQL tracker store: table events, timestamp in seconds). Returns how many conversations."""
    engine = create_engine(url)
    try:
        if not inspect(engine).has_table("events"):
            return 0  # Rasa never ran here
        with engine.begin() as connection:
            cut = {"cutoff": cutoff.timestamp()}
            count = connection.execute(text(f"SELECT COUNT(*) FROM ({_STALE}) AS stale"), cut)
            stale = int(count.scalar_one())
            connection.execute(text(f"DELETE FROM events WHERE sender_id IN ({_STALE})"), cut)
            return stale
    finally:
        engine.dispose()


def purge(session: Session, settings: Settings, now: datetime | None = None) -> Purged:
    now = now or utcnow()
    kept = timedelta(days=settings.retention_days)
    talk = timedelta(days=settings.conversation_retention_days)
    applications, cases, notices = purge_desk(session, now - kept, now - talk)
    conversations = purge_conversations(tracker_url(settings), now - talk)
    attempts.forget_old(session, now)  # a day's worth at most, and only keys, never text
    purged = Purged(applications, cases, notices, conversations, clear_audit_texts(session))
    audit.record(session, "system:retention", "purged", "personal data", str(purged))
    return purged
