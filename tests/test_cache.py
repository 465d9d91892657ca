"""The parse cache: used when files are unchanged, invalidated by every kind of change, and never
able to hide a problem that `check` reports without it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from zjtrack.checks import run_checks
from zjtrack.load import cache
from zjtrack.load.loader import load_paths
from zjtrack.store.record import record_progress

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    tasks = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", tasks)
    return tasks


def age(path: Path, seconds: int = 10) -> None:
    """Move a file's mtime into the past, out of the racy window, as time would."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns - seconds * 10**9, st.st_mtime_ns - seconds * 10**9))


def age_all(tasks: Path) -> None:
    for p in tasks.rglob("*.yaml"):
        age(p)


def load(tasks: Path, store: cache.FileCache) -> tuple[object, list[tuple[str, str, int]]]:
    result = load_paths([str(tasks)], store)
    problems = result.problems + run_checks(result.plan)
    return result.plan, sorted((p.code, p.path, p.line) for p in problems)


def fresh(tmp_path: Path) -> cache.FileCache:
    return cache.FileCache(tmp_path / "cache")


def test_second_load_hits_for_every_file_and_gives_the_same_plan(
    tree: Path, tmp_path: Path
) -> None:
    age_all(tree)
    first = fresh(tmp_path)
    plan1, problems1 = load(tree, first)
    assert first.misses == 3 and first.hits == 0
    second = fresh(tmp_path)
    plan2, problems2 = load(tree, second)
    assert second.hits == 3 and second.misses == 0
    assert plan1 == plan2 and problems1 == problems2


def test_content_change_with_same_size_and_mtime_is_seen(tree: Path, tmp_path: Path) -> None:
    age_all(tree)
    path = tree / "haidong-2024-74.yaml"
    load(tree, fresh(tmp_path))
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("value: 110", "value: 120")
    assert changed != text and len(changed.encode()) == len(text.encode())
    path.write_text(changed, encoding="utf-8")
    os.utime(
        path, ns=(st.st_atime_ns, st.st_mtime_ns)
    )  # same size, same mtime: only the bytes differ
    store = fresh(tmp_path)
    plan, _ = load(tree, store)
    assert {t.id: t.value for _, _, t in plan.all_targets()}["hd-2-6"] == 120  # type: ignore[attr-defined]
    assert store.misses == 1 and store.hits == 2


def test_unchanged_files_are_trusted_by_their_stat_without_being_read(
    tree: Path, tmp_path: Path
) -> None:
    load(tree, cache.FileCache(tmp_path / "cache"))
    racy = cache.FileCache(tmp_path / "cache")  # files changed just now: within the racy window
    load(tree, racy)
    assert (racy.hits, racy.reads) == (3, 3)
    calm = cache.FileCache(tmp_path / "cache", racy_ns=0)  # as if written well after the files
    plan, _ = load(tree, calm)
    assert (calm.hits, calm.reads, calm.misses) == (3, 0, 0)
    path = tree / "haidong-2024-74.yaml"
    st = path.stat()
    path.write_text(
        path.read_text(encoding="utf-8").replace("value: 110", "value: 120"), encoding="utf-8"
    )
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and mtime; the ctime moves on
    store = cache.FileCache(tmp_path / "cache", racy_ns=0)
    plan, _ = load(tree, store)
    assert (store.hits, store.reads, store.misses) == (2, 1, 1)
    assert {t.id: t.value for _, _, t in plan.all_targets()}["hd-2-6"] == 120  # type: ignore[attr-defined]


def test_a_touched_file_is_read_once_then_trusted_again(tree: Path, tmp_path: Path) -> None:
    load(tree, cache.FileCache(tmp_path / "cache", racy_ns=0))
    os.utime(tree / "zhangye-2024-2.yaml")  # new mtime and ctime, same bytes
    touched = cache.FileCache(tmp_path / "cache", racy_ns=0)
    load(tree, touched)
    assert (touched.hits, touched.reads, touched.misses) == (3, 1, 0)
    again = cache.FileCache(tmp_path / "cache", racy_ns=0)
    load(tree, again)
    assert (again.hits, again.reads) == (3, 0)


def test_content_change_is_seen(tree: Path, tmp_path: Path) -> None:
    age_all(tree)
    load(tree, fresh(tmp_path))
    path = tree / "haidong-2024-74.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("value: 110", "value: 111"), encoding="utf-8"
    )
    store = fresh(tmp_path)
    plan, _ = load(tree, store)
    assert store.misses == 1 and store.hits == 2
    assert {t.id: t.value for _, _, t in plan.all_targets()}["hd-2-6"] == 111  # type: ignore[attr-defined]


