"""Stage 4, responsibility: unit lines, the document's lead rule, 由…牵头 in prose, and the name resolver."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Unit
from ..registry import Registry
from .draft import Units
from .layout import INLINE_UNITS, LABEL_AT, LABELS

_LIST_SEP = re.compile(r"[、，,；;]")
_LEAD_MARK = re.compile(r"[（(]牵头[）)]$")  # 市教育局（牵头） inside a 责任单位 list
# 牵头企业：由海东工业园区管委会选定行业龙头企业 — a rule that picks the enterprises
_RULE = re.compile(r"^由|选定|确定|遴选|指定")
# the document-wide rule that the first unit listed leads
# 列第一位者为牵头单位 / 排在第一位的部门为牵头部门 / 排名第一的为牵头单位
_FIRST_LEADS = re.compile(
    r"(?:列|排)(?:在|于|名)?(?:第一位|首位|第一)(?:者|的(?:单位|部门)?|单位|部门)?(?:为|是)"
    r"牵头(?:单位|部门)"
)
_RULE_START = re.compile(
    r"[^。；\n（(]{0,30}$"
)  # the rule's words before the anchor, back to its clause
_RULE_END = re.compile(r"[^。；\n）)]{0,20}")


# a field of another kind after a unit list, in the same parenthesis: ；适用范围：…, ；完成时限：…
_OTHER_FIELD = re.compile(r"[；;，,。]\s*[^：:；;，,、。（）()]{2,8}[：:]")


# a remark in a unit list, no name: （含新区、合作区管委会，下同）, （包括…）
_INCLUDES = "含|包括|包含"  # what opens a remark on a list (含新区…), not a name
# how the name of a body (an office one can hold to account) ends: 部, 委, 局, 政府 …
_BODY_WORDS = "部|委|局|厅|署|办|总局|政府|委员会|办公室|管委会"
_REMARK = re.compile(rf"[（(](?:{_INCLUDES})[^（）()]*[）)]|[（(][^（）()]*下同[）)]")
# 责任单位：A、B依职责办理 / …按职责分工负责: how the listed units answer, no part of a name
_BY_DUTY = r"(?:按照?职责分工|依职责分工|按职责|依职责|分别)"  # how each answers: by its duties
_DUTY_SUFFIX = re.compile(rf"{_BY_DUTY}?(?:办理|负责|落实)$")


def parse_unit_text(text: str) -> Units:
    """牵头单位：A、B 责任单位：C，D … (one line or the inside of a parenthesis) -> Units."""
    units = Units()
    labels = list(LABEL_AT.finditer(text))
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        value = text[m.end() : end]
        other = _OTHER_FIELD.search(value)  # （负责部门：A、B；适用范围：…）: the units end there
        if other is not None:  # and what the other field says is kept for the reviewer
            said = value[other.start() :].strip("，,；;。 ")
            units.notes.append(f"单位括注另有说明：“{said}”，请核对（如完成时限，请记入 deadline）")
            value = value[: other.start()]
        for remark in _REMARK.findall(value):  # 各区政府（含新区、合作区管委会，下同）
            units.notes.append(f"单位名单中的说明“{remark}”，请核对")
        value = _DUTY_SUFFIX.sub("", _REMARK.sub("", value).strip().strip("，,；;。 "))
        key = LABELS[m[1]]
        if key == "deadline":
            units.deadline_text = units.deadline_text or value or None
            continue
        if key == "lead_enterprises" and _RULE.search(value):
            units.lead_enterprise_rule = value
            continue
        names = split_names(value, units.notes)
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


# what a unit's name ends with: 部, 委, 局, 办, 政府, 中心, 各有关单位 … (a list item that ends
# otherwise is prose, not a unit)
_UNIT_END = re.compile(
    r"(?:部|委|局|厅|署|办|院|会|行|府|室|处|站|所|队|团|社|联|校|馆|台|组|司|集团|企业|中心|单位|"
    r"部门|机构|机关|组织|法院|海关|政府|成员单位|县级市|区|县|市|镇|街道|园区|协会|学会|总会|"
    r"团中央|协)$"  # 共青团中央, 团中央; 市科协, 市政协
)
# 各区、县级市政府: a bare 各区 followed by the rest of one collective's name
_COLLECTIVE_HEAD = re.compile(r"^各(?:有关)?(?:区|县|市|镇|乡)$")
_COLLECTIVE_TAIL = re.compile(
    r"^(?:县级市|县|区|市|乡镇|乡|镇|街道)(?:人民)?(?:政府|党委|管委会|人民政府)?$"
)
# A、B等有关部门和单位: the open end of a list, kept as an entry of its own (等有关部门和单位)
_OPEN_END = re.compile(
    r"等(?:有关|相关|其他)?(?:部门|单位|机构|地区|方面)(?:和|及|、)?(?:单位|部门)?$"
)
_AND_COLLECTIVE = re.compile(r"(?<=\S)(?<!有关部门)(?:和|及|以及)(?=各)")
_NOT_A_NAME = re.compile(r"[，。；：:！？“”《》\d%％]|负责|配合|参与|实施|推进|按照|根据|加强|建立")


def split_names(value: str, notes: list[str] | None = None) -> list[str]:
    """A written list of units -> names as written. 各区、县级市政府 is one collective (各区 alone
    names no body); A等有关部门和单位 gives A and the open end 等有关部门和单位, kept as written; a
    list that just stops with 等 is noted, since it names fewer units than it means."""
    # A、B等和各省级人民政府: the open list ends and a collective follows it
    parts = [
        n.strip()
        for piece in _LIST_SEP.split(value)
        for n in _AND_COLLECTIVE.split(piece)
        if n.strip()
    ]
    names: list[str] = []
    for part in parts:
        if names and _COLLECTIVE_HEAD.match(names[-1]) and _COLLECTIVE_TAIL.match(part):
            names[-1] += "、" + part  # 各区、县级市政府
            continue
        m = _OPEN_END.search(part)
        if m and m.start() > 0:
            names += [part[: m.start()], part[m.start() :]]
            continue
        if part.endswith("等") and len(part) > 1:
            part = part[:-1]
            if notes is not None:
                notes.append(f"单位名单以“等”结尾（{part}等），可能未列全")
        names.append(part)
    return _shared_level(names, notes)


# a city's (or district's) department written without its level after one written with it:
# 市发展改革委、住房建设局、城管和综合执法局 (Shenzhen writes 市 once for the list)
_DEPARTMENT = re.compile(
    r"^(?:发展和?改革|发改|财政|住房|住建|城管|城市管理|交通|生态环境|规划|自然资源|国土|水务|水利|"
    r"商务|科技|科学技术|科工信|工业和信息化|工信|经信|经贸|教育|民政|人力资源|人社|卫生健康|卫健|"
    r"应急|市场监|农业农村|文化|文广|公安|司法|审计|统计|税务|国资|金融|地方金融|医保|医疗保障|"
    r"体育|气象|林业|海洋|港务|口岸|政务服务|政数|退役军人|外事|侨务|民族宗教|信访|机关事务|档案|"
    r"粮食|供销|投资促进|人防|能源|数据|工商|质监|安监|食品药品|消防|科技创新|城市更新)"
    r"[\u4e00-\u9fff]{0,12}(?:局|委|办|厅|中心|办公室|委员会|署|支队)$"
)


def _shared_level(names: list[str], notes: list[str] | None) -> list[str]:
    """The level (市, 区) of the nearest name before it that writes one, given to each bare
    department of a list (市发展改革委、住房建设局 -> 市住房建设局; 区住房建设局、水务局 ->
    区水务局), with a note for review."""
    if not names or names[0][:1] not in ("市", "区") or names[0].startswith("市场"):
        return names
    out, added, level = [], [], ""
    for n in names:
        own = n[:1] in ("市", "区") and not n.startswith("市场")
        level = n[0] if own else level
        bare = not own and _DEPARTMENT.match(n) is not None
        out.append(level + n if bare else n)
        if bare:
            added.append(f"{n}→{level}{n}")
    if added and notes is not None:
        notes.append(f"名单中的简称按前一单位的级别补全：{'、'.join(added)}")
    return out


def looks_like_units(names: Sequence[str]) -> bool:
    """Every item reads as a unit's name: short, no prose, ends like a body (局, 委, 政府…)."""
    return bool(names) and all(
        2 <= len(n) <= 30
        and not _NOT_A_NAME.search(n)
        and (_UNIT_END.search(n) is not None or n.startswith(("各", "等")))
        for n in names
    )


