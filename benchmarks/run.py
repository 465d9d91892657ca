"""Time zjtrack side by side with its floor and with Taskwarrior, and print the ratios.

    python benchmarks/run.py [--repeat 5] [--measures 10000] [--venv DIR] [--only LABEL ...]
                             [--stages]

One invocation prints the whole table, as the README shows it:

- zjtrack as a user runs it: installed by `pip install .` (not editable) into a fresh venv, with the
  bytecode pip compiles at install time (`--venv DIR` reuses such a venv, e.g. from a previous run);
- the floor is that venv's interpreter, `python3 -c pass`: an editable install adds its import hook
  to every start-up (about 10 ms more here), which would flatter every ratio;
- the yardstick is `task overdue` over as many Taskwarrior tasks as the tree has measures (Debian
  package taskwarrior), with comparable due dates, run with TZ=UTC: with TZ unset glibc re-reads
  /etc/localtime on every localtime() call, which makes Taskwarrior slower, a weaker anchor.

Every ratio is the median over pairs of runs, A then B then A then B..., of A/B: on a shared machine
both halves of a pair see the same moment's load. Peak memory is each run's own (wait4's rusage),
the largest over the runs.

Trees are generated deterministically (benchmarks/generate.py, seed 7): the city is the shipped
tasks/ plus the fictional demo; the province is 10,000 measures (50,000 targets, 100,000 records in
201 files). zjtrack runs with its parse cache warm (files unchanged since the last run); "after one
change" appends a record to one progress file before each run, so only that file is re-parsed;
"cold" runs with the cache off. The last table times warm `overdue` and `status` at about the
city's size, 10x, 100x and the province, with the marginal cost per target between sizes.
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
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

AS_OF = "2026-11-25"


class Run:
    """One finished run of a command: wall seconds and peak resident memory in MB."""

    def __init__(self, wall: float, peak_mb: float) -> None:
        self.wall = wall
        self.peak_mb = peak_mb


def run_once(cmd: list[str], env: dict[str, str]) -> Run:
    """Run `cmd` once as its own process, output to /dev/null; its wall time and peak memory."""
    null = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, env, file_actions=null)
    _, _, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return Run(wall, usage.ru_maxrss / 1024)


def paired(
    a: list[str], env_a: dict[str, str], b: list[str], env_b: dict[str, str], repeat: int
) -> tuple[list[Run], list[Run], float]:
    """`repeat` runs of `a` and of `b` in turn, and the median of the pairs' ratios a/b."""
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(run_once(a, env_a))
        theirs.append(run_once(b, env_b))
    ratio = statistics.median(x.wall / y.wall for x, y in zip(ours, theirs, strict=True))
    return ours, theirs, ratio


def med_ms(runs: list[Run]) -> str:
    return f"{statistics.median(r.wall for r in runs) * 1000:.0f}"


def peak(runs: list[Run]) -> str:
    return f"{max(r.peak_mb for r in runs):.0f}"


def install(venv: Path, tmp: Path) -> Path:
    """A venv with zjtrack installed by `pip install .` from a clean copy of the sources."""
    python = venv / "bin" / "python3"
    if (venv / "bin" / "zjtrack").exists():
        return python
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "zjtrack", src / "zjtrack", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(src)],
        check=True,
    )
    return python


def taskwarrior(tmp: Path, n: int, seed: int = 7) -> tuple[list[str], dict[str, str]]:
    """A Taskwarrior data set of `n` pending tasks with due dates spread like the tree's deadlines."""
    data = tmp / "taskdata"
    data.mkdir(parents=True)
    rc = tmp / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data), "TZ": "UTC"}
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


