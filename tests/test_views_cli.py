"""The views through the CLI: status, overdue, due, show and units on tasks/ + examples/demo.

Every invocation asserts stdout, stderr and the exit code separately. The demo (FICTIONAL records,
see examples/demo/README.md) is judged as of 2026-11-25, where it has every status and level.
Golden files: tests/golden/status-demo.{md,json}; regenerate with ZJTRACK_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import CLEAN_ENV
from conftest import cli as shared_cli

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = "2026-11-25"
DEMO = ["tasks", "examples/demo"]  # relative to the project root, as in the README of the demo

ROW_FIELDS = {
    "document",
    "doc_number",
    "measure",
    "clause",
    "measure_title",
    "id",
    "kind",
    "metric",
    "comparator",
    "value",
    "value_max",
    "tolerance",
    "unit",
    "baseline",
    "maintain",
    "each",
    "entities",
    "start",
    "start_text",
    "deadline",
    "deadline_text",
    "deadline_reason",
    "lead_units",
    "responsible_units",
    "lead_colleges",
    "lead_enterprises",
    "lead_enterprise_rule",
    "supporting_units",
    "quote",
    "note",
    "target",
    "deadline_in_force",
    "extension_ignored",
    "days_left",
    "days_late",
    "status",
    "status_label",
    "level",
    "level_label",
    "completion",
    "time_elapsed",
    "gap",
    "met",
    "over",
    "latest_value",
    "latest_date",
    "latest_source",
    "latest_text",
    "records",
    "stale",
    "entities_known",
    "entity_results",
    "problems",
    "next_steps",
}
OVERDUE_DEMO = {
    "hd-5-1",
    "hd-5-6",
    "hd-5-7",
    "hd-5-8",
    "hd-5-9",
    "hd-5-10",
    "zy-1-2",
    "zy-1-4",
    "demo-2-2",
}
RED_DEMO = OVERDUE_DEMO | {"demo-2-1"}
HOSTILE = ("<script>alert(1)</script>", '=HYPERLINK("http://x")', "[bold]markup[/bold]")


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str, stdout_bytes: bytes) -> None:
        self.exit_code, self.stdout, self.stderr, self.stdout_bytes = (
            exit_code,
            stdout,
            stderr,
            stdout_bytes,
        )

    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ZJTRACK_LANG", "ZJTRACK_AS_OF", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(ROOT)


def cli(*args: str) -> Run:
    # this module sets its environment with monkeypatch (see _clean_env): pass it through
    result = shared_cli(*args, env={name: os.environ.get(name) for name in CLEAN_ENV})
    # result.stdout turns CRLF into LF; CSV tests need the bytes as written
    return Run(
        result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr, result.stdout_bytes
    )


def ok(*args: str) -> Run:
    """Run and require exit 0 and a silent stderr."""
    run = cli(*args)
    assert (run.exit_code, run.stderr) == (0, ""), (run.exit_code, run.stderr, run.stdout[-500:])
    return run


def demo(command: str, *args: str) -> Run:
    return ok(command, *DEMO, "--as-of", AS_OF, *args)


def show(ident: str, *args: str) -> Run:
    return ok("show", ident, *DEMO, "--as-of", AS_OF, *args)


def target_rows(*paths: str) -> list[dict[str, Any]]:
    """`zjtrack targets PATHS --format json` (a bare array; older versions wrapped it in {"rows": …})."""
    doc = ok("targets", *(paths or ["tasks"]), "--format", "json").json()
    return doc if isinstance(doc, list) else doc["rows"]  # type: ignore[return-value]


def rows_by_id(run: Run) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in run.json()["rows"]}


@functools.cache
def _demo_status_json() -> str:
    return demo("status", "--format", "json").stdout


def demo_status() -> dict[str, Any]:
    """`status tasks examples/demo --as-of 2026-11-25 --format json`, run once per session."""
    return json.loads(_demo_status_json())  # type: ignore[no-any-return]


def demo_rows() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in demo_status()["rows"]}


# --- status, JSON -------------------------------------------------------------------------------------


def test_status_json_is_versioned_with_stable_fields() -> None:
    doc = demo_status()
    assert doc["version"] == 2 and doc["view"] == "status" and doc["as_of"] == AS_OF
    assert doc["rows"], "no rows"
    for row in doc["rows"]:
        assert set(row) >= ROW_FIELDS, ROW_FIELDS - set(row)
        assert row.get("row", "target") == "target"
    ids = [r["id"] for r in doc["rows"]]
    assert len(ids) == len(set(ids)) == doc["summary"]["total"]
    counts = {s: sum(r["status"] == s for r in doc["rows"]) for s in doc["summary"]["by_status"]}
    assert counts == doc["summary"]["by_status"]
    levels = {lv: sum(r["level"] == lv for r in doc["rows"]) for lv in ("red", "yellow", "blue")}
    assert levels == doc["summary"]["by_level"]


MARK = "\0zjtrack-json-mark\0"  # what `render.json.iter_array` cuts one dumps at


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"a": 1}],
        [{"a": 1.0, "b": [None, "x"]}, 2, "三", -0.0, float("nan")],
        [{"k": MARK}, {"k": [MARK, 1]}, 3],  # an item holding the mark itself
        [MARK, MARK, {MARK: MARK}],
        [{"row": "measure", "n": n, "s": f"第{n}项\u202e"} for n in range(2345)],  # chunks
    ],
)
def test_iter_array_writes_each_item_as_json_dumps_does(items: list[Any]) -> None:
    """`iter_array` writes many items with one `json.dumps`, cut at marks: the very text of one
    `json.dumps` per item, one per line."""
    from zjtrack.render.json import iter_array

    for indent in ("", "  "):
        each = [json.dumps(x, ensure_ascii=False) for x in items]
        lines = ("\n" + ",\n".join(indent + "  " + t for t in each) + "\n" + indent) if each else ""
        assert "".join(iter_array(items, indent)) == "[" + lines + "]"


def test_iter_array_fails_where_one_dumps_per_item_fails() -> None:
    """An item json cannot write: the items before it are written, then the error."""
    from zjtrack.render.json import iter_array

    written = iter_array([1, 2, object(), 4])
    assert next(written) == "["
    assert next(written) == "\n  1"
    assert next(written) == ",\n  2"
    with pytest.raises(TypeError):
        next(written)


def test_rollups_worst_status_wins() -> None:
    doc = demo_status()
    rollups = {r["id"]: r for r in doc.get("rollups", [])}
    if not rollups:
        pytest.skip("this version has no roll-up rows")
    targets = doc["rows"]
    order = ["overdue", "behind", "no_data", "in_progress", "on_track", "done_late", "done"]

    def worst(statuses: set[str]) -> str:  # 无进展数据 never hides progress (evaluate.rollup)
        heard = statuses - {"no_data"}
        if not heard:
            return "no_data"
        w = min(heard, key=order.index)
        return "in_progress" if "no_data" in statuses and w.startswith("done") else w

    for key, kind in (("measure", "measure"), ("document", "document")):
        groups: dict[str, list[dict[str, Any]]] = {}
        for t in targets:
            groups.setdefault(t[key], []).append(t)
        for ident, members in groups.items():
            row = rollups[ident]
            assert row["row"] == kind
            assert row["status"] == worst({m["status"] for m in members}), ident
            assert row["targets"] == len(members)
            levels = {m["level"] for m in members}
            assert row["level"] == next(
                (lv for lv in ("red", "yellow", "blue") if lv in levels), None
            ), ident
    assert (rollups["demo-1"]["status"], rollups["demo-1"]["level"]) == ("behind", "yellow")
    assert (
        rollups["demo-3"]["status"],
        rollups["demo-3"]["level"],
        rollups["demo-3"]["completion"],
    ) == ("on_track", "blue", 25.0)  # one target on schedule, one silent: not "no data"
    assert (rollups["demo-2026-1"]["status"], rollups["demo-2026-1"]["level"]) == ("overdue", "red")


def table_lines() -> int:
    """Rows a table/md/csv status view of the demo prints: targets plus roll-up rows."""
    doc = demo_status()
    return len(doc["rows"]) + len(doc.get("rollups", []))


def test_demo_exercises_every_status_and_level() -> None:
    rows = demo_rows()
    statuses = {r["status"] for r in rows.values()}
    assert statuses == {
        "done",
        "done_late",
        "on_track",
        "in_progress",
        "behind",
        "overdue",
        "no_data",
    }
    assert {r["level"] for r in rows.values()} == {None, "red", "yellow", "blue"}
    overdue = [r for r in rows.values() if r["status"] == "overdue"]
    assert any(r["latest_date"] is None for r in overdue) and any(r["latest_date"] for r in overdue)
    assert {i for i, r in rows.items() if r["status"] == "overdue"} == OVERDUE_DEMO
    assert {i for i, r in rows.items() if r["level"] == "red"} == RED_DEMO
    assert {i for i, r in rows.items() if r["level"] == "yellow"} == {"zy-1-5", "demo-1-2"}
    assert {i for i, r in rows.items() if r["level"] == "blue"} == {"demo-1-1", "demo-3-2"}
    assert {i for i, r in rows.items() if r["status"] == "behind"} == {
        "zy-1-5",
        "demo-1-2",
        "demo-2-1",
    }


@pytest.mark.parametrize(
    ("ident", "expected"),
    [
        (
            "hd-5-1",
            {
                "status": "overdue",
                "level": "red",
                "completion": 98.9,
                "time_elapsed": 100.0,
                "deadline": "2025-12-31",
                "days_late": 329,
                "latest_value": 89,
                "records": 4,
                "status_label": "逾期未完成",
                "latest_text": "2026-10-31 89%",
            },
        ),
        (
            "hd-5-6",
            {
                "status": "overdue",
                "level": "red",
                "completion": None,
                "latest_date": None,
                "records": 0,
                "status_label": "逾期未完成（无进展数据）",
                "latest_text": "—",
            },
        ),
        ("hd-5-3", {"status": "done", "level": None, "met": True, "over": False}),
        ("hd-6-7", {"status": "in_progress", "met": False, "over": True, "latest_value": 3}),
        (
            "hd-7-1",
            {
                "status": "done",
                "entities_known": True,
                "entity_results": [
                    {"entity": "青海高等职业技术学院", "value": 1, "met": True},
                    {"entity": "互助县职业技术学校", "value": 1, "met": True},
                ],
            },
        ),
        ("hd-8-1", {"status": "in_progress", "maintain": True}),  # 保持, held, no deadline
        (
            "zy-1-5",
            {"status": "behind", "level": "yellow", "completion": 50.0, "entities_known": True},
        ),
        ("zy-2.8-3", {"status": "done", "comparator": "approx", "latest_value": 88}),
        ("demo-1-1", {"status": "on_track", "level": "blue", "days_left": 20, "stale": False}),
        (
            "demo-1-2",
            {
                "status": "behind",
                "level": "yellow",
                "completion": 45.0,
                "time_elapsed": 60.2,
                "gap": 15.2,
            },
        ),
        ("demo-1-5", {"status": "on_track", "completion": 50.0, "baseline": 22}),
        (
            "demo-2-1",
            {
                "status": "behind",
                "level": "red",
                "deadline": "2026-06-30",
                "deadline_in_force": "2027-03-31",
                "extension_ignored": False,
                "deadline_text": "2026年6月底（延期至 2027-03-31）",
            },
        ),
        (
            "demo-2-2",
            {
                "status": "overdue",
                "level": "red",
                "deadline": "2026-09-30",
                "extension_ignored": True,
                "days_late": 56,
                "latest_source": '=HYPERLINK("http://x")',
            },
        ),
        ("demo-2-3", {"status": "on_track", "met": False, "maintain": True, "completion": 100.0}),
        (
            "demo-3-1",
            {
                "status": "on_track",
                "met": False,
                "entity_results": [
                    {"entity": "青海高等职业技术学院", "value": 1, "met": True},
                    {"entity": "互助县职业技术学校", "value": 0, "met": False},
                ],
            },
        ),
        ("demo-3-2", {"status": "no_data", "level": "blue", "days_left": 15, "stale": True}),
    ],
)
def test_status_json_rows(ident: str, expected: dict[str, Any]) -> None:
    row = demo_rows()[ident]
    assert {k: row[k] for k in expected} == expected


def test_problems_and_next_steps_come_from_the_latest_record() -> None:
    row = demo_rows()["hd-5-1"]
    assert row["problems"] == "民和县新校区仍在装修，尚差一所学校达标"
    assert row["next_steps"] == "12月底前完成民和县新校区装修和设备安装"


# --- status, other formats ------------------------------------------------------------------------------


def test_status_table_is_plain_text_when_not_a_terminal() -> None:
    out = demo("status").stdout
    lines = out.splitlines()
    assert lines[0].split() == [
        "编号",
        "目标",
        "牵头单位",
        "完成时限",
        "完成率",
        "序时进度",
        "状态",
        "预警",
        "最新进展",
    ]
    assert lines[1].startswith("──")
    assert out.endswith(
        "共 117 项目标：逾期未完成 9，滞后序时 3，无进展数据 82，已启动 5，按序时推进 4，逾期完成 1，已完成 13\n"
    )
    assert "逾期未完成（无进展数据）" in out and "\x1b" not in out


def test_status_csv_has_bom_and_parses() -> None:
    run = demo("status", "--format", "csv")
    assert run.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert run.stdout.startswith("\ufeff编号,目标,牵头单位,")
    assert "\r\n" in run.stdout
    rows = list(csv.reader(io.StringIO(run.stdout.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 1 + table_lines() and all(len(r) == 9 for r in rows)
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["hd-5-6"][6] == "逾期未完成（无进展数据）" and by_id["hd-5-6"][7] == "红"
    assert by_id["demo-1-2"][4:6] == ["45%", "60.2%"]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


HOSTILE_UNITS = """\
zjtrack: 1
units:
  - name: 海东市教育局
    kind: department
    region: 海东市
    aliases: [市教育局]
