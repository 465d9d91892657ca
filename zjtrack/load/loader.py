"""Task files -> model + problems. Never raises on bad data: every problem is a value with a place.

`load_paths` reads files and directory trees; each file is read by the spec tables in `spec.py`,
so an unknown key, a missing field or a mistyped value is reported with its line and column, and
everything else in the file is still read, so that one run reports all problems of all files.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..decisions import apply_decisions
from ..model import Config, Decision, Document, History, Plan, ProgressRecord, Unit, merge_histories
from ..problems import Problem, problem
from . import files
from .content import FileContent

if TYPE_CHECKING:
    from . import cache as cache_mod
    from .cache import FileCache

YAML_SUFFIXES = (".yaml", ".yml")


class LoadResult:
    """The plan of the files read, their problems, and the files. (A plain class, as a dataclass
    would make it: `dataclasses` imports `inspect`, a few milliseconds of a run.)"""

    def __init__(
        self, plan: Plan, problems: list[Problem] | None = None, files: list[str] | None = None
    ) -> None:
        self.plan = plan
        self.problems: list[Problem] = [] if problems is None else problems
        self.files: list[str] = [] if files is None else files
        # what `doubtful` found, with the plan it was found in: a view asks twice (its notice,
        # then whether a snapshot may be made), and the cross-file checks cost a full pass at a
        # province
        self._checked: tuple[Plan, dict[str, int]] | None = None

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, LoadResult)
        return (self.plan, self.problems, self.files) == (other.plan, other.problems, other.files)

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass's

    def __repr__(self) -> str:
        return f"LoadResult(plan={self.plan!r}, problems={self.problems!r}, files={self.files!r})"

    def broken(self) -> dict[str, int]:
        """Files whose errors leave the plan incomplete, with how many: problems the files' own
        reading found, and progress records for targets that do not exist (the evaluator drops
        them). The cross-file checks are `check`'s: too slow to repeat in every view."""
        from ..problems import Severity

        out: dict[str, int] = {}
        for p in self.problems:
            if p.severity is Severity.ERROR:
                out[p.path] = out.get(p.path, 0) + 1
        plan = self.plan
        history = plan.histories()
        unknown = history.keys() - {
            t.id for d in plan.documents for m in d.measures for t in m.targets
        }
        for target in unknown:
            for r in history[target]:
                out[r.path] = out.get(r.path, 0) + 1
        return dict(sorted(out.items()))

    def doubtful(self) -> dict[str, int]:
        """Files with errors only `check`'s cross-file rules find (a duplicate id, a unit not in
        the registry, a record that does not fit its target...), with how many: every file read,
        yet a view over them may be wrong. Records dated after the as-of date are not among them
        (a past week's report is made as of a past date); nor is anything when a file is
        `broken` (its consequences elsewhere, such as unknown units when units.yaml does not
        read, are noise beside it)."""
        from ..checks import run_checks
        from ..problems import Severity

        if self.broken():
            return {}
        if self._checked is None or self._checked[0] is not self.plan:
            out: dict[str, int] = {}
            for p in run_checks(self.plan):
                if p.severity is Severity.ERROR:
                    out[p.path] = out.get(p.path, 0) + 1
            self._checked = (self.plan, dict(sorted(out.items())))
        return dict(self._checked[1])


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
                for d in [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                    dirs.remove(d)  # a linked folder: not followed (os.walk would skip it silently)
                    problems.append(problem("symlink", os.path.join(root, d)))
                found += [
                    os.path.join(root, n) for n in names if n.lower().endswith(YAML_SUFFIXES)
                ]  # FIFOs too: reported
            files += sorted(found)
        elif p.is_file():
            files.append(str(p))
        else:
            reason = (
                "不存在 / no such file or directory" if not p.exists() else "不是文件 / not a file"
            )
            problems.append(problem("unreadable", str(p), reason=reason))
    seen: set[str] = set()
    once = []  # a file named twice (itself and in its folder) is read once
    for f in files:
        real = os.path.realpath(f)
        if real not in seen:
            seen.add(real)
            once.append(f)
    return once, problems


ROOT_MARKERS = ("units.yaml", "config.yaml")  # what makes a folder a task repository


def find_root(path: str) -> str | None:
    """The task repository a file belongs to: the nearest folder, from the file's own upwards,
    that holds the units registry or the config (as git finds its `.git`)."""
    here = Path(path).resolve().parent
    for folder in (here, *here.parents):
        if any((folder / marker).is_file() for marker in ROOT_MARKERS):
            return str(folder)
    return None


def load_paths(
    paths: list[str], cache: FileCache | None = None, root: str | None = None
) -> LoadResult:
    """Load the task files named by `paths` into one plan (unchanged files from `cache`).

    A folder is read whole. A file is read with the repository it belongs to (`find_root`, or
    `root` when given): its units registry, config and progress records, so that one document
    alone reads as it does in the whole tree; the plan then holds only the documents named."""
    if not any(os.path.isfile(p) for p in paths):
        return _load(paths, cache)
    wanted: list[str] = []  # what to read: folders, and each named file's repository
    keep: list[str] = []  # the documents to keep: these files, and all under these folders
    problems: list[Problem] = []
    for p in paths:
        if not os.path.isfile(p):
            wanted.append(p)
            keep.append(os.path.realpath(p))
            continue
        repo = root or find_root(p)
        if repo is None:
            problems.append(problem("no-repository", p))
            repo = p
        wanted.append(repo)
        keep.append(os.path.realpath(p))
    result = _load(list(dict.fromkeys(wanted)), cache)
    result.problems[:0] = problems
    return _only(result, tuple(keep))


def _only(result: LoadResult, keep: tuple[str, ...]) -> LoadResult:
    """The plan limited to the documents in `keep` (files, or folders holding them), with their
    records; problems of the documents left out, and of their progress files, are dropped."""

    def kept(path: str) -> bool:
        real = os.path.realpath(path)
        return any(real == k or real.startswith(k.rstrip(os.sep) + os.sep) for k in keep)

    plan = result.plan
    documents = tuple(d for d in plan.documents if kept(d.pos.path))
    if len(documents) == len(plan.documents):
        return result
    dropped = {os.path.realpath(d.pos.path) for d in plan.documents if d not in documents}
    dropped_ids = {d.id for d in plan.documents if d not in documents}
    problems = [
        p
        for p in result.problems
        if os.path.realpath(p.path) not in dropped and Path(p.path).stem not in dropped_ids
    ]
    return LoadResult(plan.limited_to(documents), problems, result.files)


def _load(paths: list[str], cache: FileCache | None) -> LoadResult:
    import gc

    files, problems = find_files(paths)
    documents: list[Document] = []
    units: list[Unit] = []
    records: list[ProgressRecord] = []
    histories: list[History] = []
    decisions: list[Decision] = []
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
            decisions += content.decisions
    finally:
        if gc_was_enabled:
            gc.enable()
    plan = Plan(
        tuple(documents),
        tuple(units),
        tuple(records),
        config,
        merge_histories(histories),
        tuple(decisions),
    )
    plan = apply_decisions(plan)
    return LoadResult(plan, problems, files)


def load_file(path: str, cache: FileCache | None = None) -> FileContent:
    """One file's content; a link, a special file or an oversized file is a problem, not read."""
    data: bytes | None = None
    digest: str | None = None
    seen_ns = time.time_ns()  # before the stat: what the cache's racy margin is measured from
    try:
        st = os.lstat(path)  # the name itself: a link is refused, never followed
    except OSError as e:
        return FileContent(problems=[problem("unreadable", path, reason=e.strerror or str(e))])
    if not stat.S_ISREG(st.st_mode):  # a link, or a FIFO or a device that would block or never end
        return FileContent(problems=[_not_regular(path, files.kind_of(st.st_mode))])
    if st.st_size > files.MAX_BYTES:  # refused before reading: a huge file must not fill memory
        return FileContent(problems=[_too_large(path, st.st_size)])
    if cache is not None:
        content, data, digest = cache.get(path, st, seen_ns)
        if content is not None:
            return content
    if data is None:
        try:
            data, _ = files.read_regular(path, files.MAX_BYTES)
        except files.NotRegular as e:  # swapped for a link or a FIFO since the stat
            return FileContent(problems=[_not_regular(path, e.kind)])
        except files.TooLarge as e:
            return FileContent(problems=[_too_large(path, e.size)])
        except OSError as e:
            return FileContent(problems=[problem("unreadable", path, reason=e.strerror or str(e))])
    if cache is None:
        return parse_bytes(data, path)
    content, earlier = parse_grown(data, path, cache)
    if digest is not None:
        cache.put(path, st, seen_ns, digest, content, earlier)
    return content


def parse_grown(
    data: bytes, path: str, cache: FileCache
) -> tuple[FileContent, cache_mod.Earlier | None]:
    """The content of the file whose bytes are `data` (not in the cache): for a progress file
    that records were appended to since the cache read it, its content then and the bytes after
    read alone (`appended`), with the cache's content then (for `FileCache.put` to keep);
    else `parse_bytes`, and None."""
    earlier = cache.earlier(path, data)
    if earlier is not None:
        from .appended import read_appended

        content = read_appended(data, earlier.size, earlier.content, path)
        if content is not None:
            return content, earlier
    return parse_bytes(data, path), None


def parse_bytes(data: bytes, path: str) -> FileContent:
    """One file's content from its bytes (decoded, parsed and read), as `load_file` makes it."""
    from . import yamlsrc

    text, problems = yamlsrc.decode(data, path)
    return FileContent(problems=problems) if text is None else load_text(text, path)


def _not_regular(path: str, kind: str) -> Problem:
    if kind == "symlink":
        return problem("symlink", path)
    zh, en = files.KIND_NAMES.get(kind, files.KIND_NAMES["special"])
    return problem("not-regular", path, kind_zh=zh, kind_en=en)


def _too_large(path: str, size: int) -> Problem:
    return problem("too-large", path, size=size, limit=files.MAX_BYTES)


def load_text(text: str, path: str) -> FileContent:
    """Parse and read one file's text (see `reader`). Exposed for tests and for editors' stdin."""
    from .reader import load_text as read

    return read(text, path)
