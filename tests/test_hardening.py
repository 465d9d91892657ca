"""Hardening: the generated adversarial corpus (tests/corpus/generate.py) through the checker and
every command, hostile text through every renderer, the size and depth limits' messages, and the
internal-error path (exit 3, a traceback only with --debug).

Per corpus case: `check` (core and CLI) says what the case expects, at the file, line and column;
then targets, status, overdue, show, units, `report ledger --format csv` and `report weekly
--format md|html` run without a traceback. Per hostile text: terminal, Markdown, CSV, HTML, docx
and xlsx output carry it as inert text. Known bugs are strict xfails naming the bug.

test_check_codes.py pins each problem code on single inputs; this file runs the many mutations
of one richer tree through everything, so it asserts the invariants rather than each message.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from conftest import DOUBTFUL_NOTE, INCOMPLETE_NOTE, incomplete_count
from conftest import cli as shared_cli
from corpus.generate import (
    AS_OF,
    DOC,
    HOSTILE,
    HOSTILE_BUGS,
    SHOW_ID,
    WHOLE_FILE,
    Case,
    cases,
    hostile_tree,
    write_tree,
)
from typer.testing import CliRunner

from zjtrack.checks import arrange, run_checks
from zjtrack.cli.app import app
from zjtrack.load import yamlsrc
from zjtrack.load.loader import load_paths
from zjtrack.problems import Problem, Severity
from zjtrack.render import MD_MARK
from zjtrack.text import inert

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CASES = cases()
BY_NAME = {c.name: c for c in CASES}
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
ENV: dict[str, str | None] = {
    "ZJTRACK_AS_OF": AS_OF,
    "ZJTRACK_NO_CACHE": None,
    "ZJTRACK_LANG": None,
    "ZJTRACK_DEBUG": None,
    "GITHUB_ACTIONS": None,
    "COLUMNS": "200",
}

# Raw characters that must never reach output: C0/C1 controls (ESC starts ANSI/OSC), line and
# paragraph separators, bidi embeddings/overrides/isolates, zero-width marks, the BOM.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
# ... and at a terminal also the Arabic letter mark (a bidi mark) and the word joiner (zero-width).
UNSAFE_TERMINAL = re.compile(UNSAFE.pattern[:-1] + "\u061c\u2060]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and weight: the only escapes rich may write itself


# --- running the CLI quickly ---------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The CLI runs as users run it, with its parse cache on (in a temporary folder): the commands
    of one case share parsed files, as they do between a user's commands."""
    ENV["ZJTRACK_CACHE_DIR"] = str(tmp_path_factory.mktemp("zjtrack-cache"))


@pytest.fixture(scope="module", autouse=True)
def _one_click_command() -> Iterator[None]:
    """typer's CliRunner rebuilds the click command tree on every invoke (~40 ms here); build it
    once for this module. Behaviour is unchanged: the same command object typer would build."""
    original = getattr(typer.testing, "_get_command", None)
    if original is None:  # another typer: no shortcut, just slower
        yield
        return
    built = typer.main.get_command(app)
    typer.testing._get_command = lambda a: built if a is app else original(a)
    try:
        yield
    finally:
        typer.testing._get_command = original


def cli(*args: str, env: dict[str, str | None] | None = None) -> Any:
    """`zjtrack ARGS` in-process (conftest.cli), with this module's environment."""
    return shared_cli(*args, env={**ENV, **(env or {})})


# --- the corpus, written once per session ------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Case], Path]:
    """Write each case's tree on first use (the 50 MB one too: once per session)."""
    root = tmp_path_factory.mktemp("corpus")
    made: dict[str, Path] = {}

    def tree(case: Case) -> Path:
        if case.name not in made:
            made[case.name] = write_tree(case, root / f"c{len(made):03d}")
        return made[case.name]

    return tree


def _param(case: Case, bug: str | None) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
    return pytest.param(case, id=case.name, marks=marks)


def _located(problems: list[Problem], tasks: Path) -> list[tuple[str, str, int, int]]:
    return [
        (Path(p.path).relative_to(tasks).as_posix(), p.code, p.line, p.column) for p in problems
    ]


def check_core(tasks: Path) -> list[Problem]:
    result = load_paths([str(tasks)])
    return sorted(result.problems + run_checks(result.plan, AS_OF_DATE), key=lambda p: p.sort_key())


def assert_expected(case: Case, problems: list[Problem], tasks: Path) -> None:
    got = _located(problems, tasks)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if case.verdict == "accept":
        assert got == [], f"a valid tree must give no problem; got {got}"
    elif case.verdict == "reject":
        assert errors, f"expected errors; got {got}"
    for w in case.wants:
        assert any(
            g[0] == w.file
            and g[1] == w.code
            and w.line in (None, g[2])
            and w.column in (None, g[3])
            for g in got
        ), f"expected {w.code} at {w.file}:{w.line}:{w.column}; got {got}"
    for file, code, line, column in got:
        assert file in ("units.yaml", "config.yaml", "doc.yaml") or file.startswith("progress/"), (
            file
        )
        if code in WHOLE_FILE:
            assert (line, column) == (0, 0), (code, line, column)
        else:
            assert line >= 1 and column >= 1, f"{code} without a place: {file}:{line}:{column}"


