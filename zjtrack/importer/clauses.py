"""Text geometry: sentence and clause spans, brackets and quotes, masks that keep offsets."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .times import Origin, Scope, Time, find_times

OPEN, CLOSE = "（(“‘《「【[", "）)”’》」】]"
MASK = "\ue000"  # a private-use character: masked text keeps its length and offsets


MAX_GROUP = 200  # characters a bracket or quote may span and still hold a sentence together
_SPLITTERS: dict[tuple[str, bool], re.Pattern[str]] = {}


def split_spans(
    text: str, start: int, end: int, seps: str, quotes_only: bool = False
) -> list[tuple[int, int]]:
    """Spans of text[start:end] between separators outside brackets and quotes, trimmed. A bracket
    or quote protects the separators inside it only when it closes within `MAX_GROUP` characters:
    an unclosed “ must not make the rest of a paragraph one sentence."""
    opens, closes = ("“‘「", "”’」") if quotes_only else (OPEN, CLOSE)
    key = (seps, quotes_only)
    if key not in _SPLITTERS:  # the characters that matter, so the loop skips the rest
        _SPLITTERS[key] = re.compile("[" + re.escape(opens + closes + seps) + "]")
    spans, depth, s = [], 0, start
    for m in _SPLITTERS[key].finditer(text, start, end):
        ch, i = m[0], m.start()
        if ch in opens:
            closer = closes[opens.index(ch)]
            if text.find(closer, i + 1, min(end, i + 1 + MAX_GROUP)) >= 0:
                depth += 1
        elif ch in closes:
            depth = max(0, depth - 1)
        elif depth == 0 and not (
            ch in ":：" and text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit()
        ):
            spans.append((s, i))  # (a colon between digits is a ratio: 车桩比1.9:1)
            s = i + 1
    spans.append((s, end))
    return [t for a, b in spans if (t := trim(text, a, b))[0] < t[1]]


MAX_SENTENCE = 400  # characters: a longer "sentence" is a table or a run-on list, not one sentence
_BREAKS = re.compile(r"\s+")


def bounded(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` with each one longer than `MAX_SENTENCE` cut at its whitespace (table cells,
    layout breaks), and a part still longer cut every `MAX_SENTENCE` characters: a quote is
    bounded by its sentence, and the work per number by the length of one."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if b - a <= MAX_SENTENCE:
            out.append((a, b))
            continue
        s = a
        for m in _BREAKS.finditer(text, a, b):
            out += _chunks(text, s, m.start())
            s = m.end()
        out += _chunks(text, s, b)
    return out


_CLAUSE_END = re.compile(r"[，；：,;:、）)”]")


def _chunks(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """text[a:b] in parts of at most `MAX_SENTENCE`, each cut after the last clause mark in its
    second half when there is one (so a number is rarely cut in two)."""
    out = []
    while a < b:
        end = min(b, a + MAX_SENTENCE)
        if end < b:
            marks = list(_CLAUSE_END.finditer(text, a + MAX_SENTENCE // 2, end))
            end = marks[-1].end() if marks else end
        if (t := trim(text, a, end))[0] < t[1]:
            out.append(t)
        a = end
    return out


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


_PARENS = re.compile(r"[（()）]")
_QUOTE_MARKS = re.compile(r"[“‘《”’》]")


def paren_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level （…） group, brackets included."""
    groups, depth, s = [], 0, 0
    for m in _PARENS.finditer(text):
        ch, i = m[0], m.start()
        if ch in "（(":
            if depth == 0:
                s = i
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0:
                groups.append((s, i + 1))
    return groups


def mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = MASK * (b - a)
    return "".join(chars)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside “…” ‘…’ 《…》 (the marks included)."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for m in _QUOTE_MARKS.finditer(text):
        ch, i = m[0], m.start()
        if ch in "“‘《":
            stack.append(i)
        elif ch in "”’》" and stack:
            s = stack.pop()
            if not stack:
                spans.append((s, i + 1))
    return spans


def in_spans(i: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


@dataclass(frozen=True)
class Clause:
    """A clause of a paragraph as the target finder reads it.

    `start`/`end` and `quote_start` are offsets in the paragraph; offsets in `masked`, `times` and
    `subs` are the clause's own (0 is `start`)."""

    start: int
    end: int
    masked: str  # the clause's text, 《titles》 and （sub-targets） masked: same length
    times: tuple[Time, ...]  # the clause's own deadlines and starts
    scope: Scope  # the time the sentence set before this clause, inherited
    quote_start: int  # a bare time clause before this one (到2025年，…) opens its quote
    subs: tuple[tuple[int, int], ...] = ()  # （…） groups that hold a quantity of their own

    def part(self, a: int, b: int) -> Clause:
        """masked[a:b] as a clause of its own, with the times inside it and the same scope."""
        times = tuple(
            dataclasses.replace(t, start=t.start - a, end=t.end - a)
            for t in self.times
            if a <= t.start < b
        )
        return Clause(
            self.start + a, self.start + b, self.masked[a:b], times, self.scope, self.start + a
        )

    def inside(self, a: int, b: int, text: str, origin: Origin | None) -> Clause:
        """The unmasked text of a sub-target （…） at a..b, with its own times."""
        inner = text[self.start + a : self.start + b]
        times = tuple(find_times(inner, origin))
        return Clause(self.start + a, self.start + b, inner, times, self.scope, self.start + a)
