"""Where a process's time went, from py-spy's folded stacks (bench_load.py --profile DIR).

Run: .venv/bin/python benchmarks/profile_summary.py DIR/rasa.txt [--top 25] [--under NAME]
Prints the share of samples that pass through each function (inclusive) and that end in it
(self), so that a change can be judged by the same figures before and after.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

# "function (path/to/module.py:123)" → "function (module.py)": one row per function, not per line.
FRAME = re.compile(r"^(?P<name>.*?) \((?P<path>[^:()]*)(?::\d+)?\)$")


def short(frame: str) -> str:
    match = FRAME.match(frame)
    if match is None:
        return frame
    path = match["path"]
    package = "/".join(path.split("site-packages/")[-1].split("/")[-3:])
    return f"{match['name']} ({package})"


def read_stacks(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append(([short(frame) for frame in stack.split(";")], int(count)))
    return stacks


def summarise(
    stacks: list[tuple[list[str], int]], under: str | None
) -> tuple[int, Counter[str], Counter[str]]:
    total = 0
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, count in stacks:
        if under is not None and not any(under in frame for frame in frames):
            continue
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    return total, inclusive, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--under", help="only stacks passing through a frame containing this")
    args = parser.parse_args()
    total, inclusive, own = summarise(read_stacks(args.profile), args.under)
    if not total:
        raise SystemExit("no samples")
    print(f"{args.profile}: {total} samples")
    print("\ninclusive")
    for frame, count in inclusive.most_common(args.top):
        print(f"{100 * count / total:5.1f} %  {frame}")
    print("\nself")
    for frame, count in own.most_common(args.top):
        print(f"{100 * count / total:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
