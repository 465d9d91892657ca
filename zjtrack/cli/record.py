"""`zjtrack record`: one progress record, validated, then appended."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..text import one_line
from .common import (
    AsOfOpt,
    Lang,
    LangOpt,
    TasksOpt,
    as_of_date,
    echo,
    tasks_folder,
    today,
    warn_if_problems,
)


def record(
    target: Annotated[str, typer.Argument(help="目标编号 · target id")],
    value: Annotated[
        Optional[str],
        typer.Argument(
            help="数值（负数直接写 -3）；里程碑写 done / 完成 或 not-done / 未完成；撤回时不写",
            show_default=False,
        ),
    ] = None,
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
    correct: Annotated[
        Optional[str],
        typer.Option(
            "--correct",
            metavar="REF",
            help="更正此前的一条记录：写它的日期（2026-11-20），同日多条时写 日期:行号 · "
            "correct an earlier record, named by its date or date:line",
        ),
    ] = None,
    withdraw: Annotated[
        Optional[str],
        typer.Option(
            "--withdraw",
            metavar="REF",
            help="撤回此前的一条记录（引用写法同 --correct）· withdraw an earlier record",
        ),
    ] = None,
    tasks: TasksOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """追加一条进展记录（先按 check 的规则校验，后写入）· Append one progress record, held to
    check's rules first.

    记录日期不得晚于统计日期（--as-of，默认今天）· its date may not be after the as-of date.
    日期可写 2026-11-20、2026年11月20日、2026/11/20、2026.11.20 或 11月20日（统计日期那一年）。

    记错了不改历史：`--correct 2026-11-20` 追加一条更正记录，`--withdraw 2026-11-20` 追加一条撤回
    记录（同日多条时写 日期:行号，如 2026-11-20:57）· a mistaken record is corrected or withdrawn
    by a new record that names it; history is never edited.
    """
    from ..load import cache
    from ..load.loader import load_paths
    from ..store.record import record_progress, status_after

    when = as_of_date(as_of)
    tasks_dir = tasks_folder(tasks)
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
        corrects=correct,
        withdraws=withdraw,
        cache=store,
        recorded_at=today(),  # the day it is recorded, whatever --as-of says (issue 13)
    )
    # the tree as it is now: a file with errors or an error `check` finds is said, as `intake`
    # says it; the run still ends by what it wrote (exit 0)
    result = load_paths([str(tasks_dir)], store)
    warn_if_problems(result, lang.value, fails=False)
    status = status_after(tasks_dir, target, when, lang.value, plan=result.plan)
    zh = f"已记录：{target} → {path}" + (f"；当前状态：{status}" if status else "")
    en = f"recorded: {target} -> {path}" + (f"; status now: {status}" if status else "")
    echo(one_line(zh if lang is Lang.zh else en) + "\n", err=True)
