"""End-to-end fixtures: a real trained model, a real Rasa server and a real action server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.migrate import upgrade_database
from launcher.processes import ProcessGroup
from launcher.stack import StackConfig, start_stack, wait_stack_ready
from launcher.training import ensure_model


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


# Sent by a test together with a phone number: neither may ever show up in a server log.
LOG_SENTINEL = "工友暗号七三九 电话13912345678"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackConfig]:
    """Rasa and the action server on free ports, with databases of their own."""
    base = tmp_path_factory.mktemp("stack")
    config = StackConfig(
        rasa_port=free_port(),
        action_port=free_port(),
        database_url=f"sqlite:///{base / 'desk.db'}",
        tracker_db=base / "tracker.db",
        log_dir=base / "log",
        model=ensure_model(),
        data_dir=base,
    )
    upgrade_database(config.database_url)
    group = ProcessGroup(config.log_dir)
    try:
        actions, rasa = start_stack(group, config)
        wait_stack_ready(group, config, actions, rasa)
        yield config
    finally:
        group.stop_all()
        for log in sorted(config.log_dir.glob("*.log")):
            # The servers must never log a traceback or a message's text, whatever tests sent.
            content = log.read_text(errors="replace")
            assert "Traceback" not in content, f"traceback in {log}"
            assert "暗号七三九" not in content and "13912345678" not in content, f"text in {log}"
