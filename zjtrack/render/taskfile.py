"""A draft task file (`importer.Draft`) -> YAML text in the project's format, laid out like the
curated files: keys in a fixed order, one measure per block, quotes double-quoted, unit lists in
flow style. Scalars are written so that zjtrack's strict YAML reading gives back the same text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..importer import MISSING, Draft, DraftMeasure, DraftTarget, Units
from ..importer.unitsfile import UnitEntry
from ..text import yaml_quote

# A plain (unquoted) scalar is safe when it cannot be read as anything but this text: it does not
# start with a YAML indicator or a space, has no `: ` or ` #`, and is not a number, bool or null.
_UNSAFE = re.compile(
    r"^[-?:,\[\]{}#&*!|>'\"%@`\s]"  # starts with a YAML indicator or a space
    r"|: | #|[:\s]$"  # a mapping colon, a comment, or a trailing colon or space
    r"|[\n\r\t\"\\]"  # line breaks, tabs, quotes and backslashes need escapes
)
_TYPED = re.compile(
    r"^(?:[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|true|false|null|~|yes|no|on|off|y|n|)$", re.IGNORECASE
)
_FLOW_UNSAFE = re.compile(r"[,\[\]{}:]")  # libyaml refuses any `:` in a flow plain scalar


def scalar(text: str, *, flow: bool = False, quote: bool = False) -> str:
    """`text` as a YAML scalar: plain where that is safe, else double-quoted (JSON escapes)."""
    unsafe = (
        quote
        or _UNSAFE.search(text) is not None
        or _TYPED.match(text) is not None
        or not text.isprintable()
        or (flow and _FLOW_UNSAFE.search(text) is not None)
    )
    return yaml_quote(text) if unsafe else text


def _number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def _names(names: list[str]) -> str:
    return "[" + ", ".join(scalar(n, flow=True) for n in names) + "]"


def _units(units: Units, indent: str) -> list[str]:
    lines = []
    if units.lead_units is not None:
        lines.append(f"{indent}lead_units: {_names(units.lead_units)}")
    for key in ("responsible_units", "lead_colleges", "lead_enterprises"):
        if getattr(units, key):
            lines.append(f"{indent}{key}: {_names(getattr(units, key))}")
    if units.lead_enterprise_rule:
        lines.append(f"{indent}lead_enterprise_rule: {scalar(units.lead_enterprise_rule)}")
    if units.supporting_units:
        lines.append(f"{indent}supporting_units: {_names(units.supporting_units)}")
    if units.responsibility_quote:
        lines.append(
            f"{indent}responsibility_quote: {scalar(units.responsibility_quote, quote=True)}"
        )
    return lines


def _target(t: DraftTarget) -> list[str]:  # noqa: C901 - one branch per optional target field written
    i = "        "
    lines = [f"      - id: {t.id}"]
    if t.kind == "milestone":
        lines.append(f"{i}kind: milestone")
    lines.append(f"{i}metric: {scalar(t.metric)}")
    if t.kind == "quantity":
        lines.append(
            f"{i}comparator: {json.dumps(t.comparator) if t.comparator != 'range' else 'range'}"
        )
        if t.value is not None:
            lines.append(f"{i}value: {_number(t.value)}")
        if t.value_max is not None:
            lines.append(f"{i}value_max: {_number(t.value_max)}")
        if t.unit:
            lines.append(
                f"{i}unit: {json.dumps(t.unit, ensure_ascii=False) if t.unit == '%' else scalar(t.unit)}"
            )
        if t.maintain:
            lines.append(f"{i}maintain: true")
        if t.baseline is not None:
            lines.append(f"{i}baseline: {_number(t.baseline)}")
    if t.each:
        lines.append(f"{i}each: {scalar(t.each)}")
    if t.entities:
        lines.append(f"{i}entities: {_names(t.entities)}")
    if t.start:
        lines.append(f"{i}start: {scalar(t.start)}")
    if t.deadline:
        lines.append(f"{i}deadline: {scalar(t.deadline)}")
    if t.deadline_reason:
        lines.append(f"{i}deadline_reason: {scalar(t.deadline_reason)}")
    if t.units is not None:
        lines += _units(t.units, i)
    lines.append(f"{i}quote: {scalar(t.quote, quote=True)}")
    note = t.note
    if note:
        lines.append(f"{i}note: {scalar(note)}")
    return lines


def _measure(m: DraftMeasure) -> list[str]:
    i = "    "
    heading = f"{m.section} {m.clause}{m.title}" if m.section else f"{m.clause}{m.title}"
    lines = [
        f"  # {'-' * 66} {heading}",
        f"  - id: {m.id}",
        f"{i}clause: {scalar(m.clause)}",
        f"{i}title: {scalar(m.title)}",
    ]
    if m.section:
        lines.append(f"{i}section: {scalar(m.section)}")
    if m.kind != "task":
        lines.append(f"{i}kind: {m.kind}")
    lines += _units(m.units, i)
    if m.deadline_reason:
        lines.append(f"{i}deadline_reason: {scalar(m.deadline_reason)}")
    if m.note:
        lines.append(f"{i}note: {scalar(m.note)}")
    if not m.targets:
        lines.append(f"{i}targets: []")
        return lines
    lines.append(f"{i}targets:")
    for t in m.targets:
        lines += _target(t)
    return lines


def render(draft: Draft) -> str:
    """The task file's text."""
    d = draft.document
    lines = [
        "# 由 zjtrack import 生成的草稿，请逐项核对原文后再提交 · draft made by zjtrack import: review before committing.",
        "# 以“待核”开头的 note 是导入时的推断 · notes starting with 待核 are the importer's guesses.",
        "zjtrack: 1",
        "document:",
        f"  id: {d.id}",
    ]
    # required keys the text did not give: a visible placeholder (the note says what to fill in)
    for key, value in (("title", d.title), ("doc_number", d.doc_number), ("issuer", d.issuer)):
        lines.append(f"  {key}: {scalar(value or MISSING)}")
    lines.append(f"  issued: {d.issued.isoformat() if d.issued else 'null'}")
    for key, value in (("region", d.region), ("source", d.source)):
        if value:
            lines.append(f"  {key}: {scalar(value)}")
    if d.tracked_from:
        lines.append(
            f"  tracked_from: {d.tracked_from.isoformat()}"
            "  # 纳入跟踪日期：导入当天；截止日在此之前的周报不含本文件 · weeks closed before leave it out"
        )
    if d.note:
        lines.append(f"  note: {scalar(d.note)}")
    if draft.work_group:
        lines += ["", "work_group:", f"  name: {scalar(draft.work_group.name)}", "  members:"]
        for member in draft.work_group.members:
            lines += [
                f"    - role: {scalar(member.role)}",
                f"      name: {scalar(member.name)}",
                f"      position: {scalar(member.position)}",
            ]
    lines += ["", "measures:" if draft.measures else "measures: []"]
    for m in draft.measures:
        lines += _measure(m)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_unit_entries(entries: list[UnitEntry]) -> list[str]:
    """Registry entries as the lines of a `units:` list (two-space indent, like `zjtrack init`)."""
    lines: list[str] = []
    for e in entries:
        lines += [f"  - name: {scalar(e.name)}", f"    kind: {e.kind}"]
        if e.region:
            lines.append(f"    region: {scalar(e.region)}")
        if e.aliases:
            lines.append(f"    aliases: {_names(e.aliases)}")
        lines.append("    note: 待核：由 zjtrack import 按原文登记，请核对全称与类别")
    return lines


