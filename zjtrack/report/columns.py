"""The weekly report's two moments judged over the tree's columnar snapshot (`load/snapshot`).

The report judges every target at its period's end and at the cut-off before, with what had been
recorded by each (`evaluate_at`). Over the object model that is two walks that build a result per
target and moment. Over the snapshot's columns each moment is judged a column at a time
(`snapshot.judge_many`: `evaluate.measure_values` only where a record is dated after the moment,
`evaluate.settle_columns` for all); a full `TargetResult` is made for the period's end only, for
the targets the report shows, and the cut-off before keeps, as columns in the same order, what
the report compares: status, level and whether a maintained target fell below its bound
(`Standings`).

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
from collections.abc import Callable, Iterator, Sequence
from itertools import compress, repeat
from operator import eq, itemgetter, not_, sub
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from ..evaluate import (
    FINISHED,
    Level,
    Status,
    TargetResult,
    evaluate_at,
)
from ..model import Document, Measure, ProgressRecord, Target

if TYPE_CHECKING:
    from ..load.snapshot import Snapshot, Verdicts
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
        columns: Columns,
        make: Callable[[int], TargetResult] | None = None,
        made: list[TargetResult | None] | None = None,
    ) -> None:
        # `make(i)` makes the result of target i
        self.placed = placed
        self.status: list[Status] = columns.status
        self.level: list[Level | None] = columns.level
        self.regressed: list[bool] = columns.regressed
        self.completion: list[float | None] = columns.completion
        self.days_left: list[int | None] = columns.days_left
        self.latest: list[ProgressRecord | None] = columns.latest
        self.finished: list[bool] = list(map(FINISHED.__contains__, self.status))  # in C
        # the positions of the targets not met: the sections that list work to do look at these
        self.open: list[int] = list(compress(range(len(placed)), map(not_, self.finished)))
        self._made: list[TargetResult | None] = made if made is not None else [None] * len(placed)
        self._make = make

    @classmethod
    def of(cls, results: Sequence[TargetResult]) -> Results:
        """Results judged over the object model, as they are."""
        if isinstance(results, Results):
            return results
        columns = Columns(*([getattr(r, name) for r in results] for name in Columns._fields))
        return cls(
            [(r.document, r.measure, r.target) for r in results], columns, made=list(results)
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


class Columns(NamedTuple):
    """The fields of every target's `TargetResult` that a `Results` holds as columns, one item
    per target."""

    status: list[Status]
    level: list[Level | None]
    regressed: list[bool]
    completion: list[float | None]
    days_left: list[int | None]
    latest: list[ProgressRecord | None]


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
    Both moments are judged over the columns (`snapshot.judge_many`); a target's
    `TargetResult` is made when the report asks for it."""
    from ..load.snapshot import FALLBACK, judge_many

    history = plan.histories()
    all_targets = plan.all_targets() if placed is None else placed
    # targets the columns cannot judge: the object model's, judged in one walk (a tree where
    # no record says when it was written down is asked only for the snapshot's own marks)
    if later is None:
        later = plan.says_when_recorded()
    flags_of = snap.flags
    objects = [
        i
        for i, (_, _, t) in enumerate(all_targets)
        if flags_of[i] & FALLBACK or (later and _recorded_later(history.get(t.id, ())))
    ]
    n = len(all_targets)
    wanted = {all_targets[i][2].id for i in objects}
    chosen: Sequence[int] = range(n)
    if objects:
        chosen = [i for i in range(n) if all_targets[i][2].id not in wanted]
    now, was = judge_many(snap, chosen, end), judge_many(snap, chosen, before)
    offsets = snap.offsets
    known = [k - offsets[i] + 1 if k >= 0 else 0 for i, k in zip(now.i, now.latest, strict=True)]
    targets = map(itemgetter(2), map(all_targets.__getitem__, now.i))
    latest = [history[t.id][m - 1] if m else None for t, m in zip(targets, known, strict=True)]
    made: list[TargetResult | None] = [None] * n
    columns = Columns(
        now.status, now.level, _regressed(snap, now), now.completion, now.days_left, latest
    )
    then = Standings(was.status, was.level, _regressed(snap, was))
    facts = _Facts(
        now.time_elapsed, now.gap, now.met, now.over, now.value, now.met_on, known, now.stale
    )
    if objects:  # the object model's results in their places among the columns' (`chosen`)
        moments = ((end, end), (before, before))
        now_o, before_o = evaluate_at(plan, moments, lambda t: t.id in wanted)
        by_id = {r.target.id: (r, b) for r, b in zip(now_o, before_o, strict=True)}
        columns = Columns(*(_placed(c, chosen, n) for c in columns))
        then = Standings(*(_placed(c, chosen, n) for c in then))
        facts = _Facts(*(_placed(c, chosen, n) for c in facts))
        for i in objects:
            res, res_before = by_id[all_targets[i][2].id]
            made[i] = res
            for name in Columns._fields:
                getattr(columns, name)[i] = getattr(res, name)
            for name in Standings._fields:
                getattr(then, name)[i] = getattr(res_before, name)
    make = _Make(all_targets, columns, facts, history, snap)
    return Results(all_targets, columns, make, made), then


