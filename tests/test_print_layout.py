"""The printed layout of reports (issue 12 §8), read back from the files themselves: docx page size,
orientation and margins per section, fonts, footer page field, column widths that hold every id,
number and date whole, the 版记; xlsx print titles, landscape, fit to width, header and footer, the
title and cut-off rows; HTML print CSS."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from test_report import demo_plan, demo_week

from zjtrack.evaluate import evaluate
from zjtrack.registry import Registry
from zjtrack.render import docx as report_docx
from zjtrack.render import html as report_html
from zjtrack.render import layout
from zjtrack.render import xlsx as report_xlsx
from zjtrack.report import Report, ledger
from zjtrack.report import notices as build_notices
from zjtrack.table import NUMERIC, Table, cell_text

AS_OF = dt.date(2026, 11, 25)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def notices() -> list[Report]:
    plan = demo_plan()
    found = build_notices(evaluate(plan, AS_OF), Registry(plan.units), plan.config, AS_OF)
    return [report for _, _, report in found]


def demo_ledger() -> Report:
    plan = demo_plan()
    return ledger(evaluate(plan, AS_OF), Registry(plan.units), plan.config, AS_OF)


def tables_of(reports: list[Report]) -> list[Table]:
    return [t for r in reports for s in r.sections for t in s.tables if t.rows]


def docx_of(reports: list[Report]) -> Any:
    from docx import Document

    return Document(io.BytesIO(report_docx.render(reports)))


@pytest.fixture(scope="module")
def weekly_docx() -> Any:
    return docx_of([demo_week()])


@pytest.fixture(scope="module")
def notices_docx() -> Any:
    return docx_of(notices())


# --- layout -------------------------------------------------------------------------------------


def test_minimum_width_holds_the_longest_token() -> None:
    assert layout.token_em("2026-10-31 89%（报送：海东市教育局）") == layout.text_em("2026-10-31")
    assert layout.token_em("“十四五”期间，2026年12月15日前") == layout.text_em("2026年12月15日")
    t = Table("x", (report_docx_column("id", "id"),), [{"id": "demo-12-10"}, {"id": "hd-5-5"}])
    (need,) = layout.needs(t)
    assert need.minimum >= layout.text_em("demo-12-10")
    assert layout.widths([need], 20.0) == pytest.approx([20.0])


def report_docx_column(key: str, label: str, fmt: str = "text") -> Any:
    from zjtrack.table import Column

    return Column(key, label, fmt)


def test_widths_give_text_columns_the_rest_and_keep_minimums() -> None:
    for table in tables_of([demo_week(), *notices(), demo_ledger()]):
        needs = layout.needs(table)
        widths = layout.widths(needs, 69.0)
        assert all(w >= n.minimum - 1e-9 for w, n in zip(widths, needs, strict=True))
        assert sum(widths) == pytest.approx(max(69.0, sum(n.minimum for n in needs)))


def test_a_table_that_wraps_much_less_at_the_smaller_size_takes_it() -> None:
    """`layout.choose`: the first option where every column fits, or on that page 小五 where it
    makes the table a fifth shorter or more. The 督办清单's 责任单位 (about 100 em a row) wraps to
    far fewer lines at 小五; a table of one-line cells stays at 五号 (9/10.5 is not enough)."""
    options = [(True, 10.5, 69.0), (True, 9.0, 69.0 * 10.5 / 9.0)]
    (annex,) = [s for s in demo_week().sections if s.annex and s.tables and "督办" in s.title]
    listed = layout.needs(annex.tables[0])
    assert layout.min_total(listed, 5.5) <= 69.0  # it fits at 五号: the first option
    normal, small = (
        layout.row_lines(listed, layout.widths(listed, across)) for _, _, across in options
    )
    assert 9.0 * small <= layout.SHORTER * 10.5 * normal
    assert layout.choose(listed, options, 5.5) == 1
    short = Table(
        "x",
        (report_docx_column("id", "id"), report_docx_column("t", "目标")),
        [{"id": "hd-5-1", "t": "职业学校办学条件达标"}],
    )
    assert layout.choose(layout.needs(short), options, 5.5) == 0
    # nothing fits: the last option; a portrait page is never swapped for a landscape one here
    assert layout.choose(listed, [(False, 10.5, 10.0), (False, 9.0, 11.0)], 5.5) == 1
    assert layout.choose(listed, [(False, 10.5, 100.0), (True, 9.0, 200.0)], 5.5) == 0


# --- docx ---------------------------------------------------------------------------------------


def _mm(length: Any) -> int:
    return round(length.mm)


@pytest.mark.parametrize("which", ["weekly_docx", "notices_docx"])
def test_docx_pages_are_a4_with_gb_margins(which: str, request: pytest.FixtureRequest) -> None:
    doc = request.getfixturevalue(which)
    kinds = []
    for s in doc.sections:
        if s.orientation.name == "PORTRAIT":
            assert (_mm(s.page_width), _mm(s.page_height)) == (210, 297)
            margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
            assert tuple(_mm(m) for m in margins) == (37, 35, 28, 26)
        else:
            assert (_mm(s.page_width), _mm(s.page_height)) == (297, 210)
        kinds.append(s.orientation.name)
    assert "LANDSCAPE" in kinds  # the 13-column lists are on landscape pages


def test_docx_fonts_title_body_headings(weekly_docx: Any) -> None:
    from docx.oxml.ns import qn

    doc = weekly_docx
    title = doc.paragraphs[0]
    assert title.style.name == "Title" and title.style.element.pPr.find(qn("w:pBdr")) is None
    run = title.runs[0]
    assert run.font.size.pt == 22 and run.font.bold
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("截至2026年11月29日"))
    assert {r.font.size.pt for r in body.runs} == {16}
    assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in body.runs} == {"仿宋_GB2312"}
    h1 = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    h2 = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert h1.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert h2.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert not h1.runs[0].font.bold and not h2.runs[0].font.bold
    fonts = zipfile.ZipFile(io.BytesIO(report_docx.render([demo_week()]))).read(
        "word/fontTable.xml"
    )
    text = fonts.decode("utf-8")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in text
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in text


def test_docx_footer_page_number_between_dashes(weekly_docx: Any) -> None:
    footer = weekly_docx.sections[0].footer.paragraphs[0]
    fields = footer._p.findall(f"{W}fldSimple")
    assert [f.get(f"{W}instr") for f in fields] == ["PAGE"]
    texts = "".join(t.text for t in footer._p.iter(f"{W}t"))
    assert texts == "— 1 —"


def _docx_tables(doc: Any) -> list[tuple[Any, bool]]:
    """Each table with whether it sits in a landscape section (sections end at a sectPr)."""
    body = doc.element.body
    out: list[Any] = []
    pending: list[Any] = []
    for block in body.iterchildren():
        if block.tag == f"{W}tbl":
            pending.append(block)
        sect = block.find(f"{W}pPr/{W}sectPr") if block.tag == f"{W}p" else None
        if block.tag == f"{W}sectPr":
            sect = block
        if sect is not None:
            size = sect.find(f"{W}pgSz")
            landscape = int(size.get(f"{W}w")) > int(size.get(f"{W}h"))
            out += [(t, landscape) for t in pending]
            pending = []
    return out


@pytest.mark.parametrize("which", ["weekly", "notices"])
def test_docx_columns_hold_ids_numbers_and_dates_whole(which: str) -> None:
    reports = [demo_week()] if which == "weekly" else notices()
    doc = docx_of(reports)
    placed = _docx_tables(doc)
    tables = tables_of(reports)
    assert len(placed) == len(tables)
    for (tbl, landscape), table in zip(placed, tables, strict=True):
        grid = [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")]
        # the table's size: its cells' paragraph style's (one per size)
        style = next(tbl.iter(f"{W}pStyle")).get(f"{W}val")
        size = next(s for s in doc.styles if s.style_id == style).font.size.pt
        for col, width in zip(table.columns, grid, strict=True):
            if col.format not in NUMERIC and col.format != "date" and col.key != "id":
                continue
            longest = max(
                layout.token_em(cell_text(row.get(col.key), col.format)) for row in table.rows
            )
            assert width >= (longest + 0.5) * size * 20, (table.sheet, col.label, width)
        if len(table.columns) >= 13:
            assert landscape, table.sheet
    if which == "notices":
        assert all(landscape for _, landscape in placed)


def test_docx_weekly_ends_with_imprint(weekly_docx: Any) -> None:
    texts = [p.text for p in weekly_docx.paragraphs if p.text]
    assert texts[-3:] == [
        "报：工作专班领导小组",
        "送：各牵头单位、责任单位",
        "工作专班办公室编发\t2026年11月29日",
    ]
    last = weekly_docx.sections[-1]
    assert last.orientation.name == "PORTRAIT"


def test_docx_notices_reproducible() -> None:
    assert report_docx.render(notices()) == report_docx.render(notices())


# --- xlsx ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["ledger", "weekly"])
def test_xlsx_sheets_print_with_title_rows_and_page_numbers(which: str) -> None:
    import openpyxl

    report = demo_ledger() if which == "ledger" else demo_week()
    data = report_xlsx.render([report])
    assert data == report_xlsx.render([demo_ledger() if which == "ledger" else demo_week()])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = [ws for ws in wb.worksheets if ws.title != "报告"]
    tables = [t for s in report.sections for t in s.tables]
    assert len(sheets) == len(tables)
    for ws, table in zip(sheets, tables, strict=True):
        assert ws.print_title_rows == "$3:$3"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 wide
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert report.title in ws.oddHeader.center.text
        assert ws["A1"].value.startswith(report.title)
        assert ws["A2"].value.startswith("统计截至")
        assert [c.value for c in ws[3]][: len(table.columns)] == [c.label for c in table.columns]
        assert ws.freeze_panes == "A4"
        for i, col in enumerate(table.columns):
            if col.key != "id" or not table.rows:
                continue
            letter = openpyxl.utils.get_column_letter(i + 1)
            longest = max(layout.text_em(str(r.get("id"))) for r in table.rows)
            assert ws.column_dimensions[letter].width >= longest * 2


# --- html ---------------------------------------------------------------------------------------


def test_html_print_css() -> None:
    weekly = report_html.render([demo_week()])
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm;" in weekly
    assert '"— " counter(page) " —"' in weekly
    assert "@page annex { size: A4 landscape;" in weekly
    assert "td.num, td.id { white-space: nowrap;" in weekly
    assert '<section class="imprint">' in weekly and "工作专班办公室编发" in weekly
    notice = report_html.render(notices())
    assert notice.count('<section class="wide">') == len(notices())


def test_an_english_header_is_never_split_inside_a_word() -> None:
    """`Completion` over a column of short percentages: the column is at least as wide as the
    word set in bold (the visual review found `Comple/tion`, `don/e` in the English report)."""
    from zjtrack.render import layout
    from zjtrack.table import Column, Table

    cols = (Column("completion", "Completion", "percent"), Column("done", "done", "int"))
    table = Table("t", cols, [{"completion": 5.0, "done": 1}], None, "T", "", "S")
    completion, done = layout.needs(table)
    assert completion.minimum >= layout.token_em("Completion") * 1.2 + layout.PAD
    assert done.minimum >= layout.token_em("done") * 1.2 + layout.PAD
