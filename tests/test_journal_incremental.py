"""Appending with the parse cache: the file is not parsed whole on every append, and what the
writer stores for the views is exactly what parsing the whole file gives.

`journal.append_many` derives a file's content after an append from its cached content before
and the new records read alone (`_after_append`). These tests hold that derivation to a full
parse of the file's bytes after every append, over files as people leave them: comments, CRLF,
no final newline, a byte-order mark, a folded note, a `|+` note whose kept line breaks the next
`---` changes, a header alone, a header of another spelling, flow mappings, warnings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from zjtrack.load import loader
from zjtrack.load.cache import FileCache, digest
from zjtrack.model import ProgressRecord
from zjtrack.problems import UserError
from zjtrack.store import journal

DOC = "demo-doc"
HEADER = journal.HEADER.format(doc=DOC, doc_json=f'"{DOC}"')

STARTS = {
    "new": None,
    "header only": HEADER,
    "written by zjtrack": HEADER
    + '\n---\ntarget: "t-1"\ndate: 2026-01-05\nvalue: 3\nrecorded_at: 2026-01-05\n',
    "hand edited": (
        "# 手工维护\nzjtrack: 1\ndocument: demo-doc   # 行尾注释\n\n---\n# 中报\n"
        "target: 't-1'\ndate: 2025-06-30\nvalue: 78   # 待复核\nnote: >-\n  多行折叠\n  文本\n"
        "---\n{target: t-2, date: 2025-03-20, done: true}\n\n# 末尾注释\n"
    ),
    "crlf": (
        "zjtrack: 1\r\ndocument: demo-doc\r\n---\r\ntarget: t-1\r\ndate: 2025-06-30\r\nvalue: 5\r\n"
    ),
    "no final newline": "zjtrack: 1\ndocument: demo-doc\n---\ntarget: t-1\ndate: 2025-06-30",
    "byte-order mark": "\ufeffzjtrack: 1\ndocument: demo-doc\n---\ntarget: t-1\ndate: 2025-06-01\n",
    "kept line breaks last": (
        "zjtrack: 1\ndocument: demo-doc\n---\ntarget: t-1\ndate: 2025-06-30\nnote: |+\n  甲\n\n"
    ),
    "old header spelling": "zjtrack: 1\nprogress: demo-doc\n---\ntarget: t-1\ndate: 2025-06-30\n",
    "a file shorter than zjtrack's header": "zjtrack: 1\ndocument: demo-doc",
    "a record with a warning": (
        "zjtrack: 1\ndocument: demo-doc\n---\ntarget: t-1\ndate: 2025-06-30\nvalue: 5\n"
        'note: "a\\u200bb"\n'
    ),
}


def _record(j: int, target: str = "t-1") -> ProgressRecord:
    return ProgressRecord(
        target,
        dt.date(2026, 1, 1) + dt.timedelta(days=j),
        value=float(j) + 0.5,
        note=f"第 {j} 条",
        by="张三" if j % 2 else None,
        recorded_at=dt.datetime(2026, 2, 1, 9, 30),
    )


def _full(path: Path) -> object:
    return loader.parse_bytes(path.read_bytes(), str(path))


@pytest.mark.parametrize("start", list(STARTS), ids=list(STARTS))
def test_the_stored_content_is_what_a_full_parse_gives(tmp_path: Path, start: str) -> None:
    path = tmp_path / "tasks" / "progress" / f"{DOC}.yaml"
    path.parent.mkdir(parents=True)
    text = STARTS[start]
    if text is not None:
        path.write_bytes(text.encode("utf-8"))
    cache = FileCache(tmp_path / "cache")
    for j in range(6):
        batch = [_record(j)] if j % 3 else [_record(j), _record(j + 100, "t-2")]
        journal.append_many(path, DOC, batch, cache)
        data = path.read_bytes()
        if text is not None:
            assert data.startswith(text.encode("utf-8"))  # never a byte rewritten
        full = _full(path)
        stored = cache.content_of(str(path), digest(data))
        if j == 0 and text is None:
            assert stored is None  # a new file is not remembered (no lock holds its stat)
            continue
        assert stored == full, start
        assert [r.note for r in full.records[-len(batch) :]] == [r.note for r in batch]  # type: ignore[attr-defined]


def test_appends_do_not_parse_what_the_file_already_held(
    tmp_path: Path, spy_parses: Callable[[], list[bytes]]
) -> None:
    path = tmp_path / "tasks" / "progress" / f"{DOC}.yaml"
    path.parent.mkdir(parents=True)
    cache = FileCache(tmp_path / "cache")
    for j in range(30):
        journal.append(path, DOC, _record(j), cache)
    real = loader.parse_bytes
    parsed = spy_parses()
    for j in range(30, 60):
        journal.append(path, DOC, _record(j), cache)
    assert len(parsed) == 30  # one small parse per append: the new record alone
    assert all(p.count(b"\n---\n") == 1 and "第 3 条".encode() not in p for p in parsed)
    assert cache.content_of(str(path), digest(path.read_bytes())) == real(
        path.read_bytes(), str(path)
    )


def test_without_a_cache_the_file_is_parsed_once_per_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tasks" / "progress" / f"{DOC}.yaml"
    path.parent.mkdir(parents=True)
    journal.append_many(path, DOC, [_record(j) for j in range(20)])
    sizes: list[int] = []
    real = loader.parse_bytes

    def spy(data: bytes, where: str) -> object:
        sizes.append(len(data))
        return real(data, where)

    monkeypatch.setattr(loader, "parse_bytes", spy)
    before = path.stat().st_size
    journal.append(path, DOC, _record(21))
    assert sizes[0] == before  # the file as it was, once
    assert len(sizes) == 2 and sizes[1] < before / 3  # then the new record alone, padded


def test_a_hand_edit_after_the_cached_state_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "tasks" / "progress" / f"{DOC}.yaml"
    path.parent.mkdir(parents=True)
    cache = FileCache(tmp_path / "cache")
    journal.append(path, DOC, _record(0), cache)
    journal.append(path, DOC, _record(1), cache)
    with path.open("ab") as f:  # an unterminated quote, added by hand after the last append
        f.write(b'---\ntarget: t-1\ndate: 2026-03-01\nnote: "unterminated\n')
    edited = path.read_bytes()
    with pytest.raises(UserError) as e:
        journal.append(path, DOC, _record(2), cache)
    assert "未能完整读取" in e.value.zh
    assert path.read_bytes() == edited  # nothing written
