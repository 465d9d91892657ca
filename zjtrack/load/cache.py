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
- a progress file that records were appended to (`appended`) is stored as two parts: the
  content its entry last encoded whole, kept as it was, and the records appended since, encoded
  alone (`put`): a run after one record is appended encodes the few records of the tail, not
  the file's thousand; past `MAX_TAIL` records the content is encoded whole again;
- cross-file checks (duplicate ids, unit references, progress against targets) are never cached:
  they run on every call, so the cache cannot hide a problem `check` would report. What `check`
  needs of a file (its own problems, the file-local checks' findings and its id columns, see
  `crosscheck`) is a second, small entry beside the parse entry (`.facts`), written from the
  same bytes and trusted by the same rule, so that a warm `check` never decodes the model.

Where it lives, and why nothing in it can run code or reach outside it:

- in the user's cache folder, never in a repository (a commit cannot plant an entry):
  `$ZJTRACK_CACHE_DIR`, else `$XDG_CACHE_HOME/zjtrack`, else `~/.cache/zjtrack` (on Windows
  `%LOCALAPPDATA%\\zjtrack`), made 0700, with a folder per repository keyed by a hash of its
  resolved path. An old `.zjtrack-cache/` inside a repository is never read;
- an entry is data only: builtin values written by `marshal` through `codec` (no pickle: no
  class or function is named in it), and sealed (`seal`): an HMAC-SHA256 under a random key of
  the user's own, kept 0600 in the cache folder, is verified before anything is decoded. An
  entry from another user or machine, damaged by one bit, of another version or of the wrong
  shape is ignored, silently, and the file parsed again;
- entries are read as regular files only (`files.read_regular`: no link followed, no FIFO
  waited on); a link or anything but a folder of the user's own where a cache folder should be
  turns the cache off for the run. Entries are written under unpredictable names (O_EXCL) and
  renamed into place, so two processes never see half an entry; temporary files left by a
  killed run (`.tmp-PID-*`) are removed by the next one once their process is gone or they are a
  minute old.

`ZJTRACK_NO_CACHE=1` or `--no-cache` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import time
from typing import TYPE_CHECKING, NamedTuple

from . import files

if TYPE_CHECKING:
    from .content import FileContent

FORMAT = 5  # 5: marshal through codec, sealed, in the user's cache folder (4 and before: pickle)
RACY_NS = 2 * 10**9  # a file changed less than this before it was last looked at is re-hashed
# Windows reports a file's creation time as st_ctime, which no write moves: there every file is
# read and hashed, as before stat trust existed.
STAT_TRUST = os.name != "nt"
ENTRY_LIMIT = 512 * 1024 * 1024  # far above any entry of a file the loader accepts
STALE_TMP_S = 60  # a temporary file this old is litter even if its process still runs
TMP_PREFIX = ".tmp-"
MAX_TAIL = 256  # records appended since a content was encoded whole, kept apart (`put`)
ENTRY = ".entry"  # a file's parsed content (`codec`, or `Stored` parts of it)
FACTS = ".facts"  # what `check` needs of a file (`crosscheck`), beside its entry


def cache_dir() -> str:
    """The user's cache folder for zjtrack (see the module docstring); never in a repository.
    Paths here are strings (`os.path`): importing `pathlib` took about 3 ms of every run."""
    configured = os.environ.get("ZJTRACK_CACHE_DIR")
    if configured:
        return configured
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "zjtrack")
    local = os.environ.get("LOCALAPPDATA")
    if os.name == "nt" and local:
        return os.path.join(local, "zjtrack")
    return os.path.join(os.path.expanduser("~"), ".cache", "zjtrack")


def enabled() -> bool:
    return os.environ.get("ZJTRACK_NO_CACHE", "") not in ("1", "true", "yes")


