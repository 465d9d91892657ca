"""What a command reads and how it fails (issue 12 §1): one document reads as in its whole
repository; a broken file never makes a smaller report that exits 0; a name that names nothing is
a usage error in every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import cli, incomplete_count

from zjtrack.load.loader import find_root, load_paths

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-12-05"
HD = "tasks/haidong-2024-74.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped repository with `record hd-5-1 92 --date 2026-12-02`, as the issue
    was tried; the working directory is its top."""
    shutil.copytree(ROOT / "tasks", tmp_path / "tasks")
    monkeypatch.chdir(tmp_path)
    done = cli("record", "hd-5-1", "92", "--date", "2026-12-02", "--as-of", AS_OF)
    assert done.exit_code == 0, done.stderr
    return tmp_path


# --- one document, one unit ----------------------------------------------------------------------


def test_a_file_is_read_with_its_repository(repo: Path) -> None:
    assert find_root(str(repo / HD)) == str(repo / "tasks")
    whole = load_paths([str(repo / "tasks")])
    one = load_paths([str(repo / HD)])
    assert [d.id for d in one.plan.documents] == ["haidong-2024-74"]
    assert one.plan.units == whole.plan.units  # the registry comes along
    assert [r.target for r in one.plan.records] == ["hd-5-1"]  # and the document's progress
    assert one.problems == []


