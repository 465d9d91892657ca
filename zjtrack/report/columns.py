"""The weekly report's two moments judged over the tree's columnar snapshot (`load/snapshot`).

The report judges every target at its period's end and at the cut-off before, with what had been
recorded by each (`evaluate_at`). Over the object model that is two walks that build a result per
target and moment. Over the snapshot's columns each target is judged once: what its records say
(`evaluate.measure_values`, or what the snapshot decided of all of its records when both moments
see them all) is found once and settled at both dates with `evaluate.settle_days`; a full
`TargetResult` is made for the period's end only (the report shows it), and the cut-off before
keeps, as columns in the same order, what the report compares: status, level and whether a
maintained target fell below its bound (`Standings`).

Judging stays `evaluate`'s, and the results are `evaluate_at`'s (`tests/test_weekly_columns.py`
checks them, and the report's bytes in every format, on the identity trees). What the columns do
not hold is judged over the object model, target by target: what the snapshot marks as needing
the objects (per-entity targets, extensions, corrections and withdrawals, values that are not
plain numbers) and targets with a record written down after the date it describes
(`recorded_at`: what was known by a cut-off is not what is dated by it).

Pure: the caller loads the snapshot (`cli/report`) and passes it with the plan it was made from.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from itertools import repeat
from operator import sub
from typing import TYPE_CHECKING, NamedTuple

from ..evaluate import (
    Level,
    Status,
    TargetResult,
    elapsed_on,
    evaluate_at,
    is_stale,
    settle_days,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..load.snapshot import Snapshot
    from ..model import Document, Measure, Plan, ProgressRecord, Target

    Placed = list[tuple[Document, Measure, Target]]  # plan.all_targets(), in order


class Standings(NamedTuple):
    """What the weekly report compares of every target at the cut-off before, as columns: one
    item per target, in the order of the targets as of the period's end (`judge_week`'s `now`,
    `evaluate_at`'s first moment). The overview counts them with `list.count` and compares them
    with the period's end position by position."""

    status: list[Status]
    level: list[Level | None]
    regressed: list[bool]


def standings_of(results: Sequence[TargetResult]) -> Standings:
    """The `Standings` of results judged over the object model (`evaluate_at`), in their order."""
    return Standings(
        [r.status for r in results], [r.level for r in results], [r.regressed for r in results]
    )


def fits(plan: Plan, snap: Snapshot, placed: Placed | None = None) -> bool:
    """Whether `snap` is the snapshot of `plan`: the same targets in the same order, the same
    thresholds and, for every target the columns hold, the same number of records. `placed`,
    `plan.all_targets()` when the caller has it (`judge_week` takes it too)."""
    from ..load.snapshot import FALLBACK

    config = plan.config
    wanted = (config.due_soon_days, config.yellow_gap, config.red_gap, config.stale_days)
    if tuple(snap.config) != wanted:
        return False
    targets = [t.id for _, _, t in (plan.all_targets() if placed is None else placed)]
    if len(targets) != snap.n:
        return False
    if targets != snap.ids.raw_all_text():  # the same ids in the same order: one comparison
        return False
    history = plan.histories()
    offsets, flags = snap.offsets, snap.flags
    counts = list(map(len, map(history.get, targets, repeat(()))))
    if counts == list(map(sub, offsets[1:], offsets[:-1])):  # every target's: one look
        return True
    return all(
        flags[i] & FALLBACK or offsets[i + 1] - offsets[i] == n for i, n in enumerate(counts)
    )


