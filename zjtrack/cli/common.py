"""What every command group shares: the language and path options, the as-of date, loading
through the cache, the two ways a view stops early (unreadable paths, files with errors), and
`edge`, the one place where a refused request (`problems.UserError`) becomes a message and an
exit code.

Only typer and problems (for UserError, a small module) are imported at start-up; everything
else inside the function that needs it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional, ParamSpec, TypeVar

import typer

from ..problems import UserError
from . import base, objects

if TYPE_CHECKING:
    from ..load.cache import FileCache
    from ..load.loader import LoadResult
    from ..problems import Problem

# typer-free parts shared with the views' fast path (cli/fast.py), re-exported for the commands
INCOMPLETE = base.INCOMPLETE
INPUTS = base.INPUTS
about = base.about
as_of_date = base.as_of_date
degrade_encoding = base.degrade_encoding
echo = base.echo
echo_json = base.echo_json
output_failed = base.output_failed
print_view = base.print_view
today = base.today

DEFAULT_PATHS = [Path("tasks")]
ROOT: str | None = None  # --root / ZJTRACK_ROOT: the task repository, set by the app's callback


class Lang(str, Enum):
    zh = "zh"
    en = "en"


PathsArg = Annotated[
    Optional[list[Path]],
    typer.Argument(
        help="任务文件或目录（默认 ./tasks）· task files or directories (default ./tasks)",
        show_default=False,
    ),
]
LangOpt = Annotated[
    Lang,
    typer.Option("--lang", envvar="ZJTRACK_LANG", help="输出语言 · output language (zh, en)"),
]


AsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        envvar="ZJTRACK_AS_OF",
        help="统计日期（默认今天）· judge as of this date (YYYY-MM-DD)",
        show_default=False,
    ),
]


WidthOpt = Annotated[
    Optional[int],
    typer.Option(
        "--width",
        min=40,
        help="按此列数排版（默认：终端宽度；管道与文件为完整的纯文本）· lay out for N columns",
        show_default=False,
    ),
]

TasksOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--tasks",
        help="任务目录（默认：--root 或 ZJTRACK_ROOT，否则 ./tasks）"
        " · the tasks directory (default: --root or ZJTRACK_ROOT, else ./tasks)",
        show_default=False,
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="覆盖不是 zjtrack 生成的已有文件 · replace an existing file zjtrack did not write",
    ),
]


def format_option(choices: str) -> Any:
    """`--format/-f`, the same flag on every command that has formats; `choices` is its help."""
    return typer.Option("--format", "-f", help=choices)


def unit_option(help: str) -> Any:
    """`--unit NAME` (a name or an alias, resolved through the registry)."""
    return typer.Option("--unit", help=help, show_default=False)


def tasks_folder(option: Optional[Path]) -> Path:
    """The folder a writer (`record`, `intake`) writes into: `--tasks`, else the repository the
    views read (`--root` / ZJTRACK_ROOT), else ./tasks. One rule, so that a record never lands in
    another repository than the one `status` shows."""
    folder = option if option is not None else Path(ROOT) if ROOT else DEFAULT_PATHS[0]
    named = "--tasks" if option is not None else "--root" if ROOT else None
    if folder.exists() and not folder.is_dir():
        fail(
            "zh",
            f"{folder} 是文件，不是任务目录" + (f"（{named}）" if named else ""),
            f"{folder} is a file, not a tasks directory" + (f" ({named})" if named else ""),
        )
    if folder.is_dir() and not any((folder / n).is_file() for n in ("units.yaml", "config.yaml")):
        fail(
            "zh",
            f"{folder} 不是任务目录：其中没有 units.yaml 或 config.yaml。"
            "请用 --tasks 指向任务目录（或用 zjtrack init 新建一个）。",
            f"{folder} is not a tasks directory: it holds no units.yaml or config.yaml. "
            "Point --tasks at the tasks directory (or make one with zjtrack init).",
        )
    return folder


def file_cache() -> FileCache | None:
    """The parse cache of this run (None when turned off)."""
    return objects.file_cache()


def named_paths(paths: Optional[list[Path]]) -> list[str]:
    """What a command reads: the paths named, else --root (ZJTRACK_ROOT), else ./tasks."""
    return objects.named_paths(paths, ROOT)


def load(paths: Optional[list[Path]]) -> LoadResult:
    return objects.load(paths, ROOT)


identities = objects.identities
warn_if_problems = objects.warn_if_problems


def fail_unreadable(problems: list[Problem], lang: str) -> None:
    """Paths that cannot be read at all end the command with exit 2 before anything else."""
    if objects.say_unreadable(problems, lang):
        from ..problems import ExitCode

        raise typer.Exit(ExitCode.USAGE)


def say(lang: str, zh: str, en: str) -> None:
    """A message on stderr, in the user's language."""
    echo((zh if lang == "zh" else en) + "\n", err=True)


