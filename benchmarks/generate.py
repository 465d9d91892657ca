"""Generate a synthetic task tree (deterministic, seeded) for benchmarks.

    python benchmarks/generate.py OUT_DIR --measures 1000 [--records 10000] [--files 100]

Each measure gets 5 targets (quantities and milestones, with deadlines from 2024 to 2028) and the
records are spread over the targets as progress files, one per document. The data is fictional.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

UNITS = [f"合成市第{i}局" for i in range(40)]


def generate(out: Path, measures: int, records: int, files: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "progress").mkdir(exist_ok=True)
    units = ["zjtrack: 1", "units:"]
    for name in UNITS:
        units += [f"  - name: {name}", "    kind: department"]
    (out / "units.yaml").write_text("\n".join(units) + "\n", encoding="utf-8")
    per_file = max(1, measures // files)
    target_ids: list[tuple[str, str, bool]] = []  # (doc id, target id, milestone)
    for f in range(files):
        doc = f"synthetic-{f:04d}"
        lines = [
            "# 合成数据 · synthetic benchmark data",
            "zjtrack: 1",
            "document:",
            f"  id: {doc}",
            f"  title: 合成政策文件第{f}号",
            f"  doc_number: 合成〔2024〕{f}号",
            "  issuer: 合成市人民政府",
            "  issued: 2024-03-01",
            "measures:",
        ]
        for m in range(per_file):
            mid = f"s{f}-{m}"
            lead, resp = rng.sample(UNITS, 2)
            lines += [
                f"  - id: {mid}",
                f"    clause: {m + 1}、",
                f"    title: 合成措施{m}",
                f"    lead_units: [{lead}]",
                f"    responsible_units: [{resp}]",
                "    targets:",
            ]
            for t in range(5):
                tid = f"{mid}-{t}"
                year = rng.randint(2024, 2028)
                milestone = t % 3 == 2
                lines += [
                    f"      - id: {tid}",
                    f"        metric: 合成指标{t}",
                    f"        quote: 到{year}年底完成合成指标{t}",
                    f"        deadline: {year}年底",
                ]
                if not milestone:
                    lines += [
                        '        comparator: ">="',
                        f"        value: {rng.randint(1, 200)}",
                        "        unit: 个",
                    ]
                target_ids.append((doc, tid, milestone))
        (out / f"{doc}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_doc: dict[str, list[str]] = {}
    for _ in range(records):
        doc, tid, milestone = rng.choice(target_ids)
        year = rng.randint(2024, 2026)
        month = rng.randint(
            1, 10 if year == 2026 else 12
        )  # nothing after the benchmarks' as-of date
        day = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        value = "done: true" if milestone else f"value: {rng.randint(0, 220)}"
        by_doc.setdefault(doc, []).append(
            f"---\ntarget: {tid}\ndate: {day}\n{value}\nsource: {json.dumps('合成报表', ensure_ascii=False)}\n"
        )
    for doc, recs in by_doc.items():
        head = f"zjtrack: 1\ndocument: {doc}\n"
        (out / "progress" / f"{doc}.yaml").write_text(head + "".join(recs), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--measures", type=int, default=1000)
    ap.add_argument("--records", type=int, default=0)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    generate(a.out, a.measures, a.records, a.files, a.seed)


if __name__ == "__main__":
    main()
