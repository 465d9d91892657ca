"""The task model: what a policy document asks, as plain frozen values.

Terms, each with one English name used everywhere (YAML key, field, JSON, CLI option):

- document 文件: one policy document (`Document`).
- measure 措施: a numbered clause of a document, or a section stating goals (`Measure`).
- lead unit 牵头单位 (`lead_units`); responsible unit 责任单位 (`responsible_units`);
  lead college 牵头职业院校 (`lead_colleges`); lead enterprise 牵头企业 (`lead_enterprises`,
  or the rule that picks them, `lead_enterprise_rule`); supporting unit 配合单位 (`supporting_units`).
- target 目标: one checkable outcome of a measure, a quantity or a milestone (`Target`).
- deadline 完成时限 (`deadline`), kept as written and as a date (`When`).
- progress record 进展 (`ProgressRecord`).
- work group 工作专班 (`WorkGroup`).

No I/O, no clock, no printing here: every object is built by the loader and read by the checks,
the evaluator and the renderers.

The values are named tuples rather than dataclasses: a province's tree holds over a million of
them, and a tuple is built in C, so the parse cache restores one about three times faster
(benchmarks/run.py). They are immutable, compared by value, and read by attribute like any record.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable
from operator import attrgetter
from typing import NamedTuple


class Pos(NamedTuple):
    """Where a value was written: file path, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path


class Comparator(str, enum.Enum):
    """How a quantity target's value is compared with what is achieved."""

    AT_LEAST = ">="  # 以上, 不少于, 达到, 至少
    MORE_THAN = ">"  # 超过
    AT_MOST = "<="  # 不超过, 以内
    LESS_THAN = "<"  # 低于
    EXACTLY = "="  # a bare number: 建设1个
    APPROX = "approx"  # 约, 左右
    RANGE = "range"  # 6—8个, 1-2个


class TargetKind(str, enum.Enum):
    QUANTITY = "quantity"
    MILESTONE = "milestone"


class MeasureKind(str, enum.Enum):
    TASK = "task"
    GOALS = "goals"  # 总体要求, 主要目标
    SAFEGUARDS = "safeguards"  # 保障措施


class UnitKind(str, enum.Enum):
    DEPARTMENT = "department"  # 政府部门
    GOVERNMENT = "government"  # 人民政府
    PARTY = "party"  # 党委及其部门
    COMMITTEE = "committee"  # 委员会、领导小组、管委会
    COLLEGE = "college"  # 高职院校
    SCHOOL = "school"  # 中职学校
    ENTERPRISE = "enterprise"
    COLLECTIVE = "collective"  # 各县区人民政府: a set of units
    OTHER = "other"


class When(NamedTuple):
    """A date as the document writes it (`2025年底`) and the date it means (None if unparsable)."""

    text: str
    date: dt.date | None
    pos: Pos


class Name(NamedTuple):
    """A unit name as written in a task file, with its place (for precise reference errors)."""

    text: str
    pos: Pos


class Unit(NamedTuple):
    name: str
    kind: UnitKind
    region: str | None
    aliases: tuple[str, ...]
    members: tuple[Name, ...]  # a collective's members, as written, with their places
    note: str | None
    pos: Pos


class Member(NamedTuple):
    """One member of a work group (工作专班)."""

    role: str
    name: str
    position: str


class WorkGroup(NamedTuple):
    name: str
    members: tuple[Member, ...]


class Responsibility(NamedTuple):
    """Who answers for a measure or a target."""

    lead_units: tuple[Name, ...] = ()
    responsible_units: tuple[Name, ...] = ()
    lead_colleges: tuple[Name, ...] = ()
    lead_enterprises: tuple[Name, ...] = ()
    lead_enterprise_rule: str | None = None
    supporting_units: tuple[Name, ...] = ()
    responsibility_quote: str | None = None

    def names(self) -> tuple[Name, ...]:
        return (
            self.lead_units
            + self.responsible_units
            + self.lead_colleges
            + self.lead_enterprises
            + self.supporting_units
        )


class Extension(NamedTuple):
    """An approved extension (延期) of a target's deadline."""

    deadline: When
    approved_by: str  # the approving document or body
    approved_on: dt.date | None
    note: str | None = None


