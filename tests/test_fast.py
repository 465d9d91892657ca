"""The views' router (cli/fast.py): a plain `status`, `overdue` or `due` served from the snapshot
without typer prints the very stdout and stderr, and ends with the very exit code, that the typer
app gives for the same words; every run it declines is the typer app's, byte for byte. Both are
run through `cli.run`, the console entry point's own path (ZJTRACK_NO_ROUTER=1: typer only)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import identity_trees

from zjtrack.cli import app as app_module
from zjtrack.cli import run
from zjtrack.load import snapshot

ROOT = Path(__file__).resolve().parents[1]
ENV_VARS = ("ZJTRACK_AS_OF", "ZJTRACK_LANG", "ZJTRACK_ROOT", "ZJTRACK_TODAY", "ZJTRACK_NO_ROUTER")


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    identity_trees(tmp_path, monkeypatch)
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZJTRACK_TODAY", "2026-11-25")
    yield tmp_path


def _run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str], router: bool
) -> tuple[bytes, bytes, int, bool]:
    """`cli.run(argv)` in this process with stdout and stderr captured as bytes: what it wrote,
    its exit code, and whether the typer app ran."""
    typer_ran: list[bool] = []
    real = app_module.app_for

    def spy(words: list[str]):  # type: ignore[no-untyped-def]
        typer_ran.append(True)
        return real(words)

    out, err = io.BytesIO(), io.BytesIO()
    with monkeypatch.context() as m:
        for name, value in {**env, "ZJTRACK_NO_ROUTER": "0" if router else "1"}.items():
            m.setenv(name, value)
        m.setattr(app_module, "app_for", spy)
        m.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8", write_through=True))
        m.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="utf-8", write_through=True))
        try:
            run(list(argv))
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
        written = out.getvalue(), err.getvalue()
    return *written, code, bool(typer_ran)


def _same(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str] | None = None
) -> bool:
    """Run `argv` with and without the router; assert the same bytes and exit code; return
    whether the router served it (typer never ran)."""
    env = env or {}
    fast = _run(argv, monkeypatch, env, router=True)
    slow = _run(argv, monkeypatch, env, router=False)
    assert slow[3], argv  # without the router, typer always runs
    assert fast[:3] == slow[:3], (argv, env, fast[1], slow[1])
    return not fast[3]


def _warm(paths: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the snapshot and both side files of `paths`."""
    for argv in (["status", *paths], ["status", *paths], ["status", "-f", "json", *paths]):
        _run(argv, monkeypatch, {}, router=False)
    _run(["status", *paths], monkeypatch, {}, router=False)
    snap = snapshot.load(paths)
    assert snap is not None
    assert snapshot.load_json(paths, snap) is not None
    assert snapshot.load_cells(paths, snap, "zh") is not None


VIEWS = [["status"], ["overdue"], ["due"], ["due", "--within", "3m"], ["due", "--within=8w"]]
FORMATS = [[], ["-f", "table"], ["--format", "md"], ["--format=csv"], ["-f", "json"]]


# A tree the snapshot serves, and trees with targets that need the object model (the city: the
# demo's extensions and tasks/' per-entity targets; rare shapes): the router serves those over the
# object model (`objects.view`), as the typer command does.
TREES = [["synthetic"], ["tasks", "examples/demo"], ["shapes"]]


