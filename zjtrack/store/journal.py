"""Appending progress records safely: the only code in zjtrack that writes into a progress file.

Design (chosen over one file per record, which would leave a province with 100,000 tiny files to
stat and parse): each document's records live in `tasks/progress/<document-id>.yaml`, an
append-only stream of YAML documents, one record per `---` document. Appending never rewrites a
byte that is already there, so hand edits and comments are never lost; the record is written with
one `write()` under an exclusive `flock`, so concurrent writers serialise and never interleave;
a failed or short write is truncated back before the lock is released, and the file is fsynced
before `record` reports success, so an acknowledged record is on disk. A new file is created
whole, header and first record, by the one atomic writer (store/atomic.py), create-only.

Records are `model.ProgressRecord`s, the type the loader reads them back as.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import stat
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import ProgressRecord
from ..problems import UserError
from ..text import inert, yaml_quote
from .atomic import remove_stale, write_atomic

if TYPE_CHECKING:
    from ..load.cache import FileCache
    from ..load.content import FileContent
    from ..problems import Problem

HEADER = (
    "# 进展记录 · progress records ({doc}). `zjtrack record` appends; hand edits are kept.\n"
    "zjtrack: 1\n"
    "document: {doc_json}\n"
)


TEXT_FIELDS = ("entity", "source", "by", "note", "problems", "next_steps", "corrects", "withdraws")


def render_record(r: ProgressRecord) -> str:
    """One record as a YAML document. Strings are quoted: always valid, always literal. Its place
    (path, line, column) is where it was read from, not part of it."""
    if r.date is None:
        raise ValueError("a record to append needs its date")
    lines = ["---", f"target: {yaml_quote(r.target)}", f"date: {r.date.isoformat()}"]
    if r.value is not None:
        lines.append(f"value: {_number(r.value)}")
    if r.done is not None:
        lines.append(f"done: {'true' if r.done else 'false'}")
    for key in TEXT_FIELDS:
        text = getattr(r, key)
        if text is not None:
            lines.append(f"{key}: {yaml_quote(text)}")
    if r.recorded_at is not None:
        lines.append(f"recorded_at: {r.recorded_at.isoformat()}")
    return "\n".join(lines) + "\n"


def _number(v: float) -> str:
    """A number as YAML writes it: integers bare, other values in plain decimals, never with an
    exponent (1e-07 would read back as text). NaN and infinities come out as words the loader
    refuses, as it refuses them in a hand-written file."""
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if float(v).is_integer():
        return str(int(v))
    text = repr(float(v))
    return format(Decimal(text), "f") if "e" in text else text


def progress_path(tasks_dir: Path, document_id: str) -> Path:
    """`tasks/progress/<document-id>.yaml`; an id that is not a plain file name (`../x`, which
    `check` reports) is refused rather than allowed to name a place outside the folder."""
    name = f"{document_id}.yaml"
    if "/" in name or "\\" in name or "\0" in name or document_id in ("", ".", ".."):
        raise UserError(
            f"文件编号 `{inert(document_id)}` 不能用作进展文件名；请先修正它（zjtrack check）。",
            f"document id `{inert(document_id)}` cannot name a progress file; fix it first "
            "(zjtrack check).",
        )
    return tasks_dir / "progress" / name


def append(
    path: Path, document_id: str, record: ProgressRecord, cache: FileCache | None = None
) -> None:
    """Append one record to `path` (created with its header if new): `append_many` of one."""
    append_many(path, document_id, [record], cache)


def append_many(
    path: Path,
    document_id: str,
    records: Sequence[ProgressRecord],
    cache: FileCache | None = None,
) -> None:
    """Append `records`, in order, to `path` (created with its header if new) in one write under
    one lock: all of them or none. Every record carries `recorded_at`: a writer that gives none
    gets the current time (to the second), the same for the whole batch.

    Refused (UserError, nothing written): a progress folder or file that is a symbolic link, or
    not a folder / not a regular file; a file that does not load as it is, or would not show the
    new records at its end once appended (an unterminated quote, another encoding): a record no
    view could see is never acknowledged. Raises OSError on an I/O failure, leaving the file as it
    was (or absent, if it was).

    With a parse `cache`, the file is not parsed again on every append (which made a file of n
    records cost n parses of itself to fill): its content before is the cache's entry for its
    bytes, and its content after, derived from that and the new records alone, is stored for
    the next writer and the views (see `_after_append`)."""
    import fcntl

    from ..load.cache import digest

    if not records:
        return
    _folder(path.parent)
    remove_stale(path.parent)
    header, stamped, body = _prepared(document_id, records)
    if not os.path.lexists(path):
        whole = header.encode("utf-8") + body
        _after_append(path, header, b"", whole, stamped, None)
        if _create(path, whole):
            return  # not remembered: no lock holds a new file's stat still, and it is small
    fd = _open(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        data = (header.encode("utf-8") if size == 0 else b"") + body  # an empty file: header
        existing = _read(fd, size)
        after = _after_append(path, header, existing, data, stamped, cache)
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(28, "short write (disk full?)")
            os.fsync(fd)
            seen_ns = time.time_ns()  # before the stat the cache keeps, as the loader takes it
        except OSError:
            os.ftruncate(fd, size)  # leave the file exactly as it was
            raise
        if cache is not None:  # under the lock: the stat is the file's as written
            cache.put(str(path), os.fstat(fd), seen_ns, digest(existing + data), after)
    finally:
        os.close(fd)  # closing releases the lock


def check_append(
    path: Path,
    document_id: str,
    records: Sequence[ProgressRecord],
    cache: FileCache | None = None,
) -> None:
    """Refuse (UserError) as `append_many` would refuse these records, writing nothing: a
    writer of one batch into several files (`intake`: a return's rows span documents) asks
    every file first, so that it writes all of them or none. (A hand edit landing between the
    question and the write is still refused by `append_many`, for that file alone.)"""
    if not records:
        return
    if os.path.lexists(path.parent):
        _folder(path.parent)  # a link or a file where the folder should be: refused
    header, stamped, body = _prepared(document_id, records)
    if not os.path.lexists(path):
        _after_append(path, header, b"", header.encode("utf-8") + body, stamped, None)
        return
    fd = _open(path)
    try:
        size = os.fstat(fd).st_size
        data = (header.encode("utf-8") if size == 0 else b"") + body
        _after_append(path, header, _read(fd, size), data, stamped, cache)
    finally:
        os.close(fd)


def _prepared(
    document_id: str, records: Sequence[ProgressRecord]
) -> tuple[str, list[ProgressRecord], bytes]:
    """The file's header, the records stamped (`recorded_at`: the current time, to the second,
    for those without one) and the text they append."""
    now = dt.datetime.now().replace(microsecond=0)
    stamped = [r if r.recorded_at is not None else r._replace(recorded_at=now) for r in records]
    header = HEADER.format(doc=document_id, doc_json=json.dumps(document_id, ensure_ascii=False))
    # Every record starts on a fresh line, whatever the file ends with: a hand edit appended
    # without a final newline, even one landing between our look and our write, stays intact.
    body = "".join("\n" + render_record(r) for r in stamped).encode("utf-8")
    return header, stamped, body


def _folder(folder: Path) -> None:
    """The progress folder, made if missing: a real folder inside the tasks folder, never a
    symbolic link (a committed `progress -> /elsewhere` must not make zjtrack write elsewhere)."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        # made meanwhile by another writer: looked at again below
        with contextlib.suppress(FileExistsError):
            folder.mkdir(parents=True)
        st = os.lstat(folder)
    if stat.S_ISLNK(st.st_mode):
        raise UserError(
            f"无法写入 {inert(str(folder))}：它是符号链接，zjtrack 不经链接写入（文件未改动）。"
            "请把它换成真正的目录。",
            f"cannot write {inert(str(folder))}: it is a symbolic link, and zjtrack never writes "
            "through one (file left unchanged). Make it a real folder.",
        )
    if not stat.S_ISDIR(st.st_mode):
        raise UserError(
            f"无法写入 {inert(str(folder))}：它是一个文件，不是目录；进展记录写在目录 "
            f"{inert(str(folder))}/ 中。请移走或改名这个文件后再记录（文件未改动）。",
            f"cannot write into {inert(str(folder))}: it is a file, not a folder; progress records "
            f"go in the folder {inert(str(folder))}/. Move or rename that file, then record again "
            "(file left unchanged).",
        )


