"""`zjtrack intake`: returned forms taken back, as a working group receives them by mail or chat.

Real files throughout: forms written by `zjtrack form`, filled in by openpyxl, re-saved by
LibreOffice as a stand-in for Excel and WPS, taken back by the CLI; records read back by the
loader, as `check` and the views read them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import DOC_YAML, PROGRESS_YAML, Tree, cli
from formkit import AS_OF, PERIOD, UNIT, fill, snapshot, write_forms

from zjtrack.load.loader import load_paths


def records(tree: Tree) -> list[tuple[str, object, object, str | None]]:
    plan = load_paths([str(tree.dir)]).plan
    return [(r.target, r.value, r.done, r.corrects) for r in plan.records]


def intake(
    tree: Tree,
    *files: Path,
    extra: tuple[str, ...] = (),
    as_of: str = AS_OF,
    env: dict[str, str] | None = None,
) -> Any:
    receipts = tree.dir.parent / "回执"
    return cli(
        "intake",
        *map(str, files),
        "--tasks",
        str(tree.dir),
        "--as-of",
        as_of,
        "--receipts",
        str(receipts),
        *extra,
        env=env,
    )


def test_round_trip_openpyxl(tree: Tree, tmp_path: Path) -> None:
    returned = fill(write_forms(tree, tmp_path / "out"), tmp_path / "海东市教育局.xlsx")
    r = intake(tree, returned, extra=("--yes",))
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "✓ 海东市教育局.xlsx（海东市教育局）：新记录 2 条",
        "    hd-5-1  — → 2025-03-05 85%",
        "    hd-5-2  — → 2025-03-05 完成",
    ]
    assert "已记录 2 条（1 个文件）" in r.stderr
    plan = load_paths([str(tree.dir)]).plan
    got = {x.target: x for x in plan.records}
    archived = sorted((tree.dir / "returns" / PERIOD).iterdir())
    assert len(archived) == 1 and archived[0].name.startswith(f"{UNIT}-")
    assert archived[0].read_bytes() == returned.read_bytes()
    a = got["hd-5-1"]
    assert (a.value, a.date, a.by) == (85, dt.date(2025, 3, 5), UNIT)
    assert a.source == f"returns/{PERIOD}/{archived[0].name}"
    assert a.note == "来源：市教育局月报；联系人：张三 0972-1234567"
    assert (a.problems, a.next_steps) == ("实训场地不足", "加快改造")
    assert got["hd-5-2"].done is True
    assert cli("check", str(tree.dir), "--as-of", AS_OF).exit_code == 0
    receipt = (tmp_path / "回执" / f"{UNIT}-{PERIOD}-回执.md").read_text(encoding="utf-8")
    assert "已收到并记录：新记录 2 条。" in receipt
    assert (tmp_path / "回执" / f"{UNIT}-{PERIOD}-回执.docx").read_bytes()[:2] == b"PK"


def test_same_file_twice_records_nothing_new(tree: Tree, tmp_path: Path) -> None:
    returned = fill(write_forms(tree, tmp_path / "out"), tmp_path / "海东市教育局.xlsx")
    assert intake(tree, returned, extra=("--yes",)).exit_code == 0
    before = snapshot(tree.dir)
    again = intake(tree, returned, extra=("--yes",))
    assert again.exit_code == 0
    assert "没有新内容，2 条已记录过，不重复记录" in again.stdout
    assert "没有需要记录的内容" in again.stderr
    assert snapshot(tree.dir) == before
    # the same rows in another file (re-saved, renamed): nothing new either
    other = fill(write_forms(tree, tmp_path / "out2"), tmp_path / "教育局报送.xlsx")
    assert other.read_bytes() != returned.read_bytes() or True
    assert "没有新内容" in intake(tree, other, extra=("--yes",)).stdout
    assert snapshot(tree.dir) == before
    assert len(records(tree)) == 2


def test_a_changed_figure_corrects_that_days_record(tree: Tree, tmp_path: Path) -> None:
    form = write_forms(tree, tmp_path / "out")
    assert intake(tree, fill(form, tmp_path / "a.xlsx"), extra=("--yes",)).exit_code == 0
    r = intake(tree, fill(form, tmp_path / "b.xlsx", {"hd-5-1": 88}), extra=("--yes",))
    assert r.exit_code == 0, r.stderr
    assert "hd-5-1  2025-03-05 85% → 2025-03-05 88%，更正同日记录" in r.stdout
    assert records(tree)[-1] == ("hd-5-1", 88, None, "2025-03-05")
    assert cli("check", str(tree.dir), "--as-of", AS_OF).exit_code == 0


def test_preview_then_ask(tree: Tree, tmp_path: Path) -> None:
    returned = fill(write_forms(tree, tmp_path / "out"), tmp_path / "海东市教育局.xlsx")
    before = snapshot(tree.dir)
    no = intake(tree, returned)  # no input: the answer is no
    assert no.exit_code == 0
    assert "hd-5-1  — → 2025-03-05 85%" in no.stdout
    assert "记录以上 2 条（1 个文件）？" in no.stderr and "未记录" in no.stderr
    assert snapshot(tree.dir) == before
    yes = cli(
        "intake",
        str(returned),
        "--tasks",
        str(tree.dir),
        "--as-of",
        AS_OF,
        "--receipts",
        str(tmp_path / "r"),
        input="y\n",
    )
    assert yes.exit_code == 0, yes.stderr
    assert len(records(tree)) == 2


def test_empty_rows_are_not_records(tree: Tree, tmp_path: Path) -> None:
    returned = fill(write_forms(tree, tmp_path / "out"), tmp_path / "x.xlsx", {"hd-5-2": "未完成"})
    assert intake(tree, returned, extra=("--yes",)).exit_code == 0
    assert records(tree) == [("hd-5-2", None, False, None)]


def test_percent_typed_with_a_sign(tree: Tree, tmp_path: Path) -> None:
    def typed(wb: object, ws: object) -> None:
        ws["H2"].value = 0.85  # type: ignore[index]
        ws["H2"].number_format = "0%"  # type: ignore[index]  # Excel stores 85% so

    returned = fill(write_forms(tree, tmp_path / "out"), tmp_path / "x.xlsx", {}, typed)
    assert intake(tree, returned, extra=("--yes",)).exit_code == 0
    assert records(tree) == [("hd-5-1", 85, None, None)]


def test_csv_round_trip(tree: Tree, tmp_path: Path) -> None:
    assert (
        cli(
            "form", str(tree.dir), "-o", str(tmp_path / "o"), "--as-of", AS_OF, "--format", "csv"
        ).exit_code
        == 0
    )
    path = tmp_path / "o" / f"{UNIT}-{PERIOD}.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[2].endswith(",,,,,,")
    lines[2] = lines[2][:-6] + ",80,2025-03-04,月报,,,李四"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    r = intake(tree, path, extra=("--yes",))
    assert r.exit_code == 0, r.stdout + r.stderr
    plan = load_paths([str(tree.dir)]).plan
    (rec,) = plan.records
    assert (rec.target, rec.value, rec.date) == ("hd-5-1", 80, dt.date(2025, 3, 4))
    assert rec.source is not None and rec.source.endswith(".csv")


def test_csv_locked_column_edited(tree: Tree, tmp_path: Path) -> None:
    assert (
        cli(
            "form", str(tree.dir), "-o", str(tmp_path / "o"), "--as-of", AS_OF, "--format", "csv"
        ).exit_code
        == 0
    )
    path = tmp_path / "o" / f"{UNIT}-{PERIOD}.csv"
    text = path.read_text(encoding="utf-8-sig").replace("2025年底", "2026年底")
    path.write_text(text.replace(",,,,,,\r\n", ",80,,,,,\r\n", 1), encoding="utf-8-sig")
    before = snapshot(tree.dir)
    r = intake(tree, path, extra=("--yes",))
    assert r.exit_code == 1
    assert "form-locked" in r.stdout
    assert snapshot(tree.dir) == before


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_round_trip_through_libreoffice(tree: Tree, tmp_path: Path) -> None:
    """Filled in, then re-saved by LibreOffice headless, as Excel or WPS would save it."""
    filled = fill(write_forms(tree, tmp_path / "out"), tmp_path / "filled" / "海东市教育局.xlsx")
    resaved = tmp_path / "resaved"
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(resaved),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    back = resaved / "海东市教育局.xlsx"
    assert back.read_bytes() != filled.read_bytes()  # really rewritten
    r = intake(tree, back, extra=("--yes",))
    assert r.exit_code == 0, r.stdout + r.stderr
    assert records(tree) == [("hd-5-1", 85, None, None), ("hd-5-2", None, True, None)]
    reported = cli("check", str(tree.dir), "--as-of", AS_OF)
    assert reported.exit_code == 0


def test_another_units_same_figure_is_its_own_record(tree: Tree, tmp_path: Path) -> None:
    """Two units sharing a target report the same figure: each return is evidence of its own
    unit, recorded beside the other, never taken for a repeat or a correction."""
    write_forms(tree, tmp_path / "out")
    edu = fill(tmp_path / "out" / f"{UNIT}-{PERIOD}.xlsx", tmp_path / "a.xlsx", {"hd-5-1": 85})
    ndrc_form = tmp_path / "out" / f"海东市发展和改革委员会-{PERIOD}.xlsx"
    ndrc = fill(ndrc_form, tmp_path / "b.xlsx", {"hd-5-1": 80})
    assert intake(tree, edu, ndrc, extra=("--yes",)).exit_code == 0
    plan = load_paths([str(tree.dir)]).plan
    assert [(r.by, r.value, r.corrects) for r in plan.records] == [
        (UNIT, 85, None),
        ("海东市发展和改革委员会", 80, None),
    ]


def test_per_entity_rows_on_the_shipped_tasks(tmp_path: Path) -> None:
    """The shipped documents: a per-entity target gets one row per entity, and each row comes
    back as that entity's record."""
    import openpyxl

    tasks = tmp_path / "tasks"
    shutil.copytree(Path(__file__).parent.parent / "tasks", tasks)
    out = tmp_path / "out"
    assert (
        cli(
            "form", str(tasks), "-o", str(out), "--as-of", "2026-12-03", "--unit", "海东市教育局"
        ).exit_code
        == 0
    )
    form = out / "海东市教育局-2026-W49.xlsx"
    ws = openpyxl.load_workbook(form)["报送表"]
    rows = {(ws.cell(r, 1).value, ws.cell(r, 2).value): r for r in range(2, ws.max_row + 1)}
    assert ("hd-7-1", "青海高等职业技术学院") in rows and ("hd-7-1", "互助县职业技术学校") in rows

    def both(wb: Any, sheet: Any) -> None:
        sheet.cell(rows[("hd-7-1", "青海高等职业技术学院")], 8).value = 1
        sheet.cell(rows[("hd-7-1", "互助县职业技术学校")], 8).value = 0

    returned = fill(form, tmp_path / "海东市教育局.xlsx", {}, both)
    r = cli(
        "intake",
        str(returned),
        "--tasks",
        str(tasks),
        "--as-of",
        "2026-12-03",
        "--yes",
        "--receipts",
        str(tmp_path / "r"),
    )
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "hd-7-1（互助县职业技术学校）  — → 2026-12-03 0个" in r.stdout
    got = [
        (x.entity, x.value) for x in load_paths([str(tasks)]).plan.records if x.target == "hd-7-1"
    ]
    assert got == [("青海高等职业技术学院", 1), ("互助县职业技术学校", 0)]


