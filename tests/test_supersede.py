"""Issue 12 §6: a mistaken record is corrected or withdrawn by a new record that names it
(`--correct REF` / `--withdraw REF`, REF the earlier record's date or date:line); history is
never edited, the evaluator uses what stands, `show` marks what was superseded, `check` refuses
a reference to no record or to several."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import cli

from zjtrack.checks import run_checks
from zjtrack.evaluate import evaluate, supersede, superseded_by
from zjtrack.load.loader import load_paths
from zjtrack.model import ProgressRecord
from zjtrack.problems import UserError
from zjtrack.store.record import record_progress

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)
D = dt.date(2026, 11, 20)
HD = "haidong-2024-74"


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    dest = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", dest, ignore=shutil.ignore_patterns("progress"))
    return dest


def rec(value: float | None, line: int, **kw: str) -> ProgressRecord:
    return ProgressRecord("t", D, value, path="p.yaml", line=line, **kw)  # type: ignore[arg-type]


# --- core: supersede ----------------------------------------------------------------------------


def test_a_correction_replaces_the_record_it_names() -> None:
    a, b = rec(80, 1), rec(85, 5, corrects="2026-11-20")
    assert list(supersede([a, b])) == [b]
    assert superseded_by([a, b]) == {0: b}


def test_a_withdrawal_removes_the_record_and_itself() -> None:
    a, b = rec(80, 1), rec(None, 5, withdraws="2026-11-20")
    assert list(supersede([a, b])) == []
    assert superseded_by([a, b]) == {0: b}


def test_a_correction_of_a_correction() -> None:
    a, b, c = rec(80, 1), rec(85, 5, corrects="2026-11-20"), rec(86, 9, corrects="2026-11-20")
    assert list(supersede([a, b, c])) == [c]


def test_an_ambiguous_reference_changes_nothing_and_a_line_settles_it() -> None:
    a, b = rec(80, 1), rec(81, 3)
    assert list(supersede([a, b, rec(85, 5, corrects="2026-11-20")])) == [
        a,
        b,
        rec(85, 5, corrects="2026-11-20"),
    ]
    c = rec(85, 5, corrects="2026-11-20:3")
    assert list(supersede([a, b, c])) == [a, c]


def test_records_without_references_are_returned_as_they_are() -> None:
    records = (rec(80, 1), rec(81, 3))
    assert supersede(records) is records


# --- store and evaluate -------------------------------------------------------------------------


def completion(tasks: Path, target: str) -> float | None:
    plan = load_paths([str(tasks)]).plan
    (res,) = evaluate(plan, TODAY, only=lambda t: t.id == target)
    return res.completion


def test_correct_through_the_store_and_the_evaluator_uses_it(tasks: Path) -> None:
    record_progress(tasks, "hd-5-1", "80", as_of=TODAY, date="2026-11-20")
    assert completion(tasks, "hd-5-1") == 88.9
    record_progress(tasks, "hd-5-1", "85", as_of=TODAY, corrects="2026-11-20")
    assert completion(tasks, "hd-5-1") == 94.4
    records = load_paths([str(tasks)]).plan.records
    assert [(r.value, r.date, r.corrects) for r in records] == [
        (80, D, None),
        (85, D, "2026-11-20"),
    ]
    assert run_checks(load_paths([str(tasks)]).plan) == []


def test_withdraw_through_the_store(tasks: Path) -> None:
    record_progress(tasks, "hd-5-3", "5", as_of=TODAY, date="2026-10-01")
    record_progress(tasks, "hd-5-3", None, as_of=TODAY, withdraws="2026-10-01")
    assert completion(tasks, "hd-5-3") is None
    assert run_checks(load_paths([str(tasks)]).plan) == []


def test_a_reference_to_no_record_is_refused(tasks: Path) -> None:
    record_progress(tasks, "hd-5-1", "80", as_of=TODAY, date="2026-11-20")
    before = (tasks / "progress" / f"{HD}.yaml").read_bytes()
    with pytest.raises(UserError) as e:
        record_progress(tasks, "hd-5-1", "85", as_of=TODAY, corrects="2026-11-19")
    assert "bad-reference" in e.value.en and "no earlier record" in e.value.en
    assert (tasks / "progress" / f"{HD}.yaml").read_bytes() == before


def test_a_withdrawal_takes_no_value(tasks: Path) -> None:
    record_progress(tasks, "hd-5-1", "80", as_of=TODAY, date="2026-11-20")
    with pytest.raises(UserError, match="takes no value"):
        record_progress(tasks, "hd-5-1", "85", as_of=TODAY, withdraws="2026-11-20")


def test_check_reports_a_dangling_reference(tasks: Path) -> None:
    (tasks / "progress").mkdir()
    (tasks / "progress" / f"{HD}.yaml").write_text(
        f'zjtrack: 1\ndocument: "{HD}"\n\n---\ntarget: hd-5-1\ndate: 2026-11-20\nvalue: 85\n'
        'corrects: "2026-11-18"\n',
        "utf-8",
    )
    problems = run_checks(load_paths([str(tasks)]).plan)
    assert [p.code for p in problems] == ["bad-reference"]
    assert problems[0].line == 5
    assert "`2026-11-18`" in problems[0].message("en")


# --- CLI ----------------------------------------------------------------------------------------


def test_cli_correct_withdraw_and_show(tasks: Path) -> None:
    first = cli("record", "hd-5-1", "80", "--date", "2026年11月20日", "--tasks", str(tasks),
                "--as-of", "2026-11-25")  # fmt: skip
    assert first.exit_code == 0, first.stderr
    fixed = cli("record", "hd-5-1", "85", "--correct", "2026-11-20", "--tasks", str(tasks),
                "--as-of", "2026-11-25")  # fmt: skip
    assert fixed.exit_code == 0, fixed.stderr
    assert fixed.stdout == ""
    assert fixed.stderr.endswith("当前状态：逾期未完成，完成率 94.4%\n")
    shown = cli("show", "hd-5-1", str(tasks), "--as-of", "2026-11-25")
    assert shown.exit_code == 0
    assert "    2026-11-20  80%\n      ✗ 已更正为 85%（第 12 行）\n" in shown.stdout
    assert "2026-11-20  85%（更正 2026-11-20 的记录）" in shown.stdout

    cli("record", "hd-5-3", "5", "--date", "2026-10-01", "--tasks", str(tasks),
        "--as-of", "2026-11-25")  # fmt: skip
    gone = cli("record", "hd-5-3", "--withdraw", "2026-10-01", "--tasks", str(tasks),
               "--as-of", "2026-11-25", "--lang", "en")  # fmt: skip
    assert gone.exit_code == 0, gone.stderr
    assert gone.stderr.endswith("; status now: no progress data\n") or "status now:" in gone.stderr
    shown = cli("show", "hd-5-3", str(tasks), "--as-of", "2026-11-25", "--lang", "en")
    assert "✗ withdrawn (line" in shown.stdout
    assert "(withdraws the record of 2026-10-01)" in shown.stdout
    check = cli("check", str(tasks), "--as-of", "2026-11-25")
    assert check.exit_code == 0, check.stdout + check.stderr


def test_cli_bad_reference_exits_2_and_writes_nothing(tasks: Path) -> None:
    result = cli("record", "hd-5-1", "85", "--correct", "2026-11-20", "--tasks", str(tasks),
                 "--lang", "en", "--as-of", "2026-11-25")  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "error[bad-reference]" in result.stderr
    assert not (tasks / "progress").exists()


def test_cli_value_missing_without_withdraw(tasks: Path) -> None:
    result = cli("record", "hd-5-1", "--tasks", str(tasks), "--lang", "en")
    assert result.exit_code == 2
    assert "missing VALUE for `hd-5-1`" in result.stderr