def _regressed(snap: Snapshot, judged: Verdicts) -> list[bool]:
    """Whether each target judged fell below the bound it maintains (保持), by the records
    judged (`measure_values`' regressed: only a maintained target can)."""
    from ..load.snapshot import MAINTAIN, measure_at

    flags, offsets = snap.flags, snap.offsets
    out = [False] * len(judged)
    for k, (i, last) in enumerate(zip(judged.i, judged.latest, strict=True)):
        if last >= 0 and flags[i] & MAINTAIN:
            out[k] = measure_at(snap, i, offsets[i], last + 1)[5]
    return out


def _placed(column: list[Any], at: Sequence[int], n: int) -> list[Any]:
    """`column`, whose items are targets `at`, as a column of all `n` targets (None elsewhere)."""
    out: list[Any] = [None] * n
    for k, i in enumerate(at):
        out[i] = column[k]
    return out


class _Facts(NamedTuple):
    """What a target's result is made of besides its `Columns` (`_Make`), one item per target:
    rounded (`one_place`) where a `TargetResult` is."""

    time_elapsed: list[float | None]
    gap: list[float | None]
    met: list[bool]
    over: list[bool]
    value: list[float | None]
    met_on: list[int | None]  # a day number
    known: list[int]  # how many of its records are known by the period's end
    stale: list[bool]


class _Days(dict[int, dt.date | None]):
    """Day numbers (`date.toordinal`, 0 for none) made dates, each once."""

    def __missing__(self, d: int) -> dt.date | None:
        found = self[d] = dt.date.fromordinal(d) if d else None
        return found


class _Make:
    """Makes a target's result as of the period's end from what `judge_week` judged of it (its
    columns): the rest of a `TargetResult` is found only for the results the report shows."""

    def __init__(
        self,
        placed: Placed,
        columns: Columns,
        facts: _Facts,
        history: dict[str, tuple[ProgressRecord, ...]],
        snap: Snapshot,
    ) -> None:
        self.placed, self.columns, self.facts, self.history = placed, columns, facts, history
        self.deadlines = snap.deadline
        self.dates = _Days()

    def __call__(self, i: int) -> TargetResult:
        doc, measure, target = self.placed[i]
        c, f = self.columns, self.facts
        records = self.history.get(target.id, ())
        known = f.known[i]
        if known != len(records):
            records = records[:known]
        dates = self.dates
        deadline = dates[self.deadlines[i]]
        # made positionally (a NamedTuple's keywords cost more)
        return tuple.__new__(
            TargetResult,
            (
                doc,
                measure,
                target,
                c.status[i],
                c.level[i],
                c.completion[i],
                f.time_elapsed[i],
                f.met[i],
                f.over[i],
                f.value[i],
                c.latest[i],
                records,
                deadline,
                deadline,  # original_deadline
                False,  # extension_ignored
                c.days_left[i],
                f.stale[i],
                (),  # entities
                True,  # entities_known
                f.gap[i],
                dates[f.met_on[i] or 0],  # met_on
                c.regressed[i],
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
