"""Views: the tables of `targets`, `status`, `overdue`, `due` and `units`. Pure functions of the
evaluator's results; they decide nothing (status, level, roll-ups and accountability are
`evaluate`'s) and only arrange what it decided into `table.Table`s.

A target row has two shapes with the same values: the whole JSON record (`result_row`, the stable
interface of `--format json`) and the cells the text formats show (`display_row`, cheaper: a
province's `overdue` lists 9,000 rows).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import compress, pairwise
from operator import ne
from typing import TYPE_CHECKING, Any

from .dates import english
from .decisions import deadline_decision
from .evaluate import (
    Level,
    Rollup,
    Status,
    TargetResult,
    UnitTally,
    accountability,
    rollup,
    rollup_runs,
    within,
)
from .model import Document, Measure, Plan, Target
from .problems import unknown
from .registry import Registry
from .table import Column, Table, Tag, num
from .vocab import (
    LEVEL_WORDS,
    STATUS_LABELS,
    STATUS_WORDS,
    level_label,
    status_label,
    view_word,
    word,
)

if TYPE_CHECKING:
    import datetime as dt

    from .load.snapshot import Judged, Overdue, Snapshot, Verdicts

JSON_VERSION = 2  # 2: `view` names the table; `deadline` is always the document's; see README


def columns(lang: str, *spec: tuple[str, str]) -> tuple[Column, ...]:
    """A view's columns: (key, format) pairs, headed in the language."""
    return tuple(Column(key, view_word(key, lang), fmt) for key, fmt in spec)


def target_row(
    doc: Document, m: Measure, t: Target, registry: Registry, into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The stable JSON record of one target (`zjtrack targets --format json`), added to `into`
    when given (a view's row starts with its `row` kind; one dict, no copies)."""
    r = t.responsibility or m.responsibility
    lead, responsible, colleges, enterprises, supporting = registry.canonical_units(r, doc.region)
    start, deadline = t.start, t.deadline
    row = {} if into is None else into
    row.update(
        {
            "document": doc.id,
            "doc_number": doc.doc_number,
            "measure": m.id,
            "clause": m.clause,
            "measure_title": m.title,
            "id": t.id,
            "kind": t.kind.value,
            "metric": t.metric,
            "comparator": t.comparator.value if t.comparator is not None else None,
            "value": t.value,
            "value_max": t.value_max,
            "tolerance": t.tolerance,
            "unit": t.unit,
            "baseline": t.baseline,
            "maintain": t.maintain,
            "each": t.each,
            "entities": list(t.entities) if t.entities is not None else None,
            "start": start.date.isoformat() if start is not None and start.date else None,
            "start_text": start.text if start is not None else None,
            "deadline": deadline.date.isoformat()
            if deadline is not None and deadline.date
            else None,
            "deadline_text": deadline.text if deadline is not None else None,
            # a target with a deadline of its own carries no reason inherited for having none
            "deadline_reason": t.deadline_reason
            or (m.deadline_reason if deadline is None or deadline.date is None else None),
            "deadline_decided": _decided(t),
            "lead_units": lead,
            "responsible_units": responsible,
            "lead_colleges": colleges,
            "lead_enterprises": enterprises,
            "lead_enterprise_rule": r.lead_enterprise_rule,
            "supporting_units": supporting,
            "quote": t.quote,
            "note": t.note,
        }
    )
    return row


def target_rows(plan: Plan) -> list[dict[str, Any]]:
    registry = Registry(plan.units)
    return [target_row(d, m, t, registry) for d, m, t in plan.all_targets()]


def describe_target(row: dict[str, Any], lang: str = "zh") -> str:
    """A short human statement of a target: `办学条件达标学校比例 ≥ 90%`."""
    comparator = row["comparator"]
    metric = str(row["metric"])
    if comparator is None:
        return f"{metric}（里程碑）" if lang == "zh" else f"{metric} (milestone)"
    unit = row["unit"] or ""
    value = num(row["value"])
    if comparator == "range":
        text = f"{metric} {value}–{num(row['value_max'])}{unit}"
    elif comparator == "approx":
        tol = f" ±{num(row['tolerance'])}" if row["tolerance"] is not None else ""
        text = f"{metric} ≈{value}{unit}{tol}"
    else:
        sym = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}[comparator]
        text = f"{metric} {sym} {value}{unit}"
    if row["maintain"]:
        text += "（保持）" if lang == "zh" else " (maintained)"
    if row["each"]:
        each = row["each"]
        if row.get("entities") and len(each) <= 2:  # a bare 各/每个 reads as "each of these"
            each += (
                f"（{'、'.join(row['entities'])}）"
                if lang == "zh"
                else f" ({', '.join(row['entities'])})"
            )
        text = (f"{each}：" if lang == "zh" else f"{each}: ") + text
    return text


def targets_table(plan: Plan, lang: str = "zh") -> Table:
    """Every target as written: its record, plus the short statement the text formats show."""
    rows = []
    for row in target_rows(plan):
        row["target"] = describe_target(row, lang)
        rows.append(row)
    cols = columns(
        lang,
        ("id", "text"),
        ("clause", "text"),
        ("target", "text"),
        ("deadline_text", "text"),
        ("lead_units", "list"),
    )
    return Table("targets", cols, rows)


# --- status views -------------------------------------------------------------------------------

_VIEW_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "status": (
        ("id", "text"),
        ("target", "text"),
        ("lead_units", "list"),
        ("deadline_text", "text"),
        ("completion", "percent"),
        ("time_elapsed", "percent"),
        ("status_label", "tag"),
        ("level_label", "tag"),
        ("latest_text", "text"),
    ),
    "overdue": (
        ("id", "text"),
        ("target", "text"),
        ("deadline_text", "text"),
        ("days_late", "int"),
        ("completion", "percent"),
        ("lead_units", "list"),
        ("responsible_units", "list"),
    ),
    "due": (
        ("id", "text"),
        ("target", "text"),
        ("deadline_text", "text"),
        ("days_left", "int"),
        ("completion", "percent"),
        ("status_label", "tag"),
        ("lead_units", "list"),
        ("responsible_units", "list"),
    ),
}


