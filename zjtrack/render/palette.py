"""The one status and level palette: a tag's code (a status or a level) to its colour, for every
format that has colour. Colour only adds to the words: status and level are always written out."""

from __future__ import annotations

# code -> (hex colour for HTML, docx and xlsx; style for the terminal)
PALETTE: dict[str, tuple[str, str]] = {
    # warning levels (三色督办)
    "red": ("C00000", "red"),
    "yellow": ("B8860B", "yellow"),
    "blue": ("1F5FBF", "blue"),
    # statuses
    "overdue": ("C00000", "red"),
    "behind": ("9A6B00", "yellow"),
    "done": ("17803D", "green"),
}
LEVELS = frozenset({"red", "yellow", "blue"})


def hex_colour(code: str) -> str | None:
    """`C00000` for a code that has a colour, else None."""
    entry = PALETTE.get(code)
    return entry[0] if entry else None


def terminal_style(code: str) -> str:
    entry = PALETTE.get(code)
    return entry[1] if entry else ""
