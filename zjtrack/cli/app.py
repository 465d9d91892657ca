"""The typer app: the root options and every command, registered in the order `--help` lists them.

Start-up is kept lean: this module imports only typer and the command modules, which import what
each command needs inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import check, common, forms, importing, record, report, views
from .common import echo, edge

app = typer.Typer(
    name="zjtrack",
    help="跟踪政策文件的每一项任务目标 · Track every target of a policy document.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and errors: rich's panels cost ~70 ms of start-up on every --help and usage error.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="显示版本 · show the version")] = False,
    root: Annotated[
        Optional[Path],
        typer.Option(
            "--root",
            envvar="ZJTRACK_ROOT",
            help="任务目录（默认：所列文件向上最近的含 units.yaml 或 config.yaml 的目录）"
            " · the task repository (default: found upwards from the files named)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """跟踪政策文件的每一项任务目标 · Track every target of a policy document."""
    common.ROOT = str(root) if root is not None else None
    if version:
        from .. import __version__

        echo(f"zjtrack {__version__}\n")
        raise typer.Exit()


for _command in (
    check.check,
    views.targets,
    views.status,
    views.overdue,
    views.due,
    views.units,
    views.show,
    check.schema,
):
    app.command()(_command)
# A negative VALUE (`record hd-9-1 -3`) is not an option: unknown dashed words stay arguments.
app.command(context_settings={"ignore_unknown_options": True})(record.record)
app.add_typer(report.report_app, name="report")
app.command("import")(importing.import_document)
app.command("init")(importing.init_repository)
app.command("form")(forms.form)
app.command("intake")(forms.intake)
app.command("reported")(forms.reported)
app.command("remind")(forms.remind)


def _guard(group: typer.Typer) -> None:
    """Every command, in every sub-group too, reports a refused request through `edge`."""
    for info in group.registered_commands:
        if info.callback is not None:
            info.callback = edge(info.callback)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _guard(sub.typer_instance)


_guard(app)
