"""ISO weeks and issue numbers (第N期) of the weekly report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..dates import parse_iso_week
from ..model import Config, Document
from ..problems import UserError

# --- errors and weeks ---------------------------------------------------------------------------


# A report that cannot be made (a bad week, a bad setting) raises the one UserError; ReportError
# is its old name, kept as an alias for one release.
ReportError = UserError


@dataclass(frozen=True, order=True)
class Week:
    """One ISO week: Monday to Sunday."""

    year: int
    week: int

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def __str__(self) -> str:
        return self.label


def parse_week(text: str) -> Week:
    """`2026-W48` (also `2026W48`, `2026-w48`) as a Week (`dates.parse_iso_week` reads it)."""
    return _in_range(Week(*parse_iso_week(text)))


def _in_range(week: Week) -> Week:
    """Reports look weeks back and ahead: keep far from the calendar's ends (years 1–9999)."""
    if not 1900 <= week.year <= 9000:
        raise ReportError(
            f"{week.year} 年超出周报可处理的范围（1900–9000）",
            f"year {week.year} is outside what a report can cover (1900-9000)",
        )
    return week


def week_of(day: dt.date) -> Week:
    """The ISO week a date falls in (2025-12-29 is in 2026-W01)."""
    iso = day.isocalendar()
    return _in_range(Week(iso[0], iso[1]))


def first_week(config: Config, documents: Iterable[Document]) -> Week | None:
    """The week of issue 1: `config.first_week`, else the week of the earliest issue date."""
    if config.first_week:
        try:
            return parse_week(config.first_week)
        except ReportError as e:
            raise ReportError(f"config.first_week：{e.zh}", f"config.first_week: {e.en}") from None
    issued = [d.issued for d in documents if d.issued is not None]
    return week_of(min(issued)) if issued else None


def issue_number(week: Week, first: Week | None) -> int | None:
    """第N期: weeks since the first week, counting it as 1; None before it or without one."""
    if first is None:
        return None
    n = (week.monday - first.monday).days // 7 + 1
    return n if n >= 1 else None