@pytest.mark.parametrize("paths", TREES, ids=" ".join)
@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_every_combination_the_router_serves_is_the_typer_apps(
    trees: Path, monkeypatch: pytest.MonkeyPatch, view: list[str], paths: list[str]
) -> None:
    _warm(["synthetic"], monkeypatch)
    _run(["status", *paths], monkeypatch, {}, router=False)  # a snapshot, whatever it can serve
    assert snapshot.load(paths) is not None
    served = declined = 0
    for fmt in FORMATS:
        for lang in ([], ["--lang", "en"], ["--lang=zh"]):
            for fail_on in ([], ["--fail-on", "overdue"], ["--fail-on=behind"]):
                for as_of in (["--as-of", "2026-11-25"], ["--as-of=2025-06-30"], []):
                    argv = [*view, *paths, *fmt, *lang, *fail_on, *as_of]
                    if _same(argv, monkeypatch):
                        served += 1
                    else:
                        declined += 1
    # from the snapshot, or over the object model when it cannot represent the view (`overdue`
    # and `due` in JSON; the city's and the shapes' targets that need the objects)
    assert (served, declined) == (5 * 3 * 3 * 3, 0)


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["overdue"], {"ZJTRACK_ROOT": "synthetic"}),
        (["--root", "synthetic", "status", "-f", "md"], {}),
        (["--root=synthetic/", "due", "--within", "3m"], {}),
        (["overdue", "synthetic/", "--lang", "en"], {}),
        (["status", "--as-of", "2026-11-25", "synthetic"], {"ZJTRACK_LANG": "en"}),
        (["overdue", "synthetic"], {"ZJTRACK_AS_OF": "2026-03-31"}),
        (["overdue", "synthetic", "--as-of", "2027-01-01"], {"ZJTRACK_AS_OF": "2026-03-31"}),
        (["status", "synthetic", "--width", "80"], {}),
        (["overdue", "synthetic", "--width=200", "--lang", "en"], {}),
        (["due", "synthetic", "--width", "40", "--within", "3m"], {}),
        (["status", "synthetic", "--fail-on", "behind", "-f", "json"], {}),
        (["status", "synthetic", "--debug"], {}),  # `run` takes --debug out for both
        # over the object model (the snapshot cannot represent these trees' views)
        (["status", "tasks"], {}),
        (["overdue", "tasks", "examples/demo"], {}),
        (["due", "shapes", "--within", "3m"], {}),
        (["status", "tasks", "examples/demo", "--width", "120", "--fail-on", "behind"], {}),
        (["overdue", "tasks/", "examples/demo", "-f", "json"], {"ZJTRACK_LANG": "en"}),
        (["--root", "tasks", "status"], {}),
        (["status"], {"ZJTRACK_ROOT": "tasks/"}),
        # a repository that is a file: refused (exit 2) once the snapshot of the paths declines
        (["--root", "tasks/units.yaml", "status", "tasks"], {}),
        (["overdue", "tasks"], {"ZJTRACK_ROOT": "tasks/units.yaml", "ZJTRACK_LANG": "en"}),
    ],
    ids=lambda x: " ".join(x) if isinstance(x, list) else ",".join(x) or "-",
)
def test_roots_environment_and_widths_the_router_serves(
    trees: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str]
) -> None:
    _warm(["synthetic"], monkeypatch)
    for paths in (["tasks"], ["tasks", "examples/demo"], ["shapes"]):  # snapshots that need objects
        _run(["status", *paths], monkeypatch, {}, router=False)
        assert snapshot.load(paths) is not None
    assert _same(argv, monkeypatch, env)


DECLINED = [
    ["status", "synthetic", "--help"],
    ["overdue", "-h"],
    ["status", "synthetic", "--doc", "synthetic-0001"],
    ["overdue", "synthetic", "--unit", "合成市第1局"],
    ["status", "synthetic", "--status", "overdue"],
    ["status", "synthetic", "--level", "red"],
    ["overdue", "synthetic", "--as-of", "2026-13-01"],
    ["overdue", "synthetic", "--as-of", "someday"],
    ["overdue", "synthetic", "--as-of="],
    ["overdue", "synthetic", "--as-of"],
    ["status", "synthetic", "--width", "39"],
    ["status", "synthetic", "--width", "wide"],
    ["status", "synthetic", "--width", "+80"],
    ["status", "synthetic", "-fjson"],
    ["status", "synthetic", "-f=json"],
    ["status", "synthetic", "--format", "JSON"],
    ["status", "synthetic", "--format", "xlsx"],
    ["status", "synthetic", "--lang", "fr"],
    ["status", "synthetic", "--fail-on", "late"],
    ["status", "synthetic", "--lang", "en", "--lang", "zh"],
    ["overdue", "synthetic", "--within", "3m"],
    ["due", "synthetic", "--within", "3x"],
    ["due", "synthetic", "--within", "-3m"],
    ["status", "synthetic", "--bogus"],
    ["status", "--", "synthetic"],
    ["status", "-"],
    ["status", ""],
    ["status", "nowhere"],
    ["--root", "synthetic"],
    ["--root", "--", "status"],
    ["--rooty", "synthetic", "status"],
    ["--version", "status"],
    ["statu", "synthetic"],
    ["targets", "synthetic"],
    ["status", "tasks", "--unit", "海东市教育局"],
    ["overdue", "tasks", "examples/demo", "--doc", "demo"],
    ["status", "tasks", "nowhere"],
]


