"""The typer app: the root options and every command, registered in the order `--help` lists them.

Start-up is kept lean: this module imports only typer and the command modules, which import what
each command needs inside the command.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.main import get_command_name

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


def app_for(argv: list[str]) -> typer.Typer:
    """The app that runs `argv`: when it names a command, an app with that command alone (and
    the root options), so that start-up builds the options of one command, not of all twenty;
    for the root help (`--help`, `-h`, no words), the commands' names and help texts without
    their options (`_outline`); the whole app for anything else (an unknown command, an option
    before the command other than --root). All give the same output for the same words."""
    if argv in ([], ["--help"], ["-h"]):
        return _outline(app)
    name = _command_named(argv)
    if name is None:
        return app
    only = copy.copy(app)
    only.registered_commands = [
        info
        for info in app.registered_commands
        if info.callback is not None
        and (info.name or get_command_name(info.callback.__name__)) == name
    ]
    only.registered_groups = [info for info in app.registered_groups if info.name == name]
    if not only.registered_commands and not only.registered_groups:
        return app
    return only


def _command_named(argv: list[str]) -> str | None:
    """The command `argv` names after the root options, if it names one plainly."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--root":
            i += 2
        elif word.startswith("--root="):
            i += 1
        elif word.startswith("-"):
            return None
        else:
            return word
    return None


def _outline(group: typer.Typer) -> typer.Typer:
    """`group` with each command's callback replaced by one without parameters that has the same
    name and docstring: the root help lists names and help texts only, and building every
    command's options (typer evaluates each parameter's annotations) is most of its start-up.
    Only ever run to print the root help: the stubs are never called."""
    outline = copy.copy(group)
    outline.registered_commands = []
    for info in group.registered_commands:
        light = copy.copy(info)
        if info.callback is not None:
            light.callback = _stub(info.callback)
        outline.registered_commands.append(light)
    outline.registered_groups = []
    for sub in group.registered_groups:
        light_group = copy.copy(sub)
        if sub.typer_instance is not None:
            light_group.typer_instance = _outline(sub.typer_instance)
        outline.registered_groups.append(light_group)
    return outline


def _stub(callback: Callable[..., Any]) -> Callable[[], None]:
    def stub() -> None:  # pragma: no cover - the root help never runs a command
        raise AssertionError(f"{callback.__name__}: a help outline's command was run")

    stub.__name__ = callback.__name__
    stub.__doc__ = callback.__doc__
    return stub
