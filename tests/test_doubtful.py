"""A view over a tree that reads in full but that `check` finds errors in (a unit missing from the
registry, a duplicate id) may be wrong: it prints its output, says 结果可能不准确 naming the files,
and exits 1, never 0. Records dated after the as-of date are not such an error (a past week is
reported as of a past date). The columnar snapshot is never made for such a tree, so the second
run says the same as the first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DOUBTFUL_NOTE, cli, incomplete_count

from zjtrack.load.loader import load_paths

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-12-05"
HD = "haidong-2024-74.yaml"


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    dest = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", dest)
    return dest


def _unregister_a_lead_unit(tasks: Path) -> None:
    """Measure hd-1's lead unit renamed to one the registry does not know (a typo by hand)."""
    path = tasks / HD
    text = path.read_text("utf-8")
    assert text.count("lead_units: [市教育局]") == 3
    path.write_text(text.replace("lead_units: [市教育局]", "lead_units: [市教委局]", 1), "utf-8")


VIEWS = [
    ("status",),
    ("overdue",),
    ("due",),
    ("status", "--format", "json"),
    ("report", "weekly", "--format", "md"),
    ("report", "ledger", "--format", "csv"),
]


@pytest.mark.parametrize("view", VIEWS, ids=[" ".join(v) for v in VIEWS])
def test_a_view_over_a_check_error_exits_1_and_names_the_file(
    tasks: Path, view: tuple[str, ...]
) -> None:
    clean = cli(*view, str(tasks), "--as-of", AS_OF)
    assert clean.exit_code == 0, clean.stderr
    assert "结果可能不准确" not in clean.stderr + clean.stdout
    _unregister_a_lead_unit(tasks)
    assert load_paths([str(tasks)]).broken() == {}  # every file reads: only check sees it
    for _ in range(2):  # the second run would take a snapshot, if one had been made
        run = cli(*view, str(tasks), "--as-of", AS_OF)
        assert run.exit_code == 1, run.stderr
        assert run.stdout.strip(), "the output is still printed"
        assert incomplete_count(run.stderr, DOUBTFUL_NOTE) == 1
        assert f"{tasks / HD}（1）" in run.stderr
        assert "结果不完整" not in run.stderr  # every file was read in full


def test_the_notice_in_english_and_in_the_json(tasks: Path) -> None:
    _unregister_a_lead_unit(tasks)
    run = cli("status", str(tasks), "--as-of", AS_OF, "--format", "json", "--lang", "en")
    assert run.exit_code == 1
    assert run.stderr.startswith("may be wrong: zjtrack check finds errors in these files: ")
    assert "may be wrong" in json.dumps(json.loads(run.stdout), ensure_ascii=False)


def test_a_duplicate_target_id_makes_views_exit_1(tasks: Path) -> None:
    path = tasks / HD
    text = path.read_text("utf-8")
    path.write_text(text.replace("id: hd-1-6\n", "id: hd-1-5\n", 1), "utf-8")
    run = cli("status", str(tasks), "--as-of", AS_OF)
    assert run.exit_code == 1
    assert incomplete_count(run.stderr, DOUBTFUL_NOTE) == 1


def test_a_record_after_the_as_of_date_is_not_a_doubt(tasks: Path) -> None:
    done = cli(
        "record", "hd-5-1", "92", "--date", "2026-12-02", "--tasks", str(tasks), "--as-of", AS_OF
    )
    assert done.exit_code == 0, done.stderr
    past = cli("status", str(tasks), "--as-of", "2026-11-30")  # a week already reported
    assert past.exit_code == 0, past.stderr
    assert "结果可能不准确" not in past.stderr
    checked = cli("check", str(tasks), "--as-of", "2026-11-30")
    assert checked.exit_code == 1  # check, as of that date, reports the record as future


def test_a_broken_file_says_incomplete_and_not_also_doubtful(tasks: Path) -> None:
    (tasks / "units.yaml").write_text("zjtrack: 1\nunits: [\n", "utf-8")  # every unit unknown now
    run = cli("status", str(tasks), "--as-of", AS_OF)
    assert run.exit_code == 1
    assert incomplete_count(run.stderr) == 1
    assert "结果可能不准确" not in run.stderr


def test_the_cross_file_checks_run_once_per_plan(
    tasks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view asks `doubtful` for its notice and again before making a snapshot: the checks,
    a full pass over the plan, run once; a new plan is checked again."""
    import zjtrack.checks

    _unregister_a_lead_unit(tasks)
    result = load_paths([str(tasks)])
    calls = []
    real = zjtrack.checks.run_checks
    monkeypatch.setattr(zjtrack.checks, "run_checks", lambda *a: calls.append(a) or real(*a))
    first = result.doubtful()
    assert first == {str(tasks / HD): 1}
    first.clear()  # the caller's copy: what is kept is not changed through it
    assert result.doubtful() == {str(tasks / HD): 1}
    assert len(calls) == 1
    result.plan = result.plan._replace()  # another plan (the same content): checked again
    assert result.doubtful() == {str(tasks / HD): 1}
    assert len(calls) == 2
