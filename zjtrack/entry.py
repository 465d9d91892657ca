"""Console entry point. Kept apart from cli.py so that `zjtrack --version` imports nothing else."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"zjtrack {__version__}\n")
        return
    import gc

    # A command lives for well under a minute and builds hundreds of thousands of small objects
    # at province scale; the cycle collector only adds superlinear pauses there.
    gc.disable()
    from .cli import main as cli_main

    cli_main()
