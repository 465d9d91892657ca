"""The weekly report over the tree's columnar snapshot (zjtrack/report/columns.py): both of its
moments judged over the columns are `evaluate_at`'s results, and the report's bytes in every
format are those the object model gives, on the shipped tasks/, the demo (with records filed
late, a correction and a withdrawal added), and generated trees with every target shape."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import IDENTITY_TREES, cli, identity_trees, spy_made

from zjtrack.evaluate import evaluate_at
from zjtrack.load import snapshot
from zjtrack.load.loader import load_paths
from zjtrack.registry import Registry
from zjtrack.report import columns, weekly
from zjtrack.report.weekly import period_of
from zjtrack.report.weeks import Week

# Records filed late (补报: recorded_at after their date), a correction and a withdrawal, and a
# record written down the day it describes, added to the demo's own records (a tree `check`
# passes: one with errors gets no snapshot).
LATE = """
---
target: demo-1-1
date: 2026-11-10
value: 30
recorded_at: 2026-11-26
---
target: demo-1-1
date: 2026-11-10
value: 35
corrects: 2026-11-10
recorded_at: 2026-12-02
---
target: demo-1-2
date: 2026-10-20
value: 40
recorded_at: 2026-11-18T09:30:00
---
target: demo-1-2
date: 2026-10-20
withdraws: 2026-10-20
recorded_at: 2026-11-24
---
target: demo-2-1
date: 2026-11-17
done: true
recorded_at: 2026-11-17T18:00:00
"""

TREES = {**IDENTITY_TREES, "late": ["tasks", "late"]}
# (week, as-of): weeks closed and one not yet closed, around the trees' records and deadlines
WEEKS = (("2026-W48", "2026-11-25"), ("2026-W47", "2026-12-31"), ("2025-W10", "2026-12-31"))


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    identity_trees(tmp_path, monkeypatch)
    shutil.copytree(tmp_path / "examples" / "demo", tmp_path / "late")
    progress = tmp_path / "late" / "progress" / "demo-2026-1.yaml"
    progress.write_text(progress.read_text(encoding="utf-8") + LATE, encoding="utf-8")
    yield tmp_path


@pytest.mark.parametrize("name", list(TREES))
def test_both_moments_over_the_columns_are_evaluate_ats(
    trees: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = TREES[name]
    result = load_paths(paths)
    assert not result.problems
    snapshot.save(paths, result, 2**62)
    snap = snapshot.load(paths)
    assert snap is not None
    plan = result.plan
    assert columns.fits(plan, snap)
    by_objects = spy_made(monkeypatch, columns, "evaluate_at")  # targets the columns cannot hold
    for n in range(1, 53, 3):
        for year in (2025, 2026, 2027):
            period = period_of(Week(year, n), plan.config)
            now, before = columns.judge_week(plan, snap, period.end, period.before)
            moments = ((period.end, period.end), (period.before, period.before))
            want_now, want_before = evaluate_at(plan, moments)
            assert now == want_now, (name, year, n)
            # the cut-off before as columns, in the order of `now`
            assert before == columns.standings_of(want_before), (name, year, n)
            assert before.status == [b.status for b in want_before]
            assert before.level == [b.level for b in want_before]
            assert before.regressed == [b.regressed for b in want_before]
    # what the caller passes (the plan's targets, whether records say when they were recorded)
    # is what judge_week finds for itself
    period = period_of(Week(2026, 48), plan.config)
    later = plan.says_when_recorded()
    assert later or name != "late"  # the late tree says when its records were written down
    given = columns.judge_week(
        plan, snap, period.end, period.before, plan.all_targets(), later=later
    )
    assert given == columns.judge_week(plan, snap, period.end, period.before)
    if name in ("shapes-plain", "synthetic"):
        assert not by_objects  # every target judged over the columns
    if name == "late":
        assert by_objects  # records filed late, extensions, per-entity targets: the objects'


def test_a_snapshot_of_another_plan_does_not_fit(trees: Path) -> None:
    result = load_paths(TREES["synthetic"])
    snapshot.save(TREES["synthetic"], result, 2**62)
    snap = snapshot.load(TREES["synthetic"])
    assert snap is not None
    other = load_paths(TREES["shapes-plain"]).plan
    assert not columns.fits(other, snap)
    plan = result.plan
    config = plan.config._replace(due_soon_days=plan.config.due_soon_days + 1)
    assert not columns.fits(plan._replace(config=config), snap)
    assert columns.fits(plan, snap)
    # the plan's targets given by the caller (as the weekly report does) are the ones compared
    placed = plan.all_targets()
    assert columns.fits(plan, snap, placed)
    assert not columns.fits(plan, snap, placed[::-1]) and not columns.fits(plan, snap, placed[1:])
    assert not columns.fits(other, snap, other.all_targets())
    end, before = dt.date(2026, 11, 29), dt.date(2026, 11, 22)
    assert columns.judge_week(plan, snap, end, before, placed) == columns.judge_week(
        plan, snap, end, before
    )


@pytest.mark.parametrize("name", list(TREES))
def test_the_weekly_report_is_byte_identical_with_and_without_the_snapshot(
    trees: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = TREES[name]
    first = cli("report", "weekly", *paths, "--as-of", "2026-11-25")  # makes the snapshot
    assert first.exit_code == 0, first.stderr
    assert snapshot.load(paths) is not None
    used = spy_made(monkeypatch, weekly, "judge_week")
    alone = spy_made(monkeypatch, weekly, "column_week")  # without the plan (`WeekParts`)
    runs = 0
    for week, as_of in WEEKS:
        for fmt, lang in (
            ("md", "zh"),
            ("md", "en"),
            ("html", "zh"),
            ("docx", "zh"),
            ("xlsx", "en"),
        ):
            outs = []
            for env in ({}, {"ZJTRACK_NO_CACHE": "1"}):
                out = trees / f"out-{len(outs)}.{fmt}"
                args = ["report", "weekly", *paths, "--week", week, "--as-of", as_of]
                args += ["-f", fmt, "--lang", lang, "-o", str(out), "--force"]
                ran = cli(*args, env=env)
                assert ran.exit_code == 0, ran.stderr
                outs.append((out.read_bytes(), ran.stderr.replace(str(out), "OUT")))
            assert outs[0] == outs[1], (name, week, fmt, lang)
            assert len(outs[0][0]) > 1000
            runs += 1
    # each fast run judged over the columns: where the columns hold every target and no record
    # was filed late, without loading the plan (the first run, which made the snapshot, made the
    # side file of what the report reads besides the columns); else with the plan
    if name in ("shapes-plain", "synthetic"):
        assert not used and alone == [True] * runs
    else:
        assert len(used) == runs and all(used) and not alone


def test_a_narrowed_report_or_a_tree_with_problems_uses_the_objects(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = TREES["synthetic"]
    assert cli("report", "weekly", *paths, "--as-of", "2026-11-25").exit_code == 0
    used = spy_made(monkeypatch, weekly, "judge_week", "column_week")  # over the columns
    doc = load_paths(paths).plan.documents[0].id
    narrowed = cli("report", "weekly", *paths, "--as-of", "2026-11-25", "--doc", doc)
    assert narrowed.exit_code == 0, narrowed.stderr
    assert not used
    whole = cli("report", "weekly", *paths, "--as-of", "2026-11-25")
    assert whole.exit_code == 0 and used == [True]
    progress = sorted((trees / "synthetic" / "progress").glob("*.yaml"))[0]
    progress.write_text(
        progress.read_text(encoding="utf-8") + "---\ntarget: nowhere-1\ndate: 2026-11-20\n",
        encoding="utf-8",
    )
    broken = cli("report", "weekly", *paths, "--as-of", "2026-11-25")
    slow = cli("report", "weekly", *paths, "--as-of", "2026-11-25", env={"ZJTRACK_NO_CACHE": "1"})
    assert broken.stdout == slow.stdout and broken.stderr == slow.stderr
    assert used == [True]  # the tree with a problem was judged over the objects


def test_a_report_over_the_snapshot_skips_the_cross_file_checks(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid snapshot is made only of a tree `check` finds no error in: the report over it
    leaves out the checks' full pass, and says and exits what the object model's run does."""
    import zjtrack.checks

    paths = TREES["late"]
    first = cli("report", "weekly", *paths, "--as-of", "2026-11-25")  # makes the snapshot
    assert first.exit_code == 0, first.stderr
    assert snapshot.load(paths) is not None
    checked = spy_made(monkeypatch, zjtrack.checks, "run_checks")
    fast = cli("report", "weekly", *paths, "--as-of", "2026-11-25")
    assert checked == []  # the snapshot vouched for the tree
    slow = cli("report", "weekly", *paths, "--as-of", "2026-11-25", env={"ZJTRACK_NO_CACHE": "1"})
    assert checked == [True]  # without one, the checks ran
    assert (fast.stdout, fast.stderr, fast.exit_code) == (slow.stdout, slow.stderr, 0)
    assert fast.stdout == first.stdout


