"""What the commands' output and the views share without typer: writing to stdout and stderr
(the pager), the as-of date, the incomplete-output notice. The views' fast path
(`cli/fast.py`) runs on these alone; `common` re-exports them for the commands.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO, Optional

from ..problems import UserError

if TYPE_CHECKING:
    from pathlib import Path

    from ..report import Report

# Set to a list by the console entry point, which ends the process with os._exit: loaded trees
# are kept here so that they are never freed one object at a time (in-process callers leave it).
KEEP_ALIVE: list[object] | None = None


def echo(text: str, err: bool = False) -> None:
    """Text on stdout (a failure to write it fails the command: the result is lost), or a message
    on stderr (best effort: a message that cannot be shown must not turn a record that was
    written into a failure, which a retry would then write twice)."""
    if not err:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text)
        sys.stderr.flush()


def echo_json(chunks: Iterable[str]) -> None:
    """JSON on stdout; on a terminal with invisible and bidi characters escaped (render.json)."""
    if sys.stdout.isatty():
        from ..render.json import for_terminal

        chunks = (for_terminal(c) for c in chunks)
    for chunk in chunks:
        sys.stdout.write(chunk)
    sys.stdout.flush()


def print_view(text: str) -> None:
    """A view on stdout. On a terminal, a view taller than the screen goes through a pager, as
    git does: `less -FRSX` (LESS, if set, wins), or ZJTRACK_PAGER / PAGER; `cat` or an empty
    value turns it off. `-S` keeps each row on one line (a long plain table is wider than most
    terminals; → scrolls it sideways) where wrapping would break every row in two. Pipes and
    files always get the text as it is."""
    if not sys.stdout.isatty() or not _page(text):
        echo(text)


def print_view_bytes(data: bytes) -> None:
    """`print_view` of a view laid out as UTF-8 bytes: to a pipe or a file that takes UTF-8, as
    they are (a province's table is never decoded to be encoded again); else as its text."""
    out = utf8_stdout()
    if out is None:
        print_view(data.decode("utf-8", "surrogateescape"))
        return
    out.write(data)
    out.flush()


def utf8_stdout() -> BinaryIO | None:
    """Standard output's bytes, flushed, when UTF-8 written to them is what writing its text
    would give (not a terminal, which gets its text through `print_view` or `for_terminal`);
    else None."""
    encoding = (sys.stdout.encoding or "").lower().replace("_", "-")
    if sys.stdout.isatty() or encoding not in ("utf-8", "utf8"):
        return None
    sys.stdout.flush()
    return sys.stdout.buffer


def _page(text: str) -> bool:
    """Show `text` in the pager; False when there is none to use or the text fits the screen."""
    import shlex
    import shutil
    import signal
    import subprocess

    command = os.environ.get("ZJTRACK_PAGER", os.environ.get("PAGER", "less"))
    try:
        words = shlex.split(command)
    except ValueError:  # unbalanced quotes: no pager rather than a crash
        return False
    if not words or words[0] == "cat" or shutil.which(words[0]) is None:
        return False
    if text.count("\n") < shutil.get_terminal_size().lines - 1:
        return False
    env = {"LESS": "FRSX", "LV": "-c", **os.environ}
    sys.stdout.flush()
    try:
        proc = subprocess.Popen(words, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's, as in git
    try:
        assert proc.stdin is not None
        try:
            proc.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
            proc.stdin.close()
        except OSError:  # the reader quit before the end
            pass
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True


def today() -> dt.date:
    """Today's date: the only place the clock is read. ZJTRACK_TODAY (YYYY-MM-DD) stands in for
    the clock in demos and tests; unlike --as-of and ZJTRACK_AS_OF, which choose the date things
    are judged as of, it is also the day `record` writes as a record's recorded_at."""
    fixed = os.environ.get("ZJTRACK_TODAY")
    if fixed:
        from ..dates import parse_iso

        with about("ZJTRACK_TODAY"):
            return parse_iso(fixed)
    return dt.date.today()


def as_of_date(value: Optional[str], lang: str = "zh") -> dt.date:
    """The as-of date: the option, ZJTRACK_AS_OF, or today.
    A bad date raises UserError about --as-of. (`lang` is no longer used: `edge` picks the
    language; kept so that callers need not change.)"""
    if not value:
        return today()
    from ..dates import parse_iso

    with about("--as-of"):
        return parse_iso(value)


@contextmanager
def about(option: str) -> Iterator[None]:
    """A UserError raised inside concerns this command-line option (unless it names one already):
    `edge` then shows it as typer shows a bad parameter."""
    try:
        yield
    except UserError as e:
        if e.option is None:
            e.option = option
        raise


# Set by warn_if_problems to its notice when the files a command read have errors: the command
# ends with exit 1 once its output is written (a context variable: in-process runs never leak into each other).
INCOMPLETE: contextvars.ContextVar[str | None] = contextvars.ContextVar("incomplete", default=None)
# The files the command's `load` read, as (device, inode): `-o` never writes over one of them,
# whatever its name and whatever --force says.
INPUTS: contextvars.ContextVar[frozenset[tuple[int, int]]] = contextvars.ContextVar(
    "inputs", default=frozenset()
)


def degrade_encoding() -> None:
    """A stdout or stderr that cannot hold every character (GBK, latin-1, ascii: a redirect on
    Chinese Windows, PYTHONIOENCODING) degrades instead of failing: what the encoding lacks is
    written as `?` on stdout and as a backslash escape in messages."""
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        if encoding in ("utf-8", "utf8", "utf-8-sig"):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors=errors)


# What a report file's name says it holds (`-o weekly.xlsx`): `report_format` reads it.
_SUFFIX_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".csv": "csv",
}


