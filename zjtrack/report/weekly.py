"""周报: the weekly report, judged as of its week's cut-off day and compared with the cut-off before.

A report once issued stays as issued: records are bucketed by the date they describe, and each
judgment uses only what had been recorded by its cut-off (`evaluate(..., known_by=)`), so a past
week regenerated comes out the same. Records filed this week for earlier dates (补报) are listed apart
in 二、本周工作进展, with the change they make to last week's statuses. The week closes on
`config.cutoff_weekday` (Sunday by default); a report made before its week has closed is judged as of
the day it is made, says so (截至 that day, 本周尚未截止), and never names the cut-off day to come."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import gt, not_
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from ..evaluate import (
    FINISHED,
    Level,
    Roles,
    Status,
    TargetResult,
    accountability_of,
    evaluate,
    evaluate_at,
    roles_column,
    within,
)
from ..model import Config, Document, Plan, ProgressRecord
from ..problems import UserError
from ..registry import Registry
from ..table import Cell, Column, Table, num
from ..vocab import LEVEL_LABELS, STATUS_LABELS, word
from .columns import (
    Heading,
    Results,
    Standings,
    WeekParts,
    column_week,
    fits,
    heading_of,
    judge_week,
    standings_of,
)
from .document import (
    Board,
    Items,
    ObjectRows,
    Report,
    Rows,
    Section,
    columns,
    day_cell,
    day_text,
    level_tags,
    make_table,
    names_text,
    record_text,
    safe,
    share_of,
    span_text,
    supervised,
    supervision_cells,
    supervision_columns,
    table_of,
)
from .weeks import Week, first_week, issue_number

if TYPE_CHECKING:
    from ..load.snapshot import Snapshot

E = TypeVar("E", Status, Level)  # a column's members, counted (`_counted_by`)

NEXT_WEEKS = 4  # 四、下周工作安排 looks this many weeks ahead

# --- the weekly report --------------------------------------------------------------------------

_STATUS_ROWS = (
    Status.DONE,
    Status.DONE_LATE,
    Status.ON_TRACK,
    Status.IN_PROGRESS,
    Status.BEHIND,
    Status.OVERDUE,
    Status.NO_DATA,
)
_LEVELS = (Level.RED, Level.YELLOW, Level.BLUE)


class Period(NamedTuple):
    """The reporting week: from `start` to `end`, the cut-off day, or the day the report is made
    when the week has not closed yet (`closed` False)."""

    start: dt.date
    end: dt.date
    closed: bool = True

    @property
    def before(self) -> dt.date:
        """The cut-off of the week before."""
        return self.start - dt.timedelta(days=1)


class Late(NamedTuple):
    """A record filed this week for a date before it (补报), and the status it changes: last week's
    status as issued and as it stands with what is known now (None when unchanged)."""

    record: ProgressRecord
    res: TargetResult
    issued: Status | None
    revised: Status | None


def period_of(week: Week, config: Config, today: dt.date | None = None) -> Period:
    """The week's reporting period; `today` (the day the report is made) cuts an open week short."""
    start, cutoff = week.start(config.cutoff_weekday), week.cutoff(config.cutoff_weekday)
    if today is not None and today < start:
        raise UserError(
            f"{week.label} 截至 {today.isoformat()} 尚未开始，无法出具周报",
            f"{week.label} has not begun by {today.isoformat()}: no report yet",
        )
    if today is not None and today < cutoff:
        return Period(start, today, closed=False)
    return Period(start, cutoff)


