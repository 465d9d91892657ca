"""Judging every target as of a date. `evaluate` is the only place a status is decided.

Pure: it takes the plan (documents, records, config) and an explicit as-of date, and returns
values. Vocabulary, as Chinese supervision offices use it:

- status: 已完成 done, 逾期完成 done late (met after its deadline), 按序时推进 on schedule (a
  maintained target, 保持, that holds its bound is on schedule until its deadline has passed),
  已启动 in progress (progress recorded, no deadline and so no 序时进度), 滞后序时 behind
  schedule, 逾期未完成 overdue, 无进展数据 no data (not yet due and nothing recorded);
- 序时进度 time elapsed: the share of the time from the target's start (or the document's issue
  date) to its deadline that has passed;
- warning level (三色督办): 红 red (overdue, or far behind), 黄 yellow (behind), 蓝 blue (due soon).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, groupby
from typing import NamedTuple

from .model import (
    Comparator,
    Config,
    Document,
    Measure,
    Plan,
    ProgressRecord,
    Responsibility,
    Target,
    TargetKind,
    record_date,
)
from .registry import Registry


class Status(str, enum.Enum):
    """Ordered from worst to best: a roll-up takes the worst."""

    OVERDUE = "overdue"  # 逾期未完成
    BEHIND = "behind"  # 滞后序时
    NO_DATA = "no_data"  # 无进展数据
    IN_PROGRESS = "in_progress"  # 已启动: progress recorded, no deadline (no 序时进度)
    ON_TRACK = "on_track"  # 按序时推进
    DONE_LATE = "done_late"  # 逾期完成: met after its deadline
    DONE = "done"  # 已完成

    @property
    def rank(self) -> int:
        return _STATUS_RANK[self]

    @property
    def finished(self) -> bool:
        """Met: 已完成 or 逾期完成 (`FINISHED`)."""
        return self is _DONE or self is _DONE_LATE  # as `in FINISHED`, without hashing an enum


_STATUS_RANK = {s: i for i, s in enumerate(Status)}
# The members as plain module names for the rules judged per target (`settle_columns`,
# `levels_of`, `stale_columns`, `finished`): reading an enum member off its class costs more
# than a global.
_OVERDUE, _BEHIND, _NO_DATA = Status.OVERDUE, Status.BEHIND, Status.NO_DATA
_IN_PROGRESS, _ON_TRACK = Status.IN_PROGRESS, Status.ON_TRACK
_DONE_LATE, _DONE = Status.DONE_LATE, Status.DONE
FINISHED = frozenset(s for s in Status if s.finished)  # the property's, as a set


class Level(str, enum.Enum):
    """Ordered from worst to best: a roll-up takes the worst."""

    RED = "red"  # 红
    YELLOW = "yellow"  # 黄
    BLUE = "blue"  # 蓝

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {lv: i for i, lv in enumerate(Level)}
_RED, _YELLOW, _BLUE = Level.RED, Level.YELLOW, Level.BLUE
COMPARATORS = tuple(Comparator)  # their order numbers them in the snapshot's columns
SUPERVISED = frozenset({Status.OVERDUE, Status.BEHIND})  # 督办: red or yellow


def within(days_left: int | None, days: int) -> bool:
    """Due within `days` (today included): the one rule behind `due`, the blue level, the weekly
    report's coming weeks and the pre-selection of targets by deadline."""
    return days_left is not None and 0 <= days_left <= days


class EntityResult(NamedTuple):
    entity: str
    value: float | None
    met: bool


class TargetResult(NamedTuple):
    """Everything known about one target as of a date."""

    document: Document
    measure: Measure
    target: Target
    status: Status
    level: Level | None
    completion: float | None  # 0-100, where it makes sense
    time_elapsed: float | None  # 序时进度, 0-100; None without a deadline
    met: bool
    over: bool  # above the upper bound of a range / exactly / approx target
    value: float | None  # the latest value (quantities)
    latest: ProgressRecord | None
    records: tuple[ProgressRecord, ...]  # as of the date, oldest first
    deadline: dt.date | None  # the deadline in force (an extension approved in time counts)
    original_deadline: dt.date | None
    extension_ignored: bool  # an extension was approved after the original deadline
    days_left: int | None  # until the deadline in force; negative when late
    stale: bool
    entities: tuple[EntityResult, ...] = ()
    entities_known: bool = True  # False when a per-entity target's set is not enumerated
    gap: float | None = None  # time completion minus completion, in points
    met_on: dt.date | None = None  # since when it has been met (the record that met it)
    regressed: bool = False  # a maintained target (保持) met once, now below its bound

    @property
    def needs_supervision(self) -> bool:
        """督办: overdue or behind schedule (red or yellow). Decided here only."""
        return self.status in SUPERVISED

    @property
    def never_recorded(self) -> bool:
        """Overdue with nothing ever recorded: shown as 逾期未完成（无进展数据）."""
        return self.status is Status.OVERDUE and self.latest is None

    def due_within(self, days: int) -> bool:
        """Not met, and its deadline in force falls within `days` from the as-of date."""
        return not self.status.finished and within(self.days_left, days)

    @property
    def days_late(self) -> int | None:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else None