def _open(path: Path) -> int:
    """The progress file, opened to read and append: never through a symbolic link (O_NOFOLLOW),
    never blocking on a FIFO (O_NONBLOCK), and only if it is a regular file."""
    flags = os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno == errno.ELOOP or os.path.islink(path):
            raise _not_regular(path, "是符号链接", "is a symbolic link") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _not_regular(path, "不是普通文件", "is not a regular file")
    return fd


def _not_regular(path: Path, zh: str, en: str) -> UserError:
    where = inert(str(path))
    return UserError(
        f"无法写入 {where}：它{zh}，zjtrack 只写普通文件（文件未改动）。"
        "请把它换成真正的进展文件（或删除它，下次记录时重建）。",
        f"cannot write {where}: it {en}, and zjtrack writes only regular files (file left "
        "unchanged). Put a real progress file there (or remove it: the next record makes one).",
    )


def _read(fd: int, size: int) -> bytes:
    """The first `size` bytes of the file (what was there when the lock was taken)."""
    from ..load.files import MAX_BYTES

    if size > MAX_BYTES:  # the loader refuses it anyway: do not read it all to say so
        return os.pread(fd, MAX_BYTES + 1, 0)
    chunks = []
    done = 0
    while done < size:
        chunk = os.pread(fd, size - done, done)
        if not chunk:
            break
        chunks.append(chunk)
        done += len(chunk)
    return b"".join(chunks)


