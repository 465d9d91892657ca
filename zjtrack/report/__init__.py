"""The weekly report (周报), the task ledger (工作台账) and supervision notices (督办单), as values.

Pure: every function here takes evaluate results (or a plan and an explicit date, and calls
`evaluate`), and returns a `Report`: a title, header lines and sections of prose and typed tables.
Nothing here decides a status (that is `evaluate`'s job), reads the clock or touches a file; the
renderers in `zjtrack/render/report_*.py` turn a `Report` into Markdown, HTML, docx or xlsx.

Weeks are ISO weeks (Monday to Sunday; 2025-12-29 belongs to 2026-W01). A weekly report is judged
as of its week's Sunday and compared with the Sunday before. Its issue number (第N期) counts weeks
from `config.first_week`, or, when that is unset, from the ISO week of the earliest document's
issue date; a week before issue 1 gets no number.

Text from task and progress files is made inert here (control and bidi characters shown as
escapes), once, so no renderer can forget; each renderer still escapes for its own format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..evaluate import LEVEL_LABELS, STATUS_LABELS, Level, Status, TargetResult, evaluate
from ..model import Config, Document, Plan, ProgressRecord, Target
from ..problems import UserError
from ..registry import Registry
from ..text import inert
from ..views import describe_fields, describe_target

NEXT_WEEKS = 4  # 四、下周工作安排 looks this many weeks ahead
LIST_CAP = 10  # prose lists name at most this many targets, then say how many more


# --- errors and weeks ---------------------------------------------------------------------------


# A report that cannot be made (a bad week, a bad setting) raises the one UserError; ReportError
# is its old name, kept as an alias for one release.
ReportError = UserError


@dataclass(frozen=True, order=True)
class Week:
    """One ISO week: Monday to Sunday."""

    year: int
    week: int

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def __str__(self) -> str:
        return self.label


_WEEK = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


def parse_week(text: str) -> Week:
    """`2026-W48` (also `2026W48`, `2026-w48`) as a Week; a week the year does not have is refused."""
    m = _WEEK.match(text)
    if not m:
        raise ReportError(
            f"`{text}` 不是 ISO 周（如 2026-W48）", f"`{text}` is not an ISO week (e.g. 2026-W48)"
        )
    year, week = int(m[1]), int(m[2])
    try:
        dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ReportError(f"{year} 年没有第 {week} 周", f"{year} has no week {week}") from None
    return _in_range(Week(year, week))


def _in_range(week: Week) -> Week:
    """Reports look weeks back and ahead: keep far from the calendar's ends (years 1–9999)."""
    if not 1900 <= week.year <= 9000:
        raise ReportError(
            f"{week.year} 年超出周报可处理的范围（1900–9000）",
            f"year {week.year} is outside what a report can cover (1900-9000)",
        )
    return week


def week_of(day: dt.date) -> Week:
    """The ISO week a date falls in (2025-12-29 is in 2026-W01)."""
    iso = day.isocalendar()
    return _in_range(Week(iso[0], iso[1]))


def first_week(config: Config, documents: Iterable[Document]) -> Week | None:
    """The week of issue 1: `config.first_week`, else the week of the earliest issue date."""
    if config.first_week:
        try:
            return parse_week(config.first_week)
        except ReportError as e:
            raise ReportError(f"config.first_week：{e.zh}", f"config.first_week: {e.en}") from None
    issued = [d.issued for d in documents if d.issued is not None]
    return week_of(min(issued)) if issued else None


def issue_number(week: Week, first: Week | None) -> int | None:
    """第N期: weeks since the first week, counting it as 1; None before it or without one."""
    if first is None:
        return None
    n = (week.monday - first.monday).days // 7 + 1
    return n if n >= 1 else None


# --- the report value ---------------------------------------------------------------------------


class DateCell(NamedTuple):
    """A date in a table: the real date (xlsx writes it as a date) and how text formats show it."""

    date: dt.date | None
    text: str


class Tag(NamedTuple):
    """A status or warning level: a stable code (for colours) and its label."""

    code: str
    text: str


Cell = str | int | float | DateCell | Tag | None


@dataclass(frozen=True, slots=True)
class Col:
    """A table column. kind: text, long (wrapped, wide), int, delta (signed int), percent (0-100),
    date (a DateCell), tag (a Tag)."""

    key: str
    label: str
    kind: str = "text"


_KEY_WEIGHT = {
    "no": 1.2,
    "id": 2.6,
    "lead": 3.6,
    "resp": 4.6,
    "role": 1.5,
    "category": 1.5,
    "item": 3.0,
}
_KIND_WEIGHT = {
    "int": 1.7,
    "delta": 1.5,
    "percent": 2.2,
    "date": 2.8,
    "tag": 2.6,
    "text": 4.0,
    "long": 6.5,
}


def weight(col: Col) -> float:
    """A column's relative width in printed tables (HTML and docx)."""
    return _KEY_WEIGHT.get(col.key, _KIND_WEIGHT.get(col.kind, 4.0))


@dataclass(frozen=True)
class Table:
    columns: tuple[Col, ...]
    rows: list[tuple[Cell, ...]]
    empty: str  # said instead of an empty table
    sheet: str  # xlsx sheet name (unique within a report, at most 31 characters)
    title: str | None = None  # a sub-heading, e.g. （一）逾期及滞后事项


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    annex: bool = False  # 附件: after the body (docx puts annexes on landscape pages)