def report_format(
    given: Optional[str], output: Optional[str], formats: Iterable[str], default: str
) -> str:
    """The format a report command writes: `--format` when given, else what the `-o` file's
    suffix names (`weekly.docx`), else `default`. A UserError about `--format` when the two
    disagree (`-f md -o weekly.xlsx` would write Markdown into a file Excel refuses), or when
    the suffix names a format this command does not make; a suffix that names no format
    (`-o weekly.txt`, `-o -`) leaves the choice to `--format` and `default`."""
    named = None
    if output is not None and output != "-":
        suffix = os.path.splitext(output)[1].lower()
        named = _SUFFIX_FORMATS.get(suffix)
    allowed = tuple(formats)
    if named is not None and given is not None and named != given:
        raise UserError(
            f"输出文件 {output} 的扩展名是 {named}，与 --format {given} 不符；"
            f"改用 --format {named}，或把文件名改为 .{given}。",
            f"the output file {output} is named as {named} but --format is {given}; "
            f"use --format {named}, or name the file .{given}.",
            option="--format",
        )
    if named is not None and named not in allowed:
        raise UserError(
            f"输出文件 {output} 的扩展名是 {named}，本命令只能输出 {', '.join(allowed)}；"
            f"请改用其中一种扩展名。",
            f"the output file {output} is named as {named}, which this command does not make "
            f"(it makes {', '.join(allowed)}); name it as one of those.",
            option="--output",
        )
    return given or named or default


def written(path: Path, lang: str) -> str:
    """What a command says on stderr when it has written an output file (`-o`)."""
    return f"已生成：{path}\n" if lang == "zh" else f"written: {path}\n"


def output_failed(e: OSError, lang: str) -> None:
    """Say that the output could not be written (a full disk, a closed stdout): what is left of
    it is dropped. The command then ends with exit 2 (`ExitCode.USAGE`)."""
    reason = e.strerror or str(e)
    with contextlib.suppress(OSError, ValueError):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - what is left is dropped
    echo(
        f"无法写出结果：{reason}（输出不完整）\n"
        if lang == "zh"
        else f"cannot write the output: {reason} (output incomplete)\n",
        err=True,
    )


def render_reports(reports: list[Report], fmt: str) -> bytes:
    """Reports in `fmt` (md, html, docx, xlsx), with the one renderer the format needs
    (python-docx and XlsxWriter load only here). Over files with errors, the incomplete notice
    is said on the first lines of every report."""
    notice = INCOMPLETE.get()
    if notice:
        label = "注意" if reports and reports[0].lang == "zh" else "Note"
        reports = [r._replace(meta=((label, notice), *r.meta)) for r in reports]
    if fmt == "md":
        from ..render import markdown

        return markdown.render_reports(reports).encode("utf-8")
    if fmt == "html":
        from ..render import html

        return html.render(reports).encode("utf-8")
    if fmt == "docx":
        from ..render import docx

        return docx.render(reports)
    from ..render import xlsx

    return xlsx.render(reports)
