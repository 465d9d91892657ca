"""`zjtrack import` on the documents of the import passes (tests/fixtures/import-pass): real
national, provincial and city documents, each with a key made by hand before its draft was seen
(KEY-CONVENTIONS of ../shared/import-corpus). Each draft checks without errors; where the corpus
scorer is present, its figures stay at or above the floors recorded when they were measured
(floors.yaml), so a change that loses a target or a unit line on any of them fails here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from zjtrack.cli.app import app as APP

ROOT = Path(__file__).resolve().parents[1]
PASS = ROOT / "tests" / "fixtures" / "import-pass"
SCORER = ROOT.parent / "shared" / "import-corpus" / "score.py"
DOCUMENTS = sorted(p.name.removesuffix(".key.yaml") for p in PASS.glob("*.key.yaml"))
FLOORS = yaml.safe_load((PASS / "floors.yaml").read_text(encoding="utf-8"))
_FIGURES = re.compile(
    r"(\d+)/(\d+) targets and dated milestones right.*?(\d+)/(\d+) unit lines right"
    r".*, (\d+) extra quantity targets, (\d+) invented units"
)


def _imported(name: str, tmp_path: Path) -> tuple[Path, Path]:
    """(the document's text without its source line, the draft's folder)."""
    lines = (PASS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("# source:"), "the first line names the source"
    text = tmp_path / f"{name}.txt"
    text.write_text("\n".join(lines[1:]), encoding="utf-8")
    folder = tmp_path / name
    result = CliRunner().invoke(APP, ["import", str(text), "-o", str(folder / "imported.yaml")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # what import says goes to stderr
    return text, folder


def test_every_document_has_its_floor() -> None:
    assert sorted(FLOORS) == DOCUMENTS


@pytest.mark.parametrize("name", DOCUMENTS)
def test_draft_checks_without_errors(name: str, tmp_path: Path) -> None:
    _, folder = _imported(name, tmp_path)
    result = CliRunner().invoke(APP, ["check", str(folder)])
    assert "错误[" not in result.stdout + result.stderr, result.stdout
    assert result.exit_code == 0, result.stdout


@pytest.mark.skipif(
    not SCORER.exists(), reason="the corpus scorer (../shared/import-corpus) is absent"
)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_scores_hold_their_floors(name: str, tmp_path: Path) -> None:
    text, folder = _imported(name, tmp_path)
    listed = CliRunner().invoke(APP, ["targets", str(folder), "--format", "json"])
    assert listed.exit_code == 0, listed.stderr
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps(json.loads(listed.stdout), ensure_ascii=False), "utf-8")
    run = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            f"--text={text}",
            str(targets),
            str(PASS / f"{name}.key.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    m = _FIGURES.search(run.stdout.strip().splitlines()[-1])
    assert m, run.stdout
    right, total, units_ok, units_total, extra, invented = map(int, m.groups())
    floor = FLOORS[name]
    assert (total, units_total) == (floor["of"], floor["unit_lines_of"])  # the same key
    assert right >= floor["right"], run.stdout
    assert units_ok >= floor["unit_lines"], run.stdout
    assert extra <= floor["extra"], run.stdout
    assert invented == 0, run.stdout
