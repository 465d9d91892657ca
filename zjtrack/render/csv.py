"""CSV for Excel and WPS: UTF-8 with a BOM (so Chinese shows), CRLF, one header row, and every
cell that a spreadsheet would read as a formula defused."""

from __future__ import annotations

import csv
import io

from ..table import Table, cell_text
from ..text import inert

# A cell a spreadsheet reads as a formula: one that starts with = + - @ after any whitespace
# (spaces, tabs, line breaks, U+3000: Excel and WPS trim them first), or with a tab or a CR.
_FORMULA_LEAD = ("=", "+", "-", "@")


def render(table: Table) -> str:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([_defuse(inert(c.label)) for c in table.columns])
    cols = [(c.key, c.format) for c in table.columns]
    for row in table.rows:
        out.writerow([_defuse(inert(cell_text(row.get(key), fmt))) for key, fmt in cols])
    return "\ufeff" + buf.getvalue()


def _defuse(text: str) -> str:
    if text.startswith(("\t", "\r")) or text.lstrip().startswith(_FORMULA_LEAD):
        return "'" + text
    return text