@dataclass(frozen=True)
class Report:
    """One printable document: a weekly report, a ledger or one unit's supervision notice."""

    kind: str  # weekly, ledger, notice
    lang: str
    title: str
    date: dt.date  # the as-of date; also the fixed timestamp of docx/xlsx files
    author: str  # the reporting unit
    issue: str | None = None  # 第124期
    meta: tuple[tuple[str, str], ...] = ()  # (label, value) header lines
    sections: tuple[Section, ...] = ()
    closing: tuple[str, ...] = ()  # signature lines at the end (notices)
    cover: bool = True  # xlsx: a first sheet with the header and the prose


# --- words --------------------------------------------------------------------------------------

_W: dict[str, tuple[str, str]] = {
    "title": ("政策任务落实情况周报", "Weekly Report on the Implementation of Policy Tasks"),
    "unit": ("工作专班办公室", "Work Group Office"),
    "issue": ("第{n}期", "No. {n}"),
    "period": ("统计周期", "Period"),
    "as_of": ("统计截至", "As of"),
    "reporter": ("报送单位", "Reported by"),
    "scope": ("统计范围", "Documents"),
    "s1": ("一、总体情况", "1. Overview"),
    "s2": ("二、本周工作进展", "2. Progress this week"),
    "s3": ("三、存在问题及需协调事项", "3. Problems and matters needing coordination"),
    "s4": ("四、下周工作安排", "4. Plans for the coming weeks"),
    "a1": ("附件1 督办清单", "Annex 1. Supervision list"),
    "a2": ("附件2 各牵头单位任务落实情况", "Annex 2. Targets by lead unit"),
    "no": ("序号", "No."),
    "id": ("任务编号", "ID"),
    "task": ("重点任务", "Task"),
    "measure": ("措施", "Measure"),
    "target": ("目标", "Target"),
    "quant": ("量化目标", "Quantified target"),
    "lead": ("牵头单位", "Lead units"),
    "resp": ("责任单位", "Responsible units"),
    "deadline": ("完成时限", "Deadline"),
    "days_late": ("逾期天数", "Days late"),
    "days_left": ("剩余天数", "Days left"),
    "progress": ("完成率", "Progress"),
    "cum_progress": ("累计完成率", "Progress to date"),
    "time_progress": ("序时进度", "Time elapsed"),
    "status": ("完成状态", "Status"),
    "level": ("预警等级", "Level"),
    "latest": ("最新进展", "Latest record"),
    "progress_text": ("进展情况", "Progress report"),
    "problems": ("存在问题", "Problems"),
    "next_steps": ("下步打算", "Next steps"),
    "updated": ("更新日期", "Updated"),
    "date": ("日期", "Date"),
    "reported": ("报送日期", "Reported"),
    "record": ("本周进展", "Record"),
    "role": ("职责", "Role"),
    "role_lead": ("牵头", "lead"),
    "role_resp": ("责任", "responsible"),
    "category": ("类别", "Category"),
    "item": ("项目", "Item"),
    "count": ("本周", "This week"),
    "share": ("占比", "Share"),
    "prev": ("上周", "Last week"),
    "delta": ("增减", "Change"),
    "cat_status": ("状态", "status"),
    "cat_level": ("预警", "level"),
    "total": ("合计", "total"),
    "red": ("红色督办", "red"),
    "yellow": ("黄色预警", "yellow"),
    "blue": ("蓝色提示", "blue"),
    "targets": ("牵头目标", "Targets"),
    "done_share": ("完成占比", "Done"),
    "no_lead": ("（未明确牵头单位）", "(no lead unit named)"),
    "empty_records": ("本周无新增进展记录。", "No progress was recorded this week."),
    "empty_problems": ("各单位未报送存在问题。", "No unit has reported problems."),
    "empty_due": ("未来四周无到期任务。", "Nothing falls due in the next four weeks."),
    "empty_steps": ("各单位未报送下步打算。", "No unit has reported next steps."),
    "empty_red": ("无逾期或滞后事项。", "Nothing is overdue or behind schedule."),
    "empty_blue": ("无即将到期事项。", "Nothing falls due soon."),
    "empty_units": ("没有目标。", "There are no targets."),
    "empty_targets": ("没有目标。", "There are no targets."),
    "sheet_overview": ("总体情况", "Overview"),
    "sheet_records": ("本周进展", "Progress"),
    "sheet_problems": ("存在问题", "Problems"),
    "sheet_due": ("下周到期", "Next 4 weeks"),
    "sheet_steps": ("下步打算", "Next steps"),
    "sheet_red": ("督办清单", "Supervision"),
    "sheet_blue": ("即将到期", "Due soon (blue)"),
    "sheet_units": ("单位情况", "Units"),
    "sheet_ledger": ("工作台账", "Ledger"),
    "sheet_notice": ("督办事项", "Items"),
    "source": ("来源", "source"),
    "by": ("报送", "by"),
    "done": ("完成", "done"),
    "not_done": ("未完成", "not done"),
    "entities_met": ("达标对象 {m}/{n}", "{m} of {n} entities meet it"),
    "extended": ("（延期至 {d}）", " (extended to {d})"),
    "ledger_title": ("工作台账", "Task Ledger"),
    "notice_title": ("督办通知单", "Supervision Notice"),
    "notice_no": ("编号", "No."),
    "notice_to": ("督办对象", "To"),
    "notice_from": ("督办单位", "From"),
    "notice_date": ("日期", "Date"),
    "notice_items": ("督办事项", "Items"),
}


def w(key: str, lang: str, **kw: object) -> str:
    text = _W[key][0 if lang == "zh" else 1]
    return text.format(**kw) if kw else text


def day_text(day: dt.date | None, lang: str, *, year: bool = True) -> str:
    """2026年11月29日 (or 11月29日) in Chinese, ISO in English."""
    if day is None:
        return "—"
    if lang != "zh":
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


