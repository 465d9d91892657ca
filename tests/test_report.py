"""`zjtrack report`: the weekly report, the ledger and supervision notices.

Core tests build reports with zjtrack.report (no CLI); CLI tests run the typer app in-process with
stdout, stderr and the exit code checked apart. Golden files live in tests/golden/report/:
Markdown and HTML byte for byte, docx and xlsx as JSON dumps of their text, cells and settings.
Regenerate them with ZJTRACK_UPDATE_GOLDEN=1 (and read the diff).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import cli

from zjtrack.cli import report as cli_report
from zjtrack.evaluate import Status, evaluate
from zjtrack.load.loader import load_paths
from zjtrack.model import Config, Plan
from zjtrack.registry import Registry
from zjtrack.render import docx as report_docx
from zjtrack.render import html as report_html
from zjtrack.render import markdown as report_md
from zjtrack.render import xlsx as report_xlsx
from zjtrack.report import (
    DateCell,
    Report,
    ReportError,
    Table,
    Tag,
    Week,
    build_weekly,
    default_title,
    first_week,
    issue_number,
    ledger,
    ledger_column_keys,
    notices,
    parse_week,
    reporting_week,
    week_of,
)
from zjtrack.vocab import STATUS_LABELS

ROOT = Path(__file__).resolve().parent.parent
DEMO = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
GOLDEN = Path(__file__).resolve().parent / "golden" / "report"
UPDATE = os.environ.get("ZJTRACK_UPDATE_GOLDEN") == "1"
W48 = Week(2026, 48)
HOSTILE = "<script>alert(1)</script>"


# --- helpers -------------------------------------------------------------------------------------


def golden_text(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with ZJTRACK_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def demo_plan() -> Plan:
    return load_paths(DEMO).plan


def demo_week(week: Week = W48, lang: str = "zh") -> Report:
    return build_weekly(demo_plan(), week, lang)


def docx_dump(data: bytes) -> str:
    """Everything a reader sees in a docx, one line per paragraph or table row, then the pages
    (orientation and size) and the core properties."""
    from docx import Document
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data))
    lines = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(block, doc)
            if p.text:
                lines.append(f"[{p.style.name if p.style is not None else ''}] {p.text}")
        elif tag == "tbl":
            for row in DocxTable(block, doc).rows:
                lines.append("| " + " | ".join(c.text.replace("\n", "⏎") for c in row.cells) + " |")
    for s in doc.sections:
        orientation = s.orientation.name if s.orientation is not None else ""
        lines.append(
            f"section: {orientation} {round(s.page_width.mm) if s.page_width else 0}x"
            f"{round(s.page_height.mm) if s.page_height else 0}mm"
        )
    cp = doc.core_properties
    lines.append(
        f"core: title={cp.title} author={cp.author} created={cp.created.isoformat() if cp.created else None} "
        f"modified={cp.modified.isoformat() if cp.modified else None}"
    )
    return "\n".join(lines) + "\n"


def xlsx_dump(data: bytes) -> str:
    """Every sheet's cells, one JSON line per row (dates ISO; a non-General number format is shown
    as [value, format]), with the sheet's frozen pane and autofilter, and the workbook properties."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    created = wb.properties.created
    lines = [
        f"workbook: title={wb.properties.title} creator={wb.properties.creator} "
        f"created={created.isoformat() if created else None}"
    ]
    for ws in wb.worksheets:
        lines.append(f"== {ws.title} (freeze {ws.freeze_panes}, filter {ws.auto_filter.ref})")
        for row in ws.iter_rows():
            out: list[Any] = []
            for c in row:
                v = c.value
                if isinstance(v, dt.datetime):
                    v = v.date().isoformat()
                elif isinstance(v, float):
                    v = round(v, 6)
                out.append(v if c.number_format == "General" or v is None else [v, c.number_format])
            while out and out[-1] is None:
                out.pop()
            lines.append(json.dumps(out, ensure_ascii=False))
    return "\n".join(lines) + "\n"


# --- a small tree whose weeks we control ------------------------------------------------------------

UNITS = """\
zjtrack: 1
units:
  - name: 海东市教育局
    kind: department
    region: 海东市
    aliases: [市教育局]
  - name: 海东市发展和改革委员会
    kind: department
    region: 海东市
    aliases: [市发展和改革委员会]
"""

DOC = """\
zjtrack: 1
document:
  id: wk-test
  title: 周报测试文件
  doc_number: 测试〔2026〕1号
  issuer: 测试市人民政府办公室
  issued: 2026-01-05
  region: 海东市
measures:
  - id: wk-1
    clause: 一、
    title: 测试措施
    lead_units: [市教育局]
    responsible_units: [市发展和改革委员会]
    targets:
      - id: wk-1-1
        metric: 测试指标甲
        comparator: ">="
        value: 10
        unit: 个
        deadline: 2026年6月底
        quote: 到2026年6月底测试指标甲达到10个以上
      - id: wk-1-2
        kind: milestone
        metric: 测试里程碑乙
        deadline: 2026年12月底
        quote: 2026年12月底前完成测试里程碑乙
"""

