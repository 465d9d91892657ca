"""The command line: `main()` is the console entry point; `app` (cli/app.py) holds the commands.

Kept apart from the commands so that `zjtrack --version` imports nothing else. One module per
command group: `check` and `schema` (check.py), the views (views.py), `record` (record.py),
`report …` (report.py), `import` and `init` (importing.py); what they share is in common.py.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys


def main() -> None:
    """Run one command: a fast path for --version, no traceback for a bug unless --debug, and a
    fast exit that leaves the loaded tree to the operating system."""
    if sys.stderr is None:  # started with stderr closed: messages go nowhere, exit codes still tell
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit
    if sys.stdout is None:  # started with stdout closed: a command that writes a result says so
        sys.stdout = _Closed()
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from .. import __version__

        try:
            sys.stdout.write(f"zjtrack {__version__}\n")
            sys.stdout.flush()
        except OSError as e:
            _cannot_write(e)
        return
    import gc

    # A command lives for well under a minute and builds hundreds of thousands of small objects
    # at province scale; the cycle collector only adds superlinear pauses there.
    gc.disable()
    from . import base

    # The process ends right after the command: its loaded tree is left to the OS instead of
    # being freed object by object (about 0.2 s for a province's million values), as mypy does.
    # Not under a profiler or a coverage tracer: they write their results from atexit handlers.
    if sys.gettrace() is not None or sys.getprofile() is not None:
        run(argv)
        return
    base.KEEP_ALIVE = []
    try:
        run(argv)
        code = 0
    except SystemExit as e:
        if isinstance(e.code, str):
            sys.stderr.write(e.code + "\n")
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    _exit(code)


def run(argv: list[str]) -> None:
    """One command in this process (raises SystemExit with its exit code): a plain view served
    from the snapshot by `fast.route` without typer, else the typer app; with exit codes for
    interrupts, closed pipes and bugs. ZJTRACK_NO_ROUTER=1 always takes the typer app (tests
    compare the two)."""
    debug = "--debug" in argv or os.environ.get("ZJTRACK_DEBUG") == "1"
    if "--debug" in argv:
        argv.remove("--debug")
    from .base import degrade_encoding

    degrade_encoding()  # help and usage errors too, not only the commands
    try:
        if os.environ.get("ZJTRACK_NO_ROUTER") != "1":
            from .fast import route

            route(argv)  # a plain view served from the snapshot ends here; else it returns
        from .app import app_for

        app_for(argv)(args=argv, prog_name="zjtrack")
        sys.stdout.flush()  # help to a full device says so, not silently at exit
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as e:  # output that could not be written (help, usage), outside any command
        if e.errno not in OUTPUT_FAILED:
            _internal(debug)
        _cannot_write(e)
    except Exception:
        _internal(debug)
    finally:
        snapshot = sys.modules.get("zjtrack.load.snapshot")
        if snapshot is not None:  # what the router handed over is this run's only
            snapshot.hand_over(keep=False)


def _internal(debug: bool) -> None:
    """A bug (called while handling it): a short request for a report, the traceback only with
    --debug; exit 3."""
    if debug:
        raise
    from ..problems import ExitCode

    kind = sys.exc_info()[0]
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(
            f"zjtrack 内部错误 · internal error ({kind.__name__ if kind else 'unknown'}).\n"
            "这是 zjtrack 的缺陷，请附上命令与文件报告问题；加 --debug 查看详细信息。\n"
            "This is a bug in zjtrack: please report it with the command and files; "
            "--debug shows the traceback.\n"
        )
    sys.exit(ExitCode.INTERNAL)


# A write that failed for want of room, a working device or an open descriptor: said plainly
# (exit 2), not a bug. ENOSPC, EDQUOT, EFBIG, EIO, EROFS, EBADF.
OUTPUT_FAILED = frozenset({28, 122, 27, 5, 30, 9})


def _closed_stdout() -> OSError:
    return OSError(errno.EBADF, "标准输出已关闭 · stdout is closed")


class _ClosedBytes(io.RawIOBase):
    """The byte stream under `_Closed` (views that write UTF-8 bytes as they are use it)."""

    def write(self, data: object) -> int:
        raise _closed_stdout()

    def writable(self) -> bool:
        return True


class _Closed(io.TextIOBase):
    """stdout when the process started with it closed (`>&-`): writing to it, as text or through
    its `buffer`, fails as a closed descriptor does, so a command with a result to write says it
    could not (exit 2)."""

    encoding = "utf-8"
    buffer = _ClosedBytes()

    def write(self, text: str) -> int:
        raise _closed_stdout()

    def writable(self) -> bool:
        return True


def _cannot_write(e: OSError) -> None:
    from ..problems import ExitCode

    reason = e.strerror or str(e)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"无法写出结果 · cannot write the output: {reason}\n")
        sys.stderr.flush()
    os._exit(ExitCode.USAGE)


def _exit(code: int) -> None:
    """Flush what was written, then end without tearing down every object."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)