"""

HOSTILE_DOC = """\
zjtrack: 1
document:
  id: evil-1
  title: 恶意文本测试
  doc_number: 测〔2026〕9号
  issuer: 测试
  issued: 2026-01-01
  region: 海东市
measures:
  - id: ev-1
    clause: 一、
    title: 恶意文本
    lead_units: [市教育局]
    deadline_reason: 测试
    targets:
      - {id: ev-1-1, metric: "=HYPERLINK(\\"http://x\\") a|b", comparator: ">=", value: 5, unit: 个, quote: q}
      - {id: ev-1-2, metric: "+1 <b>bold</b> \\\\", comparator: ">=", value: 5, unit: 个, quote: q}
      - {id: ev-1-3, metric: "-1", comparator: ">=", value: 5, unit: 个, quote: q}
      - {id: ev-1-4, metric: "@SUM(A1)", comparator: ">=", value: 5, unit: 个, quote: q}
      - {id: ev-1-5, metric: "[bold]markup[/bold] 红色", comparator: ">=", value: 5, unit: 个, quote: q}
"""


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    (tmp_path / "units.yaml").write_text(HOSTILE_UNITS, "utf-8")
    (tmp_path / "doc.yaml").write_text(HOSTILE_DOC, "utf-8")
    return tmp_path


def test_csv_neutralises_formula_cells(hostile_tree: Path) -> None:
    run = ok("status", str(hostile_tree), "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.reader(io.StringIO(run.stdout.removeprefix("\ufeff"), newline="")))
    targets = {r[0]: r[1] for r in rows[1:] if r[0].startswith("ev-1-")}
    assert targets == {
        "ev-1-1": '\'=HYPERLINK("http://x") a|b ≥ 5个',
        "ev-1-2": "'+1 <b>bold</b> \\ ≥ 5个",
        "ev-1-3": "'-1 ≥ 5个",
        "ev-1-4": "'@SUM(A1) ≥ 5个",
        "ev-1-5": "[bold]markup[/bold] 红色 ≥ 5个",
    }


def test_md_escapes_pipes_backslashes_and_html(hostile_tree: Path) -> None:
    out = ok("status", str(hostile_tree), "--as-of", AS_OF, "--format", "md").stdout
    assert '| ev-1-1 | =HYPERLINK("http://x") a\\|b ≥ 5个 |' in out
    assert "| ev-1-2 | +1 &lt;b&gt;bold&lt;/b&gt; \\\\ ≥ 5个 |" in out
    assert "<b>" not in out
    for line in out.splitlines():
        if line.startswith("| ev-"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 10, line  # 9 columns: 10 unescaped pipes


def test_md_rows_have_the_column_count() -> None:
    out = demo("status", "--format", "md").stdout
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == 2 + table_lines()
    for line in table:
        assert len(re.findall(r"(?<!\\)\|", line)) == 10, line


def test_rich_table_prints_markup_literally(hostile_tree: Path) -> None:
    from rich.console import Console

    from zjtrack.evaluate import evaluate
    from zjtrack.load.loader import load_paths
    from zjtrack.registry import Registry
    from zjtrack.render.terminal import render_rich
    from zjtrack.views import results_table

    plan = load_paths([str(hostile_tree)]).plan
    table = results_table(
        "status", evaluate(plan, dt.date(2026, 11, 25)), Registry(plan.units), "zh"
    )
    console = Console(file=io.StringIO(), width=400, color_system=None, force_terminal=False)
    console.print(render_rich(table, "zh", "标题"))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "[bold]markup[/bold] 红色" in text
    assert "<b>bold</b>" in text


# --- hostile text is inert ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json"])
@pytest.mark.parametrize("command", ["status", "overdue", "due"])
def test_no_raw_escape_in_any_view(command: str, fmt: str) -> None:
    out = demo(command, "--format", fmt).stdout
    assert "\x1b" not in out
    assert "\x9b" not in out


def test_show_renders_the_hostile_note_inert() -> None:
    out = show("demo-2-2").stdout
    assert "\x1b" not in out
    assert "\\u001b[31m红色\\u001b[0m" in out
    for text in HOSTILE:
        assert text in out  # shown literally, markup not consumed
    assert "注意：有延期在原时限之后才批准，不予采用。" in out
    assert "状态：逾期未完成 · 红   统计日期 2026-11-25" in out


def test_show_json_keeps_the_hostile_note_as_data() -> None:
    run = show("demo-2-2", "--format", "json")
    assert "\x1b" not in run.stdout
    doc = run.json()
    assert doc["version"] == 2 and doc["view"] == "show" and doc["as_of"] == AS_OF
    (row,) = doc["rows"]
    (record,) = row["history"]
    assert record["note"].endswith("[bold]markup[/bold] \x1b[31m红色\x1b[0m")
    assert (
        record["date"] == "2026-09-30"
        and record["value"] == 2
        and record["source"] == '=HYPERLINK("http://x")'
    )


def test_csv_has_no_raw_escape_from_task_text(tmp_path: Path) -> None:
    (tmp_path / "units.yaml").write_text(HOSTILE_UNITS, "utf-8")
    (tmp_path / "doc.yaml").write_text(HOSTILE_DOC.replace("a|b", "a|b \\e[31m红色"), "utf-8")
    for fmt in ("table", "md", "json"):
        assert "\x1b" not in ok("status", str(tmp_path), "--as-of", AS_OF, "--format", fmt).stdout
    assert "\x1b" not in ok("status", str(tmp_path), "--as-of", AS_OF, "--format", "csv").stdout


# --- filters and --fail-on ---------------------------------------------------------------------------------


def test_fail_on_overdue() -> None:
    run = cli("status", *DEMO, "--as-of", AS_OF, "--fail-on", "overdue", "--format", "json")
    assert run.exit_code == 1 and run.stderr == ""
    assert len(run.json()["rows"]) == 117  # the report is still printed
    ok("status", *DEMO, "--as-of", AS_OF, "--fail-on", "overdue", "--status", "done")
    ok(
        "status",
        *DEMO,
        "--as-of",
        AS_OF,
        "--fail-on",
        "overdue",
        "--doc",
        "demo-2026-1",
        "--level",
        "yellow",
    )
    ok("due", *DEMO, "--as-of", AS_OF, "--fail-on", "overdue")
    run = cli("overdue", *DEMO, "--as-of", AS_OF, "--fail-on", "overdue", "--format", "md")
    assert run.exit_code == 1 and run.stderr == "" and run.stdout.startswith("| 编号 |")
    ok("status", *DEMO, "--as-of", AS_OF, "--fail-on", "overdue", "--unit", "互助县职业技术学校")


def test_fail_on_behind() -> None:
    run = cli("status", *DEMO, "--as-of", AS_OF, "--fail-on", "behind", "--status", "behind")
    assert (run.exit_code, run.stderr) == (1, "")
    ok("status", *DEMO, "--as-of", AS_OF, "--fail-on", "behind", "--level", "blue")
    run = cli("status", *DEMO, "--as-of", AS_OF, "--fail-on", "sometimes")
    assert run.exit_code == 2 and run.stdout == "" and "--fail-on" in run.stderr


def test_unit_alias_and_doc_filter() -> None:
    targets = target_rows(*DEMO)
    unit_keys = (
        "lead_units",
        "responsible_units",
        "lead_colleges",
        "lead_enterprises",
        "supporting_units",
    )

    def answering(unit: str) -> set[str]:
        return {t["id"] for t in targets if any(unit in t[k] for k in unit_keys)}

    expected = {i for i in answering("海东市教育局") if i.startswith("hd-")}
    by_alias = rows_by_id(
        demo("status", "--unit", "市教育局", "--doc", "haidong-2024-74", "--format", "json")
    )
    assert set(by_alias) == expected and len(expected) > 50
    assert all(r["document"] == "haidong-2024-74" for r in by_alias.values())
    by_name = rows_by_id(
        demo("status", "--unit", "海东市教育局", "--doc", "haidong-2024-74", "--format", "json")
    )
    assert set(by_name) == expected
    assert "demo-1-1" in rows_by_id(demo("status", "--unit", "市教育局", "--format", "json"))
    only_college = rows_by_id(demo("status", "--unit", "互助县职业技术学校", "--format", "json"))
    assert set(only_college) == answering("互助县职业技术学校")
    assert {"demo-3-1", "demo-3-2"} <= set(only_college) and not any(
        i.startswith("zy-") for i in only_college
    )
    unknown = cli("status", *DEMO, "--as-of", AS_OF, "--doc", "no-such-doc", "--format", "json")
    assert (unknown.exit_code, unknown.stdout) == (2, "")
    assert "no-such-doc" in unknown.stderr and "haidong-2024-74" in unknown.stderr


def test_status_and_level_filters_in_both_languages() -> None:
    overdue = rows_by_id(demo("status", "--status", "overdue", "--format", "json"))
    assert set(overdue) == OVERDUE_DEMO
    assert set(rows_by_id(demo("status", "--status", "逾期", "--format", "json"))) == OVERDUE_DEMO
    red = rows_by_id(demo("status", "--level", "red", "--format", "json"))
    assert set(red) == RED_DEMO
    assert set(rows_by_id(demo("status", "--level", "红", "--format", "json"))) == RED_DEMO
    both = rows_by_id(demo("status", "--status", "behind", "--level", "red", "--format", "json"))
    assert set(both) == {"demo-2-1"}
    no_data = demo(
        "status", "--status", "no_data", "--doc", "demo-2026-1", "--format", "json"
    ).json()
    assert [r["id"] for r in no_data["rows"]] == ["demo-3-2"]
    assert no_data["summary"]["by_status"]["no_data"] == 1 and no_data["summary"]["total"] == 1


def test_unknown_status_word_is_a_usage_error() -> None:
    run = cli("status", *DEMO, "--as-of", AS_OF, "--status", "overdu", "--fail-on", "overdue")
    assert run.exit_code == 2
    assert "--status" in run.stderr


def test_english_labels() -> None:
    out = demo("status", "--lang", "en", "--format", "md").stdout
    lines = out.splitlines()
    assert lines[0] == (
        "| ID | Target | Lead units | Deadline | Completion | Time elapsed | Status | Level "
        "| Latest record |"
    )
    assert "| overdue (no data) | red |" in out
    assert "| behind schedule | yellow |" in out and "| on schedule | blue |" in out
    assert "end of June 2026 (extended to 2027-03-31)" in out
    assert "(milestone)" in out and "逾期" not in out
    assert (
        lines[-1]
        == "117 targets: overdue 9, behind schedule 3, no data 82, in progress 5, on schedule 4, "
        "done late 1, done 13"
    )
    rows = rows_by_id(demo("status", "--lang", "en", "--format", "json"))
    assert (
        rows["hd-5-6"]["status_label"] == "overdue (no data)"
        and rows["demo-1-1"]["level_label"] == "blue"
    )
    assert "Status: overdue · red" in show("demo-2-2", "--lang", "en").stdout.replace("：", ": ")


def test_lang_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZJTRACK_LANG", "en")
    assert demo("status", "--format", "md").stdout.startswith("| ID | Target |")


# --- the real tasks alone -----------------------------------------------------------------------------


def test_real_tasks_alone_past_deadlines_are_overdue_without_data() -> None:
    targets = target_rows()
    past = {t["id"] for t in targets if t["deadline"] and t["deadline"] < AS_OF}
    assert past == {
        "hd-5-1",
        "hd-5-5",
        "hd-5-6",
        "hd-5-7",
        "hd-5-8",
        "hd-5-9",
        "hd-5-10",
        "zy-1-1",
        "zy-1-2",
        "zy-1-3",
        "zy-1-4",
    }
    rows = rows_by_id(ok("status", "tasks", "--as-of", AS_OF, "--format", "json"))
    for ident in past:
        row = rows[ident]
        assert (row["status"], row["level"], row["records"], row["status_label"]) == (
            "overdue",
            "red",
            0,
            "逾期未完成（无进展数据）",
        ), ident
    assert {i for i, r in rows.items() if r["status"] == "overdue"} == past
    assert {r["status"] for i, r in rows.items() if i not in past} == {"no_data"}
    md = ok("status", "tasks", "--as-of", AS_OF, "--format", "md").stdout
    assert md.count("| 逾期未完成（无进展数据） | 红 |") == len(past)
    overdue = ok("overdue", "tasks", "--as-of", AS_OF, "--format", "json").json()
    assert {r["id"] for r in overdue["rows"]} == past
    assert (
        rows_by_id(ok("overdue", "tasks", "--as-of", AS_OF, "--format", "json"))["zy-1-1"][
            "days_late"
        ]
        == 694
    )


# --- overdue, due, show, units --------------------------------------------------------------------------


def test_overdue_view() -> None:
    run = demo("overdue")
    lines = run.stdout.splitlines()
    assert lines[0].split() == [
        "编号",
        "目标",
        "完成时限",
        "逾期天数",
        "完成率",
        "牵头单位",
        "责任单位",
    ]
    assert lines[-1] == "共 9 项目标：逾期未完成 9"
    doc = demo("overdue", "--format", "json").json()
    assert doc["view"] == "overdue" and {r["id"] for r in doc["rows"]} == OVERDUE_DEMO
    assert all(r["days_late"] > 0 and r["days_left"] < 0 for r in doc["rows"])
    csv_out = demo("overdue", "--format", "csv").stdout
    assert csv_out.startswith("\ufeff编号,目标,完成时限,逾期天数,完成率,牵头单位,责任单位\r\n")
    assert set(rows_by_id(demo("overdue", "--doc", "zhangye-2024-2", "--format", "json"))) == {
        "zy-1-2",
        "zy-1-4",
    }


def test_due_view() -> None:
    doc = demo("due", "--format", "json").json()
    assert doc["view"] == "due"
    assert [(r["id"], r["days_left"]) for r in doc["rows"]] == [("demo-1-1", 20), ("demo-3-2", 15)]
    wider = rows_by_id(demo("due", "--within", "8w", "--format", "json"))
    assert set(wider) == {"demo-1-1", "demo-2-3", "demo-3-2"}  # demo-1-4 (due 2026-12-31) is done
    assert set(rows_by_id(demo("due", "--within", "10天", "--format", "json"))) == set()
    md = demo("due", "--format", "md").stdout
    assert (
        md.splitlines()[0]
        == "| 编号 | 目标 | 完成时限 | 剩余天数 | 完成率 | 状态 | 牵头单位 | 责任单位 |"
    )
    run = cli("due", *DEMO, "--as-of", AS_OF, "--within", "soon")
    assert run.exit_code == 2 and run.stdout == "" and "30d" in run.stderr


def test_show_measure_and_target() -> None:
    out = show("demo-2").stdout
    assert out.startswith(
        "海东市职业教育重点任务演示清单（虚构）（演示〔2026〕1号）\n二、健全督导保障机制（演示）  [demo-2]\n"
    )
    assert [line.split()[1] for line in out.splitlines() if line.startswith("■ ")] == [
        "demo-2-1",
        "demo-2-2",
        "demo-2-3",
    ]
    assert "延期：2027年3月底 ← 海东市人民政府办公室（演示） 2026-06-20" in out
    target = show("demo-3-1").stdout
    assert "    ✓ 青海高等职业技术学院：1个" in target and "    ✗ 互助县职业技术学校：0个" in target
    history = show("hd-5-1", "--format", "json").json()["rows"][0]["history"]
    assert [(h["date"], h["value"]) for h in history] == [
        ("2024-09-30", 78),
        ("2025-06-30", 84),
        ("2025-12-31", 87),
        ("2026-10-31", 89),
    ]
    assert "趋势：" in show("hd-5-1").stdout


def test_show_unknown_id() -> None:
    run = cli("show", "hd-5-99", *DEMO, "--as-of", AS_OF)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith("没有编号为 `hd-5-99` 的措施或目标，是否是 `hd-5-")
    run = cli("show", "zzz", *DEMO, "--as-of", AS_OF, "--lang", "en")
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", "no measure or target `zzz`\n")


def test_units_view() -> None:
    doc = ok("units", "tasks", "examples/demo", "--as-of", AS_OF, "--format", "json").json()
    assert doc["version"] == 2 and doc["view"] == "units" and doc["as_of"] == AS_OF
    by_unit = {r["unit"]: r for r in doc["rows"]}
    for row in doc["rows"]:  # statuses count the targets a unit leads (evaluate.accountability)
        assert row["leads"] == sum(
            row[s]
            for s in (
                "done",
                "done_late",
                "on_track",
                "in_progress",
                "behind",
                "overdue",
                "no_data",
            )
        )
    edu = by_unit["海东市教育局"]
    assert edu["overdue"] == 6 and edu["behind"] == 1  # led targets only; shared ones count apart
    assert doc["rows"][0]["unit"] == "海东市教育局"  # most overdue first
    one = ok(
        "units", "市教育局", "tasks", "examples/demo", "--as-of", AS_OF, "--format", "json"
    ).json()
    assert {r["unit"] for r in one["rows"]} == {
        "海东市教育局",
        "张掖市教育局",
    }  # the alias is used in both cities
    run = cli("units", "市教育厅局", "tasks", "--as-of", AS_OF)
    assert (
        run.exit_code == 2 and run.stdout == "" and run.stderr.startswith("没有单位 `市教育厅局`")
    )
    table = ok("units", "tasks", "examples/demo", "--as-of", AS_OF).stdout
    assert table.splitlines()[0].split()[:3] == ["单位", "牵头目标", "参与目标"]


# --- usage errors ------------------------------------------------------------------------------------------


def test_bad_as_of_and_unreadable_path() -> None:
    run = cli("status", *DEMO, "--as-of", "2026-02-30")
    assert run.exit_code == 2 and run.stdout == "" and "--as-of" in run.stderr
    run = cli("status", "tasks", "no/such/dir", "--as-of", AS_OF)
    assert run.exit_code == 2 and run.stdout == "" and "no/such/dir" in run.stderr


def test_as_of_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZJTRACK_AS_OF", AS_OF)
    assert ok("status", *DEMO, "--format", "json").json()["as_of"] == AS_OF


# --- the demo itself ------------------------------------------------------------------------------------------


def test_demo_is_marked_fictional_and_checks_clean() -> None:
    demo_dir = ROOT / "examples" / "demo"
    for name in ("haidong-2024-74", "zhangye-2024-2", "demo-2026-1"):
        first = (demo_dir / "progress" / f"{name}.yaml").read_text("utf-8").splitlines()[0]
        assert first == "# 虚构的演示数据 · FICTIONAL demo data — not real progress"
    readme = (demo_dir / "README.md").read_text("utf-8")
    assert "虚构" in readme and "FICTIONAL" in readme
    extra = (demo_dir / "demo-extra.yaml").read_text("utf-8")
    assert "id: demo-2026-1" in extra and "FICTIONAL" in extra and "演示" in extra
    run = ok("check", *DEMO)
    assert run.stdout == ""
    ok("check", *DEMO, "--strict")


# --- golden files --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_golden_status_demo(fmt: str) -> None:
    out = demo("status", "--format", fmt).stdout
    path = GOLDEN / f"status-demo.{fmt}"
    if os.environ.get("ZJTRACK_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(out.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with ZJTRACK_UPDATE_GOLDEN=1"
    assert out == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_formats_rows_are_the_json_records_cells(lang: str) -> None:
    """Text formats build only the cells they show (`display_row`); each must equal the full
    record's value (`result_row`), for every view, with and without records, on several dates."""
    from zjtrack.evaluate import evaluate
    from zjtrack.load.loader import load_paths
    from zjtrack.registry import Registry
    from zjtrack.table import Tag
    from zjtrack.views import results_table

    plan = load_paths([str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]).plan
    registry = Registry(plan.units)
    for as_of in (dt.date(2025, 3, 1), dt.date(2026, 11, 25), dt.date(2028, 6, 30)):
        results = evaluate(plan, as_of)
        for kind in ("status", "overdue", "due"):
            full = results_table(kind, results, registry, lang, results)
            lean = results_table(kind, results, registry, lang, results, full=False)
            assert len(full.rows) == len(lean.rows) > 0
            for big, small in zip(full.rows, lean.rows, strict=True):
                for key, value in small.items():  # a tag shows the record's label
                    shown = value.text if isinstance(value, Tag) else value
                    assert shown == big[key], (kind, small["id"], key)
                assert {c.key for c in full.columns} <= small.keys()


def test_units_keep_what_needs_supervision_at_80_columns_and_are_no_wider_than_their_content() -> (
    None
):
    """At 80 columns the unit counts drop 逾期完成 and 已启动 before 已完成 and 滞后序时 (it kept
    an all-zero 逾期完成 and dropped 已完成); at 200 columns the table is as wide as what it
    holds, where it gave the unit names 79 cells."""
    from zjtrack.text import width

    paths = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    narrow = cli("units", *paths, "--as-of", "2026-12-05", "--width", "80")
    assert narrow.exit_code == 0, narrow.stderr
    head = next(line for line in narrow.stdout.splitlines() if line.startswith("┃"))
    assert [c.strip() for c in head.strip("┃").split("┃")] == [
        "单位",
        "牵头目标",
        "已完成",
        "滞后序时",
        "逾期未完成",
        "平均完成率",
    ]
    assert "未显示（终端较窄）：参与目标、逾期完成、按序时推进、已启动、无进展数据" in narrow.stdout
    wide = cli("units", *paths, "--as-of", "2026-12-05", "--width", "200")
    top = next(line for line in wide.stdout.splitlines() if line.startswith("┏"))
    longest = max(
        width(u) for u in ("张掖市中高职贯通培养教学指导委员会", "海东市委机构编制委员会办公室")
    )
    assert top.split("┳")[0] == "┏" + "━" * (longest + 2)  # the unit column: its longest name
    assert width(top) < 200


def test_terminal_cells_break_as_chinese_is_set() -> None:
    """`text.wrap`, which terminal cells and import's summary use: no line starts with a
    closing mark or ends with an opening one, a number keeps its unit and a Latin run is whole;
    no line is wider than its cells, nothing but the spaces at breaks is lost (over 20,000
    random texts)."""
    import random

    from zjtrack.text import width
    from zjtrack.text import wrap as lines_of

    def wrap(text: str, cells: int) -> str:
        return "\n".join(lines_of(text, cells))

    assert wrap(
        "各（青海高等职业技术学院、互助县职业技术学校）：建成校内虚拟仿真实训室 ≥ 1个", 24
    ) == ("各（青海高等职业技术学\n院、互助县职业技术学\n校）：建成校内虚拟仿真实\n训室 ≥ 1个")
    assert wrap("新增产教融合型企业 ≥ 100家", 25) == "新增产教融合型企业 ≥\n100家"
    assert wrap("2026年12月15日", 12) == "2026年12月\n15日"
    assert wrap("示清单（虚构）（演示〔2026〕1号）", 20) == "示清单（虚构）（演示\n〔2026〕1号）"
    assert wrap("短", 10) == "短"
    rng = random.Random(7)
    letters = "海东市（）、。“”〔〕2024abc -：%"
    for _ in range(20_000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(1, 60)))
        cells = rng.randint(4, 30)
        lines = wrap(text, cells).split("\n")
        assert all(width(line) <= cells for line in lines), (text, cells)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (text, cells)