def test_renamed_deleted_and_new_files(tree: Path, tmp_path: Path) -> None:
    age_all(tree)
    _, before = load(tree, fresh(tmp_path))
    (tree / "haidong-2024-74.yaml").rename(tree / "renamed.yaml")
    store = fresh(tmp_path)
    plan, problems = load(tree, store)
    assert store.misses == 1  # a new path is a new entry, so positions name the new file
    assert all("haidong-2024-74.yaml" not in p for _, p, _ in problems)
    assert {d.id for d in plan.documents} == {"haidong-2024-74", "zhangye-2024-2"}  # type: ignore[attr-defined]
    (tree / "renamed.yaml").unlink()
    store = fresh(tmp_path)
    plan, problems = load(tree, store)
    assert {d.id for d in plan.documents} == {"zhangye-2024-2"}  # type: ignore[attr-defined]
    assert problems == []
    (tree / "extra.yaml").write_text("zjtrack: 1\nunits: []\nbogus: 1\n", encoding="utf-8")
    store = fresh(tmp_path)
    _, problems = load(tree, store)
    assert [c for c, _, _ in problems] == ["unknown-key"]
    assert problems != before


def test_a_record_appended_by_record_is_seen(tree: Path, tmp_path: Path) -> None:
    import datetime as dt

    record_progress(tree, "hd-2-6", "40", as_of=dt.date(2026, 11, 25), date="2026-11-01")
    age_all(tree)
    store = fresh(tmp_path)
    plan, _ = load(tree, store)
    assert len(plan.records) == 1  # type: ignore[attr-defined]
    record_progress(tree, "hd-2-6", "50", as_of=dt.date(2026, 11, 25), date="2026-11-20")
    store = fresh(tmp_path)
    plan, _ = load(tree, store)
    assert [r.value for r in plan.records] == [40, 50]  # type: ignore[attr-defined]
    assert store.misses == 1


def test_check_reports_the_same_problems_with_and_without_the_cache(
    tree: Path, tmp_path: Path
) -> None:
    path = tree / "zhangye-2024-2.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("zjtrack: 1\n", "zjtrack: 1\nbogus: 1\n", 1) + "  - id: hd-1\n",
        encoding="utf-8",
    )
    age_all(tree)
    _, without = load(tree, None)  # type: ignore[arg-type]
    assert without  # the mutation is reported
    load(tree, fresh(tmp_path))
    store = fresh(tmp_path)
    _, with_cache = load(tree, store)
    assert store.hits == 3
    assert with_cache == without


def test_a_corrupt_or_foreign_entry_is_rebuilt(tree: Path, tmp_path: Path) -> None:
    age_all(tree)
    load(tree, fresh(tmp_path))
    for entry in (tmp_path / "cache").rglob("*.entry"):
        entry.write_bytes(b"\x80\x05garbage")
    store = fresh(tmp_path)
    _, problems = load(tree, store)
    assert store.misses == 3 and problems == []


def entries(folder: Path) -> list[tuple[Any, ...]]:
    """The headers of the entries under `folder`: (fingerprint, path, stat, hash, seen_ns, data)."""
    import marshal

    from zjtrack.load.seal import machine_key, unseal

    key = machine_key(folder)
    out = []
    for p in folder.rglob("*.entry"):
        payload = unseal(p.read_bytes(), key)
        assert payload is not None
        out.append(marshal.loads(payload))
    return out


