"""The attack families of the fuzz campaign beyond mutated task files (issue 13), one class each.

Each family has `setup(work)` and `step(rng) -> list[(key, detail)]`: one attack, the broken
promises it found (empty when all held); `last` holds the attack's input (a document, a form,
an entry), which the campaign keeps as the reproducer. benchmarks/fuzz_campaign.py runs them in turn with the
mutated-tree family and groups what they find.

- `CacheFamily`: one cache entry corrupted (bits flipped, truncated, emptied, swapped with
  another entry, replaced by random bytes, by a symlink to a file outside, by a FIFO); on the
  shipped tree and on a generated one that the columnar snapshot, its JSON and cells side files
  and `check`'s facts serve, every view must still equal the view without a cache, nothing
  outside may change, and nothing may hang.
- `FilesFamily`: one file of the tree replaced by a symlink (to a secret file outside, to
  /proc/self/environ, to /dev/zero), a FIFO or a folder; `check`, `status` and `record` run as
  real processes with a time limit: exit 2 and a message naming the file, the secret never
  printed, nothing written outside, no hang.
- `ImportFamily`: a real policy document (the seeds and the import corpus, as text and as .docx)
  mutated (bytes flipped, lines doubled or dropped, Unicode and control characters inserted, the
  .docx zip damaged or its XML mangled) and imported as a real process with a time and memory
  limit: exit 0 or 2, no traceback, an exit-0 draft passes `zjtrack check` with no error, no bidi
  override copied into the draft.
- `FormsFamily`: a unit's returned form (xlsx from `zjtrack form`, or its CSV) with cells
  overwritten by hostile values (formulas, huge numbers, NaN, dates, escapes, other units' ids),
  rows added or deleted, or its bytes damaged; intake's core must decide without raising, and
  every record it accepts must name a real target with a finite value.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
AS_OF = "2026-11-25"
SECRET = "ZJTRACK-FUZZ-SECRET-7f3a"
Finding = tuple[str, str]
TRACEBACK = "Traceback (most recent call last)"


def zjtrack(
    args: list[str], env: dict[str, str], timeout: float = 30, memory: int = 2 << 30
) -> subprocess.CompletedProcess[str] | None:
    """Run zjtrack as a real process (None when it ran out of time: a hang)."""

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    try:
        return subprocess.run(
            [sys.executable, "-m", "zjtrack", *args],
            capture_output=True,
            text=True,
            errors="replace",
            env=env,
            timeout=timeout,
            preexec_fn=limit,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZJTRACK_", "GITHUB_"))}
    env.update({"ZJTRACK_AS_OF": AS_OF, "PYTHONPATH": str(ROOT)}, **extra)
    return env


# --- the cache ---------------------------------------------------------------------------------


class CacheFamily:
    name = "cache"
    last = b""

    def setup(self, work: Path) -> None:
        self.tree = work / "cache-tree"
        shutil.copytree(ROOT / "tasks", self.tree)
        shutil.copytree(ROOT / "examples" / "demo", self.tree / "demo")
        self.cache = work / "cache"
        self.outside = work / "outside.txt"
        self.outside.write_text(SECRET, encoding="utf-8")
        self.env = base_env(ZJTRACK_CACHE_DIR=str(self.cache))
        # a generated tree the columnar snapshot, its side files and check's facts all serve
        # (the shipped tree's extensions and per-entity targets take the object model)
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from generate import generate_shapes

        shapes = work / "cache-shapes"
        generate_shapes(shapes, seed=12, rare=False)
        old = os.stat(shapes).st_mtime - 60  # outside the racy margin: trusted by their stat
        for p in [shapes, *shapes.rglob("*")]:
            os.utime(p, (old, old))
        self.views = [
            ["status", str(self.tree), "--format", "json"],
            ["overdue", str(self.tree), "--format", "json"],
            ["check", str(self.tree)],
            ["status", str(shapes), "--format", "json"],
            ["status", str(shapes)],  # a pipe: the plain table, from the snapshot's cells
            ["overdue", str(shapes)],
            ["check", str(shapes)],
        ]
        plain = base_env(ZJTRACK_NO_CACHE="1")
        self.expected = [self._run(v, plain) for v in self.views]
        for v in self.views:  # warm
            self._run(v, self.env)

    def _run(self, args: list[str], env: dict[str, str]) -> tuple[int, str] | None:
        done = zjtrack(args, env, timeout=30)
        return None if done is None else (done.returncode, done.stdout)

    def _entries(self) -> list[Path]:
        return sorted(
            p
            for p in self.cache.rglob("*")
            if p.is_file() and not p.is_symlink() and p.name != "key"
        )

    def _plant(
        self, victim: Path, attack: str, original: bytes, entries: list[Path], rng: random.Random
    ) -> None:
        """Put the attack's bytes (or link, or FIFO) where the entry was."""
        if attack == "flip":
            data = bytearray(original)
            for _ in range(rng.randint(1, 4)):
                if data:
                    data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            victim.write_bytes(bytes(data))
        elif attack == "truncate":
            victim.write_bytes(original[: rng.randrange(max(1, len(original)))])
        elif attack == "empty":
            victim.write_bytes(b"")
        elif attack == "random":
            victim.write_bytes(rng.randbytes(rng.randint(1, 4096)))
        elif attack == "swap":
            other = rng.choice(entries)
            victim.write_bytes(other.read_bytes() if other.exists() else b"")
        elif attack == "symlink":
            victim.symlink_to(self.outside)
        else:
            os.mkfifo(victim)

    def step(self, rng: random.Random) -> list[Finding]:
        entries = self._entries()
        if not entries:
            return [("cache: no entries were written", str(self.cache))]
        victim = rng.choice(entries)
        original = victim.read_bytes()
        attack = rng.choice(
            ["flip", "flip", "flip", "truncate", "empty", "random", "swap", "symlink", "fifo"]
        )
        victim.unlink()
        self._plant(victim, attack, original, entries, rng)
        self.last = victim.read_bytes() if victim.is_file() and not victim.is_symlink() else b""
        found: list[Finding] = []
        try:
            for args, want in zip(self.views, self.expected, strict=True):
                got = self._run(args, self.env)
                what = f"cache {attack}: {args[0]}"
                if got is None:
                    found.append((f"{what} hangs", str(victim)))
                elif got != want:
                    found.append((f"{what} differs from the uncached view", str(victim)))
            if self.outside.read_text(encoding="utf-8") != SECRET:
                found.append((f"cache {attack}: a file outside the cache was changed", ""))
                self.outside.write_text(SECRET, encoding="utf-8")
        finally:
            if victim.is_symlink() or victim.exists():
                victim.unlink()
            if not victim.exists():  # the run may have written a fresh entry in its place
                victim.write_bytes(original)
        return found


