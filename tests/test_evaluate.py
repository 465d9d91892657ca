"""The evaluator: `judge` and `evaluate` decide every status, level and progress figure.

Targets are built here as model objects (or read with `load_text`), so each rule is checked on its
own: comparators, approx tolerance, ranges, maintained and per-entity targets, milestones, 序时进度,
statuses and warning levels at chosen as-of dates, extensions, stale records and the roll-up.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from zjtrack.evaluate import (
    Level,
    Status,
    TargetResult,
    effective_deadline,
    evaluate,
    judge,
    rollup,
    tolerance,
)
from zjtrack.load.loader import load_text
from zjtrack.model import (
    Comparator,
    Config,
    Document,
    Extension,
    Measure,
    MeasureKind,
    Plan,
    Pos,
    ProgressRecord,
    Responsibility,
    Target,
    TargetKind,
    When,
)

D = dt.date
POS = Pos("<test>")
CONFIG = Config()

# The standard schedule used below: issued (or started) 2026-01-01, due 2026-04-11, 100 days later,
# so that the as-of date 2026-02-20 (day 50) is exactly 50 % of the time.
ISSUED = D(2026, 1, 1)
DEADLINE = D(2026, 4, 11)
HALFWAY = D(2026, 2, 20)
NEW_DEADLINE = D(2026, 7, 20)  # the extended deadline used below


def when(d: dt.date | None, text: str | None = None) -> When:
    return When(text or (d.isoformat() if d else "?"), d, POS)


def make_doc(
    issued: dt.date | None = ISSUED, targets: tuple[Target, ...] = ()
) -> tuple[Document, Measure]:
    measure = Measure(
        id="m-1",
        clause="一、",
        title="测试措施",
        kind=MeasureKind.TASK,
        section=None,
        responsibility=Responsibility(),
        lead_units_given=True,
        targets=targets,
        deadline_reason=None,
        note=None,
        pos=POS,
    )
    doc = Document(
        id="doc-1",
        title="测试文件",
        doc_number="测〔2026〕1号",
        issuer="测试",
        issued=issued,
        region=None,
        source=None,
        note=None,
        work_group=None,
        measures=(measure,),
        pos=POS,
    )
    return doc, measure


def qty(
    comparator: str,
    value: float,
    *,
    id: str = "t-1",
    deadline: dt.date | None = None,
    start: dt.date | None = None,
    **kw: object,
) -> Target:
    kw.setdefault("unit", "个")
    return Target(
        id=id,
        kind=TargetKind.QUANTITY,
        metric="指标",
        quote="原文",
        comparator=Comparator(comparator),
        value=value,
        deadline=when(deadline) if deadline else None,
        start=when(start) if start else None,
        **kw,  # type: ignore[arg-type]
    )


def milestone(*, id: str = "t-1", deadline: dt.date | None = None, **kw: object) -> Target:
    return Target(
        id=id,
        kind=TargetKind.MILESTONE,
        metric="里程碑",
        quote="原文",
        deadline=when(deadline) if deadline else None,
        **kw,
    )  # type: ignore[arg-type]


def rec(
    date: dt.date,
    value: float | None = None,
    *,
    done: bool | None = None,
    entity: str | None = None,
    target: str = "t-1",
) -> ProgressRecord:
    return ProgressRecord(target=target, date=date, value=value, done=done, entity=entity)


def run(
    target: Target,
    records: list[ProgressRecord] = (),
    as_of: dt.date = HALFWAY,  # type: ignore[assignment]
    config: Config = CONFIG,
    issued: dt.date | None = ISSUED,
) -> TargetResult:
    doc, measure = make_doc(issued, (target,))
    ordered = sorted(records, key=lambda r: r.date)
    return judge(doc, measure, target, ordered, as_of, config)


# --- comparators --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "target_value", "value", "met"),
    [
        (">=", 10, 10, True),
        (">=", 10, 9.9, False),
        (">=", 10, 11, True),
        (">", 10, 10, False),
        (">", 10, 10.1, True),
        ("<=", 5, 5, True),
        ("<=", 5, 5.1, False),
        ("<=", 5, 0, True),
        ("<", 5, 5, False),
        ("<", 5, 4.9, True),
        ("=", 3, 3, True),
        ("=", 3, 2, False),
        ("=", 3, 4, True),
    ],
)
def test_each_comparator_decides_met(
    comparator: str, target_value: float, value: float, met: bool
) -> None:
    res = run(qty(comparator, target_value), [rec(D(2026, 2, 1), value)])
    assert res.met is met
    assert res.value == value
    # no deadline: never behind nor on schedule (no 序时进度), 已启动 in progress
    assert res.status is (Status.DONE if met else Status.IN_PROGRESS)


def test_exactly_above_the_number_is_met_and_flagged_over() -> None:
    res = run(qty("=", 3), [rec(D(2026, 2, 1), 4)])
    assert res.met and res.over
    assert not run(qty("=", 3), [rec(D(2026, 2, 1), 3)]).over


def test_at_least_progress_is_share_of_value_capped_at_100() -> None:
    assert run(qty(">=", 110), [rec(D(2026, 2, 1), 55)]).completion == 50.0
    assert run(qty(">=", 110), [rec(D(2026, 2, 1), 220)]).completion == 100.0
    assert (
        run(qty(">", 10), [rec(D(2026, 2, 1), 10)]).completion == 100.0
    )  # reached, not exceeded: not met
    assert not run(qty(">", 10), [rec(D(2026, 2, 1), 10)]).met


@pytest.mark.parametrize("comparator", ["<=", "<"])
def test_ceiling_progress_needs_a_baseline(comparator: str) -> None:
    # No baseline: there is no way to measure the way down, so no progress figure.
    without = run(qty(comparator, 18), [rec(D(2026, 2, 1), 20)])
    assert without.completion is None and not without.met
    # Baseline 22 -> target 18: at 20 half the way is done.
    with_base = run(qty(comparator, 18, baseline=22), [rec(D(2026, 2, 1), 20)])
    assert with_base.completion == 50.0 and not with_base.met
    # Worse than the baseline: 0; met: 100, with or without baseline.
    assert run(qty(comparator, 18, baseline=22), [rec(D(2026, 2, 1), 25)]).completion == 0.0
    assert run(qty(comparator, 18), [rec(D(2026, 2, 1), 10)]).completion == 100.0
    assert run(qty(comparator, 18, baseline=22), [rec(D(2026, 2, 1), 17)]).met


def test_approx_default_tolerance_is_ten_percent_of_value() -> None:
    target = qty("approx", 100, unit="%")
    assert tolerance(target, CONFIG) == pytest.approx(10.0)
    for value, met in [
        (100, True),
        (110, True),
        (90, True),
        (110.5, False),
        (89.5, False),
        (120, False),
    ]:
        res = run(target, [rec(D(2026, 2, 1), value)])
        assert res.met is met, value
    assert run(target, [rec(D(2026, 2, 1), 95)]).completion == 100.0
    assert run(target, [rec(D(2026, 2, 1), 50)]).completion == 50.0


def test_approx_stated_tolerance_and_configured_default() -> None:
    stated = qty("approx", 20, tolerance=2, unit="%")
    assert tolerance(stated, CONFIG) == 2
    assert run(stated, [rec(D(2026, 2, 1), 22)]).met
    assert run(stated, [rec(D(2026, 2, 1), 18)]).met
    assert not run(stated, [rec(D(2026, 2, 1), 22.5)]).met  # within 10 % but outside the stated ±2
    wide = Config(approx_tolerance=0.25)
    assert run(qty("approx", 20), [rec(D(2026, 2, 1), 25)], config=wide).met
    assert not run(qty("approx", 20), [rec(D(2026, 2, 1), 25)]).met


def test_approx_above_the_tolerance_is_flagged_over() -> None:
    res = run(qty("approx", 20, tolerance=2, unit="%"), [rec(D(2026, 2, 1), 30)])
    assert not res.met
    assert res.over


def test_range_bounds_and_over_flag() -> None:
    target = qty("range", 6, value_max=8)
    below = run(target, [rec(D(2026, 2, 1), 5)])
    assert not below.met and not below.over and below.completion == pytest.approx(83.3)
    for v in (6, 7, 8):
        inside = run(target, [rec(D(2026, 2, 1), v)])
        assert inside.met and not inside.over and inside.status is Status.DONE
    above = run(target, [rec(D(2026, 2, 1), 9)])
    assert not above.met
    assert above.over
    assert above.status is not Status.DONE


# --- maintained and per-entity targets ----------------------------------------------------------


def test_maintained_target_one_failing_record_is_not_met() -> None:
    values = [92, 88, 95]
    records = [rec(D(2026, 1, 10 + i), v) for i, v in enumerate(values)]
    assert not run(qty(">=", 90, maintain=True, unit="%"), records).met
    assert run(
        qty(">=", 90, unit="%"), records
    ).met  # the same records, not maintained: latest counts
    good = [rec(D(2026, 1, 10 + i), v) for i, v in enumerate([90, 91, 95])]
    res = run(qty(">=", 90, maintain=True, unit="%"), good)
    # held, not done: a maintained target is done only once its deadline has passed
    assert res.met and res.status is Status.IN_PROGRESS  # no deadline: held for good
    target = qty(">=", 90, deadline=DEADLINE, maintain=True, unit="%")
    held = run(target, good, as_of=D(2026, 2, 1))
    assert held.met and held.status is Status.ON_TRACK and held.completion == 100.0
    kept = run(target, good, as_of=D(2026, 6, 1))
    assert kept.status is Status.DONE  # held to its deadline


def test_maintained_target_ignores_records_after_as_of() -> None:
    target = qty(">=", 90, maintain=True, id="t-1", unit="%")
    doc, _ = make_doc(targets=(target,))
    plan = Plan(documents=(doc,), records=(rec(D(2026, 1, 10), 95), rec(D(2026, 3, 1), 80)))
    assert evaluate(plan, D(2026, 2, 1))[0].met
    assert not evaluate(plan, D(2026, 3, 1))[0].met


def per_entity(entities: tuple[str, ...] | None, **kw: object) -> Target:
    return qty(">=", 1, each="各", entities=entities, **kw)


def test_per_entity_known_set_reports_share_met_and_which_fail() -> None:
    target = per_entity(("甲校", "乙校", "丙校"))
    res = run(
        target, [rec(D(2026, 1, 10), 1, entity="甲校"), rec(D(2026, 1, 11), 0, entity="乙校")]
    )
    assert res.entities_known
    assert [(e.entity, e.value, e.met) for e in res.entities] == [
        ("甲校", 1, True),
        ("乙校", 0, False),
        ("丙校", None, False),
    ]
    assert res.completion == pytest.approx(33.3)
    assert not res.met and res.status is Status.IN_PROGRESS  # no deadline
    done = run(target, [rec(D(2026, 1, 10), 1, entity=e) for e in ("甲校", "乙校", "丙校")])
    assert done.met and done.status is Status.DONE and done.completion == 100.0


def test_per_entity_latest_record_per_entity_counts() -> None:
    target = per_entity(("甲校", "乙校"))
    records = [
        rec(D(2026, 1, 10), 0, entity="甲校"),
        rec(D(2026, 1, 10), 1, entity="乙校"),
        rec(D(2026, 2, 10), 2, entity="甲校"),
    ]
    res = run(target, records)
    assert res.met and [e.value for e in res.entities] == [2, 1]


def test_per_entity_unknown_set_is_never_met() -> None:
    target = per_entity(None)
    res = run(
        target, [rec(D(2026, 1, 10), 1, entity="甲校"), rec(D(2026, 1, 11), 3, entity="乙校")]
    )
    assert not res.entities_known
    assert all(e.met for e in res.entities) and [e.entity for e in res.entities] == sorted(
        ["甲校", "乙校"]
    )
    assert res.completion is None  # two schools of an unlisted set are no share of the whole
    assert not res.met
    assert res.status is Status.IN_PROGRESS  # no deadline


def test_per_entity_without_records_has_no_progress() -> None:
    res = run(per_entity(("甲校",)), [])
    assert res.completion is None and res.status is Status.NO_DATA


def test_per_entity_maintained_entity_with_failing_record() -> None:
    target = per_entity(("甲校", "乙校"), maintain=True)
    records = [
        rec(D(2026, 1, 1), 0, entity="甲校"),
        rec(D(2026, 1, 2), 1, entity="甲校"),
        rec(D(2026, 1, 2), 1, entity="乙校"),
    ]
    res = run(target, records)
    assert [e.met for e in res.entities] == [False, True]
    assert not res.met


# --- milestones ---------------------------------------------------------------------------------


def test_milestone_done_and_not_done() -> None:
    none = run(milestone(), [])
    assert none.completion is None and none.status is Status.NO_DATA and not none.met
    not_done = run(milestone(), [rec(D(2026, 1, 5), done=False)])
    assert not_done.completion == 0.0 and not not_done.met and not_done.status is Status.IN_PROGRESS
    done = run(milestone(), [rec(D(2026, 1, 5), done=False), rec(D(2026, 2, 1), done=True)])
    assert (
        done.met and done.completion == 100.0 and done.status is Status.DONE and done.level is None
    )
    undone = run(milestone(), [rec(D(2026, 1, 5), done=True), rec(D(2026, 2, 1), done=False)])
    assert not undone.met  # the latest record decides


# --- time progress, statuses and levels ---------------------------------------------------------


def scheduled(**kw: object) -> Target:
    return qty(">=", 100, deadline=DEADLINE, **kw)


def test_time_progress_from_issue_date_or_start() -> None:
    assert run(scheduled(), []).time_elapsed == 50.0
    # an explicit start overrides the issue date: 2026-01-21 -> 2026-04-11 is 80 days, 30 of them passed
    assert run(scheduled(start=D(2026, 1, 21)), []).time_elapsed == pytest.approx(37.5)
    assert run(scheduled(), [], as_of=D(2025, 12, 1)).time_elapsed == 0.0  # before the start
    assert run(scheduled(), [], as_of=D(2026, 5, 1)).time_elapsed == 100.0  # after the deadline
    assert run(scheduled(), [], as_of=DEADLINE).time_elapsed == 100.0
    assert run(qty(">=", 1), []).time_elapsed is None  # no deadline, no 序时进度
    # no issue date and no start: 0 before the deadline, 100 from it
    assert run(scheduled(), [], issued=None).time_elapsed == 0.0
    assert run(scheduled(), [], issued=None, as_of=DEADLINE).time_elapsed == 100.0


@pytest.mark.parametrize(
    ("value", "status", "level", "gap"),
    [
        (60, Status.ON_TRACK, None, -10.0),
        (45, Status.ON_TRACK, None, 5.0),
        (40, Status.ON_TRACK, None, 10.0),  # exactly 10 points is not behind
        (39, Status.BEHIND, Level.YELLOW, 11.0),
        (20, Status.BEHIND, Level.YELLOW, 30.0),  # exactly 30 points is yellow, not red
        (19, Status.BEHIND, Level.RED, 31.0),
        (0, Status.BEHIND, Level.RED, 50.0),
        (100, Status.DONE, None, -50.0),
    ],
)
def test_status_and_level_halfway(
    value: float, status: Status, level: Level | None, gap: float
) -> None:
    res = run(scheduled(), [rec(D(2026, 2, 1), value)])
    assert res.time_elapsed == 50.0
    assert (res.status, res.level, res.gap) == (status, level, gap)
    assert res.days_left == 50 and res.days_late is None


def test_no_data_before_deadline_and_overdue_without_data_after() -> None:
    before = run(scheduled(), [])
    assert before.status is Status.NO_DATA and before.level is None and before.latest is None
    after = run(scheduled(), [], as_of=D(2026, 4, 12))
    assert after.status is Status.OVERDUE and after.level is Level.RED and after.latest is None
    assert after.days_left == -1 and after.days_late == 1


def test_overdue_with_data_is_red_and_done_beats_overdue() -> None:
    late = run(scheduled(), [rec(D(2026, 4, 1), 99)], as_of=D(2026, 6, 1))
    assert late.status is Status.OVERDUE and late.level is Level.RED and late.value == 99
    assert late.days_late == 51
    done_late = run(
        scheduled(), [rec(D(2026, 4, 1), 99), rec(D(2026, 5, 1), 100)], as_of=D(2026, 6, 1)
    )
    # met after its deadline: 逾期完成 done late, not plain done; no level, not stale
    assert done_late.status is Status.DONE_LATE and done_late.level is None and not done_late.stale
    assert done_late.met_on == D(2026, 5, 1)
    in_time = run(scheduled(), [rec(D(2026, 2, 1), 100)], as_of=D(2026, 6, 1))
    assert in_time.status is Status.DONE and in_time.met_on == D(2026, 2, 1)


def test_blue_when_due_within_30_days() -> None:
    # 2026-03-12 is 30 days before the deadline (70 % of the time); 2026-03-11 is 31 days before.
    on_track = [rec(D(2026, 3, 1), 70)]
    assert run(scheduled(), on_track, as_of=D(2026, 3, 12)).level is Level.BLUE
    assert run(scheduled(), on_track, as_of=D(2026, 3, 11)).level is None
    nearly = [rec(D(2026, 4, 1), 95)]
    assert run(scheduled(), nearly, as_of=DEADLINE).level is Level.BLUE  # due today: still blue
    assert run(scheduled(), nearly, as_of=DEADLINE).status is Status.ON_TRACK
    assert run(scheduled(), [], as_of=D(2026, 3, 20)).level is Level.BLUE  # no data, due soon
    assert run(scheduled(), [rec(D(2026, 3, 1), 100)], as_of=D(2026, 3, 20)).level is None  # done
    # behind and due soon (78 % of the time gone): the behind level wins over blue
    assert run(scheduled(), [rec(D(2026, 3, 1), 50)], as_of=D(2026, 3, 20)).level is Level.YELLOW
    assert run(scheduled(), [rec(D(2026, 3, 1), 40)], as_of=D(2026, 3, 20)).level is Level.RED


def test_no_deadline_is_never_behind_overdue_or_blue() -> None:
    res = run(qty(">=", 100), [rec(D(2026, 1, 5), 1)], as_of=D(2030, 1, 1))
    assert (
        res.status is Status.IN_PROGRESS
        and res.level is None
        and res.gap is None
        and res.days_left is None
    )


def test_configured_thresholds() -> None:
    strict = Config(yellow_gap=4, red_gap=9, due_soon_days=60)
    assert run(scheduled(), [rec(D(2026, 2, 1), 45)], config=strict).level is Level.YELLOW
    assert run(scheduled(), [rec(D(2026, 2, 1), 40)], config=strict).level is Level.RED
    assert (
        run(scheduled(), [rec(D(2026, 2, 1), 55)], config=strict, as_of=D(2026, 2, 20)).level
        is Level.BLUE
    )


# --- extensions ---------------------------------------------------------------------------------


def extended(approved_on: dt.date | None, new: dt.date = NEW_DEADLINE, *more: Extension) -> Target:
    ext = Extension(deadline=when(new), approved_by="市政府", approved_on=approved_on)
    return scheduled(extensions=(ext, *more))


def test_extension_approved_before_original_deadline_counts() -> None:
    res = run(extended(D(2026, 4, 1)), [rec(D(2026, 4, 1), 50)], as_of=D(2026, 5, 1))
    assert res.deadline == D(2026, 7, 20) and res.original_deadline == DEADLINE
    assert not res.extension_ignored
    assert res.status is not Status.OVERDUE
    assert res.days_left == 80
    # 序时进度 runs to the new deadline: 2026-01-01 -> 2026-07-20 is 200 days, 120 of them passed
    assert res.time_elapsed == 60.0


def test_extension_approved_on_the_original_deadline_counts() -> None:
    assert run(extended(DEADLINE), [], as_of=D(2026, 5, 1)).deadline == D(2026, 7, 20)


def test_extension_approved_after_original_deadline_is_ignored() -> None:
    res = run(extended(D(2026, 4, 20)), [rec(D(2026, 4, 1), 50)], as_of=D(2026, 5, 1))
    assert res.deadline == DEADLINE
    assert res.extension_ignored
    assert res.status is Status.OVERDUE and res.level is Level.RED


def test_extension_not_yet_approved_at_as_of_does_not_apply() -> None:
    res = run(extended(D(2026, 4, 1)), [], as_of=D(2026, 3, 1))
    assert res.deadline == DEADLINE and not res.extension_ignored


def test_latest_timely_extension_wins_and_late_one_is_reported() -> None:
    first = Extension(
        deadline=when(D(2026, 9, 30)), approved_by="市政府", approved_on=D(2026, 3, 1)
    )
    late = Extension(
        deadline=when(D(2026, 12, 31)), approved_by="市政府", approved_on=D(2026, 5, 1)
    )
    target = extended(D(2026, 2, 1), D(2026, 6, 30), first, late)
    assert effective_deadline(target, D(2026, 6, 1)) == (D(2026, 9, 30), True)
    assert effective_deadline(target, D(2026, 2, 15)) == (D(2026, 6, 30), False)


# --- records after the as-of date, ordering, staleness ------------------------------------------


def test_records_after_as_of_are_ignored() -> None:
    target = milestone(deadline=DEADLINE)
    doc, _ = make_doc(targets=(target,))
    plan = Plan(
        documents=(doc,), records=(rec(D(2026, 2, 1), done=False), rec(D(2026, 3, 1), done=True))
    )
    early = evaluate(plan, D(2026, 2, 20))[0]
    assert not early.met and len(early.records) == 1 and early.latest.date == D(2026, 2, 1)
    later = evaluate(plan, D(2026, 3, 1))[0]  # a record dated on the as-of date counts
    assert later.met and later.status is Status.DONE


def test_evaluate_sorts_records_and_keeps_document_order() -> None:
    a, b = qty(">=", 10, id="t-a"), qty(">=", 10, id="t-b")
    doc, _ = make_doc(targets=(a, b))
    records = (
        rec(D(2026, 2, 1), 9, target="t-a"),
        rec(D(2026, 1, 1), 10, target="t-a"),
        rec(D(2026, 1, 15), 3, target="t-b"),
        rec(D(2026, 1, 20), 4, target="zz-unknown"),
    )
    results = evaluate(Plan(documents=(doc,), records=records), D(2026, 3, 1))
    assert [r.target.id for r in results] == ["t-a", "t-b"]
    assert [x.date for x in results[0].records] == [D(2026, 1, 1), D(2026, 2, 1)]
    assert results[0].value == 9 and not results[0].met  # the latest by date, not by file order
    assert results[1].value == 3


def test_stale_flag() -> None:
    as_of = D(2026, 3, 31)
    assert run(scheduled(), [rec(D(2026, 3, 1), 80)], as_of=as_of).stale is False  # 30 days old
    assert run(scheduled(), [rec(D(2026, 2, 28), 80)], as_of=as_of).stale is True  # 31 days old
    assert run(scheduled(), [], as_of=as_of).stale is True
    assert (
        run(scheduled(), [rec(D(2025, 1, 1), 100)], as_of=as_of).stale is False
    )  # done is never stale
    assert (
        run(scheduled(), [rec(D(2026, 3, 1), 80)], as_of=as_of, config=Config(stale_days=10)).stale
        is True
    )


# --- roll-up ------------------------------------------------------------------------------------


def test_status_order_is_worst_first() -> None:
    assert [
        s.rank
        for s in (
            Status.OVERDUE,
            Status.BEHIND,
            Status.NO_DATA,
            Status.IN_PROGRESS,
            Status.ON_TRACK,
            Status.DONE_LATE,
            Status.DONE,
        )
    ] == [0, 1, 2, 3, 4, 5, 6]


def test_rollup_worst_status_wins_and_progress_averages() -> None:
    done = run(scheduled(), [rec(D(2026, 2, 1), 100)])
    on_track = run(scheduled(), [rec(D(2026, 2, 1), 60)])
    behind = run(scheduled(), [rec(D(2026, 2, 1), 20)])
    no_data = run(scheduled(), [])
    overdue = run(scheduled(), [], as_of=D(2026, 5, 1))
    r = rollup([done, on_track, behind, no_data])
    assert r.status is Status.BEHIND and r.total == 4
    assert r.completion == 45.0  # (100 + 60 + 20 + 0) / 4: a target with no data counts 0
    assert r.counts == {Status.DONE: 1, Status.ON_TRACK: 1, Status.BEHIND: 1, Status.NO_DATA: 1}
    assert rollup([done, overdue, behind]).status is Status.OVERDUE
    # 无进展数据 never hides progress: met and silent targets together are in progress
    assert rollup([done, no_data]).status is Status.IN_PROGRESS
    assert rollup([on_track, no_data]).status is Status.ON_TRACK
    assert rollup([no_data, no_data]).status is Status.NO_DATA
    assert rollup([done, done]).status is Status.DONE
    assert rollup([no_data, overdue]).completion is None  # nothing reported at all: no figure
    empty = rollup([])
    assert empty.status is Status.NO_DATA and empty.completion is None and empty.total == 0


# --- the same rules through the loader ----------------------------------------------------------

DOC_YAML = """\
zjtrack: 1
document:
  id: t-doc
  title: 测试文件
  doc_number: 测〔2026〕2号
  issuer: 测试
  issued: 2026-01-01
