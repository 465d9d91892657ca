"""Writers under stress: many processes recording at once through `recording.record_progress`
(validation included), `kill -9` at random points of real `zjtrack record` processes, a full disk,
unwritable places, and hand edits appended while zjtrack appends.

tests/test_record.py covers one writer's behaviour, 20x50 raw `journal.append` calls and 4x10 CLI
processes; this file goes through the whole `record` path and through crashes.

Run time is dominated by two things, both sized by the environment:
- ZJTRACK_WRITERS (default 20x20): processes x records for each concurrent-writer run. Every
  `record_progress` call re-reads and re-checks the whole tree, progress included, so n records
  cost O(n^2): 20x20 (400 records) takes a few seconds, 20x50 (1,000) 30-60 s on two cores.
- ZJTRACK_KILL_RUNS (default 200) `record` processes killed at random, in parallel batches of
  ZJTRACK_KILL_BATCH (default 8): about 30 s on two cores.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import cli
from corpus.generate import AS_OF, PROGRESS, base_case, write_tree

from zjtrack.checks import run_checks
from zjtrack.load.loader import load_paths
from zjtrack.model import ProgressRecord
from zjtrack.problems import Problem, UserError
from zjtrack.store import journal
from zjtrack.store.record import record_progress

TODAY = dt.date.fromisoformat(AS_OF)
WRITERS, PER_WRITER = (int(n) for n in os.environ.get("ZJTRACK_WRITERS", "20x20").split("x"))
KILL_RUNS = int(os.environ.get("ZJTRACK_KILL_RUNS", "200"))
KILL_BATCH = int(os.environ.get("ZJTRACK_KILL_BATCH", "8"))
PYTHON = sys.executable


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    """The corpus's valid base tree (units, config, one document, six records)."""
    return write_tree(base_case(), tmp_path)


def progress_of(tasks: Path) -> Path:
    return tasks / PROGRESS


def state(tasks: Path) -> tuple[list[ProgressRecord], list[Problem]]:
    result = load_paths([str(tasks)])
    return list(result.plan.records), result.problems + run_checks(result.plan, TODAY)


def _cli(*args: str) -> Any:
    return cli(*args, env={"ZJTRACK_NO_CACHE": "1"})


# --- 20 processes x N record_progress calls -------------------------------------------------------------

MIXED = [
    ("cx-2-1", "{j}"),
    ("cx-1-1", "{j}"),
    ("cx-1-2", "done"),
    ("cx-2-2", "{j}"),
    ("cx-1-2", "not-done"),
]


def _record_many(tasks: str, worker: int, count: int, same_target: bool) -> None:
    for j in range(count):
        target, value = ("cx-2-1", "{j}") if same_target else MIXED[(worker + j) % len(MIXED)]
        record_progress(
            Path(tasks),
            target,
            value.format(j=j),
            as_of=TODAY,
            date="2025-07-01",
            note=f"w{worker:02d}-r{j:03d}",
            by=f"进程{worker}",
        )


@pytest.mark.parametrize("same_target", [False, True], ids=["mixed-targets", "same-target"])
def test_concurrent_record_progress(tasks: Path, same_target: bool) -> None:
    """Validation, lock, append and fsync from 20 processes at once (ZJTRACK_WRITERS=20x50: the
    1,000-record run): every record kept once, whole, in its writer's order."""
    workers, count = WRITERS, PER_WRITER
    before, _ = state(tasks)
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=_record_many, args=(str(tasks), w, count, same_target))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(600)
    assert [p.exitcode for p in procs] == [0] * workers
    records, problems = state(tasks)
    assert problems == []
    new = [r for r in records if r.note and r.note.startswith("w")]
    assert len(records) == len(before) + workers * count
    assert Counter(r.note for r in new) == Counter(
        f"w{w:02d}-r{j:03d}" for w in range(workers) for j in range(count)
    )
    for w in range(workers):  # each writer's records in its own order, each whole
        mine = [r for r in new if r.by == f"进程{w}"]
        assert [r.note for r in mine] == [f"w{w:02d}-r{j:03d}" for j in range(count)]
        for r in mine:
            j = int((r.note or "")[-3:])
            target, value = ("cx-2-1", "{j}") if same_target else MIXED[(w + j) % len(MIXED)]
            assert r.target == target
            if value == "{j}":
                assert r.value == j
            else:
                assert r.done is (value == "done")


