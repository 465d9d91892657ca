"""Printed reports are written as streams: rendering a large docx or xlsx report holds little
more than the report itself (issue 16). Measured in a real process, as the peak resident memory
the rendering adds over what loading, judging and building the report already needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Prints the rows rendered and the peak memory (KB) the rendering added, for one format.
PROBE = """
import datetime as dt, gc, resource, sys
sys.path.insert(0, sys.argv[3])
from generate import generate
from pathlib import Path
from zjtrack.evaluate import evaluate
from zjtrack.load.loader import load_paths
from zjtrack.registry import Registry
from zjtrack.report import Week, build_weekly, ledger
root = Path(sys.argv[1])
generate(root, 1000, 4000, 20)
plan = load_paths([str(root)]).plan
day = dt.date(2026, 11, 25)
if sys.argv[2] == "docx":
    from zjtrack.render import docx as out
    report = build_weekly(plan, Week(2026, 48), "zh")
else:
    from zjtrack.render import xlsx as out
    report = ledger(evaluate(plan, day), Registry(plan.units), plan.config, day)
rows = sum(len(t.rows) for s in report.sections for t in s.tables)
del plan
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = out.render([report])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(rows, after - before, len(data))
"""


def probe(tmp_path: Path, fmt: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "tree"), fmt, str(ROOT / "benchmarks")],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "ZJTRACK_NO_CACHE": "1", "PATH": "/usr/bin:/bin"},
    )
    rows, added, size = map(int, out.stdout.split())
    assert size > 0
    return rows, added


def test_docx_weekly_streams_its_tables(tmp_path: Path) -> None:
    rows, added = probe(tmp_path, "docx")
    assert rows > 1000  # enough rows that a tree of them would show (tens of KB a row)
    assert added < 2 * rows + 20_000, f"{added} KB added for {rows} rows"


def test_xlsx_ledger_streams_its_rows(tmp_path: Path) -> None:
    rows, added = probe(tmp_path, "xlsx")
    assert rows >= 5000
    assert added < rows // 2 + 4000, f"{added} KB added for {rows} rows"


# Runs a command in a child process and prints the child's peak resident memory (KB).
PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def test_notices_written_one_file_each_free_each_document(tmp_path: Path) -> None:
    """`report notices -o DIR/` renders a docx per unit in one process, which runs with the cycle
    collector off: each document's tree (all cycles) stayed until the end, 5 MB a notice at a
    province (347 MB for 40). Writing 40 notices now peaks about where writing one does."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    tree = tmp_path / "tree"
    generate(tree, 1000, 4000, 20)
    env = {
        "PYTHONPATH": str(ROOT),
        "ZJTRACK_NO_CACHE": "1",
        "ZJTRACK_AS_OF": "2026-11-25",
        "PATH": "/usr/bin:/bin",
    }

    def peak(*args: str) -> int:
        command = [sys.executable, "-c", PEAK, sys.executable, "-m", "zjtrack", *args]
        out = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
        return int(out.stdout)

    every = peak("report", "notices", str(tree), "-f", "docx", "-o", f"{tmp_path}/all/")
    assert len(list((tmp_path / "all").glob("*.docx"))) >= 20
    one = peak(
        "report",
        "notices",
        str(tree),
        "-f",
        "docx",
        "-o",
        f"{tmp_path}/one.docx",
        "--unit",
        "合成市第1局",
    )
    assert every - one < 20_000, f"{every} KB for every notice, {one} KB for one"