PROGRESS = """\
zjtrack: 1
document: wk-test
---
target: wk-1-1
date: 2026-03-04
value: 4
problems: "=HYPERLINK(\\"http://evil\\")"
next_steps: "+SUM(1,2)"
---
target: wk-1-1
date: 2026-05-20
value: 10
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "tasks"
    (root / "progress").mkdir(parents=True)
    (root / "units.yaml").write_text(UNITS, encoding="utf-8")
    (root / "doc.yaml").write_text(DOC, encoding="utf-8")
    (root / "progress" / "wk-test.yaml").write_text(PROGRESS, encoding="utf-8")
    from zjtrack.checks import run_checks

    loaded = load_paths([str(root)])
    assert not [p for p in loaded.problems + run_checks(loaded.plan) if p.severity.value == "error"]
    return root


def small_week(root: Path, week: Week, lang: str = "zh") -> Report:
    return build_weekly(load_paths([str(root)]).plan, week, lang)


def table(report: Report, sheet: str) -> Table:
    return next(t for s in report.sections for t in s.tables if t.sheet == sheet)


def column(t: Table, key: str) -> list[Any]:
    return [row.get(key) for row in t.rows]


def cells(t: Table) -> list[tuple[Any, ...]]:
    """The rows as tuples in column order."""
    return [tuple(row.get(c.key) for c in t.columns) for row in t.rows]


def all_formats(report: Report) -> None:
    """Every renderer accepts the report and produces something readable."""
    assert report_md.render_reports([report]).startswith("# ")
    assert report_html.render([report]).startswith("<!DOCTYPE html>")
    assert report_docx.render([report])[:2] == b"PK"
    assert report_xlsx.render([report])[:2] == b"PK"


# --- weeks and issue numbers --------------------------------------------------------------------


def test_iso_weeks() -> None:
    assert week_of(dt.date(2025, 12, 29)) == Week(2026, 1)
    assert week_of(dt.date(2026, 11, 25)) == W48
    assert (W48.monday, W48.sunday, W48.label) == (
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 29),
        "2026-W48",
    )
    assert parse_week("2026-W48") == parse_week("2026w48") == W48
    assert parse_week("2026-W53") == Week(2026, 53)  # 2026 has 53 ISO weeks
    for bad in ("2025-W53", "2026-W00", "2026-48", "W48", ""):
        with pytest.raises(ReportError):
            parse_week(bad)


def test_issue_number_counts_from_first_week_or_first_reporting_week() -> None:
    plan = demo_plan()
    assert issue_number(W48, first_week(Config(first_week="2026-W47"), plan.records)) == 2
    assert issue_number(W48, first_week(Config(first_week="2026-W48"), plan.records)) == 1
    assert issue_number(W48, first_week(Config(first_week="2026-W49"), plan.records)) is None
    # unset: the week the first record was recorded, not the documents' issue (no 第134期)
    earliest = min(r.recorded_on for r in plan.records if r.recorded_on)
    assert first_week(Config(), plan.records) == week_of(earliest)
    # nothing recorded yet: this report is the first
    assert first_week(Config(), ()) is None and issue_number(W48, None) == 1
    with pytest.raises(ReportError):
        first_week(Config(first_week="2026-48"), plan.records)
    # a week closing on Friday: a Saturday belongs to the next reporting week
    assert reporting_week(dt.date(2026, 11, 28), 4) == Week(2026, 49)
    assert reporting_week(dt.date(2026, 11, 27), 4) == Week(2026, 48)
    assert reporting_week(dt.date(2026, 11, 29)) == Week(2026, 48)


def test_default_title_comes_from_the_documents() -> None:
    shipped = load_paths([str(ROOT / "tasks")]).plan
    assert default_title(shipped.documents) == "职业教育改革任务落实情况周报"
    assert build_weekly(shipped, W48).title == "职业教育改革任务落实情况周报"
    assert default_title(()) == "政策任务落实情况周报"
    # the shared phrase is a topic, not a fragment cut at 第 nor a frame such as 关于 … 的意见
    docs = [
        shipped.documents[0]._replace(title=t) for t in ("合成政策文件第0号", "合成政策文件第1号")
    ]
    assert default_title(docs) == "合成政策文件任务落实情况周报"
    docs = [
        shipped.documents[0]._replace(title=t) for t in ("关于印发某的通知", "关于做好另一项的意见")
    ]
    assert default_title(docs) == "政策任务落实情况周报"
    docs = [
        shipped.documents[0]._replace(title=t)
        for t in ("关于加快推进乡村振兴的意见", "关于全面推进乡村振兴的实施方案")
    ]
    assert default_title(docs) == "乡村振兴任务落实情况周报"


# --- the weekly report, core --------------------------------------------------------------------


def test_weekly_structure_and_every_section_present() -> None:
    report = demo_week()
    titles = [s.title for s in report.sections]
    assert titles == [
        "一、总体情况",
        "二、本周工作进展",
        "三、存在问题及需协调事项",
        "四、下周工作安排",
        "附件1 督办清单",
        "附件2 各牵头单位任务落实情况",
    ]
    assert report.date == dt.date(2026, 11, 29)
    assert report.title == "职业教育任务落实情况周报"  # from the documents (the demo is not 改革)
    assert report.author == Config().reporting_unit
    meta = dict(report.meta)
    assert meta["统计周期"] == "2026年11月23日至11月29日（2026年第48周）"
    assert report.issue is not None and report.issue.startswith("第")


def test_weekly_uses_evaluate_and_never_redecides_status() -> None:
    plan = demo_plan()
    results = {r.target.id: r for r in evaluate(plan, W48.sunday)}
    report = build_weekly(plan, W48)
    overview = table(report, "总体情况")
    counts = {row[1]: row[2] for row in cells(overview)}
    for s in Status:
        assert counts[STATUS_LABELS[s][0]] == sum(r.status is s for r in results.values())
    assert counts["合计"] == len(results)
    red = table(report, "督办清单")
    assert set(column(red, "id")) == {
        i for i, r in results.items() if r.status in (Status.OVERDUE, Status.BEHIND)
    }
    for tid, tag in zip(column(red, "id"), column(red, "status"), strict=True):
        assert isinstance(tag, Tag) and tag.code == results[tid].status.value
    blue = table(report, "即将到期")
    assert set(column(blue, "id")) == {
        i for i, r in results.items() if r.level is not None and r.level.value == "blue"
    }
    assert all(isinstance(t, Tag) and t.text == "蓝" for t in column(blue, "level"))
    levels = [t.code for t in column(red, "level") if isinstance(t, Tag)]
    assert levels == sorted(levels, key=["red", "yellow"].index)  # red first
    units = table(report, "单位情况")
    assert sum(column(units, "targets")) >= len(results)  # a target may have several lead units


def test_records_of_the_week_by_measure_and_newly_met(small: Path) -> None:
    w10 = small_week(small, Week(2026, 10))
    rows = cells(table(w10, "本周进展"))
    assert [(r[2], r[5]) for r in rows] == [("wk-1-1", DateCell(dt.date(2026, 3, 4), "2026-03-04"))]
    assert rows[0][1] == "一、测试措施" and rows[0][4] == "海东市教育局"
    problems = table(w10, "存在问题")
    assert column(problems, "problems") == ['=HYPERLINK("http://evil")']
    assert "其中本周新报1项" in w10.sections[2].paragraphs[0]
    w21 = small_week(small, Week(2026, 21))
    overview = w21.sections[0].paragraphs[0]
    assert "本周新完成目标1项（wk-1-1 测试指标甲）" in overview
    assert "已完成增加1项" in overview
    assert column(table(w21, "本周进展"), "status")[0] == Tag("done", "已完成")
    assert not table(w21, "存在问题").rows  # a met target's old problem is no longer open


def test_week_without_records_says_so(small: Path) -> None:
    report = small_week(small, Week(2026, 30))
    assert not table(report, "本周进展").rows
    md = report_md.render_reports([report])
    assert "## 二、本周工作进展\n\n本周无新增进展记录。\n" in md
    assert "本周报送进展记录0条" in report.sections[0].paragraphs[0]
    all_formats(report)


def test_week_before_any_deadline(small: Path) -> None:
    report = small_week(
        small, Week(2026, 2)
    )  # the document was issued that week; nothing is due yet
    assert not table(report, "督办清单").rows and not table(report, "即将到期").rows
    assert not table(report, "下周到期").rows
    md = report_md.render_reports([report])
    for said in (
        "本周无新增进展记录。",
        "各单位未报送存在问题。",
        "未来四周无到期任务。",
        "各单位未报送下步打算。",
        "无逾期或滞后事项。",
        "无即将到期事项。",
    ):
        assert said in md
    assert "无进展数据2项" in report.sections[0].paragraphs[0]
    assert report.issue is None  # before the first reporting week (the first record, 2026-W10)
    assert small_week(small, Week(2026, 10)).issue == "第1期"
    all_formats(report)


def test_week_after_every_deadline(small: Path) -> None:
    report = small_week(small, Week(2027, 10))
    red = table(report, "督办清单")
    assert column(red, "id") == ["wk-1-2"]
    assert column(red, "status") == [Tag("overdue", "逾期未完成（无进展数据）")]
    assert column(red, "days_late") == [(dt.date(2027, 3, 14) - dt.date(2026, 12, 31)).days]
    assert not table(report, "下周到期").rows and not table(report, "即将到期").rows
    assert "已完成1项，占50%" in report.sections[0].paragraphs[0]
    all_formats(report)


def test_due_soon_is_blue_and_in_the_next_four_weeks(small: Path) -> None:
    report = small_week(small, Week(2026, 49))  # Sunday 2026-12-06: wk-1-2 due in 25 days
    assert column(table(report, "即将到期"), "id") == ["wk-1-2"]
    assert column(table(report, "下周到期"), "days_left") == [25]
    assert "（二）即将到期事项（蓝色提示" in (table(report, "即将到期").title or "")


def test_an_empty_plan_still_reports() -> None:
    report = build_weekly(Plan(), W48)
    assert "没有目标" in report.sections[0].paragraphs[0]
    assert report.issue == "第1期"  # nothing recorded yet: the first report
    all_formats(report)


def test_english() -> None:
    report = demo_week(lang="en")
    assert [s.title for s in report.sections][:2] == ["1. Overview", "2. Progress this week"]
    assert report.title == "Weekly Report on the Implementation of Policy Tasks"
    assert dict(report.meta)["Period"] == "2026-11-23 to 2026-11-29 (2026-W48)"
    golden_text("weekly-2026-W48.en.md", report_md.render_reports([report]))


# --- renderers ------------------------------------------------------------------------------------


VOID = frozenset(
    {
        "meta",
        "br",
        "col",
        "img",
        "hr",
        "input",
        "link",
        "wbr",
        "source",
        "area",
        "base",
        "embed",
        "param",
        "track",
    }
)


class Checker(HTMLParser):
    """Balanced tags, and every start tag and attribute, for the HTML checks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_markdown_golden_and_escaping() -> None:
    md = report_md.render_reports([demo_week()])
    golden_text("weekly-2026-W48.md", md)
    assert md == report_md.render_reports([demo_week()])
    assert "&lt;script&gt;" in md and HOSTILE not in md
    for line in md.splitlines():
        if line.startswith("|"):
            cells = line.replace("\\|", "").split("|")
            assert len(cells) == line.count("|") - line.count("\\|") + 1
    assert report_md.esc("a|b\nc") == "a\\|b c"


