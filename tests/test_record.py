"""`zjtrack record`: validate, then append one record to tasks/progress/<document-id>.yaml.

Through the CLI (CliRunner, and real subprocesses for concurrency) and through
`recording.record_progress` / `journal.append`: valid appends read back, bad input writes nothing
and exits 2 with a message on stderr, hand edits are kept byte for byte, concurrent writers lose
and duplicate nothing, and a failed write leaves the file as it was.
"""

from __future__ import annotations

import datetime as dt
import errno
import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import cli
from typer.testing import Result

from zjtrack.checks import run_checks
from zjtrack.load.cache import FileCache, cache_dir
from zjtrack.load.loader import load_paths
from zjtrack.model import ProgressRecord
from zjtrack.problems import UserError
from zjtrack.store import journal
from zjtrack.store.record import record_progress

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)
HD = "haidong-2024-74"


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    """A private copy of the shipped tasks/ (without any progress records)."""
    dest = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", dest, ignore=shutil.ignore_patterns("progress"))
    return dest


def progress_file(tasks: Path, doc: str = HD) -> Path:
    return tasks / "progress" / f"{doc}.yaml"


def loaded(tasks: Path) -> tuple[list[ProgressRecord], list[object]]:
    """Records and problems (loader and checks) of the whole tree."""
    result = load_paths([str(tasks)])
    return list(result.plan.records), result.problems + run_checks(result.plan)


def record_cli(
    tasks: Path, *args: str, lang: str = "en", env: dict[str, str] | None = None
) -> Result:
    return cli("record", *args, "--tasks", str(tasks), "--lang", lang, env=env)


# --- a valid record -----------------------------------------------------------------------------


