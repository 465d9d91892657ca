"""The object model's side of the commands, without typer: loading the tree a command names, what
it says of paths it cannot read and of files with errors, and the views `status`, `overdue` and
`due` judged over the loaded objects.

The typer commands (cli/views.py, through common.py) and the router (cli/fast.py, when the
snapshot cannot represent a view) run these same functions. They never end the run themselves:
a view returns its exit code, and each caller ends the run its own way (typer.Exit, SystemExit).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..problems import ExitCode, UserError
from . import base
from .base import INCOMPLETE, INPUTS, as_of_date, echo

if TYPE_CHECKING:
    from ..evaluate import TargetResult
    from ..load.cache import FileCache
    from ..load.loader import LoadResult
    from ..model import Target
    from ..problems import Problem
    from ..registry import Registry
    from .fast import FailOn, TableFormat

Paths = Optional[Sequence["str | Path"]]
Select = Callable[[dt.date], Callable[["Target"], bool]]


def file_cache() -> FileCache | None:
    """The parse cache of this run (None when turned off)."""
    from ..load import cache

    return cache.FileCache(cache.cache_dir()) if cache.enabled() else None


def named_paths(paths: Paths, root: str | None) -> list[str]:
    """What a command reads: the paths named, else the repository (`root`: --root or
    ZJTRACK_ROOT), else ./tasks."""
    if root is not None and Path(root).exists() and not Path(root).is_dir():
        raise UserError(
            f"{root} 是文件，不是任务目录（--root）",
            f"{root} is a file, not a tasks directory (--root)",
        )
    return [str(p) for p in paths] if paths else [root or "tasks"]


def load(paths: Paths, root: str | None) -> LoadResult:
    """The tree `paths` names (see `named_paths`), through the parse cache; its files are this
    command's inputs (`INPUTS`)."""
    from ..load.loader import load_paths

    store = file_cache()
    named = named_paths(paths, root)
    result = load_paths(named, store, root)
    INPUTS.set(identities(result.files))
    if base.KEEP_ALIVE is not None:
        base.KEEP_ALIVE.append(result)
    return result


def identities(paths: Iterable[str]) -> frozenset[tuple[int, int]]:
    """(device, inode) of each file read, to know a destination that is one of them."""
    out = set()
    for path in paths:
        with contextlib.suppress(OSError):
            st = os.stat(path)
            out.add((st.st_dev, st.st_ino))
    return frozenset(out)


def say_unreadable(problems: list[Problem], lang: str) -> bool:
    """Paths that cannot be read at all, said on stderr: True when there are any (the command
    then ends with exit 2 before anything else)."""
    unreadable = [p for p in problems if p.unread]
    if not unreadable:
        return False
    from ..render.problems import render_text

    echo(render_text(unreadable, lang, lambda _: []), err=True)
    return True


def warn_if_problems(result: LoadResult, lang: str, *, fails: bool = True) -> str | None:
    """A view or report over files with errors is incomplete (a file not read in full), or may be
    wrong (errors only `check`'s cross-file rules find): say which files on stderr, and end the
    command with exit 1 after its output (`edge` does; the router as it). Returns the one-line
    notice for the output itself (a report's first lines, a view's JSON), or None when every
    file read cleanly and `check` finds no error. `fails=False`: said only, the exit code left
    to the command (a writer, `record` and `intake`, ends by what it wrote)."""
    from ..text import inert

    broken = {inert(path): n for path, n in result.broken().items()}  # a file name is text too
    doubtful = {} if broken else {inert(path): n for path, n in result.doubtful().items()}
    if not broken and not doubtful:
        return None
    files = "、".join(f"{path}（{n}）" for path, n in (broken or doubtful).items())
    files_en = ", ".join(f"{path} ({n})" for path, n in (broken or doubtful).items())
    if broken:
        zh = f"结果不完整：以下文件有错误，未能全部读取：{files}。运行 zjtrack check 查看。"
        en = (
            f"incomplete: these files have errors and were not fully read: {files_en}. "
            "Run zjtrack check."
        )
    else:
        zh = f"结果可能不准确：zjtrack check 在以下文件中发现错误：{files}。运行 zjtrack check 查看。"
        en = f"may be wrong: zjtrack check finds errors in these files: {files_en}. Run zjtrack check."
    notice = zh if lang == "zh" else en
    if fails:
        INCOMPLETE.set(notice)
    echo(f"{notice}\n", err=True)
    return notice