def test_a_late_intake_is_stamped_with_the_day_it_is_taken_and_leaves_issued_weeks(
    tree: Tree, tmp_path: Path
) -> None:
    """A return taken in on 03-20 under --as-of 2025-03-05 is recorded as taken on 03-20 (as
    `record` stamps), so the 2025-W10 report, issued at its cut-off, stays what it was: no new
    progress in it, no 五、报送情况 (the repository's first return came after it), and the
    unit counts as late, not on time. (The tree has a record from January: its first week, and
    so the issue's number, is fixed before the return.)"""
    tree.write(PROGRESS_YAML, "progress/hd-test.yaml")
    week = ("report", "weekly", str(tree.dir), "--week", PERIOD, "--as-of", "2025-03-10")
    issued = cli(*week)
    assert issued.exit_code == 0, issued.stderr
    returned = fill(write_forms(tree, tmp_path / "out"), tmp_path / "海东市教育局.xlsx")
    late = {"ZJTRACK_TODAY": "2025-03-20"}
    r = intake(tree, returned, extra=("--yes",), env=late)
    assert r.exit_code == 0, r.stderr
    stamps = {x.recorded_at for x in load_paths([str(tree.dir)]).plan.records if x.by}
    assert stamps == {dt.date(2025, 3, 20)}
    again = cli(*week)
    assert (again.exit_code, again.stdout) == (0, issued.stdout)
    assert "五、报送情况" not in again.stdout
    now = cli("reported", str(tree.dir), "--as-of", "2025-03-20", "--period", PERIOD, "-f", "json")
    edu = next(row for row in json.loads(now.stdout)["rows"] if row["unit"] == UNIT)
    assert (edu["state"], edu["taken_on"]) == ("late", "2025-03-20")


