"""`zjtrack check` without typer: the typer command (cli/check.py) and the router (cli/fast.py)
run this same function, which returns the exit code; each caller ends the run its own way."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from . import objects
from .base import INPUTS, as_of_date, echo, echo_json

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


def _problems(
    paths: Optional[Sequence[str | Path]], root: str | None, when: dt.date
) -> tuple[list[Problem], list[Problem], list[str]]:
    """The loader's and the checks' problems, and the files read: over each file's cached facts
    (`crosscheck`) when the tree allows, else over the whole model."""
    from ..crosscheck import check_tree

    store = objects.file_cache()
    named = objects.named_paths(paths, root)
    fast = check_tree(named, store, when)
    if fast is not None:
        INPUTS.set(objects.identities(fast[2]))
        return fast
    from ..checks import run_checks

    result = objects.load(paths, root)
    return result.problems, run_checks(result.plan, when), result.files


def check(
    paths: Optional[Sequence[str | Path]],
    root: str | None,
    strict: bool,
    fmt: Optional[CheckFormat],
    as_of: Optional[str],
    lang: str,
) -> int:
    """The task files' problems written (text, GitHub annotations or JSON); the exit code: 0 none
    (or warnings only, without `strict`), 1 findings, 2 paths that cannot be read."""
    from ..checks import arrange
    from ..problems import ExitCode, Severity
    from ..render import problems as render

    when = as_of_date(as_of, lang)
    loaded, checked, files = _problems(paths, root, when)
    problems = arrange(loaded, checked)
    chosen = fmt or (
        CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text
    )
    if chosen is CheckFormat.json:
        echo_json([render.render_json(problems, len(files), lang)])
    elif chosen is CheckFormat.github:
        echo(render.render_github(problems, lang))
    elif problems:
        echo(render.render_text(problems, lang, _lines_of()))
        echo(render.summary(problems, len(files), lang) + "\n", err=True)
    if any(p.unread for p in problems):
        return int(ExitCode.USAGE)
    errors = any(p.severity is Severity.ERROR for p in problems)
    if errors or (strict and problems):
        return int(ExitCode.FINDINGS)
    return 0