Judged = tuple[list["TargetResult"], "Registry", dt.date]


def judge(
    paths: Paths,
    root: str | None,
    as_of: Optional[str],
    lang: str,
    select: Select | None = None,
    doc: Optional[str] = None,
    snapshot_missing: bool = False,
    with_json: bool = False,
) -> Judged | int:
    """Load (one document only, with `doc`), then judge every target as of the date (or only
    those `select(as_of)` keeps). An int instead: the exit code the command ends with now
    (paths that cannot be read, said on stderr)."""
    import time

    from ..evaluate import evaluate
    from ..registry import Registry
    from ..views import narrow

    when = as_of_date(as_of, lang)
    began_ns = time.time_ns()
    result = load(paths, root)
    if say_unreadable(result.problems, lang):
        return int(ExitCode.USAGE)
    warn_if_problems(result, lang)
    if snapshot_missing:  # the next view reads the tree's columns instead (load/snapshot.py)
        from ..load import snapshot

        snapshot.save(named_paths(paths, root), result, began_ns, with_json)
    registry = Registry(result.plan.units)
    plan = narrow(result.plan, registry, doc=doc, unit=None)
    return evaluate(plan, when, select(when) if select else None), registry, when


def view(
    kind: str,
    paths: Paths,
    root: str | None,
    as_of: Optional[str],
    lang: str,
    fmt: TableFormat,
    fail_on: Optional[FailOn],
    width: int | None = None,
    days: Callable[[dt.date], int] | None = None,
    doc: Optional[str] = None,
    unit: Optional[str] = None,
    status: Optional[str] = None,
    level: Optional[str] = None,
    snapshot_missing: bool = False,
) -> int:
    """`status`, `overdue` or `due` (`days`: how many days ahead, as of a date) over the object
    model, with the filters given: written, and the exit code returned (`--fail-on`'s, or 2 for
    paths that cannot be read). `snapshot_missing`: the tree has no valid snapshot, made now."""
    from ..evaluate import Status, deadline_passed, deadline_within
    from ..views import filter_results, results_table
    from .fast import TITLES, TableFormat, exit_code, print_table

    keep: Callable[[TargetResult, dt.date], bool] | None = None
    select: Select | None = None
    if kind == "overdue":
        keep, select = (lambda r, _when: r.status is Status.OVERDUE), deadline_passed
    elif kind == "due":
        assert days is not None
        keep = lambda r, when: r.due_within(days(when))  # noqa: E731
        select = lambda when: deadline_within(when, days(when))  # noqa: E731
    with_json = kind == "status" and fmt is TableFormat.json and snapshot_missing
    judged = judge(paths, root, as_of, lang, select, doc, snapshot_missing, with_json)
    if isinstance(judged, int):
        return judged
    results, registry, when = judged
    chosen = filter_results(results, registry, unit=unit, status=status, level=level)
    if keep is not None:
        chosen = [r for r in chosen if keep(r, when)]
    table = results_table(kind, chosen, registry, lang, results, full=fmt is TableFormat.json)
    title = TITLES[kind] if lang == "zh" else kind
    print_table(
        table,
        fmt,
        lang,
        f"{title} · {when.isoformat()}",
        extra={"as_of": when.isoformat()},
        width=width,
    )
    return exit_code([r.status for r in chosen], fail_on)
