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
PLAN_TIME = re.compile(  # “十四五”期间, 十三五末, “十四五”和“十五五”期间 (the later plan's)
    r"(?:[“\"]?十[一二三四五六]?五[”\"]?\s*(?:和|及|至|到|、)\s*)?"
    r"[“\"]?(?P<plan>十[一二三四五六]?五)[”\"]?\s*(?:规划)?\s*(?P<when>期间|时期|期末|末)"
)
# 3年内, 三到五年时间内 (the longer bound counts)
WITHIN = re.compile(
    rf"(?:{NUM}\s*(?:到|至|—|–|-|－|~|～)\s*)?(?P<n>{NUM})\s*(?P<u>年|个月|个工作日|天|日)\s*"
    r"(?:时间)?\s*(?:内|之内|以内)"
)
# 利用3-5年时间, 用三年时间, 经过5年左右时间: the same period (its longest), counted alike
TAKING = re.compile(
    rf"(?:利用|经过|通过|再用|用|花)\s*(?:{NUM}\s*(?:到|至|—|–|-|－|~|～)\s*)?(?P<n>{NUM})\s*"
    r"(?P<u>年|个月)\s*(?:左右)?\s*时间(?![内里的])"  # 经过10年时间的发展: a past, no period
)
# 今后五年, 未来3年: the same period, counted from the same day as 5年内
AHEAD = re.compile(rf"(?:今后|未来)\s*(?P<n>{NUM})\s*(?P<u>年|个月)(?:内|间|里)?")
# 2012－2015年, 2012~2015年, 2012年至2015年: a period; its end is the deadline, its start the start
PERIOD = re.compile(
    r"(?<!\d)(?P<y1>\d{4})\s*年?\s*(?:—{1,2}|–|-|－|~|～|〜|至|到)\s*(?P<y2>\d{4})\s*年"
    r"(?:底|末)?(?:期间|间)?"
)
# 2019年1月1日至12月31日, 2019年1月1日至2020年12月31日: a time window; its end is the deadline
DAY_PERIOD = re.compile(
    r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:—{1,2}|–|-|－|~|～|〜|至|到)\s*"
    r"(?:(?P<y2>\d{4})\s*年)?\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
# 从2012年起，…5年内 / 自2019年开始，三年内: the start a programme's relative periods count from
_PROGRAMME = re.compile(
    rf"(?:从|自)?\s*(?P<y>\d{{4}})\s*年\s*(?:1月1日)?\s*(?:起|开始)[^。；]{{0,30}}?"
    rf"(?P<n>{NUM})\s*年(?:内|之内|以内|时间)"
)
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
    begins: str | None = None  # a period's start (2012 of 2012－2015年), written as the start


@dataclass(frozen=True)
class Origin:
    """Where relative periods (3年内) count from: a start the text states, or the issue date."""

    date: dt.date
    source: str  # 印发日期 2024-07-18, or the text that states the start
    year_start: bool = False  # 2012年起: the period ends on the last day before its anniversary
    until: dt.date | None = (
        None  # the programme's end (2012年起5年内: 2016-12-31), if it states one
    )


def origin_of(text: str, issued: dt.date | None) -> Origin | None:
    """The programme's own start (从2012年起，…5年内) if the text states one, else the issue date."""
    m = _PROGRAMME.search(text, 0, 20000)
    if m:
        begin = dt.date(int(m["y"]), 1, 1)
        until = period_end(begin, int(number(m["n"])), "年") - dt.timedelta(days=1)
        return Origin(begin, m[0].strip(), year_start=True, until=until)
    if issued is not None:
        return Origin(issued, f"印发日期 {issued.isoformat()}")
    return None


def find_times(text: str, origin: Origin | None) -> list[Time]:
    """Deadline and start expressions in a clause, in order."""
    found: list[Time] = []
    if "年" in text:
        found += [_day_period(m) for m in DAY_PERIOD.finditer(text)]
        found += [_period(m) for m in PERIOD.finditer(text)]
        found += [
            _year_time(m, text)
            for m in YEAR_TIME.finditer(text)
            if not _done_in(m, text) and not _compared(m, text)
        ]
    if "五" in text:
        for m in PLAN_TIME.finditer(text):
            expr = f"“{m['plan']}”{m['when']}"
            found.append(Time("deadline", expr, when(expr), m.start(), m.end()))
    if "内" in text or "今后" in text or "未来" in text or "时间" in text:
        ahead = [m for m in AHEAD.finditer(text) if _leads(m, text)]
        for m in (*WITHIN.finditer(text), *ahead, *TAKING.finditer(text)):
            local = next((t for t in found if t.kind == "start" and t.end <= m.start()), None)
            base = origin
            if local is not None and local.date is not None:  # 2012年起5年内
                base = Origin(local.date, text[local.start : m.end()], year_start=True)
            found.append(_within(m, base))
    if len(found) < 2:
        return found
    found.sort(key=lambda t: t.start)
    return [t for i, t in enumerate(found) if i == 0 or t.start >= found[i - 1].end]


_FROM = re.compile(r"(?:从|自)\s*$")


def _period(m: re.Match[str]) -> Time:
    end, begin = f"{m['y2']}年", f"{m['y1']}年"
    return Time(
        "deadline", end, when(end), m.start(), m.end(), reason=f"原文“{m[0]}”", begins=begin
    )


