"""`zjtrack check` and `zjtrack schema`: the task files' problems, and their format as JSON Schema."""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import common
from .common import (
    AsOfOpt,
    Lang,
    LangOpt,
    PathsArg,
    as_of_date,
    echo,
    echo_json,
    file_cache,
    load,
    named_paths,
)

if TYPE_CHECKING:
    import datetime as dt

    from ..problems import Problem


class CheckFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"


def _lines_of() -> Callable[[str], list[str]]:
    """A cached reader of a file's lines, for showing the offending line under a problem."""
    from ..load.files import MAX_BYTES, read_regular  # never a link's target, never a FIFO

    cache: dict[str, list[str]] = {}

    def lines(path: str) -> list[str]:
        if path not in cache:
            try:
                text = read_regular(path, MAX_BYTES)[0].decode("utf-8-sig", "replace")
            except OSError:
                text = ""
            cache[path] = text.splitlines()
        return cache[path]

    return lines


def _problems(paths: PathsArg, when: dt.date) -> tuple[list[Problem], list[Problem], list[str]]:
    """The loader's and the checks' problems, and the files read: over each file's cached facts
    (`crosscheck`) when the tree allows, else over the whole model."""
    from ..crosscheck import check_tree

    store = file_cache()
    named = named_paths(paths)
    fast = check_tree(named, store, when)
    if fast is not None:
        common.INPUTS.set(common.identities(fast[2]))
        return fast
    from ..checks import run_checks

    result = load(paths)
    return result.problems, run_checks(result.plan, when), result.files


def check(
    paths: PathsArg = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="警告也视为失败 · fail on warnings too")
    ] = False,
    fmt: Annotated[
        Optional[CheckFormat],
        typer.Option(
            "--format", "-f", help="text, github（GITHUB_ACTIONS 时默认）, json", show_default=False
        ),
    ] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """检查任务文件 · Check task files: structure, references, dates and targets.

    退出码 · exit codes: 0 无问题 ok; 1 有问题 problems; 2 路径不可读或用法错误 unreadable/usage.
    """
    from ..checks import arrange
    from ..problems import ExitCode, Severity
    from ..render import problems as render

    when = as_of_date(as_of, lang.value)
    loaded, checked, files = _problems(paths, when)
    problems = arrange(loaded, checked)
    chosen = fmt or (
        CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text
    )
    if chosen is CheckFormat.json:
        echo_json([render.render_json(problems, len(files), lang.value)])
    elif chosen is CheckFormat.github:
        echo(render.render_github(problems, lang.value))
    elif problems:
        echo(render.render_text(problems, lang.value, _lines_of()))
        echo(render.summary(problems, len(files), lang.value) + "\n", err=True)
    if any(p.unread for p in problems):
        raise typer.Exit(ExitCode.USAGE)
    errors = any(p.severity is Severity.ERROR for p in problems)
    if errors or (strict and problems):
        raise typer.Exit(ExitCode.FINDINGS)


def schema() -> None:
    """输出任务文件格式的 JSON Schema · Print the task-file JSON Schema (for editors)."""
    import json

    from ..schema import json_schema

    echo(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