# --- check: the expected problems, at their places, in core and CLI -------------------------------------


@pytest.mark.parametrize("case", [_param(c, c.check_bug) for c in CASES])
def test_corpus_check(case: Case, corpus: Callable[[Case], Path]) -> None:
    tasks = corpus(case)
    start = time.perf_counter()
    problems = check_core(tasks)
    assert time.perf_counter() - start < 5.0, "every case is checked in well under a second"
    assert_expected(case, problems, tasks)
    loaded = load_paths([str(tasks)])  # as `check` shows them: failed files first, cascades folded
    problems = arrange(loaded.problems, run_checks(loaded.plan, AS_OF_DATE))

    result = cli(
        "check", str(tasks), env={"ZJTRACK_NO_CACHE": "1"}
    )  # a new tree: the cache could only miss
    errors = sum(p.severity is Severity.ERROR for p in problems)
    assert result.exit_code == (1 if errors else 0), (result.exit_code, result.stdout[:500])
    if not problems:
        assert (result.stdout, result.stderr) == ("", "")
        return
    # every problem is a line `FILE:LINE:COLUMN: 错误[code] message` (or `FILE: …` for whole-file codes)
    heads = [
        line
        for line in result.stdout.splitlines()
        if re.match(r"^\S.*: (错误|警告)\[[a-z0-9-]+\] \S", line)
    ]
    assert len(heads) == len(problems), result.stdout[:2000]
    for p, head in zip(problems, heads, strict=True):
        place = f"{p.path}:{p.line}:{p.column}: " if p.line else f"{p.path}: "
        assert head.startswith(inert(place)), (head, place)
    assert re.fullmatch(r"4 个文件：\d+ 个错误，\d+ 个警告\n", result.stderr), result.stderr
    assert not UNSAFE_TERMINAL.search(result.stdout)


# --- every other command: runs, no traceback, says so when files have errors ------------------------------

VIEWS: list[tuple[str, ...]] = [
    ("targets",),
    ("status",),
    ("overdue",),
    ("show", SHOW_ID),
    ("units",),
    ("report", "ledger", "--format", "csv"),
    ("report", "weekly", "--format", "md"),
    ("report", "weekly", "--format", "html"),
]


def view_args(view: tuple[str, ...], tasks: Path) -> list[str]:
    """Paths go after the (sub)command and its id: `show ID PATH`, `report weekly PATH --format md`."""
    head = 2 if view[0] in ("report", "show") else 1
    return [*view[:head], str(tasks), *view[head:]]


def plan_fingerprint(tasks: Path) -> tuple[str, int] | None:
    """What every view's output is a function of: the loaded plan (positions aside, which no view
    prints) and the count in the stderr note (loader errors, plus records of unknown targets).
    None when loading itself fails."""
    try:
        loaded = load_paths([str(tasks)])
    except Exception:
        return None
    plan = re.sub(r"Pos\([^)]*\)", "", repr(loaded.plan)).replace(str(tasks), "<tasks>")
    known = {t.id for _, _, t in loaded.plan.all_targets()}
    dropped = sum(
        r.target not in known for r in loaded.plan.records
    )  # records the views cannot judge
    return plan, sum(p.severity is Severity.ERROR for p in loaded.problems) + dropped


def cross_file_errors(tasks: Path) -> int:
    """The errors `check` finds in a tree that reads in full (records after the as-of date
    aside: a view may be made as of any date): a view over it exits 1 and says so."""
    plan = load_paths([str(tasks)]).plan
    return sum(p.severity is Severity.ERROR for p in run_checks(plan))


@pytest.fixture(scope="session")
def views_seen() -> dict[tuple[str, int], tuple[str, str]]:
    """fingerprint -> (first case, its status output)."""
    return {}


