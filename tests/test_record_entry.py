"""Issue 12 §6: records easy to get right — the dates a clerk types, negative values, a measure id,
the status after recording, comparator signs as the views print them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import Tree, cli

from zjtrack.dates import parse_typed
from zjtrack.load.loader import load_paths
from zjtrack.problems import UserError
from zjtrack.store.record import record_progress, status_after

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    dest = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", dest, ignore=shutil.ignore_patterns("progress"))
    return dest


@pytest.mark.parametrize(
    "text", ["2026-11-20", "2026年11月20日", "2026/11/20", "2026.11.20", "11月20日", " 2026-11-20 "]
)
def test_typed_dates(text: str) -> None:
    assert parse_typed(text, 2026) == dt.date(2026, 11, 20)


def test_month_day_takes_the_given_year() -> None:
    assert parse_typed("2月28日", 2025) == dt.date(2025, 2, 28)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2月30日", "day 30 does not exist in 2026-02"),
        ("2026/13/01", "month 13 does not exist"),
        ("20/11/2026", "not a date"),
        ("下周一", "not a date"),
        ("2026-11-20T10:00", "not a date"),
    ],
)
def test_bad_typed_dates(text: str, reason: str) -> None:
    with pytest.raises(UserError) as e:
        parse_typed(text, 2026)
    assert reason in e.value.en


def test_record_with_a_chinese_date(tasks: Path) -> None:
    record_progress(tasks, "hd-2-6", "5", as_of=TODAY, date="11月20日")
    (r,) = load_paths([str(tasks)]).plan.records
    assert r.date == dt.date(2026, 11, 20)


def test_cli_negative_value_needs_no_double_dash(tasks: Path) -> None:
    result = cli("record", "hd-5-3", "-3", "--tasks", str(tasks), "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    (r,) = load_paths([str(tasks)]).plan.records
    assert r.value == -3


def test_cli_measure_id_lists_its_targets(tasks: Path) -> None:
    result = cli("record", "hd-5", "3", "--tasks", str(tasks), "--lang", "en")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "`hd-5` is a measure, not a target" in result.stderr
    assert "hd-5-1, hd-5-2" in result.stderr
    assert "hd-9-5" not in result.stderr
    assert not (tasks / "progress").exists()


def test_status_after_is_evaluates(tasks: Path) -> None:
    record_progress(tasks, "hd-2-6", "5", as_of=TODAY)
    assert status_after(tasks, "hd-2-6", TODAY, "zh").startswith(
        ("按序时推进", "已完成", "滞后", "已启动")
    )
    assert "完成率" in status_after(tasks, "hd-2-6", TODAY, "zh")
    assert status_after(tasks, "no-such", TODAY, "zh") == ""


def test_cli_prints_the_status_after_recording(tasks: Path) -> None:
    result = cli("record", "hd-5-1", "92", "--tasks", str(tasks), "--as-of", "2026-11-25")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.endswith("；当前状态：逾期完成，完成率 100%\n")
    en = cli(
        "record", "hd-5-1", "80", "--tasks", str(tasks), "--as-of", "2026-11-25", "--lang", "en"
    )
    assert en.exit_code == 0
    assert "; status now: overdue, completion 88.9%\n" in en.stderr


@pytest.mark.parametrize(
    ("sign", "ascii_"),
    [("≥", ">="), ("≤", "<="), ("＝", "="), ("＞", ">"), ("＜", "<"), ("～", "approx")],
)
def test_comparator_signs_read_as_ascii(tree: Tree, sign: str, ascii_: str) -> None:
    path = tree.with_doc(('comparator: ">="', f'comparator: "{sign}"'))
    problems = [p for p in tree.check() if p.code == "bad-value"]
    assert problems == []
    plan = load_paths([str(path.parent)]).plan
    comparators = {t.comparator.value for _, _, t in plan.all_targets() if t.comparator}
    assert ascii_ in comparators


def test_no_comparator_placeholder(tree: Tree) -> None:
    tree.with_doc(('comparator: ">="', 'comparator: "大于"'))
    messages = [p.message("zh") + p.message("en") for p in tree.check()]
    assert messages
    assert not any("`?`" in m for m in messages)