class Rollup(NamedTuple):
    """A measure or a document: the worst status and level of its targets, their average completion."""

    status: Status
    level: Level | None
    completion: float | None
    counts: dict[Status, int]
    total: int


def evaluate(
    plan: Plan,
    as_of: dt.date,
    only: Callable[[Target], bool] | None = None,
    known_by: dt.date | None = None,
) -> list[TargetResult]:
    """Judge every target of the plan (or those `only` keeps) as of `as_of`, in document order.
    With `known_by`, only what had been recorded by that day counts (`ProgressRecord.recorded_on`):
    a report for a past week, regenerated, sees what was known at its cut-off and no more."""
    return evaluate_at(plan, ((as_of, known_by),), only)[0]


def evaluate_at(
    plan: Plan,
    moments: Sequence[tuple[dt.date, dt.date | None]],
    only: Callable[[Target], bool] | None = None,
) -> list[list[TargetResult]]:
    """`evaluate` at several moments, each an `(as_of, known_by)` pair, in one walk over the plan:
    each target is looked up and its records filtered once for all of them (the weekly report
    judges its cut-off and the cut-off before)."""
    history = plan.histories()
    config = plan.config
    outs: list[list[Assessed]] = [[] for _ in moments]
    for doc in plan.documents:
        for measure in doc.measures:
            for target in measure.targets:
                if only is not None and not only(target):
                    continue
                everything = history.get(target.id, ())
                seen: tuple[ProgressRecord, ...] | None = None
                current: Sequence[ProgressRecord] = ()
                said: Assessment | None = None
                for (as_of, known_by), out in zip(moments, outs, strict=True):
                    known = everything
                    if known and known[-1].date > as_of:  # type: ignore[operator]  # dated by history_of
                        known = known[: bisect_right(known, as_of, key=record_date)]
                    if known_by is not None:
                        known = known_as_of(known, known_by)
                    if known != seen or said is None or target.per_entity:
                        # the same records known: superseded and assessed once, settled per moment
                        # (a target judged per entity dates its being met by the as-of date)
                        if known != seen:
                            seen, current = known, supersede(known)
                        said = assess(target, current, as_of, config)
                    out.append((doc, measure, target, current, said))
    # each moment's targets settled together, a column at a time
    return [settled_many(out, as_of, config) for out, (as_of, _) in zip(outs, moments, strict=True)]


def known_as_of(
    records: tuple[ProgressRecord, ...], known_by: dt.date
) -> tuple[ProgressRecord, ...]:
    """The records that had been recorded by the end of `known_by` (order kept); a record without
    `recorded_at` counts as recorded on its own date."""
    for r in records:  # the usual case: every record known by then, the tuple kept as it is
        on = r.recorded_on
        if on is None or on > known_by:
            break
    else:
        return records
    return tuple(r for r in records if (on := r.recorded_on) is not None and on <= known_by)


def judge(
    doc: Document,
    measure: Measure,
    target: Target,
    records: Sequence[ProgressRecord],
    as_of: dt.date,
    config: Config,
) -> TargetResult:
    """One target's status as of a date, from its records (already filtered to <= as_of, sorted)."""
    said = assess(target, records, as_of, config)
    return settled(doc, measure, target, records, as_of, config, said)


class Assessment(NamedTuple):
    """What a target's records say of it, before any date is applied: met, completion
    (unrounded), over, the latest value, since when it has been met, regressed, and per entity
    what each says. For a target judged as a whole it does not depend on the as-of date, so a
    report judging two moments over the same records assesses them once (`evaluate_at`)."""

    met: bool
    completion: float | None
    over: bool
    value: float | None
    met_on: dt.date | None
    regressed: bool
    entities: tuple[EntityResult, ...] = ()
    entities_known: bool = True


