"""Issue 12 §7: every view readable at 80 columns, and using the room at 200.

Rich tables rendered with a fixed-width Console: no line wider than the console, no id split or
clipped, the columns left out named in a footer; the plain renderer unchanged without a width.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import cli
from rich.console import Console

from zjtrack.evaluate import evaluate
from zjtrack.load.loader import load_paths
from zjtrack.registry import Registry
from zjtrack.render.terminal import layout, render_plain, render_rich
from zjtrack.table import Table
from zjtrack.text import width
from zjtrack.views import results_table, unit_table

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 25)


def tables() -> dict[str, Table]:
    plan = load_paths([str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]).plan
    registry = Registry(plan.units)
    results = evaluate(plan, AS_OF)
    out = {
        view: results_table(view, chosen, registry, "zh", results, full=False)
        for view, chosen in (
            ("status", results),
            ("overdue", [r for r in results if r.status.value == "overdue"]),
            ("due", [r for r in results if r.days_left is not None and 0 <= r.days_left <= 30]),
        )
    }
    out["units"] = unit_table(results, registry, "zh")
    return out


TABLES = tables()


def rendered(table: Table, cols: int) -> str:
    console = Console(file=io.StringIO(), width=cols, color_system=None, force_terminal=False)
    console.print(render_rich(table, "zh", "标题", cols))
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def ids(table: Table) -> set[str]:
    return {str(r["id"]) for r in table.rows if r.get("id")}


@pytest.mark.parametrize("cols", [80, 200])
@pytest.mark.parametrize("view", sorted(TABLES))
def test_lines_fit_and_ids_are_whole(view: str, cols: int) -> None:
    table = TABLES[view]
    text = rendered(table, cols)
    lines = text.splitlines()
    assert max(width(line) for line in lines) <= cols
    cells = {part.strip() for line in lines for part in line.split("│")}
    for target_id in ids(table):
        assert target_id in cells, f"{target_id} split or clipped at {cols} columns"
    assert "…" not in "".join(line.split("│")[1] for line in lines if "│" in line)


def test_status_at_80_drops_columns_and_says_which() -> None:
    table = TABLES["status"]
    lay = layout(table, 80)
    kept = [c.key for c in lay.columns]
    assert kept[:2] == ["id", "target"]
    assert "status_label" in kept and "completion" in kept
    assert {c.key for c in lay.dropped} >= {"time_elapsed", "latest_text"}
    text = rendered(table, 80)
    assert "未显示（终端较窄）：" in text
    assert "序时进度" in text.splitlines()[-1] or "序时进度" in text.splitlines()[-2]
    # 117 rows: about three lines a row at most (the issue saw 1,082 lines for 107)
    assert len(text.splitlines()) < 4 * len(table.rows)


def test_status_at_200_keeps_every_column_with_bars() -> None:
    table = TABLES["status"]
    lay = layout(table, 200)
    assert lay.dropped == () and lay.bars
    text = rendered(table, 200)
    assert "未显示" not in text
    assert "██" in text


def test_at_200_a_date_stays_on_one_line_and_no_text_column_takes_room_another_needs() -> None:
    """Seen in tmux: `due` at 200 columns printed 2026年12月15日 over two lines (a 12-cell cap
    on deadlines) and gave 目标 74 cells for 20-cell texts while 责任单位 wrapped."""
    table = TABLES["due"]
    lay = layout(table, 200)
    text = rendered(table, 200)
    assert "2026年12月15日" in text
    rows = [line for line in text.splitlines() if line.startswith("│")]
    assert len(rows) == len(table.rows)  # every row on one line: nothing wraps at 200
    given = dict(zip([c.key for c in lay.columns], lay.widths, strict=True))
    assert given["responsible_units"] >= width("海东市人力资源和社会保障局、海东市各县区人民政府")


def test_at_120_a_deadline_is_capped_so_the_statement_keeps_room() -> None:
    lay = layout(TABLES["status"], 120)
    given = dict(zip([c.key for c in lay.columns], lay.widths, strict=True))
    assert given.get("deadline_text", 12) <= 12


def test_plain_renderer_keeps_the_full_layout() -> None:
    table = TABLES["status"]
    text = render_plain(table, "zh")
    header = text.splitlines()[0]
    for c in table.columns:
        assert c.label in header
    assert "未显示" not in text


def test_no_width_is_the_old_layout() -> None:
    lay = layout(TABLES["overdue"], None)
    assert lay.columns == TABLES["overdue"].columns and lay.bars and not lay.dropped


# --- through the CLI: --width lays a pipe out for N columns; without it the plain layout ---------


DEMO = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo"), "--as-of", "2026-11-25"]


@pytest.mark.parametrize("view", ["status", "overdue", "due", "units"])
def test_cli_width_80(view: str) -> None:
    result = cli(view, *DEMO, "--width", "80")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(width(line) for line in lines) <= 80
    assert "┃" in result.stdout


def test_cli_without_width_is_plain_and_full() -> None:
    result = cli("status", *DEMO)
    assert result.exit_code == 0
    assert "┃" not in result.stdout and "未显示" not in result.stdout
    assert "序时进度" in result.stdout.splitlines()[0]


def test_cli_status_width_80_names_what_it_left_out() -> None:
    result = cli("status", *DEMO, "--width", "80")
    assert "未显示（终端较窄）：牵头单位、序时进度、预警、最新进展" in result.stdout
    assert result.stderr == ""


def test_cli_show_wraps_under_its_label() -> None:
    result = cli("show", "hd-7-1", *DEMO, "--width", "80")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(width(line) for line in lines) <= 80
    assert "            海东市商务局" in result.stdout  # under 责任单位：
    wide = cli("show", "hd-7-1", *DEMO)
    assert max(width(line) for line in wide.stdout.splitlines()) > 80


def test_cli_width_too_small_is_a_usage_error() -> None:
    result = cli("status", *DEMO, "--width", "20")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--width" in result.stderr
