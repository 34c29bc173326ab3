"""The database locked (SQLite) or gone and back (PostgreSQL) just as a worker submits a joining
form: a polite apology, nothing half-written, and the same button works once it is back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bot.gateway import Gateway
from bot.rasa_client import RasaClient
from desk.common import replies
from desk.storage.db import session_scope
from desk.storage.models import Application, ApplicationEvent, Notification
from tests.databases import NO_SERVER, postgres_server_url, temporary_database
from tests.e2e.faults import say, supervised_stack
from tests.e2e.test_membership import new_id_number


async def to_confirmation(gateway: Gateway, sender: str) -> None:
    assert "您同意吗" in await say(gateway, sender, "我想申请入会")
    assert "姓名" in await say(gateway, sender, "/affirm")
    assert "身份证号" in await say(gateway, sender, "王强")
    assert "手机号" in await say(gateway, sender, new_id_number())
    assert "单位" in await say(gateway, sender, "13912345678")
    assert "什么工作" in await say(gateway, sender, "美团")
    assert "区县" in await say(gateway, sender, "外卖骑手")
    assert "其他工会的会员" in await say(gateway, sender, "天山区")
    assert "请核对" in await say(gateway, sender, "不是")


def written(database_url: str) -> tuple[int, int, int]:
    """Applications, their history, notices: a half-written submission shows as a mismatch."""
    with session_scope(database_url) as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Application, ApplicationEvent, Notification)
        )


async def test_a_locked_sqlite_database_costs_an_apology_and_nothing_half_written(
    tmp_path: Path,
) -> None:
    with supervised_stack(tmp_path) as (config, _):
        rasa = RasaClient(config.rasa_url, 30)
        gateway = Gateway(rasa, 2000, config.database_url)
        sender = "tg:7101"
        try:
            await to_confirmation(gateway, sender)
            before = written(config.database_url)
            # Another writer holds the lock longer than the desk waits for it (5 s).
            lock = sqlite3.connect(tmp_path / "desk.db", isolation_level=None)
            lock.execute("BEGIN EXCLUSIVE")
            try:
                assert await say(gateway, sender, "/affirm") == replies.RASA_UNAVAILABLE
            finally:
                lock.execute("ROLLBACK")
                lock.close()
            assert written(config.database_url) == before
            # The worker presses the same button again: the form was still waiting for it.
            assert "已提交" in await say(gateway, sender, "/affirm")
        finally:
            await rasa.close()
        assert written(config.database_url)[0] == before[0] + 1


@pytest.mark.skipif(postgres_server_url() is None, reason=NO_SERVER)
async def test_a_postgresql_database_gone_and_back_costs_an_apology_and_nothing_else(
    tmp_path: Path,
) -> None:
    """A throw-away database of this test's own: its connections are cut and refused (as in a
    restart of the server), then allowed again; the shared server is not touched."""
    with temporary_database("postgresql", tmp_path) as url:
        name = make_url(url).database
        admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")

        def connections(allowed: bool) -> None:
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {allowed}'))
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )

        try:
            with supervised_stack(tmp_path, database_url=url) as (config, _):
                rasa = RasaClient(config.rasa_url, 30)
                gateway = Gateway(rasa, 2000, config.database_url)
                sender = "tg:7102"
                try:
                    await to_confirmation(gateway, sender)
                    before = written(url)
                    connections(allowed=False)
                    assert await say(gateway, sender, "/affirm") == replies.RASA_UNAVAILABLE
                    connections(allowed=True)  # every pooled connection is a dead one now
                    assert written(url) == before
                    assert "已提交" in await say(gateway, sender, "/affirm")
                finally:
                    await rasa.close()
                assert written(url)[0] == before[0] + 1
        finally:
            connections(allowed=True)
            admin.dispose()