def _tally_by_id(now: list, before: list, start: dt.date) -> tuple[object, ...]:
    """The overview's tally as main 46d2472 made it: the cut-off before looked up by target id
    (the last target of an id wins; one regressed of an id counts for all)."""
    from zjtrack.evaluate import Level, Status

    prev_status = {r.target.id: r.status for r in before}
    prev_regressed = {r.target.id for r in before if r.regressed}
    counts = {s: sum(r.status is s for r in now) for s in Status}
    levels = {lv: sum(r.level is lv for r in now) for lv in Level}
    met = [
        i
        for i, r in enumerate(now)
        if r.status.finished and ((was := prev_status.get(r.target.id)) is None or not was.finished)
    ]
    dropped = [i for i, r in enumerate(now) if r.regressed and r.target.id not in prev_regressed]
    late = [
        i
        for i, r in enumerate(now)
        if r.status is Status.OVERDUE and prev_status.get(r.target.id) is not Status.OVERDUE
    ]
    recs = [
        (i, x)
        for i, r in enumerate(now)
        for x in r.records
        if x.date is not None and x.date >= start
    ]
    return counts, levels, met, dropped, late, recs


@pytest.mark.parametrize("name", list(TREES))
def test_the_tally_over_the_columns_is_the_tally_by_id(trees: Path, name: str) -> None:
    from zjtrack.registry import Registry
    from zjtrack.report.document import Items, ObjectRows

    plan = load_paths(TREES[name]).plan
    for n in range(1, 53, 5):
        for year in (2025, 2026):
            period = period_of(Week(year, n), plan.config)
            moments = ((period.end, period.end), (period.before, period.before))
            now, before = evaluate_at(plan, moments)
            # and with a target id twice (a tree with errors): still compared by id
            twice = list(now)
            if len(now) > 2:
                twice[1] = now[1]._replace(target=now[1].target._replace(id=now[0].target.id))
            for results in (now, twice):
                # the cut-off before of the same targets (ids as in `results`)
                then = [b._replace(target=t.target) for b, t in zip(before, results, strict=True)]
                items = Items(results, Registry(plan.units), "zh")
                board = columns.Results.of(results)
                got = weekly._tally(board, columns.standings_of(then))
                counts, levels, met, dropped, late, recs = _tally_by_id(results, then, period.start)
                assert (got.counts, got.levels) == (counts, levels)
                assert (got.met_now, got.dropped, got.late_now) == (met, dropped, late)
                # the records dated within the week, as the overview counts them
                rows = ObjectRows(items, "zh")
                since = rows.recorded_since(period.start)
                recorded = rows.records_since(since, period.start)
                assert [(i, day) for i, day, _ in recorded] == [(i, x.date) for i, x in recs]


