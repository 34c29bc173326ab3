"""A throw-away stack on free ports with databases under one folder: for tests and benchmarks."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk.storage.migrate import upgrade_database
from launcher.processes import ProcessGroup
from launcher.stack import StackConfig, start_stack, wait_stack_ready
from launcher.training import ensure_model


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def scratch_stack(
    base: Path, model: Path | None = None
) -> Iterator[tuple[StackConfig, ProcessGroup]]:
    """Rasa and the action server, ready to answer; stopped when the block ends. model: the
    project's own (trained if needed) unless another is given (a benchmark's stock Rasa)."""
    config = StackConfig(
        rasa_port=free_port(),
        action_port=free_port(),
        database_url=f"sqlite:///{base / 'desk.db'}",
        tracker_db=base / "tracker.db",
        log_dir=base / "log",
        model=model or ensure_model(),
        data_dir=base,
    )
    upgrade_database(config.database_url)
    group = ProcessGroup(config.log_dir)
    try:
        wait_stack_ready(group, config, *start_stack(group, config))
        yield config, group
    finally:
        group.stop_all()