@pytest.mark.parametrize("case", [_param(c, c.views_bug) for c in CASES])
def test_corpus_views(
    case: Case, corpus: Callable[[Case], Path], views_seen: dict[tuple[str, int], tuple[str, str]]
) -> None:
    """Every view on every case whose loaded plan is new; on a case that loads to a plan already
    viewed (e.g. a duplicate key whose first value is kept) `status` runs and must print the very
    same table, which confirms that the other views would too."""
    tasks = corpus(case)
    fingerprint = plan_fingerprint(tasks)
    loader_errors = fingerprint[1] if fingerprint else -1
    check_errors = 0 if loader_errors else cross_file_errors(tasks)
    seen = views_seen.get(fingerprint) if fingerprint else None
    for view in VIEWS if seen is None else [("status",)]:
        result = cli(*view_args(view, tasks))
        ok = 1 if loader_errors or check_errors else 0  # over files with errors: output, exit 1
        allowed = {ok, 2} if view[0] == "show" else {ok}  # show: 2 when the id is not in what loads
        assert result.exit_code in allowed, (view, result.exit_code, result.stderr[:300])
        if view[0] == "show" and result.exit_code == 2:
            assert SHOW_ID in result.stderr and "Usage" not in result.stderr
        if view[0] != "show" or result.exit_code == 0:
            assert result.stdout.strip(), f"{view} printed nothing"
        note = incomplete_count(result.stderr)
        doubt = incomplete_count(result.stderr, DOUBTFUL_NOTE)
        if loader_errors and result.exit_code != 2:
            assert note == loader_errors, (view, result.stderr[:300])
        elif not loader_errors:
            assert note is None, (view, result.stderr[:300])
        if check_errors and result.exit_code != 2:  # the tree reads, but check finds errors
            assert doubt == check_errors, (view, result.stderr[:300])
        else:
            assert doubt is None, (view, result.stderr[:300])
        assert not UNSAFE.search(result.stderr)
        if view == ("status",):
            table = DOUBTFUL_NOTE.sub("", INCOMPLETE_NOTE.sub("", result.stdout))  # names files
            if seen is not None:
                assert table == seen[1], f"same plan as {seen[0]}, different status output"
            elif fingerprint is not None:
                views_seen[fingerprint] = (case.name, table)


def test_corpus_size_and_categories() -> None:
    """The corpus covers every category the hardening issue names."""
    categories = {c.category for c in CASES}
    assert {
        "duplicate-key",
        "date",
        "yaml11",
        "wrong-type",
        "missing-field",
        "unknown-key",
        "whole-file",
        "second-document",
        "root",
        "alias",
        "merge-key",
        "tag",
        "tab",
        "line-endings",
        "encoding",
        "control",
        "hostile-text",
        "nesting",
        "too-large",
        "truncated",
    } <= categories
    assert len(CASES) >= 400
    duplicates = {
        c.name.split(":")[0] + ":" + c.name.split(":")[1].rsplit(".", 1)[0]
        for c in CASES
        if c.category == "duplicate-key"
    }
    assert len(duplicates) >= 20, "a duplicate key in every mapping of every file"


def test_fifty_megabytes_are_refused_quickly(corpus: Callable[[Case], Path]) -> None:
    tasks = corpus(BY_NAME["too-large/doc-50mb"])
    assert (tasks / DOC).stat().st_size > 50 * 1000 * 1000
    start = time.perf_counter()
    result = cli("check", str(tasks), "--lang", "en")
    assert time.perf_counter() - start < 3.0
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{tasks / DOC}: error[too-large] file too large: ")


# --- hostile text: inert in every output -----------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    return {name: write_tree(BY_NAME[f"hostile-text/{name}"], root / name) for name in HOSTILE}


def _hostile_params(kind: str) -> list[Any]:
    out = []
    for name in HOSTILE:
        bug = HOSTILE_BUGS.get(name, {}).get(kind)
        out.append(
            pytest.param(
                name, id=name, marks=[pytest.mark.xfail(strict=True, reason=bug)] if bug else []
            )
        )
    return out


def test_hostile_trees_are_valid(hostile_trees: dict[str, Path]) -> None:
    """The hostile text sits in quoted strings: the files are valid and checked clean."""
    for name, tasks in hostile_trees.items():
        assert check_core(tasks) == [], name


TERMINAL_VIEWS: list[tuple[str, ...]] = [
    ("targets",),
    ("status",),
    ("overdue",),
    ("due", "--within", "400d"),
    ("units",),
    ("show", "cx-1"),
    ("show", "cx-1-2"),
    ("show", "cx-1-3"),
    ("show", "cx-2"),
    ("check",),
    ("status", "--lang", "en"),
    ("show", "cx-1-1", "--lang", "en"),
]


@pytest.mark.parametrize("name", _hostile_params("terminal"))
def test_hostile_terminal(name: str, hostile_trees: dict[str, Path]) -> None:
    tasks = hostile_trees[name]
    outputs = []
    for view in TERMINAL_VIEWS:
        result = cli(*view_args(view, tasks))
        assert result.exit_code == 0, (view, result.stderr)
        outputs.append(result.stdout + result.stderr)
    text = "\n".join(outputs)
    found = UNSAFE_TERMINAL.search(text)
    assert found is None, f"raw {found[0]!r} in terminal output" if found else ""
    shown = cli("show", SHOW_ID, str(tasks)).stdout
    payload = HOSTILE[name]
    assert inert(payload) in shown, "the text is shown, escaped, not dropped"
    if "\x1b" in payload:
        assert "\\u001b" in shown