def span_text(first: dt.date, last: dt.date, lang: str) -> str:
    if lang != "zh":
        return f"{first.isoformat()} to {last.isoformat()}"
    return f"{day_text(first, lang)}至{day_text(last, lang, year=first.year != last.year)}"


def cell_text(cell: Cell, kind: str) -> str:
    """How text formats (Markdown, HTML, docx, CSV) show a cell."""
    if cell is None:
        return "—" if kind == "percent" else ""
    if isinstance(cell, (DateCell, Tag)):
        return cell.text
    if kind == "percent" and isinstance(cell, (int, float)):
        return f"{num(cell)}%"
    if kind == "delta" and isinstance(cell, int):
        return f"{cell:+d}" if cell else "0"
    if isinstance(cell, float):
        return num(cell)
    return str(cell)


def num(v: float | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _safe(text: str | None) -> str:
    return inert(text) if text else ""


def status_tag(res: TargetResult, lang: str) -> Tag:
    i = 0 if lang == "zh" else 1
    text = STATUS_LABELS[res.status][i]
    if res.status is Status.OVERDUE and res.latest is None:
        text += "（无进展数据）" if lang == "zh" else " (no data)"
    return Tag(res.status.value, text)


def level_tag(level: Level | None, lang: str) -> Tag:
    if level is None:
        return Tag("", "")
    return Tag(level.value, LEVEL_LABELS[level][0 if lang == "zh" else 1])


# --- per-target facts, computed once ------------------------------------------------------------


class Item(NamedTuple):
    """One target's result with the text every table needs (units canonical, text inert). The
    target and deadline texts are made when a table shows them: a province's report judges
    50,000 targets but lists only those that need attention."""

    order: int  # document order
    res: TargetResult
    task: str  # 五、提升职业学校关键办学能力
    lead: tuple[str, ...]  # canonical lead units (+ lead colleges and enterprises)
    responsible: tuple[str, ...]
    no_lead: str  # shown when no lead unit is named: the rule or quote that says who, or 未明确
    lang: str

    @property
    def target(self) -> str:
        """职业学校办学条件达标学校比例 ≥ 90%"""
        return _safe(describe_target(describe_fields(self.res.target), self.lang))

    @property
    def deadline(self) -> DateCell:
        res = self.res
        text = _safe(res.target.deadline.text if res.target.deadline else None) or "—"
        if res.deadline and res.original_deadline and res.deadline != res.original_deadline:
            text += w("extended", self.lang, d=res.deadline.isoformat())
        return DateCell(res.deadline, text)

    @property
    def lead_text(self) -> str:
        return "、".join(self.lead) or self.no_lead

    @property
    def responsible_text(self) -> str:
        return "、".join(self.responsible)


def items_of(results: Sequence[TargetResult], registry: Registry, lang: str) -> list[Item]:
    out = []
    units: dict[tuple[int, str | None], tuple[tuple[str, ...], tuple[str, ...], str]] = {}
    tasks: dict[int, str] = {}  # per measure (the results hold every measure alive: ids are stable)
    for i, res in enumerate(results):
        r = res.measure.responsibility_of(res.target)
        region = res.document.region
        key = (id(r), region)  # targets of a measure share its responsibility: resolve names once
        if key not in units:
            lead = _unique(
                registry.canonical(r.lead_units + r.lead_colleges + r.lead_enterprises, region)
            )
            resp = tuple(
                n for n in _unique(registry.canonical(r.responsible_units, region)) if n not in lead
            )
            no_lead = w("no_lead", lang)
            if r.lead_enterprise_rule or r.responsibility_quote:
                said = _safe(r.lead_enterprise_rule or r.responsibility_quote)
                no_lead = f"（{said}）" if lang == "zh" else f"({said})"
            units[key] = (tuple(_safe(n) for n in lead), tuple(_safe(n) for n in resp), no_lead)
        lead_names, resp_names, no_lead = units[key]
        measure = res.measure
        task = tasks.get(id(measure))
        if task is None:
            task = tasks[id(measure)] = _safe(f"{measure.clause}{measure.title}")
        out.append(Item(i, res, task, lead_names, resp_names, no_lead, lang))
    return out


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def record_value(rec: ProgressRecord, target: Target, lang: str) -> str:
    if rec.value is not None:
        shown = f"{num(rec.value)}{target.unit or ''}"
    elif rec.done is not None:
        shown = w("done" if rec.done else "not_done", lang)
    else:
        shown = "—"
    if rec.entity:
        shown = f"{rec.entity}：{shown}" if lang == "zh" else f"{rec.entity}: {shown}"
    return _safe(shown)


def record_text(rec: ProgressRecord, target: Target, lang: str, *, with_date: bool) -> str:
    """`2026-09-30 2个；备注（来源：…；报送：…）`: one record as a line of text."""
    text = record_value(rec, target, lang)
    if with_date:
        text = f"{rec.date.isoformat() if rec.date else '?'} {text}"
    if rec.note:
        text += ("；" if lang == "zh" else "; ") + _safe(rec.note)
    extra = []
    if rec.source:
        extra.append(
            f"{w('source', lang)}：{_safe(rec.source)}"
            if lang == "zh"
            else f"source: {_safe(rec.source)}"
        )
    if rec.by:
        extra.append(
            f"{w('by', lang)}：{_safe(rec.by)}" if lang == "zh" else f"by: {_safe(rec.by)}"
        )
    if extra:
        text += f"（{'；'.join(extra)}）" if lang == "zh" else f" ({'; '.join(extra)})"
    return text


def latest_text(item: Item, lang: str) -> str:
    """The latest record, with how many entities meet a per-entity target."""
    res = item.res
    if res.latest is None:
        return "—"
    text = record_text(res.latest, res.target, lang, with_date=True)
    if res.target.per_entity and res.entities:
        met = sum(e.met for e in res.entities)
        text += ("；" if lang == "zh" else "; ") + w(
            "entities_met", lang, m=met, n=len(res.entities)
        )
    return text


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _cols(lang: str, *spec: tuple[str, str]) -> tuple[Col, ...]:
    return tuple(Col(key, w(key, lang), kind) for key, kind in spec)


def _names(items: Sequence[Item], lang: str, cap: int = LIST_CAP) -> str:
    """`demo-1-3 订单班学生占在校生比例、…等12项` for prose."""
    sep = "、" if lang == "zh" else "; "
    shown = sep.join(f"{i.res.target.id} {i.res.target.metric}" for i in items[:cap])
    if len(items) > cap:
        shown += f"等{len(items)}项" if lang == "zh" else f" and {len(items) - cap} more"
    return _safe(shown)


# --- the weekly report --------------------------------------------------------------------------

_STATUS_ROWS = (Status.DONE, Status.ON_TRACK, Status.BEHIND, Status.OVERDUE, Status.NO_DATA)
_LEVELS = (Level.RED, Level.YELLOW, Level.BLUE)


def build_weekly(plan: Plan, week: Week, lang: str = "zh") -> Report:
    """The weekly report of a plan: judged as of the week's Sunday, compared with the Sunday before."""
    now = evaluate(plan, week.sunday)
    before = evaluate(plan, week.monday - dt.timedelta(days=1))
    return weekly_report(now, before, Registry(plan.units), plan.config, plan.documents, week, lang)


def weekly_report(
    now: Sequence[TargetResult],
    before: Sequence[TargetResult],
    registry: Registry,
    config: Config,
    documents: Sequence[Document],
    week: Week,
    lang: str = "zh",
) -> Report:
    """The weekly report from `now` (as of the week's Sunday) and `before` (the Sunday before)."""
    items = items_of(now, registry, lang)
    first = first_week(config, documents)
    n = issue_number(week, first)
    title = config.report_title
    if lang != "zh" and title == Config().report_title:
        title = w("title", lang)
    author = config.reporting_unit
    if lang != "zh" and author == Config().reporting_unit:
        author = w("unit", lang)
    period = span_text(week.monday, week.sunday, lang)
    period += f"（{week.year}年第{week.week}周）" if lang == "zh" else f" ({week.label})"
    meta = [
        (w("period", lang), period),
        (w("as_of", lang), day_text(week.sunday, lang)),
        (w("reporter", lang), _safe(author)),
    ]
    if documents:
        meta.append((w("scope", lang), _scope(documents, lang)))
    sections = (
        _overview(items, before, config, documents, week, lang),
        _this_week(items, week, lang),
        _problems(items, week, lang),
        _next_weeks(items, week, lang),
        _supervision(items, config, week.sunday, lang),
        _by_unit(items, lang),
    )
    return Report(
        kind="weekly",
        lang=lang,
        title=_safe(title),
        date=week.sunday,
        author=_safe(author),
        issue=w("issue", lang, n=n) if n is not None else None,
        meta=tuple(meta),
        sections=sections,
    )


def _scope(documents: Sequence[Document], lang: str, cap: int = 5) -> str:
    names = [
        f"《{d.title}》（{d.doc_number}）" if lang == "zh" else f"{d.title} ({d.doc_number})"
        for d in documents[:cap]
    ]
    text = ("、" if lang == "zh" else "; ").join(names)
    if len(documents) > cap:
        text += f"等{len(documents)}个文件" if lang == "zh" else f" and {len(documents) - cap} more"
    return _safe(text)


def _overview(
    items: list[Item],
    before: Sequence[TargetResult],
    config: Config,
    documents: Sequence[Document],
    week: Week,
    lang: str,
) -> Section:
    total = len(items)
    counts = {s: 0 for s in Status}
    levels = {lv: 0 for lv in Level}
    for it in items:
        counts[it.res.status] += 1
        if it.res.level is not None:
            levels[it.res.level] += 1
    prev_counts = {s: 0 for s in Status}
    prev_levels = {lv: 0 for lv in Level}
    prev_status: dict[str, Status] = {}
    for r in before:
        prev_counts[r.status] += 1
        if r.level is not None:
            prev_levels[r.level] += 1
        prev_status[r.target.id] = r.status
    met_now = [
        it
        for it in items
        if it.res.status is Status.DONE and prev_status.get(it.res.target.id) is not Status.DONE
    ]
    late_now = [
        it
        for it in items
        if it.res.status is Status.OVERDUE
        and prev_status.get(it.res.target.id) is not Status.OVERDUE
    ]
    monday = week.monday
    recs = [
        (it, r) for it in items for r in it.res.records if r.date is not None and r.date >= monday
    ]
    rec_targets = len({it.order for it, _ in recs})

    i = 0 if lang == "zh" else 1
    label = {s: STATUS_LABELS[s][i] for s in Status}
    share = _share(counts[Status.DONE], total)
    measures = len({(it.res.document.id, it.res.measure.id) for it in items})
    if lang == "zh":
        if total:
            text = (
                f"截至{day_text(week.sunday, lang)}，纳入跟踪的{len(documents)}个文件、{measures}项措施共有目标{total}项："
                f"已完成{counts[Status.DONE]}项，占{num(share)}%；按序时推进{counts[Status.ON_TRACK]}项；"
                f"滞后序时{counts[Status.BEHIND]}项；逾期未完成{counts[Status.OVERDUE]}项；"
                f"无进展数据{counts[Status.NO_DATA]}项。"
                f"红色督办{levels[Level.RED]}项、黄色预警{levels[Level.YELLOW]}项、"
                f"蓝色提示{levels[Level.BLUE]}项（{config.due_soon_days}天内到期）。"
            )
        else:
            text = f"截至{day_text(week.sunday, lang)}，纳入跟踪的文件中没有目标。"
        text += f"本周报送进展记录{len(recs)}条，涉及目标{rec_targets}项；"
        text += (
            f"本周新完成目标{len(met_now)}项"
            + (f"（{_names(met_now, lang)}）" if met_now else "")
            + "；"
        )
        text += (
            f"新增逾期{len(late_now)}项"
            + (f"（{_names(late_now, lang)}）" if late_now else "")
            + "。"
        )
        changes = [
            f"{label[s]}{'增加' if counts[s] > prev_counts[s] else '减少'}{abs(counts[s] - prev_counts[s])}项"
            for s in _STATUS_ROWS
            if counts[s] != prev_counts[s]
        ]
        text += (
            ("与上周相比，" + "，".join(changes) + "。") if changes else "各状态目标数与上周持平。"
        )
    else:
        if total:
            text = (
                f"As of {week.sunday.isoformat()}, the {len(documents)} documents tracked ({measures} measures) "
                f"have {total} targets: {counts[Status.DONE]} done ({num(share)}%), "
                f"{counts[Status.ON_TRACK]} on schedule, {counts[Status.BEHIND]} behind schedule, "
                f"{counts[Status.OVERDUE]} overdue, {counts[Status.NO_DATA]} with no data. "
                f"Warnings: {levels[Level.RED]} red, {levels[Level.YELLOW]} yellow, "
                f"{levels[Level.BLUE]} blue (due within {config.due_soon_days} days). "
            )
        else:
            text = f"As of {week.sunday.isoformat()}, the documents tracked have no targets. "
        text += f"This week {len(recs)} progress records were filed, on {rec_targets} targets; "
        text += (
            f"{len(met_now)} targets were met"
            + (f" ({_names(met_now, lang)})" if met_now else "")
            + "; "
        )
        text += (
            f"{len(late_now)} became overdue"
            + (f" ({_names(late_now, lang)})" if late_now else "")
            + ". "
        )
        changes = [
            f"{label[s]} {counts[s] - prev_counts[s]:+d}"
            for s in _STATUS_ROWS
            if counts[s] != prev_counts[s]
        ]
        text += (
            ("Compared with last week: " + ", ".join(changes) + ".")
            if changes
            else "No status count changed."
        )

    cols = _cols(
        lang,
        ("category", "text"),
        ("item", "text"),
        ("count", "int"),
        ("share", "percent"),
        ("prev", "int"),
        ("delta", "delta"),
    )
    rows: list[tuple[Cell, ...]] = []
    cat = w("cat_status", lang)
    for s in _STATUS_ROWS:
        rows.append(
            (
                cat,
                label[s],
                counts[s],
                _share(counts[s], total),
                prev_counts[s],
                counts[s] - prev_counts[s],
            )
        )
    rows.append(
        (cat, w("total", lang), total, _share(total, total), len(before), total - len(before))
    )
    cat = w("cat_level", lang)
    for lv in _LEVELS:
        rows.append(
            (
                cat,
                w(lv.value, lang),
                levels[lv],
                _share(levels[lv], total),
                prev_levels[lv],
                levels[lv] - prev_levels[lv],
            )
        )
    table = Table(cols, rows, w("empty_targets", lang), w("sheet_overview", lang))
    return Section(w("s1", lang), (text,), (table,))


def _this_week(items: list[Item], week: Week, lang: str) -> Section:
    monday, sunday = week.monday, week.sunday
    cols = _cols(
        lang,
        ("no", "int"),
        ("measure", "text"),
        ("id", "text"),
        ("target", "text"),
        ("lead", "text"),
        ("date", "date"),
        ("record", "long"),
        ("cum_progress", "percent"),
        ("status", "tag"),
    )
    rows: list[tuple[Cell, ...]] = []
    measures: set[tuple[str, str]] = set()
    targets: set[int] = set()
    for it in items:  # document order: grouped by measure, then target, then date
        for rec in it.res.records:
            if rec.date is None or not monday <= rec.date <= sunday:
                continue
            measures.add((it.res.document.id, it.res.measure.id))
            targets.add(it.order)
            rows.append(
                (
                    len(rows) + 1,
                    it.task,
                    it.res.target.id,
                    it.target,
                    it.lead_text,
                    DateCell(rec.date, rec.date.isoformat()),
                    record_text(rec, it.res.target, lang, with_date=False),
                    it.res.progress,
                    status_tag(it.res, lang),
                )
            )
    paragraphs: tuple[str, ...] = ()
    if rows:
        paragraphs = (
            (
                f"本周共报送进展记录{len(rows)}条，涉及{len(measures)}项措施的{len(targets)}项目标，按措施列示如下。"
                if lang == "zh"
                else f"{len(rows)} progress records were filed this week, on {len(targets)} targets of "
                f"{len(measures)} measures, listed by measure below."
            ),
        )
    table = Table(cols, rows, w("empty_records", lang), w("sheet_records", lang))
    return Section(w("s2", lang), paragraphs, (table,))


def _by_lead(items: Iterable[Item], lang: str) -> list[Item]:
    """Items sorted by their lead units (as one text), then in document order."""
    return sorted(items, key=lambda it: (0 if it.lead else 1, it.lead_text, it.order))


def _problems(items: list[Item], week: Week, lang: str) -> Section:
    open_items = [
        it
        for it in items
        if it.res.status is not Status.DONE and it.res.latest and it.res.latest.problems
    ]
    cols = _cols(
        lang,
        ("no", "int"),
        ("lead", "text"),
        ("id", "text"),
        ("target", "text"),
        ("problems", "long"),
        ("reported", "date"),
        ("status", "tag"),
    )
    rows: list[tuple[Cell, ...]] = []
    new = 0
    for it in _by_lead(open_items, lang):
        rec = it.res.latest
        assert rec is not None and rec.problems
        if rec.date is not None and rec.date >= week.monday:
            new += 1
        rows.append(
            (
                len(rows) + 1,
                it.lead_text,
                it.res.target.id,
                it.target,
                _safe(rec.problems),
                DateCell(rec.date, rec.date.isoformat() if rec.date else "—"),
                status_tag(it.res, lang),
            )
        )
    paragraphs: tuple[str, ...] = ()
    if rows:
        units = len({it.lead_text for it in open_items})
        paragraphs = (
            (
                f"尚未完成的目标中，{units}个牵头单位报送存在问题{len(rows)}项（其中本周新报{new}项），"
                "按单位列示如下，需协调解决。"
                if lang == "zh"
                else f"Among targets not yet met, {units} lead units report {len(rows)} problems ({new} new this "
                "week), listed by unit below for coordination."
            ),
        )
    table = Table(cols, rows, w("empty_problems", lang), w("sheet_problems", lang))
    return Section(w("s3", lang), paragraphs, (table,))


def _next_weeks(items: list[Item], week: Week, lang: str) -> Section:
    sunday = week.sunday
    first, last = sunday + dt.timedelta(days=1), sunday + dt.timedelta(days=7 * NEXT_WEEKS)
    due = [
        it
        for it in items
        if it.res.status is not Status.DONE
        and it.res.deadline is not None
        and first <= it.res.deadline <= last
    ]
    due.sort(key=lambda it: (it.res.deadline or first, it.order))
    cols = _cols(
        lang,
        ("no", "int"),
        ("id", "text"),
        ("target", "text"),
        ("lead", "text"),
        ("deadline", "date"),
        ("days_left", "int"),
        ("progress", "percent"),
        ("time_progress", "percent"),
        ("status", "tag"),
        ("level", "tag"),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            n,
            it.res.target.id,
            it.target,
            it.lead_text,
            it.deadline,
            it.res.days_left,
            it.res.progress,
            it.res.time_progress,
            status_tag(it.res, lang),
            level_tag(it.res.level, lang),
        )
        for n, it in enumerate(due, 1)
    ]
    span = span_text(first, last, lang)
    due_table = Table(
        cols,
        rows,
        w("empty_due", lang),
        w("sheet_due", lang),
        title=(
            f"（一）未来四周到期事项（{span}）"
            if lang == "zh"
            else f"(1) Falling due in the next four weeks ({span})"
        ),
    )
    steps = [
        it
        for it in items
        if it.res.status is not Status.DONE and it.res.latest and it.res.latest.next_steps
    ]
    cols = _cols(
        lang,
        ("no", "int"),
        ("lead", "text"),
        ("id", "text"),
        ("target", "text"),
        ("next_steps", "long"),
        ("reported", "date"),
    )
    step_rows: list[tuple[Cell, ...]] = []
    for it in _by_lead(steps, lang):
        rec = it.res.latest
        assert rec is not None
        step_rows.append(
            (
                len(step_rows) + 1,
                it.lead_text,
                it.res.target.id,
                it.target,
                _safe(rec.next_steps),
                DateCell(rec.date, rec.date.isoformat() if rec.date else "—"),
            )
        )
    steps_table = Table(
        cols,
        step_rows,
        w("empty_steps", lang),
        w("sheet_steps", lang),
        title="（二）各单位下步打算" if lang == "zh" else "(2) Next steps reported by units",
    )
    text = (
        f"未来四周（{span}）到期且尚未完成的目标{len(rows)}项；尚未完成的目标中，各单位报送下步打算{len(step_rows)}项。"
        if lang == "zh"
        else f"{len(rows)} targets not yet met fall due in the next four weeks ({span}); units report next steps "
        f"for {len(step_rows)} targets not yet met."
    )
    return Section(w("s4", lang), (text,), (due_table, steps_table))


