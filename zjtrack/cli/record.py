"""`zjtrack record`: one progress record, validated, then appended."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import AsOfOpt, Lang, LangOpt, as_of_date, echo


def record(
    target: Annotated[str, typer.Argument(help="目标编号 · target id")],
    value: Annotated[str, typer.Argument(help="数值；里程碑写 done / 完成 或 not-done / 未完成")],
    date: Annotated[
        Optional[str],
        typer.Option(
            "--date",
            help="进展所述日期（默认统计日期，即今天）· the date it describes (default: the as-of date)",
        ),
    ] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="来源或依据 · evidence")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="报送人或单位 · reported by")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="备注 · note")] = None,
    entity: Annotated[
        Optional[str], typer.Option("--entity", help="分对象目标的对象 · the entity")
    ] = None,
    problems: Annotated[Optional[str], typer.Option("--problems", help="存在问题")] = None,
    next_steps: Annotated[Optional[str], typer.Option("--next-steps", help="下步打算")] = None,
    tasks_dir: Annotated[
        Path, typer.Option("--tasks", help="任务目录 · the tasks directory")
    ] = Path("tasks"),
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """追加一条进展记录（先按 check 的规则校验，后写入）· Append one progress record, held to
    check's rules first.

    记录日期不得晚于统计日期（--as-of，默认今天）· its date may not be after the as-of date.
    """
    from ..load import cache
    from ..store.record import record_progress, status_after

    when = as_of_date(as_of)
    store = cache.FileCache(cache.cache_dir()) if cache.enabled() else None
    path = record_progress(
        tasks_dir,
        target,
        value,
        as_of=when,
        date=date,
        source=source,
        by=by,
        note=note,
        entity=entity,
        problems=problems,
        next_steps=next_steps,
        cache=store,
    )
    status = status_after(tasks_dir, target, when, lang.value, store)
    if lang is Lang.zh:
        echo(
            f"已记录：{target} → {path}" + (f"；当前状态：{status}" if status else "") + "\n",
            err=True,
        )
    else:
        echo(
            f"recorded: {target} -> {path}" + (f"; status now: {status}" if status else "") + "\n",
            err=True,
        )
