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
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, repeat
from operator import eq, itemgetter, sub
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from ..evaluate import Level, Roles, Status, TargetResult, evaluate_at
from ..model import Config, Document, Measure, ProgressRecord, Target
from ..table import DateCell
from .document import Board, day_cell, measures_of, record_tail, record_value, safe
from .weeks import Week, default_title

if TYPE_CHECKING:
    from ..load.snapshot import Interned, Snapshot, Verdicts
    from ..model import Plan

Placed = list[tuple[Document, Measure, Target]]  # plan.all_targets(), in order


class Results(Board, Sequence[TargetResult]):
    """Every target as of the period's end, in document order, over the object model: its
    `Board` (the columns the weekly report chooses its rows by and counts) and each target's
    `TargetResult`, made when first asked for (a province's report judges 50,000 targets and
    shows a third of them). The same results as `evaluate_at`'s, read through the columns or
    the sequence alike."""

    def __init__(
        self,
        placed: Placed,
        columns: Columns,
        make: Callable[[int], TargetResult] | None = None,
        made: list[TargetResult | None] | None = None,
    ) -> None:
        # `make(i)` makes the result of target i
        latest = columns.latest
        super().__init__(
            columns.status,
            columns.level,
            columns.completion,
            columns.time_elapsed,
            columns.days_left,
            columns.over,
            columns.never_recorded,
            columns.regressed,
            [t.id for _, _, t in placed],
            measures_of((d, m) for d, m, _ in placed),
        )
        self.placed = placed
        self.latest: list[ProgressRecord | None] = latest
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
    time_elapsed: list[float | None]
    over: list[bool]
    never_recorded: list[bool]


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
    from ..load.snapshot import FALLBACK, judge_days

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
    now, was = judge_days(snap, chosen, (end, before))
    offsets = snap.offsets
    known = [k - offsets[i] + 1 if k >= 0 else 0 for i, k in zip(now.i, now.latest, strict=True)]
    targets = map(itemgetter(2), map(all_targets.__getitem__, now.i))
    latest = [history[t.id][m - 1] if m else None for t, m in zip(targets, known, strict=True)]
    made: list[TargetResult | None] = [None] * n
    columns = Columns(
        now.status,
        now.level,
        _regressed(snap, now),
        now.completion,
        now.days_left,
        latest,
        now.time_elapsed,
        now.over,
        now.never_recorded,
    )
    then = Standings(was.status, was.level, _regressed(snap, was))
    facts = _Facts(now.gap, now.met, now.value, now.met_on, known, now.stale)
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
    judged (`measure_values`' regressed: only a maintained target can, so only those marked
    `MAINTAIN` are looked at)."""
    from ..load.snapshot import MAINTAIN, measure_at

    flags, offsets, latest = snap.flags, snap.offsets, judged.latest
    maintained = bytes(1 if b & MAINTAIN else 0 for b in range(256))  # a flag byte -> its bit
    marks = bytes(map(flags.__getitem__, judged.i)).translate(maintained)
    out = [False] * len(judged)
    for k in compress(range(len(judged)), marks):
        last = latest[k]
        if last >= 0:
            i = judged.i[k]
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

    gap: list[float | None]
    met: list[bool]
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
                c.time_elapsed[i],
                f.met[i],
                c.over[i],
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


# --- the weekly report without the object model ---------------------------------------------------

WEEKLY_SIDE = ".weekly"  # the snapshot's side file of `WeekParts` (`snapshot.save_side`)
SCOPE_CAP = 5  # the heading names this many documents, then says how many more


class Heading(NamedTuple):
    """What a report's heading and imprint say of the tree: its config, and of the documents
    tracked how many there are, the title and number of the first few (`SCOPE_CAP`) and the
    title they suggest (`weeks.default_title`)."""

    config: Config
    documents: int
    names: tuple[tuple[str, str], ...]  # (title, document number)
    title: str


def heading_of(config: Config, documents: Sequence[Document]) -> Heading:
    names = tuple((d.title, d.doc_number) for d in documents[:SCOPE_CAP])
    return Heading(config, len(documents), names, default_title(documents))


class WeekParts:
    """What the weekly report reads of a tree besides its snapshot's columns, derived from the
    plan the snapshot was made from and kept as its side file (`save_week_parts`): each
    target's metric, the units its rows name (`Item`) and its roles (`Roles`, for 附件2), each
    record's note, source, reporter, problems and next steps, the heading (`Heading`), the
    week of issue 1 (`weeks.first_week`) and the last day a document was taken into tracking.
    With them a report is made over the columns alone, without loading the plan
    (`column_week`)."""

    def __init__(self, fields: Any, snap: Snapshot) -> None:
        from ..load.snapshot import Interned, Texts

        n, records = snap.n, snap.offsets[snap.n]
        self.metric: Texts = _sized(Texts(fields["metric"]), n)
        self.lead = {lang: _sized(Interned(fields["lead"][lang]), n) for lang in ("zh", "en")}
        self.responsible = _sized(Interned(fields["responsible"]), n)
        # each distinct `Roles` once, and each target's index among them
        self.roles = [Roles(tuple(lead), tuple(shared)) for lead, shared in fields["roles"]]
        self.roles_index = _sized(_indices(fields["roles_index"], len(self.roles)), n)
        self.said = {name: _sized(Interned(fields[name]), records) for name in _RECORD_TEXTS}
        self.heading = Heading(
            Config(*fields["config"]),
            fields["documents"],
            tuple(map(tuple, fields["names"])),
            fields["title"],
        )
        first = fields["first_week"]
        self.first: Week | None = Week(*first) if first is not None else None
        # the latest day a document was taken into tracking, as an ordinal (0: none says):
        # a week closed before it is left to the plan (`Plan.tracked_by`)
        self.last_tracked: int = fields["last_tracked"]
        if type(self.last_tracked) is not int:
            raise TypeError("last_tracked")


# what each record says besides its value, as the weekly report shows it ("" for nothing)
_RECORD_TEXTS = ("note", "source", "by", "problems", "next_steps")


def _narrow(indices: list[int], count: int) -> tuple[str, bytes]:
    """Indices into `count` things as an array's type and bytes, two bytes each when they fit."""
    code = "H" if count <= 1 << 16 else "I"
    return code, array(code, indices).tobytes()