def test_cli_appends_a_valid_record_that_loads(tasks: Path) -> None:
    result = record_cli(
        tasks,
        "hd-2-6",
        "52",
        "--date",
        "2025-06-30",
        "--source",
        "名单（2025）",
        "--by",
        "市发改委",
        "--note",
        "第一批",
        "--problems",
        "申报不足",
        "--next-steps",
        "再认定一批",
        lang="zh",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    path = progress_file(tasks)
    assert result.stderr.startswith(f"已记录：hd-2-6 → {path}；当前状态：")
    text = path.read_text("utf-8")
    assert text.startswith(f"# 进展记录 · progress records ({HD}).")
    assert f'zjtrack: 1\ndocument: "{HD}"\n\n---\n' in text
    records, problems = loaded(tasks)
    assert problems == []
    assert len(records) == 1
    r = records[0]
    assert (r.target, r.date, r.value, r.done, r.entity) == (
        "hd-2-6",
        dt.date(2025, 6, 30),
        52,
        None,
        None,
    )
    assert (r.source, r.by, r.note, r.problems, r.next_steps) == (
        "名单（2025）",
        "市发改委",
        "第一批",
        "申报不足",
        "再认定一批",
    )


def test_cli_default_date_is_today_and_second_record_appends(tasks: Path) -> None:
    assert record_cli(tasks, "hd-1-1", "done").exit_code == 0
    first = progress_file(tasks).read_bytes()
    assert record_cli(tasks, "hd-2-6", "60.5", "--date", "2026-01-01").exit_code == 0
    second = progress_file(tasks).read_bytes()
    assert second.startswith(first)
    records, problems = loaded(tasks)
    assert problems == []
    assert [(r.target, r.date, r.value, r.done) for r in records] == [
        ("hd-1-1", dt.date.today(), None, True),
        ("hd-2-6", dt.date(2026, 1, 1), 60.5, None),
    ]


def test_records_go_to_their_documents_file(tasks: Path) -> None:
    assert record_cli(tasks, "zy-1-3", "完成", "--date", "2025-03-15").exit_code == 0
    assert progress_file(tasks, "zhangye-2024-2").is_file()
    assert not progress_file(tasks).exists()


@pytest.mark.parametrize(
    ("target", "value", "extra", "expect"),
    [
        ("hd-5-1", "88%", {}, {"value": 88}),
        ("hd-5-1", "100", {}, {"value": 100}),
        ("hd-5-1", "0", {}, {"value": 0}),
        ("hd-5-1", " 87.5 ", {}, {"value": 87.5}),
        ("hd-1-1", "done", {}, {"done": True}),
        ("hd-1-1", "DONE", {}, {"done": True}),
        ("hd-1-1", "完成", {}, {"done": True}),
        ("hd-1-1", "已完成", {}, {"done": True}),
        ("hd-1-1", "是", {}, {"done": True}),
        ("hd-1-1", "not-done", {}, {"done": False}),
        ("hd-1-1", "未完成", {}, {"done": False}),
        ("hd-1-1", "否", {}, {"done": False}),
        (
            "hd-7-1",
            "1",
            {"entity": "互助县职业技术学校"},
            {"value": 1, "entity": "互助县职业技术学校"},
        ),
    ],
)
def test_record_progress_accepts(
    tasks: Path, target: str, value: str, extra: dict[str, str], expect: dict[str, object]
) -> None:
    path = record_progress(tasks, target, value, as_of=TODAY, date="2026-11-01", **extra)
    assert path == progress_file(tasks, "zhangye-2024-2" if target.startswith("zy") else HD)
    records, problems = loaded(tasks)
    assert problems == []
    (r,) = records
    assert r.target == target and r.date == dt.date(2026, 11, 1)
    for key, want in expect.items():
        assert getattr(r, key) == want


def test_record_progress_date_defaults_to_today_and_today_is_allowed(tasks: Path) -> None:
    record_progress(tasks, "hd-2-6", "1", as_of=TODAY)
    record_progress(tasks, "hd-2-6", "2", as_of=TODAY, date=TODAY.isoformat())
    records, _ = loaded(tasks)
    assert [r.date for r in records] == [TODAY, TODAY]


# --- bad input writes nothing -------------------------------------------------------------------

# Refusals by the rules `check` applies to every record (checks.record_problems and the loader's
# format rules) carry their problem code; a VALUE that is neither a number nor a done word is
# refused in the words of the target's kind.
BAD_CLI = [
    (["hd-2-66", "5"], "error[unknown-target] no target `hd-2-66`; did you mean `hd-2-6`?"),
    (
        ["nothing-like-it", "5"],
        "error[unknown-target] no target `nothing-like-it`\n"
        "  = hint: run `zjtrack targets` to list target ids.",
    ),
    (["hd-2-6", "abc"], "`hd-2-6` is a quantity (家): the value is a number, not `abc`"),
    (["hd-2-6", "5个"], "is a quantity"),
    (["hd-2-6", ""], "is a quantity"),
    (["hd-2-6", "nan"], "error[wrong-type] `value` must be a number, found the text `nan`"),
    (["hd-2-6", "inf"], "error[wrong-type] `value` must be a number, found the text `inf`"),
    (["hd-2-6", "1e20"], "error[wrong-type] `value` must be a number"),
    (["hd-1-1", "maybe"], "`hd-1-1` is a milestone: the value is done or not-done, not `maybe`"),
    (
        ["hd-1-1", "1"],
        "error[record-value] target `hd-1-1` is a milestone: the record needs `done`",
    ),
    (["hd-2-6", "done"], "error[record-value] target `hd-2-6` is a quantity: the record needs"),
    (["hd-5-1", "101"], "error[percent-over-100] percentage 101% is not between 0 and 100"),
    (["hd-5-1", "150%"], "error[percent-over-100] percentage 150% is not between 0 and 100"),
    (
        ["hd-2-6", "5", "--date", "2099-01-01"],
        "error[future-record] record dated 2099-01-01, after the as-of date",
    ),
    (
        ["hd-2-6", "5", "--date", "2025-06-30", "--as-of", "2025-06-29"],
        "error[future-record] record dated 2025-06-30, after the as-of date 2025-06-29",
    ),
    (
        ["hd-2-6", "5", "--date", "2025-02-30"],
        "error[bad-date] `date` has an invalid date `2025-02-30`",
    ),
    (["hd-2-6", "5", "--date", "2025/06/31"], "invalid date `2025/06/31`"),
    (["hd-2-6", "5", "--date", "2月30日"], "day 30 does not exist in 2026-02"),
    (["hd-2-6", "5", "--date", "30/06/2025"], "not a date: write 2026-11-20"),
    (
        ["hd-7-1", "1"],
        "error[missing-entity] target `hd-7-1` is judged per entity "
        "(青海高等职业技术学院、互助县职业技术学校): the record needs `entity`",
    ),
    (["zy-2.1-3", "1"], "is judged per entity (每个中职学校): the record needs `entity`"),
    (
        ["hd-2-6", "5", "--entity", "青海高等职业技术学院"],
        "error[unknown-entity] `青海高等职业技术学院` is not one of target `hd-2-6`'s entities (—)",
    ),
    (
        ["hd-7-1", "1", "--entity", "某职业学校"],
        "error[unknown-entity] `某职业学校` is not one of target `hd-7-1`'s entities",
    ),
    (["hd-2-6", "5", "--note", " "], "error[empty-text] `note` must not be empty"),
    (["hd-2-6", "5", "--by", ""], "error[empty-text] `by` must not be empty"),
]


@pytest.mark.parametrize(("args", "message"), BAD_CLI, ids=[" ".join(a) for a, _ in BAD_CLI])
def test_cli_bad_input_writes_nothing_and_exits_2(
    tasks: Path, args: list[str], message: str
) -> None:
    # A progress file already exists: it must not change by a byte.
    record_progress(tasks, "hd-2-6", "50", as_of=TODAY, date="2025-01-01")
    record_progress(tasks, "zy-1-1", "done", as_of=TODAY, date="2024-12-01")
    before = {p: p.read_bytes() for p in (tasks / "progress").iterdir()}
    result = record_cli(tasks, *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (tasks / "progress").iterdir()} == before


def test_cli_bad_input_in_chinese_and_no_file_created(tasks: Path) -> None:
    result = record_cli(tasks, "hd-2-66", "5", lang="zh")
    assert result.exit_code == 2
    assert result.stderr == (
        "错误[unknown-target] 目标 `hd-2-66` 不存在，是否是 `hd-2-6`？\n"
        "  = 提示: 用 `zjtrack targets` 查看所有目标编号。\n"
    )
    result = record_cli(tasks, "hd-5-1", "150", lang="zh")
    assert (result.exit_code, result.stderr) == (
        2,
        "错误[percent-over-100] 百分比 150% 不在 0 到 100 之间\n"
        "  = 提示: 核对原文；百分比目标在 0 到 100 之间。\n",
    )
    assert not (tasks / "progress").exists()


def test_cli_missing_tasks_directory(tmp_path: Path) -> None:
    result = record_cli(tmp_path / "nowhere", "hd-2-6", "5")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("value", ["-1", "100.5", "-0.1"])
def test_record_progress_percent_out_of_range(tasks: Path, value: str) -> None:
    with pytest.raises(UserError) as info:
        record_progress(tasks, "hd-5-1", value, as_of=TODAY)
    assert info.value.exit_code == 2 and "0 到 100" in info.value.zh
    assert not progress_file(tasks).exists()


def test_record_progress_future_date_relative_to_the_as_of_date(tasks: Path) -> None:
    with pytest.raises(UserError) as info:
        record_progress(tasks, "hd-2-6", "1", as_of=TODAY, date="2026-11-26")
    assert info.value.exit_code == 2
    assert [p.code for p in info.value.problems] == ["future-record"]
    assert "after the as-of date 2026-11-25" in info.value.en
    assert not progress_file(tasks).exists()


# --- text round-trips -----------------------------------------------------------------------------

TRICKY = [
    "quotes \" and ' and \\ backslash",
    "line one\nline two\n",
    "---\ntarget: hd-1-1\ndate: 2020-01-01",
    "# not a comment: really",
    "&anchor *alias !tag <<: {flow: [seq]}",
    "  leading and trailing spaces  ",
    "yes",
    "null",
    "010",
    "2024-07-18",
    "1_000",
    '<script>alert(1)</script> =HYPERLINK("http://x") [bold]markup[/bold] \x1b[31m',
    "tab\there\r\nCRLF",
    "emoji 🎓 and 全角：冒号，引号“”",
]


@pytest.mark.parametrize("text", TRICKY)
def test_text_fields_read_back_exactly(tasks: Path, text: str) -> None:
    record_progress(
        tasks,
        "hd-2-6",
        "1",
        as_of=TODAY,
        note=text,
        source=text,
        by=text,
        problems=text,
        next_steps=text,
    )
    records, problems = loaded(tasks)
    assert problems == []
    (r,) = records
    assert (r.note, r.source, r.by, r.problems, r.next_steps) == (text, text, text, text, text)


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_text_field_is_a_usage_error_or_omitted(tasks: Path, blank: str) -> None:
    try:
        record_progress(tasks, "hd-2-6", "1", as_of=TODAY, note=blank)
    except UserError as e:
        assert e.exit_code == 2
    else:
        _, problems = loaded(tasks)
        assert problems == []


def test_next_line_character_reads_back_exactly(tasks: Path) -> None:
    try:
        record_progress(tasks, "hd-2-6", "1", as_of=TODAY, note="a\x85b")
    except UserError as e:
        assert e.exit_code == 2
        return
    records, _ = loaded(tasks)
    assert records[0].note == "a\x85b"


def test_c1_control_character_is_escaped_or_refused(tasks: Path) -> None:
    try:
        record_progress(tasks, "hd-2-6", "1", as_of=TODAY, note="a\x9b31mb")
    except UserError as e:
        assert e.exit_code == 2
        return
    records, _ = loaded(tasks)
    assert records[0].note == "a\x9b31mb"


def test_invalid_utf8_argument_is_a_usage_error(tasks: Path) -> None:
    with pytest.raises(UserError) as info:
        record_progress(tasks, "hd-2-6", "1", as_of=TODAY, note="a\udc85b")
    assert info.value.exit_code == 2
    assert not (tasks / "progress").exists()


# --- hand edits are kept --------------------------------------------------------------------------

HAND_EDITED = (
    "# 进展记录：手工维护的文件\n"
    "#   注释、空行和引号风格都必须原样保留\n"
    "zjtrack: 1\n"
    "document: haidong-2024-74   # 行尾注释\n"
    "\n"
    "---\n"
    "# 2025 年中报\n"
    "target: 'hd-2-6'\n"
    "date: 2025-06-30\n"
    "value: 78          # 含 3 家待复核\n"
    "note: >-\n"
    "  多行折叠\n"
    "  文本\n"
    "---\n"
    "{target: hd-1-1, date: 2025-03-20, done: true}\n"
    "\n"
    "# 末尾注释\n"
)


def test_comments_and_hand_edits_are_kept_byte_for_byte(tasks: Path) -> None:
    path = progress_file(tasks)
    path.parent.mkdir()
    path.write_bytes(HAND_EDITED.encode("utf-8"))
    old = path.read_bytes()
    result = record_cli(tasks, "hd-2-6", "96", "--date", "2025-12-31", "--as-of", TODAY.isoformat())
    assert result.exit_code == 0, result.stderr
    new = path.read_bytes()
    assert new.startswith(old)
    assert new[len(old) :] == (
        b'\n---\ntarget: "hd-2-6"\ndate: 2025-12-31\nvalue: 96\nrecorded_at: '
        + TODAY.isoformat().encode()
        + b"\n"
    )
    records, problems = loaded(tasks)
    assert problems == []
    assert [(r.target, r.value, r.done, r.note) for r in records] == [
        ("hd-2-6", 78, None, "多行折叠 文本"),
        ("hd-1-1", None, True, None),
        ("hd-2-6", 96, None, None),
    ]


def test_crlf_file_is_kept(tasks: Path) -> None:
    path = progress_file(tasks)
    path.parent.mkdir()
    old = HAND_EDITED.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(old)
    record_progress(tasks, "hd-2-6", "97", as_of=TODAY)
    assert path.read_bytes().startswith(old)
    records, problems = loaded(tasks)
    assert problems == [] and len(records) == 3


def test_file_without_final_newline_gets_one(tasks: Path) -> None:
    path = progress_file(tasks)
    path.parent.mkdir()
    old = HAND_EDITED.rstrip("\n").rsplit("\n", 2)[0].encode("utf-8")  # ends `... done: true}`
    assert not old.endswith(b"\n")
    path.write_bytes(old)
    result = record_cli(tasks, "hd-2-6", "100", "--date", "2026-01-31")
    assert result.exit_code == 0, result.stderr
    new = path.read_bytes()
    assert new.startswith(old)
    assert new[len(old) :].startswith(b"\n---\n")
    records, problems = loaded(tasks)
    assert problems == []
    assert [(r.target, r.done, r.value) for r in records] == [
        ("hd-2-6", None, 78),
        ("hd-1-1", True, None),
        ("hd-2-6", None, 100),
    ]


def test_new_file_gets_the_header(tasks: Path) -> None:
    record_progress(tasks, "zy-1-1", "done", as_of=TODAY, date="2024-12-20")
    text = progress_file(tasks, "zhangye-2024-2").read_text("utf-8")
    assert text == (
        "# 进展记录 · progress records (zhangye-2024-2). `zjtrack record` appends; hand edits are kept.\n"
        "zjtrack: 1\n"
        'document: "zhangye-2024-2"\n'
        "\n"
        "---\n"
        'target: "zy-1-1"\n'
        "date: 2024-12-20\n"
        "done: true\n"
        "recorded_at: 2026-11-25\n"  # the as-of date of `record`
    )


# --- concurrency ----------------------------------------------------------------------------------

QUANTITY_TARGETS = ["hd-2-5", "hd-2-6", "hd-2-7", "hd-6-1", "hd-6-2", "hd-8-4", "hd-9-4"]


def _append_many(path: str, worker: int, count: int, same_target: bool) -> None:
    # as `record` appends: with the parse cache (conftest's folder), so a file of n records is not
    # parsed whole n times (without it, 1,000 appends took 40-55 s on a quiet 2-core machine)
    store = FileCache(cache_dir())
    for j in range(count):
        target = "hd-2-6" if same_target else QUANTITY_TARGETS[(worker + j) % len(QUANTITY_TARGETS)]
        journal.append(
            Path(path),
            HD,
            ProgressRecord(
                target,
                dt.date(2026, 1, 1) + dt.timedelta(days=j),
                value=float(j),
                note=f"worker {worker:02d} record {j:03d}",
                by=f"进程{worker}",
            ),
            store,
        )


@pytest.mark.parametrize("same_target", [False, True], ids=["mixed-targets", "same-target"])
def test_20_processes_x_50_appends_lose_and_duplicate_nothing(
    tasks: Path, same_target: bool
) -> None:
    path = progress_file(tasks)
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=_append_many, args=(str(path), w, 50, same_target)) for w in range(20)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * 20
    records, problems = loaded(tasks)
    assert problems == []
    notes = [r.note for r in records]
    assert len(notes) == 1000
    assert sorted(notes) == sorted(
        f"worker {w:02d} record {j:03d}" for w in range(20) for j in range(50)
    )
    # each writer's records are in its own order, and every record is whole
    for w in range(20):
        mine = [r for r in records if r.by == f"进程{w}"]
        assert [r.value for r in mine] == [float(j) for j in range(50)]
        assert all(r.note == f"worker {w:02d} record {int(r.value or 0):03d}" for r in mine)
    text = path.read_text("utf-8")
    assert text.count("\n---\n") == 1000 and text.count("# 进展记录") == 1


