"""The command line: parse options, call the core, choose a renderer, print, exit.

Start-up is kept lean: this module imports only typer; every command imports what it needs.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from .loader import LoadResult
    from .problems import Problem
    from .views import Table

app = typer.Typer(
    name="zjtrack",
    help="跟踪政策文件的每一项任务目标 · Track every target of a policy document.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_PATHS = [Path("tasks")]


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class CheckFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"


class TableFormat(str, Enum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"


PathsArg = Annotated[
    Optional[list[Path]],
    typer.Argument(help="任务文件或目录（默认 ./tasks）· task files or directories (default ./tasks)",
                   show_default=False),
]
LangOpt = Annotated[
    Lang,
    typer.Option("--lang", envvar="ZJTRACK_LANG", help="输出语言 · output language (zh, en)"),
]


def _echo(text: str, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text)
    stream.flush()


def _load(paths: Optional[list[Path]]) -> LoadResult:
    from .loader import load_paths

    return load_paths([str(p) for p in (paths or DEFAULT_PATHS)])


def _lines_of() -> object:
    """A cached reader of a file's lines, for showing the offending line under a problem."""
    cache: dict[str, list[str]] = {}

    def lines(path: str) -> list[str]:
        if path not in cache:
            try:
                text = Path(path).read_bytes().decode("utf-8-sig", "replace")
            except OSError:
                text = ""
            cache[path] = text.splitlines()
        return cache[path]

    return lines


def _fail_unreadable(problems: list[Problem], lang: str) -> None:
    """Paths that cannot be read at all end the command with exit 2 before anything else."""
    from .problems import ExitCode
    from .render.problems import render_text

    unreadable = [p for p in problems if p.code == "unreadable"]
    if unreadable:
        _echo(render_text(unreadable, lang, lambda _: []), err=True)
        raise typer.Exit(ExitCode.USAGE)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="显示版本 · show the version")] = False,
) -> None:
    """跟踪政策文件的每一项任务目标 · Track every target of a policy document."""
    if version:
        from . import __version__

        _echo(f"zjtrack {__version__}\n")
        raise typer.Exit()


@app.command()
def check(
    paths: PathsArg = None,
    strict: Annotated[bool, typer.Option("--strict", help="警告也视为失败 · fail on warnings too")] = False,
    fmt: Annotated[
        Optional[CheckFormat],
        typer.Option("--format", "-f", help="text, github（GITHUB_ACTIONS 时默认）, json", show_default=False),
    ] = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """检查任务文件 · Check task files: structure, references, dates and targets.

    退出码 · exit codes: 0 无问题 ok; 1 有问题 problems; 2 路径不可读或用法错误 unreadable/usage.
    """
    from .checks import run_checks
    from .problems import ExitCode, Severity
    from .render import problems as render

    result = _load(paths)
    problems = sorted(result.problems + run_checks(result.plan), key=lambda p: p.sort_key())
    chosen = fmt or (CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text)
    if chosen is CheckFormat.json:
        _echo(render.render_json(problems, len(result.files), lang.value))
    elif chosen is CheckFormat.github:
        _echo(render.render_github(problems, lang.value))
    elif problems:
        _echo(render.render_text(problems, lang.value, _lines_of()))  # type: ignore[arg-type]
        _echo(render.summary(problems, len(result.files), lang.value) + "\n", err=True)
    if any(p.code == "unreadable" for p in problems):
        raise typer.Exit(ExitCode.USAGE)
    errors = any(p.severity is Severity.ERROR for p in problems)
    if errors or (strict and problems):
        raise typer.Exit(ExitCode.FINDINGS)


@app.command()
def targets(
    paths: PathsArg = None,
    doc: Annotated[Optional[str], typer.Option("--doc", help="只看某个文件 · only this document id")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="table, md, csv, json")] = TableFormat.table,
    lang: LangOpt = Lang.zh,
) -> None:
    """列出全部目标 · List every target (JSON fields are stable: see README)."""
    from .views import targets_table

    result = _load(paths)
    _fail_unreadable(result.problems, lang.value)
    _warn_if_problems(result, lang.value)
    table = targets_table(result.plan, lang.value)
    if doc:
        table.rows[:] = [r for r in table.rows if r["document"] == doc]
    _print_table(table, fmt, lang.value)


def _warn_if_problems(result: LoadResult, lang: str) -> None:
    """Views read what loads; they say (on stderr) when some files have problems."""
    from .problems import Severity

    errors = sum(p.severity is Severity.ERROR for p in result.problems)
    if errors:
        msg = (f"注意：任务文件有 {errors} 个错误，结果可能不完整；运行 zjtrack check 查看。\n" if lang == "zh"
               else f"note: the task files have {errors} errors, results may be incomplete; run zjtrack check.\n")
        _echo(msg, err=True)


def _print_table(table: Table, fmt: TableFormat, lang: str, title: str | None = None) -> None:
    from .render import table as render

    if fmt is TableFormat.json:
        _echo(render.render_json(table))
    elif fmt is TableFormat.csv:
        sys.stdout.buffer.write(render.render_csv(table, lang).encode("utf-8"))
        sys.stdout.flush()
    elif fmt is TableFormat.md:
        _echo(render.render_md(table, lang))
    elif not sys.stdout.isatty() or len(table.rows) > 500:
        _echo(render.render_plain(table, lang))
    else:
        from rich.console import Console

        Console().print(render.render_rich(table, lang, title))


@app.command()
def schema() -> None:
    """输出任务文件格式的 JSON Schema · Print the task-file JSON Schema (for editors)."""
    import json

    from .schema import json_schema

    _echo(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Console entry point: a fast path for --version, and no traceback for a bug unless --debug."""
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from . import __version__

        sys.stdout.write(f"zjtrack {__version__}\n")
        return
    debug = "--debug" in argv or os.environ.get("ZJTRACK_DEBUG") == "1"
    if "--debug" in argv:
        argv.remove("--debug")
    try:
        app(args=argv, prog_name="zjtrack")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception:
        if debug:
            raise
        from .problems import ExitCode

        kind = sys.exc_info()[0]
        sys.stderr.write(
            f"zjtrack 内部错误 · internal error ({kind.__name__ if kind else 'unknown'}).\n"
            "这是 zjtrack 的缺陷，请附上命令与文件报告问题；加 --debug 查看详细信息。\n"
            "This is a bug in zjtrack: please report it with the command and files; "
            "--debug shows the traceback.\n"
        )
        sys.exit(ExitCode.INTERNAL)