def build_weekly(
    plan: Plan,
    week: Week,
    lang: str = "zh",
    today: dt.date | None = None,
    snap: Snapshot | None = None,
    whole: Plan | None = None,
) -> Report:
    """The weekly report of a plan: judged as of the week's cut-off with what had been recorded by
    then, compared with the cut-off before as it was known then. `today`, the day the report is
    made (None: after the week closed), keeps a report from looking past it. `snap`, the plan's
    columnar snapshot, judges both moments over its columns (`columns.judge_week`: the same
    results) when it fits the plan. `whole`: the repository's plan when `plan` is part of it
    (`--doc`, `--unit`), whose weeks the issue number counts."""
    period = period_of(week, plan.config, today)
    # issue 1 is the working group's first week, whatever this week's report covers
    tracked = whole if whole is not None else plan
    first = first_week(tracked.config, tracked.records, tracked.documents)
    plan = plan.tracked_by(period.end)  # a document tracked only later stays out, as issued
    now: Results
    before: Standings
    placed = plan.all_targets() if snap is not None else []
    # by 补报 (a record recorded after the date it describes: none where no record says when)
    later = plan.says_when_recorded()
    if snap is not None and fits(plan, snap, placed):
        now, before = judge_week(plan, snap, period.end, period.before, placed, later)
    else:
        moments = ((period.end, period.end), (period.before, period.before))
        at_end, then = evaluate_at(plan, moments)
        now, before = Results.of(at_end), standings_of(then)
    touched = [r for r in now if any(_is_late(x, period) for x in r.records)] if later else []
    filed_late = {r.target.id for r in touched}
    # last week re-judged with what is known now, for the targets 补报 touched only
    revised = (
        evaluate(plan, period.before, lambda t: t.id in filed_late, known_by=period.end)
        if filed_late
        else []
    )
    late = late_records(touched, _issued(now, before) if touched else {}, revised, period)
    returns = _returns(plan, week, period, lang)
    return weekly_report(
        now,
        before,
        Registry(plan.units),
        plan.config,
        plan.documents,
        week,
        lang,
        period=period,
        late=late,
        first=first,
        returns=returns,
    )


def _returns(plan: Plan, week: Week, period: Period, lang: str) -> Section | None:
    """五、报送情况, once the repository takes units' returns (zjtrack intake): who had reported
    for the week's reporting period by its cut-off, the units not reported named. None (no
    section) in a repository that had taken no return in by the week's cut-off."""
    from ..forms import reported
    from ..forms.period import period_of as returns_period

    if not reported.uses_returns(plan.records, known_by=period.end):
        return None  # no return taken in by the week's cut-off: the report as it was issued
    chosen = returns_period(week.cutoff(plan.config.cutoff_weekday), plan.config)
    found = reported.standings(plan, chosen, period.end, known_by=period.end)
    table = reported.standing_table(found, chosen, lang)
    return Section(word("s5", lang), tuple(reported.summary_text(found, chosen, lang)), (table,))


def _issued(now: Sequence[TargetResult], before: Standings) -> dict[str, Status]:
    """Last week's status of every target as issued, by target id (`before` is in `now`'s
    order)."""
    return {r.target.id: s for r, s in zip(now, before.status, strict=True)}


def late_records(
    now: Sequence[TargetResult],
    issued: dict[str, Status],
    revised: Sequence[TargetResult],
    period: Period,
) -> list[Late]:
    """Records recorded within the period for dates before it (补报), in document order, each with
    the change it makes to last week's status of its target (`issued`: last week's statuses as
    issued, by target id)."""
    if not now:  # no target touched by 补报 (the usual week): nothing to look up
        return []
    now_known = {r.target.id: r.status for r in revised}
    out = []
    for res in now:
        for rec in res.records:
            if _is_late(rec, period):
                was, is_ = issued.get(res.target.id), now_known.get(res.target.id)
                changed = was is not None and is_ is not None and was is not is_
                out.append(Late(rec, res, was if changed else None, is_ if changed else None))
    return out


def _is_late(rec: ProgressRecord, period: Period) -> bool:
    """Recorded within the period for a date before it (补报)."""
    if rec.recorded_at is None:  # recorded on the date it describes: never late
        return False
    day = rec.recorded_on
    return (
        rec.date is not None
        and day is not None
        and rec.date < period.start
        and period.start <= day <= period.end
    )


