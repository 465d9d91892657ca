"""Versioned JSON for views, streamed: one record per line, so 50,000 rows need neither an 86 MB
string in memory nor json's slow pure-Python indenting encoder."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..table import Table
from ..text import inert
from ..views import JSON_VERSION


def for_terminal(text: str) -> str:
    """JSON text for a terminal: C1 controls, bidi overrides and isolates, zero-width and other
    invisible characters written as `\\uXXXX` escapes, so the same JSON value can neither drive
    the terminal nor reorder what is shown (json already escapes C0 controls). Only strings can
    hold such characters, where the escape is valid JSON. To a file or a pipe JSON stays exact."""
    return inert(text)


def iter_view(table: Table, extra: dict[str, Any] | None = None) -> Iterator[str]:
    """`{"version": 2, "view": …, "summary": …, "rows": [...], "rollups": [...]}`."""
    head: dict[str, Any] = {"version": JSON_VERSION, "view": table.view, **(extra or {})}
    if table.summary:
        head["summary"] = {k: v for k, v in table.summary.items() if k != "labels"}
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    # Targets keep one stable record shape in "rows"; document and measure roll-ups go apart.
    rows = (r for r in table.rows if r.get("row", "target") == "target")
    rollups = [r for r in table.rows if r.get("row", "target") != "target"]
    yield f"  {json.dumps('rows')}: "
    yield from iter_array(rows, indent="  ")
    if rollups:
        yield f",\n  {json.dumps('rollups')}: "
        yield from iter_array(rollups, indent="  ")
    yield "\n}\n"


def iter_array(items: Iterable[Any], indent: str = "") -> Iterator[str]:
    """A JSON array, one item per line (no final newline)."""
    yield "["
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + indent + "  " + json.dumps(item, ensure_ascii=False)
        first = False
    yield ("\n" + indent if not first else "") + "]"