@pytest.mark.parametrize("name", _hostile_params("terminal"))
def test_hostile_rich_terminal_table(name: str, hostile_trees: dict[str, Path]) -> None:
    """On a real terminal the views print a rich table: markup in the data is printed literally,
    and the only escapes are rich's own colours (no OSC 8 links, no title changes)."""
    from rich.console import Console

    from zjtrack.evaluate import evaluate
    from zjtrack.registry import Registry
    from zjtrack.render.terminal import render_rich
    from zjtrack.views import results_table, targets_table

    plan = load_paths([str(hostile_trees[name])]).plan
    results = evaluate(plan, AS_OF_DATE)
    registry = Registry(plan.units)
    buf = io.StringIO()
    console = Console(
        file=buf, force_terminal=True, color_system="truecolor", width=240, legacy_windows=False
    )
    for table in (
        results_table("status", results, registry, "zh", results),
        targets_table(plan, "zh"),
    ):
        console.print(render_rich(table, "zh", "任务进展"))
    out = buf.getvalue()
    plain = SGR.sub("", out)
    found = UNSAFE_TERMINAL.search(plain)
    assert found is None, f"raw {found[0]!r} in the rich table" if found else ""
    if name == "rich-markup":
        assert "[link=http://evil.example]" in plain and "[/red]" in plain


def _pipes(line: str) -> int:
    """Unescaped `|` in a Markdown table line (a backslash escapes the next character)."""
    count, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        count += line[i] == "|"
        i += 1
    return count


def assert_markdown_inert(md: str, what: str) -> None:
    md = md.removesuffix(f"\n{MD_MARK}\n")  # zjtrack's own mark, the one comment allowed
    found = UNSAFE.search(md)
    assert found is None, f"{what}: raw {found[0]!r}" if found else ""
    assert not re.search(r"<[A-Za-z!/?]", md), f"{what}: a raw HTML tag"
    assert not re.search(r"(?<!\\)\]\(", md), f"{what}: a live Markdown link or image"
    block: list[str] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            counts = {_pipes(b) for b in block}
            assert len(counts) == 1, f"{what}: a cell broke the table: {block}"
            block = []


MD_VIEWS: list[tuple[str, ...]] = [("targets",), ("status",), ("overdue",), ("units",)]
MD_REPORTS: list[tuple[str, ...]] = [
    ("report", "weekly"),
    ("report", "ledger"),
    ("report", "notices"),
]


@pytest.mark.parametrize("name", _hostile_params("markdown"))
def test_hostile_markdown_views(name: str, hostile_trees: dict[str, Path]) -> None:
    tasks = hostile_trees[name]
    for view in MD_VIEWS:
        result = cli(*view_args(view, tasks), "--format", "md")
        assert result.exit_code == 0
        assert_markdown_inert(result.stdout, view[0])


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_markdown_reports(name: str, hostile_trees: dict[str, Path]) -> None:
    tasks = hostile_trees[name]
    for view in MD_REPORTS:
        result = cli(*view_args(view, tasks), "--format", "md")
        assert result.exit_code == 0
        assert_markdown_inert(result.stdout, " ".join(view))


FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(data: str) -> list[list[str]]:
    assert data.startswith("\ufeff"), "UTF-8 with BOM, for Excel and WPS"
    return list(csv.reader(io.StringIO(data[1:], newline="")))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_csv(name: str, hostile_trees: dict[str, Path]) -> None:
    tasks = hostile_trees[name]
    payload = HOSTILE[name]
    cells: list[str] = []
    for view in [*MD_VIEWS, ("report", "ledger")]:
        result = cli(*view_args(view, tasks), "--format", "csv")
        assert result.exit_code == 0
        cells += [c for row in csv_cells(result.stdout) for c in row]
    for c in cells:
        assert not c.startswith(FORMULA_LEAD), f"a formula-led cell: {c!r}"
        found = UNSAFE.search(c)
        assert found is None, f"raw {found[0]!r} in {c!r}" if found else ""
    want = inert(payload)
    assert ("'" + want if want.startswith(FORMULA_LEAD) else want) in cells, (
        "the problems cell, inert and defused"
    )


ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "article",
    "header",
    "h1",
    "h2",
    "h3",
    "p",
    "dl",
    "dt",
    "dd",
    "section",
    "table",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "i",
    "br",
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_html(name: str, hostile_trees: dict[str, Path]) -> None:
    tasks = hostile_trees[name]
    for view in (("report", "weekly"), ("report", "notices")):
        out = cli(*view_args(view, tasks), "--format", "html").stdout
        parser = _Tags()
        parser.feed(out)
        tags = {t for t, _ in parser.tags}
        assert tags <= ALLOWED_TAGS, f"unexpected elements: {tags - ALLOWED_TAGS}"
        for tag, attrs in parser.tags:
            for attr, value in attrs:
                assert not attr.startswith("on"), (tag, attr)
                assert "javascript:" not in (value or "").lower()
        assert "Content-Security-Policy" in out
        text = "".join(parser.text)
        found = UNSAFE.search(text)
        assert found is None, f"raw {found[0]!r}" if found else ""
        payload = HOSTILE[name]
        if "\n" not in payload:
            assert html.escape(inert(payload), quote=True) in out, "shown escaped, not dropped"