def supervision_rows(
    items: Iterable[Item], lang: str, *, blue: bool, role_of: dict[int, str] | None = None
) -> list[tuple[Cell, ...]]:
    """Rows of the supervision list: red and yellow items, or (blue=True) blue ones."""
    if blue:
        chosen = sorted(
            (it for it in items if it.res.level is Level.BLUE),
            key=lambda it: (it.res.days_left if it.res.days_left is not None else 0, it.order),
        )
    else:
        chosen = sorted(
            (it for it in items if it.res.status in (Status.OVERDUE, Status.BEHIND)),
            key=lambda it: (
                _level_rank(it.res.level),
                it.res.status.rank,
                -(it.res.days_late or 0),
                it.order,
            ),
        )
    rows: list[tuple[Cell, ...]] = []
    for n, it in enumerate(chosen, 1):
        days = it.res.days_left if blue else it.res.days_late
        row: tuple[Cell, ...] = (n, it.res.target.id, it.task, it.target, it.lead_text)
        row += (it.responsible_text,) if role_of is None else (role_of.get(it.order, ""),)
        row += (
            it.deadline,
            days,
            it.res.progress,
            it.res.time_progress,
            status_tag(it.res, lang),
            level_tag(it.res.level, lang),
            latest_text(it, lang),
        )
        rows.append(row)
    return rows