def test_html_golden_clean_and_self_contained() -> None:
    html = report_html.render([demo_week()])
    golden_text("weekly-2026-W48.html", html)
    assert html == report_html.render([demo_week()])
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert all(tag != "script" for tag, _ in checker.tags)
    assert HOSTILE in "".join(checker.text)  # shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for tag, attrs in checker.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed")
        for name, value in attrs:
            assert name not in ("src", "href", "srcset", "action"), (tag, name, value)
    lowered = html.lower()
    assert "@import" not in lowered and "url(" not in lowered and "@font-face" not in lowered
    assert "@page { size: a4" in lowered
    assert 'class="bar"' in html and "width:" in html


def test_docx_golden_fonts_page_and_reproducible() -> None:
    report = demo_week()
    first, second = report_docx.render([report]), report_docx.render([demo_week()])
    assert members(first) == members(second)
    assert first == second
    dump = docx_dump(first)
    golden_text("weekly-2026-W48.docx.txt", dump)
    assert "created=2026-11-29T00:00:00+00:00 modified=2026-11-29T00:00:00+00:00" in dump
    assert "section: PORTRAIT 210x297mm\nsection: LANDSCAPE 297x210mm\n" in dump

    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(first))
    heading = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    body = next(p for p in doc.paragraphs if p.text.startswith("截至2026年11月29日"))
    for p, font in ((heading, "黑体"), (body, "仿宋_GB2312")):
        for run in p.runs:
            rfonts = run._r.rPr.find(qn("w:rFonts"))
            assert rfonts.get(qn("w:eastAsia")) == font and rfonts.get(qn("w:ascii")) == font
    tables = doc.tables
    red = next(
        t
        for t in tables
        if t.rows[0].cells[0].text == "序号" and t.rows[0].cells[-1].text == "最新进展"
    )
    red_rows = cells(table(report, "督办清单"))
    assert len(red.rows) == len(red_rows) + 1
    assert [r.cells[1].text for r in red.rows[1:]] == [r[1] for r in red_rows]
    # a cell's run takes its font and size from its paragraph's style (one per table size)
    cell = red.rows[1].cells[1].paragraphs[0]
    assert cell.runs[0]._r.rPr is None
    assert cell.style.name in report_docx.TABLE_STYLES
    rfonts = cell.style.element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == rfonts.get(qn("w:ascii")) == "仿宋_GB2312"
    sizes = {doc.styles[name].font.size.pt for name in report_docx.TABLE_STYLES}
    assert sizes == {10.5, 9.0}
    assert any(HOSTILE in c.text for r in red.rows for c in r.cells)


