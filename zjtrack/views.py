"""Views: the rows every output format renders. Pure functions of the model."""

from __future__ import annotations

from typing import Any, NamedTuple

from .model import Document, Measure, Plan, Target
from .problems import UserError
from .registry import Registry

JSON_VERSION = 1


class Column(NamedTuple):
    key: str
    zh: str
    en: str
    kind: str = "text"  # "text", or "bar": a 0-100 number drawn as a progress bar on terminals

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Table(NamedTuple):
    """A view: named columns and rows of plain values (str, int, float, bool, None, lists)."""

    kind: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    summary: dict[str, Any] | None = None


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
            "kind": t.kind._value_,  # the enum's plain str (`.value` is a slow descriptor)
            "metric": t.metric,
            "comparator": t.comparator._value_ if t.comparator is not None else None,
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
            "deadline_reason": t.deadline_reason or m.deadline_reason,
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


TARGET_COLUMNS = (
    Column("id", "编号", "ID"),
    Column("clause", "条款", "Clause"),
    Column("target", "目标", "Target"),
    Column("deadline_text", "完成时限", "Deadline"),
    Column("lead_units", "牵头单位", "Lead units"),
)


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
    value = _num(row["value"])
    if comparator == "range":
        text = f"{metric} {value}–{_num(row['value_max'])}{unit}"
    elif comparator == "approx":
        tol = f" ±{_num(row['tolerance'])}" if row["tolerance"] is not None else ""
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


