"""Byte-level mutations of a valid file, shared by tests/test_fuzz.py (drawn by hypothesis) and
benchmarks/fuzz_campaign.py (drawn by a seeded random generator, for long runs).

An operation is a tuple: (name, position, argument). Positions are taken modulo the data's length
(or its number of lines), so any integer is valid and shrinking works well.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

# YAML's indicators and the constructs the format forbids, as fragments to drop anywhere.
SYNTAX: tuple[bytes, ...] = (
    b":",
    b": ",
    b"-",
    b"- ",
    b"? ",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"#",
    b"&a ",
    b"*a",
    b"!",
    b"!!python/object ",
    b"|",
    b">",
    b"'",
    b'"',
    b"%",
    b"@",
    b"`",
    b"\t",
    b"\n",
    b"\r",
    b"\r\n",
    b"---\n",
    b"...\n",
    b"<<: ",
    b"\\",
    b" ",
    b"  ",
    b"~",
    b"null",
    b"true",
    b"no",
    b"010",
    b"1_000",
    b"9:30",
    b"2025-02-30",
    b"\xef\xbb\xbf",
)
OPS = (
    "flip",
    "delete-line",
    "duplicate-line",
    "swap-tokens",
    "insert-syntax",
    "insert-text",
    "truncate",
    "delete-bytes",
)
_TOKEN = re.compile(rb"[^\s:,\[\]{}\-#]+")

Op = tuple[str, int, object]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def apply(data: bytes, ops: Sequence[Op]) -> bytes:
    """`data` with each operation applied in turn."""
    for name, at, arg in ops:
        data = apply_one(data, name, at, arg)
    return data


def apply_one(data: bytes, name: str, at: int, arg: object) -> bytes:
    n = len(data)
    if name == "flip":  # one byte replaced by another
        if not n:
            return data
        i = at % n
        return data[:i] + bytes([int(arg) % 256]) + data[i + 1 :]  # type: ignore[call-overload]
    if name in ("delete-line", "duplicate-line"):
        lines = _lines(data)
        i = at % len(lines)
        if name == "delete-line":
            del lines[i]
        else:
            lines.insert(i, lines[i])
        return b"".join(lines)
    if name == "swap-tokens":  # two words (keys, values, numbers) change places
        tokens = list(_TOKEN.finditer(data))
        if len(tokens) < 2:
            return data
        a, b = sorted((at % len(tokens), int(arg) % len(tokens)))  # type: ignore[call-overload]
        if a == b:
            return data
        ta, tb = tokens[a], tokens[b]
        return data[: ta.start()] + tb[0] + data[ta.end() : tb.start()] + ta[0] + data[tb.end() :]
    if name == "insert-syntax":
        i = at % (n + 1)
        return data[:i] + SYNTAX[int(arg) % len(SYNTAX)] + data[i:]  # type: ignore[call-overload]
    if name == "insert-text":  # any Unicode text, as UTF-8
        i = at % (n + 1)
        chunk = arg.encode("utf-8", "surrogatepass") if isinstance(arg, str) else bytes(arg)  # type: ignore[arg-type]
        return data[:i] + chunk + data[i:]
    if name == "truncate":
        return data[: at % (n + 1)]
    if name == "delete-bytes":
        i = at % (n + 1)
        return data[:i] + data[i + int(arg) % 16 + 1 :]  # type: ignore[call-overload]
    raise ValueError(name)


_ALPHABET = "甲乙丙丁：，、。“”《》〔〕（）\u3000\u00a0\u200b\u202e\u2028\x85\ufeffé\U0001f600\x1b\x00\t\r\n ab19-:#"


def random_text(rng: random.Random) -> str:
    size = rng.choice((1, 1, 2, 3, 8, 40))
    if rng.random() < 0.3:  # any code point, surrogates included (written with surrogatepass)
        return "".join(chr(rng.randrange(0x110000)) for _ in range(size))
    return "".join(rng.choice(_ALPHABET) for _ in range(size))


def random_ops(rng: random.Random, max_ops: int = 4) -> list[Op]:
    ops: list[Op] = []
    for _ in range(rng.randint(1, max_ops)):
        name = rng.choice(OPS)
        at = rng.randrange(1 << 30)
        arg: object = rng.randrange(1 << 16)
        if name == "insert-text":
            arg = random_text(rng)
        ops.append((name, at, arg))
    return ops
