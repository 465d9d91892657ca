"""A progress file read again after records were appended to it (`load/appended.py`): the loader
reads only the appended bytes when the cache holds the file's content for the bytes before, and
what it finds must be exactly what reading the whole file finds (records, their lines and
columns, problems). Every earlier file and every appended part below is compared both ways; the
ones the incremental read may take are also held to having taken it (the whole file never parsed),
so a guard that quietly sent everything to a full parse would fail here too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from zjtrack.load import appended, loader
from zjtrack.load.cache import FileCache
from zjtrack.load.content import FileContent

HEAD = '# 进展记录 · progress records (demo-doc).\nzjtrack: 1\ndocument: "demo-doc"\n'

# earlier file -> whether the appended part may be read alone after it
EARLIER = {
    "written by zjtrack": (
        HEAD + '---\ntarget: "t-1"\ndate: 2026-01-05\nvalue: 3\nrecorded_at: 2026-01-05\n',
        True,
    ),
    "header only": (HEAD, True),
    "header after a document start": ("---\nzjtrack: 1\ndocument: demo-doc\n", True),
    "crlf": (
        "zjtrack: 1\r\ndocument: demo-doc\r\n---\r\ntarget: t-1\r\nvalue: 5\r\ndate: 2025-06-30\r\n",
        True,
    ),
    "byte-order mark": (
        "\ufeffzjtrack: 1\ndocument: demo-doc\n---\ntarget: t-1\ndate: 2025-06-01\n",
        True,
    ),
    "many records, blank lines between": (
        HEAD
        + "".join(
            f"---\n\ntarget: t-{k % 3}\ndate: 2025-0{k % 9 + 1}-10\nvalue: {k}\n" for k in range(40)
        ),
        True,
    ),
    "a comment last": (HEAD + "---\ntarget: t-1\ndate: 2025-06-30\n# 末尾注释\n", False),
    "no final line break": (HEAD + "---\ntarget: t-1\ndate: 2025-06-30", False),
    "kept line breaks last": (
        HEAD + "---\ntarget: t-1\ndate: 2025-06-30\nnote: |+\n  甲\n\n",
        False,
    ),
    "an indented last line": (
        HEAD + "---\ntarget: t-1\ndate: 2025-06-30\nnote: >-\n  折叠\n  文本\n",
        False,
    ),
    "an escaped zero-width space": (
        HEAD + '---\ntarget: t-1\ndate: 2025-06-30\nvalue: 5\nnote: "a\\u200bb"\n',
        True,
    ),
    "a control character": (HEAD + "---\ntarget: t-1\ndate: 2025-06-30\nnote: a\x07b\n", False),
    "an unknown target key": (HEAD + "---\ntarget: t-1\ndate: 2025-06-30\nvalu: 5\n", False),
    # found by a differential fuzzer: the header's end found with YAML's line breaks (a lone CR
    # too), and the header read alone as a header, or the earlier records were read twice or the
    # first appended document read as the header
    "a lone CR before the first record's start": (
        "zjtrack: 1\ndocument: d\r---\ntarget: t-1\ndate: 2026-01-05\n",
        True,
    ),
    "a lone CR after the first record's start": (
        "zjtrack: 1\ndocument: d\n---\rtarget: t-1\ndate: 2026-01-05\n",
        True,
    ),
    "a comment before the header's own start": ("# 说明\n---\nzjtrack: 1\ndocument: d\n", False),
    "a blank line before the header's own start": ("\n---\nzjtrack: 1\ndocument: d\n", False),
    "a directive first": (
        "%YAML 1.1\n---\nzjtrack: 1\ndocument: d\n---\ntarget: t-1\ndate: 2026-01-05\n",
        False,
    ),
}

# appended part -> whether it may be read alone
APPENDED: dict[str, tuple[str | bytes, bool]] = {
    "a record": ("---\ntarget: t-1\ndate: 2026-02-01\nvalue: 9\n", True),
    "two records": (
        "---\ntarget: t-2\ndate: 2026-02-01\ndone: true\n---\ntarget: t-1\ndate: 2026-02-03\n"
        "value: 10.5\nnote: >-\n  多行\n  说明\n",
        True,
    ),
    "a document start with a comment": (
        "--- # 追加\ntarget: t-1\ndate: 2026-02-01\nvalue: 1\n",
        True,
    ),
    "a flow record": ("--- {target: t-2, date: 2026-02-03, done: true}\n", True),
    "crlf": ("---\r\ntarget: t-1\r\ndate: 2026-02-01\r\nvalue: 2\r\n", True),
    "no final line break": ("---\ntarget: t-1\ndate: 2026-02-01\nvalue: 2", True),
    "keys that continue the last record": ("value: 99\nnote: 补充\n", False),
    "a bad date": ("---\ntarget: t-1\ndate: 2026-13-01\nvalue: 2\n", False),
    "an unclosed bracket": ("---\ntarget: [t-1\ndate: 2026-02-01\n", False),
    "a tab in the indentation": ("---\ntarget: t-1\nnote: >-\n\tx\n", False),
    "a zero-width space": ("---\ntarget: t-1\ndate: 2026-02-01\nnote: a\u200bb\n", True),
    "a bidi override": ("---\ntarget: t-1\ndate: 2026-02-01\nnote: a\u202eb\n", True),
    "an odd space in the indentation": ("---\ntarget: t-1\nnote: >-\n\u3000x\n", False),
    "a control character": ("---\ntarget: t-1\ndate: 2026-02-01\nnote: a\x07b\n", False),
    "GB18030 bytes": ("---\ntarget: t-1\ndate: 2026-02-01\nnote: 中文\n".encode("gb18030"), False),
    "another file's header and a record": (
        "---\nzjtrack: 1\ndocument: d\n---\ntarget: t-1\ndate: 2026-01-05\n",
        False,
    ),
    "a units document": ("---\nzjtrack: 1\nunits: []\n", False),
    "a document end first": ("...\n---\ntarget: t-1\ndate: 2026-02-01\n", False),
}


def _prime(path: Path, data: bytes, cache_dir: Path) -> None:
    path.write_bytes(data)
    loader.load_file(str(path), FileCache(cache_dir, racy_ns=0))


def _taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each incremental read asked for gave the content (True) or sent the file to be
    read whole (False)."""
    taken: list[bool] = []
    real = appended.read_appended

    def read(*args: object) -> object:
        found = real(*args)  # type: ignore[arg-type]
        taken.append(found is not None)
        return found

    monkeypatch.setattr(appended, "read_appended", read)
    return taken


