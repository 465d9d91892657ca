"""Policy-document text -> a draft task file (measures, units, targets) and the points to review.

Pure: text in, a `Draft` out; no I/O, no clock. `zjtrack import` (cli_import.py) reads the file and
writes the YAML that `render/taskfile.py` makes of the draft.

The pipeline, one small step each:

1. `read_header`      title, 文号, issuer, issue date; where the body starts and ends.
2. `join_paragraphs`  lines -> paragraphs; a sentence split by a page break is joined again.
3. `outline`          headings 一、 （一） and items 1. （1） -> sections and measures.
4. `parse_unit_text`  牵头单位/责任单位/配合单位/牵头职业院校/牵头企业 lines, on their own line or in
                      parentheses at the end of a paragraph; `列第一位者为牵头单位`; 由…牵头 in prose.
5. `TargetFinder`     sentence by sentence, clause by clause: quantities with unit and comparator,
                      deadlines and starts (applied forward through the sentence), milestones.

Every quote is a slice of a paragraph, and a paragraph is its source lines concatenated, so a quote
is always a substring of the source with its line breaks removed. Guesses are not hidden: each one
is written to the item's `note` with the prefix `待核` (needs review) and listed in the summary.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .. import dates
from ..model import Unit
from ..registry import Registry

REVIEW = "待核"  # the prefix of a note that asks a human to confirm a guess

# ------------------------------------------------------------------------------------------------
# The draft: what the importer found, in the shape of a task file.
# ------------------------------------------------------------------------------------------------


@dataclass
class Units:
    """Who answers for a measure or a target, names as the document writes them."""

    lead_units: list[str] | None = None  # None: the document states no lead
    responsible_units: list[str] = field(default_factory=list)
    lead_colleges: list[str] = field(default_factory=list)
    lead_enterprises: list[str] = field(default_factory=list)
    lead_enterprise_rule: str | None = None
    supporting_units: list[str] = field(default_factory=list)
    responsibility_quote: str | None = None

    def names(self) -> list[str]:
        return [
            *(self.lead_units or []),
            *self.responsible_units,
            *self.lead_colleges,
            *self.lead_enterprises,
            *self.supporting_units,
        ]

    def is_empty(self) -> bool:
        return not self.names() and self.lead_units is None and self.lead_enterprise_rule is None


@dataclass(kw_only=True)
class Reviewed:
    """What a drafted item says to its reviewer: guesses to confirm (written as 待核) and remarks."""

    review: list[str] = field(default_factory=list)  # guesses for a human to confirm
    info: list[str] = field(default_factory=list)  # plain remarks

    @property
    def note(self) -> str | None:
        return _note(self.review, self.info)


@dataclass
class DraftTarget(Reviewed):
    id: str
    kind: str  # "quantity" or "milestone"
    metric: str
    quote: str
    comparator: str | None = None
    value: float | int | None = None
    value_max: float | int | None = None
    unit: str | None = None
    maintain: bool = False
    each: str | None = None
    entities: list[str] | None = None
    start: str | None = None
    deadline: str | None = None
    deadline_date: dt.date | None = None
    deadline_reason: str | None = None
    units: Units | None = None  # overrides the measure's


@dataclass
class DraftMeasure(Reviewed):
    id: str
    clause: str
    title: str
    section: str | None = None
    kind: str = "task"
    units: Units = field(default_factory=Units)
    targets: list[DraftTarget] = field(default_factory=list)
    deadline_reason: str | None = None


@dataclass
class DraftDocument(Reviewed):
    id: str
    title: str | None
    doc_number: str | None
    issuer: str | None
    issued: dt.date | None
    region: str | None = None
    source: str | None = None


@dataclass
class Member:
    role: str
    name: str
    position: str


@dataclass
class WorkGroup:
    name: str
    members: list[Member]


@dataclass
class Draft:
    document: DraftDocument
    measures: list[DraftMeasure]
    work_group: WorkGroup | None = None
    unknown_units: list[str] = field(default_factory=list)  # names not in the registry, as written

    def targets(self) -> list[DraftTarget]:
        return [t for m in self.measures for t in m.targets]

    def review_items(self) -> list[tuple[str, str]]:
        """(where, what) for every guess a human should confirm."""
        items = [(self.document.id, r) for r in self.document.review]
        for m in self.measures:
            items += [(m.id, r) for r in m.review]
            items += [(t.id, r) for t in m.targets for r in t.review]
        return items

    def unit_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.measures:
            for u in [m.units] + [t.units for t in m.targets if t.units]:
                seen.update(dict.fromkeys(u.names()))
        return list(seen)


def _note(review: list[str], info: list[str]) -> str | None:
    parts = []
    if review:
        parts.append(f"{REVIEW}: " + "；".join(review))
    parts += info
    return "。".join(p.rstrip("。") for p in parts) + "。" if parts else None


# ------------------------------------------------------------------------------------------------
# Decoding (bytes -> text): pure, so the command and the tests share it.
# ------------------------------------------------------------------------------------------------


def decode_source(data: bytes) -> tuple[str, str | None]:
    """The text of a source file and, when it was not UTF-8, the encoding it was read as."""
    if data.startswith(codecs.BOM_UTF8):
        return _lines(data[3:].decode("utf-8", "replace")), None
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _lines(data[2:].decode(name, "replace")), "UTF-16"
    try:
        return _lines(data.decode("utf-8")), None
    except UnicodeDecodeError:
        pass
    try:
        return _lines(data.decode("gb18030")), "GB18030/GBK"
    except UnicodeDecodeError:
        return _lines(data.decode("utf-8", "replace")), "UTF-8 (invalid bytes replaced)"


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ------------------------------------------------------------------------------------------------
# Numbers
# ------------------------------------------------------------------------------------------------

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_POWER = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_number(text: str) -> int:
    """两 -> 2, 十 -> 10, 一百一十 -> 110; digit strings without powers read digit by digit (二〇二五)."""
    if not any(c in _CN_POWER for c in text):
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            section += (digit or 1) * _CN_POWER[ch]
            digit = 0
    return total + section + digit


def number(text: str) -> float | int:
    text = text.strip()
    if text[0].isdigit():
        return float(text) if "." in text else int(text)
    return cn_number(text)


# ------------------------------------------------------------------------------------------------
# 1. The header: title, 文号, issuer, issue date; the body's extent.
# ------------------------------------------------------------------------------------------------

# 文号: issuer abbreviation, year in 〔〕 (or [] 【】 （）), number, 号: 东政办〔2024〕74号
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔\[［【（(]\s*\d{4}\s*[〕\]］】）)]\s*第?\d+\s*号"
)
# a line holding only a date: 2024年7月18日 (or 二〇二四年七月十八日), the issue date under the signature
_DATE_LINE = re.compile(
    r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*(?:印发|印)?\s*$"
)
_RED_HEADER = re.compile(r"^\s*(\S.{1,40}?)\s*文件\s*$")  # 海东市人民政府办公室文件
_NOTICE = re.compile(r"关于(?:印发|转发|下发)(.+?)的通知")  # the covering notice of a 印发 document
_BOOK = re.compile(r"《([^《》]+)》")
# the city that issued the document: 海东市人民政府办公室 -> 海东市, 中共张掖市委… -> 张掖市
_CITY = re.compile(r"([\u4e00-\u9fff]{2,7}?(?:市|自治州|州|盟|地区))")
# lines after the body: attachments, distribution, publication flags
_TAIL = re.compile(
    r"^\s*(?:附件\s*(?:[:：\d]|$)|附：|抄送\s*[:：]|主送\s*[:：]|是否宜公开|（此件|此件公开)"
)
_SPACES = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without layout whitespace: 张掖市深化现代职业教育 人才培养… -> …教育人才培养…"""
    return _SPACES.sub("", text)


