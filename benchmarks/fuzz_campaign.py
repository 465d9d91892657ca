"""A long fuzzing campaign over the real task files: mutate, load, check, judge, render; report
every exception and every broken invariant, with a reproducer.

    python benchmarks/fuzz_campaign.py [--minutes 10] [--seed 1] [--out DIR] [--cli-every 20]
                                       [--families tree,cache,files,import,forms]

Each iteration takes one file of a copy of the shipped tasks/ (the two documents, units.yaml) or
of a progress file of real targets (every target of both documents, with hand-written comments),
applies 1-4 random mutations from tests/corpus/mutations.py (byte flips, lines deleted or doubled,
tokens swapped, YAML syntax characters and arbitrary Unicode inserted, truncation), and then:

- in-process: load_paths, run_checks and evaluate must not raise; every problem names its file,
  and a line and column >= 1 (0, 0 for the whole-file codes) within the file;
- every --cli-every iterations, through the CLI (typer's CliRunner): `check` exits 1 exactly when
  there are errors, 0 otherwise; `status` exits 0 and notes the loader's errors on stderr;
  `report weekly --format md` and `report ledger --format csv` exit 1 exactly when the loaded
  files have errors (the result is incomplete: issue 12), say so on stderr naming each file, and
  exit 0 otherwise; no traceback anywhere.

The other families (benchmarks/fuzz_attacks.py) attack what is not a task file's text: corrupted
cache entries, links and special files in the tree, hostile policy documents for `import` and
hostile returned forms for `intake`. They take turns with the tree family (which runs
--tree-burst iterations per turn, being a thousand times cheaper than a real process).

Findings are grouped by kind and place (exception type and innermost zjtrack frame, or the
invariant); the first reproducer of each is written to --out as the mutated file plus a JSON
note. The summary (iterations, minutes, findings) is printed as JSON at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from corpus.mutations import apply, random_ops  # noqa: E402
from fuzz_attacks import FAMILIES  # noqa: E402

from zjtrack.checks import run_checks  # noqa: E402
from zjtrack.evaluate import evaluate  # noqa: E402
from zjtrack.load.loader import load_paths  # noqa: E402
from zjtrack.model import ProgressRecord, TargetKind  # noqa: E402
from zjtrack.problems import Severity  # noqa: E402
from zjtrack.store import journal  # noqa: E402

AS_OF = "2026-11-25"
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
WHOLE_FILE = {"empty-file", "too-large", "unreadable"}
NOTE = re.compile(r"^结果不完整：以下文件有错误", re.M)
DOUBT = re.compile(r"^结果可能不准确：zjtrack check 在以下文件中发现错误", re.M)


def progress_text(tasks: Path) -> dict[str, bytes]:
    """One progress file per document: a record for every target, the way `record` writes them,
    behind a hand-written header with comments."""
    plan = load_paths([str(tasks)]).plan
    out: dict[str, bytes] = {}
    for doc in plan.documents:
        parts = [
            f"# 进展记录（{doc.id}）：手工维护与 zjtrack record 追加\nzjtrack: 1\nprogress: {doc.id}  # 文件编号\n"
        ]
        for n, (_, t) in enumerate((m, t) for m in doc.measures for t in m.targets):
            if t.per_entity and t.entities:
                entity: str | None = t.entities[n % len(t.entities)]
            else:
                entity = None
            if t.per_entity and entity is None:
                continue
            milestone = t.kind is TargetKind.MILESTONE
            value = (
                None
                if milestone
                else float(min(t.value or 1, 100) * 0.8 if t.unit == "%" else (t.value or 1) // 2)
            )
            rec = ProgressRecord(
                t.id,
                dt.date(2026, 1 + n % 10, 1 + n % 27),
                value=value,
                done=(n % 2 == 0) if milestone else None,
                entity=entity,
                source=f"第{n}号月报",
                by="市教育局",
                note="进展" if n % 3 else None,
                problems="资金未到位" if n % 5 == 0 else None,
                next_steps="下月完成" if n % 7 == 0 else None,
            )
            parts.append(journal.render_record(rec))
        out[f"progress/{doc.id}.yaml"] = "".join(parts).encode("utf-8")
    return out


class Campaign:
    def __init__(self, out: Path, cli_every: int) -> None:
        self.out = out
        self.cli_every = cli_every
        self.findings: dict[str, dict[str, Any]] = {}
        self.counts: Counter[str] = Counter()
        self.iterations = 0
        self.cli_runs = 0
        self.problems_seen: Counter[str] = Counter()
        self._runner: Any = None

    # --- recording a finding ------------------------------------------------------------------
    def found(self, key: str, detail: str, file: str, data: bytes, ops: list[Any]) -> None:
        self.counts[key] += 1
        if key in self.findings:
            return
        digest = hashlib.sha1(key.encode()).hexdigest()[:10]
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / f"{digest}.bin").write_bytes(data)
        note = {
            "key": key,
            "detail": detail[-4000:],
            "file": file,
            "ops": [list(map(repr, op)) for op in ops],
            "reproducer": f"{digest}.bin",
        }
        (self.out / f"{digest}.json").write_text(
            json.dumps(note, ensure_ascii=False, indent=2), "utf-8"
        )
        self.findings[key] = note
        sys.stderr.write(f"finding: {key}\n")

    # --- the checks ----------------------------------------------------------------------------
    def core(
        self, tree: Path, file: str, data: bytes, ops: list[Any]
    ) -> tuple[list[Any], list[Any]] | None:
        try:
            result = load_paths([str(tree)])
            checked = run_checks(result.plan, AS_OF_DATE)
            evaluate(result.plan, AS_OF_DATE)
        except Exception as e:  # an exception escaping the core is a bug
            frames = [f for f in traceback.extract_tb(e.__traceback__) if "/zjtrack/" in f.filename]
            where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
            self.found(
                f"exception {type(e).__name__} at {where}", traceback.format_exc(), file, data, ops
            )
            return None
        lines = len(re.split(rb"\r\n|\r|\n", data))
        for p in result.problems + checked:
            self.problems_seen[p.code] += 1
            rel = Path(p.path).relative_to(tree).as_posix()
            if p.code in WHOLE_FILE:
                if (p.line, p.column) != (0, 0):
                    self.found(f"whole-file code {p.code} with a place", repr(p), file, data, ops)
            elif p.line < 1 or p.column < 1:
                self.found(f"{p.code} without a place", repr(p), file, data, ops)
            elif rel == file and p.line > lines + 1:
                self.found(
                    f"{p.code} past the end of the file",
                    f"{p!r} (file has {lines} lines)",
                    file,
                    data,
                    ops,
                )
        return result.problems, checked

    def cli(
        self,
        tree: Path,
        file: str,
        data: bytes,
        ops: list[Any],
        loaded: list[Any],
        checked: list[Any],
    ) -> None:
        import typer.main
        import typer.testing
        from typer.testing import CliRunner

        from zjtrack.cli.app import app

        if (
            self._runner is None
        ):  # one click command for the whole campaign (typer rebuilds it per invoke)
            built = typer.main.get_command(app)
            typer.testing._get_command = lambda a: built  # type: ignore[attr-defined]
            self._runner = CliRunner()
        env = {
            "ZJTRACK_AS_OF": AS_OF,
            "ZJTRACK_NO_CACHE": "1",
            "ZJTRACK_LANG": None,
            "GITHUB_ACTIONS": None,
            "ZJTRACK_DEBUG": None,
        }
        self.cli_runs += 1
        errors = any(p.severity is Severity.ERROR for p in loaded + checked)
        result = load_paths([str(tree)])
        broken = result.broken()  # what makes a view incomplete (issue 12)
        doubtful = result.doubtful()  # what check alone finds: a view that may be wrong
        view = {1 if broken or doubtful else 0}
        runs = [
            ("check", ["check", str(tree)], {1 if errors else 0}),
            ("status", ["status", str(tree)], view),
            ("weekly", ["report", "weekly", str(tree), "--format", "md"], view),
            ("ledger", ["report", "ledger", str(tree), "--format", "csv"], view),
        ]
        for name, args, codes in runs:
            r = self._runner.invoke(app, args, env=env)
            if r.exception is not None and not isinstance(r.exception, SystemExit):
                e = r.exception
                frames = [
                    f for f in traceback.extract_tb(e.__traceback__) if "/zjtrack/" in f.filename
                ]
                where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
                detail = "".join(traceback.format_exception(type(e), e, e.__traceback__))
                self.found(
                    f"{name}: exception {type(e).__name__} at {where}", detail, file, data, ops
                )
                continue
            if r.exit_code not in codes:
                self.found(
                    f"{name}: exit {r.exit_code}, expected {sorted(codes)}",
                    r.stdout[-2000:] + r.stderr[-2000:],
                    file,
                    data,
                    ops,
                )
            if "Traceback" in r.stdout + r.stderr:
                self.found(f"{name}: traceback printed", r.stderr[-4000:], file, data, ops)
            if name != "check":
                note = NOTE.search(r.stderr)
                named = all(path in r.stderr for path in broken)
                if bool(note) != bool(broken) or not named:
                    self.found(
                        f"{name}: the incomplete-result note disagrees with the loader",
                        r.stderr[:500],
                        file,
                        data,
                        ops,
                    )
                doubt = DOUBT.search(r.stderr)
                if bool(doubt) != bool(doubtful) or not all(p in r.stderr for p in doubtful):
                    self.found(
                        f"{name}: the may-be-wrong note disagrees with check",
                        r.stderr[:500],
                        file,
                        data,
                        ops,
                    )


def tree_burst(
    campaign: Campaign,
    tree: Path,
    originals: dict[str, bytes],
    files: list[str],
    rng: random.Random,
    args: argparse.Namespace,
    start: float,
) -> int:
    """--tree-burst mutated-tree iterations (each file restored after its turn); returns how many."""
    for _ in range(args.tree_burst):
        file = rng.choice(files)
        ops = random_ops(rng)
        data = apply(originals[file], ops)
        (tree / file).write_bytes(data)
        try:
            got = campaign.core(tree, file, data, ops)
            if got is not None and campaign.iterations % args.cli_every == 0:
                campaign.cli(tree, file, data, ops, *got)
        finally:
            (tree / file).write_bytes(originals[file])
        campaign.iterations += 1
        if campaign.iterations % 1000 == 0:
            rate = campaign.iterations / (time.monotonic() - start)
            sys.stderr.write(
                f"{campaign.iterations} iterations, {rate:.0f}/s, {len(campaign.findings)} findings\n"
            )
    return args.tree_burst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument(
        "--max-iterations",
        type=int,
        default=0,
        help="stop after this many (0: only the time bounds)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cli-every", type=int, default=20)
    ap.add_argument("--families", default="tree,cache,files,import,forms")
    ap.add_argument("--tree-burst", type=int, default=25)
    ap.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "zjtrack-fuzz-findings"
    )
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="zjtrack-fuzz-"))
    tree = work / "tasks"
    shutil.copytree(ROOT / "tasks", tree, ignore=shutil.ignore_patterns("progress", ".*"))
    originals = {p.relative_to(tree).as_posix(): p.read_bytes() for p in tree.rglob("*.yaml")}
    for name, data in progress_text(tree).items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(data)
        originals[name] = data
    clean = load_paths([str(tree)])
    baseline = [
        p
        for p in clean.problems + run_checks(clean.plan, AS_OF_DATE)
        if p.severity is Severity.ERROR
    ]
    assert not baseline, f"the unmutated tree must be clean: {baseline[:3]}"
    files = sorted(originals)
    campaign = Campaign(args.out, args.cli_every)
    chosen = [f.strip() for f in args.families.split(",") if f.strip()]
    unknown = set(chosen) - {"tree", *FAMILIES}
    if unknown:
        ap.error(f"unknown families: {', '.join(sorted(unknown))}")
    others = []
    for name in chosen:
        if name != "tree":
            family = FAMILIES[name]()
            family.setup(work)
            others.append(family)
    attacks: Counter[str] = Counter()
    start = time.monotonic()
    deadline = start + args.minutes * 60

    def more() -> bool:
        return time.monotonic() < deadline and (
            not args.max_iterations or campaign.iterations < args.max_iterations
        )

    try:
        while more():
            if "tree" in chosen:
                attacks["tree"] += tree_burst(campaign, tree, originals, files, rng, args, start)
            for family in others:
                if not more():
                    break
                for key, detail in family.step(rng):
                    campaign.found(key, detail, family.name, family.last, [])
                attacks[family.name] += 1
                campaign.iterations += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - start
    summary = {
        "iterations": campaign.iterations,
        "cli_iterations": campaign.cli_runs,
        "attacks": dict(attacks),
        "minutes": round(elapsed / 60, 2),
        "per_second": round(campaign.iterations / elapsed, 1),
        "seed": args.seed,
        "files": files,
        "findings": {
            k: {"count": campaign.counts[k], "reproducer": str(args.out / v["reproducer"])}
            for k, v in campaign.findings.items()
        },
        "observations": {k: v for k, v in campaign.counts.items() if k not in campaign.findings},
        "problem_codes_seen": dict(campaign.problems_seen.most_common()),
    }
    sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return 1 if campaign.findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