def _indices(stored: Any, count: int) -> array[int]:
    """A column of indices into `count` things (`_narrow`), each checked to be one of them."""
    code, data = stored
    if code not in ("H", "I") or type(data) is not bytes:
        raise TypeError("column")
    out = array(code)
    out.frombytes(data)
    if out and max(out) >= count:
        raise ValueError("index")
    return out


def _sized(column: Any, n: int) -> Any:
    if len(column) != n:
        raise ValueError("column length")
    return column


def load_week_parts(named: list[str], snap: Snapshot) -> WeekParts | None:
    """The `WeekParts` of the snapshot `snap` of the tree `named`, if made from it."""
    from ..load import snapshot

    fields = snapshot.load_side(named, snap, WEEKLY_SIDE)
    if fields is None:
        return None
    try:
        return WeekParts(fields, snap)
    except Exception:  # sealed by this user: only a bug gets here
        return None


def save_week_parts(named: list[str], snap: Snapshot, plan: Plan) -> None:
    """Write the `WeekParts` of the snapshot `snap`, made from `plan`, the plan it was made from
    (`fits`, and the same records), as its side file; quietly none for a tree the columns
    cannot report on alone: targets the snapshot leaves to the objects, records written down
    after the date they describe (`_recorded_later`: 补报), units' returns (`forms`), a first
    week that cannot be read."""
    from ..load import snapshot

    fields = week_parts(plan, snap)
    if fields is not None:
        snapshot.save_side(named, snap, WEEKLY_SIDE, fields)


