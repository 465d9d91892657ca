"""What intake tells people: the preview on the terminal (what will be recorded, what it changes,
what is refused) and the receipt (回执) sent back to each unit. A receipt is a `Report` made of
`Table`s, so the existing renderers write it as Markdown and docx.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..render.problems import render_text
from ..report.document import Report, Section, day_text, make_table, safe
from ..table import Column
from ..text import one_line
from .intake import Change, Outcome
from .period import Period


def _count(o: Outcome, lang: str) -> str:
    n, same = len(o.records), o.unchanged
    if lang == "zh":
        text = f"新记录 {n} 条"
        return text + (f"，另有 {same} 条已记录过、不重复记录" if same else "")
    text = f"{n} new records"
    return text + (f", {same} recorded before (not recorded again)" if same else "")


def preview_text(outcomes: Sequence[Outcome], lang: str) -> str:
    """The preview `intake` shows before it writes: per file, taken or refused and why."""
    out: list[str] = []
    for o in outcomes:
        # the unit the file is from, when it says (a file that cannot be read names none)
        unit = (f"（{o.unit}）" if lang == "zh" else f" ({o.unit})") if o.unit else ""
        if not o.accepted:
            head = (
                f"✗ {o.name}{unit}：退回，不记录；问题 {len(o.problems)} 处"
                if lang == "zh"
                else f"✗ {o.name}{unit}: refused, nothing recorded; {len(o.problems)} problems"
            )
            out.append(one_line(head))
            out.append(render_text(o.problems, lang, lambda _: []).rstrip("\n"))
            continue
        if not o.records:
            head = (
                f"= {o.name}{unit}：没有新内容，{o.unchanged} 条已记录过，不重复记录"
                if lang == "zh"
                else f"= {o.name}{unit}: nothing new, {o.unchanged} rows recorded before"
            )
            out.append(one_line(head))
            continue
        out.append(one_line(f"✓ {o.name}{unit}{'：' if lang == 'zh' else ': '}{_count(o, lang)}"))
        for c in o.changes:
            entity = f"（{c.entity}）" if c.entity else ""
            mark = (
                ("，更正同日记录" if lang == "zh" else ", corrects that day's record")
                if c.corrects
                else ""
            )
            mark += older_note(c, lang)
            out.append(
                one_line(
                    f"    {c.target}{entity}  {c.before} → {c.date.isoformat()} {c.after}{mark}"
                )
            )
    return "\n".join(out) + ("\n" if out else "")


def older_note(c: Change, lang: str) -> str:
    """What a record dated before its target's latest record changes: nothing of the latest
    progress (said in the preview and the receipt); empty for any other record."""
    if c.older_than is None:
        return ""
    day = c.older_than.isoformat()
    if lang == "zh":
        return f"（早于最新记录 {day}，最新进展不变；日期有误请更正后重报）"
    return (
        f" (dated before the latest record, {day}: the latest progress stays; if the date is "
        "wrong, correct it and send the form again)"
    )


def _problem_rows(o: Outcome, lang: str) -> list[tuple[str, str, str]]:
    return [(safe(p.path), safe(p.message(lang)), safe(p.hint(lang))) for p in o.problems]


def receipt(o: Outcome, period: Period, as_of: dt.date, author: str, lang: str = "zh") -> Report:
    """The receipt (回执) for one returned file."""
    zh = lang == "zh"
    unit = o.unit or o.name
    if o.accepted:
        verdict = (
            f"已收到并记录：{_count(o, lang)}。"
            if zh
            else f"Received and recorded: {_count(o, lang)}."
        )
    else:
        verdict = (
            f"表格已退回，未记录任何内容：共 {len(o.problems)} 处问题，请按下表修改后重新报送。"
            if zh
            else f"Returned, nothing recorded: {len(o.problems)} problems; fix them and send it again."
        )
    cols_taken = (
        Column("target", "编号" if zh else "Target"),
        Column("entity", "对象" if zh else "Entity"),
        Column("before", "此前" if zh else "Before"),
        Column("after", "本次记录" if zh else "Recorded"),
    )
    taken = [
        (
            c.target,
            c.entity or "",
            safe(c.before),
            f"{c.date.isoformat()} {safe(c.after)}{older_note(c, lang)}",
        )
        for c in o.changes
    ]
    cols_refused = (
        Column("where", "位置" if zh else "Where"),
        Column("what", "问题" if zh else "Problem", "long"),
        Column("fix", "改法" if zh else "How to fix", "long"),
    )
    sections = [Section("一、收取结果" if zh else "1. Result", (verdict,))]
    if o.accepted:
        sections.append(
            Section(
                "二、记录明细" if zh else "2. Records",
                tables=(
                    make_table(
                        cols_taken, taken, "本次没有新记录。" if zh else "Nothing new.", "记录"
                    ),
                ),
            )
        )
    else:
        sections.append(
            Section(
                "二、退回原因" if zh else "2. Why it was returned",
                tables=(make_table(cols_refused, _problem_rows(o, lang), "—", "问题"),),
            )
        )
    meta = (
        ("报送单位" if zh else "Unit", safe(unit)),
        ("报送期次" if zh else "Period", period.label),
        ("文件" if zh else "File", safe(o.name)),
        ("收取日期" if zh else "Taken on", day_text(as_of, lang)),
    )
    return Report(
        "receipt",
        lang,
        f"{safe(unit)} 进展报送回执（{period.label}）"
        if zh
        else f"Receipt: {safe(unit)}, {period.label}",
        as_of,
        author,
        meta=meta,
        sections=tuple(sections),
        cover=False,
    )
