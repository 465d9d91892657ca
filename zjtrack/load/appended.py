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

from .files import line_breaks

if TYPE_CHECKING:
    from .content import FileContent

# a line that begins a document: `---` alone or followed by a space or a tab
_DOC_START = re.compile(rb"---(?:[ \t]|\r?\n)")
_FIRST_MARK = re.compile(rb"(?<=[\r\n])---(?:[ \t\r\n]|\Z)")  # a lone CR breaks a line too
# the earlier bytes' last line: a key at column 0 (not a comment, an indented or a marker line)
_KEY_LINE = re.compile(rb"[^\s#\-.]")


def read_appended(data: bytes, size: int, before: FileContent, path: str) -> FileContent | None:
    """The content of the file whose bytes are `data`, of which the first `size` were read as
    `before` (the cache's entry for them); None when it must be read whole."""
    from ..model import history_of
    from .content import FileContent
    from .loader import parse_bytes

    if before.problems or not before.records_only():
        return None
    earlier, tail = data[:size], data[size:]
    if not _DOC_START.match(tail) or not _ends_at_a_key(earlier):
        return None
    first = _FIRST_MARK.search(earlier)
    if first is None:  # a header alone
        if before.records:
            return None
        header = earlier
    else:  # the header must be the first document, whole: what comes before the first `---`
        # reads alone as a header and nothing else (not comments or a directive before the
        # header's own `---`, which would make the first appended document read as the header)
        header = earlier[: first.start()]
        if not _nothing_but_a_header(parse_bytes(header, path)):
            return None
    pad = line_breaks(earlier) - line_breaks(header)
    # CR LF: one line break each, also after a header that ends in a lone CR
    alone = parse_bytes(header + b"\r\n" * pad + tail, path)
    if alone.problems or not alone.records_only():
        return None
    records = before.records + alone.records
    return FileContent(records=records, history=history_of(records))


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
    return b"\r" not in last and _KEY_LINE.match(last) is not None
