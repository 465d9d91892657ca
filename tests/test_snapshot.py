"""The columnar snapshot (zjtrack/load/snapshot.py): `overdue` and `due` read from it give the
very bytes the object model gives, on the shipped tasks/, the demo and generated trees with every
target shape; its column judge decides as `evaluate.judge` does for every target it represents;
it is trusted only while every file is as it was, and only when its seal verifies."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import IDENTITY_TREES, cli, identity_trees, spy_made

from zjtrack import views
from zjtrack.evaluate import evaluate
from zjtrack.load import snapshot
from zjtrack.load.loader import load_paths

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


DATES = ("2024-01-01", "2025-06-30", "2026-03-31", "2026-11-25", "2027-12-31", "2029-06-30")
TREES = IDENTITY_TREES


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The identity trees (conftest) in a temporary working directory with a cache of their own."""
    identity_trees(tmp_path, monkeypatch)
    yield tmp_path


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, for each view run, whether the snapshot made its table (a plain `status` table
    is laid out from its cells: `snapshot_status_plain`)."""
    return spy_made(monkeypatch, views, "snapshot_table", "snapshot_status_plain")


def _spy_json(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, for each view run with `--format json`, whether the snapshot wrote its rows."""
    return spy_made(monkeypatch, views, "snapshot_status_json", "snapshot_json_table")