# the inside of a unit parenthesis （…负责…）: clauses of names, each ending in how they answer for
# it — 牵头 (lead), 负责 / 指导 (responsible), 参与 / 配合 (supporting); a clause of names alone
# joins the next one (（A、B，各省级人民政府按职责分工负责）)
_DUTY_CLAUSE = re.compile(
    rf"^(?P<who>.*?)(?:{_BY_DUTY}|共同|具体)?"
    r"(?P<verb>牵头负责|牵头|负责落实|负责|指导|参与|配合|协助|参加|办理|落实)$"
)
_DUTY_ROLE = {
    "牵头负责": "lead",
    "牵头": "lead",
    "负责落实": "responsible",
    "负责": "responsible",
    "指导": "responsible",
    "参与": "supporting",
    "配合": "supporting",
    "协助": "supporting",
    "参加": "supporting",
    "办理": "responsible",
    "落实": "responsible",
}
_DUTY_VERB = re.compile(r"负责|牵头|指导|参与|配合|依职责办理")  # what a unit parenthesis says
_CLAUSE_SEP = re.compile(r"[，,；;]")
# say who answers, as before
_NAMING_VERBS = frozenset({"牵头负责", "牵头", "负责落实", "负责", "办理", "落实"})
# （A负责，以下各项工作均需各区政府落实，不再一一列出）: what follows the list is a note
_NOTE_AFTER = re.compile(r"[，,；;](?=以下|不再|下同|其他各项|上述)")
# who takes part or guides, in general words: no body a working group can hold to account
_GENERIC = re.compile(
    r"(?:^|、)(?:鼓励|支持|引导|推动|多|各级|相关|有关|其他)?"
    r"(?:企业|社会组织|社会力量|社区|学校|医院|第三方机构|部门|单位|群众|居民|家庭|机构|专家|高校|院校)"
    r"(?:、|$)"
)
_TOGETHER = re.compile(r"会同")  # A会同B负责: A leads, B answers with it
_SAME_BELOW = re.compile(r"^\s*下同[。，,；;\s]*|[，,；;]?\s*下同\s*$")  # （A负责，下同）
_DUTY_PAREN = re.compile(r"[（(]([^（）()]{2,400})[）)]\s*[。；;]?\s*$")


