"""The one atomic writer (zjtrack/store/atomic.py) on its own, then through its users.

A failure at any step leaves no temporary file and the old content; a symlink at the destination
or at a guessable temporary name is never followed; of several create-only writers exactly one
wins; `report -o`, `import` and `init` write through it.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import cli

from zjtrack.store import atomic
from zjtrack.store.atomic import write_atomic

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
DEMO = [str(Path(__file__).resolve().parents[1] / p) for p in ("tasks", "examples/demo")]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- the writer on its own -------------------------------------------------------------------------


def test_creates_a_new_file_with_the_umask_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    old = os.umask(0o027)
    try:
        write_atomic(path, b"hello\n", replace=False)
    finally:
        os.umask(old)
    assert path.read_bytes() == b"hello\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert listing(tmp_path) == ["new.txt"]


def test_replace_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_bytes(b"old")
    path.chmod(0o600)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert listing(tmp_path) == ["report.md"]


def test_large_data_is_written_whole(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    write_atomic(tmp_path / "big.bin", data)
    assert (tmp_path / "big.bin").read_bytes() == data


def _raise(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _interrupt(*_: object, **__: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize("replace", [True, False], ids=["replace", "create-only"])
@pytest.mark.parametrize("step", ["write", "fchmod", "fsync", "replace", "link"])
@pytest.mark.parametrize("how", [_raise, _interrupt], ids=["oserror", "ctrl-c"])
def test_a_failure_at_any_step_leaves_no_temporary_file_and_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replace: bool, step: str, how: object
) -> None:
    path = tmp_path / "out.md"
    if replace:
        path.write_bytes(b"old content\n")
    before = path.read_bytes() if path.exists() else None
    monkeypatch.setattr(atomic.os, step, how)
    expected = KeyboardInterrupt if how is _interrupt else OSError
    if (step == "replace" and not replace) or (step == "link" and replace):
        write_atomic(path, b"new content\n", replace=replace)  # the step is not taken
        monkeypatch.undo()
        assert path.read_bytes() == b"new content\n"
    else:
        with pytest.raises(expected):
            write_atomic(path, b"new content\n", replace=replace)
        monkeypatch.undo()
        assert (path.read_bytes() if path.exists() else None) == before
    assert [n for n in listing(tmp_path) if n != "out.md"] == []


def test_a_symlink_at_the_destination_is_refused_and_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me\n")
    link = tmp_path / "out.md"
    link.symlink_to(victim)
    with pytest.raises(OSError) as info:
        write_atomic(link, b"attack\n")
    assert info.value.errno == errno.ELOOP
    with pytest.raises(FileExistsError):
        write_atomic(link, b"attack\n", replace=False)
    assert victim.read_bytes() == b"keep me\n"
    assert link.is_symlink()
    assert listing(tmp_path) == ["out.md", "victim.txt"]


def test_a_dangling_symlink_is_not_followed_either(tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "would-be-created.txt")
    with pytest.raises(OSError):
        write_atomic(link, b"x")
    with pytest.raises(FileExistsError):
        write_atomic(link, b"x", replace=False)
    assert listing(tmp_path) == ["out.md"]


def test_a_folder_or_a_fifo_at_the_destination_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path / "dir", b"x")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(OSError) as info:
        write_atomic(tmp_path / "fifo", b"x")
    assert info.value.errno == errno.EINVAL
    assert listing(tmp_path) == ["dir", "fifo"]


@pytest.fixture
def guessable_names(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """mkstemp draws its names from a known list: the first is taken by a planted symlink."""
    names = ["planted", "free0001", "free0002"]
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: iter(names))
    yield names


@pytest.mark.parametrize("replace", [True, False], ids=["replace", "create-only"])
def test_a_symlink_planted_at_the_temporary_name_is_not_followed(
    tmp_path: Path, guessable_names: list[str], replace: bool
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me\n")
    planted = tmp_path / ".out.md.planted.tmp"
    planted.symlink_to(victim)
    write_atomic(tmp_path / "out.md", b"report\n", replace=replace)
    assert victim.read_bytes() == b"keep me\n"
    assert (tmp_path / "out.md").read_bytes() == b"report\n"
    assert planted.is_symlink()
    assert listing(tmp_path) == [".out.md.planted.tmp", "out.md", "victim.txt"]


def _create(path: str, me: int, start: object, results: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    try:
        write_atomic(Path(path), f"writer {me}\n".encode() * 1000, replace=False)
        results.put(me)  # type: ignore[attr-defined]
    except FileExistsError:
        results.put(-1)  # type: ignore[attr-defined]


def test_concurrent_create_only_writers_exactly_one_wins(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    for round_ in range(5):
        path = tmp_path / f"new-{round_}.yaml"
        start = ctx.Barrier(16)
        results = ctx.Queue()
        procs = [
            ctx.Process(target=_create, args=(str(path), w, start, results)) for w in range(16)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0] * 16
        outcomes = [results.get(timeout=5) for _ in procs]
        winners = [w for w in outcomes if w >= 0]
        assert len(winners) == 1, outcomes
        assert path.read_bytes() == f"writer {winners[0]}\n".encode() * 1000
    assert listing(tmp_path) == [f"new-{r}.yaml" for r in range(5)]


# --- its users ---------------------------------------------------------------------------------------


def test_report_output_over_a_symlink_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.md"
    victim.write_bytes(b"keep me\n")
    (tmp_path / "weekly.md").symlink_to(victim)
    result = cli("report", "weekly", *DEMO, "--week", "2026-W48", "-o", str(tmp_path / "weekly.md"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{tmp_path / 'weekly.md'} 是符号链接，不是普通文件")
    assert victim.read_bytes() == b"keep me\n"
    assert listing(tmp_path) == ["victim.md", "weekly.md"]


def test_import_writes_atomically_and_never_over_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "tasks" / "x.yaml"
    args = ["import", str(FIXTURES / "unit-lines.txt"), "-o", str(out)]
    args += ["--units", str(FIXTURES / "units.yaml"), "--lang", "en"]
    # the old fixed temporary name, planted as a symlink: not followed
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me\n")
    out.parent.mkdir()
    (out.parent / ".x.yaml.tmp").symlink_to(victim)
    first = cli(*args)
    assert first.exit_code == 0, first.stderr
    assert victim.read_bytes() == b"keep me\n"
    text = out.read_bytes()
    assert listing(out.parent) == [".x.yaml.tmp", "units.yaml", "x.yaml"]  # the units draft too
    again = cli(*args)
    assert again.exit_code == 2
    assert again.stderr == f"{out} exists; nothing written. Use --force to overwrite it.\n"
    assert out.read_bytes() == text
    # --force replaces a regular file, but not a symlink
    out.unlink()
    out.symlink_to(victim)
    forced = cli(*args, "--force")
    assert forced.exit_code == 2
    assert forced.stderr.startswith(f"cannot write {out}: ")
    assert victim.read_bytes() == b"keep me\n"


def test_init_creates_only_and_keeps_what_is_there(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    (folder / "tasks").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me\n")
    (folder / "tasks" / "units.yaml").symlink_to(victim)  # a dangling-or-not link is kept as is
    result = cli("init", str(folder), "--force", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "already there, left alone: tasks/units.yaml" in result.stderr
    assert victim.read_bytes() == b"keep me\n"
    assert (folder / "README.md").is_file()
    assert not [p for p in folder.rglob("*.tmp")]


def test_a_destination_name_of_the_longest_length_is_written(tmp_path: Path) -> None:
    """A 251-byte name with `.md` was refused with "File name too long": the temporary name
    added about 30 bytes. It is cut short in the temporary name now (issue 13)."""
    for name in ("a" * 252 + ".md", "周" * 83 + ".md"):  # 255 bytes; 252 bytes in UTF-8
        path = tmp_path / name
        write_atomic(path, b"report\n")
        assert path.read_bytes() == b"report\n"
    assert sorted(len(p.name.encode()) for p in tmp_path.iterdir()) == [252, 255]
