"""Shared fixtures: a minimal valid task tree (units.yaml + one document file) and helpers to
build variants of it and to run the checker on them, without the CLI; and `cli()`, the one way the
tests run a command in-process.

The document fixture is laid out so that every proper prefix of it is invalid (each mapping ends
with a required key, and the file ends with a double-quoted quote): truncation tests rely on it.
Line numbers in the tests refer to the numbered layout below, so keep it stable.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from zjtrack.checks import run_checks
from zjtrack.cli.app import app
from zjtrack.load import yamlsrc
from zjtrack.load.loader import load_paths
from zjtrack.problems import Problem

# The parse cache lives in the user's cache folder: tests, and the processes they start, use a
# folder of their own instead, never the real home.
os.environ["ZJTRACK_CACHE_DIR"] = tempfile.mkdtemp(prefix="zjtrack-test-cache-")

UNITS_YAML = """\
zjtrack: 1
units:
  - name: 海东市教育局
    kind: department
    region: 海东市
    aliases: [市教育局]
  - name: 海东市发展和改革委员会
    kind: department
    region: 海东市
    aliases: [市发展和改革委员会, 市发改委]
  - name: 海东市各县区人民政府
    kind: collective
    region: 海东市
    aliases: [各县区人民政府]
"""

# Line numbers (1-based) of the document fixture, for reference:
#  1 zjtrack / 2 document / 3 id / 4 title / 5 doc_number / 6 issuer / 7 issued / 8 region
#  9 measures / 10 "- id: hd-5" / 11 clause / 12 title / 13 lead_units / 14 responsible_units
# 15 targets / 16 "- id: hd-5-1" / 17 metric / 18 comparator / 19 value / 20 unit / 21 start
# 22 deadline / 23 quote / 24 "- id: hd-5-2" / 25 kind / 26 metric / 27 deadline / 28 quote
DOC_YAML = """\
zjtrack: 1
document:
  id: hd-test
  title: 海东市深化现代职业教育体系建设改革的十条措施
  doc_number: 东政办〔2024〕74号
  issuer: 海东市人民政府办公室
  issued: 2024-07-18
  region: 海东市
measures:
  - id: hd-5
    clause: 五、
    title: 提升职业学校关键办学能力
    lead_units: [市教育局]
    responsible_units: [市发展和改革委员会, 各县区人民政府]
    targets:
      - id: hd-5-1
        metric: 职业学校办学条件达标学校比例
        comparator: ">="
        value: 90
        unit: "%"
        start: 2024年
        deadline: 2025年底
        quote: "力争到 2025 年底，职业学校办学条件达标学校的比例达到 90%以上"
      - id: hd-5-2
        kind: milestone
        metric: 启动职业教育铸魂育人计划
        deadline: 2025年6月底前
        quote: "启动以“打造5个职业教育思政金课”为主要内容的职业教育铸魂育人计划"
"""

PROGRESS_YAML = """\
zjtrack: 1
document: hd-test
---
target: hd-5-1
date: 2025-01-10
value: 80
---
target: hd-5-2
date: 2025-01-10
done: true
"""


def variant(text: str, *edits: tuple[str, str]) -> str:
    """`text` with each (old, new) replaced; `old` must occur exactly once, so that a fixture
    change cannot silently turn a test into a no-op."""
    for old, new in edits:
        count = text.count(old)
        assert count == 1, f"{old!r} occurs {count} times in the fixture"
        text = text.replace(old, new)
    return text


def doc_variant(*edits: tuple[str, str]) -> str:
    return variant(DOC_YAML, *edits)


def check_paths(paths: list[str | Path], as_of: dt.date | None = None) -> list[Problem]:
    """Load and check, as `zjtrack check` does, without the CLI; problems sorted by place."""
    result = load_paths([str(p) for p in paths])
    checked = run_checks(result.plan, as_of) if as_of is not None else run_checks(result.plan)
    return sorted(result.problems + checked, key=lambda p: p.sort_key())


@dataclass
class Tree:
    """A task tree in a temporary folder: `units.yaml` and `doc.yaml`, both valid at first."""

    dir: Path

    @property
    def units(self) -> Path:
        return self.dir / "units.yaml"

    @property
    def doc(self) -> Path:
        return self.dir / "doc.yaml"

    def write(self, content: str | bytes, name: str = "doc.yaml") -> Path:
        """Write (or overwrite) a file of the tree; text is written as UTF-8 with LF endings."""
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def with_doc(self, *edits: tuple[str, str]) -> Path:
        """Replace doc.yaml by a variant of the valid fixture."""
        return self.write(doc_variant(*edits))

    def check(self, as_of: dt.date | None = None) -> list[Problem]:
        return check_paths([self.dir], as_of)


def write_tree(root: Path, doc: str | bytes = DOC_YAML, units: str | bytes = UNITS_YAML) -> Tree:
    """Write a minimal valid task tree (or the given variants) into `root/tasks`."""
    tree = Tree(root / "tasks")
    tree.dir.mkdir(parents=True, exist_ok=True)
    tree.write(units, "units.yaml")
    tree.write(doc, "doc.yaml")
    return tree


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return write_tree(tmp_path)


@pytest.fixture
def pure_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force PyYAML's pure-Python parser, as on a machine without libyaml."""
    monkeypatch.setattr(yamlsrc, "WITH_LIBYAML", False)