def result_row(
    res: TargetResult, registry: Registry, lang: str = "zh", into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The stable JSON record of one target's status as of a date (`--format json`)."""
    base = target_row(res.document, res.measure, res.target, registry, into)
    latest = res.latest
    status = res.status.value
    base.update(  # in place: keys already in `base` keep their place, so the record's order is stable
        {
            "target": describe_target(base, lang),
            "deadline_in_force": res.deadline.isoformat() if res.deadline else None,
            "extension_ignored": res.extension_ignored,
            "deadline_text": _deadline_text(res, lang),
            "days_left": res.days_left,
            "days_late": res.days_late,
            "status": status,
            "status_label": status_label(
                res.status, lang, never_recorded=res.never_recorded, over=res.over
            ),
            "level": res.level.value if res.level else None,
            "level_label": level_label(res.level, lang),
            "completion": res.completion,
            "time_elapsed": res.time_elapsed,
            "gap": res.gap,
            "met": res.met,
            "over": res.over,
            "latest_value": res.value,
            "latest_date": latest.date.isoformat() if latest and latest.date else None,
            "latest_source": latest.source if latest else None,
            "latest_text": _latest_text(res, lang),
            "records": len(res.records),
            "stale": res.stale,
            "entities_known": res.entities_known,
            "entity_results": [
                {"entity": e.entity, "value": e.value, "met": e.met} for e in res.entities
            ],
            "problems": latest.problems if latest else None,
            "next_steps": latest.next_steps if latest else None,
        }
    )
    return base


def display_row(
    res: TargetResult, registry: Registry, lang: str = "zh", into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the text formats (terminal, Markdown, CSV) show of a target's status: the view's
    cells, with `result_row`'s values (status and level as tags, for their colour)."""
    t = res.target
    lead, responsible = registry.canonical_units(
        t.responsibility or res.measure.responsibility, res.document.region
    )[:2]
    status = res.status.value
    level = res.level.value if res.level else ""
    row = {} if into is None else into
    row.update(
        {
            "id": t.id,
            "target": describe_target(describe_fields(t), lang),
            "lead_units": lead,
            "responsible_units": responsible,
            "deadline_text": _deadline_text(res, lang),
            "days_left": res.days_left,
            "days_late": res.days_late,
            "status_label": Tag(
                status,
                status_label(res.status, lang, never_recorded=res.never_recorded, over=res.over),
            ),
            "level_label": Tag(level, level_label(res.level, lang)),
            "completion": res.completion,
            "time_elapsed": res.time_elapsed,
            "latest_text": _latest_text(res, lang),
        }
    )
    return row


def describe_fields(t: Target) -> dict[str, Any]:
    """The fields of `target_row` that `describe_target` reads, straight from the target."""
    return {
        "comparator": t.comparator.value if t.comparator is not None else None,
        "metric": t.metric,
        "unit": t.unit,
        "value": t.value,
        "value_max": t.value_max,
        "tolerance": t.tolerance,
        "maintain": t.maintain,
        "each": t.each,
        "entities": list(t.entities) if t.entities is not None else None,
    }


def _decided(t: Target) -> dict[str, Any] | None:
    """Who set a target's deadline when the working group did (工作专班确定), and why."""
    d = deadline_decision(t)
    if d is None:
        return None
    return {
        "by": d.decided_by,
        "on": d.decided_on.isoformat() if d.decided_on else None,
        "reason": d.reason,
    }


def deadline_label(t: Target, lang: str) -> str:
    """A deadline as written, marked when the working group set it: `2026年底（专班确定）`; in
    English, the expression in English (`dates.english`: end of 2026), as written when it has
    none."""
    text: str = (t.deadline.text if t.deadline else None) or "—"
    if lang != "zh" and t.deadline is not None:
        text = english(text) or text
    if deadline_decision(t) is not None:
        text += word("decided", lang)
    return text


def _deadline_text(res: TargetResult, lang: str) -> str:
    text = deadline_label(res.target, lang)
    if res.deadline and res.original_deadline and res.deadline != res.original_deadline:
        text += (
            f"（延期至 {res.deadline.isoformat()}）"
            if lang == "zh"
            else f" (extended to {res.deadline})"
        )
    return text


def _latest_text(res: TargetResult, lang: str) -> str:
    latest = res.latest
    if latest is None:
        return "—"
    day = latest.date.isoformat() if latest.date else "?"
    return latest_text(day, latest.value, latest.done, res.target.unit, res.stale, lang)


def latest_text(
    day: str, value: float | None, done: bool | None, unit: str | None, stale: bool, lang: str
) -> str:
    """The latest record as the status views show it: `2026-11-20 45%（久未更新）`."""
    if value is not None:
        shown = f"{num(value)}{unit or ''}"
    elif lang == "zh":
        shown = "完成" if done else "未完成"
    else:
        shown = "done" if done else "not done"
    text = f"{day} {shown}"
    if stale:
        text += "（久未更新）" if lang == "zh" else " (stale)"
    return text


def status_summary(results: Sequence[TargetResult], lang: str = "zh") -> dict[str, Any]:
    return summary_of([r.status for r in results], [r.level for r in results], lang)


def summary_of(
    statuses: list[Status], levels: list[Level | None], lang: str = "zh"
) -> dict[str, Any]:
    """The view's summary from the status and the level of each target shown (columns, counted
    in C)."""
    found, found_levels = Counter(statuses), Counter(levels)
    counts = {s.value: found[s] for s in Status}
    by_level = {lv.value: found_levels[lv] for lv in Level}
    i = 0 if lang == "zh" else 1
    labels = {s.value: STATUS_LABELS[s][i] for s in Status}
    return {"total": len(statuses), "by_status": counts, "by_level": by_level, "labels": labels}


def results_table(
    view: str,
    results: Sequence[TargetResult],
    registry: Registry,
    lang: str,
    everything: Sequence[TargetResult] | None = None,
    full: bool = True,
) -> Table:
    """A view's table. The status view also has a row per document and per measure, rolled up
    from all of its targets (`everything`), placed above the targets shown. `full`: each target
    row is the whole JSON record (`result_row`), else only what the columns show (`display_row`)."""
    cols = columns(lang, *_VIEW_COLUMNS[view])
    row_of = result_row if full else display_row
    rows: list[dict[str, Any]] = []
    if view != "status":
        rows = [row_of(r, registry, lang, {"row": "target"}) for r in results]
        return Table(view, cols, rows, status_summary(results, lang))
    pool = everything if everything is not None else results
    by_measure: dict[tuple[str, str], list[TargetResult]] = {}
    by_doc: dict[str, list[TargetResult]] = {}
    for r in pool:
        by_measure.setdefault((r.document.id, r.measure.id), []).append(r)
        by_doc.setdefault(r.document.id, []).append(r)
    last_doc = last_measure = None
    for r in results:
        if r.document.id != last_doc:
            last_doc = r.document.id
            d = r.document
            title = f"{d.title}（{d.doc_number}）"
            rows.append(_rollup_row("document", d.id, title, [], by_doc[d.id], lang, full))
        if r.measure.id != last_measure:
            last_measure = r.measure.id
            m = r.measure
            lead = registry.canonical(m.responsibility.lead_units, r.document.region)
            pool_m = by_measure[(r.document.id, m.id)]
            rows.append(
                _rollup_row("measure", m.id, f"{m.clause}{m.title}", lead, pool_m, lang, full)
            )
        rows.append(row_of(r, registry, lang, {"row": "target"}))
    return Table(view, cols, rows, status_summary(results, lang))


def snapshot_table(
    view: str,
    snap: Snapshot,
    as_of: dt.date,
    lang: str,
    days: int | None = None,
    with_rows: bool = True,
) -> tuple[Table, Verdicts | Overdue] | None:
    """`overdue` (`days` None) or `due` within `days`, over the tree's columnar snapshot: the
    same table `results_table(view, ..., full=False)` makes from `evaluate`'s results, with
    rows (`display_row`'s cells) built only for the targets shown (`with_rows` False: none, for
    the plain table, which is laid out from the judged targets themselves: `due`'s by
    `render.terminal.due_cells`, `overdue`'s, as columns (`snapshot.Overdue`), by
    `render.terminal.overdue_text`). None when a target that can qualify needs the object
    model."""
    from .load.snapshot import candidates, judge_many, overdue, unmet

    if view == "status":
        if snap.fallback:
            return None
        shown = judge_many(snap, range(snap.n), as_of)
        rows = snapshot_rows(snap, shown, as_of, lang)
        cols = columns(lang, *_VIEW_COLUMNS[view])
        summary = summary_of(shown.status, shown.level, lang)
        rows = _with_rollups(snap, shown, rows, _rollup_rows(snap, lang))
        return Table(view, cols, rows, summary), shown
    if view == "overdue" and not with_rows:  # laid out from columns (`overdue_text`)
        found = overdue(snap, as_of)
        if found is None:
            return None
        summary = summary_of([found.status] * len(found), [found.level] * len(found), lang)
        return Table(view, columns(lang, *_VIEW_COLUMNS[view]), [], summary), found
    chosen = candidates(snap, as_of, days)
    if chosen is None:
        return None
    if days is None:  # a target that all of its records (none after the date) met is not overdue
        chosen = unmet(snap, chosen, as_of)
    judged = judge_many(snap, chosen, as_of)
    if days is None:
        overdue_ = Status.OVERDUE
        picked = [k for k, s in enumerate(judged.status) if s is overdue_]
    else:  # `TargetResult.due_within`
        picked = [
            k
            for k, (s, left) in enumerate(zip(judged.status, judged.days_left, strict=True))
            if not s.finished and within(left, days)
        ]
    shown = judged.take(picked)
    cols = columns(lang, *_VIEW_COLUMNS[view])
    rows = snapshot_rows(snap, shown, as_of, lang) if with_rows else []
    return Table(view, cols, rows, summary_of(shown.status, shown.level, lang)), shown


def snapshot_json_table(
    view: str, snap: Snapshot, as_of: dt.date, lang: str, days: int | None = None
) -> tuple[Table, Verdicts] | None:
    """`overdue` or `due` with `--format json` over the snapshot: the targets shown, judged, and
    a table with their summary and no rows; the rows are written from the JSON side file
    (`render.json.snapshot_rows`), as `status`'s are. None when a target needs the objects."""
    made = snapshot_table(view, snap, as_of, lang, days, with_rows=False)
    if made is None:
        return None
    table, shown = made
    return table, _each_judged(snap, shown, as_of)


def _each_judged(snap: Snapshot, shown: Verdicts | Overdue, as_of: dt.date) -> Verdicts:
    """The targets shown, judged: `overdue`'s columns (`snapshot.Overdue`) judged again for
    what needs every field of a target."""
    from .load.snapshot import Overdue, judge_many

    return judge_many(snap, shown.at, as_of) if isinstance(shown, Overdue) else shown


def statuses_of(shown: Verdicts | Overdue) -> list[Status]:
    """The status of each target shown (`snapshot_table`'s)."""
    from .load.snapshot import Overdue

    return [shown.status] * len(shown) if isinstance(shown, Overdue) else shown.status


def snapshot_status_plain(
    snap: Snapshot, as_of: dt.date, lang: str
) -> tuple[Table, Verdicts] | None:
    """The `status` table over the snapshot for `render.terminal.status_text`: its rows are the
    judged targets' positions among those judged (every target: `Verdicts`, no cells built)
    with each document's and measure's roll-up (`Rollup`, no counts) above them, in the places
    `status_runs` gives (the snapshot's `Cells` hold what no date changes of them). None when a
    target needs the object model."""
    from .load.snapshot import judge_many

    if snap.fallback:
        return None
    shown = judge_many(snap, range(snap.n), as_of)
    cols = columns(lang, *_VIEW_COLUMNS["status"])
    summary = summary_of(shown.status, shown.level, lang)
    rows = _with_rollups(snap, shown, range(snap.n), lambda kind, k, r: r, counted=False)
    return Table("status", cols, rows, summary), shown


def snapshot_status_json(
    snap: Snapshot, as_of: dt.date, lang: str
) -> tuple[Table, Verdicts, list[tuple[str, int, Rollup]]] | None:
    """`status --format json` over the snapshot: every target judged, a table that holds the
    summary but no rows, and each document's and measure's roll-up (its kind, index and
    `Rollup`, counted) in the order of their rows. The rows are written from the JSON side file
    (`render.json.snapshot_rows`) and the roll-ups (`render.json.snapshot_rollups`). None when
    a target needs the object model."""
    from .load.snapshot import judge_many

    if snap.fallback:
        return None
    shown = judge_many(snap, range(snap.n), as_of)
    cols = columns(lang, *_VIEW_COLUMNS["status"])
    summary = summary_of(shown.status, shown.level, lang)
    rolled = _with_rollups(snap, shown, [], lambda kind, k, r: (kind, k, r))
    return Table("status", cols, [], summary), shown, rolled


StatusRuns = list[tuple[int, list[tuple[int, int, int]]]]


def status_runs(snap: Snapshot) -> StatusRuns:
    """Where the status view's document and measure rows go among all targets in document order:
    each document (its index) with the runs of its measures (measure index, first target, end).
    Every measure's targets, and every document's, are consecutive."""
    measures, docs, n = snap.target_measure, snap.target_doc, snap.n
    if not n:
        return []
    # where each measure's targets start, and each document's measures: where the index changes
    cut = [0, *compress(range(1, n), map(ne, measures[1:], measures[:-1])), n]
    firsts = cut[:-1]
    runs = list(zip(map(measures.__getitem__, firsts), firsts, cut[1:], strict=True))
    of = list(map(docs.__getitem__, firsts))
    m = len(runs)
    by_doc = [0, *compress(range(1, m), map(ne, of[1:], of[:-1])), m]
    return [(of[a], runs[a:b]) for a, b in pairwise(by_doc)]


RowOf = Callable[[str, int, Rollup], Any]


def _rollup_rows(snap: Snapshot, lang: str) -> RowOf:
    """A document's or measure's row of the status table (`rollup_row`, not `full`: JSON's are
    `render.json.snapshot_rollups`) by its index."""

    def row_of(kind: str, k: int, r: Rollup) -> dict[str, Any]:
        if kind == "document":
            return rollup_row(kind, snap.doc_ids[k], snap.doc_titles[k], [], r, lang, False)
        title, lead = snap.measure_titles[k], snap.measure_lead.names(k)
        return rollup_row(kind, snap.measure_ids[k], title, lead, r, lang, False)

    return row_of


def _with_rollups(
    snap: Snapshot, shown: Verdicts, rows: Sequence[Any], row_of: RowOf, counted: bool = True
) -> list[Any]:
    """The status view's rows: a row per document and per measure (`row_of` its kind, index and
    roll-up, `evaluate.rollup_runs`), above its targets' `rows` (none: left out), as
    `results_table` places them. `shown` is every target judged, in document order
    (`status_runs`)."""
    groups = status_runs(snap)
    has = [k >= 0 for k in shown.latest]
    spans = [(runs[0][1], runs[-1][2]) for _, runs in groups]
    spans += [(a, b) for _, runs in groups for _, a, b in runs]
    rolled = iter(rollup_runs(shown.status, shown.level, shown.completion, has, spans, counted))
    by_doc = [next(rolled) for _ in groups]
    out: list[Any] = []
    add = out.append
    for (d, runs), r in zip(groups, by_doc, strict=True):
        add(row_of("document", d, r))
        for mi, a, b in runs:
            add(row_of("measure", mi, next(rolled)))
            out += rows[a:b]
    return out


def snapshot_rows(
    snap: Snapshot, shown: Verdicts | Overdue, as_of: dt.date, lang: str
) -> list[dict[str, Any]]:
    """`display_row`'s cells of the targets shown, from the snapshot's columns."""
    shown = _each_judged(snap, shown, as_of)
    statement, deadline_text = snap.statement[lang], snap.deadline_text[lang]
    texts = (snap.ids, statement, deadline_text, snap.units, snap.lead, snap.responsible)
    if len(shown) * 8 > snap.n:  # most rows: decode whole columns at once
        for column in texts:
            column.decode_all()
    names: dict[str, list[str]] = {}  # unit names, shared by the rows that name the same
    days: dict[int, str] = {}
    rows: list[dict[str, Any]] = []
    tags: dict[tuple[Status, bool, bool], Tag] = {}
    level_tags = {lv: Tag(lv.value if lv else "", level_label(lv, lang)) for lv in (*Level, None)}
    for j in shown:
        i = j.i
        status, level, days_left = j.status, j.level, j.days_left
        never = j.never_recorded
        tag = tags.get((status, never, j.over))
        if tag is None:
            label = status_label(status, lang, never_recorded=never, over=j.over)
            tag = tags[(status, never, j.over)] = Tag(status.value, label)
        latest = snapshot_latest_text(snap, j, lang, days)
        rows.append(
            {
                "row": "target",
                "id": snap.ids[i],
                "target": statement[i],
                "lead_units": _names(names, snap.lead[i]),
                "responsible_units": _names(names, snap.responsible[i]),
                "deadline_text": deadline_text[i],
                "days_left": days_left,
                "days_late": -days_left if days_left is not None and days_left < 0 else None,
                "status_label": tag,
                "level_label": level_tags[level],
                "completion": j.completion,
                "time_elapsed": j.time_elapsed,
                "latest_text": latest,
            }
        )
    return rows


def snapshot_latest_text(snap: Snapshot, j: Judged, lang: str, days: dict[int, str]) -> str:
    """`_latest_text` of a target judged over the snapshot (`days`: ISO dates by ordinal, shared)."""
    return snapshot_latest_of(snap, j.i, j.latest, j.stale, lang, days)


def snapshot_latest_of(
    snap: Snapshot, i: int, k: int, stale: bool, lang: str, days: dict[int, str]
) -> str:
    """`snapshot_latest_text` of target `i` whose latest record is `k` (-1: none)."""
    if k < 0:
        return "—"
    x, done, on = snap.rec_value[k], snap.rec_done[k], snap.rec_date[k]
    return latest_text(
        days.get(on) or days.setdefault(on, _iso(on)),
        None if x != x else x,
        None if done < 0 else bool(done),
        snap.units[i] or None,
        stale,
        lang,
    )


def _names(known: dict[str, list[str]], joined: str) -> list[str]:
    """Unit names as the snapshot joins them (`snapshot.SEP`), split once per distinct text."""
    found = known.get(joined)
    if found is None:
        from .load.snapshot import SEP

        found = known[joined] = joined.split(SEP) if joined else []
    return found


def _iso(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()


def _rollup_row(
    row: str,
    ident: str,
    title: str,
    lead: list[str],
    results: list[TargetResult],
    lang: str,
    full: bool,
) -> dict[str, Any]:
    """A document's or measure's row: the status and level `evaluate.rollup` decides."""
    return rollup_row(row, ident, title, lead, rollup(results), lang, full)


# each status's and level's value (None: no level) by a dict lookup: an enum's `.value` is a
# descriptor call, and a province's roll-up rows ask for about 50,000 of them
_STATUS_VALUE: dict[Status, str] = {s: s.value for s in Status}
_LEVEL_VALUE: dict[Level | None, str | None] = {None: None, **{lv: lv.value for lv in Level}}


def rollup_row(
    row: str, ident: str, title: str, lead: list[str], r: Rollup, lang: str, full: bool
) -> dict[str, Any]:
    """A document's or measure's row from its roll-up."""
    status, level = _STATUS_VALUE[r.status], _LEVEL_VALUE[r.level]
    label, lv_label = status_label(r.status, lang), level_label(r.level, lang)
    return {
        "row": row,
        "id": ident,
        "target": title,
        "lead_units": lead,
        "deadline_text": "",
        "completion": r.completion,
        "time_elapsed": None,
        "status": status,
        "status_label": label if full else Tag(status, label),
        "level": level,
        "level_label": lv_label if full else Tag(level or "", lv_label),
        "latest_text": "",
        "targets": r.total,
        "by_status": {_STATUS_VALUE[s]: n for s, n in r.counts.items()},
    }


def unit_table(
    results: Sequence[TargetResult], registry: Registry, lang: str, only: set[str] | None = None
) -> Table:
    """Accountability per unit (`evaluate.accountability`): what it leads and shares, and how the
    targets it leads stand."""
    cols = columns(
        lang,
        ("unit", "text"),
        ("leads", "int"),
        ("shares", "int"),
        ("done", "int"),
        ("done_late", "int"),
        ("on_track", "int"),
        ("in_progress", "int"),
        ("behind", "int"),
        ("overdue", "int"),
        ("no_data", "int"),
        ("avg_completion", "percent"),
    )
    rows = [
        _unit_row(t)
        for t in accountability(results, registry)
        if t.unit and (only is None or t.unit in only)
    ]
    return Table("units", cols, rows)


def _unit_row(t: UnitTally) -> dict[str, Any]:
    return {
        "unit": t.unit,
        "leads": t.leads,
        "shares": t.shares,
        **{s.value: n for s, n in t.counts.items()},
        "avg_completion": t.completion,
    }


# --- filters ------------------------------------------------------------------------------------


def units_of(res: TargetResult, registry: Registry) -> set[str]:
    """Canonical names of every unit a target's result answers to (lead, responsible, supporting)."""
    r = res.measure.responsibility_of(res.target)
    return set(registry.canonical(r.names(), res.document.region))


def filter_results(
    results: list[TargetResult],
    registry: Registry,
    *,
    doc: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    level: str | None = None,
) -> list[TargetResult]:
    """Keep results matching every filter given. A value that names nothing is a usage error
    (`problems.unknown`, exit 2 with the nearest names): a typo must never give an empty, green
    result. `unit` accepts a name or an alias. (The CLI narrows the plan to a document before
    judging, `narrow`, where every document id is known.)"""
    out = results
    if doc:
        ids = {r.document.id for r in results}
        if doc not in ids:
            raise unknown(("文件", "document"), doc, ids, "--doc")
        out = [r for r in out if r.document.id == doc]
    if unit:
        wanted = unit_names(registry, unit)
        out = [r for r in out if units_of(r, registry) & wanted]
    if status:
        if status not in STATUS_WORDS:
            raise unknown(("状态", "status"), status, STATUS_WORDS, "--status")
        s = STATUS_WORDS[status]
        out = [r for r in out if r.status.value == s]
    if level:
        if level not in LEVEL_WORDS:
            raise unknown(("预警等级", "level"), level, LEVEL_WORDS, "--level")
        lv = LEVEL_WORDS[level]
        out = [r for r in out if r.level is not None and r.level.value == lv]
    return out


def unit_names(registry: Registry, query: str, option: str | None = "--unit") -> set[str]:
    """The canonical names a user means by a unit name or alias; none is a usage error."""
    found = {u.name for u in registry.find(query)}
    if not found:
        raise unknown(("单位", "unit"), query, registry.names(), option)
    return found


def narrow(plan: Plan, registry: Registry, *, doc: str | None, unit: str | None) -> Plan:
    """The plan limited to one document and/or the targets one unit answers for (lead,
    responsible or supporting): a report so limited has that scope. Names that name nothing are
    usage errors, as in `filter_results`."""
    if not doc and not unit:
        return plan
    documents = plan.documents
    if doc:
        ids = {d.id for d in documents}
        if doc not in ids:
            raise unknown(("文件", "document"), doc, ids, "--doc")
        documents = tuple(d for d in documents if d.id == doc)
    if unit:
        wanted = unit_names(registry, unit)
        documents = tuple(_for_units(d, registry, wanted) for d in documents)
        documents = tuple(d for d in documents if d.measures)
    return plan.limited_to(documents)


def _for_units(d: Document, registry: Registry, wanted: set[str]) -> Document:
    measures = []
    for m in d.measures:
        mine = tuple(
            t
            for t in m.targets
            if set(registry.canonical(m.responsibility_of(t).names(), d.region)) & wanted
        )
        if mine:
            measures.append(m._replace(targets=mine))
    return d._replace(measures=tuple(measures))