# The rows: (label, arguments after `zjtrack`, goal as a ratio to `task overdue`).
PROVINCE = [
    ("overdue", ["overdue"], 0.7),
    ("status (table)", ["status"], 2.0),
    ("status --format json", ["status", "--format", "json"], 3.0),
    ("check", ["check"], 1.5),
    ("report weekly (md)", ["report", "weekly"], 2.0),
    ("report weekly (html)", ["report", "weekly", "-f", "html"], 2.0),
    ("report weekly (xlsx)", ["report", "weekly", "-f", "xlsx", "-o", "{out}.xlsx"], 4.0),
    ("report weekly (docx)", ["report", "weekly", "-f", "docx", "-o", "{out}.docx"], 4.0),
]
# City rows: (arguments after `zjtrack`, goal as a ratio to the floor); None: the city's paths follow.
CITY: list[tuple[list[str], float, bool]] = [
    (["--version"], 3.0, False),
    (["--help"], 6.0, False),
    (["status"], 8.0, True),
    (["overdue"], 8.0, True),
    (["check"], 8.0, True),
]
MEMORY_GOAL_MB = 300
# Every other report and format, for the memory goal only (one warm run each; "{out}" a file or,
# ending in "/", a folder).
MEMORY_ONLY = [
    ["report", "ledger", "-f", "xlsx", "-o", "{out}.ledger.xlsx", "--force"],
    ["report", "ledger", "-f", "csv", "-o", "{out}.ledger.csv", "--force"],
    ["report", "ledger", "-f", "md", "-o", "{out}.ledger.md", "--force"],
    ["report", "notices", "-f", "docx", "-o", "{out}.notices/", "--force"],
    ["report", "notices", "-f", "html", "-o", "{out}.notices/", "--force"],
    ["report", "notices", "-f", "docx", "-o", "{out}.notices.docx", "--force"],
    ["report", "weekly", "--lang", "en", "-f", "xlsx", "-o", "{out}.en.xlsx", "--force"],
    ["status", "--format", "csv"],
    ["units"],
    ["due", "--within", "3m"],
]


def city_rows(zj: list[str], python: Path, env: dict[str, str], repeat: int) -> list[str]:
    """The city's rows: each command paired with the floor, `python3 -c pass` of the same venv."""
    city = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    run_once([*zj, "check", *city], env)  # warm the cache
    time.sleep(2.5)  # out of the cache's racy window (a fresh checkout's files were just written)
    floor = [str(python), "-c", "pass"]
    rows = []
    floors: list[Run] = []
    for args, goal, with_paths in CITY:
        cmd = [*zj, *args, *(city if with_paths else [])]
        run_once(cmd, env)
        ours, theirs, ratio = paired(cmd, env, floor, env, repeat)
        floors += theirs
        rows.append(
            f"| zjtrack {' '.join(args)}{' (city)' if with_paths else ''} | {med_ms(ours)} | "
            f"{ratio:.2f} | ≤ {goal:g} | {peak(ours)} |"
        )
    head = [
        f"City: tasks/ + examples/demo; floor: `python3 -c pass` of the installed venv, "
        f"{med_ms(floors)} ms (median of {len(floors)} runs).",
        "",
        "| command | ms | × floor, paired | goal | peak MB |",
        "|---|---:|---:|---:|---:|",
    ]
    return head + rows