def test_concurrent_cli_processes_4_x_10(tasks: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("ZJTRACK_LANG", "ZJTRACK_AS_OF")}

    def worker(w: int) -> list[int]:
        codes = []
        for j in range(10):
            target = "hd-1-1" if j % 3 == 0 else "hd-2-6"
            value = "done" if target == "hd-1-1" else str(w * 10 + j)
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "zjtrack",
                    "record",
                    target,
                    value,
                    "--tasks",
                    str(tasks),
                    "--date",
                    "2026-11-01",
                    "--note",
                    f"cli {w}-{j}",
                ],
                capture_output=True,
                text=True,
                env=env,
                cwd=str(tasks.parent),
                timeout=60,
            )
            assert proc.stdout == "", proc.stdout
            assert proc.returncode == 0, proc.stderr
            codes.append(proc.returncode)
        return codes

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(worker, range(4)))
    assert results == [[0] * 10] * 4
    records, problems = loaded(tasks)
    assert problems == []
    assert sorted(r.note or "" for r in records) == sorted(
        f"cli {w}-{j}" for w in range(4) for j in range(10)
    )


# --- failed writes ----------------------------------------------------------------------------------


def _failing_write(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        if b"target:" not in bytes(data):
            return real_write(fd, data)
        half = real_write(fd, bytes(data)[: len(data) // 2])
        if mode == "raise":
            raise OSError(errno.EIO, "Input/output error")
        return half  # a short write: the disk filled up

    monkeypatch.setattr(journal.os, "write", write)


@pytest.mark.parametrize("mode", ["raise", "short"])
def test_interrupted_write_leaves_the_file_exactly_as_before(
    tasks: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    record_progress(tasks, "hd-2-6", "50", as_of=TODAY, date="2025-01-01", note="before")
    path = progress_file(tasks)
    before = path.read_bytes()
    _failing_write(monkeypatch, mode)
    with pytest.raises(UserError) as info:
        record_progress(tasks, "hd-2-6", "60", as_of=TODAY, note="x" * 5000)
    assert info.value.exit_code == 2 and "file left unchanged" in info.value.en
    assert path.read_bytes() == before
    result = record_cli(tasks, "hd-2-6", "70", "--note", "y" * 5000)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "cannot write" in result.stderr and "file left unchanged" in result.stderr
    assert path.read_bytes() == before
    monkeypatch.undo()
    records, problems = loaded(tasks)
    assert problems == [] and [r.note for r in records] == ["before"]


def test_interrupted_first_write_leaves_no_broken_file(
    tasks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_write(monkeypatch, "raise")
    with pytest.raises(UserError):
        record_progress(tasks, "hd-2-6", "60", as_of=TODAY)
    monkeypatch.undo()
    records, problems = loaded(tasks)
    assert records == []
    assert problems == []


def test_read_only_progress_directory(tasks: Path) -> None:
    record_progress(tasks, "hd-2-6", "50", as_of=TODAY, date="2025-01-01")
    directory = tasks / "progress"
    path = progress_file(tasks)
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    directory.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(path, os.W_OK) or os.access(directory, os.W_OK):
            pytest.skip("running as root: chmod does not make files read-only")
        result = record_cli(tasks, "hd-2-6", "60")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "cannot write" in result.stderr and "file left unchanged" in result.stderr
        result = record_cli(tasks, "zy-1-1", "done")  # a new file in a read-only directory
        assert result.exit_code == 2 and "cannot write" in result.stderr
        assert path.read_bytes() == before
        assert sorted(p.name for p in directory.iterdir()) == [f"{HD}.yaml"]
    finally:
        directory.chmod(stat.S_IRWXU)
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_unwritable_progress_path_is_a_clear_error(tasks: Path) -> None:
    """Works as root too: `tasks/progress` is a file, so nothing can be created under it."""
    (tasks / "progress").write_text("not a directory\n", "utf-8")
    result = record_cli(tasks, "hd-2-6", "60")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("cannot write ") and "(file left unchanged)" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tasks / "progress").read_text("utf-8") == "not a directory\n"

    result = record_cli(tasks, "hd-2-6", "60", lang="zh")
    assert (
        result.exit_code == 2
        and result.stderr.startswith("无法写入 ")
        and "（文件未改动）" in result.stderr
    )


# --- the as-of date --------------------------------------------------------------------------------


def test_default_date_is_the_as_of_date_from_the_option_or_the_environment(tasks: Path) -> None:
    result = record_cli(tasks, "hd-2-6", "10", "--as-of", "2025-03-01")
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    result = record_cli(tasks, "hd-2-6", "11", env={"ZJTRACK_AS_OF": "2025-04-01"})
    assert result.exit_code == 0, result.stderr
    records, problems = loaded(tasks)
    assert problems == []
    assert [(r.value, r.date) for r in records] == [
        (10, dt.date(2025, 3, 1)),
        (11, dt.date(2025, 4, 1)),
    ]


def test_a_bad_as_of_date_is_a_bad_parameter(tasks: Path) -> None:
    result = record_cli(tasks, "hd-2-6", "10", "--as-of", "2025-02-30")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "Error: Invalid value for --as-of: day 30 does not exist in 2025-02" in result.stderr
    assert not (tasks / "progress").exists()


def test_several_rules_broken_are_all_reported(tasks: Path) -> None:
    with pytest.raises(UserError) as info:
        record_progress(
            tasks, "hd-7-1", "done", as_of=TODAY, date="2026-12-01", entity="某职业学校"
        )
    assert [p.code for p in info.value.problems] == [
        "future-record",
        "record-value",
        "unknown-entity",
    ]
    assert info.value.en.count("\nerror[") == 2 and not (tasks / "progress").exists()


def test_tiny_and_negative_numbers_are_written_so_that_they_read_back(tasks: Path) -> None:
    record_progress(tasks, "hd-2-6", "0.0000001", as_of=TODAY)
    record_progress(tasks, "hd-2-6", "-2.5", as_of=TODAY)
    text = progress_file(tasks).read_text("utf-8")
    assert "value: 0.0000001\n" in text and "value: -2.5\n" in text
    records, _ = loaded(tasks)
    assert [r.value for r in records] == [1e-07, -2.5]


@pytest.mark.parametrize(
    "typed",
    [
        "２０２６．１１．０１",
        "２０２６-１１-０１",
        "2026-11-01 00:00:00",
        "2026/11/01 0:00",
        "１１月１日",
    ],
)
def test_a_day_typed_in_full_width_digits_or_with_its_midnight_is_that_day(
    tasks: Path, typed: str
) -> None:
    """A Chinese input method types full-width digits; WPS saves a date cell as text with its
    midnight. Both name the day, as they do in 本期数值's numbers."""
    record_progress(tasks, "hd-2-6", "1", as_of=TODAY, date=typed)
    (r,), _ = loaded(tasks)
    assert r.date == dt.date(2026, 11, 1)


def test_a_date_that_is_no_day_is_told_to_write_a_day(tasks: Path) -> None:
    """`2026年11月底` is the document's wording, which a deadline may use and a record's date
    may not: the hint says what to write, not the wording just refused."""
    for lang, hint in (
        (
            "zh",
            "= 提示: 写具体日期，如 2026-11-20、2026年11月20日 或 11月20日（不写“月底”“年底”）。",
        ),
        ("en", "= hint: write a day: 2026-11-20, 2026年11月20日 or 11月20日 (not 月底 or 年底)."),
    ):
        r = record_cli(tasks, "hd-2-6", "5", "--date", "2026年11月底", lang=lang)
        assert (r.exit_code, r.stdout) == (2, "")
        assert "[bad-date]" in r.stderr and hint in r.stderr
        assert "2025年底" not in r.stderr


def test_record_in_a_tree_with_an_error_elsewhere_says_so_and_ends_by_what_it_wrote(
    tasks: Path,
) -> None:
    """Another document names a unit the registry lacks: `record` writes, says 已记录, says
    the tree may be wrong (as `intake` does) and exits 0; it used to say nothing of it."""
    from conftest import DOC_YAML

    other = DOC_YAML.replace("hd-test", "hd-two").replace("hd-5", "hd-6")
    (tasks / "two.yaml").write_text(
        other.replace("lead_units: [市教育局]", "lead_units: [市财政厅]"), encoding="utf-8"
    )
    r = record_cli(tasks, "hd-2-6", "5", "--date", "2026-11-01", lang="zh")
    assert (r.exit_code, r.stdout) == (0, "")
    assert "结果可能不准确" in r.stderr and "two.yaml" in r.stderr
    assert "已记录：hd-2-6" in r.stderr
    records, _ = loaded(tasks)
    assert [(x.target, x.value) for x in records] == [("hd-2-6", 5)]
