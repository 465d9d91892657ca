"""Task files -> model + problems. Never raises on bad data: every problem is a value with a place.

`load_paths` reads files and directory trees; each file is read by the spec tables in `spec.py`,
so an unknown key, a missing field or a mistyped value is reported with its line and column, and
everything else in the file is still read, so that one run reports all problems of all files.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Config, Document, History, Plan, ProgressRecord, Unit, merge_histories
from ..problems import Problem, problem
from .reader import FileContent

if TYPE_CHECKING:
    from .cache import FileCache

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadResult:
    plan: Plan
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def find_files(paths: list[str]) -> tuple[list[str], list[Problem]]:
    """Expand directories into their YAML files (sorted, hidden folders skipped)."""
    files: list[str] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [
                    os.path.join(root, n) for n in names if n.endswith(YAML_SUFFIXES)
                ]  # FIFOs too: reported
            files += sorted(found)
        elif p.is_file():
            files.append(str(p))
        else:
            reason = (
                "不存在 / no such file or directory" if not p.exists() else "不是文件 / not a file"
            )
            problems.append(problem("unreadable", str(p), reason=reason))
    return files, problems


def load_paths(paths: list[str], cache: FileCache | None = None) -> LoadResult:
    """Load every task file under `paths` into one plan (unchanged files from `cache`)."""
    import gc

    files, problems = find_files(paths)
    documents: list[Document] = []
    units: list[Unit] = []
    records: list[ProgressRecord] = []
    histories: list[History] = []
    config = Config()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building many small objects: the collector only adds superlinear cost
    try:
        for path in files:
            content = load_file(path, cache)
            problems += content.problems
            if content.document is not None:
                documents.append(content.document)
            units += content.units
            records += content.records
            if content.history:
                histories.append(content.history)
            if content.config is not None:
                config = content.config
    finally:
        if gc_was_enabled:
            gc.enable()
    plan = Plan(tuple(documents), tuple(units), tuple(records), config, merge_histories(histories))
    return LoadResult(plan, problems, files)


def load_file(path: str, cache: FileCache | None = None) -> FileContent:
    from .yamlsrc import MAX_BYTES

    data: bytes | None = None
    seen_ns = time.time_ns()  # before the stat: what the cache's racy margin is measured from
    try:
        st = os.stat(path)
    except OSError as e:
        return FileContent(problems=[problem("unreadable", path, reason=e.strerror or str(e))])
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
        return FileContent(
            problems=[problem("unreadable", path, reason="不是普通文件 / not a regular file")]
        )
    if st.st_size > MAX_BYTES:  # refused before reading: a huge file must not fill memory
        return FileContent(problems=[problem("too-large", path, size=st.st_size, limit=MAX_BYTES)])
    if cache is not None:
        content, data, digest = cache.get(path, st, seen_ns)
        if content is not None:
            return content
    try:
        if data is None:
            data = Path(path).read_bytes()
    except OSError as e:
        return FileContent(problems=[problem("unreadable", path, reason=e.strerror or str(e))])
    from . import yamlsrc

    text, problems = yamlsrc.decode(data, path)
    content = FileContent(problems=problems) if text is None else load_text(text, path)
    if cache is not None and digest is not None:
        cache.put(path, st, seen_ns, digest, content)
    return content


def load_text(text: str, path: str) -> FileContent:
    """Parse and read one file's text (see `reader`). Exposed for tests and for editors' stdin."""
    from .reader import load_text as read

    return read(text, path)