@pytest.fixture
def spy_parses(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[bytes]]:
    """Call it to record, from then on, the bytes every `loader.parse_bytes` is given."""
    from zjtrack.load import loader

    def install() -> list[bytes]:
        parsed: list[bytes] = []
        real = loader.parse_bytes

        def parse(data: bytes, path: str) -> Any:
            parsed.append(data)
            return real(data, path)

        monkeypatch.setattr(loader, "parse_bytes", parse)
        return parsed

    return install


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[..., Tree]:
    """Factory: make_tree(doc=..., units=...) writes a tree with those contents."""
    counter = iter(range(1_000_000))

    def make(doc: str | bytes = DOC_YAML, units: str | bytes = UNITS_YAML) -> Tree:
        return write_tree(tmp_path / f"t{next(counter)}", doc, units)

    return make


def where(problems: list[Problem]) -> list[tuple[str, int, int]]:
    """(code, line, column) of each problem: compact, for readable assertion failures."""
    return [(p.code, p.line, p.column) for p in problems]


def one(problems: list[Problem], code: str) -> Problem:
    """The single problem with `code` (fails, listing all problems, if there are 0 or several)."""
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected one {code!r}, got {where(problems)}"
    return found[0]


# --- the command line, in-process -------------------------------------------------------------------

# Variables of the user's shell that would change what a command prints: unset for every run.
CLEAN_ENV: dict[str, str | None] = {
    "ZJTRACK_LANG": None,
    "ZJTRACK_AS_OF": None,
    "ZJTRACK_TODAY": None,
    "ZJTRACK_DEBUG": None,
    "GITHUB_ACTIONS": None,
}