def test_status_of_one_document_sees_its_records(repo: Path) -> None:
    run = cli("status", HD, "--status", "逾期完成", "--as-of", AS_OF, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert [r["id"] for r in json.loads(run.stdout)["rows"]] == ["hd-5-1"]


def test_weekly_report_of_one_document_has_its_scope(repo: Path) -> None:
    run = cli("report", "weekly", HD, "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    assert "已完成1项" in run.stdout
    assert "海东市" in run.stdout and "张掖市" not in run.stdout.split("## 一、")[0]
    by_doc = cli("report", "weekly", "tasks", "--doc", "zhangye-2024-2", "--as-of", AS_OF)
    assert by_doc.exit_code == 0 and "已完成0项" in by_doc.stdout
    assert "张掖市" in by_doc.stdout.split("## 一、")[0]


def test_report_for_one_unit_covers_its_targets(repo: Path) -> None:
    run = cli("report", "ledger", "tasks", "--unit", "市教育局", "--as-of", AS_OF, "-f", "csv")
    assert run.exit_code == 0, run.stderr
    rows = run.stdout.splitlines()[1:]
    assert rows and all("教育局" in row for row in rows)


def test_a_file_outside_any_repository_is_read_alone_and_says_so(tmp_path: Path) -> None:
    lone = tmp_path / "lone.yaml"
    shutil.copy(ROOT / HD, lone)
    loaded = load_paths([str(lone)])
    assert [p.code for p in loaded.problems if p.code == "no-repository"] == ["no-repository"]
    run = cli("check", str(lone))
    assert "no-repository" in run.stdout and run.exit_code == 1  # and its units are unknown


def test_root_option_names_the_repository(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(repo / HD, elsewhere / "hd.yaml")
    run = cli("--root", "tasks", "status", str(elsewhere / "hd.yaml"), "--as-of", AS_OF)
    assert run.exit_code == 0, run.stderr
    assert "no-repository" not in run.stderr


def test_writers_write_into_the_repository_the_views_read(repo: Path, tmp_path: Path) -> None:
    """`--root` / ZJTRACK_ROOT name the repository for `record` and `intake` too: before, `record`
    always wrote into ./tasks (or failed) while `status` read the repository --root named."""
    other = tmp_path / "other"
    other.mkdir()
    shutil.move(str(repo / "tasks"), str(other / "repo"))
    record = ("record", "hd-1-2", "1", "--date", "2026-12-01", "--as-of", AS_OF)
    by_option = cli("--root", str(other / "repo"), *record)
    assert by_option.exit_code == 0, by_option.stderr
    assert "hd-1-2" in (other / "repo" / "progress" / "haidong-2024-74.yaml").read_text("utf-8")
    assert not (repo / "tasks").exists()
    shown = cli("show", "hd-1-2", "--as-of", AS_OF, env={"ZJTRACK_ROOT": str(other / "repo")})
    assert shown.exit_code == 0 and "2026-12-01" in shown.stdout
    by_env = cli(*record[:4], "2026-12-02", *record[5:], env={"ZJTRACK_ROOT": str(other / "repo")})
    assert by_env.exit_code == 0, by_env.stderr
    assert "2026-12-02" in (other / "repo" / "progress" / "haidong-2024-74.yaml").read_text("utf-8")
    missing = cli("intake", str(tmp_path / "none.xlsx"), "--yes", "--as-of", AS_OF)
    assert missing.exit_code == 2 and "tasks" in missing.stderr  # no --root: ./tasks, not there


def test_a_writer_refuses_a_folder_or_file_that_is_not_a_tasks_directory(repo: Path) -> None:
    """`--root .` at the checkout's top made `record` create ./progress/ beside tasks/, where no
    view looked; `--tasks tasks/units.yaml` was said not to exist (adversarial pass, issue 13)."""
    record = ("record", "hd-1-2", "1", "--as-of", AS_OF)
    top = cli("--root", str(repo), *record)
    assert top.exit_code == 2 and "units.yaml" in top.stderr
    assert not (repo / "progress").exists()
    file = cli(*record, "--tasks", "tasks/units.yaml")
    assert file.exit_code == 2 and "是文件，不是任务目录" in file.stderr
    view = cli("status", env={"ZJTRACK_ROOT": "tasks/units.yaml"})
    assert view.exit_code == 2 and "是文件" in view.stderr


# --- a broken file is not a smaller report --------------------------------------------------------


@pytest.fixture
def broken(repo: Path) -> Path:
    path = repo / HD
    text = path.read_text("utf-8")
    path.write_text(text.replace("lead_units: [市教育局]", "lead_units: [市教育局", 1), "utf-8")
    return repo


def test_report_over_a_broken_file_is_written_marked_and_fails(broken: Path) -> None:
    run = cli("report", "weekly", "tasks", "--as-of", AS_OF, "--format", "docx", "-o", "x.docx")
    assert run.exit_code == 1
    assert "haidong-2024-74.yaml" in run.stderr and incomplete_count(run.stderr)
    from docx import Document

    first = "\n".join(p.text for p in Document(str(broken / "x.docx")).paragraphs[:8])
    assert "结果不完整" in first and "haidong-2024-74.yaml" in first


@pytest.mark.parametrize("fmt", ["table", "md", "json", "csv"])
def test_views_over_a_broken_file_fail(broken: Path, fmt: str) -> None:
    run = cli("status", "tasks", "--as-of", AS_OF, "--format", fmt)
    assert run.exit_code == 1 and run.stdout.strip()
    if fmt == "json":
        assert "haidong-2024-74.yaml" in json.loads(run.stdout)["incomplete"]
    elif fmt != "csv":  # CSV stays a plain table: the exit code and stderr say it
        assert "结果不完整" in run.stdout.splitlines()[0]


def test_record_says_the_file_has_errors(broken: Path) -> None:
    run = cli("record", "hd-5-2", "80", "--as-of", AS_OF)
    assert run.exit_code == 2 and run.stdout == ""
    assert "haidong-2024-74.yaml" in run.stderr and "错误" in run.stderr
    assert "不存在" not in run.stderr
    other = cli("record", "zy-1-1", "done", "--as-of", AS_OF)  # a target in a file that reads
    assert other.exit_code == 0, other.stderr


# --- a mistyped filter is a usage error everywhere -----------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("overdue", "tasks", "--unit", "市教育厅", "--fail-on", "overdue"), "--unit"),
        (("status", "tasks", "--unit", "市教育厅"), "--unit"),
        (("due", "tasks", "--doc", "haidong-2024-47"), "--doc"),
        (("status", "tasks", "--status", "逾期未完"), "--status"),
        (("status", "tasks", "--level", "红色"), "--level"),
        (("report", "weekly", "tasks", "--unit", "市教育厅"), "--unit"),
        (("report", "ledger", "tasks", "--doc", "haidong-2024-47"), "--doc"),
    ],
)
def test_a_name_that_names_nothing_exits_2_with_the_nearest(
    repo: Path, args: tuple[str, ...], option: str
) -> None:
    run = cli(*args, "--as-of", AS_OF)
    assert run.exit_code == 2 and run.stdout == ""
    assert option in run.stderr and "是否是" in run.stderr, run.stderr


@pytest.mark.parametrize(
    "args",
    [("units", "市教育厅", "tasks"), ("report", "notices", "tasks", "--unit", "市教育厅")],
)
def test_unit_names_that_name_nothing_exit_2(repo: Path, args: tuple[str, ...]) -> None:
    run = cli(*args, "--as-of", AS_OF)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith("没有单位 `市教育厅`，是否是 ") and "`市教育局`" in run.stderr


# --- per-entity targets and the working group's decisions ----------------------------------------


def test_an_entity_of_an_unlisted_set_is_refused(repo: Path) -> None:
    run = cli("record", "zy-1-5", "60", "--entity", "甘州区职业技术教育中心", "--as-of", AS_OF)
    assert run.exit_code == 2 and "entities-undeclared" in run.stderr
    assert not (repo / "tasks" / "progress" / "zhangye-2024-2.yaml").exists()


DEADLINES = """\
  deadlines:
    - target: hd-1-3
      deadline: 2026年底
      start: 2026-01-01
      reason: 年度分解（测试）
      decided_by: 工作专班第3次会议（测试）
      decided_on: 2026-03-15
"""


def test_group_decisions_are_applied_and_shown(repo: Path) -> None:
    text = (ROOT / "examples" / "demo" / "decisions.yaml").read_text("utf-8")
    text = text.replace("decisions:\n", "decisions:\n" + DEADLINES, 1)
    (repo / "tasks" / "decisions.yaml").write_text(text, "utf-8")
    assert cli("check", "tasks", "--as-of", AS_OF).exit_code == 0
    rows = json.loads(cli("status", "tasks", "--as-of", AS_OF, "-f", "json").stdout)["rows"]
    hd = next(r for r in rows if r["id"] == "hd-1-3")
    assert (
        hd["deadline_text"] == "2026年底（专班确定）"
        and hd["deadline_decided"]["on"] == "2026-03-15"
    )
    assert hd["deadline_reason"] is None
    zy = next(r for r in rows if r["id"] == "zy-1-5")
    assert len(zy["entities"]) == 2
    ok = cli("record", "zy-1-5", "60", "--entity", "山丹培黎学校", "--as-of", AS_OF)
    assert ok.exit_code == 0, ok.stderr


def test_a_target_with_its_own_deadline_carries_no_inherited_reason(repo: Path) -> None:
    rows = json.loads(cli("targets", "tasks", "-f", "json").stdout)
    hd = next(r for r in rows if r["id"] == "hd-5-1")
    assert hd["deadline_text"] == "2025年底" and hd["deadline_reason"] is None


def test_a_task_file_named_in_capitals_is_read(repo: Path) -> None:
    """`zhangye-2024-2.YML` was skipped without a word: its 48 targets vanished from every view
    while `check` passed (adversarial pass, issue 13)."""
    (repo / "tasks" / "zhangye-2024-2.yaml").rename(repo / "tasks" / "zhangye-2024-2.YML")
    loaded = load_paths([str(repo / "tasks")])
    assert "zhangye-2024-2" in [d.id for d in loaded.plan.documents]
    assert cli("check", "tasks").exit_code == 0