def province_rows(
    zj: list[str],
    env: dict[str, str],
    tmp: Path,
    measures: int,
    repeat: int,
    only: list[str] | None = None,
    python: Path | None = None,
) -> list[str]:
    """The province's rows: each command paired with `task overdue`, then the cold and changed runs
    (and, given the venv's `python`, a cold `overdue` by stages: `stages.py`)."""
    root = tmp / f"m{measures}"
    generate(root, measures, measures * 10, 100)
    files = sorted(root.rglob("*.yaml"))
    size = sum(p.stat().st_size for p in files) / 1e6
    targets = measures * 5
    tw, tw_env = taskwarrior(tmp / "tw", measures)
    out = str(tmp / "report")
    progress = sorted((root / "progress").glob("*.yaml"))[0]
    counter = itertools.count()

    def touch() -> None:
        with open(progress, "a", encoding="utf-8") as f:
            day = next(counter) % 28 + 1
            f.write(f"---\ntarget: s0-0-0\ndate: 2026-01-{day:02d}\nvalue: 1\n")

    def runs_after(before: Callable[[], None], cmd: list[str], n: int) -> list[Run]:
        found = []
        for _ in range(n):
            before()
            found.append(run_once(cmd, env))
        return found

    rows = []
    task_runs: list[Run] = []
    overdue_ms: float | None = None  # None: the overdue row was left out (--only)
    above = 0  # commands whose peak memory is over the goal
    for label, args, goal in PROVINCE:
        if only and label not in only:
            continue
        cmd = [*zj, *(a.replace("{out}", out) for a in args), str(root)]
        run_once(cmd, env)
        time.sleep(2.5)  # out of the cache's racy window, as files are between real runs
        run_once(cmd, env)
        ours, theirs, ratio = paired(cmd, env, tw, tw_env, repeat)
        task_runs += theirs
        if args == ["overdue"]:
            overdue_ms = statistics.median(r.wall for r in ours) * 1000
        above += max(r.peak_mb for r in ours) >= MEMORY_GOAL_MB
        rows.append(
            f"| zjtrack {label} | {med_ms(ours)} | {ratio:.2f} | ≤ {goal:g} | {peak(ours)} |"
        )
    rows.append(
        f"| `task overdue` ({measures:,} tasks, TZ=UTC) | {med_ms(task_runs)} | 1.00 | | "
        f"{peak(task_runs)} |"
    )
    # Cost after one change and cold, for `overdue` and `check` (the two that read everything).
    extra = [
        "",
        "| command | warm ms | after one change ms (÷ warm, goal ≤ 1.1) | cold ms (no cache) |",
        "|---|---:|---:|---:|",
    ]
    for args in (["overdue"], ["check"]):
        if only and args[0] not in only:
            continue
        cmd = [*zj, *args, str(root)]
        warm = [run_once(cmd, env) for _ in range(repeat)]
        changed = runs_after(touch, cmd, repeat)
        cold = [run_once(cmd, {**env, "ZJTRACK_NO_CACHE": "1"}) for _ in range(max(1, repeat // 3))]
        w = statistics.median(r.wall for r in warm)
        c = statistics.median(r.wall for r in changed)
        extra.append(
            f"| zjtrack {' '.join(args)} | {w * 1000:.0f} | {c * 1000:.0f} ({c / w:.2f}) | "
            f"{med_ms(cold)} |"
        )
    head = [
        f"Province: {measures:,} measures, {targets:,} targets, {measures * 10:,} records in "
        f"{len(files)} files ({size:.1f} MB), warm cache."
        + (
            f" `overdue` costs {overdue_ms * 1000 / targets:.1f} µs per target, start-up"
            " included (goal ≤ 3)."
            if overdue_ms is not None
            else ""
        ),
        "",
        "| command | ms | × `task overdue`, paired | goal | peak MB |",
        "|---|---:|---:|---:|---:|",
    ]
    memory = []
    if not only:
        memory = ["", "Every other report and format, peak memory (one warm run each):", ""]
        memory += ["| command | peak MB |", "|---|---:|"]
        for args in MEMORY_ONLY:
            cmd = [*zj, *(a.replace("{out}", out) for a in args), str(root)]
            run_once(cmd, env)
            found = run_once(cmd, env)
            above += found.peak_mb >= MEMORY_GOAL_MB
            memory.append(
                f"| zjtrack {' '.join(args).replace('{out}', 'OUT')} | {found.peak_mb:.0f} |"
            )
    tail = [f"Peak memory goal < {MEMORY_GOAL_MB} MB: {above} command(s) above it."]
    if python is not None:
        extra += ["", *stage_rows(python, root, max(1, repeat // 3))]
    return [*head, *rows, *memory, "", *tail, *extra]


# Sizes for the cost per target (measures; 5 targets and 10 records each): about the city (117
# targets), 10x and 100x the city, and the province.
SCALES = (24, 240, 2_400, 10_000)


def scaling_rows(zj: list[str], env: dict[str, str], tmp: Path, repeat: int) -> list[str]:
    """Warm `overdue` and `status` at each size of `SCALES`: ms, µs per target with start-up,
    and the marginal µs per target from the size before (start-up cancels out): linear when the
    marginal cost stays level as the tree grows."""
    rows = [
        "Cost per target, warm (trees from generate.py; one progress file per 100 measures):",
        "",
        "| targets | overdue ms | µs/target | marginal µs/target | status ms | µs/target |"
        " marginal µs/target |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    roots = []
    for measures in SCALES:
        root = tmp / f"m{measures}"
        if not root.exists():
            generate(root, measures, measures * 10, max(1, measures // 100))
        roots.append(root)
    for root in roots:  # the first runs make each tree's snapshot; then out of the racy window
        for args in (["overdue"], ["status"]):
            run_once([*zj, *args, str(root)], env)
    time.sleep(2.5)
    before: dict[str, tuple[int, float]] = {}
    for measures, root in zip(SCALES, roots, strict=True):
        targets = measures * 5
        cells = [f"{targets:,}"]
        for args in (["overdue"], ["status"]):
            cmd = [*zj, *args, str(root)]
            run_once(cmd, env)
            # at least 9 runs: the small trees' runs are short, and 3 let one slow run through
            ms = statistics.median(run_once(cmd, env).wall for _ in range(max(repeat, 9))) * 1000
            last = before.get(args[0])
            marginal = (
                f"{(ms - last[1]) * 1000 / (targets - last[0]):.1f}" if last is not None else ""
            )
            cells += [f"{ms:.0f}", f"{ms * 1000 / targets:.1f}", marginal]
            before[args[0]] = (targets, ms)
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def stage_rows(python: Path, root: Path, repeat: int) -> list[str]:
    """A cold `zjtrack overdue` (an empty cache folder) by stages, timed in process (`stages.py`)."""
    out = subprocess.run(
        [
            str(python),
            str(HERE / "stages.py"),
            str(root),
            "--as-of",
            AS_OF,
            "--repeat",
            str(repeat),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    took: dict[str, float] = json.loads(out)
    return [
        f"Cold `overdue` by stages (an empty cache folder, in process, median of {repeat}; "
        "start-up not included):",
        "",
        "| " + " | ".join(took) + " | total |",
        "|" + "---:|" * (len(took) + 1),
        "| " + " | ".join(f"{ms:.0f}" for ms in took.values()) + f" | {sum(took.values()):.0f} |",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=5, help="paired runs per command (default 5)")
    ap.add_argument("--measures", type=int, default=10_000, help="the province's size")
    ap.add_argument(
        "--venv",
        type=Path,
        help="reuse or create this venv (stale once the sources change)",
    )
    ap.add_argument(
        "--only",
        nargs="+",
        metavar="LABEL",
        help="only these province rows, by label (e.g. overdue 'status (table)'); no city rows",
    )
    ap.add_argument(
        "--stages", action="store_true", help="also a cold `overdue` by stages (stages.py)"
    )
    a = ap.parse_args()
    if shutil.which("task") is None:
        sys.exit("run.py: Taskwarrior is missing (apt-get install -y taskwarrior)")
    tmp = Path(tempfile.mkdtemp(prefix="zjtrack-bench-"))
    try:
        python = install(a.venv or tmp / "venv", tmp)
        zj = [str(python.with_name("zjtrack"))]
        env = {**os.environ, "ZJTRACK_AS_OF": AS_OF, "ZJTRACK_CACHE_DIR": str(tmp / "cache")}
        for name in ("ZJTRACK_NO_CACHE", "ZJTRACK_LANG", "PYTHONPATH"):
            env.pop(name, None)
        lines = [] if a.only else [*city_rows(zj, python, env, a.repeat), ""]
        lines += province_rows(
            zj, env, tmp, a.measures, a.repeat, a.only, python if a.stages else None
        )
        if not a.only:
            lines += ["", *scaling_rows(zj, env, tmp, a.repeat)]
        print("\n".join(lines))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
