"""How long a returned form of 200 filled rows takes to check and take in.

    python benchmarks/intake_speed.py [--rows 200] [--repeat 5]

Builds a synthetic task tree (fictional: one document, one unit leading ROWS targets, half
quantities and half milestones) in a temporary folder, writes that unit's form with
`zjtrack form`, fills every row with openpyxl as a unit would, then times, on fresh copies of
the tree:

- `core`: reading, verifying and checking the return and writing its records and archive
  (`forms.intake.plan_intake` + `commit`, the plan already loaded);
- `command`: `zjtrack intake FILE --yes` as a process, start-up and loading included.

Prints one JSON object with the best and median of each, in seconds. The goal is under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

UNITS = """\
zjtrack: 1
units:
  - name: 合成市教育局
    kind: department
    region: 合成市
"""


def document(rows: int) -> str:
    lines = [
        "zjtrack: 1",
        "document:",
        "  id: bench",
        "  title: 合成市基准测试文件",
        "  doc_number: 合政〔2025〕1号",
        "  issuer: 合成市人民政府",
        "  issued: 2025-01-01",
        "  region: 合成市",
        "measures:",
        "  - id: b-1",
        "    clause: 一、",
        "    title: 基准措施",
        "    lead_units: [合成市教育局]",
        "    targets:",
    ]
    for i in range(rows):
        lines.append(f"      - id: b-1-{i + 1}")
        if i % 2:
            lines += ["        kind: milestone", f"        metric: 第{i + 1}项工作"]
        else:
            lines += [
                f"        metric: 第{i + 1}项指标",
                '        comparator: ">="',
                "        value: 100",
                "        unit: 个",
            ]
        lines += ["        deadline: 2026年底", f'        quote: "完成第{i + 1}项"']
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import openpyxl

    from zjtrack.forms.intake import commit, plan_intake
    from zjtrack.forms.period import parse_period
    from zjtrack.load.loader import load_paths

    zjtrack = str(Path(sys.executable).with_name("zjtrack"))
    as_of = "2025-03-05"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tasks = root / "tasks"
        tasks.mkdir()
        (tasks / "units.yaml").write_text(UNITS, encoding="utf-8")
        (tasks / "bench.yaml").write_text(document(args.rows), encoding="utf-8")
        subprocess.run(
            [zjtrack, "form", str(tasks), "-o", str(root / "forms"), "--as-of", as_of],
            check=True,
            capture_output=True,
        )
        (form,) = (root / "forms").iterdir()
        wb = openpyxl.load_workbook(form)
        ws = wb["报送表"]
        for r in range(2, ws.max_row + 1):
            ws.cell(r, 8).value = 50 + r if r % 2 == 0 else "完成"
            ws.cell(r, 10).value = "基准测试报表"
            ws.cell(r, 13).value = "张三"
        returned = root / "合成市教育局.xlsx"
        wb.save(returned)
        data = returned.read_bytes()

        core, command = [], []
        for i in range(args.repeat):
            copy = root / f"t{i}"
            shutil.copytree(tasks, copy)
            plan = load_paths([str(copy)]).plan
            period = parse_period("2025-W10", plan.config)
            start = time.perf_counter()
            (outcome,) = plan_intake([(returned.name, data)], plan, period, dt.date(2025, 3, 5))
            commit(copy, outcome)
            core.append(time.perf_counter() - start)
            assert outcome.accepted and len(outcome.records) == args.rows, outcome.problems

            copy = root / f"c{i}"
            shutil.copytree(tasks, copy)
            start = time.perf_counter()
            subprocess.run(
                [
                    zjtrack,
                    "intake",
                    str(returned),
                    "--tasks",
                    str(copy),
                    "--as-of",
                    as_of,
                    "--yes",
                    "--receipts",
                    str(root / "receipts"),
                ],
                check=True,
                capture_output=True,
            )
            command.append(time.perf_counter() - start)

    print(
        json.dumps(
            {
                "rows": args.rows,
                "core_best_s": round(min(core), 3),
                "core_median_s": round(statistics.median(core), 3),
                "command_best_s": round(min(command), 3),
                "command_median_s": round(statistics.median(command), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
