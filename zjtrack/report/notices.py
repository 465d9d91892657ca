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
    Item,
    Report,
    Section,
    day_text,
    items_of,
    make_table,
    safe,
    supervision_columns,
    supervision_rows,
)


def notices(
    results: Sequence[TargetResult],
    registry: Registry,
    config: Config,
    as_of: dt.date,
    lang: str = "zh",
    only: set[str] | None = None,
) -> list[tuple[int, str, Report]]:
    """督办单: one per lead or responsible unit with overdue or behind-schedule targets, worst first.

    Returns (number, unit name, notice); `only` keeps the units named (canonical names). Targets
    that name no unit get no notice (the weekly report's supervision list shows them)."""
    items = items_of(results, registry, lang)
    by_unit: dict[str, dict[int, str]] = defaultdict(dict)  # unit -> {item index: role}
    chosen: dict[int, Item] = {}
    for it in items:
        if not it.res.needs_supervision:
            continue
        chosen[it.order] = it
        for name in it.lead:
            by_unit[name][it.order] = word("role_lead", lang)
        for name in it.responsible:
            by_unit[name].setdefault(it.order, word("role_resp", lang))

    def badness(unit: str) -> tuple[int, int, str]:
        idx = by_unit[unit]
        return (-sum(1 for i in idx if chosen[i].res.level is Level.RED), -len(idx), unit)

    author = (
        config.reporting_unit
        if lang == "zh" or config.reporting_unit != Config().reporting_unit
        else word("unit", lang)
    )
    author = safe(author)
    out = []
    units = sorted(by_unit, key=badness)  # numbered before --unit filters, so numbers are stable
    wanted = None if only is None else {inert(o) for o in only}
    for seq, unit in enumerate(units, 1):
        if wanted is not None and unit not in wanted:
            continue
        roles = by_unit[unit]
        unit_items = [chosen[i] for i in sorted(roles)]
        rows = supervision_rows(unit_items, lang, blue=False, role_of=roles)
        red = sum(1 for it in unit_items if it.res.level is Level.RED)
        yellow = sum(1 for it in unit_items if it.res.level is Level.YELLOW)
        number = f"{as_of.strftime('%Y%m%d')}-{seq:0{max(2, len(str(len(units))))}d}"
        if lang == "zh":
            text = (
                f"{unit}：截至{day_text(as_of, lang)}，你单位牵头或负责的以下{len(rows)}项任务目标逾期未完成或滞后于序时进度"
                f"（红色督办{red}项、黄色预警{yellow}项）。请对照清单逐项分析原因，明确整改措施、责任人和完成时限，"
                f"加快推进，并将整改落实情况及时报送{author}。"
            )
        else:
            text = (
                f"To {unit}: as of {as_of.isoformat()}, the {len(rows)} targets below, which your unit leads or "
                f"shares, are overdue or behind schedule ({red} red, {yellow} yellow). Please establish the causes "
                f"item by item, set out remedies, owners and dates, speed up the work and report back to {author}."
            )
        meta = (
            (word("notice_no", lang), number),
            (word("notice_to", lang), unit),
            (word("notice_from", lang), author),
            (word("notice_date", lang), day_text(as_of, lang)),
        )
        table = make_table(
            supervision_columns(lang, blue=False, role=True),
            rows,
            word("empty_red", lang),
            word("sheet_notice", lang),
        )
        section = Section(word("notice_items", lang), (text,), (table,))
        out.append(
            (
                seq,
                unit,
                Report(
                    kind="notice",
                    lang=lang,
                    title=word("notice_title", lang),
                    date=as_of,
                    author=author,
                    meta=meta,
                    sections=(section,),
                    closing=(author, day_text(as_of, lang)),
                ),
            )
        )
    return out
