"""Attacks on zjtrack's writers (issue 13): a record appended to a file no view can read, writes
through symbolic links and special files, litter left by a killed writer, `report -o` over files
zjtrack did not write, hostile text in refusals, and outputs that cannot be written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import cli, on_a_terminal
from corpus.generate import AS_OF, PROGRESS, base_case, write_tree

from zjtrack.store import atomic

PYTHON = sys.executable
RECORD = ("record", "cx-2-1", "7", "--date", "2025-07-01")


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    return write_tree(base_case(), tmp_path)


def _cli(*args: str, **env: str) -> Any:
    return cli(*args, env={"ZJTRACK_NO_CACHE": "1", "ZJTRACK_AS_OF": AS_OF, **env})


def _record(tasks: Path, lang: str = "zh") -> Any:
    return _cli(*RECORD, "--tasks", str(tasks), "--lang", lang)


def _snapshot(root: Path) -> dict[Path, bytes | None]:
    return {p: (p.read_bytes() if p.is_file() else None) for p in root.rglob("*")}


# --- 1. a record no view can see is never acknowledged -------------------------------------------


@pytest.mark.parametrize("how", ["unterminated-quote", "gbk"])
def test_record_refuses_a_progress_file_that_does_not_load(tasks: Path, how: str) -> None:
    path = tasks / PROGRESS
    if how == "gbk":  # a hand edit saved by an editor in the Windows code page
        path.write_bytes(path.read_bytes() + "# 李四补报\n".encode("gbk"))
    else:
        path.write_bytes(
            path.read_bytes() + b'---\ntarget: cx-2-1\ndate: 2025-06-01\nnote: "open\n'
        )
    before = _snapshot(tasks)
    result = _record(tasks)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == "" and "已记录" not in result.stderr
    assert f"{path} 未能完整读取，记录未写入" in result.stderr
    assert ("encoding" if how == "gbk" else "syntax") in result.stderr
    assert "zjtrack check" in result.stderr
    assert _snapshot(tasks) == before  # so the fix check suggests (iconv) garbles nothing
    en = _record(tasks, "en")
    assert en.exit_code == 2 and "does not load, so the record was not written" in en.stderr


def test_a_file_with_an_error_in_an_old_record_is_refused_too(tasks: Path) -> None:
    path = tasks / PROGRESS
    path.write_bytes(path.read_bytes() + b"---\ntarget: cx-2-1\ndate: 2025-06-01\nvaleu: 3\n")
    before = path.read_bytes()
    result = _record(tasks)
    assert result.exit_code == 2 and "未能完整读取" in result.stderr
    assert path.read_bytes() == before


# --- 2. no write through a symbolic link, into a special file, or outside the repository --------


def test_record_never_writes_through_a_symlinked_progress_file(tasks: Path) -> None:
    outside = tasks.parent / "outside.txt"
    outside.write_bytes(b"keep me\n")
    (tasks / PROGRESS).unlink()
    (tasks / PROGRESS).symlink_to(Path("../../outside.txt"))
    result = _record(tasks)
    assert result.exit_code == 2
    assert "符号链接" in result.stderr and "已记录" not in result.stderr
    assert outside.read_bytes() == b"keep me\n"
    assert (tasks / PROGRESS).is_symlink()


def test_record_never_writes_into_a_symlinked_progress_folder(tasks: Path) -> None:
    elsewhere = tasks.parent / "elsewhere"
    elsewhere.mkdir()
    (tasks / PROGRESS).unlink()
    (tasks / "progress").rmdir()
    (tasks / "progress").symlink_to(elsewhere)
    result = _record(tasks, "en")
    assert result.exit_code == 2
    assert "is a symbolic link, and zjtrack never writes through one" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_record_refuses_a_fifo_without_blocking(tasks: Path) -> None:
    (tasks / PROGRESS).unlink()
    os.mkfifo(tasks / PROGRESS)
    proc = subprocess.run(
        [PYTHON, "-m", "zjtrack", *RECORD, "--tasks", str(tasks)],
        env={**os.environ, "ZJTRACK_NO_CACHE": "1", "ZJTRACK_AS_OF": AS_OF},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "不是普通文件" in proc.stderr


def test_progress_being_a_file_is_said_plainly(tasks: Path) -> None:
    (tasks / PROGRESS).unlink()
    (tasks / "progress").rmdir()
    (tasks / "progress").write_text("x\n", "utf-8")
    result = _record(tasks)
    assert result.exit_code == 2
    assert "它是一个文件，不是目录" in result.stderr and "File exists" not in result.stderr


def test_a_document_id_that_is_a_path_names_no_progress_file() -> None:
    from zjtrack.problems import UserError
    from zjtrack.store.journal import progress_path

    with pytest.raises(UserError):
        progress_path(Path("tasks"), "../../escape")
    assert progress_path(Path("tasks"), "hd-2024.1") == Path("tasks/progress/hd-2024.1.yaml")


# --- 8. litter after a kill is removed by the next run -------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([PYTHON, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temporary_files_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    old = time.time() - 60
    dead = tmp_path / f".a.yaml.zjtrack-{_dead_pid()}-abcd1234.tmp"
    ancient = tmp_path / f".b.md.zjtrack-{os.getppid()}-abcd1234.tmp"
    live = tmp_path / f".c.md.zjtrack-{os.getppid()}-efgh5678.tmp"
    fresh_dead = tmp_path / f".d.md.zjtrack-{_dead_pid()}-ijkl9012.tmp"
    theirs = tmp_path / ".e.md.tmp"  # not zjtrack's naming: never touched
    for p in (dead, ancient, live, fresh_dead, theirs):
        p.write_bytes(b"")
    os.utime(dead, (old, old))
    os.utime(theirs, (0, 0))
    os.utime(ancient, (old - atomic.STALE_SECONDS, old - atomic.STALE_SECONDS))
    assert sorted(atomic.remove_stale(tmp_path)) == sorted([dead.name, ancient.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [live.name, fresh_dead.name, theirs.name]
    )


_KILL_IN_CREATE = """\
import os, signal, sys
from zjtrack.store import atomic
atomic.os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
sys.argv = ["zjtrack", *sys.argv[1:]]
from zjtrack.cli import main
main()
"""


def test_kill_9_while_creating_leaves_litter_the_next_record_removes(tasks: Path) -> None:
    """A real `record` killed between writing its temporary file and linking it into place; the
    next `record` (a real process too) removes the temporary file once it is provably stale."""
    (tasks / PROGRESS).unlink()
    env = {**os.environ, "ZJTRACK_NO_CACHE": "1", "ZJTRACK_AS_OF": AS_OF}
    proc = subprocess.run(
        [PYTHON, "-c", _KILL_IN_CREATE, *RECORD, "--tasks", str(tasks)],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL
    litter = [p for p in (tasks / "progress").iterdir() if p.name.endswith(".tmp")]
    assert len(litter) == 1 and not (tasks / PROGRESS).exists()
    old = time.time() - 2 * atomic.DEAD_GRACE_SECONDS
    os.utime(litter[0], (old, old))
    again = subprocess.run(
        [PYTHON, "-m", "zjtrack", *RECORD, "--tasks", str(tasks)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr
    assert [p.name for p in (tasks / "progress").iterdir()] == [Path(PROGRESS).name]


# --- 6. CSV: a formula behind whitespace is defused too -----------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        " =1+1",
        "\t=1+1",
        " \t+1",
        "\u3000@SUM(A1)",
        "\n-2+3",
        "=1",
        "\xa0=1",
        "\u200b=1",
        "\ufeff+1",
        "'x",
    ],
)
def test_csv_defuses_a_formula_behind_whitespace(cell: str) -> None:
    from zjtrack.render.csv import defuse

    assert defuse(cell).startswith("'")
    assert defuse(" plain") == " plain" and defuse("3-1") == "3-1"


# --- 5. refusals quote file text inertly; JSON to a terminal escapes invisible characters ---------

HOSTILE_UNIT = "\\e]0;PWNED-UNIT\\a\\e[2J\\u202e个"


def test_a_refusal_quoting_the_task_file_is_inert(tmp_path: Path) -> None:
    from conftest import doc_variant
    from conftest import write_tree as write_small

    tree = write_small(tmp_path, doc_variant(('unit: "%"', f'unit: "{HOSTILE_UNIT}"')))
    result = cli(
        "record", "hd-5-1", "many", "--tasks", str(tree.dir), env={"ZJTRACK_NO_CACHE": "1"}
    )
    assert result.exit_code == 2
    assert "数量目标" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
    assert "\\u001b]0;PWNED-UNIT" in result.stderr


@pytest.mark.parametrize("view", ["status", "targets", "show"])
def test_json_to_a_terminal_escapes_bidi_and_invisible_characters(
    tmp_path: Path, view: str
) -> None:
    import json

    from conftest import doc_variant
    from conftest import write_tree as write_small

    hostile = "\u202e\u2066\u200b\u0085\u009b"
    escaped = hostile.encode("unicode_escape").decode("ascii")  # YAML's escapes, as \\u202e
    tree = write_small(
        tmp_path,
        doc_variant(("metric: 职业学校办学条件达标学校比例", f'metric: "{escaped}比例"')),
    )
    args = [view, *(["hd-5-1"] if view == "show" else []), str(tree.dir), "--format", "json"]
    _, shown = on_a_terminal(args, env={"ZJTRACK_AS_OF": AS_OF, "PAGER": "cat"})
    assert not any(c in shown for c in hostile), ascii(shown[:300])
    assert "\\u202e\\u2066\\u200b\\u0085\\u009b" in shown
    piped = _cli(*args)
    assert hostile in piped.stdout  # to a file or a pipe: exact
    assert json.loads(shown) == json.loads(piped.stdout)


# --- 7. a full stdout, a narrow encoding: a clear error or degraded text, never exit 3 ----------


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [PYTHON, "-m", "zjtrack", *args],
        env={**os.environ, "ZJTRACK_NO_CACHE": "1", "ZJTRACK_AS_OF": AS_OF, **env},
        capture_output=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--format", "json"],
        ["targets", "--format", "csv"],
        ["overdue", "--format", "md"],
        ["show", "cx-2-1"],
        ["report", "weekly"],
    ],
    ids=lambda a: "-".join(a),
)
def test_a_view_to_a_full_device_is_a_clear_error(tasks: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [PYTHON, "-m", "zjtrack", *args, str(tasks)],
            env={**os.environ, "ZJTRACK_NO_CACHE": "1", "ZJTRACK_AS_OF": AS_OF},
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, stderr
    assert stderr.strip().splitlines()[-1] == "无法写出结果：No space left on device（输出不完整）"
    assert "内部错误" not in stderr


@pytest.mark.parametrize("encoding", ["gbk", "latin-1", "ascii"])
def test_status_degrades_on_a_narrow_stdout(tasks: Path, encoding: str) -> None:
    proc = _run(["status", str(tasks)], PYTHONIOENCODING=encoding)
    assert proc.returncode in (0, 1), proc.stderr.decode(encoding, "replace")
    text = proc.stdout.decode(encoding)  # what it wrote is in the encoding asked for
    assert "cx-2-1" in text
    if encoding == "gbk":
        assert "目标" in text  # GBK holds Chinese: nothing lost
    refused = _run(
        ["record", "no-such-target", "1", "--tasks", str(tasks)], PYTHONIOENCODING=encoding
    )
    assert refused.returncode == 2 and b"Traceback" not in refused.stderr