def assess(
    target: Target, records: Sequence[ProgressRecord], as_of: dt.date, config: Config
) -> Assessment:
    """What the records (as of the date, superseded, oldest first) say of the target."""
    if target.per_entity:
        entities, entities_known = _entities(target, records, config)
        met_count = sum(e.met for e in entities)
        # a share of an unlisted set is no share at all: one entity never stands for the whole
        known = entities_known and entities and records
        completion = 100.0 * met_count / len(entities) if known else None
        met = entities_known and bool(entities) and met_count == len(entities)
        over = any(_over(target, e.value, config) for e in entities if e.value is not None)
        met_on: dt.date | None = None
        if met:
            met_on = max(
                _met_since(target, [r for r in records if r.entity == e.entity], config) or as_of
                for e in entities
            )
        return Assessment(met, completion, over, None, met_on, False, entities, entities_known)
    tol = tolerance(target, config) if target.comparator is Comparator.APPROX else 0.0
    met, completion, over, value, since, regressed = measure_values(
        target.kind is TargetKind.MILESTONE,
        target.comparator,
        target.value,
        target.value_max,
        tol,
        target.baseline,
        target.maintain,
        [r.value for r in records],
        [r.done for r in records],
    )
    met_on = records[since].date if since is not None else None
    return Assessment(met, completion, over, value, met_on, regressed)


def settled(
    doc: Document,
    measure: Measure,
    target: Target,
    records: Sequence[ProgressRecord],
    as_of: dt.date,
    config: Config,
    said: Assessment,
) -> TargetResult:
    """The target's result as of the date, from what its records say (`assess`): `settled_many`
    of one target."""
    return settled_many([(doc, measure, target, records, said)], as_of, config)[0]


# a target, the records it is judged by (as of the date, superseded, oldest first), what they say
Assessed = tuple[Document, Measure, Target, Sequence[ProgressRecord], "Assessment"]


def settled_many(
    assessed: Sequence[Assessed], as_of: dt.date, config: Config
) -> list[TargetResult]:
    """Each target's result as of the date, from what its records say (`assess`): its deadline
    in force, start and latest record found target by target, then status, level, gap and
    久未更新 decided for all of them at once (`settle_columns`, `stale_columns`)."""
    today = as_of.toordinal()
    originals, deadlines, days, ignored, elapsed, latest, since = [], [], [], [], [], [], []
    for doc, _, target, records, _ in assessed:
        original = target.deadline.date if target.deadline is not None else None
        deadline, late_extension = (
            effective_deadline(target, as_of) if target.extensions else (original, False)
        )
        start = target.start.date if target.start is not None and target.start.date else doc.issued
        last = records[-1] if records else None
        d = deadline.toordinal() if deadline else None
        originals.append(original)
        deadlines.append(deadline)
        days.append(d)
        ignored.append(late_extension)
        elapsed.append(time_elapsed(start.toordinal() if start else None, d, today))
        latest.append(last)
        since.append(None if last is None or last.date is None else today - last.date.toordinal())
    told = [a[4] for a in assessed]  # what each target's records say
    settled = settle_columns(
        [s.met for s in told],
        [s.met_on.toordinal() if s.met_on else None for s in told],
        [a[2].maintain for a in assessed],
        days,
        today,
        [r is not None for r in latest],
        [s.completion for s in told],
        elapsed,
        config,
    )
    stale = stale_columns(settled.status, since, config)
    new = tuple.__new__
    out: list[TargetResult] = []
    for k, (doc, measure, target, records, said) in enumerate(assessed):
        out.append(
            new(  # a `TargetResult`, made positionally (a NamedTuple's keywords cost more)
                TargetResult,
                (
                    doc,
                    measure,
                    target,
                    settled.status[k],
                    settled.level[k],
                    one_place(said.completion),
                    one_place(elapsed[k]),
                    said.met,
                    said.over,
                    said.value,
                    latest[k],
                    records if type(records) is tuple else tuple(records),
                    deadlines[k],
                    originals[k],
                    ignored[k],
                    settled.days_left[k],
                    stale[k],
                    said.entities,
                    said.entities_known,
                    one_place(settled.gap[k]),
                    said.met_on,
                    said.regressed,
                ),
            )
        )
    return out


def measure_values(
    milestone: bool,
    c: Comparator | None,
    v: float | None,
    value_max: float | None,
    tol: float,
    base: float | None,
    maintain: bool,
    values: Sequence[float | None],
    dones: Sequence[bool | None],
) -> tuple[bool, float | None, bool, float | None, int | None, bool]:
    """What a target's records (as of the date, superseded, oldest first) say of it, for a
    target judged as a whole (not per entity): met, completion, over, the latest value, the
    index of the record it has been met since, regressed. `judge` and the snapshot's column
    judge both decide with this."""
    over = regressed = False
    value = None
    completion: float | None
    if milestone:
        met = bool(dones and dones[-1])
        completion = (100.0 if met else 0.0) if dones else None
    else:
        known = [x for x in values if x is not None]
        value = known[-1] if known else None
        if value is None:
            met, completion = False, None
        else:
            met = meets(c, v, value_max, tol, value)
            if maintain:
                regressed = not met and any(meets(c, v, value_max, tol, x) for x in known)
                met = met and all(meets(c, v, value_max, tol, x) for x in known)
            completion = completion_of(c, v, value_max, tol, base, value)
            over = over_bound(c, v, value_max, tol, value)
    since = met_since(milestone, c, v, value_max, tol, values, dones) if met else None
    return met, completion, over, value, since, regressed