def supervision_columns(lang: str, *, blue: bool, role: bool = False) -> tuple[Col, ...]:
    spec: list[tuple[str, str]] = [
        ("no", "int"),
        ("id", "text"),
        ("task", "text"),
        ("target", "text"),
        ("lead", "text"),
        ("role", "text") if role else ("resp", "text"),
    ]
    spec += [
        ("deadline", "date"),
        ("days_left" if blue else "days_late", "int"),
        ("progress", "percent"),
        ("time_progress", "percent"),
        ("status", "tag"),
        ("level", "tag"),
        ("latest", "long"),
    ]
    return _cols(lang, *spec)


def _level_rank(level: Level | None) -> int:
    return _LEVELS.index(level) if level is not None else len(_LEVELS)


def _supervision(items: list[Item], config: Config, as_of: dt.date, lang: str) -> Section:
    red_rows = supervision_rows(items, lang, blue=False)
    blue_rows = supervision_rows(items, lang, blue=True)
    red = sum(1 for it in items if it.res.level is Level.RED)
    yellow = sum(1 for it in items if it.res.level is Level.YELLOW)
    days = config.due_soon_days
    red_table = Table(
        supervision_columns(lang, blue=False),
        red_rows,
        w("empty_red", lang),
        w("sheet_red", lang),
        title=(
            "（一）逾期及滞后事项（红色督办、黄色预警）"
            if lang == "zh"
            else "(1) Overdue and behind schedule (red, yellow)"
        ),
    )
    blue_table = Table(
        supervision_columns(lang, blue=True),
        blue_rows,
        w("empty_blue", lang),
        w("sheet_blue", lang),
        title=(
            f"（二）即将到期事项（蓝色提示：{days}天内到期、尚未完成，不属督办）"
            if lang == "zh"
            else f"(2) Falling due soon (blue: due within {days} days, not met; a reminder, not supervision)"
        ),
    )
    text = (
        f"截至{day_text(as_of, lang)}，逾期未完成或滞后序时的目标{len(red_rows)}项（红色督办{red}项、黄色预警{yellow}项），"
        f"另有{len(blue_rows)}项{days}天内到期（蓝色提示）。"
        if lang == "zh"
        else f"As of {as_of.isoformat()}, {len(red_rows)} targets are overdue or behind schedule ({red} red, "
        f"{yellow} yellow); {len(blue_rows)} more fall due within {days} days (blue)."
    )
    return Section(w("a1", lang), (text,), (red_table, blue_table), annex=True)


