"""Attacks through files (issue 13): a cache that could run code, a damaged cache entry, links
and special files where zjtrack reads, and the litter a killed run leaves in the cache.

Each attack is what the adversarial pass did; each test fails on the code before the fix.
"""

from __future__ import annotations

import marshal
import os
import pickle
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from zjtrack.checks import run_checks
from zjtrack.load import cache, codec, files, seal
from zjtrack.load.loader import load_file, load_paths

ROOT = Path(__file__).resolve().parent.parent
POSIX = pytest.mark.skipif(os.name != "posix", reason="links, FIFOs and modes are POSIX's")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    tasks = tmp_path / "repo" / "tasks"
    shutil.copytree(ROOT / "tasks", tasks)
    shutil.copytree(ROOT / "examples" / "demo", tasks / "demo")  # progress, decisions: 8 files
    (tasks / "demo" / "README.md").unlink()
    aged(tasks)
    return tasks


def aged(tasks: Path, seconds: int = 10) -> None:
    """Move every file's mtime out of the racy window, as time would."""
    for p in tasks.rglob("*.yaml"):
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`zjtrack ARGS` as a real process (a fresh clone running the README's CI step)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}
    return subprocess.run(
        [sys.executable, "-m", "zjtrack", *args],
        cwd=cwd,
        env={**base, "ZJTRACK_AS_OF": "2026-11-25", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def outcome(tasks: Path, store: cache.FileCache | None) -> tuple[Any, list[tuple[str, str, int]]]:
    result = load_paths([str(tasks)], store)
    found = result.problems + run_checks(result.plan)
    return result.plan, sorted((p.code, p.path, p.line) for p in found)


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (a named tuple equals a plain tuple, an
    enum member its value: `==` alone would not see a codec that lost a type)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if hasattr(a, "__dataclass_fields__"):
        return all(same(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    return bool(a == b)


# --- 1. no code from the cache ------------------------------------------------------------------


class _Payload:
    """What an attacker commits: unpickling it creates a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "pwned"))


@POSIX
def test_a_pickle_committed_in_the_repository_never_runs(tree: Path, tmp_path: Path) -> None:
    import hashlib

    repo = tree.parent
    marker = tmp_path / "PWNED"
    planted = pickle.dumps(_Payload(marker))
    for version in range(1, 8):  # where every earlier version looked for its entries
        folder = repo / ".zjtrack-cache" / f"v{version}"
        folder.mkdir(parents=True)
        for p in tree.rglob("*.yaml"):
            for name in (str(p), str(p.relative_to(repo))):
                key = hashlib.blake2b(os.path.abspath(name).encode(), digest_size=16).hexdigest()
                (folder / f"{key}.pickle").write_bytes(planted)
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    for _ in range(2):
        result = run("check", "tasks", cwd=repo, env=env)
        assert result.returncode == 0, result.stderr
        assert not marker.exists()
    # The cache went to the user's cache folder, private, and nothing new into the repository.
    user = tmp_path / "xdg" / "zjtrack"
    assert stat.S_IMODE(user.stat().st_mode) == 0o700
    assert stat.S_IMODE((user / "key").stat().st_mode) == 0o600
    assert len(list(user.rglob("*.entry"))) == 8
    assert sorted(p.name for p in repo.iterdir()) == [".zjtrack-cache", "tasks"]
    assert not home.exists()


def test_the_default_cache_folder_follows_xdg_and_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZJTRACK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    assert cache.cache_dir() == "/x/cache/zjtrack"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # not absolute: ignored, as the spec says
    monkeypatch.setenv("HOME", "/home/u")
    assert cache.cache_dir() == "/home/u/.cache/zjtrack"
    monkeypatch.setenv("ZJTRACK_CACHE_DIR", "/elsewhere")
    assert cache.cache_dir() == "/elsewhere"


def test_repositories_get_folders_of_their_own(tmp_path: Path) -> None:
    store = cache.FileCache(tmp_path / "cache")
    for name in ("a", "b"):
        shutil.copytree(ROOT / "tasks", tmp_path / name / "tasks")
        load_paths([str(tmp_path / name / "tasks")], store)
    folders = list((tmp_path / "cache" / f"v{cache.FORMAT}").iterdir())
    assert len(folders) == 2 and all(len(list(f.glob("*.entry"))) == 3 for f in folders)


def test_the_codec_keeps_every_value_and_type() -> None:
    """tasks/, the demo and the examples: what the cache gives back is what the parser made."""
    sources = [*ROOT.glob("tasks/**/*.yaml"), *ROOT.glob("examples/**/*.yaml")]
    assert len(sources) > 5
    for path in sources:
        content = load_file(str(path))
        assert same(codec.decode(codec.encode(content)), content), path


def test_a_value_the_codec_does_not_know_is_not_cached() -> None:
    from zjtrack.load.reader import FileContent
    from zjtrack.problems import Problem

    odd = FileContent(problems=[Problem("unreadable", "x", 0, 0, (("reason", object()),))])
    with pytest.raises(codec.Unencodable):
        codec.encode(odd)


def test_every_model_class_is_in_the_codec() -> None:
    """A model class added without a codec rule would make every file holding one uncacheable."""
    import typing

    from zjtrack import model

    classes = {
        v
        for v in vars(model).values()
        if isinstance(v, type) and issubclass(v, tuple) and hasattr(v, "_fields")
    }
    known = {cls for cls, _ in codec.SCHEMA}
    assert classes - known == {model.Plan}
    for cls, rules in codec.SCHEMA:
        hints = typing.get_type_hints(cls)
        for name in cls._fields:  # type: ignore[attr-defined]
            text = str(hints[name])
            needs_rule = any(
                f"{c.__module__}.{c.__qualname__}" in text or f"'{c.__name__}'" in text
                for c in (*known, *(e for e in vars(model).values() if isinstance(e, type)))
                if c.__module__.startswith("zjtrack")
            ) or ("date" in text and "datetime.date" in text)
            assert needs_rule == (name in rules), (cls.__name__, name, text)


# --- 2. a damaged entry is never trusted -------------------------------------------------------


def test_one_flipped_bit_never_changes_a_view(tree: Path, tmp_path: Path) -> None:
    """150+ trials, each one bit flipped in one entry: the plan and the problems never change,
    and nothing raises (the pickle cache changed the views in 40 of 150)."""
    folder = tmp_path / "cache"
    expected = outcome(tree, None)
    assert outcome(tree, cache.FileCache(folder, racy_ns=0)) == expected
    entries = sorted(folder.rglob("*.entry"))
    pristine = {p: p.read_bytes() for p in entries}
    rng = random.Random(13)
    trials = 0
    for entry, blob in pristine.items():
        positions = rng.sample(range(len(blob) * 8), 17)
        positions += [0, 7, len(blob) * 8 - 1]  # the header's first and the payload's last bit
        for bit in positions:
            damaged = bytearray(blob)
            damaged[bit // 8] ^= 1 << (bit % 8)
            entry.write_bytes(bytes(damaged))
            store = cache.FileCache(folder, racy_ns=0)
            plan, found = outcome(tree, store)
            assert same(plan, expected[0]) and found == expected[1], (entry.name, bit)
            assert store.misses == 1 and store.hits == 7, (entry.name, bit)
            trials += 1
        entry.write_bytes(blob)
    assert trials >= 150


def test_an_entry_of_another_user_or_machine_is_ignored(tree: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    outcome(tree, cache.FileCache(folder, racy_ns=0))
    key = seal.machine_key(folder)
    for entry in folder.rglob("*.entry"):  # resealed with a key that is not this user's
        payload = seal.unseal(entry.read_bytes(), key)
        assert payload is not None
        entry.write_bytes(seal.seal(payload, b"k" * 32))
    store = cache.FileCache(folder, racy_ns=0)
    outcome(tree, store)
    assert store.misses == 8


def test_a_sealed_entry_of_the_wrong_shape_is_parsed_again(tree: Path, tmp_path: Path) -> None:
    """Even what this user sealed is checked: a different layout or a broken table re-parses."""
    folder = tmp_path / "cache"
    expected = outcome(tree, None)
    outcome(tree, cache.FileCache(folder, racy_ns=0))
    key = seal.machine_key(folder)
    bad = [
        b"not marshal",
        marshal.dumps((1, 2, 3)),
        marshal.dumps(("fp", "path", (1,), "h", 0, b"x")),
    ]
    for i, entry in enumerate(sorted(folder.rglob("*.entry"))):
        junk = bad[i % len(bad)]
        payload = seal.unseal(entry.read_bytes(), key)
        assert payload is not None
        head = list(marshal.loads(payload))
        if junk.startswith(b"not"):
            entry.write_bytes(seal.seal(junk, key))
        else:
            head[5] = junk  # the right header, a content that does not decode
            entry.write_bytes(seal.seal(marshal.dumps(tuple(head)), key))
    store = cache.FileCache(folder, racy_ns=0)
    plan, found = outcome(tree, store)
    assert same(plan, expected[0]) and found == expected[1]
    assert store.misses == 8


def test_seal_and_unseal() -> None:
    key = b"\x01" * 32
    blob = seal.seal(b"payload", key)
    assert seal.unseal(blob, key) == b"payload"
    assert seal.unseal(blob, b"\x02" * 32) is None
    assert seal.unseal(blob[:-1], key) is None
    assert seal.unseal(b"", key) is None
    assert seal.unseal(blob[: len(seal.MAGIC)], key) is None


@POSIX
def test_a_key_file_others_could_read_or_a_link_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    key = seal.machine_key(folder)
    assert seal.machine_key(folder) == key  # stable
    (folder / "key").chmod(0o644)
    other = seal.machine_key(folder)
    assert other != key and stat.S_IMODE((folder / "key").stat().st_mode) == 0o600
    outside = tmp_path / "outside-key"
    outside.write_bytes(b"o" * 32)
    outside.chmod(0o600)
    (folder / "key").unlink()
    (folder / "key").symlink_to(outside)
    assert seal.machine_key(folder) != b"o" * 32
    assert outside.read_bytes() == b"o" * 32 and not (folder / "key").is_symlink()


# --- 3. links and special files ----------------------------------------------------------------


@POSIX
def test_a_task_file_linked_to_the_environment_is_never_read(tree: Path) -> None:
    (tree / "env.yaml").symlink_to("/proc/self/environ")
    secret = tree.parent.parent / "secret.txt"
    secret.write_text("zjtrack: 1\nSECRET_TOKEN: hunter2-secret\n", encoding="utf-8")
    (tree / "secret.yaml").symlink_to(secret)
    result = run("check", "tasks", cwd=tree.parent, env={"MY_SECRET": "s3cr3t-value"})
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "s3cr3t-value" not in out and "hunter2" not in out
    assert "tasks/env.yaml" in out and "tasks/secret.yaml" in out
    assert out.count("是符号链接，未读取") == 2
    en = run("check", "tasks", "--lang", "en", cwd=tree.parent)
    assert "a symbolic link, not read" in en.stdout + en.stderr


@POSIX
def test_a_progress_file_linked_outside_is_not_read(tree: Path, tmp_path: Path) -> None:
    progress = sorted((tree / "demo" / "progress").glob("*.yaml"))[0]
    outside = tmp_path / "outside.txt"
    shutil.move(progress, outside)
    progress.symlink_to(os.path.relpath(outside, progress.parent))
    result = load_paths([str(tree)])
    assert [(p.code, p.path) for p in result.problems] == [("symlink", str(progress))]
    assert result.plan.records and all(r.path != str(progress) for r in result.plan.records)
    assert outcome(tree, None)[1][0][:2] == ("symlink", str(progress))


@POSIX
def test_a_linked_folder_is_reported_not_followed(tree: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(sorted(tree.glob("*.yaml"))[-1], elsewhere / "copy.yaml")
    (tree / "more").symlink_to(elsewhere)
    result = load_paths([str(tree)])
    assert [(p.code, p.path) for p in result.problems] == [("symlink", str(tree / "more"))]
    assert not any("copy.yaml" in f for f in result.files)


@POSIX
@pytest.mark.parametrize("where", ["document", "units.yaml", "progress"])
def test_a_fifo_never_blocks(tree: Path, where: str) -> None:
    name = {
        "document": tree / "fifo.yaml",
        "units.yaml": tree / "units.yaml",
        "progress": sorted((tree / "demo" / "progress").glob("*.yaml"))[0],
    }[where]
    name.unlink(missing_ok=True)
    os.mkfifo(name)
    result = run("check", "tasks", cwd=tree.parent, timeout=30)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "不是普通文件（命名管道（FIFO）），未读取" in out
    assert "Traceback" not in out


@POSIX
def test_a_device_is_refused_not_read(tree: Path) -> None:
    (tree / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(files.NotRegular) as caught:
        files.read_regular("/dev/zero", 10)
    assert caught.value.kind == "device"
    found = load_file(str(tree / "zero.yaml")).problems
    assert [p.code for p in found] == ["symlink"]


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 100)
    with pytest.raises(files.TooLarge) as caught:
        files.read_regular(big, 99)
    assert caught.value.size == 100
    assert files.read_regular(big, 100)[0] == b"#" * 100


@POSIX
def test_a_fifo_or_a_link_in_the_cache_never_blocks_nor_writes_outside(
    tree: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    env = {"ZJTRACK_CACHE_DIR": str(folder)}
    assert run("check", "tasks", cwd=tree.parent, env=env).returncode == 0
    entries = sorted(folder.rglob("*.entry"))
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    entries[0].unlink()
    os.mkfifo(entries[0])  # a FIFO in place of an entry used to hang every command
    entries[1].unlink()
    entries[1].symlink_to(victim)
    aged(tree, 20)  # every file changed: each entry is written again
    for p in tree.rglob("*.yaml"):
        p.write_bytes(p.read_bytes())
    aged(tree)
    result = run("check", "tasks", cwd=tree.parent, env=env, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    # the repository's folder itself a link to elsewhere: the cache is off, nothing written there
    repo_folder = entries[0].parent
    shutil.rmtree(repo_folder)
    repo_folder.symlink_to(outside)
    result = run("check", "tasks", cwd=tree.parent, env=env, timeout=30)
    assert result.returncode == 0
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]


# --- 4. litter after a kill ---------------------------------------------------------------------


def test_stale_temporary_files_are_swept(tree: Path, tmp_path: Path) -> None:
    store = cache.FileCache(tmp_path / "cache")
    load_paths([str(tree)], store)
    folder = next((tmp_path / "cache" / f"v{cache.FORMAT}").iterdir())
    dead = folder / ".tmp-999999999-abc"  # a pid no process has
    old = folder / f".tmp-{os.getppid()}-old"  # a live process, but a minute old
    live = folder / f".tmp-{os.getppid()}-new"  # a live process writing now: kept
    for p in (dead, old, live):
        p.write_bytes(b"x" * 1000)
    os.utime(old, (time.time() - 120, time.time() - 120))
    load_paths([str(tree)], cache.FileCache(tmp_path / "cache"))
    assert not dead.exists() and not old.exists() and live.exists()
    assert cache.sweep(folder, now=time.time() + 120) == 1 and not live.exists()


@POSIX
def test_no_litter_is_left_after_kills(tmp_path: Path) -> None:
    """Real processes killed while they write the cache; the next run leaves none of their
    temporary files (40 kills left 61 MB before)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    tasks = tmp_path / "big"
    generate(tasks, 300, 3000, 30)
    folder = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}
    env.update(ZJTRACK_CACHE_DIR=str(folder), ZJTRACK_AS_OF="2026-11-25")
    rng = random.Random(4)
    for _ in range(8):
        shutil.rmtree(folder / f"v{cache.FORMAT}", ignore_errors=True)
        proc = subprocess.Popen(
            [sys.executable, "-m", "zjtrack", "check", str(tasks)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # and one planted as a kill would leave it, so the test sees a sweep whatever the timing
    folders = list((folder / f"v{cache.FORMAT}").glob("*"))
    if folders:
        (folders[0] / ".tmp-999999999-planted").write_bytes(b"x")
    done = subprocess.run(
        [sys.executable, "-m", "zjtrack", "check", str(tasks)],
        env=env,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    assert list(folder.rglob(".tmp-*")) == []


@POSIX
def test_a_cache_folder_others_can_write_to_is_not_used_nor_changed(
    tree: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    store = cache.FileCache(shared)
    assert outcome(tree, store) == outcome(tree, None)
    assert store.hits == 0 and list(shared.iterdir()) == []
    assert stat.S_IMODE(shared.stat().st_mode) == 0o777


def test_the_codec_keeps_a_negative_zero() -> None:
    from zjtrack import model
    from zjtrack.load.reader import FileContent

    records = [model.ProgressRecord("t", None, value=v) for v in (0.0, -0.0, 0.0)]
    back = codec.decode(codec.encode(FileContent(records=records)))
    assert [str(r.value) for r in back.records] == ["0.0", "-0.0", "0.0"]


# --- the cache folder a user names (adversarial pass, second round) ------------------------------


@POSIX
def test_a_linked_format_folder_turns_the_cache_off_and_writes_nothing_through_it(
    tree: Path, tmp_path: Path
) -> None:
    """`C/v5 -> out`: the key was kept though the folder check failed, and entries were made
    through the link, outside the cache folder."""
    cache, outside = tmp_path / "C", tmp_path / "out"
    cache.mkdir()
    outside.mkdir()
    (cache / "v5").symlink_to(outside)
    done = run("check", str(tree), cwd=tmp_path, env={"ZJTRACK_CACHE_DIR": str(cache)})
    assert done.returncode == 0, done.stderr
    assert list(outside.iterdir()) == []


@POSIX
def test_a_cache_folder_the_user_named_keeps_what_is_not_zjtracks(
    tree: Path, tmp_path: Path
) -> None:
    """ZJTRACK_CACHE_DIR at a folder in use: `v1/`, `v2024/` and `.tmp-keep` were deleted as if
    they were old formats and litter. Only zjtrack's own layout and names are removed now."""
    cache = tmp_path / "mine"
    (cache / "v1").mkdir(parents=True)
    (cache / "v1" / "notes.txt").write_text("precious\n", encoding="utf-8")
    (cache / "v2024").mkdir()
    (cache / "v²").mkdir()  # a digit `int` reads, but not an ASCII one: not a format of ours
    keep = cache / ".tmp-keep"
    keep.write_text("x\n", encoding="utf-8")
    os.utime(keep, (time.time() - 7200, time.time() - 7200))
    old = cache / "v4" / ("0" * 32)  # a real old format: removed
    old.mkdir(parents=True)
    (old / "a.entry").write_bytes(b"old")
    done = run("check", str(tree), cwd=tmp_path, env={"ZJTRACK_CACHE_DIR": str(cache)})
    assert done.returncode == 0, done.stderr
    assert (cache / "v1" / "notes.txt").read_text(encoding="utf-8") == "precious\n"
    assert (cache / "v2024").is_dir() and (cache / "v²").is_dir() and keep.exists()
    assert not (cache / "v4").exists()