def met_since(
    milestone: bool,
    c: Comparator | None,
    v: float | None,
    value_max: float | None,
    tol: float,
    values: Sequence[float | None],
    dones: Sequence[bool | None],
) -> int | None:
    """The index of the record from which a met target has stayed met (oldest first): the first
    of the trailing run of records that meet it."""
    since = None
    for i, (x, done) in enumerate(zip(values, dones, strict=True)):
        if not milestone and x is not None:
            ok = meets(c, v, value_max, tol, x)
        elif done is not None:
            ok = bool(done)
        else:
            ok = since is not None
        if not ok:
            since = None
        elif since is None:
            since = i
    return since


def one_place(x: float | None) -> float | None:
    """A figure as results hold it: rounded to one decimal place. None stays None, and a zero,
    of either sign, is its own rounding. The one rule for the object model and the columns
    (`report/columns`, which remembers each distinct value's rounding)."""
    return x if not x else round(x, 1)


def stale_columns(
    statuses: Sequence[Status], days_since_latest: Sequence[int | None], config: Config
) -> list[bool]:
    """久未更新: not finished (`Status.finished`), and no dated record, or none within
    `config.stale_days`. The one rule, over columns (one item per target): the object model
    (`settled_many`) and the column judges decide it for all of their targets at once."""
    most = config.stale_days
    return [
        s not in FINISHED and (k is None or k > most)
        for s, k in zip(statuses, days_since_latest, strict=True)
    ]


class Rounded(dict[float, "float | None"]):
    """`one_place` of each distinct value, found once: rounding is costly and the columns'
    values repeat. Ask it for non-zero values only (`x and rounded[x]`): a zero is its own
    rounding and keeps its sign, where 0.0 and -0.0 would be one key."""

    def __missing__(self, x: float) -> float | None:
        found = self[x] = one_place(x)
        return found

    def each(self, values: Iterable[float | None]) -> list[float | None]:
        """`one_place` of each value."""
        return [x and self[x] for x in values]


class Settled(NamedTuple):
    """What `settle_columns` decides, a column each, one item per target."""

    status: list[Status]
    level: list[Level | None]
    days_left: list[int | None]
    gap: list[float | None]  # time elapsed less completion, unrounded


def settle_columns(
    met: Sequence[bool],
    met_on: Sequence[int | None],
    maintain: Sequence[bool],
    deadline: Sequence[int | None],
    today: int,
    has_latest: Sequence[bool],
    completion: Sequence[float | None],
    elapsed: Sequence[float | None],
    config: Config,
) -> Settled:
    """Status, level, days left and gap of judged targets: the one rule that decides them, over
    columns (one item per target; dates as days, proleptic ordinals). The object model
    (`settled_many`, a moment's targets at once) and the column judges (`snapshot.judge_many`)
    both decide with it, each column a comprehension (no call per target). What the target's
    records say is given: met (and since when), completion, has a record; and its time elapsed
    (`time_elapsed`)."""
    days_left = [None if d is None else d - today for d in deadline]
    gap = [
        None if e is None or c is None else e - c for e, c in zip(elapsed, completion, strict=True)
    ]
    yellow = config.yellow_gap
    status = [
        # met: done, or done late when met after the deadline; but a maintained target (保持)
        # is held, not done, until its deadline has passed
        (_DONE_LATE if d is not None and on is not None and on > d else _DONE)
        if m and not (keep and (d is None or today <= d))
        else _OVERDUE
        if d is not None and today > d
        else _NO_DATA
        if not h
        else _IN_PROGRESS  # progress, but no 序时进度 to be on or behind
        if d is None
        else _BEHIND
        if g is not None and g > yellow
        else _ON_TRACK
        for m, on, keep, d, h, g in zip(
            met, met_on, maintain, deadline, has_latest, gap, strict=True
        )
    ]
    return Settled(status, levels_of(status, gap, days_left, config), days_left, gap)


def level_of(
    status: Status, gap: float | None, days_left: int | None, config: Config
) -> Level | None:
    """The warning level of one status (`levels_of`)."""
    return levels_of((status,), (gap,), (days_left,), config)[0]


