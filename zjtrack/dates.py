"""Dates as policy documents write them.

`parse_when` is the one function that turns a deadline or start expression into a date:
ISO dates (`2025-06-30`) and the Chinese expressions documents use (`到2025年底`, `2025年6月底前`,
`“十四五”期间`, `从2024年起`). A deadline means the last day of the period named, a start its first.
Pure: no clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

from .problems import Problem, UserError, problem


class _Pattern:
    """A regular expression compiled on first use: most runs parse no date expression (a view over
    cached files parses at most --as-of), and compiling all of these at import cost about 4 ms of
    every start-up."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self._pattern().match(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._pattern().fullmatch(text)

    def sub(self, repl: str, text: str) -> str:
        return self._pattern().sub(repl, text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._pattern().search(text)


# The five-year plans: 十四五 covers 2021-2025.
_PLANS = {
    "十一五": 2006,
    "十二五": 2011,
    "十三五": 2016,
    "十四五": 2021,
    "十五五": 2026,
    "十六五": 2031,
}

_NOISE = _Pattern(r"\s|^(?:到|至|截至|截止|从|自|于|在)|(?:之前|以前|前|起|开始|以来)$")
# quotation marks as documents put them around a plan's name (“十四五”期间): taken away in pairs;
# one left over (2025年'底, a slip of the hand) makes the expression no date zjtrack knows
_QUOTED = _Pattern(r"“([^“”]*)”|\"([^\"]*)\"|‘([^‘’]*)’|'([^']*)'|「([^「」]*)」|《([^《》]*)》")
_QUOTE = _Pattern(r"[“”\"'‘’「」《》]")
_ISO = _Pattern(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_YMD = _Pattern(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$")
_YM = _Pattern(r"^([0-9]{4})年([0-9]{1,2})月(?:底|末|份)?$")
_Y = _Pattern(r"^([0-9]{4})年?(?:底|末|年底|年末)?$")
_HALF = _Pattern(r"^([0-9]{4})年(上|下)半年$")
_QUARTER = _Pattern(r"^([0-9]{4})年(?:第)?([一二三四1-4])季度(?:末)?$")
_PLAN = _Pattern(r"^(十[一二三四五六]?五)(?:规划)?(?:期间|时期|末|期末)?$")

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4}


# An expression that names no real date raises UserError; `zh` and `en` say why. DateError is its
# old name, kept as an alias for one release (load/reader.py and the importer still catch it).
DateError = UserError


def parse_iso(text: str) -> dt.date:
    """Parse a strict ISO date, with a reason when it is impossible (2025-02-30)."""
    m = _ISO.match(text.strip())
    if not m:
        raise UserError("不是 ISO 日期（YYYY-MM-DD）", "not an ISO date (YYYY-MM-DD)")
    return _date(int(m[1]), int(m[2]), int(m[3]))


# a typed day, with the midnight some exports add to a date cell saved as text (WPS)
_TYPED = _Pattern(
    r"^([0-9]{4})\s*(?:[-/.]|年)\s*([0-9]{1,2})\s*(?:[-/.]|月)\s*([0-9]{1,2})\s*日?"
    r"(?:\s+0{1,2}:00(?::00)?)?$"
)
_MONTH_DAY = _Pattern(r"^([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?$")


# What to write instead of a typed day that is no day (`bad-date` of a record's date): the
# catalogue's own hint names the document's wording (2025年底), which a record's date refuses.
_TYPED_HINT = (
    "写具体日期，如 2026-11-20、2026年11月20日 或 11月20日（不写“月底”“年底”）。",
    "write a day: 2026-11-20, 2026年11月20日 or 11月20日 (not 月底 or 年底).",
)


def bad_typed_day(
    where: str, key: str, value: str, error: UserError, blank: tuple[str, str] = ("", "")
) -> Problem:
    """`bad-date` of a record's day that `parse_typed` refused (`error`), told to write a day;
    `blank`: what leaving it blank means, where it may be left blank."""
    return problem(
        "bad-date",
        where,
        key=key,
        value=value,
        reason_zh=error.zh,
        reason_en=error.en,
        hint_zh=_TYPED_HINT[0] + blank[0],
        hint_en=_TYPED_HINT[1] + blank[1],
    )


def parse_typed(text: str, year: int) -> dt.date:
    """A day as a clerk types it: 2026-11-20, 2026年11月20日, 2026/11/20, 2026.11.20, or 11月20日
    (in `year`, the as-of date's year), in full-width digits too (２０２６．１１．２０, as a
    Chinese input method types them: NFKC), and a date cell saved as text with its midnight
    (`2026-11-20 00:00:00`). An impossible day (2月30日) says why; `bad_typed_day` is the
    problem of one that is no day."""
    core = unicodedata.normalize("NFKC", text).strip()
    if m := _TYPED.match(core):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTH_DAY.match(core):
        return _date(year, int(m[1]), int(m[2]))
    raise UserError(
        "不是日期：写成 2026-11-20、2026年11月20日、2026/11/20、2026.11.20 或 11月20日",
        "not a date: write 2026-11-20, 2026年11月20日, 2026/11/20, 2026.11.20 or 11月20日",
    )


_STAMP = _Pattern(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$")


def parse_stamp(text: str) -> dt.date:
    """`recorded_at`: an ISO date, or a date and time (`2026-12-05T10:15:00`, local, no zone)."""
    m = _STAMP.match(text.strip())
    if not m:
        return parse_iso(text)
    day = parse_iso(m[1])
    try:
        return dt.datetime.combine(day, dt.time(int(m[2]), int(m[3]), int(m[4] or 0)))
    except ValueError:
        raise UserError("不是有效的时间", "not a valid time of day") from None


def parse_when(text: str, *, start: bool = False) -> dt.date:
    """The date an expression names: the period's last day, or its first when `start`."""
    core = _strip(text)
    if not core:
        raise UserError("为空", "empty")
    if m := _ISO.match(core):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YMD.match(core):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YM.match(core):
        year, month = int(m[1]), int(m[2])
        _check_year(year)
        _check_month(month)
        return (
            dt.date(year, month, 1) if start else dt.date(year, month, days_in_month(year, month))
        )
    if m := _HALF.match(core):
        year = int(m[1])
        _check_year(year)
        first, last = (1, 6) if m[2] == "上" else (7, 12)
        return dt.date(year, first, 1) if start else dt.date(year, last, days_in_month(year, last))
    if m := _QUARTER.match(core):
        year, q = int(m[1]), _CN_DIGIT.get(m[2], 0) or int(m[2])
        _check_year(year)
        first, last = 3 * q - 2, 3 * q
        return dt.date(year, first, 1) if start else dt.date(year, last, days_in_month(year, last))
    if m := _Y.match(core):
        year = int(m[1])
        _check_year(year)
        return dt.date(year, 1, 1) if start else dt.date(year, 12, 31)
    if m := _PLAN.match(core):
        plan_start = _PLANS.get(m[1])
        if plan_start is None:
            raise UserError(f"未知的五年规划 {m[1]}", f"unknown five-year plan {m[1]}")
        return dt.date(plan_start, 1, 1) if start else dt.date(plan_start + 4, 12, 31)
    raise UserError("无法识别的时间表述", "not a date expression zjtrack knows")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_BEFORE = _Pattern(r"(?:之前|以前|前)$")


def english(text: str) -> str | None:
    """A deadline expression in English, as `--lang en` shows it: 2025年底 "end of 2025",
    2025年6月底前 "by the end of June 2025", 2025年6月30日 "2025-06-30", 2025年下半年 "second half of
    2025", 2025年第三季度 "Q3 2025", “十四五”期间 "14th Five-Year Plan (2021–2025)". None: not an
    expression `parse_when` knows (or one that names no real date)."""
    try:
        parse_when(text)
        core = _strip(text)
    except UserError:
        return None
    by = "by " if _BEFORE.search(_unquoted(text)) else ""
    the = "the " if by else ""  # by the end of 2025; end of 2025
    if _ISO.match(core):
        return by + core
    if m := _YMD.match(core):
        return f"{by}{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    if m := _YM.match(core):
        month = f"{_MONTHS[int(m[2]) - 1]} {m[1]}"
        return by + (f"{the}end of {month}" if core.endswith(("底", "末")) else month)
    if m := _HALF.match(core):
        return f"{by}{the}{'first' if m[2] == '上' else 'second'} half of {m[1]}"
    if m := _QUARTER.match(core):
        quarter = f"Q{_CN_DIGIT.get(m[2], 0) or int(m[2])} {m[1]}"
        return by + (f"{the}end of {quarter}" if core.endswith("末") else quarter)
    if m := _Y.match(core):
        return by + (f"{the}end of {m[1]}" if core.endswith(("底", "末")) else m[1])
    m = _PLAN.match(core)
    assert m is not None  # parse_when knew it: a plan is what is left
    first = _PLANS[m[1]]
    plan = f"{first // 5 - 390}th Five-Year Plan"  # 十一五 (2006) is the 11th; 十六五 the 16th
    if core.endswith("末"):
        return f"{by}{the}end of the {plan} ({first + 4})"
    return f"{by}{plan} ({first}–{first + 4})"


def _unquoted(text: str) -> str:
    """The expression without the quotation marks that pair up around a name (“十四五”期间)."""
    return _QUOTED.sub(r"\1\2\3\4\5\6", text.strip())


def _strip(text: str) -> str:
    previous = None
    core = _unquoted(text)
    if _QUOTE.search(core) is not None:
        raise UserError(
            "有不成对的引号：删去它，或把它配成对（如“十四五”期间）",
            "an unpaired quotation mark: delete it, or pair it (“十四五”期间)",
        )
    while previous != core:  # 到2025年6月底前 needs both ends trimmed, repeatedly
        previous = core
        core = _NOISE.sub("", core)
    return core


def _check_year(year: int) -> None:
    if not 1 <= year <= 9999:
        raise UserError(f"没有公元 {year} 年", f"year {year} does not exist")


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise UserError(f"没有 {month} 月", f"month {month} does not exist")


def days_in_month(year: int, month: int) -> int:
    """The number of days in the month (`calendar.monthrange`'s, without importing `calendar`,
    which imports `locale`: about 1 ms of every run's start-up)."""
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def _date(year: int, month: int, day: int) -> dt.date:
    _check_year(year)
    _check_month(month)
    if not 1 <= day <= days_in_month(year, month):
        raise UserError(
            f"{year}年{month}月没有 {day} 日", f"day {day} does not exist in {year}-{month:02d}"
        )
    return dt.date(year, month, day)


_SPAN = _Pattern(r"\s*(\d{1,4})\s*([dwmy]?|天|日|周|个?月|年)\s*")
_SPAN_UNIT = {"": "days", "d": "days", "天": "days", "日": "days", "w": "weeks", "周": "weeks",
              "m": "months", "月": "months", "个月": "months", "y": "years", "年": "years"}  # fmt: skip


def parse_span(text: str) -> relativedelta:
    """`30d`, `8w`, `3m`, `1y` (or 30天, 8周, 3个月, 1年) as a calendar span: a month is a calendar
    month (from 01-31, one month ends 02-28), not 30 days."""
    m = _SPAN.fullmatch(text)
    if not m:
        raise DateError("写成 30d、8w、3m 或 1y（天、周、月、年）", "write 30d, 8w, 3m or 1y")
    from dateutil.relativedelta import relativedelta  # only `due` needs it: not at start-up

    return relativedelta(**{_SPAN_UNIT[m[2]]: int(m[1])})  # type: ignore[arg-type]


def span_days(span: relativedelta, start: dt.date) -> int:
    """How many days `span` covers from `start` (3 months from 2026-11-30 ends 2027-02-28: 90)."""
    return ((start + span) - start).days


_WEEK = _Pattern(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


def parse_iso_week(text: str) -> tuple[int, int]:
    """`2026-W48` (also `2026W48`, `2026-w48`) as (year, week); a week the year lacks is refused."""
    m = _WEEK.match(text)
    if not m:
        raise DateError(
            f"`{text}` 不是 ISO 周（如 2026-W48）", f"`{text}` is not an ISO week (e.g. 2026-W48)"
        )
    year, week = int(m[1]), int(m[2])
    try:
        dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise DateError(f"{year} 年没有第 {week} 周", f"{year} has no week {week}") from None
    return year, week
