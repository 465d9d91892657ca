"""`zjtrack report …`: the weekly report, the ledger and supervision notices (sub-commands).

Text formats go to stdout unless -o is given; binary formats (docx, xlsx) need -o, or a stdout
that is not a terminal. Files are written atomically (a temporary file, then os.replace), so a
reader never sees half a report. Errors: a message on stderr and exit 2, no traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .base import render_reports, report_format, written
from .common import (
    AsOfOpt,
    ForceOpt,
    Lang,
    LangOpt,
    PathsArg,
    about,
    as_of_date,
    claim_output,
    fail,
    fail_unreadable,
    format_option,
    load,
    say,
    unit_option,
    warn_if_problems,
    write_output,
)
from .views import DocOpt, UnitOpt

if TYPE_CHECKING:
    import datetime as dt

    from ..evaluate import TargetResult
    from ..load.snapshot import Snapshot
    from ..model import Plan
    from ..registry import Registry
    from ..report import Report, Week

report_app = typer.Typer(
    help="周报、工作台账与督办单 · Weekly report, task ledger and supervision notices.",
    no_args_is_help=True,
)


class WeeklyFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"
    xlsx = "xlsx"


class LedgerFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"
    md = "md"


class NoticeFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


OutOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        help="输出文件（docx、xlsx 必需，除非标准输出不是终端）· output file",
        show_default=False,
    ),
]

BINARY = {"docx", "xlsx"}

# `--format`'s help on the report commands: the first format is the default
_FORMATS_HELP = "%s（默认第一种；省略时按 -o 文件的扩展名）· the first is the default; without it, -o's suffix decides"


def _format(fmt: Optional[Enum], output: Optional[Path | str], formats: type[Enum]) -> str:
    """The format a report command writes (`base.report_format`): `--format`, else the `-o`
    file's suffix, else the command's first format."""
    names = [f.value for f in formats]
    given = fmt.value if fmt is not None else None
    return report_format(given, str(output) if output is not None else None, names, names[0])


def _stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def _emit(data: bytes, fmt: str, output: Optional[Path], lang: str, force: bool) -> None:
    if output is not None and str(output) == "-":  # `-o -`: stdout, as `import -o -`
        output = None
    if output is None:
        if fmt in BINARY and _stdout_is_tty():
            fail(
                lang,
                f"{fmt} 是二进制格式，不能输出到终端；请用 -o 指定输出文件（或重定向到文件）。",
                f"{fmt} is a binary format and stdout is a terminal; give -o FILE (or redirect to a file).",
            )
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write_file(output, data, lang, force)


def _write_file(path: Path, data: bytes, lang: str, force: bool) -> None:
    write_output(path, data, lang, force)
    sys.stderr.write(written(path, lang))


def _plan(
    paths: Optional[list[Path]], lang: str, doc: Optional[str] = None, unit: Optional[str] = None
) -> Plan:
    """What a report covers: the files named, limited to one document and/or one unit's targets."""
    return _plans(paths, lang, doc, unit)[1]


def _plans(
    paths: Optional[list[Path]], lang: str, doc: Optional[str], unit: Optional[str]
) -> tuple[Plan, Plan]:
    """The files named, as a whole and limited to one document and/or one unit's targets."""
    from ..registry import Registry
    from ..views import narrow

    result = load(paths)
    fail_unreadable(result.problems, lang)
    warn_if_problems(result, lang)
    whole = result.plan
    return whole, narrow(whole, Registry(whole.units), doc=doc, unit=unit)


def _plan_and_snapshot(
    paths: Optional[list[Path]], lang: str, doc: Optional[str], unit: Optional[str]
) -> tuple[Plan, Snapshot | None]:
    """The plan (`_plan`), and the tree's columnar snapshot when the whole tree is reported and
    it has no problem (as the views use it). A tree without a valid snapshot gets one made from
    this load, for the next run (`load/snapshot`). A valid snapshot vouches that `check`'s
    cross-file rules find no error in the tree (one is made, or a change spliced in, only then):
    their full pass (`warn_if_problems`) is left out when the files read with no problem."""
    if doc or unit:
        return _plan(paths, lang, doc, unit), None
    import time

    from ..load import snapshot

    named = _named_paths(paths)
    snap = snapshot.load(named)
    began_ns = time.time_ns()
    result = load(paths)
    fail_unreadable(result.problems, lang)
    if snap is None or result.problems:
        warn_if_problems(result, lang)
    if result.problems:
        return result.plan, None
    if snap is None:
        snapshot.save(named, result, began_ns)
    return result.plan, snap


