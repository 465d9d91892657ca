"""`zjtrack show`: one measure or target in full, as plain text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..registry import Registry
from ..text import inert
from ..views import result_row
from .terminal import bar


def render_detail(results: list[Any], registry: Registry, lang: str, as_of: dt.date) -> str:  # noqa: C901 - one branch per optional line of the detail view
    zh = lang == "zh"

    def label(z: str, e: str) -> str:
        return z if zh else e

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
        out.append(f"  {label('原文', 'Quote')}：“{inert(t.quote)}”")
        out.append(
            f"  {label('牵头单位', 'Lead units')}：{inert('、'.join(row['lead_units']) or '—')}"
        )
        if row["responsible_units"]:
            out.append(
                f"  {label('责任单位', 'Responsible')}：{inert('、'.join(row['responsible_units']))}"
            )
        if row["lead_colleges"]:
            out.append(
                f"  {label('牵头职业院校', 'Lead colleges')}：{inert('、'.join(row['lead_colleges']))}"
            )
        if row["lead_enterprise_rule"]:
            out.append(
                f"  {label('牵头企业', 'Lead enterprises')}：{inert(row['lead_enterprise_rule'])}"
            )
        deadline = row["deadline_text"]
        if row["deadline_in_force"] and row["deadline_in_force"] == row["deadline"]:
            deadline += f"（{row['deadline']}）"
        out.append(f"  {label('完成时限', 'Deadline')}：{inert(deadline)}")
        if row["deadline_reason"]:
            out.append(f"  {label('时限说明', 'Deadline note')}：{inert(row['deadline_reason'])}")
        decided = row["deadline_decided"]
        if decided:  # the working group set it: who, when, why
            said = "；".join(x for x in (decided["by"], decided["on"], decided["reason"]) if x)
            out.append(f"  {label('专班确定', 'Set by the group')}：{inert(said)}")
        for ext in t.extensions:
            when = ext.approved_on.isoformat() if ext.approved_on else "?"
            out.append(
                f"  {label('延期', 'Extension')}：{inert(ext.deadline.text)} ← {inert(ext.approved_by)} {when}"
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
            f"  {label('状态', 'Status')}：{status}   {label('统计日期', 'as of')} {as_of.isoformat()}"
        )
        out.append(
            f"  {label('完成率', 'Completion')}：{bar(row['completion'])}   "
            f"{label('序时进度', 'Time elapsed')}：{bar(row['time_elapsed'])}"
        )
        if res.entities:
            for e in res.entities:
                mark = "✓" if e.met else "✗"
                val = "—" if e.value is None else f"{e.value:g}{t.unit or ''}"
                out.append(f"    {mark} {inert(e.entity)}：{val}")
        if t.note:
            out.append(f"  {label('说明', 'Note')}：{inert(t.note)}")
        if res.records:
            out.append(f"  {label('进展记录', 'Records')}（{len(res.records)}）：")
            for r in res.records:
                val = (
                    f"{r.value:g}{t.unit or ''}"
                    if r.value is not None
                    else (label("完成", "done") if r.done else label("未完成", "not done"))
                )
                who = f" [{inert(r.entity)}]" if r.entity else ""
                src = f" · {inert(r.source)}" if r.source else ""
                by = f" · {inert(r.by)}" if r.by else ""
                out.append(f"    {r.date}{who}  {val}{src}{by}")
                for key, zh_label, en_label in (
                    ("note", "备注", "note"),
                    ("problems", "存在问题", "problems"),
                    ("next_steps", "下步打算", "next steps"),
                ):
                    text = getattr(r, key)
                    if text:
                        out.append(f"      {label(zh_label, en_label)}：{inert(text)}")
            values = [r.value for r in res.records if r.value is not None]
            if len(values) >= 2:
                out.append(f"  {label('趋势', 'Trend')}：{_spark(values)}")
        else:
            out.append(f"  {label('进展记录', 'Records')}：{label('无', 'none')}")
        out.append("")
    return "\n".join(out)


def _spark(values: list[float]) -> str:
    blocks = "▁▂▃▄▅▆▇█"
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    return (
        "".join(blocks[int((v - lo) / span * (len(blocks) - 1))] for v in values)
        + f"  ({values[0]:g} → {values[-1]:g})"
    )