@dataclass
class Header:
    title: str | None
    doc_number: str | None
    issuer: str | None
    issued: dt.date | None
    body: tuple[int, int]  # line range of the body; the tail (抄送, 附件…) follows it


def read_header(lines: list[str]) -> Header:
    head = [(i, line.strip()) for i, line in enumerate(lines[:80]) if line.strip()]
    doc_number = next((m[0] for _, s in head if (m := _DOC_NUMBER.search(s))), None)
    red = next((m[1] for _, s in head[:5] if (m := _RED_HEADER.match(s))), None)
    notice = next(((i, m) for i, s in head if (m := _NOTICE.search(s))), None)
    issued_at = next(((i, d) for i, s in head if (d := _date_of_line(s)) is not None), None)
    title = _title(head, notice[1] if notice else None, doc_number, red)
    issuer = red or (squeeze(head[notice[0]][1].split("关于")[0]) or None if notice else None)
    if issuer is None and issued_at is not None:
        before = [s for i, s in head if i < issued_at[0]]
        issuer = squeeze(before[-1]) if before and len(before[-1]) <= 30 else None
    start = _body_start(lines, title)
    end = _body_end(lines, start, issuer)
    return Header(title, doc_number, issuer, issued_at[1] if issued_at else None, (start, end))


def _date_of_line(line: str) -> dt.date | None:
    m = _DATE_LINE.match(line)
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
    for _, s in head:  # the first line that reads like a title, before the first heading
        if _H1.match(s) or _H2.match(s) or _ITEM.match(s) or _UNIT_LINE.match(s):
            return None
        if (red and s.startswith(red)) or (doc_number and doc_number in s) or _date_of_line(s):
            continue
        if len(s) <= 60 and "。" not in s and not s.endswith(("：", ":")):
            return squeeze(s)
    return None


def _body_start(lines: list[str], title: str | None) -> int:
    """The line after the body's own title (the last line that reads as the title), else 0."""
    found = [i for i, line in enumerate(lines) if title and squeeze(line) == title]
    return found[-1] + 1 if found else 0


def _body_end(lines: list[str], start: int, issuer: str | None) -> int:
    """The first line of the tail (抄送, 附件, the signature) after the first heading."""
    first = next(
        (i for i in range(start, len(lines)) if _H1.match(lines[i]) or _H2.match(lines[i])), start
    )
    for i in range(first, len(lines)):
        s = lines[i].strip()
        if _TAIL.match(s) or (issuer and squeeze(s) == issuer):
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


# ------------------------------------------------------------------------------------------------
# 2. Paragraphs: lines joined where a page break split a sentence.
# ------------------------------------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十百"
_H1 = re.compile(rf"^\s*([{_CN_NUM}]+)、\s*")  # 一、 measure or section
_H2 = re.compile(rf"^\s*[（(]([{_CN_NUM}]+)[）)]\s*")  # （一）
_ITEM = re.compile(r"^\s*(?:(\d{1,2})[.．、](?!\d)|[（(](\d{1,2})[）)])\s*")  # 1. / （1）
# unit-line labels and the field each fills
_LABELS = {
    "牵头单位": "lead_units",
    "牵头部门": "lead_units",
    "主责单位": "lead_units",
    "责任单位": "responsible_units",
    "责任部门": "responsible_units",
    "配合单位": "supporting_units",
    "配合部门": "supporting_units",
    "协办单位": "supporting_units",
    "参与单位": "supporting_units",
    "牵头职业院校": "lead_colleges",
    "牵头院校": "lead_colleges",
    "牵头学校": "lead_colleges",
    "牵头企业": "lead_enterprises",
}
_LABEL = "|".join(sorted(_LABELS, key=len, reverse=True))
_UNIT_LINE = re.compile(rf"^\s*(?:{_LABEL})\s*[：:]")  # 牵头单位：… on its own line
_LABEL_AT = re.compile(rf"({_LABEL})\s*[：:]")  # each label inside a unit line
# （牵头单位：市教育局，配合单位：市财政局、市人社局） at the end of a paragraph
_INLINE_UNITS = re.compile(rf"[（(]\s*((?:{_LABEL})\s*[：:][^（）()]*)[）)]\s*[。；;]?\s*$")
_SENTENCE_END = "。！？!?；;：:"


def join_paragraphs(lines: Sequence[str]) -> list[str]:
    """Non-blank lines grouped into paragraphs: a line continues the paragraph before it when that
    one stops mid-sentence (a page break); the blank lines in between are kept, so the paragraph is
    its source text with line breaks removed."""
    paragraphs: list[list[str]] = []
    gap: list[str] = []
    for line in lines:
        if not line.strip():
            gap.append(line)
            continue
        if paragraphs and _continues("".join(paragraphs[-1]), line):
            paragraphs[-1] += [*gap, line]
        else:
            paragraphs.append([line])
        gap = []
    return ["".join(p) for p in paragraphs]


def _continues(before: str, line: str) -> bool:
    end = before.rstrip().rstrip("”’」）)")
    if not end or end[-1] in _SENTENCE_END or _is_heading_only(before) or _UNIT_LINE.match(before):
        return False
    return not (
        _H1.match(line)
        or _H2.match(line)
        or _ITEM.match(line)
        or _UNIT_LINE.match(line)
        or _TAIL.match(line)
        or _DATE_LINE.match(line)
    )


def _is_heading_only(text: str) -> bool:
    return bool(
        (_H1.match(text) or _H2.match(text)) and "。" not in text and len(squeeze(text)) <= 40
    )


# ------------------------------------------------------------------------------------------------
# 3. The outline: headings -> nodes; paragraphs attached to the innermost heading.
# ------------------------------------------------------------------------------------------------


@dataclass
class Block:
    """A paragraph as written; `start` is where its text begins after a heading or item number."""

    kind: str  # "text", "item" or "units"
    text: str
    start: int = 0


