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
from collections.abc import Callable, Iterator, Sequence
from itertools import compress, repeat
from operator import eq, itemgetter, not_, sub
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from ..evaluate import (
    FINISHED,
    Level,
    Status,
    TargetResult,
    elapsed_on,
    evaluate_at,
    is_stale,
    one_place,
    settle_days,
)
from ..model import Document, Measure, ProgressRecord, Target

if TYPE_CHECKING:
    from ..load.snapshot import Snapshot
    from ..model import Plan

Placed = list[tuple[Document, Measure, Target]]  # plan.all_targets(), in order


class Results(Sequence[TargetResult]):
    """Every target as of the period's end, in document order: the columns the weekly report
    chooses its rows by and counts, one item per target, and each target's `TargetResult`, made
    when first asked for (a province's report judges 50,000 targets and shows a third of them).
    The same results as `evaluate_at`'s, read through the columns or the sequence alike."""

    def __init__(
        self,
        placed: Placed,
        rows: Sequence[Sequence[Any]],
        make: Callable[[int], TargetResult] | None = None,
        made: list[TargetResult | None] | None = None,
    ) -> None:
        # `rows`: per target, its status, level, regressed, completion, days_left and latest
        # record first (as `_COLUMNS` names them); `make(i)` makes the result of target i
        self.placed = placed
        self.status: list[Status] = list(map(itemgetter(0), rows))
        self.level: list[Level | None] = list(map(itemgetter(1), rows))
        self.regressed: list[bool] = list(map(itemgetter(2), rows))
        self.completion: list[float | None] = list(map(itemgetter(3), rows))
        self.days_left: list[int | None] = list(map(itemgetter(4), rows))
        self.latest: list[ProgressRecord | None] = list(map(itemgetter(5), rows))
        self.finished: list[bool] = list(map(FINISHED.__contains__, self.status))  # in C
        # the positions of the targets not met: the sections that list work to do look at these
        self.open: list[int] = list(compress(range(len(rows)), map(not_, self.finished)))
        self._made: list[TargetResult | None] = made if made is not None else [None] * len(placed)
        self._make = make

    @classmethod
    def of(cls, results: Sequence[TargetResult]) -> Results:
        """Results judged over the object model, as they are."""
        if isinstance(results, Results):
            return results
        get = itemgetter(*_COLUMNS)
        return cls(
            [(r.document, r.measure, r.target) for r in results],
            [get(r) for r in results],
            made=list(results),
        )

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, i: int) -> TargetResult: ...

    @overload
    def __getitem__(self, i: slice) -> list[TargetResult]: ...

    def __getitem__(self, i: int | slice) -> TargetResult | list[TargetResult]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        made = self._made[i]
        if made is None:
            assert self._make is not None  # every result is made or can be
            made = self._made[i] = self._make(i if i >= 0 else i + len(self))
        return made

    def __iter__(self) -> Iterator[TargetResult]:
        return map(self.__getitem__, range(len(self)))

    def __eq__(self, other: object) -> bool:
        """Equal to a list of the same results, or to `Results` holding them (as a list is:
        never to a tuple)."""
        if isinstance(other, (list, Results)):
            return len(self) == len(other) and all(map(eq, self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


# the fields of a `TargetResult` a `Results` holds as columns, by their index in it
_FIELDS = TargetResult._fields
_COLUMNS = tuple(
    _FIELDS.index(f) for f in ("status", "level", "regressed", "completion", "days_left", "latest")
)


class Standings(NamedTuple):
    """What the weekly report compares of every target at the cut-off before, as columns: one
    item per target, in the order of the targets as of the period's end (`judge_week`'s `now`,
    `evaluate_at`'s first moment). The overview counts them and compares them with the
    period's end position by position."""

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
) -> tuple[Results, Standings]:
    """Every target as of `end` (known by `end`) and, as `Standings`, as of `before` (known by
    `before`), as `evaluate_at(plan, ((end, end), (before, before)))` judges them; `snap` must
    fit the plan (`fits`). `placed`, `plan.all_targets()`, and `later`,
    `plan.says_when_recorded()`, when the caller has them (each is a pass over the plan).
    Each target is judged once here; its `TargetResult` is made when the report asks for it."""
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

    end_day, before_day = end.toordinal(), before.toordinal()
    offsets, rec_date = snap.offsets, snap.rec_date
    all_completion, all_since, all_value = snap.all_completion, snap.all_since, snap.all_value
    deadlines, starts = snap.deadline, snap.start
    rounded = _Rounded()

    # per target: the columns `Results` holds, then what its result is made of (`make`)
    rows: list[tuple[Any, ...]] = []
    made: list[TargetResult | None] = []
    then = Standings([], [], [])
    add_row, add_made = rows.append, made.append
    add_status, add_level, add_regressed = (
        then.status.append,
        then.level.append,
        then.regressed.append,
    )
    for i, (_, _, target) in enumerate(all_targets):
        pair = by_objects.get(target.id) if objects else None
        if pair is not None:
            res, res_before = pair
            add_row(
                (res.status, res.level, res.regressed, res.completion, res.days_left, res.latest)
            )
            add_made(res)
            add_status(res_before.status)
            add_level(res_before.level)
            add_regressed(res_before.regressed)
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
        latest = history[target.id][hi - lo - 1] if hi > lo else None
        add_row(
            (
                status,
                level,
                regressed,
                completion and rounded[completion],  # `one_place`: a zero is its own
                days_left,
                latest,
                # what the result is made of besides (`make`)
                elapsed,
                gap,
                met,
                over,
                value,
                met_day,
                hi - lo,  # records known
            )
        )
        add_made(None)
        add_status(status_before)
        add_level(level_before)
        add_regressed(regressed_before)

    make = _Make(all_targets, rows, history, snap, end, rounded)
    return Results(all_targets, rows, make, made), then


class _Rounded(dict[float, float | None]):
    """`one_place` of each distinct value, found once: rounding is costly and a province's values
    repeat. Asked for non-zero values only (a zero is its own rounding and keeps its sign, where
    0.0 and -0.0 would be one key)."""

    def __missing__(self, x: float) -> float | None:
        found = self[x] = one_place(x)
        return found


class _Days(dict[int, dt.date | None]):
    """Day numbers (`date.toordinal`, 0 for none) made dates, each once."""

    def __missing__(self, d: int) -> dt.date | None:
        found = self[d] = dt.date.fromordinal(d) if d else None
        return found


class _Make:
    """Makes a target's result as of the period's end from what `judge_week` judged of it (its
    row): the rest of a `TargetResult` is found only for the results the report shows."""

    def __init__(
        self,
        placed: Placed,
        rows: list[tuple[Any, ...]],
        history: dict[str, tuple[ProgressRecord, ...]],
        snap: Snapshot,
        end: dt.date,
        rounded: _Rounded,
    ) -> None:
        self.placed, self.rows, self.history, self.end = placed, rows, history, end
        self.deadlines, self.config, self.rounded = snap.deadline, snap.judge_config, rounded
        self.dates = _Days()

    def __call__(self, i: int) -> TargetResult:
        doc, measure, target = self.placed[i]
        # the row as `judge_week` makes it
        status, level, regressed, completion, days_left, latest = self.rows[i][:6]
        elapsed, gap, met, over, value, met_day, known = self.rows[i][6:]
        records = self.history.get(target.id, ())
        if known != len(records):
            records = records[:known]
        end, rounded, dates = self.end, self.rounded, self.dates
        since_latest = None if latest is None or latest.date is None else (end - latest.date).days
        deadline = dates[self.deadlines[i]]
        # made positionally (a NamedTuple's keywords cost more)
        return tuple.__new__(
            TargetResult,
            (
                doc,
                measure,
                target,
                status,
                level,
                completion,
                elapsed and rounded[elapsed],  # time_elapsed, `one_place`
                met,
                over,
                value,
                latest,
                records,
                deadline,
                deadline,  # original_deadline
                False,  # extension_ignored
                days_left,
                is_stale(status, since_latest, self.config),  # stale
                (),  # entities
                True,  # entities_known
                gap and rounded[gap],  # gap, `one_place`
                dates[met_day or 0],  # met_on
                regressed,
            ),
        )


def _recorded_later(records: tuple[ProgressRecord, ...]) -> bool:
    """Some record was written down after the date it describes: known by a cut-off is then not
    dated by it."""
    for r in records:
        if r.recorded_at is not None:
            on = r.recorded_on
            if on is None or r.date is None or on > r.date:
                return True
    return False