def weekly_report(
    now: Sequence[TargetResult],
    before: Standings | Sequence[TargetResult],
    registry: Registry,
    config: Config,
    documents: Sequence[Document],
    week: Week,
    lang: str = "zh",
    *,
    period: Period | None = None,
    late: Sequence[Late] = (),
    first: Week | None = None,
    returns: Section | None = None,
) -> Report:
    """The weekly report from `now` (as of the period's end) and `before` (the cut-off before:
    its `Standings`, or its results in `now`'s order). The two are compared target by target,
    so a `before` of other targets, or in another order, is refused (ValueError): it would
    make a report that looks right and is not."""
    if not isinstance(before, Standings):
        if [r.target.id for r in before] != [r.target.id for r in now]:
            raise ValueError("the cut-off before's results are not the period end's targets")
        before = standings_of(before)
    results = Results.of(now)  # the sections choose their rows by its columns
    period = period or Period(week.start(config.cutoff_weekday), week.cutoff(config.cutoff_weekday))
    # who answers for each target: items and 附件2 read it
    roles = roles_column(results.placed, registry)
    # the sections choose their rows by the results; an item is made for a row shown only
    rows = ObjectRows(Items(results, registry, lang, roles), lang, results.latest)
    position = {id(r): i for i, r in enumerate(results)} if late else {}
    placed_late = [(position[id(x.res)], x) for x in late]
    heading = heading_of(config, documents)
    return assemble(
        results, rows, roles, before, heading, week, lang, period, placed_late, first, returns
    )


def column_weekly(
    snap: Snapshot, parts: WeekParts, week: Week, lang: str = "zh", today: dt.date | None = None
) -> Report | None:
    """`build_weekly` over the snapshot's columns and its `WeekParts` alone, without the plan
    (`columns.column_week`): the same report, for a tree whose parts were made
    (`columns.save_week_parts`); None when a document was tracked only after the week closed
    (`Plan.tracked_by`: the plan leaves it out, the columns hold it)."""
    config = parts.heading.config
    period = period_of(week, config, today)
    if period.end.toordinal() < parts.last_tracked:
        return None
    board, before, rows, roles = column_week(snap, parts, period.end, period.before, lang)
    return assemble(
        board, rows, roles, before, parts.heading, week, lang, period, [], parts.first, None
    )


def assemble(
    now: Board,
    rows: Rows,
    roles: Sequence[Roles],
    before: Standings,
    heading: Heading,
    week: Week,
    lang: str,
    period: Period,
    late: Sequence[tuple[int, Late]],
    first: Week | None,
    returns: Section | None,
) -> Report:
    """The weekly report of targets as of the period's end (`now`, the text of their rows
    `rows`, their `roles`) against the cut-off before (`before`, in `now`'s order); `late`,
    the records filed late (补报) with their targets' positions."""
    if not len(before.status) == len(before.level) == len(before.regressed) == len(now):
        raise ValueError("the cut-off before's standings are not one per target")
    config = heading.config
    n = issue_number(week, first)
    title = config.report_title or heading.title
    if lang != "zh" and config.report_title is None:
        title = word("title", lang)
    author = config.reporting_unit
    if lang != "zh" and author == Config().reporting_unit:
        author = word("unit", lang)
    meta = [
        (word("period", lang), _period_text(week, period, lang)),
        (word("as_of", lang), day_text(period.end, lang)),
        (word("reporter", lang), safe(author)),
    ]
    if heading.documents:
        meta.append((word("scope", lang), _scope(heading, lang)))
    # the records dated within the week (none unless the latest is: records are oldest first)
    recorded = rows.records_since(rows.recorded_since(period.start), period.start)
    sections = (
        _overview(now, rows, before, heading, period, recorded, late, lang),
        _this_week(now, rows, recorded, late, lang),
        _problems(now, rows, period, lang),
        _next_weeks(now, rows, period.end, lang),
        *((returns,) if returns is not None else ()),  # 五、报送情况 (zjtrack intake)
        _supervision(now, rows, config, period.end, lang),
        _by_unit(now, lang, roles),
    )
    return Report(
        kind="weekly",
        lang=lang,
        title=safe(title),
        date=period.end,
        author=safe(author),
        issue=word("issue", lang, n=n) if n is not None else None,
        meta=tuple(meta),
        sections=sections,
        distribution=_distribution(config, lang),
    )


