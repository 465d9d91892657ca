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

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

from ..model import ProgressRecord
from ..text import yaml_quote
from .atomic import write_atomic

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
    return tasks_dir / "progress" / f"{document_id}.yaml"


def append(path: Path, document_id: str, record: ProgressRecord) -> None:
    """Append one record to `path` (created with its header if new). Raises OSError on failure,
    leaving the file as it was (or absent, if it was). Every record carries `recorded_at`: a
    writer that gives none gets the current time (to the second)."""
    import fcntl

    if record.recorded_at is None:
        record = record._replace(recorded_at=dt.datetime.now().replace(microsecond=0))

    path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(doc=document_id, doc_json=json.dumps(document_id, ensure_ascii=False))
    # Every record starts on a fresh line, whatever the file ends with: a hand edit appended
    # without a final newline, even one landing between our look and our write, stays intact.
    body = ("\n" + render_record(record)).encode("utf-8")
    if not path.exists() and _create(path, (header + "\n" + render_record(record)).encode("utf-8")):
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        data = (
            header.encode("utf-8") if size == 0 else b""
        ) + body  # an empty file gets its header
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(28, "short write (disk full?)")
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, size)  # leave the file exactly as it was
            raise
    finally:
        os.close(fd)  # closing releases the lock


def _create(path: Path, data: bytes) -> bool:
    """Create `path` holding `data` in one step (atomic.write_atomic, create-only), so a crash
    never leaves an empty or half-written file. False if another writer created it first: the
    caller then appends."""
    try:
        write_atomic(path, data, replace=False)
    except FileExistsError:
        return False
    return True


def append_many(path: Path, document_id: str, records: list[ProgressRecord]) -> None:
    """Append all of `records` to `path` in ONE write under the same lock and checks as `append`
    (`zjtrack intake`: the records of one returned form land together or not at all). Raises
    OSError on failure, leaving the file as it was (or absent, if it was)."""
    import fcntl

    if not records:
        return
    now = None
    ready = []
    for record in records:
        if record.recorded_at is None:
            now = now or dt.datetime.now().replace(microsecond=0)
            record = record._replace(recorded_at=now)
        ready.append(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(doc=document_id, doc_json=json.dumps(document_id, ensure_ascii=False))
    text = "".join("\n" + render_record(r) for r in ready)
    if not path.exists() and _create(path, (header + text).encode("utf-8")):
        return
    body = text.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        data = (header.encode("utf-8") if size == 0 else b"") + body
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(28, "short write (disk full?)")
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, size)  # leave the file exactly as it was
            raise
    finally:
        os.close(fd)  # closing releases the lock