def test_status_at_80_columns_starts_no_line_of_a_cell_with_a_closing_mark() -> None:
    paths = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    run = cli("status", *paths, "--as-of", "2026-12-05", "--width", "80")
    assert run.exit_code == 0, run.stderr
    cells = [
        c.strip()
        for line in run.stdout.splitlines()
        if line.startswith("│")
        for c in line.split("│")
    ]
    assert cells and not [c for c in cells if c[:1] in set("，。、；：）」”’")]


@pytest.mark.parametrize("view", ["status", "overdue", "due"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_width_keeps_ids_whole_and_names_what_it_leaves_out(view: str, lang: str) -> None:
    """At 40 and 60 columns a view left more than fits, and rich squeezed every column: ids were
    cut (`haidong-2`, `hd-`), a column was shown two cells wide with no header and not named as
    left out, and cells were broken twice (found by the adversarial pass). Now at every width:
    each row's id is a real id, no line is wider than the terminal, no cell line starts with a
    closing mark, and every column is shown or named in the footer."""
    from zjtrack.load.loader import load_paths
    from zjtrack.text import width

    paths = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    plan = load_paths(paths).plan
    ids = {d.id for d in plan.documents} | {m.id for d in plan.documents for m in d.measures}
    ids |= {t.id for _, _, t in plan.all_targets()}
    for cells in (40, 60, 80, 120, 200):
        run = cli(view, *paths, "--as-of", "2026-11-25", "--width", str(cells), "--lang", lang)
        assert run.exit_code == 0, run.stderr
        lines = run.stdout.splitlines()
        assert all(width(line) <= cells for line in lines), cells
        rows = [line.split("│") for line in lines if line.startswith("│")]
        shown = {r[1].strip() for r in rows if r[1].strip()}
        assert shown and shown <= ids, (cells, sorted(shown - ids)[:3])
        assert not [c for r in rows for c in r[2:] if c.strip()[:1] in set("，。、；：）」”’〕")]
        heads = [line.strip("┃").split("┃") for line in lines if line.startswith("┃")]
        assert all("".join(col).strip() for col in zip(*heads, strict=True)), (cells, heads)


def test_a_wider_terminal_does_not_make_a_view_much_taller() -> None:
    """At 120 columns `overdue` kept 责任单位 at 13 cells beside progress bars, so each row ran to
    18 lines: 123 lines against 24 at 80 (found by the adversarial pass). A column that may be
    left out goes rather than wrap a cell to more than six lines, and bars are drawn only where
    they do not make the text much taller."""
    paths = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]

    def lines(cells: int) -> int:
        run = cli("overdue", *paths, "--as-of", "2026-11-25", "--width", str(cells))
        assert run.exit_code == 0, run.stderr
        return len(run.stdout.splitlines())

    at_80 = lines(80)
    assert all(lines(cells) <= at_80 * 1.2 for cells in (100, 120, 140, 160)), at_80


def test_show_at_40_columns_keeps_a_bar_with_its_percentage() -> None:
    """`show` wraps with the one line breaker (`text.wrap`): a progress bar and its percentage stay
    on one line (it split 序时进度：█ / █████████  100%, found by the adversarial pass), and no
    line is wider than the terminal or starts with a closing mark."""
    from zjtrack.text import width

    paths = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    run = cli("show", "hd-5-1", *paths, "--as-of", "2026-11-25", "--width", "40")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert all(width(line) <= 40 for line in lines)
    bars = [line for line in lines if re.search(r"[█░]{3}", line)]  # a bar is ten cells
    assert bars and all(re.search(r"[█░]{10} +[0-9.]+%", line) for line in bars), bars
    assert not [line for line in lines if line.strip()[:1] in set("，。、；：）」”’")]
