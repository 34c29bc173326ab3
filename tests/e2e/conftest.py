"""End-to-end fixtures: a real trained model, a real Rasa server and a real action server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.scratch import scratch_stack
from launcher.stack import StackConfig

__all__ = ["LOG_SENTINEL", "stack"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")

# Sent by a test together with a phone number: neither may ever show up in a server log.
LOG_SENTINEL = "工友暗号七三九 电话13912345678"


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackConfig]:
    """Rasa and the action server on free ports, with databases of their own."""
    base = tmp_path_factory.mktemp("stack")
    log_dir = base / "log"
    try:
        with scratch_stack(base) as (config, _):
            yield config
    finally:
        for log in sorted(log_dir.glob("*.log")):
            # The servers must never log a traceback or a message's text, whatever tests sent.
            content = log.read_text(errors="replace")
            assert "Traceback" not in content, f"traceback in {log}"
            assert "暗号七三九" not in content and "13912345678" not in content, f"text in {log}"
            assert not ID_NUMBER.search(content), f"an ID number in {log}"
