"""Stage 1, the header: title, 文号, issuer, issue date; where the body starts and ends."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .layout import DATE_LINE, H1, H2, ITEM, TAIL, UNIT_LINE
from .numbers import cn_number
from .source import squeeze

# 文号: issuer abbreviation, year in 〔〕 (or [] 【】 （）), number, 号: 东政办〔2024〕74号
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔\[［【（(]\s*\d{4}\s*[〕\]］】）)]\s*第?\d+\s*号"
)
# 海东市人民政府办公室文件 (not a title's first line: 国务院办公厅关于全面推行行政规范性文件)
_RED_HEADER = re.compile(r"^\s*(?!.*关于)(\S.{1,40}?)\s*文件\s*$")
_NOTICE = re.compile(r"关于(?:印发|转发|下发)(.+?)的通知")  # the covering notice of a 印发 document
_BOOK = re.compile(r"《([^《》]+)》")
# the city that issued the document: 海东市人民政府办公室 -> 海东市, 中共张掖市委… -> 张掖市
_CITY = re.compile(r"([\u4e00-\u9fff]{2,7}?(?:市|自治州|州|盟|地区))")


@dataclass
class Header:
    title: str | None
    doc_number: str | None
    issuer: str | None
    issued: dt.date | None
    body: tuple[int, int]  # line range of the body; the tail (抄送, 附件…) follows it


# a title's last words: 意见, 通知, 方案 … (a title printed over two lines ends with one of them)
_TITLE_END = re.compile(
    r"(?:意见|通知|方案|办法|规定|决定|措施|规划|计划|细则|纲要|要点|条例|批复|公告|通告|指引|指南|"
    r"清单|行动|工程|若干政策|政策)$"
)
# an issuing body named at the start of the title: 国务院关于…, 广州市人民政府关于…
_ISSUER_IN_TITLE = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{0,12}?(?:国务院办公厅|国务院|人民政府办公厅|人民政府办公室|人民政府|"
    r"委员会|办公厅|办公室|厅|部|局|委))(?:、[^关]{2,20})?关于"
)


def _own_notice(line: str) -> re.Match[str] | None:
    """关于印发…的通知 naming this document: not one cited in the body (…认真执行《国务院关于
    印发…的通知》…), which stands in 《》 or in a numbered paragraph."""
    m = _NOTICE.search(line)
    if m is None or H1.match(line) or H2.match(line) or ITEM.match(line):
        return None
    before = line[: m.start()]
    return None if before.count("《") > before.count("》") else m


def read_header(lines: list[str]) -> Header:
    head = [(i, line.strip()) for i, line in enumerate(lines[:80]) if line.strip()]
    tail = [(i, line.strip()) for i, line in enumerate(lines) if i >= 80 and i >= len(lines) - 40]
    doc_number = next((m[0] for _, s in head if (m := _DOC_NUMBER.search(s))), None)
    red = next((m[1] for _, s in head[:5] if (m := _RED_HEADER.match(s))), None)
    notice = next(((i, m) for i, s in head if (m := _own_notice(s))), None)
    issued_at = next(
        ((i, d) for i, s in head + tail if s and (d := _date_of_line(s)) is not None), None
    )
    title = _title(head, notice[1] if notice else None, doc_number, red)
    issuer = red or (squeeze(head[notice[0]][1].split("关于")[0]) or None if notice else None)
    if issuer is None and issued_at is not None:
        before = [s for i, s in head + tail if i < issued_at[0] and s]
        issuer = squeeze(before[-1]) if before and len(before[-1]) <= 30 else None
    if issuer is None and title and (m := _ISSUER_IN_TITLE.match(title)):
        issuer = m[1]
    start = _body_start(lines, title)
    end = _body_end(lines, start, issuer)
    start, end = _attached_plan(lines, start, end, issuer, title)
    return Header(title, doc_number, issuer, issued_at[1] if issued_at else None, (start, end))


def _date_of_line(line: str) -> dt.date | None:
    m = DATE_LINE.match(line)
    if not m:
        return None
    y, mo, d = (int(g) if g.isdigit() else cn_number(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _title(
    head: list[tuple[int, str]],
    notice: re.Match[str] | None,
    doc_number: str | None,
    red: str | None,
) -> str | None:
    if notice is not None:
        book = _BOOK.search(notice[1])
        return squeeze(book[1] if book else notice[1])
    for k, (_, s) in enumerate(head):  # the first line that reads like a title, before a heading
        if H1.match(s) or H2.match(s) or ITEM.match(s) or UNIT_LINE.match(s):
            return None
        # the red header (海东市人民政府文件) and its issuer's lines (X, X印发), not a title that
        # starts with the issuer's name (X关于…的意见)
        issuer_line = red is not None and s.startswith(red) and not _TITLE_END.search(s)
        if _RED_HEADER.match(s) or issuer_line or (doc_number and doc_number in s):
            continue
        if _date_of_line(s):  # the issue date above the title
            continue
        if _title_like(s):
            return _title_lines(head, k, doc_number)
    return None


def _title_like(s: str) -> bool:
    return len(s) <= 60 and "。" not in s and not s.endswith(("：", ":"))


def _title_lines(head: list[tuple[int, str]], k: int, doc_number: str | None) -> str:
    """The title from head[k], joined with the lines that continue it when it is printed over
    two or three lines (国务院关于做好当前和今后一个时期 / 促进就业工作的若干意见): joined only when
    the joined text ends as a title does."""
    title = squeeze(head[k][1])
    if _TITLE_END.search(title):
        return title
    joined = title
    for _, s in head[k + 1 : k + 3]:
        if not _title_like(s) or _date_of_line(s):
            break
        if H1.match(s) or H2.match(s) or ITEM.match(s) or (doc_number and doc_number in s):
            break
        joined += squeeze(s)
        if _TITLE_END.search(joined):
            return joined
    return title


def _body_start(lines: list[str], title: str | None) -> int:
    """The line after the body's own title (the last line that reads as the title, or ends a title
    printed over two lines), else 0."""
    if not title:
        return 0
    heading = next((i for i, line in enumerate(lines) if H1.match(line) or H2.match(line)), 200)
    found = [
        i
        for i, line in enumerate(lines[: min(heading, 200)])
        if (s := squeeze(line)) and (s == title or (len(s) >= 4 and title.endswith(s)))
    ]
    return found[-1] + 1 if found else 0


_ATTACHMENT = re.compile(r"^\s*附件\s*\d*\s*[:：]?\s*$")  # 附件 / 附件1 on a line of its own


def _attached_plan(
    lines: list[str], start: int, end: int, issuer: str | None, named: str | None
) -> tuple[int, int]:
    """The body, or the plan attached after it when the document's title names that plan and it
    holds more headings (a notice whose own 一、二、 amend a plan, the plan printed whole after
    附件): its lines after its title. An annex the title does not name (式样和样图) is not it."""
    at = next((i for i in range(end, len(lines)) if _ATTACHMENT.match(lines[i])), None)
    if at is None or not named:
        return start, end
    title = next((i for i in range(at + 1, len(lines)) if lines[i].strip()), None)
    if title is None or H1.match(lines[title]) or H2.match(lines[title]):
        return start, end
    if squeeze(lines[title]) not in squeeze(named):
        return start, end
    plan_end = _body_end(lines, title + 1, issuer)
    if _headings(lines, title + 1, plan_end) > _headings(lines, start, end):
        return title + 1, plan_end
    return start, end


def _headings(lines: list[str], start: int, end: int) -> int:
    return sum(1 for i in range(start, end) if H1.match(lines[i]) or H2.match(lines[i]))


def _body_end(lines: list[str], start: int, issuer: str | None) -> int:
    """The first line of the tail (抄送, 附件, the signature) after the first heading."""
    first = next(
        (i for i in range(start, len(lines)) if H1.match(lines[i]) or H2.match(lines[i])), start
    )
    for i in range(first, len(lines)):
        s = lines[i].strip()
        if TAIL.match(s) or (issuer and squeeze(s) == issuer):
            return i
    return len(lines)


def city_of(issuer: str | None, title: str | None, regions: Iterable[str]) -> str | None:
    """The document's region: a registry region named in issuer or title, else the issuer's city."""
    where = f"{issuer or ''} {title or ''}"
    known = [r for r in regions if r and r in where]
    if known:
        return max(known, key=len)
    m = _CITY.search(re.sub(r"^中共", "", issuer or ""))
    return m[1] if m else None


_ID_SAFE = re.compile(r"[^a-z0-9.\-]+")


def default_id(header_number: str | None) -> str:
    """An id from the 文号: 东政办〔2024〕74号 -> doc-2024-74."""
    if header_number:
        m = re.search(r"(\d{4})\D+(\d+)\s*号", header_number)
        if m:
            return f"doc-{m[1]}-{int(m[2])}"
    return "doc"


def clean_id(text: str) -> str:
    return _ID_SAFE.sub("-", text.lower()).strip("-.") or "doc"
