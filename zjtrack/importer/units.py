"""Stage 4, responsibility: unit lines, the document's lead rule, 由…牵头 in prose, and the name resolver."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Unit
from ..registry import Registry
from .draft import Units
from .layout import INLINE_UNITS, LABEL_AT, LABELS

_LIST_SEP = re.compile(r"[、，,；;]")
_LEAD_MARK = re.compile(r"[（(]牵头[）)]$")  # 市教育局（牵头） inside a 责任单位 list
# 牵头企业：由海东工业园区管委会选定行业龙头企业 — a rule that picks the enterprises
_RULE = re.compile(r"^由|选定|确定|遴选|指定")
# the document-wide rule that the first unit listed leads
_FIRST_LEADS = re.compile(
    r"(?:列|排)(?:在|于)?(?:第一位|首位|第一)(?:者|的|单位)?(?:为|是)牵头(?:单位|部门)"
)
_RULE_START = re.compile(
    r"[^。；\n（(]{0,30}$"
)  # the rule's words before the anchor, back to its clause
_RULE_END = re.compile(r"[^。；\n）)]{0,20}")


def parse_unit_text(text: str) -> Units:
    """牵头单位：A、B 责任单位：C，D … (one line or the inside of a parenthesis) -> Units."""
    units = Units()
    labels = list(LABEL_AT.finditer(text))
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        value = text[m.end() : end].strip().strip("，,；;。 ")
        key = LABELS[m[1]]
        if key == "lead_enterprises" and _RULE.search(value):
            units.lead_enterprise_rule = value
            continue
        names = [n.strip().rstrip("等") for n in _LIST_SEP.split(value) if n.strip()]
        if key == "responsible_units":  # 市教育局（牵头）、市财政局
            marked = [_LEAD_MARK.sub("", n) for n in names if _LEAD_MARK.search(n)]
            names = [_LEAD_MARK.sub("", n) for n in names]
            if marked:
                units.lead_units = [*(units.lead_units or []), *marked]
                names = [n for n in names if n not in marked]
        if key == "lead_units":
            units.lead_units = [*(units.lead_units or []), *names]
        else:
            getattr(units, key).extend(names)
    return units


def merge_units(into: Units, more: Units) -> None:
    if more.lead_units is not None:
        into.lead_units = [*(into.lead_units or []), *more.lead_units]
    for key in ("responsible_units", "lead_colleges", "lead_enterprises", "supporting_units"):
        getattr(into, key).extend(getattr(more, key))
    into.lead_enterprise_rule = into.lead_enterprise_rule or more.lead_enterprise_rule


def split_inline_units(text: str) -> tuple[int, Units | None]:
    """Where a paragraph's own text ends, and the units of a trailing （牵头单位：…）."""
    m = INLINE_UNITS.search(text)
    if not m:
        return len(text), None
    return m.start(), parse_unit_text(m[1])


def first_leads_rule(text: str) -> str | None:
    """The document's rule 列第一位者为牵头单位, verbatim, when it has one."""
    m = _FIRST_LEADS.search(text)
    if not m:
        return None
    before = _RULE_START.search(text[max(0, m.start() - 30) : m.start()])
    after = _RULE_END.match(text, m.end())
    return ((before[0] if before else "") + m[0] + (after[0] if after else "")).strip("（(，, ")


# 由培黎职业学院牵头 / 由张掖市…委员会负责 / 由中高职院校联合组织实施 / 由市区两级政府协调配置
_BY = re.compile(
    r"由(?P<who>[^，。；、由]{2,40}?)(?P<verb>牵头|负责|联合|共同|统筹|组织|会同|协调|根据|办理|按照)"
)
_LEADS = re.compile(
    r"(?:^|[，；])(?P<who>[^，。；由]{2,20}?)牵头(?=[，。；])"
)  # 职业院校牵头，联合…


@dataclass
class ProseLead:
    names: list[str]
    quote: str  # from 由 to the end of its clause: 由中职学校负责招生选拔
    start: int  # offsets in the paragraph
    end: int
    strong: bool  # 牵头/负责: the measure's lead when in its first sentence


def prose_leads(text: str, start: int, end: int, resolve: Resolver) -> list[ProseLead]:
    """Units made responsible in prose (由X牵头, X牵头，) that the registry knows."""
    found: list[ProseLead] = []
    for rx in (_BY, _LEADS):
        for m in rx.finditer(text, start, end):
            names = [n for n in re.split(r"[、和及与]", m["who"]) if n]
            if names and all(resolve.known(n) for n in names):
                begin = m.start("who") - (1 if rx is _BY else 0)
                stop = min(
                    (i for i in (text.find(c, m.end() - 1, end) for c in "，。；") if i >= 0),
                    default=end,
                )
                verb = m.groupdict().get("verb") or "牵头"
                found.append(
                    ProseLead(names, text[begin:stop], begin, stop, verb in ("牵头", "负责"))
                )
    return sorted(found, key=lambda p: p.start)


class Resolver:
    """Unit names -> registry units of the document's region; remembers the names it does not know."""

    def __init__(self, units: Sequence[Unit], region: str | None) -> None:
        self.registry = Registry(units)
        self.region = region
        self.unknown: dict[str, None] = {}

    def known(self, name: str) -> bool:
        return self.registry.resolve(name, self.region) is not None

    def canonical(self, name: str) -> str:
        unit = self.registry.resolve(name, self.region)
        return unit.name if unit else name

    def check(self, names: Iterable[str]) -> list[str]:
        """The names not in the registry (kept as written, noted for review)."""
        missing = [n for n in names if not self.known(n)]
        self.unknown.update(dict.fromkeys(missing))
        return missing
