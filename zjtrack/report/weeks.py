"""ISO weeks and issue numbers (第N期) of the weekly report."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from operator import attrgetter
from typing import NamedTuple

from ..dates import parse_iso_week
from ..model import Config, Document, ProgressRecord
from ..problems import UserError

# --- errors and weeks ---------------------------------------------------------------------------


# A report that cannot be made (a bad week, a bad setting) raises the one UserError; ReportError
# is its old name, kept as an alias for one release.
ReportError = UserError


class Week(NamedTuple):
    """One ISO week: Monday to Sunday (ordered by year, then week)."""

    year: int
    week: int

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    def cutoff(self, weekday: int = 6) -> dt.date:
        """The day the reporting week closes: its `weekday` (0 Monday … 6 Sunday, the default). A
        week closing on Friday covers Saturday to Friday."""
        return self.monday + dt.timedelta(days=weekday)

    def start(self, weekday: int = 6) -> dt.date:
        """The first day of the reporting week that closes on `cutoff(weekday)`."""
        return self.cutoff(weekday) - dt.timedelta(days=6)

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


def reporting_week(day: dt.date, cutoff_weekday: int = 6) -> Week:
    """The reporting week a day falls in, for weeks closing on `cutoff_weekday` (a Saturday falls in
    the week closing the next Friday)."""
    return week_of(day + dt.timedelta(days=6 - cutoff_weekday))


def first_week(
    config: Config, records: Iterable[ProgressRecord] = (), documents: Iterable[Document] = ()
) -> Week | None:
    """The week of issue 1: `config.first_week`, else the first reporting week, the week in
    which the working group began: the earliest day a document says it was tracked from
    (`Document.tracked_from`) or the first progress record was recorded (`recorded_on`, so a
    record filed late for an early date never renumbers issued reports); None when neither is
    known yet."""
    if config.first_week:
        try:
            return parse_week(config.first_week)
        except ReportError as e:
            raise ReportError(f"config.first_week：{e.zh}", f"config.first_week: {e.en}") from None
    records = tuple(records)
    # where no record says when it was recorded, each was recorded on its date (`recorded_on`):
    # the dates are read as they are (a province's 100,000 records)
    recorded_on = _RECORDED_ON if any(map(_RECORDED_AT, records)) else _DATE
    first = min(filter(None, map(recorded_on, records)), default=None)  # a date is never false
    # a day no report can number (before 1900, check warns of it) does not anchor issue 1
    tracked = min((d for d in map(_TRACKED_ON, documents) if d and d.year >= 1900), default=None)
    if tracked is not None and (first is None or tracked < first):
        first = tracked
    if first is None:
        return None
    # the reporting week that holds the day (a week closing on Friday ends before Saturday)
    return reporting_week(first, config.cutoff_weekday)


_RECORDED_ON, _RECORDED_AT, _DATE, _TRACKED_ON = map(
    attrgetter, ("recorded_on", "recorded_at", "date", "tracked_on")
)


GENERIC_TITLE = "政策任务落实情况周报"
_LOOSE = "第的之和与及、，。；：《》（）“”〈〉 "  # what a shared phrase never starts or ends with
_FRAME = re.compile(r"^(?:关于|印发)+|(?:的?(?:通知|意见|决定))+$")
_TOPIC_WORDS = ("职业教育", "教育", "产教融合", "就业", "科技", "人才", "乡村振兴", "营商环境")


def default_title(documents: Iterable[Document]) -> str:
    """The report's title when `config.report_title` is unset: what the documents tracked are
    about. Two vocational-education reform programmes give 职业教育改革任务落实情况周报; the
    topic is the longest phrase every title shares (at least two characters), with 改革 added when
    every title speaks of reform; documents sharing nothing give 政策任务落实情况周报."""
    titles = [d.title for d in documents if d.title]
    if not titles:
        return GENERIC_TITLE
    # a phrase cut at a word that joins or counts reads broken (合成政策文件第 is 合成政策文件),
    # and 关于 or 印发 alone is no topic
    topic = _FRAME.sub("", _shared_phrase(titles).strip(_LOOSE)).strip(_LOOSE)
    topic = next((w for w in _TOPIC_WORDS if w in topic), topic)
    if len(topic) < 2:
        return GENERIC_TITLE
    if all("改革" in t for t in titles) and not topic.endswith("改革"):
        topic += "改革"
    return f"{topic}任务落实情况周报"


def _shared_phrase(titles: list[str]) -> str:
    first = min(titles, key=len)
    for size in range(len(first), 1, -1):
        for i in range(len(first) - size + 1):
            part = first[i : i + size]
            if all(part in t for t in titles):
                return part
    return ""


def issue_number(week: Week, first: Week | None) -> int | None:
    """第N期: weeks since the first week, counting it as 1; None before it. Without a first week
    (nothing recorded, none configured) the report is the first: 第1期."""
    if first is None:
        return 1
    n = (week.monday - first.monday).days // 7 + 1
    return n if n >= 1 else None