@pytest.mark.parametrize("earlier", list(EARLIER))
@pytest.mark.parametrize("appended", list(APPENDED))
def test_reading_the_appended_part_alone_finds_what_reading_the_whole_file_finds(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    spy_parses: Callable[[], list[bytes]],
    earlier: str,
    appended: str,
) -> None:
    before_text, before_ok = EARLIER[earlier]
    tail, tail_ok = APPENDED[appended]
    tail_bytes = tail if isinstance(tail, bytes) else tail.encode("utf-8")
    path = tmp_path / "progress" / "demo-doc.yaml"
    path.parent.mkdir()
    _prime(path, before_text.encode("utf-8"), tmp_path / "cache")
    whole = before_text.encode("utf-8") + tail_bytes
    with path.open("ab") as f:
        f.write(tail_bytes)
    parsed, taken = spy_parses(), _taken(monkeypatch)
    found = loader.load_file(str(path), FileCache(tmp_path / "cache", racy_ns=0))
    monkeypatch.undo()
    assert found == loader.parse_bytes(whole, str(path))
    if before_ok and tail_ok:  # the appended part read alone, behind the header
        assert taken == [True]
        # the header alone (when records follow it), then header + line breaks + appended part;
        # or nothing, for a header and records of the plain shape (`appended._plain_records`)
        assert len(parsed) <= 2 and all(len(p) <= len(whole) for p in parsed)
    else:
        assert taken in ([], [False])
        assert parsed[-1] == whole
    # and the cache now holds the content for the whole file: a second look parses nothing
    again = spy_parses()
    assert loader.load_file(str(path), FileCache(tmp_path / "cache", racy_ns=0)) == found
    assert again == []


def _grown(
    tmp_path: Path, spy_parses: Callable[[], list[bytes]], before: str, after: bytes
) -> tuple[FileContent, list[bytes], Path]:
    """A file read (into the cache) as `before`, then rewritten as `after` and read again: its
    content, the bytes each parse was given the second time, and its path."""
    path = tmp_path / "p.yaml"
    _prime(path, before.encode("utf-8"), tmp_path / "cache")
    path.write_bytes(after)
    parsed = spy_parses()
    return loader.load_file(str(path), FileCache(tmp_path / "cache", racy_ns=0)), parsed, path