def _distribution(config: Config, lang: str) -> tuple[tuple[str, str], ...]:
    """The 报/送 lines of the 版记: the config's recipients, else the defaults."""
    return tuple(
        (word(label, lang), safe(given) if given else word(f"{label}_default", lang))
        for label, given in (("report_to", config.report_to), ("send_to", config.send_to))
    )


def _period_text(week: Week, period: Period, lang: str) -> str:
    text = span_text(period.start, period.end, lang)
    if lang == "zh":
        return (
            text
            + f"（{week.year}年第{week.week}周"
            + ("" if period.closed else "，本周尚未截止")
            + "）"
        )
    return text + f" ({week.label}" + ("" if period.closed else ", week not yet closed") + ")"


def _scope(heading: Heading, lang: str) -> str:
    names = [
        f"《{title}》（{number}）" if lang == "zh" else f"{title} ({number})"
        for title, number in heading.names
    ]
    text = ("、" if lang == "zh" else "; ").join(names)
    count = heading.documents
    if count > len(names):
        text += f"等{count}个文件" if lang == "zh" else f" and {count - len(names)} more"
    return safe(text)


def _overview(
    now: Board,
    rows: Rows,
    before: Standings,
    heading: Heading,
    period: Period,
    recorded: Sequence[tuple[int, dt.date, str]],
    late: Sequence[tuple[int, Late]],
    lang: str,
) -> Section:
    total = len(now)
    config = heading.config
    prev_counts, prev_levels = _counted_by(before.status, Status), _counted_by(before.level, Level)
    week = _tally(now, before)
    counts, levels, met_now, dropped, late_now = week[:5]
    records = len(recorded) + len(late)
    rec_targets = len({i for i, _, _ in recorded} | {i for i, _ in late})
    as_of = period.end

    i = 0 if lang == "zh" else 1
    label = {s: STATUS_LABELS[s][i] for s in Status}
    finished = counts[Status.DONE] + counts[Status.DONE_LATE]
    share = share_of(finished, total)
    measures = week.measures
    documents = heading.documents
    if lang == "zh":
        if total:
            text = (
                f"截至{day_text(as_of, lang)}，纳入跟踪的{documents}个文件、{measures}项措施共有目标{total}项："
                f"已完成{finished}项，占{num(share)}%（其中逾期完成{counts[Status.DONE_LATE]}项）；"
                f"按序时推进{counts[Status.ON_TRACK]}项；已启动（无序时进度）{counts[Status.IN_PROGRESS]}项；"
                f"滞后序时{counts[Status.BEHIND]}项；逾期未完成{counts[Status.OVERDUE]}项；"
                f"无进展数据{counts[Status.NO_DATA]}项。"
                f"红色督办{levels[Level.RED]}项、黄色预警{levels[Level.YELLOW]}项、"
                f"蓝色提示{levels[Level.BLUE]}项（{config.due_soon_days}天内到期）。"
            )
        else:
            text = f"截至{day_text(as_of, lang)}，纳入跟踪的文件中没有目标。"
        text += f"本周报送进展记录{records}条（其中补报以前日期{len(late)}条），涉及目标{rec_targets}项；"
        text += _counted(f"本周新完成目标{len(met_now)}项", rows, met_now, lang) + "；"
        text += _counted(f"新增逾期{len(late_now)}项", rows, late_now, lang) + "；"
        text += (
            _counted(f"保持类目标本周回落（低于保持标准）{len(dropped)}项", rows, dropped, lang)
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
                f"As of {as_of.isoformat()}, the {documents} documents tracked ({measures} measures) "
                f"have {total} targets: {finished} done ({num(share)}%; {counts[Status.DONE_LATE]} of them late), "
                f"{counts[Status.ON_TRACK]} on schedule, {counts[Status.IN_PROGRESS]} in progress "
                f"(no deadline), {counts[Status.BEHIND]} behind schedule, "
                f"{counts[Status.OVERDUE]} overdue, {counts[Status.NO_DATA]} with no data. "
                f"Warnings: {levels[Level.RED]} red, {levels[Level.YELLOW]} yellow, "
                f"{levels[Level.BLUE]} blue (due within {config.due_soon_days} days). "
            )
        else:
            text = f"As of {as_of.isoformat()}, the documents tracked have no targets. "
        text += (
            f"This week {records} progress records were filed ({len(late)} of them late, for "
            f"earlier dates), on {rec_targets} targets; "
        )
        text += _counted(f"{len(met_now)} targets were met", rows, met_now, lang) + "; "
        text += _counted(f"{len(late_now)} became overdue", rows, late_now, lang) + "; "
        text += _counted(
            f"{len(dropped)} maintained targets fell below their bound", rows, dropped, lang
        )
        text += ". "
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

    cols = columns(
        lang,
        ("category", "text"),
        ("item", "text"),
        ("count", "int"),
        ("share", "percent"),
        ("prev", "int"),
        ("delta", "delta"),
    )
    table_rows: list[tuple[Cell, ...]] = []
    cat = word("cat_status", lang)
    for s in _STATUS_ROWS:
        table_rows.append(
            (
                cat,
                label[s],
                counts[s],
                share_of(counts[s], total),
                prev_counts[s],
                counts[s] - prev_counts[s],
            )
        )
    table_rows.append(
        (
            cat,
            word("total", lang),
            total,
            share_of(total, total),
            len(before.status),
            total - len(before.status),
        )
    )
    cat = word("cat_level", lang)
    for lv in _LEVELS:
        table_rows.append(
            (
                cat,
                word(lv.value, lang),
                levels[lv],
                share_of(levels[lv], total),
                prev_levels[lv],
                levels[lv] - prev_levels[lv],
            )
        )
    table = make_table(cols, table_rows, word("empty_targets", lang), word("sheet_overview", lang))
    return Section(word("s1", lang), (text,), (table,))