def _after_append(
    path: Path,
    header: str,
    existing: bytes,
    data: bytes,
    records: Sequence[ProgressRecord],
    cache: FileCache | None,
) -> FileContent:
    """What the file will hold once `data` is appended, as the loader would read it; refuses
    (UserError) unless the file as it is loads without errors (an unterminated quote would
    swallow what follows; a GBK file would turn the appended UTF-8 into mojibake for whoever
    converts it later) and the file after ends with exactly `records`.

    The file before is parsed only when the cache holds nothing for its bytes. The file after is
    parsed whole only when the file does not end as zjtrack writes (a hand edit last): otherwise
    `data` is read alone, behind the header and as many blank lines as the file has, so its
    records get the very lines and columns they will have in the file, and the file's content
    after is its content before plus those records. YAML documents are independent, and a file
    that ends with a record exactly as `render_record` writes it ends at a document's end that no
    following `---` can reach back into (a `|+` scalar, say, would take the next line break), so
    that content is what parsing the whole file gives; `tests/test_journal_incremental.py`
    compares them over hand-edited files."""
    from ..load.cache import digest
    from ..load.loader import parse_bytes
    from ..problems import Severity

    where = str(path)
    before = cache.content_of(where, digest(existing)) if cache is not None and existing else None
    if before is None and existing:
        before = parse_bytes(existing, where)
    if before is not None and any(p.severity is Severity.ERROR for p in before.problems):
        errors = [p for p in before.problems if p.severity is Severity.ERROR]
        raise _unloadable(where, existing, errors)
    after = None
    if before is None or _ends_as_written(existing, header, before):
        after = _appended(where, header, existing, data, before)
    if after is None:  # a hand edit last, or the new part did not read back clean alone
        after = parse_bytes(existing + data, where)
    tail = [r._replace(path="", line=0, column=0) for r in after.records[-len(records) :]]
    if tail != list(records):  # not seen in practice: the file's own rules were met above
        raise UserError(
            f"{inert(where)} 追加后无法读回这条记录，记录未写入；请运行 zjtrack check 检查该文件。",
            f"{inert(where)} would not read the record back once appended; nothing written. "
            "Run zjtrack check on the file.",
        )
    return after


def _ends_as_written(existing: bytes, header: str, before: FileContent) -> bool:
    """The file ends exactly as `append_many` writes: its header alone, or its last record as
    `render_record` renders it, on lines of its own."""
    if not before.records:
        return existing == header.encode("utf-8")
    last = before.records[-1]
    try:
        own = "\n" + render_record(last)
    except ValueError:
        return False
    return existing.endswith(own.encode("utf-8"))


def _appended(
    where: str, header: str, existing: bytes, data: bytes, before: FileContent | None
) -> FileContent | None:
    """The file's content after appending `data`, from `before` and `data` read alone (None when
    `data` does not read back without a problem: then the whole file is read)."""
    from ..load.content import FileContent
    from ..load.files import line_breaks
    from ..load.loader import parse_bytes
    from ..model import history_of

    if before is None:  # a new or empty file: `data` is the whole file
        alone = parse_bytes(data, where)
        return alone if not alone.problems else None
    pad = line_breaks(existing) - header.count("\n")
    if pad < 0:
        return None
    alone = parse_bytes((header + "\n" * pad).encode("utf-8") + data, where)
    if alone.problems:
        return None
    records = before.records + alone.records
    return FileContent(records=records, problems=list(before.problems), history=history_of(records))


def _unloadable(where: str, existing: bytes, problems: list[Problem]) -> UserError:
    """Why a record is not appended to a file that does not load, and what to do first."""
    from ..load.yamlsrc import decode
    from ..render.problems import render_text

    text, _ = decode(existing, where)
    lines = text.splitlines() if text is not None else []
    shown = [render_text(problems, lang, lambda _: lines).rstrip("\n") for lang in ("zh", "en")]
    name = inert(where)
    return UserError(
        f"{name} 未能完整读取，记录未写入（写进去也没有视图能看到它）：\n{shown[0]}\n"
        "请先按上面的提示修正该文件，运行 zjtrack check 确认无误后再记录。",
        f"{name} does not load, so the record was not written (no view could see it):\n"
        f"{shown[1]}\nFix the file as said above, confirm with zjtrack check, then record again.",
        problems=problems,
    )


def _create(path: Path, data: bytes) -> bool:
    """Create `path` holding `data` in one step (atomic.write_atomic, create-only), so a crash
    never leaves an empty or half-written file. False if another writer created it first: the
    caller then appends."""
    try:
        write_atomic(path, data, replace=False)
    except FileExistsError:
        return False
    return True
