"""The one way zjtrack puts a whole file in place: `write_atomic`.

Every file zjtrack writes whole (a new progress file, `report -o`, `import`, `init`) goes through
here; appending to a progress file is the journal's own job (store/journal.py).

How, and why:

- The data goes into a temporary file in the destination's own folder (same file system, so the
  final step is a rename, not a copy), made by `tempfile.mkstemp`: an unpredictable name opened with
  O_CREAT | O_EXCL, so a file or symlink planted at a guessable name is never opened or followed.
- It is written whole, its permission bits set, and fsynced before it gets its real name, so a
  crash leaves either the old content or the new, never a half-written or empty file.
- Then `os.replace` (replace=True) or `os.link` (replace=False: create only, atomically refused
  with FileExistsError when anything, even a dangling symlink, holds the name, so that of several
  writers creating one file exactly one wins). Neither follows a symlink at the destination.
- On replace, a destination that exists must be a regular file: a symlink, a folder, a FIFO or a
  device is refused (OSError) rather than replaced, so `-o` never silently turns a link into a
  copy or writes somewhere the link points. The check and the rename are two steps, but a link
  swapped in between is itself replaced, never followed: the race can only cost the link.
- The folder is fsynced after the rename (best effort), so the new name survives a crash too.
- On any failure (an exception, Ctrl-C, a full disk) the temporary file is removed and the
  destination is left as it was. A SIGKILL can leave a `.NAME.zjtrack-PID-XXXXXXXX.tmp` beside
  it; nothing reads those, and `remove_stale` (called by every write into the folder) removes
  the ones whose writer is provably gone: its process no longer runs, or the file is older than
  STALE_SECONDS.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

# A temporary file of this age is stale whoever made it: no write takes an hour.
STALE_SECONDS = 3600
# ... and one whose process is gone is stale once this old (a grace for a process of the same
# number on another machine sharing the folder, whose write takes milliseconds).
DEAD_GRACE_SECONDS = 10
# `.NAME.zjtrack-PID-RANDOM.tmp`: ours, and whose (mkstemp's RANDOM is 8 of [a-z0-9_]).
_TEMPORARY = re.compile(r"\..+\.zjtrack-(\d+)-[a-z0-9_]{8}\.tmp\Z")


# Most file systems allow 255 bytes in a name; a destination that uses them all still gets a
# temporary name that fits, its own name cut short in it (the temporary name is never shown).
NAME_MAX = 255


def temporary_prefix(name: str) -> str:
    """The prefix of the temporary names made for destination `name` (mkstemp adds RANDOM.tmp),
    at most NAME_MAX bytes in all."""
    tail = f".zjtrack-{os.getpid()}-"
    room = NAME_MAX - 1 - len(tail) - 8 - len(".tmp")
    cut = name.encode("utf-8", "surrogateescape")[:room].decode("utf-8", "ignore")
    return f".{cut}{tail}"


def write_atomic(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Put `data` at `path` in one step (see the module docstring).

    replace=True: an existing regular file is replaced, keeping its permission bits; anything
    else at `path` is refused with OSError. replace=False: create only; FileExistsError if `path`
    exists in any form. New files get 0o666 less the umask, as `open()` would give them.
    Raises OSError, with `path` left exactly as it was, on any failure."""
    directory = path.parent
    mode = _new_file_mode()
    if replace:
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            pass
        else:
            if stat.S_ISLNK(st.st_mode):
                raise OSError(errno.ELOOP, "is a symbolic link; not followed", str(path))
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            if not stat.S_ISREG(st.st_mode):
                raise OSError(errno.EINVAL, "not a regular file", str(path))
            mode = stat.S_IMODE(st.st_mode)
    remove_stale(directory)
    fd, tmp = tempfile.mkstemp(prefix=temporary_prefix(path.name), suffix=".tmp", dir=directory)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if written <= 0:  # pragma: no cover - os.write raises rather than return 0
                    raise OSError(errno.EIO, "short write", tmp)
                view = view[written:]
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # FileExistsError when the name is taken, even by a symlink
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if not replace:  # the data is in place under its name: the temporary name only goes
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _sync_folder(directory)


def remove_stale(directory: Path, now: float | None = None) -> list[str]:
    """Remove the temporary files a killed writer left in `directory` (only zjtrack's own names,
    only regular files, only provably stale ones: see the module docstring). Returns the names
    removed; never raises (litter is not worth failing a write over)."""
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMPORARY.match(entry.name)
        if not m:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            age = now - st.st_mtime
            gone = age > DEAD_GRACE_SECONDS and not _running(int(m[1]))
            if stat.S_ISREG(st.st_mode) and (age > STALE_SECONDS or gone):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this number runs on this machine (True when unsure)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # EPERM: it runs, as another user
        return True
    return True


def _new_file_mode() -> int:
    """0o666 less the process umask (read by setting it and setting it back)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(directory: Path) -> None:
    """fsync a folder so that a rename or link in it is durable; not every platform can."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
