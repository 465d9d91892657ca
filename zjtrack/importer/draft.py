"""The draft: what the importer found, in the shape of a task file, and what a reviewer must confirm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

REVIEW = "待核"  # the prefix of a note that asks a human to confirm a guess
MISSING = "（原文未载明）"  # written for a required header field the text does not give
CANDIDATES = "未单列为目标"  # the words of the note that lists a measure's ongoing-work clauses

# ------------------------------------------------------------------------------------------------
# The draft: what the importer found, in the shape of a task file.
# ------------------------------------------------------------------------------------------------


@dataclass
class Units:
    """Who answers for a measure or a target, names as the document writes them."""

    lead_units: list[str] | None = None  # None: the document states no lead
    responsible_units: list[str] = field(default_factory=list)
    lead_colleges: list[str] = field(default_factory=list)
    lead_enterprises: list[str] = field(default_factory=list)
    lead_enterprise_rule: str | None = None
    supporting_units: list[str] = field(default_factory=list)
    responsibility_quote: str | None = None
    notes: list[str] = field(default_factory=list)  # what a reviewer should know about the list
    deadline_text: str | None = None  # 完成时限：2025年底前 beside the units, as written

    def names(self) -> list[str]:
        return [
            *(self.lead_units or []),
            *self.responsible_units,
            *self.lead_colleges,
            *self.lead_enterprises,
            *self.supporting_units,
        ]

    def is_empty(self) -> bool:
        """Whether it names no one (a deadline alone answers for nothing)."""
        return not self.names() and self.lead_units is None and self.lead_enterprise_rule is None


@dataclass(kw_only=True)
class Reviewed:
    """What a drafted item says to its reviewer: guesses to confirm (written as 待核) and remarks."""

    review: list[str] = field(default_factory=list)  # guesses for a human to confirm
    info: list[str] = field(default_factory=list)  # plain remarks

    @property
    def note(self) -> str | None:
        return _note(self.review, self.info)


@dataclass
class DraftTarget(Reviewed):
    id: str
    kind: str  # "quantity" or "milestone"
    metric: str
    quote: str
    comparator: str | None = None
    value: float | int | None = None
    value_max: float | int | None = None
    unit: str | None = None
    maintain: bool = False
    baseline: float | int | None = None  # the starting figure (由10%下降到5%: 10), for a ceiling
    each: str | None = None
    entities: list[str] | None = None
    start: str | None = None
    deadline: str | None = None
    deadline_date: dt.date | None = None
    deadline_reason: str | None = None
    units: Units | None = None  # overrides the measure's


@dataclass
class DraftMeasure(Reviewed):
    id: str
    clause: str
    title: str
    section: str | None = None
    kind: str = "task"
    units: Units = field(default_factory=Units)
    targets: list[DraftTarget] = field(default_factory=list)
    deadline_reason: str | None = None
    # undated milestones about ongoing work: not drafted, listed in the review note (`triage`)
    candidates: list[DraftTarget] = field(default_factory=list)


@dataclass
class DraftDocument(Reviewed):
    id: str
    title: str | None
    doc_number: str | None
    issuer: str | None
    issued: dt.date | None
    region: str | None = None
    source: str | None = None
    tracked_from: dt.date | None = None


@dataclass
class Member:
    role: str
    name: str
    position: str


@dataclass
class WorkGroup:
    name: str
    members: list[Member]


@dataclass
class Draft:
    document: DraftDocument
    measures: list[DraftMeasure]
    work_group: WorkGroup | None = None
    unknown_units: list[str] = field(default_factory=list)  # names not in the registry, as written

    def targets(self) -> list[DraftTarget]:
        return [t for m in self.measures for t in m.targets]

    def candidates(self) -> list[DraftTarget]:
        """The clauses set aside as ongoing work, listed in their measures' review notes."""
        return [t for m in self.measures for t in m.candidates]

    def review_items(self) -> list[tuple[str, str]]:
        """(where, what) for every guess a human should confirm."""
        items = [(self.document.id, r) for r in self.document.review]
        for m in self.measures:
            items += [(m.id, r) for r in m.review]
            items += [(t.id, r) for t in m.targets for r in t.review]
        return items

    def unit_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.measures:
            for u in [m.units] + [t.units for t in m.targets if t.units]:
                seen.update(dict.fromkeys(u.names()))
        return list(seen)


# what a review note is about, by the words every such note uses: (zh, en)
# (first match wins: a note quoting the document may hold another kind's word, so the notes that
# quote most come first)
_REVIEW_KINDS: tuple[tuple[str, tuple[str, str]], ...] = (
    (CANDIDATES, ("持续性工作待定", "ongoing work to decide")),
    ("原文未载明", ("文件信息缺失", "missing header fields")),
    ("地区按正文", ("地区推断", "region inferred")),
    ("单位名录中没有", ("未登记单位", "unregistered units")),
    ("单位名单", ("单位名单未列全", "open unit lists")),
    ("单位括注", ("单位归属待核", "units to confirm")),
    ("计划名称", ("数量取自计划名称", "counts from a programme's name")),
    ("牵头", ("牵头单位推断", "lead units inferred")),
    ("时限", ("时限推断", "deadlines inferred")),
    ("起算", ("时限推断", "deadlines inferred")),
    ("分别考核", ("按对象考核", "per-member targets")),
    ("政策参数", ("政策参数", "policy parameters")),
    ("指标名称", ("指标名称不完整", "incomplete metric names")),
    ("里程碑", ("整条措施记为里程碑", "whole measure as a milestone")),
)
_OTHER = ("数值判断", "number readings")


def review_kinds(notes: Iterable[str]) -> list[tuple[tuple[str, str], int]]:
    """How many review notes there are of each kind, most first."""
    counts: dict[tuple[str, str], int] = {}
    for note in notes:
        kind = next((k for word, k in _REVIEW_KINDS if word in note), _OTHER)
        counts[kind] = counts.get(kind, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


def _note(review: list[str], info: list[str]) -> str | None:
    parts = []
    if review:
        parts.append(f"{REVIEW}: " + "；".join(review))
    parts += info
    return "。".join(p.rstrip("。") for p in parts) + "。" if parts else None