def test_xlsx_golden_sheets_types_and_no_formulas() -> None:
    report = demo_week()
    first, second = report_xlsx.render([report]), report_xlsx.render([demo_week()])
    assert members(first) == members(second)
    dump = xlsx_dump(first)
    golden_text("weekly-2026-W48.xlsx.txt", dump)
    assert dump.startswith(
        "workbook: title=职业教育任务落实情况周报 creator=工作专班办公室 created=2026-11-29T00:00:00\n"
    )

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(first))
    assert wb.sheetnames == [
        "报告",
        "总体情况",
        "本周进展",
        "存在问题",
        "下周到期",
        "下步打算",
        "督办清单",
        "即将到期",
        "单位情况",
    ]
    ws = wb["督办清单"]
    assert (
        ws.freeze_panes == "A4"
        and ws.auto_filter.ref == f"A3:M{len(table(report, '督办清单').rows) + 3}"
    )
    header = [c.value for c in ws[3]]
    row2 = {h: c for h, c in zip(header, ws[4], strict=True)}
    # a date: the date (it sorts and filters as one) shown with the document's words, as the
    # other formats show them; percentages written as cell_text writes them (100%, 96.8%)
    deadline = row2["完成时限"]
    assert isinstance(deadline.value, dt.datetime) and deadline.value.date() == dt.date(
        2024, 12, 31
    )
    assert deadline.number_format == "[<0]yyyy-mm-dd;\\2\\0\\2\\4\\年\\底"
    assert row2["序时进度"].number_format == "0%" and row2["序时进度"].value == 1
    fractions = [c for c in ws["J"][3:] if isinstance(c.value, float) and c.value * 100 % 1]
    assert fractions and all(c.number_format == "0.0%" for c in fractions)
    assert ws.column_dimensions["M"].width > ws.column_dimensions["A"].width
    cells = [c for sheet in wb.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    hostile = [c for c in cells if isinstance(c.value, str) and '=HYPERLINK("http://x")' in c.value]
    assert hostile and all(c.data_type == "s" for c in hostile)


def test_xlsx_text_starting_like_a_formula_stays_text(small: Path) -> None:
    report = small_week(small, Week(2026, 10))
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx.render([report])))
    values = {c.value: c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert values['=HYPERLINK("http://evil")'] == "s" and values["+SUM(1,2)"] == "s"
    raw = members(report_xlsx.render([report]))
    assert not any(
        b"<f>" in data for name, data in raw.items() if name.startswith("xl/worksheets/")
    )


# --- ledger ---------------------------------------------------------------------------------------


def test_ledger_rows_follow_evaluate_order_and_columns_are_selectable() -> None:
    plan = demo_plan()
    results = evaluate(plan, dt.date(2026, 11, 25))
    report = ledger(results, Registry(plan.units), plan.config, dt.date(2026, 11, 25))
    t = report.sections[0].tables[0]
    assert [c.label for c in t.columns] == [
        "序号",
        "任务编号",
        "重点任务",
        "量化目标",
        "牵头单位",
        "责任单位",
        "完成时限",
        "进展情况",
        "完成率",
        "序时进度",
        "完成状态",
        "预警等级",
        "存在问题",
        "下步打算",
        "更新日期",
    ]
    assert column(t, "id") == [r.target.id for r in results]
    assert column(t, "no") == list(range(1, len(results) + 1))
    assert ledger_column_keys(["任务编号", "status", "Level", "完成率"]) == [
        "id",
        "status",
        "level",
        "completion",
    ]
    with pytest.raises(ReportError):
        ledger_column_keys(["任务编码"])


def test_cli_ledger_same_rows_as_status_json() -> None:
    status = cli("status", *DEMO, "--as-of", "2026-11-25", "--format", "json")
    ids = [row["id"] for row in json.loads(status.stdout)["rows"]]
    result = cli(
        "report",
        "ledger",
        *DEMO,
        "--as-of",
        "2026-11-25",
        "--format",
        "csv",
        "--columns",
        "序号，任务编号,完成状态",
    )
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0] == ["序号", "任务编号", "完成状态"]
    assert [r[1] for r in rows[1:]] == ids
    full = cli("report", "ledger", *DEMO, "--as-of", "2026-11-25", "--format", "csv")
    assert full.exit_code == 0 and full.stderr == ""
    golden_text("ledger-2026-11-25.csv", full.stdout)
    assert [r[1] for r in list(csv.reader(io.StringIO(full.stdout.lstrip("\ufeff"))))[1:]] == ids


