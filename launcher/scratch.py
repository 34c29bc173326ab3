"""A throw-away stack on free ports with databases under one folder: for tests and benchmarks."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk.storage.db import ensure_database
from desk.storage.migrate import upgrade_database
from launcher.processes import ProcessGroup
from launcher.stack import StackConfig, start_stack, wait_stack_ready
from launcher.training import ensure_model


def free_port(run: int = 1) -> int:
    """A free port, and the run-1 ports after it free too (one per instance)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if all(_is_free(first + offset) for offset in range(1, run)):
            return first


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def scratch_stack(
    base: Path,
    model: Path | None = None,
    instances: int = 1,
    tracker_url: str | None = None,
    redis_url: str | None = None,
) -> Iterator[tuple[StackConfig, ProcessGroup]]:
    """Rasa and the action server, ready to answer; stopped when the block ends. model: the
    project's own (trained if needed) unless another is given (a benchmark's stock Rasa).
    Several instances share tracker_url (PostgreSQL, created if missing) and redis_url."""
    ports = free_port(2 * instances)  # the Rasa instances' ports, then the action servers'
    config = StackConfig(
        rasa_port=ports,
        action_port=ports + instances,
        database_url=f"sqlite:///{base / 'desk.db'}",
        tracker_db=base / "tracker.db",
        log_dir=base / "log",
        model=model or ensure_model(),
        data_dir=base,
        instances=instances,
        tracker_url=tracker_url,
        redis_url=redis_url,
    )
    upgrade_database(config.database_url)
    if instances > 1:
        ensure_database(tracker_url or "")
    group = ProcessGroup(config.log_dir)
    try:
        wait_stack_ready(group, config, start_stack(group, config))
        yield config, group
    finally:
        group.stop_all()
