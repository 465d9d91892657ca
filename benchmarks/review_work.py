"""How much a reviewer must change in `zjtrack import`'s draft to reach the shipped task file
(issue 15, point 5): for each document of tasks/ whose source is in ../shared/seeds, the draft's
targets are matched to the curated ones, then counted:

- deletions: draft targets no curated target matches (the reviewer deletes them);
- additions: curated targets no draft target matches (the reviewer writes them);
- rewrites: matched targets whose metric must be rewritten (the two share no run of four
  characters, and neither holds the other) or whose comparator differs.

A draft target matches a curated one of the same kind when their quotes overlap (one holds the
other, or they share a run of 8 characters) and, for quantities, their values agree. Each
curated target is matched at most once.

    python benchmarks/review_work.py [--root CHECKOUT]

`--root` imports with another checkout's zjtrack (an older commit in a worktree), for a
before/after table from one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DOCUMENTS = {
    "haidong-2024-74": ("003_9869fb98e2f8f066.txt", "hd"),
    "zhangye-2024-2": ("000_fd82b0ba76f22658.txt", "zy"),
}

_DRAFT = """
import json, sys
sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f).lower()]  # the --root copy
from zjtrack.importer import import_text
from zjtrack.load.loader import load_file
units = load_file(sys.argv[3]).units
draft = import_text(open(sys.argv[1], encoding="utf-8").read(), units=units, prefix=sys.argv[2])
out = []
for m in draft.measures:
    for t in m.targets:
        out.append({"kind": "milestone" if t.kind == "milestone" else "quantity",
                    "metric": t.metric, "quote": t.quote, "comparator": t.comparator,
                    "value": t.value, "deadline": t.deadline})
print(json.dumps(out, ensure_ascii=False))
"""


def drafted(root: Path, seed: Path, prefix: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", _DRAFT, str(seed), prefix, str(ROOT / "tasks" / "units.yaml")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        cwd=root,  # `-c` puts the working folder first on the path
        check=True,
    )
    return list(json.loads(done.stdout))


def curated(doc: str) -> list[dict[str, object]]:
    sys.path.insert(0, str(ROOT))
    from zjtrack.load.loader import load_paths

    plan = load_paths([str(ROOT / "tasks")]).plan
    out = []
    for d in plan.documents:
        if d.id != doc:
            continue
        for m in d.measures:
            for t in m.targets:
                out.append(
                    {
                        "kind": t.kind.value,
                        "metric": t.metric,
                        "quote": t.quote or "",
                        "comparator": t.comparator.value if t.comparator else None,
                        "value": t.value,
                        "deadline": t.deadline_text if hasattr(t, "deadline_text") else None,
                    }
                )
    return out


def _overlap(a: str, b: str, run: int = 8) -> bool:
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(short[i : i + run] in long for i in range(0, max(1, len(short) - run + 1)))


def score(draft: list[dict[str, object]], shipped: list[dict[str, object]]) -> dict[str, int]:
    free = list(range(len(shipped)))
    matched: list[tuple[dict[str, object], dict[str, object]]] = []
    deletions = 0
    for t in draft:
        found = None
        for i in free:
            s = shipped[i]
            if s["kind"] != t["kind"] or not _overlap(str(t["quote"]), str(s["quote"])):
                continue
            if t["kind"] == "quantity" and t["value"] != s["value"]:
                continue
            found = i
            break
        if found is None:
            deletions += 1
        else:
            free.remove(found)
            matched.append((t, shipped[found]))
    rewrites = sum(
        1
        for t, s in matched
        if not _overlap(str(t["metric"]), str(s["metric"]), run=4)
        or (t["kind"] == "quantity" and t["comparator"] != s["comparator"])
    )
    return {
        "drafted": len(draft),
        "curated": len(shipped),
        "deletions": deletions,
        "additions": len(free),
        "rewrites": rewrites,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout whose importer drafts")
    args = ap.parse_args(argv)
    if not SEEDS.is_dir():
        sys.stderr.write(f"no seeds at {SEEDS}\n")
        return 2
    total = {"drafted": 0, "curated": 0, "deletions": 0, "additions": 0, "rewrites": 0}
    print("| document | drafted | curated | deletions | additions | rewrites |")
    print("|---|---:|---:|---:|---:|---:|")
    for doc, (seed, prefix) in DOCUMENTS.items():
        got = score(drafted(args.root, SEEDS / seed, prefix), curated(doc))
        for k in total:
            total[k] += got[k]
        print(f"| {doc} | " + " | ".join(str(got[k]) for k in total) + " |")
    print("| all | " + " | ".join(str(total[k]) for k in total) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