def _judge(
    paths: Optional[list[Path]],
    as_of: Optional[str],
    lang: str,
    doc: Optional[str] = None,
    unit: Optional[str] = None,
) -> tuple[Plan, list[TargetResult], Registry, dt.date]:
    """As `zjtrack status` judges: the date first (a bad one fails before loading), then evaluate."""
    from ..evaluate import evaluate
    from ..registry import Registry

    when = as_of_date(as_of, lang)
    plan = _plan(paths, lang, doc, unit)
    return plan, evaluate(plan, when), Registry(plan.units), when


@report_app.command()
def weekly(
    paths: PathsArg = None,
    week: Annotated[
        Optional[str],
        typer.Option(
            "--week",
            help="ISO 周，如 2026-W48（优先于 --as-of）· ISO week, wins over --as-of",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        Optional[WeeklyFormat], format_option(_FORMATS_HELP % "md, html, docx, xlsx")
    ] = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    doc: DocOpt = None,
    unit: UnitOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """周报：一个 ISO 周（周一至周日）的总体情况、本周进展、问题、下周安排与督办清单 · Weekly report.

    统计日期为该周截止日（config.yaml 的 cutoff_weekday，默认周日），只计截止日前已报送的记录；
    --week 优先，否则取 --as-of（或 ZJTRACK_AS_OF、今天）所在的周。本周尚未截止时统计至当日并注明。
    Judged as of the week's cut-off (cutoff_weekday, Sunday by default) with what was recorded by
    then; --week wins, else the week of --as-of (ZJTRACK_AS_OF, today). A week not yet closed is
    judged as of that day and says so.
    """
    from ..report import build_weekly, parse_week, reporting_week

    today = as_of_date(as_of, lang.value)
    chosen_format = _format(fmt, output, WeeklyFormat)
    if output is not None and str(output) != "-":
        claim_output(output, lang.value, force)
    with about("--week"):
        chosen = parse_week(week) if week else None
    # a week not yet closed on `today` is judged as of today and says so (本周尚未截止)
    report = None
    if not (doc or unit):
        from .fast import weekly_from_columns

        report = weekly_from_columns(_named_paths(paths), chosen, lang.value, today)
    if report is None:
        whole = None
        if doc or unit:  # the issue number counts the repository's weeks, not the part's
            whole, plan = _plans(paths, lang.value, doc, unit)
            snap = None
        else:
            plan, snap = _plan_and_snapshot(paths, lang.value, doc, unit)
        with about("--week"):
            chosen = chosen or reporting_week(today, plan.config.cutoff_weekday)
        report = build_weekly(plan, chosen, lang.value, today=today, snap=snap, whole=whole)
        if not (doc or unit):
            _save_week_parts(_named_paths(paths), snap, plan)
        _not_yet_tracked(plan, chosen, today, lang.value)
    _emit(render_reports([report], chosen_format), chosen_format, output, lang.value, force)


def _not_yet_tracked(plan: Plan, week: Week, today: dt.date, lang: str) -> None:
    """Say on stderr which documents the week's report leaves out as tracked only after its
    cut-off (`Plan.tracked_by`), when they are all it would cover (`--doc`) or some of it."""
    from ..report.weekly import period_of
    from ..text import inert

    end = period_of(week, plan.config, today).end
    later = [(d.id, d.tracked_on) for d in plan.documents if d.tracked_on and d.tracked_on > end]
    if later:
        names = "、".join(f"{inert(ident)}（{day}）" for ident, day in later)
        names_en = ", ".join(f"{inert(ident)} ({day})" for ident, day in later)
        say(
            lang,
            f"注意：{week.label} 截止时尚未纳入跟踪、本期周报不含的文件：{names}",
            f"note: documents not yet tracked when {week.label} closed, so left out of it: {names_en}",
        )


def _save_week_parts(named: list[str], snap: Snapshot | None, plan: Plan) -> None:
    """Make the side file by which the next report of this tree is made over the columns
    alone (`columns.WeekParts`), of the snapshot this run read or, on its first run, made."""
    from ..load import snapshot
    from ..report.columns import save_week_parts

    with contextlib.suppress(snapshot.Damaged):
        made = snap if snap is not None else snapshot.load(named, lazy=True)
        if made is not None:
            save_week_parts(named, made, plan)


def _named_paths(paths: Optional[list[Path]]) -> list[str]:
    from .views import _named

    return _named(paths)


@report_app.command()
def ledger(
    paths: PathsArg = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[Optional[LedgerFormat], format_option(_FORMATS_HELP % "xlsx, csv, md")] = None,
    columns: Annotated[
        Optional[str],
        typer.Option(
            "--columns",
            help="要输出的列，逗号分隔，如 序号,任务编号,完成状态（中文列名或英文键）· columns to include",
            show_default=False,
        ),
    ] = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    doc: DocOpt = None,
    unit: UnitOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """工作台账：每个目标一行，顺序与 status --format json 相同 · Task ledger: one row per target."""
    from ..report import ledger as build_ledger
    from ..report import ledger_column_keys

    names = (
        [c for c in (columns or "").replace("，", ",").split(",") if c.strip()] if columns else None
    )
    with about("--columns"):
        ledger_column_keys(names)
    chosen_format = _format(fmt, output, LedgerFormat)
    if output is not None and str(output) != "-":
        claim_output(output, lang.value, force)
    plan, results, registry, when = _judge(paths, as_of, lang.value, doc, unit)
    report = build_ledger(results, registry, plan.config, when, lang.value, names)
    if chosen_format == "csv":
        _emit(_csv(report), "csv", output, lang.value, force)
        return
    _emit(render_reports([report], chosen_format), chosen_format, output, lang.value, force)


def _csv(report: Report) -> bytes:
    """The ledger as CSV through the one CSV renderer (UTF-8 with BOM, formula-like cells defused)."""
    from ..render import csv

    return csv.render(report.sections[0].tables[0]).encode("utf-8")


@report_app.command()
def notices(
    paths: PathsArg = None,
    as_of: AsOfOpt = None,
    unit: Annotated[
        Optional[str], unit_option("只生成某个单位的督办单（名称或简称）· only this unit")
    ] = None,
    fmt: Annotated[Optional[NoticeFormat], format_option(_FORMATS_HELP % "md, html, docx")] = None,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            help="输出文件；已有目录或以 / 结尾时每个单位一个文件 · a file, or a directory (one file per unit)",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
    doc: DocOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """督办单：每个有逾期或滞后事项的牵头或责任单位一份 · Supervision notices, one per unit."""
    from ..report import notices as build_notices
    from ..views import unit_names

    to_dir = output is not None and (Path(output).is_dir() or output.endswith(("/", os.sep)))
    chosen_format = _format(fmt, None if to_dir else output, NoticeFormat)
    plan, results, registry, when = _judge(paths, as_of, lang.value, doc)
    only = unit_names(registry, unit, option=None) if unit else None
    made = build_notices(results, registry, plan.config, when, lang.value, only)
    if not made:
        sys.stderr.write(
            "没有逾期或滞后事项，无需督办。\n"
            if lang is Lang.zh
            else "nothing is overdue or behind schedule: no notices.\n"
        )
        return
    if to_dir:
        _write_dir(Path(str(output)), made, chosen_format, lang.value, force)
        return
    _emit(
        render_reports([r for _, _, r in made], chosen_format),
        chosen_format,
        Path(output) if output else None,
        lang.value,
        force,
    )


def _write_dir(
    directory: Path, made: list[tuple[int, str, Report]], fmt: str, lang: str, force: bool
) -> None:
    import re

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        reason = e.strerror or str(e)
        fail(
            lang,
            f"无法创建目录 {directory}：{reason}",
            f"cannot create directory {directory}: {reason}",
        )
    digits = max(2, len(str(max(n for n, _, _ in made))))
    prefix = "督办单" if lang == "zh" else "notice"
    planned = []
    for n, unit, report in made:
        safe = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", unit).strip(" .")[:80] or "unit"
        path = directory / f"{n:0{digits}d}-{prefix}-{safe}.{fmt}"
        claim_output(path, lang, force)  # every name first: a refusal writes none of them
        planned.append((path, report))
    import gc

    # The command runs with the cycle collector off (cli/__init__.py); a docx document's tree
    # is full of cycles, so each notice's stayed until the end (5 MB a notice: 40 of them at a
    # province took 347 MB). What is loaded is set aside (`freeze`), so collecting after each
    # file looks at that file's objects only.
    gc.freeze()
    for path, report in planned:
        _write_file(path, render_reports([report], fmt), lang, force)
        gc.collect()
