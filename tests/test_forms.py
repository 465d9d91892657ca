"""`zjtrack form`: one workbook per unit and period, as a unit opens it in Excel or WPS."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import DOC_YAML, Tree, cli, write_tree
from formkit import AS_OF, PERIOD, UNIT, write_forms

from zjtrack.forms.form import HEADERS, checksum
from zjtrack.forms.period import parse_period, period_of
from zjtrack.model import Config
from zjtrack.problems import UserError


def test_one_workbook_per_unit_named_after_it(tree: Tree, tmp_path: Path) -> None:
    r = cli("form", str(tree.dir), "-o", str(tmp_path / "out"), "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert "已生成 3 份报送表（2025-W10，2025-03-09 前报送）" in r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "海东市发展和改革委员会-2025-W10.xlsx",
        "海东市各县区人民政府-2025-W10.xlsx",
        "海东市教育局-2025-W10.xlsx",
    ]


def test_only_the_unit_named(tree: Tree, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = cli("form", str(tree.dir), "-o", str(out), "--as-of", AS_OF, "--unit", "市发改委")
    assert r.exit_code == 0, r.stderr
    assert [p.name for p in out.iterdir()] == ["海东市发展和改革委员会-2025-W10.xlsx"]


def test_unknown_unit_is_a_usage_error(tree: Tree, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = cli("form", str(tree.dir), "-o", str(out), "--as-of", AS_OF, "--unit", "市教育厅")
    assert r.exit_code == 2
    assert "市教育局" in r.stderr
    assert not out.exists()


def test_the_sheet_a_unit_fills(tree: Tree, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_forms(tree, tmp_path))
    assert wb.sheetnames == ["填表说明", "报送表", "zjtrack"]
    assert wb.active is not None and wb.active.title == "报送表"
    ws = wb["报送表"]
    header = [c.value for c in ws[1]]
    assert header == list(HEADERS)
    assert header[:2] == ["编号", "对象"] and header[7] == "本期数值"
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["hd-5-1", "hd-5-2"]
    assert ws.cell(2, 3).value == "职业学校办学条件达标学校比例 ≥ 90%"
    assert ws.cell(2, 4).value == "牵头"
    assert ws.cell(2, 5).value == "2025年底"
    assert ws.cell(3, 3).value == "启动职业教育铸魂育人计划（里程碑）"
    # the working group's cells are locked, the unit's are not; the sheet is protected
    assert ws.protection.sheet
    assert all(ws.cell(2, c).protection.locked for c in range(1, 8))
    assert not any(ws.cell(2, c).protection.locked for c in range(8, 14))
    # validation: a percentage 0-100, the done list, dates up to the cut-off, with input messages
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["H2"].type == "decimal" and (rules["H2"].formula1, rules["H2"].formula2) == (
        "0",
        "100",
    )
    assert rules["H3"].type == "list" and rules["H3"].formula1 == '"完成,未完成"'
    assert rules["I2:I3"].type == "date" and "DATE(2025,3,9)" in str(rules["I2:I3"].formula2)
    assert all(dv.showInputMessage and dv.prompt for dv in rules.values())


def test_instructions_in_chinese(tree: Tree, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write_forms(tree, tmp_path))["填表说明"]
    text = "\n".join(str(c.value) for c in ws["A"])
    assert "海东市教育局 · 进展报送表（2025-W10，2025-03-03 至 2025-03-09）" in text
    assert "请于 2025-03-09 前填好本表" in text
    assert "勿使用公式" in text


def test_hidden_sheet_recognises_the_form(tree: Tree, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(write_forms(tree, tmp_path))["zjtrack"]
    assert ws.sheet_state == "hidden"
    rows = [r for r in ws.iter_rows(values_only=True)]
    keys = {r[0]: r[1] for r in rows if r[0] != "row"}
    assert (keys["unit"], keys["period"], keys["cutoff"]) == (UNIT, PERIOD, "2025-03-09")
    locked = [json.loads(r[3]) for r in rows if r[0] == "row"]
    assert [x[0] for x in locked] == ["hd-5-1", "hd-5-2"]
    assert keys["checksum"] == checksum(UNIT, PERIOD, locked)
    assert keys["form_id"] == keys["checksum"][:16]


def test_same_form_same_bytes(tree: Tree, tmp_path: Path) -> None:
    a = write_forms(tree, tmp_path / "a").read_bytes()
    time.sleep(1.1)  # a clock read anywhere in the writer would show in the second
    b = write_forms(tree, tmp_path / "b").read_bytes()
    assert a == b


def test_csv_variant(tree: Tree, tmp_path: Path) -> None:
    r = cli("form", str(tree.dir), "-o", str(tmp_path / "o"), "--as-of", AS_OF, "--format", "csv")
    assert r.exit_code == 0, r.stderr
    data = (tmp_path / "o" / f"{UNIT}-{PERIOD}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["zjtrack-form", "1", rows[0][2], UNIT, PERIOD]
    assert rows[1] == list(HEADERS)
    assert [row[0] for row in rows[2:]] == ["hd-5-1", "hd-5-2"]


def test_finished_targets_are_not_asked_again(tmp_path: Path) -> None:
    tree = write_tree(tmp_path)
    tree.write(
        "zjtrack: 1\ndocument: hd-test\n---\ntarget: hd-5-2\ndate: 2025-01-10\ndone: true\n",
        "progress/hd-test.yaml",
    )
    wb = openpyxl.load_workbook(write_forms(tree, tmp_path / "out"))
    assert [r[0].value for r in wb["报送表"].iter_rows(min_row=2)] == ["hd-5-1"]


def test_periods() -> None:
    weekly = period_of(dt.date(2025, 3, 5), Config())
    assert weekly == (PERIOD, dt.date(2025, 3, 3), dt.date(2025, 3, 9), dt.date(2025, 3, 9))
    friday = Config(cutoff_weekday=4, returns_due_days=1)
    assert period_of(dt.date(2025, 3, 8), friday).label == "2025-W11"
    assert parse_period("2025-W10", friday).due == dt.date(2025, 3, 8)
    monthly = Config(reporting_period="monthly", returns_due_days=5)
    assert parse_period("2025-02", monthly) == (
        "2025-02",
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 5),
    )
    with pytest.raises(UserError, match="monthly"):
        parse_period("2025-W10", monthly)
    with pytest.raises(UserError, match="weekly"):
        parse_period("2025-02", Config())


def test_monthly_config_loads(tmp_path: Path) -> None:
    tree = write_tree(tmp_path)
    tree.write(
        "zjtrack: 1\nconfig:\n  reporting_period: monthly\n  returns_due_days: 5\n", "config.yaml"
    )
    r = cli("form", str(tree.dir), "-o", str(tmp_path / "out"), "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    assert "2025-03，2025-04-05 前报送" in r.stderr
    bad = cli(
        "form", str(tree.dir), "-o", str(tmp_path / "o2"), "--as-of", AS_OF, "--period", "2025-W10"
    )
    assert bad.exit_code == 2 and "--period" in bad.stderr


def test_password_when_configured(tmp_path: Path) -> None:
    tree = write_tree(tmp_path)
    plain = openpyxl.load_workbook(write_forms(tree, tmp_path / "a"))["报送表"]
    assert plain.protection.sheet and not plain.protection.password
    tree.write("zjtrack: 1\nconfig:\n  form_password: 专班2025\n", "config.yaml")
    ws = openpyxl.load_workbook(write_forms(tree, tmp_path / "b"))["报送表"]
    assert ws.protection.sheet and ws.protection.password  # hashed, never the text itself
    assert ws.protection.password != "专班2025"


def test_an_entity_row_shows_its_latest_value_with_the_unit(tmp_path: Path) -> None:
    """Each entity of a per-entity target gets its row, its own latest value written as the
    target's latest text writes one (with the unit: `1个`, not a bare `1`)."""
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "out"
    paths = (str(root / "tasks"), str(root / "examples" / "demo"))
    r = cli("form", *paths, "-o", str(out), "--as-of", "2026-11-25", "--unit", "海东市教育局")
    assert r.exit_code == 0, r.stderr
    (book,) = out.iterdir()
    ws = openpyxl.load_workbook(book)["报送表"]
    latest = HEADERS.index("最新进展") + 1
    rows = {
        ws.cell(n, 2).value: ws.cell(n, latest).value
        for n in range(2, ws.max_row + 1)
        if ws.cell(n, 1).value == "demo-3-1"
    }
    assert rows == {"青海高等职业技术学院": "1个", "互助县职业技术学校": "0个"}


def test_a_target_no_form_can_ask_for_is_named(tmp_path: Path) -> None:
    """A per-entity target (各…) with no entity listed cannot be a row of any form: `form`
    writes the others and names it with the fix, instead of leaving it out silently (exit 0:
    the forms written are right; the shipped tasks have six such targets until the group
    lists their entities)."""
    tree = write_tree(
        tmp_path,
        doc=DOC_YAML.replace(
            "        metric: 职业学校办学条件达标学校比例\n",
            "        metric: 职业学校办学条件达标学校比例\n        each: 各职业学校\n",
        ),
    )
    r = cli("form", str(tree.dir), "-o", str(tmp_path / "out"), "--as-of", AS_OF)
    assert r.exit_code == 0 and r.stdout == ""
    assert "以下目标按对象考核但未登记对象名单，未列入任何报送表：hd-5-1。" in r.stderr
    assert "已生成" in r.stderr and any((tmp_path / "out").iterdir())
