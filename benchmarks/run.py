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
The last column divides each warm time by `task overdue`'s.
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
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False, cwd=ROOT)
    return time.perf_counter() - start


def median(cmd: list[str], repeat: int, env: dict[str, str], before: object = None) -> float:
    times = []
    for _ in range(repeat):
        if callable(before):
            before()
        times.append(run_once(cmd, env))
    return statistics.median(times)


def peak_rss_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one run of `cmd`, in MB (from a child's rusage)."""
    code = (
        "import resource,subprocess,sys;"
        "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, env=env, cwd=ROOT)
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
        {"description": f"synthetic target {i}", "status": "pending",
         "due": f"{rng.randint(2024, 2028)}1231T000000Z", "entry": "20240301T000000Z",
         "project": f"doc{i % 100}"}
        for i in range(n)
    ]
    payload = tmp / "tasks.json"
    payload.write_text(json.dumps(tasks), encoding="utf-8")
    subprocess.run(["task", "import", str(payload)], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return ["task", "overdue"], env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--province", action="store_true", help="also 10,000 measures / 100,000 records")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zjtrack-bench-"))
    env = {**os.environ, "ZJTRACK_AS_OF": AS_OF, "ZJTRACK_CACHE_DIR": str(tmp / "cache")}
    # Time zjtrack as an install runs it: with its bytecode compiled, as `pip install .` leaves it.
    # An editable install under PYTHONDONTWRITEBYTECODE=1 (set on this project's machines) would
    # compile every module from source on every run instead (+0.1 s).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    package = subprocess.run([sys.executable, "-c", "import zjtrack, os; print(os.path.dirname(zjtrack.__file__))"],
                             capture_output=True, text=True, check=True, env=env).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True, env=env)
    Z = zj()
    try:
        floor = median([sys.executable, "-c", "pass"], a.repeat, env)
        print(f"python3 -c pass: {floor * 1000:.0f} ms (median of {a.repeat}); ratios below are x that\n")
        print("| command | ms | ratio | goal |")
        print("|---|---:|---:|---|")
        for args, goal in ((["--version"], 5), (["--help"], 8), (["status", "--help"], 8)):
            t = median([*Z, *args], a.repeat, env)
            print(f"| zjtrack {' '.join(args)} | {t * 1000:.0f} | {t / floor:.1f}x | <= {goal}x |")
        city = ["tasks", "examples/demo"]
        run_once([*Z, "check", *city], env)  # warm the cache
        time.sleep(2.5)  # out of its racy window (a fresh checkout's files were all written just now)
        for cmd in ("status", "overdue", "check"):
            full = [*Z, cmd, *city]
            run_once(full, env)
            t = median(full, a.repeat, env)
            print(f"| zjtrack {cmd} (city: tasks/ + demo) | {t * 1000:.0f} | {t / floor:.1f}x | <= 8x |")
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
            task_ms = None
            if tw is not None:
                tcmd, tenv = tw
                task_ms = median(tcmd, a.repeat, tenv)
            goal = "<= 1.0 (overdue), <= 2.0 (the rest)" if task_ms else ""
            print("| command | cold (no cache) | warm | after one change | peak RSS |"
                  + (f" warm / task overdue ({goal}) |" if task_ms else ""))
            print("|---|---:|---:|---:|---:|" + ("---:|" if task_ms else ""))
            progress = sorted((root / "progress").glob("*.yaml"))[0]
            counter = itertools.count()

            def touch(progress: Path = progress, counter: itertools.count[int] = counter) -> None:
                with open(progress, "a", encoding="utf-8") as f:
                    f.write(f"---\ntarget: s0-0-0\ndate: 2026-01-{next(counter) % 28 + 1:02d}\nvalue: 1\n")

            for cmd in (["overdue"], ["status", "--format", "json"], ["check"], ["report", "weekly"]):
                full = [*Z, *cmd, str(root)]
                cold = median(full, 1, {**env, "ZJTRACK_NO_CACHE": "1"})
                run_once(full, env)
                time.sleep(2.5)  # out of the cache's racy window, as files are between real runs
                run_once(full, env)
                warm = median(full, a.repeat, env)
                changed = median(full, max(3, a.repeat // 2), env, before=touch)
                rss = peak_rss_mb(full, env)
                ratio = f" {warm / task_ms:.2f} |" if task_ms else ""
                print(f"| zjtrack {' '.join(cmd)} | {cold * 1000:.0f} ms | {warm * 1000:.0f} ms | "
                      f"{changed * 1000:.0f} ms | {rss:.0f} MB |{ratio}")
            if tw is not None and task_ms is not None:
                tcmd, tenv = tw
                print(f"| task overdue ({measures:,} Taskwarrior tasks) | | {task_ms * 1000:.0f} ms | | "
                      f"{peak_rss_mb(tcmd, tenv):.0f} MB | 1.00 |")
            print()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
