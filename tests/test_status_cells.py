"""The status table's cells over the snapshot are built a column at a time (`render.terminal`):
each distinct value's cell made once, and placed exactly as one cell per row would be."""

from __future__ import annotations

from zjtrack.render.terminal import _bar_keys, _bars, _by_key, _Fitted, _padded, bar, fit


def test_bars_of_both_zeros_draw_each_as_its_own() -> None:
    values = [0.0, -0.0, None, 50.0, 50.0, -0.0]
    texts, widths = _bars(values, _Fitted(60, {}).bars)
    assert texts == [fit(bar(v))[0] for v in values]
    assert texts[0] != texts[1] and texts[1] == texts[5]
    assert widths == [fit(bar(v))[1] for v in values]


def test_bars_by_value_when_one_zero_only() -> None:
    values = [None, 0.0, 12.5, 0.0, 100.0, None]
    texts, widths = _bars(values, _Fitted(60, {}).bars)
    assert list(zip(texts, widths, strict=True)) == [fit(bar(v)) for v in values]


def test_by_key_makes_each_distinct_cell_once() -> None:
    made: list[str] = []

    def make(key: str) -> tuple[str, int]:
        made.append(key)
        return fit(key)

    keys = ["省发展改革委", "b", "省发展改革委", "x\ty", "b"]
    texts, widths = _by_key(keys, make)
    assert made == ["省发展改革委", "b", "x\ty"]
    assert texts == ["省发展改革委", "b", "省发展改革委", "x y", "b"]
    assert widths == [12, 1, 12, 3, 1]


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
