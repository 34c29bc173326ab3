"""Fixtures for running the actions without Rasa: saved trackers, a dispatcher, the domain, and
a scratch database configured the way the action server gets it (DATABASE_URL)."""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from desk.common import pseudonym
from desk.settings import PROJECT_ROOT, get_settings
from desk.storage.migrate import upgrade_database
from tests.databases import backends, temporary_database

TRACKERS = Path(__file__).parent / "trackers"

LoadTracker = Callable[..., Tracker]


def _forget_configuration() -> None:
    # Settings and the statistics salt are read once per process; a test must see its own.
    get_settings.cache_clear()
    pseudonym._secret.cache_clear()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "desk.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture(params=backends())
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path
) -> Iterator[str]:
    """A migrated, empty database, as in tests/conftest.py; SQLite copies one migrated once,
    which keeps these many short tests fast."""
    if request.param != "sqlite":
        with temporary_database(request.param, tmp_path) as url:
            upgrade_database(url)
            yield url
        return
    path = tmp_path / "desk.db"
    with sqlite3.connect(migrated_sqlite) as source, sqlite3.connect(path) as copy_:
        source.backup(copy_)
    yield f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def desk_database(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Every action test: a migrated scratch database, never the project's var/desk.db (the
    actions record statistics on almost every turn)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "action-tests")
    _forget_configuration()
    yield database_url
    monkeypatch.undo()
    _forget_configuration()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The domain as Rasa sends it: the forms' required slots are what the validation reads."""
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def saved_trackers() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in TRACKERS.glob("*.json")}


@pytest.fixture
def load_tracker(saved_trackers: dict[str, dict[str, Any]]) -> LoadTracker:
    """A saved tracker by name (tests/actions/trackers/<name>.json), optionally changed:
    slots={...} sets slots; text=, intent=, entities= change the latest message (text also
    in its user event); answer= is the text as the answer to the requested slot."""

    def load(
        name: str,
        *,
        slots: dict[str, Any] | None = None,
        text: str | None = None,
        intent: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        answer: str | None = None,
    ) -> Tracker:
        state = copy.deepcopy(saved_trackers[name])
        state["slots"].update(slots or {})
        latest = state["latest_message"]
        if answer is not None:  # to the question asked: what the form extracted this turn
            text = answer
            asked = state["slots"]["requested_slot"]
            state["events"][-1] = {"event": "slot", "name": asked, "value": answer}
            state["slots"][asked] = answer
        if text is not None:
            latest["text"] = text
            last_user = next(e for e in reversed(state["events"]) if e["event"] == "user")
            last_user["text"] = last_user["parse_data"]["text"] = text
        if intent is not None:
            latest["intent"] = {"name": intent, "confidence": 1.0}
            latest["intent_ranking"] = [latest["intent"]]  # what rasa-sdk reads the intent from
        if entities is not None:
            latest["entities"] = entities
        return Tracker.from_dict(state)

    return load