@pytest.mark.parametrize("name", list(TREES))
def test_views_are_byte_identical_with_and_without_the_snapshot(
    trees: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = TREES[name]
    first = cli("status", *paths, "--as-of", "2026-11-25")  # loads, and makes the snapshot
    assert first.exit_code == 0, first.stderr
    snap = snapshot.load(paths)
    assert snap is not None
    assert snapshot.load_json(paths, snap) is None  # made by the first JSON status only
    for view in ("overdue", "due"):  # without it, the object model's, and they do not make it
        args = [view, *paths, "--as-of", "2026-11-25", "-f", "json"]
        assert cli(*args).stdout == cli(*args, env={"ZJTRACK_NO_CACHE": "1"}).stdout
        assert snapshot.load_json(paths, snap) is None
    made = cli("status", *paths, "--as-of", "2026-11-25", "-f", "json")  # and its JSON side file
    assert made.exit_code == 0, made.stderr
    snap = snapshot.load(paths)
    assert snap is not None
    assert (snapshot.load_json(paths, snap) is not None) is (not snap.fallback)
    used = _spy(monkeypatch)
    json_used = _spy_json(monkeypatch)
    runs = 0
    for as_of in DATES:
        for view in (["status"], ["overdue"], ["due"], ["due", "--within", "3m"]):
            for fmt in ("table", "md", "csv", "json"):
                for lang in ("zh", "en"):
                    for fail_on in ([], ["--fail-on", "overdue"], ["--fail-on", "behind"]):
                        if fail_on and (fmt != "table" or lang != "zh"):
                            continue
                        args = [*view, *paths, "--as-of", as_of, "-f", fmt, "--lang", lang]
                        args += fail_on
                        fast = cli(*args)
                        slow = cli(*args, env={"ZJTRACK_NO_CACHE": "1"})
                        assert fast.stdout == slow.stdout, args
                        assert fast.stderr == slow.stderr, args
                        assert fast.exit_code == slow.exit_code, args
                        # each but status in JSON reads the snapshot through `snapshot_table`
                        # (in JSON, once the snapshot holds every target)
                        runs += fmt != "json" or (view != ["status"] and not snap.fallback)
    assert len(used) == runs
    if name in ("shapes-plain", "synthetic"):
        assert all(used)  # nothing there needs the object model
        assert len(json_used) == len(DATES) * 4 * 2 and all(json_used)
    else:
        assert any(used)


@pytest.mark.parametrize("name", ["shapes", "shapes-plain", "demo"])
def test_the_column_judge_decides_as_evaluate_does(trees: Path, name: str) -> None:
    paths = TREES[name]
    result = load_paths(paths)
    snapshot.save(paths, result, 2**62)
    snap = snapshot.load(paths)
    assert snap is not None
    judged = 0
    fields = ("status", "level", "completion", "time_elapsed", "days_left", "over", "stale")
    fields += ("gap", "met")
    for text in DATES:
        as_of = dt.date.fromisoformat(text)
        results = evaluate(result.plan, as_of)
        assert [r.target.id for r in results] == [snap.ids[i] for i in range(len(snap.ids))]
        # every target at once, a subset, the same picked from all, and one by one: alike
        whole = snapshot.judge_many(snap, range(snap.n), as_of)
        chosen = [i for i in range(snap.n) if not snap.flags[i] & snapshot.FALLBACK]
        some = snapshot.judge_many(snap, chosen[::2], as_of)
        assert [(j.i, j.status, j.gap) for j in some] == [
            (j.i, j.status, j.gap) for j in whole.take(chosen[::2])
        ]
        for k, i in enumerate(chosen):
            r, j = results[i], whole[i]
            got = tuple(getattr(j, name) for name in fields)
            assert got == tuple(getattr(r, name) for name in fields), (r.target.id, text)
            assert (j.latest >= 0) == (r.latest is not None)
            assert j.met_on == (r.met_on.toordinal() if r.met_on else None)
            assert j.value == r.value
            if k % 2 == 0:
                assert vars_of(some[k // 2]) == vars_of(j)
            if k % 7 == 0:
                assert vars_of(snapshot.judge(snap, i, as_of)) == vars_of(j)
            judged += 1
    assert judged > len(results)  # most targets, at every date


def vars_of(j: snapshot.Judged) -> tuple[object, ...]:
    return tuple(getattr(j, name) for name in snapshot.Judged.__slots__)


def test_a_changed_added_or_removed_file_or_a_flipped_bit_is_not_trusted(trees: Path) -> None:
    paths = ["synthetic"]
    assert cli("overdue", *paths).exit_code == 0
    assert snapshot.load(paths) is not None
    (snap_file,) = (trees / "cache").rglob("snapshot-*.snap")  # in the user's cache folder
    assert not list((trees / "synthetic").rglob("*.snap"))  # never in the repository
    assert snap_file.stat().st_mode & 0o077 == 0
    assert snap_file.parent.stat().st_mode & 0o077 == 0
    blob = bytearray(snap_file.read_bytes())
    blob[-5] ^= 1
    snap_file.write_bytes(bytes(blob))
    assert snapshot.load(paths) is None  # the seal no longer verifies: nothing decoded
    assert cli("status", *paths, "-f", "json").exit_code == 0  # reads every section: made again
    assert snapshot.load(paths) is not None
    progress = trees / "synthetic" / "progress" / "synthetic-0001.yaml"
    document = trees / "synthetic" / "synthetic-0001.yaml"  # (a progress file is spliced)
    document.write_text(document.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert snapshot.load(paths) is None
    assert cli("overdue", *paths).exit_code == 0
    assert snapshot.load(paths) is not None
    (trees / "synthetic" / "extra.yml").write_text("zjtrack: 1\n", encoding="utf-8")
    assert snapshot.load(paths) is None
    (trees / "synthetic" / "extra.yml").unlink()
    assert snapshot.load(paths) is None  # its folder changed: listed again by the next load
    assert cli("overdue", *paths).exit_code == 0
    assert snapshot.load(paths) is not None
    (trees / "synthetic" / ".hidden").mkdir()  # a hidden folder is not read, but changes this one
    assert snapshot.load(paths) is None
    assert cli("overdue", *paths).exit_code == 0
    assert snapshot.load(paths) is not None
    (trees / "synthetic" / "progress" / "new.yaml").write_text("zjtrack: 1\n", encoding="utf-8")
    assert snapshot.load(paths) is None  # a file in a sub-folder
    (trees / "synthetic" / "progress" / "new.yaml").unlink()
    assert cli("overdue", *paths).exit_code == 0
    progress.unlink()
    assert snapshot.load(paths) is None


def test_no_snapshot_of_a_tree_with_errors_or_without_the_cache(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = trees / "synthetic" / "synthetic-0002.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("metric:", "metrik:", 1), "utf-8")
    first = cli("overdue", "synthetic")
    assert first.exit_code == 1
    assert snapshot.load(["synthetic"]) is None
    monkeypatch.setenv("ZJTRACK_NO_CACHE", "1")
    shutil.copytree(ROOT / "tasks", trees / "other")
    assert cli("overdue", "other").exit_code == 0
    monkeypatch.delenv("ZJTRACK_NO_CACHE")
    assert snapshot.load(["other"]) is None


def test_side_files_are_sealed_and_belong_to_their_snapshot(trees: Path) -> None:
    """The JSON and cells side files are used only with the snapshot they were made with, and
    only when their seal verifies; otherwise the view is the object model's, byte for byte."""
    paths = ["synthetic"]
    args = ["synthetic", "--as-of", "2026-11-25"]
    assert cli("status", *args).exit_code == 0  # the snapshot
    assert cli("status", *args).exit_code == 0  # its cells
    assert cli("status", *args, "-f", "json").exit_code == 0  # made again, with its JSON
    assert cli("status", *args).exit_code == 0  # cells of the new snapshot
    snap = snapshot.load(paths)
    assert snap is not None
    assert snapshot.load_json(paths, snap) is not None
    assert snapshot.load_cells(paths, snap, "zh") is not None
    slow_table = cli("status", *args, env={"ZJTRACK_NO_CACHE": "1"}).stdout
    slow_json = cli("status", *args, "-f", "json", env={"ZJTRACK_NO_CACHE": "1"}).stdout
    for side in (".json", ".cells-zh"):
        (found,) = (trees / "cache").rglob(f"snapshot-*{side}.snap")
        assert not list((trees / "synthetic").rglob("*.snap"))  # never in the repository
        assert found.stat().st_mode & 0o077 == 0
        blob = bytearray(found.read_bytes())
        blob[-3] ^= 1
        found.write_bytes(bytes(blob))
    assert snapshot.load_json(paths, snap) is None  # the seal no longer verifies
    assert snapshot.load_cells(paths, snap, "zh") is None
    assert cli("status", *args).stdout == slow_table  # cells made again from the snapshot
    assert snapshot.load_cells(paths, snap, "zh") is not None
    assert cli("status", *args, "-f", "json").stdout == slow_json  # by the objects, and made again
    newer = snapshot.load(paths)
    assert newer is not None and newer.token != snap.token
    assert snapshot.load_json(paths, snap) is None  # the old snapshot's token names no side file
    assert snapshot.load_json(paths, newer) is not None
    assert snapshot.load_cells(paths, newer, "zh") is None  # cells of the old snapshot: not these
    assert cli("status", *args, "-f", "json").stdout == slow_json  # from the side file
    assert cli("status", *args).stdout == slow_table


@pytest.mark.parametrize("name", ["shapes", "shapes-plain", "demo"])
def test_overdue_over_columns_is_the_column_judges_overdue(trees: Path, name: str) -> None:
    """`snapshot.overdue` (no `Judged` per target) finds the targets, days late and completions
    that judging every candidate finds; its ids and statements' widths are `fit`'s."""
    from zjtrack.evaluate import Status
    from zjtrack.render.terminal import fit

    paths = TREES[name]
    snapshot.save(paths, load_paths(paths), 2**62)
    snap = snapshot.load(paths)
    assert snap is not None
    found = 0
    for text in DATES:
        as_of = dt.date.fromisoformat(text)
        chosen = snapshot.candidates(snap, as_of, None)
        got = snapshot.overdue(snap, as_of)
        if chosen is None:
            assert got is None
            continue
        assert got is not None
        want = [j for j in snapshot.judge_many(snap, chosen, as_of) if j.status is Status.OVERDUE]
        assert got.at == [j.i for j in want]
        assert got.late == [-j.days_left for j in want]
        assert got.completion == [j.completion for j in want]
        assert {(got.status, got.level)} >= {(j.status, j.level) for j in want}
        found += len(want)
    assert found or name == "shapes"  # its extensions send every date to the object model
    for texts, widths in (
        (snap.ids, snap.id_width),
        *((snap.statement[x], snap.statement_width[x]) for x in ("zh", "en")),
    ):
        for i in range(snap.n):
            w = widths[i]
            assert w == -1 or fit(texts[i]) == (texts[i], w)


@pytest.mark.parametrize("long", [False, True])
def test_texts_picked_as_read_one_by_one(long: bool) -> None:
    # long and few: decoded one by one; else the whole column at once; the same texts either way
    texts = [("合成指标" * 3 if long else "s") + str(k) for k in range(40)] + ["", "\udcff"]
    column = snapshot.Texts(snapshot.Texts.store(texts))
    for at in ([], [0], [3, 3, 41, 40, 7], list(range(0, 42, 5))):
        assert column.pick(at) == [texts[i] for i in at]
    assert (column._all is None) is long  # long and few: none decoded but those picked
    assert column.pick(list(range(42))) == texts
    assert column._all is not None  # every row: the whole column decoded


def test_interned_texts_read_as_stored_and_never_show_another_text() -> None:
    texts = ["2025年底", "", "2025年底", "a\x1fb", ""]
    stored = snapshot.Interned.store(texts)
    column = snapshot.Interned(stored)
    assert len(column) == 5 and len(column.distinct) == 3  # each distinct text once
    assert [column[i] for i in range(5)] == texts == column.raw_all_text()
    assert column.names(3) == ["a", "b"] and column.names(1) == []
    (blob, offsets), _ = stored
    # an index the writer never makes fails its read, never counts from the end
    bad = snapshot.Interned(((blob, offsets), array("I", [0, 1, 3, 0, 2**32 - 1]).tobytes()))
    assert bad[0] == texts[0]
    for i in (2, 4):
        with pytest.raises(IndexError):
            bad[i]
    with pytest.raises(IndexError):
        bad.raw_all_text()


def test_json_side_file_records_latest_value_and_text(tmp_path: Path) -> None:
    """The JSON side file's record columns: the latest value by each record (a record without a
    value keeps the one before; `snapshot_rows` writes `null` where the judge found none, as for
    a milestone) and each record's latest text, not stale, escaped, and what stale adds. Such
    records make a tree doubtful (no snapshot), so the identity trees cannot show them."""
    import json

    from zjtrack.views import latest_text

    (tmp_path / "progress").mkdir()
    targets = [("q-1", ['comparator: ">="', "value: 10", "unit: 个"]), ("m-1", ["kind: milestone"])]
    lines = ["zjtrack: 1", "document:", "  id: d-1", "  title: 合成文件", "  issued: 2024-03-01"]
    lines += ["measures:", "  - id: s-1", "    title: 合成措施", "    targets:"]
    for tid, more in targets:
        lines += [f"      - id: {tid}", f"        metric: 指标{tid}", "        quote: 虚构"]
        lines += ["        deadline: 2027年底", *(f"        {x}" for x in more)]
    (tmp_path / "d-1.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = [
        ("q-1", "2025-03-01", "value: 4"),
        ("q-1", "2026-02-01", "done: false"),
        ("q-1", "2026-03-01", "value: 6.0"),
        ("m-1", "2025-04-01", "value: 3\ndone: false"),
        ("m-1", "2026-09-01", 'done: true\nsource: "引号\\"与\\u202e"'),
    ]
    progress = "zjtrack: 1\ndocument: d-1\n" + "".join(
        f"---\ntarget: {tid}\ndate: {day}\n{body}\n" for tid, day, body in records
    )
    (tmp_path / "progress" / "d-1.yaml").write_text(progress, encoding="utf-8")
    fields = snapshot.json_columns(load_paths([str(tmp_path)]))
    values = snapshot.Texts(fields["rec_value"]).raw_all()[:-1]
    assert values == [b"4", b"4", b"6.0", b"3", b"3"]
    sources = snapshot.Interned(fields["rec_source"], len(records))  # each distinct source once
    assert sources.raw_distinct() == [
        b"null",
        json.dumps('引号"与\u202e', ensure_ascii=False).encode(),
    ]
    assert list(sources.index) == [0, 0, 0, 0, 1]
    for lang in ("zh", "en"):
        texts = snapshot.Texts(fields["rec_text"][lang]).raw_all_text()
        mark = fields["stale_mark"][lang].decode()
        for text, (tid, day, body) in zip(texts, records, strict=True):
            value = 6.0 if "6.0" in body else 4 if "4" in body else 3 if "3" in body else None
            done = None if "done" not in body else "true" in body
            unit = "个" if tid == "q-1" else None
            for stale in (False, True):
                want = json.dumps(
                    latest_text(day, value, done, unit, stale, lang), ensure_ascii=False
                )
                assert text + (mark if stale else '"') == want


def _sections(snap_file: Path) -> dict[str, tuple[int, int]]:
    """Where each section of a snapshot file lies in it: (start, length)."""
    import marshal

    blob = snap_file.read_bytes()
    start = len(snapshot.MAGIC) + 8
    base = start + int.from_bytes(blob[len(snapshot.MAGIC) : start], "little")
    header = marshal.loads(blob[start + 47 : base])  # past the seal's magic and MAC
    return {name: (base + offset, length) for name, (offset, length, _) in header[-1].items()}


def test_each_section_is_verified_before_it_is_decoded_and_a_damaged_one_falls_back(
    trees: Path,
) -> None:
    """A snapshot file's sections each have their own MAC: one flipped bit in any of them, or the
    file cut short, and an eager load finds no snapshot, a lazy one raises `Damaged` when that
    column is first used (never decodes it), and the view is the object model's, byte for byte,
    made again from the tree."""
    from zjtrack.load.seal import MAC_SIZE
    from zjtrack.load.seal import MAGIC as SEAL_MAGIC

    assert len(SEAL_MAGIC) + MAC_SIZE == 47  # `_sections` reads the header past them
    paths = ["synthetic"]
    args = ["synthetic", "--as-of", "2026-11-25"]
    slow = {
        view: cli(view, *args, env={"ZJTRACK_NO_CACHE": "1"}).stdout
        for view in ("overdue", "status")
    }
    assert cli("overdue", *args).stdout == slow["overdue"]
    (snap_file,) = (trees / "cache").rglob("snapshot-*[0-9a-f].snap")
    good = snap_file.read_bytes()
    sections = _sections(snap_file)
    assert {"deadline", "statement.zh", "statement.en", "rec_date"} <= set(sections)
    for name, (start, length) in sections.items():
        if not length:
            continue
        blob = bytearray(good)
        blob[start + length // 2] ^= 1
        snap_file.write_bytes(bytes(blob))
        assert snapshot.load(paths) is None, name  # eager: every section verified
        lazy = snapshot.load(paths, lazy=True)
        assert lazy is not None, name  # the header verifies: nothing else read yet
        column = name.partition(".")[0]
        with pytest.raises(snapshot.Damaged):
            value = getattr(lazy, column)
            if "." in name:
                value[name.partition(".")[2]]
        snapshot.forget()
    for view in ("overdue", "status"):
        blob = bytearray(good)
        start, length = sections["statement.zh"]  # read by both views
        blob[start + 1] ^= 1
        snap_file.write_bytes(bytes(blob))
        assert cli(view, *args).stdout == slow[view], view  # served without it, made again
        assert snapshot.load(paths) is not None
        snap_file.write_bytes(good[: sections["ids"][0] + 3])  # cut short
        assert snapshot.load(paths) is None
        assert cli(view, *args).stdout == slow[view], view
        assert snapshot.load(paths) is not None
        good = snap_file.read_bytes()
        sections = _sections(snap_file)


def test_status_table_as_bytes_strips_each_row_as_its_text_would_be(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status table over the snapshot is laid out as UTF-8 bytes, whose own `rstrip` knows
    only ASCII spaces: a latest progress cell ending in another space (an ideographic one in a
    unit, which a plain cell keeps) is stripped as `render_plain` strips its row's text, stale
    (the mark after it) or not."""
    for doc in (trees / "synthetic").glob("*.yaml"):
        text = doc.read_text(encoding="utf-8")
        doc.write_text(text.replace("unit: 个", 'unit: "个\\u3000"'), encoding="utf-8")
    args = ["status", "synthetic", "--as-of", "2026-11-25"]
    slow = cli(*args, env={"ZJTRACK_NO_CACHE": "1"})
    assert "个\u3000（久未更新）" in slow.stdout and "个\n" in slow.stdout  # stripped, and kept
    used = _spy(monkeypatch)
    for _ in range(3):  # the snapshot, its cells, then the table from both
        fast = cli(*args)
        assert (fast.stdout, fast.exit_code) == (slow.stdout, slow.exit_code)
    assert used[-1]


def test_json_status_over_a_damaged_section_is_written_whole_once(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`status --format json` over the snapshot reads every section its rows read while they are
    written (`render.json.ROWS_READ`) before it writes a byte: with one bit flipped in any
    section, the JSON is the object model's, whole and once; a section it never reads leaves it
    served by the snapshot."""
    args = ["synthetic", "--as-of", "2026-11-25", "-f", "json"]
    slow = cli("status", *args, env={"ZJTRACK_NO_CACHE": "1"}).stdout
    for _ in range(2):  # the snapshot, then its JSON side file
        assert cli("status", *args).stdout == slow
    (snap_file,) = (trees / "cache").rglob("snapshot-*[0-9a-f].snap")
    (json_file,) = (trees / "cache").rglob("snapshot-*.json.snap")
    good, good_json = snap_file.read_bytes(), json_file.read_bytes()
    from zjtrack.render import json as render_json

    served = spy_made(monkeypatch, render_json, "snapshot_rows")  # the snapshot wrote the rows
    damaged = 0
    for name, (start, length) in _sections(snap_file).items():
        if not length:
            continue
        blob = bytearray(good)
        blob[start + length // 2] ^= 1
        snap_file.write_bytes(bytes(blob))
        json_file.write_bytes(good_json)
        snapshot.forget()
        done = cli("status", *args)
        assert (done.stdout, done.exit_code) == (slow, 0), name
        damaged += 1
    assert damaged > 10 and 0 < len(served) < damaged


def test_a_damaged_section_met_keeping_the_table_cells_through_a_splice_prints_once(
    trees: Path,
) -> None:
    """After a change in records the status table's side file is kept with its changed cells
    made again (`status_refreshed`), which reads the unit column; when that section is damaged,
    it is met before a byte is written: the object model's table, printed once."""
    args = ["synthetic", "--as-of", "2026-11-25"]
    for _ in range(2):  # the snapshot, then the table's side file
        assert cli("status", *args).exit_code == 0
    (snap_file,) = (trees / "cache").rglob("snapshot-*[0-9a-f].snap")
    start, length = _sections(snap_file)["units"]
    blob = bytearray(snap_file.read_bytes())
    blob[start + length // 2] ^= 1
    snap_file.write_bytes(bytes(blob))
    progress = sorted((trees / "synthetic").rglob("progress/*.yaml"))[0]
    progress.write_text(progress.read_text("utf-8") + "\n", "utf-8")  # records unchanged
    slow = cli("status", *args, env={"ZJTRACK_NO_CACHE": "1"})
    fast = cli("status", *args)
    assert (fast.stdout, fast.exit_code) == (slow.stdout, slow.exit_code)
    assert fast.stdout.count("synthetic-0000") == slow.stdout.count("synthetic-0000") == 1


def test_a_lazy_snapshot_closes_its_file_once_dropped_without_a_collection(trees: Path) -> None:
    """A lazy snapshot keeps its file open while it is used; dropped, it closes it at once: no
    reference cycle waits for the garbage collector (the CLI runs with it off)."""
    import gc
    import os

    assert cli("status", "synthetic", "--as-of", "2026-11-25").exit_code == 0
    snapshot.forget()

    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    before = open_files()
    gc.disable()
    try:
        snap = snapshot.load(["synthetic"], lazy=True)
        assert snap is not None and open_files() == before + 1
        assert snap.statement["zh"][0] and snap.statement_width["en"] and snap.deadline_text["zh"]
        assert snap.lead[0] is not None and snap.ids[0]
        snapshot.forget()
        del snap
        assert open_files() == before
    finally:
        gc.enable()


def test_a_splice_copies_the_sections_it_does_not_change(trees: Path) -> None:
    """A record appended to a progress file: the spliced snapshot file keeps every section its
    records do not reach byte for byte (with their MACs), and rewrites the record columns."""
    import os
    import time

    paths = ["synthetic"]
    args = ["synthetic", "--as-of", "2026-11-25"]
    assert cli("overdue", *args).exit_code == 0
    (snap_file,) = (trees / "cache").rglob("snapshot-*[0-9a-f].snap")
    before, sections = snap_file.read_bytes(), _sections(snap_file)
    snap = snapshot.load(paths)
    assert snap is not None
    target = snap.ids[0]
    progress = next((trees / "synthetic" / "progress").glob("*.yaml"))
    with progress.open("a", encoding="utf-8") as f:
        f.write(f"---\ntarget: {target}\ndate: 2026-01-02\nvalue: 1\n")
    past = time.time() - 10  # out of the racy margin: the splice is written
    os.utime(progress, (past, past))
    assert (
        cli("overdue", *args).stdout == cli("overdue", *args, env={"ZJTRACK_NO_CACHE": "1"}).stdout
    )
    after, moved = snap_file.read_bytes(), _sections(snap_file)
    assert after != before
    for name in ("statement.zh", "statement.en", "ids", "measure_titles"):
        (a, n), (b, m) = sections[name], moved[name]
        assert before[a : a + n] == after[b : b + m], name
    (a, n), (b, m) = sections["rec_date"], moved["rec_date"]
    assert before[a : a + n] != after[b : b + m]


def test_json_strings_written_together_are_each_as_json_writes_it() -> None:
    """`render.json._strings` writes a list of texts by one `json.dumps` and cuts it between
    the items: texts holding quotes, backslashes, the cut itself, controls and other scripts
    come out as `json.dumps` writes each alone."""
    import json
    import random

    from zjtrack.render.json import _strings

    hostile = [
        '", "',
        '"',
        "\\",
        '\\", "',
        'a", "b',
        "",
        " ",
        "\n\t\x00",
        "合成\u202e措施",
        "]",
        "[",
    ]
    assert _strings(hostile) == [json.dumps(t, ensure_ascii=False) for t in hostile]
    assert _strings([]) == []
    assert _strings([None, 12345, "a"]) == ["null", "12345", '"a"']  # type: ignore[list-item]
    rng = random.Random(7)
    alphabet = ['"', "\\", ",", " ", "a", "合", "\x01", "\u2028"]
    for _ in range(300):
        texts = [
            "".join(rng.choices(alphabet, k=rng.randrange(6))) for _ in range(rng.randrange(1, 6))
        ]
        assert _strings(texts) == [json.dumps(t, ensure_ascii=False) for t in texts], texts


def test_overdue_judges_the_targets_with_later_records_together(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As of a day before many records, `overdue` judges the candidates with a record after
    the day in one call over the columns, not one call each (each call looks at every record
    only when asked for every target)."""
    paths = TREES["synthetic"]
    assert cli("overdue", *paths, "--as-of", "2026-11-25").exit_code == 0  # the snapshot
    snap = snapshot.load(paths)
    assert snap is not None
    calls: list[int] = []
    real = snapshot.judge_many

    def counted(snap: snapshot.Snapshot, chosen: Any, as_of: dt.date) -> snapshot.Verdicts:
        chosen = list(chosen)
        calls.append(len(chosen))
        return real(snap, chosen, as_of)

    monkeypatch.setattr(snapshot, "judge_many", counted)
    early = dt.date(2025, 3, 1)
    found = snapshot.overdue(snap, early)
    assert found is not None and len(calls) == 1 and calls[0] > 1
    slow = cli("overdue", *paths, "--as-of", early.isoformat(), env={"ZJTRACK_NO_CACHE": "1"})
    assert cli("overdue", *paths, "--as-of", early.isoformat()).stdout == slow.stdout


def test_a_tree_named_relatively_and_absolutely_keeps_a_snapshot_for_each(trees: Path) -> None:
    """A snapshot holds its paths as they were named (the views show a record's file so): the
    same tree named `synthetic` and by its absolute path has two snapshot files, and a run under
    either name finds its own, instead of each throwing the other's away."""
    from zjtrack.load.loader import load_paths

    relative, absolute = ["synthetic"], [str((trees / "synthetic").resolve())]
    for named in (relative, absolute):
        snapshot.save(named, load_paths(named), 2**62)
    for _ in range(2):
        for named in (relative, absolute):
            snapshot.forget()
            snap = snapshot.load(named)
            assert snap is not None, named
    assert len(list((trees / "cache").rglob("snapshot-*.snap"))) >= 2
