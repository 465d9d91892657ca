"""The one table model: every view (`status`, `overdue`, `units` …) and every report table (the
weekly report's sections, the ledger, a notice's items) is a `Table`, and every output format
(terminal, Markdown, CSV, JSON, HTML, docx, xlsx) renders this one type.

A row is a dict keyed by column key. A cell is a plain value (text, number, None, a list of
names) or one of two typed cells: a `DateCell` (a real date, written as a date in xlsx, and the
text the document uses) or a `Tag` (a status or warning level: its stable code, which picks the
colour, and its label). A view's rows may hold more keys than its columns: the JSON format writes
the whole record, the other formats only the columns.

How a cell reads as text (`cell_text`) and how numbers are written (`num`) are decided here, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, overload


class DateCell(NamedTuple):
    """A date in a table: the real date (xlsx writes it as a date) and how text formats show it."""

    date: dt.date | None
    text: str


class Tag(NamedTuple):
    """A status or warning level: a stable code (`overdue`, `red`; it picks the colour) and its label."""

    code: str
    text: str


Cell = str | int | float | list[str] | DateCell | Tag | None
Row = dict[str, Any]

# Column formats: how a cell is shown and aligned.
#   text     one line of text (long texts are clipped on terminals)
#   long     prose that wraps (a record, a problem): wide in printed tables
#   int      a whole number, right-aligned
#   delta    a signed whole number (+3, -1, 0)
#   percent  a 0-100 number: `60%`, a progress bar on terminals and in HTML
#   date     a DateCell
#   tag      a Tag (a status or a level), coloured by its code
#   list     names joined with 、
NUMERIC = frozenset({"int", "delta", "percent"})


class Column(NamedTuple):
    key: str
    label: str
    format: str = "text"


class TableRows(Sequence[Row]):
    """A table's rows held as columns, one list of cells per key: a report's table is made a
    column at a time (`report.document`) and its renderers read it so (`column`, and
    `render.cells.column_cells`); a row is made as a dict only when one is asked for. Equal to
    any sequence of the same rows."""

    def __init__(self, keys: Sequence[str], columns: Sequence[Sequence[Any]]) -> None:
        if len(keys) != len(columns) or len(set(map(len, columns))) > 1:
            raise ValueError("a column per key, each of one cell per row")
        self.keys = tuple(keys)
        self.columns = dict(zip(self.keys, columns, strict=True))
        self._n = len(columns[0]) if columns else 0

    def column(self, key: str) -> Sequence[Any]:
        """The cells of column `key` (None for each row when the table has no such column)."""
        found = self.columns.get(key)
        return found if found is not None else [None] * self._n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Row: ...

    @overload
    def __getitem__(self, i: slice) -> TableRows: ...

    def __getitem__(self, i: int | slice) -> Row | TableRows:
        if isinstance(i, slice):
            return TableRows(self.keys, [c[i] for c in self.columns.values()])
        return {key: c[i] for key, c in self.columns.items()}

    def __iter__(self) -> Iterator[Row]:
        keys = self.keys
        return (
            dict(zip(keys, cells, strict=True))
            for cells in zip(*self.columns.values(), strict=True)
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TableRows({list(self)!r})"


class Table(NamedTuple):
    """Named columns and rows. `view` names what the table shows (`status`, `ledger`, `overview` …);
    `summary` is a view's counts (JSON and the line under a terminal table); `title`, `empty` and
    `sheet` serve printed reports (a sub-heading, what is said instead of an empty table, the xlsx
    sheet name)."""

    view: str
    columns: tuple[Column, ...]
    rows: list[Row] | TableRows
    summary: dict[str, Any] | None = None
    title: str | None = None
    empty: str = ""
    sheet: str = ""


def num(value: float | None) -> str:
    """A number as people write it: `90`, `92.5`; the shortest text that reads back as the value."""
    if value is None:
        return "?"
    v = float(value)
    return str(int(v)) if v.is_integer() else repr(v)


def cell_text(value: Cell, fmt: str = "text") -> str:
    """How every text format (terminal, Markdown, CSV, HTML, docx) shows a cell."""
    if type(value) is str:  # the common case, first
        return value
    if value is None:
        return "—" if fmt == "percent" else ""
    if isinstance(value, (DateCell, Tag)):
        return value.text
    if isinstance(value, list):
        return "、".join(value)
    if isinstance(value, bool):
        return str(value).lower()
    if fmt == "percent" and isinstance(value, (int, float)):
        return f"{num(value)}%"
    if fmt == "delta" and isinstance(value, int):
        return f"{value:+d}" if value else "0"
    if isinstance(value, float):
        return num(value)
    return str(value)


_KEY_WEIGHT = {
    "no": 1.2,
    "id": 2.6,
    "lead": 3.6,
    "responsible_units": 4.6,
    "role": 1.5,
    "category": 1.5,
    "item": 3.0,
}
_FORMAT_WEIGHT = {
    "int": 1.7,
    "delta": 1.5,
    "percent": 2.2,
    "date": 2.8,
    "tag": 2.6,
    "text": 4.0,
    "long": 6.5,
}


def weight(col: Column) -> float:
    """A column's relative width in printed tables (HTML and docx)."""
    return _KEY_WEIGHT.get(col.key, _FORMAT_WEIGHT.get(col.format, 4.0))