def week_parts(plan: Plan, snap: Snapshot) -> dict[str, Any] | None:
    """The fields of `plan`'s `WeekParts` (see `save_week_parts`), or None."""
    from ..evaluate import roles_column
    from ..forms import reported
    from ..load.snapshot import Interned, Texts
    from ..problems import UserError
    from ..registry import Registry
    from .document import lead_cell, units_shown
    from .weeks import first_week

    placed = plan.all_targets()
    if snap.fallback or reported.uses_returns(plan.records) or not fits(plan, snap, placed):
        return None
    history = plan.histories()
    if plan.says_when_recorded() and any(
        _recorded_later(history.get(t.id, ())) for _, _, t in placed
    ):
        return None  # known by a cut-off is not dated by it (`judge_week` judges these apart)
    records = [r for _, _, t in placed for r in history.get(t.id, ())]
    dates = [r.date.toordinal() if r.date is not None else 0 for r in records]
    if dates != snap.rec_date.tolist():  # the records the snapshot holds, in its order
        return None
    try:
        first = first_week(plan.config, plan.records, plan.documents)
    except UserError:
        return None
    registry = Registry(plan.units)
    roles = roles_column(placed, registry)
    lead: dict[str, list[str]] = {"zh": [], "en": []}
    responsible: list[str] = []
    known: dict[tuple[int, str | None], tuple[str, str, str]] = {}
    for (doc, m, t), role in zip(placed, roles, strict=True):
        r = m.responsibility_of(t)
        key = (id(r), doc.region)
        found = known.get(key)
        if found is None:  # the targets of a measure share its units
            zh = units_shown(r, doc.region, role.lead, registry, "zh")
            en = units_shown(r, doc.region, role.lead, registry, "en")
            found = known[key] = (
                lead_cell(zh[0], zh[2]),
                lead_cell(en[0], en[2]),
                "、".join(zh[1]),
            )
        lead["zh"].append(found[0])
        lead["en"].append(found[1])
        responsible.append(found[2])
    heading = heading_of(plan.config, plan.documents)
    distinct = {role: k for k, role in enumerate(dict.fromkeys(roles))}
    try:
        return {
            "metric": Texts.store([t.metric for _, _, t in placed]),
            "lead": {lang: Interned.store_narrow(texts) for lang, texts in lead.items()},
            "responsible": Interned.store_narrow(responsible),
            "roles": [[list(role.lead), list(role.shared)] for role in distinct],
            "roles_index": _narrow([distinct[role] for role in roles], len(distinct)),
            **{
                name: Interned.store_narrow([getattr(r, name) or "" for r in records])
                for name in _RECORD_TEXTS
            },
            "config": tuple(heading.config),
            "documents": heading.documents,
            "names": [list(pair) for pair in heading.names],
            "title": heading.title,
            "first_week": (first.year, first.week) if first is not None else None,
            "last_tracked": max(
                (d.tracked_on.toordinal() for d in plan.documents if d.tracked_on), default=0
            ),
        }
    except ValueError:  # a text the columns cannot hold (a NUL): no side file
        return None


class ColumnRows:
    """`Rows` over the snapshot's columns and its `WeekParts`, for targets judged as of the
    period's end (`judged`, every target in order): each text made as the object model's items
    make it (`document`'s functions), each distinct one once."""

    def __init__(self, snap: Snapshot, parts: WeekParts, judged: Verdicts, lang: str) -> None:
        self.snap, self.parts, self.judged, self.lang = snap, parts, judged, lang
        self.days = _Days()
        self._tasks: list[str] | None = None
        self._values: dict[tuple[float, int, str], str] = {}
        self._tails: dict[tuple[int, int, int], str] = {}
        self._isos: dict[int, str] = {}
        self._deadlines: dict[tuple[int, int], DateCell] = {}

    def ids(self, at: Sequence[int]) -> list[str]:
        return self.snap.ids.pick(list(at))

    def metrics(self, at: Sequence[int]) -> list[str]:
        return self.parts.metric.pick(list(at))

    def measures(self, at: Sequence[int]) -> list[tuple[str, str]]:
        snap = self.snap
        docs, measures = snap.doc_ids, snap.measure_ids
        target_doc, target_measure = snap.target_doc, snap.target_measure
        return [(docs[target_doc[i]], measures[target_measure[i]]) for i in at]

    def tasks(self, at: Sequence[int]) -> list[str]:
        if self._tasks is None:  # every measure's, `safe` (as `Items` makes a task)
            self._tasks = _inert(self.snap.measure_titles)
        return list(map(self._tasks.__getitem__, map(self.snap.target_measure.__getitem__, at)))

    def targets(self, at: Sequence[int]) -> list[str]:
        return _inert(self.snap.statement[self.lang].pick(list(at)))

    def leads(self, at: Sequence[int]) -> list[str]:
        return _texts(self.parts.lead[self.lang], at)

    def named_lead(self, at: Sequence[int]) -> list[bool]:
        named = [bool(role.lead) for role in self.parts.roles]
        index = self.parts.roles_index
        return [named[index[i]] for i in at]

    def responsible(self, at: Sequence[int]) -> list[str]:
        return _texts(self.parts.responsible, at)

    def deadlines(self, at: Sequence[int]) -> list[DateCell]:
        texts = self.snap.deadline_text[self.lang]
        index, distinct = texts.index, texts.distinct
        deadline, made, days = self.snap.deadline, self._deadlines, self.days
        out = []
        for i in at:
            key = (deadline[i], index[i])
            cell = made.get(key)
            if cell is None:  # as `Item.deadline` makes it (the columns hold no extension)
                cell = made[key] = DateCell(days[key[0]], safe(distinct[key[1]]))
            out.append(cell)
        return out

    def latest_texts(self, at: Sequence[int]) -> list[str]:
        latest = self.judged.latest
        return self._said([latest[i] for i in at], at, with_date=True)

    def latest_said(self, at: Sequence[int], field: str) -> list[tuple[str, DateCell]]:
        column = self.parts.said[field]
        latest, dates, days = self.judged.latest, self.snap.rec_date, self.days
        out = []
        for i in at:
            k = latest[i]
            day = days[dates[k]]
            out.append((safe(column[k]), day_cell(day)))
        return out

    def recorded_since(self, start: dt.date) -> list[int]:
        dates, first = self.snap.rec_date, start.toordinal()
        return [i for i, k in enumerate(self.judged.latest) if k >= 0 and dates[k] >= first]

    def saying(self, field: str, at: Iterable[int]) -> list[int]:
        said = self.parts.said[field]
        index, blank, latest = said.index, _blank(said), self.judged.latest
        return [i for i in at if (k := latest[i]) >= 0 and index[k] != blank]

    def records_since(self, at: Sequence[int], start: dt.date) -> list[tuple[int, dt.date, str]]:
        offsets, dates, latest = self.snap.offsets, self.snap.rec_date, self.judged.latest
        first = start.toordinal()
        found = [  # the records known by the period's end (up to the latest) dated `start` on
            (i, k) for i in at for k in range(offsets[i], latest[i] + 1) if dates[k] >= first
        ]
        targets = [i for i, _ in found]
        texts = self._said([k for _, k in found], targets, with_date=False)
        day = dt.date.fromordinal
        return [(i, day(dates[k]), text) for (i, k), text in zip(found, texts, strict=True)]

    def _said(self, records: list[int], at: Sequence[int], *, with_date: bool) -> list[str]:
        """Records `records` (-1: none, —) of the targets at `at` as `record_text` writes
        them: their value (`record_value`) and the rest (`record_tail`), each distinct value
        and each distinct rest made once; with their date when `with_date`."""
        snap, lang = self.snap, self.lang
        values, dones, dates = snap.rec_value, snap.rec_done, snap.rec_date
        said = self.parts.said
        notes, sources, bys = (said[name].index for name in ("note", "source", "by"))
        made_values, made_tails, isos = self._values, self._tails, self._isos
        out = []
        for k, unit in zip(records, snap.units.pick(list(at)), strict=True):
            if k < 0:
                out.append("—")
                continue
            key = (values[k], dones[k], unit)
            value = made_values.get(key)
            if value is None:
                x, done = key[0], key[1]
                value = made_values[key] = record_value(
                    None if x != x else x,  # NaN: no value
                    None if done < 0 else bool(done),
                    None,
                    unit or None,
                    lang,
                )
            rest = (notes[k], sources[k], bys[k])
            tail = made_tails.get(rest)
            if tail is None:
                note, source, by = (said[name][k] for name in ("note", "source", "by"))
                tail = made_tails[rest] = record_tail(note, source, by, lang)
            if with_date:
                day = isos.get(dates[k])
                if day is None:
                    day = isos[dates[k]] = dt.date.fromordinal(dates[k]).isoformat()
                out.append(f"{day} {value}{tail}")
            else:
                out.append(value + tail)
        return out


