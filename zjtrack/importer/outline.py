"""Stages 2 and 3: lines -> paragraphs (joined across page breaks) -> headings, blocks and nodes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .layout import DATE_LINE, H1, H2, ITEM, SENTENCE_END, TAIL, UNIT_LINE
from .numbers import cn_number
from .source import squeeze


def join_paragraphs(lines: Sequence[str]) -> list[str]:
    """Non-blank lines grouped into paragraphs: a line continues the paragraph before it when that
    one stops mid-sentence (a page break); the blank lines in between are kept, so the paragraph is
    its source text with line breaks removed."""
    paragraphs: list[list[str]] = []
    gap: list[str] = []
    head = ""  # the open paragraph's text while it is short enough to be a heading, else ""
    for line in lines:
        if not line.strip():
            gap.append(line)
            continue
        if paragraphs and _continues(paragraphs[-1], head, line):
            paragraphs[-1] += [*gap, line]
            head = head + line if head and len(head) <= _HEAD_MAX else ""
        else:
            paragraphs.append([line])
            head = line
        gap = []
    return ["".join(p) for p in paragraphs]


_TITLE_MAX = 40  # characters (without spaces) a heading holds at most
_HEAD_MAX = (
    400  # a heading is at most _TITLE_MAX characters without spaces: no need to look further
)


def _continues(before: list[str], head: str, line: str) -> bool:
    """Whether `line` continues the paragraph `before` (its lines; `head` its text when short).
    Only its first and last lines are looked at, so joining stays linear in the input."""
    last = before[-1].rstrip()
    end = last.rstrip("”’」）)")
    heading = bool(head) and _is_heading_only(head)
    if not end or end[-1] in SENTENCE_END or heading or UNIT_LINE.match(before[0]):
        return False
    if last.endswith(("）", ")")) and _UNITS_AT_END.search(last[-400:]):
        return False  # …（体育总局、财政部负责）: the paragraph ends with its unit parenthesis
    return not (
        H1.match(line)
        or H2.match(line)
        or ITEM.match(line)
        or UNIT_LINE.match(line)
        or TAIL.match(line)
        or DATE_LINE.match(line)
    )


def _is_heading_only(text: str) -> bool:
    return bool(
        (H1.match(text) or H2.match(text)) and "。" not in text and len(squeeze(text)) <= _TITLE_MAX
    )


@dataclass
class Block:
    """A paragraph as written; `start` is where its text begins after a heading or item number."""

    kind: str  # "text", "item" or "units"
    text: str
    start: int = 0


@dataclass
class Node:
    level: int  # 1 for 一、, 2 for （一）, 3 for an item 1. that is a measure
    clause: str
    number: int
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


# 11.121人才梯队项目: item 11 whose title starts with digits (ITEM refuses a digit after the dot)
_ITEM_DIGITS = re.compile(r"^\s*(\d{1,2})[.．](?=\d)")


def _item(text: str, last: int) -> re.Match[str] | None:
    """The item number of a paragraph; `last` is the item number before it, so that 11.121…
    after item 10 is item 11 and not a decimal."""
    m = ITEM.match(text)
    if m is None and (d := _ITEM_DIGITS.match(text)) and int(d[1]) == last + 1:
        return d
    return m


def outline(paragraphs: Sequence[str]) -> tuple[list[Block], list[Node]]:
    """(preamble blocks, top-level nodes). Numbered items 1. （1） are nodes of level 3 when they
    are the document's measures (see `items_are_measures`), else paragraphs of their heading."""
    preamble: list[Block] = []
    roots: list[Node] = []
    path: list[Node] = []  # the open headings, outermost first
    items = items_are_measures(paragraphs)
    last = 0
    for text in paragraphs:
        m1, m2 = H1.match(text), H2.match(text)
        m3 = _item(text, last) if items and not (m1 or m2) else None
        if m3 is not None:
            last = int(next(g for g in m3.groups() if g))
        m = m1 or m2 or m3
        if m is None:
            (path[-1].blocks if path else preamble).append(_block(text))
            continue
        level = 1 if m1 else 2 if m2 else 3
        node, block = _heading(text, m, level)
        while path and path[-1].level >= level:
            path.pop()
        (path[-1].children if path else roots).append(node)
        path.append(node)
        if block is not None:
            node.blocks.append(block)
    return preamble, roots


# an item that reads as a measure: 1．总体目标。… (a short title sentence) or one ending in its own
# unit parenthesis （牵头单位：…） / （A、B负责）
_TITLED_ITEM = re.compile(r"[^。，；：]{2,30}。")  # matched from the item number on
_UNITS_AT_END = re.compile(
    r"[（(][^（）()]*(?:负责|牵头单位|责任单位)[^（）()]*[）)]\s*[。；;]?\s*$"
)


def items_are_measures(paragraphs: Sequence[str]) -> bool:
    """Numbered items are the measures when most of them carry a title or their own unit line."""
    items = [(p, m) for p in paragraphs if (m := ITEM.match(p)) and not H1.match(p)]
    if len(items) < 3:
        return False
    measure_like = sum(
        1 for p, m in items if _TITLED_ITEM.match(p, m.end()) or _UNITS_AT_END.search(p)
    )
    return 2 * measure_like >= len(items)


def _heading(text: str, m: re.Match[str], level: int) -> tuple[Node, Block | None]:
    clause = m[0].strip()
    rest = text[m.end() :]
    stop = rest.find("。")
    if 0 < stop <= 50:  # （一）建立中高职托管培养机制。现有管理体制…
        title, body = rest[:stop], m.end() + stop + 1
    elif len(squeeze(rest)) > _TITLE_MAX:  # 一、对…的省（区、市），给予优先支持。（商务部负责）
        # a whole paragraph under its number: all of it is the measure's text, and its title the
        # words before the first pause (or the first of them, cut short)
        title, body = _short_title(rest), m.end()
    else:
        title, body = rest, len(text)
    digits = next(g for g in m.groups() if g)
    number = int(digits) if digits.isdigit() else cn_number(digits)
    node = Node(level, clause, number, squeeze(title).rstrip("：:，,"))
    block = Block("text", text, body) if text[body:].strip() else None
    return node, block


_PAUSE = re.compile(r"[，。；：,;:]")


def _short_title(text: str) -> str:
    """A title for a measure written as one paragraph: its words up to the first pause when they
    are few, else its first `_TITLE_MAX` characters and an ellipsis."""
    first = squeeze(_PAUSE.split(text, maxsplit=1)[0])
    if 2 <= len(first) <= _TITLE_MAX:
        return first
    return squeeze(text)[:_TITLE_MAX].rstrip("，,、（(") + "…"


def _block(text: str) -> Block:
    if UNIT_LINE.match(text):
        return Block("units", text)
    m = ITEM.match(text)
    if m:
        return Block("item", text, m.end())
    return Block("text", text)
