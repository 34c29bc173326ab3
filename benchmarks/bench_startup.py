"""Startup figures for the README: train time, time until Rasa answers, RSS of each process.

Run: .venv/bin/python benchmarks/bench_startup.py   (after `make setup`; takes about a minute)
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from desk.settings import PROJECT_ROOT
from launcher.scratch import scratch_stack
from launcher.training import RASA_BIN


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total_kb = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total_kb += next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
        )
        pending.extend(int(child) for child in children)
    return total_kb / 1024


GATEWAY_PROBE = """
import os, asyncio
from bot.gateway import Gateway
from bot.rasa_client import RasaClient
from bot.telegram import build_bot, build_dispatcher
async def main():
    bot = build_bot("123:probe", "http://127.0.0.1:9")
    build_dispatcher(Gateway(RasaClient("http://127.0.0.1:9", 1), 2000))
    await bot.session.close()
asyncio.run(main())
print(next(l for l in open(f"/proc/{os.getpid()}/status") if l.startswith("VmRSS")).split()[1])
"""


def gateway_rss_mb() -> float:
    """The gateway with aiogram, its dispatcher and the Rasa client loaded, before any chat."""
    result = subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-c", GATEWAY_PROBE],
        cwd=PROJECT_ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return int(result.stdout.split()[-1]) / 1024


def timed_training(out: Path) -> float:
    started = time.monotonic()
    subprocess.run(
        [str(RASA_BIN), "train", "--data", "nlu_data", "--out", str(out), "--force"],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return time.monotonic() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        print(f"rasa train (forced, from scratch): {timed_training(base / 'models'):.1f} s")
        started = time.monotonic()
        with scratch_stack(base / "stack") as (_, group):
            print(f"Rasa ready (process start → REST answers): {time.monotonic() - started:.1f} s")
            time.sleep(2)
            rss = {child.name: rss_mb(child.process.pid) for child in group.children}
        rss["gateway (idle)"] = gateway_rss_mb()
        for name, megabytes in rss.items():
            print(f"RSS {name}: {megabytes:.0f} MB")
        print(f"RSS all processes: {sum(rss.values()):.0f} MB")


if __name__ == "__main__":
    main()
