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


def _measure_head(mid: str, m: int, lead: str, resp: str) -> list[str]:
    """A generated measure's lines up to its targets."""
    return [
        f"  - id: {mid}",
        f"    clause: {m + 1}、",
        f"    title: 合成措施{m}",
        f"    lead_units: [{lead}]",
        f"    responsible_units: [{resp}]",
        "    targets:",
    ]


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
            lines += _measure_head(mid, m, lead, resp)
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


COMPARATORS = (">=", ">", "<=", "<", "=", "range", "approx")


def generate_shapes(out: Path, measures: int = 60, seed: int = 11, rare: bool = True) -> None:
    """A small tree with every target shape the evaluator knows, for tests that compare two ways
    of judging: every comparator, ranges, tolerances stated or not, baselines, maintained
    targets, starts, no deadline, fractional values, records after the as-of dates and records
    with `recorded_at`. With `rare`: also per-entity targets, extensions approved in time and too
    late, corrections and withdrawals. Fictional data."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "progress").mkdir(exist_ok=True)
    units = ["zjtrack: 1", "units:"]
    for name in UNITS[:8]:
        units += [f"  - name: {name}", "    kind: department"]
    (out / "units.yaml").write_text("\n".join(units) + "\n", encoding="utf-8")
    doc = "shapes-0001"
    lines = [
        "# 合成数据 · synthetic test data",
        "zjtrack: 1",
        "document:",
        f"  id: {doc}",
        "  title: 合成政策文件（全部目标形态）",
        "  doc_number: 合成〔2024〕1号",
        "  issuer: 合成市人民政府",
        "  issued: 2024-03-01",
        "measures:",
    ]
    targets: list[tuple[str, str, bool]] = []  # (id, comparator or "", per entity)
    for m in range(measures):
        lead, resp = rng.sample(UNITS[:8], 2)
        lines += _measure_head(f"sh-{m}", m, lead, resp)
        for t in range(5):
            tid = f"sh-{m}-{t}"
            comp, each = _shape_target(rng, tid, t, rare, lines)
            targets.append((tid, comp, each))
    (out / f"{doc}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    recs = [f"zjtrack: 1\ndocument: {doc}\n"]
    for tid, comp, each in targets:
        recs += _shape_records(rng, tid, comp, each, rare)
    (out / "progress" / f"{doc}.yaml").write_text("".join(recs), encoding="utf-8")


def _shape_target(
    rng: random.Random, tid: str, t: int, rare: bool, lines: list[str]
) -> tuple[str, bool]:
    """One target of `generate_shapes`, appended to `lines`: its comparator ("" for a
    milestone) and whether it is judged per entity."""
    milestone = rng.random() < 0.25
    comp = "" if milestone else rng.choice(COMPARATORS)
    year, month = rng.randint(2024, 2028), rng.choice((3, 6, 9, 12))
    lines += [f"      - id: {tid}", f"        metric: 合成指标{t}"]
    lines.append(f"        quote: 合成指标{t}（虚构）")
    if rng.random() < 0.1:
        lines.append("        deadline_reason: 文件未规定时限（虚构）")
    else:
        lines.append(f"        deadline: {year}年{month}月底")
    if rng.random() < 0.2:
        lines.append(f"        start: {rng.randint(2022, 2023)}年")
    if milestone:
        lines.append("        kind: milestone")
    else:
        value = rng.choice((0, 1, 5, 12.5, 60, 90, 200))
        lines += [f'        comparator: "{comp}"', f"        value: {value}"]
        unit = rng.choice(("个", "项", "万元"))
        if t == 4 and int(tid.split("-")[1]) % 3 == 0:  # a cell that runs past 60
            unit += "（按合成统计口径计算的各类合成项目及其配套设施数量）"
        lines.append(f'        unit: "{unit}"')
        if comp == "range":
            lines.append(f"        value_max: {value + rng.choice((1, 10, 2.5))}")
        if comp == "approx" and rng.random() < 0.5:
            lines.append(f"        tolerance: {rng.choice((0.5, 2, 5))}")
        if comp in ("<=", "<") and rng.random() < 0.7:
            lines.append(f"        baseline: {value + rng.choice((0, 10, 40))}")
        if rng.random() < 0.2:
            lines.append("        maintain: true")
    each = rare and rng.random() < 0.08
    if each:
        lines.append("        each: 各合成学校")
        lines.append("        entities: [合成甲校, 合成乙校]")
    if rare and rng.random() < 0.08:
        approved = f"{rng.randint(2024, 2027)}-{rng.randint(1, 12):02d}-15"
        lines += [
            "        extensions:",
            f"          - deadline: {year + 1}年底",
            "            approved_by: 合成市人民政府（虚构）",
            f"            approved_on: {approved}",
        ]
    return comp, each


def _shape_records(rng: random.Random, tid: str, comp: str, each: bool, rare: bool) -> list[str]:
    """The progress records of one target of `generate_shapes`."""
    recs = []
    for _ in range(rng.choice((0, 0, 1, 2, 3, 5))):
        year = rng.randint(2024, 2026)
        month = rng.randint(1, 10 if year == 2026 else 12)  # none after the tests' today
        day = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        body = f"---\ntarget: {tid}\ndate: {day}\n"
        if not comp:
            body += f"done: {rng.choice(('true', 'false'))}\n"
        else:
            body += f"value: {rng.choice((0, 1, 3, 5.5, 11, 12.5, 59, 60, 61, 88, 90, 95, 210))}\n"
        entity = f"entity: {rng.choice(('合成甲校', '合成乙校'))}\n" if each else ""
        body += entity
        if rng.random() < 0.15:
            body += f"recorded_at: {day}\n"
        recs.append(body)
        if rare and comp and rng.random() < 0.05:
            kind = rng.choice(("corrects", "withdraws"))
            fixed = f"---\ntarget: {tid}\ndate: {day}\n{kind}: {day}\n"
            if kind == "corrects":
                fixed += "value: 77\n"
            recs.append(fixed + entity)
    return recs


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
