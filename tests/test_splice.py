"""A change to a few progress files is spliced into the tree's snapshot (`snapshot.splice`): only
those files are read again, and the snapshot that results equals, field by field, the one made
from scratch; a change that brings an error, or that the columns cannot hold, is never served
from it: the view says what the object model says, with the same exit code."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import IDENTITY_TREES, cli, identity_trees

from zjtrack.load import snapshot
from zjtrack.load.loader import load_paths

AS_OF = "2026-11-25"
HD = "haidong-2024-74.yaml"


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    identity_trees(tmp_path, monkeypatch)
    yield tmp_path


def _same(a: snapshot.Snapshot, b: snapshot.Snapshot) -> None:
    """Every field of the two snapshots equal (their tokens aside: each snapshot has its own)."""

    def plain(x: object) -> object:
        if isinstance(x, snapshot.Texts):
            return x.blob, x.offsets.tobytes()
        if isinstance(x, snapshot.Interned):
            return plain(x.distinct), x.index.tobytes()
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        return x.tobytes() if hasattr(x, "tobytes") else x  # NaN: compared as its bytes

    a.load_all()  # every column made (a snapshot read from its file makes each when used)
    b.load_all()
    # its own tokens, and the files its load was trusted for (one made in memory has none)
    tokens = {"token", "plan_token", "inputs"}
    names = {name for name in vars(a) if not name.startswith("_")} - tokens
    assert names == {name for name in vars(b) if not name.startswith("_")} - tokens
    for name in sorted(names):
        assert plain(getattr(a, name)) == plain(getattr(b, name)), name


def _as_without_cache(*args: str) -> int:
    """Run a view with the cache and without it: the same stdout, stderr and exit code (given)."""
    fast = cli(*args, "--as-of", AS_OF)
    slow = cli(*args, "--as-of", AS_OF, env={"ZJTRACK_NO_CACHE": "1"})
    assert (fast.stdout, fast.stderr, fast.exit_code) == (
        slow.stdout,
        slow.stderr,
        slow.exit_code,
    ), args
    return fast.exit_code


def _progress_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if re.search(r"(?m)^target:", p.read_text()))


def _last_record(text: str) -> str:
    return "---" + text.rsplit("\n---", 1)[1]


CHANGES: dict[str, Callable[[str], str]] = {
    "append a record": lambda t: (
        t + re.sub(r"date: \S+", "date: 2026-01-05", _last_record(t)).rstrip("\n") + "\n"
    ),
    "drop the last record": lambda t: t.rsplit("\n---", 1)[0] + "\n",
    "redate the first record": lambda t: re.sub(r"date: \S+", "date: 2020-02-02", t, count=1),
    "blank line only": lambda t: t + "\n",
}
SPLICED = ("synthetic", "shapes-plain")  # trees whose changes are all spliced (no rare shapes)


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("name", list(IDENTITY_TREES))
def test_a_spliced_snapshot_equals_one_made_from_scratch(
    trees: Path, name: str, change: str
) -> None:
    paths = IDENTITY_TREES[name]
    assert cli("overdue", *paths, "--as-of", AS_OF).exit_code == 0  # makes the snapshot
    assert snapshot.load(paths) is not None
    spliced = 0
    for path in _progress_files(trees / paths[-1])[:3]:
        path.write_text(CHANGES[change](path.read_text("utf-8")), "utf-8")
        snap = snapshot.load(paths)
        result = load_paths(paths)
        assert not result.broken() and not result.doubtful()
        if snap is not None:
            _same(snap, snapshot.Snapshot(snapshot.columns(result)))
            spliced += 1
        else:
            assert name not in SPLICED  # a target with a correction, per entity...
        for args in (["overdue"], ["status", "-f", "csv"], ["due", "--lang", "en"]):
            _as_without_cache(*args, *paths)
    assert spliced or name not in SPLICED


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_status_table_keeps_its_cells_through_a_splice(
    trees: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The status table's side file (`snapshot.Cells`) outlives a change in records: its cells
    are not laid out again (`status_static`), only the 最新进展 cells whose record changed are
    made again, the output is the object model's byte for byte, and the side file is saved for
    the spliced snapshot (the next run finds it as its own)."""
    from conftest import spy_made

    from zjtrack.render import terminal

    paths = IDENTITY_TREES["synthetic"]
    for lang in ("zh", "en"):
        for _ in range(2):  # the snapshot, then its side file
            assert cli("status", *paths, "--lang", lang, "--as-of", AS_OF).exit_code == 0
    laid_out = spy_made(monkeypatch, terminal, "status_static")
    redone = []
    for path in _progress_files(trees / paths[-1])[:3]:
        path.write_text(CHANGES[change](path.read_text("utf-8")), "utf-8")
        for lang in ("zh", "en"):
            snap = snapshot.load(paths)
            assert snap is not None
            cells = snapshot.load_cells(paths, snap, lang)
            assert cells is not None and cells.spliced
            redone += cells.redo
            _as_without_cache("status", *paths, "--lang", lang)
            again = snapshot.load_cells(paths, snapshot.load(paths), lang)
            assert again is not None and not again.spliced and not again.redo
    assert laid_out == []
    assert bool(redone) is (change != "blank line only")