def parse_duty_text(text: str, rule: str | None) -> Units | None:
    """（A、B负责。列第一位者为牵头单位，下同） / （A、B，各省级人民政府按职责分工负责） /
    （A牵头，B、C参与） / （A、B指导） / （A会同B负责） -> Units, or None when the parenthesis is not
    a list of units. The first listed unit leads when the document says so (`rule`) and no unit
    is said to lead; 牵头负责 before several units makes every one of them a lead. A sentence after
    the first (以下均需…不再列出) is kept as a note for the reviewer."""
    body = text
    m_rule = _FIRST_LEADS.search(body)
    if m_rule:  # the rule stated inside this very parenthesis: cut it off
        cut = max(body.rfind(c, 0, m_rule.start()) for c in "。，,；;")
        body = body[: cut if cut > 0 else m_rule.start()]
    first, _, rest = body.strip().partition("。")
    if (note := _NOTE_AFTER.search(first)) is not None:
        first, rest = first[: note.start()], f"{first[note.end() :]}。{rest}".strip("。")
    first, rest = _SAME_BELOW.sub("", first), _SAME_BELOW.sub("", rest.strip())
    notes: list[str] = []
    roles = _duty_roles(first, notes)
    if roles is None:
        return None
    if not all(looks_like_units(names) for names in roles.values() if names):
        return None
    units = Units(notes=notes, responsibility_quote=f"（{text}）")
    if rest:
        units.notes.append(f"单位括注另有说明：“{rest}”，请核对是否适用于其他措施")
    lead, responsible = roles["lead"], roles["responsible"]
    if lead:
        units.lead_units = lead
        if "牵头负责" in first and len(lead) > 1:
            units.notes.append(f"“牵头负责”前列出 {len(lead)} 个单位，均记为牵头单位")
    elif responsible and (rule or m_rule):
        units.lead_units, responsible = responsible[:1], responsible[1:]
    units.responsible_units = responsible
    units.supporting_units = roles["supporting"]
    return units