def _by_unit(items: list[Item], lang: str) -> Section:
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for it in items:
        for name in it.lead or (w("no_lead", lang),):
            st = stats[name]
            st["total"] += 1
            st[it.res.status.value] += 1
            if it.res.level is not None:
                st[it.res.level.value] += 1
    order = sorted(
        stats.items(), key=lambda kv: (-kv[1]["overdue"], -kv[1]["behind"], -kv[1]["total"], kv[0])
    )
    i = 0 if lang == "zh" else 1
    cols = (
        *_cols(lang, ("no", "int"), ("lead", "text"), ("targets", "int")),
        *(Col(s.value, STATUS_LABELS[s][i], "int") for s in _STATUS_ROWS),
        Col("done_share", w("done_share", lang), "percent"),
        *(Col(lv.value, LEVEL_LABELS[lv][i], "int") for lv in _LEVELS),
    )
    rows: list[tuple[Cell, ...]] = []
    for n, (name, st) in enumerate(order, 1):
        rows.append(
            (
                n,
                name,
                st["total"],
                *(st[s.value] for s in _STATUS_ROWS),
                _share(st["done"], st["total"]),
                *(st[lv.value] for lv in _LEVELS),
            )
        )
    overdue_units = sum(1 for _, st in order if st["overdue"])
    text = (
        f"共{len(rows)}个牵头单位（含未明确牵头单位的目标），其中{overdue_units}个单位有逾期未完成目标。"
        if lang == "zh"
        else f"{len(rows)} lead units (targets without one grouped together); {overdue_units} have overdue targets."
    )
    table = Table(cols, rows, w("empty_units", lang), w("sheet_units", lang))
    return Section(w("a2", lang), (text,) if rows else (), (table,), annex=True)