def test_cli_ledger_csv_and_xlsx_neutralise_formulas(small: Path, tmp_path: Path) -> None:
    result = cli(
        "report",
        "ledger",
        str(small),
        "--as-of",
        "2026-04-01",
        "-f",
        "csv",
        "--columns",
        "任务编号,存在问题,下步打算",
    )
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[1] == ["wk-1-1", '\'=HYPERLINK("http://evil")', "'+SUM(1,2)"]
    demo = cli("report", "ledger", *DEMO, "--as-of", "2026-11-25", "-f", "csv")
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        for row in csv.reader(io.StringIO(demo.stdout.lstrip("\ufeff")))
        for cell in row
    )
    out = tmp_path / "台账.xlsx"
    result = cli("report", "ledger", str(small), "--as-of", "2026-04-01", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == "" and str(out) in result.stderr

    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    cells = {c.value: c for row in ws.iter_rows() for c in row}
    assert (
        cells['=HYPERLINK("http://evil")'].data_type == "s" and cells["+SUM(1,2)"].data_type == "s"
    )
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:O5"


def test_cli_ledger_markdown_and_bad_column() -> None:
    result = cli(
        "report", "ledger", *DEMO, "--as-of", "2026-11-25", "-f", "md", "--columns", "id,status"
    )
    assert result.exit_code == 0
    assert "| 任务编号 | 完成状态 |" in result.stdout
    bad = cli("report", "ledger", *DEMO, "-f", "md", "--columns", "id,nope")
    assert bad.exit_code == 2 and bad.stdout == "" and "nope" in bad.stderr


# --- notices --------------------------------------------------------------------------------------


def test_notices_go_to_the_lead_unit_with_the_others_copied() -> None:
    """One notice per lead unit for the items it leads (the one who must act); the units that
    share them are copied; a reply-by date; room for the seal; a unit that leads nothing overdue
    or behind gets none (issue 12 §4)."""
    plan = demo_plan()
    as_of = dt.date(2026, 11, 25)
    results = evaluate(plan, as_of)
    registry = Registry(plan.units)
    made = notices(results, registry, plan.config, as_of)
    assert made and len({unit for _, unit, _ in made}) == len(made)
    bad = {r.target.id for r in results if r.status in (Status.OVERDUE, Status.BEHIND)}
    items_of_unit = {}
    for n, unit, notice in made:
        t = notice.sections[0].tables[0]
        assert t.rows and set(column(t, "id")) <= bad
        assert all(isinstance(lv, Tag) and lv.text in ("红", "黄") for lv in column(t, "level"))
        assert all(unit in lead.split("、") for lead in column(t, "lead"))  # it leads every item
        meta = dict(notice.meta)
        assert meta["督办对象"] == unit and unit not in meta.get("抄送", "")
        assert meta["编号"].endswith(f"-{n:02d}")
        assert meta["反馈时限"] == "2026年12月2日"  # config.reply_days, 7 by default
        assert notice.closing[0].endswith("（盖章）")
        items_of_unit[unit] = set(column(t, "id"))
    from zjtrack.evaluate import roles_of

    # every supervised target with a lead unit is in the notice of each of its lead units
    for r in results:
        if r.status in (Status.OVERDUE, Status.BEHIND):
            for lead in roles_of(r, registry).lead:
                assert r.target.id in items_of_unit[lead]
    assert "海东市财政局" not in items_of_unit  # it shares items, it leads none: no notice
    only = notices(results, registry, plan.config, as_of, only={"海东市教育局"})
    assert [(n, u) for n, u, _ in only] == [(n, u) for n, u, _ in made if u == "海东市教育局"]


def test_cli_notices_markdown_golden_and_directory(tmp_path: Path) -> None:
    result = cli("report", "notices", *DEMO, "--as-of", "2026-11-25")
    assert result.exit_code == 0 and result.stderr == ""
    golden_text("notices-2026-11-25.md", result.stdout)
    out = tmp_path / "notices"
    result = cli(
        "report", "notices", *DEMO, "--as-of", "2026-11-25", "-f", "docx", "-o", str(out) + "/"
    )
    assert result.exit_code == 0 and result.stdout == ""
    files = sorted(out.iterdir())
    assert files and all(f.suffix == ".docx" and f.name[:2].isdigit() for f in files)
    from docx import Document

    assert Document(str(files[0])).paragraphs[0].text == "督办通知单"
    one = cli(
        "report",
        "notices",
        *DEMO,
        "--as-of",
        "2026-11-25",
        "-f",
        "html",
        "--unit",
        "市教育局",
        "-o",
        str(tmp_path / "edu.html"),
    )
    assert one.exit_code == 0
    text = (tmp_path / "edu.html").read_text(encoding="utf-8")
    assert text.count('<article class="notice">') == 1 and "海东市教育局" in text
    unknown = cli("report", "notices", *DEMO, "--unit", "市教育厅局")
    assert unknown.exit_code == 2 and unknown.stdout == "" and "市教育厅局" in unknown.stderr


def test_cli_notices_when_nothing_is_late(small: Path) -> None:
    result = cli("report", "notices", str(small), "--as-of", "2026-03-01")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "无需督办" in result.stderr


# --- the weekly command ---------------------------------------------------------------------------


def test_cli_weekly_markdown_is_the_golden_file() -> None:
    result = cli("report", "weekly", *DEMO, "--week", "2026-W48")
    assert result.exit_code == 0 and result.stderr == ""
    golden_text("weekly-2026-W48.md", result.stdout)
    by_date = cli("report", "weekly", *DEMO, "--as-of", "2026-11-29")
    by_env = cli("report", "weekly", *DEMO, env={"ZJTRACK_AS_OF": "2026-11-29"})
    week_wins = cli("report", "weekly", *DEMO, "--week", "2026-W48", "--as-of", "2026-12-05")
    assert by_date.stdout == by_env.stdout == week_wins.stdout == result.stdout


def test_cli_weekly_before_the_cutoff_says_so_and_never_names_a_day_to_come() -> None:
    wednesday = cli("report", "weekly", *DEMO, "--as-of", "2026-11-25")
    assert wednesday.exit_code == 0, wednesday.stderr
    out = wednesday.stdout
    assert "统计周期：2026年11月23日至11月25日（2026年第48周，本周尚未截止）" in out
    assert "统计截至：2026年11月25日" in out and "11月29日" not in out
    same = cli("report", "weekly", *DEMO, "--week", "2026-W48", "--as-of", "2026-11-25")
    assert same.stdout == out
    # a week that has not begun on the as-of date is refused
    early = cli("report", "weekly", *DEMO, "--week", "2026-W48", "--as-of", "2025-01-01")
    assert early.exit_code == 2 and early.stdout == "" and "2026-W48" in early.stderr


def test_cli_weekly_with_records_in_the_week() -> None:
    result = cli("report", "weekly", *DEMO, "--week", "2026-W47")
    assert result.exit_code == 0 and result.stderr == ""
    assert "本周共报送进展记录1条" in result.stdout and "本周无新增进展记录" not in result.stdout
    golden_text("weekly-2026-W47.md", result.stdout)


def test_cli_weekly_every_format_to_a_file_is_reproducible(tmp_path: Path) -> None:
    for fmt in ("md", "html", "docx", "xlsx"):
        outs = []
        for n in (1, 2):
            out = tmp_path / f"r{n}.{fmt}"
            result = cli("report", "weekly", *DEMO, "--week", "2026-W48", "-f", fmt, "-o", str(out))
            assert (result.exit_code, result.stdout) == (0, "")
            assert result.stderr == f"已生成：{out}\n"
            outs.append(out.read_bytes())
        if fmt in ("docx", "xlsx"):
            assert members(outs[0]) == members(outs[1])
        assert outs[0] == outs[1]
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    html = (tmp_path / "r1.html").read_text(encoding="utf-8")
    golden_text("weekly-2026-W48.html", html)


@pytest.mark.parametrize(
    ("command", "name", "starts"),
    [
        ("weekly", "周报.docx", b"PK"),
        ("weekly", "周报.XLSX", b"PK"),
        ("weekly", "周报.htm", b"<!DOCTYPE html>"),
        ("weekly", "周报.txt", b"# "),  # a suffix that names no format: the default, md
        ("ledger", "台账.csv", "\ufeff".encode()),
        ("ledger", "台账.md", b"# "),
        ("ledger", "台账", b"PK"),  # no suffix: the default, xlsx
        ("notices", "督办单.docx", b"PK"),
    ],
)
def test_cli_report_format_follows_the_output_suffix_without_format(
    tmp_path: Path, command: str, name: str, starts: bytes
) -> None:
    """`-o weekly.docx` writes a docx: without --format, the file's suffix names the format."""
    out = tmp_path / name
    result = cli("report", command, *DEMO, "--as-of", "2026-11-25", "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"已生成：{out}\n")
    assert out.read_bytes().startswith(starts)


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (["weekly", "-f", "md", "-o", "周报.docx"], "--format", "与 --format md 不符"),
        (["weekly", "-o", "周报.csv"], "--output", "只能输出 md, html, docx, xlsx"),
        (["ledger", "--format", "csv", "-o", "台账.xlsx"], "--format", "改用 --format xlsx"),
        (["notices", "-o", "督办单.xlsx"], "--output", "只能输出 md, html, docx"),
    ],
)
def test_cli_report_refuses_a_suffix_that_contradicts_the_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], option: str, words: str
) -> None:
    """Markdown in a file named .docx is a report nobody can open: refused as a bad option, exit
    2, nothing written, the file already there untouched."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / args[-1]
    out.write_bytes(b"keep me")
    result = cli("report", args[0], *DEMO, "--as-of", "2026-11-25", *args[1:], "--force")
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"Invalid value for {option}: 输出文件 {args[-1]} 的扩展名" in result.stderr
    assert words in result.stderr
    assert out.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    english = cli("report", args[0], *DEMO, "--as-of", "2026-11-25", *args[1:], "--lang", "en")
    assert english.exit_code == 2 and f"the output file {args[-1]} is named as" in english.stderr
    assert out.read_bytes() == b"keep me"


def test_cli_notices_into_a_folder_name_their_files_by_format(tmp_path: Path) -> None:
    """A folder named like a file (`out.md/`) is still a folder: each notice is named by
    --format, not by the folder's suffix."""
    folder = tmp_path / "out.md"
    folder.mkdir()
    result = cli(
        "report", "notices", *DEMO, "--as-of", "2026-11-25", "-f", "docx", "-o", str(folder)
    )
    assert result.exit_code == 0 and result.stdout == ""
    made = sorted(p.suffix for p in folder.iterdir())
    assert made and set(made) == {".docx"}


