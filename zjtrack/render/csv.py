"""CSV for Excel and WPS: UTF-8 with a BOM (so Chinese shows), CRLF, one header row, and every
cell that a spreadsheet would read as a formula defused."""

from __future__ import annotations

import csv
import io
from functools import partial

from ..table import Cell, Table, cell_text
from ..text import inert
from .cells import column_cells

# A cell a spreadsheet reads as a formula: one that starts with = + - @ after any whitespace or
# invisible character (spaces, tabs, line breaks, U+3000, NBSP, zero-width space, BOM: Excel and
# WPS trim them first), or with a tab or a CR.
_FORMULA_LEAD = ("=", "+", "-", "@")
_BLANK = "\u200b\u200c\u200d\u2060\ufeff"


def render(table: Table) -> str:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([defuse(inert(c.label)) for c in table.columns])
    made = [  # a column at a time, each distinct value made once (as Markdown's)
        column_cells(table.rows, c.key, partial(_cell, fmt=c.format)) for c in table.columns
    ]
    out.writerows(zip(*made, strict=True))
    return "\ufeff" + buf.getvalue()


def _cell(value: Cell, fmt: str) -> str:
    return defuse(inert(cell_text(value, fmt)))


def defuse(text: str) -> str:
    """The cell with a leading `'` when a spreadsheet would read it as a formula; a text that
    itself starts with `'` gets one too, so that `undefuse` gives back exactly what was written."""
    stripped = text.lstrip().lstrip(_BLANK).lstrip()
    if text.startswith(("\t", "\r", "'")) or stripped.startswith(_FORMULA_LEAD):
        return "'" + text
    return text


def undefuse(text: str) -> str:
    """The text `defuse` was given (a cell read back from a CSV zjtrack wrote)."""
    return text[1:] if text.startswith("'") else text
