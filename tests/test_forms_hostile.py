"""Forms out of hostile task text (issue 13, second adversarial pass): task text never becomes a
formula in a unit's form, a unit name `check` accepts never crashes `form`, and no two units'
forms share a file."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from conftest import cli, edit

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-12-01"
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def tasks(shipped: Path) -> Path:
    return shipped / "tasks"


def test_a_metric_that_reads_as_a_formula_stays_text(tasks: Path, tmp_path: Path) -> None:
    quoted = FORMULA.replace('"', '\\"')
    edit(
        tasks / "haidong-2024-74.yaml", "metric: 市级职业教育思政教育工作室", f'metric: "{quoted}"'
    )
    assert cli("check", str(tasks)).exit_code == 0
    out = tmp_path / "forms"
    for fmt in ("xlsx", "csv"):
        args = ("form", str(tasks), "--unit", "海东市教育局", "-f", fmt, "-o", str(out))
        assert cli(*args, "--as-of", AS_OF).exit_code == 0
    (book,) = out.glob("*.xlsx")
    with zipfile.ZipFile(book) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet for sheet in sheets), "a formula in the unit's form"
    (sheet,) = out.glob("*.csv")
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    cell = next(row[2] for row in rows[2:] if row[0] == "hd-1-2")
    assert cell.startswith("'=HYPERLINK")  # defused, as the ledger's CSV defuses it
    for form in (book, sheet):  # and the unit's return reads back: no cell seen as edited
        receipts = ("--receipts", str(tmp_path / "receipts"))
        taken = cli(
            "intake", str(form), "--tasks", str(tasks), *receipts, "--yes", "--as-of", AS_OF
        )
        assert taken.exit_code == 0, taken.stderr


def test_a_control_character_in_a_unit_name_does_not_crash_form(
    tasks: Path, tmp_path: Path
) -> None:
    edit(tasks / "units.yaml", "  - name: 海东市教育局\n", '  - name: "海东市教育局\\a"\n')
    edit(tasks / "haidong-2024-74.yaml", "[市教育局]", '["海东市教育局\\a"]')
    out = tmp_path / "forms"
    done = cli("form", str(tasks), "-o", str(out), "--as-of", AS_OF)
    assert done.exit_code in (0, 1), done.stderr
    assert len(list(out.iterdir())) == int(done.stderr.split("已生成 ")[1].split(" ")[0])


def test_units_whose_names_read_alike_as_files_keep_a_form_each(
    tasks: Path, tmp_path: Path
) -> None:
    edit(tasks / "units.yaml", "  - name: 海东市商务局\n", '  - name: "海东市商务局/外事办"\n')
    edit(tasks / "units.yaml", "  - name: 海东市农业农村局\n", '  - name: "海东市商务局:外事办"\n')
    out = tmp_path / "forms"
    done = cli("form", str(tasks), "-o", str(out), "-f", "csv", "--as-of", AS_OF)
    assert done.exit_code == 0, done.stderr
    said = int(done.stderr.split("已生成 ")[1].split(" ")[0])
    assert len(list(out.iterdir())) == said
    alike = sorted(p.name for p in out.iterdir() if "外事办" in p.name)
    assert len(alike) == 2 and alike[0] != alike[1]