# --- files that are not regular files -------------------------------------------------------------


class FilesFamily:
    name = "files"
    last = b""

    def setup(self, work: Path) -> None:
        self.work = work / "files"
        self.work.mkdir()
        self.secret = self.work / "secret.txt"
        self.secret.write_text(f"token: {SECRET}\n", encoding="utf-8")
        self.env = base_env(ZJTRACK_NO_CACHE="1", ZJTRACK_FUZZ_SECRET=SECRET)
        self.files = [
            "units.yaml",
            "haidong-2024-74.yaml",
            "zhangye-2024-2.yaml",
            "progress/haidong-2024-74.yaml",
            "config.yaml",
        ]

    def _judge(
        self,
        what: str,
        done: subprocess.CompletedProcess[str] | None,
        label: str,
        attack: str,
        name: str,
    ) -> list[Finding]:
        if done is None:
            return [(f"{what} hangs", "")]
        found: list[Finding] = []
        out = done.stdout + done.stderr
        if SECRET in out:
            found.append((f"{what} printed the secret", out[-2000:]))
        if TRACEBACK in out:
            found.append((f"{what} traceback", done.stderr[-3000:]))
        unread = attack not in ("folder",)  # a folder is read as a folder of task files
        if label == "check" and unread and done.returncode != 2:
            found.append((f"{what} exit {done.returncode}, expected 2", done.stderr[-1000:]))
        if label == "record" and done.returncode == 0 and unread and name.startswith("progress/"):
            found.append((f"{what} recorded through a non-regular file", done.stderr[-500:]))
        return found

    def step(self, rng: random.Random) -> list[Finding]:
        tree = self.work / "tasks"
        if tree.exists():
            shutil.rmtree(tree)
        shutil.copytree(ROOT / "tasks", tree)
        (tree / "progress").mkdir(exist_ok=True)
        name = rng.choice(self.files)
        victim = tree / name
        if victim.exists():
            victim.unlink()
        attack = rng.choice(["secret", "environ", "zero", "fifo", "folder", "dangling"])
        if attack == "secret":
            victim.symlink_to(self.secret)
        elif attack == "environ":
            victim.symlink_to("/proc/self/environ")
        elif attack == "zero":
            victim.symlink_to("/dev/zero")
        elif attack == "fifo":
            os.mkfifo(victim)
        elif attack == "folder":
            victim.mkdir()
        else:
            victim.symlink_to(self.work / "nowhere.yaml")
        runs = [
            ("check", ["check", str(tree)]),
            ("status", ["status", str(tree)]),
            ("record", ["record", "hd-1-2", "1", "--date", AS_OF, "--tasks", str(tree)]),
        ]
        found: list[Finding] = []
        for label, args in runs:
            done = zjtrack(args, self.env, timeout=20)
            found += self._judge(f"{attack} at {name}: {label}", done, label, attack, name)
        if self.secret.read_text(encoding="utf-8") != f"token: {SECRET}\n":
            found.append((f"{attack} at {name}: the file outside was written", ""))
            self.secret.write_text(f"token: {SECRET}\n", encoding="utf-8")
        return found


