"""Output that cannot be written, on the router's path (cli/fast.py), as real processes: a full
device, a closed stdout and a reader that leaves early end a view served from the snapshot exactly
as they end the typer app's (test_output_failures covers the typer path): the same exit code and
the same message, never a traceback. Each run is checked to have been served without typer (or
click), the city's over the object model too."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import identity_trees

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")

# Runs the console's own path and says, last on stderr, whether typer was imported.
SCRIPT = (
    "import sys\n"
    "from zjtrack.cli import run\n"
    "try:\n"
    "    run(sys.argv[1:])\n"
    "except SystemExit as e:\n"
    "    code = e.code\n"
    "else:\n"
    "    code = 0\n"
    "ui = any(m.split('.')[0] in ('typer', 'click') for m in sys.modules)\n"
    "sys.stderr.write(f'\\nEXIT {code} ' + ('TYPER' if ui else 'NO-TYPER'))\n"
)
VIEWS = [
    ["overdue", "synthetic"],
    ["due", "synthetic", "--within", "12m"],
    ["status", "synthetic"],
    ["status", "synthetic", "--format", "json"],
    # the city: targets the snapshot cannot represent, served over the object model
    ["status", "tasks", "examples/demo"],
    ["overdue", "tasks", "examples/demo", "--format", "json"],
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    root = tmp_path_factory.mktemp("routed")
    with pytest.MonkeyPatch.context() as mp:
        identity_trees(root, mp)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}
    env.update(ZJTRACK_CACHE_DIR=str(root / "cache"), ZJTRACK_TODAY="2026-11-25")
    time.sleep(2.1)  # past a real process's racy margin, so the snapshot made next is trusted
    for argv in VIEWS:  # the typer path makes the snapshot and its side files
        subprocess.run([sys.executable, "-m", "zjtrack", *argv], cwd=root, env=env, check=False)
    yield root, env


def _run(
    tree: tuple[Path, dict[str, str]], argv: list[str], **streams: object
) -> tuple[int, str, str]:
    """The view as a real process with `streams`: its exit code, the path that served it and
    the rest of its stderr."""
    root, env = tree
    done = subprocess.run(
        ["sh", "-c", 'exec "$@"', "sh", sys.executable, "-c", SCRIPT, *argv],
        cwd=root,
        env=env,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
        **streams,  # type: ignore[call-overload]
    )
    rest, _, tail = done.stderr.decode("utf-8").rpartition("\nEXIT ")
    code, path = tail.split()
    return int(code), path, rest


@pytest.mark.parametrize("argv", VIEWS)
def test_a_routed_view_is_served_without_typer(
    tree: tuple[Path, dict[str, str]], argv: list[str]
) -> None:
    code, path, rest = _run(tree, argv, stdout=subprocess.DEVNULL)
    assert (code, path, rest) == (0, "NO-TYPER", "")


@pytest.mark.parametrize("argv", VIEWS)
def test_a_full_device_on_the_routed_path_is_exit_2_with_the_message(
    tree: tuple[Path, dict[str, str]], argv: list[str]
) -> None:
    with open("/dev/full", "wb") as full:
        code, path, rest = _run(tree, argv, stdout=full)
    assert (code, path) == (2, "NO-TYPER")
    assert "无法写出结果" in rest and "Traceback" not in rest


@pytest.mark.parametrize("argv", VIEWS)
def test_a_closed_stdout_on_the_routed_path_is_exit_2_with_the_message(
    tree: tuple[Path, dict[str, str]], argv: list[str]
) -> None:
    root, env = tree
    done = subprocess.run(
        ["sh", "-c", 'exec 1>&-; exec "$@"', "sh", sys.executable, "-m", "zjtrack", *argv],
        cwd=root,
        env=env,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "标准输出已关闭".encode() in done.stderr and b"Traceback" not in done.stderr


def test_a_reader_that_leaves_early_ends_the_routed_view_quietly(
    tree: tuple[Path, dict[str, str]],
) -> None:
    """The reader closes the pipe after one line, before the view has written all of it (the
    JSON is larger than a pipe's buffer): exit 1 as typer's main gives, and nothing on stderr."""
    root, env = tree
    argv = ["status", "synthetic", "--format", "json"]
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *argv],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=60)
    assert first == b"{\n"
    rest, _, tail = err.rpartition("\nEXIT ")
    assert (tail, rest) == ("1 NO-TYPER", "")
