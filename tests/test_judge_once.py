"""The weekly report judges its cut-off and the cut-off before in one walk over the plan
(`evaluate_at`, issue 16): the same results as two separate `evaluate` calls, on the real
tasks/ and the demo, for every week around the demo's records (corrections, withdrawals,
records filed late with `recorded_at`)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from zjtrack.evaluate import evaluate, evaluate_at
from zjtrack.load.loader import load_paths
from zjtrack.report.weekly import period_of
from zjtrack.report.weeks import Week

ROOT = Path(__file__).resolve().parent.parent


# Late filings (补报), a correction and a withdrawal, added to the demo's own records.
LATE = """
---
target: demo-1-1
date: 2026-11-10
value: 30
recorded_at: 2026-11-26
---
target: demo-1-1
date: 2026-11-10
value: 35
corrects: 2026-11-10
recorded_at: 2026-12-02
---
target: demo-1-2
date: 2026-10-31
value: 40
recorded_at: 2026-11-18T09:30:00
---
target: demo-1-2
date: 2026-10-31
withdraws: 2026-10-31
recorded_at: 2026-11-24
"""


def test_one_walk_judges_as_two_evaluations(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(ROOT / "examples" / "demo", demo)
    progress = demo / "progress" / "demo-2026-1.yaml"
    progress.write_text(progress.read_text(encoding="utf-8") + LATE, encoding="utf-8")
    result = load_paths([str(ROOT / "tasks"), str(demo)])
    plan = result.plan
    assert sum(r.recorded_at is not None for r in plan.records) == 4
    assert any(r.corrects for r in plan.records) and any(r.withdraws for r in plan.records)
    for n in range(40, 54):
        period = period_of(Week(2026, n), plan.config)
        moments = ((period.end, period.end), (period.before, period.before))
        now, before = evaluate_at(plan, moments)
        assert now == evaluate(plan, period.end, known_by=period.end)
        assert before == evaluate(plan, period.before, known_by=period.before)
    day = dt.date(2026, 11, 25)
    only = evaluate_at(plan, ((day, None),), lambda t: t.id.endswith("1"))[0]
    assert only and only == evaluate(plan, day, lambda t: t.id.endswith("1"))


def test_two_moments_over_the_same_records_assess_them_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A target judged as a whole whose known records are the same at both moments has what they
    say decided once (`evaluate.assess`), then settled at each date; the results are those of two
    separate `evaluate` calls (checked above)."""
    import zjtrack.evaluate as ev

    plan = load_paths([str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]).plan
    calls: list[str] = []
    real = ev.assess

    def spy(target, records, as_of, config):  # type: ignore[no-untyped-def]
        calls.append(target.id)
        return real(target, records, as_of, config)

    monkeypatch.setattr(ev, "assess", spy)
    period = period_of(Week(2026, 48), plan.config)
    moments = ((period.end, period.end), (period.before, period.before))
    now, before = evaluate_at(plan, moments)
    changed = {
        r.target.id
        for r, b in zip(now, before, strict=True)
        if r.records != b.records or r.target.per_entity
    }
    assert len(now) == len(before) > 20
    assert len(changed) < len(now)  # most targets' records are the same at both moments
    assert len(calls) == len(now) + len(changed)