def _day_period(m: re.Match[str]) -> Time:
    y2 = m["y2"] or m["y1"]
    end = f"{y2}年{int(m['m2'])}月{int(m['d2'])}日"
    begin = f"{m['y1']}年{int(m['m1'])}月{int(m['d1'])}日"
    return Time(
        "deadline", end, when(end), m.start(), m.end(), reason=f"原文“{m[0]}”", begins=begin
    )


_BEFORE_WORDS = ("前", "之前", "以前")


def _before(m: re.Match[str]) -> Time | None:
    """2014年前 / 2013年3月前: done before that period starts, i.e. by the end of the one before
    (2013年底 / 2013年2月底), marked for review since some writers mean "within" it."""
    if m["post"] not in _BEFORE_WORDS or m["half"] or m["q"] or m["d"] or m["mend"] or m["yend"]:
        return None
    y = int(m["y"])
    if m["m"]:
        mo = int(m["m"])
        expr = f"{y}年{mo - 1}月底" if mo > 1 else f"{y - 1}年12月底"
        inside = f"{y}年{mo}月底"
    else:
        expr, inside = f"{y - 1}年底", f"{y}年底"
    return Time(
        "deadline",
        expr,
        when(expr),
        m.start(),
        m.end(),
        review=f"“{m[0].strip()}”记为 {expr}（在此之前完成）；如指当期内完成，请改为 {inside}",
        reason=f"原文“{m[0].strip()}”",
    )


# 2016年实施的24项措施, 2018年出台的办法: a year that says when something was done, no deadline
_DONE_IN = re.compile(r"(?:实施|出台|印发|发布|开展|启动|确定|建立|制定|设立|颁布|修订)的")


def _compared(m: re.Match[str], text: str) -> bool:
    """较2020年下降14.5%, 与2020年相比, 比2020年增长: a year the goal is measured from."""
    # (与 only with 相比 after: 在2024年与2025年分别建成… lists two years)
    return text.endswith(("较", "比", "相比", "比较", "同比", "对比"), 0, m.start()) or (
        text.startswith(("相比", "比较"), m.end())
    )


def _done_in(m: re.Match[str], text: str) -> bool:
    """Whether year `m` (nothing after it: no month, no 底, no 起) dates something done."""
    bare = not (m["half"] or m["q"] or m["m"] or m["yend"] or m["post"])
    return bare and _DONE_IN.match(text, m.end()) is not None


def _leads(m: re.Match[str], text: str) -> bool:
    """Whether 今后五年 / 未来3年 is the time a clause is set in (今后五年，…; 未来3年培育…), not
    a plan's span (制定未来五年发展规划) or a subject (今后五年是…决胜阶段)."""
    return TIME_FILLER.match(text[: m.start()]) is not None and not text.startswith(
        ("是", "的"), m.end()
    )


def _year_time(m: re.Match[str], text: str) -> Time:
    before = _before(m)
    if before is not None:
        return before
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


def _within(m: re.Match[str], origin: Origin | None) -> Time:
    n, unit = number(m["n"]), m["u"]
    phrase = m[0]
    if origin is None:
        return Time(
            "deadline",
            phrase,
            None,
            m.start(),
            m.end(),
            review=f"“{phrase}”无法换算：未找到起算日期（印发日期或文件规定的起始时间）",
        )
    due = period_end(origin.date, int(n), unit)
    if origin.year_start:
        due -= dt.timedelta(days=1)  # 2012年起5年内: 2012–2016, to 2016-12-31
    return Time(
        "deadline",
        due.isoformat(),
        due,
        m.start(),
        m.end(),
        review=f"“{phrase}”自{origin.source}起算为 {due.isoformat()}",
        reason=f"原文“{phrase}”，自{origin.source}起算",
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
    bare: bool = False  # set by a clause that is only a time (到2015年，…): it governs what follows
    # set by a date after a subject (各地区要于2019年3月底前…): a directive, each clause after it
    # in the sentence a dated deliverable
    directive: bool = False


def strip_times(text: str, put: str = "") -> str:
    """The text without its times (each replaced by `put`)."""
    if "年" in text:  # not a year the goal is measured from (较2020年下降)
        text = YEAR_TIME.sub(lambda m: m[0] if _compared(m, m.string) else put, text)
    for rx, hint in ((PLAN_TIME, "五"), (WITHIN, "内"), (TAKING, "时间")):
        if hint in text:
            text = rx.sub(put, text)
    if (
        "今后" in text or "未来" in text
    ):  # only where it is a time (`_leads`): 制定未来五年规划 keeps it
        text = AHEAD.sub(lambda m: put if _leads(m, m.string) else m[0], text)
    return text


# what a directive says the one named must do: 各地区要…, 国务院办公厅将…, 行政执法机关应当…
MODAL = "(?:要|将|应当|应|须|需|必须|务必)"
# 各地区要于 / 国务院办公厅将于 / 请各区于: who, then when (a time follows)
SUBJECT_TIME = re.compile(
    rf"^(?:请[^，。；：“”\ue000]{{2,40}}?|[^，。；：“”\ue000]{{2,30}}?{MODAL}\s*)(?:于|在)\s*$"
)
