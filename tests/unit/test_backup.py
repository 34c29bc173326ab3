"""Backup while the desk runs and restore after a loss: SQLite through its online backup API,
PostgreSQL through pg_dump/pg_restore; the conversations (Rasa's tracker) come back too."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from desk.settings import PROJECT_ROOT
from desk.storage.db import get_engine, session_scope
from desk.storage.models import Notification


def count(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(Notification)) or 0


def desk_command(*argv: str, url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=url, DATA_DIR=str(data_dir))
    env.pop("RASA_TRACKER_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "desk", *argv],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_backup_taken_while_writing_restores_everything(
    database_url: str, tmp_path: Path
) -> None:
    if database_url.startswith("postgresql") and shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is missing: apt-get install postgresql-client (.ci/run does)")
    data_dir, copies = tmp_path / "var", tmp_path / "backup"
    data_dir.mkdir()
    with sqlite3.connect(data_dir / "rasa_tracker.db") as tracker:
        tracker.execute("CREATE TABLE events (sender_id TEXT, timestamp FLOAT)")
        tracker.execute("INSERT INTO events VALUES ('tg:1', 1.0)")
    tracker.close()
    with session_scope(database_url) as session:
        session.add_all(Notification(chat_id=f"tg:{n}", text=f"通知{n}") for n in range(5))

    # A writer in the middle of a transaction: the copy holds what was committed, whole.
    with get_engine(database_url).connect() as busy:
        busy.execute(Notification.__table__.insert().values(chat_id="tg:9", text="未提交"))
        made = desk_command("backup", str(copies), url=database_url, data_dir=data_dir)
        busy.rollback()
    assert made.returncode == 0, made.stderr
    desk_copy = "desk.db" if database_url.startswith("sqlite") else "desk.dump"
    assert {p.name for p in copies.iterdir()} == {desk_copy, "rasa_tracker.db"}
    assert all(p.stat().st_mode & 0o077 == 0 for p in copies.iterdir())  # personal data

    with session_scope(database_url) as session:  # the loss
        session.execute(delete(Notification))
    (data_dir / "rasa_tracker.db").unlink()
    assert count(database_url) == 0

    get_engine(database_url).dispose()  # the desk is stopped for a restore
    restored = desk_command("restore", str(copies), url=database_url, data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert count(database_url) == 5
    with session_scope(database_url) as session:
        assert "未提交" not in session.scalars(select(Notification.text)).all()
    with sqlite3.connect(data_dir / "rasa_tracker.db") as tracker:
        assert tracker.execute("SELECT sender_id FROM events").fetchall() == [("tg:1",)]
    tracker.close()
