"""The views: `targets`, `status`, `overdue`, `due`, `units` and `show`."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import common, objects
from .common import (
    AsOfOpt,
    Lang,
    LangOpt,
    PathsArg,
    WidthOpt,
    echo,
    echo_json,
    fail,
    fail_unreadable,
    load,
    warn_if_problems,
)
from .fast import FailOn, TableFormat, Written, print_table, snapshot_view
from .objects import Judged

if TYPE_CHECKING:
    from ..model import ProgressRecord


def targets(
    paths: PathsArg = None,
    doc: Annotated[
        Optional[str], typer.Option("--doc", help="只看某个文件 · only this document id")
    ] = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table, md, csv, json")
    ] = TableFormat.table,
    lang: LangOpt = Lang.zh,
) -> None:
    """列出全部目标 · List every target (JSON fields are stable: see README)."""
    from ..views import targets_table

    result = load(paths)
    fail_unreadable(result.problems, lang.value)
    warn_if_problems(result, lang.value)
    table = targets_table(result.plan, lang.value)
    if doc:
        table = table._replace(rows=[r for r in table.rows if r["document"] == doc])
    if fmt is TableFormat.json:  # a bare array: the stable interface other tools build on
        from ..render.json import iter_array

        rows = ({k: v for k, v in r.items() if k != "target"} for r in table.rows)
        echo_json(iter_array(rows))  # a bare array, one target per line
        echo("\n")
        return
    print_table(table, fmt, lang.value)


DocOpt = Annotated[
    Optional[str], typer.Option("--doc", help="只看某个文件 · only this document id")
]
UnitOpt = Annotated[
    Optional[str], typer.Option("--unit", help="只看某个单位（名称或简称）· only this unit")
]
StatusOpt = Annotated[
    Optional[str],
    typer.Option(
        "--status",
        help="overdue, behind, no_data, in_progress, on_track, done_late, done（或中文：逾期未完成、逾期完成…）",
    ),
]
LevelOpt = Annotated[Optional[str], typer.Option("--level", help="red, yellow, blue（红、黄、蓝）")]
FormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help="table, md, csv, json")]


FailOnOpt = Annotated[
    Optional[FailOn],
    typer.Option(
        "--fail-on", help="有逾期（或滞后及逾期）时退出码为 1 · exit 1 when such items exist"
    ),
]


def _judge(
    paths: Optional[list[Path]],
    as_of: Optional[str],
    lang: str,
    doc: Optional[str] = None,
) -> Judged:
    """Load (one document only, with `doc`), then judge every target as of the date."""
    judged = objects.judge(paths, common.ROOT, as_of, lang, doc=doc)
    if isinstance(judged, int):
        raise typer.Exit(judged)
    return judged


def _named(paths: Optional[list[Path]]) -> list[str]:
    """The paths a command reads, as `common.load` names them."""
    return [str(p) for p in paths] if paths else [common.ROOT or "tasks"]


def _view(
    kind: str,
    paths: Optional[list[Path]],
    as_of: Optional[str],
    doc: Optional[str],
    unit: Optional[str],
    status: Optional[str],
    level: Optional[str],
    fmt: TableFormat,
    fail_on: Optional[FailOn],
    lang: str,
    width: int | None = None,
    days: Callable[[dt.date], int] | None = None,
) -> None:
    """The view from the snapshot when it can serve it, else over the object model (the router,
    cli/fast.py, runs the same two functions for the requests it reads)."""
    served: Written | bool = True
    if not (doc or unit or status or level):
        served = snapshot_view(kind, _named(paths), as_of, lang, fmt, width, fail_on, days)
        if isinstance(served, Written):
            if served.code:
                raise typer.Exit(served.code)
            return
    code = objects.view(
        kind,
        paths,
        common.ROOT,
        as_of,
        lang,
        fmt,
        fail_on,
        width,
        days,
        doc=doc,
        unit=unit,
        status=status,
        level=level,
        snapshot_missing=served is False,
    )
    if code:
        raise typer.Exit(code)


def status(
    paths: PathsArg = None,
    as_of: AsOfOpt = None,
    doc: DocOpt = None,
    unit: UnitOpt = None,
    status: StatusOpt = None,
    level: LevelOpt = None,
    fmt: FormatOpt = TableFormat.table,
    fail_on: FailOnOpt = None,
    width: WidthOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """每个目标的进展、序时进度、状态与预警 · Every target's progress, status and warning level."""
    _view("status", paths, as_of, doc, unit, status, level, fmt, fail_on, lang.value, width=width)


