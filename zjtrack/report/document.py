"""What every report is made of: the `Report` value, its sections, the per-target `Item`s and
the words and cells they share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..evaluate import SUPERVISED, Level, Roles, Status, TargetResult, level_rank, roles_of
from ..model import ProgressRecord, Target
from ..registry import Registry
from ..table import Cell, Column, DateCell, Table, Tag, num
from ..text import inert
from ..views import deadline_label, describe_fields, describe_target
from ..vocab import level_label, status_label, word

LIST_CAP = 10  # prose lists name at most this many targets, then say how many more


# --- the report value ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    annex: bool = False  # 附件: after the body (docx puts annexes on landscape pages)


@dataclass(frozen=True)
class Report:
    """One printable document: a weekly report, a ledger or one unit's supervision notice."""

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
    keys = [c.key for c in cols]
    return Table(
        sheet, cols, [dict(zip(keys, row, strict=True)) for row in rows], None, title, empty, sheet
    )


def safe(text: str | None) -> str:
    """`inert` text ("" for none)."""
    return inert(text) if text else ""


def status_tag(res: TargetResult, lang: str) -> Tag:
    """A target's status as a cell: a handful of distinct tags, each made once (`_TAGS`)."""
    key = (res.status, res.never_recorded, res.over, lang)
    tag = _TAGS.get(key)
    if tag is None:
        status = res.status
        label = status_label(status, lang, never_recorded=res.never_recorded, over=res.over)
        tag = _TAGS[key] = Tag(status.value, label)
    return tag


def level_tag(level: Level | None, lang: str) -> Tag:
    """A warning level as a cell, each distinct one made once (`_TAGS`)."""
    key = (level, lang)
    tag = _TAGS.get(key)
    if tag is None:
        tag = _TAGS[key] = Tag(level.value if level is not None else "", level_label(level, lang))
    return tag


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
        return "、".join(self.lead) or self.no_lead

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
            lang, registry = self.lang, self.registry
            lead = (roles_of(res, registry) if self.roles is None else self.roles[i]).lead
            resp = tuple(
                n for n in unique(registry.canonical(r.responsible_units, region)) if n not in lead
            )
            no_lead = word("no_lead", lang)
            if r.lead_enterprise_rule or r.responsibility_quote:
                said = safe(r.lead_enterprise_rule or r.responsibility_quote)
                no_lead = f"（{said}）" if lang == "zh" else f"({said})"
            found = self._units[key] = (
                tuple(safe(n) for n in lead),
                tuple(safe(n) for n in resp),
                no_lead,
            )
        task = self._tasks.get(id(measure))
        if task is None:
            task = self._tasks[id(measure)] = safe(f"{measure.clause}{measure.title}")
        # an Item made positionally: its NamedTuple constructor costs more
        return tuple.__new__(Item, (i, res, task, found[0], found[1], found[2], self.lang))


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


def record_value(rec: ProgressRecord, target: Target, lang: str) -> str:
    if rec.value is not None:
        shown = f"{num(rec.value)}{target.unit or ''}"
    elif rec.done is not None:
        shown = word("done" if rec.done else "not_done", lang)
    else:
        shown = "—"
    if rec.entity:
        shown = f"{rec.entity}：{shown}" if lang == "zh" else f"{rec.entity}: {shown}"
    return safe(shown)


def record_text(rec: ProgressRecord, target: Target, lang: str, *, with_date: bool) -> str:
    """`2026-09-30 2个；备注（来源：…；报送：…）`: one record as a line of text."""
    text = record_value(rec, target, lang)
    if with_date:
        text = f"{rec.date.isoformat() if rec.date else '?'} {text}"
    if rec.note:
        text += ("；" if lang == "zh" else "; ") + safe(rec.note)
    extra = []
    if rec.source:
        extra.append(
            f"{word('source', lang)}：{safe(rec.source)}"
            if lang == "zh"
            else f"source: {safe(rec.source)}"
        )
    if rec.by:
        extra.append(
            f"{word('by', lang)}：{safe(rec.by)}" if lang == "zh" else f"by: {safe(rec.by)}"
        )
    if extra:
        text += f"（{'；'.join(extra)}）" if lang == "zh" else f" ({'; '.join(extra)})"
    return text


def latest_text(item: Item, lang: str) -> str:
    """The latest record, with how many entities meet a per-entity target."""
    res = item.res
    if res.latest is None:
        return "—"
    text = record_text(res.latest, res.target, lang, with_date=True)
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


def names_text(items: Sequence[Item], lang: str, cap: int = LIST_CAP) -> str:
    """`demo-1-3 订单班学生占在校生比例、…等12项` for prose."""
    sep = "、" if lang == "zh" else "; "
    shown = sep.join(f"{i.res.target.id} {i.res.target.metric}" for i in items[:cap])
    if len(items) > cap:
        shown += f"等{len(items)}项" if lang == "zh" else f" and {len(items) - cap} more"
    return safe(shown)


def supervised(status: Status, level: Level | None) -> bool:
    """Whether either supervision list shows a target of this status and level
    (`supervision_rows`): red or yellow (it needs supervision, `TargetResult.needs_supervision`),
    or blue."""
    return status in SUPERVISED or level is Level.BLUE


def supervision_rows(
    items: Iterable[Item], lang: str, *, blue: bool, role_of: dict[int, str] | None = None
) -> list[tuple[Cell, ...]]:
    """Rows of the supervision list: red and yellow items, or (blue=True) blue ones."""
    if blue:
        chosen = sorted(
            (it for it in items if it.res.level is Level.BLUE),
            key=lambda it: (it.res.days_left if it.res.days_left is not None else 0, it.order),
        )
    else:
        chosen = sorted(
            (it for it in items if it.res.needs_supervision),
            key=lambda it: (
                level_rank(it.res.level),
                it.res.status.rank,
                -(it.res.days_late or 0),
                it.order,
            ),
        )
    rows: list[tuple[Cell, ...]] = []
    add = rows.append
    for n, it in enumerate(chosen, 1):
        res = it.res
        add(
            (
                n,
                res.target.id,
                it.task,
                it.target,
                it.lead_text,
                it.responsible_text if role_of is None else role_of.get(it.order, ""),
                it.deadline,
                res.days_left if blue else res.days_late,
                res.completion,
                res.time_elapsed,
                status_tag(res, lang),
                level_tag(res.level, lang),
                latest_text(it, lang),
            )
        )
    return rows


def supervision_columns(lang: str, *, blue: bool, role: bool = False) -> tuple[Column, ...]:
    spec: list[tuple[str, str]] = [
        ("no", "int"),
        ("id", "text"),
        ("task", "text"),
        ("target", "text"),
        ("lead", "text"),
        ("role", "text") if role else ("responsible_units", "text"),
    ]
    spec += [
        ("deadline", "date"),
        ("days_left" if blue else "days_late", "int"),
        ("completion", "percent"),
        ("time_elapsed", "percent"),
        ("status", "tag"),
        ("level", "tag"),
        ("latest", "long"),
    ]
    return columns(lang, *spec)
