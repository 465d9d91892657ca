"""The README documents every command, every format field and every problem code."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from zjtrack.cli.app import app
from zjtrack.problems import CATALOGUE
from zjtrack.spec import SPECS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_and_is_documented() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, name
        assert f"zjtrack {name}" in README or f"`{name}`" in README, name
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)


def test_every_field_of_the_format_is_documented() -> None:
    documented = {
        f.key for spec in ("document", "measure", "target", "unit", "record") for f in SPECS[spec]
    }
    for key in documented:
        assert f"`{key}`" in README, key


def test_problem_codes_have_both_languages() -> None:
    for code, entry in CATALOGUE.items():
        assert entry.zh and entry.en and entry.hint_zh and entry.hint_en, code
