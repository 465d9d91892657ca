"""Column widths of printed tables (docx, xlsx, HTML), decided once.

A printed cell may wrap its text, but never inside a number, an id or a date: `339` must not
print as `33/9`, `100%` as `10/0%`, `hd-5-5` as `hd-/5-5`. So every column gets at least the
width of its longest unbreakable token (a run of Latin letters, digits and `.-%/:+`, or a Chinese
date like `2026年12月15日`), and a short status word stays whole; the header may wrap to two lines.
What is left goes to the text columns, in proportion to their weight and never beyond their longest
cell. Widths are in em of the table font (one CJK character is 1 em)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..table import NUMERIC, Table, TableRows, cell_text, weight

# Unbreakable runs: Latin/digit tokens (ids, numbers, percentages, ISO dates) and Chinese dates.
_TOKEN = re.compile(
    r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?[底初]?|[0-9A-Za-z][0-9A-Za-z.%+\-/:_]*%?|[—%]+"
)
_WHOLE = frozenset({*NUMERIC, "date", "tag"})  # formats whose short cells never wrap
_WHOLE_CAP = 7.0  # em: a whole cell longer than this may wrap (at its tokens)
_TOKEN_CAP = 16.0  # em: a token longer than this (a URL) may break
_SAMPLE = 400  # rows looked at per column: widths of a 50,000-row ledger need not read every row
_BOLD = 1.2  # a bold header's Latin letters against `text_em`'s regular ones
PAD = 0.8  # em of cell padding (HTML 2 x 5 px, docx 2 x 57 twips) and rounding slack per column


def text_em(text: str) -> float:
    """Printed width of a line in em: CJK and full-width characters 1, Latin ~0.6, wide Latin 0.9."""
    total = 0.0
    for ch in text:
        if ord(ch) < 0x80:
            total += 0.9 if ch in "%MWmw@" else 0.7 if ch.isupper() else 0.6
        elif unicodedata.east_asian_width(ch) in "WFA":
            total += 1.0
        else:
            total += 0.6
    return total


def _lines(text: str) -> list[str]:
    return text.split("\n") if "\n" in text else [text]


def token_em(text: str) -> float:
    """Width of the longest unbreakable token of a text."""
    return max((text_em(m) for m in _TOKEN.findall(text)), default=0.0)


class ColumnNeed(tuple[float, float, float]):
    """(minimum, natural, share) of one column in em: the least it may be, the width of its longest
    line, and its part of the room left to text columns (0 for columns that never wrap)."""

    __slots__ = ()

    @property
    def minimum(self) -> float:
        return self[0]

    @property
    def natural(self) -> float:
        return self[1]

    @property
    def share(self) -> float:
        return self[2]


def _whole_em(text: str) -> float:
    """A status or date cell stays whole while short; `逾期未完成（无进展数据）` wraps at its bracket."""
    main = text.split("（", 1)[0]
    return text_em(main) if text_em(main) <= _WHOLE_CAP else 0.0


def needs(table: Table) -> list[ColumnNeed]:
    """What each column of a table needs, from its header and (a sample of) its cells."""
    rows = table.rows[:_SAMPLE]
    out = []
    for col in table.columns:
        values = (
            rows.column(col.key) if isinstance(rows, TableRows) else [r.get(col.key) for r in rows]
        )
        label = col.label
        head = (
            max(2.0, -(-text_em(label) // 2))
            if col.format in _WHOLE or col.key in ("id", "no")
            else 2.0
        )
        # a header wraps between words, never inside one (`Comple/tion`); it is set in bold,
        # wider than `text_em` measures body text
        head = max(head, token_em(label) * _BOLD)
        least, natural, total = head, text_em(label), 0.0
        whole = col.format in _WHOLE or col.key == "id"
        measured: dict[str, tuple[float, float]] = {}  # a line's width and longest token
        for value in values:
            text = cell_text(value, col.format)
            for line in _lines(text):
                found = measured.get(line)
                if found is None:
                    tok = min(token_em(line), _TOKEN_CAP)
                    if whole:
                        tok = max(tok, _whole_em(line))
                    found = measured[line] = (text_em(line), tok)
                wide, tok = found
                natural = max(natural, wide)
                total += wide
                least = max(least, tok)
        # text columns share the room by how much they hold (so their cells wrap to about as
        # many lines), but each gets some: a column of short names still reads
        share = 0.0 if whole else max(weight(col), total / max(len(rows), 1))
        out.append(ColumnNeed((least + PAD, max(natural, least) + PAD, share)))
    return out


def min_total(cols: Sequence[ColumnNeed], text_floor: float = 4.0) -> float:
    """The least width a table may be printed at: every minimum, text columns at least `text_floor` em."""
    return sum(max(c.minimum, text_floor + PAD) if c.share else c.minimum for c in cols)


def widths(cols: Sequence[ColumnNeed], avail: float) -> list[float]:
    """Column widths in em summing to `avail` (more when the minimums alone exceed it)."""
    out = [c.minimum for c in cols]
    left = avail - sum(out)
    open_ = [i for i, c in enumerate(cols) if c.share and out[i] < c.natural]
    while left > 1e-6 and open_:
        total = sum(cols[i].share for i in open_)
        step = left
        for i in open_:
            give = min(left * cols[i].share / total, cols[i].natural - out[i])
            out[i] += give
            step -= give
        left = step
        open_ = [i for i in open_ if out[i] < cols[i].natural - 1e-6]
    if left > 1e-6:  # every text column has room for its longest line: spread the rest evenly
        total = sum(out)
        out = [w * avail / total for w in out]
    return out


def row_lines(cols: Sequence[ColumnNeed], widths: Sequence[float]) -> float:
    """About how many lines a row takes at these widths: the most any text column needs for its
    share (about its average cell); 1 where nothing wraps."""
    wraps = (c.share / max(w - PAD, 1.0) for c, w in zip(cols, widths, strict=True) if c.share)
    return max(1.0, max(wraps, default=1.0))


# a smaller size is taken when it makes a table at least this much shorter (小五 for 五号 alone
# makes it 9/10.5 as tall: not enough, a table that wraps no less reads better at 五号)
SHORTER = 0.8


def choose(
    cols: Sequence[ColumnNeed], options: Sequence[tuple[bool, float, float]], text_floor: float
) -> int:
    """Which of `options`, (landscape, size in pt, em across) in order of preference, a table is
    set in: the first where every column fits (`min_total` with text columns at least
    `text_floor`); then, on the same page, a smaller size where the table comes out shorter by
    `SHORTER` or more (a 督办清单 whose 责任单位 wraps to 13 lines at 五号 takes 小五, with room
    for 7). The last option when none fits."""
    need = min_total(cols, text_floor)
    first = next((i for i, (_, _, across) in enumerate(options) if need <= across), None)
    if first is None:
        return len(options) - 1
    page, size, across = options[first]

    def height(size: float, across: float) -> float:
        return size * row_lines(cols, widths(cols, across))

    tallest = height(size, across)
    for i in range(first + 1, len(options)):
        page_i, size_i, across_i = options[i]
        if page_i == page and size_i < size and height(size_i, across_i) <= SHORTER * tallest:
            return i
    return first
