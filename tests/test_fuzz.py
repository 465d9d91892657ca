"""Property-based fuzzing: valid files mutated at random (byte flips, lines deleted or doubled,
tokens swapped, YAML syntax characters and arbitrary Unicode inserted, truncation) never make the
core raise, every problem has a place, and `check` and `status` agree on what is usable.

Examples per test: 200 by default (seconds in CI); `ZJTRACK_FUZZ_EXAMPLES=20000` for a long run.
benchmarks/fuzz_campaign.py runs the same mutations over the real tasks/ for minutes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from conftest import DOUBTFUL_NOTE, incomplete_count
from conftest import cli as shared_cli
from corpus.generate import AS_OF, DOC, FILES, PROGRESS, UNITS, WHOLE_FILE, base, emit
from corpus.mutations import OPS, SYNTAX, Op, apply
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zjtrack.checks import run_checks
from zjtrack.cli.app import app
from zjtrack.evaluate import evaluate
from zjtrack.load.loader import load_paths
from zjtrack.problems import Problem, Severity

EXAMPLES = int(os.environ.get("ZJTRACK_FUZZ_EXAMPLES", "200"))
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
BASE: dict[str, bytes] = {f: emit(base()[f]).text.encode("utf-8") for f in FILES}
ENV: dict[str, str | None] = {
    "ZJTRACK_AS_OF": AS_OF,
    "ZJTRACK_NO_CACHE": "1",
    "ZJTRACK_LANG": None,
    "ZJTRACK_DEBUG": None,
    "GITHUB_ACTIONS": None,
}
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 200,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def _one_click_command() -> Iterator[None]:
    """Build the click command once (typer's runner rebuilds it per invoke, ~40 ms)."""
    original = getattr(typer.testing, "_get_command", None)
    if original is None:
        yield
        return
    built = typer.main.get_command(app)
    typer.testing._get_command = lambda a: built if a is app else original(a)
    try:
        yield
    finally:
        typer.testing._get_command = original


def op_strategy() -> st.SearchStrategy[Op]:
    position = st.integers(min_value=0, max_value=1 << 20)
    return st.one_of(
        st.tuples(st.just("flip"), position, st.integers(0, 255)),
        st.tuples(
            st.sampled_from(["delete-line", "duplicate-line", "truncate"]), position, st.just(0)
        ),
        st.tuples(st.just("swap-tokens"), position, position),
        st.tuples(st.just("insert-syntax"), position, st.integers(0, len(SYNTAX) - 1)),
        st.tuples(st.just("insert-text"), position, st.text(max_size=12)),
        st.tuples(st.just("delete-bytes"), position, st.integers(0, 15)),
    )


MUTATIONS = st.lists(op_strategy(), min_size=1, max_size=4)


def test_every_operation_is_drawn() -> None:
    drawn = {
        "flip",
        "delete-line",
        "duplicate-line",
        "truncate",
        "swap-tokens",
        "insert-syntax",
        "insert-text",
        "delete-bytes",
    }
    assert drawn == set(OPS)


def write(tree: Path, file: str, data: bytes) -> None:
    for f in FILES:
        path = tree / f
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if f == file else BASE[f])


def physical_lines(data: bytes) -> int:
    """Lines as an editor counts them (CR, LF and CRLF end a line)."""
    return len(re.split(rb"\r\n|\r|\n", data))


def assert_located(problems: list[Problem], tree: Path, file: str, data: bytes) -> None:
    for p in problems:
        rel = Path(p.path).relative_to(tree).as_posix()
        assert rel in FILES, p.path
        if p.code in WHOLE_FILE:
            assert (p.line, p.column) == (0, 0), p
            continue
        assert p.line >= 1 and p.column >= 1, f"{p.code} without a place: {p}"
        content = data if rel == file else BASE[rel]
        assert p.line <= physical_lines(content) + 1, (
            f"{p.code} at line {p.line}, past the end of {rel}"
        )


def core(tree: Path, file: str, data: bytes) -> tuple[list[Problem], list[Problem]]:
    """What `check` computes, plus what the views compute; nothing may raise."""
    result = load_paths([str(tree)])
    checked = run_checks(result.plan, AS_OF_DATE)
    evaluate(result.plan, AS_OF_DATE)
    assert_located(result.problems + checked, tree, file, data)
    return result.problems, checked


@pytest.mark.parametrize("file", [DOC, PROGRESS, UNITS])
@FUZZ
@given(ops=MUTATIONS)
def test_mutated_files_never_raise_and_every_problem_has_a_place(file: str, ops: list[Op]) -> None:
    data = apply(BASE[file], ops)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tasks"
        write(tree, file, data)
        core(tree, file, data)


def cli(*args: str) -> Any:
    return shared_cli(*args, env=ENV)


@settings(FUZZ, max_examples=max(EXAMPLES // 2, 20))
@given(file=st.sampled_from([DOC, PROGRESS]), ops=MUTATIONS)
def test_check_and_status_agree(file: str, ops: list[Op]) -> None:
    """check exits 1 exactly when there are errors; status always runs on what loads, and says on
    stderr how many errors its results may miss (or nothing when there are none)."""
    data = apply(BASE[file], ops)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tasks"
        write(tree, file, data)
        loaded, checked = core(tree, file, data)
        errors = [p for p in loaded + checked if p.severity is Severity.ERROR]
        check = cli("check", str(tree))
        assert check.exit_code == (1 if errors else 0), (check.exit_code, check.stdout[:400])
        status = cli("status", str(tree))
        assert status.stdout.strip()
        # the note counts loader errors plus records the views must drop (unknown targets)
        noted = sum(p.severity is Severity.ERROR for p in loaded) + sum(
            p.code == "unknown-target" for p in checked
        )
        # over files with errors the view is written, marked, and exits 1
        # every file read, but check's cross-file rules find errors (a record after the as-of
        # date aside): the view may be wrong, says so, and exits 1 too
        doubted = (
            0
            if noted
            else sum(p.severity is Severity.ERROR and p.code != "future-record" for p in checked)
        )
        assert status.exit_code == (1 if noted or doubted else 0), status.stderr
        assert incomplete_count(status.stderr) == (noted or None), status.stderr
        assert incomplete_count(status.stderr, DOUBTFUL_NOTE) == (doubted or None), status.stderr