_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """Changes whenever any module of zjtrack changes (size and mtime of every source file)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        found: list[str] = []
        folders = [""]  # walked with scandir: `Path.rglob` took a few ms of every run
        while folders:
            folder = folders.pop()
            with os.scandir(os.path.join(here, folder)) as entries:
                for e in entries:
                    name = os.path.join(folder, e.name)
                    if e.is_dir() and not e.is_symlink():
                        folders.append(name)
                    elif e.name.endswith(".py"):
                        st = os.stat(e.path)
                        found.append(f"{name}:{st.st_size}:{st.st_mtime_ns};")
        h = hashlib.blake2b(digest_size=12)
        h.update(f"{FORMAT}".encode())
        for line in sorted(found):
            h.update(line.encode())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT


def digest(data: bytes) -> str:
    """What identifies a file's bytes in an entry (the key of `get`, `content_of` and `put`)."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


# What an entry stores of a file's content: `codec` bytes, or two of them (a content encoded
# whole, then the records appended after it, encoded alone: `put`).
Stored = bytes | tuple[bytes, ...]


class Earlier(NamedTuple):
    """The cached content of a file's earlier bytes (`FileCache.earlier`): how many bytes, their
    content, the entry's stored form of it, and how many of its records the part encoded whole
    holds (the rest are the tail `put` encodes again with the records appended after)."""

    size: int
    content: FileContent
    stored: Stored
    whole: int


class _Entry:
    """An entry's header, verified and read; its content is decoded only when used."""

    __slots__ = ("data", "digest", "seen_ns", "stat")

    def __init__(self, stat: tuple[int, ...], digest: str, seen_ns: int, data: Stored) -> None:
        self.stat = stat
        self.digest = digest
        self.seen_ns = seen_ns
        self.data = data