class _Tally(NamedTuple):
    """What the overview counts of the targets as of the period's end, against the cut-off
    before; the targets it lists, by position."""

    counts: dict[Status, int]
    levels: dict[Level, int]
    met_now: list[int]  # finished this week
    dropped: list[int]  # 保持 targets that fell below their bound this week: a regression
    late_now: list[int]  # overdue this week
    measures: int  # measures tracked


def _tally(now: Board, before: Standings) -> _Tally:
    """The overview's counts and lists, from the columns of the targets as of the period's end
    and of `before` (position by position, in document order)."""
    statuses, regressed, levels_now = now.status, now.regressed, now.level
    was, regressed_before = before.status, before.regressed
    ids = now.ids
    if not now.unique:  # a target id twice (a tree with errors): compared by id
        last = dict(zip(ids, was, strict=True))
        was = [last[t] for t in ids]
        fell = set(compress(ids, regressed_before))
        regressed_before = [t in fell for t in ids]
    positions = range(len(statuses))
    finished_before = list(map(FINISHED.__contains__, was))  # `Status.finished`, in C
    overdue = Status.OVERDUE
    return _Tally(
        _counted_by(statuses, Status),
        _counted_by(levels_now, Level),
        list(compress(positions, map(gt, now.finished, finished_before))),  # met now
        list(compress(positions, map(gt, regressed, regressed_before))),
        [i for i in positions if statuses[i] is overdue and was[i] is not overdue],
        now.measures,
    )


