"""The status table's cells over the snapshot are built a column at a time (`render.terminal`):
each distinct value's cell made once, and placed exactly as one cell per row would be."""

from __future__ import annotations

from zjtrack.render.terminal import _bar_keys, _Fitted, _padded, bar, fit


def test_padded_bars_of_both_zeros_keep_each_its_own() -> None:
    values = [0.0, -0.0, None, 50.0, 100.0, -0.0]
    column, wide = _padded(_bar_keys(values), _Fitted(60, {}).bars, "完成率")
    cells = [fit(bar(v)) for v in values]
    assert wide == max(w for _, w in cells) == 15
    assert column == [text + " " * (wide - w) + "  " for text, w in cells]
    assert column[0] != column[1] and column[1] == column[5]


def test_padded_column_is_as_wide_as_its_label_at_least() -> None:
    made: list[str] = []

    def make(key: str) -> tuple[str, int]:
        made.append(key)
        return fit(key)

    column, wide = _padded(["红", "", "红", "黄"], make, "warning")
    assert made == ["红", "", "黄"]  # each distinct cell made once
    assert wide == 7
    assert column == ["红       ", "         ", "红       ", "黄       "]
