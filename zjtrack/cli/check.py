"""`zjtrack check` and `zjtrack schema`: the task files' problems, and their format as JSON Schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import checking, common
from .checking import CheckFormat
from .common import (
    AsOfOpt,
    Lang,
    LangOpt,
    PathsArg,
    echo,
)

if TYPE_CHECKING:
    pass


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
    code = checking.check(paths, common.ROOT, strict, fmt, as_of, lang.value)
    if code:
        raise typer.Exit(code)


def schema() -> None:
    """输出任务文件格式的 JSON Schema · Print the task-file JSON Schema (for editors)."""
    import json

    from ..schema import json_schema

    echo(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