class FileCache:
    """Per-file entries in the user's cache folder `root`, a sub-folder per repository."""

    def __init__(self, root: str | os.PathLike[str], racy_ns: int = RACY_NS) -> None:
        self.base = os.fspath(root)
        self.root = os.path.join(self.base, f"v{FORMAT}")
        self.fingerprint = code_fingerprint()
        self.racy_ns = racy_ns
        self.hits = 0
        self.misses = 0
        self.reads = 0  # files read and hashed (the rest were trusted by their stat)
        self._key: bytes | None = None
        self._broken = False  # the folder or key cannot be used: no cache this run
        self._folders: dict[str, str] = {}  # a file's folder -> its repository's entry folder
        self._ready: set[str] = set()

    # --- where --------------------------------------------------------------------------------
    def key(self) -> bytes | None:
        """The user's sealing key (None when the cache folder cannot be used)."""
        if self._key is None and not self._broken:
            from .seal import machine_key

            try:
                key = machine_key(self.base)
                sweep(self.base)  # a key's temporary file, if a run was killed making one
                files.private_folder(self.root)  # refuses a link: then no cache, not a detour
                self._drop_old_formats()
            except OSError:
                self._broken = True
            else:
                self._key = key  # only once every step held: a failed one leaves no key to use
        return self._key

    def _drop_old_formats(self) -> None:
        """Remove the entries of earlier formats (never read again): folders `v1` … `v{FORMAT-1}`
        that hold nothing but zjtrack's own layout. The cache folder may be one the user named
        (ZJTRACK_CACHE_DIR): anything else in it is left alone."""
        try:
            with os.scandir(self.base) as entries:
                old = [
                    e.path
                    for e in entries
                    if e.name[:1] == "v" and _number(e.name[1:]) in range(1, FORMAT)
                ]
        except OSError:  # a folder that cannot be listed: nothing to remove, the cache still works
            return
        for folder in old:
            if _only_entries(folder):
                import shutil  # once, after an upgrade

                shutil.rmtree(folder, ignore_errors=True)

    def folder_of(self, path: str) -> str:
        """The entry folder of the repository `path` belongs to (or of its folder, if none)."""
        parent = os.path.dirname(os.path.abspath(path))
        folder = self._folders.get(parent)
        if folder is None:
            from .loader import find_root

            repo = find_root(path) or os.path.realpath(parent)
            folder = self._folders[parent] = os.path.join(self.root, _hash(repo))
        return folder

    def _entry_path(self, path: str, suffix: str = ENTRY) -> str:
        return os.path.join(self.folder_of(path), f"{_hash(os.path.abspath(path))}{suffix}")

    def _prepare(self, folder: str) -> bool:
        """Make the repository's entry folder (0700, no link) and sweep its litter, once a run."""
        if folder in self._ready:
            return True
        try:
            files.private_folder(folder)
        except OSError:
            return False
        sweep(folder)
        self._ready.add(folder)
        return True

    # --- reading ------------------------------------------------------------------------------
    def _read(self, path: str) -> tuple[bytes, str] | None:
        """The file's bytes (a regular file, within the size limit) and their hash, or None."""
        try:
            data, _ = files.read_regular(path, files.MAX_BYTES)
        except OSError:
            return None
        self.reads += 1
        return data, digest(data)

    def _trusted(self, entry: _Entry, st: os.stat_result) -> bool:
        """Git's index rule: the file has the stat the entry saw, and that stat was older than
        the racy margin when the entry was written (a change within the same tick would not
        show in the stat)."""
        return (
            STAT_TRUST
            and entry.stat == _stat_key(st)
            and max(st.st_ctime_ns, st.st_mtime_ns) < entry.seen_ns - self.racy_ns
        )

    def get(
        self, path: str, st: os.stat_result, seen_ns: int
    ) -> tuple[FileContent | None, bytes | None, str | None]:
        """The cached content if the file is unchanged; else the bytes and their hash (read once,
        reused by the caller to parse). `seen_ns`: the clock just before `st` was taken."""
        entry = self._read_entry(path)
        if entry is not None and self._trusted(entry, st):
            content = _decode(entry.data)
            if content is not None:
                self.hits += 1
                return content, None, None
        read = self._read(path)
        if read is None:
            return None, None, None
        data, digest = read
        if entry is not None and entry.digest == digest:
            content = _decode(entry.data)
            if content is not None:
                self.hits += 1
                self._write(path, st, seen_ns, digest, entry.data)  # new stat: trusted next time
                return content, None, None
        self.misses += 1
        return None, data, digest

    def get_facts(
        self, path: str, st: os.stat_result, seen_ns: int
    ) -> tuple[bytes | None, bytes | None, str | None]:
        """The file's `.facts` payload if the file is unchanged (by the same rule as `get`);
        else the file's bytes and their hash, for the caller to derive and `put_facts` them."""
        entry = self._read_entry(path, FACTS)
        facts = entry.data if entry is not None else None
        if entry is not None and isinstance(facts, bytes) and self._trusted(entry, st):
            self.hits += 1
            return facts, None, None
        read = self._read(path)
        if read is None:
            return None, None, None
        data, digest = read
        if entry is not None and isinstance(facts, bytes) and entry.digest == digest:
            self.hits += 1
            self._write(path, st, seen_ns, digest, facts, FACTS)  # trusted by stat next time
            return facts, None, None
        self.misses += 1
        return None, data, digest

    def earlier(self, path: str, data: bytes) -> Earlier | None:
        """The content cached for the file when its bytes were a beginning of `data` (what it
        held before something was appended), with the length of those bytes."""
        entry = self._read_entry(path)
        if entry is None:
            return None
        size = entry.stat[0]
        if not 0 < size < len(data) or digest(data[:size]) != entry.digest:
            return None
        decoded = _decode_counted(entry.data)
        return None if decoded is None else Earlier(size, decoded[0], entry.data, decoded[1])

    def content_of(self, path: str, digest: str) -> FileContent | None:
        """The parsed content cached for exactly these bytes (their `digest`), if any."""
        entry = self._read_entry(path)
        if entry is None or entry.digest != digest:
            return None
        return _decode(entry.data)

    def put_facts(
        self, path: str, st: os.stat_result, seen_ns: int, digest: str, data: bytes
    ) -> None:
        self._write(path, st, seen_ns, digest, data, FACTS)

    def _read_entry(self, path: str, suffix: str = ENTRY) -> _Entry | None:
        from .seal import unseal

        key = self.key()
        if key is None:
            return None
        entry_path = self._entry_path(path, suffix)
        if not self._prepare(os.path.dirname(entry_path)):
            return None
        try:
            blob, _ = files.read_regular(entry_path, ENTRY_LIMIT)
        except OSError:  # missing, a link, a FIFO...: rebuilt
            return None
        payload = unseal(blob, key)
        if payload is None:  # another user's or machine's, or damaged
            return None
        try:
            fingerprint, entry_of, stat, digest, seen_ns, data = marshal.loads(payload)
        except Exception:  # sealed by this user, but not by this code: any doubt is a re-parse
            return None
        if (
            fingerprint != self.fingerprint
            or entry_of != path
            or type(stat) is not tuple
            or type(digest) is not str
            or type(seen_ns) is not int
            or not (type(data) is bytes or _is_parts(data))
        ):
            return None
        return _Entry(stat, digest, seen_ns, data)

    # --- writing ------------------------------------------------------------------------------
    def put(
        self,
        path: str,
        st: os.stat_result,
        seen_ns: int,
        digest: str,
        content: FileContent,
        earlier: Earlier | None = None,
    ) -> None:
        """Store the file's `content`. Given `earlier` (the content is its content followed by
        records appended after its bytes, as `appended.read_appended` makes it), the part of its
        entry encoded whole is kept as it is, and the records after it (its tail and the ones
        appended) are encoded alone, up to `MAX_TAIL` of them."""
        from ..model import history_of
        from .codec import Unencodable, encode
        from .content import FileContent

        tail = content.records[earlier.whole :] if earlier is not None else []
        try:
            if earlier is not None and 0 < len(tail) <= MAX_TAIL:
                stored = earlier.stored
                whole = stored if isinstance(stored, bytes) else stored[0]
                data: Stored = (whole, encode(FileContent(records=tail, history=history_of(tail))))
            else:
                data = encode(content)
        except Unencodable:  # a value the codec does not know: parsed every time, never wrong
            return
        self._write(path, st, seen_ns, digest, data)

    def _write(
        self,
        path: str,
        st: os.stat_result,
        seen_ns: int,
        digest: str,
        data: Stored,
        suffix: str = ENTRY,
    ) -> None:
        from .seal import seal

        key = self.key()
        if key is None:
            return
        entry_path = self._entry_path(path, suffix)
        if not self._prepare(os.path.dirname(entry_path)):
            return
        payload = marshal.dumps((self.fingerprint, path, _stat_key(st), digest, seen_ns, data))
        with contextlib.suppress(OSError):  # a read-only or full disk only costs speed
            write_entry(entry_path, seal(payload, key))