def test_cli_weekly_overwrites_atomically(tmp_path: Path) -> None:
    out = tmp_path / "周报.docx"
    out.write_bytes(b"old")  # not zjtrack's: replaced only with --force
    args = ("report", "weekly", *DEMO, "--week", "2026-W48", "-f", "docx", "-o", str(out))
    result = cli(*args, "--force")
    assert result.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    again = cli(*args)  # zjtrack's own report: replaced without asking
    assert again.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["周报.docx"]


def test_cli_binary_to_stdout_only_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = cli("report", "weekly", *DEMO, "--week", "2026-W48", "-f", "xlsx")
    assert piped.exit_code == 0 and piped.stdout_bytes[:2] == b"PK" and piped.stderr == ""
    assert members(piped.stdout_bytes) == members(report_xlsx.render([demo_week()]))
    monkeypatch.setattr(cli_report, "_stdout_is_tty", lambda: True)
    for fmt in ("docx", "xlsx"):
        tty = cli("report", "weekly", *DEMO, "--week", "2026-W48", "-f", fmt)
        assert tty.exit_code == 2 and tty.stdout == "" and "-o" in tty.stderr
    assert (
        cli("report", "weekly", *DEMO, "--week", "2026-W48").exit_code == 0
    )  # text is fine on a terminal


