"""`zjtrack show`: one measure or target in full, as plain text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ..evaluate import superseded_by
from ..model import ProgressRecord
from ..registry import Registry
from ..text import inert, width, wrap
from ..views import result_row
from .terminal import bar


def render_detail(  # noqa: C901 - one branch per optional line of the detail view
    results: list[Any],
    registry: Registry,
    lang: str,
    as_of: dt.date,
    history: Mapping[str, Sequence[ProgressRecord]] | None = None,
    width: int | None = None,
) -> str:
    """One measure or target in full. With `history` (every record, as written), corrected and
    withdrawn records are shown as such beside what replaced them; with `width`, long lines wrap
    under their label."""
    zh = lang == "zh"

    def label(z: str, e: str) -> str:
        return z if zh else e

    sep, joiner = _marks(zh)

    def paren(n: int) -> str:
        return f"（{n}）" if zh else f" ({n})"

    out: list[str] = []
    first = results[0]
    m, doc = first.measure, first.document
    out.append(
        f"{inert(doc.title)}（{inert(doc.doc_number)}）"
        if zh
        else f"{inert(doc.title)} ({inert(doc.doc_number)})"
    )
    out.append(f"{inert(m.clause)}{inert(m.title)}  [{m.id}]")
    out.append("")
    for res in results:
        row = result_row(res, registry, lang)
        t = res.target
        out.append(f"■ {t.id}  {inert(row['target'])}")
        out.append(f"  {label('原文', 'Quote')}{sep}“{inert(t.quote)}”")
        out.append(
            f"  {label('牵头单位', 'Lead units')}{sep}{inert(joiner.join(row['lead_units']) or '—')}"
        )
        if row["responsible_units"]:
            out.append(
                f"  {label('责任单位', 'Responsible')}{sep}{inert(joiner.join(row['responsible_units']))}"
            )
        if row["lead_colleges"]:
            out.append(
                f"  {label('牵头职业院校', 'Lead colleges')}{sep}{inert(joiner.join(row['lead_colleges']))}"
            )
        if row["lead_enterprise_rule"]:
            out.append(
                f"  {label('牵头企业', 'Lead enterprises')}{sep}{inert(row['lead_enterprise_rule'])}"
            )
        deadline = row["deadline_text"]
        day = row["deadline"]
        if row["deadline_in_force"] and row["deadline_in_force"] == day and day not in deadline:
            deadline += f"（{day}）" if lang == "zh" else f" ({day})"
        out.append(f"  {label('完成时限', 'Deadline')}{sep}{inert(deadline)}")
        if row["deadline_reason"]:
            out.append(
                f"  {label('时限说明', 'Deadline note')}{sep}{inert(row['deadline_reason'])}"
            )
        decided = row["deadline_decided"]
        if decided:  # the working group set it: who, when, why
            said = "；".join(x for x in (decided["by"], decided["on"], decided["reason"]) if x)
            out.append(f"  {label('专班确定', 'Set by the group')}{sep}{inert(said)}")
        for ext in t.extensions:
            when = ext.approved_on.isoformat() if ext.approved_on else "?"
            out.append(
                f"  {label('延期', 'Extension')}{sep}{inert(ext.deadline.text)} ← {inert(ext.approved_by)} {when}"
            )
        if res.extension_ignored:
            out.append(
                "  "
                + label(
                    "注意：有延期在原时限之后才批准，不予采用。",
                    "note: an extension approved after the original deadline is not applied.",
                )
            )
        status = row["status_label"] + (f" · {row['level_label']}" if row["level_label"] else "")
        out.append(
            f"  {label('状态', 'Status')}{sep}{status}   {label('统计日期', 'as of')} {as_of.isoformat()}"
        )
        out.append(
            f"  {label('完成率', 'Completion')}{sep}{bar(row['completion'])}   "
            f"{label('序时进度', 'Time elapsed')}{sep}{bar(row['time_elapsed'])}"
        )
        if res.entities:
            for e in res.entities:
                mark = "✓" if e.met else "✗"
                val = "—" if e.value is None else f"{e.value:g}{t.unit or ''}"
                out.append(f"    {mark} {inert(e.entity)}{sep}{val}")
        if t.note:
            out.append(f"  {label('说明', 'Note')}{sep}{inert(t.note)}")
        written = _written(res, history, as_of)
        if written:
            out.append(f"  {label('进展记录', 'Records')}{paren(len(written))}{sep}".rstrip())
            marks = superseded_by(written)
            for i, r in enumerate(written):
                who = f" [{inert(r.entity)}]" if r.entity else ""
                src = f" · {inert(r.source)}" if r.source else ""
                by = f" · {inert(r.by)}" if r.by else ""
                out.append(f"    {r.date}{who}  {_record_value(r, t.unit, zh)}{src}{by}")
                if i in marks:
                    out.append(f"      {_replaced(marks[i], t.unit, zh)}")
                for key, zh_label, en_label in (
                    ("note", "备注", "note"),
                    ("problems", "存在问题", "problems"),
                    ("next_steps", "下步打算", "next steps"),
                ):
                    text = getattr(r, key)
                    if text:
                        out.append(f"      {label(zh_label, en_label)}{sep}{inert(text)}")
            out.extend(_trends(res.records, zh))
        else:
            out.append(f"  {label('进展记录', 'Records')}{sep}{label('无', 'none')}")
        out.append("")
    text = "\n".join(_wrap(line, width) for line in out) if width else "\n".join(out)
    return inert(
        text
    )  # every line holds file text (a unit, a source): none of it drives a terminal


def _written(
    res: Any, history: Mapping[str, Sequence[ProgressRecord]] | None, as_of: dt.date
) -> list[ProgressRecord]:
    """The target's records as written up to the as-of date (corrections and withdrawals too), or
    without `history` the records as they stand."""
    if history is None:
        return list(res.records)
    return [r for r in history.get(res.target.id, ()) if r.date is not None and r.date <= as_of]


def _record_value(r: ProgressRecord, unit: str | None, zh: bool) -> str:
    if r.withdraws is not None:
        return (
            f"（撤回 {r.withdraws} 的记录）" if zh else f"(withdraws the record of {r.withdraws})"
        )
    if r.value is not None:
        val = f"{r.value:g}{unit or ''}"
    else:
        val = ("完成" if r.done else "未完成") if zh else ("done" if r.done else "not done")
    if r.corrects is not None:
        val += f"（更正 {r.corrects} 的记录）" if zh else f" (corrects the record of {r.corrects})"
    return val


def _replaced(by: ProgressRecord, unit: str | None, zh: bool) -> str:
    """The line under a superseded record: ~~已更正~~ → the correction, or 已撤回."""
    if by.withdraws is not None:
        return f"✗ 已撤回（第 {by.line} 行）" if zh else f"✗ withdrawn (line {by.line})"
    new = _record_value(by._replace(corrects=None), unit, zh)
    return (
        f"✗ 已更正为 {new}（第 {by.line} 行）" if zh else f"✗ corrected to {new} (line {by.line})"
    )


def _marks(zh: bool) -> tuple[str, str]:
    """A label's colon and a list's separator, as each language writes them."""
    return ("：", "、") if zh else (": ", ", ")


def _wrap(line: str, limit: int) -> str:
    """`line` wrapped at `limit` cells (`text.wrap`: as Chinese is set, an id, a date or a
    progress bar never split), continuation lines indented under its text (after the label's
    `：`, or its own indent)."""
    if width(line) <= limit:
        return line
    lead = len(line) - len(line.lstrip(" "))
    colon = line.find("：")
    if colon < 0 and ": " in line:  # an English label's colon
        colon = line.find(": ") + 1
    if colon >= 0 and width(line[: colon + 1]) < limit // 2:
        head, hang = line[: colon + 1], width(line[: colon + 1])
    else:
        head, hang = line[:lead], lead + 2
    first, *rest = wrap(line[len(head) :], limit - hang)
    return "\n".join([head + first, *(" " * hang + part for part in rest)])


def _trends(records: Sequence[ProgressRecord], zh: bool) -> list[str]:
    """A trend line per entity (a per-entity target's records are different schools, not one
    series); one unlabelled line when the records are of the target as a whole."""
    series: dict[str | None, list[float]] = {}
    for r in records:
        if r.value is not None:
            series.setdefault(r.entity, []).append(r.value)
    lines = []
    for entity, values in series.items():
        if len(values) < 2:
            continue
        name = "" if entity is None else inert(entity)
        head = (
            ("趋势" + (f"（{name}）" if name else ""))
            if zh
            else "Trend" + (f" ({name})" if name else "")
        )
        lines.append(f"  {head}{_marks(zh)[0]}{_spark(values)}")
    return lines


def _spark(values: list[float]) -> str:
    blocks = "▁▂▃▄▅▆▇█"
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    return (
        "".join(blocks[int((v - lo) / span * (len(blocks) - 1))] for v in values)
        + f"  ({values[0]:g} → {values[-1]:g})"
    )
