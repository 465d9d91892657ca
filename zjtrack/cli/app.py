"""The typer app: the root options and every command, registered in the order `--help` lists them.

Start-up is kept lean: a run builds the app it needs (`app_for`): for a command named on the
command line, that command alone, importing only its own module (each imports what the command
needs inside the command); the whole app (`app`, made on first use) for anything else.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from . import common
from .common import echo, edge

# Every command in the order `--help` lists it: (name, module in cli/, function, settings).
# A negative VALUE (`record hd-9-1 -3`) is not an option: unknown dashed words stay arguments.
COMMANDS: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("check", "check", "check", {}),
    ("targets", "views", "targets", {}),
    ("status", "views", "status", {}),
    ("overdue", "views", "overdue", {}),
    ("due", "views", "due", {}),
    ("units", "views", "units", {}),
    ("show", "views", "show", {}),
    ("schema", "check", "schema", {}),
    ("record", "record", "record", {"context_settings": {"ignore_unknown_options": True}}),
    ("report", "report", "report_app", {}),  # a group of its own
    ("import", "importing", "import_document", {}),
    ("init", "importing", "init_repository", {}),
    ("form", "forms", "form", {}),
    ("intake", "forms", "intake", {}),
    ("reported", "forms", "reported", {}),
    ("remind", "forms", "remind", {}),
)
_NAMES = frozenset(name for name, *_ in COMMANDS)


def _new_app() -> typer.Typer:
    """The app with the root options and no command yet."""
    made = typer.Typer(
        name="zjtrack",
        help="跟踪政策文件的每一项任务目标 · Track every target of a policy document.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # Plain help and errors: rich's panels cost ~70 ms of start-up on every --help and usage
        # error.
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    made.callback(invoke_without_command=True)(_root)
    return made


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


def _build(names: frozenset[str]) -> typer.Typer:
    """The app with the commands in `names`, in `COMMANDS` order, each reporting a refused
    request through `edge`."""
    made = _new_app()
    for name, module_name, attr, settings in COMMANDS:
        if name not in names:
            continue
        found = getattr(importlib.import_module(f"{__package__}.{module_name}"), attr)
        if isinstance(found, typer.Typer):
            made.add_typer(found, name=name)
        else:
            made.command(name, **settings)(found)
    _guard(made)
    return made


def _guard(group: typer.Typer) -> None:
    """Every command, in every sub-group too, reports a refused request through `edge` (once:
    a sub-group's commands are shared by every app made)."""
    for info in group.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_edge", False):
            info.callback = edge(info.callback)
            info.callback._edge = True  # type: ignore[attr-defined]
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _guard(sub.typer_instance)


_WHOLE: typer.Typer | None = None


def whole() -> typer.Typer:
    """The app with every command (made once)."""
    global _WHOLE
    if _WHOLE is None:
        _WHOLE = _build(_NAMES)
    return _WHOLE


def __getattr__(name: str) -> Any:
    if name == "app":  # `from zjtrack.cli.app import app`: the whole app, made on first use
        return whole()
    raise AttributeError(name)


def app_for(argv: list[str]) -> typer.Typer:
    """The app that runs `argv`: when it names a command, an app with that command alone (and
    the root options), so that start-up builds the options of one command, not of all twenty;
    for the root help (`--help`, `-h`, no words), the commands' names and help texts without
    their options (`_outline`); the whole app for anything else (an unknown command, an option
    before the command other than --root). All give the same output for the same words."""
    if argv in ([], ["--help"], ["-h"]):
        return _outline(whole())
    name = _command_named(argv)
    if name is None or name not in _NAMES:
        return whole()
    return _build(frozenset({name}))


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