def test_cli_weekly_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    for args in (["--week", "2026-W60"], ["--week", "next"], ["--as-of", "2026-02-30"]):
        result = cli("report", "weekly", *DEMO, *args)
        assert result.exit_code == 2 and result.stdout == "" and result.stderr, args
    missing = cli(
        "report",
        "weekly",
        *DEMO,
        "--week",
        "2026-W48",
        "-f",
        "docx",
        "-o",
        str(tmp_path / "no" / "x.docx"),
    )
    assert missing.exit_code == 2 and missing.stdout == "" and "无法写入" in missing.stderr
    directory = cli("report", "weekly", *DEMO, "--week", "2026-W48", "-o", str(tmp_path))
    assert directory.exit_code == 2 and "目录" in directory.stderr
    unreadable = cli("report", "weekly", str(tmp_path / "nothing-here"), "--week", "2026-W48")
    assert unreadable.exit_code == 2 and unreadable.stdout == ""
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "config.yaml").write_text(
        "zjtrack: 1\nconfig:\n  first_week: 2026/48\n", encoding="utf-8"
    )
    # a config that does not read is a file with errors: the report is written, marked, exit 1
    bad = cli("report", "weekly", *DEMO, str(config), "--week", "2026-W48")
    assert bad.exit_code == 1 and "config.yaml" in bad.stderr and "结果不完整" in bad.stdout


