"""Time zjtrack commands on synthetic trees and on the shipped tasks/, side by side.

    python benchmarks/run.py [--repeat 5] [--large]

Prints the median wall time of each command (a fresh process each run, as a user would see it),
next to `python3 -c pass` as the floor. `--large` adds 10,000 measures with 100,000 records.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

ZJ = [sys.executable, "-m", "zjtrack"]
AS_OF = "2026-11-25"


def timed(cmd: list[str], repeat: int) -> float:
    times = []
    env = {**os.environ, "ZJTRACK_AS_OF": AS_OF}
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--large", action="store_true", help="also 10,000 measures / 100,000 records")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zjtrack-bench-"))
    try:
        trees = {"city (tasks/ + demo)": ["tasks", "examples/demo"]}
        generate(tmp / "m1000", 1000, 10_000, 100)
        trees["1,000 measures / 10,000 records"] = [str(tmp / "m1000")]
        if a.large:
            generate(tmp / "m10000", 10_000, 100_000, 100)
            trees["10,000 measures / 100,000 records"] = [str(tmp / "m10000")]
        floor = timed([sys.executable, "-c", "pass"], a.repeat)
        print(f"python3 -c pass: {floor * 1000:.0f} ms (median of {a.repeat})")
        print(f"zjtrack --version: {timed([*ZJ, '--version'], a.repeat) * 1000:.0f} ms")
        print(f"zjtrack --help: {timed([*ZJ, '--help'], a.repeat) * 1000:.0f} ms")
        print()
        print(f"| tree | {' | '.join(['check', 'targets', 'status', 'overdue'])} |")
        print("|---|---:|---:|---:|---:|")
        for name, paths in trees.items():
            cells = []
            for cmd in ("check", "targets", "status", "overdue"):
                extra = ["--format", "json"] if cmd != "check" else []
                cells.append(f"{timed([*ZJ, cmd, *paths, *extra], a.repeat) * 1000:.0f} ms")
            print(f"| {name} | {' | '.join(cells)} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
