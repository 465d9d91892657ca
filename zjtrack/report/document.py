"""What every report is made of: the `Report` value, its sections, the per-target `Item`s and
the words and cells they share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, repeat
from operator import not_
from typing import NamedTuple, Protocol

from ..evaluate import (
    FINISHED,
    SUPERVISED,
    Level,
    Roles,
    Status,
    TargetResult,
    level_ranks,
    roles_of,
    status_ranks,
)
from ..model import Document, Measure, ProgressRecord, Responsibility
from ..registry import Registry
from ..table import Cell, Column, DateCell, Table, TableRows, Tag, num
from ..text import inert
from ..views import deadline_label, describe_fields, describe_target
from ..vocab import level_label, status_label, word

LIST_CAP = 10  # prose lists name at most this many targets, then say how many more


# --- the report value ---------------------------------------------------------------------------


class Section(NamedTuple):
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    annex: bool = False  # 附件: after the body (docx puts annexes on landscape pages)


class Report(NamedTuple):
    """One printable document: a weekly report, a ledger or one unit's supervision notice.
    (Values, as named tuples: `dataclasses` would cost every report's start-up its import.)"""

    kind: str  # weekly, ledger, notice
    lang: str
    title: str
    date: dt.date  # the as-of date; also the fixed timestamp of docx/xlsx files
    author: str  # the reporting unit
    issue: str | None = None  # 第124期
    meta: tuple[tuple[str, str], ...] = ()  # (label, value) header lines
    sections: tuple[Section, ...] = ()
    closing: tuple[str, ...] = ()  # signature lines at the end (notices)
    cover: bool = True  # xlsx: a first sheet with the header and the prose
    # The imprint (版记) of a printed weekly report: 报/送 lines (label, recipients), from the
    # config or its defaults (report/weekly). The 编发 line is made from the author and the date.
    distribution: tuple[tuple[str, str], ...] = ()


# --- words --------------------------------------------------------------------------------------


def day_text(day: dt.date | None, lang: str, *, year: bool = True) -> str:
    """2026年11月29日 (or 11月29日) in Chinese, ISO in English."""
    if day is None:
        return "—"
    if lang != "zh":
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


def span_text(first: dt.date, last: dt.date, lang: str) -> str:
    if lang != "zh":
        return f"{first.isoformat()} to {last.isoformat()}"
    return f"{day_text(first, lang)}至{day_text(last, lang, year=first.year != last.year)}"


def make_table(
    cols: tuple[Column, ...],
    rows: Sequence[tuple[Cell, ...]],
    empty: str,
    sheet: str,
    title: str | None = None,
) -> Table:
    """A report table from rows written in column order."""
    cells = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in cols]
    return table_of(cols, cells, empty, sheet, title)


def table_of(
    cols: tuple[Column, ...],
    cells: Sequence[Sequence[Cell]],
    empty: str,
    sheet: str,
    title: str | None = None,
) -> Table:
    """A report table from its cells a column at a time, in the columns' order (`TableRows`)."""
    return Table(sheet, cols, TableRows([c.key for c in cols], cells), None, title, empty, sheet)


def safe(text: str | None) -> str:
    """`inert` text ("" for none)."""
    return inert(text) if text else ""


def status_tag(res: TargetResult, lang: str) -> Tag:
    """A target's status as a cell (`tag_of`)."""
    return tag_of(res.status, res.never_recorded, res.over, lang)


def tag_of(status: Status, never_recorded: bool, over: bool, lang: str) -> Tag:
    """A status as a cell: a handful of distinct tags, each made once (`_TAGS`)."""
    key = (status, never_recorded, over, lang)
    tag = _TAGS.get(key)
    if tag is None:
        label = status_label(status, lang, never_recorded=never_recorded, over=over)
        tag = _TAGS[key] = Tag(status.value, label)
    return tag


def level_tag(level: Level | None, lang: str) -> Tag:
    """A warning level as a cell, each distinct one made once (`_TAGS`)."""
    key = (level, lang)
    tag = _TAGS.get(key)
    if tag is None:
        tag = _TAGS[key] = Tag(level.value if level is not None else "", level_label(level, lang))
    return tag


def level_tags(levels: Iterable[Level | None], lang: str) -> list[Tag]:
    """`level_tag` of each level: each distinct one made once, then looked up in C."""
    made = {level: level_tag(level, lang) for level in (*Level, None)}
    return list(map(made.__getitem__, levels))


# the status and level cells made so far, by what they are made of (a tag is a value: shared)
_TAGS: dict[tuple[object, ...], Tag] = {}


