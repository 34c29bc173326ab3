"""SQLAlchemy 2 typed models. Schema changes go through Alembic (migrations/)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Interaction(Base):
    """One thing the desk did for someone: the raw material of the staff figures.

    Holds a pseudonym of the chat, never its id or the message text.
    """

    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    channel: Mapped[str] = mapped_column(String(16))
    chat_pseudonym: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    service: Mapped[str | None] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(64))  # the FAQ entry answered, if any

    __table_args__ = (Index("ix_interactions_kind_created", "kind", "created_at"),)


class AuditEntry(Base):
    """Who did what to which record, and when. Written by the core, never updated."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)


class FailedAttempt(Base):
    """A wrong guess at something guessable (the phone's last four digits of a status look-up),
    kept only for its throttle's window: which action, a key (a chat's pseudonym or a record's
    number, never what was typed) and when."""

    __tablename__ = "failed_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_failed_attempts_action_key_at", "action", "key", "at"),)


class Application(Base):
    """One application (入会 now; 帮扶/救助 later), with the chat it came from for notices.

    The ID number is kept for the union's verification but only ever shown masked; duplicates
    are found through its hash.
    """

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    chat_id: Mapped[str] = mapped_column(String(64))
    applicant_name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18))
    id_number_hash: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(11))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    union_id: Mapped[str | None] = mapped_column(String(64))
    routing_reason: Mapped[str | None] = mapped_column(Text)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # Aid only: the programme, the preliminary verdict and how each condition was judged.
    programme: Mapped[str | None] = mapped_column(String(64))
    verdict: Mapped[str | None] = mapped_column(String(16))
    checks: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    household_hash: Mapped[str | None] = mapped_column(String(64))
    # Why staff must look at it before deciding: the ID number is already used from another
    # chat (someone may have typed another person's number). The applicant is not told.
    review_note: Mapped[str | None] = mapped_column(Text)

    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="ApplicationEvent.id"
    )

    __table_args__ = (
        Index("ix_applications_person", "kind", "id_number_hash"),
        Index("ix_applications_chat", "chat_id"),
        Index("ix_applications_household", "programme", "household_hash"),
    )


class ApplicationEvent(Base):
    """The status history of an application: who moved it where, when, and why."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="events")


class Notification(Base):
    """A message for a chat (a worker's or a lawyer's), written by the core and delivered by the
    gateway; buttons are [{"title", "payload"}] like Rasa's.

    A failed send is tried again later (next_attempt_at, further off each time); after
    repeated failures, or at once when the chat refuses the bot (blocked it), it is parked:
    kept, never tried again, so it cannot hold up anyone else's."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    chat_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    parked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(120))  # the kind, never the text
    # A relayed message: the case it belongs to, so a reply to it goes back to that case.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    # A file sent with the text as its caption (an arbitration draft), on channels that send files.
    document_name: Mapped[str | None] = mapped_column(String(120))
    document: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    __table_args__ = (
        Index("ix_notifications_pending", "sent_at", "id"),
        Index("ix_notifications_chat", "chat_id", "sent_at"),
    )


DEFAULT_CAPACITY = 5  # cases a lawyer holds at once, unless staff set another number


class Lawyer(Base):
    """A lawyer (维权律师) registered by union staff; removal deactivates, closed cases keep
    pointing here."""

    __tablename__ = "lawyers"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)  # exceeds 2**31
    name: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int] = mapped_column(default=DEFAULT_CAPACITY)  # cases held at once
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


IN_PROGRESS_SQL = text("status IN ('open', 'claimed')")


class Ticket(Base):
    """One case for a lawyer (not one per chat): its queue place, holder, outcome and rating."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(24), unique=True)
    chat_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text)
    intake: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("lawyers.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_reply_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(32))
    amount_recovered: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    rating: Mapped[int | None]
    rating_comment: Mapped[str | None] = mapped_column(Text)
    # After closing: "rating" (the worker was asked for a score), then "comment"; None after.
    feedback_stage: Mapped[str | None] = mapped_column(String(16))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Joined: a claimed ticket is shown with its lawyer, often after its session has closed.
    assignee: Mapped[Lawyer | None] = relationship(lazy="joined")
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id"
    )
    messages: Mapped[list[TicketMessage]] = relationship(order_by="TicketMessage.id")

    __table_args__ = (
        Index("ix_tickets_queue", "status", "priority", "opened_at"),
        Index("ix_tickets_chat", "chat_id", "status"),
        Index("ix_tickets_assignee", "assignee_id", "status"),
        # One case in progress per chat, even when two messages open one at the same instant.
        Index(
            "uq_tickets_chat_in_progress",
            "chat_id",
            unique=True,
            sqlite_where=IN_PROGRESS_SQL,
            postgresql_where=IN_PROGRESS_SQL,
        ),
    )


class TicketMessage(Base):
    """The conversation between worker and lawyer while the lawyer holds the case."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sender: Mapped[str] = mapped_column(String(64))  # "worker" or lawyers.actor(...)
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_ticket_messages_ticket", "ticket_id", "id"),)


class TicketEvent(Base):
    """The history of a ticket: what happened, who did it, when."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class RelayedMessage(Base):
    """A message the bot delivered for a case, by its id in the channel: a lawyer's reply to it
    (Telegram's "reply") goes to that case, whatever the text quoted says."""

    __tablename__ = "relayed_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    chat_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int] = mapped_column(BigInteger)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))

    __table_args__ = (
        Index("uq_relayed_messages_chat_message", "chat_id", "message_id", unique=True),
    )


class CaseDraft(Base):
    """One step of a case's arbitration draft: the facts the lawyer has given so far and, once
    they suffice, the documents rendered from them (version 1, 2, … of the case).

    The worker gets a version only after its copy reached the lawyer (lawyer_notice_id was
    delivered) and the lawyer sent it on (sent_at). The documents hold personal data: they are
    erased with the case (desk.staff.retention)."""

    __tablename__ = "case_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    facts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # the lawyer's, so far
    version: Mapped[int | None]  # set when documents were rendered
    application: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    payment_order: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # The lawyer's copy; a delivered notice may be deleted later (retention), leaving None.
    lawyer_notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_case_drafts_ticket", "ticket_id", "id"),)


class ConsoleAccount(Base):
    """A person who signs in to the browser console: union staff, or a lawyer (linked to the
    lawyer registered for Telegram, whose cases and capacity the account works with)."""

    __tablename__ = "console_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, salt and cost inside
    role: Mapped[str] = mapped_column(String(16))  # staff | lawyer
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("lawyers.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # In every session cookie; a new one ends every session (sign-out, disabling, new password).
    session_key: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    lawyer: Mapped[Lawyer | None] = relationship(lazy="joined")
