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
    for line in lines:
        if not line.strip():
            gap.append(line)
            continue
        if paragraphs and _continues("".join(paragraphs[-1]), line):
            paragraphs[-1] += [*gap, line]
        else:
            paragraphs.append([line])
        gap = []
    return ["".join(p) for p in paragraphs]


def _continues(before: str, line: str) -> bool:
    end = before.rstrip().rstrip("”’」）)")
    if not end or end[-1] in SENTENCE_END or _is_heading_only(before) or UNIT_LINE.match(before):
        return False
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
        (H1.match(text) or H2.match(text)) and "。" not in text and len(squeeze(text)) <= 40
    )


@dataclass
class Block:
    """A paragraph as written; `start` is where its text begins after a heading or item number."""

    kind: str  # "text", "item" or "units"
    text: str
    start: int = 0


@dataclass
class Node:
    level: int  # 1 for 一、, 2 for （一）
    clause: str
    number: int
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


def outline(paragraphs: Sequence[str]) -> tuple[list[Block], list[Node]]:
    """(preamble blocks, top-level nodes)."""
    preamble: list[Block] = []
    roots: list[Node] = []
    h1: Node | None = None
    h2: Node | None = None
    for text in paragraphs:
        m1, m2 = H1.match(text), H2.match(text)
        if m1 or m2:
            m = m1 or m2
            assert m is not None
            node, block = _heading(text, m, 1 if m1 else 2)
            if m1:
                roots.append(node)
                h1, h2 = node, None
            else:
                (h1.children if h1 else roots).append(node)
                h2 = node
            if block is not None:
                node.blocks.append(block)
            continue
        current = h2 or h1
        (current.blocks if current else preamble).append(_block(text))
    return preamble, roots


def _heading(text: str, m: re.Match[str], level: int) -> tuple[Node, Block | None]:
    clause = m[0].strip()
    rest = text[m.end() :]
    stop = rest.find("。")
    if 0 < stop <= 50:  # （一）建立中高职托管培养机制。现有管理体制…
        title, body = rest[:stop], m.end() + stop + 1
    else:
        title, body = rest, len(text)
    node = Node(level, clause, cn_number(m[1]), squeeze(title).rstrip("：:，,"))
    block = Block("text", text, body) if text[body:].strip() else None
    return node, block


def _block(text: str) -> Block:
    if UNIT_LINE.match(text):
        return Block("units", text)
    m = ITEM.match(text)
    if m:
        return Block("item", text, m.end())
    return Block("text", text)
