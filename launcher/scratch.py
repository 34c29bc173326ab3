"""A throw-away stack on free ports with databases under one folder: for tests and benchmarks."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk.storage.db import ensure_database
from desk.storage.migrate import upgrade_database
from launcher.processes import ProcessGroup
from launcher.stack import StackConfig, start_stack, wait_stack_ready
from launcher.training import RASA_SERVER, ensure_model

PORTS_FROM = 20_000  # above the well-known and most registered services' ports
_handed_out: set[int] = set()


def free_port(run: int = 1) -> int:
    """A free port, and the run-1 ports after it free too (one per instance). Chosen below the
    kernel's ephemeral range: a client polling a port in that range before its server listens
    can be handed that very port as its own source and connect to itself (it then reads back
    its own request as the answer)."""
    low = _ephemeral_start()
    while True:
        first = random.randrange(PORTS_FROM, low - run) if low - run > PORTS_FROM else None
        if first is None:  # no room below: fall back to what the kernel hands out
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                first = probe.getsockname()[1]
        ports = range(first, first + run)
        # Not yet listening when handed out: never hand the same port out twice.
        if all(port not in _handed_out and _is_free(port) for port in ports):
            _handed_out.update(ports)
            return first


def _ephemeral_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


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
    rasa_command: tuple[str, ...] = RASA_SERVER,
    database_url: str | None = None,
) -> Iterator[tuple[StackConfig, ProcessGroup]]:
    """Rasa and the action server, ready to answer; stopped when the block ends. model: the
    project's own (trained if needed) unless another is given (a benchmark's stock Rasa).
    Several instances share tracker_url (PostgreSQL, created if missing) and redis_url.
    database_url: the desk's database, a SQLite file in base unless given."""
    ports = free_port(2 * instances)  # the Rasa instances' ports, then the action servers'
    config = StackConfig(
        rasa_port=ports,
        action_port=ports + instances,
        database_url=database_url or f"sqlite:///{base / 'desk.db'}",
        tracker_db=base / "tracker.db",
        log_dir=base / "log",
        model=model or ensure_model(),
        data_dir=base,
        instances=instances,
        tracker_url=tracker_url,
        redis_url=redis_url,
        rasa_command=rasa_command,
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