def _counted_by(column: Sequence[E | None], members: Iterable[E]) -> dict[E, int]:
    """How many items of a column are each member (0 for one absent), in the members' order.
    Counted in one pass (`Counter`: the members are str enums, hashed in C), not a pass each."""
    found = Counter(column)
    return {m: found[m] for m in members}


def _this_week(
    now: Board,
    rows: Rows,
    recorded: Sequence[tuple[int, dt.date, str]],
    late: Sequence[tuple[int, Late]],
    lang: str,
) -> Section:
    cols = columns(
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
    # document order: grouped by measure, then target, then date
    at = [i for i, _, _ in recorded]
    cells: list[Sequence[Cell]] = [
        list(range(1, len(at) + 1)),
        rows.tasks(at),
        rows.ids(at),
        rows.targets(at),
        rows.leads(at),
        [day_cell(day) for _, day, _ in recorded],
        [text for _, _, text in recorded],
        list(map(now.completion.__getitem__, at)),
        now.status_tags(at, lang),
    ]
    paragraphs: tuple[str, ...] = ()
    if at:
        measures, targets = len(set(rows.measures(at))), len(set(at))
        paragraphs = (
            (
                f"本周共报送进展记录{len(at)}条，涉及{measures}项措施的{targets}项目标，按措施列示如下。"
                if lang == "zh"
                else f"{len(at)} progress records were filed this week, on {targets} targets of "
                f"{measures} measures, listed by measure below."
            ),
        )
    table = table_of(cols, cells, word("empty_records", lang), word("sheet_records", lang))
    if not late:
        return Section(word("s2", lang), paragraphs, (table,))
    note = (
        f"另有补报以前日期的进展{len(late)}条（本周报送，所述日期在本周之前），"
        "单列于后，并注明对上周状态的影响；已出具的往期周报不变。"
        if lang == "zh"
        else f"{len(late)} more records were filed this week for earlier dates; they are listed "
        "apart below with the change each makes to last week's status (reports already issued "
        "stay as issued)."
    )
    paragraphs = (*paragraphs, note)
    return Section(word("s2", lang), paragraphs, (table, _late_table(now, rows, late, lang)))


def _late_table(now: Board, rows: Rows, late: Sequence[tuple[int, Late]], lang: str) -> Table:
    """补报: records filed this week for earlier dates, and the status each changed last week."""
    cols = columns(
        lang,
        ("no", "int"),
        ("id", "text"),
        ("target", "text"),
        ("lead", "text"),
        ("date", "date"),
        ("record", "long"),
        ("late_change", "text"),
        ("status", "tag"),
    )
    i = 0 if lang == "zh" else 1
    at = [k for k, _ in late]
    changes = []
    for _, x in late:
        changes.append(
            f"{STATUS_LABELS[x.issued][i]} → {STATUS_LABELS[x.revised][i]}"
            if x.issued is not None and x.revised is not None
            else word("late_unchanged", lang)
        )
    days = [day_cell(x.record.date) for _, x in late]  # 补报: each record is dated
    cells: list[Sequence[Cell]] = [
        list(range(1, len(at) + 1)),
        rows.ids(at),
        rows.targets(at),
        rows.leads(at),
        days,
        [record_text(x.record, x.res.target.unit, lang, with_date=False) for _, x in late],
        changes,
        now.status_tags(at, lang),
    ]
    return table_of(
        cols,
        cells,
        word("empty_records", lang),
        word("sheet_late", lang),
        title=word("late_title", lang),
    )


def _by_lead(rows: Rows, at: list[int]) -> list[int]:
    """Targets at positions `at` sorted by their lead units (as one text), those that name none
    last, then in document order."""
    keys = zip(map(not_, rows.named_lead(at)), rows.leads(at), at, strict=True)
    return [i for _, _, i in sorted(keys)]


def _problems(now: Board, rows: Rows, period: Period, lang: str) -> Section:
    chosen = _by_lead(rows, rows.saying("problems", now.open))
    cols = columns(
        lang,
        ("no", "int"),
        ("lead", "text"),
        ("id", "text"),
        ("target", "text"),
        ("problems", "long"),
        ("reported", "date"),
        ("status", "tag"),
    )
    said = rows.latest_said(chosen, "problems")
    leads = rows.leads(chosen)
    cells: list[Sequence[Cell]] = [
        list(range(1, len(chosen) + 1)),
        leads,
        rows.ids(chosen),
        rows.targets(chosen),
        [text for text, _ in said],
        [day for _, day in said],
        now.status_tags(chosen, lang),
    ]
    start = period.start
    new = sum(1 for _, day in said if day.date is not None and day.date >= start)
    paragraphs: tuple[str, ...] = ()
    if chosen:
        units = len(set(leads))
        paragraphs = (
            (
                f"尚未完成的目标中，{units}个牵头单位报送存在问题{len(chosen)}项（其中本周新报{new}项），"
                "按单位列示如下，需协调解决。"
                if lang == "zh"
                else f"Among targets not yet met, {units} lead units report {len(chosen)} problems ({new} new this "
                "week), listed by unit below for coordination."
            ),
        )
    table = table_of(cols, cells, word("empty_problems", lang), word("sheet_problems", lang))
    return Section(word("s3", lang), paragraphs, (table,))


def _next_weeks(now: Board, rows: Rows, sunday: dt.date, lang: str) -> Section:
    first, last = sunday + dt.timedelta(days=1), sunday + dt.timedelta(days=7 * NEXT_WEEKS)
    # `TargetResult.due_within`, over the columns
    days_left = now.days_left
    soon = {d for d in set(days_left) if within(d, 7 * NEXT_WEEKS)}  # asked once a number
    due = [i for i in now.open if days_left[i] in soon]
    by_deadline = sorted(
        zip(rows.deadlines(due), due, strict=True),
        key=lambda pair: (pair[0].date or first, pair[1]),
    )
    due = [i for _, i in by_deadline]
    cols = columns(
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
    cells: list[Sequence[Cell]] = [
        list(range(1, len(due) + 1)),
        rows.ids(due),
        rows.targets(due),
        rows.leads(due),
        [cell for cell, _ in by_deadline],
        list(map(days_left.__getitem__, due)),
        list(map(now.completion.__getitem__, due)),
        list(map(now.time_elapsed.__getitem__, due)),
        now.status_tags(due, lang),
        level_tags(list(map(now.level.__getitem__, due)), lang),
    ]
    span = span_text(first, last, lang)
    due_table = table_of(
        cols,
        cells,
        word("empty_due", lang),
        word("sheet_due", lang),
        title=(
            f"（一）未来四周到期事项（{span}）"
            if lang == "zh"
            else f"(1) Falling due in the next four weeks ({span})"
        ),
    )
    chosen = _by_lead(rows, rows.saying("next_steps", now.open))
    cols = columns(
        lang,
        ("no", "int"),
        ("lead", "text"),
        ("id", "text"),
        ("target", "text"),
        ("next_steps", "long"),
        ("reported", "date"),
    )
    said = rows.latest_said(chosen, "next_steps")
    step_cells: list[Sequence[Cell]] = [
        list(range(1, len(chosen) + 1)),
        rows.leads(chosen),
        rows.ids(chosen),
        rows.targets(chosen),
        [text for text, _ in said],
        [day for _, day in said],
    ]
    steps_table = table_of(
        cols,
        step_cells,
        word("empty_steps", lang),
        word("sheet_steps", lang),
        title="（二）各单位下步打算" if lang == "zh" else "(2) Next steps reported by units",
    )
    text = (
        f"未来四周（{span}）到期且尚未完成的目标{len(due)}项；尚未完成的目标中，各单位报送下步打算{len(chosen)}项。"
        if lang == "zh"
        else f"{len(due)} targets not yet met fall due in the next four weeks ({span}); units report next steps "
        f"for {len(chosen)} targets not yet met."
    )
    return Section(word("s4", lang), (text,), (due_table, steps_table))


def _supervision(now: Board, rows: Rows, config: Config, as_of: dt.date, lang: str) -> Section:
    # the targets either list shows, in one pass (each list chooses its own among them)
    level = now.level
    listed = supervised(level)
    red_cells = supervision_cells(now, rows, listed, lang, blue=False)
    blue_cells = supervision_cells(now, rows, listed, lang, blue=True)
    reds, blues = len(red_cells[0]), len(blue_cells[0])
    levels = Counter([level[i] for i in listed])
    red, yellow = levels[Level.RED], levels[Level.YELLOW]
    days = config.due_soon_days
    red_table = table_of(
        supervision_columns(lang, blue=False),
        red_cells,
        word("empty_red", lang),
        word("sheet_red", lang),
        title=(
            "（一）逾期及滞后事项（红色督办、黄色预警）"
            if lang == "zh"
            else "(1) Overdue and behind schedule (red, yellow)"
        ),
    )
    blue_table = table_of(
        supervision_columns(lang, blue=True),
        blue_cells,
        word("empty_blue", lang),
        word("sheet_blue", lang),
        title=(
            f"（二）即将到期事项（蓝色提示：{days}天内到期、尚未完成，不属督办）"
            if lang == "zh"
            else f"(2) Falling due soon (blue: due within {days} days, not met; a reminder, not supervision)"
        ),
    )
    text = (
        f"截至{day_text(as_of, lang)}，逾期未完成或滞后序时的目标{reds}项（红色督办{red}项、黄色预警{yellow}项），"
        f"另有{blues}项{days}天内到期（蓝色提示）。"
        if lang == "zh"
        else f"As of {as_of.isoformat()}, {reds} targets are overdue or behind schedule ({red} red, "
        f"{yellow} yellow); {blues} more fall due within {days} days (blue)."
    )
    return Section(word("a1", lang), (text,), (red_table, blue_table), annex=True)


def _by_unit(results: Board, lang: str, roles: Sequence[Roles]) -> Section:
    """附件2: each lead unit's targets and how they stand (`evaluate.accountability`)."""
    tallies = accountability_of(results.status, results.level, results.completion, roles)
    order = [t for t in tallies if t.leads]
    i = 0 if lang == "zh" else 1
    cols = (
        *columns(lang, ("no", "int"), ("lead", "text"), ("targets", "int")),
        *(Column(s.value, STATUS_LABELS[s][i], "int") for s in _STATUS_ROWS),
        Column("done_share", word("done_share", lang), "percent"),
        *(Column(lv.value, LEVEL_LABELS[lv][i], "int") for lv in _LEVELS),
    )
    rows: list[tuple[Cell, ...]] = []
    for n, t in enumerate(order, 1):
        rows.append(
            (
                n,
                safe(t.unit) or word("no_lead", lang),
                t.leads,
                *(t.counts[s] for s in _STATUS_ROWS),
                share_of(t.counts[Status.DONE] + t.counts[Status.DONE_LATE], t.leads),
                *(t.levels[lv] for lv in _LEVELS),
            )
        )
    overdue_units = sum(1 for t in order if t.counts[Status.OVERDUE])
    text = (
        f"共{len(rows)}个牵头单位（含未明确牵头单位的目标），其中{overdue_units}个单位有逾期未完成目标。"
        if lang == "zh"
        else f"{len(rows)} lead units (targets without one grouped together); {overdue_units} have overdue targets."
    )
    table = make_table(cols, rows, word("empty_units", lang), word("sheet_units", lang))
    return Section(word("a2", lang), (text,) if rows else (), (table,), annex=True)


def _counted(text: str, rows: Rows, at: list[int], lang: str) -> str:
    """`本周新完成目标2项（hd-5-1 …、…）`: a count, then the targets it counts, when there are
    any."""
    if not at:
        return text
    names = names_text(rows, at, lang)
    return f"{text}（{names}）" if lang == "zh" else f"{text} ({names})"