def levels_of(
    statuses: Sequence[Status],
    gaps: Sequence[float | None],
    days_left: Sequence[int | None],
    config: Config,
) -> list[Level | None]:
    """The warning level of each status (三色督办), over columns: red when overdue or behind by
    more than `red_gap`, yellow when behind, blue when not finished and due soon (`within`,
    asked once per distinct number of days left)."""
    red = config.red_gap
    soon = {k for k in set(days_left) if within(k, config.due_soon_days)}
    return [
        _RED
        if s is _OVERDUE or (s is _BEHIND and g is not None and g > red)
        else _YELLOW
        if s is _BEHIND
        else _BLUE
        if k in soon and s not in FINISHED
        else None
        for s, g, k in zip(statuses, gaps, days_left, strict=True)
    ]


def _met_since(target: Target, records: Sequence[ProgressRecord], config: Config) -> dt.date | None:
    """The date of the record from which a met target has stayed met (`met_since`)."""
    tol = tolerance(target, config) if target.comparator is Comparator.APPROX else 0.0
    i = met_since(
        target.kind is TargetKind.MILESTONE,
        target.comparator,
        target.value,
        target.value_max,
        tol,
        [r.value for r in records],
        [r.done for r in records],
    )
    return None if i is None else records[i].date


def deadline_passed(as_of: dt.date) -> Callable[[Target], bool]:
    """Targets whose deadline in force has passed: the only ones that can be overdue (a cheap
    pre-selection for `overdue`; their status is still decided by `judge`)."""

    def keep(target: Target) -> bool:
        if target.extensions:
            deadline = effective_deadline(target, as_of)[0]
            return deadline is not None and as_of > deadline
        return (
            target.deadline is not None
            and target.deadline.date is not None
            and as_of > target.deadline.date
        )

    return keep


def deadline_within(as_of: dt.date, days: int) -> Callable[[Target], bool]:
    """Targets whose deadline in force falls within `days` from `as_of` (for `due`)."""

    def keep(target: Target) -> bool:
        deadline = effective_deadline(target, as_of)[0]
        return deadline is not None and within((deadline - as_of).days, days)

    return keep


def effective_deadline(target: Target, as_of: dt.date) -> tuple[dt.date | None, bool]:
    """The deadline in force: the latest extension approved before the original deadline (and
    by the as-of date); an extension approved too late is ignored, and that is reported."""
    original = target.deadline.date if target.deadline else None
    deadline, ignored = original, False
    for ext in target.extensions:
        approved, new = ext.approved_on, ext.deadline.date
        if approved is None or new is None or approved > as_of:
            continue
        if original is not None and approved > original:
            ignored = True
            continue
        if deadline is None or new > deadline:
            deadline = new
    return deadline, ignored


@functools.lru_cache(maxsize=4096)
def elapsed_on(start: int, deadline: int, today: int) -> float | None:
    """`time_elapsed` of the columns' days (0: none), remembered: a tree has a handful of starts
    and deadlines, and the column judges ask for thousands of targets."""
    return time_elapsed(start or None, deadline or None, today)


def time_elapsed(start: int | None, deadline: int | None, today: int) -> float | None:
    """序时进度: the share of the time from start to deadline that has passed by `today`, in
    percent (days as proleptic ordinals); None without a deadline."""
    if deadline is None:
        return None
    if start is None or start >= deadline:
        return 100.0 if today >= deadline else 0.0
    share = (today - start) / (deadline - start)
    return 100.0 * min(max(share, 0.0), 1.0)


def tolerance(target: Target, config: Config) -> float:
    """The allowed deviation of an approx target: stated, or the configured share of its value."""
    if target.tolerance is not None:
        return target.tolerance
    return abs(target.value or 0.0) * config.approx_tolerance


def _meets(target: Target, value: float, config: Config) -> bool:
    return meets(
        target.comparator,
        target.value,
        target.value_max,
        tolerance(target, config) if target.comparator is Comparator.APPROX else 0.0,
        value,
    )


def meets(
    c: Comparator | None, v0: float | None, value_max: float | None, tol: float, value: float
) -> bool:
    """Whether `value` meets a bound (`tol`: an approx target's tolerance, `tolerance`)."""
    v = v0 if v0 is not None else 0.0
    if c is Comparator.AT_LEAST:
        return value >= v
    if c is Comparator.MORE_THAN:
        return value > v
    if c is Comparator.AT_MOST:
        return value <= v
    if c is Comparator.LESS_THAN:
        return value < v
    if c is Comparator.EXACTLY:
        return value >= v  # reaching the number is meeting it; more is flagged as `over`
    if c is Comparator.RANGE:
        return v <= value <= (value_max if value_max is not None else v)
    if c is Comparator.APPROX:
        return abs(value - v) <= tol
    return False