def test_cli_weekly_english_and_config(tmp_path: Path) -> None:
    result = cli("report", "weekly", *DEMO, "--week", "2026-W48", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Weekly Report on the Implementation of Policy Tasks\n")
    assert "## Annex 1. Supervision list" in result.stdout
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "config.yaml").write_text(
        "zjtrack: 1\nconfig:\n  report_title: 职业教育改革任务周报\n  reporting_unit: 市职教改革专班\n  first_week: 2026-W45\n",
        encoding="utf-8",
    )
    result = cli("report", "weekly", *DEMO, str(config), "--week", "2026-W48")
    assert result.exit_code == 0
    assert result.stdout.startswith("# 职业教育改革任务周报\n\n**第4期**\n")
    assert "- 报送单位：市职教改革专班\n" in result.stdout


def test_report_help() -> None:
    for sub in ("weekly", "ledger", "notices"):
        result = cli("report", sub, "--help")
        assert result.exit_code == 0 and sub in result.stdout


def test_docx_declares_chinese_for_its_east_asian_text() -> None:
    """docDefaults' w:lang: zh-CN for East Asian text (the template's en-US made LibreOffice
    draw the Chinese with a Japanese fallback font), the report's language for the rest."""
    for lang, val in (("zh", "zh-CN"), ("en", "en-US")):
        data = report_docx.render([demo_week()._replace(lang=lang)])
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            styles = z.read("word/styles.xml").decode("utf-8")
        assert f'<w:lang w:val="{val}" w:eastAsia="zh-CN"' in styles


def test_xlsx_shows_a_deadline_with_ascii_quotes_as_written(tmp_path: Path) -> None:
    """A deadline written `"十四五"期间` (ASCII quotes, which check accepts) showed as 2025-12-31:
    a double quote cannot stand inside a quoted number-format literal (found by the adversarial
    pass). Each character is escaped now, so the cell is the date and shows the words."""
    import openpyxl

    tasks = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", tasks)
    doc = tasks / "haidong-2024-74.yaml"
    text = doc.read_text("utf-8").replace(
        "        deadline: “十四五”期间\n", "        deadline: '\"十四五\"期间'\n", 1
    )
    doc.write_text(text, "utf-8")
    out = tmp_path / "ledger.xlsx"
    run = cli("report", "ledger", str(tasks), "--as-of", "2026-11-25", "-o", str(out))
    assert run.exit_code == 0, run.stderr
    ws = openpyxl.load_workbook(out).worksheets[-1]
    header = next(r for r in ws.iter_rows(values_only=True) if "完成时限" in r)
    column = header.index("完成时限")
    cells = [r[column] for r in ws.iter_rows() if r[column].number_format.endswith("\\期\\间")]
    quoted = [c for c in cells if '\\"' in c.number_format]
    assert quoted and all(c.is_date and c.value.date() == dt.date(2025, 12, 31) for c in quoted)
    assert quoted[0].number_format == '[<0]yyyy-mm-dd;\\"\\十\\四\\五\\"\\期\\间'