# --- per-target facts, computed once ------------------------------------------------------------


class Item(NamedTuple):
    """One target's result with the text every table needs (units canonical, text inert). The
    target and deadline texts are made when a table shows them: a province's report judges
    50,000 targets but lists only those that need attention."""

    order: int  # document order
    res: TargetResult
    task: str  # 五、提升职业学校关键办学能力
    lead: tuple[str, ...]  # canonical lead units (+ lead colleges and enterprises)
    responsible: tuple[str, ...]
    no_lead: str  # shown when no lead unit is named: the rule or quote that says who, or 未明确
    lang: str

    @property
    def target(self) -> str:
        """职业学校办学条件达标学校比例 ≥ 90%"""
        return safe(describe_target(describe_fields(self.res.target), self.lang))

    @property
    def deadline(self) -> DateCell:
        res = self.res
        text = safe(deadline_label(res.target, self.lang))
        if res.deadline and res.original_deadline and res.deadline != res.original_deadline:
            text += word("extended", self.lang, d=res.deadline.isoformat())
        return DateCell(res.deadline, text)

    @property
    def lead_text(self) -> str:
        return lead_cell(self.lead, self.no_lead)

    @property
    def responsible_text(self) -> str:
        return "、".join(self.responsible)


class Items:
    """The results' `Item`s by position, each made when first asked for: a province's weekly
    report judges 50,000 targets and shows a third of them, so its sections choose by the results
    and make items only for the rows they show. A measure's task text is made once, and the unit
    names of a responsibility resolved once per region (targets of a measure share them).
    `roles`, the results' `evaluate.roles_column` when the caller has it (the lead units are read
    from it)."""

    def __init__(
        self,
        results: Sequence[TargetResult],
        registry: Registry,
        lang: str,
        roles: Sequence[Roles] | None = None,
    ) -> None:
        self.results = results
        self.registry = registry
        self.lang = lang
        self.roles = roles
        self._made: list[Item | None] = [None] * len(results)
        self._units: dict[tuple[int, str | None], tuple[tuple[str, ...], tuple[str, ...], str]] = {}
        self._tasks: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._made)

    def __iter__(self) -> Iterator[Item]:
        return map(self.__getitem__, range(len(self._made)))

    def __getitem__(self, i: int) -> Item:
        made = self._made[i]
        if made is None:
            made = self._made[i] = self._make(i)
        return made

    def _make(self, i: int) -> Item:
        res = self.results[i]
        measure = res.measure
        r = measure.responsibility_of(res.target)
        region = res.document.region
        key = (id(r), region)  # targets of a measure share its responsibility: resolve names once
        found = self._units.get(key)
        if found is None:
            lead = (roles_of(res, self.registry) if self.roles is None else self.roles[i]).lead
            found = self._units[key] = units_shown(r, region, lead, self.registry, self.lang)
        task = self._tasks.get(id(measure))
        if task is None:
            task = self._tasks[id(measure)] = safe(f"{measure.clause}{measure.title}")
        # an Item made positionally: its NamedTuple constructor costs more
        return tuple.__new__(Item, (i, res, task, found[0], found[1], found[2], self.lang))


def units_shown(
    r: Responsibility,
    region: str | None,
    lead: tuple[str, ...],
    registry: Registry,
    lang: str,
) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The units an item names (`Item`): its lead units (`Roles.lead`, given), its responsible
    units but those, each made inert, and what is shown when no lead unit is named."""
    resp = tuple(
        n for n in unique(registry.canonical(r.responsible_units, region)) if n not in lead
    )
    no_lead = word("no_lead", lang)
    if r.lead_enterprise_rule or r.responsibility_quote:
        said = safe(r.lead_enterprise_rule or r.responsibility_quote)
        no_lead = f"（{said}）" if lang == "zh" else f"({said})"
    return tuple(safe(n) for n in lead), tuple(safe(n) for n in resp), no_lead


def lead_cell(lead: tuple[str, ...], no_lead: str) -> str:
    """The lead units as a cell shows them (`Item.lead_text`)."""
    return "、".join(lead) or no_lead


def items_of(
    results: Sequence[TargetResult],
    registry: Registry,
    lang: str,
    roles: Sequence[Roles] | None = None,
) -> list[Item]:
    """The results as `Item`s, in order (`Items`, every one made)."""
    return list(Items(results, registry, lang, roles))


def unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def record_value(
    value: float | None, done: bool | None, entity: str | None, unit: str | None, lang: str
) -> str:
    """What a record says, as a report shows it: `45%`, 已完成, `某学校：已完成` or — (inert)."""
    if value is not None:
        shown = f"{num(value)}{unit or ''}"
    elif done is not None:
        shown = word("done" if done else "not_done", lang)
    else:
        shown = "—"
    if entity:
        shown = f"{entity}：{shown}" if lang == "zh" else f"{entity}: {shown}"
    return safe(shown)


def record_tail(note: str | None, source: str | None, by: str | None, lang: str) -> str:
    """What follows a record's value: `；备注（来源：…；报送：…）` ("" for none)."""
    text = ("；" if lang == "zh" else "; ") + safe(note) if note else ""
    extra = []
    if source:
        extra.append(
            f"{word('source', lang)}：{safe(source)}" if lang == "zh" else f"source: {safe(source)}"
        )
    if by:
        extra.append(f"{word('by', lang)}：{safe(by)}" if lang == "zh" else f"by: {safe(by)}")
    if extra:
        text += f"（{'；'.join(extra)}）" if lang == "zh" else f" ({'; '.join(extra)})"
    return text


