"""The statistics the actions write: a pseudonym per chat, and never a lost answer."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from actions import recording
from actions.recording import record
from desk.settings import get_settings
from desk.storage.db import session_scope
from desk.storage.models import Interaction
from tests.actions.support import recorded


async def test_an_interaction_is_stored_under_a_pseudonym(desk_database: str) -> None:
    await record("tg:424242", "legal_answer", "ask_legal", "wage-arrears-steps")
    await record("tg:424242", "menu")
    assert recorded(desk_database) == [
        ("legal_answer", "ask_legal", "wage-arrears-steps"),
        ("menu", None, None),
    ]
    with session_scope(desk_database) as session:
        rows = session.scalars(select(Interaction)).all()
    assert {row.channel for row in rows} == {"tg"}
    assert len({row.chat_pseudonym for row in rows}) == 1
    assert "424242" not in rows[0].chat_pseudonym


async def test_a_database_failure_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-migrated.db'}")
    get_settings.cache_clear()
    with caplog.at_level(logging.ERROR, logger="actions.recording"):
        await record("tg:1", "menu")  # the worker still gets the menu
    assert [r.getMessage() for r in caplog.records] == ["could not record interaction kind=menu"]


async def test_records_arriving_together_share_one_commit(
    desk_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[int] = []
    write = recording._write

    def counting_write(rows: list[recording.Row]) -> None:
        writes.append(len(rows))
        write(rows)

    monkeypatch.setattr(recording, "_write", counting_write)
    await asyncio.gather(*(record(f"tg:{n}", "menu") for n in range(50)))
    # Every record is on disk when its action answers, in far fewer transactions than records.
    assert len(recorded(desk_database)) == 50
    assert sum(writes) == 50 and len(writes) <= 2