# --- the ledger ---------------------------------------------------------------------------------

LEDGER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", "int"),
    ("id", "text"),
    ("task", "text"),
    ("quant", "text"),
    ("lead", "text"),
    ("resp", "text"),
    ("deadline", "date"),
    ("progress_text", "long"),
    ("progress", "percent"),
    ("time_progress", "percent"),
    ("status", "tag"),
    ("level", "tag"),
    ("problems", "long"),
    ("next_steps", "long"),
    ("updated", "date"),
)


def ledger_column_keys(names: Sequence[str] | None) -> list[str]:
    """Column keys for `--columns`: each given as its key (`id`), Chinese (`任务编号`) or English label."""
    if not names:
        return [k for k, _ in LEDGER_COLUMNS]
    lookup: dict[str, str] = {}
    for key, _ in LEDGER_COLUMNS:
        zh, en = _W[key]
        for alias in (key, zh, en, en.lower()):
            lookup.setdefault(alias, key)
    out = []
    for name in names:
        found = lookup.get(name.strip()) or lookup.get(name.strip().lower())
        if found is None:
            choices = "、".join(_W[k][0] for k, _ in LEDGER_COLUMNS)
            raise ReportError(
                f"没有列 `{name}`；可用：{choices}",
                f"no column `{name}`; choose from: {', '.join(k for k, _ in LEDGER_COLUMNS)}",
            )
        if found not in out:
            out.append(found)
    return out


