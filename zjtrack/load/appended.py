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

import re
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
_FIRST_MARK = re.compile(rb"(?<=[\r\n])---(?:[ \t\r\n]|\Z)")  # a lone CR breaks a line too
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
    first = _FIRST_MARK.search(earlier)
    if first is None:  # a header alone
        if had_records:
            return None
        header = earlier
    else:  # the header must be the first document, whole: what comes before the first `---`
        # reads alone as a header and nothing else (not comments or a directive before the
        # header's own `---`, which would make the first appended document read as the header)
        header = earlier[: first.start()]
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
_ID = rb"[a-z0-9][a-z0-9.\-]*"
_QUOTED = rb'"([ !#-\[\]-~]*)"'  # printable ASCII but `"` and `\`: no escapes
_DATE = rb"([0-9]{4}-[0-9]{2}-[0-9]{2})"
_TEXT_KEYS = ("entity", "source", "by", "note", "problems", "next_steps", "corrects", "withdraws")
_PLAIN_HEADER = re.compile(
    rb"(?:#[ -~]*\n)*zjtrack: [0-9]+\ndocument: (?:\"" + _ID + rb"\"|" + _ID + rb")\n"
)
_PLAIN_RECORD = re.compile(
    rb"---\ntarget: (?:\"(" + _ID + rb")\"|(" + _ID + rb"))\ndate: " + _DATE + rb"\n"
    rb"(?:value: ([-+0-9.]+)|done: (true|false))\n"
    + b"".join(rb"(?:" + key.encode() + rb": " + _QUOTED + rb"\n)?" for key in _TEXT_KEYS)
    + rb"(?:recorded_at: "
    + _DATE
    + rb"\n)?"
)


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
    if not _PLAIN_HEADER.fullmatch(header):
        return None
    from .. import dates
    from ..model import ProgressRecord

    records = []
    at, line = 0, first_line
    while at < len(tail):
        m = _PLAIN_RECORD.match(tail, at)
        if m is None:
            return None
        target = (m[1] or m[2]).decode("ascii")
        if m[2] is not None and target == "null":  # a bare `null`: no text (`scalars.NULL`; the
            return None  # other texts it matches are no id)
        value: int | float | None = None
        if m[4] is not None:
            raw = m[4].decode("ascii")
            is_float = _number_kind(raw)
            if is_float is None:
                return None
            value = scalars.number(raw, is_float)
            if value is None:
                return None
        texts = {}
        for key, text in zip(_TEXT_KEYS, m.groups()[5:13], strict=True):
            if text is not None:
                if not text.strip():
                    return None
                texts[key] = text.decode("ascii")
        try:
            date = dates.parse_iso(m[3].decode("ascii"))
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
        line += m[0].count(b"\n")
        at = m.end()
    return records