def _duty_roles(text: str, notes: list[str]) -> dict[str, list[str]] | None:
    """The names of each role in a unit parenthesis's first sentence (`parse_duty_text`), or
    None when a clause names units without saying how they answer, or none is named."""
    roles: dict[str, list[str]] = {"lead": [], "responsible": [], "supporting": []}
    pending = ""
    for clause in _CLAUSE_SEP.split(text.strip()):
        m = _DUTY_CLAUSE.match(clause.strip())
        if m is None:  # names alone: they answer as the next clause says
            pending += clause.strip() + "，"
            continue
        who, pending = (pending + m["who"]).removeprefix("由"), ""  # （由A牵头，B配合）
        role = _DUTY_ROLE[m["verb"]]
        if m["verb"] not in _NAMING_VERBS and _GENERIC.search(who):
            return None  # （企业参与）, （在专家指导下）: prose about who takes part, no unit
        together = _TOGETHER.split(who, maxsplit=1)
        if len(together) == 2:  # A会同B负责: A leads, B answers with it
            roles["lead"] += split_names(together[0], notes)
            roles[role if role != "lead" else "responsible"] += split_names(together[1], notes)
        else:
            roles[role] += split_names(who, notes)
    return None if pending or not any(roles.values()) else roles


def merge_units(into: Units, more: Units) -> None:
    if more.lead_units is not None:
        into.lead_units = [*(into.lead_units or []), *more.lead_units]
    for key in ("responsible_units", "lead_colleges", "lead_enterprises", "supporting_units"):
        getattr(into, key).extend(getattr(more, key))
    into.lead_enterprise_rule = into.lead_enterprise_rule or more.lead_enterprise_rule
    into.responsibility_quote = into.responsibility_quote or more.responsibility_quote
    into.deadline_text = into.deadline_text or more.deadline_text
    into.notes.extend(more.notes)


def split_inline_units(text: str, rule: str | None = None) -> tuple[int, Units | None]:
    """Where a paragraph's own text ends, and the units of a trailing （牵头单位：…） or
    （A、B负责…）."""
    m = INLINE_UNITS.search(text)
    if m:
        return m.start(), parse_unit_text(m[1] or m[2])
    m = _DUTY_PAREN.search(text)
    if m and _DUTY_VERB.search(m[1]):
        units = parse_duty_text(m[1], rule)
        if units is not None:
            return m.start(), units
    if m and (units := _bare_list(m[1], rule)) is not None:
        return m.start(), units
    return len(text), None


# （含新区…）, （以下简称…）, （详见附件）: a remark in a parenthesis, not the units
_REMARK_START = re.compile(rf"^(?:{_INCLUDES}|如|即|以下|下同|详见|见|注|其中|不含|试行)")


def _bare_list(text: str, rule: str | None) -> Units | None:
    """（区发改委、区科经委、临港新片区管委会） ending an item, the units named and nothing
    said of how they answer (Shanghai's plans): each answers for it. None when the parenthesis
    is not such a list."""
    if _REMARK_START.match(text) or not _LIST_SEP.search(text):
        return None
    names = split_names(text)
    if len(names) < 2 or not looks_like_units(names) or not all(_BODY_END.search(n) for n in names):
        return None
    units = Units(responsible_units=names, responsibility_quote=f"（{text}）")
    if not rule:  # (with 列第一位者为牵头单位, the measure's first-lead rule makes the first lead)
        units.notes.append("括注只列单位，未写明谁牵头，均记为责任单位")
    return units


# the names of bodies a bare list may hold (not 区, 市, 县: places)
_BODY_END = re.compile(rf"(?:{_BODY_WORDS}|会|中心|院|所|集团|公司|支队)$")


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
    r"由(?P<who>[^，。；由]{2,40}?)(?P<verb>牵头|负责|联合|共同|统筹|组织|会同|协调|根据|办理|按照)"
)
# …由A、B牵头，C、D等部门配合: who supports the lead, in the clause after it
_URGES = re.compile(r"鼓励|动员|联合|引导|支持|推动|发动|吸引|带动|号召|组织")  # no body's name
_SUPPORT = re.compile(
    r"[，、]?(?P<who>[^，。；由]{2,40}?)(?:等(?:有关)?(?:部门|单位))?(?:配合|参与|协助)"
)
_LEADS = re.compile(
    r"(?:^|[，；])(?P<who>[^，。；由]{2,20}?)牵头(?=[，。；])"
)  # 职业院校牵头，联合…


# what a body's name ends with, beyond doubt (a bare 学校, 企业 or 中心 names no one in particular)
_BODY = re.compile(rf"(?:{_BODY_WORDS})$")


@dataclass
class ProseLead:
    names: list[str]
    quote: str  # from 由 to the end of its clause: 由中职学校负责招生选拔
    start: int  # offsets in the paragraph
    end: int
    strong: bool  # 牵头/负责: the measure's lead when in its first sentence
    supporting: list[str] = field(default_factory=list)  # …，C、D等部门配合


