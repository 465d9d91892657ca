"""`show` of a per-entity target draws a trend per entity, never one series across different
schools (issue 12 §5: `█▁ (1 → 0)` across two schools read as a fall)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import cli

AS_OF = "2026-12-05"
A, B = "互助县职业技术学校", "青海高等职业技术学院"


@pytest.fixture
def repo(shipped: Path) -> Path:
    for entity, value, date in ((A, "1", "2026-11-20"), (B, "0", "2026-11-27")):
        done = cli("record", "hd-7-1", value, "--entity", entity, "--date", date, "--as-of", AS_OF)
        assert done.exit_code == 0, done.stderr
    return shipped


def test_no_trend_across_two_entities(repo: Path) -> None:
    out = cli("show", "hd-7-1", "--as-of", AS_OF, env={"ZJTRACK_PAGER": "cat"})
    assert out.exit_code == 0, out.stderr
    assert "趋势" not in out.stdout  # one value per school: no series to draw


def test_a_trend_per_entity(repo: Path) -> None:
    assert (
        cli(
            "record", "hd-7-1", "1", "--entity", B, "--date", "2026-12-03", "--as-of", AS_OF
        ).exit_code
        == 0
    )
    out = cli("show", "hd-7-1", "--as-of", AS_OF, env={"ZJTRACK_PAGER": "cat"})
    trends = [ln.strip() for ln in out.stdout.splitlines() if "趋势" in ln]
    assert trends == [f"趋势（{B}）：▁█  (0 → 1)"]
    english = cli("show", "hd-7-1", "--as-of", AS_OF, "--lang", "en", env={"ZJTRACK_PAGER": "cat"})
    assert f"Trend ({B}): ▁█  (0 → 1)" in english.stdout


def test_show_in_english_writes_english_punctuation() -> None:
    """`--lang en`: labels end in `: `, lists are joined by `, `, a count is `(1)`; the text of
    the document stays as it is (found by the adversarial pass: `Quote：`, `Records（1）：`)."""
    root = Path(__file__).resolve().parent.parent
    paths = [str(root / "tasks"), str(root / "examples" / "demo")]
    out = cli("show", "demo-2-1", *paths, "--as-of", "2026-11-25", "--lang", "en")
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "  Responsible: 海东市教育局, 海东市财政局" in lines
    assert "  Records (1):" in lines
    for label in ("Quote", "Lead units", "Deadline", "Status", "Completion", "Note"):
        assert f"  {label}: " in out.stdout and f"{label}：" not in out.stdout
