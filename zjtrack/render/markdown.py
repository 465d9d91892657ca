"""Markdown: views and reports alike, every value escaped, one line per cell."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

from ..report import Report
from ..table import NUMERIC, Cell, Table, cell_text
from ..text import inert
from . import MD_MARK
from .cells import column_cells
from .terminal import summary_line

_SPECIAL = re.compile(r"([\\|*_`\[\]])")
_MARKUP = re.compile(r"[\\|*_`\[\]<>\r\n\t]")  # what `esc` replaces, besides `inert`'s


def esc(text: str) -> str:
    """Text safe in a Markdown table cell or paragraph: one line, inert, no markup, no raw HTML,
    no live links or remote images."""
    if _MARKUP.search(text) is None and inert(text) == text:  # most text: nothing to replace
        return text
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
    made = [  # a column at a time, each distinct value escaped once (a clean column: none)
        column_cells(table.rows, key, partial(_cell, fmt=fmt), _plain, digits=fmt == "int")
        for key, fmt in cols
    ]
    out += ["| " + " | ".join(cells) + " |" for cells in zip(*made, strict=True)]
    out.append("")
    return out


def _plain(text: str) -> bool:
    """Whether `esc` gives `text` back as it is (what `esc` looks for first)."""
    return _MARKUP.search(text) is None and text.isprintable()


def _cell(value: Cell, fmt: str) -> str:
    return esc(cell_text(value, fmt))


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
