"""Views on a terminal: aligned plain text (pipes, files, long tables) or a rich table with colour
(an interactive terminal). CJK characters take two cells; every cell is made inert first."""

from __future__ import annotations

from typing import Any

from ..table import Cell, Table, Tag, cell_text
from ..text import inert, one_line, width
from .palette import terminal_style


def bar(value: float | None, cells: int = 10) -> str:
    """A progress bar in text: `██████░░░░  60%`."""
    if value is None:
        return "—"
    filled = round(max(0.0, min(value, 100.0)) / 100 * cells)
    return "█" * filled + "░" * (cells - filled) + f" {value:>3.0f}%"


def _text(value: Cell, fmt: str) -> str:
    if fmt == "percent" and (value is None or isinstance(value, (int, float))):
        return bar(value)
    return cell_text(value, fmt)


def summary_line(table: Table, lang: str) -> str:
    """`共 59 项目标：已完成 3，逾期未完成 20 …` for views that carry a status summary."""
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
    labels = [c.label for c in table.columns]
    nested = any(r.get("row", "target") != "target" for r in table.rows)
    seen: dict[str, tuple[str, int]] = {}

    def fit(raw: str) -> tuple[str, int]:
        hit = seen.get(raw)
        if hit is None:
            text = one_line(raw)
            w = width(text)
            hit = seen[raw] = _clip(text, max_width) if w > max_width else (text, w)
        return hit

    columns = [(c.key, c.format) for c in table.columns]
    rows = [
        [fit(_indent(r, key, nested) + _text(r.get(key), fmt)) for key, fmt in columns]
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
        t.add_column(c.label, overflow="fold")
    nested = any(r.get("row", "target") != "target" for r in table.rows)
    for r in table.rows:
        t.add_row(
            *(
                Text(
                    _indent(r, c.key, nested) + inert(_text(r.get(c.key), c.format)),
                    style=_style(r, r.get(c.key)),
                )
                for c in table.columns
            )
        )
    summary = summary_line(table, lang)
    if summary:
        t.caption = summary
    return t


_DEPTH = {"document": "", "measure": " ", "target": "  "}


def _indent(row: dict[str, Any], key: str, nested: bool) -> str:
    """Show the document > measure > target hierarchy in the first column on terminals."""
    return _DEPTH.get(row.get("row", ""), "") if nested and key == "id" else ""


def _style(row: dict[str, Any], value: Any) -> str:
    if row.get("row") == "document":
        return "bold"
    return terminal_style(value.code) if isinstance(value, Tag) else ""
