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
import functools
import io
import math
import re
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import add
from typing import Any, NamedTuple

from ..report import Report
from ..report.document import day_text
from ..table import Column, DateCell, Table, TableRows, Tag
from ..vocab import word
from . import ZIP_LEVEL, layout
from .palette import PALETTE

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FONT = "宋体"


def render(reports: Sequence[Report]) -> bytes:
    buf = io.BytesIO()
    wb: Any = _workbook_class()(
        buf,
        {
            # Rows go to a temporary file as they are written (cells in row order, each row's
            # height set before the next row): memory stays flat for a ledger of 50,000 rows.
            "constant_memory": True,
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
                _sheet(wb, report, table, fmt, used)
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
        self.text = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.id = wb.add_format({**base, "border": 1})  # ids, numbers and dates never wrap
        self.sheet_title = wb.add_format(
            {**base, "bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.cut_off = wb.add_format({**base, "valign": "vcenter"})
        self.long = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.int = wb.add_format({**base, "border": 1, "num_format": "0"})
        self.delta = wb.add_format({**base, "border": 1, "num_format": "+0;-0;0"})
        self.percent = wb.add_format({**base, "border": 1, "num_format": "0.0%"})
        self.whole_percent = wb.add_format({**base, "border": 1, "num_format": "0%"})
        self.date = wb.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd"})
        self._wb, self._base = wb, base
        self._dates: dict[tuple[DateCell, float], Any] = {}  # (date, room) -> its format
        self._showing: dict[str, Any] = {}  # a date's text -> the format that shows it
        self.empty = wb.add_format({**base, "italic": True, "font_color": "#555555"})
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "font_color": "#C00000"})
        self.label = wb.add_format({**base, "bold": True})
        self.heading = wb.add_format({**base, "bold": True, "font_size": 12})
        self.prose = wb.add_format({**base, "text_wrap": True})
        self.tags = {
            code: wb.add_format(
                {**base, "border": 1, "bold": True, "font_color": f"#{colour}", "text_wrap": True}
            )
            for code, (colour, _) in PALETTE.items()
        }

    def percent_of(self, value: float) -> Any:
        """A percentage's format: 14% as every text format writes it (`cell_text`), 98.9%."""
        return self.whole_percent if float(value).is_integer() else self.percent

    def date_of(self, cell: DateCell, room: float) -> Any:
        """A date's format: its text as every text format shows it (`cell_text`: 2025年底,
        “十四五”期间), over the date it stands for, so the sheet reads as the report does and
        still sorts and filters by date. The format's first section, for negative numbers (never
        a date), is yyyy-mm-dd: what marks it a date format to Excel, WPS and readers such as
        openpyxl; the second shows the text, each character escaped (a `"`, `0` or `;` in it is
        shown as written). yyyy-mm-dd alone where the text is that date, is too long for a
        format (`_showable`) or is wider than `room` em (a number-formatted cell never wraps:
        Excel would show ###)."""
        key = (cell, room)
        chosen = self._dates.get(key)
        if chosen is None:
            text = cell.text
            shown = cell.date is not None and text != cell.date.isoformat() and _showable(text)
            chosen = self._dates[key] = (
                self._shows(text) if shown and layout.text_em(text) <= room else self.date
            )
        return chosen

    def _shows(self, text: str) -> Any:
        """The format that shows a date as `text` (`date_of`), made once."""
        made = self._showing.get(text)
        if made is None:
            shown = "".join(f"\\{ch}" for ch in text)  # each character as itself (`\\x`)
            made = self._showing[text] = self._wb.add_format(
                {**self._base, "border": 1, "num_format": f"[<0]yyyy-mm-dd;{shown}"}
            )
        return made

    def columns(self, cols: Sequence[Column]) -> list[Any]:
        """Each column's format for its plain cells: ids never wrap, else by the column's kind."""
        return [self.id if c.key == "id" else self.of(c.format) for c in cols]

    def of(self, kind: str) -> Any:
        return (
            getattr(self, kind, self.text)
            if kind in ("text", "long", "int", "delta", "percent", "date")
            else self.text
        )


def _showable(text: str) -> bool:
    """Whether a number format can show `text`, each character escaped (`\\x`): printable and
    short (a format holds at most 255 characters)."""
    return bool(text) and len(text) <= 110 and text.isprintable()


@functools.cache
def _workbook_class() -> Any:
    """XlsxWriter's `Workbook`, its worksheets (`worksheet_class`, XlsxWriter's way to subclass
    them) writing the same XML with two costs spared, each a value found to need no escaping
    before XlsxWriter's own escaping looks at it (which it is given otherwise):

    - an attribute value: XlsxWriter learns that a number (a cell's format index, a row's
      height) has nothing to escape from the TypeError its regular expression raises on one, an
      exception for every cell;
    - a cell's text: XlsxWriter escapes control characters, U+FFFE and U+FFFF as `_xHHHH_`, and
      a text that already reads `_xHHHH_`, with two regular expressions and two replacements;
      a printable text (`str.isprintable`, in C) without `_x` holds none of them.

    `tests/test_render_repeats.py` compares both with XlsxWriter's on hostile values, and the
    bytes of a workbook with and without them."""
    from xlsxwriter.workbook import Workbook  # type: ignore[import-untyped,unused-ignore]
    from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped,unused-ignore]

    class Sheet(Worksheet):  # type: ignore[misc,unused-ignore]
        def _escape_attributes(self, attribute: Any) -> Any:
            kind = type(attribute)
            if kind is int or kind is float:
                return attribute
            return super()._escape_attributes(attribute)

        @staticmethod
        def _escape_control_characters(data: Any) -> Any:
            if type(data) is str and "_x" not in data and data.isprintable():
                return data
            return Worksheet._escape_control_characters(data)

    class Book(Workbook):  # type: ignore[misc,unused-ignore]
        worksheet_class = Sheet

        def _store_workbook(self) -> None:
            _at_level(super()._store_workbook)

    return Book


def _at_level(store: Callable[[], None]) -> None:
    """Run XlsxWriter's `_store_workbook` with its zip at `ZIP_LEVEL`: it opens
    `ZipFile(...)` by the name its module imported, with no level, and adds each part from its
    temporary file with `ZipFile.write`, which takes the ZipFile's level. For that call only, the
    name is one that opens the same ZipFile at the level; where the module no longer imports it
    so, the zip is left at XlsxWriter's default."""
    import zipfile

    from xlsxwriter import workbook as module  # type: ignore[import-untyped,unused-ignore]

    if getattr(module, "ZipFile", None) is not zipfile.ZipFile:
        store()
        return
    module.ZipFile = functools.partial(zipfile.ZipFile, compresslevel=ZIP_LEVEL)
    try:
        store()
    finally:
        module.ZipFile = zipfile.ZipFile


def _name(wanted: str, used: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    base = _SHEET_BAD.sub("_", wanted).strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


_COVER_EM = 40.0  # em of prose across the cover sheet's second column


def _cover(wb: Any, report: Report, fmt: _Formats, used: set[str]) -> None:
    ws = wb.add_worksheet(_name("报告" if report.lang == "zh" else "Report", used))
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, _COVER_EM * _EM)
    _print_setup(ws, report, landscape=False)

    def prose(row: int, text: str) -> None:
        ws.write_string(row, 1, text, fmt.prose)
        lines = _lines(text, _COVER_EM - layout.PAD)
        if lines > 1:
            ws.set_row(row, _LINE_PT * lines + 3)

    ws.write_string(0, 0, report.title, fmt.title)
    ws.set_row(0, 30)
    row = 1
    if report.issue:
        ws.write_string(row, 0, report.issue, fmt.label)
        row += 1
    for label, value in report.meta:
        ws.write_string(row, 0, label, fmt.label)
        prose(row, value)
        row += 1
    for section in report.sections:
        row += 1
        if section.title:
            ws.write_string(row, 0, section.title, fmt.heading)
            row += 1
        for text in section.paragraphs:
            prose(row, text)
            row += 1
        for table in section.tables:
            see = "见工作表" if report.lang == "zh" else "see sheet"
            what = table.title or section.title
            zh = report.lang == "zh"
            prose(row, f"{what}：{see}“{table.sheet}”" if zh else f"{what}: {see} '{table.sheet}'")
            row += 1
    for line in report.closing:
        row += 1
        prose(row, line)


_HEAD_ROWS = 3  # title, cut-off line, column headings
_EM = 2.0  # Excel width units (a '0' of the default font) per em of 10.5 pt text
_FLOOR = {"date": 6.8, "percent": 4.6}  # em
_PAGE_EM = 69.0  # em across a landscape A4 page at 10.5 pt: wider sheets print scaled down
_TEXT_FLOOR = 8.0  # em: text columns at least this wide (a wide ledger prints scaled down instead)


def _print_setup(ws: Any, report: Report, *, landscape: bool) -> None:
    """A4, fit to the page width (as many pages down as it takes), the report title in the
    header and `第 1 页，共 3 页` in the footer."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    title = report.title.replace("&", "&&")
    ws.set_header(f'&C&"{_FONT},Bold"&12{title}', {"margin": 0.3})
    ws.set_footer(f'&C&"{_FONT}"&10{word("page", report.lang)}', {"margin": 0.3})


def _sheet(wb: Any, report: Report, table: Table, fmt: _Formats, used: set[str]) -> None:
    """One table on its own sheet: a title row and a cut-off row above the header, the header
    repeated on every printed page, column widths from `layout` (no number, id or date split)."""
    ws = wb.add_worksheet(_name(table.sheet, used))
    _print_setup(ws, report, landscape=True)
    cols = table.columns
    last = len(cols) - 1
    title = report.title if report.kind == "ledger" else f"{report.title}·{table.sheet}"
    sep = "　　" if report.lang == "zh" else "    "
    cut = word("cut_off", report.lang, d=day_text(report.date, report.lang))
    cut += f"{sep}{word('reporter', report.lang)}{'：' if report.lang == 'zh' else ': '}{report.author}"
    ws.set_row(0, 30)  # before row 1 is written: rows are flushed in order (constant_memory)
    if last:
        ws.merge_range(0, 0, 0, last, title, fmt.sheet_title)
        ws.merge_range(1, 0, 1, last, cut, fmt.cut_off)
    else:
        ws.write_string(0, 0, title, fmt.sheet_title)
        ws.write_string(1, 0, cut, fmt.cut_off)
    head = _HEAD_ROWS - 1
    for i, c in enumerate(cols):
        ws.write_string(head, i, c.label, fmt.head)
    ws.repeat_rows(head)
    needs = layout.needs(table)
    widths = layout.widths(needs, max(layout.min_total(needs, _TEXT_FLOOR), _PAGE_EM))
    for i, (c, wd) in enumerate(zip(cols, widths, strict=True)):
        # a date is at least as wide as 2026-12-31, a percentage as 98.9% (`_FLOOR`)
        ws.set_column(i, i, round(max(wd, _FLOOR.get(c.format, 0.0)) * _EM, 1))
    room = [wd - layout.PAD for wd in widths]
    ws.set_row(
        head, _LINE_PT * max(_lines(c.label, r) for c, r in zip(cols, room, strict=True)) + 4
    )
    if not _rows_at_once(ws, table, fmt, room):
        _rows(ws, table, fmt, room)
    if not table.rows:
        ws.write_string(_HEAD_ROWS, 0, table.empty, fmt.empty)
    ws.freeze_panes(_HEAD_ROWS, 0)
    ws.autofilter(head, 0, head + max(len(table.rows), 1), last)


def _rows(ws: Any, table: Table, fmt: _Formats, room: list[float], skip: int = 0) -> None:
    """The table's cells: text as text, dates as dates, percentages as numbers with a % format.
    Each row is given the height its wrapped text needs (`room`: em of text per column), as
    LibreOffice keeps a row one line high when the file does not say. `skip`: the first rows
    are written already (`_rows_at_once`)."""
    cols = table.columns
    keys = [c.key for c in cols]
    kinds = [c.format for c in cols]
    plain = fmt.columns(cols)
    # XlsxWriter's undecorated writers: the public ones first try to read an "A1" cell name
    # from the row argument, about a tenth of the time of a large sheet; rows here are numbers.
    # They are private, so a release without them falls back to the public ones (same output)
    write_string = getattr(ws, "_write_string", ws.write_string)
    write_number = getattr(ws, "_write_number", ws.write_number)
    write_datetime = getattr(ws, "_write_datetime", ws.write_datetime)
    write_blank = getattr(ws, "_write_blank", ws.write_blank)
    set_row = ws.set_row
    # a column's texts repeat (units, tags, statuses): each distinct one is measured once
    measured: list[dict[str, int]] = [{} for _ in cols]
    # per column: its key, its position, its plain format, its room and its texts measured
    by_column = list(zip(keys, range(len(cols)), plain, room, measured, strict=True))
    text_fmt, percent_fmt, tag_fmt = fmt.text, fmt.percent, fmt.tags.get
    date_of, percent_of = fmt.date_of, fmt.percent_of
    percent = [k == "percent" for k in kinds]
    for r, row in enumerate(table.rows[skip:], _HEAD_ROWS + skip):
        lines = 1
        for key, i, cell_fmt, width, seen in by_column:
            value = row.get(key)
            if value is None or value == "":  # a blank cell, ruled as its column's
                write_blank(r, i, None, percent_fmt if percent[i] else cell_fmt)
                continue
            if isinstance(value, str):
                write_string(r, i, value, cell_fmt)
            elif isinstance(value, DateCell):
                if value.date is not None:
                    write_datetime(r, i, value.date, date_of(value, width))
                else:
                    write_string(r, i, value.text, text_fmt)
                continue
            elif isinstance(value, Tag):
                tag, value = value, value.text  # measured below as the text it is
                write_string(r, i, value, tag_fmt(tag.code, text_fmt))
            else:
                if percent[i]:
                    write_number(r, i, value / 100.0, percent_of(value))
                else:
                    write_number(r, i, value, cell_fmt)
                continue
            # a text written: the lines it wraps to (`_lines`), each distinct text measured once
            n = seen.get(value)
            if n is None:
                n = seen[value] = _lines(value, width)
            if n > lines:
                lines = n
        if lines > 1:
            set_row(r, _LINE_PT * lines + 3)


_LINE_PT = 14.5  # one line of 10.5 pt text (LibreOffice draws CJK lines ~1.4 em apart)


def _lines(text: str, room: float) -> int:
    """Lines a text wraps to in `room` em; fast estimate (CJK is 3 UTF-8 bytes and 1 em, Latin
    1 byte and ~0.5 em), as it runs for every text cell of a ledger of 50,000 rows."""
    total = 0
    for part in text.split("\n"):
        em = (len(part) + len(part.encode("utf-8"))) / 4
        total += max(1, -int(-em // max(room, 1.0)))
    return total


# What `_rows_at_once` needs of XlsxWriter's worksheet beyond its public interface (3.x): a
# release without any of it is written cell by cell (`_rows`), the same workbook.
_SHEET_INNARDS = (
    "fh",
    "table",
    "row_info",
    "previous_row",
    "constant_memory",
    "excel_version",
    "xls_strmax",
    "_write_single_row",
    "_check_dimensions",
    "_convert_date_time",
    "_escape_control_characters",
    "_escape_data",
)
# a text with whitespace at either end (XlsxWriter's `_preserve_whitespace`)
_EDGE_SPACE = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)")


def _rows_at_once(ws: Any, table: Table, fmt: _Formats, room: list[float]) -> bool:
    """`_rows`, the same bytes, a column at a time: each cell's XML as XlsxWriter writes it in
    constant-memory mode (`Worksheet._write_cell`: an inline string, or a number), each
    format's index taken in the order its first cell is met row by row, each row's height as
    `set_row` makes it, and all rows but the last written into the worksheet's row data at
    once, not stored and written cell by cell (XlsxWriter's per-cell cost is most of a
    province's sheet); the last row is `_rows`'. False, having written nothing, where it cannot
    be sure of the same bytes: fewer than two rows, no column, a release without the innards
    it uses (`_SHEET_INNARDS`), a text over half of Excel's limit, a
    number that is not finite, a list; `_rows` writes those."""
    # The last row is left to `_rows`: XlsxWriter writes it, and so takes the index of a format
    # first met in it, only when the workbook is closed, after every other sheet's rows.
    rows = table.rows[:-1]
    if not rows or not all(hasattr(ws, name) for name in _SHEET_INNARDS):
        return False
    if not ws.constant_memory or ws.excel_version != 2007:
        return False
    cols = table.columns
    plain = fmt.columns(cols)
    made = []
    for c, cell_fmt, em in zip(cols, plain, room, strict=True):
        column = rows.column(c.key) if isinstance(rows, TableRows) else [r.get(c.key) for r in rows]
        cells = _cells(column, cell_fmt, c.format == "percent", fmt, ws, em)
        if cells is None:
            return False
        made.append(cells)
    if not made:  # no cell in any row: `_rows` writes such a table
        return False
    first = _HEAD_ROWS
    ws._write_single_row(first)  # the rows above are written: these follow them
    index = _format_indices(made)
    numbers = [str(r + 1) for r in range(first, first + len(rows))]
    lines = _row_lines(made, room)
    heads = []
    for r in range(len(rows)):  # every row holds its cells (an empty one is a blank cell)
        if lines[r] > 1:  # `set_row`: given in points, kept in pixels, written in points
            pixels = int((_LINE_PT * lines[r] + 3) * 4.0 / 3.0 + 0.5)
            heads.append(f'<row r="{numbers[r]}" ht="{pixels * 0.75:.16g}" customHeight="1">')
        else:
            heads.append(f'<row r="{numbers[r]}">')
    # a row is one `%` of a template of its cells: a column of one format and no empty cell,
    # of numbers or of texts XlsxWriter writes as they are, is written by the template (its
    # row's number and its value given); any other column's cells are made (`_cells_xml`)
    pieces, columns = [], []
    for i, col in enumerate(made):
        letter = _column_letters(i)
        kind = _uniform(col)
        if kind is None:
            pieces.append("%s")
            columns.append(_cells_xml(col, letter, numbers, index, ws))
            continue
        style = index[col.formats[0]]
        pieces.append(
            f'<c r="{letter}%s" s="{style}" t="inlineStr"><is><t>%s</t></is></c>'
            if kind is str
            else f'<c r="{letter}%s" s="{style}"><v>%.16G</v></c>'
        )
        columns += [numbers, col.values]
    template = "%s" + "".join(pieces) + "</row>"
    ws._check_dimensions(first, 0)
    ws._check_dimensions(first + len(rows) - 1, len(made) - 1)
    for at in range(0, len(rows), _ROWS_AT_ONCE):  # a slice at a time: memory stays flat
        part = slice(at, at + _ROWS_AT_ONCE)
        ws.fh.write(
            "".join(
                map(template.__mod__, zip(heads[part], *(c[part] for c in columns), strict=True))
            )
        )
    ws.previous_row = first + len(rows) - 1  # as after its last cell, with nothing pending
    _rows(ws, table, fmt, room, skip=len(rows))
    return True


_ROWS_AT_ONCE = 2000  # rows joined into one write (a province's ledger: 25 writes)


class _Column(NamedTuple):
    """A column's cells as `_rows_at_once` makes them, one item per row: each cell's format
    and its text or number (None: a blank cell, with its format), and whether its text is
    measured for its row's height (`measured`: all of them, or none, or one flag per row; a date's text is written,
    not measured)."""

    formats: list[Any]
    values: list[Any]
    measured: bool | list[bool]


# A cell of a column of several kinds: its format, its text or number, whether it is measured
_Cell = tuple[Any, Any, bool]


def _cells(
    column: Sequence[Any], plain: Any, percent: bool, fmt: _Formats, ws: Any, room: float
) -> _Column | None:
    """Each value of a column as `_rows` writes it; None for the column when a value is one
    only `_rows` writes (a text over half of Excel's limit, a number that is not finite). A
    column of texts, or of numbers, is made in one pass (in C where it has no empty cell); a
    tag, a date or a number of another column is made once for each distinct value."""
    kinds = set(map(type, column)) - {type(None)}
    n = len(column)
    if kinds <= {str}:
        full = all(column)
        texts = column if full else list(filter(None, column))
        if max(map(len, texts), default=0) > ws.xls_strmax // 2:
            return None
        values = list(column) if full else [v or None for v in column]  # None: a blank cell
        return _Column([plain] * n, values, True)
    if kinds <= {int, float}:
        values = [None if v is None else v / 100.0 for v in column] if percent else list(column)
        if not all(map(math.isfinite, filter(None, values))):  # None and 0 left out
            return None
        if not percent:
            return _Column([plain] * n, values, False)
        of, blank = fmt.percent_of, fmt.percent
        return _Column([blank if v is None else of(v) for v in column], values, False)
    made: dict[tuple[type, Any], _Cell] = {}
    out: list[_Cell] = []
    if list in kinds:  # no cell for a list: `_rows` says so
        return None
    for value in column:
        key = (type(value), value)
        cell = made.get(key, _UNMADE)
        if cell is _UNMADE:
            cell = made[key] = _cell(value, plain, percent, fmt, ws, room)
            if cell[0] is _REFUSED:
                return None
        out.append(cell)
    return _Column([c[0] for c in out], [c[1] for c in out], [c[2] for c in out])


_UNMADE: Any = object()
_REFUSED: Any = object()  # a value only `_rows` writes


def _cell(value: Any, plain: Any, percent: bool, fmt: _Formats, ws: Any, room: float) -> _Cell:
    """One value as `_rows` writes it (see `_cells`); a blank cell's value is None."""
    limit = ws.xls_strmax // 2
    if value is None or value == "":
        return (fmt.percent if percent else plain, None, False)
    if isinstance(value, str):
        return (plain, value, True) if len(value) <= limit else (_REFUSED, None, False)
    if isinstance(value, DateCell):
        if value.date is None:
            ok = len(value.text) <= limit
            return (fmt.text, value.text, False) if ok else (_REFUSED, None, False)
        return (fmt.date_of(value, room), ws._convert_date_time(value.date), False)
    if isinstance(value, Tag):
        ok = len(value.text) <= limit
        return (
            (fmt.tags.get(value.code, fmt.text), value.text, True)
            if ok
            else (_REFUSED, None, False)
        )
    number = value / 100.0 if percent else value
    if not math.isfinite(number):
        return (_REFUSED, None, False)
    return (fmt.percent_of(value) if percent else plain, number, False)


def _uniform(col: _Column) -> type | None:
    """`str` for a column of texts XlsxWriter writes as they are (`_clean_texts`), `float` for
    one of numbers, each of one format and with no empty cell; None for any other column."""
    formats, values = col.formats, col.values
    if not formats or None in values or formats.count(formats[0]) != len(formats):
        return None
    kinds = set(map(type, values))
    if kinds == {str}:
        return str if _clean_texts(values) else None
    return float if kinds <= {int, float} else None


def _format_indices(made: list[_Column]) -> dict[Any, int]:
    """Each format's index, taken (`Format._get_xf_index`) in the order XlsxWriter takes them:
    by each format's first cell, row by row, then column by column."""
    firsts: dict[Any, tuple[int, int]] = {}
    for i, col in enumerate(made):
        formats = col.formats
        for f in dict.fromkeys(formats):  # a column's few formats, in the order first met
            r = formats.index(f)
            if f not in firsts or (r, i) < firsts[f]:
                firsts[f] = (r, i)
    return {f: f._get_xf_index() for f in sorted(firsts, key=firsts.__getitem__)}


def _row_lines(made: list[_Column], room: list[float]) -> list[int]:
    """The lines each row's measured texts wrap to, at most (`_lines`, each distinct text of a
    column measured once)."""
    counts = []
    for col, width in zip(made, room, strict=True):
        values, measured = col.values, col.measured
        if measured is False:
            continue
        if measured is True and None not in values:  # a column of texts, measured in C
            texts = list(dict.fromkeys(values))
            lines = dict(zip(texts, _lines_of(texts, width), strict=True))
            counts.append(list(map(lines.__getitem__, values)))
            continue
        flags = [v is not None for v in values] if measured is True else measured
        lines = {text: _lines(text, width) for text in dict.fromkeys(compress(values, flags))}
        if lines:
            counts.append([lines[v] if m else 1 for v, m in zip(values, flags, strict=True)])
    return (
        list(map(max, *counts))
        if len(counts) > 1
        else counts[0]
        if counts
        else [1] * len(made[0].values)
    )


def _lines_of(texts: list[str], room: float) -> list[int]:
    """`_lines` of each text, the sums in C where no text has a line break."""
    if "\n" in "".join(texts):
        return [_lines(text, room) for text in texts]
    room = max(room, 1.0)
    ems = map(add, map(len, texts), map(len, map(str.encode, texts)))
    return [max(1, -int(-(em / 4) // room)) for em in ems]


def _cells_xml(
    col: _Column,
    letter: str,
    numbers: list[str],
    index: dict[Any, int],
    ws: Any,
) -> list[str]:
    """Each cell's XML as XlsxWriter's `_write_cell` writes it (a blank cell as `write_blank`
    does). A column whose cells are all numbers, or all texts with nothing to escape and no
    space at either end (looked for once in them all), is joined in C, each format's part made
    once; any other is made cell by cell."""
    formats, values = col.formats, col.values
    kinds = set(map(type, values))
    texts = values if kinds == {str} else [v for v in values if isinstance(v, str)]
    clean = _clean_texts(texts)
    if None not in values and (clean if len(texts) == len(values) else not texts):
        if texts:
            tail = "</t></is></c>"
            mids = {f: f'" s="{index[f]}" t="inlineStr"><is><t>' for f in index}
            payloads = texts
        else:
            tail = "</v></c>"
            mids = {f: f'" s="{index[f]}"><v>' for f in index}
            payloads = list(map(format, values, repeat(".16G")))
        parts = map(mids.__getitem__, formats)
        return list(
            map("".join, zip(repeat(f'<c r="{letter}'), numbers, parts, payloads, repeat(tail)))
        )
    out = []
    for number, f, value in zip(numbers, formats, values, strict=True):
        ref = f'<c r="{letter}{number}" s="{index[f]}"'
        if value is None:  # a blank cell, with its format (`write_blank`)
            out.append(ref + "/>")
        elif not isinstance(value, str):
            out.append(f"{ref}><v>{value:.16G}</v></c>")
        elif clean:
            out.append(f'{ref} t="inlineStr"><is><t>{value}</t></is></c>')
        else:
            out.append(_text_xml(ref, value, ws))
    return out


def _clean_texts(texts: list[str]) -> bool:
    """Whether XlsxWriter writes each text as it is: printable (so its only white space is the
    space), no `_x` it would escape, none of `"&<>` and no line break (XlsxWriter's
    `xml_escapes`), no space at either end (`_EDGE_SPACE` finds none; looked for as
    substrings, in C)."""
    joined = "\x00".join(texts)
    return (
        "".join(texts).isprintable()
        and "_x" not in joined
        and not any(map(joined.__contains__, '"&<>\n'))
        and not (joined[:1] == " " or joined[-1:] == " ")
        and "\x00 " not in joined
        and " \x00" not in joined
    )


def _text_xml(ref: str, value: str, ws: Any) -> str:
    """A text cell as `_write_cell` writes it in constant-memory mode."""
    text = ws._escape_control_characters(value)
    if text.startswith("<r>") and text.endswith("</r>"):  # XlsxWriter's rich string
        return f'{ref} t="inlineStr"><is>{text}</is></c>'
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    return f'{ref} t="inlineStr"><is><t{space}>{ws._escape_data(text)}</t></is></c>'


def _column_letters(i: int) -> str:
    """Column `i` (from 0) as Excel names it: A … Z, AA …"""
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name
