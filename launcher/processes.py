"""Child processes that start together, are restarted when one dies, and stop together,
leaving no orphan.

Restarting is the launcher's job on a developer's machine (`make run` / `make serve`); on a
server systemd does it (deploy/systemd/). Both back off the same way: a process that keeps
dying at once is restarted after 1, 2, 4 … up to 30 s, one that ran for a minute starts again
at 1 s.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

_PR_SET_PDEATHSIG = 1

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
# A process that ran this long before it died was healthy: its next restart is not delayed.
STABLE_SECONDS = 60.0


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to the child if the launcher dies, even by SIGKILL.
    Strictly, when the thread that started it ends: a restarted child was started by the
    supervising thread, which runs until the launcher stops everything anyway."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    started_at: float = 0.0
    restarts: int = 0
    quick_deaths: int = 0  # in a row, each before STABLE_SECONDS: the back-off grows with them
    restart_at: float | None = None  # set once its death was noticed

    def backoff(self) -> float:
        return min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** max(0, self.quick_deaths - 1))


class ChildFailed(RuntimeError):
    pass


class ProcessGroup:
    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self.children: list[Child] = []
        # Restarts (from the supervising thread) and stopping never run at the same time.
        self._lock = threading.Lock()
        self._stopping = False

    def start(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> Child:
        self._log_dir.mkdir(parents=True, exist_ok=True)
        log = self._log_dir / f"{name}.log"
        child = Child(name, _spawn(argv, env, cwd, log), log, argv, env, cwd, time.monotonic())
        self.children.append(child)
        return child

    def restart_exited(self, now: float | None = None) -> list[Child]:
        """Restarts each child that died once its back-off has passed; returns those restarted.
        A death is reported (stderr, and the child's log) when first noticed."""
        now = time.monotonic() if now is None else now
        restarted = []
        with self._lock:
            for child in self.children:
                if self._stopping or child.process.poll() is None:
                    continue
                if child.restart_at is None:
                    ran = now - child.started_at
                    child.quick_deaths = 1 if ran >= STABLE_SECONDS else child.quick_deaths + 1
                    child.restart_at = now + child.backoff()
                    print(
                        f"{child.name} 意外退出（{_how(child.process.returncode)}），"
                        f"{child.backoff():.0f} 秒后重启 / exited unexpectedly, restarting in "
                        f"{child.backoff():.0f} s; see {child.log}",
                        file=sys.stderr,
                        flush=True,
                    )
                if now >= child.restart_at:
                    child.process = _spawn(child.argv, child.env, child.cwd, child.log)
                    child.started_at, child.restart_at = now, None
                    child.restarts += 1
                    restarted.append(child)
        return restarted

    def supervise(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Keeps every child running until stop is set (the launcher runs this in a thread)."""
        while not stop.wait(interval):
            self.restart_exited()

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
            except (urllib.error.URLError, http.client.HTTPException, OSError):
                pass  # not listening yet, or not yet speaking HTTP
            if elapsed > timeout:
                raise ChildFailed(f"{child.name} not ready after {timeout:.0f} s; see {child.log}")
            if interactive:
                print(f"\r{label} … {elapsed:4.0f} s", end="", flush=True)
            elif elapsed - last_report >= 10:
                print(f"{label} … {elapsed:.0f} s", flush=True)
                last_report = elapsed
            time.sleep(0.25)

    def stop_all(self, grace_seconds: float = 10.0) -> None:
        """SIGTERM to each child's whole process group, then SIGKILL to what is left."""
        with self._lock:
            self._stopping = True
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


def _spawn(argv: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        # A session of its own: Ctrl-C reaches only the launcher, which stops children in order.
        return subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def _how(returncode: int) -> str:
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"signal {signal.Signals(-returncode).name}"
        return f"signal {-returncode}"
    return f"exit code {returncode}"


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
