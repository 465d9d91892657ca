"""Views: the rows every output format renders. Pure functions of the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Document, Measure, Name, Plan, Target
from .registry import Registry

JSON_VERSION = 1


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Table:
    """A view: named columns and rows of plain values (str, int, float, bool, None, lists)."""

    kind: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]


def canonical(names: tuple[Name, ...], registry: Registry, region: str | None) -> list[str]:
    """Canonical unit names for names as written (unresolved names are kept as written)."""
    out = []
    for n in names:
        unit = registry.resolve(n.text, region)
        out.append(unit.name if unit else n.text)
    return out


def target_row(doc: Document, m: Measure, t: Target, registry: Registry) -> dict[str, Any]:
    """The stable JSON record of one target (`zjtrack targets --format json`)."""
    r = m.responsibility_of(t)
    return {
        "document": doc.id,
        "doc_number": doc.doc_number,
        "measure": m.id,
        "clause": m.clause,
        "measure_title": m.title,
        "id": t.id,
        "kind": t.kind.value,
        "metric": t.metric,
        "comparator": t.comparator.value if t.comparator else None,
        "value": t.value,
        "value_max": t.value_max,
        "tolerance": t.tolerance,
        "unit": t.unit,
        "baseline": t.baseline,
        "maintain": t.maintain,
        "each": t.each,
        "entities": list(t.entities) if t.entities is not None else None,
        "start": t.start.date.isoformat() if t.start and t.start.date else None,
        "start_text": t.start.text if t.start else None,
        "deadline": t.deadline.date.isoformat() if t.deadline and t.deadline.date else None,
        "deadline_text": t.deadline.text if t.deadline else None,
        "deadline_reason": t.deadline_reason or m.deadline_reason,
        "lead_units": canonical(r.lead_units, registry, doc.region),
        "responsible_units": canonical(r.responsible_units, registry, doc.region),
        "lead_colleges": canonical(r.lead_colleges, registry, doc.region),
        "lead_enterprises": canonical(r.lead_enterprises, registry, doc.region),
        "lead_enterprise_rule": r.lead_enterprise_rule,
        "supporting_units": canonical(r.supporting_units, registry, doc.region),
        "quote": t.quote,
        "note": t.note,
    }


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
        text = (f"{row['each']}：" if lang == "zh" else f"{row['each']}: ") + text
    return text


def _num(v: float | int | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else str(v)


def targets_table(plan: Plan, lang: str = "zh") -> Table:
    rows = []
    for row in target_rows(plan):
        rows.append({**row, "target": describe_target(row, lang),
                     "deadline_text": row["deadline_text"] or "—"})
    return Table("targets", TARGET_COLUMNS, rows)
