"""A progress file read again after records were appended to it, without reading it whole.

Progress files are append-only: the usual change to one is a record or two added at its end (by
`zjtrack record`, an intake, or a hand edit). The parse cache holds the file's content as it was;
when the file's bytes now begin with exactly the bytes that content was read from (the cache's
digest of them), only what follows is read: behind the file's header and as many line breaks as
the earlier bytes hold, so its records get the very lines and columns they have in the file. The
file's content is then its earlier records followed by these.

That equals reading the whole file (`tests/test_appended.py` compares them over hand-edited,
CRLF, BOM and damaged files) because YAML documents are independent and the earlier bytes are
required to end where no later byte can reach back into them: the earlier content had no problem
at all (no unclosed quote or bracket, no other encoding, nothing but records), its last line ends
with a line break and begins at column 0 with a key (so it is in no block scalar that more lines
could extend), and the appended bytes begin with a document start (`---`) of their own. Anything
else, and any problem in the appended part, is read whole (`None` here), as it always was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import scalars
from .files import line_breaks

if TYPE_CHECKING:
    from ..model import ProgressRecord
    from .content import FileContent

# a line that begins a document: `---` alone or followed by a space or a tab (what the regular
# expression rb"---(?:[ \t]|\r?\n)" matches; each one compiled costs a run that reads appended
# records about 0.05 ms)
_DOC_START = (b"--- ", b"---\t", b"---\n", b"---\r\n")
# the earlier bytes' last line begins with a key at column 0: not with a blank (what rb"\s"
# matches), a comment, an indented or a marker line
_NOT_A_KEY = b" \t\n\r\f\v#-."


def read_appended(data: bytes, size: int, before: FileContent, path: str) -> FileContent | None:
    """The content of the file whose bytes are `data`, of which the first `size` were read as
    `before` (the cache's entry for them); None when it must be read whole."""
    if before.problems or not before.records_only():
        return None
    records = appended_records(data, size, bool(before.records), path)
    return None if records is None else _followed_by(before, records)


def appended_records(
    data: bytes, size: int, had_records: bool, path: str, lines: int | None = None
) -> list[ProgressRecord] | None:
    """The records of the bytes after the first `size` of `data`, the bytes of a progress file
    whose first `size` bytes read with no problem and as nothing but records (`had_records`:
    some), with the lines and columns they have in the file; None when the file must be read
    whole (see the module docstring). `lines`: the line breaks of those first bytes
    (`files.line_breaks`), when the caller knows them (counting them takes a while in a large
    file of CJK text)."""
    earlier, tail = data[:size], data[size:]
    if not tail.startswith(_DOC_START) or not _ends_at_a_key(earlier):
        return None
    first = _first_mark(earlier)
    if first is None:  # a header alone
        if had_records:
            return None
        header = earlier
    else:  # the header must be the first document, whole: what comes before the first `---`
        # reads alone as a header and nothing else (not comments or a directive before the
        # header's own `---`, which would make the first appended document read as the header)
        header = earlier[:first]
    if lines is None:
        lines = line_breaks(earlier)  # the appended part's first line, from 0
    plain = _plain_records(header, tail, lines, path)
    if plain is not None:  # read without PyYAML: what it would read
        return plain
    from .loader import parse_bytes  # with `pathlib`, about 2.5 ms: not for the plain shape

    if first is not None and not _nothing_but_a_header(parse_bytes(header, path)):
        return None
    pad = lines - line_breaks(header)
    # CR LF: one line break each, also after a header that ends in a lone CR
    alone = parse_bytes(header + b"\r\n" * pad + tail, path)
    if alone.problems or not alone.records_only():
        return None
    return alone.records


def _followed_by(before: FileContent, records: list[ProgressRecord]) -> FileContent:
    """The content `before` with `records` after its own: their histories merged, as
    `history_of` groups them all (`merge_histories`), without grouping the earlier ones again."""
    from ..model import history_of, merge_histories
    from .content import FileContent

    history = merge_histories([before.history, history_of(records)])
    return FileContent(records=before.records + records, history=history)


def _nothing_but_a_header(content: FileContent) -> bool:
    """What a progress file's header alone reads as: no problem, and nothing at all."""
    return not content.problems and not content.records and content.records_only()


def _first_mark(data: bytes) -> int | None:
    r"""Where the first document start after the first line is (what rb"(?<=[\r\n])---(?:[ \t\r\n]|\Z)"
    finds: a lone CR breaks a line too), or None."""
    at = data.find(b"---", 1)
    while at >= 0:
        if data[at - 1] in b"\r\n" and (at + 3 == len(data) or data[at + 3] in b" \t\r\n"):
            return at
        at = data.find(b"---", at + 1)
    return None


def _ends_at_a_key(earlier: bytes) -> bool:
    """The bytes end with a line break, and their last line begins with a key at column 0."""
    if earlier.endswith(b"\r\n"):
        body = earlier[:-2]
    elif earlier.endswith(b"\n"):
        body = earlier[:-1]
    else:
        return False
    last = body[body.rfind(b"\n") + 1 :]
    return b"\r" not in last and last[:1] != b"" and last[0] not in _NOT_A_KEY


# --- records of the plain shape, read without PyYAML ----------------------------------------------
# What `zjtrack record` and the intakes append, in ASCII: a header of comment lines, the version and
# the document; then records of `---`, `target` (an id, bare or in double quotes), `date`, `value`
# (a bare number) or `done`, texts in double quotes without escapes, and `recorded_at` (a date),
# each on its own line, in this order, LF only. Such bytes read the same in PyYAML and here; any
# other shape, or a value the reader would refuse (a date that does not exist, a number too large,
# a blank text), is read by PyYAML as before (`_plain_records` None), so the problems, lines and
# columns are always the parser's.
#
# The shape, as regular expressions (tests/test_appended.py holds these and compares them with the
# code below, which reads the same bytes line by line without compiling them: about 0.7 ms of a
# run that reads appended records):
#   header: (?:#[ -~]*\n)*zjtrack: [0-9]+\ndocument: (?:"ID"|ID)\n
#   record: ---\ntarget: (?:"(ID)"|(ID))\ndate: (DATE)\n(?:value: ([-+0-9.]+)|done: (true|false))\n
#           then for each of _TEXT_KEYS in order (?:KEY: "([ !#-\[\]-~]*)"\n)?,
#           then (?:recorded_at: (DATE)\n)?
#   where ID is [a-z0-9][a-z0-9.\-]* and DATE [0-9]{4}-[0-9]{2}-[0-9]{2}
_TEXT_KEYS = ("entity", "source", "by", "note", "problems", "next_steps", "corrects", "withdraws")
_TEXT_PREFIXES = tuple(f'{key}: "'.encode() for key in _TEXT_KEYS)
_ID_FIRST = b"abcdefghijklmnopqrstuvwxyz0123456789"
_ID_CHARS = _ID_FIRST + b".-"
_PRINTABLE = bytes(range(0x20, 0x7F))  # [ -~]
_QUOTABLE = _PRINTABLE.translate(None, b'"\\')  # printable ASCII but `"` and `\`: no escapes
_NUMBER_CHARS = b"-+0123456789."
# a record's fields as the record pattern's groups: bare id, quoted id, date, value, done, the
# texts of _TEXT_KEYS, recorded_at
Fields = tuple["bytes | None", ...]


def _is_id(text: bytes) -> bool:
    return text[:1] != b"" and text[0] in _ID_FIRST and not text.translate(None, _ID_CHARS)


def _is_date(text: bytes) -> bool:
    return (
        len(text) == 10
        and text[4] == text[7] == 0x2D
        and (text[:4] + text[5:7] + text[8:]).isdigit()
    )


def _an_id(text: bytes) -> tuple[bytes | None, bytes | None]:
    """`text` as (an id in double quotes, an id), or (None, None) when it is neither."""
    if len(text) >= 2 and text[0] == text[-1] == 0x22 and _is_id(text[1:-1]):
        return text[1:-1], None
    return (None, text) if _is_id(text) else (None, None)


def _plain_header(header: bytes) -> bool:
    """Whether `header` is all of a header of the plain shape."""
    lines = header.split(b"\n")
    if len(lines) < 3:
        return False
    *comments, version, document, end = lines
    return (
        end == b""
        and all(c[:1] == b"#" and not c.translate(None, _PRINTABLE) for c in comments)
        and version[:9] == b"zjtrack: "
        and version[9:].isdigit()
        and document[:10] == b"document: "
        and _an_id(document[10:]) != (None, None)
    )


def _plain_fields(lines: list[bytes], j: int) -> tuple[Fields, int] | None:
    """The fields of the record of the plain shape whose `---` is `lines[j]` (the lines of the
    tail, without their LF) and the index of the line after it; None when it is not one."""
    if lines[j] != b"---" or len(lines) < j + 4:
        return None
    target, date, what = lines[j + 1 : j + 4]
    quoted, bare = _an_id(target[8:]) if target[:8] == b"target: " else (None, None)
    if quoted is None and bare is None:
        return None
    if date[:6] != b"date: " or not _is_date(date[6:]):
        return None
    value = done = None
    if what[:7] == b"value: " and len(what) > 7 and not what[7:].translate(None, _NUMBER_CHARS):
        value = what[7:]
    elif what in (b"done: true", b"done: false"):
        done = what[6:]
    else:
        return None
    k = j + 4
    texts: list[bytes | None] = []
    for prefix in _TEXT_PREFIXES:
        line = lines[k] if k < len(lines) else b""
        size = len(prefix)
        if line[:size] == prefix and len(line) > size and line[-1] == 0x22:
            text = line[size:-1]
            if not text.translate(None, _QUOTABLE):
                texts.append(text)
                k += 1
                continue
        texts.append(None)
    line = lines[k] if k < len(lines) else b""
    recorded_at = None
    if line[:13] == b"recorded_at: " and _is_date(line[13:]):
        recorded_at = line[13:]
        k += 1
    return (quoted, bare, date[6:], value, done, *texts, recorded_at), k


def _plain_number(raw: bytes) -> int | float | None:
    """A plain value's number (`-`, `+`, digits and dots), as `reader` reads it; None when it is
    not one (or too large)."""
    text = raw.decode("ascii")
    is_float = _number_kind(text)
    return None if is_float is None else scalars.number(text, is_float)


def _number_kind(raw: str) -> bool | None:
    """Of a value of `-`, `+`, digits and dots: True when `scalars.FLOAT` matches it, False when
    `scalars.INT` does, else None (without compiling them: 0.15 ms)."""
    whole, dot, fraction = (raw[1:] if raw[:1] in "+-" else raw).partition(".")
    if not (whole == "0" or (whole[:1] in "123456789" and whole.isdigit())):
        return None
    if not dot:
        return False
    return True if fraction.isdigit() else None


def _plain_records(
    header: bytes, tail: bytes, first_line: int, path: str
) -> list[ProgressRecord] | None:
    """The records of `tail` (appended after a header `header` that the whole file's read found
    no problem in, its first line at `first_line`, from 0) when header and tail are of the plain
    shape, as `reader` reads them; else None."""
    if not _plain_header(header):
        return None
    lines = tail.split(b"\n")
    if lines.pop() != b"":  # the last line ends with a LF
        return None
    from .. import dates
    from ..model import ProgressRecord

    records = []
    at, line = 0, first_line
    while at < len(lines):
        found = _plain_fields(lines, at)
        if found is None:
            return None
        m = (None, *found[0])  # m[1] ... m[14]: as the record pattern's groups
        target = (m[1] or m[2] or b"").decode("ascii")
        if m[2] is not None and target == "null":  # a bare `null`: no text (`scalars.NULL`; the
            return None  # other texts it matches are no id)
        value: int | float | None = None
        if m[4] is not None:
            value = _plain_number(m[4])
            if value is None:
                return None
        texts = {}
        for key, text in zip(_TEXT_KEYS, m[6:14], strict=True):
            if text is not None:
                if not text.strip():
                    return None
                texts[key] = text.decode("ascii")
        try:
            date = dates.parse_iso((m[3] or b"").decode("ascii"))
            recorded_at = dates.parse_stamp(m[14].decode("ascii")) if m[14] else None
        except ValueError:
            return None
        records.append(
            ProgressRecord(
                target=target,
                date=date,
                value=value,
                done=None if m[5] is None else m[5] == b"true",
                **texts,
                recorded_at=recorded_at,
                path=path,
                line=line + 2,  # the mapping begins on the line after `---`
                column=1,
            )
        )
        line += found[1] - at
        at = found[1]
    return records