measures:
  - id: t-m
    clause: 一、
    title: 测试
    lead_units: []
    note: 测试
    targets:
      - id: t-q
        metric: 数量
        comparator: ">="
        value: 100
        unit: 家
        deadline: 2026年4月11日
        quote: 到2026年4月11日达到100家以上
      - id: t-ext
        kind: milestone
        metric: 里程碑
        deadline: 2026-04-11
        extensions:
          - deadline: 2026年7月20日
            approved_by: 市政府
            approved_on: 2026-04-01
        quote: 里程碑
      - id: t-late
        kind: milestone
        metric: 里程碑
        deadline: 2026-04-11
        extensions:
          - deadline: 2026年7月20日
            approved_by: 市政府
            approved_on: 2026-04-12
        quote: 里程碑
"""

PROGRESS_YAML = """\
zjtrack: 1
document: t-doc
---
target: t-q
date: 2026-02-01
value: 39
---
target: t-ext
date: 2026-02-01
done: false
---
target: t-q
date: 2026-06-01
value: 100
"""


def test_loaded_plan_is_judged_the_same() -> None:
    doc_file = load_text(DOC_YAML, "t-doc.yaml")
    progress = load_text(PROGRESS_YAML, "progress/t-doc.yaml")
    assert doc_file.problems == [] and progress.problems == []
    assert doc_file.document is not None
    plan = Plan(documents=(doc_file.document,), records=tuple(progress.records))
    by_id = {r.target.id: r for r in evaluate(plan, HALFWAY)}
    assert (by_id["t-q"].status, by_id["t-q"].level, by_id["t-q"].gap) == (
        Status.BEHIND,
        Level.YELLOW,
        11.0,
    )
    assert by_id["t-q"].deadline == DEADLINE
    later = {r.target.id: r for r in evaluate(plan, D(2026, 5, 1))}
    assert later["t-q"].status is Status.OVERDUE  # the 2026-06-01 record is not yet known
    assert later["t-ext"].deadline == D(2026, 7, 20) and later["t-ext"].status is Status.BEHIND
    assert later["t-late"].extension_ignored and later["t-late"].status is Status.OVERDUE
    assert later["t-late"].latest is None
    final = {r.target.id: r for r in evaluate(plan, D(2026, 6, 1))}
    assert final["t-q"].status is Status.DONE_LATE  # met on 2026-06-01, after its deadline


def test_judge_is_pure() -> None:
    target = scheduled()
    records = [rec(D(2026, 2, 1), 45)]
    first = run(target, records)
    second = run(target._replace(), list(records))
    assert (first.status, first.level, first.completion, first.time_elapsed) == (
        second.status,
        second.level,
        second.completion,
        second.time_elapsed,
    )


def test_loaded_history_equals_grouping_the_records_and_judges_the_same(tmp_path: Path) -> None:
    """The loader merges each file's cached grouping; it must equal grouping all records at once,
    records of one target split over files, out of order and on equal dates included."""
    from zjtrack.load.loader import load_paths
    from zjtrack.model import history_of

    tasks = tmp_path / "tasks"
    shutil.copytree(Path(__file__).resolve().parent.parent / "tasks", tasks)
    (tasks / "progress").mkdir()
    lines = [
        ("hd-2-6", "2026-03-01", "value: 40"),
        ("hd-2-6", "2026-01-01", "value: 20"),
        ("hd-1-1", "2026-02-01", "done: true"),
    ]
    for n, extra in enumerate(
        [[("hd-2-6", "2026-03-01", "value: 41")], [("hd-2-6", "2026-02-01", "value: 30")]]
    ):
        body = "".join(
            f"---\ntarget: {t}\ndate: {d}\n{v}\n" for t, d, v in (lines if n == 0 else []) + extra
        )
        (tasks / "progress" / f"p{n}.yaml").write_text(
            f"zjtrack: 1\ndocument: haidong-2024-74\n{body}", encoding="utf-8"
        )
    plan = load_paths([str(tasks)]).plan
    assert plan.history == history_of(plan.records)
    assert [r.value for r in plan.history["hd-2-6"]] == [20, 30, 40, 41]  # type: ignore[index]
    by_hand = plan._replace(history=None)
    for as_of in (D(2026, 1, 15), D(2026, 3, 1), D(2026, 12, 31)):
        assert evaluate(plan, as_of) == evaluate(by_hand, as_of)


# --- the rule over columns ------------------------------------------------------------------------


def _settle_as_written(met, met_on, maintain, deadline, today, has_latest, completion, elapsed, c):
    """The status rule as the README states it, one target at a time, for `settle_columns`."""
    from zjtrack.evaluate import Level, Status, within

    days_left = None if deadline is None else deadline - today
    gap = elapsed - completion if elapsed is not None and completion is not None else None
    holding = met and maintain and (deadline is None or today <= deadline)
    if met and not holding:
        late = deadline is not None and met_on is not None and met_on > deadline
        status = Status.DONE_LATE if late else Status.DONE
    elif deadline is not None and today > deadline:
        status = Status.OVERDUE
    elif not has_latest:
        status = Status.NO_DATA
    elif deadline is None:
        status = Status.IN_PROGRESS
    elif gap is not None and gap > c.yellow_gap:
        status = Status.BEHIND
    else:
        status = Status.ON_TRACK
    if status is Status.OVERDUE or (
        status is Status.BEHIND and gap is not None and gap > c.red_gap
    ):
        level = Level.RED
    elif status is Status.BEHIND:
        level = Level.YELLOW
    elif not status.finished and within(days_left, c.due_soon_days):
        level = Level.BLUE
    else:
        level = None
    return status, level, days_left, gap


def test_settle_columns_decides_as_the_rule_is_written_for_every_case():
    """Every combination of what decides a status and a level, settled as columns at once,
    against the rule as written."""
    import itertools

    from zjtrack.evaluate import settle_columns, stale_columns
    from zjtrack.model import Config

    config = Config(due_soon_days=30, yellow_gap=10.0, red_gap=30.0, stale_days=30)
    today = 739_000
    deadlines = (None, today - 40, today - 1, today, today + 1, today + 30, today + 31, today + 400)
    cases = list(
        itertools.product(
            (False, True),  # met
            (None, today - 100, today - 39, today),  # met on
            (False, True),  # maintain
            deadlines,
            (False, True),  # has a record
            (None, 0.0, -0.0, 50.0, 89.9, 100.0),  # completion
            (None, 0.0, 60.0, 60.1, 80.0, 80.1, 100.0),  # time elapsed
        )
    )
    columns = [list(column) for column in zip(*cases, strict=True)]
    met, met_on, maintain, deadline, has, completion, elapsed = columns
    settled = settle_columns(
        met, met_on, maintain, deadline, today, has, completion, elapsed, config
    )
    assert len(settled.status) == len(cases) > 10_000
    for k, case in enumerate(cases):
        m, on, keep, d, h, c, e = case
        want = _settle_as_written(m, on, keep, d, today, h, c, e, config)
        got = (settled.status[k], settled.level[k], settled.days_left[k], settled.gap[k])
        assert got == want, case
    # every status and level is reached
    assert set(settled.status) == set(Status)
    assert set(settled.level) == {*Level, None}
    # 久未更新: unfinished, and nothing recorded or nothing within stale_days
    since = [None, 0, 30, 31] * (len(cases) // 4) + [None] * (len(cases) % 4)
    stale = stale_columns(settled.status, since, config)
    for s, k, got in zip(settled.status, since, stale, strict=True):
        assert got == (not s.finished and (k is None or k > 30))
    assert any(stale) and not all(stale)
