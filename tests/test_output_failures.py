"""Output that cannot be written, as real processes (adversarial pass, issue 13): help and
--version to a full device, help in a narrow encoding, a closed stdout, a full stderr. Each is a
clear message and exit 2 (or, for a message alone, nothing that turns a done write into a
failure), never a traceback or an internal error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")


def run(
    args: list[str], cwd: Path, *, stdout: object = None, stderr: object = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}
    return subprocess.run(
        [sys.executable, "-m", "zjtrack", *args],
        cwd=cwd,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=stderr if stderr is not None else subprocess.PIPE,
        env={**clean, "ZJTRACK_AS_OF": "2026-12-01", "ZJTRACK_NO_CACHE": "1", **env},
        timeout=60,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "tasks", tmp_path / "tasks")
    return tmp_path


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["status", "--help"], ["status"]])
def test_a_full_device_is_exit_2_with_a_message(repo: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = run(args, repo, stdout=full)
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr and "无法写出结果".encode() in done.stderr


def test_both_streams_full_still_exit_2(repo: Path) -> None:
    with open("/dev/full", "wb") as full:
        done = run(["status"], repo, stdout=full, stderr=full)
    assert done.returncode == 2


@pytest.mark.parametrize("encoding", ["latin-1", "big5", "ascii"])
def test_help_in_a_narrow_encoding_degrades(repo: Path, encoding: str) -> None:
    done = run(["--help"], repo, PYTHONIOENCODING=encoding)
    assert done.returncode == 0, done.stderr
    assert b"zjtrack" in done.stdout


def test_a_closed_stdout_fails_a_view_but_not_a_record(repo: Path) -> None:
    closed = 'exec 1>&-; exec "$@"'
    view = subprocess.run(
        ["sh", "-c", closed, "sh", sys.executable, "-m", "zjtrack", "status"],
        cwd=repo,
        stderr=subprocess.PIPE,
        env={**os.environ, "ZJTRACK_AS_OF": "2026-12-01", "ZJTRACK_NO_CACHE": "1"},
        timeout=60,
        check=False,
    )
    assert view.returncode == 2 and "标准输出已关闭".encode() in view.stderr
    record = subprocess.run(
        ["sh", "-c", closed, "sh", sys.executable, "-m", "zjtrack", "record", "hd-1-4", "3"],
        cwd=repo,
        stderr=subprocess.PIPE,
        env={**os.environ, "ZJTRACK_AS_OF": "2026-12-01", "ZJTRACK_NO_CACHE": "1"},
        timeout=60,
        check=False,
    )
    assert record.returncode == 0, record.stderr  # it writes nothing to stdout
    assert "hd-1-4" in (repo / "tasks" / "progress" / "haidong-2024-74.yaml").read_text("utf-8")


def test_a_record_whose_acknowledgement_cannot_be_shown_is_still_exit_0(repo: Path) -> None:
    """Exit 1 here made a retry write the record twice."""
    with open("/dev/full", "wb") as full:
        done = run(["record", "hd-1-4", "2", "--date", "2026-11-07"], repo, stderr=full)
    assert done.returncode == 0
    text = (repo / "tasks" / "progress" / "haidong-2024-74.yaml").read_text("utf-8")
    assert text.count('target: "hd-1-4"') == 1
