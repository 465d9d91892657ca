"""What one appended record costs as a progress file grows, with and without the parse cache.

    python benchmarks/append_speed.py [--records 1000 5000] [--appends 20]

For each size, makes a progress file of that many records (fictional: one target, one record a
day), then appends `--appends` records to copies of it through `journal.append`, once with the
parse cache (as `record` and `intake` append) and once without (`ZJTRACK_NO_CACHE=1`), in pairs:
with, then without, then with... so both halves of a pair see the same moment's load on a shared
machine. The first append with the cache fills the cache and is left out (a `record` has just
loaded the tree through the same cache, so its file is already there).

Prints, per size, the median milliseconds per append of each and their ratio. Before the cache
was used by the writer, every append parsed the whole file twice (about 90 ms at 1,000 records
here), so filling a file of n records cost n² work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zjtrack.load.cache import FileCache
from zjtrack.model import ProgressRecord
from zjtrack.store import journal

DOC = "bench-doc"


def record(j: int) -> ProgressRecord:
    return ProgressRecord(
        "bench-1-1",
        dt.date(2020, 1, 1) + dt.timedelta(days=j),
        value=float(j),
        note=f"虚构记录 {j}",
        by="示例单位",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--appends", type=int, default=20)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zjtrack-append-"))
    try:
        print(f"{'records':>8} {'cache ms':>9} {'no cache ms':>12} {'ratio':>6}")
        for n in args.records:
            seed = work / f"seed-{n}.yaml"
            journal.append_many(seed, DOC, [record(j) for j in range(n)])
            cached, plain = [], []
            for variant in ("cache", "plain"):
                shutil.copy(seed, work / f"{variant}.yaml")
            store = FileCache(work / "cache")
            journal.append(work / "cache.yaml", DOC, record(n), store)  # fills the cache
            for j in range(args.appends):
                for variant, times in (("cache", cached), ("plain", plain)):
                    path = work / f"{variant}.yaml"
                    start = time.perf_counter()
                    journal.append(path, DOC, record(n + 1 + j), store if times is cached else None)
                    times.append(time.perf_counter() - start)
            a, b = statistics.median(cached) * 1000, statistics.median(plain) * 1000
            print(f"{n:>8} {a:>9.1f} {b:>12.1f} {a / b:>6.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
