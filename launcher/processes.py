"""Child processes that start together and stop together, leaving no orphan."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to the child if the launcher dies, even by SIGKILL."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


class ChildFailed(RuntimeError):
    pass


class ProcessGroup:
    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self.children: list[Child] = []

    def start(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> Child:
        self._log_dir.mkdir(parents=True, exist_ok=True)
        log = self._log_dir / f"{name}.log"
        with log.open("ab") as out:
            # A session of its own: Ctrl-C reaches only the launcher, which stops children in order.
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        child = Child(name, process, log)
        self.children.append(child)
        return child

    def wait_http_ready(self, child: Child, url: str, timeout: float, label: str) -> float:
        """Polls url until it answers 200; shows progress; fails early if the child exits."""
        started = time.monotonic()
        interactive = sys.stdout.isatty()
        last_report = 0.0
        while True:
            elapsed = time.monotonic() - started
            if child.process.poll() is not None:
                raise ChildFailed(
                    f"{child.name} exited with {child.process.returncode}; see {child.log}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        if interactive:
                            print()
                        return elapsed
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if elapsed > timeout:
                raise ChildFailed(f"{child.name} not ready after {timeout:.0f} s; see {child.log}")
            if interactive:
                print(f"\r{label} … {elapsed:4.0f} s", end="", flush=True)
            elif elapsed - last_report >= 10:
                print(f"{label} … {elapsed:.0f} s", flush=True)
                last_report = elapsed
            time.sleep(0.25)

    def first_exited(self) -> Child | None:
        return next((c for c in self.children if c.process.poll() is not None), None)

    def stop_all(self, grace_seconds: float = 10.0) -> None:
        """SIGTERM to each child's whole process group, then SIGKILL to what is left."""
        for child in reversed(self.children):
            _signal_group(child.process, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for child in self.children:
            remaining = max(0.0, deadline - time.monotonic())
            try:
                child.process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait()
        self.children.clear()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
