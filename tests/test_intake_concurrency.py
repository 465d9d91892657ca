"""Intake against other writers, as real processes: two intakes of the same return at once record
it once; an intake beside `record` runs loses nothing; a kill at any moment leaves every progress
file whole, with all of the form's records or none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import Tree
from formkit import AS_OF, fill, write_forms

from zjtrack.checks import run_checks
from zjtrack.load.loader import load_paths

ENV = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}


def zjtrack(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "zjtrack", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def intake_args(tree: Tree, path: Path) -> list[str]:
    receipts = str(tree.dir.parent / "回执")
    args = ["intake", str(path), "--tasks", str(tree.dir), "--as-of", AS_OF, "--yes"]
    return [*args, "--receipts", receipts]


def test_two_intakes_of_one_return_record_it_once(tree: Tree, tmp_path: Path) -> None:
    path = fill(write_forms(tree, tmp_path / "out"), tmp_path / "x.xlsx")
    procs = [zjtrack(*intake_args(tree, path)) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert sum("新记录 2 条" in out for out, _ in outs) == 1
    assert sum("没有新内容" in out for out, _ in outs) == 2
    assert len(load_paths([str(tree.dir)]).plan.records) == 2


def test_intake_beside_record(tree: Tree, tmp_path: Path) -> None:
    path = fill(write_forms(tree, tmp_path / "out"), tmp_path / "x.xlsx", {"hd-5-2": "完成"})

    def record(i: int) -> int:
        p = zjtrack(
            "record",
            "hd-5-1",
            str(10 + i),
            "--tasks",
            str(tree.dir),
            "--date",
            "2025-01-0" + str(i + 1),
        )
        p.communicate(timeout=120)
        return p.returncode

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(record, i) for i in range(4)]
        p = zjtrack(*intake_args(tree, path))
        p.communicate(timeout=120)
        assert p.returncode == 0
        assert [f.result() for f in futures] == [0, 0, 0, 0]
    plan = load_paths([str(tree.dir)]).plan
    assert sorted(r.target for r in plan.records) == ["hd-5-1"] * 4 + ["hd-5-2"]


def test_killed_at_any_moment(tree: Tree, tmp_path: Path) -> None:
    path = fill(write_forms(tree, tmp_path / "out"), tmp_path / "x.xlsx")
    progress = tree.dir / "progress" / "hd-test.yaml"
    seen = set()
    for i in range(16):
        p = zjtrack(*intake_args(tree, path))
        time.sleep(0.1 * i)
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=60)
        result = load_paths([str(tree.dir)])
        assert result.problems == [] and run_checks(result.plan) == []
        n = len(result.plan.records)
        assert n in (0, 2), n  # all of the form or none of it
        seen.add(n)
        if n:
            progress.unlink()  # start again
    assert seen == {0, 2}, seen  # killed before and after the write, both whole