# --- kill -9 at random points ---------------------------------------------------------------------------------


def _record_cmd(tasks: Path, n: int) -> list[str]:
    target, value = [("cx-2-1", str(n)), ("cx-1-2", "done"), ("cx-2-2", str(n % 100))][n % 3]
    return [
        PYTHON,
        "-m",
        "zjtrack",
        "record",
        target,
        value,
        "--tasks",
        str(tasks),
        "--date",
        "2025-07-01",
        "--note",
        f"kill-{n:04d}",
        "--lang",
        "en",
    ]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}
    env["ZJTRACK_NO_CACHE"] = "1"
    return env


def test_kill_9_at_random_points_keeps_every_acknowledged_record(tasks: Path) -> None:
    """`record` processes, KILL_BATCH at a time, each SIGKILLed after a random delay spread over a
    whole run: afterwards the files are valid and hold every record whose process exited 0."""
    rng = random.Random(int(os.environ.get("ZJTRACK_KILL_SEED", "20251126")))
    env = _env()
    # calibrate: how long a run takes from start to exit when KILL_BATCH run at once, here, now
    start = time.monotonic()
    probes = [
        subprocess.Popen(
            _record_cmd(tasks, 9000 + i),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(KILL_BATCH)
    ]
    assert [p.wait(120) for p in probes] == [0] * KILL_BATCH
    lifetime = time.monotonic() - start
    acknowledged = {f"kill-{9000 + i:04d}" for i in range(KILL_BATCH)}
    attempted = set(acknowledged)
    killed = exited = 0
    started = time.monotonic()
    for first in range(0, KILL_RUNS, KILL_BATCH):
        batch = []
        for n in range(first, min(first + KILL_BATCH, KILL_RUNS)):
            proc = subprocess.Popen(
                _record_cmd(tasks, n), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            # kills spread from start-up to past the usual exit
            batch.append((n, proc, time.monotonic() + rng.uniform(0.0, 1.5 * lifetime)))
            attempted.add(f"kill-{n:04d}")
        while batch:
            now = time.monotonic()
            for item in list(batch):
                n, proc, when = item
                if proc.poll() is None and now < when:
                    continue
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                code = proc.wait(30)
                err = proc.stderr.read().decode() if proc.stderr else ""
                if proc.stderr:
                    proc.stderr.close()
                if code == 0:
                    exited += 1
                    acknowledged.add(f"kill-{n:04d}")
                else:
                    assert code == -signal.SIGKILL, (n, code, err)
                    killed += 1
                assert "Traceback" not in err
                batch.remove(item)
            time.sleep(0.005)
    elapsed = time.monotonic() - started
    records, problems = state(tasks)
    assert problems == [], [f"{p.path}:{p.line}:{p.column} {p.code}" for p in problems]
    notes = Counter(r.note for r in records if r.note and r.note.startswith("kill-"))
    assert max(notes.values()) == 1, "no record twice"
    assert "kill-9000" in notes
    assert set(notes) <= attempted
    assert acknowledged <= set(notes), (
        f"lost acknowledged records: {sorted(acknowledged - set(notes))}"
    )
    assert killed + exited == KILL_RUNS
    sys.stderr.write(
        f"kill -9: {KILL_RUNS} runs, {killed} killed, {exited} finished first, "
        f"{len(notes) - KILL_BATCH} records kept, {elapsed:.1f} s (a run: {lifetime:.2f} s)\n"
    )
    if KILL_RUNS >= 50:  # the kills must really land at different points of the run
        assert killed >= KILL_RUNS // 10 and exited >= KILL_RUNS // 30, (killed, exited)


_KILL_AT = """\
import os, signal, sys
from zjtrack.store import journal
point = sys.argv[1]
real_write, real_fsync = os.write, os.fsync
def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)
if point == "before-write":
    journal.os.write = die
elif point == "before-fsync":
    journal.os.fsync = die
sys.argv = ["zjtrack", "record", *sys.argv[2:]]
from zjtrack.cli import main
main()
"""


@pytest.mark.parametrize(
    ("point", "fresh"),
    [
        ("before-write", False),
        ("before-write", True),
        ("before-fsync", False),
        ("before-fsync", True),
    ],
    ids=["before-write-existing", "before-write-new", "before-fsync-existing", "before-fsync-new"],
)
def test_kill_at_the_exact_points(tasks: Path, point: str, fresh: bool) -> None:
    """SIGKILL precisely after the file is opened (before the write), or after the write (before
    fsync): the file stays valid either way; unacknowledged records may or may not be there."""
    if fresh:
        progress_of(tasks).unlink()
    before = progress_of(tasks).read_bytes() if not fresh else None
    proc = subprocess.run(
        [
            PYTHON,
            "-c",
            _KILL_AT,
            point,
            "cx-2-1",
            "7",
            "--tasks",
            str(tasks),
            "--date",
            "2025-07-01",
            "--note",
            "killed",
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    records, problems = state(tasks)
    assert problems == [], [f"{p.path}:{p.line}:{p.column} {p.code}" for p in problems]
    if point == "before-write":
        assert (progress_of(tasks).read_bytes() if progress_of(tasks).exists() else None) == before
    else:
        # appended to an existing file: written, not yet acknowledged; a new file is created by
        # linking a complete temporary file into place, which the kill came before
        assert [r.note for r in records].count("killed") == (0 if fresh else 1)


# --- a full disk, unwritable places: exit 2, a clear message, nothing half-written ---------------------


def _enospc(*_: object, **__: object) -> int:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("fresh", [False, True], ids=["existing-file", "new-file"])
@pytest.mark.parametrize("call", ["write", "fsync"])
def test_full_disk(tasks: Path, monkeypatch: pytest.MonkeyPatch, call: str, fresh: bool) -> None:
    path = progress_of(tasks)
    if fresh:
        path.unlink()
    before = path.read_bytes() if not fresh else None
    monkeypatch.setattr(journal.os, call, _enospc)  # the write itself, or the flush to the device
    for lang, words in (
        ("en", ("cannot write", "No space left on device", "file left unchanged")),
        ("zh", ("无法写入", "No space left on device", "文件未改动")),
    ):
        result = _cli(
            "record", "cx-2-1", "7", "--tasks", str(tasks), "--date", "2025-07-01", "--lang", lang
        )
        assert result.exit_code == 2
        assert result.stdout == ""
        assert all(w in result.stderr for w in words), result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert (path.read_bytes() if path.exists() else None) == before
    with pytest.raises(UserError) as info:
        record_progress(tasks, "cx-2-1", "7", as_of=TODAY)
    assert info.value.exit_code == 2
    monkeypatch.undo()
    _, problems = state(tasks)
    assert problems == []


def test_disk_full_when_creating_the_progress_folder(
    tasks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tasks / PROGRESS).unlink()
    (tasks / "progress").rmdir()
    monkeypatch.setattr(Path, "mkdir", _enospc)
    result = _cli("record", "cx-2-1", "7", "--tasks", str(tasks), "--lang", "en")
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert not (tasks / "progress").exists()


@pytest.mark.parametrize(
    "how",
    ["progress-is-a-file", "record-file-is-a-folder", "link-into-a-file", "read-only-filesystem"],
)
def test_unwritable_places_are_a_clear_error(
    tasks: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Root ignores permissions, so the places are made unwritable by their shape: a parent that
    is a regular file, a folder where the file should be, a link through a file, or EROFS."""
    blocker = tasks.parent / "blocker.txt"
    blocker.write_text("a regular file\n", "utf-8")
    progress = tasks / "progress"
    if how == "progress-is-a-file":
        (progress / PROGRESS.split("/")[1]).unlink()
        progress.rmdir()
        progress.write_text("not a folder\n", "utf-8")
    elif how == "record-file-is-a-folder":
        (tasks / PROGRESS).unlink()
        (tasks / PROGRESS).mkdir()
    elif how == "link-into-a-file":
        (tasks / PROGRESS).unlink()
        (tasks / PROGRESS).symlink_to(blocker / "child.yaml")  # its parent is a regular file
    else:
        real_open = os.open

        def erofs(path: Any, flags: int, *args: Any) -> int:
            if flags & (os.O_WRONLY | os.O_RDWR) and str(path).endswith(".yaml"):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            return real_open(path, flags, *args)

        monkeypatch.setattr(journal.os, "open", erofs)
    snapshot = {p: (p.read_bytes() if p.is_file() else None) for p in tasks.rglob("*")}
    result = _cli(
        "record", "cx-2-1", "7", "--tasks", str(tasks), "--date", "2025-07-01", "--lang", "en"
    )
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("cannot write ") and "(file left unchanged)" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert {p: (p.read_bytes() if p.is_file() else None) for p in tasks.rglob("*")} == snapshot
    assert blocker.read_text("utf-8") == "a regular file\n"


# --- hand edits appended while zjtrack appends --------------------------------------------------------------


def _hand_edits(path: str, count: int, final_newline: bool, locked: bool, seed: int) -> None:
    """What a person (or `echo >> file`) does: append a comment and a record, with O_APPEND.

    Without a final newline the editor is careful to start on a fresh line itself, under the
    lock (`flock FILE -c …`): each hand record then ends the file without a newline, and
    zjtrack's next record must supply it."""
    rng = random.Random(seed)
    for i in range(count):
        text = (
            f"# 手工补录 {i}：核对后追加\n---\ntarget: cx-2-1\ndate: 2025-06-{1 + i % 28:02d}\nvalue: {i}\n"
            f"note: hand-{i:03d}"
        )
        fd = os.open(path, os.O_RDWR | os.O_APPEND)
        try:
            if locked:
                fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            fresh_line = size == 0 or os.pread(fd, 1, size - 1) == b"\n"
            data = ("" if fresh_line else "\n") + text + ("\n" if final_newline else "")
            os.write(fd, data.encode())
        finally:
            os.close(fd)
        time.sleep(rng.uniform(0.0, 0.02))


def _record_some(tasks: str, worker: int, count: int) -> None:
    for j in range(count):
        record_progress(
            Path(tasks),
            "cx-2-1",
            str(j),
            as_of=TODAY,
            date="2025-07-01",
            note=f"zj-{worker}-{j:03d}",
        )


@pytest.mark.parametrize(
    ("final_newline", "locked"),
    [(True, False), (False, True)],
    ids=["with-final-newline", "without-final-newline-under-flock"],
)
def test_hand_edits_while_recording(tasks: Path, final_newline: bool, locked: bool) -> None:
    """Hand appends land between zjtrack's records and are all kept, as are all of zjtrack's.

    A hand append that ends without a newline is only safe under the lock (`flock FILE -c …`);
    unlocked it lands wherever it lands; every record starts on a fresh line regardless."""
    path = progress_of(tasks)
    ctx = multiprocessing.get_context("fork")
    writers = [ctx.Process(target=_record_some, args=(str(tasks), w, 25)) for w in range(6)]
    hand = ctx.Process(target=_hand_edits, args=(str(path), 30, final_newline, locked, 7))
    for p in [*writers, hand]:
        p.start()
    for p in [*writers, hand]:
        p.join(240)
    assert [p.exitcode for p in [*writers, hand]] == [0] * 7
    records, problems = state(tasks)
    assert problems == [], [f"{p.line}:{p.column} {p.code}" for p in problems]
    notes = Counter(r.note for r in records)
    assert all(notes[f"hand-{i:03d}"] == 1 for i in range(30)), "every hand record kept"
    assert all(notes[f"zj-{w}-{j:03d}"] == 1 for w in range(6) for j in range(25)), (
        "every recorded one kept"
    )
    text = path.read_text("utf-8")
    assert all(f"# 手工补录 {i}：核对后追加\n" in text for i in range(30)), (
        "every hand comment kept"
    )


def test_unlocked_hand_append_just_before_the_write(
    tasks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's `echo -n … >> file` (no lock, no final newline) lands after `record` looked at the
    file and before it writes: every record starts on a fresh line, so nothing is glued together."""
    real = os.fstat

    def look_then_hand_edit(fd: int) -> os.stat_result:
        answer = real(fd)
        with open(progress_of(tasks), "ab") as f:
            f.write(b"# hand\n---\ntarget: cx-2-1\ndate: 2025-06-30\nvalue: 3\nnote: hand-last")
        return answer

    monkeypatch.setattr(journal.os, "fstat", look_then_hand_edit)
    record_progress(tasks, "cx-2-1", "7", as_of=TODAY, date="2025-07-01", note="zj-after")
    monkeypatch.undo()
    records, problems = state(tasks)
    assert problems == []
    assert {"hand-last", "zj-after"} <= {r.note for r in records}


@pytest.fixture(autouse=True)
def _no_stray_locks() -> Iterator[None]:
    yield
    assert multiprocessing.active_children() == []