@pytest.mark.parametrize("argv", DECLINED, ids=" ".join)
def test_what_the_router_declines_is_the_typer_apps(
    trees: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    _warm(["synthetic"], monkeypatch)
    for paths in (["tasks"], ["tasks", "examples/demo"]):  # snapshots that need objects
        _run(["status", *paths], monkeypatch, {}, router=False)
        assert snapshot.load(paths) is not None
    assert not _same(argv, monkeypatch)


@pytest.mark.parametrize(
    "env",
    [{"ZJTRACK_LANG": "fr"}, {"ZJTRACK_AS_OF": "soon"}, {"ZJTRACK_TODAY": "2026-02-30"}],
    ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()),
)
def test_what_the_environment_makes_typer_refuse_is_declined(
    trees: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    _warm(["synthetic"], monkeypatch)
    assert not _same(["overdue", "synthetic"], monkeypatch, env)


def test_a_tree_without_a_snapshot_is_declined_and_gets_one(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert snapshot.load(["synthetic"]) is None
    assert not _same(["overdue", "synthetic"], monkeypatch)  # the typer path makes it
    assert snapshot.load(["synthetic"]) is not None
    assert _same(["overdue", "synthetic"], monkeypatch)


def test_the_router_never_imports_typer_and_says_what_typer_says_in_a_real_process(
    trees: Path,
) -> None:
    """As the console runs it: the view served without typer or click in the process, and the
    same bytes and exit code as the typer path (stdout a pipe)."""
    script = (
        "import sys\n"
        "from zjtrack.cli import run\n"
        "try:\n"
        "    run(sys.argv[1:])\n"
        "except SystemExit as e:\n"
        "    sys.stdout.flush()\n"
        "    sys.stderr.write(f'EXIT {e.code} ' + ('TYPER' if 'typer' in sys.modules else 'NO-TYPER'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["ZJTRACK_TODAY"] = "2026-11-25"
    argv = ["overdue", "synthetic", "--fail-on", "overdue"]
    time.sleep(2.1)  # past a real process's racy margin (2 s; `identity_trees` set it 0 in here)
    made = subprocess.run([sys.executable, "-m", "zjtrack", *argv], env=env, check=False)
    assert made.returncode == 1

    def once(router: bool) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-c", script, *argv],
            env={**env, "ZJTRACK_NO_ROUTER": "0" if router else "1"},
            capture_output=True,
            check=False,
        )

    fast, slow = once(True), once(False)
    assert fast.stderr.endswith(b"EXIT 1 NO-TYPER"), fast.stderr
    assert slow.stderr.endswith(b"EXIT 1 TYPER"), slow.stderr
    assert fast.stdout == slow.stdout and fast.stdout.count(b"\n") > 10


CITY = ["tasks", "examples/demo"]


# a real process that runs the console's words, then lists the typer and click modules it loaded
_RUN_AND_LIST_UI = (
    "import sys\n"
    "from zjtrack.cli import run\n"
    "try:\n"
    "    run(sys.argv[1:])\n"
    "    code = 0\n"
    "except SystemExit as e:\n"
    "    code = e.code\n"
    "sys.stdout.flush()\n"
    "ui = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click'))\n"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["status", *CITY],
        ["overdue", *CITY, "--fail-on", "overdue"],
        ["due", *CITY, "--within", "3m", "--lang", "en"],
        ["status", *CITY, "-f", "json"],
        ["status", *CITY, "-f", "md", "--as-of", "2026-06-30"],
    ],
    ids=" ".join,
)
def test_the_city_is_served_over_the_object_model_without_typer_in_a_real_process(
    trees: Path, argv: list[str]
) -> None:
    """The city (tasks/ and the demo: targets the snapshot cannot represent) as the console runs
    it: served by the router over the object model, with neither typer nor click in the process,
    and the typer path's bytes and exit code (stdout a pipe)."""
    script = (
        _RUN_AND_LIST_UI + "objects = 'zjtrack.load.loader' in sys.modules\n"
        "sys.stderr.write(f'\\nEXIT {code} {ui} {objects}')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["ZJTRACK_TODAY"] = "2026-11-25"
    time.sleep(2.1)  # past a real process's racy margin (2 s; `identity_trees` set it 0 in here)
    subprocess.run([sys.executable, "-m", "zjtrack", "status", *CITY], env=env, capture_output=True)
    assert snapshot.load(CITY) is not None and snapshot.load(CITY).fallback  # type: ignore[union-attr]

    def once(router: bool) -> tuple[bytes, bytes, str]:
        done = subprocess.run(
            [sys.executable, "-c", script, *argv],
            env={**env, "ZJTRACK_NO_ROUTER": "0" if router else "1"},
            capture_output=True,
            check=False,
        )
        err, _, tail = done.stderr.decode("utf-8").rpartition("\nEXIT ")
        return done.stdout, err.encode("utf-8"), tail

    fast, slow = once(True), once(False)
    code = "1" if "--fail-on" in argv else "0"
    assert fast[2] == f"{code} [] True", fast[1]
    assert slow[2].startswith(f"{code} ['typer'") and slow[2].endswith("True")
    assert fast[:2] == slow[:2] and fast[0].count(b"\n") > 5


@pytest.mark.parametrize("paths", [*TREES, ["broken"], ["nowhere"]], ids=" ".join)
def test_every_check_the_router_serves_is_the_typer_apps(
    trees: Path, monkeypatch: pytest.MonkeyPatch, paths: list[str]
) -> None:
    """`check` is served by the router (`checking.check`, the typer command's own function) in
    every combination of its options, with the typer app's bytes and exit code: over clean
    trees, a tree with errors (exit 1) and a path that cannot be read (exit 2)."""
    import shutil

    shutil.copytree("synthetic", "broken")
    progress = sorted(Path("broken").rglob("*.yaml"))[-1]
    progress.write_text(progress.read_text("utf-8") + "\n---\ntarget: no-such\nvalue: 1\n", "utf-8")
    codes = set()
    for strict in ([], ["--strict"]):
        for fmt in ([], ["-f", "text"], ["--format=json"], ["--format", "github"]):
            for lang in ([], ["--lang", "en"]):
                for as_of in ([], ["--as-of=2025-06-30"]):
                    argv = ["check", *paths, *strict, *fmt, *lang, *as_of]
                    assert _same(argv, monkeypatch), argv
                    codes.add(_run(argv, monkeypatch, {}, router=True)[2])
    if paths in (["broken"], ["nowhere"]):
        assert codes == ({1} if paths == ["broken"] else {2})
    else:
        assert 0 in codes and codes <= {0, 1}  # warnings fail only with --strict


def test_typed_paths_are_what_pathlib_makes_of_them() -> None:
    """The router names paths as typer hands them to a command (`str(Path(p))`), without
    importing pathlib: every string of up to 7 of `/`, `.`, `a` and `b`."""
    from itertools import product

    from zjtrack.cli.fast import typed_path

    for size in range(8):
        for chars in product("/.ab", repeat=size):
            path = "".join(chars)
            assert typed_path(path) == str(Path(path)), path


def test_a_tree_with_errors_gets_no_snapshot_and_every_view_says_so(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot's views write no incomplete notice: they rely on a tree with errors never
    having a snapshot, so the object model serves it, with the notice, and exits 1 (a doubtful
    tree, every file read but `check` finding errors: tests/test_doubtful.py)."""
    import shutil

    shutil.copytree("synthetic", "bad")
    progress = sorted(p for p in Path("bad").rglob("*.yaml") if "progress" in p.parts)[-1]
    progress.write_text(progress.read_text("utf-8") + "\n---\ntarget: [unclosed\n", "utf-8")
    views = (["status", "bad"], ["overdue", "bad"], ["due", "bad"], ["status", "-f", "json", "bad"])
    for argv in views:
        for _ in range(2):  # the second run would read a snapshot the first had made
            out, err, code, _typer = _run(argv, monkeypatch, {}, router=True)
            assert code == 1, argv
            assert err.decode("utf-8").startswith("结果不完整"), argv
            if "json" in argv:
                assert json.loads(out)["incomplete"].startswith("结果不完整")
            else:
                assert out.decode("utf-8").startswith("结果不完整"), argv
        assert snapshot.load(["bad"]) is None


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--root", "tasks", "check"], {}),
        (["check"], {"ZJTRACK_ROOT": "examples/demo", "ZJTRACK_LANG": "en"}),
        (["check", "tasks"], {"GITHUB_ACTIONS": "true"}),
        (["--root", "tasks/units.yaml", "check", "tasks"], {}),
    ],
    ids=lambda x: " ".join(x) if isinstance(x, list) else ",".join(x) or "-",
)
def test_checks_roots_and_environment_the_router_serves(
    trees: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str]
) -> None:
    assert _same(argv, monkeypatch, env)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "tasks", "--strict", "--strict"],
        ["check", "tasks", "--strict=1"],
        ["check", "tasks", "-f", "xml"],
        ["check", "tasks", "--fail-on", "overdue"],
        ["check", "tasks", "--width", "80"],
        ["check", "tasks", "--as-of", "2026-02-30"],
        ["check", "-h"],
    ],
    ids=" ".join,
)
def test_what_the_router_declines_of_check_is_the_typer_apps(
    trees: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    assert not _same(argv, monkeypatch)


def _routed_in_a_real_process(argv: list[str], env: dict[str, str]) -> bytes:
    """Run `argv` as the console does, in a real process with the router and one without: the
    first loads no typer or click module, the second does, both exit 0 and write the same
    stdout and stderr. Returns the stdout."""
    script = _RUN_AND_LIST_UI + "sys.stderr.write(f'\\nEXIT {code} {ui}')\n"
    done = [
        subprocess.run(
            [sys.executable, "-c", script, *argv],
            env={**env, "ZJTRACK_NO_ROUTER": router},
            capture_output=True,
            check=False,
        )
        for router in ("0", "1")
    ]
    fast, slow = (d.stderr.decode("utf-8").rpartition("\nEXIT ") for d in done)
    assert fast[2] == "0 []" and slow[2].startswith("0 ['typer'")
    assert (done[0].stdout, fast[0]) == (done[1].stdout, slow[0])
    return done[0].stdout


def test_the_city_check_runs_without_typer_in_a_real_process(trees: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    assert b'"problems"' in _routed_in_a_real_process(["check", *CITY, "-f", "json"], env)


# --- report weekly ---------------------------------------------------------------------------------


def _warm_weekly(paths: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the snapshot of `paths` and the weekly report's side file of it (`WeekParts`): the
    first report makes the snapshot, the second the side file."""
    from zjtrack.report.columns import load_week_parts

    for _ in range(2):
        _run(["report", "weekly", *paths], monkeypatch, {}, router=False)
    snap = snapshot.load(paths)
    assert snap is not None and load_week_parts(paths, snap) is not None


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["report", "weekly", "synthetic"], {}),
        (["report", "weekly", "synthetic", "-f", "html"], {}),
        (["report", "weekly", "synthetic", "--format=md", "--lang", "en"], {}),
        (["report", "weekly", "synthetic", "--week", "2026-W47"], {}),
        (["report", "weekly", "--week=2025-W10", "synthetic", "--as-of", "2026-12-31"], {}),
        (["report", "weekly", "synthetic", "-f", "html"], {"ZJTRACK_LANG": "en"}),
        (["report", "weekly", "synthetic"], {"ZJTRACK_AS_OF": "2026-11-29"}),
        (["--root", "synthetic", "report", "weekly"], {}),
        (["report", "weekly"], {"ZJTRACK_ROOT": "synthetic"}),
        (["report", "weekly", "synthetic", "--force"], {}),  # no -o: nothing to force
    ],
    ids=lambda x: (
        " ".join(x) if isinstance(x, list) else ",".join(f"{k}={v}" for k, v in x.items())
    ),
)
def test_every_weekly_report_the_router_serves_is_the_typer_apps(
    trees: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str]
) -> None:
    """A whole tree's weekly report to stdout in md or html, made over the snapshot and its side
    file alone: the typer command's bytes and exit code, without typer."""
    _warm_weekly(["synthetic"], monkeypatch)
    assert _same(argv, monkeypatch, env)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "weekly", "synthetic", "-f", "docx"],  # binary to stdout
        ["report", "weekly", "synthetic", "-o", "-"],
        ["report", "weekly", "synthetic", "-o", "a.md", "--output", "b.md"],
        ["report", "weekly", "synthetic", "-o", "out.md", "--force", "--force"],
        ["report", "weekly", "synthetic", "-o", "out.md", "--force=1"],
        ["report", "weekly", "synthetic", "-f", "md", "-o", "out.docx"],  # they disagree
        ["report", "weekly", "synthetic", "-o", "out.csv"],  # a format weekly does not make
        ["report", "weekly", "synthetic", "--doc", "x"],
        ["report", "weekly", "synthetic", "--unit", "x"],
        ["report", "weekly", "synthetic", "--week", "2026-W99"],
        ["report", "weekly", "synthetic", "--week", "2027-W10"],  # not begun by today
        ["report", "weekly", "synthetic", "--as-of", "2026-02-30"],
        ["report", "weekly", "synthetic", "--lang", "fr"],
        ["report", "weekly", "-h"],
        ["report", "ledger", "synthetic"],
        ["report", "weekly", *CITY],  # targets the columns leave to the objects: no side file
    ],
    ids=" ".join,
)
def test_what_the_router_declines_of_the_weekly_report_is_the_typer_apps(
    trees: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    _warm_weekly(["synthetic"], monkeypatch)
    for _ in range(2):
        _run(["report", "weekly", *CITY], monkeypatch, {}, router=False)
    assert snapshot.load(CITY) is not None  # the city has a snapshot, and no side file of it
    assert not _same(argv, monkeypatch)


def _to_file(
    argv: list[str], out: Path, monkeypatch: pytest.MonkeyPatch, router: bool
) -> tuple[bytes, bytes, int, bool, bytes | None]:
    """`_run` of `argv`, which writes `out` (its bytes, None when it wrote none); `out` is put
    back as it was before."""
    before = out.read_bytes() if out.exists() else None
    ran = _run(argv, monkeypatch, {}, router=router)
    written = out.read_bytes() if out.exists() else None
    if before is None:
        out.unlink(missing_ok=True)
    else:
        out.write_bytes(before)
    return (*ran, written)


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["report", "weekly", "synthetic", "-o", "out.md"], "out.md"),
        (["report", "weekly", "synthetic", "-f", "html", "--output=out.html"], "out.html"),
        (["report", "weekly", "synthetic", "-f", "docx", "-o", "o.docx", "--lang", "en"], "o.docx"),
        (["report", "weekly", "-o", "o.xlsx", "synthetic", "--format=xlsx", "--force"], "o.xlsx"),
        (["report", "weekly", "synthetic", "-o", "o.docx"], "o.docx"),  # the suffix says docx
        (
            ["report", "weekly", "synthetic", "-o", "./sub/../out.md", "--week", "2026-W47"],
            "out.md",
        ),
    ],
    ids=lambda x: " ".join(x) if isinstance(x, list) else x,
)
def test_every_weekly_report_to_a_file_the_router_serves_is_the_typer_apps(
    trees: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], name: str
) -> None:
    """`-o FILE` in any format: the same file, the same message on stderr (the path as typer
    prints it) and exit code as the typer command's, without typer."""
    _warm_weekly(["synthetic"], monkeypatch)
    (trees / "sub").mkdir()
    out = trees / name
    fast = _to_file(argv, out, monkeypatch, router=True)
    slow = _to_file(argv, out, monkeypatch, router=False)
    assert not fast[3] and slow[3]  # the router served it; typer made the other
    assert fast[4] is not None and len(fast[4]) > 1000
    assert fast[:3] + fast[4:] == slow[:3] + slow[4:]
    said = "written: " if "en" in argv else "已生成："
    assert fast[:3] == (
        b"",
        f"{said}{Path(argv[argv.index('-o') + 1]) if '-o' in argv else name}\n".encode(),
        0,
    )


