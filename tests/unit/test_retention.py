"""Retention: personal data of finished applications and closed cases is erased after the
period, old conversations and delivered notices deleted; what is still being handled stays."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from desk.applications.store import APPROVED, Applicant, change_status, submit
from desk.cases.tickets import NORMAL, close, open_or_add, release
from desk.settings import PROJECT_ROOT, Settings
from desk.staff.retention import purge, tracker_url
from desk.storage.db import session_scope
from desk.storage.models import (
    Application,
    AuditEntry,
    Notification,
    RelayedMessage,
    Ticket,
    TicketEvent,
    TicketMessage,
)
from tests.cases import LAWYER, open_case, register, take

NOW = datetime(2027, 6, 1, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=800)
LAST_MONTH = NOW - timedelta(days=30)


def apply(url: str, chat: str, id_number: str, status: str | None, when: datetime) -> str:
    with session_scope(url) as session:
        person = Applicant("王强", id_number, "13912345678")
        number = submit(session, "membership", chat, person, {"employer": "美团"}, None)
        number = number.application.number or ""
        if status:
            change_status(session, number, status, "staff:li", None)
        session.execute(
            update(Application).where(Application.number == number).values(updated_at=when)
        )
    return number


def closed_case(url: str, chat: str, when: datetime) -> str:
    number = open_case(url, chat=chat, summary="老板拖欠三个月工资，电话13912345678")
    take(url, LAWYER, number)
    with session_scope(url) as session:
        found = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        session.add(TicketMessage(ticket_id=found.id, sender="worker", text="我叫王强"))
        close(session, number, LAWYER, "resolved")
        session.execute(update(Ticket).where(Ticket.number == number).values(closed_at=when))
    return number


def tracker(path: Path, conversations: dict[str, datetime]) -> None:
    """Rasa's SQL tracker store: one row per event (as Rasa 3.6 creates it, the columns used)."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, data TEXT)"
        )
        for sender, last in conversations.items():
            for minutes in (10, 0):
                moment = (last - timedelta(minutes=minutes)).timestamp()
                connection.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (?, 'user', ?, '{\"text\": \"我叫王强\"}')",
                    (sender, moment),
                )


def senders(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT DISTINCT sender_id FROM events ORDER BY 1")
        return [row[0] for row in rows]


def test_past_the_period_personal_data_goes_and_the_figures_stay(
    database_url: str, tmp_path: Path
) -> None:
    register(database_url)
    old = apply(database_url, "tg:1", "650102198805171234", APPROVED, LONG_AGO)
    pending = apply(database_url, "tg:2", "650102198805171251", None, LONG_AGO)
    recent = apply(database_url, "tg:3", "650102198805171277", APPROVED, LAST_MONTH)
    old_case = closed_case(database_url, "tg:4", LONG_AGO)
    recent_case = closed_case(database_url, "tg:5", LAST_MONTH)
    with session_scope(database_url) as session:
        for number, message_id in ((old_case, 1), (recent_case, 2)):
            found = session.scalars(select(Ticket).where(Ticket.number == number)).one()
            session.add(RelayedMessage(chat_id="tg:4", message_id=message_id, ticket_id=found.id))
        session.add(Notification(chat_id="tg:1", text="已通过", sent_at=LONG_AGO))
        session.add(Notification(chat_id="tg:1", text="未送达", sent_at=None, created_at=LONG_AGO))
    tracker(tmp_path / "rasa_tracker.db", {"tg:1": LONG_AGO, "tg:3": LAST_MONTH})
    settings = Settings(database_url=database_url, data_dir=tmp_path)

    with session_scope(database_url) as session:
        purged = purge(session, settings, NOW)
    assert (purged.applications, purged.cases, purged.notices, purged.conversations) == (1, 1, 1, 1)

    with session_scope(database_url) as session:
        by_number = {a.number: a for a in session.scalars(select(Application))}
        erased = by_number[old]
        assert (erased.applicant_name, erased.id_number, erased.phone, erased.chat_id) == ("",) * 4
        assert erased.details == {} and erased.status == APPROVED and erased.id_number_hash
        for kept in (pending, recent):
            assert by_number[kept].phone == "13912345678" and by_number[kept].details
        cases = {t.number: t for t in session.scalars(select(Ticket))}
        assert cases[old_case].summary == "" and cases[old_case].intake == {}
        assert cases[old_case].outcome == "resolved" and cases[old_case].chat_id == ""
        assert "13912345678" in cases[recent_case].summary
        notes = session.scalars(
            select(TicketEvent.note).where(TicketEvent.ticket_id == cases[old_case].id)
        )
        assert not any(note and "13912345678" in note for note in notes)
        relayed = session.scalars(select(TicketMessage.ticket_id))
        assert cases[old_case].id not in set(relayed)
        routed = session.scalars(select(RelayedMessage.ticket_id)).all()
        assert routed == [cases[recent_case].id]
        notices = [n.text for n in session.scalars(select(Notification))]
        assert "已通过" not in notices and "未送达" in notices  # undelivered ones stay
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "purged")).one()
    assert senders(tmp_path / "rasa_tracker.db") == ["tg:3"]

    with session_scope(database_url) as session:  # a second run finds nothing more
        again = purge(session, settings, NOW)
    assert (again.applications, again.cases, again.notices, again.conversations) == (0, 0, 0, 0)


