"""A cache of parsed task files, so that unchanged files are not parsed again.

What one file yields (its document, units, records, config and its own problems) is a pure
function of the file's path, its bytes and zjtrack's code. The cache stores exactly that, one entry
per file, keyed by the path and checked against the hash of the file's bytes:

- a file is trusted without being read when its size, mtime, ctime and inode all equal the
  entry's and its ctime and mtime are older, by a safe margin, than the moment just before the
  entry's stat was taken (git's index rule; measured from before the stat, so a slow parse cannot
  use up the margin). Every write, and every `touch -d` or `os.utime` too, sets the ctime to the
  current time, which no user can set back; the margin covers file systems with coarse
  timestamps (1 s, FAT's 2 s), where a second write in the same tick as the first could keep
  every stamp (git's "racy" case). Any other file is read and hashed (BLAKE2b): the same bytes
  are a hit, and the entry is refreshed so the next run can trust it by its stat. At a province
  this saves reading and hashing 18 MB (about 45 ms). On Windows, whose st_ctime is the creation
  time, every file is read and hashed;
- entries carry a fingerprint of zjtrack's own source, so a new version never reads old entries;
- entries are written to a temporary file and renamed into place, so two processes running at
  once never see half an entry; any unreadable entry is ignored and rebuilt;
- cross-file checks (duplicate ids, unit references, progress against targets) are never cached:
  they run on every call, so the cache cannot hide a problem `check` would report.

The cache lives in `.zjtrack-cache/` in the working directory (or `ZJTRACK_CACHE_DIR`), with a
`.gitignore` of `*` so git ignores it; `ZJTRACK_NO_CACHE=1` or `--no-cache` turns it off.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import model, problems

if TYPE_CHECKING:
    from .reader import FileContent

FORMAT = 4
RACY_NS = 2 * 10**9  # a file changed less than this before it was last looked at is re-hashed
# Windows reports a file's creation time as st_ctime, which no write moves: there every file is
# read and hashed, as before stat trust existed.
STAT_TRUST = os.name != "nt"


def _reduce(value: tuple[Any, ...]) -> tuple[Any, ...]:
    """Pickle a named tuple as `tuple.__new__(cls, fields)`: one C call per value when restored,
    no Python-level __new__ (a province's cache restores about a million of them)."""
    return (tuple.__new__, (type(value), tuple(value)))


for _cls in (
    model.Pos,
    model.When,
    model.Name,
    model.Unit,
    model.Member,
    model.WorkGroup,
    model.Responsibility,
    model.Extension,
    model.Target,
    model.Measure,
    model.Document,
    model.ProgressRecord,
    model.Config,
    model.Decision,
    problems.Problem,
):
    copyreg.pickle(_cls, _reduce)


def cache_dir() -> Path:
    return Path(os.environ.get("ZJTRACK_CACHE_DIR") or ".zjtrack-cache")


def enabled() -> bool:
    return os.environ.get("ZJTRACK_NO_CACHE", "") not in ("1", "true", "yes")


_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """Changes whenever any module of zjtrack changes (size and mtime of every source file)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        here = Path(__file__).resolve().parent
        h = hashlib.blake2b(digest_size=12)
        h.update(f"{FORMAT}".encode())
        for p in sorted(here.rglob("*.py")):
            st = p.stat()
            h.update(f"{p.relative_to(here)}:{st.st_size}:{st.st_mtime_ns};".encode())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT


class FileCache:
    """Per-file entries in one directory."""

    def __init__(self, root: Path, racy_ns: int = RACY_NS) -> None:
        self.root = root / f"v{FORMAT}"
        self.fingerprint = code_fingerprint()
        self.racy_ns = racy_ns
        self.hits = 0
        self.misses = 0
        self.reads = 0  # files read and hashed (the rest were trusted by their stat)
        self._ready = False

    def _entry_path(self, path: str) -> Path:
        key = hashlib.blake2b(os.path.abspath(path).encode(), digest_size=16).hexdigest()
        return self.root / f"{key}.pickle"

    def get(
        self, path: str, st: os.stat_result, seen_ns: int
    ) -> tuple[FileContent | None, bytes | None, str | None]:
        """The cached content if the file is unchanged; else the bytes and their hash (read once,
        reused by the caller to parse). `seen_ns`: the clock just before `st` was taken."""
        entry = self._read_entry(path)
        trusted = (
            STAT_TRUST
            and entry is not None
            and entry["stat"] == _stat_key(st)
            and (max(st.st_ctime_ns, st.st_mtime_ns) < entry["seen_ns"] - self.racy_ns)
        )
        if trusted:
            assert entry is not None
            self.hits += 1
            return entry["content"], None, None
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None, None, None
        self.reads += 1
        digest = hashlib.blake2b(data, digest_size=20).hexdigest()
        if entry is not None and entry["hash"] == digest:
            self.hits += 1
            self.put(
                path, st, seen_ns, digest, entry["content"]
            )  # same bytes, new stat: trusted next time
            return entry["content"], None, None
        self.misses += 1
        return None, data, digest

    def _read_entry(self, path: str) -> dict[str, Any] | None:
        try:
            with open(self._entry_path(path), "rb") as f:
                entry = pickle.load(f)
        except Exception:  # missing, truncated or from another version: rebuild
            return None
        if (
            not isinstance(entry, dict)
            or entry.get("fingerprint") != self.fingerprint
            or entry.get("path") != path
        ):
            return None
        return entry

    def put(
        self, path: str, st: os.stat_result, seen_ns: int, digest: str, content: FileContent
    ) -> None:
        try:
            if not self._ready:
                self.root.mkdir(parents=True, exist_ok=True)
                ignore = self.root.parent / ".gitignore"
                if not ignore.exists():
                    ignore.write_text(
                        "# zjtrack's cache of parsed task files\n*\n", encoding="utf-8"
                    )
                for old in self.root.parent.glob(
                    "v[0-9]*"
                ):  # entries of earlier formats: never read again
                    if old != self.root and old.name[1:].isdigit():
                        shutil.rmtree(old, ignore_errors=True)
                self._ready = True
            entry = {
                "fingerprint": self.fingerprint,
                "path": path,
                "stat": _stat_key(st),
                "hash": digest,
                "seen_ns": seen_ns,
                "content": content,
            }
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self._entry_path(path))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            pass  # a read-only or full disk only costs speed


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