def test_the_same_file_taken_again_on_a_later_day_records_nothing_new(
    tree: Tree, tmp_path: Path
) -> None:
    """Its rows leave 数据日期 blank, which stands for the day it is taken in while the period
    is open: taken again two days later, it is the same file (the same original), not new."""
    returned = fill(write_forms(tree, tmp_path / "out"), tmp_path / "海东市教育局.xlsx")
    assert intake(tree, returned, extra=("--yes",)).exit_code == 0
    before = snapshot(tree.dir)
    later = intake(tree, returned, extra=("--yes",), as_of="2025-03-07")
    assert later.exit_code == 0, later.stderr
    assert "没有新内容，2 条已记录过，不重复记录" in later.stdout
    assert snapshot(tree.dir) == before
    # a changed figure in a new file the same later day is new: recorded, dated that day
    changed = fill(write_forms(tree, tmp_path / "out2"), tmp_path / "b.xlsx", {"hd-5-1": 88})
    more = intake(tree, changed, extra=("--yes",), as_of="2025-03-07")
    assert more.exit_code == 0, more.stderr
    assert "hd-5-1  2025-03-05 85% → 2025-03-07 88%" in more.stdout


def test_a_return_is_refused_whole_when_one_of_its_progress_files_does_not_load(
    tree: Tree, tmp_path: Path
) -> None:
    """The unit's rows go to two documents' progress files; one of them has a hand edit with
    an unclosed quote. Nothing is written: no record in the other file, no original kept."""
    second = DOC_YAML.replace("hd-test", "hd-two").replace("hd-5", "hd-6")
    tree.write(second, "doc2.yaml")
    broken = 'zjtrack: 1\ndocument: hd-two\n---\ntarget: hd-6-1\ndate: 2025-01-10\nnote: "open\n'
    tree.write(broken, "progress/hd-two.yaml")
    returned = fill(
        write_forms_unchecked(tree, tmp_path / "out"),
        tmp_path / "海东市教育局.xlsx",
        {"hd-5-1": 85, "hd-6-1": 70},
    )
    before = snapshot(tree.dir)
    r = intake(tree, returned, extra=("--yes",))
    assert r.exit_code == 2
    assert "hd-two.yaml" in r.stderr and "记录未写入" in r.stderr
    assert snapshot(tree.dir) == before
    assert not (tree.dir / "returns").exists()


