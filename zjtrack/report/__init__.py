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

from ..evaluate import Level, Status, TargetResult, accountability, evaluate, roles_of
from ..model import Config, Document, Plan, ProgressRecord, Target
from ..problems import UserError
from ..registry import Registry
from ..table import Cell, Column, DateCell, Table, Tag, num
from ..text import inert
from ..views import describe_fields, describe_target
from ..vocab import LEVEL_LABELS, STATUS_LABELS, WORDS, level_label, status_label, word

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


def _table(
    cols: tuple[Column, ...],
    rows: Sequence[tuple[Cell, ...]],
    empty: str,
    sheet: str,
    title: str | None = None,
) -> Table:
    """A report table from rows written in column order."""
    keys = [c.key for c in cols]
    return Table(
        sheet, cols, [dict(zip(keys, row, strict=True)) for row in rows], None, title, empty, sheet
    )


def _safe(text: str | None) -> str:
    return inert(text) if text else ""


def status_tag(res: TargetResult, lang: str) -> Tag:
    return Tag(res.status.value, status_label(res.status, lang, never_recorded=res.never_recorded))


def level_tag(level: Level | None, lang: str) -> Tag:
    return Tag(level.value if level is not None else "", level_label(level, lang))


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
            text += word("extended", self.lang, d=res.deadline.isoformat())
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
            lead = roles_of(res, registry).lead
            resp = tuple(
                n for n in _unique(registry.canonical(r.responsible_units, region)) if n not in lead
            )
            no_lead = word("no_lead", lang)
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
        shown = word("done" if rec.done else "not_done", lang)
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
            f"{word('source', lang)}：{_safe(rec.source)}"
            if lang == "zh"
            else f"source: {_safe(rec.source)}"
        )
    if rec.by:
        extra.append(
            f"{word('by', lang)}：{_safe(rec.by)}" if lang == "zh" else f"by: {_safe(rec.by)}"
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
        text += ("；" if lang == "zh" else "; ") + word(
            "entities_met", lang, m=met, n=len(res.entities)
        )
    return text


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _cols(lang: str, *spec: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(key, word(key, lang), kind) for key, kind in spec)


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
        title = word("title", lang)
    author = config.reporting_unit
    if lang != "zh" and author == Config().reporting_unit:
        author = word("unit", lang)
    period = span_text(week.monday, week.sunday, lang)
    period += f"（{week.year}年第{week.week}周）" if lang == "zh" else f" ({week.label})"
    meta = [
        (word("period", lang), period),
        (word("as_of", lang), day_text(week.sunday, lang)),
        (word("reporter", lang), _safe(author)),
    ]
    if documents:
        meta.append((word("scope", lang), _scope(documents, lang)))
    sections = (
        _overview(items, before, config, documents, week, lang),
        _this_week(items, week, lang),
        _problems(items, week, lang),
        _next_weeks(items, week, lang),
        _supervision(items, config, week.sunday, lang),
        _by_unit(now, registry, lang),
    )
    return Report(
        kind="weekly",
        lang=lang,
        title=_safe(title),
        date=week.sunday,
        author=_safe(author),
        issue=word("issue", lang, n=n) if n is not None else None,
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
    cat = word("cat_status", lang)
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
        (cat, word("total", lang), total, _share(total, total), len(before), total - len(before))
    )
    cat = word("cat_level", lang)
    for lv in _LEVELS:
        rows.append(
            (
                cat,
                word(lv.value, lang),
                levels[lv],
                _share(levels[lv], total),
                prev_levels[lv],
                levels[lv] - prev_levels[lv],
            )
        )
    table = _table(cols, rows, word("empty_targets", lang), word("sheet_overview", lang))
    return Section(word("s1", lang), (text,), (table,))


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
        ("cum_completion", "percent"),
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
                    it.res.completion,
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
    table = _table(cols, rows, word("empty_records", lang), word("sheet_records", lang))
    return Section(word("s2", lang), paragraphs, (table,))


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
    table = _table(cols, rows, word("empty_problems", lang), word("sheet_problems", lang))
    return Section(word("s3", lang), paragraphs, (table,))


def _next_weeks(items: list[Item], week: Week, lang: str) -> Section:
    sunday = week.sunday
    first, last = sunday + dt.timedelta(days=1), sunday + dt.timedelta(days=7 * NEXT_WEEKS)
    due = [it for it in items if it.res.due_within(7 * NEXT_WEEKS)]
    due.sort(key=lambda it: (it.res.deadline or first, it.order))
    cols = _cols(
        lang,
        ("no", "int"),
        ("id", "text"),
        ("target", "text"),
        ("lead", "text"),
        ("deadline", "date"),
        ("days_left", "int"),
        ("completion", "percent"),
        ("time_elapsed", "percent"),
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
            it.res.completion,
            it.res.time_elapsed,
            status_tag(it.res, lang),
            level_tag(it.res.level, lang),
        )
        for n, it in enumerate(due, 1)
    ]
    span = span_text(first, last, lang)
    due_table = _table(
        cols,
        rows,
        word("empty_due", lang),
        word("sheet_due", lang),
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
    steps_table = _table(
        cols,
        step_rows,
        word("empty_steps", lang),
        word("sheet_steps", lang),
        title="（二）各单位下步打算" if lang == "zh" else "(2) Next steps reported by units",
    )
    text = (
        f"未来四周（{span}）到期且尚未完成的目标{len(rows)}项；尚未完成的目标中，各单位报送下步打算{len(step_rows)}项。"
        if lang == "zh"
        else f"{len(rows)} targets not yet met fall due in the next four weeks ({span}); units report next steps "
        f"for {len(step_rows)} targets not yet met."
    )
    return Section(word("s4", lang), (text,), (due_table, steps_table))


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
            (it for it in items if it.res.needs_supervision),
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
            it.res.completion,
            it.res.time_elapsed,
            status_tag(it.res, lang),
            level_tag(it.res.level, lang),
            latest_text(it, lang),
        )
        rows.append(row)
    return rows