def _supports(name: str) -> bool:
    """A name in prose after 由X牵头, that names a body: not 鼓励社会组织, 动员全社会, 联合高校."""
    return looks_like_units([name]) and not _GENERIC.search(name) and not _URGES.match(name)


def _prose_names(who: str) -> list[str]:
    """A list of units in prose: parted at 、, and at 和/及/与 only between names of bodies
    (市财政局和市教育局; not 市工业和信息化局)."""
    names: list[str] = []
    for part in filter(None, who.split("、")):
        pieces = [p for p in re.split(r"[和及与]", part) if p]
        whole = len(pieces) > 1 and all(_UNIT_END.search(p) for p in pieces)
        names += pieces if whole else [part]
    return names


def prose_leads(text: str, start: int, end: int, resolve: Resolver) -> list[ProseLead]:
    """Units made responsible in prose (由X牵头, X牵头，) that the registry knows."""
    found: list[ProseLead] = []
    for rx in (_BY, _LEADS):
        for m in rx.finditer(text, start, end):
            names = _prose_names(m["who"])
            # a registered unit, or (由X牵头, 由X负责: the document says who leads) one named as a
            # body is named (国家卫生健康委, 市场监管总局)
            strong = rx is _BY and m["verb"] in ("牵头", "负责")
            if names and all(
                resolve.known(n) or (strong and _BODY.search(n) and looks_like_units([n]))
                for n in names
            ):
                begin = m.start("who") - (1 if rx is _BY else 0)
                stop = min(
                    (i for i in (text.find(c, m.end() - 1, end) for c in "，。；") if i >= 0),
                    default=end,
                )
                verb = m.groupdict().get("verb") or "牵头"
                lead = ProseLead(names, text[begin:stop], begin, stop, verb in ("牵头", "负责"))
                if verb == "牵头" and (s := _SUPPORT.match(text, stop + 1, end)):
                    more = _prose_names(s["who"])
                    if more and all(resolve.known(n) or _supports(n) for n in more):
                        lead.supporting = more
                        lead.end = s.end()
                        lead.quote = text[begin : s.end()]
                found.append(lead)
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


# an interior （A、B负责） or （牵头单位：…） followed by more text: it answers for the sentences before it
_INNER_PAREN = re.compile(r"[（(]([^（）()]{2,400})[）)]")


def duty_runs(text: str, start: int, rule: str | None) -> list[tuple[int, int, Units | None]]:
    """text[start:] in runs, each ending with the unit parenthesis that answers for it:
    …。（市场监管总局负责）加强…。（体育总局、教育部负责） -> two runs with their units. Without an
    interior parenthesis: one run up to the trailing one (`split_inline_units`)."""
    end, trailing = split_inline_units(text, rule)
    runs: list[tuple[int, int, Units | None]] = []
    a = start
    for m in _INNER_PAREN.finditer(text, start, end):
        if not text[m.end() : m.end() + 1].strip() or m.start() <= a:
            continue
        if text[m.start() - 1] not in "。；;":  # a unit parenthesis follows a finished sentence
            continue
        inner = m[1]
        units = parse_unit_text(inner) if LABEL_AT.match(inner) else None
        if units is None and _DUTY_VERB.search(inner):
            units = parse_duty_text(inner, rule)
        if units is not None and not units.is_empty():
            runs.append((a, m.start(), units))
            a = m.end()
    runs.append((a, end, trailing))
    return runs


def union_units(groups: Sequence[Units]) -> Units:
    """The units of several parentheses of one measure, each name once, leads first."""
    leads = [n for g in groups for n in g.lead_units or []]
    out = Units(lead_units=list(dict.fromkeys(leads)) if leads else None)
    taken = set(leads)  # a name once, in its strongest role (a lead, else responsible, ...)
    for key in ("responsible_units", "lead_colleges", "lead_enterprises", "supporting_units"):
        names = [n for g in groups for n in getattr(g, key)]
        getattr(out, key).extend(n for n in dict.fromkeys(names) if n not in taken)
        taken.update(names)
    out.responsibility_quote = "".join(g.responsibility_quote or "" for g in groups) or None
    out.deadline_text = next((g.deadline_text for g in groups if g.deadline_text), None)
    for g in groups:
        out.notes.extend(n for n in g.notes if n not in out.notes)
    return out