def _docx_texts(path: Path) -> tuple[list[str], list[str]]:
    import docx

    d = docx.Document(str(path))
    paragraphs = [p.text for p in d.paragraphs]
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return paragraphs, cells


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_docx(name: str, hostile_trees: dict[str, Path], tmp_path: Path) -> None:
    tasks = hostile_trees[name]
    payload = HOSTILE[name]
    out = tmp_path / "weekly.docx"
    result = cli("report", "weekly", str(tasks), "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    paragraphs, cells = _docx_texts(out)
    for text in paragraphs + cells:
        found = UNSAFE.search(text)
        assert found is None, f"raw {found[0]!r} in {text!r}" if found else ""
    assert inert(payload) in cells, "the problems cell is exactly the inert text"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_xlsx(name: str, hostile_trees: dict[str, Path], tmp_path: Path) -> None:
    import openpyxl

    tasks = hostile_trees[name]
    payload = HOSTILE[name]
    for view in (("report", "ledger"), ("report", "weekly")):
        out = tmp_path / f"{view[1]}.xlsx"
        result = cli(*view_args(view, tasks), "--format", "xlsx", "-o", str(out))
        assert result.exit_code == 0, result.stderr
        wb = openpyxl.load_workbook(out)
        values = []
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (
                        f"a formula in {ws.title}!{c.coordinate}: {c.value!r}"
                    )
                    if isinstance(c.value, str):
                        values.append(c.value)
                        found = UNSAFE.search(c.value)
                        assert found is None, f"raw {found[0]!r} in {c.value!r}" if found else ""
        assert inert(payload) in values, "the problems cell is exactly the inert text"


def test_github_annotations_of_hostile_keys_are_inert(corpus: Callable[[Case], Path]) -> None:
    """Plain text output escapes a hostile key name (this passes); the GitHub format is below."""
    tasks = corpus(BY_NAME["hostile-text/unknown-key-name"])
    result = cli("check", str(tasks), "--format", "text")
    assert result.exit_code == 1 and "\\u001b]0;pwned" in result.stdout
    assert not UNSAFE_TERMINAL.search(result.stdout)


def test_github_format_escapes_hostile_text(corpus: Callable[[Case], Path]) -> None:
    tasks = corpus(BY_NAME["hostile-text/unknown-key-name"])
    result = cli("check", str(tasks), "--format", "github")
    assert result.exit_code == 1
    assert not UNSAFE_TERMINAL.search(result.stdout), repr(result.stdout[:300])


# --- views say when check would fail ------------------------------------------------------------------------


def test_status_notes_cross_reference_errors(corpus: Callable[[Case], Path]) -> None:
    tasks = corpus(BY_NAME["record/unknown-target"])
    assert cli("check", str(tasks)).exit_code == 1
    result = cli("status", str(tasks))
    assert result.exit_code == 1 and result.stdout.strip()  # written, marked, and failed
    assert result.stdout.startswith("结果不完整：")
    assert incomplete_count(result.stderr) == 1, repr(result.stderr)


# --- real processes: no traceback reaches a terminal ---------------------------------------------------------


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZJTRACK_", "GITHUB_"))}
    return subprocess.run(
        [PYTHON, "-m", "zjtrack", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, "ZJTRACK_AS_OF": AS_OF, "ZJTRACK_NO_CACHE": "1", **(env or {})},
    )


SUBPROCESS_CASES = [
    "nesting/flow-lists-10000",
    "alias/bomb-document",
    "encoding/doc.yaml-gbk",
    "hostile-text/osc8-hyperlink",
    "number/config-due-soon-overflow",
]
BOTH = {"hostile-text/osc8-hyperlink", "number/config-due-soon-overflow"}


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_real_process_never_shows_a_traceback(name: str, corpus: Callable[[Case], Path]) -> None:
    case = BY_NAME[name]
    tasks = corpus(case)
    for args in (["check", str(tasks)], ["status", str(tasks)])[: 2 if name in BOTH else 1]:
        proc = run(*args)
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
        if case.check_bug or case.views_bug:
            # a known bug ends in the safety net: exit 3 and a short request for a report
            assert proc.returncode in (1, 3), proc.stderr
        else:
            assert proc.returncode in (0, 1), (args, proc.returncode, proc.stderr)
        assert not UNSAFE_TERMINAL.search(proc.stdout)


def _pty_run(
    args: list[str], timeout: float = 30, extra: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run zjtrack with stdout on a pseudo-terminal (so it prints the rich table), stderr piped;
    no pager unless `extra` names one (nothing would answer it); LESS unset unless `extra` sets it."""
    master, slave = pty.openpty()
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ZJTRACK_", "GITHUB_")) and k != "LESS"
    }
    env = {
        **base,
        "ZJTRACK_AS_OF": AS_OF,
        "ZJTRACK_NO_CACHE": "1",
        "COLUMNS": "240",
        "TERM": "xterm-256color",
        "ZJTRACK_PAGER": "cat",
        **(extra or {}),
    }
    proc = subprocess.Popen(
        [PYTHON, "-m", "zjtrack", *args], stdout=slave, stderr=subprocess.PIPE, env=env
    )
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    proc.wait(timeout)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert "Traceback" not in err
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("name", ["osc8-hyperlink", "rich-markup", "bidi-override"])
def test_real_terminal_status_is_inert(name: str, hostile_trees: dict[str, Path]) -> None:
    code, out = _pty_run(["status", str(hostile_trees[name])])
    assert code == 0
    plain = SGR.sub("", out).replace("\r\n", "\n")
    found = UNSAFE_TERMINAL.search(plain)
    assert found is None, f"raw {found[0]!r} on the terminal" if found else ""
    assert "cx-1-1" in plain


def test_check_json_on_a_real_terminal_escapes_invisible_characters(tmp_path: Path) -> None:
    """Issue 13: `check --format json` printed bidi overrides and C1 controls raw to a terminal
    (views already escaped them). To a pipe the JSON stays exact."""
    tasks = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", tasks)
    doc = tasks / "haidong-2024-74.yaml"
    text = doc.read_text(encoding="utf-8")
    hostile = "市教育局\u202e局育教"
    assert "lead_units: [市教育局]" in text
    text = text.replace("lead_units: [市教育局]", f'lead_units: ["{hostile}"]', 1)
    doc.write_text(text, encoding="utf-8")
    code, out = _pty_run(["check", str(tasks), "--format", "json"])
    assert code == 1 and "unknown-unit" in out
    assert "\u202e" not in out, "a raw bidi override on a terminal"
    assert "\\u202e" in out
    piped = subprocess.run(
        [PYTHON, "-m", "zjtrack", "check", str(tasks), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "ZJTRACK_NO_CACHE": "1"},
    )
    assert piped.returncode == 1 and hostile in json.loads(piped.stdout)["problems"][0]["message"]


def test_a_view_taller_than_the_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = (
        f"'{PYTHON}' -c \"import sys; open({str(paged)!r}, 'wb').write(sys.stdin.buffer.read())\""
    )
    view = ["status", str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    code, out = _pty_run(view, extra={"ZJTRACK_PAGER": pager, "LINES": "20"})
    assert code == 0 and "hd-1-1" not in out
    text = paged.read_text(encoding="utf-8")
    assert "hd-1-1" in text and "\x1b[" in text  # the whole view, in colour (less -R shows it)
    paged.unlink()
    code, out = _pty_run(
        view, extra={"ZJTRACK_PAGER": pager, "LINES": "5000"}
    )  # fits: printed as is
    assert code == 0 and "hd-1-1" in out and not paged.exists()
    code, out = _pty_run(view, extra={"ZJTRACK_PAGER": "no-such-pager-here", "LINES": "20"})
    assert code == 0 and "hd-1-1" in out  # a pager that is not there: printed as is


def test_the_pager_keeps_rows_on_one_line_unless_less_is_set(tmp_path: Path) -> None:
    seen = tmp_path / "less.txt"
    pager = (
        f"'{PYTHON}' -c \"import os, sys; sys.stdin.buffer.read(); "
        f"open({str(seen)!r}, 'w').write(os.environ.get('LESS', '-'))\""
    )
    view = ["status", str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    code, _ = _pty_run(view, extra={"ZJTRACK_PAGER": pager, "LINES": "20"})
    assert code == 0 and seen.read_text() == "FRSX"  # -S: a wide row is chopped, not wrapped
    code, _ = _pty_run(view, extra={"ZJTRACK_PAGER": pager, "LINES": "20", "LESS": "R"})
    assert code == 0 and seen.read_text() == "R"  # the user's own LESS wins


# --- command-line edges ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--as-of", "9999-12-31"], id="as-of-9999-12-31"),
        pytest.param(["--as-of", "0001-01-01"], id="as-of-0001-01-01"),
        pytest.param(["--week", "9999-W52"], id="week-9999-W52"),
        pytest.param(["--week", "2025-W99"], id="week-2025-W99"),
        pytest.param(["--as-of", "2025-02-30"], id="as-of-2025-02-30"),
    ],
)
def test_weekly_at_the_ends_of_the_calendar(
    args: list[str], corpus: Callable[[Case], Path]
) -> None:
    tasks = corpus(BY_NAME["base/valid"])
    result = CliRunner().invoke(app, ["report", "weekly", str(tasks), *args], env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 2), result.exit_code
    if result.exit_code == 2:
        assert result.stderr.strip() and "Traceback" not in result.stderr


@pytest.mark.parametrize("view", ["status", "overdue", "units", "ledger"])
@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_views_at_the_ends_of_the_calendar(
    view: str, as_of: str, corpus: Callable[[Case], Path]
) -> None:
    tasks = corpus(BY_NAME["base/valid"])
    args = (
        ["report", "ledger", str(tasks), "--format", "csv"]
        if view == "ledger"
        else [view, str(tasks)]
    )
    result = cli(*args, "--as-of", as_of)
    assert result.exit_code == 0


# --- files that cannot be read as files ----------------------------------------------------------------------


def test_unreadable_file_exits_2_everywhere(tmp_path: Path) -> None:
    """A task file that cannot be read (a dangling link) is exit 2 for check and for every view."""
    tasks = write_tree(BY_NAME["base/valid"], tmp_path)
    (tasks / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = cli("check", str(tasks))
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{tasks / 'gone.yaml'}: 错误[symlink] 是符号链接，未读取")
    for view in VIEWS:
        result = cli(*view_args(view, tasks))
        assert result.exit_code == 2, view
        assert "gone.yaml" in result.stderr and "symlink" in result.stderr


def _limited(args: list[str], memory: int, timeout: float) -> subprocess.CompletedProcess[str]:
    """zjtrack in a child process with at most `memory` bytes of address space."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
        f"sys.argv = ['zjtrack', *{args!r}]\n"
        "from zjtrack.cli import main\nmain()\n"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}
    return subprocess.run(
        [PYTHON, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, "ZJTRACK_NO_CACHE": "1", "ZJTRACK_AS_OF": AS_OF},
    )


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    tasks = write_tree(BY_NAME["base/valid"], tmp_path)
    huge = tasks / "huge.yaml"
    with open(huge, "wb") as f:
        f.truncate(3 * 1024**3)  # sparse: no disk space used
    proc = _limited(["check", str(tasks)], 1024**3, 120)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-300:])
    assert f"{huge}: 错误[too-large]" in proc.stdout


