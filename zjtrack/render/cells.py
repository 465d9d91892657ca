"""A table's cells made a column at a time, each distinct value once: in a report's long tables
unit names, dates, statuses, levels and numbers repeat down a column, and a renderer's cell text
(escaping, markup) depends on the value alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from ..table import Cell, Row, TableRows

_NONE = type(None)


def column_cells(
    rows: Sequence[Row],
    key: str,
    make: Callable[[Cell], str],
    plain: Callable[[str], bool] | None = None,
    frame: tuple[str, str] = ("", ""),
    digits: bool = False,
    empty_plain: bool = True,
) -> list[str]:
    """`make(row.get(key))` for every row, with `make` called once per distinct value. A column
    of one type (and blanks) is looked up by value; a column that mixes types is looked up by
    type and value (`True == 1`, and a `Tag` equals a `DateCell` with the same fields), and a
    list, which cannot be looked up, is made each time. `plain(text)`: whether `make` gives a
    text cell as the text itself within `frame` (nothing to escape in it), asked once for a
    column of texts (joined by spaces) instead of once per text; `digits`: whether it gives a
    whole number as its digits within `frame` (a column of row numbers: each distinct);
    `empty_plain` False: an empty text is not (a column with one is made value by value)."""
    values = rows.column(key) if isinstance(rows, TableRows) else [row.get(key) for row in rows]
    kinds = set(map(type, values))
    if plain is not None and kinds == {str}:
        texts = cast("Sequence[str]", values)
        if (empty_plain or all(texts)) and plain(" ".join(texts)):
            head, tail = frame
            return [head + text + tail for text in texts] if head or tail else list(texts)
    if digits and kinds == {int}:
        head, tail = frame
        return (
            [head + text + tail for text in map(str, values)]
            if head or tail
            else list(map(str, values))
        )
    kinds.discard(_NONE)
    if len(kinds) <= 1 and list not in kinds:
        made = {value: make(value) for value in dict.fromkeys(values)}
        return list(map(made.__getitem__, values))
    out: list[str] = []
    others: dict[tuple[type, Cell], str] = {}
    for value in values:
        if isinstance(value, list):
            out.append(make(value))
            continue
        typed = (type(value), value)
        text = others.get(typed)
        if text is None:
            text = others[typed] = make(value)
        out.append(text)
    return out
