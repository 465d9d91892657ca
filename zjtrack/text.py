"""Text safety and terminal width: what every renderer needs before it writes user text."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable


class _Lazy:
    """A regular expression compiled the first time it is used: a run seldom needs most of these
    (printable text skips them), and compiling them all took about 1.7 ms of every start-up."""

    search: Callable[[str], re.Match[str] | None]
    match: Callable[[str], re.Match[str] | None]
    fullmatch: Callable[[str], re.Match[str] | None]
    sub: Callable[[str | Callable[[re.Match[str]], str], str], str]

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __getattr__(self, name: str) -> Any:  # the first use: the compiled methods from then on
        if name.startswith("__") or name == "pattern":  # not made yet: nothing to compile
            raise AttributeError(name)
        compiled = re.compile(self.pattern)
        for method in ("search", "sub", "match", "fullmatch"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


# C0/C1 controls (ESC starts ANSI/OSC sequences), bidi overrides and isolates, zero-width marks.
_UNSAFE = _Lazy(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\u206a-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def inert(text: str) -> str:
    """Text that cannot drive a terminal: controls and bidi marks shown as visible escapes.
    Printable text (`str.isprintable`, in C) holds nothing to escape: controls, bidi and
    zero-width marks, line and paragraph separators and surrogates are all unprintable
    (`tests/test_weekly_shared.py` checks every one), so it is returned as is, without a search."""
    if text.isprintable():
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


_YAML_RAW_UNSAFE = _Lazy("[\x7f-\x9f\u2028\u2029\ufeff]")


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`: JSON escapes (valid YAML),
    plus the characters YAML readers would refuse (C1 controls) or fold (U+2028/9) if written raw."""
    import json  # only when a file is written: the views never quote

    return _YAML_RAW_UNSAFE.sub(
        lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False)
    )


# what `one_line` changes: line breaks, tabs, and what `inert` escapes (one search for most texts,
# which hold none of them)
_NOT_ONE_LINE = _Lazy(f"[\t\n\r]|{_UNSAFE.pattern}")


def one_line(text: str) -> str:
    """Inert text on one line: newlines and tabs become spaces. Printable text holds neither
    (see `inert`): returned as is, without a search."""
    if text.isprintable() or not _NOT_ONE_LINE.search(text):
        return text
    return inert(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " "))


def plain_width(text: str, limit: int) -> int:
    """The width of `text` when a plain table's cell of at most `limit` cells shows it as it is
    (on one line and inert already, not clipped: `render.terminal.fit` gives it back unchanged);
    -1 when the cell differs from the text."""
    if not text.isprintable() and _NOT_ONE_LINE.search(text):
        return -1
    w = width(text)
    return w if w <= limit else -1


# Runs of characters that take two cells (East Asian Wide or Fullwidth, as `unicodedata` says of
# every one of them: tests/test_text.py checks): CJK punctuation, the unified ideographs, the
# fullwidth forms. Removed in one C call, they leave most Chinese text ASCII.
_COMMON_WIDE = _Lazy("[\u3000-\u303e\u4e00-\u9fff\uff01-\uff60]+")
_ASCII = _Lazy("[\x00-\x7f]+")


def width(text: str) -> int:
    """Display width in terminal cells: CJK characters take two."""
    if text.isascii():
        return len(text)
    rest = _COMMON_WIDE.sub("", text)
    wide = len(text) - len(rest)
    if rest.isascii():
        return 2 * wide + len(rest)
    other = _ASCII.sub("", rest)  # what is left to ask `unicodedata` about, one by one
    narrow = len(rest) - len(other)
    return (
        2 * wide + narrow + sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in other)
    )


# Chinese line breaking (禁则): what never starts a line, and what never ends one.
_NO_START = frozenset("，。、；：？！）」』】〕〉》”’…%％·—～,.;:?!)]}")
_NO_END = frozenset("（「『【〔〈《“‘([{")
# what a line is not broken inside: a run of Latin letters and digits with the character after
# it (its unit: `100家`, `2026年`, `15日`), a space, or one character
# (a progress bar with its percentage is one: `█████████░ 98.9%`)
_TOKEN = re.compile(
    r"[█░]+(?: +[0-9.]+%)?|[A-Za-z0-9.,:%+\-/_@#&=]+[^\x00-\x7f\s]?|\s+|.", re.DOTALL
)


def wrap(text: str, columns: int) -> list[str]:
    """`text` as lines of at most `columns` terminal cells (CJK two each), as Chinese is set: no
    line starts with a closing mark (`、` `）` `”`) or ends with an opening one (`（` `“`), and a
    run of Latin letters and digits with its unit (`2026-10-31`, `100家`, `quote`) is not split
    unless it is longer than a line; a space at a break is dropped. A text that fits is one
    line, as it is; a line break in it starts a line."""
    if "\n" in text:
        return [line for part in text.split("\n") for line in wrap(part, columns)]
    if columns < 4 or width(text) <= columns:
        return [text]
    lines: list[list[str]] = [[]]
    used = 0
    for token in _TOKEN.findall(text):
        w = width(token)
        if w > columns:  # longer than a line: by character
            for ch in token:
                used = _place(lines, ch, width(ch), used, columns)
            continue
        used = _place(lines, token, w, used, columns)
    return ["".join(line).rstrip() for line in lines if line]


def _place(lines: list[list[str]], token: str, w: int, used: int, columns: int) -> int:
    """Put `token` (`w` cells) on the last of `lines`, `used` cells full, or on a new line;
    the cells the last line then holds."""
    line = lines[-1]
    if used + w <= columns or not line:
        line.append(token)
        return used + w
    if token.isspace():
        lines.append([])
        return 0
    moved: list[str] = []
    if token[0] in _NO_START:  # down with it go the marks before it and one token more
        while len(line) > 1:
            moved.insert(0, line.pop())
            if moved[0][0] not in _NO_START:
                break
    while len(line) > 1 and line[-1] and line[-1][-1] in _NO_END:  # no opening mark at an end
        moved.insert(0, line.pop())
    if sum(map(width, moved)) + w > columns:  # a run of marks longer than a line: as it comes
        line += moved
        moved = []
    lines.append([*moved, token])
    return sum(map(width, lines[-1]))
