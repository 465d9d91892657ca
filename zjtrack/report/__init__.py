"""The weekly report (周报), the task ledger (工作台账) and supervision notices (督办单), as values.

Pure: every function here takes evaluate results (or a plan and an explicit date, and calls
`evaluate`), and returns a `Report`: a title, header lines and sections of prose and typed tables.
Nothing here decides a status (that is `evaluate`'s job), reads the clock or touches a file; the
renderers in `zjtrack/render/` turn a `Report` into Markdown, HTML, docx or xlsx.

Weeks are ISO weeks (Monday to Sunday; 2025-12-29 belongs to 2026-W01). A weekly report is judged
as of its week's Sunday and compared with the Sunday before. Its issue number (第N期) counts weeks
from `config.first_week`, or, when that is unset, from the ISO week of the earliest document's
issue date; a week before issue 1 gets no number.

Text from task and progress files is made inert here (control and bidi characters shown as
escapes), once, so no renderer can forget; each renderer still escapes for its own format.
"""

from __future__ import annotations

from ..table import DateCell, Table, Tag
from .document import Report, Section
from .ledger import ledger, ledger_column_keys
from .notices import notices
from .weekly import build_weekly, weekly_report
from .weeks import ReportError, Week, first_week, issue_number, parse_week, week_of

__all__ = [
    "DateCell",
    "Report",
    "ReportError",
    "Section",
    "Table",
    "Tag",
    "Week",
    "build_weekly",
    "first_week",
    "issue_number",
    "ledger",
    "ledger_column_keys",
    "notices",
    "parse_week",
    "week_of",
    "weekly_report",
]