def ledger(
    results: Sequence[TargetResult],
    registry: Registry,
    config: Config,
    as_of: dt.date,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
) -> Report:
    """工作台账: one row per target, in the order of `zjtrack status --format json`."""
    keys = ledger_column_keys(columns)
    kinds = dict(LEDGER_COLUMNS)
    cols = tuple(Col(k, w(k, lang), kinds[k]) for k in keys)
    rows: list[tuple[Cell, ...]] = []
    for it in items_of(results, registry, lang):
        res, latest = it.res, it.res.latest
        cells: dict[str, Cell] = {
            "no": it.order + 1,
            "id": res.target.id,
            "task": it.task,
            "quant": it.target,
            "lead": it.lead_text,
            "resp": it.responsible_text,
            "deadline": it.deadline,
            "progress_text": latest_text(it, lang),
            "progress": res.progress,
            "time_progress": res.time_progress,
            "status": status_tag(res, lang),
            "level": level_tag(res.level, lang),
            "problems": _safe(latest.problems) if latest else "",
            "next_steps": _safe(latest.next_steps) if latest else "",
            "updated": DateCell(
                latest.date if latest else None,
                latest.date.isoformat() if latest and latest.date else "—",
            ),
        }
        rows.append(tuple(cells[k] for k in keys))
    author = (
        config.reporting_unit
        if lang == "zh" or config.reporting_unit != Config().reporting_unit
        else w("unit", lang)
    )
    table = Table(cols, rows, w("empty_targets", lang), w("sheet_ledger", lang))
    return Report(
        kind="ledger",
        lang=lang,
        title=w("ledger_title", lang),
        date=as_of,
        author=_safe(author),
        meta=((w("as_of", lang), day_text(as_of, lang)), (w("reporter", lang), _safe(author))),
        sections=(Section("", (), (table,)),),
        cover=False,
    )


# --- supervision notices ------------------------------------------------------------------------


def notices(
    results: Sequence[TargetResult],
    registry: Registry,
    config: Config,
    as_of: dt.date,
    lang: str = "zh",
    only: set[str] | None = None,
) -> list[tuple[int, str, Report]]:
    """督办单: one per lead or responsible unit with overdue or behind-schedule targets, worst first.

    Returns (number, unit name, notice); `only` keeps the units named (canonical names). Targets
    that name no unit get no notice (the weekly report's supervision list shows them)."""
    items = items_of(results, registry, lang)
    by_unit: dict[str, dict[int, str]] = defaultdict(dict)  # unit -> {item index: role}
    chosen: dict[int, Item] = {}
    for it in items:
        if it.res.status not in (Status.OVERDUE, Status.BEHIND):
            continue
        chosen[it.order] = it
        for name in it.lead:
            by_unit[name][it.order] = w("role_lead", lang)
        for name in it.responsible:
            by_unit[name].setdefault(it.order, w("role_resp", lang))

    def badness(unit: str) -> tuple[int, int, str]:
        idx = by_unit[unit]
        return (-sum(1 for i in idx if chosen[i].res.level is Level.RED), -len(idx), unit)

    author = (
        config.reporting_unit
        if lang == "zh" or config.reporting_unit != Config().reporting_unit
        else w("unit", lang)
    )
    author = _safe(author)
    out = []
    units = sorted(by_unit, key=badness)  # numbered before --unit filters, so numbers are stable
    wanted = None if only is None else {inert(o) for o in only}
    for seq, unit in enumerate(units, 1):
        if wanted is not None and unit not in wanted:
            continue
        roles = by_unit[unit]
        unit_items = [chosen[i] for i in sorted(roles)]
        rows = supervision_rows(unit_items, lang, blue=False, role_of=roles)
        red = sum(1 for it in unit_items if it.res.level is Level.RED)
        yellow = sum(1 for it in unit_items if it.res.level is Level.YELLOW)
        number = f"{as_of.strftime('%Y%m%d')}-{seq:0{max(2, len(str(len(units))))}d}"
        if lang == "zh":
            text = (
                f"{unit}：截至{day_text(as_of, lang)}，你单位牵头或负责的以下{len(rows)}项任务目标逾期未完成或滞后于序时进度"
                f"（红色督办{red}项、黄色预警{yellow}项）。请对照清单逐项分析原因，明确整改措施、责任人和完成时限，"
                f"加快推进，并将整改落实情况及时报送{author}。"
            )
        else:
            text = (
                f"To {unit}: as of {as_of.isoformat()}, the {len(rows)} targets below, which your unit leads or "
                f"shares, are overdue or behind schedule ({red} red, {yellow} yellow). Please establish the causes "
                f"item by item, set out remedies, owners and dates, speed up the work and report back to {author}."
            )
        meta = (
            (w("notice_no", lang), number),
            (w("notice_to", lang), unit),
            (w("notice_from", lang), author),
            (w("notice_date", lang), day_text(as_of, lang)),
        )
        table = Table(
            supervision_columns(lang, blue=False, role=True),
            rows,
            w("empty_red", lang),
            w("sheet_notice", lang),
        )
        section = Section(w("notice_items", lang), (text,), (table,))
        out.append(
            (
                seq,
                unit,
                Report(
                    kind="notice",
                    lang=lang,
                    title=w("notice_title", lang),
                    date=as_of,
                    author=author,
                    meta=meta,
                    sections=(section,),
                    closing=(author, day_text(as_of, lang)),
                ),
            )
        )
    return out
