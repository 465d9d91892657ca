"""Hostile and broken returns: each is refused with its place named, what is wrong and how to
fix it, exit 1, and nothing written into the task repository (records, archive)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Tree, cli
from formkit import AS_OF, UNIT, fill, snapshot, write_forms

F = "海东市教育局.xlsx"


def refused(tree: Tree, path: Path, *extra: str) -> str:
    """Take `path` in with --yes; assert it is refused and nothing is written; its stdout."""
    before = snapshot(tree.dir)
    r = cli(
        "intake",
        str(path),
        "--tasks",
        str(tree.dir),
        "--as-of",
        AS_OF,
        "--yes",
        "--receipts",
        str(tree.dir.parent / "回执"),
        *extra,
    )
    assert r.exit_code == 1, r.stdout + r.stderr
    assert r.stdout.startswith(f"✗ {path.name}")
    assert "退回，不记录" in r.stdout
    assert "  = 提示: " in r.stdout  # how to fix it
    assert snapshot(tree.dir) == before
    receipt = (tree.dir.parent / "回执").glob("*.md")
    assert any("表格已退回，未记录任何内容" in p.read_text(encoding="utf-8") for p in receipt)
    return r.stdout


def edited(tree: Tree, tmp_path: Path, edit: Callable[[Any, Any], None], name: str = F) -> Path:
    return fill(write_forms(tree, tmp_path / "out"), tmp_path / name, None, edit)


def set_text(cell: Any, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # text, even when it starts with `=`


CASES: dict[str, tuple[Callable[[Any, Any], None], str]] = {
    "edited locked cell": (
        lambda wb, ws: setattr(ws["C2"], "value", "职业学校办学条件达标学校比例 ≥ 60%"),
        f"{F}:报送表!C2: 错误[form-locked] 锁定单元格被改动：原为“职业学校办学条件达标学校比例 ≥ 90%”",
    ),
    "formula": (
        lambda wb, ws: setattr(ws["H2"], "value", "=80+5"),
        f"{F}:报送表!H2: 错误[form-formula] 单元格含公式 `=80+5`",
    ),
    "hidden row": (
        lambda wb, ws: setattr(ws.row_dimensions[3], "hidden", True),
        f"{F}:报送表!3:3: 错误[form-hidden] 第 3 行被隐藏",
    ),
    "hidden column": (
        lambda wb, ws: setattr(ws.column_dimensions["K"], "hidden", True),
        f"{F}:报送表!K:K: 错误[form-hidden] K 列被隐藏",
    ),
    "deleted row": (
        lambda wb, ws: ws.delete_rows(2),
        f"{F}:报送表!2:2: 错误[form-row-missing] 编号 hd-5-1 的行被删除或移动了",
    ),
    "added row": (
        lambda wb, ws: ws.append(["hd-9-9", None, "自加目标", None, None, None, None, 3]),
        f"{F}:报送表!4:4: 错误[form-row-added] 多出的行（表格只有 2 行）",
    ),
    "merged cell": (
        lambda wb, ws: ws.merge_cells("K2:L2"),
        f"{F}:报送表!K2:L2: 错误[form-merged] 合并单元格 K2:L2",
    ),
    "added sheet": (
        lambda wb, ws: wb.create_sheet("附表"),
        f"{F}:附表: 错误[form-sheet-added] 多出工作表 `附表`",
    ),
    "formula text": (
        lambda wb, ws: set_text(ws["J2"], '=HYPERLINK("http://x")'),
        f"{F}:报送表!J2: 错误[form-formula-text] 内容以 `=` 开头，会被当作公式",
    ),
    "1 MB cell": (  # openpyxl reads no more than Excel's 32,767 characters of it
        lambda wb, ws: set_text(ws["K2"], "问题" * 500_000),
        f"{F}:报送表!K2: 错误[form-too-long] 单元格内容过长：32767 字，上限 2000 字",
    ),
    "text for a number": (
        lambda wb, ws: setattr(ws["H2"], "value", "八十五"),
        f"{F}:报送表!H2: 错误[form-value] 本期数值 `八十五` 不是0–100 的百分比数字",
    ),
    "a date for a number": (
        lambda wb, ws: setattr(ws["H2"], "value", __import__("datetime").date(2025, 3, 1)),
        f"{F}:报送表!H2: 错误[form-value]",
    ),
    "over 100%": (
        lambda wb, ws: setattr(ws["H2"], "value", 150),
        f"{F}:报送表!H2: 错误[percent-over-100] 百分比 150% 不在 0 到 100 之间",
    ),
    "a number for a milestone": (
        lambda wb, ws: setattr(ws["H3"], "value", 1),
        f"{F}:报送表!H3: 错误[form-value] 本期数值 `1` 不是“完成”或“未完成”",
    ),
    "bad date": (
        lambda wb, ws: set_text(ws["I2"], "2月30日"),
        f"{F}:报送表!I2: 错误[bad-date] `数据日期` 的日期 `2月30日` 无效",
    ),
    "date after the cut-off": (
        lambda wb, ws: set_text(ws["I2"], "2025-03-20"),
        f"{F}:报送表!H2: 错误[future-record] 进展记录的日期 2025-03-20 晚于统计日期 2025-03-05",
    ),
    "value missing": (
        lambda wb, ws: setattr(ws["H2"], "value", None),
        f"{F}:报送表!H2: 错误[form-value]",
    ),
    "hidden sheet edited": (
        lambda wb, ws: setattr(wb["zjtrack"]["B3"], "value", "海东市财政局"),
        f"{F}:zjtrack: 错误[form-tampered] 表格的隐藏校验信息被改动",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused(case: str, tree: Tree, tmp_path: Path) -> None:
    edit, expected = CASES[case]
    out = refused(tree, edited(tree, tmp_path, edit))
    assert expected in out, out


def test_every_problem_of_a_file_is_named(tree: Tree, tmp_path: Path) -> None:
    def two(wb: Any, ws: Any) -> None:
        ws["H2"].value = "八十五"
        ws["H3"].value = 1

    out = refused(tree, edited(tree, tmp_path, two))
    assert f"{F}:报送表!H2" in out and f"{F}:报送表!H3" in out
    assert "问题 2 处" in out


def test_one_bad_row_keeps_the_good_one_out(tree: Tree, tmp_path: Path) -> None:
    """All of a file or none of it: a good row beside a bad one is not recorded."""
    out = refused(tree, edited(tree, tmp_path, lambda wb, ws: setattr(ws["H3"], "value", 1)))
    assert "H2" not in out


def test_another_period(tree: Tree, tmp_path: Path) -> None:
    path = edited(tree, tmp_path, lambda wb, ws: None)
    out = refused(tree, path, "--period", "2025-W11")
    assert f"{F}: 错误[form-period] 这是 2025-W10 期的报送表，本次收取的是 2025-W11 期" in out
    assert "--period 2025-W10" in out


def test_another_units_form(tree: Tree, tmp_path: Path) -> None:
    path = edited(tree, tmp_path, lambda wb, ws: None)
    out = refused(tree, path, "--unit", "市发改委")
    assert "错误[form-unit] 这是 海东市教育局 的报送表，不是 海东市发展和改革委员会 的" in out


def test_a_file_named_for_another_unit(tree: Tree, tmp_path: Path) -> None:
    path = edited(tree, tmp_path, lambda wb, ws: None, "海东市发展和改革委员会.xlsx")
    out = refused(tree, path)
    assert "错误[form-unit] 这是 海东市教育局 的报送表，不是 海东市发展和改革委员会 的" in out


def test_not_an_xlsx(tree: Tree, tmp_path: Path) -> None:
    path = tmp_path / F
    path.write_bytes("编号,本期数值\nhd-5-1,85\n".encode())
    out = refused(tree, path)
    assert "错误[form-unreadable] 无法作为报送表读取：不是 xlsx 文件" in out
    # a file that cannot be read names no unit: none is shown, not a placeholder (was `（?）`)
    assert out.splitlines()[0] == f"✗ {F}：退回，不记录；问题 1 处"


def test_an_old_xls(tree: Tree, tmp_path: Path) -> None:
    path = tmp_path / F
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert "是旧版 .xls（或 WPS .et）格式" in refused(tree, path)


def test_a_damaged_zip(tree: Tree, tmp_path: Path) -> None:
    data = write_forms(tree, tmp_path / "out").read_bytes()
    path = tmp_path / F
    path.write_bytes(data[: len(data) // 2])
    assert "错误[form-unreadable]" in refused(tree, path)


def test_a_zip_that_claims_a_newer_version(tree: Tree, tmp_path: Path) -> None:
    """Fuzz campaign (forms family): zipfile raises NotImplementedError on such a zip."""
    data = bytearray(write_forms(tree, tmp_path / "out").read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 6 : central + 8] = (157).to_bytes(2, "little")  # version needed: 15.7
    path = tmp_path / F
    path.write_bytes(bytes(data))
    assert "错误[form-unreadable] 无法作为报送表读取：文件已损坏" in refused(tree, path)


def test_a_word_file_renamed(tree: Tree, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    path = tmp_path / F
    path.write_bytes(buf.getvalue())
    assert "错误[form-unreadable] 无法作为报送表读取：工作簿无法解析" in refused(tree, path)


def test_a_workbook_that_is_no_form(tree: Tree, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["编号", "对象", "本期数值"])  # type: ignore[union-attr]
    wb.active.append(["hd-5-1", None, 85])  # type: ignore[union-attr]
    path = tmp_path / F
    wb.save(path)
    assert "错误[form-unknown] 不是 zjtrack 生成的报送表：缺少隐藏的表格信息" in refused(tree, path)


def test_a_zip_bomb(tree: Tree, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    path = tmp_path / F
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 1024 * 1024
    out = refused(tree, path)
    assert "错误[form-too-large] 文件过大：解压后 209715208 字节" in out


def test_too_large_a_file(tree: Tree, tmp_path: Path) -> None:
    path = tmp_path / F
    path.write_bytes(b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024))
    assert "错误[form-too-large] 文件过大：10485761 字节" in refused(tree, path)


def test_a_form_with_rows_from_a_changed_plan(tree: Tree, tmp_path: Path) -> None:
    """The plan lost a target after the form went out: its row is named, not recorded."""
    path = edited(tree, tmp_path, lambda wb, ws: None)
    text = tree.doc.read_text(encoding="utf-8").replace("id: hd-5-2", "id: hd-5-9")
    tree.doc.write_text(text, encoding="utf-8")
    assert f"{F}:报送表!H3: 错误[unknown-target]" in refused(tree, path)


def test_unreadable_path_is_a_usage_error(tree: Tree, tmp_path: Path) -> None:
    r = cli("intake", str(tmp_path / "nope.xlsx"), "--tasks", str(tree.dir), "--as-of", AS_OF)
    assert r.exit_code == 2
    assert "无法读取" in r.stderr and r.stdout == ""


def test_english(tree: Tree, tmp_path: Path) -> None:
    path = edited(tree, tmp_path, lambda wb, ws: setattr(ws["H2"], "value", "=1"))
    r = cli(
        "intake",
        str(path),
        "--tasks",
        str(tree.dir),
        "--as-of",
        AS_OF,
        "--yes",
        "--lang",
        "en",
        "--receipts",
        str(tmp_path / "r"),
    )
    assert r.exit_code == 1
    assert f"{F}:报送表!H2: error[form-formula] the cell holds a formula `=1`" in r.stdout
    assert json.dumps(UNIT, ensure_ascii=False).strip('"') in r.stdout


def test_cell_problems_beside_a_tampered_cell(tree: Tree, tmp_path: Path) -> None:
    """An edited locked cell does not hide the other problems: the unit gets them all at once."""

    def both(wb: Any, ws: Any) -> None:
        ws["C3"].value = "改了"
        ws["H2"].value = "八十五"

    out = refused(tree, edited(tree, tmp_path, both))
    assert f"{F}:报送表!C3: 错误[form-locked]" in out
    assert f"{F}:报送表!H2: 错误[form-value]" in out


def test_a_formula_is_one_problem(tree: Tree, tmp_path: Path) -> None:
    """A formula in 本期数值 is said once, as a formula; not again as text starting with `=`
    and as a value that is no number (it was three messages for one cell)."""
    out = refused(tree, edited(tree, tmp_path, lambda wb, ws: setattr(ws["H2"], "value", "=80+5")))
    assert f"{F}:报送表!H2: 错误[form-formula] 单元格含公式 `=80+5`" in out
    assert out.count(f"{F}:报送表!H2") == 1 and "问题 1 处" in out, out
