"""Time zjtrack side by side with its floors and with Taskwarrior, and print the ratios.

    python benchmarks/run.py [--repeat 7] [--province] [--markdown]

Each command is a fresh process, as a user would see it, timed `--repeat` times; the median is
reported. Trees are generated deterministically (benchmarks/generate.py, seed 7):

- city: the shipped tasks/ plus the fictional demo progress;
- 1,000 measures (5,000 targets, 10,000 records) and, with --province, 10,000 measures
  (50,000 targets, 100,000 records in 200 files), with `task overdue` over 10,000 Taskwarrior
  tasks with comparable due dates when `task` is installed (Debian package taskwarrior).

zjtrack runs with its parse cache warm (files unchanged since the last run), as the goals ask;
"after one change" appends a record to one progress file first, so only that file is re-parsed.
The last column is the median over pairs of runs, each zjtrack run followed by a `task overdue` run, of
their ratio: on a shared machine both then see the same moment's load.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

AS_OF = "2026-11-25"


def zj() -> list[str]:
    exe = Path(sys.executable).with_name("zjtrack")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "zjtrack"]


def run_once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False, cwd=ROOT
    )
    return time.perf_counter() - start


def median(cmd: list[str], repeat: int, env: dict[str, str], before: object = None) -> float:
    times = []
    for _ in range(repeat):
        if callable(before):
            before()
        times.append(run_once(cmd, env))
    return statistics.median(times)


def paired(
    a: list[str], env_a: dict[str, str], b: list[str], env_b: dict[str, str], repeat: int
) -> tuple[list[float], list[float]]:
    """`repeat` runs of `a` and of `b`, alternating: each pair sees the same moment's load."""
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(run_once(a, env_a))
        theirs.append(run_once(b, env_b))
    return ours, theirs


def peak_rss_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one run of `cmd`, in MB (from a child's rusage)."""
    code = (
        "import resource,subprocess,sys;"
        "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *cmd], capture_output=True, text=True, env=env, cwd=ROOT
    )
    return int(out.stdout.strip() or 0) / 1024


def taskwarrior(tmp: Path, n: int, seed: int = 7) -> tuple[list[str], dict[str, str]] | None:
    """A Taskwarrior data set of `n` pending tasks with due dates spread like the tree's deadlines."""
    if shutil.which("task") is None:
        return None
    data = tmp / "taskdata"
    data.mkdir(parents=True)
    rc = tmp / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    rng = random.Random(seed)
    tasks = [
        {
            "description": f"synthetic target {i}",
            "status": "pending",
            "due": f"{rng.randint(2024, 2028)}1231T000000Z",
            "entry": "20240301T000000Z",
            "project": f"doc{i % 100}",
        }
        for i in range(n)
    ]
    payload = tmp / "tasks.json"
    payload.write_text(json.dumps(tasks), encoding="utf-8")
    subprocess.run(
        ["task", "import", str(payload)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return ["task", "overdue"], env


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument(
        "--province", action="store_true", help="also 10,000 measures / 100,000 records"
    )
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zjtrack-bench-"))
    env = {**os.environ, "ZJTRACK_AS_OF": AS_OF, "ZJTRACK_CACHE_DIR": str(tmp / "cache")}
    # Time zjtrack as an install runs it: with its bytecode compiled, as `pip install .` leaves it.
    # An editable install under PYTHONDONTWRITEBYTECODE=1 (set on this project's machines) would
    # compile every module from source on every run instead (+0.1 s).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    package = subprocess.run(
        [sys.executable, "-c", "import zjtrack, os; print(os.path.dirname(zjtrack.__file__))"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True, env=env)
    Z = zj()
    try:
        floor = median([sys.executable, "-c", "pass"], a.repeat, env)
        print(
            f"python3 -c pass: {floor * 1000:.0f} ms (median of {a.repeat}); ratios below are x that\n"
        )
        print("| command | ms | ratio | goal |")
        print("|---|---:|---:|---|")
        for args, goal in ((["--version"], 5), (["--help"], 8), (["status", "--help"], 8)):
            t = median([*Z, *args], a.repeat, env)
            print(f"| zjtrack {' '.join(args)} | {t * 1000:.0f} | {t / floor:.1f}x | <= {goal}x |")
        city = ["tasks", "examples/demo"]
        run_once([*Z, "check", *city], env)  # warm the cache
        time.sleep(
            2.5
        )  # out of its racy window (a fresh checkout's files were all written just now)
        for cmd in ("status", "overdue", "check"):
            full = [*Z, cmd, *city]
            run_once(full, env)
            t = median(full, a.repeat, env)
            print(
                f"| zjtrack {cmd} (city: tasks/ + demo) | {t * 1000:.0f} | {t / floor:.1f}x | <= 8x |"
            )
        print()

        trees = [("1,000 measures / 5,000 targets / 10,000 records", 1000, 10_000)]
        if a.province:
            trees.append(("10,000 measures / 50,000 targets / 100,000 records", 10_000, 100_000))
        for name, measures, records in trees:
            root = tmp / f"m{measures}"
            generate(root, measures, records, 100)
            size = sum(p.stat().st_size for p in root.rglob("*.yaml")) / 1e6
            print(f"### {name} ({size:.1f} MB in {len(list(root.rglob('*.yaml')))} files)\n")
            tw = taskwarrior(tmp / f"tw{measures}", measures) if measures >= 10_000 else None
            print(
                "| command | cold (no cache) | warm | after one change | peak RSS |"
                + (" warm / task overdue, paired runs (goal) |" if tw else "")
            )
            print("|---|---:|---:|---:|---:|" + ("---:|" if tw else ""))
            task_times: list[float] = []
            progress = sorted((root / "progress").glob("*.yaml"))[0]
            counter = itertools.count()

            def touch(progress: Path = progress, counter: itertools.count[int] = counter) -> None:
                with open(progress, "a", encoding="utf-8") as f:
                    f.write(
                        f"---\ntarget: s0-0-0\ndate: 2026-01-{next(counter) % 28 + 1:02d}\nvalue: 1\n"
                    )

            for cmd in (
                ["overdue"],
                ["status", "--format", "json"],
                ["check"],
                ["report", "weekly"],
            ):
                full = [*Z, *cmd, str(root)]
                cold = median(full, 1, {**env, "ZJTRACK_NO_CACHE": "1"})
                run_once(full, env)
                time.sleep(2.5)  # out of the cache's racy window, as files are between real runs
                run_once(full, env)
                ratio = ""
                if tw is None:
                    warm = median(full, a.repeat, env)
                else:  # alternate with `task overdue`, so that both see the same load on a shared machine
                    ours, theirs = paired(full, env, tw[0], tw[1], a.repeat)
                    warm = statistics.median(ours)
                    task_times += theirs
                    goal = "1.0" if cmd == ["overdue"] else "2.0"
                    ratio = f" {statistics.median([x / y for x, y in zip(ours, theirs, strict=True)]):.2f} (<= {goal}) |"
                changed = median(full, max(3, a.repeat // 2), env, before=touch)
                rss = peak_rss_mb(full, env)
                print(
                    f"| zjtrack {' '.join(cmd)} | {cold * 1000:.0f} ms | {warm * 1000:.0f} ms | "
                    f"{changed * 1000:.0f} ms | {rss:.0f} MB |{ratio}"
                )
            if tw is not None:
                print(
                    f"| task overdue ({measures:,} Taskwarrior tasks) | | "
                    f"{statistics.median(task_times) * 1000:.0f} ms | | {peak_rss_mb(*tw):.0f} MB | 1.00 |"
                )
            print()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
