"""The units a draft names that its registry does not know -> registry entries to add.

Pure: names in, entries out. Written forms of one body are one entry: the longest (full) form is
the canonical name and the others are its aliases (市发改委 and 市发展改革委 are aliases of
市发展和改革委员会). In a city's document a 市… name, or a collective such as 各县区人民政府, is registered under
the city's full name (广州市教育局, alias 市教育局), as the shipped registry does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Unit
from ..registry import Registry


@dataclass
class UnitEntry:
    name: str
    kind: str
    region: str | None = None
    aliases: list[str] = field(default_factory=list)


_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("collective", re.compile(r"^[各等]|成员单位|有关部门|有关单位")),
    ("government", re.compile(r"政府$|管委会$")),
    (
        "party",
        re.compile(
            r"^中共|党委|^团[省市区县]委|[省市区县]委(?:组织部|宣传部|统战部|政法委|办公室)|纪委"
        ),
    ),
    ("college", re.compile(r"学院$|大学$")),
    ("school", re.compile(r"学校$|中学$|小学$")),
    ("enterprise", re.compile(r"公司$|集团$|企业$")),
    ("department", re.compile(r"[部委局厅署办院会行处室站所队]$|中心$|总局$")),
)
_JOINERS = set("和与及")


def unit_kind(name: str) -> str:
    """A guess at the unit's kind from its name (the reviewer may correct it)."""
    return next((kind for kind, rx in _KINDS if rx.search(name)), "other")


# the body a unit belongs to, right after its place (市委办公厅, 广州市人大常委会办公厅, 县政协…):
# units of different bodies are different units, however their characters line up. Full and short
# forms of one body (人民政府 / 政府, 纪律检查委员会 / 纪委, 人民代表大会常务委员会 / 人大常委会) are one.
_BODY_FORMS = (
    ("人民代表大会常务委员会", "人大"),
    ("人民代表大会", "人大"),
    ("人大常委会", "人大"),
    ("纪律检查委员会", "纪委"),
    ("人民政府", "政府"),
    ("政治协商会议", "政协"),
)
_ORGAN = re.compile(r"[市区县省州盟旗](人大|政协|纪委|政府|委(?!员))")


def _organ(name: str) -> str:
    for full, short in _BODY_FORMS:
        name = name.replace(full, short)
    m = _ORGAN.search(name, 0, 12)  # right after the place, which comes first
    return m[1] if m else ""


def abbreviates(short: str, full: str) -> bool:
    """`short` is a shortened form of `full`: 市发改委 / 市发展改革委 of 市发展和改革委员会, 市人社局
    of 市人力资源和社会保障局. Not a sub-unit: 市公安局 does not abbreviate 市公安消防局."""
    if len(short) >= len(full) or short[0] != full[0] or short[-1] not in full[-3:]:
        return False
    # 市委办公厅 is the party's, 市人大常委会办公厅 the congress's: never one unit's forms
    if _organ(short) != _organ(full):
        return False
    it = iter(full)
    if not all(ch in it for ch in short):  # a subsequence, in order
        return False
    # the same text with one run inserted before the last character is a different body
    for cut in range(1, len(short)):
        head, tail = short[:cut], short[cut:]
        if full.startswith(head) and full.endswith(tail):
            inserted = full[len(head) : len(full) - len(tail)]
            if not set(inserted) <= _JOINERS:
                return False
    return True


def new_units(
    names: Iterable[str], existing: Sequence[Unit], region: str | None
) -> list[UnitEntry]:
    """Entries for the names `existing` does not resolve, in the order first named."""
    registry = Registry(existing)
    unknown = [n for n in dict.fromkeys(names) if registry.resolve(n, region) is None]
    by_length = sorted(unknown, key=len, reverse=True)
    full_of: dict[str, str] = {}
    for name in by_length:
        full = next((f for f in by_length if f in full_of.values() and abbreviates(name, f)), None)
        full_of[name] = full or name
    entries: dict[str, UnitEntry] = {}
    for name in unknown:
        full = full_of[name]
        entry = entries.get(full)
        if entry is None:
            entry = entries[full] = _entry(full, region)
        if name != entry.name and name not in entry.aliases:
            entry.aliases.append(name)
    return list(entries.values())


def short_forms(
    names: Iterable[str], existing: Sequence[Unit], region: str | None
) -> dict[str, list[str]]:
    """The names `existing` does not resolve that are short forms of one registered unit of
    `region` (or of none): {that unit's name: the names, in the order first named}. 市人社局 of
    海东市人力资源和社会保障局 (alias 市人力资源和社会保障局) in a 海东市 document: an alias to add
    to that entry, never a second unit for one body. A name two units could be short for is
    left out (a new entry, for the reviewer)."""
    registry = Registry(existing)
    forms = [
        (u.name, form)
        for u in existing
        if u.region is None or u.region == region
        for form in _written_forms(u, region)
    ]
    out: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        if registry.resolve(name, region) is not None:
            continue
        owners = {owner for owner, form in forms if abbreviates(name, form)}
        if len(owners) == 1:
            out.setdefault(owners.pop(), []).append(name)
    return out


def _written_forms(unit: Unit, region: str | None) -> list[str]:
    """How a document of `region` may write the unit in full: its name, its aliases, and its
    name without the city (海东市教育局 as 市教育局)."""
    forms = [unit.name, *unit.aliases]
    if region and region.endswith("市") and unit.name.startswith(region):
        forms.append("市" + unit.name[len(region) :])
    return forms


def _entry(written: str, region: str | None) -> UnitEntry:
    """The entry of a unit as written in a document of `region`. A registered name means its
    unit in every region (`Registry.resolve`), so a name that says only "the city's" is
    registered under the city's full name, the written form its alias of that region:
    市教育局 -> 广州市教育局, 各县区人民政府 -> 广州市各县区人民政府. Registered as written, it
    would take over the same words in every other city's documents."""
    kind = unit_kind(written)
    if region and region.endswith("市") and written.startswith("市"):
        return UnitEntry(region + written[1:], kind, region, [written])
    if region and kind == "collective" and not written.startswith(region.rstrip("市县区")):
        return UnitEntry(region + written, kind, region, [written])
    return UnitEntry(written, kind, region)