def write_forms_unchecked(tree: Tree, out: Path) -> Path:
    """`zjtrack form` over a tree with an error (exit 1, the forms written all the same)."""
    r = cli("form", str(tree.dir), "-o", str(out), "--as-of", AS_OF)
    assert r.exit_code in (0, 1), r.stderr
    return out / f"{UNIT}-{PERIOD}.xlsx"


def test_a_receipt_given_is_never_replaced_by_a_later_files(tree: Tree, tmp_path: Path) -> None:
    """A good return is taken (its receipt: 已收到并记录); then a refused file of the same unit
    is previewed: its refusal gets a receipt of its own, named by its content, and the first
    receipt still says what was recorded."""
    form = write_forms(tree, tmp_path / "out")
    assert intake(tree, fill(form, tmp_path / "good.xlsx"), extra=("--yes",)).exit_code == 0
    folder = tmp_path / "回执"
    first = folder / f"{UNIT}-{PERIOD}-回执.md"
    given = first.read_bytes()
    assert "已收到并记录：新记录 2 条。" in given.decode("utf-8")
    bad = fill(form, tmp_path / "bad.xlsx", {"hd-5-1": "八十五"})
    r = intake(tree, bad)
    assert r.exit_code == 1
    assert first.read_bytes() == given
    others = sorted(
        p.name for p in folder.iterdir() if p.name not in (first.name, first.stem + ".docx")
    )
    assert len(others) == 2 and {Path(n).suffix for n in others} == {".md", ".docx"}
    refusal = (folder / next(n for n in others if n.endswith(".md"))).read_text(encoding="utf-8")
    assert "退回" in refusal and "八十五" in refusal


