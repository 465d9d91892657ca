"""Who has reported (报送情况): `zjtrack reported` and the weekly report's section, from real
returns taken in by `zjtrack intake`."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Tree, cli
from formkit import AS_OF, PERIOD, fill, write_forms


def take(tree: Tree, path: Path, as_of: str = AS_OF) -> None:
    r = cli(
        "intake",
        str(path),
        "--tasks",
        str(tree.dir),
        "--as-of",
        as_of,
        "--yes",
        "--period",
        PERIOD,
        "--receipts",
        str(tree.dir.parent / "回执"),
    )
    assert r.exit_code == 0, r.stdout + r.stderr


def reported(tree: Tree, *args: str) -> dict[str, dict[str, object]]:
    r = cli("reported", str(tree.dir), "--as-of", AS_OF, "-f", "json", *args)
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["summary"]["period"] == PERIOD
    return {row["unit"]: row for row in doc["rows"]}


def test_nobody_has_reported(tree: Tree) -> None:
    rows = reported(tree)
    assert {u: r["state"] for u, r in rows.items()} == {
        "海东市教育局": "missing",
        "海东市发展和改革委员会": "missing",
        "海东市各县区人民政府": "missing",
    }
    r = cli("reported", str(tree.dir), "--as-of", AS_OF, "--fail-on", "missing")
    assert r.exit_code == 1
    assert (
        "2025-W10 期应报送 3 个单位（2025-03-09 前）：按时报送 0 个，逾期报送 0 个，未报送 3 个。"
        in r.stdout
    )


def test_on_time_and_late(tree: Tree, tmp_path: Path) -> None:
    form = write_forms(tree, tmp_path / "out")
    take(tree, fill(form, tmp_path / "a.xlsx"))
    other = tmp_path / "out" / f"海东市发展和改革委员会-{PERIOD}.xlsx"
    take(tree, fill(other, tmp_path / "b.xlsx", {"hd-5-1": 70}), as_of="2025-03-11")
    rows = reported(tree)
    edu, ndrc, county = (
        rows["海东市教育局"],
        rows["海东市发展和改革委员会"],
        rows["海东市各县区人民政府"],
    )
    assert (edu["state"], edu["rows"], edu["expected"], edu["taken_on"]) == (
        "on_time",
        2,
        2,
        "2025-03-05",
    )
    assert (ndrc["state"], ndrc["rows"], ndrc["taken_on"]) == ("late", 1, "2025-03-11")
    assert county["state"] == "missing"
    assert next(iter(rows)) == "海东市各县区人民政府"  # missing first
    table = cli("reported", str(tree.dir), "--as-of", AS_OF)
    assert "海东市教育局" in table.stdout and "按时报送" in table.stdout
    assert cli("reported", str(tree.dir), "--as-of", AS_OF, "--fail-on", "late").exit_code == 1


def test_everyone_reported_passes_ci(tree: Tree, tmp_path: Path) -> None:
    write_forms(tree, tmp_path / "out")
    for unit in ("海东市教育局", "海东市发展和改革委员会", "海东市各县区人民政府"):
        take(tree, fill(tmp_path / "out" / f"{unit}-{PERIOD}.xlsx", tmp_path / f"{unit}.xlsx"))
    r = cli("reported", str(tree.dir), "--as-of", AS_OF, "--fail-on", "missing")
    assert r.exit_code == 0, r.stdout
    assert "按时报送 3 个" in r.stdout


def test_weekly_report_names_who_has_not_reported(tree: Tree, tmp_path: Path) -> None:
    take(tree, fill(write_forms(tree, tmp_path / "out"), tmp_path / "a.xlsx"))
    r = cli(
        "report",
        "weekly",
        str(tree.dir),
        "--week",
        PERIOD,
        "--as-of",
        "2025-03-10",
        "--format",
        "md",
    )
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert "## 五、报送情况" in text
    assert "按时报送 1 个，逾期报送 0 个，未报送 2 个" in text
    assert "未报送单位：海东市发展和改革委员会、海东市各县区人民政府。" in text
    assert text.index("## 四、") < text.index("## 五、报送情况")
    en = cli(
        "report",
        "weekly",
        str(tree.dir),
        "--week",
        PERIOD,
        "--as-of",
        "2025-03-10",
        "--format",
        "md",
        "--lang",
        "en",
    )
    assert "## 5. Returns" in en.stdout and "Not reported: 海东市发展和改革委员会" in en.stdout


def test_no_section_without_returns(tree: Tree) -> None:
    r = cli(
        "report",
        "weekly",
        str(tree.dir),
        "--week",
        PERIOD,
        "--as-of",
        "2025-03-10",
        "--format",
        "md",
    )
    assert r.exit_code == 0
    assert "报送情况" not in r.stdout
