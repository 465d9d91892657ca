"""dates.parse_when / parse_iso: the Chinese deadline expressions and strict ISO dates."""

from __future__ import annotations

import datetime as dt

import pytest

from zjtrack.dates import DateError, english, parse_iso, parse_when

D = dt.date

DEADLINES = [
    ("2024年底", D(2024, 12, 31)),
    ("到2025年底", D(2025, 12, 31)),
    ("2025年底前", D(2025, 12, 31)),
    ("截至2025年底", D(2025, 12, 31)),
    ("2025年末", D(2025, 12, 31)),
    ("2025年年底", D(2025, 12, 31)),
    ("2025年", D(2025, 12, 31)),
    ("2025年6月底前", D(2025, 6, 30)),
    ("到2025年6月底", D(2025, 6, 30)),
    ("2025年6月", D(2025, 6, 30)),
    ("2025年2月底", D(2025, 2, 28)),
    ("2024年2月底", D(2024, 2, 29)),
    ("至2025年12月底之前", D(2025, 12, 31)),
    ("2025年6月30日", D(2025, 6, 30)),
    ("2025年6月30日前", D(2025, 6, 30)),
    ("2025年上半年", D(2025, 6, 30)),
    ("2025年下半年", D(2025, 12, 31)),
    ("2025年第一季度", D(2025, 3, 31)),
    ("2025年第三季度", D(2025, 9, 30)),
    ("2025年第4季度末", D(2025, 12, 31)),
    ("十四五期间", D(2025, 12, 31)),
    ("“十四五”期间", D(2025, 12, 31)),
    ("“十四五”末", D(2025, 12, 31)),
    ('"十四五"时期', D(2025, 12, 31)),
    ("《十四五》期末", D(2025, 12, 31)),
    ("'2025年底'", D(2025, 12, 31)),
    ("十四五规划期间", D(2025, 12, 31)),
    ("“十三五”期间", D(2020, 12, 31)),
    ("“十五五”期间", D(2030, 12, 31)),
    ("2025-06-30", D(2025, 6, 30)),
    ("2024-02-29", D(2024, 2, 29)),
    (" 2025年底 ", D(2025, 12, 31)),
]


@pytest.mark.parametrize(("text", "expected"), DEADLINES, ids=[d[0] for d in DEADLINES])
def test_deadline_expressions(text: str, expected: dt.date) -> None:
    assert parse_when(text) == expected


STARTS = [
    ("从2024年起", D(2024, 1, 1)),
    ("2024年", D(2024, 1, 1)),
    ("自2024年开始", D(2024, 1, 1)),
    ("2024年底", D(2024, 1, 1)),
    ("2025年6月", D(2025, 6, 1)),
    ("2025年下半年", D(2025, 7, 1)),
    ("2025年第三季度", D(2025, 7, 1)),
    ("“十四五”期间", D(2021, 1, 1)),
    ("2025-06-30", D(2025, 6, 30)),
]


@pytest.mark.parametrize(("text", "expected"), STARTS, ids=[s[0] for s in STARTS])
def test_start_expressions(text: str, expected: dt.date) -> None:
    assert parse_when(text, start=True) == expected


UNPAIRED = (
    "有不成对的引号：删去它，或把它配成对（如“十四五”期间）",
    "an unpaired quotation mark: delete it, or pair it (“十四五”期间)",
)
INVALID = [
    ("2025-02-29", "2025年2月没有 29 日", "day 29 does not exist in 2025-02"),
    ("2025-02-30", "2025年2月没有 30 日", "day 30 does not exist in 2025-02"),
    ("2025-13-01", "没有 13 月", "month 13 does not exist"),
    ("2025年13月", "没有 13 月", "month 13 does not exist"),
    ("2025年0月", "没有 0 月", "month 0 does not exist"),
    ("2025年2月30日", "2025年2月没有 30 日", "day 30 does not exist in 2025-02"),
    ("2025年6月31日前", "2025年6月没有 31 日", "day 31 does not exist in 2025-06"),
    ("", "为空", "empty"),
    ("   ", "为空", "empty"),
    ("到", "为空", "empty"),
    ("尽快", "无法识别的时间表述", "not a date expression zjtrack knows"),
    ("2025/06/30", "无法识别的时间表述", "not a date expression zjtrack knows"),
    ("2025-6-30", "无法识别的时间表述", "not a date expression zjtrack knows"),
    ("2025年第五季度", "无法识别的时间表述", "not a date expression zjtrack knows"),
    ("二〇二五年底", "无法识别的时间表述", "not a date expression zjtrack knows"),
    ("十七五期间", "无法识别的时间表述", "not a date expression zjtrack knows"),
    # a quotation mark left over: a slip, not a plan's name in quotes
    ("2025年'底", UNPAIRED[0], UNPAIRED[1]),
    ("“2025年底", UNPAIRED[0], UNPAIRED[1]),
    ("“十四五”期间”", UNPAIRED[0], UNPAIRED[1]),
]


@pytest.mark.parametrize(("text", "zh", "en"), INVALID, ids=[i[0] or "empty" for i in INVALID])
@pytest.mark.parametrize("start", [False, True])
def test_invalid_expressions(text: str, zh: str, en: str, start: bool) -> None:
    with pytest.raises(DateError) as info:
        parse_when(text, start=start)
    assert (info.value.zh, info.value.en) == (zh, en)
    assert str(info.value) == en


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


