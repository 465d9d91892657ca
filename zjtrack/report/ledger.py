"""工作台账: the task ledger, one row per target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..evaluate import TargetResult
from ..model import Config
from ..problems import UserError
from ..registry import Registry
from ..table import Cell, Column
from ..vocab import WORDS, word
from .document import (
    Report,
    Section,
    day_cell,
    day_text,
    items_of,
    latest_text,
    level_tag,
    make_table,
    safe,
    status_tag,
)

# --- the ledger ---------------------------------------------------------------------------------

LEDGER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", "int"),
    ("id", "text"),
    ("task", "text"),
    ("quant", "text"),
    ("lead", "text"),
    ("responsible_units", "text"),
    ("deadline", "date"),
    ("progress_text", "long"),
    ("completion", "percent"),
    ("time_elapsed", "percent"),
    ("status", "tag"),
    ("level", "tag"),
    ("problems", "long"),
    ("next_steps", "long"),
    ("updated", "date"),
)


def ledger_column_keys(names: Sequence[str] | None) -> list[str]:
    """Column keys for `--columns`: each given as its key (`id`), Chinese (`任务编号`) or English label."""
    if not names:
        return [k for k, _ in LEDGER_COLUMNS]
    lookup: dict[str, str] = {}
    for key, _ in LEDGER_COLUMNS:
        zh, en = WORDS[key]
        for alias in (key, zh, en, en.lower()):
            lookup.setdefault(alias, key)
    # the keys' names before JSON version 2
    for old, new in (
        ("resp", "responsible_units"),
        ("progress", "completion"),
        ("time_progress", "time_elapsed"),
    ):
        lookup.setdefault(old, new)
    out = []
    for name in names:
        found = lookup.get(name.strip()) or lookup.get(name.strip().lower())
        if found is None:
            choices = "、".join(WORDS[k][0] for k, _ in LEDGER_COLUMNS)
            raise UserError(
                f"没有列 `{name}`；可用：{choices}",
                f"no column `{name}`; choose from: {', '.join(k for k, _ in LEDGER_COLUMNS)}",
            )
        if found not in out:
            out.append(found)
    return out


def ledger(
    results: Sequence[TargetResult],
    registry: Registry,
    config: Config,
    as_of: dt.date,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
) -> Report:
    """工作台账: one row per target, in the order of `zjtrack status --format json`."""
    keys = ledger_column_keys(columns)
    kinds = dict(LEDGER_COLUMNS)
    cols = tuple(Column(k, word(k, lang), kinds[k]) for k in keys)
    rows: list[tuple[Cell, ...]] = []
    for it in items_of(results, registry, lang):
        res, latest = it.res, it.res.latest
        cells: dict[str, Cell] = {
            "no": it.order + 1,
            "id": res.target.id,
            "task": it.task,
            "quant": it.target,
            "lead": it.lead_text,
            "responsible_units": it.responsible_text,
            "deadline": it.deadline,
            "progress_text": latest_text(it, lang),
            "completion": res.completion,
            "time_elapsed": res.time_elapsed,
            "status": status_tag(res, lang),
            "level": level_tag(res.level, lang),
            "problems": safe(latest.problems) if latest else "",
            "next_steps": safe(latest.next_steps) if latest else "",
            "updated": day_cell(latest.date if latest else None),
        }
        rows.append(tuple(cells[k] for k in keys))
    author = (
        config.reporting_unit
        if lang == "zh" or config.reporting_unit != Config().reporting_unit
        else word("unit", lang)
    )
    table = make_table(cols, rows, word("empty_targets", lang), word("sheet_ledger", lang))
    return Report(
        kind="ledger",
        lang=lang,
        title=word("ledger_title", lang),
        date=as_of,
        author=safe(author),
        meta=(
            (word("as_of", lang), day_text(as_of, lang)),
            (word("reporter", lang), safe(author)),
        ),
        sections=(Section("", (), (table,)),),
        cover=False,
    )
