"""The weekly report (周报), the task ledger (工作台账) and supervision notices (督办单), as values.

Pure: every function here takes evaluate results (or a plan and an explicit date, and calls
`evaluate`), and returns a `Report`: a title, header lines and sections of prose and typed tables.
Nothing here decides a status (that is `evaluate`'s job), reads the clock or touches a file; the
renderers in `zjtrack/render/` turn a `Report` into Markdown, HTML, docx or xlsx.

Weeks are ISO weeks (2025-12-29 belongs to 2026-W01); a reporting week closes on
`config.cutoff_weekday` (Sunday by default, so Monday to Sunday). A weekly report is judged as of its
cut-off with what had been recorded by then, and compared with the cut-off before as known then, so
a past week regenerated is the report as issued. Its issue number (第N期) counts weeks from
`config.first_week`, or, when that is unset, from the first reporting week (the week the first
record was recorded; 第1期 while nothing is); a week before issue 1 gets no number.

Text from task and progress files is made inert here (control and bidi characters shown as
escapes), once, so no renderer can forget; each renderer still escapes for its own format.
"""

from __future__ import annotations

from ..table import DateCell, Table, Tag
from .document import Report, Section
from .ledger import ledger, ledger_column_keys
from .notices import notices
from .weekly import build_weekly, weekly_report
from .weeks import (
    ReportError,
    Week,
    default_title,
    first_week,
    issue_number,
    parse_week,
    reporting_week,
    week_of,
)

__all__ = [
    "DateCell",
    "Report",
    "ReportError",
    "Section",
    "Table",
    "Tag",
    "Week",
    "build_weekly",
    "default_title",
    "first_week",
    "issue_number",
    "ledger",
    "ledger_column_keys",
    "notices",
    "parse_week",
    "reporting_week",
    "week_of",
    "weekly_report",
]
