"""The views `status`, `overdue` and `due` over the tree's columnar snapshot, without typer.

`snapshot_view` is the one way both paths serve a view from the snapshot: the typer command
(`cli/views.py`), and `route`, which `cli.run` calls first: for a plain `status`, `overdue` or
`due` it reads the words itself (the options it knows, in the forms it knows) and serves the view
from the snapshot without importing typer or click (about a third of a view's start-up), or, when
the snapshot cannot represent the view (a target needs the object model), over the object model
with the very function the typer command runs (`objects.view`). Anything else it declines
(returns None) before writing a byte, and the typer app runs the words as ever: an unknown or
repeated option, help, a bad value, a filter, a tree without a valid snapshot (the typer path
makes it). Output, stderr and exit codes are the typer path's (tests/test_fast.py runs both on
every combination the router accepts and declines).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple, Optional

from .base import (
    INCOMPLETE,
    INPUTS,
    about,
    as_of_date,
    echo,
    echo_json,
    print_view,
    print_view_bytes,
    utf8_stdout,
)

if TYPE_CHECKING:
    from pathlib import Path

    from ..evaluate import Status
    from ..load.snapshot import Snapshot
    from ..report import Report
    from ..report.weeks import Week
    from ..table import Table


class TableFormat(str, Enum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"


class FailOn(str, Enum):
    overdue = "overdue"
    behind = "behind"


def print_table(
    table: Table,
    fmt: TableFormat,
    lang: str,
    title: str | None = None,
    extra: dict[str, object] | None = None,
    width: int | None = None,
) -> None:
    """The table in the format asked for; over files with errors, marked incomplete at its top
    (JSON: an `incomplete` field; CSV stays a plain table, the exit code says it)."""
    notice = INCOMPLETE.get()
    if notice and fmt in (TableFormat.md, TableFormat.table):
        echo(f"> {notice}\n\n" if fmt is TableFormat.md else f"{notice}\n\n")
    if fmt is TableFormat.json:
        from ..render.json import iter_view

        if notice:
            extra = {**(extra or {}), "incomplete": notice}
        echo_json(iter_view(table, extra))
    elif fmt is TableFormat.csv:
        from ..render import csv

        sys.stdout.buffer.write(csv.render(table).encode("utf-8"))
        sys.stdout.flush()
    elif fmt is TableFormat.md:
        from ..render import markdown

        echo(markdown.render_view(table, lang))
    elif width is None and (not sys.stdout.isatty() or len(table.rows) > 500):
        from ..render.terminal import render_plain

        print_view(render_plain(table, lang))
    else:  # a terminal, or --width: laid out for that many columns (no colour in a pipe)
        from rich.console import Console

        from ..render.terminal import render_rich

        console = Console(width=width) if width else Console()
        with console.capture() as captured:
            console.print(render_rich(table, lang, title, console.width))
        print_view(captured.get())


class Written(NamedTuple):
    """A view written from the snapshot, and the exit code it ends with."""

    code: int


TITLES = {"status": "任务进展", "overdue": "逾期未完成", "due": "即将到期"}


def snapshot_view(
    kind: str,
    named: list[str],
    as_of: Optional[str],
    lang: str,
    fmt: TableFormat,
    width: int | None,
    fail_on: Optional[FailOn],
    days: Callable[[dt.date], int] | None,
) -> Written | bool:
    """`status`, `overdue` or `due` (no filter) over the snapshot of the tree `named`, if it can
    serve the view: then written (`Written`, with the exit code). Else nothing is written and the
    object model serves it: False, the tree has no valid snapshot (or the JSON view no side
    file, or a section of the snapshot's file met while the view was made did not verify:
    `snapshot.Damaged`): the caller makes them again; True, the snapshot cannot represent the
    view. The snapshot is read lazily (only the columns the view uses) and each view makes its
    whole output before writing a byte of it, so a damaged section is met before anything is
    written. A tree with errors (incomplete or doubtful) never has a snapshot, so no view written
    here carries the incomplete notice: the object model writes those."""
    from ..load import snapshot

    try:
        if fmt is TableFormat.json:
            return _json_from_snapshot(kind, named, as_of, lang, fail_on, days)
        if kind == "status" and fmt is TableFormat.table and width is None:
            from_cells = _plain_from_snapshot(named, as_of, lang, fail_on)
            if from_cells is not True:
                return from_cells
        snapped = _from_snapshot(kind, named, as_of, lang, days, fmt, width)
    except snapshot.Damaged:
        snapshot.forget()
        return False
    if isinstance(snapped, bool):
        return snapped
    table, statuses, when = snapped
    if table is not None:
        title = TITLES[kind] if lang == "zh" else kind
        extra: dict[str, object] = {"as_of": when.isoformat()}
        print_table(table, fmt, lang, f"{title} · {when.isoformat()}", extra, width)
    return Written(exit_code(statuses, fail_on))


def exit_code(statuses: list[Status], fail_on: Optional[FailOn]) -> int:
    """1 (`ExitCode.FINDINGS`) when `--fail-on` finds what it names among the statuses shown."""
    from ..evaluate import SUPERVISED, Status
    from ..problems import ExitCode

    if fail_on is None:
        return 0
    # behind: what needs supervision, as evaluate decides it (`needs_supervision`)
    wanted = {Status.OVERDUE} if fail_on is FailOn.overdue else SUPERVISED
    return int(ExitCode.FINDINGS) if any(s in wanted for s in statuses) else 0


def _from_snapshot(
    kind: str,
    named: list[str],
    as_of: Optional[str],
    lang: str,
    days: Callable[[dt.date], int] | None,
    fmt: TableFormat,
    width: int | None,
) -> tuple[Table | None, list[Status], dt.date] | bool:
    """`status`, `overdue` or `due` over the tree's columnar snapshot, when it has a valid one that can
    represent every target that may be shown (a table of None: already printed). Else the object model is used, and this says
    why: False, the tree has no valid snapshot (the caller makes it again); True, it has one
    that cannot represent this view (a target that may be shown needs the object model)."""
    from ..load import snapshot
    from ..views import snapshot_rows, snapshot_table, statuses_of

    snap = snapshot.load(named, lazy=True)
    if snap is None:
        return False
    when = as_of_date(as_of, lang)
    # a plain text table is laid out from the judged targets themselves (`due_cells`,
    # `overdue_text`)
    lazy = kind != "status" and fmt is TableFormat.table and width is None
    made = snapshot_table(kind, snap, when, lang, days(when) if days else None, not lazy)
    if made is None:
        return True
    table, shown = made
    if lazy and (not sys.stdout.isatty() or len(shown) > 500):
        from ..load.snapshot import Verdicts
        from ..render.terminal import due_cells, overdue_text, plain_lines, summary_line

        labels = [c.label for c in table.columns]
        summary = summary_line(table, lang)
        if isinstance(shown, Verdicts):  # `due`'s judged targets
            print_view(plain_lines(labels, due_cells(snap, shown, lang), summary))
        else:  # `overdue`'s, as columns (`snapshot.Overdue`)
            print_view(overdue_text(snap, shown, labels, summary, lang))
        return None, statuses_of(shown), when
    if lazy:
        table = table._replace(rows=snapshot_rows(snap, shown, when, lang))
    return table, statuses_of(shown), when


def _usable_snapshot(named: list[str]) -> tuple[list[str], Snapshot] | bool:
    """The tree's snapshot when its columns hold every target; else False (no valid snapshot:
    the caller makes it again) or True (a target needs the object model)."""
    from ..load import snapshot

    snap = snapshot.load(named, lazy=True)
    if snap is None:
        return False
    if snap.fallback:
        return True
    return named, snap


def _json_from_snapshot(
    kind: str,
    named: list[str],
    as_of: Optional[str],
    lang: str,
    fail_on: Optional[FailOn],
    days: Callable[[dt.date], int] | None,
) -> bool | Written:
    """`status`, `overdue` or `due` with `--format json`, written from the snapshot and its JSON
    side file (`Written`: done). Else the object model is used, and this says why: False, the
    tree has no valid snapshot, or `status` finds no JSON side file (the caller makes both
    again); True, a target needs the objects, or `overdue` or `due` finds no JSON side file
    (made by the next `status --format json`, not by them: it costs seconds at a province)."""
    from ..load import snapshot
    from ..render.json import ROWS_READ, iter_view, snapshot_rollups, snapshot_rows
    from ..views import snapshot_json_table, snapshot_status_json

    found = _usable_snapshot(named)
    if isinstance(found, bool):
        return found
    named, snap = found
    parts = snapshot.load_json(named, snap)
    if parts is None:
        return kind != "status"
    when = as_of_date(as_of, lang)
    rollups = None
    if kind == "status":
        status = snapshot_status_json(snap, when, lang)
        if status is None:
            return True
        table, shown, rolled = status
        rollups = snapshot_rollups(snap, rolled, lang)
    else:
        made = snapshot_json_table(kind, snap, when, lang, days(when) if days else None)
        if made is None:
            return True
        table, shown = made
    extra: dict[str, object] = {"as_of": when.isoformat()}
    # the rows are made while written: the columns they read are read (verified) before
    snap.load_columns(*ROWS_READ)
    rows = snapshot_rows(snap, parts, shown, lang)
    _echo_json_bytes(iter_view(table, extra, rows, rollups))
    return Written(exit_code(shown.status, fail_on))


def _plain_from_snapshot(
    named: list[str], as_of: Optional[str], lang: str, fail_on: Optional[FailOn]
) -> bool | Written:
    """The `status` table as plain text (a pipe, a file, or a long table on a terminal), laid out
    from the snapshot and its cells (`snapshot.Cells`, made and kept the first time). `Written`: done;
    False: no valid snapshot (the caller makes it again); True: another way (a terminal's short
    table, or a target that needs the object model)."""
    from ..load import snapshot
    from ..render.terminal import status_refreshed, status_static, status_text, summary_line
    from ..views import snapshot_status_plain

    found = _usable_snapshot(named)
    if isinstance(found, bool):
        return found
    named, snap = found
    if sys.stdout.isatty() and snap.n <= 500:
        return True
    when = as_of_date(as_of, lang)
    made = snapshot_status_plain(snap, when, lang)
    if made is None:
        return True
    table, shown = made
    labels = [c.label for c in table.columns]
    cells = snapshot.load_cells(named, snap, lang)
    if cells is None:
        cells = snapshot.Cells(status_static(snap, labels, lang), snap)
        snapshot.save_cells(named, snap, cells, lang)
    summary = summary_line(table, lang)
    text = status_text(snap, cells, table.rows, shown, labels, summary, lang)
    # made before a change in records: kept, with the changed cells made again (before a byte is
    # written, as everything that reads the snapshot: a damaged section is met here, not after)
    fresh = snapshot.Cells(status_refreshed(snap, cells, lang), snap) if cells.spliced else None
    print_view_bytes(text)
    if fresh is not None:
        snapshot.save_cells(named, snap, fresh, lang)
    return Written(exit_code(shown.status, fail_on))


def _echo_json_bytes(chunks: Iterable[str | bytes]) -> None:
    """`echo_json` of text and UTF-8 bytes: bytes go to stdout as they are when it takes UTF-8
    and is not a terminal (what `echo_json` would write for their text)."""
    out = utf8_stdout()
    if out is None:
        echo_json(c if isinstance(c, str) else c.decode("utf-8") for c in chunks)
        return
    for chunk in chunks:
        out.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    out.flush()


# --- the router ------------------------------------------------------------------------------------

# The options each view takes that the router reads (`--within`: `due` only); any other word that
# starts with a dash (`--doc`, `-h`, `--`, `-fjson`, `-`) sends the run to typer.
_OPTIONS = {
    "--as-of": "as_of",
    "--format": "fmt",
    "-f": "fmt",
    "--fail-on": "fail_on",
    "--width": "width",
    "--lang": "lang",
    "--within": "within",
}
_VIEWS = frozenset({"status", "overdue", "due"})


class Request(NamedTuple):
    """What a plain view run asks for, as the typer command would receive it."""

    kind: str
    root: str | None
    paths: list[str]
    as_of: Optional[str]
    fmt: TableFormat
    fail_on: Optional[FailOn]
    width: int | None
    lang: str
    within: str


def _root_words(argv: list[str]) -> tuple[str | None, int] | None:
    """`--root` before the command (its value, or None) and where the command's word is; None
    when the words are not ones the router reads."""
    i, root = 0, None
    while i < len(argv) and argv[i].startswith("--root"):
        if argv[i] == "--root" and i + 1 < len(argv):
            root, i = argv[i + 1], i + 2
        elif argv[i].startswith("--root="):
            root, i = argv[i][len("--root=") :], i + 1
        else:
            return None
        if not root or root.startswith("-"):
            return None
    return root, i


def _command(argv: list[str]) -> str | None:
    found = _root_words(argv)
    return None if found is None or found[1] >= len(argv) else argv[found[1]]


def parse(argv: list[str]) -> Request | None:
    """The request `argv` makes, if it is a plain `status`, `overdue` or `due` in forms the router
    reads exactly as typer does; None for anything else (typer then reads the words)."""
    found = _root_words(argv)
    if found is None:
        return None
    root, i = found
    if i >= len(argv) or argv[i] not in _VIEWS:
        return None
    kind = argv[i]
    read = _words(argv[i + 1 :], kind)
    return None if read is None else _request(kind, root, *read)


def _words(
    words: list[str],
    kind: str,
    options: dict[str, str] | None = None,
    flags: dict[str, str] | None = None,
) -> tuple[list[str], dict[str, str]] | None:
    """A view's words: its paths, and its options by key (`options`, else `_OPTIONS`), each
    given once with a value (`--name value` or `--name=value`, `-f value`), and its `flags`
    (given once, without a value: "1")."""
    given: dict[str, str] = {}
    paths: list[str] = []
    k = 0
    while k < len(words):
        word = words[k]
        k += 1
        if not word.startswith("-"):
            if not word:
                return None
            paths.append(word)
            continue
        if flags is not None and word in flags:
            if flags[word] in given:
                return None
            given[flags[word]] = "1"
            continue
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        key = (_OPTIONS if options is None else options).get(name)
        if key is None or key in given or (key == "within" and kind != "due"):
            return None
        if not equals:
            if k >= len(words):
                return None
            value, k = words[k], k + 1
        if not value or value.startswith("-"):
            return None
        given[key] = value
    return paths, given


def _request(
    kind: str, root: str | None, paths: list[str], given: dict[str, str]
) -> Request | None:
    """The request from the words read, with typer's environment variables and defaults; None
    when a value is one typer would refuse or read otherwise."""
    env = os.environ
    if root is None:
        root = env.get("ZJTRACK_ROOT") or None  # an empty variable is no value (click)
    lang = given.get("lang") or env.get("ZJTRACK_LANG") or "zh"
    as_of = given.get("as_of") or env.get("ZJTRACK_AS_OF") or None
    fmt = given.get("fmt", "table")
    fail_on = given.get("fail_on")
    width = given.get("width")
    if lang not in ("zh", "en") or fmt not in TableFormat.__members__:
        return None
    if fail_on is not None and fail_on not in FailOn.__members__:
        return None
    if width is not None and not (width.isascii() and width.isdigit() and int(width) >= 40):
        return None
    return Request(
        kind,
        typed_path(root) if root is not None else None,
        [typed_path(p) for p in paths],
        as_of,
        TableFormat(fmt),
        FailOn(fail_on) if fail_on is not None else None,
        int(width) if width is not None else None,
        lang,
        given.get("within", "30d"),
    )


def typed_path(path: str) -> str:
    """`path` as typer hands it to a command, `str(pathlib.Path(path))`, without importing
    `pathlib` (about 3 ms of every run) on POSIX: repeated slashes and `.` parts dropped, no
    trailing slash, and two leading slashes kept as two (POSIX leaves their meaning open)."""
    if os.name == "nt":
        from pathlib import Path

        return str(Path(path))
    rest = path.lstrip("/")
    lead = len(path) - len(rest)
    root = "//" if lead == 2 else "/" if lead else ""
    parts = [part for part in rest.split("/") if part and part != "."]
    return root + "/".join(parts) if root or parts else "."


def route(argv: list[str]) -> None:
    """Serve a plain view from the snapshot, or over the object model, without typer (see the
    module docstring): returns when it declines, having written nothing; else ends the run
    (SystemExit) as the typer path would, with its output, messages and exit code."""
    command = _command(argv)
    if command == "check":
        _route_check(argv)
        return
    if command == "report":
        _route_weekly(argv)
        return
    request = parse(argv)
    if request is None:
        return
    from ..problems import UserError
    from .base import degrade_encoding

    days: Callable[[dt.date], int] | None = None
    try:
        as_of_date(request.as_of)  # a date typer would refuse: declined, typer says why
        if request.kind == "due":
            from ..dates import parse_span, span_days

            span = parse_span(request.within)
            days = lambda when: span_days(span, when)  # noqa: E731 - as `due` makes it
    except (UserError, ValueError):  # DateError is a ValueError
        return
    degrade_encoding()
    INCOMPLETE.set(None)
    named = request.paths or [request.root or "tasks"]

    def serve() -> int | None:
        served = snapshot_view(
            request.kind,
            named,
            request.as_of,
            request.lang,
            request.fmt,
            request.width,
            request.fail_on,
            days,
        )
        if served is False:
            from ..load import snapshot

            snapshot.hand_over()  # the typer path reads what was read, and makes what is missing
            return None
        return served.code if served is not True else _over_objects(request, days)

    _end(serve, request.lang)


def _end(serve: Callable[[], int | None], lang: str) -> None:
    """Run a routed command: None, it declined (having written nothing) and this returns; else
    the run ends (SystemExit) as typer's would: its exit code, 130 on Ctrl-C quietly, 1 quietly
    when the reader left, 2 with a message when the output cannot be written."""
    from ..problems import ExitCode

    try:
        code = serve()
        if code is None:
            return
        sys.stdout.flush()
    except KeyboardInterrupt:
        raise SystemExit(130) from None  # typer's Exit(130), silently
    except OSError as e:
        from . import OUTPUT_FAILED

        if e.errno == 32:  # EPIPE: the reader left; typer's main exits 1, quietly
            raise SystemExit(1) from None
        if e.errno not in OUTPUT_FAILED:
            raise
        from .base import output_failed

        output_failed(e, lang)
        raise SystemExit(ExitCode.USAGE) from None
    raise SystemExit(code)


def _over_objects(request: Request, days: Callable[[dt.date], int] | None) -> int:
    """The view over the object model (the snapshot cannot represent it), as the typer command
    runs it (`objects.view`) and as `common.edge` ends it (`_edged`). The exit code."""
    from . import objects

    return _edged(
        request.lang,
        lambda: objects.view(
            request.kind,
            request.paths,
            request.root,
            request.as_of,
            request.lang,
            request.fmt,
            request.fail_on,
            request.width,
            days,
        ),
    )


def _edged(lang: str, command: Callable[[], int]) -> int:
    """`command`'s exit code as `common.edge` ends it: a refusal said on stderr with its exit
    code, and exit 1 for output marked incomplete."""
    from ..problems import UserError

    INPUTS.set(frozenset())
    try:
        code = command()
    except UserError as e:
        if e.option is not None:  # every option's value was read before: never here
            raise
        from ..text import inert

        echo(inert(e.message(lang)) + "\n", err=True)
        return e.exit_code
    return 1 if not code and INCOMPLETE.get() else code


def _route_check(argv: list[str]) -> None:
    """`check` in the forms the router reads (paths, `--strict` once, `--format`, `--as-of`,
    `--lang`), run as the typer command runs it (`checking.check`) and ended as `edge` ends it;
    returns, having written nothing, for anything else."""
    found = _root_words(argv)
    assert found is not None
    root, i = found
    words = argv[i + 1 :]
    strict = "--strict" in words
    if strict:
        words = [w for w in words if w != "--strict"]
        if len(words) != len(argv) - i - 2:  # given more than once
            return
    read = _words(words, "check")
    if read is None:
        return
    paths, given = read
    if given.keys() - {"fmt", "as_of", "lang"}:
        return
    from .checking import CheckFormat

    fmt = given.get("fmt")
    if fmt is not None and fmt not in CheckFormat.__members__:
        return
    request = _request("check", root, paths, {k: v for k, v in given.items() if k != "fmt"})
    if request is None:
        return
    from ..problems import UserError

    try:
        as_of_date(request.as_of)  # a date typer would refuse: declined, typer says why
    except (UserError, ValueError):
        return
    from . import checking
    from .base import degrade_encoding

    degrade_encoding()
    INCOMPLETE.set(None)
    _end(
        lambda: _edged(
            request.lang,
            lambda: checking.check(
                request.paths or None,
                request.root,
                strict,
                CheckFormat(fmt) if fmt is not None else None,
                request.as_of,
                request.lang,
            ),
        ),
        request.lang,
    )


# `report weekly`'s options the router reads: whole trees (no `--doc`, `--unit`), to stdout in
# the text formats (`_WEEKLY_FORMATS`), or to a file (`-o`, `--force`) in any of them
_WEEKLY_OPTIONS = {
    "--week": "week",
    "--as-of": "as_of",
    "--format": "fmt",
    "-f": "fmt",
    "--lang": "lang",
    "--output": "output",
    "-o": "output",
}
_WEEKLY_FLAGS = {"--force": "force"}
_WEEKLY_FORMATS = frozenset({"md", "html"})
_WEEKLY_FILE_FORMATS = ("md", "html", "docx", "xlsx")


def _route_weekly(argv: list[str]) -> None:
    """`report weekly` of a whole tree, made over its snapshot alone (`weekly_from_columns`)
    without typer, to stdout in md or html or to a file (`-o`) in any format, and written as the
    typer command writes it; returns, having written nothing, for anything else (other words, a
    value typer would refuse, a tree the columns cannot report on alone, a week not begun, a
    destination typer would refuse or cannot write): the typer command then runs, and says why."""
    found = _root_words(argv)
    assert found is not None
    root, i = found
    if argv[i + 1 : i + 2] != ["weekly"]:
        return
    read = _words(argv[i + 2 :], "weekly", _WEEKLY_OPTIONS, _WEEKLY_FLAGS)
    if read is None:
        return
    paths, given = read
    named_format = given.pop("fmt", None)
    week = given.pop("week", None)
    output = given.pop("output", None)
    force = given.pop("force", None) is not None
    request = _request("weekly", root, paths, given)
    if request is None:
        return
    from ..problems import UserError
    from ..report.weeks import parse_week
    from .base import report_format

    try:
        fmt = report_format(named_format, output, _WEEKLY_FILE_FORMATS, "md")
        if fmt not in (_WEEKLY_FORMATS if output is None else _WEEKLY_FILE_FORMATS):
            return
        today = as_of_date(request.as_of)  # a date typer would refuse: declined, typer says why
        chosen = parse_week(week) if week is not None else None
    except (UserError, ValueError):
        return
    from .base import degrade_encoding, render_reports

    degrade_encoding()
    INCOMPLETE.set(None)
    named = request.paths or [request.root or "tasks"]
    from pathlib import Path

    path = Path(output) if output is not None else None
    if path is not None and not _may_replace(path, force, frozenset()):
        return

    def serve() -> int | None:
        try:
            report = weekly_from_columns(named, chosen, request.lang, today)
        except UserError:  # a week not begun: the typer command says so
            return None
        if report is None:
            return None
        data = render_reports([report], fmt)
        if path is None:
            sys.stdout.buffer.write(data)
            return 0
        return 0 if _write_report(path, data, force, request.lang) else None

    _end(serve, request.lang)


def _may_replace(path: Path, force: bool, inputs: frozenset[tuple[int, int]]) -> bool:
    """Whether `-o path` may be written as `common.claim_output` decides it (else the typer
    command refuses it, with its message and exit code): no refusal (`store.outputs`), and not
    one of the files the command read (`inputs`: their device and inode)."""
    from ..store.outputs import refusal

    if refusal(path, force=force) is not None:
        return False
    try:
        st = os.lstat(path)
    except OSError:
        return True
    return (st.st_dev, st.st_ino) not in inputs


def _write_report(path: Path, data: bytes, force: bool, lang: str) -> bool:
    """Write a report to `path` in one step, as `common.write_output` does, and say so on
    stderr; False, having written nothing, where the typer command would refuse it or the
    write fails (the typer command then says why)."""
    from ..store.atomic import write_atomic
    from .base import written

    if not _may_replace(path, force, INPUTS.get()):
        return False
    try:
        write_atomic(path, data)
    except OSError:
        return False
    sys.stderr.write(written(path, lang))
    return True


def weekly_from_columns(
    named: list[str], chosen: Week | None, lang: str, today: dt.date
) -> Report | None:
    """The weekly report of the whole tree `named` (of the week `chosen`, else the one of
    `today`) over its snapshot and the side file the last report made of it
    (`columns.WeekParts`), without loading the plan; None when it has none (or a section of
    the snapshot did not verify): the object model's run makes it then, and the side file for
    the next."""
    from ..load import snapshot
    from ..report.columns import load_week_parts
    from ..report.weekly import column_weekly
    from ..report.weeks import reporting_week

    snap = snapshot.load(named, lazy=True)
    if snap is None:
        return None
    try:
        parts = load_week_parts(named, snap)
        if parts is None:
            snapshot.hand_over()  # the object model's run loads it again: the same
            return None
        with about("--week"):
            chosen = chosen or reporting_week(today, parts.heading.config.cutoff_weekday)
        report = column_weekly(snap, parts, chosen, lang, today)
        if report is None:
            snapshot.hand_over()
            return None
        INPUTS.set(snap.inputs)  # the tree's files: never this report's output (`claim_output`)
        return report
    except snapshot.Damaged:
        snapshot.forget()
        return None
