"""Large xlsx tables: a column's repeated texts are measured once for the rows' heights, and
cells go through XlsxWriter's undecorated writers (issue 16). Neither may change a byte: checked
against the renderer with the shortcut taken away, and the heights read back."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from collections import Counter
from typing import Any

import pytest

from zjtrack.render import xlsx as report_xlsx
from zjtrack.report import DateCell, Report, Section, Table, Tag
from zjtrack.report.document import columns
from zjtrack.table import Cell, Column

DAY = dt.date(2026, 11, 25)
ROWS = 600


def _value(n: int) -> tuple[Cell, ...]:
    """Row n: repeated and unique texts (some on two lines), numbers, dates, tags, empty cells."""
    return (
        n + 1,
        f"t-{n}",
        "市教育局" if n % 3 else "市人力资源和社会保障局\n市财政局",
        1 if n % 2 else 1.0,
        f"单位{n % 4}、市财政局" if n % 5 else None,
        DateCell(DAY if n % 2 else None, "2026年底" if n % 2 else "—"),
        Tag("overdue", "逾期未完成") if n % 7 else Tag("done", "已完成"),
        None if n % 11 == 0 else (50.5 if n % 2 else 50),
    )


def _report() -> Report:
    cols: tuple[Column, ...] = (
        *columns("zh", ("no", "int"), ("id", "text"), ("lead", "text"), ("count", "int")),
        Column("units", "单位", "text"),
        *columns("zh", ("deadline", "date"), ("status", "tag"), ("completion", "percent")),
    )
    keys = [c.key for c in cols]
    rows = [dict(zip(keys, _value(n), strict=True)) for n in range(ROWS)]
    table = Table("t", cols, rows, None, "表", "无", "表")
    return Report(
        kind="weekly",
        lang="zh",
        title="周报",
        date=DAY,
        author="专班",
        sections=(Section("一、总体情况", ("正文",), (table,)),),
    )


def test_xlsx_measuring_each_text_once_changes_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report()
    fast = report_xlsx.render([report])
    measured: list[tuple[str, float]] = []
    real = report_xlsx._lines

    def counted(text: str, room: float) -> int:
        measured.append((text, room))
        return real(text, room)

    monkeypatch.setattr(report_xlsx, "_lines", counted)
    assert report_xlsx.render([report]) == fast
    # each distinct text of a column measured once (a column's texts share its room), and
    # again only when the last row holds it (XlsxWriter writes that row: `_rows_at_once`)
    last = {v for v in report.sections[0].tables[0].rows[-1].values() if isinstance(v, str)}
    last |= {v.text for v in report.sections[0].tables[0].rows[-1].values() if isinstance(v, Tag)}
    twice = Counter(measured)
    assert all(n == 1 or (n == 2 and text in last) for (text, _), n in twice.items())
    assert len(twice) > 10
    with zipfile.ZipFile(io.BytesIO(fast)) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode("utf-8")
    # rows whose lead unit wraps to two lines are higher, each time the text repeats
    tall = re.findall(r'<row r="(\d+)" ht="([\d.]+)"', sheet)
    heights = {int(r): float(h) for r, h in tall}
    for n in range(ROWS):  # row n is sheet row n + 4 (title, cut-off, header above)
        if n % 3 == 0:
            assert heights[n + 4] >= 2 * report_xlsx._LINE_PT
        else:
            assert n + 4 not in heights
    # the cells are there as text, numbers and dates (the writers without their A1 wrapper)
    assert sheet.count("<t>逾期未完成</t>") == sum(1 for n in range(ROWS) if n % 7)
    assert '<c r="B600" s="' in sheet and "<t>t-596</t>" in sheet
    assert sheet.count("<v>0.505</v>") == sum(1 for n in range(ROWS) if n % 2 and n % 11)
    assert sheet.count(f"<v>{(DAY - dt.date(1899, 12, 30)).days}</v>") == ROWS // 2


def test_xlsx_without_the_undecorated_writers_falls_back_to_the_public_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The private writers are looked up with a fallback: a release of XlsxWriter without them
    writes through the public ones, byte for byte the same workbook."""
    fast = report_xlsx.render([_report()])
    asked: list[str] = []

    def without(obj: object, name: str, default: object) -> object:
        if not name.startswith("_write"):
            return getattr(obj, name, default)
        asked.append(name)
        return default

    monkeypatch.setattr(report_xlsx, "getattr", without, raising=False)
    monkeypatch.setattr(report_xlsx, "_rows_at_once", lambda *_: False)  # cell by cell
    assert report_xlsx.render([_report()]) == fast
    assert {"_write_string", "_write_number", "_write_datetime"} <= set(asked)


