"""Reports as Markdown: headings, prose and pipe tables; every value escaped, one line per cell."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..report import Report, Table, cell_text

_SPECIAL = re.compile(r"([\\|*_`\[\]])")


def esc(text: str) -> str:
    """Text safe in a Markdown table cell or paragraph: one line, no markup, no raw HTML."""
    one = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _SPECIAL.sub(r"\\\1", one).replace("<", "&lt;").replace(">", "&gt;")


def render(reports: Sequence[Report]) -> str:
    parts = [_report(r) for r in reports]
    return "\n---\n\n".join(parts)


def _report(report: Report) -> str:
    out = [f"# {esc(report.title)}", ""]
    if report.issue:
        out += [f"**{esc(report.issue)}**", ""]
    for label, value in report.meta:
        out.append(f"- {esc(label)}{'：' if report.lang == 'zh' else ': '}{esc(value)}")
    if report.meta:
        out.append("")
    for section in report.sections:
        if section.title:
            out += [f"## {esc(section.title)}", ""]
        for p in section.paragraphs:
            out += [esc(p), ""]
        for table in section.tables:
            out += _table(table)
    out += [f"{esc(line)}  " for line in report.closing]  # two spaces: a line break
    return "\n".join(out).rstrip("\n") + "\n"


def _table(table: Table) -> list[str]:
    out = []
    if table.title:
        out += [f"### {esc(table.title)}", ""]
    if not table.rows:
        return [*out, esc(table.empty), ""]
    kinds = [c.kind for c in table.columns]
    out.append("| " + " | ".join(esc(c.label) for c in table.columns) + " |")
    out.append(
        "|" + "|".join("---:" if k in ("int", "delta", "percent") else "---" for k in kinds) + "|"
    )
    escaped: dict[str, str] = {}  # unit names, dates and labels repeat down a column: escape once
    for row in table.rows:
        cells = []
        for v, k in zip(row, kinds, strict=True):
            text = cell_text(v, k)
            done = escaped.get(text)
            if done is None:
                done = escaped[text] = esc(text)
            cells.append(done)
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return out