def test_python_m_desk_purge(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "desk", "purge"],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "已清除个人信息" in result.stdout and "0 份申请" in result.stdout


def test_the_shared_tracker_store_is_opened_with_our_driver(tmp_path: Path) -> None:
    shared = Settings(rasa_tracker_url="postgresql://desk:pw@db:5432/rasa_tracker")
    assert tracker_url(shared) == "postgresql+psycopg://desk:pw@db:5432/rasa_tracker"
    assert tracker_url(Settings(data_dir=tmp_path)) == f"sqlite:///{tmp_path}/rasa_tracker.db"


STORY = "补充：老板又说不给了，我电话13912345678"


def test_the_audit_log_keeps_who_did_what_not_what_was_written(
    database_url: str, tmp_path: Path
) -> None:
    """Finding 11: what a worker adds to a case and a lawyer's reason for giving it back stay
    with the case (erased with it); the audit log, kept for good, never holds them. Lines older
    versions wrote with such words lose them on the next purge."""
    register(database_url)
    number = open_case(database_url, chat="tg:9", summary="老板拖欠三个月工资")
    with session_scope(database_url) as session:
        open_or_add(session, "tg:9", STORY, {})
    take(database_url, LAWYER, number)
    with session_scope(database_url) as session:
        release(session, number, LAWYER, "我叫王律师，工人王强13912345678的事我办不了")
        # As older versions wrote it.
        session.add(AuditEntry(actor="worker", action="ticket.added", subject=number, detail=STORY))
    with session_scope(database_url) as session:
        lines = session.scalars(select(AuditEntry).where(AuditEntry.subject == number)).all()
        assert {line.action for line in lines} >= {"ticket.added", "ticket.released"}
        written = [line.detail for line in lines if line.detail]
        assert written.count(STORY) == 1  # only the old line
        assert not any("13912345678" in d for d in written if d != STORY)
        # The desk's own words stay: the priority, the lawyer's name.
        assert {(line.action, line.detail) for line in lines} >= {
            ("ticket.opened", NORMAL),
            ("ticket.claimed", "王"),
        }
        events = session.scalars(select(TicketEvent.note)).all()
        assert STORY in events  # the case keeps what the worker added
        purged = purge(session, Settings(database_url=database_url, data_dir=tmp_path), NOW)
    assert purged.audit_texts == 1
    with session_scope(database_url) as session:
        details = session.scalars(select(AuditEntry.detail).where(AuditEntry.subject == number))
        assert not any(d and "13912345678" in d for d in details)


def test_parked_notices_go_after_the_conversation_period(database_url: str, tmp_path: Path) -> None:
    """A notice parked long ago (a chat that blocked the bot) is never delivered: it is deleted
    like a delivered one; one parked lately, and one still being tried, stay."""
    old_park = NOW - timedelta(days=200)
    with session_scope(database_url) as session:
        session.add(Notification(chat_id="tg:1", text="旧的搁置", parked_at=old_park))
        session.add(Notification(chat_id="tg:1", text="新的搁置", parked_at=LAST_MONTH))
        session.add(Notification(chat_id="tg:2", text="还在重试", created_at=old_park, attempts=2))
    with session_scope(database_url) as session:
        purged = purge(session, Settings(database_url=database_url, data_dir=tmp_path), NOW)
        assert purged.notices == 1
        left = sorted(n.text for n in session.scalars(select(Notification)))
    assert left == ["新的搁置", "还在重试"]
