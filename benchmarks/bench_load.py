"""Load figures for the README: throughput and latency under concurrent conversations, latency
by position in one long conversation, and the same load against stock Rasa.

Run: make bench-load   (or .venv/bin/python benchmarks/bench_load.py --help)
The load comes from Locust (benchmarks/load/locustfile.py), driven headless, through Rasa's REST
channel. Each run starts a throw-away stack on free ports unless --rasa-url is given.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.settings import PROJECT_ROOT
from launcher.scratch import scratch_stack
from launcher.training import RASA_BIN

LOCUSTFILE = PROJECT_ROOT / "benchmarks" / "load" / "locustfile.py"
LOCUST = PROJECT_ROOT / ".venv" / "bin" / "locust"
STOCK_CONFIG = PROJECT_ROOT / "benchmarks" / "load" / "stock_config.yml"
PY_SPY = PROJECT_ROOT / ".venv" / "bin" / "py-spy"
POSITIONS = (1, 20, 40, 60, 80)
PIDS: dict[str, int] = {}  # the scratch stack's processes by name, for --profile


@dataclass(frozen=True)
class LoadResult:
    requests: int
    failures: int
    throughput: float
    p50: float
    p95: float
    p99: float

    def row(self, label: str) -> str:
        return (
            f"| {label} | {self.throughput:.1f} msg/s | {self.p50:.0f} ms | {self.p95:.0f} ms "
            f"| {self.p99:.0f} ms | {self.failures}/{self.requests} |"
        )


def run_locust(
    hosts: list[str],
    users: int,
    seconds: int,
    scratch: Path,
    env: dict[str, str] | None = None,
    spawn_rate: float | None = None,
) -> LoadResult:
    """spawn_rate: users started per second (default: all at once). A paced run starts its
    users over one pacing interval, so that messages arrive evenly, not in bursts of 50."""
    prefix = scratch / f"locust-{users}-{seconds}-{len(list(scratch.iterdir()))}"
    command = [
        str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(users), "-r", str(spawn_rate or users), "-t", f"{seconds}s", "--host", hosts[0],
        "--csv", str(prefix), "--loglevel", "ERROR", "--stop-timeout", "10",
    ]  # fmt: skip
    spread = {"DESK_HOSTS": ",".join(hosts)} if len(hosts) > 1 else {}
    subprocess.run(
        command,
        check=False,
        env={**os.environ, **spread, **(env or {})},
        capture_output=True,
        text=True,
    )
    with open(f"{prefix}_stats.csv") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return LoadResult(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        throughput=float(total["Requests/s"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        p99=float(total["99%"]),
    )


def latency_by_position(
    hosts: list[str], scratch: Path, length: int, repeats: int
) -> dict[int, float]:
    """Median latency at each position of one long conversation, over a few conversations."""
    seen: dict[int, list[float]] = defaultdict(list)
    for repeat in range(repeats):
        out = scratch / f"positions-{repeat}.txt"
        env = {
            "DESK_LONG": "1",
            "DESK_LENGTH": str(length),
            "DESK_POSITIONS_FILE": str(out),
            "DESK_MEASURED": ",".join(map(str, POSITIONS)),
        }
        run_locust(hosts, 1, 600, scratch, env)
        for line in out.read_text().splitlines():
            position, latency = line.split()
            seen[int(position)].append(float(latency))
    return {position: statistics.median(values) for position, values in sorted(seen.items())}


def stock_model(scratch: Path) -> Path:
    """Stock Rasa on this project's data: the documented default pipeline (DIET + TED)."""
    out = scratch / "stock-models"
    print("training stock Rasa (DIET + TED) on the same data, a few minutes …", flush=True)
    subprocess.run(
        [str(RASA_BIN), "train", "--config", str(STOCK_CONFIG), "--data", "nlu_data",
         "--out", str(out), "--fixed-model-name", "stock"],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return out / "stock.tar.gz"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): unlike latency, it does not
    change when other work shares the machine, so before/after compare fairly on a busy box."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine so far (all cores, /proc/stat), to tell what share
    of it the desk's processes used and what went elsewhere (the load generator, PostgreSQL)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@contextmanager
