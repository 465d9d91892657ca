"""Deadlines, starts and periods in a clause: 2025年底, “十四五”期间, 2024年起, 3年内."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .. import dates
from .numbers import NUM, number

# 2025年底, 2025年6月底前, 2025年6月30日, 2025年上半年, 2025年第三季度, 2024年起 (从/自 are looked up
# before the match: a leading optional group would make the engine retry at every position)
YEAR_TIME = re.compile(
    r"(?<![\d—–\-~～])(?P<y>\d{4})\s*年(?!\s*[—–\-~～至到]\s*\d{4})\s*"
    r"(?:(?P<half>上半年|下半年)|第?(?P<q>[一二三四1-4])\s*季度|(?P<m>\d{1,2})\s*月\s*"
    r"(?:(?P<d>\d{1,2})\s*日|(?P<mend>底|末|份))?|(?P<yend>年底|年末|底|末))?"
    r"\s*(?P<post>之前|以前|前|起|开始|以来)?"
)
PLAN_TIME = re.compile(  # “十四五”期间, 十三五末
    r"[“\"]?(?P<plan>十[一二三四五六]?五)[”\"]?\s*(?:规划)?\s*(?P<when>期间|时期|期末|末)"
)
WITHIN = re.compile(rf"(?P<n>{NUM})\s*(?P<u>年|个月|个工作日|天|日)\s*(?:内|之内|以内)")  # 3年内
TIME_FILLER = re.compile(
    r"^(?:力争|争取|计划|预计|确保|原则上|从|自|到|至|在|于|前|之前|起|开始|以来|期间|内|"
    r"[\s，,；;：:\ue000])*$"
)


@dataclass
class Time:
    kind: str  # "deadline" or "start"
    text: str  # the expression to write: 2025年底, “十四五”期间, 2024年, 2027-07-18
    date: dt.date | None
    start: int  # offsets in the clause
    end: int
    review: str | None = None
    reason: str | None = None


def find_times(text: str, issued: dt.date | None) -> list[Time]:
    """Deadline and start expressions in a clause, in order."""
    found: list[Time] = []
    if "年" in text:
        found += [_year_time(m, text) for m in YEAR_TIME.finditer(text)]
    if "五" in text:
        for m in PLAN_TIME.finditer(text):
            expr = f"“{m['plan']}”{m['when']}"
            found.append(Time("deadline", expr, when(expr), m.start(), m.end()))
    if "内" in text:
        found += [_within(m, issued) for m in WITHIN.finditer(text)]
    if len(found) < 2:
        return found
    found.sort(key=lambda t: t.start)
    return [t for i, t in enumerate(found) if i == 0 or t.start >= found[i - 1].end]


_FROM = re.compile(r"(?:从|自)\s*$")


def _year_time(m: re.Match[str], text: str) -> Time:
    expr = f"{m['y']}年"
    if m["half"]:
        expr += m["half"]
    elif m["q"]:
        expr += f"第{m['q']}季度"
    elif m["m"]:
        expr += f"{int(m['m'])}月" + (
            f"{int(m['d'])}日" if m["d"] else "底" if m["mend"] in ("底", "末") else ""
        )
    elif m["yend"]:
        expr += "底"
    is_start = (
        m["post"] in ("起", "开始", "以来")
        or _FROM.search(text, max(0, m.start() - 3), m.start()) is not None
    )
    return Time(
        "start" if is_start else "deadline", expr, when(expr, start=is_start), m.start(), m.end()
    )


def _within(m: re.Match[str], issued: dt.date | None) -> Time:
    n, unit = number(m["n"]), m["u"]
    phrase = m[0]
    if issued is None:
        return Time(
            "deadline",
            phrase,
            None,
            m.start(),
            m.end(),
            review=f"“{phrase}”无法换算：未找到印发日期",
        )
    due = period_end(issued, int(n), unit)
    return Time(
        "deadline",
        due.isoformat(),
        due,
        m.start(),
        m.end(),
        review=f"“{phrase}”按印发日期 {issued.isoformat()} 起算为 {due.isoformat()}",
        reason=f"原文“{phrase}”，自印发日期 {issued.isoformat()} 起算",
    )


def period_end(start: dt.date, n: int, unit: str) -> dt.date:
    """The day a period of n units counted from `start` ends: 3年 and 6个月 in calendar terms (a month
    is not 30 days; 2024-08-31 + 6个月 is 2025-02-28), 天/日/个工作日 as calendar days."""
    if unit == "年":
        return start + relativedelta(years=n)
    if unit == "个月":
        return start + relativedelta(months=n)
    return start + dt.timedelta(days=n)


@functools.lru_cache(maxsize=1024)
def when(expr: str, start: bool = False) -> dt.date | None:
    try:
        return dates.parse_when(expr, start=start)
    except dates.DateError:
        return None


@dataclass
class Scope:
    """What a sentence has set so far: it applies to the clauses after it."""

    deadline: Time | None = None
    start: Time | None = None
    source: str = ""  # the clause that set it, verbatim


def strip_times(text: str) -> str:
    for rx, hint in ((YEAR_TIME, "年"), (PLAN_TIME, "五"), (WITHIN, "内")):
        if hint in text:
            text = rx.sub("", text)
    return text
