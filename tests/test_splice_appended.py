"""Records appended to a progress file are spliced from what follows the bytes the snapshot holds
the records of (`snapshot._splice_appended`): the snapshot that results equals the one made from
scratch, field by field, whatever day and file the records fall on; a file changed otherwise is
read whole (`_splice_whole`); and the number columns, sealed in chunks, are read and verified
only where the splice needs them, a damaged chunk refusing the splice."""

from __future__ import annotations

import datetime as dt
import os
import re
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import IDENTITY_TREES, cli, identity_trees, spy_made
from test_splice import AS_OF, SPLICED, _as_without_cache, _progress_files, _same

from zjtrack.load import appended, scalars, snapshot
from zjtrack.load.loader import load_paths


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    identity_trees(tmp_path, monkeypatch)
    yield tmp_path


def _record(snap: snapshot.Snapshot, i: int, day: dt.date) -> str:
    """A plain record of target `i` on `day` that fits its kind."""
    what = "done: true" if snap.flags[i] & snapshot.MILESTONE else "value: 7"
    return f"---\ntarget: {snap.ids[i]}\ndate: {day.isoformat()}\n{what}\n"


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def _rebuilt(snap: snapshot.Snapshot | None, paths: list[str]) -> None:
    """`snap` is a snapshot, and the one made from scratch of the tree as it is now."""
    assert snap is not None
    result = load_paths(paths)
    assert not result.broken() and not result.doubtful()
    _same(snap, snapshot.Snapshot(snapshot.columns(result)))
    for args in (["overdue"], ["status", "-f", "csv"], ["due", "--lang", "en"]):
        _as_without_cache(*args, *paths)