def _num(v: float | int | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else str(v)


def targets_table(plan: Plan, lang: str = "zh") -> Table:
    rows = []
    for row in target_rows(plan):
        rows.append(
            {
                **row,
                "target": describe_target(row, lang),
                "deadline_text": row["deadline_text"] or "—",
            }
        )
    return Table("targets", TARGET_COLUMNS, rows)


# --- status views -------------------------------------------------------------------------------

STATUS_COLUMNS = (
    Column("id", "编号", "ID"),
    Column("target", "目标", "Target"),
    Column("lead", "牵头单位", "Lead units"),
    Column("deadline_text", "完成时限", "Deadline"),
    Column("progress", "完成率", "Progress", "bar"),
    Column("time_progress", "序时进度", "Time elapsed", "bar"),
    Column("status_label", "状态", "Status"),
    Column("level_label", "预警", "Level"),
    Column("latest_text", "最新进展", "Latest record"),
)
OVERDUE_COLUMNS = (
    Column("id", "编号", "ID"),
    Column("target", "目标", "Target"),
    Column("deadline_text", "完成时限", "Deadline"),
    Column("days_late", "逾期天数", "Days late"),
    Column("progress", "完成率", "Progress", "bar"),
    Column("lead", "牵头单位", "Lead units"),
    Column("responsible", "责任单位", "Responsible units"),
)
DUE_COLUMNS = (
    Column("id", "编号", "ID"),
    Column("target", "目标", "Target"),
    Column("deadline_text", "完成时限", "Deadline"),
    Column("days_left", "剩余天数", "Days left"),
    Column("progress", "完成率", "Progress", "bar"),
    Column("status_label", "状态", "Status"),
    Column("lead", "牵头单位", "Lead units"),
    Column("responsible", "责任单位", "Responsible units"),
)
UNIT_COLUMNS = (
    Column("unit", "单位", "Unit"),
    Column("leads", "牵头目标", "Leads"),
    Column("shares", "参与目标", "Shares"),
    Column("done", "已完成", "Done"),
    Column("on_track", "按序时推进", "On schedule"),
    Column("behind", "滞后序时", "Behind"),
    Column("overdue", "逾期未完成", "Overdue"),
    Column("no_data", "无进展数据", "No data"),
    Column("progress", "平均完成率", "Avg progress", "bar"),
)


def result_row(
    res: Any, registry: Registry, lang: str = "zh", into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The stable JSON record of one target's status as of a date (`--format json`)."""
    base = target_row(res.document, res.measure, res.target, registry, into)
    latest = res.latest
    status = res.status._value_  # enums' plain values (`.value` is a slow descriptor)
    base.update(
        {  # in place: keys already in `base` keep their place, so the record's order is stable
            "target": describe_target(base, lang),
            "lead": base["lead_units"],
            "responsible": base["responsible_units"],
            "deadline": res.deadline.isoformat() if res.deadline else None,
            "original_deadline": res.original_deadline.isoformat()
            if res.original_deadline
            else None,
            "extension_ignored": res.extension_ignored,
            "deadline_text": _deadline_text(res, lang),
            "days_left": res.days_left,
            "days_late": res.days_late,
            "status": status,
            "status_label": _status_label(res, lang),
            "level": res.level._value_ if res.level else None,
            "level_label": _level_label(res, lang),
            "progress": res.progress,
            "time_progress": res.time_progress,
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
    res: Any, registry: Registry, lang: str = "zh", into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the text formats (terminal, Markdown, CSV) show of a target's status: the view's
    columns, with exactly `result_row`'s values, without building the full record (a province's
    `overdue` lists 9,000 rows)."""
    t = res.target
    lead, responsible = registry.canonical_units(
        t.responsibility or res.measure.responsibility, res.document.region
    )[:2]
    row = {} if into is None else into
    row.update(
        {
            "id": t.id,
            "target": describe_target(describe_fields(t), lang),
            "lead": lead,
            "responsible": responsible,
            "deadline_text": _deadline_text(res, lang),
            "days_left": res.days_left,
            "days_late": res.days_late,
            "status": res.status._value_,
            "status_label": _status_label(res, lang),
            "level": res.level._value_ if res.level else None,
            "level_label": _level_label(res, lang),
            "progress": res.progress,
            "time_progress": res.time_progress,
            "latest_text": _latest_text(res, lang),
        }
    )
    return row


def describe_fields(t: Target) -> dict[str, Any]:
    """The fields of `target_row` that `describe_target` reads, straight from the target."""
    return {
        "comparator": t.comparator._value_ if t.comparator is not None else None,
        "metric": t.metric,
        "unit": t.unit,
        "value": t.value,
        "value_max": t.value_max,
        "tolerance": t.tolerance,
        "maintain": t.maintain,
        "each": t.each,
        "entities": list(t.entities) if t.entities is not None else None,
    }


def _deadline_text(res: Any, lang: str) -> str:
    text: str = (res.target.deadline.text if res.target.deadline else None) or "—"
    if res.deadline and res.original_deadline and res.deadline != res.original_deadline:
        text += (
            f"（延期至 {res.deadline.isoformat()}）"
            if lang == "zh"
            else f" (extended to {res.deadline})"
        )
    return text


def _latest_text(res: Any, lang: str) -> str:
    latest = res.latest
    if latest is None:
        return "—"
    shown = (
        f"{_num(latest.value)}{res.target.unit or ''}"
        if latest.value is not None
        else ("完成" if latest.done else "未完成")
        if lang == "zh"
        else ("done" if latest.done else "not done")
    )
    text = f"{latest.date.isoformat() if latest.date else '?'} {shown}"
    if res.stale:
        text += "（久未更新）" if lang == "zh" else " (stale)"
    return text


def _status_label(res: Any, lang: str) -> str:
    from .evaluate import STATUS_LABELS, Status

    label: str = STATUS_LABELS[res.status][0 if lang == "zh" else 1]
    if res.status is Status.OVERDUE and res.latest is None:
        label += "（无进展数据）" if lang == "zh" else " (no data)"
    return label


def _level_label(res: Any, lang: str) -> str:
    from .evaluate import LEVEL_LABELS

    return LEVEL_LABELS[res.level][0 if lang == "zh" else 1] if res.level else ""


def status_summary(results: list[Any], lang: str = "zh") -> dict[str, Any]:
    from .evaluate import STATUS_LABELS, Status

    counts = {s.value: 0 for s in Status}
    for r in results:
        counts[r.status.value] += 1
    levels = {"red": 0, "yellow": 0, "blue": 0}
    for r in results:
        if r.level:
            levels[r.level.value] += 1
    i = 0 if lang == "zh" else 1
    labels = {s.value: STATUS_LABELS[s][i] for s in Status}
    return {"total": len(results), "by_status": counts, "by_level": levels, "labels": labels}


def results_table(
    kind: str,
    results: list[Any],
    registry: Registry,
    lang: str,
    everything: list[Any] | None = None,
    full: bool = True,
) -> Table:
    """A view's rows. The status view also has a row per document and per measure, rolled up
    from all of its targets (`everything`), placed above the targets shown. `full`: each target
    row is the whole JSON record (`result_row`), else only what the columns show (`display_row`)."""
    columns = {"status": STATUS_COLUMNS, "overdue": OVERDUE_COLUMNS, "due": DUE_COLUMNS}[kind]
    row_of = result_row if full else display_row
    rows: list[dict[str, Any]] = []
    if kind != "status":
        rows = [row_of(r, registry, lang, {"row": "target"}) for r in results]
        return Table(kind, columns, rows, status_summary(results, lang))
    pool = everything if everything is not None else results
    by_measure: dict[tuple[str, str], list[Any]] = {}
    by_doc: dict[str, list[Any]] = {}
    for r in pool:
        by_measure.setdefault((r.document.id, r.measure.id), []).append(r)
        by_doc.setdefault(r.document.id, []).append(r)
    last_doc = last_measure = None
    for r in results:
        if r.document.id != last_doc:
            last_doc = r.document.id
            d = r.document
            rows.append(
                _rollup_row(
                    "document", d.id, f"{d.title}（{d.doc_number}）", [], by_doc[d.id], lang
                )
            )
        if r.measure.id != last_measure:
            last_measure = r.measure.id
            m = r.measure
            lead = registry.canonical(m.responsibility.lead_units, r.document.region)
            rows.append(
                _rollup_row(
                    "measure",
                    m.id,
                    f"{m.clause}{m.title}",
                    lead,
                    by_measure[(r.document.id, m.id)],
                    lang,
                )
            )
        rows.append(row_of(r, registry, lang, {"row": "target"}))
    return Table(kind, columns, rows, status_summary(results, lang))


_LEVEL_ORDER = ("red", "yellow", "blue")


def _rollup_row(
    kind: str, ident: str, title: str, lead: list[str], results: list[Any], lang: str
) -> dict[str, Any]:
    from .evaluate import LEVEL_LABELS, STATUS_LABELS, Level, rollup

    r = rollup(results)
    levels = {x.level.value for x in results if x.level is not None}
    level = next((lv for lv in _LEVEL_ORDER if lv in levels), None)
    i = 0 if lang == "zh" else 1
    counts = {s.value: n for s, n in r.counts.items()}
    return {
        "row": kind,
        "id": ident,
        "target": title,
        "lead": lead,
        "deadline_text": "",
        "progress": r.progress,
        "time_progress": None,
        "status": r.status.value,
        "status_label": STATUS_LABELS[r.status][i],
        "level": level,
        "level_label": LEVEL_LABELS[Level(level)][i] if level else "",
        "latest_text": "",
        "targets": r.total,
        "by_status": counts,
    }


def unit_table(
    results: list[Any], registry: Registry, lang: str, only: set[str] | None = None
) -> Table:
    """Accountability per unit: what it leads and shares, and how those targets stand."""
    stats: dict[str, dict[str, Any]] = {}
    for res in results:
        r = res.measure.responsibility_of(res.target)
        region = res.document.region
        lead = set(registry.canonical(r.lead_units + r.lead_colleges + r.lead_enterprises, region))
        share = set(registry.canonical(r.responsible_units + r.supporting_units, region)) - lead
        for name, role in [(n, "leads") for n in lead] + [(n, "shares") for n in share]:
            if only is not None and name not in only:
                continue
            st = stats.setdefault(
                name,
                {
                    "unit": name,
                    "leads": 0,
                    "shares": 0,
                    "done": 0,
                    "on_track": 0,
                    "behind": 0,
                    "overdue": 0,
                    "no_data": 0,
                    "_p": [],
                },
            )
            st[role] += 1
            st[res.status.value] += 1
            st["_p"].append(res.progress)
    rows = []
    for st in sorted(
        stats.values(), key=lambda s: (-s["overdue"], -s["behind"], -s["leads"], s["unit"])
    ):
        p = st.pop("_p")
        # as in roll-ups: silent targets count 0, so a unit that reports little cannot look done
        st["progress"] = (
            round(sum(x or 0.0 for x in p) / len(p), 1) if any(x is not None for x in p) else None
        )
        rows.append(st)
    return Table("units", UNIT_COLUMNS, rows)


# --- filters ------------------------------------------------------------------------------------

STATUS_WORDS = {
    "overdue": "overdue",
    "逾期": "overdue",
    "逾期未完成": "overdue",
    "behind": "behind",
    "滞后": "behind",
    "滞后序时": "behind",
    "no_data": "no_data",
    "无进展数据": "no_data",
    "未启动": "no_data",
    "on_track": "on_track",
    "按序时推进": "on_track",
    "done": "done",
    "已完成": "done",
}
LEVEL_WORDS = {
    "red": "red",
    "红": "red",
    "yellow": "yellow",
    "黄": "yellow",
    "blue": "blue",
    "蓝": "blue",
}


def units_of(res: Any, registry: Registry) -> set[str]:
    """Canonical names of every unit a target's result answers to (lead, responsible, supporting)."""
    r = res.measure.responsibility_of(res.target)
    return set(registry.canonical(r.names(), res.document.region))


def filter_results(
    results: list[Any],
    registry: Registry,
    *,
    doc: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    level: str | None = None,
) -> list[Any]:
    """Keep results matching every filter given. `unit` accepts a name or an alias."""
    out = results
    if doc:
        out = [r for r in out if r.document.id == doc]
        if not out and results:
            ids = "、".join(sorted({r.document.id for r in results}))
            raise UserError(
                f"没有文件 `{doc}`；可用：{ids}",
                f"no document `{doc}`; use one of: {ids}",
                option="--doc",
            )
    if unit:
        wanted = {u.name for u in registry.find(unit)} or {unit}
        out = [r for r in out if units_of(r, registry) & wanted]
    if status:
        if status not in STATUS_WORDS:
            words = "、".join(STATUS_WORDS)
            raise UserError(
                f"没有状态 `{status}`；可用：{words}",
                f"no status `{status}`; use one of: {words}",
                option="--status",
            )
        s = STATUS_WORDS[status]
        out = [r for r in out if r.status.value == s]
    if level:
        if level not in LEVEL_WORDS:
            words = "、".join(LEVEL_WORDS)
            raise UserError(
                f"没有预警等级 `{level}`；可用：{words}",
                f"no level `{level}`; use one of: {words}",
                option="--level",
            )
        lv = LEVEL_WORDS[level]
        out = [r for r in out if r.level is not None and r.level.value == lv]
    return out