def test_leap_years() -> None:
    assert parse_when("2000年2月底") == D(2000, 2, 29)
    assert parse_when("2100年2月底") == D(2100, 2, 28)
    assert parse_iso("2000-02-29") == D(2000, 2, 29)
    with pytest.raises(DateError):
        parse_iso("2100-02-29")


# --- parse_iso: strict YYYY-MM-DD --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-07-18", D(2024, 7, 18)),
        ("2024-02-29", D(2024, 2, 29)),
        ("0001-01-01", D(1, 1, 1)),
        ("9999-12-31", D(9999, 12, 31)),
        (" 2024-07-18 ", D(2024, 7, 18)),
    ],
)
def test_parse_iso(text: str, expected: dt.date) -> None:
    assert parse_iso(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024-7-18",
        "2024-07-8",
        "24-07-18",
        "20240718",
        "2024/07/18",
        "2024.07.18",
        "2024-07-18T00:00",
        "2024-07-18 10:00",
        "2024-07-18Z",
        "+2024-07-18",
        "2024-W29-4",
        "2024-200",
        "2024年7月18日",
        "2025年底",
        "",
        "  ",
        "12024-07-18",
        "2024-07-180",
    ],
)
def test_parse_iso_rejects_other_forms(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_iso(text)
    assert info.value.en == "not an ISO date (YYYY-MM-DD)"
    assert info.value.zh == "不是 ISO 日期（YYYY-MM-DD）"


@pytest.mark.parametrize(
    ("text", "en"),
    [
        ("2025-02-29", "day 29 does not exist in 2025-02"),
        ("2025-02-30", "day 30 does not exist in 2025-02"),
        ("2025-13-01", "month 13 does not exist"),
        ("2025-00-10", "month 0 does not exist"),
        ("2025-06-00", "day 0 does not exist in 2025-06"),
        ("2025-04-31", "day 31 does not exist in 2025-04"),
    ],
)
def test_parse_iso_rejects_impossible_dates(text: str, en: str) -> None:
    with pytest.raises(DateError) as info:
        parse_iso(text)
    assert info.value.en == en


@pytest.mark.parametrize("text", ["0000-01-01", "0000-02-29"])
def test_parse_iso_year_zero(text: str) -> None:
    with pytest.raises(DateError):
        parse_iso(text)


@pytest.mark.parametrize("text", ["0000年底", "0000年6月", "0000年上半年"])
def test_parse_when_year_zero(text: str) -> None:
    with pytest.raises(DateError):
        parse_when(text)


@pytest.mark.parametrize("text", ["２０２５-06-30", "2025-０６-30", "٢٠٢٥-06-30"])
def test_parse_iso_rejects_non_ascii_digits(text: str) -> None:
    with pytest.raises(DateError):
        parse_iso(text)


@pytest.mark.parametrize(
    ("text", "start", "days"),
    [
        ("30d", dt.date(2026, 1, 31), 30),
        ("8w", dt.date(2026, 1, 31), 56),
        ("3m", dt.date(2026, 11, 30), 90),  # to 2027-02-28: calendar months, not 3 x 30 days
        ("1m", dt.date(2026, 1, 31), 28),  # to 2026-02-28
        ("3个月", dt.date(2027, 11, 30), 91),  # to 2028-02-29, a leap day
        ("1y", dt.date(2028, 2, 29), 365),  # to 2029-02-28
        ("2周", dt.date(2026, 5, 1), 14),
    ],
)
def test_spans_are_calendar_spans(text: str, start: dt.date, days: int) -> None:
    from zjtrack.dates import parse_span, span_days

    assert span_days(parse_span(text), start) == days


@pytest.mark.parametrize("text", ["", "3x", "m3", "-3d", "12345d", "3.5m"])
def test_bad_spans_are_refused(text: str) -> None:
    from zjtrack.dates import DateError, parse_span

    with pytest.raises(DateError):
        parse_span(text)


def test_days_in_every_month_are_calendars() -> None:
    """`dates.days_in_month` (no `calendar` import at start-up) agrees with `calendar.monthrange`
    for every month of every year a date can have."""
    import calendar

    from zjtrack.dates import days_in_month

    for year in range(1, 10000):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)


ENGLISH = [
    ("2025年底", "end of 2025"),
    ("到2025年底", "end of 2025"),
    ("2025年底前", "by the end of 2025"),
    ("2025年", "2025"),
    ("2025年6月底前", "by the end of June 2025"),
    ("2025年6月份", "June 2025"),
    ("2025年6月30日", "2025-06-30"),
    ("2026年12月10日前", "by 2026-12-10"),
    ("2025-06-30", "2025-06-30"),
    ("2025年上半年", "first half of 2025"),
    ("2025年下半年前", "by the second half of 2025"),
    ("2025年第三季度", "Q3 2025"),
    ("2025年3季度末", "end of Q3 2025"),
    ("“十四五”期间", "14th Five-Year Plan (2021–2025)"),
    ("十一五期间", "11th Five-Year Plan (2006–2010)"),
    ("十三五末", "end of the 13th Five-Year Plan (2020)"),
    ("十三五末前", "by the end of the 13th Five-Year Plan (2020)"),
]


@pytest.mark.parametrize(("text", "en"), ENGLISH)
def test_english(text: str, en: str) -> None:
    assert english(text) == en


@pytest.mark.parametrize("text", ["尽快", "2025年13月", "2025年'底", ""])
def test_english_of_no_date_is_none(text: str) -> None:
    assert english(text) is None