@pytest.mark.parametrize("name", SPLICED)
def test_records_appended_are_spliced_from_what_follows(
    trees: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    paths = IDENTITY_TREES[name]
    assert cli("overdue", *paths, "--as-of", AS_OF).exit_code == 0  # makes the snapshot
    snap = snapshot.load(paths)
    assert snap is not None
    files = _progress_files(trees / paths[-1])
    held = [i for i in range(snap.n) if not snap.flags[i] & snapshot.FALLBACK]
    with_records = [i for i in held if snap.offsets[i + 1] > snap.offsets[i]]
    without = [i for i in held if snap.offsets[i + 1] == snap.offsets[i]]
    milestones = [i for i in with_records if snap.flags[i] & snapshot.MILESTONE]
    assert with_records and milestones and (len(files) > 1 or name != "synthetic")
    i = with_records[len(with_records) // 2]
    # the day of one of its records, which sits in one of the files: a record of that day in
    # every file goes before or after it by the files' order
    tie = dt.date.fromordinal(snap.rec_date[snap.offsets[i]])
    rounds = [
        {path: _record(snap, i, tie) for path in files},
        {
            files[0]: _record(snap, i, dt.date(2026, 1, 5))
            + "".join(_record(snap, j, dt.date(2026, 1, 6)) for j in without[:1])
            + _record(snap, with_records[-1], dt.date(2020, 1, 1))
            + _record(snap, milestones[0], dt.date(2026, 1, 7))
        },
        {files[-1]: _record(snap, i, tie) + _record(snap, i, tie)},
    ]
    spliced = spy_made(monkeypatch, snapshot, "_splice_appended")
    whole = spy_made(monkeypatch, snapshot, "_splice_whole")
    for changes in rounds:
        for path, text in changes.items():
            _append(path, text)
        _rebuilt(snapshot.load(paths), paths)
        assert spliced and all(spliced) and not whole
    # a file touched, its bytes the same: the same snapshot, its token (and side files) kept
    token = snapshot.load(paths).token  # type: ignore[union-attr]
    os.utime(files[0])
    again = snapshot.load(paths)
    assert again is not None and again.token == token
    # a record changed in place: read whole, and what it holds kept for the next append
    spliced.clear()
    files[0].write_text(
        re.sub(r"date: \S+", "date: 2020-02-02", files[0].read_text("utf-8"), count=1), "utf-8"
    )
    _rebuilt(snapshot.load(paths), paths)
    assert whole == [True] and not spliced
    _append(files[0], _record(snap, i, dt.date(2026, 1, 9)))
    _rebuilt(snapshot.load(paths), paths)
    assert whole == [True] and spliced == [True]


def test_an_appended_splice_reads_only_the_chunks_it_needs(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The splice of an appended record reads the touched target's values and records from the
    chunks that hold them: the columns no view of `overdue` reads (its judge inputs, the record
    values, done and files) are not read whole, and so not verified whole, until a view reads
    them; then they read as the ones made from scratch. (Not kept, as within the racy margin:
    writing it reads every changed column.)"""
    paths = IDENTITY_TREES["synthetic"]
    assert cli("overdue", *paths, "--as-of", AS_OF).exit_code == 0
    snap = snapshot.load(paths)
    assert snap is not None
    i = next(i for i in range(snap.n) if snap.offsets[i + 1] > snap.offsets[i])
    _append(_progress_files(trees / paths[-1])[0], _record(snap, i, dt.date(2026, 1, 5)))
    written: list[object] = []
    monkeypatch.setattr(snapshot, "_write", lambda *args: written.append(args))
    spliced = snapshot.load(paths, lazy=True)
    assert len(written) == 1  # spliced, and would have been kept
    assert spliced is not None
    fields = spliced._fields
    for name in ("value", "value_max", "tol", "base", "comparator", "rec_value", "rec_done"):
        assert name not in fields._decoded, name
    assert type(fields._over["rec_value"]) is snapshot.Inserted
    assert type(fields._over["all_completion"]) is snapshot.Patch
    _rebuilt(spliced, paths)


def test_a_damaged_chunk_is_met_where_it_is_read(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A number column sealed in chunks: a byte changed in one chunk fails that chunk's MAC
    (and the whole column's read), the other chunks still read; a splice that needs the damaged
    chunk is refused, and the views say what they say without the cache."""
    monkeypatch.setattr(snapshot, "CHUNK", 64)  # 8 values a chunk: the tree's columns in many
    paths = IDENTITY_TREES["synthetic"]
    assert cli("overdue", *paths, "--as-of", AS_OF).exit_code == 0
    snap = snapshot.load(paths)
    assert snap is not None
    n = snap.n
    i = next(i for i in range(40, n) if snap.offsets[i + 1] > snap.offsets[i])  # past chunk 0
    opened = snapshot._open(paths, lazy=True)
    assert opened is not None
    fields = opened[1]
    offset, length, macs = fields._index["value"]
    assert type(macs) is tuple and len(macs) == -(-length // 64) > 1
    (snap_file,) = (trees / "cache").rglob("snapshot-*[0-9a-f].snap")
    blob = bytearray(snap_file.read_bytes())
    blob[fields._base + offset + 5 + 8 * i] ^= 1  # target i's value
    snap_file.write_bytes(bytes(blob))
    opened = snapshot._open(paths, lazy=True)
    assert opened is not None
    fields = opened[1]
    with pytest.raises(snapshot.Damaged):
        fields.numbers("value", i, i + 1, n)
    assert list(fields.numbers("value", 0, 1, n)) == [snap.value[0]]  # another chunk
    with pytest.raises(snapshot.Damaged):
        snapshot.Snapshot(fields).load_all()  # the whole column
    with pytest.raises(snapshot.Damaged):
        fields.numbers("value", 0, 1, n + 1)  # not the column's length
    _append(_progress_files(trees / paths[-1])[0], _record(snap, i, dt.date(2026, 1, 5)))
    assert snapshot.load(paths) is None  # the splice met the damaged chunk
    for args in (["overdue"], ["status", "-f", "csv"]):
        _as_without_cache(*args, *paths)


@pytest.mark.parametrize(
    ("at", "values"),
    [([], []), ([0], [9]), ([5], [9]), ([2, 2, 2], [7, 8, 9]), ([0, 1, 3, 5, 5], [1, 2, 3, 4, 5])],
)
def test_inserted_values_go_before_the_value_at_their_place(
    at: list[int], values: list[int]
) -> None:
    column = list(range(100, 105))
    got = snapshot.Inserted("i", at, values).applied_to(array("i", column).tobytes())
    assert array("i", got).tolist() == _in_order(column, at, values)
    with pytest.raises(ValueError):
        snapshot.Inserted("i", [6], [1]).applied_to(array("i", column).tobytes())


def _in_order(column: list[int], at: list[int], values: list[int]) -> list[int]:
    """The column with `values[j]` put before the item at `at[j]`, one by one."""
    out: list[int] = []
    pending = list(zip(at, values, strict=True))
    for k, x in enumerate(column):
        while pending and pending[0][0] == k:
            out.append(pending.pop(0)[1])
        out.append(x)
    return out + [v for _, v in pending]


NUMBERS = ["0", "1", "-1", "+1", "01", "10", "0.5", "-0.0", "1.", ".5", "1.2.3", "+-1", "--1"]
NUMBERS += ["", "+", "-", ".", "007", "12.50", "1.0e3", "+0.25", "9" * 30, "3-4", "0.", "00.1"]


@pytest.mark.parametrize("raw", NUMBERS)
def test_a_plain_value_is_a_number_as_the_scalar_patterns_say(raw: str) -> None:
    """`appended._number_kind` (no regular expression compiled) against `scalars`' patterns."""
    is_float = re.match(scalars.FLOAT, raw) is not None
    is_int = re.match(scalars.INT, raw) is not None
    assert appended._number_kind(raw) == (True if is_float else False if is_int else None)


@pytest.mark.parametrize(
    "text",
    [b"--- \n", b"---\t", b"---\n", b"---\r\n", b"---\r", b"---", b"----\n", b"--\n", b" ---\n"],
)
def test_a_document_start_is_what_the_pattern_matched(text: bytes) -> None:
    assert text.startswith(appended._DOC_START) is bool(
        re.match(rb"---(?:[ \t]|\r?\n)", text + b"target: x\n")
    )


@pytest.mark.parametrize("line", [b"date: x", b" date", b"\tx", b"#x", b"-x", b".x", b"\x0bx", b""])
def test_a_key_line_is_what_the_pattern_matched(line: bytes) -> None:
    expected = re.match(rb"[^\s#\-.]", line) is not None
    assert appended._ends_at_a_key(b"zjtrack: 1\n" + line + b"\n") is expected


def test_appended_records_with_the_line_breaks_known_are_those_counted(tmp_path: Path) -> None:
    from zjtrack.load.files import line_breaks

    head = "zjtrack: 1\ndocument: d\n---\ntarget: a-1\ndate: 2025-01-01\nvalue: 1\nsource: x\n"
    tail = "---\ntarget: a-1\ndate: 2025-02-01\nvalue: 2\n---\ntarget: a-1\ndate: 2025-03-01\nvalue: 3\n"
    data = (head + tail).encode()
    size = len(head.encode())
    counted = appended.appended_records(data, size, True, "p.yaml")
    known = appended.appended_records(data, size, True, "p.yaml", line_breaks(data[:size]))
    assert counted is not None and counted == known
    assert [r.line for r in counted] == [9, 13]
