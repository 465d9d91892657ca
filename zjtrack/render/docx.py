"""Reports as Word documents (python-docx): A4, 仿宋 body, 黑体 headings, the East Asian font set
on every run (w:eastAsia), annexes on landscape pages, page numbers in the footer.

Reproducible: the core properties carry fixed timestamps derived from the report date, and the zip
is rewritten with fixed member times, so the same report gives the same bytes. Tables are written
as WordprocessingML directly (one string per table, parsed once): python-docx's cell API is far too
slow for tables of thousands of rows.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from ..report import Report
from ..table import NUMERIC, Cell, Table, Tag, cell_text, weight
from .palette import hex_colour

BODY_FONT = "仿宋"  # FangSong
HEAD_FONT = "黑体"  # SimHei
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _mm_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


# Page geometry (GB/T 9704-style margins for the body; narrower for landscape annexes), in mm.
_PORTRAIT = (210.0, 297.0, 37.0, 35.0, 28.0, 26.0)  # width, height, top, bottom, left, right
_LANDSCAPE = (297.0, 210.0, 20.0, 20.0, 20.0, 20.0)


def render(reports: Sequence[Report]) -> bytes:
    from docx import Document

    doc: Any = Document()
    tables: list[str] = []  # table XML, spliced in at the end (see _splice)
    _styles(doc)
    _geometry(doc.sections[0], _PORTRAIT)
    _footer(doc.sections[0])
    for i, report in enumerate(reports):
        if i:
            _new_section(doc, _PORTRAIT)
        _report(doc, report, tables)
    first = reports[0] if reports else None
    when = first.date if first else dt.date(2000, 1, 1)
    stamp = dt.datetime(when.year, when.month, when.day, 0, 0, 0)
    cp = doc.core_properties
    cp.title = first.title if first else ""
    cp.subject = first.title if first else ""
    cp.author = first.author if first else ""
    cp.last_modified_by = first.author if first else ""
    cp.comments = "zjtrack"
    cp.keywords = ""
    cp.category = first.kind if first else ""
    cp.revision = 1
    cp.created = stamp
    cp.modified = stamp
    cp.last_printed = stamp
    _splice(doc, tables)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue(), when)


_MARK = "ZJTRACK-TABLE-"
_PLACEHOLDER = re.compile(f"<w:p><w:r><w:t>{_MARK}(\\d+)</w:t></w:r></w:p>")


def _splice(doc: Any, tables: list[str]) -> None:
    """Put the tables where their placeholder paragraphs are, by text, and parse the body once.

    Moving a large parsed subtree into the document with lxml costs seconds per thousand rows
    (namespace fix-ups per node); splicing text and parsing once is linear and fast. Placeholders
    are bare runs (no run properties), which no other paragraph here has, so no text can fake one."""
    if not tables:
        return
    from docx.oxml import parse_xml
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    xml = etree.tostring(doc.element, encoding="unicode")
    xml = _PLACEHOLDER.sub(lambda m: tables[int(m[1])], xml)
    doc.part._element = parse_xml(xml)


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The same zip with every member's time set to the report date (byte-reproducible output)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 3
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def _clean(text: str) -> str:
    return _BAD_XML.sub("\ufffd", text)


def _fonts(el: Any, font: str) -> None:
    """Set ascii, hAnsi and eastAsia fonts on an rPr-holding element, dropping theme fonts."""
    from docx.oxml.ns import qn

    rfonts = el.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def _styles(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    _fonts(normal.element, BODY_FONT)
    for name, size in (("Heading 1", 16), ("Heading 2", 16), ("Title", 22)):
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        _fonts(st.element, HEAD_FONT)
        pf = st.paragraph_format
        pf.space_before = Pt(12 if name != "Title" else 0)
        pf.space_after = Pt(6)
        pf.keep_with_next = True
    cell = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(10.5)
    _fonts(cell.element, BODY_FONT)
    pf = cell.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.first_line_indent = Pt(0)


def _geometry(section: Any, geom: tuple[float, float, float, float, float, float]) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height, top, bottom, left, right = geom
    section.orientation = WD_ORIENT.LANDSCAPE if width > height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)


def _new_section(doc: Any, geom: tuple[float, float, float, float, float, float]) -> None:
    from docx.enum.section import WD_SECTION

    _geometry(doc.add_section(WD_SECTION.NEW_PAGE), geom)


def _footer(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p._p.append(
        parse_xml(
            f'<w:fldSimple xmlns:w="{W_NS}" w:instr="PAGE"><w:r><w:rPr><w:rFonts w:ascii="{BODY_FONT}" '
            f'w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}"/><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )


def _run(
    p: Any, text: str, font: str, size: float, *, bold: bool = False, colour: str | None = None
) -> Any:
    from docx.shared import Pt, RGBColor

    r = p.add_run(_clean(text))
    r.font.size = Pt(size)
    r.font.bold = bold or None
    if colour:
        r.font.color.rgb = RGBColor.from_string(colour)
    _fonts(r._r, font)
    return r


def _report(doc: Any, report: Report, tables: list[str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(
        title,
        report.title,
        HEAD_FONT,
        22,
        bold=True,
        colour="C00000" if report.kind == "weekly" else None,
    )
    if report.issue:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, report.issue, HEAD_FONT, 16)
    sep = "：" if report.lang == "zh" else ": "
    for n, (label, value) in enumerate(report.meta):
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        _run(p, label + sep, HEAD_FONT, 14)
        _run(p, value, BODY_FONT, 14)
        if n == len(report.meta) - 1:
            _rule(p)
    landscape = False
    for section in report.sections:
        if section.annex:
            if not landscape:
                _new_section(doc, _LANDSCAPE)
                landscape = True
            else:
                _page_break(doc)
        if section.title:
            h = doc.add_paragraph(style="Heading 1")
            _run(h, section.title, HEAD_FONT, 16, bold=True)
        for text in section.paragraphs:
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            p.paragraph_format.line_spacing = Pt(28)
            _run(p, text, BODY_FONT, 16)
        width = _LANDSCAPE if landscape else _PORTRAIT
        text_width = _mm_twips(width[0] - width[4] - width[5])
        for table in section.tables:
            _table(doc, table, text_width, tables)
    if report.closing:
        doc.add_paragraph()
        for line in report.closing:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(p, line, BODY_FONT, 16)


def _rule(p: Any) -> None:
    """A red rule under a paragraph (the line under a bulletin's header)."""
    from docx.oxml import parse_xml

    ppr = p._p.get_or_add_pPr()
    ppr.insert_element_before(
        parse_xml(
            f'<w:pBdr xmlns:w="{W_NS}"><w:bottom w:val="single" w:sz="12" w:space="4" w:color="C00000"/></w:pBdr>'
        ),
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )


def _page_break(doc: Any) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _rpr(font: str, *, bold: bool = False, colour: str | None = None) -> str:
    """Run properties of a table cell (size and spacing come from the table paragraph style)."""
    b = "<w:b/><w:bCs/>" if bold else ""
    c = f'<w:color w:val="{colour}"/>' if colour else ""
    return f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>{b}{c}</w:rPr>'


TABLE_STYLE = "ZJ Table Text"  # paragraph style of table cells: 五号 (10.5 pt), single spacing
_CELL_RPR = _rpr(BODY_FONT)
_HEAD_RPR = _rpr(HEAD_FONT, bold=True)
_P_PR = '<w:pPr><w:pStyle w:val="ZJTableText"/>{jc}</w:pPr>'
_HEAD_PPR = _P_PR.format(jc='<w:jc w:val="center"/>')


def _runs(text: str, rpr: str) -> str:
    if not text:
        return ""
    parts = [escape(_clean(line)) for line in text.split("\n")]
    body = '</w:t><w:br/><w:t xml:space="preserve">'.join(parts)
    return f'<w:r>{rpr}<w:t xml:space="preserve">{body}</w:t></w:r>'


def _table(doc: Any, table: Table, text_width: int, tables: list[str]) -> None:
    if table.title:
        h = doc.add_paragraph(style="Heading 2")
        _run(h, table.title, HEAD_FONT, 16, bold=True)
    if not table.rows:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = _first_line()
        _run(p, table.empty, BODY_FONT, 16)
        return
    weights = [weight(c) for c in table.columns]
    total = sum(weights)
    widths = [max(300, int(text_width * wt / total)) for wt in weights]
    cols = [(c.key, c.format) for c in table.columns]
    pprs = [_P_PR.format(jc='<w:jc w:val="right"/>' if f in NUMERIC else "") for _, f in cols]
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{wd}"/>' for wd in widths),
        "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
    ]
    for col, wd in zip(table.columns, widths, strict=True):
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{wd}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="E8E8E8"/>'
            f'<w:vAlign w:val="center"/></w:tcPr><w:p>{_HEAD_PPR}{_runs(col.label, _HEAD_RPR)}</w:p></w:tc>'
        )
    out.append("</w:tr>")
    for row in table.rows:
        out.append("<w:tr>")
        for (key, fmt), ppr in zip(cols, pprs, strict=True):
            value = row.get(key)
            out.append(
                f"<w:tc><w:p>{ppr}{_runs(cell_text(value, fmt), _cell_rpr(value))}</w:p></w:tc>"
            )
        out.append("</w:tr>")
    out.append("</w:tbl>")
    doc.add_paragraph(f"{_MARK}{len(tables)}")
    tables.append("".join(out))
    doc.add_paragraph().paragraph_format.space_after = 0  # Word needs a paragraph between tables


def _cell_rpr(value: Cell) -> str:
    if isinstance(value, Tag):
        colour = hex_colour(value.code)
        if colour:
            return _rpr(BODY_FONT, bold=True, colour=colour)
    return _CELL_RPR


def _first_line() -> Any:
    from docx.shared import Pt

    return Pt(32)
