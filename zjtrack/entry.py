"""Console entry point. Kept apart from cli.py so that `zjtrack --version` imports nothing else."""

from __future__ import annotations

import contextlib
import os
import sys


def main() -> None:
    for name in ("stdout", "stderr"):
        if (
            getattr(sys, name) is None
        ):  # started with that descriptor closed: say nothing, as print() would
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives until exit
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"zjtrack {__version__}\n")
        return
    import gc

    # A command lives for well under a minute and builds hundreds of thousands of small objects
    # at province scale; the cycle collector only adds superlinear pauses there.
    gc.disable()
    from . import cli_common
    from .cli import main as cli_main

    # The process ends right after the command: its loaded tree is left to the OS instead of
    # being freed object by object (about 0.2 s for a province's million values), as mypy does.
    # Not under a profiler or a coverage tracer: they write their results from atexit handlers.
    fast = sys.gettrace() is None and sys.getprofile() is None
    if not fast:
        cli_main()
        return
    cli_common.KEEP_ALIVE = []
    try:
        cli_main()
        code = 0
    except SystemExit as e:
        if isinstance(e.code, str):
            sys.stderr.write(e.code + "\n")
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    _exit(code)


def _exit(code: int) -> None:
    """Flush what was written, then end without tearing down every object."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)