def _inert(texts: list[str]) -> list[str]:
    """`safe` of each text: the texts as they are when all are printable (one look at them
    joined: `text.inert` returns printable text as it is)."""
    return texts if "".join(texts).isprintable() else list(map(safe, texts))


def _texts(column: Interned, at: Sequence[int]) -> list[str]:
    """The texts of rows `at` of a column of repeating texts."""
    return list(map(column.distinct.raw_all_text().__getitem__, column.indices(list(at))))


def _blank(column: Interned) -> int:
    """The index of the empty text among a column's distinct ones (-1: none is empty)."""
    texts = column.distinct.raw_all_text()
    return texts.index("") if "" in texts else -1


def column_week(
    snap: Snapshot, parts: WeekParts, end: dt.date, before: dt.date, lang: str
) -> tuple[Board, Standings, ColumnRows, list[Roles]]:
    """Every target as of `end` and, as `Standings`, as of `before`, over the snapshot's columns
    alone (`judge_week`'s judgment of a tree whose targets the columns all hold, and whose
    records say nothing of when they were written down: `save_week_parts`), with the text of
    its rows (`ColumnRows`) and every target's roles (for 附件2)."""
    from ..load.snapshot import judge_days

    chosen = range(snap.n)
    now, was = judge_days(snap, chosen, (end, before))
    board = Board(
        now.status,
        now.level,
        now.completion,
        now.time_elapsed,
        now.days_left,
        now.over,
        now.never_recorded,
        _regressed(snap, now),
        snap.ids.raw_all_text(),
        len(set(snap.target_measure)),
        unique=True,  # a snapshot is made only of a tree without errors: no id twice
    )
    then = Standings(was.status, was.level, _regressed(snap, was))
    roles = list(map(parts.roles.__getitem__, parts.roles_index))
    return board, then, ColumnRows(snap, parts, now, lang), roles
