"""Keeps a test run off the project's own var/, where `make run` keeps real workers' records."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.settings import PROJECT_ROOT, get_settings

PROJECT_DATA = PROJECT_ROOT / "var"
# What `make train` (and the end-to-end fixture, when the model is stale) writes: nobody's data.
TRAINING_LOG = PROJECT_DATA / "log" / "train.log"
# Logs are left out of the before/after comparison: a desk running meanwhile appends to them.
LOGS = PROJECT_DATA / "log"

FileState = tuple[int, int]


def use_scratch_data(scratch: Path) -> None:
    """Points DATABASE_URL and DATA_DIR at scratch, here and in every server a test starts."""
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith("postgresql"):
        os.environ.setdefault("TEST_POSTGRES_URL", configured)  # still a server to test on
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'desk.db'}"
    os.environ["DATA_DIR"] = str(scratch)
    get_settings.cache_clear()


def snapshot() -> dict[str, FileState]:
    """Size and modification time of each file under var/ (logs aside)."""
    state = {}
    for path in PROJECT_DATA.rglob("*"):
        if path.is_file() and LOGS not in path.parents:
            stat = path.stat()
            state[str(path.relative_to(PROJECT_ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return state


def changes(before: dict[str, FileState], after: dict[str, FileState]) -> list[str]:
    names = before.keys() | after.keys()
    return sorted(name for name in names if before.get(name) != after.get(name))


@dataclass
class OpenGuard:
    """Refuses, and remembers, every opening of a file under var/ by this process."""

    touched: list[str] = field(default_factory=list)

    def install(self) -> None:
        sys.addaudithook(self._audit)  # cannot be removed: it lasts as long as the test process

    def take_touched(self) -> list[str]:
        touched, self.touched = self.touched, []
        return touched

    def _audit(self, event: str, args: tuple[Any, ...]) -> None:
        if event not in ("open", "sqlite3.connect") or not isinstance(args[0], str | bytes):
            return
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith(f"{PROJECT_DATA}{os.sep}") and path != str(TRAINING_LOG):
            self.touched.append(path)
            # Raised inside the test's own call; recorded too, in case the code swallows errors.
            raise PermissionError(f"a test opened the project's own data: {path}")