@pytest.mark.parametrize("name", list(TREES))
def test_items_are_made_when_asked_for_and_are_items_ofs(trees: Path, name: str) -> None:
    from zjtrack.evaluate import evaluate, roles_column
    from zjtrack.registry import Registry
    from zjtrack.report.document import Items, items_of

    plan = load_paths(TREES[name]).plan
    results = evaluate(plan, dt.date(2026, 11, 25))
    registry = Registry(plan.units)
    for lang in ("zh", "en"):
        every = items_of(results, registry, lang)
        assert len(every) == len(results) > 0
        lazy = Items(results, registry, lang, roles_column(results, registry))
        asked = range(len(results) - 1, -1, -3)  # out of order, every third
        assert [lazy[i] for i in asked] == [every[i] for i in asked]
        assert all(lazy[i] is lazy[i] for i in asked)  # made once
        made = [x is not None for x in lazy._made]
        assert made == [i in asked for i in range(len(results))]  # and no other
        assert list(lazy) == every


def test_the_weekly_report_takes_the_cut_off_before_as_results_or_standings(trees: Path) -> None:
    from zjtrack.model import Config
    from zjtrack.registry import Registry

    plan = load_paths(TREES["late"]).plan
    week = Week(2026, 47)
    period = period_of(week, plan.config)
    now, before = evaluate_at(plan, ((period.end, period.end), (period.before, period.before)))
    registry, docs = Registry(plan.units), plan.documents
    config: Config = plan.config
    by_results = weekly.weekly_report(now, before, registry, config, docs, week, period=period)
    standings = columns.standings_of(before)
    by_columns = weekly.weekly_report(now, standings, registry, config, docs, week, period=period)
    assert by_results == by_columns
    # the overview's last-week column: each status's count at the cut-off before, then the total
    rows = by_columns.sections[0].tables[0].rows
    assert [row["prev"] for row in rows[: len(weekly._STATUS_ROWS)]] == [
        sum(b.status is s for b in before) for s in weekly._STATUS_ROWS
    ]
    assert rows[len(weekly._STATUS_ROWS)]["prev"] == len(before) > 0