def _over(target: Target, value: float, config: Config) -> bool:
    """Above what the target allows: a range's maximum, an exact number, an approx tolerance."""
    tol = tolerance(target, config) if target.comparator is Comparator.APPROX else 0.0
    return over_bound(target.comparator, target.value, target.value_max, tol, value)


def over_bound(
    c: Comparator | None, v: float | None, value_max: float | None, tol: float, value: float
) -> bool:
    if v is None:
        return False
    if c is Comparator.APPROX:
        return value > v + tol
    if c is Comparator.RANGE and value_max is not None:
        return value > value_max
    if c is Comparator.EXACTLY:
        return value > v
    return False


def _completion(target: Target, value: float, config: Config) -> float | None:
    """Progress towards the target in percent (0-100), where it makes sense."""
    tol = tolerance(target, config) if target.comparator is Comparator.APPROX else 0.0
    return completion_of(
        target.comparator, target.value, target.value_max, tol, target.baseline, value
    )


def completion_of(
    c: Comparator | None,
    v: float | None,
    value_max: float | None,
    tol: float,
    base: float | None,
    value: float,
) -> float | None:
    if v is None:
        return None
    if c in (Comparator.AT_MOST, Comparator.LESS_THAN):
        if meets(c, v, value_max, tol, value):
            return 100.0
        if base is None or base == v:
            return None  # a ceiling needs a baseline to measure the way down
        return 100.0 * min(max((base - value) / (base - v), 0.0), 1.0)
    if c is Comparator.APPROX and meets(c, v, value_max, tol, value):
        return 100.0
    if v == 0:
        return 100.0 if value >= 0 else 0.0
    return 100.0 * min(max(value / v, 0.0), 1.0)


def _entities(
    target: Target, records: Sequence[ProgressRecord], config: Config
) -> tuple[tuple[EntityResult, ...], bool]:
    latest: dict[str, ProgressRecord] = {}
    every: dict[str, list[ProgressRecord]] = defaultdict(list)
    for r in records:
        if r.entity:
            latest[r.entity] = r
            every[r.entity].append(r)
    names = list(target.entities) if target.entities else sorted(latest)
    out = []
    for name in names:
        rec = latest.get(name)
        if rec is None:
            out.append(EntityResult(name, None, False))
            continue
        if target.kind is TargetKind.MILESTONE or rec.value is None:
            out.append(EntityResult(name, None, bool(rec.done)))
            continue
        met = _meets(target, rec.value, config)
        if target.maintain:
            met = met and all(
                _meets(target, x.value, config) for x in every[name] if x.value is not None
            )
        out.append(EntityResult(name, rec.value, met))
    return tuple(out), target.entities is not None


def rollup(results: Sequence[TargetResult]) -> Rollup:
    """Worst status and worst level win, except that 无进展数据 never hides progress: it is the
    roll-up only when no target has data; a measure whose other targets are all met while some
    are silent is 已启动 (in progress), not done. Completion averages over all targets, a target
    with no data counting 0 (an average over reporting targets alone would flatter a measure whose
    units are silent)."""
    return rollup_of([(r.status, r.level, r.completion, bool(r.records)) for r in results])


def rollup_of(judged: Sequence[tuple[Status, Level | None, float | None, bool]]) -> Rollup:
    """`rollup` from each target's status, level, completion and whether it has records as of
    the date."""
    if not judged:
        return Rollup(Status.NO_DATA, None, None, {}, 0)
    statuses, levels, completions, has = zip(*judged, strict=True)  # the columns, in C
    return rollup_runs(statuses, levels, completions, has, [(0, len(judged))])[0]


def rollup_runs(
    statuses: Sequence[Status],
    levels: Sequence[Level | None],
    completions: Sequence[float | None],
    has: Sequence[bool],
    runs: Iterable[tuple[int, int]],
    counted: bool = True,
) -> list[Rollup]:
    """`rollup_of` of each run `a:b` (never empty) of the columns, one item per target: the
    snapshot's status view rolls every measure and document up from runs of its judged targets.
    Each run's worst status and level are a `min` over ranks (无进展数据 ranked last, so it wins
    only a run without data), its completion a `sum`, all in C; `counted` False leaves
    `Rollup.counts` empty (the plain table does not show them)."""
    rank = list(map(_ROLLUP_RANK.__getitem__, statuses))
    level_rank = list(map(_LEVEL_RANK_OR_NONE.__getitem__, levels))
    filled = [c or 0.0 for c in completions]
    heard = [0, *accumulate(has)]  # how many targets have a record, up to each
    no_data, in_progress = _ROLLUP_RANK[Status.NO_DATA], Status.IN_PROGRESS
    out: list[Rollup] = []
    add, new = out.append, tuple.__new__
    for a, b in runs:
        ranks = rank[a:b]
        worst = min(ranks)
        # a measure whose targets with data are all met while some are silent is 已启动
        status = (
            in_progress
            if _FINISHED_BY_RANK[worst] and max(ranks) == no_data
            else _BY_ROLLUP_RANK[worst]
        )
        n = b - a
        add(
            new(  # a `Rollup`, made positionally
                Rollup,
                (
                    status,
                    _LEVEL_BY_RANK[min(level_rank[a:b])],
                    round(sum(filled[a:b]) / n, 1) if heard[b] > heard[a] else None,
                    _counts(statuses[a:b]) if counted else {},
                    n,
                ),
            )
        )
    return out


