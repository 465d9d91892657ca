"""Sealed blobs: bytes that are trusted only if the key of the user who wrote them vouches for them.

What zjtrack keeps between runs (the parse cache, later the columnar snapshot) is decoded by
`marshal`, which is not safe against crafted or damaged input. So every blob carries an
HMAC-SHA256 of its payload under a random key of the user's own, kept 0600 in the cache folder:
a blob copied from elsewhere (another user, another machine, a commit) or changed by one bit does
not verify, and its reader parses again instead of decoding it.

    blob = MAGIC + mac(key, payload) + payload
"""

from __future__ import annotations

import hashlib
import hmac
import os

MAGIC = b"zjtrack-seal-1\n"
MAC_SIZE = hashlib.sha256().digest_size
KEY_FILE = "key"
KEY_SIZE = 32


def _mac(payload: bytes | memoryview, key: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


def mac(payload: bytes | memoryview, key: bytes) -> bytes:
    """The MAC of `payload` under `key` (for a part of a file whose MACs a sealed header lists:
    the columnar snapshot's sections)."""
    return _mac(payload, key)


def vouches(expected: bytes, payload: bytes | memoryview, key: bytes) -> bool:
    """Whether `expected` is the MAC of `payload` under `key` (compared in constant time)."""
    return hmac.compare_digest(expected, _mac(payload, key))


def seal(payload: bytes, key: bytes) -> bytes:
    """`payload` with its header and MAC."""
    return MAGIC + _mac(payload, key) + payload


def unseal(blob: bytes, key: bytes) -> memoryview | None:
    """The payload if `blob` was sealed with `key` and is intact (a view of `blob`: a snapshot's
    payload is megabytes, not copied); None otherwise."""
    head = len(MAGIC) + MAC_SIZE
    if len(blob) < head or not blob.startswith(MAGIC):
        return None
    payload = memoryview(blob)[head:]
    if not hmac.compare_digest(blob[len(MAGIC) : head], _mac(payload, key)):
        return None
    return payload


def machine_key(cache_folder: str | os.PathLike[str]) -> bytes:
    """The user's key in `cache_folder` (made 0700 if missing), created on first use (0600).

    A key file that is not a regular file of this user's with mode 0600 and the right size is
    replaced by a new key: what was sealed with the old one is then simply parsed again. Raises
    OSError when the folder cannot be made or the key cannot be read or written (the caller then
    runs without a cache)."""
    from .files import private_folder

    private_folder(cache_folder)
    path = os.path.join(cache_folder, KEY_FILE)
    key = _read_key(path)
    if key is not None:
        return key
    from .cache import write_entry  # only when a key is made: once per user

    key = os.urandom(KEY_SIZE)
    write_entry(path, key)  # as an entry is: a temporary file (0600), then renamed into place
    return _read_key(path) or key  # another process may have won the race: use its key


def _read_key(path: str) -> bytes | None:
    import stat

    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if (
            not stat.S_ISREG(st.st_mode)
            or st.st_size != KEY_SIZE
            or stat.S_IMODE(st.st_mode) & 0o077
            or (hasattr(os, "getuid") and st.st_uid != os.getuid())
        ):
            return None
        key = os.read(fd, KEY_SIZE + 1)
    finally:
        os.close(fd)
    return key if len(key) == KEY_SIZE else None