def _mixed_report() -> Report:
    """`_report` with a column of each kind that a lookup by value alone would confuse: `True`
    and `1`, a `Tag` and a `DateCell` with the same fields, lists (not hashable), text to escape
    and text with characters `inert` shows."""
    base = _report()
    table = base.sections[0].tables[0]
    cols = (
        *table.columns,
        Column("flag", "标记", "int"),
        Column("mixed", "混合", "text"),
        Column("names", "名单", "list"),
        Column("note", "备注", "long"),
    )
    notes = ("a|b *c* <d>", "隐\u200b藏", "x\\y", "普通文字", "行一\n行二", "[链接](x)")
    rows = [
        {
            **row,
            "flag": True if n % 2 else 1,
            "mixed": Tag("a", "b") if n % 3 else DateCell(None, "b"),
            "names": ["市教育局", f"单位{n % 3}"],
            "note": notes[n % len(notes)],
        }
        for n, row in enumerate(table.rows)
    ]
    mixed = table._replace(columns=cols, rows=rows)
    return base._replace(sections=(Section("一、总体情况", ("正文",), (mixed,)),))


def test_md_and_html_made_a_column_at_a_time_change_no_byte(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each distinct value of a column rendered once (`render/cells.py`), a column of clean text
    or of row numbers taken at once, and Markdown's plain text passed through unescaped: the
    bytes of a cell made for every row, escaped in full."""
    from zjtrack.render import html, markdown

    report = _mixed_report()
    fast_md = markdown.render_reports([report])
    fast_html = html.render([report])
    assert "a\\|b \\*c\\* &lt;d&gt;" in fast_md and "隐\\\\u200b藏" in fast_md

    def every_row(
        rows: list[dict[str, Cell]], key: str, make: object, *_: object, **__: object
    ) -> list[str]:
        return [make(row.get(key)) for row in rows]  # type: ignore[operator]

    def full_esc(text: str) -> str:
        one = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
        shown = markdown._SPECIAL.sub(r"\\\1", markdown.inert(one))
        return shown.replace("<", "&lt;").replace(">", "&gt;")

    monkeypatch.setattr(markdown, "column_cells", every_row)
    monkeypatch.setattr(html, "column_cells", every_row)
    monkeypatch.setattr(markdown, "esc", full_esc)
    assert markdown.render_reports([report]) == fast_md
    assert html.render([report]) == fast_html


def test_docx_printable_text_holds_nothing_to_clean_or_break() -> None:
    """`docx._runs` writes printable text (`str.isprintable`) escaped only: no code point XML
    refuses (`_BAD_XML`) and no line break (CR or LF) is printable."""
    from zjtrack.render import docx as report_docx

    for code in range(0x110000):
        c = chr(code)
        if c.isprintable():
            assert report_docx._BAD_XML.search(c) is None and c not in "\r\n", hex(code)
    rpr = "<w:rPr/>"
    for text in ("甲 & <乙>", "一\n二", "a\rb", "x\x07y", "\ud800", "tab\there", " a", "a  b"):
        parts = [
            report_docx.escape(report_docx._clean(line)).replace("\r", "\n")
            for line in text.split("\n")
        ]
        body = '</w:t><w:br/><w:t xml:space="preserve">'.join(parts)
        want = f'<w:r>{rpr}<w:t xml:space="preserve">{body}</w:t></w:r>'
        if text.isprintable() and not report_docx._spaced(text):
            want = want.replace(' xml:space="preserve"', "")
        assert report_docx._runs(text, rpr) == want
    assert '<w:t xml:space="preserve">甲 &amp; &lt;乙&gt;' not in report_docx._runs(
        "甲 & <乙>", rpr
    )
    assert '<w:t xml:space="preserve"> a</w:t>' in report_docx._runs(" a", rpr)


@pytest.mark.parametrize(
    "texts",
    [["甲", "乙 丙"], ["甲 ", "乙"], ["甲", " 乙"], ["a  b"], ["甲", "", "乙"], ["x", "y\u3000"]],
)
def test_docx_a_column_of_texts_keeps_its_spaces(texts: list[str]) -> None:
    """A column of texts is framed whole (`docx._plain` of the texts joined by spaces) only when
    no text of it needs `xml:space="preserve"`: a space at an end, two together, or other white
    space (not printable); else each cell keeps its own."""
    from zjtrack.render import docx as report_docx

    whole = report_docx._plain(" ".join(texts))
    assert whole == all(
        t and t.isprintable() and not report_docx._spaced(t) and "&" not in t for t in texts
    ), texts


def test_xlsx_sheets_sparing_numbers_their_escaping_change_no_byte(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`xlsx._workbook_class`'s worksheets return a number attribute as XlsxWriter's escaping
    does, without its exception: the same file as XlsxWriter's own classes write."""
    import xlsxwriter  # type: ignore[import-untyped,unused-ignore]

    report = _report()
    fast, empty = report_xlsx.render([report]), report_xlsx.render([])
    book = report_xlsx._workbook_class()
    sheet = book.worksheet_class()
    plain = xlsxwriter.worksheet.Worksheet()
    for value in (0, 17, 12.5, -3, True, None, "A1", 'a"b<c>&d\n'):
        assert sheet._escape_attributes(value) == plain._escape_attributes(value)
    texts = ["职业学校 ≥ 90%", "_x0041_", "a_x00FF_b", "_X0041_", "_x12", "tab\there", "\r\n"]
    texts += ["\ufffe", "\uffff", "\ud800", "\u202e", "", " lead", "trail ", "<&>", 'q"', None]
    texts += [chr(c) for c in range(0x100)] + [f"_x{c:04x}_" for c in range(0x20)]
    for text in texts:
        assert sheet._escape_control_characters(text) == plain._escape_control_characters(text)
    monkeypatch.setattr(report_xlsx, "_workbook_class", lambda: xlsxwriter.Workbook)
    # the same parts, byte for byte (compressed at XlsxWriter's level, not `ZIP_LEVEL`)
    assert _parts(report_xlsx.render([report])) == _parts(fast)
    assert _parts(report_xlsx.render([])) == _parts(empty)


def _parts(data: bytes) -> list[tuple[str, tuple[int, ...], bytes]]:
    """A zip's members in order: name, time, content."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, i.date_time, z.read(i)) for i in z.infolist()]


def test_docx_and_xlsx_members_are_compressed_at_zip_level() -> None:
    """Every member of a docx and an xlsx report is deflated at `render.ZIP_LEVEL`: its
    compressed bytes are zlib's at that level, and not at the default level 6."""
    from zjtrack.render import ZIP_LEVEL
    from zjtrack.render import docx as report_docx

    assert ZIP_LEVEL != 6
    for data in (report_xlsx.render([_report()]), report_docx.render([_report()])):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            big = 0
            for info in z.infolist():
                content = z.read(info)
                raw = data[info.header_offset + 30 + len(info.filename.encode()) :]
                stored = raw[: info.compress_size]
                assert info.compress_type == zipfile.ZIP_DEFLATED
                assert stored == _deflated(content, ZIP_LEVEL), info.filename
                if len(content) > 20_000:
                    big += 1
                    assert stored != _deflated(content, 6), info.filename
            assert big  # the comparison with level 6 was made on a sheet or body of some size


def _deflated(content: bytes, level: int) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return packer.compress(content) + packer.flush()


def _edges_report() -> Report:
    """`_mixed_report` without its lists (a workbook has no cell for one), with texts at
    XlsxWriter's escaping edges: spaces at either end, `_xHHHH_`, quotes, control characters,
    an empty tag, and a column that is only empty."""
    base = _mixed_report()
    table = base.sections[0].tables[0]
    edges = (" lead", "trail ", "_x0041_", 'q"uote', "a\x07b", "<&>", "plain", "\ufffe")
    cols = (
        *(c for c in table.columns if c.key != "names"),
        Column("edge", "边", "text"),
        Column("blank", "空", "text"),
    )
    rows = [
        {
            **{k: v for k, v in row.items() if k != "names"},
            "edge": edges[n % len(edges)],
            "blank": None,
            "status": Tag("", "") if n % 13 == 0 else row["status"],
        }
        for n, row in enumerate(table.rows)
    ]
    return base._replace(sections=(Section("一", (), (table._replace(columns=cols, rows=rows),)),))


def _spy_at_once(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each table was written at once (`xlsx._rows_at_once`), as the render goes."""
    wrote: list[bool] = []
    real = report_xlsx._rows_at_once

    def spy(*args: Any) -> bool:
        wrote.append(real(*args))
        return wrote[-1]

    monkeypatch.setattr(report_xlsx, "_rows_at_once", spy)
    return wrote


@pytest.mark.parametrize("make", [_report, _edges_report])
def test_xlsx_rows_written_at_once_are_the_cell_by_cell_bytes(
    monkeypatch: pytest.MonkeyPatch, make: object
) -> None:
    """`xlsx._rows_at_once` writes a table's rows as XlsxWriter writes them cell by cell
    (`_rows`): the same workbook, byte for byte, on numbers, dates, tags, empty cells and text
    at the edges of XlsxWriter's escaping; and it did write them (not `_rows`)."""
    report = make()  # type: ignore[operator]
    wrote = _spy_at_once(monkeypatch)
    at_once = report_xlsx.render([report])
    assert wrote and all(wrote)
    monkeypatch.setattr(report_xlsx, "_rows_at_once", lambda *_: False)
    assert report_xlsx.render([report]) == at_once


def test_xlsx_a_text_over_half_of_excels_limit_is_written_cell_by_cell() -> None:
    """XlsxWriter cuts a text longer than Excel allows: `_rows` writes such a table, and
    `_rows_at_once` declines it, having written nothing."""
    base = _report()
    table = base.sections[0].tables[0]
    rows = [dict(row) for row in table.rows]
    rows[3]["id"] = "长" * 20_000
    long = base._replace(sections=(Section("一", (), (table._replace(rows=rows),)),))
    with zipfile.ZipFile(io.BytesIO(report_xlsx.render([long]))) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode("utf-8")
    assert "长" * 16_000 in sheet and "<t>t-2</t>" in sheet


def test_xlsx_a_table_of_blank_values_is_written_as_ruled_blank_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every value None or empty: each is a blank cell with its column's format, so a printed
    sheet keeps its grid (`write_blank`), the same bytes at once or cell by cell, the styles
    numbered as XlsxWriter numbers them (an earlier review found the header's and the cover's
    indices swapped when rows held no cell)."""
    from zjtrack.table import TableRows

    rows = TableRows(["a"], [[None, "", None]])
    empty = Table("x", (Column("a", "A"),), rows, None, "T", "无", "S")
    report = Report(
        kind="weekly",
        lang="zh",
        title="t",
        date=DAY,
        author="a",
        sections=(Section("s", (), (empty,)),),
    )
    tried = _spy_at_once(monkeypatch)
    at_once = report_xlsx.render([report])
    monkeypatch.setattr(report_xlsx, "_rows_at_once", lambda *_: False)
    assert report_xlsx.render([report]) == at_once
    assert tried == [True]
    with zipfile.ZipFile(io.BytesIO(at_once)) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode("utf-8")
    assert all(f'<c r="A{n}" s="' in sheet for n in (4, 5, 6))
    assert sheet.count("/></row>") >= 3  # each blank cell is an empty element