@dataclass
class Node:
    level: int  # 1 for 一、, 2 for （一）
    clause: str
    number: int
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


def outline(paragraphs: Sequence[str]) -> tuple[list[Block], list[Node]]:
    """(preamble blocks, top-level nodes)."""
    preamble: list[Block] = []
    roots: list[Node] = []
    h1: Node | None = None
    h2: Node | None = None
    for text in paragraphs:
        m1, m2 = _H1.match(text), _H2.match(text)
        if m1 or m2:
            m = m1 or m2
            assert m is not None
            node, block = _heading(text, m, 1 if m1 else 2)
            if m1:
                roots.append(node)
                h1, h2 = node, None
            else:
                (h1.children if h1 else roots).append(node)
                h2 = node
            if block is not None:
                node.blocks.append(block)
            continue
        current = h2 or h1
        (current.blocks if current else preamble).append(_block(text))
    return preamble, roots


def _heading(text: str, m: re.Match[str], level: int) -> tuple[Node, Block | None]:
    clause = m[0].strip()
    rest = text[m.end() :]
    stop = rest.find("。")
    if 0 < stop <= 50:  # （一）建立中高职托管培养机制。现有管理体制…
        title, body = rest[:stop], m.end() + stop + 1
    else:
        title, body = rest, len(text)
    node = Node(level, clause, cn_number(m[1]), squeeze(title).rstrip("：:，,"))
    block = Block("text", text, body) if text[body:].strip() else None
    return node, block


def _block(text: str) -> Block:
    if _UNIT_LINE.match(text):
        return Block("units", text)
    m = _ITEM.match(text)
    if m:
        return Block("item", text, m.end())
    return Block("text", text)


# ------------------------------------------------------------------------------------------------
# 4. Responsibility: unit lines, the document's lead rule, and 由…牵头 in prose.
# ------------------------------------------------------------------------------------------------

_LIST_SEP = re.compile(r"[、，,；;]")
_LEAD_MARK = re.compile(r"[（(]牵头[）)]$")  # 市教育局（牵头） inside a 责任单位 list
# 牵头企业：由海东工业园区管委会选定行业龙头企业 — a rule that picks the enterprises
_RULE = re.compile(r"^由|选定|确定|遴选|指定")
# the document-wide rule that the first unit listed leads
_FIRST_LEADS = re.compile(
    r"(?:列|排)(?:在|于)?(?:第一位|首位|第一)(?:者|的|单位)?(?:为|是)牵头(?:单位|部门)"
)
_RULE_START = re.compile(
    r"[^。；\n（(]{0,30}$"
)  # the rule's words before the anchor, back to its clause
_RULE_END = re.compile(r"[^。；\n）)]{0,20}")


def parse_unit_text(text: str) -> Units:
    """牵头单位：A、B 责任单位：C，D … (one line or the inside of a parenthesis) -> Units."""
    units = Units()
    labels = list(_LABEL_AT.finditer(text))
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        value = text[m.end() : end].strip().strip("，,；;。 ")
        key = _LABELS[m[1]]
        if key == "lead_enterprises" and _RULE.search(value):
            units.lead_enterprise_rule = value
            continue
        names = [n.strip().rstrip("等") for n in _LIST_SEP.split(value) if n.strip()]
        if key == "responsible_units":  # 市教育局（牵头）、市财政局
            marked = [_LEAD_MARK.sub("", n) for n in names if _LEAD_MARK.search(n)]
            names = [_LEAD_MARK.sub("", n) for n in names]
            if marked:
                units.lead_units = [*(units.lead_units or []), *marked]
                names = [n for n in names if n not in marked]
        if key == "lead_units":
            units.lead_units = [*(units.lead_units or []), *names]
        else:
            getattr(units, key).extend(names)
    return units


def merge_units(into: Units, more: Units) -> None:
    if more.lead_units is not None:
        into.lead_units = [*(into.lead_units or []), *more.lead_units]
    for key in ("responsible_units", "lead_colleges", "lead_enterprises", "supporting_units"):
        getattr(into, key).extend(getattr(more, key))
    into.lead_enterprise_rule = into.lead_enterprise_rule or more.lead_enterprise_rule


def split_inline_units(text: str) -> tuple[int, Units | None]:
    """Where a paragraph's own text ends, and the units of a trailing （牵头单位：…）."""
    m = _INLINE_UNITS.search(text)
    if not m:
        return len(text), None
    return m.start(), parse_unit_text(m[1])


def first_leads_rule(text: str) -> str | None:
    """The document's rule 列第一位者为牵头单位, verbatim, when it has one."""
    m = _FIRST_LEADS.search(text)
    if not m:
        return None
    before = _RULE_START.search(text[max(0, m.start() - 30) : m.start()])
    after = _RULE_END.match(text, m.end())
    return ((before[0] if before else "") + m[0] + (after[0] if after else "")).strip("（(，, ")


# 由培黎职业学院牵头 / 由张掖市…委员会负责 / 由中高职院校联合组织实施 / 由市区两级政府协调配置
_BY = re.compile(
    r"由(?P<who>[^，。；、由]{2,40}?)(?P<verb>牵头|负责|联合|共同|统筹|组织|会同|协调|根据|办理|按照)"
)
_LEADS = re.compile(
    r"(?:^|[，；])(?P<who>[^，。；由]{2,20}?)牵头(?=[，。；])"
)  # 职业院校牵头，联合…


@dataclass
class ProseLead:
    names: list[str]
    quote: str  # from 由 to the end of its clause: 由中职学校负责招生选拔
    start: int  # offsets in the paragraph
    end: int
    strong: bool  # 牵头/负责: the measure's lead when in its first sentence


def prose_leads(text: str, start: int, end: int, resolve: Resolver) -> list[ProseLead]:
    """Units made responsible in prose (由X牵头, X牵头，) that the registry knows."""
    found: list[ProseLead] = []
    for rx in (_BY, _LEADS):
        for m in rx.finditer(text, start, end):
            names = [n for n in re.split(r"[、和及与]", m["who"]) if n]
            if names and all(resolve.known(n) for n in names):
                begin = m.start("who") - (1 if rx is _BY else 0)
                stop = min(
                    (i for i in (text.find(c, m.end() - 1, end) for c in "，。；") if i >= 0),
                    default=end,
                )
                verb = m.groupdict().get("verb") or "牵头"
                found.append(
                    ProseLead(names, text[begin:stop], begin, stop, verb in ("牵头", "负责"))
                )
    return sorted(found, key=lambda p: p.start)


