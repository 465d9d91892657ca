"""Exceeding an "= N" target (6 for 职业教育思政金课 = 5个) is flagged in every view and report,
not only as `"over": true` in JSON (issue 12 §5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import cli

AS_OF = "2026-12-05"
FLAG_ZH = "已完成（超出目标）"
FLAG_EN = "done (exceeds target)"


@pytest.fixture
def repo(shipped: Path) -> Path:
    done = cli("record", "hd-1-4", "6", "--date", "2026-12-02", "--as-of", AS_OF)
    assert done.exit_code == 0, done.stderr
    assert "超出目标" in done.stderr  # the status `record` acknowledges with (on stderr)
    return shipped


def _json_row(out: str) -> dict[str, object]:
    rows = json.loads(out)["rows"]
    row: dict[str, object] = next(r for r in rows if r["row"] == "target" and r["id"] == "hd-1-4")
    return row


def test_every_view_flags_it(repo: Path) -> None:
    row = _json_row(cli("status", "--format", "json", "--as-of", AS_OF).stdout)
    assert row["over"] is True and row["status_label"] == FLAG_ZH
    for fmt in ("table", "md", "csv"):
        out = cli("status", "--doc", "haidong-2024-74", "--format", fmt, "--as-of", AS_OF)
        assert out.exit_code == 0, out.stderr
        line = next(ln for ln in out.stdout.splitlines() if "hd-1-4" in ln)
        assert "超出目标" in line, (fmt, line)
    shown = cli("show", "hd-1-4", "--as-of", AS_OF)
    assert FLAG_ZH in shown.stdout
    english = cli("show", "hd-1-4", "--as-of", AS_OF, "--lang", "en")
    assert FLAG_EN in english.stdout


def test_reports_flag_it(repo: Path) -> None:
    ledger = cli("report", "ledger", "--format", "csv", "--as-of", AS_OF)
    assert ledger.exit_code == 0, ledger.stderr
    assert FLAG_ZH in next(ln for ln in ledger.stdout.splitlines() if "hd-1-4" in ln)
    weekly = cli("report", "weekly", "--as-of", AS_OF)
    assert weekly.exit_code == 0, weekly.stderr
    progress_row = next(
        ln for ln in weekly.stdout.splitlines() if ln.startswith("|") and "hd-1-4" in ln
    )
    assert FLAG_ZH in progress_row


def test_a_target_within_its_number_is_not_flagged(shipped: Path) -> None:
    assert cli("record", "hd-1-4", "5", "--date", "2026-12-02", "--as-of", AS_OF).exit_code == 0
    out = cli("status", "--format", "json", "--as-of", AS_OF).stdout
    row = _json_row(out)
    assert row["over"] is False and row["status_label"] == "已完成"
