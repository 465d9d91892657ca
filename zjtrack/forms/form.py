"""What one unit's form (报送表) for one period holds: its rows, the columns the unit fills, the
locked content and the checksum that lets a returned file be recognised and verified.

The columns are named once here; `write` lays them out and `read` reads them back by the same
names, so the two cannot drift apart. The header row names the target id 编号, the entity 对象
and the value 本期数值, so that other tools can fill a form too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import NamedTuple

from ..evaluate import TargetResult, roles_of
from ..model import TargetKind
from ..registry import Registry
from ..table import num
from ..views import result_row
from .period import Period

FORMAT = 1  # the form's own version, written into it

SHEET = "报送表"
GUIDE = "填表说明"
META = "zjtrack"  # the hidden sheet

# (key, header) of every column, in order; the first LOCKED ones are the working group's.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("target", "编号"),
    ("entity", "对象"),
    ("statement", "任务目标"),
    ("role", "职责"),
    ("deadline", "完成时限"),
    ("latest", "最新进展"),
    ("status", "当前状态"),
    ("value", "本期数值"),
    ("date", "数据日期"),
    ("source", "来源或依据"),
    ("problems", "存在问题"),
    ("next_steps", "下步打算"),
    ("contact", "联系人"),
)
LOCKED = 7
KEYS = tuple(k for k, _ in COLUMNS)
HEADERS = tuple(h for _, h in COLUMNS)
TEXT_LIMIT = 2000  # characters in one filled text cell (a 1 MB cell is refused, not recorded)


class FormRow(NamedTuple):
    """One row to fill: a target (and entity, for per-entity targets) with what is known of it."""

    target: str
    entity: str | None
    document: str
    kind: str  # "number", "percent" or "done"
    role: str  # 牵头 or 配合
    statement: str
    deadline: str
    latest: str
    status: str

    def locked(self) -> tuple[str, ...]:
        """The row's locked cells as text, in column order."""
        return (
            self.target,
            self.entity or "",
            self.statement,
            self.role,
            self.deadline,
            self.latest,
            self.status,
        )


class Form(NamedTuple):
    """One unit's form for one period."""

    unit: str
    period: Period
    rows: tuple[FormRow, ...]

    @property
    def checksum(self) -> str:
        return checksum(self.unit, self.period.label, [r.locked() for r in self.rows])

    @property
    def form_id(self) -> str:
        """Stable for the same unit, period and rows: a form written twice has one id."""
        return self.checksum[:16]


def checksum(unit: str, period: str, locked: Sequence[Sequence[str]]) -> str:
    """SHA-256 over the unit, the period, the header and every locked cell."""
    text = json.dumps(
        [FORMAT, unit, period, HEADERS, [list(r) for r in locked]], ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _kind(res: TargetResult) -> str:
    if res.target.kind is TargetKind.MILESTONE:
        return "done"
    return "percent" if res.target.is_percent else "number"


def _rows(res: TargetResult, role: str, registry: Registry) -> list[FormRow]:
    row = result_row(res, registry, "zh")
    entities: tuple[str | None, ...] = (None,)
    if res.target.per_entity:
        entities = tuple(res.target.entities or ())  # an unlisted set cannot be reported into
    latest = {e.entity: e for e in res.entities}
    out = []
    for entity in entities:
        shown = str(row["latest_text"])
        if entity is not None:
            known = latest.get(entity)
            value = None if known is None else known.value
            # written as the target's own latest text writes a value: with its unit
            shown = "—" if value is None else f"{num(value)}{res.target.unit or ''}"
        out.append(
            FormRow(
                res.target.id,
                entity,
                res.document.id,
                _kind(res),
                role,
                str(row["target"]),
                str(row["deadline_text"]),
                shown,
                str(row["status_label"]),
            )
        )
    return out


def unlisted(results: Sequence[TargetResult]) -> list[str]:
    """The targets `build_forms` puts on no form although they are to be reported: judged per
    entity (各…) with no entity listed, so no row can be made for them (`record` refuses them
    as `entities-undeclared` too). `form` names them instead of leaving them out silently."""
    return [
        res.target.id
        for res in results
        if res.target.per_entity and not res.target.entities and _asked(res)
    ]


def _asked(res: TargetResult) -> bool:
    """Whether a form asks for the target: not finished for good (a maintained target is
    reported until its deadline)."""
    return not (res.status.finished and not res.target.maintain)


def build_forms(
    results: Sequence[TargetResult], registry: Registry, period: Period
) -> dict[str, Form]:
    """Every unit's form, by canonical unit name: the targets it leads (first) or shares, except
    those already finished for good (a maintained target is reported until its deadline)."""
    lead: dict[str, list[FormRow]] = {}
    shared: dict[str, list[FormRow]] = {}
    for res in results:
        if not _asked(res):
            continue
        roles = roles_of(res, registry)
        for name in roles.lead:
            lead.setdefault(name, []).extend(_rows(res, "牵头", registry))
        for name in roles.shared:
            shared.setdefault(name, []).extend(_rows(res, "配合", registry))
    names = sorted(lead.keys() | shared.keys())
    return {
        n: Form(n, period, tuple(lead.get(n, []) + shared.get(n, [])))
        for n in names
        if lead.get(n) or shared.get(n)
    }
