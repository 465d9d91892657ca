"""YAML scalars as zjtrack types them (YAML 1.2 core rules, stricter still), without PyYAML:
the patterns `yamlsrc` resolves plain scalars by, and the value of a number as `reader` reads
it. Shared with `appended`, which reads appended records of the plain shape without PyYAML."""

from __future__ import annotations

BOOL = r"^(?:true|false)$"
NULL = r"^(?:~|null|)$"
INT = r"^[-+]?(?:0|[1-9][0-9]*)$"
FLOAT = r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$"

MAX_NUMBER = 10**15  # far above any policy figure; keeps arithmetic finite and exact enough


def number(raw: str, is_float: bool) -> int | float | None:
    """The value of a YAML number, or None when it is too large to compute with (a 5,000-digit
    integer, 1e400): Python would raise on converting it, or evaluate on dividing by it."""
    if len(raw) > 40:
        return None
    value = float(raw) if is_float else int(raw)
    return value if abs(value) < MAX_NUMBER else None
