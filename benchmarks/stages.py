"""A cold `zjtrack overdue` (an empty cache folder: a user's first run) by stages, in one process.

    python benchmarks/stages.py TREE [--as-of DATE] [--repeat N]

Runs the steps the `overdue` view runs over the object model, as `cli/views.py` runs them, each
timed on its own, and prints the median milliseconds of each stage as JSON:

- parse: every file read, parsed and written to the parse cache (`load_paths`);
- check: the cross-file rules a view runs before it trusts the tree (`LoadResult.doubtful`);
- judge: every target whose deadline has passed judged as of the date (`evaluate`);
- render: the overdue table made and laid out as plain text (`results_table`, `render_plain`);
- snapshot save: the columnar snapshot made and written (`snapshot.save`), once a tree's files are
  out of the cache's racy margin (here: set to 0, as for files older than 2 s).

Each repeat starts from an empty cache folder. Start-up (the interpreter and imports) is not in
any stage; `benchmarks/run.py` measures whole runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import tempfile
import time


def once(tree: str, as_of: dt.date) -> dict[str, float]:
    """One cold run's stages, in milliseconds."""
    from zjtrack.evaluate import Status, deadline_passed, evaluate
    from zjtrack.load import cache, snapshot
    from zjtrack.load.loader import load_paths
    from zjtrack.registry import Registry
    from zjtrack.render.terminal import render_plain
    from zjtrack.views import results_table

    folder = tempfile.mkdtemp(prefix="zjtrack-stages-")
    os.environ["ZJTRACK_CACHE_DIR"] = folder
    cache.RACY_NS = 0
    took: dict[str, float] = {}
    try:
        start = time.perf_counter()
        began_ns = time.time_ns()
        result = load_paths([tree], cache.FileCache(cache.cache_dir(), racy_ns=0))
        took["parse"] = time.perf_counter() - start
        start = time.perf_counter()
        assert not result.broken() and not result.doubtful(), "a tree with errors"
        took["check"] = time.perf_counter() - start
        start = time.perf_counter()
        results = evaluate(result.plan, as_of, deadline_passed(as_of))
        took["judge"] = time.perf_counter() - start
        start = time.perf_counter()
        registry = Registry(result.plan.units)
        chosen = [r for r in results if r.status is Status.OVERDUE]
        render_plain(results_table("overdue", chosen, registry, "zh", results), "zh")
        took["render"] = time.perf_counter() - start
        start = time.perf_counter()
        snapshot.save([tree], result, began_ns)
        took["snapshot save"] = time.perf_counter() - start
        assert snapshot.load([tree]) is not None, "no snapshot made"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {name: seconds * 1000 for name, seconds in took.items()}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("tree")
    ap.add_argument("--as-of", default="2026-11-25")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    runs = [once(a.tree, dt.date.fromisoformat(a.as_of)) for _ in range(a.repeat)]
    print(json.dumps({name: statistics.median(r[name] for r in runs) for name in runs[0]}))


if __name__ == "__main__":
    main()