# --- import --------------------------------------------------------------------------------------


def _docx_of(text: str) -> bytes:
    from docx import Document

    doc: Any = Document()
    for line in text.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _mangle_docx(data: bytes, rng: random.Random) -> bytes:
    """Damage a .docx: its zip (bytes flipped, cut) or its document.xml (tags cut, entities,
    deep nesting, control characters)."""
    how = rng.choice(["zip-flip", "zip-cut", "xml"])
    if how == "zip-flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if how == "zip-cut":
        return data[: rng.randrange(len(data))]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = members["word/document.xml"]
    trick = rng.choice(
        [
            b"<w:p>" * 5000,
            b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
            b"\x01\x02\x1b[31m",
            b"</w:body>",
            b"&undefined;",
            "\u202e\u200b".encode(),
        ]
    )
    at = rng.randrange(len(xml))
    members["word/document.xml"] = xml[:at] + trick + xml[at:]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


class ImportFamily:
    name = "import"
    last = b""

    def setup(self, work: Path) -> None:
        sys.path.insert(0, str(ROOT / "tests"))
        self.work = work / "import"
        self.work.mkdir()
        sources = [
            *sorted((SHARED / "seeds").glob("*.txt")),
            *sorted((SHARED / "import-corpus").glob("*.txt")),
            *sorted((ROOT / "tests" / "fixtures" / "import-extra").glob("*.txt")),
            *sorted((ROOT / "tests" / "fixtures" / "import").glob("*.txt")),
        ]  # the real documents of ../shared where present, and those kept with the tests
        self.texts = [p.read_bytes() for p in sources]
        self.env = base_env(ZJTRACK_NO_CACHE="1")
        self.units = ROOT / "tasks" / "units.yaml"

    def step(self, rng: random.Random) -> list[Finding]:
        from corpus.mutations import apply, random_ops

        base = rng.choice(self.texts)
        as_docx = rng.random() < 0.35
        if as_docx:
            data = _mangle_docx(_docx_of(base.decode("utf-8", "replace")), rng)
            src = self.work / "doc.docx"
        else:
            data = apply(base, random_ops(rng, 6))
            if rng.random() < 0.3:  # hostile characters where a title or a unit would be
                at = rng.randrange(len(data))
                data = (
                    data[:at]
                    + rng.choice(["\u202e", "\x1b]0;PWNED\x07", "\u200b", "\x9b"]).encode()
                    + data[at:]
                )
            src = self.work / "doc.txt"
        src.write_bytes(data)
        self.last = data
        for old in self.work.glob("*.yaml"):  # a fresh folder: no registry draft from the last turn
            old.unlink()
        out = self.work / "draft.yaml"
        done = zjtrack(
            ["import", str(src), "-o", str(out), "--units", str(self.units), "--force"],
            self.env,
            timeout=30,
        )
        kind = "docx" if as_docx else "text"
        if done is None:
            return [(f"import {kind}: hangs or runs past 30 s", "")]
        found: list[Finding] = []
        if TRACEBACK in done.stderr:
            found.append((f"import {kind}: traceback", done.stderr[-3000:]))
        if done.returncode not in (0, 1, 2):
            found.append((f"import {kind}: exit {done.returncode}", done.stderr[-2000:]))
        if re.search("[\x1b\x9b\u202e]", done.stderr):
            found.append((f"import {kind}: raw control or bidi characters in messages", ""))
        if done.returncode == 0 and out.exists():
            draft = out.read_text(encoding="utf-8", errors="replace")
            if "\u202e" in draft:
                found.append((f"import {kind}: a bidi override copied into the draft", ""))
            checked = zjtrack(["check", str(out), "--format", "json"], self.env, timeout=30)
            if checked is None:
                found.append((f"import {kind}: check of the draft hangs", ""))
            elif checked.returncode == 2 or (
                checked.returncode == 1 and json.loads(checked.stdout or "{}").get("errors", 0)
            ):
                found.append((f"import {kind}: the draft fails check", checked.stdout[-2000:]))
        return found