def overdue(
    paths: PathsArg = None,
    as_of: AsOfOpt = None,
    doc: DocOpt = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = TableFormat.table,
    fail_on: FailOnOpt = None,
    width: WidthOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """逾期未完成的目标 · Targets past their deadline and not met."""
    _view("overdue", paths, as_of, doc, unit, None, None, fmt, fail_on, lang.value, width=width)


def due(
    paths: PathsArg = None,
    within: Annotated[
        str,
        typer.Option(
            "--within",
            help="多久内到期：30d、8w、3m（日历月）· due within (30d, 8w, 3m = calendar months)",
        ),
    ] = "30d",
    as_of: AsOfOpt = None,
    doc: DocOpt = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = TableFormat.table,
    fail_on: FailOnOpt = None,
    width: WidthOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """即将到期、尚未完成的目标 · Targets not yet met that fall due soon."""
    from ..dates import DateError, parse_span, span_days

    try:
        span = parse_span(within)
    except DateError as e:
        raise typer.BadParameter(e.zh if lang is Lang.zh else e.en, param_hint="--within") from None
    _view(
        "due",
        paths,
        as_of,
        doc,
        unit,
        None,
        None,
        fmt,
        fail_on,
        lang.value,
        width=width,
        days=lambda when: span_days(span, when),
    )


def units(
    args: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="[NAME] [PATHS]...",
            help="单位名称或简称，及任务文件或目录 · a unit name or alias, then paths",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    doc: DocOpt = None,
    fmt: FormatOpt = TableFormat.table,
    width: WidthOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """各单位的责任落实情况 · Accountability per unit: what it leads and shares, and how it stands."""
    from ..views import unit_names, unit_table

    words = list(args or [])
    name = words.pop(0) if words and not Path(words[0]).exists() else None
    paths = [Path(w) for w in words] or None
    results, registry, when = _judge(paths, as_of, lang.value, doc=doc)
    only = unit_names(registry, name, option=None) if name else None
    table = unit_table(results, registry, lang.value, only)
    print_table(
        table,
        fmt,
        lang.value,
        f"单位责任 · {when.isoformat()}",
        extra={"as_of": when.isoformat()},
        width=width,
    )


def show(
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="措施或目标编号 · a measure or target id")
    ],
    paths: PathsArg = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table（文本）或 json")
    ] = TableFormat.table,
    width: WidthOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """一项措施或目标的全部信息 · One measure or target in full: quote, units, deadlines, records."""
    import json

    from ..render.detail import render_detail
    from ..views import JSON_VERSION, result_row

    results, registry, when = _judge(paths, as_of, lang.value)
    chosen = [r for r in results if r.target.id == ident or r.measure.id == ident]
    if not chosen:
        from ..problems import nearest

        ids = sorted({r.target.id for r in results} | {r.measure.id for r in results})
        close = nearest(ident, ids, cutoff=0.6)
        fail(
            lang.value,
            f"没有编号为 `{ident}` 的措施或目标" + (f"，是否是 `{close[0]}`？" if close else ""),
            f"no measure or target `{ident}`" + (f"; did you mean `{close[0]}`?" if close else ""),
        )
    if fmt is TableFormat.json:
        rows = [
            {**result_row(r, registry, lang.value), "history": [_record_json(x) for x in r.records]}
            for r in chosen
        ]
        echo_json(
            [
                json.dumps(
                    {
                        "version": JSON_VERSION,
                        "view": "show",
                        "as_of": when.isoformat(),
                        "rows": rows,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            ]
        )
    else:
        import shutil

        # every record as written (corrections, withdrawals), wrapped to the terminal's width
        cols = width or (shutil.get_terminal_size().columns if sys.stdout.isatty() else None)
        echo(render_detail(chosen, registry, lang.value, when, load(paths).plan.histories(), cols))


def _record_json(r: ProgressRecord) -> dict[str, object]:
    d: dict[str, object] = r._asdict()
    for where in ("path", "line", "column"):
        del d[where]
    d["date"] = r.date.isoformat() if r.date else None
    return d
