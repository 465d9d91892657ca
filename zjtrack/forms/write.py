"""A form as bytes: an xlsx workbook (the instructions sheet 填表说明, the sheet 报送表 with its
locked cells, validation and input messages, and a hidden sheet carrying what intake needs to take
the file back), or the CSV variant for units that cannot use xlsx.

openpyxl writes the workbook (it also reads the returns back, `read`), imported here only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..render.csv import defuse
from .form import FORMAT, GUIDE, HEADERS, KEYS, LOCKED, META, SHEET, TEXT_LIMIT, Form

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

GREY = "EDEDED"
WIDTHS = {"target": 11, "entity": 16, "statement": 40, "role": 6, "deadline": 14, "latest": 20}
WIDTHS |= {"status": 14, "value": 11, "date": 12, "source": 22, "problems": 26, "next_steps": 26}
WIDTHS |= {"contact": 22, "guide": 110}  # contact: a name and a phone number on one line

PROMPTS = {
    "value": (
        "本期数值",
        "填写截至数据日期的累计数；百分比填 0–100 的数字（85 即 85%）；里程碑选 完成 或 未完成。本行不报送请留空。",
    ),
    "date": (
        "数据日期",
        "数值所描述的日期，留空即本期截止日 {cutoff}（截止日前收取时为收取当日）；不得晚于截止日。",
    ),
    "source": ("来源或依据", "数据来源、文号或佐证材料名称。"),
    "problems": ("存在问题", "简要说明；没有可留空。"),
    "next_steps": ("下步打算", "简要说明；没有可留空。"),
    "contact": ("联系人", "填报人姓名及电话。"),
}


def guide_lines(form: Form) -> list[str]:
    """The instructions sheet, one paragraph a line (also the CSV's guide)."""
    p = form.period
    return [
        f"{form.unit} · 进展报送表（{p.label}，{p.start.isoformat()} 至 {p.cutoff.isoformat()}）",
        f"请于 {p.due.isoformat()} 前填好本表并原样发回（文件名可改，表格结构不可改）。",
        "填写方法：",
        "1. 只在“报送表”的白色单元格中填写：本期数值、数据日期、来源或依据、存在问题、下步打算、联系人。",
        "2. 灰色单元格（编号、对象、任务目标、职责、完成时限、最新进展、当前状态）已锁定，请勿修改。",
        "3. 本期数值：数量目标填数字（累计数）；百分比目标填 0–100 的数字，如 85 表示 85%；"
        "里程碑从下拉列表选“完成”或“未完成”。分对象考核的目标每个对象一行。",
        "4. 数据日期：数值所描述的日期，留空即本期截止日（截止日前收取时为收取当日）；不得晚于截止日。",
        "5. 本期没有新进展的行整行留空即可，留空的行不计为报送。",
        "6. 请勿插入、删除、隐藏或合并行列，勿增加工作表，勿使用公式（直接填写数值）。",
        "7. 回收时逐格校验；有问题的表格整表退回，回执中写明单元格位置、问题与改法。",
        f"表格编号：{form.form_id}",
    ]


_LINE_PT = 15.0  # one line of 11 pt text, CJK lines as LibreOffice and Excel draw them


def _height(texts: Sequence[str], keys: Sequence[str]) -> float:
    """A row's height for its wrapped text: LibreOffice keeps a row one line high unless told."""
    from ..render.layout import text_em

    lines = 1
    for text, key in zip(texts, keys, strict=False):
        room = max(WIDTHS[key] / 2 - 0.6, 1.0)  # a column width unit is about half an em
        lines = max(lines, sum(max(1, -int(-text_em(p) // room)) for p in text.split("\n")))
    return _LINE_PT * lines + 4


def _number_format(kind: str) -> str:
    return {"percent": '0.##"%"', "number": "General", "done": "@"}[kind]


def _validation(ws: Worksheet, kind: str, cells: list[str], cutoff: dt.date) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if not cells:
        return
    if kind == "done":
        dv = DataValidation(type="list", formula1='"完成,未完成"', allow_blank=True)
        dv.error = "请从下拉列表选择“完成”或“未完成”。"
    elif kind == "percent":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
        dv.error = "百分比填 0–100 的数字，如 85 表示 85%。"
    else:
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
        dv.error = "请填写数字。"
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = "本期数值"
    dv.promptTitle, dv.prompt = PROMPTS["value"]
    dv.showInputMessage = True
    for ref in cells:
        dv.add(ref)
    ws.add_data_validation(dv)


def _column_rules(ws: Worksheet, form: Form, last: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if last < 2:
        return
    for i, key in enumerate(KEYS[LOCKED:], start=LOCKED + 1):
        col = get_column_letter(i)
        area = f"{col}2:{col}{last}"
        title, prompt = PROMPTS[key]
        if key == "value":
            continue
        if key == "date":
            start = form.period.cutoff - dt.timedelta(days=366)
            dv = DataValidation(
                type="date",
                operator="between",
                formula1=f"DATE({start.year},{start.month},{start.day})",
                formula2=f"DATE({form.period.cutoff.year},{form.period.cutoff.month},{form.period.cutoff.day})",
            )
            dv.error = f"请填写 {form.period.cutoff.isoformat()} 及以前的日期。"
        else:
            dv = DataValidation(
                type="textLength", operator="lessThanOrEqual", formula1=str(TEXT_LIMIT)
            )
            dv.error = f"不超过 {TEXT_LIMIT} 字。"
        dv.allow_blank = True
        dv.showErrorMessage = True
        dv.errorTitle = title
        dv.promptTitle = title
        dv.prompt = prompt.format(cutoff=form.period.cutoff.isoformat())
        dv.showInputMessage = True
        dv.add(area)
        ws.add_data_validation(dv)


def cell_text(text: str) -> str:
    """Text as a cell can hold it: the control characters XML 1.0 forbids (a unit name written
    with a YAML escape such as `\\a`) become U+FFFD. intake compares a locked cell with its
    copy through the same function."""
    return _ILLEGAL.sub("\ufffd", text)


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def append(ws: Worksheet, values: list[Any]) -> None:
    """A row of cells, every text stored as text: a task's metric that starts with `=` stays
    words in the unit's form, never a formula (`=HYPERLINK(…)` would be a live link)."""
    ws.append([cell_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _table_sheet(ws: Worksheet, form: Form) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor=GREY)
    font = Font(name="宋体", size=11)
    bold = Font(name="黑体", size=11, bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font, cell.fill, cell.border = bold, grey, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    by_kind: dict[str, list[str]] = {"done": [], "percent": [], "number": []}
    for r, row in enumerate(form.rows, start=2):
        append(ws, [*row.locked(), None, None, None, None, None, None])
        for c, cell in enumerate(ws[r], start=1):
            cell.font, cell.border, cell.alignment = font, border, wrap
            if c <= LOCKED:
                cell.fill = grey
            else:
                cell.protection = Protection(locked=False)
        ws.row_dimensions[r].height = _height(row.locked(), KEYS)
        value = f"{get_column_letter(LOCKED + 1)}{r}"
        ws[value].number_format = _number_format(row.kind)
        ws[f"{get_column_letter(LOCKED + 2)}{r}"].number_format = "yyyy-mm-dd"
        by_kind[row.kind].append(value)
    for kind, cells in by_kind.items():
        _validation(ws, kind, cells, form.period.cutoff)
    _column_rules(ws, form, len(form.rows) + 1)
    for i, key in enumerate(KEYS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS[key]
    ws.freeze_panes = f"{get_column_letter(LOCKED + 1)}2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.protection.sheet = True


def _meta_sheet(ws: Worksheet, form: Form) -> None:
    """What intake trusts: never the visible cells alone. A copy of every locked cell, so an edit
    is named by its cell, and a checksum over them, so an edit here is caught too."""
    p = form.period
    ws.append(["zjtrack-form", FORMAT])
    for key, value in (
        ("form_id", form.form_id),
        ("unit", form.unit),
        ("period", p.label),
        ("cutoff", p.cutoff.isoformat()),
        ("due", p.due.isoformat()),
        ("checksum", form.checksum),
        ("rows", len(form.rows)),
    ):
        append(ws, [key, value])
    for row in form.rows:
        append(ws, ["row", row.document, row.kind, json.dumps(row.locked(), ensure_ascii=False)])
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def form_xlsx(form: Form, password: str | None = None) -> bytes:
    """The workbook, byte for byte the same for the same form (its timestamps are the cut-off).
    Its sheets are protected without a password unless one is given (config `form_password`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE
    for line in guide_lines(form):
        append(guide, [line])
    guide.column_dimensions["A"].width = 110
    for r, cell in enumerate(guide["A"], start=1):
        guide.row_dimensions[r].height = _height([str(cell.value)], ["guide"]) + 4
        cell.font = Font(name="黑体" if r == 1 else "宋体", size=14 if r == 1 else 11, bold=r == 1)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    guide.protection.sheet = True
    _table_sheet(wb.create_sheet(SHEET), form)
    _meta_sheet(wb.create_sheet(META), form)
    if password:
        for ws in wb.worksheets:
            ws.protection.password = password  # stored hashed, as Excel stores it
    wb.active = 1
    stamp = dt.datetime.combine(form.period.cutoff, dt.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "zjtrack"
    wb.properties.title = cell_text(f"{form.unit} 进展报送表 {form.period.label}")
    out = io.BytesIO()
    wb.save(out)
    return _fixed_zip_times(out.getvalue(), stamp)


def _fixed_zip_times(data: bytes, stamp: dt.datetime) -> bytes:
    """The same workbook with every zip entry, and its `modified` property, dated `stamp`
    (openpyxl dates them now, whatever it was told)."""
    import re
    import zipfile

    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when, data)
            dst.writestr(fixed, data)
    return out.getvalue()


CSV_MARK = "zjtrack-form"


def form_csv(form: Form) -> bytes:
    """The CSV variant (UTF-8 with BOM, as Excel and WPS open it): a first line naming the form
    (`zjtrack-form`, version, form id, unit, period, checksum), the header, one line per row."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    p = form.period
    w.writerow([CSV_MARK, FORMAT, form.form_id, defuse(form.unit), p.label, form.checksum])
    w.writerow(HEADERS)
    for row in form.rows:  # task text never becomes a formula (read back by forms/read.py)
        cells: list[Any] = [*(defuse(c) for c in row.locked()), "", "", "", "", "", ""]
        w.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def file_name(form: Form, suffix: str) -> str:
    """`海东市教育局-2026-W49.xlsx`: the unit first, so a folder of returns sorts by unit."""
    safe = "".join("_" if ch in '/\\:*?"<>|' or ch < " " else ch for ch in form.unit)
    return f"{safe}-{form.period.label}{suffix}"


def file_names(forms: Sequence[Form], suffix: str) -> list[str]:
    """Each form's file name; two units whose names read alike once made safe for a file name
    (`商务局/外事办`, `商务局:外事办`) get their form id added, so no form replaces another."""
    names = [file_name(f, suffix) for f in forms]
    taken = {n: names.count(n) for n in names}
    return [
        n if taken[n] == 1 else n.removesuffix(suffix) + f"-{f.form_id[:8]}{suffix}"
        for n, f in zip(names, forms, strict=True)
    ]
