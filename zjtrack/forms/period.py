"""The reporting period of units' returns: an ISO week (`2026-W49`, closing on the config's
cut-off weekday) or a calendar month (`2026-12`), and the day its returns are due."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from ..dates import days_in_month
from ..model import Config
from ..problems import UserError
from ..report.weeks import Week, parse_week, reporting_week


class Period(NamedTuple):
    """One reporting period: its label, first and last day (the cut-off), and the due date."""

    label: str
    start: dt.date
    cutoff: dt.date
    due: dt.date


_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _weekly(week: Week, config: Config) -> Period:
    cutoff = week.cutoff(config.cutoff_weekday)
    due = cutoff + dt.timedelta(days=config.returns_due_days)
    return Period(week.label, week.start(config.cutoff_weekday), cutoff, due)


def _monthly(year: int, month: int, config: Config) -> Period:
    cutoff = dt.date(year, month, days_in_month(year, month))
    due = cutoff + dt.timedelta(days=config.returns_due_days)
    return Period(f"{year}-{month:02d}", dt.date(year, month, 1), cutoff, due)


def period_of(day: dt.date, config: Config) -> Period:
    """The period a day falls in, as the config counts periods."""
    if config.reporting_period == "monthly":
        return _monthly(day.year, day.month, config)
    return _weekly(reporting_week(day, config.cutoff_weekday), config)


def parse_period(text: str, config: Config) -> Period:
    """`2026-W49` or `2026-12`; the kind must be the config's (a week in a monthly cycle is a
    mistake worth naming)."""
    m = _MONTH.match(text)
    if m is not None and 1 <= int(m[2]) <= 12 and 1900 <= int(m[1]) <= 9000:
        if config.reporting_period != "monthly":
            raise UserError(
                f"报送周期是按周（config.yaml 的 reporting_period），期次写成 2026-W49，而不是 `{text}`",
                f"returns are weekly (reporting_period in config.yaml): write 2026-W49, not `{text}`",
                option="--period",
            )
        return _monthly(int(m[1]), int(m[2]), config)
    if config.reporting_period == "monthly":
        raise UserError(
            f"报送周期是按月（config.yaml 的 reporting_period），期次写成 2026-12，而不是 `{text}`",
            f"returns are monthly (reporting_period in config.yaml): write 2026-12, not `{text}`",
            option="--period",
        )
    try:
        return _weekly(parse_week(text), config)
    except UserError as e:
        e.option = e.option or "--period"
        raise