def runner() -> CliRunner:
    """A runner that captures stdout and stderr apart. typer 0.28's runner always does and has no
    `mix_stderr`; click 8.0/8.1's runner mixes them unless told `mix_stderr=False`."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def _env(args: tuple[str, ...], env: Mapping[str, str | None] | None) -> dict[str, str | None]:
    """The clean environment plus `env`. A test that gives an as-of date (`--as-of` or
    ZJTRACK_AS_OF) and no ZJTRACK_TODAY runs as on that day: `record` writes it as recorded_at,
    as it did when the as-of date was also the day of recording. Tests of the difference (a late
    record under --as-of) set ZJTRACK_TODAY themselves."""
    out = {**CLEAN_ENV, **(env or {})}
    if out.get("ZJTRACK_TODAY") is None:
        given = list(args)
        as_of = given[given.index("--as-of") + 1] if "--as-of" in given[:-1] else None
        today = as_of or out.get("ZJTRACK_AS_OF")
        if today and re.fullmatch(r"\d{4}-\d{2}-\d{2}", today):
            out["ZJTRACK_TODAY"] = today
    return out


def cli(*args: str, env: Mapping[str, str | None] | None = None, input: Any = None) -> Result:
    """Run `zjtrack ARGS` in-process with a clean environment (plus `env`). stdout, stderr and the
    exit code stay apart for the test to assert; an exception other than the command's exit, or a
    traceback in either stream, fails the test here."""
    result = runner().invoke(app, list(args), env=_env(args, env), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"zjtrack {' '.join(args)} raised {result.exception!r}"
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


INCOMPLETE_NOTE = re.compile(
    r"^结果不完整：以下文件有错误，未能全部读取：(.*)。运行 zjtrack check 查看。$", re.M
)


DOUBTFUL_NOTE = re.compile(
    r"^结果可能不准确：zjtrack check 在以下文件中发现错误：(.*)。运行 zjtrack check 查看。$", re.M
)


def incomplete_count(stderr: str, note: re.Pattern[str] = INCOMPLETE_NOTE) -> int | None:
    """The errors a view's or report's 结果不完整 notice counts (its files' counts added up), or
    None when it has no such notice; with `note=DOUBTFUL_NOTE`, those of its 结果可能不准确
    notice (errors only check's cross-file rules find)."""
    m = note.search(stderr)
    return sum(int(n) for n in re.findall(r"（(\d+)）", m[1])) if m else None


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped `tasks/` in a temporary folder, which is the working directory."""
    import shutil

    shutil.copytree(Path(__file__).resolve().parent.parent / "tasks", tmp_path / "tasks")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a text file with `new` (a test's hand edit); `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def on_a_terminal(
    args: list[str],
    *,
    stream: str = "stdout",
    columns: int = 80,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[int, str]:
    """Run zjtrack as a real process with `stream` (stdout or stderr) on a pseudo-terminal of
    `columns` columns, the other stream discarded: its exit code and what the terminal showed."""
    import fcntl
    import struct
    import subprocess
    import sys
    import termios

    main, secondary = os.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: secondary}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zjtrack", *args],
        **streams,  # type: ignore[arg-type]
        cwd=cwd,
        env={**os.environ, "ZJTRACK_NO_CACHE": "1", **(env or {})},
    )
    os.close(secondary)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO once the child has closed the terminal
            break
        if not chunk:
            break
        out += chunk
    code = proc.wait(timeout=60)
    os.close(main)
    return code, out.decode("utf-8").replace("\r\n", "\n")


def spy_made(monkeypatch: pytest.MonkeyPatch, owner: object, *names: str) -> list[bool]:
    """Wrap each function `names` of `owner` (a module) so that every call records whether it
    made something (returned other than None): a test learns which path a run took."""
    used: list[bool] = []
    for name in names:
        real = getattr(owner, name)

        def spy(*args: Any, real: Callable[..., Any] = real, **kwargs: Any) -> Any:
            made = real(*args, **kwargs)
            used.append(made is not None)
            return made

        monkeypatch.setattr(owner, name, spy)
    return used


# The trees that tests comparing two ways of computing one output run on (test_snapshot,
# test_check_facts): by name, the paths a command is given, relative to `identity_trees`' root.
IDENTITY_TREES: dict[str, list[str]] = {
    "tasks": ["tasks"],
    "demo": ["tasks", "examples/demo"],
    "shapes": ["shapes"],
    "shapes-plain": ["shapes-plain"],
    "synthetic": ["synthetic"],
}


def identity_trees(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copies of the real trees and generated ones (`IDENTITY_TREES`) under `root`, made the
    working directory, with a cache of their own and no racy margin (the files are older than
    any run that follows)."""
    import shutil
    import sys

    from zjtrack.load import cache

    project = Path(__file__).resolve().parents[1]
    if str(project / "benchmarks") not in sys.path:
        sys.path.insert(0, str(project / "benchmarks"))
    from generate import generate, generate_shapes

    shutil.copytree(project / "tasks", root / "tasks")
    shutil.copytree(project / "examples", root / "examples")
    generate_shapes(root / "shapes")
    generate_shapes(root / "shapes-plain", seed=12, rare=False)
    generate(root / "synthetic", measures=40, records=300, files=4)
    monkeypatch.chdir(root)
    monkeypatch.setenv("ZJTRACK_CACHE_DIR", str(root / "cache"))
    monkeypatch.delenv("ZJTRACK_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "RACY_NS", 0)