def test_a_figure_dated_before_the_latest_record_says_the_latest_stays(
    tree: Tree, tmp_path: Path
) -> None:
    """A mistyped year (2024-12-20 for 2025-...) is a figure for an earlier day: recorded, and
    the preview says the latest progress stays, instead of promising 80% → 85%."""
    tree.write(PROGRESS_YAML, "progress/hd-test.yaml")

    def dated(wb: object, ws: object) -> None:
        for r in range(2, ws.max_row + 1):  # type: ignore[attr-defined]
            if ws.cell(r, 1).value == "hd-5-1":  # type: ignore[attr-defined]
                ws.cell(r, 9).value = "2024-12-20"  # type: ignore[attr-defined]

    returned = fill(write_forms(tree, tmp_path / "out"), tmp_path / "a.xlsx", {"hd-5-1": 85}, dated)
    r = intake(tree, returned, extra=("--yes",))
    assert r.exit_code == 0, r.stderr
    assert (
        "    hd-5-1  2025-01-10 80% → 2024-12-20 85%"
        "（早于最新记录 2025-01-10，最新进展不变；日期有误请更正后重报）"
    ) in r.stdout.splitlines()
    receipt = (tmp_path / "回执" / f"{UNIT}-{PERIOD}-回执.md").read_text(encoding="utf-8")
    assert "2024-12-20 85%（早于最新记录 2025-01-10，最新进展不变" in receipt


def test_a_return_taken_in_a_tree_with_an_error_elsewhere_ends_by_what_it_wrote(
    tree: Tree, tmp_path: Path
) -> None:
    """Another document names a unit the registry lacks (check finds an error there): intake
    says so on stderr, takes the return, and exits 0, as `record` does, not 1 after writing."""
    other = DOC_YAML.replace("hd-test", "hd-two").replace("hd-5", "hd-6")
    tree.write(other.replace("lead_units: [市教育局]", "lead_units: [市财政厅]"), "doc2.yaml")
    returned = fill(write_forms_unchecked(tree, tmp_path / "out"), tmp_path / "a.xlsx")
    r = intake(tree, returned, extra=("--yes",))
    assert r.exit_code == 0, r.stderr
    assert "结果可能不准确" in r.stderr and "已记录 2 条" in r.stderr
    assert len(records(tree)) == 2