def record_text(rec: ProgressRecord, unit: str | None, lang: str, *, with_date: bool) -> str:
    """`2026-09-30 2个；备注（来源：…；报送：…）`: one record as a line of text (`unit`, its
    target's)."""
    text = record_value(rec.value, rec.done, rec.entity, unit, lang)
    if with_date:
        text = f"{rec.date.isoformat() if rec.date else '?'} {text}"
    return text + record_tail(rec.note, rec.source, rec.by, lang)


def latest_text(item: Item, lang: str) -> str:
    """The latest record, with how many entities meet a per-entity target."""
    res = item.res
    if res.latest is None:
        return "—"
    text = record_text(res.latest, res.target.unit, lang, with_date=True)
    if res.target.per_entity and res.entities:
        met = sum(e.met for e in res.entities)
        text += ("；" if lang == "zh" else "; ") + word(
            "entities_met", lang, m=met, n=len(res.entities)
        )
    return text


def share_of(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def columns(lang: str, *spec: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(key, word(key, lang), kind) for key, kind in spec)


def names_text(rows: Rows, at: Sequence[int], lang: str, cap: int = LIST_CAP) -> str:
    """`demo-1-3 订单班学生占在校生比例、…等12项` for prose: the targets at positions `at`."""
    sep = "、" if lang == "zh" else "; "
    shown = at[:cap]
    pairs = zip(rows.ids(shown), rows.metrics(shown), strict=True)
    text = sep.join(f"{target} {metric}" for target, metric in pairs)
    if len(at) > cap:
        text += f"等{len(at)}项" if lang == "zh" else f" and {len(at) - cap} more"
    return safe(text)


def supervised(levels: Sequence[Level | None]) -> list[int]:
    """The positions of the targets either supervision list shows (`supervision_cells`): red or
    yellow (those that need supervision, `TargetResult.needs_supervision`: `evaluate.levels_of`
    makes every overdue or behind target red or yellow, and no other), or blue. That is, those
    with a level: found in C (a level is a non-empty text, None is false)."""
    return list(compress(range(len(levels)), levels))


def supervision_order(board: Board, at: Iterable[int], *, blue: bool) -> list[int]:
    """The targets at positions `at` a supervision list shows, in its order: red and yellow
    (`TargetResult.needs_supervision`), worst first (`level_rank`, `Status.rank`), then most
    days late; or (blue=True) the blue ones, soonest due first; then in document order (by
    position). Sorted as tuples of the keys' columns (compared in C, no call per target)."""
    status, level, days_left = board.status, board.level, board.days_left
    if blue:
        chosen = [i for i in at if level[i] is Level.BLUE]
        left = [days_left[i] or 0 for i in chosen]
        return [i for _, i in sorted(zip(left, chosen, strict=True))]
    chosen = [i for i in at if status[i] in SUPERVISED]
    levels = level_ranks(map(level.__getitem__, chosen))
    ranks = status_ranks(map(status.__getitem__, chosen))
    # -(days late): `TargetResult.days_late` is minus the days left, when below zero
    late = [d if d is not None and d < 0 else 0 for d in map(days_left.__getitem__, chosen)]
    return [i for *_, i in sorted(zip(levels, ranks, late, chosen, strict=True))]


def supervision_cells(
    board: Board, rows: Rows, at: Iterable[int], lang: str, *, blue: bool
) -> list[Sequence[Cell]]:
    """The cells of the supervision list of the targets at positions `at`, a column at a time
    (`supervision_columns`): red and yellow, or (blue=True) blue ones (`supervision_order`)."""
    chosen = supervision_order(board, at, blue=blue)
    left = list(map(board.days_left.__getitem__, chosen))
    return [
        list(range(1, len(chosen) + 1)),
        rows.ids(chosen),
        rows.tasks(chosen),
        rows.targets(chosen),
        rows.leads(chosen),
        rows.responsible(chosen),
        rows.deadlines(chosen),
        left if blue else [-d if d is not None and d < 0 else None for d in left],
        list(map(board.completion.__getitem__, chosen)),
        list(map(board.time_elapsed.__getitem__, chosen)),
        board.status_tags(chosen, lang),
        level_tags(list(map(board.level.__getitem__, chosen)), lang),
        rows.latest_texts(chosen),
    ]


def supervision_columns(lang: str, *, blue: bool) -> tuple[Column, ...]:
    return columns(
        lang,
        ("no", "int"),
        ("id", "text"),
        ("task", "text"),
        ("target", "text"),
        ("lead", "text"),
        ("responsible_units", "text"),
        ("deadline", "date"),
        ("days_left" if blue else "days_late", "int"),
        ("completion", "percent"),
        ("time_elapsed", "percent"),
        ("status", "tag"),
        ("level", "tag"),
        ("latest", "long"),
    )


# --- what the tables show of their targets --------------------------------------------------------


class Board:
    """Every target's result as columns, one item per target in document order: what a
    report's tables choose, sort and count their rows by, and the numbers they show. Made from
    results judged over the object model (`of`), or over the snapshot's columns
    (`report/columns`). `measures`: how many measures the targets belong to; `unique`: that no
    target id is given twice (None: look)."""

    def __init__(
        self,
        status: list[Status],
        level: list[Level | None],
        completion: list[float | None],
        time_elapsed: list[float | None],
        days_left: list[int | None],
        over: list[bool],
        never_recorded: list[bool],
        regressed: list[bool],
        ids: list[str],
        measures: int,
        unique: bool | None = None,
    ) -> None:
        self.status, self.level, self.completion = status, level, completion
        self.time_elapsed, self.days_left, self.over = time_elapsed, days_left, over
        self.never_recorded, self.regressed = never_recorded, regressed
        self.ids, self.measures = ids, measures
        # whether no id is given twice (a tree with errors may): found when not known
        self.unique = len(set(ids)) == len(ids) if unique is None else unique
        n = len(status)
        if not n == len(level) == len(completion) == len(time_elapsed) == len(days_left):
            raise ValueError("the columns are not one item per target")
        self.finished: list[bool] = list(map(FINISHED.__contains__, status))  # in C
        # the positions of the targets not met: the sections that list work to do look at these
        self.open: list[int] = list(compress(range(len(status)), map(not_, self.finished)))

    def __len__(self) -> int:
        return len(self.status)

    @classmethod
    def of(cls, results: Sequence[TargetResult]) -> Board:
        """The board of results judged over the object model."""
        return cls(
            [r.status for r in results],
            [r.level for r in results],
            [r.completion for r in results],
            [r.time_elapsed for r in results],
            [r.days_left for r in results],
            [r.over for r in results],
            [r.never_recorded for r in results],
            [r.regressed for r in results],
            [r.target.id for r in results],
            measures_of((r.document, r.measure) for r in results),
        )

    def status_tags(self, at: Sequence[int], lang: str) -> list[Tag]:
        """The status cells of the targets at positions `at` (`status_tag`): each distinct one
        made once, then looked up in C."""
        pick = [map(c.__getitem__, at) for c in (self.status, self.never_recorded, self.over)]
        keys = list(zip(*pick, repeat(lang)))
        made = {key: tag_of(*key) for key in set(keys)}
        return list(map(made.__getitem__, keys))


def measures_of(pairs: Iterable[tuple[Document, Measure]]) -> int:
    """How many measures the targets of `pairs` (in document order) belong to: a measure's
    targets come together."""
    measures: set[tuple[str, str]] = set()
    last = None
    for doc, measure in pairs:
        if measure is not last:
            last = measure
            measures.add((doc.id, measure.id))
    return len(measures)


class Rows(Protocol):
    """The text a report's tables show of targets, a column at a time for the targets at
    positions `at` (rows are made only for what is shown); the numbers are its `Board`'s. Made
    over the object model's items (`ObjectRows`) or over the snapshot (`report/columns`)."""

    def ids(self, at: Sequence[int]) -> list[str]: ...
    def metrics(self, at: Sequence[int]) -> list[str]: ...
    def measures(self, at: Sequence[int]) -> list[tuple[str, str]]: ...  # (document, measure) ids
    def tasks(self, at: Sequence[int]) -> list[str]: ...
    def targets(self, at: Sequence[int]) -> list[str]: ...
    def leads(self, at: Sequence[int]) -> list[str]: ...  # `Item.lead_text`
    def named_lead(self, at: Sequence[int]) -> list[bool]: ...  # a lead unit is named
    def responsible(self, at: Sequence[int]) -> list[str]: ...  # `Item.responsible_text`
    def deadlines(self, at: Sequence[int]) -> list[DateCell]: ...
    def latest_texts(self, at: Sequence[int]) -> list[str]: ...  # `latest_text`
    def latest_said(self, at: Sequence[int], field: str) -> list[tuple[str, DateCell]]:
        """The latest record's `problems` or `next_steps` (`field`, made inert), and its date."""
        ...

    def records_since(self, at: Sequence[int], start: dt.date) -> list[tuple[int, dt.date, str]]:
        """The records known of the targets at positions `at` dated `start` or later, in order:
        each as its target's position, its date and its text (`record_text`, without the
        date)."""
        ...

    def recorded_since(self, start: dt.date) -> list[int]:
        """The positions of the targets whose latest record known is dated `start` or later:
        only they can have records dated from then on (a target's records are oldest
        first)."""
        ...

    def saying(self, field: str, at: Iterable[int]) -> list[int]:
        """Those of the positions `at` whose latest record says something of `field`
        (`problems` or `next_steps`)."""
        ...


class ObjectRows:
    """`Rows` of the object model's items (`Items`, or a list of `Item`s by position); `latest`,
    each one's latest record known, when the caller has them as a column (`Results.latest`)."""

    def __init__(
        self,
        items: Items | Sequence[Item],
        lang: str,
        latest: Sequence[ProgressRecord | None] | None = None,
    ) -> None:
        self.items, self.lang = items, lang
        self.latest = latest if latest is not None else [it.res.latest for it in items]

    def recorded_since(self, start: dt.date) -> list[int]:
        return [
            i
            for i, r in enumerate(self.latest)
            if r is not None and (day := r.date) is not None and day >= start
        ]

    def saying(self, field: str, at: Iterable[int]) -> list[int]:
        latest = self.latest
        return [i for i in at if (r := latest[i]) is not None and getattr(r, field)]

    def _each(self, at: Sequence[int]) -> list[Item]:
        return list(map(self.items.__getitem__, at))

    def ids(self, at: Sequence[int]) -> list[str]:
        return [it.res.target.id for it in self._each(at)]

    def metrics(self, at: Sequence[int]) -> list[str]:
        return [it.res.target.metric for it in self._each(at)]

    def measures(self, at: Sequence[int]) -> list[tuple[str, str]]:
        return [(it.res.document.id, it.res.measure.id) for it in self._each(at)]

    def tasks(self, at: Sequence[int]) -> list[str]:
        return [it.task for it in self._each(at)]

    def targets(self, at: Sequence[int]) -> list[str]:
        return [it.target for it in self._each(at)]

    def leads(self, at: Sequence[int]) -> list[str]:
        return [it.lead_text for it in self._each(at)]

    def named_lead(self, at: Sequence[int]) -> list[bool]:
        return [bool(it.lead) for it in self._each(at)]

    def responsible(self, at: Sequence[int]) -> list[str]:
        return [it.responsible_text for it in self._each(at)]

    def deadlines(self, at: Sequence[int]) -> list[DateCell]:
        return [it.deadline for it in self._each(at)]

    def latest_texts(self, at: Sequence[int]) -> list[str]:
        return [latest_text(it, self.lang) for it in self._each(at)]

    def latest_said(self, at: Sequence[int], field: str) -> list[tuple[str, DateCell]]:
        out = []
        for it in self._each(at):
            rec = it.res.latest
            assert rec is not None  # asked for the targets whose latest record says it
            out.append((safe(getattr(rec, field)), day_cell(rec.date)))
        return out

    def records_since(self, at: Sequence[int], start: dt.date) -> list[tuple[int, dt.date, str]]:
        lang = self.lang
        return [
            (i, rec.date, record_text(rec, it.res.target.unit, lang, with_date=False))
            for i, it in zip(at, self._each(at), strict=True)
            for rec in it.res.records
            if rec.date is not None and rec.date >= start
        ]


def day_cell(day: dt.date | None) -> DateCell:
    """A record's date as a cell: the date, shown as ISO (— for none)."""
    return DateCell(day, day.isoformat() if day else "—")