def _is_parts(data: object) -> bool:
    return type(data) is tuple and len(data) == 2 and all(type(part) is bytes for part in data)


def _decode(data: Stored) -> FileContent | None:
    decoded = _decode_counted(data)
    return None if decoded is None else decoded[0]


def _decode_counted(data: Stored) -> tuple[FileContent, int] | None:
    try:
        return _decoded(data)
    except Exception:  # written by this code and sealed, so only a bug gets here: re-parse
        return None


def _decoded(data: Stored) -> tuple[FileContent, int]:
    """The content an entry stores, and how many of its records were encoded whole: one `codec`
    encoding, or the two parts `put` keeps for a file that records were appended to (a content
    encoded whole, then the records after it; both records only and without a problem), read
    as `appended.read_appended` reads the file: the records of both, their histories merged.
    Raises."""
    from ..model import merge_histories
    from .codec import decode
    from .content import FileContent

    if isinstance(data, bytes):
        content = decode(data)
        return content, len(content.records)
    whole, tail = map(decode, data)  # raises unless two parts
    if any(c.problems or not c.records_only() for c in (whole, tail)):
        raise ValueError("an appended entry holds what an appended read never makes")
    records = whole.records + tail.records
    history = merge_histories([whole.history, tail.history])
    return FileContent(records=records, history=history), len(whole.records)


def write_entry(path: str, blob: bytes) -> None:
    """Put `blob` at `path` under an unpredictable temporary name (`_create_temporary`), then
    rename: the name itself is replaced, never what a link there points to. No fsync: a torn
    entry after a crash fails its seal and is rebuilt."""
    write_pieces(path, [blob])


class Copied(NamedTuple):
    """`length` bytes at `offset` of the open file `fd`, copied into a file `write_pieces` writes
    (by the kernel where it can: `os.copy_file_range`)."""

    fd: int
    offset: int
    length: int