def fail(lang: str, zh: str, en: str) -> NoReturn:
    """A usage error: the message on stderr, exit 2, nothing written (through `edge`, like every
    refusal; `lang` is left to it)."""
    raise UserError(zh, en)


P = ParamSpec("P")
R = TypeVar("R")


def _fail_output(e: OSError, lang: str) -> NoReturn:
    from ..problems import ExitCode

    output_failed(e, lang)
    raise typer.Exit(ExitCode.USAGE)


def edge(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so that a UserError from anywhere below it is shown once, in the language
    of its --lang (or ZJTRACK_LANG): with an option, as typer shows a bad parameter (usage, then
    `Invalid value for OPTION: …`, exit 2); without, the message alone on stderr and its exit
    code. cli/app.py wraps every command it registers."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        INCOMPLETE.set(None)
        INPUTS.set(frozenset())
        degrade_encoding()
        try:
            out = command(*args, **kwargs)
            sys.stdout.flush()  # a full disk or device says so now, not silently at exit
        except BrokenPipeError:
            raise  # the reader left: cli.run ends quietly
        except OSError as e:
            from . import OUTPUT_FAILED

            if e.errno not in OUTPUT_FAILED:
                raise
            chosen = kwargs.get("lang") or os.environ.get("ZJTRACK_LANG") or "zh"
            _fail_output(e, "en" if chosen == "en" else "zh")
        except typer.Exit as e:
            if e.exit_code == 0 and INCOMPLETE.get():
                raise typer.Exit(1) from None
            raise
        except UserError as e:
            chosen = kwargs.get("lang") or os.environ.get("ZJTRACK_LANG") or "zh"
            # made inert here, once: a refusal often quotes a task file (a unit, a name)
            from ..text import inert

            text = inert(e.message("en" if chosen == "en" else "zh"))
            if e.option is not None:
                raise typer.BadParameter(text, param_hint=e.option) from None
            echo(text + "\n", err=True)
            raise typer.Exit(e.exit_code) from None
        if INCOMPLETE.get():  # its output is written, and marked: the run still failed
            raise typer.Exit(1)
        return out

    return run


def write_output(path: Path, data: bytes, lang: str, force: bool = False) -> None:
    """Write a whole output file (a report, a form) in one step, or refuse (exit 2, nothing
    written): see store/outputs.py for what may be replaced, store/atomic.py for how."""
    from ..store.atomic import write_atomic

    claim_output(path, lang, force)
    try:
        write_atomic(path, data)
    except OSError as e:
        reason = e.strerror or str(e)
        fail(lang, f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}")


def claim_output(path: Path, lang: str, force: bool = False) -> None:
    """Refuse (exit 2) a destination that may not be replaced, before any work is done for it;
    `write_output` asks again when it writes."""
    from ..load.files import KIND_NAMES
    from ..store.outputs import refusal

    why = refusal(path, force=force)
    with contextlib.suppress(OSError):
        st = os.lstat(path)
        if (st.st_dev, st.st_ino) in INPUTS.get():
            fail(
                lang,
                f"{path} 是本命令读取的任务文件，不能被输出覆盖；请换一个文件名。",
                f"{path} is a task file this command read; it is never replaced by its output. "
                "Give another file name.",
            )
    if why is not None and why.reason == "special":
        zh_kind, en_kind = KIND_NAMES.get(why.kind, KIND_NAMES["special"])
        if why.kind == "directory":
            fail(
                lang, f"{path} 是目录；请给出文件名。", f"{path} is a directory; give a file name."
            )
        fail(
            lang,
            f"{path} 是{zh_kind}，不是普通文件：不写入，也不跟随或替换它；请换一个文件名。",
            f"{path} is {en_kind}, not a regular file: it is neither followed nor replaced; "
            "give another file name.",
        )
    if why is not None and why.reason == "input":
        fail(
            lang,
            f"{path} 是 YAML 文件（任务、进展、单位或配置文件），不能被报告覆盖；请换一个文件名。",
            f"{path} is a YAML file (a task, progress, units or config file) and is never "
            "replaced by a report; give another file name.",
        )
    if why is not None:
        fail(
            lang,
            f"{path} 已存在，且不是 zjtrack 生成的文件：未写入。要覆盖请加 --force，或换一个文件名。",
            f"{path} exists and was not written by zjtrack: nothing written. Use --force to "
            "replace it, or give another file name.",
        )
