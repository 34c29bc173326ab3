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

from desk.settings import PROJECT_ROOT
from launcher.scratch import scratch_stack
from launcher.training import RASA_BIN

LOCUSTFILE = PROJECT_ROOT / "benchmarks" / "load" / "locustfile.py"
LOCUST = PROJECT_ROOT / ".venv" / "bin" / "locust"
STOCK_CONFIG = PROJECT_ROOT / "benchmarks" / "load" / "stock_config.yml"
POSITIONS = (1, 20, 40, 60, 80)


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
    hosts: list[str], users: int, seconds: int, scratch: Path, env: dict[str, str] | None = None
) -> LoadResult:
    prefix = scratch / f"locust-{users}-{seconds}-{len(list(scratch.iterdir()))}"
    command = [
        str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", hosts[0],
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
        env = {"DESK_LONG": "1", "DESK_LENGTH": str(length), "DESK_POSITIONS_FILE": str(out)}
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


@contextmanager
def rasa_hosts(
    args: argparse.Namespace, scratch: Path, model: Path | None = None
) -> Iterator[list[str]]:
    """The Rasa instances to load: given, or a scratch stack (several instances share a
    PostgreSQL tracker store and Redis, as in production)."""
    if args.rasa_url and model is None:
        yield args.rasa_url.split(",")
        return
    instances = 1 if model else args.instances
    stores = {"tracker_url": args.tracker_url, "redis_url": args.redis_url} if instances > 1 else {}
    name = "stack-stock" if model else "stack"
    with scratch_stack(scratch / name, model=model, instances=instances, **stores) as (config, _):
        yield config.rasa_urls


def measure(args: argparse.Namespace, hosts: list[str], scratch: Path) -> dict[str, LoadResult]:
    run_locust(hosts, args.users, 5, scratch)  # warm-up: caches, connections, jieba
    results = {"1 conversation at a time": run_locust(hosts, 1, args.seconds, scratch)}
    results[f"{args.users} concurrent conversations, no think time"] = run_locust(
        hosts, args.users, args.seconds, scratch
    )
    for rate in args.rates:
        pacing = str(args.users / rate)
        results[f"offered {rate:g} msg/s over {args.users} conversations"] = run_locust(
            hosts, args.users, args.seconds, scratch, {"DESK_PACING": pacing}
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
    parser.add_argument("--rasa-url", help="measure running Rasa instances (comma-separated)")
    parser.add_argument("--instances", type=int, default=1, help="Rasa instances to start")
    parser.add_argument(
        "--tracker-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/desk_bench_tracker",
        help="PostgreSQL shared by several instances (created if missing)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
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
            with rasa_hosts(args, scratch, stock_model(scratch)) as stock_hosts:
                run_locust(stock_hosts, args.users, 5, scratch)
                stock = run_locust(stock_hosts, args.users, args.seconds, scratch)
            ours = results[f"{args.users} concurrent conversations, no think time"]
            print(stock.row(f"stock Rasa (DIET + TED), {args.users} concurrent conversations"))
            print(f"desk / stock throughput: {ours.throughput / stock.throughput:.1f}×")


if __name__ == "__main__":
    main()