def _target_of_kind(paths: list[str], milestone: bool, percent: bool = False) -> str:
    snap = snapshot.load(paths)
    assert snap is not None
    for i in range(snap.n):
        flags = snap.flags[i]
        if flags & snapshot.FALLBACK or bool(flags & snapshot.MILESTONE) is not milestone:
            continue
        if (snap.units[i] == "%") is percent:
            return snap.ids[i]
    raise AssertionError("no such target")


BAD = {
    "a record for an unknown target": lambda q, m, p: "target: no-such-target\nvalue: 1\n",
    "a milestone's record with a value": lambda q, m, p: f"target: {m}\nvalue: 3\n",
    "a quantity's record saying done": lambda q, m, p: f"target: {q}\ndone: true\n",
    "a percent over 100": lambda q, m, p: f"target: {p}\nvalue: 140\n",
    "a record without a date": lambda q, m, p: f"target: {q}\nvalue: 1\n",
    "a record with an entity": lambda q, m, p: f"target: {q}\nentity: 某区\nvalue: 1\n",
    "a withdrawal of no record": lambda q, m, p: f"target: {q}\nwithdraws: 2019-01-01\n",
    "a misspelt key": lambda q, m, p: f"target: {q}\nvalu: 1\n",
}


@pytest.mark.parametrize("bad", list(BAD))
def test_a_change_that_brings_an_error_is_never_served_from_the_snapshot(
    trees: Path, bad: str
) -> None:
    path = trees / "tasks" / "progress" / HD
    path.parent.mkdir()
    path.write_text(
        "zjtrack: 1\ndocument: haidong-2024-74\n---\ntarget: hd-5-1\ndate: 2025-03-01\nvalue: 80\n",
        "utf-8",
    )
    paths = ["tasks"]
    assert cli("overdue", *paths, "--as-of", AS_OF).exit_code == 0
    quantity = _target_of_kind(paths, milestone=False)
    milestone = _target_of_kind(paths, milestone=True)
    percent = _target_of_kind(paths, milestone=False, percent=True)
    body = BAD[bad](quantity, milestone, percent)
    if "date" not in bad:
        body += "date: 2026-02-02\n"
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    assert snapshot.load(paths) is not None  # this file's changes are spliced
    path.write_text(path.read_text("utf-8") + "---\n" + body, "utf-8")
    assert snapshot.load(paths) is None
    for args in (["overdue"], ["status"], ["status", "-f", "json"], ["due"]):
        code = _as_without_cache(*args, *paths)
        assert code == 1, (bad, args)


def test_a_document_a_new_file_or_a_tampered_snapshot_is_not_spliced(trees: Path) -> None:
    paths = ["synthetic"]
    assert cli("overdue", *paths).exit_code == 0
    progress = trees / "synthetic" / "progress" / "synthetic-0001.yaml"
    progress.write_text(progress.read_text("utf-8") + "\n", "utf-8")
    assert snapshot.load(paths) is not None  # spliced
    document = trees / "synthetic" / "synthetic-0001.yaml"
    document.write_text(document.read_text("utf-8") + "\n", "utf-8")
    assert snapshot.load(paths) is None  # a document changed: the whole tree is read again
    assert cli("overdue", *paths).exit_code == 0
    (snap_file,) = (trees / "cache").rglob("snapshot-*[0-9a-f].snap")
    blob = bytearray(snap_file.read_bytes())
    blob[-5] ^= 1
    snap_file.write_bytes(bytes(blob))
    progress.write_text(progress.read_text("utf-8") + "\n", "utf-8")
    assert snapshot.load(paths) is None  # the seal does not verify: nothing decoded or spliced