# --- returned forms ---------------------------------------------------------------------------


HOSTILE_CELLS: tuple[object, ...] = (
    "=1+1",
    ' =HYPERLINK("http://x")',
    "@SUM(A1)",
    "1e309",
    "nan",
    "-0",
    "９０％",
    "1,000.5",
    "\x1b[31m红\x1b[0m",
    "\u202e10",
    "",
    " ",
    "2026-02-30",
    "已完成",
    10**30,
    -1,
    0.1 + 0.2,
    "zy-1-1",
)


class FormsFamily:
    name = "forms"
    last = b""

    def setup(self, work: Path) -> None:
        import datetime as dt

        from zjtrack.evaluate import evaluate
        from zjtrack.forms.form import build_forms
        from zjtrack.forms.period import period_of
        from zjtrack.forms.write import form_csv, form_xlsx
        from zjtrack.load.loader import load_paths
        from zjtrack.registry import Registry

        self.tree = work / "forms-tree"
        shutil.copytree(ROOT / "tasks", self.tree)
        shutil.copytree(ROOT / "examples" / "demo", self.tree / "demo")
        self.when = dt.date.fromisoformat(AS_OF)
        self.plan = load_paths([str(self.tree)]).plan
        self.period = period_of(self.when, self.plan.config)
        forms = build_forms(evaluate(self.plan, self.when), Registry(self.plan.units), self.period)
        self.forms = [
            (name, form_xlsx(f, self.plan.config.form_password), form_csv(f))
            for name, f in sorted(forms.items())
        ]
        self.targets = {t.id for _, _, t in self.plan.all_targets()}

    def _mutate_xlsx(self, data: bytes, rng: random.Random) -> bytes:
        if rng.random() < 0.25:
            out = bytearray(data)
            for _ in range(rng.randint(1, 6)):
                out[rng.randrange(len(out))] = rng.randrange(256)
            return bytes(out)
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data))
        ws = wb.worksheets[0]
        for _ in range(rng.randint(1, 6)):
            how = rng.random()
            if how < 0.1 and ws.max_row > 2:
                ws.delete_rows(rng.randint(2, ws.max_row))
            elif how < 0.2:
                ws.insert_rows(rng.randint(1, ws.max_row + 1))
            else:
                row = rng.randint(1, ws.max_row + 2)
                col = rng.randint(1, ws.max_column + 1)
                value = rng.choice(HOSTILE_CELLS)
                if isinstance(value, str) and re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
                    value = value.replace("\x1b", "")  # openpyxl refuses C0 controls in cells
                ws.cell(row=row, column=col, value=value)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def _mutate_csv(self, data: bytes, rng: random.Random) -> bytes:
        lines = data.split(b"\r\n")
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(lines))
            cells = lines[at].split(b",")
            c = rng.randrange(len(cells))
            cells[c] = str(rng.choice(HOSTILE_CELLS)).encode("utf-8", "replace")
            lines[at] = b",".join(cells)
        return b"\r\n".join(lines)

    def step(self, rng: random.Random) -> list[Finding]:
        from zjtrack.forms.intake import plan_intake

        name, xlsx, csv = rng.choice(self.forms)
        if rng.random() < 0.7:
            file, data = f"{name}.xlsx", self._mutate_xlsx(xlsx, rng)
        else:
            file, data = f"{name}.csv", self._mutate_csv(csv, rng)
        self.last = data
        try:
            outcomes = plan_intake([(file, data)], self.plan, self.period, self.when)
        except Exception as e:  # an exception escaping the core is a bug
            return [(f"forms: {type(e).__name__} from intake", repr(e)[:2000])]
        found: list[Finding] = []
        for o in outcomes:
            for _, record in o.records:
                if record.target not in self.targets:
                    found.append(("forms: a record for a target that does not exist", repr(record)))
                value = record.value
                if value is not None and not (
                    isinstance(value, (int, float)) and math.isfinite(value)
                ):
                    found.append(
                        ("forms: a record with a value that is not a finite number", repr(record))
                    )
            for p in o.problems:
                if not p.message:
                    found.append(("forms: a refusal without a message", repr(p)))
        return found


FAMILIES = {f.name: f for f in (CacheFamily, FilesFamily, ImportFamily, FormsFamily)}