@pytest.mark.parametrize(
    "case",
    [
        "foreign",
        "foreign --force",
        "zjtrack's",
        "directory",
        "yaml",
        "missing folder",
        "link",
        "input",
    ],
)
def test_weekly_report_destinations_the_router_refuses_or_replaces_as_typer_does(
    trees: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """A destination typer refuses (exit 2, nothing written) is declined by the router, which
    then leaves it to typer's message; one it may replace (a file zjtrack wrote; another file
    with --force) is replaced by the router as by typer."""
    out = trees / "out.md"
    argv = ["report", "weekly", "synthetic", "-o", "out.md"]
    if case == "input":  # a hard link to a file of the tree, made before its snapshot
        os.link(next((trees / "synthetic").glob("*.yaml")), out)
        argv.append("--force")
    _warm_weekly(["synthetic"], monkeypatch)
    if case.startswith("foreign"):
        out.write_text("我的笔记\n", encoding="utf-8")
        argv += case.split()[1:]
    elif case == "zjtrack's":
        _run(argv, monkeypatch, {}, router=False)
        out.write_bytes(out.read_bytes().replace("合成".encode(), "旧的".encode()))
    elif case == "directory":
        out.mkdir()
    elif case == "yaml":
        out = trees / "notes.yaml"
        out.write_text("a: 1\n", encoding="utf-8")
        argv[-1] = "notes.yaml"
        argv.append("--force")
    elif case == "missing folder":
        out = trees / "nowhere" / "out.md"
        argv[-1] = "nowhere/out.md"
    elif case == "link":
        (trees / "elsewhere.md").write_text("x\n", encoding="utf-8")
        out.symlink_to(trees / "elsewhere.md")
    replaced = case in ("foreign --force", "zjtrack's")
    before = out.read_bytes() if out.is_file() and not out.is_symlink() else None
    fast = _to_file(argv, out, monkeypatch, router=True) if out.is_file() else None
    if fast is None:
        fast = (*_run(argv, monkeypatch, {}, router=True), None)
    slow = _run(argv, monkeypatch, {}, router=False)
    assert fast[:3] == slow[:3]
    assert fast[3] is not replaced  # served by the router only where it writes
    if replaced:
        assert fast[4] is not None and fast[4] != before and b"<!-- zjtrack -->" in fast[4]
        assert fast[2] == 0
    else:
        assert fast[2] == 2 and fast[1]  # refused, saying why
        assert (out.read_bytes() if out.is_file() and not out.is_symlink() else None) == before


def test_the_weekly_report_runs_without_typer_in_a_real_process(trees: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["ZJTRACK_AS_OF"] = "2026-11-25"
    time.sleep(2.1)  # past a real process's racy margin (2 s; `identity_trees` set it 0 in here)
    for _ in range(2):  # the snapshot, then the side file
        made = subprocess.run(
            [sys.executable, "-m", "zjtrack", "report", "weekly", "synthetic"], env=env, check=False
        )
        assert made.returncode == 0
    html = _routed_in_a_real_process(["report", "weekly", "synthetic", "-f", "html"], env)
    assert html.count(b"<tr>") > 100
    # to a file: the second run (without the router) replaces the first's, a file zjtrack wrote
    for fmt in ("docx", "xlsx"):
        argv = ["report", "weekly", "synthetic", "-f", fmt, "-o", f"week.{fmt}"]
        assert _routed_in_a_real_process(argv, env) == b""
        with zipfile.ZipFile(trees / f"week.{fmt}") as z:
            assert z.testzip() is None and len(z.namelist()) > 5