def test_the_appended_records_have_the_lines_and_columns_of_the_file(
    tmp_path: Path, spy_parses: Callable[[], list[bytes]]
) -> None:
    before = EARLIER["many records, blank lines between"][0]
    more = b"---\ntarget: t-9\ndate: 2026-02-01\nvalue: 1\n--- {target: t-8, date: 2026-02-02, done: true}\n"
    found, parsed, path = _grown(tmp_path, spy_parses, before, before.encode("utf-8") + more)
    assert parsed and all(len(p) < path.stat().st_size for p in parsed)
    lines = path.read_text(encoding="utf-8").splitlines()
    last_two = found.records[-2:]
    assert [r.target for r in last_two] == ["t-9", "t-8"]
    assert lines[last_two[0].line - 1] == "target: t-9" and last_two[0].column == 1
    assert lines[last_two[1].line - 1].startswith("--- {target: t-8")
    assert last_two[1].column == 5
    assert list(found.history["t-9"]) == [last_two[0]]


def test_a_file_changed_before_its_end_is_read_whole(
    tmp_path: Path, spy_parses: Callable[[], list[bytes]]
) -> None:
    before = EARLIER["written by zjtrack"][0]
    changed = (
        before.replace("value: 3", "value: 4") + "---\ntarget: t-1\ndate: 2026-02-01\nvalue: 9\n"
    )
    changed_bytes = changed.encode("utf-8")
    found, parsed, _ = _grown(tmp_path, spy_parses, before, changed_bytes)
    assert parsed == [changed_bytes]
    assert [r.value for r in found.records] == [4, 9]


def test_check_reads_a_grown_file_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy_parses: Callable[[], list[bytes]]
) -> None:
    """`check` derives a changed file's facts through the same read: the facts of the grown file
    are those of its whole parse, and only the appended part was parsed."""
    from zjtrack.crosscheck import facts_for, facts_of

    before = EARLIER["many records, blank lines between"][0]
    path = tmp_path / "p.yaml"
    path.write_bytes(before.encode("utf-8"))
    facts_for(str(path), FileCache(tmp_path / "cache", racy_ns=0))
    more = "---\ntarget: t-9\ndate: 2026-02-01\nvalue: 1\n"
    path.write_bytes((before + more).encode("utf-8"))
    parsed, taken = spy_parses(), _taken(monkeypatch)
    found = facts_for(str(path), FileCache(tmp_path / "cache", racy_ns=0))
    assert taken == [True] and len(parsed) == 2  # the header, then header + appended part
    # (its header has a blank line: not of the plain shape that is read without PyYAML)
    assert all(len(p) < len((before + more).encode("utf-8")) for p in parsed)
    monkeypatch.undo()
    assert found == facts_of(loader.parse_bytes((before + more).encode("utf-8"), str(path)))


PLAIN_HEADERS = (
    "zjtrack: 1\ndocument: demo-doc\n",
    '# progress records (demo-doc).\nzjtrack: 1\ndocument: "demo-doc"\n',
)
PLAIN_RECORDS = (
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 3\n",
    '---\ntarget: "t-2"\ndate: 2024-02-29\nvalue: -0.5\nsource: "a report"\n',
    '---\ntarget: t-3\ndate: 2025-12-31\ndone: false\nnote: " x "\nrecorded_at: 2026-01-01\n',
    "---\ntarget: true\ndate: 2026-01-05\nvalue: +7\n",
)
NOT_PLAIN = (  # each read by PyYAML, whatever it finds
    "---\ntarget: null\ndate: 2026-01-05\nvalue: 3\n",
    "---\ntarget: t-1\ndate: 2026-02-30\nvalue: 3\n",
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 1.2.3\n",
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 1000000000000000\n",
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 999999999999999.99\n",
    '---\ntarget: t-1\ndate: 2026-01-05\nvalue: 1\nnote: "  "\n',
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 1\r\n",
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 1\nvalue: 2\n",
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 01\n",
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 1 # c\n",
    '---\ntarget: t-1\ndate: 2026-01-05\nvalue: 1\nnote: "\\u0041"\n',
    "---\ntarget: t-1\ndate: 2026-01-05\nvalue: 1\nrecorded_at: 2026-13-01\n",
)