def write_pieces(path: str, pieces: list[bytes | memoryview | Copied]) -> None:
    """`write_entry` of the bytes `pieces` hold end to end. Raises OSError, and writes nothing,
    when a `Copied` piece's file holds fewer bytes than it names."""
    fd, tmp = _create_temporary(os.path.dirname(path))
    try:
        try:
            for piece in pieces:
                if isinstance(piece, Copied):
                    _copy(piece, fd)
                else:
                    _write_all(fd, piece)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _copy(piece: Copied, out: int) -> None:
    """Append `piece` to the file open at `out` (at its position)."""
    offset, left = piece.offset, piece.length
    copy_range = getattr(os, "copy_file_range", None)
    while left > 0:
        if copy_range is not None:
            try:
                done = copy_range(piece.fd, out, left, offset)
            except OSError:  # another file system, an old kernel: by hand from now on
                done = 0
            if done <= 0:  # (some file systems copy nothing rather than refuse)
                copy_range = None
                continue
        else:
            data = os.pread(piece.fd, min(left, 1 << 20), offset)
            _write_all(out, data)
            done = len(data)
        if done <= 0:
            raise OSError(f"{piece.length - left} of {piece.length} bytes copied")
        offset, left = offset + done, left - done


_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | files.NOFOLLOW | files.BINARY
_CREATE_FLAGS |= getattr(os, "O_CLOEXEC", 0)


def _create_temporary(folder: str) -> tuple[int, str]:
    """A new file in `folder` named `.tmp-PID-RANDOM` (128 random bits), opened for writing as
    `tempfile.mkstemp` opens one: O_EXCL (a name someone planted, a link too, is never opened:
    another is drawn), O_NOFOLLOW, mode 0600. Not `tempfile` itself: importing it (with `shutil`
    and `random`) took about 2.5 ms of every run that writes an entry."""
    prefix = f"{TMP_PREFIX}{os.getpid()}-"
    for _ in range(100):
        name = os.path.join(folder, prefix + os.urandom(16).hex())
        try:
            return os.open(name, _CREATE_FLAGS, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _number(text: str) -> int | None:
    """`text` as a number of ASCII digits, else None (`int` takes other digits too: `v²`)."""
    return int(text) if text.isascii() and text.isdigit() else None


def _only_entries(folder: str) -> bool:
    """Whether `folder` (not a link) holds only what a cache of some format made: entries
    (`.entry`, `.facts`, `.pickle`) and temporary files, directly or in per-repository folders named by a
    hash."""

    def entry(e: os.DirEntry[str]) -> bool:
        ours = e.name.endswith((ENTRY, FACTS, ".pickle")) or bool(_TMP_NAME.match(e.name))
        return ours and e.is_file(follow_symlinks=False)

    try:
        if os.path.islink(folder) or not os.path.isdir(folder):
            return False
        for child in os.scandir(folder):
            if child.is_dir(follow_symlinks=False) and _REPO_NAME.fullmatch(child.name):
                if not all(entry(e) for e in os.scandir(child.path)):
                    return False
            elif not entry(child):
                return False
    except OSError:
        return False
    return True


_REPO_NAME = re.compile(r"[0-9a-f]{32}")
_TMP_NAME = re.compile(re.escape(TMP_PREFIX) + r"\d+-")


def sweep(folder: str, now: float | None = None) -> int:
    """Remove temporary files a killed run left in `folder` (only names zjtrack makes,
    `.tmp-PID-…`): those whose process is gone, and any a minute old. Returns how many were
    removed."""
    removed = 0
    now = time.time() if now is None else now
    try:
        names = [e for e in os.scandir(folder) if _TMP_NAME.match(e.name)]
    except OSError:
        return 0
    for e in names:
        try:
            old = now - e.stat(follow_symlinks=False).st_mtime > STALE_TMP_S
            if old or not _alive(e.name):
                os.unlink(e.path)  # a name in our own folder: a link there is removed, not followed
                removed += 1
        except OSError:
            continue
    return removed


def _alive(name: str) -> bool:
    """Whether the process that named the temporary file `.tmp-PID-...` still runs."""
    if os.name == "nt":  # os.kill there ends the process: only the file's age counts
        return True
    pid = name[len(TMP_PREFIX) :].split("-", 1)[0]
    if not pid.isdigit() or int(pid) <= 0:
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
