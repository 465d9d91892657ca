"""Start-up: a command names itself and only it is built (cli/app.py `app_for`), with the same
output as the whole app; a view or `check` over unchanged files never loads PyYAML."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zjtrack.cli.app import app, app_for
from zjtrack.load import cache

ROOT = Path(__file__).resolve().parents[1]

ARGVS = [
    ["--help"],
    ["-h"],
    [],
    ["status", "--help"],
    ["check", "-h"],
    ["report", "--help"],
    ["report", "weekly", "--help"],
    ["record", "--help"],
    ["import", "--help"],
    ["status", "--bogus"],
    ["--root", "nowhere", "overdue", "--as-of", "someday"],
    ["--root=nowhere", "due", "--within", "x"],
    ["statu"],
    ["--bogus", "status"],
    ["show"],
    ["schema"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_the_app_for_a_command_says_what_the_whole_app_says(argv: list[str]) -> None:
    runner = CliRunner()
    env = {"COLUMNS": "100", "ZJTRACK_LANG": None, "ZJTRACK_ROOT": None}
    whole = runner.invoke(app, argv, prog_name="zjtrack", env=env)
    one = runner.invoke(app_for(list(argv)), argv, prog_name="zjtrack", env=env)
    assert (one.stdout, one.stderr, one.exit_code) == (whole.stdout, whole.stderr, whole.exit_code)


@pytest.mark.parametrize("columns", ["40", "60", "80", "120", "250"])
@pytest.mark.parametrize("argv", [["--help"], ["-h"], []], ids=" ".join)
def test_the_root_help_outline_is_the_whole_apps_help(argv: list[str], columns: str) -> None:
    runner = CliRunner()
    env = {"COLUMNS": columns, "ZJTRACK_ROOT": None}
    whole = runner.invoke(app, argv, prog_name="zjtrack", env=env)
    outline = runner.invoke(app_for(list(argv)), argv, prog_name="zjtrack", env=env)
    assert "Commands:" in whole.output and "remind" in whole.output
    assert (outline.stdout, outline.stderr, outline.exit_code) == (
        whole.stdout,
        whole.stderr,
        whole.exit_code,
    )


def test_a_command_named_builds_that_command_alone() -> None:
    only = app_for(["--root", "tasks", "status", "--as-of", "2026-11-25"])
    assert only is not app
    assert [info.callback.__name__ for info in only.registered_commands] == ["status"]
    assert not only.registered_groups
    report = app_for(["report", "weekly"])
    assert not report.registered_commands and [g.name for g in report.registered_groups] == [
        "report"
    ]
    for argv in (["nothing"], ["-x", "status"], ["--root"], ["--root", "x", "--help"]):
        assert app_for(argv) is app
    outline = app_for(["--help"])
    assert outline is not app and len(outline.registered_commands) == len(app.registered_commands)
    assert len(app.registered_commands) > 10  # the whole app is left whole


def test_views_and_check_over_unchanged_files_never_load_yaml(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from zjtrack.cli import run\n"
        "try:\n"
        "    run(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('YAML' if 'yaml' in sys.modules else 'NO-YAML')\n"
    )
    env = {
        **os.environ,
        "ZJTRACK_CACHE_DIR": str(tmp_path / "cache"),
        "ZJTRACK_AS_OF": "2026-11-25",
    }
    paths = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]

    def loads_yaml(*args: str) -> bool:
        done = subprocess.run(
            [sys.executable, "-c", script, *args, *paths],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.stderr.endswith("YAML"), done.stderr
        return not done.stderr.endswith("NO-YAML")

    assert loads_yaml("check")  # the first run parses
    env["ZJTRACK_NO_CACHE"] = "1"
    assert loads_yaml("overdue")
    del env["ZJTRACK_NO_CACHE"]
    # the files are trusted by their stat once the racy margin has passed: wait it out once
    time.sleep(cache.RACY_NS / 1e9 + 0.1)
    loads_yaml("status")  # refreshes what the first runs could not yet trust
    for command in ("check", "status", "overdue"):
        assert not loads_yaml(command), command
