"""The import summary's review items on a terminal: wrapped to its width with a hanging indent;
to a file or a pipe: one line an item, as before (grep finds an item by its id)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import cli, on_a_terminal

from zjtrack.text import width, wrap

DOCUMENT = Path(__file__).parent / "fixtures" / "import-extra" / "gov-2018-42-nongji.txt"


def test_wrap_keeps_every_line_in_its_columns() -> None:
    text = "以下 2 处为持续性工作，无完成时限和数量：（1）延伸教育链、服务产业链；如需跟踪，请以原文为 quote 增列"
    lines = wrap(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(width(line) <= 20 for line in lines)  # a closing mark takes a character down
    assert not any(line.startswith(("，", "；", "、", "：")) for line in lines)


def test_wrap_does_not_split_a_word_that_fits() -> None:
    lines = wrap("一二三四五六七八 quote 增列", 20)
    assert lines == ["一二三四五六七八", "quote 增列"]


def test_wrap_splits_a_word_longer_than_a_line() -> None:
    assert wrap("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]
    assert wrap("", 10) == [""]


@pytest.mark.parametrize("columns", [80, 120])
def test_review_items_wrap_to_the_terminal(tmp_path: Path, columns: int) -> None:
    code, shown = on_a_terminal(
        ["import", str(DOCUMENT), "-o", "d/draft.yaml"],
        stream="stderr",
        columns=columns,
        cwd=tmp_path,
        env={"ZJTRACK_LANG": "zh"},
    )
    assert code == 0, shown
    items = [line for line in shown.splitlines() if line.startswith("    ")]
    assert any(line.startswith("    " + " " * 6) for line in items)  # a continuation line
    assert all(width(line) <= columns + 2 for line in items), max(items, key=width)


def test_review_items_to_a_pipe_stay_one_line_each(tmp_path: Path) -> None:
    result = cli("import", str(DOCUMENT), "-o", str(tmp_path / "d" / "draft.yaml"))
    assert result.exit_code == 0, result.stderr
    items = [line for line in result.stderr.splitlines() if line.startswith("    ")]
    assert items and all(line[4:5].strip() for line in items)  # each begins with its id
    assert any(width(line) > 120 for line in items)  # long items are not cut or wrapped