def judge_week(
    plan: Plan,
    snap: Snapshot,
    end: dt.date,
    before: dt.date,
    placed: Placed | None = None,
    later: bool | None = None,
) -> tuple[list[TargetResult], Standings]:
    """Every target as of `end` (known by `end`) and, as `Standings`, as of `before` (known by
    `before`), as `evaluate_at(plan, ((end, end), (before, before)))` judges them; `snap` must
    fit the plan (`fits`). `placed`, `plan.all_targets()`, and `later`,
    `plan.says_when_recorded()`, when the caller has them (each is a pass over the plan)."""
    from ..load.snapshot import FALLBACK, MAINTAIN, MET_ALL, OVER_ALL, measure_at, opt

    history = plan.histories()
    config = snap.judge_config
    all_targets = plan.all_targets() if placed is None else placed
    # targets the columns cannot judge: the object model's, judged in one walk (a tree where
    # no record says when it was written down is asked only for the snapshot's own marks)
    if later is None:
        later = plan.says_when_recorded()
    flags_of = snap.flags
    objects = {
        t.id
        for i, (_, _, t) in enumerate(all_targets)
        if flags_of[i] & FALLBACK or (later and _recorded_later(history.get(t.id, ())))
    }
    by_objects: dict[str, tuple[TargetResult, TargetResult]] = {}
    if objects:
        moments = ((end, end), (before, before))
        now_o, before_o = evaluate_at(plan, moments, lambda t: t.id in objects)
        by_objects = {r.target.id: (r, b) for r, b in zip(now_o, before_o, strict=True)}

    fromordinal = dt.date.fromordinal
    end_day, before_day = end.toordinal(), before.toordinal()
    offsets, rec_date = snap.offsets, snap.rec_date
    all_completion, all_since, all_value = snap.all_completion, snap.all_since, snap.all_value
    # the day numbers of deadlines and starts (a province has a handful), made dates once
    dates = {d: fromordinal(d) for d in {*snap.deadline, *snap.start} if d}
    deadlines, starts = snap.deadline, snap.start

    def day(d: int | None) -> dt.date | None:
        if not d:
            return None
        found = dates.get(d)
        if found is None:
            found = dates[d] = fromordinal(d)
        return found

    # the results are made positionally (a NamedTuple's keywords cost more than its judging)
    new = tuple.__new__
    # round(x, 1) (`evaluate.settled`'s) is costly and a province's values repeat: each distinct
    # non-zero value is rounded once (a zero, either sign, is its own rounding; None stays None)
    rounded: dict[float, float] = {}
    get_rounded, keep_rounded = rounded.get, rounded.setdefault
    now: list[TargetResult] = []
    then = Standings([], [], [])
    add_now = now.append
    add_status, add_level, add_regressed = (
        then.status.append,
        then.level.append,
        then.regressed.append,
    )
    for i, (doc, measure, target) in enumerate(all_targets):
        pair = by_objects.get(target.id) if objects else None
        if pair is not None:
            add_now(pair[0])
            add_status(pair[1].status)
            add_level(pair[1].level)
            add_regressed(pair[1].regressed)
            continue
        flags = flags_of[i]
        maintain = bool(flags & MAINTAIN)
        lo, last = offsets[i], offsets[i + 1]
        hi = bisect_right(rec_date, end_day, lo, last) if last > lo else lo
        hi_before = bisect_right(rec_date, before_day, lo, hi) if hi > lo else lo
        d, s = deadlines[i], starts[i]
        deadline_day = d or None
        met_day: int | None
        if hi == last and not maintain:  # all of its records: decided when the columns were made
            met, over, regressed = bool(flags & MET_ALL), bool(flags & OVER_ALL), False
            completion, value = opt(all_completion[i]), opt(all_value[i])
            met_day = all_since[i] or None
        else:
            met, completion, over, value, since, regressed = measure_at(snap, i, lo, hi)
            met_day = rec_date[lo + since] if since is not None else None
        elapsed = elapsed_on(s, d, end_day)
        judged = settle_days(
            met, met_day, maintain, deadline_day, end_day, hi > lo, completion, elapsed, config
        )
        if hi_before != hi:  # fewer records known at the cut-off before: assessed again
            m, c, _, _, since_b, regressed_before = measure_at(snap, i, lo, hi_before)
            on = rec_date[lo + since_b] if since_b is not None else None
            status_before, level_before, *_ = settle_days(
                m,
                on,
                maintain,
                deadline_day,
                before_day,
                hi_before > lo,
                c,
                elapsed_on(s, d, before_day),
                config,
            )
        elif met and not maintain:  # met on the same records at both dates: done at both
            status_before, level_before, regressed_before = judged[0], judged[1], regressed
        else:  # the same records, settled at the earlier date
            status_before, level_before, *_ = settle_days(
                met,
                met_day,
                maintain,
                deadline_day,
                before_day,
                hi > lo,
                completion,
                elapsed_on(s, d, before_day),
                config,
            )
            regressed_before = regressed
        status, level, elapsed, days_left, gap = judged
        records = history.get(target.id, ())
        known = records[: hi - lo] if hi - lo != len(records) else records
        latest = known[-1] if known else None
        since_latest = None if latest is None or latest.date is None else (end - latest.date).days
        deadline = dates[deadline_day] if deadline_day else None  # every deadline's made above
        add_now(
            new(
                TargetResult,
                (
                    doc,
                    measure,
                    target,
                    status,
                    level,
                    completion  # completion, rounded
                    if not completion
                    else get_rounded(completion) or keep_rounded(completion, round(completion, 1)),
                    elapsed  # time_elapsed, rounded
                    if not elapsed
                    else get_rounded(elapsed) or keep_rounded(elapsed, round(elapsed, 1)),
                    met,
                    over,
                    value,
                    latest,
                    known,  # records
                    deadline,
                    deadline,  # original_deadline
                    False,  # extension_ignored
                    days_left,
                    is_stale(status, since_latest, config),  # stale
                    (),  # entities
                    True,  # entities_known
                    gap if not gap else get_rounded(gap) or keep_rounded(gap, round(gap, 1)),
                    day(met_day) if met_day else None,  # met_on
                    regressed,
                ),
            )
        )
        add_status(status_before)
        add_level(level_before)
        add_regressed(regressed_before)
    return now, then


def _recorded_later(records: tuple[ProgressRecord, ...]) -> bool:
    """Some record was written down after the date it describes: known by a cut-off is then not
    dated by it."""
    for r in records:
        if r.recorded_at is not None:
            on = r.recorded_on
            if on is None or r.date is None or on > r.date:
                return True
    return False