def test_cli_uses_the_cache_dir_from_the_environment(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from zjtrack.cli.app import app

    monkeypatch.setenv("ZJTRACK_CACHE_DIR", str(tmp_path / "c2"))
    result = CliRunner().invoke(app, ["check", str(tree)])
    assert result.exit_code == 0 and result.stdout == ""
    assert list((tmp_path / "c2").rglob("*.entry"))
    monkeypatch.setenv("ZJTRACK_NO_CACHE", "1")
    monkeypatch.setenv("ZJTRACK_CACHE_DIR", str(tmp_path / "c3"))
    assert CliRunner().invoke(app, ["check", str(tree)]).exit_code == 0
    assert not (tmp_path / "c3").exists()


def test_the_racy_margin_counts_from_before_the_file_was_looked_at(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow parse must not use up the margin: an edit made while a file is parsed keeps the
    stamps it had when looked at, on coarse file systems, so the entry's clock is read first."""
    import time

    from zjtrack.load import loader

    started: list[int] = []
    real = loader.load_text

    def slow(text: str, path: str) -> loader.FileContent:
        started.append(time.time_ns())
        time.sleep(0.05)
        return real(text, path)

    monkeypatch.setattr(loader, "load_text", slow)
    load(tree, fresh(tmp_path))
    found = entries(tmp_path / "cache")
    assert len(found) == len(started) == 3
    seen = [e[4] for e in found]
    assert max(seen) < max(started)
    assert all(e[4] >= e[2][2] - 10**9 for e in found)


def test_entries_of_earlier_formats_are_removed(tree: Path, tmp_path: Path) -> None:
    old = tmp_path / "cache" / "v1"
    old.mkdir(parents=True)
    (old / "stale.pickle").write_bytes(b"old")
    keep = tmp_path / "cache" / "notes"
    keep.mkdir()
    load(tree, fresh(tmp_path))
    assert not old.exists() and keep.exists()
    assert (tmp_path / "cache" / f"v{cache.FORMAT}").is_dir()


def test_the_code_fingerprint_changes_with_any_module_and_only_with_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every `.py` file under the package, at any depth, counts by its size and mtime; other files
    (compiled bytecode) do not."""
    import os

    from zjtrack.load import cache as cache_mod

    package = tmp_path / "zjtrack"
    (package / "load" / "deep").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "load" / "cache.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache_mod, "__file__", str(package / "load" / "cache.py"))

    def fingerprint() -> str:
        monkeypatch.setattr(cache_mod, "_FINGERPRINT", None)
        return cache_mod.code_fingerprint()

    first = fingerprint()
    assert fingerprint() == first
    (package / "load" / "deep" / "data.pyc").write_bytes(b"\0")
    assert fingerprint() == first
    (package / "load" / "deep" / "new.py").write_text("", encoding="utf-8")
    second = fingerprint()
    assert second != first
    (package / "load" / "cache.py").write_text("x = 2\n", encoding="utf-8")  # same size
    os.utime(package / "load" / "cache.py", ns=(1, 1))
    assert fingerprint() not in (first, second)


def test_an_entry_is_written_under_a_fresh_private_name_never_through_a_planted_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`write_entry`'s temporary name: a name taken (here a link to a file elsewhere, planted at
    the first name drawn) is passed over, not opened; the entry is made 0600 and nothing is left
    behind but the entry."""
    folder = tmp_path / "entries"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"kept")
    draws = iter([b"\x01" * 16, b"\x02" * 16])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    planted = folder / f"{cache.TMP_PREFIX}{os.getpid()}-{'01' * 16}"
    planted.symlink_to(elsewhere)
    cache.write_entry(str(folder / "x.entry"), b"entry")
    assert elsewhere.read_bytes() == b"kept"
    assert (folder / "x.entry").read_bytes() == b"entry"
    assert (folder / "x.entry").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in folder.iterdir()) == sorted([planted.name, "x.entry"])


@pytest.mark.parametrize("kernel", ["copies", "missing", "copies nothing"])
def test_pieces_are_written_end_to_end_and_a_short_source_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: str
) -> None:
    """`cache.write_pieces` (a spliced snapshot's file: its unchanged sections copied from the
    file before, by the kernel where it can, `os.copy_file_range`, else read and written): the
    pieces end to end; a copy from past the end of its file raises and leaves the file that was
    there as it was, and no temporary file."""
    if kernel == "missing":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    elif kernel == "copies nothing":
        monkeypatch.setattr(os, "copy_file_range", lambda *args: 0, raising=False)
    data = bytes(range(256)) * 100
    source = tmp_path / "source"
    source.write_bytes(data)
    out = tmp_path / "out"
    fd = os.open(source, os.O_RDONLY)
    try:
        pieces = [b"head", cache.Copied(fd, 10, 5000), memoryview(b"mid"), cache.Copied(fd, 0, 3)]
        cache.write_pieces(str(out), pieces)  # type: ignore[arg-type]
        assert out.read_bytes() == b"head" + data[10:5010] + b"mid" + data[:3]
        with pytest.raises(OSError):
            cache.write_pieces(str(out), [b"x", cache.Copied(fd, len(data) - 10, 1000)])
    finally:
        os.close(fd)
    assert out.read_bytes() == b"head" + data[10:5010] + b"mid" + data[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "source"]
