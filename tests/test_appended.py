"""A progress file read again after records were appended to it (`load/appended.py`): the loader
reads only the appended bytes when the cache holds the file's content for the bytes before, and
what it finds must be exactly what reading the whole file finds (records, their lines and
columns, problems). Every earlier file and every appended part below is compared both ways; the
ones the incremental read may take are also held to having taken it (the whole file never parsed),
so a guard that quietly sent everything to a full parse would fail here too.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
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


# --- the plain shape read line by line, against the regular expressions it was first read with ---
# `appended` reads the plain shape without compiling a regular expression (about 0.7 ms of a run
# that reads appended records); these are the patterns it replaces, and the reading they made: the
# two must find the same records (or refuse the same bytes) in every header and tail below.
_ID = rb"[a-z0-9][a-z0-9.\-]*"
_QUOTED = rb'"([ !#-\[\]-~]*)"'
_DATE = rb"([0-9]{4}-[0-9]{2}-[0-9]{2})"
HEADER_PATTERN = re.compile(
    rb"(?:#[ -~]*\n)*zjtrack: [0-9]+\ndocument: (?:\"" + _ID + rb"\"|" + _ID + rb")\n"
)
RECORD_PATTERN = re.compile(
    rb"---\ntarget: (?:\"(" + _ID + rb")\"|(" + _ID + rb"))\ndate: " + _DATE + rb"\n"
    rb"(?:value: ([-+0-9.]+)|done: (true|false))\n"
    + b"".join(rb"(?:" + key.encode() + rb": " + _QUOTED + rb"\n)?" for key in appended._TEXT_KEYS)
    + rb"(?:recorded_at: "
    + _DATE
    + rb"\n)?"
)
FIRST_MARK = re.compile(rb"(?<=[\r\n])---(?:[ \t\r\n]|\Z)")


def _by_pattern(header: bytes, tail: bytes, first_line: int, path: str) -> list[object] | None:
    """`appended._plain_records` as it read the plain shape with the patterns above."""
    from zjtrack import dates
    from zjtrack.load import scalars
    from zjtrack.model import ProgressRecord

    if not HEADER_PATTERN.fullmatch(header):
        return None
    records: list[object] = []
    at, line = 0, first_line
    while at < len(tail):
        m = RECORD_PATTERN.match(tail, at)
        if m is None:
            return None
        target = (m[1] or m[2]).decode("ascii")
        if m[2] is not None and re.match(scalars.NULL, target):
            return None
        value: int | float | None = None
        if m[4] is not None:
            raw = m[4].decode("ascii")
            is_float = re.match(scalars.FLOAT, raw) is not None
            if not is_float and re.match(scalars.INT, raw) is None:
                return None
            value = scalars.number(raw, is_float)
            if value is None:
                return None
        texts = {}
        for key, text in zip(appended._TEXT_KEYS, m.groups()[5:13], strict=True):
            if text is not None:
                if not text.strip():
                    return None
                texts[key] = text.decode("ascii")
        try:
            date = dates.parse_iso(m[3].decode("ascii"))
            recorded_at = dates.parse_stamp(m[14].decode("ascii")) if m[14] else None
        except ValueError:
            return None
        done = None if m[5] is None else m[5] == b"true"
        records.append(
            ProgressRecord(
                target=target,
                date=date,
                value=value,
                done=done,
                **texts,  # type: ignore[arg-type]
                recorded_at=recorded_at,
                path=path,
                line=line + 2,
                column=1,
            )
        )
        line += m[0].count(b"\n")
        at = m.end()
    return records


HEADER_LINES = [
    b"zjtrack: 1", b"zjtrack: 12", b"zjtrack: x", b"zjtrack:1", b"zjtrack: ", b"document: d-1",
    b'document: "d-1"', b'document: "d-1', b"document: D", b"document: -d", b"document: null",
    b"# a comment", b"#", b"#\tx", b"# \xe8\xbf\x9b", b"", b" # x", b"---",
]  # fmt: skip
RECORD_LINES = [
    b"---", b"--- ", b"----", b"target: t-1", b'target: "t-1"', b'target: "t-1', b'target: t-1"',
    b"target: T-1", b"target: null", b'target: "null"', b"target: -x", b"target: 1.2",
    b"target: ", b"target:t-1", b"date: 2026-01-05", b"date: 2026-1-05", b"date: 2026-02-30",
    b"date: 2026-01-05 ", b"date: 2026-01-0x", b"value: 3", b"value: -0.5", b"value: 01",
    b"value: 1.", b"value: ", b"value: 1e3", b"value: +7", b"value: 0.25", b"value: --1",
    b"value: 1 # c", b"done: true", b"done: false", b"done: True", b"done: true ",
    b'source: "x"', b'source: ""', b'source: "  "', b'source: "a"b"', b'source: "\\"',
    b'source: "\xc3\xa9"', b'source: "x', b"source: x", b'entity: "e"', b'by: "b"', b'note: "n"',
    b'problems: "p"', b'next_steps: "s"', b'corrects: "2026-01-01"', b'withdraws: "w"',
    b"recorded_at: 2026-01-01", b"recorded_at: 2026-13-01", b"recorded_at: 2026-01-01T10:00:00",
    b"value: 3\r", b"\t", b"# c",
]  # fmt: skip
TEXT_LINES = [f'{key}: "a {key}"'.encode() for key in appended._TEXT_KEYS]  # in their order


def _a_record(rng: random.Random) -> list[bytes]:
    """The lines of a record of the plain shape, its optional keys drawn at random."""
    lines = [b"---", rng.choice([b"target: t-1", b'target: "t-2"', b"target: true"])]
    lines += [b"date: 2026-01-05", rng.choice([b"value: 3", b"value: -0.5", b"done: true"])]
    lines += [t for t in TEXT_LINES if rng.random() < 0.15]
    return lines + ([b"recorded_at: 2026-01-01"] if rng.random() < 0.3 else [])


CHARACTERS = [
    b'"',
    b"\\",
    b" ",
    b"\r",
    b"\t",
    b"-",
    b".",
    b"+",
    b"0",
    b"9",
    b"a",
    b"T",
    b":",
    b"#",
    b"\xc3\xa9",
]


def _mutated(lines: list[bytes], rng: random.Random, pool: list[bytes]) -> list[bytes]:
    """`lines` with a few changes: a line replaced by one of `pool`, one of them inserted, a line
    dropped, or a line cut short, or a character put in, changed or taken out."""
    lines = list(lines)
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        k = rng.randrange(len(lines)) if lines else 0
        what = rng.randrange(7)
        if what == 0 and lines:
            lines[k] = rng.choice(pool)
        elif what == 1:
            lines.insert(k, rng.choice(pool))
        elif what == 2 and lines:
            del lines[k]
        elif lines:
            line = lines[k]
            at = rng.randrange(len(line) + 1)
            if what == 3:
                lines[k] = line[:at]
            elif what == 4:
                lines[k] = line[:at] + rng.choice(CHARACTERS) + line[at:]
            else:
                lines[k] = line[:at] + rng.choice(CHARACTERS) + line[at + 1 :]
    return lines


BASES = [
    [b"---", b"target: t-1", b"date: 2026-01-05", b"value: 3"],
    [b"---", b'target: "t-2"', b"date: 2024-02-29", b"done: true", *TEXT_LINES],
    [b"---", b"target: true", b"date: 2025-12-31", b"value: -0.5", b'note: "y"'],
    [b"---", b"target: t.3", b"date: 2025-01-01", b"done: false", b"recorded_at: 2026-01-01"],
]


def _edits(lines: list[bytes], pool: list[bytes]) -> Iterator[list[bytes]]:
    """Every `lines` with one change: a line of `pool` put in anywhere or put in a line's place,
    a line dropped, cut short, or with a character (`CHARACTERS`) put in or changed anywhere."""
    for k in range(len(lines) + 1):
        for other in pool:
            yield [*lines[:k], other, *lines[k:]]
        if k == len(lines):
            break
        yield lines[:k] + lines[k + 1 :]
        line = lines[k]
        for other in [*pool, *(line[:at] for at in range(len(line)))]:
            yield [*lines[:k], other, *lines[k + 1 :]]
        for at in range(len(line) + 1):
            for c in CHARACTERS:
                for edited in (line[:at] + c + line[at:], line[:at] + c + line[at + 1 :]):
                    yield [*lines[:k], edited, *lines[k + 1 :]]


def _same_reading(header: bytes, tail: bytes) -> bool:
    """Both readings find the same in `header` and `tail`; whether they took the records."""
    expected = _by_pattern(header, tail, 7, "p.yaml")
    assert appended._plain_records(header, tail, 7, "p.yaml") == expected, (header, tail)
    return expected is not None


def test_the_plain_shape_read_line_by_line_is_what_the_patterns_read() -> None:
    """Each record of `BASES`, then another, after a plain header, with every single change
    (`_edits`); each header with every single change before them; and records and headers
    with a few changes drawn at random."""
    seen = []
    header = b"# progress\nzjtrack: 1\ndocument: d-1\n"
    for base in BASES:
        for lines in _edits(base, RECORD_LINES):
            for end in (b"\n", b"", b"\n\n"):
                seen.append(_same_reading(header, b"\n".join(lines + BASES[0]) + end))
    for lines in _edits(header.split(b"\n")[:-1], HEADER_LINES):
        for end in (b"\n", b"", b"\r\n"):
            seen.append(_same_reading(b"\n".join(lines) + end, b"\n".join(BASES[1]) + b"\n"))
    rng = random.Random(16)
    for _ in range(3000):
        head = [b"# progress"] * rng.choice([0, 1, 2]) + [b"zjtrack: 1", b"document: d-1"]
        header = b"\n".join(_mutated(head, rng, HEADER_LINES) if rng.random() < 0.3 else head)
        header += rng.choice([b"\n", b"\n", b"", b"\r\n"])
        body = [line for _ in range(rng.choice([1, 1, 2, 3])) for line in _a_record(rng)]
        body = _mutated(body, rng, RECORD_LINES) if rng.random() < 0.7 else body
        tail = b"\n".join(body) + rng.choice([b"\n", b"\n", b"\n", b"", b"\n\n"])
        seen.append(_same_reading(header, tail))
    assert seen.count(True) > 1000 and seen.count(False) > 1000  # both sides reached


def test_the_first_document_start_is_where_the_pattern_finds_it() -> None:
    rng = random.Random(17)
    for _ in range(4000):
        data = b"".join(
            rng.choice([b"-", b"-", b"\n", b"\r", b" ", b"\t", b"a"]) for _ in range(12)
        )
        found = FIRST_MARK.search(data)
        assert appended._first_mark(data) == (found.start() if found else None), data