class Decision(NamedTuple):
    """A working group's own decision about a target (工作专班确定), kept in a file of its own
    beside the document's faithful encoding: a deadline (and start) where the document gives
    none (年度分解), or the set of entities a per-entity target is judged over where the document
    names none. Who decided and when are part of it."""

    target: str
    deadline: When | None  # a deadline decision
    start: When | None
    members: tuple[str, ...] | None  # an entity-set decision
    reason: str | None
    decided_by: str
    decided_on: dt.date | None
    note: str | None
    pos: Pos

    @property
    def what(self) -> str:
        return "deadline" if self.deadline is not None else "entities"


class Target(NamedTuple):
    """One checkable outcome. A quantity has a comparator and a value; a milestone is done or not."""

    id: str
    kind: TargetKind
    metric: str
    quote: str
    comparator: Comparator | None = None
    value: float | None = None
    value_max: float | None = None  # range: the upper bound
    tolerance: float | None = None  # approx: allowed deviation; None = document gave none
    unit: str | None = None
    baseline: float | None = None
    maintain: bool = False  # 保持: met only while every recorded value meets it
    each: str | None = None  # the set it applies to each member of, as written (每个中职学校)
    entities: tuple[str, ...] | None = None  # that set's members, when the document names them
    start: When | None = None
    deadline: When | None = None
    deadline_reason: str | None = None
    responsibility: Responsibility | None = None  # overrides the measure's when set
    extensions: tuple[Extension, ...] = ()
    note: str | None = None
    pos: Pos = Pos("")
    decisions: tuple[Decision, ...] = ()  # the working group's, applied (the loader applies them)
    # keys written but not readable (the reader reported why): no check that needs them runs
    unread: tuple[str, ...] = ()

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def per_entity(self) -> bool:
        return self.each is not None


class Measure(NamedTuple):
    id: str
    clause: str
    title: str
    kind: MeasureKind
    section: str | None
    responsibility: Responsibility
    lead_units_given: bool  # False when the file leaves lead_units out altogether
    targets: tuple[Target, ...]
    deadline_reason: str | None
    note: str | None
    pos: Pos
    unread: tuple[str, ...] = ()  # keys missing or not readable (reported): not judged again

    def responsibility_of(self, target: Target) -> Responsibility:
        return target.responsibility or self.responsibility


class Document(NamedTuple):
    id: str
    title: str
    doc_number: str
    issuer: str
    issued: dt.date | None
    region: str | None
    source: str | None
    note: str | None
    work_group: WorkGroup | None
    measures: tuple[Measure, ...]
    pos: Pos
    # 纳入跟踪: the day the working group began tracking it (its `date`; where it is written);
    # a weekly report of a week that closed before leaves the document out (`Plan.tracked_by`).
    # None: tracked all along.
    tracked_from: When | None = None

    @property
    def tracked_on(self) -> dt.date | None:
        """The day tracking began (`tracked_from`), None when the file does not say."""
        return self.tracked_from.date if self.tracked_from is not None else None

    def targets(self) -> list[tuple[Measure, Target]]:
        return [(m, t) for m in self.measures for t in m.targets]


class ProgressRecord(NamedTuple):
    """进展: where a target stood on a date, as a unit reported it."""

    target: str
    date: dt.date | None
    value: float | None = None  # quantity targets
    done: bool | None = None  # milestones
    entity: str | None = None  # per-entity targets: whose value this is
    source: str | None = None  # report, document number or link
    by: str | None = None  # who reported it
    note: str | None = None
    problems: str | None = None  # 存在问题
    next_steps: str | None = None  # 下步打算
    # A record that supersedes an earlier one of the same target (and entity): `corrects` gives
    # the value it should have had, `withdraws` takes it back. The reference is the earlier
    # record's date, `2026-11-20`, or date and line in its file, `2026-11-20:57` (evaluate.supersede).
    corrects: str | None = None
    withdraws: str | None = None
    # When it was written down (a date or a datetime); None counts as recorded on its `date`. A
    # report for a past week uses only what was recorded by that week's cut-off.
    recorded_at: dt.date | None = None
    # Where it was written, kept flat rather than as a Pos: a province has 100,000 records, and
    # one object fewer each is a tenth of the cache's restore time.
    path: str = ""
    line: int = 0
    column: int = 0

    @property
    def pos(self) -> Pos:
        return Pos(self.path, self.line, self.column)

    @property
    def recorded_on(self) -> dt.date | None:
        """The day it was recorded: `recorded_at`'s day, else the date it describes."""
        r = self.recorded_at
        if r is None:
            return self.date
        return r.date() if isinstance(r, dt.datetime) else r


