"""Reports as Word documents (python-docx): A4, 仿宋 body, 黑体 headings, the East Asian font set
on every run (w:eastAsia), annexes on landscape pages, page numbers in the footer.

Reproducible: the core properties carry fixed timestamps derived from the report date, and the zip
is rewritten with fixed member times, so the same report gives the same bytes. Tables are written
as WordprocessingML text, streamed a block of rows at a time into the zip member: python-docx's
cell API is far too slow for tables of thousands of rows, and a parsed tree of them far too large.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from ..report import Report
from ..report.document import day_text
from ..table import NUMERIC, Cell, Table, Tag, cell_text
from ..vocab import word
from . import ZIP_LEVEL, layout
from .cells import column_cells
from .palette import hex_colour

TITLE_FONT = "方正小标宋简体"  # GB/T 9704: the title in 小标宋 2号 …
TITLE_FALLBACK = "宋体"  # … or 宋体 bold where 小标宋 is missing (fontTable altName)
BODY_FONT = "仿宋_GB2312"  # the body in 仿宋 3号
HEAD_FONT = "黑体"  # 一、 headings
KAI_FONT = "楷体_GB2312"  # （一） headings
PAGE_FONT = "宋体"  # — 1 — in 4号 宋体
_ALT = {TITLE_FONT: TITLE_FALLBACK, BODY_FONT: "仿宋", KAI_FONT: "楷体"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _mm_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


# Page geometry (GB/T 9704 margins for the body; narrower for landscape tables), in mm.
_PORTRAIT = (210.0, 297.0, 37.0, 35.0, 28.0, 26.0)  # width, height, top, bottom, left, right
_LANDSCAPE = (297.0, 210.0, 26.0, 24.0, 20.0, 20.0)
_TABLE_SIZES = (10.5, 9.0)  # 五号, then 小五 for a table too wide at 五号
_TEXT_FLOOR = 5.5  # em: a text column narrower than this reads badly: try a landscape page


def render(reports: Sequence[Report]) -> bytes:
    from docx import Document

    doc: Any = Document()
    tables: list[_TableXml] = []  # streamed into the body at the end (see _fixed_zip)
    _styles(doc)
    _language(doc, reports[0].lang if reports else "zh")
    _font_table(doc)
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
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue(), when, tables)


_MARK = "ZJTRACK-TABLE-"
_PLACEHOLDER = re.compile(f"<w:p><w:r><w:t>{_MARK}(\\d+)</w:t></w:r></w:p>".encode())
_BODY = "word/document.xml"
_TableXml = Callable[[], Iterator[str]]  # a table's WordprocessingML, a block of rows a chunk


def _fixed_zip(data: bytes, when: dt.date, tables: list[_TableXml]) -> bytes:
    """The same zip with every member's time set to the report date (byte-reproducible output),
    and the tables streamed into the body where their placeholder paragraphs are.

    The tables never become a python-docx (lxml) tree: that costs seconds per thousand rows and
    tens of KB a row; written as text, a block of rows at a time (`_BLOCK`), into the compressed
    member, memory stays flat at any size. Placeholders are bare runs (no run properties), which
    no other paragraph here has, so no text can fake one."""
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
            _level(member)
            if info.filename != _BODY or not tables:
                dst.writestr(member, src.read(info.filename))
                continue
            body = src.read(info.filename)
            with dst.open(member, "w") as stream:
                at = 0
                for m in _PLACEHOLDER.finditer(body):
                    stream.write(body[at : m.start()])
                    for chunk in tables[int(m[1])]():
                        stream.write(chunk.encode("utf-8"))
                    at = m.end()
                stream.write(body[at:])
    return out.getvalue()


def _level(member: zipfile.ZipInfo) -> None:
    """Compress `member` at `ZIP_LEVEL` (`ZipFile.open(member, "w")` has no level argument: the
    member carries it, as `compress_level` since Python 3.13, `_compresslevel` before)."""
    name = "compress_level" if hasattr(member, "compress_level") else "_compresslevel"
    setattr(member, name, ZIP_LEVEL)


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
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    _fonts(normal.element, BODY_FONT)
    for name, size, font in (
        ("Heading 1", 16, HEAD_FONT),
        ("Heading 2", 16, KAI_FONT),
        ("Title", 22, TITLE_FONT),
    ):
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.bold = name == "Title"  # 黑体 and 楷体 headings are not bold (GB/T 9704)
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        _fonts(st.element, font)
        ppr = st.element.get_or_add_pPr()
        for rule in ppr.findall(qn("w:pBdr")):  # the template's Title has a blue rule under it
            ppr.remove(rule)
        pf = st.paragraph_format
        pf.space_before = Pt(12 if name != "Title" else 0)
        pf.space_after = Pt(6 if name != "Title" else 12)
        pf.keep_with_next = True
        if name != "Title":
            pf.first_line_indent = Pt(32)  # 一、 and （一） are indented two characters
    for name, points in zip(TABLE_STYLES, _TABLE_SIZES, strict=True):
        cell = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        cell.font.size = Pt(points)
        _fonts(cell.element, BODY_FONT)
        pf = cell.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing = 1.0
        pf.first_line_indent = Pt(0)


def _language(doc: Any, lang: str) -> None:
    """The document's languages (docDefaults' w:lang): Chinese (zh-CN) for its East Asian text,
    and the report's language for the rest. The template says en-US for both, so a word
    processor without the named fonts picks its fallback for another language's glyphs
    (LibreOffice drew the Chinese in a Japanese font, colons centred)."""
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = rpr.find(qn("w:rPr")) if rpr is not None else None
    if rpr is None:
        return
    found = rpr.find(qn("w:lang"))
    if found is None:
        found = rpr.makeelement(qn("w:lang"), {})
        rpr.append(found)
    found.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
    found.set(qn("w:eastAsia"), "zh-CN")


def _font_table(doc: Any) -> None:
    """Name each font in the font table, with the font Word and LibreOffice use where it is missing
    (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体)."""
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            xml = part.blob.decode("utf-8")
            fonts = "".join(
                f'<w:font w:name="{name}">'
                + (f'<w:altName w:val="{_ALT[name]}"/>' if name in _ALT else "")
                + '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
                for name in (TITLE_FONT, BODY_FONT, HEAD_FONT, KAI_FONT, PAGE_FONT)
            )
            part._blob = xml.replace("</w:fonts>", fonts + "</w:fonts>").encode("utf-8")


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
    """`— 1 —`: the page number between dashes, 4号 宋体, centred (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rpr = f'<w:rPr><w:rFonts w:ascii="{PAGE_FONT}" w:hAnsi="{PAGE_FONT}" w:eastAsia="{PAGE_FONT}"/><w:sz w:val="28"/></w:rPr>'
    for xml in (
        f'<w:r xmlns:w="{W_NS}">{rpr}<w:t xml:space="preserve">— </w:t></w:r>',
        f'<w:fldSimple xmlns:w="{W_NS}" w:instr="PAGE"><w:r>{rpr}<w:t>1</w:t></w:r></w:fldSimple>',
        f'<w:r xmlns:w="{W_NS}">{rpr}<w:t xml:space="preserve"> —</w:t></w:r>',
    ):
        p._p.append(parse_xml(xml))


def _bottom(section: Any) -> None:
    """Set the content of a section at the foot of its page (the imprint's last page)."""
    from docx.oxml import parse_xml

    section._sectPr.insert_element_before(
        parse_xml(f'<w:vAlign xmlns:w="{W_NS}" w:val="bottom"/>'),
        "w:noEndnote",
        "w:titlePg",
        "w:textDirection",
        "w:bidi",
        "w:rtlGutter",
        "w:docGrid",
        "w:printerSettings",
        "w:sectPrChange",
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


class _Flow:
    """Where the document is: which page orientation the current section has, and whether the
    closing lines are written (they go after the body, before landscape tables)."""

    def __init__(self, doc: Any, report: Report) -> None:
        self.doc = doc
        self.report = report
        self.landscape = False
        self.closed = not report.closing

    def turn(self, landscape: bool) -> None:
        if landscape and not self.closed:
            self.close()
        if landscape != self.landscape:
            _new_section(self.doc, _LANDSCAPE if landscape else _PORTRAIT)
            self.landscape = landscape

    def close(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.closed = True
        self.doc.add_paragraph()
        for line in self.report.closing:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = _first_line()
            _run(p, line, BODY_FONT, 16)


def _report(doc: Any, report: Report, tables: list[_TableXml]) -> None:
    _header(doc, report)
    flow = _Flow(doc, report)
    for section in report.sections:
        plans = [_plan(t) for t in section.tables]
        if section.annex:
            if flow.landscape:
                _page_break(doc)
            flow.turn(True)
        else:
            flow.turn(False)
        if section.title:
            h = doc.add_paragraph(style="Heading 1")
            _run(h, section.title, HEAD_FONT, 16)
        for text in section.paragraphs:
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = _first_line()
            p.paragraph_format.line_spacing = _pt(28)
            _run(p, text, BODY_FONT, 16)
        for table, plan in zip(section.tables, plans, strict=True):
            if not section.annex:  # a wide table takes a landscape page; the body goes on upright
                flow.turn(plan[0])
            _table(doc, table, plan, tables)
    if not flow.closed:
        flow.close()
    if report.kind == "weekly":
        _imprint(doc, report, flow)


def _header(doc: Any, report: Report) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(
        title,
        report.title,
        TITLE_FONT,
        22,
        bold=True,
        colour="C00000" if report.kind == "weekly" else None,
    )
    if report.issue:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, report.issue, BODY_FONT, 16)
    sep = "：" if report.lang == "zh" else ": "
    for n, (label, value) in enumerate(report.meta):
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        _run(p, label + sep, HEAD_FONT, 14)
        _run(p, value, BODY_FONT, 14)
        if n == len(report.meta) - 1:
            _rule(p)


def _pt(size: float) -> Any:
    from docx.shared import Pt

    return Pt(size)


def _imprint(doc: Any, report: Report, flow: _Flow) -> None:
    """The 版记 at the end of a weekly report: 报/送 lines and the 编发 line between rules, at the
    foot of a portrait page (GB/T 9704 7.4)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Emu, Mm, Pt

    lang = report.lang
    sep = "：" if lang == "zh" else ": "
    lines = report.distribution
    if not flow.landscape:
        doc.add_paragraph()
    else:  # a page of its own: an exact spacer puts the imprint at its foot
        flow.turn(False)
        _bottom(doc.sections[-1])
        spacer = doc.add_paragraph()
        height = _PORTRAIT[1] - _PORTRAIT[2] - _PORTRAIT[3]
        spacer.paragraph_format.line_spacing = Emu(Mm(height) - Pt(28 * (len(lines) + 1) + 24))
    width = _PORTRAIT[0] - _PORTRAIT[4] - _PORTRAIT[5]
    for n, (label, value) in enumerate(lines):
        p = doc.add_paragraph()
        _imprint_para(p, top=8 if n == 0 else 0)
        _run(p, label + sep + value, BODY_FONT, 14)
    p = doc.add_paragraph()
    _imprint_para(p, top=4, bottom=8)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(width) - Pt(14), WD_TAB_ALIGNMENT.RIGHT)
    _run(
        p,
        word("issued", lang, unit=report.author) + "\t" + day_text(report.date, lang),
        BODY_FONT,
        14,
    )


def _imprint_para(p: Any, *, top: int = 0, bottom: int = 0) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Pt

    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.left_indent = pf.right_indent = Pt(14)
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = Pt(28)
    edges = "".join(
        f'<w:{edge} w:val="single" w:sz="{size}" w:space="1" w:color="000000"/>'
        for edge, size in (("top", top), ("bottom", bottom))
        if size
    )
    if edges:
        p._p.get_or_add_pPr().insert_element_before(
            parse_xml(f'<w:pBdr xmlns:w="{W_NS}">{edges}</w:pBdr>'),
            *_AFTER_BORDER,
        )


_AFTER_BORDER = (
            "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
            "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
            "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
            "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
            "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
            "w:pPrChange",
)  # fmt: skip


def _rule(p: Any) -> None:
    """A red rule under a paragraph (the line under a bulletin's header)."""
    from docx.oxml import parse_xml

    p._p.get_or_add_pPr().insert_element_before(
        parse_xml(
            f'<w:pBdr xmlns:w="{W_NS}"><w:bottom w:val="single" w:sz="12" w:space="4" w:color="C00000"/></w:pBdr>'
        ),
        *_AFTER_BORDER,
    )


def _page_break(doc: Any) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _rpr(font: str, *, bold: bool = False, colour: str | None = None) -> str:
    """Run properties of a table cell (size and spacing come from the table paragraph style)."""
    b = "<w:b/><w:bCs/>" if bold else ""
    c = f'<w:color w:val="{colour}"/>' if colour else ""
    return f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>{b}{c}</w:rPr>'


# paragraph styles of table cells, one per size (`_TABLE_SIZES`: 五号, 小五), single spacing, in
# the body font: a cell's run says nothing more (a province's tables hold 200,000 of them)
TABLE_STYLES = ("ZJ Table Text", "ZJ Table Text Small")
_STYLE_IDS = {
    size: name.replace(" ", "") for size, name in zip(_TABLE_SIZES, TABLE_STYLES, strict=True)
}
_HEAD_RPR = _rpr(HEAD_FONT, bold=True)
_P_PR = '<w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>'


def _runs(text: str, rpr: str) -> str:
    if not text:
        return ""
    if text.isprintable():  # most text, in C: no line break, no character XML refuses
        body = escape(text)
        if _spaced(text):  # `xml:space` only where a space could be lost (as python-docx)
            return f'<w:r>{rpr}<w:t xml:space="preserve">{body}</w:t></w:r>'
        return f"<w:r>{rpr}<w:t>{body}</w:t></w:r>"
    # a lone CR reads as a line end in XML: written as one, as a parser would read it
    parts = [escape(_clean(line)).replace("\r", "\n") for line in text.split("\n")]
    body = '</w:t><w:br/><w:t xml:space="preserve">'.join(parts)
    return f'<w:r>{rpr}<w:t xml:space="preserve">{body}</w:t></w:r>'


def _spaced(text: str) -> bool:
    """Whether printable `text` has a space a reader may drop without `xml:space="preserve"`:
    at either end, or two together (printable text has no other white space)."""
    return text[:1] == " " or text[-1:] == " " or "  " in text


_RUN, _END_RUN = "<w:r><w:t>", "</w:t></w:r>"  # a cell's run, no properties
_ESCAPED = re.compile("[&<>]")  # what `escape` replaces


def _plain(text: str) -> bool:
    """Whether a cell shows `text` as it is in its run (`_runs` without properties): printable,
    with nothing to escape and no space to preserve. Asked of a column's texts joined by spaces
    (`column_cells`): a text with a space at an end makes two together there."""
    return text.isprintable() and _ESCAPED.search(text) is None and not _spaced(text)


Plan = tuple[bool, float, list[int]]  # landscape, font size (pt), column widths (twips)


def _plan(table: Table) -> Plan:
    """Where a table fits: portrait at 五号, portrait at 小五, landscape at 五号, landscape at 小五,
    whichever comes first with every column at its minimum and text columns readable, or on that
    page the smaller size where it makes the table much shorter (`layout.choose`); widths in
    twips, never below the width of a column's longest number, id or date."""
    cols = layout.needs(table)
    options = [
        (landscape, size, _text_em(_LANDSCAPE if landscape else _PORTRAIT, size))
        for landscape in (False, True)
        for size in _TABLE_SIZES
    ]
    landscape, size, avail = options[layout.choose(cols, options, _TEXT_FLOOR)]
    twips = 20 * size
    widths = [round(w * twips) for w in layout.widths(cols, avail)]
    return landscape, size, widths


def _text_em(geom: tuple[float, float, float, float, float, float], size: float) -> float:
    return (geom[0] - geom[4] - geom[5]) * 72 / 25.4 / size


def _table(doc: Any, table: Table, plan: Plan, tables: list[_TableXml]) -> None:
    if table.title:
        h = doc.add_paragraph(style="Heading 2")
        _run(h, table.title, KAI_FONT, 16)
    if not table.rows:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = _first_line()
        _run(p, table.empty, BODY_FONT, 16)
        return
    doc.add_paragraph(f"{_MARK}{len(tables)}")
    tables.append(lambda: _table_xml(table, plan))
    doc.add_paragraph().paragraph_format.space_after = 0  # Word needs a paragraph between tables


def _table_xml(table: Table, plan: Plan) -> Iterator[str]:
    """A table as WordprocessingML: the properties and header row, then one string per block of
    rows (`_BLOCK`)."""
    _, size, widths = plan
    style = _STYLE_IDS[size]
    cols = [(c.key, c.format) for c in table.columns]
    pprs = [
        _P_PR.format(style=style, jc='<w:jc w:val="right"/>' if f in NUMERIC else "")
        for _, f in cols
    ]
    head_ppr = _P_PR.format(style=style, jc='<w:jc w:val="center"/>')
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
        '<w:right w:w="57" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" '
        'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{wd}"/>' for wd in widths),
        "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
    ]
    for col, wd in zip(table.columns, widths, strict=True):
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{wd}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="E8E8E8"/>'
            f'<w:vAlign w:val="center"/></w:tcPr><w:p>{head_ppr}{_runs(col.label, _HEAD_RPR)}</w:p></w:tc>'
        )
    out.append("</w:tr>")
    yield "".join(out)
    tcs = [f'<w:tc><w:tcPr><w:tcW w:w="{wd}" w:type="dxa"/></w:tcPr><w:p>' for wd in widths]

    def cell(value: Cell, fmt: str, ppr: str, tc: str) -> str:
        return f"{tc}{ppr}{_runs(cell_text(value, fmt), _cell_rpr(value))}</w:p></w:tc>"

    makers = [
        _once(partial(cell, fmt=fmt, ppr=ppr, tc=tc))
        for (_, fmt), ppr, tc in zip(cols, pprs, tcs, strict=True)
    ]
    rows = table.rows
    # a block of rows at a time, a column at a time: a column's repeated values (units, dates,
    # statuses, numbers) are made into XML once a table (`column_cells`, `_once`), and memory
    # stays flat
    for at in range(0, len(rows), _BLOCK):
        block = rows[at : at + _BLOCK]
        made = [
            column_cells(
                block,
                key,
                make,
                _plain,
                (f"{tc}{ppr}{_RUN}", f"{_END_RUN}</w:p></w:tc>"),
                digits=fmt == "int",
                empty_plain=False,
            )
            for (key, fmt), ppr, tc, make in zip(cols, pprs, tcs, makers, strict=True)
        ]
        yield "".join(
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(cells) + "</w:tr>"
            for cells in zip(*made, strict=True)
        )  # one chunk a block: compressed in one go
    yield "</w:tbl>"


_BLOCK = 256  # rows of a table made into XML together (a few MB of text)


def _once(make: Callable[[Cell], str]) -> Callable[[Cell], str]:
    """`make`, remembering what it made of each value by its type and value (`True == 1`, and a
    `Tag` equals a `DateCell` with the same fields); a list, which cannot be looked up, is made
    each time. A column's distinct values are few, and repeat from block to block."""
    made: dict[tuple[type, Cell], str] = {}

    def once(value: Cell) -> str:
        if isinstance(value, list):
            return make(value)
        key = (type(value), value)
        text = made.get(key)
        if text is None:
            text = made[key] = make(value)
        return text

    return once


def _cell_rpr(value: Cell) -> str:
    """A cell's run properties: none (its paragraph style's), or a status or level in bold and
    its colour."""
    if isinstance(value, Tag):
        colour = hex_colour(value.code)
        if colour:
            return f'<w:rPr><w:b/><w:bCs/><w:color w:val="{colour}"/></w:rPr>'
    return ""


def _first_line() -> Any:
    from docx.shared import Pt

    return Pt(32)
