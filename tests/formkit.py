"""Shared by the form and intake tests: write a period's forms through the CLI, fill one in with
openpyxl as a unit would, and snapshot a task tree to prove that nothing was written."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from conftest import Tree, cli

AS_OF = "2025-03-05"  # in 2025-W10, which closes on Sunday 2025-03-09
PERIOD = "2025-W10"
UNIT = "海东市教育局"


def write_forms(tree: Tree, out: Path, *args: str) -> Path:
    """`zjtrack form` for the tree into `out`; returns the education bureau's workbook."""
    r = cli("form", str(tree.dir), "-o", str(out), "--as-of", AS_OF, *args)
    assert r.exit_code == 0, r.stderr
    return out / f"{UNIT}-{PERIOD}.xlsx"


def fill(
    form: Path,
    dest: Path,
    values: dict[str, Any] | None = None,
    edit: Callable[[Any, Any], None] | None = None,
) -> Path:
    """Fill the form's 本期数值 by target id (and the other input columns), save as `dest`;
    `edit(workbook, sheet)` then changes whatever a test needs."""
    wb = openpyxl.load_workbook(form)
    ws = wb["报送表"]
    values = {"hd-5-1": 85, "hd-5-2": "完成"} if values is None else values
    for r in range(2, ws.max_row + 1):
        target = ws.cell(r, 1).value
        if target in values:
            ws.cell(r, 8).value = values[target]
            ws.cell(r, 10).value = "市教育局月报"
            ws.cell(r, 11).value = "实训场地不足"
            ws.cell(r, 12).value = "加快改造"
            ws.cell(r, 13).value = "张三 0972-1234567"
    if edit is not None:
        edit(wb, ws)
    buf = io.BytesIO()
    wb.save(buf)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(buf.getvalue())
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
