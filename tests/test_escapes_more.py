"""Terminal escapes from file text, second adversarial pass (issue 13): the summary of
`reported`, the text of `remind`, a target's unit in `show`, and file names in the notice that a
result is incomplete were printed raw; each is made inert now, like every other message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import cli, edit

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-12-01"
RAW = re.compile("[\x1b\x07\x9b\u202e]")
HOSTILE = "\\e]0;PWNED\\a\\u202e"  # a YAML double-quoted escape: ESC ] 0 ; PWNED BEL RLO


@pytest.fixture
def tasks(shipped: Path) -> Path:
    return shipped / "tasks"


def _hostile_unit(tasks: Path) -> None:
    edit(tasks / "units.yaml", "  - name: 海东市教育局\n", f'  - name: "海东市教育局{HOSTILE}"\n')
    edit(tasks / "haidong-2024-74.yaml", "[市教育局]", f'["海东市教育局{HOSTILE}"]')


@pytest.mark.parametrize(
    "args",
    [
        ("reported",),
        ("remind",),
        ("remind", "--format", "md"),
    ],
)
def test_unit_names_are_inert_in_reported_and_remind(tasks: Path, args: tuple[str, ...]) -> None:
    _hostile_unit(tasks)
    done = cli(*args, str(tasks), "--as-of", AS_OF)
    assert done.exit_code in (0, 1), done.stderr
    assert "PWNED" in done.stdout  # the name is shown ...
    assert not RAW.search(done.stdout + done.stderr)  # ... but cannot drive the terminal


def test_a_targets_unit_is_inert_in_show(tasks: Path) -> None:
    edit(tasks / "haidong-2024-74.yaml", "unit: 个", f'unit: "个{HOSTILE}"')
    recorded = cli(
        "record", "hd-1-2", "1", "--tasks", str(tasks), "--date", AS_OF, "--as-of", AS_OF
    )
    assert recorded.exit_code == 0, recorded.stderr
    shown = cli("show", "hd-1-2", str(tasks), "--as-of", AS_OF)
    assert shown.exit_code == 0 and "PWNED" in shown.stdout
    assert not RAW.search(shown.stdout + shown.stderr)


def test_file_names_are_inert_in_the_incomplete_notice(tasks: Path) -> None:
    evil = tasks / "evil\x1b]0;PWNEDFN\x07.yaml"
    evil.write_text("zjtrack: 1\ndocument: [\n", encoding="utf-8")
    for args in (("status",), ("status", "--format", "md"), ("report", "weekly", "-f", "html")):
        done = cli(*args, str(tasks), "--as-of", AS_OF)
        assert done.exit_code == 1, done.stderr
        assert "PWNEDFN" in done.stderr
        assert not RAW.search(done.stdout + done.stderr), args
