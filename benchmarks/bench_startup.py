"""Startup figures for the README: train time, time until Rasa answers, RSS of each process.

Run: .venv/bin/python benchmarks/bench_startup.py   (after `make setup`; takes about two minutes)
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from desk.settings import PROJECT_ROOT
from launcher.processes import ProcessGroup
from launcher.scratch import free_port, scratch_stack
from launcher.stack import StackConfig, base_env
from launcher.training import RASA_BIN, RASA_SERVER

APP_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"


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


def gateway_rss_mb(config: StackConfig, group: ProcessGroup) -> float:
    """The gateway as `make serve` runs it (the web chat, the console, WeChat's endpoint when
    configured; Telegram with a token), idle once its page answers."""
    port = free_port()
    env = {
        **base_env(config),
        "RASA_URL": config.rasa_url,
        "WEB_HOST": "127.0.0.1",
        "WEB_PORT": str(port),
        "TELEGRAM_BOT_TOKEN": "",
    }
    gateway = group.start("gateway", [str(APP_PYTHON), "-m", "bot"], env, PROJECT_ROOT)
    group.wait_http_ready(gateway, f"http://127.0.0.1:{port}/healthz", 60, "gateway")
    time.sleep(2)
    return rss_mb(gateway.process.pid)


def timed_training(out: Path) -> Path:
    started = time.monotonic()
    subprocess.run(
        [str(RASA_BIN), "train", "--data", "nlu_data", "--out", str(out), "--force",
         "--fixed-model-name", "bench"],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    print(f"rasa train (forced, from scratch): {time.monotonic() - started:.1f} s")
    return out / "bench.tar.gz"


def measure(base: Path, model: Path, label: str, rasa_command: tuple[str, ...]) -> None:
    started = time.monotonic()
    with scratch_stack(base, model, rasa_command=rasa_command) as (config, group):
        ready = time.monotonic() - started
        time.sleep(2)
        rss = {child.name: rss_mb(child.process.pid) for child in group.children}
        rss["gateway (idle)"] = gateway_rss_mb(config, group)
    print(f"\n{label}\nRasa ready (process start → REST answers): {ready:.1f} s")
    for name, megabytes in rss.items():
        print(f"RSS {name}: {megabytes:.0f} MB")
    print(f"RSS all processes: {sum(rss.values()):.0f} MB")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        model = timed_training(base / "models")
        # The same model, served by plain `rasa` (imports TensorFlow) and by rasa_runtime.
        measure(base / "stock", model, "stock `rasa run`", (str(RASA_BIN),))
        measure(base / "desk", model, "rasa_runtime (the desk's default)", RASA_SERVER)


if __name__ == "__main__":
    main()
