"""The status table's cells over the snapshot are built a column at a time (`render.terminal`):
each distinct value's cell made once, and placed exactly as one cell per row would be."""

from __future__ import annotations

from pathlib import Path

from conftest import cli

from zjtrack.render.terminal import _bar_keys, _Fitted, _padded, bar, fit

ROOT = Path(__file__).resolve().parent.parent


def test_padded_bars_of_both_zeros_keep_each_its_own() -> None:
    values = [0.0, -0.0, None, 50.0, 100.0, -0.0]
    column, wide = _padded(_bar_keys(values), _Fitted(60, {}).bars, "完成率")
    cells = [fit(bar(v)) for v in values]
    assert wide == max(w for _, w in cells) == 16  # `██████████  100%`
    assert column == [text + " " * (wide - w) + "  " for text, w in cells]
    # -0.0 is shown as every view shows it (`cell_text`: 0%), from its own key
    assert column[0] == column[1] == column[5] and "-" not in column[1]


def test_padded_column_is_as_wide_as_its_label_at_least() -> None:
    made: list[str] = []

    def make(key: str) -> tuple[str, int]:
        made.append(key)
        return fit(key)

    column, wide = _padded(["红", "", "红", "黄"], make, "warning")
    assert made == ["红", "", "黄"]  # each distinct cell made once
    assert wide == 7
    assert column == ["红       ", "         ", "红       ", "黄       "]


def test_a_wide_terminal_shows_the_percentages_every_view_shows() -> None:
    """At 200 columns the completion is a bar, and its number the one of the narrow table,
    the reports and JSON (98.9%, not 99%); a bar is full only at 100%."""
    demo = [str(ROOT / "tasks"), str(ROOT / "examples" / "demo")]
    wide = cli("status", *demo, "--as-of", "2026-11-25", "--width", "200")
    narrow = cli("status", *demo, "--as-of", "2026-11-25", "--width", "80")
    assert wide.exit_code == narrow.exit_code == 0
    line = next(x for x in wide.stdout.splitlines() if "hd-5-1 " in x)
    assert "█████████░ 98.9%" in line and "99%" not in line
    assert "98.9%" in next(x for x in narrow.stdout.splitlines() if "hd-5-1 " in x)
