"""Who has reported for a period (报送情况): each unit asked for a return, on time, late or not
at all, and how many rows it returned. A return is what `intake` recorded: the records citing an
original kept under `returns/<period>/`, by the unit (`by`), taken in (`recorded_at`) by the
period's due date or after it. Pure: the plan, the judged results and the period in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import attrgetter
from typing import NamedTuple

from ..evaluate import evaluate
from ..model import Plan, ProgressRecord
from ..registry import Registry
from ..table import Column, Table
from ..vocab import view_word, word
from .form import build_forms
from .period import Period

STATES = ("missing", "late", "on_time")  # worst first


class Standing(NamedTuple):
    """One unit's return for one period."""

    unit: str
    period: str
    state: str  # on_time, late or missing
    rows: int  # records its returns produced
    expected: int  # rows its form asks for (0: not asked, reported anyway)
    taken_on: dt.date | None  # the first day one of its returns was taken in


def prefix(period: Period) -> str:
    """What the `source` of a record taken from this period's returns starts with."""
    return f"returns/{period.label}/"


def uses_returns(records: Sequence[ProgressRecord], known_by: dt.date | None = None) -> bool:
    """Whether the repository takes units' returns (any record cites a kept original); with
    `known_by`, whether it had taken one in by that day (a report as issued: a repository's
    first return does not add 五、报送情况 to the weeks before it). Each distinct source is
    looked at once: a province's 100,000 records cite a handful."""
    if not any(s.startswith("returns/") for s in set(map(_SOURCE, records)) if s is not None):
        return False
    if known_by is None:
        return True
    return any(
        r.source is not None
        and r.source.startswith("returns/")
        and (day := r.recorded_on) is not None
        and day <= known_by
        for r in records
    )


_SOURCE = attrgetter("source")


def standings(
    plan: Plan, period: Period, as_of: dt.date, known_by: dt.date | None = None
) -> list[Standing]:
    """Every unit asked for a return in `period` (those its form went to, as the form stood when
    the period began), and any unit that returned one anyway; missing first, then late, then on
    time. `known_by`: only what had been taken in by that day (a report as issued)."""
    before = period.start - dt.timedelta(days=1)
    results = evaluate(plan, as_of, known_by=before)
    asked = {u: len(f.rows) for u, f in build_forms(results, Registry(plan.units), period).items()}
    records = plan.records
    start = prefix(period)
    rows: dict[str, int] = {}
    first: dict[str, dt.date] = {}
    for r in records:
        if r.source is None or not r.source.startswith(start) or r.by is None:
            continue
        day = r.recorded_on
        if day is None or (known_by is not None and day > known_by):
            continue
        rows[r.by] = rows.get(r.by, 0) + 1
        first[r.by] = min(first.get(r.by, day), day)
    out = []
    for unit in asked.keys() | rows.keys():
        taken = first.get(unit)
        state = "missing" if taken is None else ("on_time" if taken <= period.due else "late")
        out.append(
            Standing(unit, period.label, state, rows.get(unit, 0), asked.get(unit, 0), taken)
        )
    out.sort(key=lambda s: (STATES.index(s.state), s.unit))
    return out


def counts(found: Sequence[Standing]) -> dict[str, int]:
    return {state: sum(s.state == state for s in found) for state in STATES}


def standing_table(found: Sequence[Standing], period: Period, lang: str) -> Table:
    """The 报送情况 table: one row per unit, for the view and the weekly report alike."""
    cols = (
        Column("unit", view_word("unit", lang)),
        Column("state_label", view_word("state_label", lang)),
        Column("rows", view_word("rows", lang), "int"),
        Column("expected", view_word("expected", lang), "int"),
        Column("taken_on", view_word("taken_on", lang)),
    )
    rows = [
        {
            "unit": s.unit,
            "period": s.period,
            "state": s.state,
            "state_label": word(s.state, lang),
            "rows": s.rows,
            "expected": s.expected,
            "taken_on": s.taken_on.isoformat() if s.taken_on else None,
        }
        for s in found
    ]
    title = word("returns_title", lang)
    return Table("reported", cols, rows, None, title, "—", title)


def summary(found: Sequence[Standing], period: Period) -> dict[str, object]:
    """The counts, for JSON: `{"period", "due", "missing", "late", "on_time"}`."""
    return {"period": period.label, "due": period.due.isoformat(), **counts(found)}


def summary_text(found: Sequence[Standing], period: Period, lang: str) -> list[str]:
    """The sentence the weekly report opens its section with, and the units not reported."""
    n = counts(found)
    out = [
        word(
            "returns_text",
            lang,
            period=period.label,
            n=len([s for s in found if s.expected]),
            due=period.due.isoformat(),
            **n,
        )
    ]
    missing = [s.unit for s in found if s.state == "missing"]
    if missing:
        out.append(
            word("returns_missing", lang, units=("、" if lang == "zh" else ", ").join(missing))
        )
    return out