def render_units(entries: list[UnitEntry]) -> str:
    """A new units registry holding `entries`."""
    head = [
        "# 单位名录 · the units registry (zjtrack import 草稿：请核对全称、类别与简称)",
        "zjtrack: 1",
        "units:" if entries else "units: []",
    ]
    return "\n".join(head + render_unit_entries(entries)) + "\n"


def with_aliases(text: str, additions: Mapping[str, Sequence[str]]) -> tuple[str, list[str]]:
    """The registry `text` with `additions` ({unit name: aliases}) added to those units' entries,
    every other character as it was (line endings included): after a flow list's last item
    (`aliases: [a, b]` → `[a, b, c]`), after a block list's last item, into an empty `aliases:`,
    or as a new `aliases:` line under the entry's name; and the names of the units it could not
    edit (not found, or a shape this does not edit: the caller registers those apart)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return text, list(additions)
    units = _value(root, "units")
    if not isinstance(units, yaml.SequenceNode):
        return text, list(additions)
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: dict[str, tuple[int, str]] = {}
    for entry in units.value:
        name = _value(entry, "name")
        if not isinstance(name, yaml.ScalarNode) or name.value not in additions:
            continue
        edit = _alias_edit(text, entry, name, list(additions[name.value]), newline)
        if edit is not None and name.value not in edits:
            edits[name.value] = edit
        elif name.value in edits:  # the same unit twice: which to extend is the user's call
            edits[name.value] = (-1, "")
    for index, insert in sorted(edits.values(), reverse=True):
        if index >= 0:
            text = text[:index] + insert + text[index:]
    return text, [unit for unit in additions if edits.get(unit, (-1, ""))[0] < 0]


def _value(node: Any, key: str) -> Any:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def _alias_edit(
    text: str, entry: Any, name: Any, aliases: list[str], newline: str
) -> tuple[int, str] | None:
    import yaml

    found = next(((k, v) for k, v in entry.value if getattr(k, "value", None) == "aliases"), None)
    listed = _names(aliases)
    if found is None:  # a new line under the name, at the name's indentation
        key = next(k for k, v in entry.value if v is name)
        if name.end_mark.line != key.start_mark.line:
            return None
        indent = " " * key.start_mark.column
        return _line_end(text, name.end_mark.index), f"{newline}{indent}aliases: {listed}"
    key, node = found
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value == "":
        colon = text.find(":", key.end_mark.index)  # `aliases:` with nothing after it
        return (colon + 1, f" {listed}") if colon >= 0 else None
    if not isinstance(node, yaml.SequenceNode):
        return None
    if node.flow_style:
        joined = ", ".join(scalar(a, flow=True) for a in aliases)
        if node.value:  # right after the last item, whatever follows it (`,`, `]`, a comment)
            return node.value[-1].end_mark.index, ", " + joined
        close = node.end_mark.index - 1
        return (close, joined) if text[close] == "]" else None
    if not node.value:
        return None
    last = node.value[-1]
    begin = text.rfind("\n", 0, last.start_mark.index) + 1
    dash = text[begin : last.start_mark.index]  # the item's "    - ", as written
    if dash.strip() != "-" or last.end_mark.line != last.start_mark.line:
        return None
    added = "".join(f"{newline}{dash}{scalar(a)}" for a in aliases)
    return _line_end(text, last.end_mark.index), added


def _line_end(text: str, index: int) -> int:
    """Where the line holding `index` ends: before its line break (`\\r\\n` or `\\n`)."""
    end = text.find("\n", index)
    if end < 0:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end
