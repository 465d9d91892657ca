"""督办单: supervision notices, one per unit with overdue or behind-schedule targets."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from ..evaluate import Level, TargetResult
from ..model import Config
from ..registry import Registry
from ..text import inert
from ..vocab import word
from .document import (
    Board,
    Item,
    ObjectRows,
    Report,
    Section,
    day_text,
    items_of,
    safe,
    supervision_cells,
    supervision_columns,
    table_of,
    unique,
)


def notices(
    results: Sequence[TargetResult],
    registry: Registry,
    config: Config,
    as_of: dt.date,
    lang: str = "zh",
    only: set[str] | None = None,
) -> list[tuple[int, str, Report]]:
    """督办单: one per lead unit with overdue or behind-schedule targets, worst first, to the one
    who must act (`evaluate.accountability`'s rule: the lead unit answers for a target); the units
    that share its items are copied (抄送), and it names the date a reply is due (反馈时限).

    Returns (number, unit name, notice); `only` keeps the units named (canonical names). A unit
    that leads nothing overdue or behind gets none; targets that name no lead unit get none (the
    weekly report's supervision list shows them)."""
    items = items_of(results, registry, lang)
    by_unit: dict[str, list[Item]] = defaultdict(list)
    for it in items:
        if it.res.needs_supervision:
            for name in it.lead:
                by_unit[name].append(it)

    def badness(unit: str) -> tuple[int, int, str]:
        mine = by_unit[unit]
        return (-sum(1 for it in mine if it.res.level is Level.RED), -len(mine), unit)

    author = (
        config.reporting_unit
        if lang == "zh" or config.reporting_unit != Config().reporting_unit
        else word("unit", lang)
    )
    author = safe(author)
    reply_by = as_of + dt.timedelta(days=config.reply_days)
    out = []
    units = sorted(by_unit, key=badness)  # numbered before --unit filters, so numbers are stable
    width = max(2, len(str(len(units))))
    wanted = None if only is None else {inert(o) for o in only}
    for seq, unit in enumerate(units, 1):
        if wanted is not None and unit not in wanted:
            continue
        number = f"{as_of.strftime('%Y%m%d')}-{seq:0{width}d}"
        notice = _notice(unit, by_unit[unit], number, author, as_of, reply_by, lang)
        out.append((seq, unit, notice))
    return out


def _notice(
    unit: str,
    mine: list[Item],
    number: str,
    author: str,
    as_of: dt.date,
    reply_by: dt.date,
    lang: str,
) -> Report:
    board = Board.of([it.res for it in mine])
    cells = supervision_cells(board, ObjectRows(mine, lang), range(len(mine)), lang, blue=False)
    listed = len(cells[0])
    red = sum(1 for it in mine if it.res.level is Level.RED)
    yellow = sum(1 for it in mine if it.res.level is Level.YELLOW)
    copied = unique(name for it in mine for name in it.responsible if name != unit)
    due = day_text(reply_by, lang)
    if lang == "zh":
        text = (
            f"{unit}：截至{day_text(as_of, lang)}，你单位牵头的以下{listed}项任务目标逾期未完成或滞后于序时进度"
            f"（红色督办{red}项、黄色预警{yellow}项）。请会同责任单位对照清单逐项分析原因，明确整改措施、责任人和完成时限，"
            f"加快推进，并于{due}前将整改落实情况书面反馈{author}。"
        )
    else:
        text = (
            f"To {unit}: as of {as_of.isoformat()}, the {listed} targets below, which your unit leads, "
            f"are overdue or behind schedule ({red} red, {yellow} yellow). With the responsible units, please "
            f"establish the causes item by item, set out remedies, owners and dates, speed up the work and "
            f"report back in writing to {author} by {due}."
        )
    meta = [
        (word("notice_no", lang), number),
        (word("notice_to", lang), unit),
    ]
    if copied:
        meta.append(
            (word("notice_cc", lang), "、".join(copied) if lang == "zh" else ", ".join(copied))
        )
    meta += [
        (word("notice_from", lang), author),
        (word("notice_date", lang), day_text(as_of, lang)),
        (word("notice_reply_by", lang), due),
    ]
    table = table_of(
        supervision_columns(lang, blue=False),
        cells,
        word("empty_red", lang),
        word("sheet_notice", lang),
    )
    section = Section(word("notice_items", lang), (text,), (table,))
    return Report(
        kind="notice",
        lang=lang,
        title=word("notice_title", lang),
        date=as_of,
        author=author,
        meta=tuple(meta),
        sections=(section,),
        closing=(f"{author}{word('seal', lang)}", day_text(as_of, lang)),
    )
