"""One table view, four formats: terminal, Markdown, CSV (Excel-safe) and versioned JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..text import inert, one_line, width
from ..views import JSON_VERSION, Table

_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def bar(value: float | None, cells: int = 10) -> str:
    """A progress bar in text: `██████░░░░  60%`."""
    if value is None:
        return "—"
    filled = round(max(0.0, min(value, 100.0)) / 100 * cells)
    return "█" * filled + "░" * (cells - filled) + f" {value:>3.0f}%"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:g}%"


def cell(value: Any, kind: str = "text", terminal: bool = False) -> str:
    if type(value) is str and kind == "text":  # the common case, first
        return value
    if kind == "bar":
        return bar(value) if terminal else percent(value)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_json(table: Table, extra: dict[str, Any] | None = None) -> str:
    return "".join(iter_json(table, extra))


def iter_json(table: Table, extra: dict[str, Any] | None = None) -> Iterator[str]:
    """The view as versioned JSON, streamed: one row per line, so 50,000 rows need neither an
    86 MB string in memory nor json's slow pure-Python indenting encoder."""
    head: dict[str, Any] = {"version": JSON_VERSION, "kind": table.kind, **(extra or {})}
    if table.summary:
        head["summary"] = {k: v for k, v in table.summary.items() if k != "labels"}
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    # Targets keep one stable record shape in "rows"; document and measure roll-ups go apart.
    rows = (r for r in table.rows if r.get("row", "target") == "target")
    rollups = [r for r in table.rows if r.get("row", "target") != "target"]
    yield from json_array("rows", rows, last=not rollups)
    if rollups:
        yield from json_array("rollups", rollups, last=True)
    yield "}\n"


def json_array(key: str, items: Iterable[Any], last: bool, indent: str = "  ") -> Iterator[str]:
    yield f"{indent}{json.dumps(key)}: ["
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + indent + "  " + json.dumps(item, ensure_ascii=False)
        first = False
    yield ("\n" + indent if not first else "") + "]" + ("\n" if last else ",\n")


def render_csv(table: Table, lang: str) -> str:
    """UTF-8 with BOM (Excel and WPS show Chinese); formula-like cells neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.label(lang) for c in table.columns])
    for row in table.rows:
        w.writerow([_defuse(inert(cell(row.get(c.key), c.kind))) for c in table.columns])
    return "\ufeff" + buf.getvalue()


def _defuse(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_LEAD) else text


def render_md(table: Table, lang: str) -> str:
    def esc(s: str) -> str:
        text = one_line(s).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
        return text.replace("[", "\\[").replace("]", "\\]")  # no live links or remote images

    head = "| " + " | ".join(esc(c.label(lang)) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    body = [
        "| " + " | ".join(esc(cell(r.get(c.key), c.kind)) for c in table.columns) + " |"
        for r in table.rows
    ]
    return "\n".join([head, rule, *body]) + "\n" + _summary_md(table, lang)


def _summary_md(table: Table, lang: str) -> str:
    text = summary_line(table, lang)
    return f"\n{text}\n" if text else ""


def summary_line(table: Table, lang: str) -> str:
    """`共 59 项：已完成 3，逾期未完成 20 …` for views that carry a status summary."""
    s = table.summary
    if not s:
        return ""
    parts = [f"{s['labels'][k]} {n}" for k, n in s["by_status"].items() if n]
    if lang == "zh":
        return f"共 {s['total']} 项目标" + ("：" + "，".join(parts) if parts else "")
    return f"{s['total']} targets" + (": " + ", ".join(parts) if parts else "")


def render_plain(table: Table, lang: str, max_width: int = 60) -> str:
    """Aligned plain text with CJK-aware widths; no colour, no markup, cheap per row (each
    distinct cell text is made safe and measured once: unit names, dates and bars repeat)."""
    labels = [c.label(lang) for c in table.columns]
    nested = any(r.get("row", "target") != "target" for r in table.rows)
    seen: dict[str, tuple[str, int]] = {}

    def fit(raw: str) -> tuple[str, int]:
        hit = seen.get(raw)
        if hit is None:
            text = one_line(raw)
            w = width(text)
            hit = seen[raw] = _clip(text, max_width) if w > max_width else (text, w)
        return hit

    columns = [(c.key, c.kind) for c in table.columns]
    rows = [
        [fit(_indent(r, key, nested) + cell(r.get(key), kind, True)) for key, kind in columns]
        for r in table.rows
    ]
    widths = [width(label) for label in labels]
    for row in rows:
        for i, (_, w) in enumerate(row):
            if w > widths[i]:
                widths[i] = w

    def line(cells: list[tuple[str, int]]) -> str:
        return "  ".join(
            text + " " * (wide - w) for (text, w), wide in zip(cells, widths, strict=True)
        ).rstrip()

    out = [line([(label, width(label)) for label in labels]), "  ".join("─" * w for w in widths)]
    out += [line(r) for r in rows]
    summary = summary_line(table, lang)
    return "\n".join(out) + "\n" + (f"\n{summary}\n" if summary else "")


def _clip(text: str, limit: int) -> tuple[str, int]:
    """`text` cut to `limit` cells with an ellipsis, and its width."""
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…", used + 1


def render_rich(table: Table, lang: str, title: str | None = None) -> Any:
    """A rich Table renderable; every cell a Text, so markup in the data is printed literally."""
    from rich.table import Table as RichTable
    from rich.text import Text

    t = RichTable(title=title, show_lines=False, header_style="bold")
    for c in table.columns:
        t.add_column(c.label(lang), overflow="fold")
    nested = any(r.get("row", "target") != "target" for r in table.rows)
    for r in table.rows:
        t.add_row(
            *(
                Text(
                    _indent(r, c.key, nested) + inert(cell(r.get(c.key), c.kind, True)),
                    style=_style(c.key, r),
                )
                for c in table.columns
            )
        )
    summary = summary_line(table, lang)
    if summary:
        t.caption = summary
    return t


_LEVEL_STYLE = {"red": "red", "yellow": "yellow", "blue": "blue"}
_DEPTH = {"document": "", "measure": " ", "target": "  "}


def _indent(row: dict[str, Any], key: str, nested: bool) -> str:
    """Show the document > measure > target hierarchy in the first column on terminals."""
    return _DEPTH.get(row.get("row", ""), "") if nested and key == "id" else ""


def _style(key: str, row: dict[str, Any]) -> str:
    """Colour only adds to the words: status and level are always written out."""
    if row.get("row") == "document":
        return "bold"
    if key in ("status_label", "level_label"):
        return _LEVEL_STYLE.get(
            row.get("level") or "", "green" if row.get("status") == "done" else ""
        )
    return ""
