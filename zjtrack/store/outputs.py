"""Where a report may go: `-o` never replaces what the user wrote.

`report … -o FILE` and `form -o` write whole files (store/atomic.py). Before they do, `refusal`
decides whether the destination may be replaced:

- nothing there: write;
- a link, a folder, a FIFO, a device or a socket: never (not even with --force): a link is not
  followed and not replaced by a copy, a special file is not turned into a regular one;
- a task, progress, units or config file (YAML: what zjtrack reads, never what it writes as a
  report): never, whatever --force says;
- a regular file zjtrack wrote (it carries zjtrack's mark, see `written_by_zjtrack`): replace, as
  regenerating last week's report into the same name is the everyday case;
- any other regular file: only with --force.

The marks are part of every output, so a report keeps its mark wherever it is copied: Markdown
ends with the comment `MD_MARK`, HTML names zjtrack as its generator, docx and xlsx carry
`zjtrack` in their core properties (docProps/core.xml), and a CSV is recognised by its header,
the ledger's column labels in order (or a form's `zjtrack-form` line) after a byte-order mark.
Reading a destination to look for the mark is bounded (a regular file, a few KB of a text file,
one small zip member). A file the command itself read is never a destination (cli/common.py).
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..render import HTML_MARK, MD_MARK

_TEXT_PEEK = 8192  # bytes read from each end of a text file to find its mark
_ZIP_LIMIT = 64 * 1024 * 1024  # a docx or xlsx larger than this is not opened to be recognised
_CORE_LIMIT = 64 * 1024  # docProps/core.xml is about 1 KB
_INPUT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Refusal:
    """Why a destination is not replaced: `reason` is one of `special`, `input`, `foreign`;
    `kind` names a special file's kind (see load/files.KIND_NAMES); `forcible` says whether
    --force would lift it."""

    reason: str
    kind: str = ""

    @property
    def forcible(self) -> bool:
        return self.reason == "foreign"


def refusal(path: Path, *, force: bool) -> Refusal | None:
    """None when `path` may be written (see the module docstring), else why not. Never raises:
    a destination that cannot even be examined is left for the write to report."""
    try:
        st = os.lstat(path)
    except OSError:
        return None  # nothing there (or unreachable: the write says why)
    if not stat.S_ISREG(st.st_mode):
        from ..load.files import kind_of

        return Refusal("special", kind_of(st.st_mode))
    if path.suffix.lower() in _INPUT_SUFFIXES:
        return Refusal("input")
    if force or written_by_zjtrack(path):
        return None
    return Refusal("foreign")


def written_by_zjtrack(path: Path) -> bool:
    """Whether the regular file at `path` carries zjtrack's mark (any of its output formats,
    whatever the file's name says). False when it cannot be read."""
    from ..load.files import NOFOLLOW, NONBLOCK

    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return False
        head = os.pread(fd, _TEXT_PEEK, 0)
        if head.startswith(b"PK\x03\x04"):
            return st.st_size <= _ZIP_LIMIT and _zip_marked(fd)
        tail = os.pread(fd, _TEXT_PEEK, max(0, st.st_size - _TEXT_PEEK))
    except OSError:
        return False
    finally:
        os.close(fd)
    return _text_marked(head, tail)


def _text_marked(head: bytes, tail: bytes) -> bool:
    if tail.rstrip().endswith(MD_MARK.encode()):
        return True
    if HTML_MARK.encode() in head:
        return True
    return _csv_marked(head)


def _csv_marked(head: bytes) -> bool:
    """A CSV zjtrack wrote: a UTF-8 byte-order mark, then a unit's form line (`zjtrack-form`) or
    the ledger's header: two or more of its column labels, in the ledger's order, all in one
    language (Excel's "CSV UTF-8" adds a byte-order mark to every file, so labels such as `Date`
    alone would take a user's own CSV for zjtrack's)."""
    if not head.startswith(b"\xef\xbb\xbf"):
        return False
    line = head[3:].split(b"\r\n", 1)[0].split(b"\n", 1)[0]
    try:
        cells = line.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return False
    if cells[0] == "zjtrack-form":  # a unit's form (forms/write.CSV_MARK)
        return True
    from ..report.ledger import LEDGER_COLUMNS
    from ..vocab import WORDS

    for i in (0, 1):  # Chinese, English
        order = {WORDS[key][i]: n for n, (key, _) in enumerate(LEDGER_COLUMNS)}
        places = [order.get(cell, -1) for cell in cells]
        if len(cells) > 1 and min(places) >= 0 and places == sorted(set(places)):
            return True
    return False


def _zip_marked(fd: int) -> bool:
    """A docx or xlsx whose core properties name zjtrack (comments or creator)."""
    try:
        with os.fdopen(os.dup(fd), "rb") as f, zipfile.ZipFile(f) as z:
            info = z.getinfo("docProps/core.xml")
            if info.file_size > _CORE_LIMIT:
                return False
            core = z.read(info)
    except (
        OSError,
        KeyError,
        zipfile.BadZipFile,
        RuntimeError,
        ValueError,
        EOFError,
        NotImplementedError,
    ):
        return False
    return b">zjtrack<" in core
