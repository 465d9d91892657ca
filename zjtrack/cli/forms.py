"""`zjtrack form`, `intake`, `reported` and `remind`: units' figures in and out as Excel/WPS forms.

The core (zjtrack/forms/) decides; this module reads the files and the clock (the as-of date),
asks before writing, prints, and exits. openpyxl is imported only by the core's form modules.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..text import inert
from .common import (
    AsOfOpt,
    ForceOpt,
    Lang,
    LangOpt,
    PathsArg,
    TasksOpt,
    about,
    as_of_date,
    claim_output,
    echo,
    echo_json,
    fail,
    fail_unreadable,
    file_cache,
    format_option,
    load,
    say,
    tasks_folder,
    today,
    unit_option,
    warn_if_problems,
    write_output,
)
from .fast import TableFormat
from .views import FormatOpt

if TYPE_CHECKING:
    import datetime as dt

    from ..forms.intake import Outcome
    from ..forms.period import Period
    from ..load.cache import FileCache
    from ..model import Plan


class FormFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


PeriodOpt = Annotated[
    Optional[str],
    typer.Option(
        "--period",
        help="报送期次：2026-W49（按周）或 2026-12（按月）；默认统计日期所在的一期 · the period",
        show_default=False,
    ),
]


def _period(plan: Plan, text: Optional[str], when: dt.date) -> Period:
    from ..forms.period import parse_period, period_of

    return parse_period(text, plan.config) if text else period_of(when, plan.config)


def _write(path: Path, data: bytes, lang: str, force: bool = False) -> None:
    write_output(path, data, lang, force)


def _mkdir(directory: Path, lang: str) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        reason = e.strerror or str(e)
        fail(lang, f"无法创建目录 {directory}：{reason}", f"cannot create {directory}: {reason}")


def form(
    paths: PathsArg = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="输出目录 · the folder to write the forms into")
    ] = Path("报送表"),
    unit: Annotated[
        Optional[str],
        unit_option("只生成该单位的报送表（可用简称）· only this unit's form"),
    ] = None,
    period: PeriodOpt = None,
    fmt: Annotated[FormFormat, format_option("xlsx（默认）或 csv · xlsx or csv")] = FormFormat.xlsx,
    as_of: AsOfOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """生成各单位本期的报送表（每个单位一个文件）· Write each unit's form for a period.

    每个单位一个工作簿：牵头和配合的目标各占一行（牵头在前），灰色单元格锁定，白色单元格填写；
    填好后原样发回，用 zjtrack intake 收取。报送表总是中文，--lang 只改变提示信息。· One
    workbook per unit; units fill in the white cells and send it back; `zjtrack intake` takes
    it in. The forms are always in Chinese: --lang changes the messages only.
    """
    from ..evaluate import evaluate
    from ..forms.form import build_forms, unlisted
    from ..forms.write import file_names, form_csv, form_xlsx
    from ..registry import Registry
    from ..views import unit_names

    when = as_of_date(as_of)
    result = load(paths)
    fail_unreadable(result.problems, lang.value)
    warn_if_problems(result, lang.value)
    plan = result.plan
    registry = Registry(plan.units)
    chosen = _period(plan, period, when)
    results = evaluate(plan, when)
    forms = build_forms(results, registry, chosen)
    missing = unlisted(results)
    if missing:  # said, not left out silently; the forms written are right for the rest
        ids = "、".join(missing) if lang is Lang.zh else ", ".join(missing)
        say(
            lang.value,
            f"以下目标按对象考核但未登记对象名单，未列入任何报送表：{ids}。"
            "请在任务文件的 entities（或专班决定文件的 decisions.entities）中登记对象后重新生成。",
            f"these targets are judged per entity but list no entities, so no form asks for them: "
            f"{ids}. List them in the task file's entities (or a decisions file's "
            "decisions.entities), then make the forms again.",
        )
    if unit:
        wanted = unit_names(registry, unit)
        forms = {n: f for n, f in forms.items() if n in wanted}
        if not forms:
            fail(
                lang.value,
                f"{'、'.join(sorted(wanted))} 本期没有需要报送的目标",
                f"{', '.join(sorted(wanted))} has no targets to report this period",
            )
    _mkdir(output, lang.value)
    made = list(forms.values())
    paths = [output / name for name in file_names(made, f".{fmt.value}")]
    for path in paths:  # every name first: a refusal writes none of them
        claim_output(path, lang.value, force)
    # every form made before one is written: a form that cannot be made writes none
    data = [
        form_xlsx(f, plan.config.form_password) if fmt is FormFormat.xlsx else form_csv(f)
        for f in made
    ]
    for path, content in zip(paths, data, strict=True):
        _write(path, content, lang.value, force)
    say(
        lang.value,
        f"已生成 {len(forms)} 份报送表（{chosen.label}，{chosen.due.isoformat()} 前报送）：{output}",
        f"wrote {len(forms)} forms ({chosen.label}, due {chosen.due.isoformat()}): {output}",
    )


def _read_files(files: list[Path], lang: str) -> list[tuple[str, bytes]]:
    from ..forms.read import MAX_BYTES

    out = []
    for path in files:
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise IsADirectoryError(21, "不是文件 / not a file")
            # a file past the limit is refused by the reader; read no more of it than that
            with path.open("rb") as fh:
                data = fh.read(MAX_BYTES + 1) if size > MAX_BYTES else fh.read()
        except OSError as e:
            reason = e.strerror or str(e)
            fail(lang, f"无法读取 {path}：{reason}", f"cannot read {path}: {reason}")
        out.append((path.name, data))
    return out


def intake(
    files: Annotated[
        list[Path], typer.Argument(help="发回的报送表（xlsx 或 csv）· returned forms")
    ],
    tasks: TasksOpt = None,
    period: PeriodOpt = None,
    unit: Annotated[
        Optional[str],
        unit_option("这些文件应属于该单位 · the files must be this unit's"),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="不询问，直接记录（供脚本使用）· record without asking"),
    ] = False,
    receipts: Annotated[
        Optional[Path],
        typer.Option(
            "--receipts",
            help="回执目录（默认 回执/期次）· where the receipts go (default 回执/PERIOD)",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """收取发回的报送表：逐格校验，先预览，确认后记录 · Take returned forms in: every cell
    checked, a preview, then the records.

    一个文件的记录要么全部写入，要么一条也不写；有问题的文件整表退回，并写明单元格、问题与改法。
    同一内容再次收取不会重复记录。原件存入 任务目录/returns/期次/，每条记录以它为来源；每个单位
    一份回执（md 与 docx）。· All of a file's records or none; refused files name every cell;
    taking the same content twice records nothing new; originals are kept under
    tasks/returns/PERIOD/ and cited by each record; a receipt per unit in md and docx.
    """
    from ..forms import intake as core
    from ..load.loader import load_paths
    from ..registry import Registry
    from ..views import unit_names

    when = as_of_date(as_of)
    tasks_dir = tasks_folder(tasks)
    if not tasks_dir.is_dir():
        fail(
            lang.value,
            f"任务目录 {tasks_dir} 不存在",
            f"tasks directory {tasks_dir} does not exist",
        )
    data = _read_files(files, lang.value)
    store = file_cache()
    with core.locked(tasks_dir):
        result = load_paths([str(tasks_dir)], store)
        # said, but not the exit code: a writer's run ends by what it wrote, as `record`'s
        # does (a row it could not judge refuses its file; a progress file that does not load
        # refuses its records, `journal.check_append`)
        warn_if_problems(result, lang.value, fails=False)
        plan = result.plan
        with about("--period"):
            chosen = _period(plan, period, when)
        wanted = unit_names(Registry(plan.units), unit) if unit else None
        # stamped with the day it is taken in, whatever --as-of says (as `record` does)
        outcomes = core.plan_intake(data, plan, chosen, when, wanted, recorded_on=today())
        _preview_and_commit(outcomes, tasks_dir, yes, lang.value, store)
    _receipts(outcomes, chosen, when, plan.config.reporting_unit, receipts, lang.value)
    if any(not o.accepted for o in outcomes):
        raise typer.Exit(1)


def _preview_and_commit(
    outcomes: list[Outcome], tasks_dir: Path, yes: bool, lang: str, cache: FileCache | None
) -> None:
    from ..forms import intake as core
    from ..forms.receipt import preview_text

    echo(preview_text(outcomes, lang))
    todo = [o for o in outcomes if o.accepted and o.records]
    if not todo:
        say(lang, "没有需要记录的内容。", "nothing to record.")
        return
    total = sum(len(o.records) for o in todo)
    if not yes:
        question = (
            f"记录以上 {total} 条（{len(todo)} 个文件）？"
            if lang == "zh"
            else f"Record these {total} records ({len(todo)} files)?"
        )
        if not _confirm(question):
            say(
                lang,
                "未记录。加 --yes 可不经询问直接记录。",
                "nothing recorded (--yes records without asking).",
            )
            raise typer.Exit(0)
    for o in todo:
        try:
            core.commit(tasks_dir, o, cache)
        except OSError as e:
            reason = e.strerror or str(e)
            fail(
                lang,
                f"无法写入 {o.name} 的记录：{reason}（该文件的记录未写入；已写入的其他文件不受影响）",
                f"cannot write the records of {o.name}: {reason} (none of its records written)",
            )
    say(
        lang,
        f"已记录 {total} 条（{len(todo)} 个文件），原件存于 {tasks_dir / 'returns'}",
        f"recorded {total} records ({len(todo)} files); originals kept in {tasks_dir / 'returns'}",
    )


def _confirm(question: str) -> bool:
    """Ask on stderr; no answer (end of input) is no."""
    try:
        return typer.confirm(question, default=False, err=True)
    except typer.Abort:
        return False


def _receipts(
    outcomes: list[Outcome],
    period: Period,
    when: dt.date,
    author: str,
    directory: Optional[Path],
    lang: str,
) -> None:
    from ..forms.receipt import receipt
    from ..render import docx, markdown

    folder = directory or Path("回执") / period.label
    _mkdir(folder, lang)
    used: set[str] = set()
    for o in outcomes:
        report = receipt(o, period, when, author, lang)
        stem = file_name_for(o.unit or Path(o.name).stem, period.label)
        # a unit's second file, in this run or an earlier one: its own receipt, named by its
        # content; a receipt already given is never replaced (a refused file taken after a good
        # one must not turn 已收到并记录 into 表格已退回)
        if stem in used or any(folder.joinpath(stem + x).exists() for x in (".md", ".docx")):
            stem += f"-{o.digest[:8]}"
        used.add(stem)
        _write(folder / f"{stem}.md", markdown.render_reports([report]).encode("utf-8"), lang)
        _write(folder / f"{stem}.docx", docx.render([report]), lang)
    say(lang, f"回执：{folder}", f"receipts: {folder}")


def file_name_for(unit: str, period: str) -> str:
    safe = "".join("_" if ch in '/\\:*?"<>|' or ch < " " else ch for ch in unit)
    return f"{safe}-{period}-回执"


class ReturnsFailOn(str, Enum):
    missing = "missing"
    late = "late"


def reported(
    paths: PathsArg = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = TableFormat.table,
    fail_on: Annotated[
        Optional[ReturnsFailOn],
        typer.Option(
            "--fail-on",
            help="missing：有单位未报送时退出码为 1；late：未报送或逾期报送 · exit 1 when a unit "
            "has not reported (missing), or not on time (late)",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """报送情况：各单位本期按时报送、逾期报送或未报送，报送了几行 · Who has reported for a
    period: on time, late or not at all, and how many rows."""
    from ..forms.reported import standing_table, standings, summary, summary_text
    from .fast import print_table

    when = as_of_date(as_of)
    result = load(paths)
    fail_unreadable(result.problems, lang.value)
    warn_if_problems(result, lang.value)
    plan = result.plan
    with about("--period"):
        chosen = _period(plan, period, when)
    found = standings(plan, chosen, when)
    table = standing_table(found, chosen, lang.value)
    print_table(table, fmt, lang.value, extra={"summary": summary(found, chosen)})
    if fmt is TableFormat.table:
        echo("\n" + inert("\n".join(summary_text(found, chosen, lang.value))) + "\n")
    bad = {"missing"} if fail_on is ReturnsFailOn.missing else {"missing", "late"}
    if fail_on is not None and any(s.state in bad for s in found):
        raise typer.Exit(1)


class RemindFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


class Robot(str, Enum):
    dingtalk = "dingtalk"
    wecom = "wecom"


def remind(
    paths: PathsArg = None,
    period: PeriodOpt = None,
    unit: Annotated[Optional[str], unit_option("只提醒该单位 · only this unit")] = None,
    fmt: Annotated[
        RemindFormat,
        format_option("text（纯文本）、md（机器人 Markdown）、json"),
    ] = RemindFormat.text,
    send: Annotated[
        Optional[str],
        typer.Option(
            "--send",
            metavar="URL",
            help="发送到钉钉或企业微信群机器人的 webhook 地址（不加则只输出，不发送）· post to a robot webhook",
            show_default=False,
        ),
    ] = None,
    robot: Annotated[
        Optional[Robot],
        typer.Option("--robot", help="dingtalk 或 wecom（默认按地址判断）· the robot's kind"),
    ] = None,
    interval: Annotated[
        float,
        typer.Option(
            "--interval",
            min=0,
            help="两条消息之间的秒数（钉钉机器人每分钟至多 20 条）· seconds between messages",
        ),
    ] = 3.5,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """提醒：未报送、或牵头任务逾期/滞后/即将到期的单位，各一条短消息 · Reminders to units
    that have not reported or lead items overdue, behind or due soon.

    默认只输出消息，不发送；加 --send URL 才发送到群机器人 · nothing is sent unless --send is given.
    """
    import json
    import time

    from ..forms.remind import payload, post, reminders, robot_of
    from ..views import unit_names

    when = as_of_date(as_of)
    result = load(paths)
    fail_unreadable(result.problems, lang.value)
    warn_if_problems(result, lang.value)
    plan = result.plan
    with about("--period"):
        chosen = _period(plan, period, when)
    found = reminders(plan, chosen, when, lang.value)
    if unit:
        from ..registry import Registry

        wanted = unit_names(Registry(plan.units), unit)
        found = [r for r in found if r.unit in wanted]
    if send is None:
        if fmt is RemindFormat.json:
            rows = [
                {
                    "unit": r.unit,
                    "period": chosen.label,
                    "due": chosen.due.isoformat(),
                    "missing": r.missing,
                    "items": [it.target for it in r.items],
                    "text": r.plain(lang.value),
                    "markdown": r.markdown(lang.value),
                }
                for r in found
            ]
            echo_json(
                [json.dumps({"version": 1, "reminders": rows}, ensure_ascii=False, indent=2) + "\n"]
            )
        else:
            texts = [
                r.plain(lang.value) if fmt is RemindFormat.text else r.markdown(lang.value)
                for r in found
            ]
            echo(inert("\n".join(texts)))  # unit names and metrics are file text
        say(lang.value, f"共 {len(found)} 条提醒（未发送）", f"{len(found)} reminders (not sent)")
        return
    kind = robot_of(send, robot.value if robot else None)
    for i, r in enumerate(found):
        if i and interval:
            time.sleep(interval)  # the robots' rate limit (DingTalk: 20 a minute)
        try:
            post(send, payload(kind, r, lang.value))
        except Exception:
            say(
                lang.value,
                f"已发送 {i} 条，第 {i + 1} 条（{r.unit}）失败：",
                f"sent {i}; message {i + 1} ({r.unit}) failed:",
            )
            raise
    say(lang.value, f"已发送 {len(found)} 条提醒", f"sent {len(found)} reminders")
