"""The views: `targets`, `status`, `overdue`, `due`, `units` and `show`."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .common import (
    INCOMPLETE,
    AsOfOpt,
    Lang,
    LangOpt,
    PathsArg,
    WidthOpt,
    as_of_date,
    echo,
    echo_json,
    fail,
    fail_unreadable,
    load,
    print_view,
    warn_if_problems,
)

if TYPE_CHECKING:
    from ..evaluate import Status, TargetResult
    from ..load.snapshot import Snapshot
    from ..model import ProgressRecord, Target
    from ..registry import Registry
    from ..table import Table


class TableFormat(str, Enum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"


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
        table.rows[:] = [r for r in table.rows if r["document"] == doc]
    if fmt is TableFormat.json:  # a bare array: the stable interface other tools build on
        from ..render.json import iter_array

        rows = ({k: v for k, v in r.items() if k != "target"} for r in table.rows)
        echo_json(iter_array(rows))  # a bare array, one target per line
        echo("\n")
        return
    print_table(table, fmt, lang.value)


def print_table(
    table: Table,
    fmt: TableFormat,
    lang: str,
    title: str | None = None,
    extra: dict[str, object] | None = None,
    width: int | None = None,
) -> None:
    """The table in the format asked for; over files with errors, marked incomplete at its top
    (JSON: an `incomplete` field; CSV stays a plain table, the exit code says it)."""
    notice = INCOMPLETE.get()
    if notice and fmt in (TableFormat.md, TableFormat.table):
        echo(f"> {notice}\n\n" if fmt is TableFormat.md else f"{notice}\n\n")
    if fmt is TableFormat.json:
        from ..render.json import iter_view

        if notice:
            extra = {**(extra or {}), "incomplete": notice}
        echo_json(iter_view(table, extra))
    elif fmt is TableFormat.csv:
        from ..render import csv

        sys.stdout.buffer.write(csv.render(table).encode("utf-8"))
        sys.stdout.flush()
    elif fmt is TableFormat.md:
        from ..render import markdown

        echo(markdown.render_view(table, lang))
    elif width is None and (not sys.stdout.isatty() or len(table.rows) > 500):
        from ..render.terminal import render_plain

        print_view(render_plain(table, lang))
    else:  # a terminal, or --width: laid out for that many columns (no colour in a pipe)
        from rich.console import Console

        from ..render.terminal import render_rich

        console = Console(width=width) if width else Console()
        with console.capture() as captured:
            console.print(render_rich(table, lang, title, console.width))
        print_view(captured.get())


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


class FailOn(str, Enum):
    overdue = "overdue"
    behind = "behind"


FailOnOpt = Annotated[
    Optional[FailOn],
    typer.Option(
        "--fail-on", help="有逾期（或滞后及逾期）时退出码为 1 · exit 1 when such items exist"
    ),
]


Select = Callable[[dt.date], Callable[["Target"], bool]]


def _judge(
    paths: Optional[list[Path]],
    as_of: Optional[str],
    lang: str,
    select: Select | None = None,
    doc: Optional[str] = None,
    snapshot_missing: bool = False,
    with_json: bool = False,
) -> tuple[list[TargetResult], Registry, dt.date]:
    """Load (one document only, with `doc`), then judge every target as of the date (or only
    those `select(as_of)` keeps)."""
    import time

    from ..evaluate import evaluate
    from ..registry import Registry
    from ..views import narrow

    when = as_of_date(as_of, lang)
    began_ns = time.time_ns()
    result = load(paths)
    fail_unreadable(result.problems, lang)
    warn_if_problems(result, lang)
    if snapshot_missing:  # the next view reads the tree's columns instead (load/snapshot.py)
        from ..load import snapshot

        snapshot.save(_named(paths), result, began_ns, with_json)
    registry = Registry(result.plan.units)
    plan = narrow(result.plan, registry, doc=doc, unit=None)
    return evaluate(plan, when, select(when) if select else None), registry, when


def _named(paths: Optional[list[Path]]) -> list[str]:
    """The paths a command reads, as `common.load` names them."""
    from . import common

    return [str(p) for p in paths] if paths else [common.ROOT or str(common.DEFAULT_PATHS[0])]


def _from_snapshot(
    kind: str,
    paths: Optional[list[Path]],
    as_of: Optional[str],
    lang: str,
    days: Callable[[dt.date], int] | None,
    fmt: TableFormat,
    width: int | None,
) -> tuple[Table | None, list[Status], dt.date] | bool:
    """`status`, `overdue` or `due` over the tree's columnar snapshot, when it has a valid one that can
    represent every target that may be shown (a table of None: already printed). Else the object model is used, and this says
    why: False, the tree has no valid snapshot (the caller makes it again); True, it has one
    that cannot represent this view (a target that may be shown needs the object model)."""
    from ..load import snapshot
    from ..views import snapshot_rows, snapshot_table

    snap = snapshot.load(_named(paths))
    if snap is None:
        return False
    when = as_of_date(as_of, lang)
    # a plain text table is laid out from the judged targets themselves (`due_cells`)
    lazy = kind != "status" and fmt is TableFormat.table and width is None
    made = snapshot_table(kind, snap, when, lang, days(when) if days else None, not lazy)
    if made is None:
        return True
    table, shown = made
    if lazy and (not sys.stdout.isatty() or len(shown) > 500):
        from ..render.terminal import due_cells, plain_lines, summary_line

        notice = INCOMPLETE.get()
        if notice:
            echo(f"{notice}\n\n")
        labels = [c.label for c in table.columns]
        columns = due_cells(snap, shown, kind, lang)
        print_view(plain_lines(labels, columns, summary_line(table, lang)))
        return None, [j.status for j in shown], when
    if lazy:
        table.rows[:] = snapshot_rows(snap, shown, when, lang)
    return table, [j.status for j in shown], when


def _usable_snapshot(paths: Optional[list[Path]]) -> tuple[list[str], Snapshot] | bool:
    """The tree's snapshot when its columns hold every target; else False (no valid snapshot:
    the caller makes it again) or True (a target needs the object model)."""
    from ..load import snapshot

    named = _named(paths)
    snap = snapshot.load(named)
    if snap is None:
        return False
    if snap.fallback:
        return True
    return named, snap


def _json_from_snapshot(
    paths: Optional[list[Path]], as_of: Optional[str], lang: str, fail_on: Optional[FailOn]
) -> bool | None:
    """`status --format json` written from the snapshot and its JSON side file (None: done).
    Else the object model is used, and this says why: False, the tree has no valid snapshot or
    it has no JSON side file (the caller makes both again); True, a target needs the objects."""
    from ..load import snapshot
    from ..render.json import iter_view, snapshot_rows
    from ..views import snapshot_status_json

    found = _usable_snapshot(paths)
    if isinstance(found, bool):
        return found
    named, snap = found
    parts = snapshot.load_json(named, snap)
    if parts is None:
        return False
    when = as_of_date(as_of, lang)
    made = snapshot_status_json(snap, when, lang)
    if made is None:
        return True
    table, shown = made
    extra: dict[str, object] = {"as_of": when.isoformat()}
    notice = INCOMPLETE.get()
    if notice:
        extra["incomplete"] = notice
    _echo_json_bytes(iter_view(table, extra, snapshot_rows(snap, parts, shown, lang)))
    _fail_on_statuses([j.status for j in shown], fail_on)
    return None


def _plain_from_snapshot(
    paths: Optional[list[Path]], as_of: Optional[str], lang: str, fail_on: Optional[FailOn]
) -> bool | None:
    """The `status` table as plain text (a pipe, a file, or a long table on a terminal), laid out
    from the snapshot and its cells (`snapshot.Cells`, made and kept the first time). None: done;
    False: no valid snapshot (the caller makes it again); True: another way (a terminal's short
    table, or a target that needs the object model)."""
    from ..load import snapshot
    from ..render.terminal import fit, plain_lines, status_cells, summary_line
    from ..views import snapshot_status_plain

    found = _usable_snapshot(paths)
    if isinstance(found, bool):
        return found
    named, snap = found
    if sys.stdout.isatty() and snap.n <= 500:
        return True
    when = as_of_date(as_of, lang)
    made = snapshot_status_plain(snap, when, lang)
    if made is None:
        return True
    table, shown = made
    cells = snapshot.load_cells(named, snap)
    if cells is None:
        cells = snapshot.Cells.make(snap, fit)
        snapshot.save_cells(named, snap, cells)
    labels = [c.label for c in table.columns]
    columns = status_cells(snap, cells, table.rows, lang)
    print_view(plain_lines(labels, columns, summary_line(table, lang)))
    _fail_on_statuses([j.status for j in shown], fail_on)
    return None


def _echo_json_bytes(chunks: Iterable[str | bytes]) -> None:
    """`echo_json` of text and UTF-8 bytes: bytes go to stdout as they are when it takes UTF-8
    and is not a terminal (what `echo_json` would write for their text)."""
    encoding = (sys.stdout.encoding or "").lower().replace("_", "-")
    if sys.stdout.isatty() or encoding not in ("utf-8", "utf8"):
        echo_json(c if isinstance(c, str) else c.decode("utf-8") for c in chunks)
        return
    sys.stdout.flush()
    out = sys.stdout.buffer
    for chunk in chunks:
        out.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    out.flush()


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
    keep: Callable[[TargetResult, dt.date], bool] | None = None,
    select: Select | None = None,
    width: int | None = None,
    days: Callable[[dt.date], int] | None = None,
) -> None:
    from ..views import filter_results, results_table

    title = (
        {"status": "任务进展", "overdue": "逾期未完成", "due": "即将到期"}[kind]
        if lang == "zh"
        else kind
    )
    plain = not (doc or unit or status or level) and fmt is not TableFormat.json
    snapped: tuple[Table | None, list[Status], dt.date] | bool = True
    with_json = False
    if kind == "status" and fmt is TableFormat.json and not (doc or unit or status or level):
        from_json = _json_from_snapshot(paths, as_of, lang, fail_on)
        if from_json is None:
            return
        snapped = from_json
        with_json = from_json is False  # made again with its JSON side file
    elif plain and kind == "status" and fmt is TableFormat.table and width is None:
        from_cells = _plain_from_snapshot(paths, as_of, lang, fail_on)
        if from_cells is None:
            return
        snapped = from_cells
    if plain and kind in ("status", "overdue", "due") and snapped is True:
        snapped = _from_snapshot(kind, paths, as_of, lang, days, fmt, width)
        if not isinstance(snapped, bool):
            shown_table, statuses, when = snapped
            extra: dict[str, object] = {"as_of": when.isoformat()}
            if shown_table is not None:
                print_table(shown_table, fmt, lang, f"{title} · {when.isoformat()}", extra, width)
            _fail_on_statuses(statuses, fail_on)
            return
    results, registry, when = _judge(paths, as_of, lang, select, doc, snapped is False, with_json)
    chosen = filter_results(results, registry, unit=unit, status=status, level=level)
    if keep is not None:
        chosen = [r for r in chosen if keep(r, when)]
    table = results_table(kind, chosen, registry, lang, results, full=fmt is TableFormat.json)
    print_table(
        table,
        fmt,
        lang,
        f"{title} · {when.isoformat()}",
        extra={"as_of": when.isoformat()},
        width=width,
    )
    _fail_on(chosen, fail_on)


def _fail_on(results: list[TargetResult], fail_on: Optional[FailOn]) -> None:
    _fail_on_statuses([r.status for r in results], fail_on)


def _fail_on_statuses(statuses: list[Status], fail_on: Optional[FailOn]) -> None:
    from ..evaluate import SUPERVISED, Status
    from ..problems import ExitCode

    if fail_on is None:
        return
    # behind: what needs supervision, as evaluate decides it (`needs_supervision`)
    wanted = {Status.OVERDUE} if fail_on is FailOn.overdue else SUPERVISED
    if any(s in wanted for s in statuses):
        raise typer.Exit(ExitCode.FINDINGS)


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
    from ..evaluate import Status, deadline_passed

    _view(
        "overdue",
        paths,
        as_of,
        doc,
        unit,
        None,
        None,
        fmt,
        fail_on,
        lang.value,
        keep=lambda r, _when: r.status is Status.OVERDUE,
        select=deadline_passed,
        width=width,
    )


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
    from ..evaluate import deadline_within

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
        keep=lambda r, when: r.due_within(span_days(span, when)),
        select=lambda when: deadline_within(when, span_days(span, when)),
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
