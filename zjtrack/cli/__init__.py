"""The command line: `main()` is the console entry point; `app` (cli/app.py) holds the commands.

Kept apart from the commands so that `zjtrack --version` imports nothing else. One module per
command group: `check` and `schema` (check.py), the views (views.py), `record` (record.py),
`report …` (report.py), `import` and `init` (importing.py); what they share is in common.py.
"""

from __future__ import annotations

import contextlib
import os
import sys


def main() -> None:
    """Run one command: a fast path for --version, no traceback for a bug unless --debug, and a
    fast exit that leaves the loaded tree to the operating system."""
    for name in ("stdout", "stderr"):
        if (
            getattr(sys, name) is None
        ):  # started with that descriptor closed: say nothing, as print() would
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives until exit
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from .. import __version__

        sys.stdout.write(f"zjtrack {__version__}\n")
        return
    import gc

    # A command lives for well under a minute and builds hundreds of thousands of small objects
    # at province scale; the cycle collector only adds superlinear pauses there.
    gc.disable()
    from . import common

    # The process ends right after the command: its loaded tree is left to the OS instead of
    # being freed object by object (about 0.2 s for a province's million values), as mypy does.
    # Not under a profiler or a coverage tracer: they write their results from atexit handlers.
    if sys.gettrace() is not None or sys.getprofile() is not None:
        run(argv)
        return
    common.KEEP_ALIVE = []
    try:
        run(argv)
        code = 0
    except SystemExit as e:
        if isinstance(e.code, str):
            sys.stderr.write(e.code + "\n")
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    _exit(code)


def run(argv: list[str]) -> None:
    """One command in this process (raises SystemExit with its exit code): the typer app, with
    exit codes for interrupts, closed pipes and bugs."""
    debug = "--debug" in argv or os.environ.get("ZJTRACK_DEBUG") == "1"
    if "--debug" in argv:
        argv.remove("--debug")
    from .app import app

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
        from ..problems import ExitCode

        kind = sys.exc_info()[0]
        sys.stderr.write(
            f"zjtrack 内部错误 · internal error ({kind.__name__ if kind else 'unknown'}).\n"
            "这是 zjtrack 的缺陷，请附上命令与文件报告问题；加 --debug 查看详细信息。\n"
            "This is a bug in zjtrack: please report it with the command and files; "
            "--debug shows the traceback.\n"
        )
        sys.exit(ExitCode.INTERNAL)


def _exit(code: int) -> None:
    """Flush what was written, then end without tearing down every object."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)