def supervision_columns(lang: str, *, blue: bool, role: bool = False) -> tuple[Column, ...]:
    spec: list[tuple[str, str]] = [
        ("no", "int"),
        ("id", "text"),
        ("task", "text"),
        ("target", "text"),
        ("lead", "text"),
        ("role", "text") if role else ("responsible_units", "text"),
    ]
    spec += [
        ("deadline", "date"),
        ("days_left" if blue else "days_late", "int"),
        ("completion", "percent"),
        ("time_elapsed", "percent"),
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
    red_table = _table(
        supervision_columns(lang, blue=False),
        red_rows,
        word("empty_red", lang),
        word("sheet_red", lang),
        title=(
            "（一）逾期及滞后事项（红色督办、黄色预警）"
            if lang == "zh"
            else "(1) Overdue and behind schedule (red, yellow)"
        ),
    )
    blue_table = _table(
        supervision_columns(lang, blue=True),
        blue_rows,
        word("empty_blue", lang),
        word("sheet_blue", lang),
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
    return Section(word("a1", lang), (text,), (red_table, blue_table), annex=True)


def _by_unit(results: Sequence[TargetResult], registry: Registry, lang: str) -> Section:
    """附件2: each lead unit's targets and how they stand (`evaluate.accountability`)."""
    order = [t for t in accountability(results, registry) if t.leads]
    i = 0 if lang == "zh" else 1
    cols = (
        *_cols(lang, ("no", "int"), ("lead", "text"), ("targets", "int")),
        *(Column(s.value, STATUS_LABELS[s][i], "int") for s in _STATUS_ROWS),
        Column("done_share", word("done_share", lang), "percent"),
        *(Column(lv.value, LEVEL_LABELS[lv][i], "int") for lv in _LEVELS),
    )
    rows: list[tuple[Cell, ...]] = []
    for n, t in enumerate(order, 1):
        rows.append(
            (
                n,
                _safe(t.unit) or word("no_lead", lang),
                t.leads,
                *(t.counts[s] for s in _STATUS_ROWS),
                _share(t.counts[Status.DONE], t.leads),
                *(t.levels[lv] for lv in _LEVELS),
            )
        )
    overdue_units = sum(1 for t in order if t.counts[Status.OVERDUE])
    text = (
        f"共{len(rows)}个牵头单位（含未明确牵头单位的目标），其中{overdue_units}个单位有逾期未完成目标。"
        if lang == "zh"
        else f"{len(rows)} lead units (targets without one grouped together); {overdue_units} have overdue targets."
    )
    table = _table(cols, rows, word("empty_units", lang), word("sheet_units", lang))
    return Section(word("a2", lang), (text,) if rows else (), (table,), annex=True)


# --- the ledger ---------------------------------------------------------------------------------

LEDGER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", "int"),
    ("id", "text"),
    ("task", "text"),
    ("quant", "text"),
    ("lead", "text"),
    ("responsible_units", "text"),
    ("deadline", "date"),
    ("progress_text", "long"),
    ("completion", "percent"),
    ("time_elapsed", "percent"),
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
        zh, en = WORDS[key]
        for alias in (key, zh, en, en.lower()):
            lookup.setdefault(alias, key)
    # the keys' names before JSON version 2
    for old, new in (
        ("resp", "responsible_units"),
        ("progress", "completion"),
        ("time_progress", "time_elapsed"),
    ):
        lookup.setdefault(old, new)
    out = []
    for name in names:
        found = lookup.get(name.strip()) or lookup.get(name.strip().lower())
        if found is None:
            choices = "、".join(WORDS[k][0] for k, _ in LEDGER_COLUMNS)
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
    cols = tuple(Column(k, word(k, lang), kinds[k]) for k in keys)
    rows: list[tuple[Cell, ...]] = []
    for it in items_of(results, registry, lang):
        res, latest = it.res, it.res.latest
        cells: dict[str, Cell] = {
            "no": it.order + 1,
            "id": res.target.id,
            "task": it.task,
            "quant": it.target,
            "lead": it.lead_text,
            "responsible_units": it.responsible_text,
            "deadline": it.deadline,
            "progress_text": latest_text(it, lang),
            "completion": res.completion,
            "time_elapsed": res.time_elapsed,
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
        else word("unit", lang)
    )
    table = _table(cols, rows, word("empty_targets", lang), word("sheet_ledger", lang))
    return Report(
        kind="ledger",
        lang=lang,
        title=word("ledger_title", lang),
        date=as_of,
        author=_safe(author),
        meta=(
            (word("as_of", lang), day_text(as_of, lang)),
            (word("reporter", lang), _safe(author)),
        ),
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
        if not it.res.needs_supervision:
            continue
        chosen[it.order] = it
        for name in it.lead:
            by_unit[name][it.order] = word("role_lead", lang)
        for name in it.responsible:
            by_unit[name].setdefault(it.order, word("role_resp", lang))

    def badness(unit: str) -> tuple[int, int, str]:
        idx = by_unit[unit]
        return (-sum(1 for i in idx if chosen[i].res.level is Level.RED), -len(idx), unit)

    author = (
        config.reporting_unit
        if lang == "zh" or config.reporting_unit != Config().reporting_unit
        else word("unit", lang)
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
            (word("notice_no", lang), number),
            (word("notice_to", lang), unit),
            (word("notice_from", lang), author),
            (word("notice_date", lang), day_text(as_of, lang)),
        )
        table = _table(
            supervision_columns(lang, blue=False, role=True),
            rows,
            word("empty_red", lang),
            word("sheet_notice", lang),
        )
        section = Section(word("notice_items", lang), (text,), (table,))
        out.append(
            (
                seq,
                unit,
                Report(
                    kind="notice",
                    lang=lang,
                    title=word("notice_title", lang),
                    date=as_of,
                    author=author,
                    meta=meta,
                    sections=(section,),
                    closing=(author, day_text(as_of, lang)),
                ),
            )
        )
    return out