def profiling(pids: dict[str, int], out: Path | None, seconds: int) -> Iterator[None]:
    """py-spy samples each process (Rasa, the action server) for the block, without changing
    it; folded stacks go to out/<name>.txt (benchmarks/profile_summary.py reads them)."""
    if out is None:
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    samplers = []
    for name, pid in pids.items():
        command = [
            str(PY_SPY), "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "200",
            "--format", "raw", "--output", str(out / f"{name}.txt"), "--nonblocking",
        ]  # fmt: skip
        samplers.append(
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
    try:
        yield
    finally:
        for sampler in samplers:
            sampler.wait()
        print(f"profiles: {', '.join(str(out / f'{name}.txt') for name in pids)}", flush=True)


@contextmanager
def rasa_hosts(
    args: argparse.Namespace, scratch: Path, model: Path | None = None
) -> Iterator[list[str]]:
    """The Rasa instances to load: given, or a scratch stack (several instances share a
    PostgreSQL tracker store and Redis, as in production)."""
    if args.rasa_url and model is None:
        yield args.rasa_url.split(",")
        return
    options: dict[str, Any] = {}
    if model is not None:  # stock Rasa: its own model, started as plain `rasa run`
        options = {"model": model, "rasa_command": (str(RASA_BIN),)}
    elif args.instances > 1:
        options = {
            "instances": args.instances,
            "tracker_url": args.tracker_url,
            "redis_url": args.redis_url,
        }
    with scratch_stack(scratch / ("stock" if model else "stack"), **options) as (config, group):
        PIDS.update({child.name: child.process.pid for child in group.children})
        yield config.rasa_urls


def measure(args: argparse.Namespace, hosts: list[str], scratch: Path) -> dict[str, LoadResult]:
    run_locust(hosts, args.users, 5, scratch)  # warm-up: caches, connections, jieba
    results = {"1 conversation at a time": run_locust(hosts, 1, args.seconds, scratch)}
    before = {name: cpu_seconds(pid) for name, pid in PIDS.items()}
    machine_before = machine_cpu_seconds()
    with profiling(PIDS, args.profile, args.seconds):
        concurrent = run_locust(hosts, args.users, args.seconds, scratch)
    results[f"{args.users} concurrent conversations, no think time"] = concurrent
    used = {name: cpu_seconds(pid) - before[name] for name, pid in PIDS.items()}
    used["everything else"] = machine_cpu_seconds() - machine_before - sum(used.values())
    shares = ", ".join(
        f"{name} {1000 * seconds / concurrent.requests:.1f} ms" for name, seconds in used.items()
    )
    print(f"CPU per message at {args.users} concurrent: {shares}", flush=True)
    print("  (everything else: the load generator, PostgreSQL, Redis, other work)", flush=True)
    for rate in args.rates:
        pacing = {"DESK_PACING": str(args.users / rate)}
        results[f"offered {rate:g} msg/s over {args.users} conversations"] = run_locust(
            hosts, args.users, args.seconds, scratch, pacing, spawn_rate=rate
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent conversations")
    parser.add_argument("--seconds", type=int, default=30, help="length of each load run")
    parser.add_argument("--rates", type=float, nargs="*", default=[10.0, 50.0])
    parser.add_argument("--length", type=int, default=80, help="messages in the long conversation")
    parser.add_argument("--repeats", type=int, default=3, help="long conversations to median")
    parser.add_argument("--stock", action="store_true", help="also measure stock Rasa")
    parser.add_argument("--stock-model", type=Path, help="stock model trained before")
    parser.add_argument("--rasa-url", help="measure running Rasa instances (comma-separated)")
    parser.add_argument("--instances", type=int, default=1, help="Rasa instances to start")
    parser.add_argument(
        "--tracker-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/desk_bench_tracker",
        help="PostgreSQL shared by several instances (created if missing)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument(
        "--profile", type=Path, help="py-spy each process during the concurrent run, into DIR"
    )
    args = parser.parse_args()
    if not LOCUST.exists():
        sys.exit("Locust is missing: .venv/bin/pip install -e '.[bench]'")

    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        with rasa_hosts(args, scratch) as hosts:
            print(f"Rasa instances: {len(hosts)}", flush=True)
            results = measure(args, hosts, scratch)
            positions = latency_by_position(hosts, scratch, args.length, args.repeats)
        print("\n| load | throughput | p50 | p95 | p99 | failed |\n|---|---|---|---|---|---|")
        for label, result in results.items():
            print(result.row(label))
        print("\nlatency by position in one conversation (median of "
              f"{args.repeats}): " + ", ".join(
                  f"#{p} {positions[p]:.0f} ms" for p in POSITIONS if p in positions))  # fmt: skip
        last = max(p for p in POSITIONS if p in positions)
        print(f"message {last} / message 1: {positions[last] / positions[1]:.2f}×")
        if args.stock:
            model = args.stock_model or stock_model(scratch)
            with rasa_hosts(args, scratch, model) as stock_hosts:
                run_locust(stock_hosts, args.users, 5, scratch)
                stock = run_locust(stock_hosts, args.users, args.seconds, scratch)
            ours = results[f"{args.users} concurrent conversations, no think time"]
            print(stock.row(f"stock Rasa (DIET + TED), {args.users} concurrent conversations"))
            print(f"desk / stock throughput: {ours.throughput / stock.throughput:.1f}×")


if __name__ == "__main__":
    main()