class Resolver:
    """Unit names -> registry units of the document's region; remembers the names it does not know."""

    def __init__(self, units: Sequence[Unit], region: str | None) -> None:
        self.registry = Registry(units)
        self.region = region
        self.unknown: dict[str, None] = {}

    def known(self, name: str) -> bool:
        return self.registry.resolve(name, self.region) is not None

    def canonical(self, name: str) -> str:
        unit = self.registry.resolve(name, self.region)
        return unit.name if unit else name

    def check(self, names: Iterable[str]) -> list[str]:
        """The names not in the registry (kept as written, noted for review)."""
        missing = [n for n in names if not self.known(n)]
        self.unknown.update(dict.fromkeys(missing))
        return missing


# ------------------------------------------------------------------------------------------------
# 5. Targets: quantities, deadlines, milestones.
# ------------------------------------------------------------------------------------------------

_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
# what is counted; longest first so that 个百分点 wins over 个 and 人次 over 人
_UNIT_WORDS = sorted(
    [
        "个百分点",
        "个",
        "家",
        "所",
        "名",
        "项",
        "门",
        "人次",
        "人",
        "%",
        "％",
        "元",
        "条",
        "套",
        "座",
        "处",
        "支",
        "场",
        "本",
        "部",
        "件",
        "册",
        "类",
        "台",
        "公里",
        "亩",
        "平方米",
        "课时",
        "学时",
        "篇",
        "届",
        "户",
        "倍",
        "期次",
        "万人次",
    ],
    key=len,
    reverse=True,
)
# a quantity: 90%, 110家, 6—8个, 1-2个, 1到2个, 两个, 十所, 1万名, 500万元, 百分之九十;
# not after 第/前 (ordinals, ranks) nor inside another number, and not a year
_QUANTITY = re.compile(
    rf"(?<![\d.第前每])(?:百分之(?P<pct>{_NUM})|(?P<a>{_NUM})"
    rf"(?:\s*(?:—{{1,2}}|–|-|－|~|～|〜|至|到)\s*(?P<b>{_NUM}))?"
    rf"\s*(?P<scale>万|亿)?\s*(?P<unit>{'|'.join(map(re.escape, _UNIT_WORDS))}))(?!月|工作日|小时|学期)"
)
_AFTER = (
    ("及以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
    ("之内", "<="),
    ("左右", "approx"),
    ("上下", "approx"),
)
# comparator words before the number (the last one before it in the clause counts)
_BEFORE = re.compile(
    r"不少于|不低于|不小于|至少|达到|超过|多于|高于|不超过|不高于|不多于|不大于|低于|少于|控制在|"
    r"保持在|保持|稳定在|提高到|提升到|提高至|提升至|增加到|增至|突破"
)
_BEFORE_CMP = {
    "超过": ">",
    "多于": ">",
    "高于": ">",
    "突破": ">",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不大于": "<=",
    "低于": "<",
    "少于": "<",
    "控制在": "<=",
}
_MAINTAIN = ("保持在", "保持", "稳定在")
_ABOUT = re.compile(r"(?:约|大约|近)(?:为|在)?\s*$")  # 约20%: only right before the number
_ALL = re.compile(r"全部(?:[^，。；]{0,30}?)(?:实现|实行|达到|覆盖|完成)")  # 全部专业实现… -> 100%
# each: 每个中职学校, 各县区中职学校, 各专业联合教研室 (the set a per-member target applies to)
_EACH = re.compile(
    r"(?:每个|每所|每家|每|各)[^\s，。；、\d“”（）《》]{0,12}"
    r"(?:学校|院校|学院|县区|县（区）|县|区|市州|乡镇|街道|部门|单位|企业|园区|专业|班级|村|社区|中心|基地|教研室|医院)"
)
_EACH_VERB = re.compile(
    r"各(?:自)?[^\d，。；、]{0,4}$"
)  # A、B各建设1个: 各 right before the number
_LIST_HEAD = re.compile(r"^(?:支持|鼓励|推动|推进|由|在|对|指导|引导)")

# deadlines and starts
# 2025年底, 2025年6月底前, 2025年6月30日, 2025年上半年, 2025年第三季度, 2024年起 (从/自 are looked up
# before the match: a leading optional group would make the engine retry at every position)
_YEAR_TIME = re.compile(
    r"(?<![\d—–\-~～])(?P<y>\d{4})\s*年(?!\s*[—–\-~～至到]\s*\d{4})\s*"
    r"(?:(?P<half>上半年|下半年)|第?(?P<q>[一二三四1-4])\s*季度|(?P<m>\d{1,2})\s*月\s*"
    r"(?:(?P<d>\d{1,2})\s*日|(?P<mend>底|末|份))?|(?P<yend>年底|年末|底|末))?"
    r"\s*(?P<post>之前|以前|前|起|开始|以来)?"
)
_PLAN_TIME = re.compile(  # “十四五”期间, 十三五末
    r"[“\"]?(?P<plan>十[一二三四五六]?五)[”\"]?\s*(?:规划)?\s*(?P<when>期间|时期|期末|末)"
)
_WITHIN = re.compile(rf"(?P<n>{_NUM})\s*(?P<u>年|个月|个工作日|天|日)\s*(?:内|之内|以内)")  # 3年内
_TIME_FILLER = re.compile(
    r"^(?:力争|争取|计划|预计|确保|原则上|从|自|到|至|在|于|前|之前|起|开始|以来|期间|内|"
    r"[\s，,；;：:\ue000])*$"
)

# clauses whose numbers are background, not targets: 聚焦…“5个产业集群”, 巩固提升…1所优质学校
_CONTEXT = re.compile(
    r"^(?:聚焦|围绕|对接|按照|根据|依据|依托|立足|结合|面向|瞄准|紧扣|发挥|巩固|参照|对标|以)"
)
_ADVERBS = re.compile(
    r"^(?:积极|加快|全面|大力|努力|进一步|逐步|持续|常态化|扎实|切实|着力|深入|力争|争取|重点|统筹|"
    r"稳步|不断|同时|并|继续|认真|及时|主动|探索|鼓励|支持|分类|配套|共同|联合|原则上)+"
)
# verbs that set something up, done once: 设立…分院, 建立…机制, 签订托管协议
_MILESTONE_VERB = re.compile(
    r"设立|下设|建立|建成|成立|组建|签订|签署|搭建|构建|打造|创建|争创|制定|制订|出台|印发|发布|启动|开设|开办|举办|"
    r"试点(?![建工项城，。；、”])|实施|推行|开展|培育|形成|编制|增设|停办|撤销|停招|遴选|认定|共建|实现|申报|"
    r"建设(?![规成工水任的和与中等，。；、）”]|$)|参与(?=[^，。；]{2})"
)
_VERB_FIRST = re.compile(
    rf"^(?:[^，。；“”]{{0,3}}?)(?:{_MILESTONE_VERB.pattern})"
)  # 校企共建…: a verb up front
_ENCOURAGE = re.compile(r"鼓励|支持")
_AND_THEN = re.compile(r"并(?:积极|同步|逐步)?")  # …并申报…: a second task in the same clause
_UNCOUNTED = re.compile(r"一批|若干|一大批|一系列")

_OPEN, _CLOSE = "（(“‘《「【[", "）)”’》」】]"
_MASK = "\ue000"  # a private-use character: masked text keeps its length and offsets


@dataclass
class Time:
    kind: str  # "deadline" or "start"
    text: str  # the expression to write: 2025年底, “十四五”期间, 2024年, 2027-07-18
    date: dt.date | None
    start: int  # offsets in the clause
    end: int
    review: str | None = None
    reason: str | None = None


@dataclass
class Context:
    issued: dt.date | None
    resolver: Resolver


_SPLITTERS: dict[tuple[str, bool], re.Pattern[str]] = {}


def split_spans(
    text: str, start: int, end: int, seps: str, quotes_only: bool = False
) -> list[tuple[int, int]]:
    """Spans of text[start:end] between separators outside brackets and quotes, trimmed."""
    opens, closes = ("“‘「", "”’」") if quotes_only else (_OPEN, _CLOSE)
    key = (seps, quotes_only)
    if key not in _SPLITTERS:  # the characters that matter, so the loop skips the rest
        _SPLITTERS[key] = re.compile("[" + re.escape(opens + closes + seps) + "]")
    spans, depth, s = [], 0, start
    for m in _SPLITTERS[key].finditer(text, start, end):
        ch, i = m[0], m.start()
        if ch in opens:
            depth += 1
        elif ch in closes:
            depth = max(0, depth - 1)
        elif depth == 0:
            spans.append((s, i))
            s = i + 1
    spans.append((s, end))
    return [t for a, b in spans if (t := _trim(text, a, b))[0] < t[1]]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


_PARENS = re.compile(r"[（()）]")
_QUOTE_MARKS = re.compile(r"[“‘《”’》]")


def _paren_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level （…） group, brackets included."""
    groups, depth, s = [], 0, 0
    for m in _PARENS.finditer(text):
        ch, i = m[0], m.start()
        if ch in "（(":
            if depth == 0:
                s = i
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0:
                groups.append((s, i + 1))
    return groups


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = _MASK * (b - a)
    return "".join(chars)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside “…” ‘…’ 《…》 (the marks included)."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for m in _QUOTE_MARKS.finditer(text):
        ch, i = m[0], m.start()
        if ch in "“‘《":
            stack.append(i)
        elif ch in "”’》" and stack:
            s = stack.pop()
            if not stack:
                spans.append((s, i + 1))
    return spans


def find_times(text: str, issued: dt.date | None) -> list[Time]:
    """Deadline and start expressions in a clause, in order."""
    found: list[Time] = []
    if "年" in text:
        found += [_year_time(m, text) for m in _YEAR_TIME.finditer(text)]
    if "五" in text:
        for m in _PLAN_TIME.finditer(text):
            expr = f"“{m['plan']}”{m['when']}"
            found.append(Time("deadline", expr, _when(expr), m.start(), m.end()))
    if "内" in text:
        found += [_within(m, issued) for m in _WITHIN.finditer(text)]
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
        "start" if is_start else "deadline", expr, _when(expr, start=is_start), m.start(), m.end()
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
    if unit == "年":
        due = _add_months(issued, int(n) * 12)
    elif unit == "个月":
        due = _add_months(issued, int(n))
    else:
        due = issued + dt.timedelta(days=int(n))
    return Time(
        "deadline",
        due.isoformat(),
        due,
        m.start(),
        m.end(),
        review=f"“{phrase}”按印发日期 {issued.isoformat()} 起算为 {due.isoformat()}",
        reason=f"原文“{phrase}”，自印发日期 {issued.isoformat()} 起算",
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


@functools.lru_cache(maxsize=1024)
def _when(expr: str, start: bool = False) -> dt.date | None:
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


@dataclass
class Found:
    """A target found at a span of the paragraph, before ids are given."""

    target: DraftTarget
    span: tuple[int, int]


class TargetFinder:
    """Finds the targets of one paragraph (text[start:end]) sentence by sentence."""

    def __init__(self, text: str, ctx: Context, goals: bool = False) -> None:
        self.text = text
        self.ctx = ctx
        self.goals = goals  # in 总体要求, a sentence after a dated one may share its deadline
        self.sentence_start = 0

    def find(self, start: int, end: int) -> list[Found]:
        found: list[Found] = []
        previous: Scope | None = None
        for a, b in split_spans(self.text, start, end, "。！？!?", quotes_only=True):
            self.sentence_start = a
            targets, scope = self.sentence(a, b)
            if self.goals and previous is not None and previous.deadline is not None:
                for f in targets:
                    if f.target.deadline is None and f.target.start is None:
                        f.target.review.append(
                            f"上一句规定了时限（{previous.deadline.text}），本句未写时限，是否适用"
                        )
            previous = scope if scope.deadline is not None else None
            found += sorted(targets, key=lambda f: f.span)
        return found

    def sentence(self, a: int, b: int) -> tuple[list[Found], Scope]:
        scope = Scope()
        found: list[Found] = []
        prefix: tuple[int, int] | None = None
        for ca, cb in split_spans(self.text, a, b, "，；：,;:"):
            clause = self.text[ca:cb]
            subs = [g for g in _paren_groups(clause) if _QUANTITY.search(clause, g[0], g[1])]
            masked = _mask(
                clause, subs + [s for s in _quoted_spans(clause) if clause[s[0]] == "《"]
            )
            times = find_times(masked, self.ctx.issued)
            if times and _TIME_FILLER.match(_mask(masked, [(t.start, t.end) for t in times])):
                self._set_scope(scope, times, clause)
                prefix = (ca, cb)
                continue
            lead_time = times and _TIME_FILLER.match(masked[: times[0].start])
            if lead_time:  # 2025年底前建成…: from here to the end of the sentence
                self._set_scope(scope, times[:1], clause[: times[0].end])
            quote_start = prefix[0] if prefix else ca
            found += self.clause(ca, cb, masked, times, scope, quote_start, subs)
            prefix = None
        return found, scope

    @staticmethod
    def _set_scope(scope: Scope, times: list[Time], source: str) -> None:
        for t in times:
            if t.kind == "start":
                scope.start = t
            else:
                scope.deadline = t
        scope.source = source.strip()

    def clause(
        self,
        ca: int,
        cb: int,
        masked: str,
        times: list[Time],
        scope: Scope,
        quote_start: int,
        subs: list[tuple[int, int]],
    ) -> list[Found]:
        clause = self.text[ca:cb]
        found: list[Found] = []
        for sa, sb in subs:  # （2025年拟新增专业1个）: a target of its own
            inner = (ca + sa + 1, ca + sb - 1)
            sub = self.text[inner[0] : inner[1]]
            sub_times = find_times(sub, self.ctx.issued)
            for m in _QUANTITY.finditer(sub):
                found.append(self.quantity(m, sub, inner, inner, sub_times, scope))
        core = _ADVERBS.sub("", masked.lstrip(_MASK))
        quantities = [
            m for m in _QUANTITY.finditer(masked) if not subs or not _in_spans(m.start(), subs)
        ]
        if quantities and _CONTEXT.match(core):
            if core.startswith("巩固"):
                t = self.milestone((quote_start, cb), times, scope)
                t.review.append(
                    "句中数字（"
                    + "、".join(squeeze(q[0]) for q in quantities)
                    + "）似为已有成果，未作为数量目标"
                )
                found.append(Found(t, (quote_start, cb)))
            return found
        end = cb
        if subs and subs[-1][1] == len(
            clause.rstrip()
        ):  # 撤销专业5个（…）: the quote stops before it
            end = ca + subs[-1][0]
        if len(quantities) == 1:
            q = quantities[0]
            also = _AND_THEN.search(masked, q.end())  # 成立1个联合体并积极申报省级试点
            if also and self._is_milestone(masked[also.end() :]):
                found.append(
                    Found(self.milestone((quote_start, end), times, scope), (quote_start, end))
                )
                end = ca + also.start()
            found.append(self.quantity(q, masked, (ca, cb), (quote_start, end), times, scope))
        elif quantities:
            found += self.several(quantities, masked, ca, cb, times, scope)
        all_ = _ALL.search(masked)
        if not quantities and all_ and not subs:
            found.append(self.everything(masked, (ca, cb), (quote_start, end), times, scope, all_))
        elif not quantities and not _CONTEXT.match(core) and self._is_milestone(clause):
            found += self.milestones(quote_start, end, times, scope)
        return found

    def milestones(self, a: int, b: int, times: list[Time], scope: Scope) -> list[Found]:
        """One milestone, or one per part when each 、-part sets something up of its own:
        搭建…平台、建设…基地、校企共建产业学院等."""
        parts = split_spans(self.text, a, b, "、")
        if len(parts) > 1 and all(
            _VERB_FIRST.match(_ADVERBS.sub("", self.text[x:y])) for x, y in parts
        ):
            spans = [(x, y - 1 if self.text[y - 1] == "等" else y) for x, y in parts]
            return [Found(self.milestone(sp, times, scope), sp) for sp in spans]
        return [Found(self.milestone((a, b), times, scope), (a, b))]

    # --- quantities ---------------------------------------------------------------------------
    def quantity(
        self,
        m: re.Match[str],
        masked: str,
        clause: tuple[int, int],
        span: tuple[int, int],
        times: list[Time],
        scope: Scope,
    ) -> Found:
        """One quantity target; `masked` is the clause (offsets relative to clause[0])."""
        value = number(m["pct"] or m["a"])
        unit = "%" if m["pct"] or m["unit"] in ("%", "％") else m["unit"]
        value_max = number(m["b"]) if m["b"] else None
        if (m["scale"] == "万" and unit == "元") or m["scale"] == "亿":
            unit = m["scale"] + unit
        elif m["scale"] == "万":
            value, value_max = value * 10000, value_max * 10000 if value_max is not None else None
        comparator, maintain, words = _comparator(masked, m, value_max is not None)
        quote = self._quote(span)
        t = DraftTarget(
            id="",
            kind="quantity",
            metric="",
            quote=quote,
            comparator=comparator,
            value=value,
            value_max=value_max,
            unit=unit,
            maintain=maintain,
        )
        if m["a"] and m["a"] in ("一",) and not m["b"]:
            t.review.append("“一" + m["unit"] + "”可能只是泛指，请确认是否为数量目标")
        self._times(t, times, scope, quote)
        self._each(t, clause[0], m.start())
        t.metric = _metric(quote, [m[0], *words], t)
        return Found(t, span)

    def several(
        self,
        quantities: list[re.Match[str]],
        masked: str,
        ca: int,
        cb: int,
        times: list[Time],
        scope: Scope,
    ) -> list[Found]:
        """Several numbers in one clause: each takes the part around it between 、 and quote marks."""
        found: list[Found] = []
        cuts = [i for i, ch in enumerate(masked) if ch in "、“”"]
        bounds = [-1, *cuts, len(masked)]
        for m in quantities:
            left = max(i for i in bounds if i < m.start()) + 1
            right = min(i for i in bounds if i >= m.end())
            a, b = _trim(self.text, ca + left, ca + right)
            sub = masked[left:right]
            shifted = _QUANTITY.search(sub)
            assert shifted is not None
            f = self.quantity(
                shifted,
                sub,
                (ca + left, ca + right),
                (a, b),
                [t for t in times if left <= t.start < right],
                scope,
            )
            found.append(f)
        # the parts without a number that set something up: 培育…品牌
        covered = [f.span for f in found]
        for left, right in itertools.pairwise(bounds):
            a, b = _trim(self.text, ca + left + 1, ca + right)
            if (
                a < b
                and not any(x <= a < y for x, y in covered)
                and self._is_milestone(self.text[a:b])
                and not _QUANTITY.search(self.text, a, b)
                and b - a >= 6
            ):
                found.append(Found(self.milestone((a, b), [], scope), (a, b)))
        outside = _mask(masked, _quoted_spans(masked))
        if all(
            _in_spans(m.start(), _quoted_spans(masked)) for m in quantities
        ) and self._is_milestone(outside):
            found.insert(0, Found(self.milestone((ca, cb), times, scope), (ca, cb)))
        return found

    def everything(
        self,
        masked: str,
        clause: tuple[int, int],
        span: tuple[int, int],
        times: list[Time],
        scope: Scope,
        m: re.Match[str],
    ) -> Found:
        """全部专业实现… -> 100% of them."""
        quote = self._quote(span)
        t = DraftTarget(
            id="", kind="quantity", metric="", quote=quote, comparator="=", value=100, unit="%"
        )
        t.review.append("“全部”记为 100%")
        self._times(t, times, scope, quote)
        self._each(t, clause[0], m.start())
        t.metric = _metric(quote, ["全部"], t) + "的比例"
        return Found(t, span)

    def _each(self, t: DraftTarget, clause_start: int, at: int) -> None:
        """每个中职学校 / 各县区中职学校 / A、B各建设: the set a per-member target applies to."""
        before = self.text[clause_start : clause_start + at]
        if _EACH_VERB.search(before):
            t.each = "各"
            head = before[: before.rindex("各")]
            names = [n for n in re.split(r"[、和]", _LIST_HEAD.sub("", head.strip())) if n]
            if len(names) >= 2 and all(2 <= len(n) <= 30 for n in names):
                t.entities = names
            t.review.append(
                "按“各”记为对每个对象分别考核" + (f"（{'、'.join(names)}）" if t.entities else "")
            )
            return
        each = list(_EACH.finditer(self.text, self.sentence_start, clause_start + at))
        if each:
            t.each = each[-1][0]
            t.review.append(f"按“{t.each}”记为对每个对象分别考核")

    # --- milestones ----------------------------------------------------------------------------
    def _is_milestone(self, clause: str) -> bool:
        outside = _mask(clause, _quoted_spans(clause))
        core = _ADVERBS.sub("", outside.strip())
        return not _CONTEXT.match(core) and bool(_MILESTONE_VERB.search(outside))

    def milestone(self, span: tuple[int, int], times: list[Time], scope: Scope) -> DraftTarget:
        quote = self._quote(span)
        t = DraftTarget(id="", kind="milestone", metric="", quote=quote)
        self._times(t, times, scope, quote)
        t.metric = _metric(quote, [], t)
        if m := _ENCOURAGE.search(quote[:6]):
            t.info.append(f"倡导性表述（{m[0]}）")
        if m := _UNCOUNTED.search(quote):
            t.info.append(f"文件未给出数量（{m[0]}）")
        return t

    # --- shared --------------------------------------------------------------------------------
    def _quote(self, span: tuple[int, int]) -> str:
        a, b = _trim(self.text, *span)
        while self.text.startswith(("并", "同时"), a) and b - a > 8:
            a += 1 if self.text[a] == "并" else 2
        while b > a and self.text[b - 1] in "，、；,;：:":
            b -= 1
        return self.text[a:b]

    def _times(self, t: DraftTarget, times: list[Time], scope: Scope, quote: str) -> None:
        own_deadline = next((x for x in times if x.kind == "deadline"), None)
        own_start = next((x for x in times if x.kind == "start"), None)
        deadline = own_deadline or scope.deadline
        start = own_start or scope.start
        if deadline is not None:
            t.deadline, t.deadline_date = deadline.text, deadline.date
            if deadline.review:
                t.review.append(deadline.review)
            if deadline.reason:
                t.deadline_reason = deadline.reason
            elif own_deadline is None and squeeze(scope.source) not in squeeze(quote):
                t.deadline_reason = f"时限取自同句开头：{squeeze(scope.source)}"
        if start is not None:
            t.start = start.text


def _in_spans(i: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


def _comparator(masked: str, m: re.Match[str], is_range: bool) -> tuple[str, bool, list[str]]:
    """(comparator, maintain, the words that said so) for the quantity `m` in its clause."""
    after = masked[m.end() : m.end() + 4]
    window = masked[: m.start()]
    previous = list(_QUANTITY.finditer(window))
    window = window[previous[-1].end() :] if previous else window
    before = list(_BEFORE.finditer(window))
    word = before[-1][0] if before else None
    maintain = word in _MAINTAIN
    # the word leaves the metric only when it stands next to the number: 达到 90%, not 控制在…的20%
    words = [word] if word and before[-1].end() >= len(window.rstrip()) else []
    if is_range:
        return "range", maintain, words
    for suffix, comparator in _AFTER:
        if after.startswith(suffix):
            return comparator, maintain, [*words, suffix]
    if _ABOUT.search(window):
        return "approx", maintain, [*words, _ABOUT.search(window)[0]]  # type: ignore[index]
    if word is None:
        return "=", False, []
    return _BEFORE_CMP.get(word, ">="), maintain, words


_METRIC_NOISE = re.compile(r"^(?:力争|积极|到|至|并|从|自|[，、；])+|原则上|(?:的)$")


def _metric(quote: str, remove: list[str], t: DraftTarget) -> str:
    """What is counted or done, in the document's words: the quote without the number and time."""
    text = quote
    if (
        (t.deadline or t.start)
        and "，" in text
        and _TIME_FILLER.match(_strip_times(text.split("，")[0]))
    ):
        text = text.split("，", 1)[1]  # 力争到2025年底，… -> …
    text = _strip_times(text)
    for word in remove:
        text = text.replace(word, "", 1)
    text = _METRIC_NOISE.sub("", squeeze(text).strip("，、；：,;: "))
    if len(text) < 3:
        t.review.append(f"指标名称“{text or quote}”不完整，请补全")
        return squeeze(quote)
    return text


def _strip_times(text: str) -> str:
    for rx, hint in ((_YEAR_TIME, "年"), (_PLAN_TIME, "五"), (_WITHIN, "内")):
        if hint in text:
            text = rx.sub("", text)
    return text


# ------------------------------------------------------------------------------------------------
# Measures: an outline node -> a measure with its units and targets.
# ------------------------------------------------------------------------------------------------

_GOALS = re.compile(r"总体要求|目标任务|目标$")  # 总体要求, 主要目标, 工作目标, 活动目标
_SAFEGUARDS = re.compile(r"保障措施|保障机制|组织保障|组织实施|工作保障|实施保障")


@dataclass
class Rules:
    """Document-wide rules that change how unit lines read."""

    first_leads: str | None = None  # 列第一位者为牵头单位, verbatim


def build_measure(
    node: Node,
    mid: str,
    section: str | None,
    ctx: Context,
    rules: Rules,
    inherited: Units | None = None,
) -> DraftMeasure:
    kind = (
        "goals"
        if _GOALS.search(node.title)
        else "safeguards"
        if _SAFEGUARDS.search(node.title)
        else "task"
    )
    measure = DraftMeasure(mid, node.clause, node.title or node.clause, section, kind)
    own = Units()
    for b in node.blocks:
        if b.kind == "units":
            merge_units(own, parse_unit_text(b.text))
    texts = [b for b in node.blocks if b.kind != "units"]
    inline = [(b, *split_inline_units(b.text)) for b in texts]
    inline_groups = [u for _, _, u in inline if u is not None]
    per_paragraph = len(inline_groups) > 1 or (inline_groups and not own.is_empty())
    if len(inline_groups) == 1 and own.is_empty():
        own = inline_groups[0]
    found: list[tuple[Found, Block, Units | None]] = []
    for b, end, units in inline:
        finder = TargetFinder(b.text, ctx, goals=kind == "goals")
        found += [(f, b, units if per_paragraph else None) for f in finder.find(b.start, end)]
    if own.is_empty() and inherited is not None and not inherited.is_empty():
        own = inherited
        measure.info.append("单位取自所在部分的单位行")
    _apply_first_leads(own, rules, measure)
    measure.units = own
    for f, _, units in found:
        if units is not None:
            _apply_first_leads(units, rules, None)
            f.target.units = units
    if own.is_empty():
        found += _prose(measure, found, texts, ctx)
        order = {id(b): i for i, b in enumerate(texts)}
        found.sort(key=lambda x: (order[id(x[1])], x[0].span))
    measure.targets = [f.target for f, _, _ in found]
    for i, t in enumerate(measure.targets, 1):
        t.id = f"{mid}-{i}"
    _check_names(measure, ctx.resolver)
    if any(t.deadline is None for t in measure.targets):
        measure.deadline_reason = "文件未规定完成时限"
    return measure


def _apply_first_leads(units: Units, rules: Rules, measure: DraftMeasure | None) -> None:
    """列第一位者为牵头单位: the first 责任单位 leads when no 牵头单位 is given."""
    if rules.first_leads and units.lead_units is None and units.responsible_units:
        units.lead_units = units.responsible_units[:1]
        units.responsible_units = units.responsible_units[1:]
        units.responsibility_quote = rules.first_leads


def _prose(
    measure: DraftMeasure,
    found: list[tuple[Found, Block, Units | None]],
    blocks: list[Block],
    ctx: Context,
) -> list[tuple[Found, Block, Units | None]]:
    """No unit lines: leads stated in prose (由X牵头), as guesses to review. 牵头/负责 in the measure's
    first sentence lead the measure; elsewhere they lead the targets of their sentence, and a sentence
    that only assigns work (由中职学校负责招生选拔) becomes a milestone of its own."""
    added: list[tuple[Found, Block, Units | None]] = []
    for n, b in enumerate(blocks):
        sentences = split_spans(b.text, b.start, len(b.text), "。！？!?", quotes_only=True)
        for k, (sa, sb) in enumerate(sentences):
            for lead in prose_leads(b.text, sa, sb, ctx.resolver):
                units = Units(lead_units=lead.names, responsibility_quote=lead.quote)
                why = f"牵头单位取自正文“{lead.quote}”"
                if n == k == 0 and lead.strong and measure.units.lead_units is None:
                    measure.units = units
                    measure.review.append(why)
                    continue
                mine = [f for f, fb, _ in found + added if fb is b and sa <= f.span[0] < sb]
                if not mine:
                    t = TargetFinder(b.text, ctx).milestone((sa, lead.end), [], Scope())
                    mine = [Found(t, (sa, lead.end))]
                    added.append((mine[0], b, None))
                for f in mine:
                    if f.target.units is None:
                        f.target.units = units
                        f.target.review.append(why)
    return added


def _check_names(measure: DraftMeasure, resolver: Resolver) -> None:
    names = measure.units.names() + [n for t in measure.targets if t.units for n in t.units.names()]
    missing = resolver.check(dict.fromkeys(names))
    if missing:
        measure.review.append(
            "单位名录中没有：" + "、".join(missing) + "（按原文保留，请登记或改正）"
        )


def measures_of(roots: list[Node], prefix: str, ctx: Context, rules: Rules) -> list[DraftMeasure]:
    measures: list[DraftMeasure] = []
    for node in roots:
        nid = f"{prefix}-{node.number}"
        if not node.children:
            measures.append(build_measure(node, nid, None, ctx, rules))
            continue
        section = f"{node.clause}{node.title}"
        own_units = Units()
        for b in node.blocks:
            if b.kind == "units":
                merge_units(own_units, parse_unit_text(b.text))
        intro = Node(
            node.level,
            node.clause,
            node.number,
            node.title,
            [b for b in node.blocks if b.kind != "units"],
        )
        if intro.blocks:
            m = build_measure(intro, nid, None, ctx, rules)
            if m.targets:
                measures.append(m)
        for child in node.children:
            cid = f"{nid}.{child.number}" if node.level == 1 else f"{prefix}-{child.number}"
            measures.append(build_measure(child, cid, section, ctx, rules, own_units))
    return measures


# ------------------------------------------------------------------------------------------------
# The work group (工作专班) roster in an attachment.
# ------------------------------------------------------------------------------------------------

_ROLE = re.compile(r"^\s*(组\s*长|副\s*组\s*长|成\s*员|办公室主任|联络员)\s*[：:]")


def work_group(lines: Sequence[str]) -> WorkGroup | None:
    name: str | None = None
    members: list[Member] = []
    role = ""
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if name is None:
            if re.search(r"工作专班$|领导小组$", squeeze(s)) and not s.startswith("附件："):
                name = squeeze(s)
            continue
        m = _ROLE.match(line)
        if m:
            role = squeeze(m[1])
            line = line[m.end() :]
        cells = [c.strip() for c in re.split(r"\t+|\s{2,}", line.strip()) if c.strip()]
        if role and len(cells) == 2:
            members.append(Member(role, cells[0], cells[1]))
        elif members or role:
            break
    return WorkGroup(name, members) if name and members else None


# ------------------------------------------------------------------------------------------------
# The whole document.
# ------------------------------------------------------------------------------------------------

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


def import_text(
    text: str,
    *,
    units: Sequence[Unit] = (),
    doc_id: str | None = None,
    prefix: str | None = None,
    source: str | None = None,
    region: str | None = None,
) -> Draft:
    """A policy document's text -> the draft of its task file."""
    text = _lines(text.lstrip("\ufeff"))
    lines = text.split("\n")
    header = read_header(lines)
    ident = clean_id(doc_id) if doc_id else default_id(header.doc_number)
    region = region or city_of(header.issuer, header.title, {u.region for u in units if u.region})
    document = DraftDocument(
        ident, header.title, header.doc_number, header.issuer, header.issued, region, source
    )
    _header_review(document)
    resolver = Resolver(units, region)
    ctx = Context(header.issued, resolver)
    rules = Rules(first_leads_rule(text))
    if rules.first_leads:
        document.info.append(f"按文件规定“{rules.first_leads}”确定牵头单位")
    _, roots = outline(join_paragraphs(lines[header.body[0] : header.body[1]]))
    measures = measures_of(roots, clean_id(prefix) if prefix else ident, ctx, rules)
    _goal_deadlines(measures)
    return Draft(document, measures, work_group(lines[header.body[1] :]), list(resolver.unknown))


def _header_review(document: DraftDocument) -> None:
    missing = [
        label
        for label, value in (
            ("标题", document.title),
            ("文号", document.doc_number),
            ("发文机关", document.issuer),
            ("印发日期", document.issued),
        )
        if not value
    ]
    if missing:
        document.review.append("未找到" + "、".join(missing) + "，请补填")


def _goal_deadlines(measures: list[DraftMeasure]) -> None:
    """Deadlines set in 总体要求 may cover the tasks that give none: say so where it matters."""
    goals = [m for m in measures if m.kind == "goals"]
    dated = sorted({t.deadline for m in goals for t in m.targets if t.deadline})
    undated = [
        m.id for m in measures if m.kind != "goals" and any(t.deadline is None for t in m.targets)
    ]
    if dated and undated:
        goals[0].review.append(
            f"本部分规定了时限（{'、'.join(dated)}）；其他措施中未写时限的目标记为“文件未规定完成时限”，请核对是否适用"
        )
