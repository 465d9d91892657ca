"""Reports as one self-contained HTML file, printable on A4.

No external assets (no links, images, fonts or scripts; a Content-Security-Policy forbids them),
every value escaped with html.escape, progress drawn as inline CSS bars.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import partial

from ..report import Report
from ..report.document import day_text
from ..table import Cell, Table, Tag, cell_text
from ..vocab import word
from . import HTML_MARK, layout
from .cells import column_cells
from .palette import LEVELS, PALETTE

_CSS = """\
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center { content: "— " counter(page) " —"; font: 14pt "SimSun", "宋体", serif; } }
@page annex { size: A4 landscape; margin: 26mm 20mm 24mm 20mm; }
* { box-sizing: border-box; }
html { background: #fff; color: #111; }
body { margin: 0; font: 15px/1.7 "仿宋_GB2312", "FangSong_GB2312", "FangSong", "STFangsong", "仿宋",
       "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", serif;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
article { max-width: 1120px; margin: 0 auto; padding: 36px 48px; }
article + article { break-before: page; border-top: 1px dashed #999; }
h2, .issue, th, .meta dt { font-family: "黑体", "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC",
       sans-serif; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "宋体", "SimSun", "Songti SC", "Noto Serif CJK SC",
     serif; font-weight: bold; text-align: center; color: #b00; font-size: 28px; letter-spacing: 2px;
     margin: 0 0 4px; }
h3 { font-family: "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", serif; }
h2, h3 { font-weight: normal; }
.issue { text-align: center; margin: 0 0 6px; font-weight: normal; }
.meta { border-top: 3px solid #b00; padding-top: 8px; margin: 0 0 12px; display: grid;
        grid-template-columns: max-content 1fr; column-gap: 12px; }
.meta dd { margin: 0; }
h2 { font-size: 19px; margin: 22px 0 6px; }
h3 { font-size: 17px; margin: 14px 0 6px; }
p { margin: 4px 0 8px; text-indent: 2em; }
p.empty { color: #555; }
p.closing { text-align: right; text-indent: 0; margin: 0; }
section.annex, section.wide { page: annex; break-before: page; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 12.5px; line-height: 1.45;
        margin: 6px 0 12px; }
th, td { border: 1px solid #777; padding: 3px 0.35em; vertical-align: top; text-align: left; overflow-wrap: break-word; }
th { background: #e8e8e8; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, td.id { white-space: nowrap; overflow-wrap: normal; }
td.num { text-align: right; }
.imprint { margin: 48px 0 0; border-top: 1.5px solid #111; border-bottom: 1.5px solid #111; }
.imprint p { text-indent: 0; margin: 0; padding: 2px 1em; }
.imprint p.issued { border-top: 1px solid #111; display: flex; justify-content: space-between; }
@media print {
  article { max-width: none; padding: 0; }
  article + article { border-top: 0; }
  body { font-size: 16pt; line-height: 28pt; }
  h1 { font-size: 22pt; line-height: 1.4; }
  h2, h3 { font-size: 16pt; }
  table { font-size: 10.5pt; }
  table.small { font-size: 9pt; }
  .imprint { font-size: 14pt; break-inside: avoid; }
}
.bar { display: block; height: 6px; margin: 3px 0 1px; background: #e4e4e4; border: 1px solid #aaa; }
.bar i { display: block; height: 100%; background: #2f6fb0; }
.bar.time i { background: #999; }
.lv { display: inline-block; min-width: 1.6em; padding: 0 4px; border-radius: 3px; color: #fff; text-align: center;
      white-space: nowrap; }
.lv-yellow { color: #111; }
.st-overdue, .st-behind { font-weight: bold; }
""" + "".join(
    f".lv-{code} {{ background: #{hex_.lower()}; }}\n"
    if code in ("red", "yellow", "blue")
    else f".st-{code} {{ color: #{hex_.lower()}; }}\n"
    for code, (hex_, _) in PALETTE.items()
)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def e(text: str) -> str:
    return html.escape(text, quote=True)


def render(reports: Sequence[Report]) -> str:
    first = reports[0] if reports else None
    lang = "zh-CN" if first is None or first.lang == "zh" else "en"
    title = e(first.title) if first else ""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        HTML_MARK,  # `-o` replaces only files that carry it (store/outputs.py)
        f"<title>{title}</title>",
        f"<style>\n{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    for report in reports:
        out += _report(report)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _report(report: Report) -> list[str]:
    out = [f'<article class="{e(report.kind)}">', "<header>", f"<h1>{e(report.title)}</h1>"]
    if report.issue:
        out.append(f'<p class="issue">{e(report.issue)}</p>')
    if report.meta:
        out.append('<dl class="meta">')
        out += [f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in report.meta]
        out.append("</dl>")
    out.append("</header>")
    for section in report.sections:
        out.append('<section class="annex">' if section.annex else "<section>")
        if section.title:
            out.append(f"<h2>{e(section.title)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in section.paragraphs]
        closing = report.closing
        for table in section.tables:
            cols = layout.needs(table)
            wide, small, avail = _fit(cols, section.annex) if table.rows else _NOTHING
            if wide and not section.annex:  # on a landscape page, after the closing lines
                out += [f'<p class="closing">{e(line)}</p>' for line in closing]
                closing = ()
                out += ['<section class="wide">', *_table(table, cols, avail, small), "</section>"]
            else:
                out += _table(table, cols, avail, small)
        out.append("</section>")
        if closing is not report.closing:
            report = report._replace(closing=())
    out += [f'<p class="closing">{e(line)}</p>' for line in report.closing]
    if report.kind == "weekly":
        out += _imprint(report)
    out.append("</article>")
    return out


def _imprint(report: Report) -> list[str]:
    """The 版记: 报/送 lines and the 编发 line between rules (as in the docx)."""
    lang = report.lang
    sep = "：" if lang == "zh" else ": "
    lines = report.distribution
    out = ['<section class="imprint">']
    out += [f"<p>{e(label + sep + value)}</p>" for label, value in lines]
    out.append(
        f'<p class="issued"><span>{e(word("issued", lang, unit=report.author))}</span>'
        f"<span>{e(day_text(report.date, lang))}</span></p>"
    )
    out.append("</section>")
    return out


_PORTRAIT_EM = 42.0  # em of 10.5 pt table text across the A4 portrait text block (156 mm)
_LANDSCAPE_EM = 69.0  # and across a landscape page (257 mm)
_SMALL = 10.5 / 9.0  # 小五 (9 pt) holds this many times the em of 五号
_TEXT_FLOOR = 5.5
_NOTHING = (False, False, _PORTRAIT_EM)  # an empty table is a sentence: it stays where it is


def _fit(cols: list[layout.ColumnNeed], landscape: bool) -> tuple[bool, bool, float]:
    """(landscape, small, em across) for a table: as in the docx, portrait 五号, portrait 小五,
    landscape 五号, landscape 小五, the first where every column fits, or on that page 小五 where
    it makes the table much shorter (`layout.choose`)."""
    options = [
        (wide, size, (_LANDSCAPE_EM if wide else _PORTRAIT_EM) * (_SMALL if size < 10 else 1.0))
        for wide in ((True,) if landscape else (False, True))
        for size in (10.5, 9.0)
    ]
    wide, size, across = options[layout.choose(cols, options, _TEXT_FLOOR)]
    return wide, size < 10, across


def _table(table: Table, cols: list[layout.ColumnNeed], avail: float, small: bool) -> list[str]:
    out = []
    if table.title:
        out.append(f"<h3>{e(table.title)}</h3>")
    if not table.rows:
        out.append(f'<p class="empty">{e(table.empty)}</p>')
        return out
    keys = [(c.key, c.format) for c in table.columns]
    weights = layout.widths(cols, max(avail, layout.min_total(cols, _TEXT_FLOOR)))
    total = sum(weights)
    out.append('<table class="small">' if small else "<table>")
    out.append(
        "<colgroup>"
        + "".join(f'<col style="width:{100 * wt / total:.2f}%">' for wt in weights)
        + "</colgroup>"
    )
    out.append(
        "<thead><tr>" + "".join(f"<th>{e(c.label)}</th>" for c in table.columns) + "</tr></thead>"
    )
    out.append("<tbody>")
    made = [  # a column at a time, each distinct value once (a clean column of text at once)
        column_cells(
            table.rows,
            key,
            partial(_cell, kind=fmt, key=key),
            _plain,
            (_td(fmt, key), "</td>"),
            digits=fmt == "int",
        )
        for key, fmt in keys
    ]
    out += ["<tr>" + "".join(cells) + "</tr>" for cells in zip(*made, strict=True)]
    out.append("</tbody>")
    out.append("</table>")
    return out


_TD = {
    "int": '<td class="num">',
    "delta": '<td class="num">',
    "percent": '<td class="num">',
    "date": '<td class="date">',
    "tag": '<td class="tag">',
    "long": '<td class="long">',
}


def _td(kind: str, key: str) -> str:
    return '<td class="id">' if key == "id" else _TD.get(kind, "<td>")


_ESCAPED = re.compile("[&<>\"'\n]")  # what `_cell` changes in a text: `e`'s, and line breaks


def _plain(text: str) -> bool:
    """Whether `_cell` shows `text` as it is, within its `<td>`."""
    return _ESCAPED.search(text) is None


def _cell(value: Cell, kind: str, key: str) -> str:
    td = _td(kind, key)
    if kind == "percent" and isinstance(value, (int, float)):
        share = max(0.0, min(float(value), 100.0))
        cls = "bar time" if key == "time_elapsed" else "bar"
        return f'{td}{e(cell_text(value, kind))}<span class="{cls}"><i style="width:{share:.1f}%"></i></span></td>'
    if isinstance(value, Tag) and value.code:
        prefix = "lv" if value.code in LEVELS else "st"
        extra = " lv" if prefix == "lv" else ""
        return f'{td}<span class="{prefix}-{e(value.code)}{extra}">{e(value.text)}</span></td>'
    return f"{td}{e(cell_text(value, kind)).replace(chr(10), '<br>')}</td>"
