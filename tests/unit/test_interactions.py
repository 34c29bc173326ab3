from sqlalchemy import select

from desk.storage.db import session_scope
from desk.storage.interactions import channel_of, count_by_kind, record_interaction
from desk.storage.models import Interaction


def test_channel_comes_from_the_sender_prefix() -> None:
    assert channel_of("tg:12345") == "tg"
    assert channel_of("cli:local") == "cli"
    assert channel_of("u1") == "rest"


def test_interactions_are_stored_under_a_pseudonym(database_url: str) -> None:
    with session_scope(database_url) as session:
        record_interaction(session, "tg:424242", "coming_soon", "apply_membership")
        record_interaction(session, "tg:424242", "menu")
        record_interaction(session, "tg:777", "menu")
    with session_scope(database_url) as session:
        rows = session.scalars(select(Interaction)).all()
        assert count_by_kind(session) == {"coming_soon": 1, "menu": 2}
    assert all("424242" not in row.chat_pseudonym for row in rows)
    assert rows[0].chat_pseudonym == rows[1].chat_pseudonym != rows[2].chat_pseudonym
    assert rows[0].service == "apply_membership" and rows[0].channel == "tg"
