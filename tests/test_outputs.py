"""`-o` never replaces what the user wrote (issue 13): the rules of store/outputs.py, through the
core and through every command that writes a whole file (report weekly/ledger/notices, form).

Before the fix, `report weekly -o tasks/zhangye-2024-2.yaml` replaced the hand-written task file
with a Markdown report (exit 0), and any regular file, symlink, FIFO or device at the destination
was replaced too."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import cli

from zjtrack.store.outputs import Refusal, refusal, written_by_zjtrack

ROOT = Path(__file__).resolve().parent.parent
TASKS = ROOT / "tasks"
WEEK = ("--week", "2026-W48")


def run(*args: str) -> tuple[int, str, str]:
    result = cli(*args)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(TASKS, tmp_path / "tasks")
    shutil.copytree(ROOT / "examples" / "demo", tmp_path / "demo")
    return tmp_path


# --- the core: what may be replaced ----------------------------------------------------------


def test_nothing_there_may_be_written(tmp_path: Path) -> None:
    assert refusal(tmp_path / "new.md", force=False) is None


def test_a_file_the_user_wrote_needs_force(tmp_path: Path) -> None:
    mine = tmp_path / "notes.md"
    mine.write_text("# 我的笔记\n", encoding="utf-8")
    assert refusal(mine, force=False) == Refusal("foreign")
    assert refusal(mine, force=True) is None
    assert Refusal("foreign").forcible


def test_yaml_files_are_never_replaced_even_with_force(tmp_path: Path) -> None:
    for name in ("zhangye-2024-2.yaml", "units.yml"):
        path = tmp_path / name
        path.write_text("document: {}\n", encoding="utf-8")
        assert refusal(path, force=True) == Refusal("input")
        assert not Refusal("input").forcible


def test_special_files_are_never_replaced(tmp_path: Path) -> None:
    target = tmp_path / "outside.md"
    target.write_text("<!-- zjtrack -->\n", encoding="utf-8")  # even one zjtrack wrote
    link = tmp_path / "link.md"
    link.symlink_to(target)
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    assert refusal(link, force=True) == Refusal("special", "symlink")
    assert refusal(fifo, force=True) == Refusal("special", "fifo")
    assert refusal(folder, force=True) == Refusal("special", "directory")
    assert refusal(Path("/dev/null"), force=True) == Refusal("special", "device")


def test_marks_are_recognised_in_every_format_whatever_the_name(tmp_path: Path) -> None:
    samples = {
        "a.md": "# 周报\n\n正文\n\n<!-- zjtrack -->\n".encode(),
        "b.html": b'<!DOCTYPE html>\n<html>\n<head>\n<meta name="generator" content="zjtrack">\n',
        "c.csv": "\ufeff序号,任务编号,完成状态\r\n1,a,已完成\r\n".encode(),
        "d.csv": "\ufeffzjtrack-form,1,f,单位,2026-W49,x\r\n".encode(),
        "e.txt": "# 周报\n\n<!-- zjtrack -->\n".encode(),  # a Markdown report under another name
    }
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
        assert written_by_zjtrack(tmp_path / name), name
    unmarked = {
        "f.md": b"# mine\n",
        "g.html": b"<html><head><title>mine</title></head></html>",
        "h.csv": "\ufeff姓名,电话\r\n".encode(),  # a BOM alone is not zjtrack's mark
        "i.csv": "序号,任务编号\r\n".encode(),  # nor are its labels without the BOM
        "j.md": b"<!-- zjtrack -->\nmy own text after it\n",  # the mark must end the file
    }
    for name, data in unmarked.items():
        (tmp_path / name).write_bytes(data)
        assert not written_by_zjtrack(tmp_path / name), name


def _zip(core: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("docProps/core.xml", core)
        z.writestr("word/document.xml", b"<w:document/>")
    return buf.getvalue()


def test_office_files_are_recognised_by_their_core_properties(tmp_path: Path) -> None:
    ours = tmp_path / "ours.docx"
    ours.write_bytes(_zip(b"<cp:coreProperties><dc:description>zjtrack</dc:description>"))
    theirs = tmp_path / "theirs.docx"
    theirs.write_bytes(_zip(b"<cp:coreProperties><dc:creator>WPS</dc:creator>"))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert written_by_zjtrack(ours)
    assert not written_by_zjtrack(theirs)
    assert not written_by_zjtrack(broken)


# --- the commands ------------------------------------------------------------------------------


def test_report_refuses_to_replace_a_task_file(tree: Path) -> None:
    task = tree / "tasks" / "zhangye-2024-2.yaml"
    before = task.read_bytes()
    code, out, err = run("report", "weekly", str(tree / "tasks"), *WEEK, "-o", str(task), "--force")
    assert code == 2 and out == ""
    assert "YAML" in err and "zhangye-2024-2.yaml" in err
    assert task.read_bytes() == before


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "xlsx"])
def test_weekly_replaces_its_own_file_but_not_the_users(tree: Path, fmt: str) -> None:
    out_file = tree / f"周报.{fmt}"
    args = ("report", "weekly", str(tree / "tasks"), *WEEK, "-f", fmt, "-o", str(out_file))
    assert run(*args)[0] == 0
    first = out_file.read_bytes()
    assert written_by_zjtrack(out_file)
    assert run(*args)[0] == 0 and out_file.read_bytes() == first  # regenerated in place
    out_file.write_bytes(b"the user's own file")
    code, out, err = run(*args)
    assert code == 2 and out == "" and "--force" in err
    assert out_file.read_bytes() == b"the user's own file"
    assert run(*args, "--force")[0] == 0 and out_file.read_bytes() == first


def test_ledger_csv_is_recognised_and_replaced(tree: Path) -> None:
    out_file = tree / "台账.csv"
    args = ("report", "ledger", str(tree / "tasks"), "--as-of", "2026-11-25", "-f", "csv")
    assert run(*args, "-o", str(out_file))[0] == 0
    assert run(*args, "--columns", "序号,完成状态", "-o", str(out_file))[0] == 0
    assert out_file.read_bytes().startswith("\ufeff序号,完成状态".encode())


def test_symlink_and_fifo_destinations_are_neither_followed_nor_replaced(tree: Path) -> None:
    outside = tree / "outside.txt"
    outside.write_text("secret\n", encoding="utf-8")
    link = tree / "link.md"
    link.symlink_to(outside)
    fifo = tree / "pipe.md"
    os.mkfifo(fifo)
    for dest, word in ((link, "符号链接"), (fifo, "命名管道")):
        code, out, err = run(
            "report", "weekly", str(tree / "tasks"), *WEEK, "-o", str(dest), "--force"
        )
        assert code == 2 and out == "" and word in err, err
    assert link.is_symlink() and outside.read_text(encoding="utf-8") == "secret\n"
    assert fifo.is_fifo()


def test_notices_into_a_folder_refuse_before_writing_any(tree: Path) -> None:
    folder = tree / "督办单"
    args = (
        "report",
        "notices",
        str(tree / "tasks"),
        str(tree / "demo"),
        "--as-of",
        "2026-11-25",
        "-o",
        f"{folder}/",
    )
    assert run(*args)[0] == 0
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) > 1
    last = folder / names[-1]
    last.write_text("手写的督办单\n", encoding="utf-8")
    for p in folder.iterdir():
        if p != last:
            p.unlink()
    code, _, err = run(*args)
    assert code == 2 and names[-1] in err
    assert sorted(p.name for p in folder.iterdir()) == [names[-1]]  # none of the others written
    assert run(*args, "--force")[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == names


def test_forms_replace_their_own_files_but_not_the_users(tree: Path) -> None:
    folder = tree / "报送表"
    args = ("form", str(tree / "tasks"), "--as-of", "2026-11-25", "-o", str(folder))
    assert run(*args)[0] == 0
    made = sorted(folder.iterdir())
    assert made and all(written_by_zjtrack(p) for p in made)
    assert run(*args)[0] == 0
    made[0].write_bytes(b"not a form")
    code, _, err = run(*args)
    assert code == 2 and made[0].name in err and made[0].read_bytes() == b"not a form"
    assert run(*args, "--force")[0] == 0 and written_by_zjtrack(made[0])


def test_a_users_csv_with_a_bom_is_not_taken_for_zjtracks(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" adds a byte-order mark to every file: labels zjtrack also uses
    (`Date`, `Task`, out of the ledger's order) are not its mark."""
    for header in ("Date,Task,Done", "任务编号,序号", "序号"):
        own = tmp_path / "todo.csv"
        own.write_bytes(f"\ufeff{header}\r\nx,y,z\r\n".encode())
        assert not written_by_zjtrack(own), header
    ledger = tmp_path / "ledger.csv"
    ledger.write_bytes("\ufeffNo.,ID,Status\r\n1,a,done\r\n".encode())
    assert written_by_zjtrack(ledger)


def test_a_file_the_command_read_is_never_its_output(tree: Path) -> None:
    task = tree / "zytask"  # a task file under a name with no .yaml: read, so never replaced
    shutil.copy(tree / "tasks" / "zhangye-2024-2.yaml", task)
    before = task.read_bytes()
    units = str(tree / "tasks" / "units.yaml")
    code, out, err = run("report", "weekly", str(task), units, *WEEK, "-o", str(task), "--force")
    assert code == 2 and out == "" and "本命令读取" in err
    assert task.read_bytes() == before


def test_dash_means_stdout(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    code, out, _ = run("report", "weekly", str(tree / "tasks"), *WEEK, "-o", "-")
    assert code == 0 and out.startswith("# ") and not (tree / "-").exists()
