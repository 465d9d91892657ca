"""Reports as Excel workbooks (XlsxWriter): a cover sheet with the header and the prose, then one
sheet per table, each with a frozen header row, an autofilter, sensible column widths, real dates,
percentages as numbers with a % format, and A4 print settings.

Every text cell is written with write_string, so text from files (`=HYPERLINK(…)`, `+1`, `@x`)
is always text, never a formula; the workbook options turn XlsxWriter's guessing off as well.
The workbook's created time is fixed from the report date and XlsxWriter fixes the zip member
times, so the same report gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from ..report import Report
from ..table import DateCell, Table, Tag
from .palette import PALETTE

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = {"long": 60, "text": 36}
_FONT = "宋体"


def render(reports: Sequence[Report]) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped,unused-ignore]

    buf = io.BytesIO()
    wb: Any = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    first = reports[0] if reports else None
    when = first.date if first else dt.date(2000, 1, 1)
    wb.set_properties(
        {
            "title": first.title if first else "",
            "subject": first.title if first else "",
            "author": first.author if first else "",
            "company": first.author if first else "",
            "comments": "zjtrack",
            "created": dt.datetime(when.year, when.month, when.day, 0, 0, 0),
        }
    )
    fmt = _Formats(wb)
    used: set[str] = set()
    for report in reports:
        if report.cover:
            _cover(wb, report, fmt, used)
        for section in report.sections:
            for table in section.tables:
                _sheet(wb, table, fmt, used)
    if not reports:
        wb.add_worksheet()
    wb.close()
    return buf.getvalue()


class _Formats:
    """Every cell format, made once (XlsxWriter formats are per workbook, not per cell)."""

    def __init__(self, wb: Any) -> None:
        base = {"font_name": _FONT, "font_size": 10.5, "valign": "top"}
        self.head = wb.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#E8E8E8",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
            }
        )
        self.text = wb.add_format({**base, "border": 1})
        self.long = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.int = wb.add_format({**base, "border": 1, "num_format": "0"})
        self.delta = wb.add_format({**base, "border": 1, "num_format": "+0;-0;0"})
        self.percent = wb.add_format({**base, "border": 1, "num_format": "0.0%"})
        self.date = wb.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd"})
        self.empty = wb.add_format({**base, "italic": True, "font_color": "#555555"})
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "font_color": "#C00000"})
        self.label = wb.add_format({**base, "bold": True})
        self.heading = wb.add_format({**base, "bold": True, "font_size": 12})
        self.prose = wb.add_format({**base, "text_wrap": True})
        self.tags = {
            code: wb.add_format({**base, "border": 1, "bold": True, "font_color": f"#{colour}"})
            for code, (colour, _) in PALETTE.items()
        }

    def of(self, kind: str) -> Any:
        return (
            getattr(self, kind, self.text)
            if kind in ("text", "long", "int", "delta", "percent", "date")
            else self.text
        )


def _name(wanted: str, used: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    base = _SHEET_BAD.sub("_", wanted).strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _approx_width(text: str) -> int:
    """Display width without a per-character loop: CJK takes 3 UTF-8 bytes and 2 columns."""
    return (len(text) + len(text.encode("utf-8"))) // 2


def _cover(wb: Any, report: Report, fmt: _Formats, used: set[str]) -> None:
    ws = wb.add_worksheet(_name("报告" if report.lang == "zh" else "Report", used))
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 110)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    row = 0
    ws.write_string(row, 0, report.title, fmt.title)
    row += 1
    if report.issue:
        ws.write_string(row, 0, report.issue, fmt.label)
        row += 1
    for label, value in report.meta:
        ws.write_string(row, 0, label, fmt.label)
        ws.write_string(row, 1, value, fmt.prose)
        row += 1
    for section in report.sections:
        row += 1
        if section.title:
            ws.write_string(row, 0, section.title, fmt.heading)
            row += 1
        for text in section.paragraphs:
            ws.write_string(row, 1, text, fmt.prose)
            row += 1
        for table in section.tables:
            see = "见工作表" if report.lang == "zh" else "see sheet"
            what = table.title or section.title
            ws.write_string(
                row,
                1,
                f"{what}：{see}“{table.sheet}”"
                if report.lang == "zh"
                else f"{what}: {see} '{table.sheet}'",
                fmt.prose,
            )
            row += 1
    for line in report.closing:
        row += 1
        ws.write_string(row, 1, line, fmt.prose)


def _sheet(wb: Any, table: Table, fmt: _Formats, used: set[str]) -> None:  # noqa: C901 - one branch per cell type, in the per-cell hot loop
    ws = wb.add_worksheet(_name(table.sheet, used))
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    cols = table.columns
    widths = [max(6, _approx_width(c.label) + 2) for c in cols]
    for i, c in enumerate(cols):
        ws.write_string(0, i, c.label, fmt.head)
    keys = [c.key for c in cols]
    kinds = [c.format for c in cols]
    plain = [fmt.of(k) for k in kinds]
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
    for r, row in enumerate(table.rows, 1):
        for i, key in enumerate(keys):
            value = row.get(key)
            kind = kinds[i]
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(r, i, value, plain[i])
                if kind in ("text", "long"):
                    wd = _approx_width(value) if len(value) < 200 else 200
                    if wd > widths[i]:
                        widths[i] = wd
            elif isinstance(value, DateCell):
                if value.date is not None:
                    write_datetime(r, i, value.date, fmt.date)
                    widths[i] = max(widths[i], 11)
                else:
                    write_string(r, i, value.text, fmt.text)
                    widths[i] = max(widths[i], _approx_width(value.text))
            elif isinstance(value, Tag):
                write_string(r, i, value.text, fmt.tags.get(value.code, fmt.text))
                widths[i] = max(widths[i], _approx_width(value.text) + 1)
            elif kind == "percent":
                write_number(r, i, value / 100.0, fmt.percent)
                widths[i] = max(widths[i], 8)
            else:
                write_number(r, i, value, plain[i])
    if not table.rows:
        ws.write_string(1, 0, table.empty, fmt.empty)
    for i, c in enumerate(cols):
        ws.set_column(i, i, min(widths[i] + 1, _MAX_WIDTH.get(c.format, 40)))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(table.rows), 1), len(cols) - 1)
