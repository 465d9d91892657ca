"""Display width (`text.width`): its fast path for common CJK runs gives what `unicodedata` says."""

from __future__ import annotations

import re
import unicodedata

import pytest

from zjtrack.text import _COMMON_WIDE, _Lazy, inert, one_line, plain_width, width


def _by_unicodedata(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_every_character_the_fast_path_removes_takes_two_cells() -> None:
    ranges = [(0x3000, 0x303E), (0x4E00, 0x9FFF), (0xFF01, 0xFF60)]
    chars = "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))
    assert _COMMON_WIDE.fullmatch(chars)
    assert all(unicodedata.east_asian_width(c) in "WF" for c in chars)
    # and the characters just outside the runs are left to `unicodedata`
    for c in "\u2fff\u303f\u4dff\ua000\uff00\uff61":
        assert not _COMMON_WIDE.search(c)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain ascii 100%",
        "推动全省规模以上工业企业研发机构覆盖率达到 45%以上，新增省级重点实验室",
        "（久未更新）２０２５年底前",
        "ｶﾀｶﾅ half-width and ─ box and ü",  # narrow and ambiguous: one cell each
        "한국어 and 〿 and 😀 and \u0301",  # wide outside the runs, and a combining mark
        "\x1b[31m 控制 \u202e",
    ],
)
def test_width_is_unicodedatas(text: str) -> None:
    assert width(text) == _by_unicodedata(text)


def _one_line_in_full(text: str) -> str:
    for old in ("\r\n", "\n", "\r", "\t"):
        text = text.replace(old, " ")
    return inert(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "合成指标0 ≥ 167个",
        "a\tb\r\nc\rd\ne",
        "x\x1b[31my",
        "\u202eabc\u2028",
        "\ud800 lone",
        "ok",
    ],
)
def test_one_line_is_the_replacements_then_inert(text: str) -> None:
    assert one_line(text) == _one_line_in_full(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [("ok", 2), ("合成指标", 8), ("a\tb", -1), ("x\x1b[31m", -1), ("长" * 30, 60), ("长" * 31, -1)],
)
def test_plain_width_is_the_width_of_a_cell_fit_leaves_unchanged(text: str, want: int) -> None:
    from zjtrack.render.terminal import fit
    from zjtrack.text import plain_width

    assert plain_width(text, 60) == want
    if want >= 0:
        assert fit(text) == (text, want)
    else:
        assert fit(text)[0] != text or fit(text)[1] != width(text)


def test_a_lazy_pattern_is_compiled_on_first_use_and_matches_as_compiled() -> None:
    source = "[\t\n\r]|[\u200b-\u200f]"
    lazy, compiled = _Lazy(source), re.compile(source)
    assert "search" not in vars(lazy)  # nothing compiled yet
    for text in ("", "a\tb", "x\u200by", "中文", "\n"):
        assert bool(lazy.search(text)) == bool(compiled.search(text))
        assert lazy.sub("_", text) == compiled.sub("_", text)
        assert bool(lazy.match(text)) == bool(compiled.match(text))
        assert bool(lazy.fullmatch(text)) == bool(compiled.fullmatch(text))
    assert "search" in vars(lazy)


@pytest.mark.parametrize("text", ["职业学校", "a\tb", "x\u200by", "\xa0", "行\n末", "\u2028", ""])
def test_printable_shortcut_gives_the_searched_answer(text: str) -> None:
    # `one_line` and `plain_width` skip the search for printable text: the same answer
    searched = text.replace("\t", " ").replace("\n", " ")
    assert one_line(text) == (text if text.isprintable() else inert(searched))
    expected = -1 if any(c in text for c in "\t\n\r\u200b\u2028") else width(text)
    assert plain_width(text, 60) == expected