class Config(NamedTuple):
    """Thresholds and report settings (tasks/config.yaml); every value has a sensible default."""

    due_soon_days: int = 30  # 蓝: due within this many days
    yellow_gap: float = 10.0  # 黄: progress this many points behind 序时进度
    red_gap: float = 30.0  # 红: this far behind (overdue is always red)
    stale_days: int = 30  # no record newer than this: stale
    approx_tolerance: float = 0.1  # approx targets without a stated tolerance: ±10% of the value
    report_title: str | None = None  # None: from the documents tracked (report/weeks.default_title)
    reporting_unit: str = "工作专班办公室"
    first_week: str | None = None  # ISO week of issue 第1期, e.g. 2026-W01
    reply_days: int = 7  # 督办单: the reply is due this many days after the notice (反馈时限)
    cutoff_weekday: int = 6  # the weekday a reporting week closes on (0 Monday … 6 Sunday)
    report_to: str | None = None  # 周报 版记 报：the leadership it is reported to (None: default)
    send_to: str | None = None  # 周报 版记 送：the units it is sent to (None: default)
    reporting_period: str = "weekly"  # units' returns (报送表): "weekly" or "monthly"
    returns_due_days: int = 0  # a period's returns are due this many days after it closes
    form_password: str | None = (
        None  # 报送表: sheet protection password (None: protected without one)
    )


History = dict[str, tuple[ProgressRecord, ...]]  # target id -> its dated records, oldest first


class Plan(NamedTuple):
    """Everything loaded from a task tree: documents, units registry, progress records, config."""

    documents: tuple[Document, ...] = ()
    units: tuple[Unit, ...] = ()
    records: tuple[ProgressRecord, ...] = ()
    config: Config = Config()
    # `records` grouped by target (`history_of`), as the loader merges each file's cached
    # grouping; None when the plan was built by hand (the evaluator then groups `records`).
    history: History | None = None
    decisions: tuple[Decision, ...] = ()  # every decision read, applied to its target or not

    def all_targets(self) -> list[tuple[Document, Measure, Target]]:
        return [(d, m, t) for d in self.documents for m in d.measures for t in m.targets]

    def histories(self) -> History:
        return self.history if self.history is not None else history_of(self.records)

    def says_when_recorded(self) -> bool:
        """Whether some record says when it was written down (`recorded_at`): only then can a
        record be found filed late (补报)."""
        return any(r.recorded_at is not None for r in self.records)

    def limited_to(self, documents: tuple[Document, ...]) -> Plan:
        """The plan with only these documents (or parts of them), and only their targets' records."""
        targets = {t.id for d in documents for m in d.measures for t in m.targets}
        history = {k: v for k, v in self.histories().items() if k in targets}
        records = tuple(r for r in self.records if r.target in targets)
        return self._replace(documents=documents, records=records, history=history)

    def tracked_by(self, day: dt.date) -> Plan:
        """The plan as the working group tracked it on `day`: without the documents it began
        tracking after (`Document.tracked_from`), so a past week's report stays as issued when a
        document is imported later. The plan itself when every document was tracked by then."""
        kept = tuple(d for d in self.documents if d.tracked_on is None or d.tracked_on <= day)
        return self if len(kept) == len(self.documents) else self.limited_to(kept)


record_date = attrgetter("date")  # the sort key of progress records


def history_of(records: Iterable[ProgressRecord]) -> History:
    """Records grouped by target, each group oldest first; equal dates keep their written order.
    Records without a date are left out: no as-of date can judge them."""
    groups: defaultdict[str, list[ProgressRecord]] = defaultdict(list)
    for r in records:
        if r.date is not None:
            groups[r.target].append(r)
    return {target: tuple(sorted(g, key=record_date)) for target, g in groups.items()}


def merge_histories(parts: Iterable[History]) -> History:
    """Histories of several files as one, as `history_of` would give for their records in order."""
    merged: History = {}
    for part in parts:
        if merged.keys().isdisjoint(part):  # the usual case: a target's records are in one file
            merged.update(part)
            continue
        for target, records in part.items():
            before = merged.get(target)
            merged[target] = (
                records if before is None else tuple(sorted(before + records, key=record_date))
            )
    return merged
