"""`zjtrack report …`: the weekly report, the ledger and supervision notices (sub-commands)."""

from __future__ import annotations

import typer

report_app = typer.Typer(
    help="周报、工作台账与督办单 · Weekly report, task ledger and supervision notices.",
    no_args_is_help=True,
)