def test_a_fifo_among_the_task_files_does_not_hang(tmp_path: Path) -> None:
    tasks = write_tree(BY_NAME["base/valid"], tmp_path)
    os.mkfifo(tasks / "pipe.yaml")
    try:
        proc = run("check", str(tasks), timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("check hung on a FIFO")
    assert proc.returncode == 2 and "pipe.yaml" in proc.stdout


# --- limits: each message names the limit and the way out ----------------------------------------------------


def test_too_large_message_names_the_limit_and_the_fix(corpus: Callable[[Case], Path]) -> None:
    tasks = corpus(BY_NAME["too-large/doc-50mb"])
    [p] = [p for p in check_core(tasks) if p.code == "too-large"]
    size = (tasks / DOC).stat().st_size
    assert p.message("zh") == f"文件过大：{size} 字节，上限 {yamlsrc.MAX_BYTES} 字节"
    assert p.message("en") == f"file too large: {size} bytes, limit {yamlsrc.MAX_BYTES}"
    assert "拆分" in p.hint("zh") and "split" in p.hint("en")
    out = cli("check", str(tasks), "--lang", "en").stdout
    assert f"limit {yamlsrc.MAX_BYTES}" in out and "hint: split it into several task files" in out


def test_too_deep_message_names_the_limit_and_the_fix(corpus: Callable[[Case], Path]) -> None:
    tasks = corpus(BY_NAME["nesting/flow-maps-10000"])
    [p] = [p for p in check_core(tasks) if p.code == "too-deep"]
    assert str(yamlsrc.MAX_DEPTH) in p.message("zh") and str(yamlsrc.MAX_DEPTH) in p.message("en")
    assert "缩进" in p.hint("zh") and "indentation" in p.hint("en")
    out = cli("check", str(tasks), "--lang", "en").stdout
    assert f"nesting too deep (limit {yamlsrc.MAX_DEPTH} levels)" in out and "hint:" in out


def test_too_many_nodes_message_names_the_limit_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real limit (2,000,000 values) takes seconds to reach; the same code path with 500."""
    monkeypatch.setattr(yamlsrc, "MAX_NODES", 500)
    tasks = write_tree(BY_NAME["base/valid"], tmp_path)
    (tasks / DOC).write_text("zjtrack: 1\nitems: [" + ", ".join(["1"] * 600) + "]\n", "utf-8")
    [p] = [p for p in check_core(tasks) if p.code == "too-many-nodes"]
    assert (p.line, p.column) >= (2, 1)
    assert p.message("en") == "too many values in one file (limit 500)"
    assert p.message("zh") == "文件中的值过多（上限 500 个）"
    assert "拆分" in p.hint("zh") and "split" in p.hint("en")


def test_the_documented_limits_are_the_real_ones() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert yamlsrc.MAX_BYTES == 20 * 1024 * 1024 and "20 MiB" in readme
    assert yamlsrc.MAX_DEPTH == 32 and "32 levels" in readme
    assert yamlsrc.MAX_NODES == 2_000_000 and "2,000,000 values" in readme


# --- an internal error: exit 3, a short message; --debug shows the traceback ---------------------------------


def _boom(*_: object, **__: object) -> None:
    raise RuntimeError("simulated bug")


@pytest.mark.parametrize(
    ("target", "command"),
    [
        ("zjtrack.views.target_rows", "targets"),
        ("zjtrack.evaluate.evaluate", "status"),
        ("zjtrack.evaluate.evaluate", "report"),
    ],
)
def test_internal_error_exits_3_without_traceback(
    target: str,
    command: str,
    corpus: Callable[[Case], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from zjtrack.cli import run

    def main() -> None:
        run(sys.argv[1:])

    module, attr = target.rsplit(".", 1)
    monkeypatch.setattr(sys.modules[module], attr, _boom)
    for key in ("ZJTRACK_DEBUG", "ZJTRACK_LANG", "GITHUB_ACTIONS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ZJTRACK_AS_OF", AS_OF)
    monkeypatch.setenv("ZJTRACK_NO_CACHE", "1")
    tasks = str(corpus(BY_NAME["base/valid"]))
    argv = (
        ["zjtrack", "report", "ledger", tasks, "--format", "csv"]
        if command == "report"
        else ["zjtrack", command, tasks]
    )
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err and "simulated bug" not in err
    assert "internal error (RuntimeError)" in err and "--debug" in err and "report" in err
    assert len(err.splitlines()) == 3

    monkeypatch.setattr(sys, "argv", [*argv, "--debug"])
    with pytest.raises(RuntimeError, match="simulated bug"):  # the interpreter prints the traceback
        main()
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setenv("ZJTRACK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="simulated bug"):
        main()


def test_internal_error_in_a_real_process(corpus: Callable[[Case], Path]) -> None:
    tasks = str(corpus(BY_NAME["base/valid"]))
    script = (
        "import sys, zjtrack.views as v\n"
        "def boom(*a, **k): raise RuntimeError('simulated bug')\n"
        "v.target_rows = boom\n"
        f"sys.argv = ['zjtrack', 'targets', {tasks!r}] + sys.argv[1:]\n"
        "from zjtrack.cli import main\nmain()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}
    env["ZJTRACK_NO_CACHE"] = "1"
    quiet = subprocess.run(
        [PYTHON, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert quiet.returncode == 3
    assert (
        quiet.stdout == ""
        and "Traceback" not in quiet.stderr
        and "internal error (RuntimeError)" in quiet.stderr
    )
    loud = subprocess.run(
        [PYTHON, "-c", script, "--debug"], capture_output=True, text=True, env=env, timeout=60
    )
    assert loud.returncode == 1  # the interpreter's own exit for an uncaught exception
    assert "Traceback" in loud.stderr and "RuntimeError: simulated bug" in loud.stderr


def test_hostile_tree_helper_plants_every_field() -> None:
    """Guard for the corpus itself: the payload lands in the fields the rendering tests rely on."""
    from corpus.generate import PROGRESS, emit

    payload = "\x1b[31mX"
    tree = hostile_tree(payload)
    text = emit(tree[PROGRESS]).text
    assert text.count('"\\e[31mX"') >= 7
    assert emit(tree[DOC]).text.count("\\e[31mX") >= 12


def test_real_process_output_is_complete_and_exit_codes_survive_the_fast_exit(
    tmp_path: Path,
) -> None:
    """The console entry ends with os._exit after flushing: nothing written may be lost, and every
    exit code must come through."""
    from typer.testing import CliRunner

    from zjtrack.cli.app import app

    args = ["status", "--format", "json", str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    proc = run(*args)
    assert proc.returncode == 0 and proc.stderr == ""
    in_process = CliRunner().invoke(app, [*args, "--as-of", AS_OF], env={"ZJTRACK_NO_CACHE": "1"})
    assert proc.stdout == in_process.stdout and json.loads(proc.stdout)["rows"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("zjtrack: 1\nbogus: 1\n", encoding="utf-8")
    found = run("check", str(bad))
    assert found.returncode == 1 and "bogus" in found.stdout
    assert run("status", str(tmp_path / "missing")).returncode == 2
    piped = subprocess.run(
        f"'{PYTHON}' -m zjtrack status --format json '{ROOT / 'tasks'}' | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ZJTRACK_NO_CACHE": "1"},
    )
    assert piped.stdout == '{\n  "versi' and "Traceback" not in piped.stderr
    # started with stderr closed: quiet, and the right code; with stdout closed the result is
    # lost, which is said on stderr with exit 2 (was a silent exit 0: a result that never came)
    for closed, code in ((">&-", 2), ("2>&-", 0)):
        proc = subprocess.run(
            f"'{PYTHON}' -m zjtrack status --format json '{ROOT / 'tasks'}' {closed}",
            shell=True,
            stdout=subprocess.DEVNULL if closed == "2>&-" else None,
            stderr=subprocess.PIPE if closed == ">&-" else None,
            timeout=60,
            env={**os.environ, "ZJTRACK_NO_CACHE": "1"},
        )
        assert proc.returncode == code, closed