@pytest.mark.parametrize("header", PLAIN_HEADERS)
@pytest.mark.parametrize("tail", PLAIN_RECORDS + NOT_PLAIN)
def test_plain_records_are_read_without_the_parser_as_the_parser_reads_them(
    tmp_path: Path, spy_parses: Callable[[], list[bytes]], header: str, tail: str
) -> None:
    """Records of the plain shape appended after a plain header: read without PyYAML (no parse
    at all), with the values, lines and columns of the whole file's parse; anything else is read
    by the parser, as before."""
    before = header + "---\ntarget: t-1\ndate: 2026-01-01\nvalue: 1\n"
    whole = (before + tail + PLAIN_RECORDS[0]).encode("utf-8")
    found, parsed, path = _grown(tmp_path, spy_parses, before, whole)
    assert (parsed == []) == (tail in PLAIN_RECORDS), parsed
    assert found == loader.parse_bytes(whole, str(path))
    assert len(found.records) >= 2


def _stored(path: Path, cache_dir: Path) -> object:
    """What the cache's entry for `path` stores of its content (`cache.Stored`)."""
    store = FileCache(cache_dir, racy_ns=0)
    entry = store._read_entry(str(path))
    assert entry is not None
    return entry.data


def test_an_appended_file_is_stored_as_its_whole_encoding_and_the_records_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy_parses: Callable[[], list[bytes]]
) -> None:
    """After each append the entry keeps the encoding of the content it last encoded whole, as
    it was, and the records after it as a second part (`FileCache.put`); what it restores is
    what reading the whole file finds, at every step; past `MAX_TAIL` records after it, the
    content is encoded whole again."""
    from zjtrack.load import cache

    monkeypatch.setattr(cache, "MAX_TAIL", 3)
    path = tmp_path / "progress" / "demo-doc.yaml"
    path.parent.mkdir()
    data = HEAD.encode("utf-8") + b"---\ntarget: t-1\ndate: 2026-01-05\nvalue: 3\n"
    _prime(path, data, tmp_path / "cache")
    whole = _stored(path, tmp_path / "cache")
    assert type(whole) is bytes
    tails = []
    for n in range(1, 9):
        data += f"---\ntarget: t-{n % 3}\ndate: 2026-02-{n:02d}\nvalue: {n}\n".encode()
        path.write_bytes(data)
        found = loader.load_file(str(path), FileCache(tmp_path / "cache", racy_ns=0))
        assert found == loader.parse_bytes(data, str(path)) and len(found.records) == n + 1
        stored = _stored(path, tmp_path / "cache")
        if type(stored) is bytes:  # encoded whole again
            whole = stored
            tails.append(0)
        else:
            assert type(stored) is tuple and len(stored) == 2 and stored[0] == whole
            tails.append(len(cache._decoded(stored[1])[0].records))
        parses = spy_parses()
        again = loader.load_file(str(path), FileCache(tmp_path / "cache", racy_ns=0))
        assert again == found and parses == []  # restored from the parts, nothing parsed
    assert tails == [1, 2, 3, 0, 1, 2, 3, 0]


def test_an_entry_of_parts_that_an_appended_read_never_makes_is_not_used(
    tmp_path: Path, spy_parses: Callable[[], list[bytes]]
) -> None:
    """Parts whose content is not records alone (sealed by this user, yet not what `put`
    writes: only a bug could make it) are not restored: the file is parsed again."""
    import os

    from zjtrack.load.codec import encode
    from zjtrack.model import Config

    path = tmp_path / "progress" / "demo-doc.yaml"
    path.parent.mkdir()
    data = HEAD.encode("utf-8") + b"---\ntarget: t-1\ndate: 2026-01-05\nvalue: 3\n"
    _prime(path, data, tmp_path / "cache")
    store = FileCache(tmp_path / "cache", racy_ns=0)
    entry = store._read_entry(str(path))
    assert entry is not None and type(entry.data) is bytes
    with_a_problem = loader.parse_bytes(b"zjtrack: 1\nunits:\n  - name: X\n", "u.yaml")
    assert with_a_problem.problems
    whole = loader.parse_bytes(data, str(path))
    for odd in (FileContent(config=Config()), with_a_problem):
        parts = (entry.data, encode(odd))
        store._write(str(path), os.stat(path), entry.seen_ns, entry.digest, parts)
        parses = spy_parses()
        found = loader.load_file(str(path), FileCache(tmp_path / "cache", racy_ns=0))
        assert found == whole and parses == [data]