def test_a_spliced_snapshot_is_kept_once_its_files_are_out_of_the_racy_margin(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zjtrack.load import cache

    paths = ["synthetic"]
    assert cli("overdue", *paths).exit_code == 0
    (snap_file,) = (trees / "cache").rglob("snapshot-*[0-9a-f].snap")
    made = snap_file.read_bytes()
    progress = trees / "synthetic" / "progress" / "synthetic-0001.yaml"
    progress.write_text(progress.read_text("utf-8") + "\n", "utf-8")
    monkeypatch.setattr(cache, "RACY_NS", 10**12)  # the file changed just now: not kept
    assert snapshot.load(paths) is None  # (nor is any file trusted at all with such a margin)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    assert snap_file.read_bytes() == made
    assert snapshot.load(paths) is not None  # spliced, and kept
    kept = snap_file.read_bytes()
    assert kept != made
    assert snapshot.load(paths) is not None  # trusted as it is: nothing to splice
    assert snap_file.read_bytes() == kept


def test_views_after_changes_between_real_runs(tmp_path: Path) -> None:
    """Real processes with the real racy margin: a record appended between runs is served from
    the snapshot spliced (or the object model, within the margin) with the same bytes as without
    the cache; a record for an unknown target makes the view exit 1 with its note."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate import generate

    generate(tmp_path / "t", measures=40, records=300, files=4)
    env = {**os.environ, "ZJTRACK_CACHE_DIR": str(tmp_path / "cache"), "ZJTRACK_AS_OF": AS_OF}
    env.pop("ZJTRACK_NO_CACHE", None)
    run = [sys.executable, "-m", "zjtrack", "overdue", str(tmp_path / "t")]

    def both() -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
        fast = subprocess.run(run, env=env, capture_output=True, text=True)
        slow = subprocess.run(
            run, env={**env, "ZJTRACK_NO_CACHE": "1"}, capture_output=True, text=True
        )
        assert (fast.stdout, fast.stderr, fast.returncode) == (
            slow.stdout,
            slow.stderr,
            slow.returncode,
        )
        return fast, slow

    time.sleep(2.1)  # the generated files out of the racy margin
    assert both()[0].returncode == 0  # makes the snapshot
    progress = tmp_path / "t" / "progress" / "synthetic-0000.yaml"
    with progress.open("a", encoding="utf-8") as f:
        f.write("---\ntarget: s0-0-0\ndate: 2026-01-03\nvalue: 1\n")
    assert both()[0].returncode == 0  # within the margin: spliced, not kept
    time.sleep(2.1)
    assert both()[0].returncode == 0  # spliced and kept
    with progress.open("a", encoding="utf-8") as f:
        f.write("---\ntarget: s0-0-nope\ndate: 2026-01-04\nvalue: 1\n")
    fast, _ = both()
    assert fast.returncode == 1 and "s0-0-nope" not in fast.stdout and "结果不完整" in fast.stderr


@pytest.mark.parametrize("name", ["tasks", "shapes-plain", "synthetic"])
def test_the_splice_accepts_exactly_the_records_check_accepts(trees: Path, name: str) -> None:
    """A record the splice takes into the snapshot (`snapshot._fits`) is one `check`'s record
    rules (`checks.record_problems`) find nothing in, and the other way round: over every target
    the columns hold and records of every kind of value a unit can send (none, done or not,
    zero, a percent's bounds and past them, a negative, a huge number). If the two rules drift
    apart, a view served by a splice would skip a problem `check` reports, or the reverse."""
    from zjtrack.checks import record_problems
    from zjtrack.model import ProgressRecord

    paths = IDENTITY_TREES[name]
    result = load_paths(paths)
    snapshot.save(paths, result, 2**62)
    snap = snapshot.load(paths)
    assert snap is not None
    plan = result.plan
    targets = {t.id: t for _, _, t in plan.all_targets()}
    values = (None, 0.0, -0.0, 50.0, 100.0, 100.5, -1.0, 1e12)
    seen = {True: 0, False: 0}
    percents = 0
    for i in range(snap.n):
        if snap.flags[i] & snapshot.FALLBACK:
            continue  # not the columns': the object model's
        tid = snap.ids[i]
        percents += targets[tid].is_percent
        for value in values:
            for done in (None, True, False):
                r = ProgressRecord(tid, dt.date(2026, 1, 5), value=value, done=done)
                fits = snapshot._fits(snap, i, r)
                assert fits == (not list(record_problems(r, targets, None))), (tid, value, done)
                seen[fits] += 1
    assert seen[True] and seen[False]  # both sides reached
    assert percents or name != "tasks"  # tasks/ has percent targets the columns hold


@pytest.mark.parametrize(("was", "now"), [("0", "-0.0"), ("-0.0", "0"), ("12", "12.0")])
def test_a_value_that_changes_only_its_sign_of_zero_is_spliced_as_it_reads(
    trees: Path, was: str, now: str
) -> None:
    """A record whose value changes from 0 to -0.0 (equal as numbers, not as they print) is a
    changed record: the splice settles its target again, and every view prints what it prints
    without the cache (it printed 0% where the object model printed -0%). A value written
    another way but stored the same (12 and 12.0) changes nothing."""
    path = trees / "tasks" / "progress" / HD
    path.parent.mkdir()
    head = "zjtrack: 1\ndocument: haidong-2024-74\n---\ntarget: hd-5-1\ndate: 2025-03-01\n"
    path.write_text(head + f"value: {was}\n", "utf-8")
    paths = ["tasks"]
    assert cli("overdue", *paths, "--as-of", AS_OF).exit_code == 0  # makes the snapshot
    path.write_text(head + f"value: {now}\n", "utf-8")
    snap = snapshot.load(paths)
    assert snap is not None  # spliced
    _same(snap, snapshot.Snapshot(snapshot.columns(load_paths(paths))))
    for args in (["overdue"], ["status", "-f", "csv"], ["status"], ["status", "-f", "json"]):
        _as_without_cache(*args, *paths)


@pytest.mark.parametrize("shift", [0, 1, -1, 7, -3, 2**20])
def test_offsets_are_shifted_as_numbers_one_by_one_would_be(shift: int) -> None:
    from array import array

    numbers = array("i", [3, 3, 4, 255, 256, 65535, 65536, 2**24, 2**30])
    assert snapshot._shifted(numbers, shift) == array("i", [x + shift for x in numbers]).tobytes()
    assert snapshot._shifted(array("i"), shift) == b""
    with pytest.raises(ValueError):
        snapshot._shifted(numbers, -4)  # below 0: not an offset
    with pytest.raises(ValueError):
        snapshot._shifted(numbers, 2**31 - 2**30)  # past the type's largest


def test_spliced_columns_replace_each_touched_targets_records_and_keep_the_others() -> None:
    """`_spliced_columns` against the columns rebuilt record by record."""
    from array import array

    # 5 targets holding 2, 0, 3, 1 and 2 records
    offsets = array("i", [0, 2, 2, 5, 6, 8])
    dates = array("i", range(100, 108))
    values = array("d", [x / 2 for x in range(8)])
    rows_of: dict[int, list[tuple[int, float]]] = {
        1: [(7, 0.25)],  # gains one
        2: [],  # loses all three
        4: [(1, -0.0), (2, 1.0), (3, 2.5)],  # gains one
    }
    out, new_offsets = snapshot._spliced_columns((dates, values), offsets, rows_of)  # type: ignore[arg-type]
    expected_rows: list[tuple[int, float]] = []
    expected_offsets = [0]
    for i in range(5):
        lo, hi = offsets[i], offsets[i + 1]
        expected_rows += rows_of.get(i, list(zip(dates[lo:hi], values[lo:hi], strict=True)))
        expected_offsets.append(len(expected_rows))
    assert new_offsets == array("i", expected_offsets).tobytes()
    assert out[0] == array("i", [d for d, _ in expected_rows]).tobytes()
    assert out[1] == array("d", [v for _, v in expected_rows]).tobytes()


def test_a_patch_is_applied_when_its_column_is_first_read(trees: Path) -> None:
    """A spliced snapshot's `all_since` and `all_value` are a `Patch` of its file's: the file's
    section is not read until the column is, and then reads as the column with the changes."""
    from array import array

    paths = IDENTITY_TREES[sorted(SPLICED)[0]]
    assert cli("overdue", *paths, "--as-of", AS_OF).exit_code == 0  # makes the snapshot
    opened = snapshot._open(paths, lazy=False)
    assert opened is not None
    stored = array("i", opened[1]["all_since"])
    patched = snapshot._open(paths, lazy=True)
    assert patched is not None
    fields = patched[1]
    fields["all_since"] = snapshot.Patch("i", {0: 12345, len(stored) - 1: 7})
    assert "all_since" not in fields._decoded
    stored[0], stored[-1] = 12345, 7
    assert fields["all_since"] == stored.tobytes() and "all_since" in fields._decoded
    assert fields["all_since"] == stored.tobytes()  # applied once, then kept


def test_the_percent_flag_says_what_the_unit_column_says(trees: Path) -> None:
    """`_fits` reads a target's PERCENT flag instead of its unit (a section a splice would
    otherwise read whole): the two agree for every target."""
    seen = []
    for name in sorted(IDENTITY_TREES):
        snap = snapshot.Snapshot(snapshot.columns(load_paths(IDENTITY_TREES[name])))
        percent = [bool(snap.flags[i] & snapshot.PERCENT) for i in range(snap.n)]
        assert percent == [snap.units[i] == "%" for i in range(snap.n)], name
        seen += percent
    assert any(seen) and not all(seen)