def _counts(statuses: Sequence[Status]) -> dict[Status, int]:
    """How many of each status, in the order first met: a measure's handful counted by a loop,
    a document's hundreds by `Counter` (in C; its set-up costs more than the loop for a few)."""
    if len(statuses) > 32:
        return dict(Counter(statuses))
    counts: dict[Status, int] = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return counts


# a roll-up's ranks: worst first, 无进展数据 last (it is the roll-up only of a run without data)
_BY_ROLLUP_RANK = (*(s for s in Status if s is not Status.NO_DATA), Status.NO_DATA)
_ROLLUP_RANK = {s: k for k, s in enumerate(_BY_ROLLUP_RANK)}
_FINISHED_BY_RANK = tuple(s.finished for s in _BY_ROLLUP_RANK)
_LEVEL_BY_RANK = (*Level, None)
_LEVEL_RANK_OR_NONE = {lv: k for k, lv in enumerate(_LEVEL_BY_RANK)}


def level_rank(level: Level | None) -> int:
    """A warning level's rank, worst first, no level last: the one order of levels for roll-ups
    and lists (the weekly report's supervision list)."""
    return _LEVEL_RANK_OR_NONE[level]


def level_ranks(levels: Iterable[Level | None]) -> list[int]:
    """`level_rank` of each level (looked up in C)."""
    return list(map(_LEVEL_RANK_OR_NONE.__getitem__, levels))


def status_ranks(statuses: Iterable[Status]) -> list[int]:
    """`Status.rank` of each status (looked up in C)."""
    return list(map(_STATUS_RANK.__getitem__, statuses))


# --- accountability per unit --------------------------------------------------------------------


class Roles(NamedTuple):
    """Who answers for a target, by canonical unit name: its lead units (牵头单位, with lead
    colleges and lead enterprises) and the units that share it (责任单位 and 配合单位, leads
    excepted)."""

    lead: tuple[str, ...]
    shared: tuple[str, ...]


def roles_of(res: TargetResult, registry: Registry) -> Roles:
    return _roles(res.document, res.measure, res.target, registry)


def _roles(doc: Document, measure: Measure, target: Target, registry: Registry) -> Roles:
    r = measure.responsibility_of(target)
    region = doc.region
    lead = tuple(
        dict.fromkeys(
            registry.canonical(r.lead_units + r.lead_colleges + r.lead_enterprises, region)
        )
    )
    shared = tuple(
        n
        for n in dict.fromkeys(registry.canonical(r.responsible_units + r.supporting_units, region))
        if n not in lead
    )
    return Roles(lead, shared)


def roles_column(
    placed: Iterable[TargetResult] | Iterable[tuple[Document, Measure, Target]],
    registry: Registry,
) -> list[Roles]:
    """`roles_of` of every result, in order, resolved once per responsibility and region (the
    targets of a measure share its units). `placed`: the results, or their targets as
    `(document, measure, target)` (`Plan.all_targets`), which a result begins with. A report
    that needs the roles twice (its items and `accountability`) makes this once and passes it
    to both."""
    out: list[Roles] = []
    add = out.append
    known: dict[tuple[int, str | None], Roles] = {}
    last: tuple[Responsibility | None, Document | None] = (None, None)
    roles = Roles((), ())
    for row in placed:
        doc, measure, target = row[0], row[1], row[2]
        r = measure.responsibility_of(target)
        if r is last[0] and doc is last[1]:  # a measure's targets come together: as the last
            add(roles)
            continue
        last = (r, doc)
        key = (id(r), doc.region)
        found = known.get(key)
        if found is None:
            found = known[key] = _roles(doc, measure, target, registry)
        roles = found
        add(roles)
    return out