def test_a_renamed_form_sheet_is_still_the_form(tree: Tree, tmp_path: Path) -> None:
    """A unit renamed 报送表 (Sheet1): the one other sheet is read as the form, its locked cells
    checked as ever: taken when nothing else changed, and a problem in it named in that sheet
    (it was refused twice over, as an added sheet and as no form)."""
    form = write_forms(tree, tmp_path / "out")

    def rename(wb: Any, ws: Any) -> None:
        ws.title = "Sheet1"

    r = intake(tree, fill(form, tmp_path / "a.xlsx", edit=rename), extra=("--yes",))
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "✓ a.xlsx（海东市教育局）：新记录 2 条" in r.stdout
    assert len(records(tree)) == 2

    def rename_and_edit(wb: Any, ws: Any) -> None:
        ws.title = "教育局"
        ws["C2"] = "改过的目标"

    bad = intake(tree, fill(form, tmp_path / "b.xlsx", edit=rename_and_edit))
    assert bad.exit_code == 1
    assert "b.xlsx:教育局!C2: 错误[form-locked]" in bad.stdout
    assert "form-sheet-added" not in bad.stdout and "form-unknown" not in bad.stdout


def test_an_empty_row_inserted_between_the_forms_rows_is_passed_over(
    tree: Tree, tmp_path: Path
) -> None:
    """As the CSV variant passes over a blank line, an empty row inserted in the xlsx form is
    passed over: the rows are taken, and a problem below it is named in its row as moved."""
    form = write_forms(tree, tmp_path / "out")

    def insert(wb: Any, ws: Any) -> None:
        ws.insert_rows(3)

    r = intake(tree, fill(form, tmp_path / "a.xlsx", edit=insert), extra=("--yes",))
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "新记录 2 条" in r.stdout and len(records(tree)) == 2

    def insert_and_edit(wb: Any, ws: Any) -> None:
        ws.insert_rows(3)
        ws["C4"] = "改过的目标"

    bad = intake(tree, fill(form, tmp_path / "b.xlsx", {"hd-5-1": 86}, edit=insert_and_edit))
    assert bad.exit_code == 1
    assert "b.xlsx:报送表!C4: 错误[form-locked]" in bad.stdout


def test_a_csv_saved_in_gbk_is_read(tree: Tree, tmp_path: Path) -> None:
    """Excel and WPS on Chinese Windows save "CSV (逗号分隔)" in GBK: the form is read all the
    same (its locked columns' checksum still decides it is the form)."""
    r = cli("form", str(tree.dir), "-o", str(tmp_path / "o"), "--as-of", AS_OF, "-f", "csv")
    assert r.exit_code == 0, r.stderr
    path = tmp_path / "o" / f"{UNIT}-{PERIOD}.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2][:-6] + ",80,2025-03-04,月报,,,李四"
    gbk = tmp_path / "教育局.csv"
    gbk.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    taken = intake(tree, gbk, extra=("--yes",))
    assert taken.exit_code == 0, taken.stdout + taken.stderr
    assert [(x.target, x.value) for x in load_paths([str(tree.dir)]).plan.records] == [
        ("hd-5-1", 80)
    ]
    junk = tmp_path / "乱码.csv"  # the form's text with a byte neither encoding has
    junk.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8") + b"\xff")
    bad = intake(tree, junk)
    assert bad.exit_code == 1
    assert "既不是 UTF-8 也不是 GBK 编码的 CSV" in bad.stdout and "CSV UTF-8" in bad.stdout