def test_the_weekly_report_refuses_a_cut_off_before_of_other_targets(trees: Path) -> None:
    """Last week is compared with this week target by target: results in another order, or
    standings of another length, are refused, never counted against the wrong targets."""
    plan = load_paths(TREES["late"]).plan
    week = Week(2026, 47)
    period = period_of(week, plan.config)
    now, before = evaluate_at(plan, ((period.end, period.end), (period.before, period.before)))
    registry, docs, config = Registry(plan.units), plan.documents, plan.config
    for wrong in (before[::-1], before[:-1], [*before, before[0]]):
        with pytest.raises(ValueError):
            weekly.weekly_report(now, wrong, registry, config, docs, week, period=period)
    short = columns.standings_of(before[:-1])
    with pytest.raises(ValueError):
        weekly.weekly_report(now, short, registry, config, docs, week, period=period)


@pytest.mark.parametrize("name", list(TREES))
def test_the_targets_the_supervision_lists_show_are_those_with_a_level(
    trees: Path, name: str
) -> None:
    """Red and yellow are the targets that need supervision (overdue or behind), blue the others
    due soon: `document.supervised` picks those with a level."""
    from zjtrack.evaluate import SUPERVISED, Level
    from zjtrack.report.document import supervised

    plan = load_paths(TREES[name]).plan
    for day in ("2025-03-01", "2026-06-30", "2026-11-25", "2027-12-31"):
        (now,) = evaluate_at(plan, ((dt.date.fromisoformat(day),) * 2,))
        wanted = [i for i, r in enumerate(now) if r.status in SUPERVISED or r.level is Level.BLUE]
        assert supervised([r.level for r in now]) == wanted
        assert any(r.level is not None for r in now) or name == "tasks"


def test_a_report_over_the_columns_never_replaces_a_file_it_stands_for(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tree's files are the report's inputs over the columns too (`Snapshot.inputs`): a
    destination that is one of them under another name (a hard link) is refused, with the
    message and exit code the object model's run gives, and the file is left as it was."""
    paths = TREES["synthetic"]
    task = sorted((trees / "synthetic").glob("*.yaml"))[0]
    before = task.read_bytes()
    link = trees / "link.md"
    os.link(task, link)  # first: a new link changes the file's ctime, which the snapshot notes
    for _ in range(2):  # the snapshot and its side file, then a report over the columns alone
        assert cli("report", "weekly", *paths, "--as-of", "2026-11-25").exit_code == 0
    alone = spy_made(monkeypatch, weekly, "column_week")
    runs = [
        cli(
            "report", "weekly", *paths, "--as-of", "2026-11-25", "-o", str(link), "--force", env=env
        )
        for env in ({}, {"ZJTRACK_NO_CACHE": "1"})
    ]
    assert alone == [True]  # the first run was made over the columns alone
    assert [r.exit_code for r in runs] == [2, 2]
    assert runs[0].stderr == runs[1].stderr and "本命令读取" in runs[0].stderr
    assert task.read_bytes() == before and link.read_bytes() == before
