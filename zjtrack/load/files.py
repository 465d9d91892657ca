"""Reading only regular files, never blocking, never following a link, never without a bound.

Everything zjtrack reads from a repository (task, progress, units and config files) and from its
cache goes through `read_regular`: the file is opened with O_NOFOLLOW (a symbolic link is refused,
so `tasks/env.yaml -> /proc/self/environ` is never read) and O_NONBLOCK (a FIFO cannot hang the
open), then its kind and size are taken from the open descriptor (`fstat`), so what is checked is
what is read: a FIFO, a device or a socket is refused, and a file larger than the limit is
refused before its bytes are read.
"""

from __future__ import annotations

import contextlib
import os
import stat

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
BINARY = getattr(os, "O_BINARY", 0)
_READ_FLAGS = os.O_RDONLY | NOFOLLOW | NONBLOCK | BINARY
MAX_BYTES = 20 * 1024 * 1024  # per task file: a city's is ~50 KB, a province's largest a few MB

# What `kind_of` names, in the words of the `not-regular` problem (zh, en).
KIND_NAMES = {
    "symlink": ("符号链接", "a symbolic link"),
    "directory": ("文件夹", "a folder"),
    "fifo": ("命名管道（FIFO）", "a named pipe (FIFO)"),
    "device": ("设备文件", "a device"),
    "socket": ("套接字", "a socket"),
    "special": ("特殊文件", "a special file"),
}


class NotRegular(OSError):
    """A path that is a link, a folder or a special file: not read. `kind` names what it is."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(f"{path}: {kind}")
        self.path = path
        self.kind = kind


class TooLarge(OSError):
    """A regular file over the size limit: not read."""

    def __init__(self, path: str, size: int, limit: int) -> None:
        super().__init__(f"{path}: {size} bytes, limit {limit}")
        self.path = path
        self.size = size
        self.limit = limit


def line_breaks(data: bytes) -> int:
    """Line breaks as YAML counts them in UTF-8 bytes (so the lines of what follows are the
    file's): CR LF, CR and LF, and NEL, LS and PS, which the loader reports but YAML still
    counts."""
    return (
        data.count(b"\n")
        + data.count(b"\r")
        - data.count(b"\r\n")
        + data.count(b"\xc2\x85")
        + data.count(b"\xe2\x80\xa8")
        + data.count(b"\xe2\x80\xa9")
    )


def kind_of(mode: int) -> str:
    """What a non-regular file is, in the words of the problems catalogue (`not-regular`)."""
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special"


def read_regular(path: str | os.PathLike[str], limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `limit` bytes, and its stat taken on the open file.

    Raises NotRegular (a link, a folder, a FIFO, a device...), TooLarge, or OSError."""
    name = os.fspath(path)
    try:
        fd = os.open(name, _READ_FLAGS)
    except OSError as e:
        # O_NOFOLLOW refuses a link with ELOOP (EMLINK on some BSDs): say what it is.
        try:
            st = os.lstat(name)
        except OSError:
            raise e from None
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(name, kind_of(st.st_mode)) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(name, kind_of(st.st_mode))
        if st.st_size > limit:
            raise TooLarge(name, st.st_size, limit)
        chunks = []
        left = limit + 1  # one byte more than allowed: a file growing while read is caught
        # the whole file in one read when it is as its stat says (one buffer, no joining
        # copies: a province's snapshot is over 10 MB); a file that grew is read on in pieces
        step = max(st.st_size + 1, 1 << 20)
        while left > 0:
            chunk = os.read(fd, min(left, step))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise TooLarge(name, len(data), limit)
        return data, st
    finally:
        os.close(fd)


def private_folder(folder: str | os.PathLike[str]) -> None:
    """Make `folder` (and missing parents) as a folder of this user's only (0700), or check the
    one there: a link, another user's folder or one others can write to raises OSError, so that
    nothing in it can be planted by someone else, and nothing written into it lands outside it.
    An existing folder's mode is never changed (`ZJTRACK_CACHE_DIR=/tmp` must not close /tmp)."""
    with contextlib.suppress(FileExistsError):
        os.makedirs(folder, mode=0o700)  # the folder 0700; parents as the umask makes them
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise NotRegular(os.fspath(folder), kind_of(st.st_mode))
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or stat.S_IMODE(st.st_mode) & 0o022):
        raise PermissionError(f"{folder}: another user's, or writable by others")
