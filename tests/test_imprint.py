"""The weekly report's imprint (版记): 报/送 recipients come from `config.yaml` (`report_to`,
`send_to`), else the defaults; the same lines in every format (issue 12 §8)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import cli

AS_OF = "2026-12-05"
CONFIG = "zjtrack: 1\nconfig:\n  report_to: 市政府主要领导\n  send_to: 市教育局、市人社局\n"


@pytest.fixture
def repo(shipped: Path) -> Path:
    return shipped


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_configured_recipients_in_html_and_docx(repo: Path) -> None:
    (repo / "tasks" / "config.yaml").write_text(CONFIG, encoding="utf-8")
    for fmt in ("html", "docx"):
        out = repo / f"weekly.{fmt}"
        done = cli("report", "weekly", "--format", fmt, "-o", str(out), "--as-of", AS_OF)
        assert done.exit_code == 0, done.stderr
        text = out.read_text("utf-8") if fmt == "html" else _docx_text(out)
        assert "报：市政府主要领导" in text and "送：市教育局、市人社局" in text, fmt
        assert "工作专班领导小组" not in text


def test_defaults_without_config(repo: Path) -> None:
    out = repo / "weekly.html"
    assert (
        cli("report", "weekly", "--format", "html", "-o", str(out), "--as-of", AS_OF).exit_code == 0
    )
    text = out.read_text("utf-8")
    assert "报：工作专班领导小组" in text and "送：各牵头单位、责任单位" in text


def test_check_validates_the_keys(repo: Path) -> None:
    (repo / "tasks" / "config.yaml").write_text(
        "zjtrack: 1\nconfig:\n  report_to: [a, b]\n", encoding="utf-8"
    )
    checked = cli("check", "tasks")
    assert checked.exit_code == 1
    assert "report_to" in checked.stdout + checked.stderr
