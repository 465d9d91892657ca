"""Markdown: views and reports alike, every value escaped, one line per cell."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..report import Report
from ..table import NUMERIC, Table, cell_text
from ..text import inert
from . import MD_MARK
from .terminal import summary_line

_SPECIAL = re.compile(r"([\\|*_`\[\]])")


def esc(text: str) -> str:
    """Text safe in a Markdown table cell or paragraph: one line, inert, no markup, no raw HTML,
    no live links or remote images."""
    one = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _SPECIAL.sub(r"\\\1", inert(one)).replace("<", "&lt;").replace(">", "&gt;")


def table_lines(table: Table) -> list[str]:
    """A pipe table (or the table's `empty` sentence), with its title as a sub-heading."""
    out = []
    if table.title:
        out += [f"### {esc(table.title)}", ""]
    if not table.rows and table.empty:
        return [*out, esc(table.empty), ""]
    cols = [(c.key, c.format) for c in table.columns]
    out.append("| " + " | ".join(esc(c.label) for c in table.columns) + " |")
    out.append("|" + "|".join("---:" if f in NUMERIC else "---" for _, f in cols) + "|")
    escaped: dict[str, str] = {}  # unit names, dates and labels repeat down a column: escape once
    for row in table.rows:
        cells = []
        for key, fmt in cols:
            text = cell_text(row.get(key), fmt)
            done = escaped.get(text)
            if done is None:
                done = escaped[text] = esc(text)
            cells.append(done)
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return out


def render_view(table: Table, lang: str) -> str:
    """A view: its table, then its summary line."""
    summary = summary_line(table, lang)
    return "\n".join(table_lines(table)) + (f"\n{summary}\n" if summary else "")


def render_reports(reports: Sequence[Report]) -> str:
    """The reports one after another, then zjtrack's mark (an HTML comment, invisible once
    rendered), by which `-o` knows a file it may replace (store/outputs.py)."""
    return "\n---\n\n".join(_report(r) for r in reports) + f"\n{MD_MARK}\n"


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
            out += table_lines(table)
    out += [f"{esc(line)}  " for line in report.closing]  # two spaces: a line break
    return "\n".join(out).rstrip("\n") + "\n"