class UnitTally(NamedTuple):
    """One unit's accountability. `unit` is "" for targets that name no lead unit."""

    unit: str
    leads: int  # targets it leads
    shares: int  # targets it shares without leading
    counts: dict[Status, int]  # statuses of the targets it leads
    levels: dict[Level, int]  # warning levels of the targets it leads
    completion: float | None  # average completion of the targets it leads (silent ones count 0)


def accountability(
    results: Sequence[TargetResult],
    registry: Registry,
    roles: Sequence[Roles] | None = None,
) -> list[UnitTally]:
    """Per unit, the one rule used by `zjtrack units`, the weekly report and the notices: a target's
    status, level and completion count against its lead units, who answer for it (牵头负责); the
    units that share it count it apart (`shares`). Worst first: most overdue, most behind, most led.
    `roles`, the results' `roles_column` when the caller has it already."""
    if roles is None:
        roles = roles_column(results, registry)
    return accountability_of(
        [r.status for r in results],
        [r.level for r in results],
        [r.completion for r in results],
        roles,
    )


def accountability_of(
    status: Sequence[Status],
    level: Sequence[Level | None],
    completion: Sequence[float | None],
    roles: Sequence[Roles],
) -> list[UnitTally]:
    """`accountability` of targets given as columns: their statuses, levels, completions and
    roles, one item per target in the same order (the weekly report holds its results so)."""
    if not len(status) == len(level) == len(completion) == len(roles):
        raise ValueError("the columns are not one item per target")
    led: dict[str, list[int]] = defaultdict(list)
    shares: dict[str, int] = defaultdict(int)
    # a run of targets with the same roles (a measure's share them) is counted in one step
    for (lead, shared), run in groupby(range(len(roles)), key=roles.__getitem__):
        at = list(run)
        for name in lead or ("",):
            led[name] += at
        for name in shared:
            shares[name] += len(at)
    out = []
    for name in led.keys() | shares.keys():
        mine = led.get(name, [])
        by_status = Counter(map(status.__getitem__, mine))
        by_level = Counter(map(level.__getitem__, mine))
        counts = {s: by_status[s] for s in Status}
        levels = {lv: by_level[lv] for lv in Level}
        done = None
        completions = list(map(completion.__getitem__, mine))
        if completions.count(None) < len(completions):
            done = round(sum([c or 0.0 for c in completions]) / len(mine), 1)
        out.append(UnitTally(name, len(mine), shares.get(name, 0), counts, levels, done))
    out.sort(key=lambda t: (-t.counts[Status.OVERDUE], -t.counts[Status.BEHIND], -t.leads, t.unit))
    return out


# --- corrections and withdrawals ------------------------------------------------------------------

_REF = re.compile(r"^\s*([0-9]{4}-[0-9]{2}-[0-9]{2})(?:\s*:\s*([0-9]+))?\s*$")


def reference(r: ProgressRecord) -> str | None:
    """The earlier record `r` corrects or withdraws, as written (None: an ordinary record)."""
    return r.corrects if r.corrects is not None else r.withdraws


def referenced(r: ProgressRecord, before: Sequence[ProgressRecord]) -> list[ProgressRecord]:
    """The records among `before` (a target's records written before `r`) that `r`'s reference
    names: the same target and entity, the date given, and the line in its file when given. One
    is a reference resolved; none or several are `check`'s to report."""
    ref = reference(r)
    m = _REF.match(ref or "")
    if m is None:
        return []
    day, line = m[1], m[2]
    return [
        x
        for x in before
        if x.target == r.target
        and x.entity == r.entity
        and x.date is not None
        and x.date.isoformat() == day
        and (line is None or x.line == int(line))
    ]


def supersede(records: Sequence[ProgressRecord]) -> Sequence[ProgressRecord]:
    """A target's records as they stand: a correction replaces the record it names (it keeps the
    correction's place, which has the same date), a withdrawal removes it and itself. A reference
    that names no record, or several, changes nothing (`check` reports it). Oldest first, as given."""
    if not any(r.corrects is not None or r.withdraws is not None for r in records):
        return records  # the usual case: nothing to do
    out: list[ProgressRecord] = []
    for r in records:
        if reference(r) is None:
            out.append(r)
            continue
        found = referenced(r, out)
        if len(found) == 1:
            out.remove(found[0])
        if r.withdraws is None:
            out.append(r)
    return out


def superseded_by(records: Sequence[ProgressRecord]) -> dict[int, ProgressRecord]:
    """For `show`: which record (by its index in `records`) a later record corrects or withdraws."""
    out: dict[int, ProgressRecord] = {}
    for i, r in enumerate(records):
        if reference(r) is not None:
            found = referenced(r, [x for j, x in enumerate(records[:i]) if j not in out])
            if len(found) == 1:
                out[next(j for j, x in enumerate(records) if x is found[0])] = r
    return out
