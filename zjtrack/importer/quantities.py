"""Stage 5, targets: quantities with unit and comparator, milestones, sentence by sentence."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .clauses import (
    MASK,
    Clause,
    bounded,
    in_spans,
    mask,
    paren_groups,
    quoted_spans,
    split_spans,
    trim,
)
from .draft import DraftTarget
from .numbers import number
from .source import squeeze
from .times import (
    MODAL,
    SUBJECT_TIME,
    TIME_FILLER,
    Origin,
    Scope,
    Time,
    find_times,
    period_end,
    strip_times,
)
from .units import Resolver

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
        "户",
        "倍",
        "期次",
        "万人次",
        "张",
        "岁",
        "辆",
        "吨",
        "公顷",
        "间",
        "床",
        "栋",
        "千米",
        "平方公里",
        "千瓦",
        "艘",
        ":1",
        "：1",
        "千瓦时",
        "千伏安",
        "兆瓦",
        "兆瓦时",
    ],
    key=len,
    reverse=True,
)
# a quantity: 90%, 110家, 6—8个, 1-2个, 1到2个, 两个, 十所, 1万名, 500万元, 百分之九十;
# not after 第/前 (ordinals, ranks) nor inside another number, and not a year
_UNITS = "|".join(map(re.escape, _UNIT_WORDS))
# 24万以上, 5.6万: a scale with no unit word counts when a comparator or the clause's end follows
_BARE_SCALE_END = r"(?=以上|以下|左右|以内|之内|[，。；、）)]|$)"
# a numeral that can count: not 零 alone (零部件, 零就业家庭); a Chinese one never from its
# middle (第十二条 is no 二条: the lookbehinds above see only the 十) and never two digits with
# no power between (统一三个 is 三个, not 13; 一 may end a word: 统一, 唯一)
_QNUM = (
    r"(?:\d+(?:\.\d+)?|(?<![零〇二两三四五六七八九十百千])(?<![零〇一二两三四五六七八九十百千第]一)"
    r"(?![一二两三四五六七八九][零〇一二两三四五六七八九])"
    r"[一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千]*)"
)
# 一半以上, 超过半数: half, as a share (50%), where a bound says it is a goal
_HALF = r"(?:(?P<half>一半|半数)(?=\s*(?:及以上|以上))|(?<=超过)(?P<half2>一半|半数))"
_QUANTITY = re.compile(
    rf"(?<![\d.第前每－~～—–\-])(?:百分之(?P<pct>{_QNUM})|{_HALF}|(?P<a>{_QNUM})"
    rf"(?:\s*[%％]?\s*(?:—{{1,2}}|–|-|－|~|～|〜|至|到)\s*(?P<b>{_QNUM}))?"
    rf"\s*(?:(?P<scale>万亿|亿|万)\s*(?:(?P<unit>{_UNITS})|{_BARE_SCALE_END})|(?P<unit2>{_UNITS})))"
    r"(?!月|工作日|小时|学期)"
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
# brought down to a level: at most it (压缩至3个工作日, 降至5%); _LOWERED_TO also makes a rate a goal
_LOWERED_TO = ("降至", "降低到", "降低至", "下降到", "下降至")
_DOWN_TO = (
    *_LOWERED_TO,
    "压缩至",
    "压缩到",
    "缩短至",
    "缩短到",
    "减少到",
    "减少至",
    "压减至",
    "压减到",
)
# comparator words before the number (the last one before it in the clause counts)
_BEFORE = re.compile(
    r"不得低于|不得少于|不得超过|不得高于|不得多于|不少于|不低于|不小于|至少|达到|超过|多于|高于|不超过|不高于|不多于|不大于|低于|少于|控制在|"
    r"保持在|保持|稳定在|提高到|提升到|提高至|提升至|增加到|增至|突破|" + "|".join(_DOWN_TO) + "|"
    r"(?<![发到表下传送抵通转])达(?=\s*$)|"  # 比例达35% (达到, cut short), right before the number
    r"(?<![高赶])超(?=\s*$)"  # 税收超50亿元 (超过, cut short)
)
_BEFORE_CMP = {
    "不得超过": "<=",
    "不得高于": "<=",
    "不得多于": "<=",
    "超过": ">",
    "多于": ">",
    "高于": ">",
    "突破": ">",
    "超": ">",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不大于": "<=",
    "低于": "<",
    "少于": "<",
    "控制在": "<=",
    **dict.fromkeys(_DOWN_TO, "<="),  # brought down to: at most (压缩至3个工作日, 降至5%)
}
_MAINTAIN = ("保持在", "保持", "稳定在")
_ABOUT = re.compile(r"(?:约|大约|近)(?:为|在)?\s*$")  # 约20%: only right before the number
_ALL = re.compile(
    r"(?<![健齐完安])全部(?:[^，。；]{0,30}?)(?:实现|实行|达到|覆盖|完成)"
)  # 全部专业实现… -> 100%
# each: 每个中职学校, 各县区中职学校, 各专业联合教研室 (the set a per-member target applies to)
_SETS = (
    r"(?:学校|院校|高校|学院|县区|县（区）|县|区|市州|乡镇|街道|部门|单位|企业|园区|专业|班级|村|社区|"
    r"中心|基地|教研室|医院)"
)
_EACH = re.compile(
    rf"(?:每个|每所|每家|每|各)[^\s，。；、\d“”（）《》]{{0,12}}{_SETS}"
    rf"(?:、[^\s，。；、\d“”（）《》]{{1,12}}{_SETS})*"  # 每个市管企业、市属高校: one set of both
)
_EACH_VERB = re.compile(
    r"各(?:自)?[^\d，。；、]{0,4}$"
)  # A、B各建设1个: 各 right before the number
_LIST_HEAD = re.compile(r"^(?:支持|鼓励|推动|推进|由|在|对|指导|引导)")

_CONTEXT = re.compile(
    r"^(?:聚焦|围绕|对接|按照|根据|依据|依托|立足|结合|面向|瞄准|紧扣|发挥|巩固|参照|对标|以)"
)
_ADVERBS = re.compile(
    r"^(?:积极|加快|全面|大力|努力|进一步|逐步|持续|常态化|扎实|切实|着力|深入|力争|争取|重点|统筹|"
    r"稳步|不断|同时|并|继续|认真|及时|主动|探索|鼓励|支持|分类|配套|共同|联合|原则上)+"
)
# verbs that set something up, done once: 设立…分院, 建立…机制, 签订托管协议
MILESTONE_VERB = re.compile(
    r"设立|下设|建立|建成|成立|组建|签订|签署|搭建|构建|打造|创建|争创|制定|制订|出台|印发|发布|启动|开设|开办|举办|推出|"
    r"试点(?![建工项城，。；、”])|实施|推行|开展|培育|形成|编制|增设|停办|撤销|停招|遴选|认定|共建|实现|申报|"
    r"开发[^，。；]{0,12}(?:系统|平台)|建设(?![规成工水任的和与等投项，。；、）”]|中(?!国)|$)|参与(?=[^，。；]{2})|达标$|覆盖|建有|设有|部署|创新[^，。；]{0,12}(?:机制|模式|方式)|纳入[^，。；]{2,}范围|"
    r"(?:健全|完善)[^，。；]{0,30}?(?:制度|机制|体系|办法|政策|标准|网络|平台)"
)
# 结合实际制定实施意见, 按照规定建立…: a short context phrase before the real verb
_CONTEXT_LEAD = re.compile(
    r"^(?:结合|根据|按照|依据|立足|对照)[^，。；]{0,6}?(?:实际|需要|要求|规定|部署|情况|职责)"
)


_ACTS = re.compile(rf"(?:{MILESTONE_VERB.pattern})|培养|引进|选拔|新增|完成|达到|培训|扶持")


def _acts_before(masked: str, m: re.Match[str]) -> bool:
    """面向全市高校…择优设立50个…: a verb right before the number (or before its bound:
    设立不少于50个) makes a clause that opens with a context word a goal after all (聚焦“5个产业
    集群” has none; 按照…体系建设改革11项重点任务 has one, but not governing the number)."""
    window = mask(masked, quoted_spans(masked))[max(2, m.start() - 8) : m.start()]
    gaps = (window[a.end() :] for a in _ACTS.finditer(window))
    return any(not gap or _BEFORE.fullmatch(gap) for gap in gaps)


# 由60%提高到90% / 从10家增加到30家 / 将2016年实施的24项措施调整增加为30项: the first number is where
# it starts
_FROM = re.compile(r"(?:由|从|将)[^，；由从将]{0,12}$")
_CHANGES = "提高|提升|增加|增长|扩大|下降|降低|减少|压减|压缩|缩减"  # 由60%提高到90%
_CHANGE_TO = re.compile(
    rf"[^，；\d]{{0,12}}?(?:(?:{_CHANGES}|调整|精简)[^，；\d]{{0,4}}?"
    r"(?:到|至|为)|增至|降至|减至)\s*(?:"
    + "|".join(("不少于", "不低于", "不超过", "不高于", "超过", "达到", "控制在"))
    + r")?\s*"
)


_CHANGE_WORDS = re.compile(
    rf"^将|(?:由|从)?(?:{_CHANGES}|调整增加|调整)?"
    r"(?:到|至|为)?$"
)


# what makes 一半 a share to reach: 占总课时一半以上, 比例超过一半, 减少一半以上
_SHARE_OF = re.compile(r"占|比例|比重|达到|达|减少|压减|降低|下降")


def _is_share(m: re.Match[str]) -> bool:
    """Whether quantity `m` is written as a share in words: 百分之九十, 一半."""
    return m["pct"] is not None or m["half"] is not None or m["half2"] is not None


def _figure(m: re.Match[str]) -> float | int:
    """The number quantity `m` states: 一半 is 50 (percent)."""
    if m["half"] or m["half2"]:
        return 50
    return number(m["pct"] or m["a"])


def _starts_from(masked: str, m: re.Match[str], then: re.Match[str]) -> bool:
    """Whether quantity `m` is where the next one, `then`, starts from: 由m…提高到then."""
    return (
        _FROM.search(masked, 0, m.start()) is not None
        and _CHANGE_TO.fullmatch(masked, m.end(), then.start()) is not None
    )


def clause_core(text: str) -> str:
    """A clause without its leading adverbs and a short context phrase (结合实际…)."""
    core = _ADVERBS.sub("", text)
    return _ADVERBS.sub("", _CONTEXT_LEAD.sub("", core)) if _CONTEXT_LEAD.match(core) else core


_VERB_FIRST = re.compile(
    rf"^(?:[^，。；“”]{{0,3}}?)(?:{MILESTONE_VERB.pattern})"
)  # 校企共建…: a verb up front
# what a goal reads like when it states a state to reach: 达到…水平, 基本解决, 享受…服务, 理顺…
_STATE = re.compile(
    r"达到?|实现|完成|建成|基本|全面|普遍|覆盖|享受|享有|提升|提高|改善|解决|形成|健全|完善|理顺|配备|配齐|纳入|"
    r"规范|突破|迈入|进入|满足|普及|消除|取得|明显|显著|优化|增强|加快|转变|转型|零发生|零增长|下降|"
    r"减少|降低|遏制|杜绝|扭转|报送|上报|提交|报请|成为|全部"
)
_ENCOURAGE = re.compile(r"鼓励|支持")
# 对…成效明显的省（区、市）: who a measure rewards or binds, not something to do
# (对…的问题进行总结 does something: a verb after the 的)
_WHO_CLAUSE = re.compile(
    r"^对[^，。；]{2,}的(?![^，。；]*(?:进行|开展|实施|加强))[^，。；的]{1,12}$"
    r"|^对于?[^，。；]{2,}的$"  # 对于已经建成、需要办理移交手续的，…: the case a rule is for
    r"|^对[^，。；]{2,}(?:问题|情况|行为|现象)$"  # 对违反规定…等突出问题，要…
)
_IF = re.compile(r"的\s*$")  # a clause that ends in 的 before another: a condition


def _by(clause: str, t: Time) -> bool:
    """Whether time `t` of a clause is a date to finish by (2020年4月底前), not a horizon
    (到2025年), a span (2019年1月1日至…), a day something happens on or a time before which
    something was so (2008年以前)."""
    if t.kind != "deadline" or t.date is None:
        return False
    at = clause.find("前", t.end - 1, t.end + 1)
    return at > 0 and clause[at - 1] != "以"


# …，2019年2月底前完成 / 以上工作要在2019年2月底前完成: a date for the work already named
_FINISHED = r"(?:前|之前)?\s*(?:全部|全面)?(?:完成|办结|到位)"  # (a time before it)
_DONE_BY = re.compile(
    rf"^(?:原则上|力争|确保|均|都|在|于|{MODAL}|[{MASK}\s])*{_FINISHED}[{MASK}\s]*$"
)
_WORK_DONE_BY = re.compile(
    rf"(?:以上|上述|前述|上列)(?:各项)?(?:工作|任务|事项)(?:均|都)?{MODAL}?(?:在|于)?{_FINISHED}"
)


def _spans(times: Sequence[Time]) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in times]


# 并报司法部备案, 报送…: a clause that hands in what the clause before it made
_REPORTS = re.compile(r"(?:并|同时)?(?:报|上报|报送)[^，。；]{0,20}(?:备案|审批|审定|批准)?$")


_DELIVER = re.compile(r"报|提交")  # what a dated clause after a milestone does
_AND_THEN = re.compile(r"并(?:积极|同步|逐步)?")  # …并申报…: a second task in the same clause
_UNCOUNTED = re.compile(r"一批|若干|一大批|一系列")


@dataclass
class Context:
    issued: dt.date | None
    resolver: Resolver
    origin: Origin | None = None  # where relative periods (3年内) count from


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
        self.sentence_start = self.sentence_end = 0
        self.condition = False  # the sentence states an eligibility rule (…的，可申请…)
        self.last: tuple[Scope, str] | None = None
        self.parameters: list[tuple[Clause, re.Match[str]]] = []  # numbers that are parameters
        # the starting figure of a goal (由60%提高到90%), by where the goal's number is in its clause
        self.baselines: dict[tuple[str, int], re.Match[str]] = {}

    def find(self, start: int, end: int, previous: tuple[Scope, str] | None = None) -> list[Found]:
        """The targets of text[start:end]; `previous` is a time an earlier paragraph of the same
        measure set (到2015年，…), which undated quantities here inherit; `self.last` is this
        paragraph's, for the next one."""
        found: list[Found] = []
        dated = 0  # found[:dated] were there when a sentence last dated the work before it
        sentences = split_spans(self.text, start, end, "。！？!?", quotes_only=True)
        for a, b in bounded(self.text, sentences):
            self.sentence_start, self.sentence_end = a, b
            self.condition = _CONDITION.search(self.text, a, b) is not None
            targets, scope = self.sentence(a, b)
            if not targets and scope.deadline and self._done_by_then(a, b, scope):
                # 以上工作要在…前完成。: the work since the last such sentence (each looked at once)
                self._date_undone(found[dated:], scope.deadline, self.text[a:b])
                dated = len(found)
            if previous is not None:  # quantities listed after 到2015年，…。 share its deadline
                for f in targets:  # in a goals paragraph (到2027年底，…。…) milestones too
                    t = f.target
                    kinds = ("quantity", "milestone") if self.goals else ("quantity",)
                    if t.kind in kinds and t.deadline is None and t.start is None:
                        _inherit(t, *previous)
            if scope.bare and scope.deadline is not None and scope.deadline.date is not None:
                previous = (scope, self.text[a:b])
            found += sorted(targets, key=lambda f: f.span)
        self.last = previous
        return found

    def sentence(self, a: int, b: int) -> tuple[list[Found], Scope]:
        scope = Scope()
        found: list[Found] = []
        prefix: tuple[int, int] | None = None
        bare: tuple[int, int] | None = None
        once = False
        for ca, cb in split_spans(self.text, a, b, "，；：,;:\t"):  # a tab parts table cells
            clause = self.text[ca:cb]
            subs = [
                g
                for g in paren_groups(clause)
                if _QUANTITY.search(clause, g[0], g[1]) and not _LABEL.match(clause, g[0] + 1)
            ]
            names = [q for q in quoted_spans(clause) if clause[q[0]] == "《" or _is_name(clause, q)]
            masked = mask(clause, subs + names)
            times = find_times(masked, self.ctx.origin)
            if times and TIME_FILLER.match(mask(masked, [(t.start, t.end) for t in times])):
                self._set_scope(scope, times, clause)
                scope.bare = True
                # 2020年4月底前，司法部对…进行督查: a date to finish by (not a horizon, 到2025年，…)
                # makes the clause it dates a deliverable
                once = scope.directive = scope.directive or any(_by(clause, t) for t in times)
                prefix = (ca, cb)
                continue
            # a calendar date (a standing rule's 应当在…20日内 is no deadline to track)
            who = times and "年" in times[0].text and SUBJECT_TIME.match(masked[: times[0].start])
            if who and TIME_FILLER.match(mask(masked, [(0, t.end) for t in times])):
                self._set_scope(scope, times, clause)  # 试点地区要于2019年12月底前，…
                scope.directive = True
                prefix = (ca, cb)
                continue
            if (
                not times
                and _IF.search(clause)
                and not _QUANTITY.search(masked)
                and self.text[cb:b].strip("，；：,;:\t。！？!? ")
            ):  # 发布信息涉及其他单位工作内容的，要提前…: the case what follows is for
                prefix = prefix or (ca, cb)
                bare = (prefix[0], cb)
                continue
            lead_time = times and (who or TIME_FILLER.match(masked[: times[0].start]))
            if lead_time:  # 2025年底前建成… / 各地区要于2019年3月底前制定…: to the sentence's end
                self._set_scope(scope, times[:1], clause[: times[0].end])
                # in a goals paragraph, 到2015年将广州建设成为…。 governs the goals after it too
                scope.bare = scope.bare or (self.goals and not who)
                scope.directive = scope.directive or bool(who)
            quote_start = prefix[0] if prefix else ca
            rest = mask(masked, [(0, times[0].end)] if who else _spans(times)) if times else ""
            if lead_time and _DONE_BY.match(rest.strip()):
                # 制定…实施办法，2019年2月底前完成 / …有关事项，请A、B等部门在2019年2月底前完成:
                # the date of what the sentence asked before
                if bare is not None:  # the clause before it asked for nothing of its own
                    span = (bare[0], cb)
                    t = self.milestone(span, times[:1], scope)
                    t.metric = _metric(self.text[bare[0] : bare[1]], [], t)
                    found.append(Found(t, span))
                else:
                    self._date_undone(found, times[0], clause)
                prefix = bare = None
                continue
            mine = self.clause(
                Clause(ca, cb, masked, tuple(times), scope, quote_start, tuple(subs))
            )
            if not mine and self._parallel(found, ca, cb):
                mine = [Found(self.milestone((ca, cb), times, scope), (ca, cb))]
            if lead_time and self._finishes(found, mine):  # …实施办法，于2018年12月31日前报送…
                span = (found[-1].span[0], cb)
                found[-1] = Found(self.milestone(span, times[:1], scope), span)
                mine = []
            elif self._reports(found, mine):  # 要于…前制定…实施方案，并报司法部备案
                span = (found[-1].span[0], mine[0].span[1])
                found[-1] = Found(self.milestone(span, (), scope), span)
                mine = []
            found += mine
            bare = (quote_start, cb) if not mine else None  # a clause that asked for nothing yet
            prefix = None
            if once:  # a date to finish by dates the clause after it, not the sentence's rest
                scope.directive = once = False
        return found, scope

    def _done_by_then(self, a: int, b: int, scope: Scope) -> bool:
        """A sentence that only dates the work before it: 以上工作要在2019年2月底前完成。"""
        if scope.deadline is None or scope.deadline.date is None:
            return False
        text = self.text[a:b].rstrip("。！？!? ")
        times = find_times(text, self.ctx.origin)
        return _WORK_DONE_BY.fullmatch(mask(text, _spans(times)).replace(MASK, "")) is not None

    @staticmethod
    def _date_undone(found: list[Found], time: Time, source: str) -> None:
        """Date the undated targets of `found` by `time`, a date to finish by the document
        writes after them (`source`, the words that say it), marked for review."""
        said = squeeze(source).strip("，。；")
        for f in found:
            t = f.target
            if t.deadline is None and t.start is None and time.date is not None:
                t.deadline, t.deadline_date = time.text, time.date
                t.deadline_reason = f"时限取自其后：{said}"
                t.review.append(f"本句未写时限，按其后“{said}”记为 {time.text}")

    def _finishes(self, found: list[Found], mine: list[Found]) -> bool:
        """A clause that only dates the milestone clause before it in the sentence (制定…实施办法，
        于2018年12月31日前报送…): one dated milestone after an undated one."""
        if len(mine) != 1 or not found or found[-1].span[0] < self.sentence_start:
            return False
        before, after = found[-1].target, mine[0].target
        return (
            before.kind == after.kind == "milestone"
            and before.deadline is None
            and after.deadline is not None
            and _DELIVER.search(after.quote) is not None
        )

    def _reports(self, found: list[Found], mine: list[Found]) -> bool:
        """A clause that only reports the milestone before it in the sentence (制定…实施方案，
        并报司法部备案), under the same deadline: part of that milestone."""
        if len(mine) != 1 or not found or found[-1].span[0] < self.sentence_start:
            return False
        before, after = found[-1].target, mine[0].target
        return (
            before.kind == after.kind == "milestone"
            and before.deadline == after.deadline
            and _REPORTS.match(after.quote) is not None
        )

    def _parallel(self, found: list[Found], a: int, b: int) -> bool:
        """A clause after ； that ends as the milestone clause before it does (…就地全程培养；
        其他县区…学生集中在…托管培养): the second half of a parallel pair, a milestone too."""
        if not found or found[-1].target.kind != "milestone" or b - a < 6:
            return False
        before = self.text[found[-1].span[0] : found[-1].span[1]].rstrip("。；;，, ")
        gap = self.text[found[-1].span[1] : a]
        return (
            gap.strip() in ("；", ";")
            and self.text[b - 2 : b] == before[-2:]
            and not _QUANTITY.search(self.text, a, b)
        )

    @staticmethod
    def _set_scope(scope: Scope, times: list[Time], source: str) -> None:
        for t in times:
            if t.kind == "start":
                scope.start = t
            else:
                scope.deadline = t
        scope.source = source.strip()

    def clause(self, c: Clause) -> list[Found]:
        clause = self.text[c.start : c.end]
        found: list[Found] = []
        for sa, sb in c.subs:  # （2025年拟新增专业1个）: a target of its own
            inner = c.inside(sa + 1, sb - 1, self.text, self.ctx.origin)
            inner_found = [m for m in _QUANTITY.finditer(inner.masked) if m["a"] != "一"]
            for m in self._targets_only(inner_found, inner):  # not （一个A、一个B）: an article
                found.append(self.quantity(m, inner, (inner.start, inner.end)))
        core = clause_core(c.masked.lstrip(MASK))
        before = len(self.parameters)
        quantities = self._targets_only(
            [m for m in _numbers(c.masked) if not c.subs or not in_spans(m.start(), c.subs)],
            c,
        )
        if quantities and _CONTEXT.match(core) and not _acts_before(c.masked, quantities[0]):
            if core.startswith("巩固"):
                t = self.milestone((c.quote_start, c.end), c.times, c.scope)
                t.review.append(
                    "句中数字（"
                    + "、".join(squeeze(q[0]) for q in quantities)
                    + "）似为已有成果，未作为数量目标"
                )
                found.append(Found(t, (c.quote_start, c.end)))
            return found
        end = c.end
        if c.subs and c.subs[-1][1] == len(clause.rstrip()):
            end = c.start + c.subs[-1][0]  # 撤销专业5个（…）: the quote stops before it
        if len(quantities) == 1:
            q = quantities[0]
            also = _AND_THEN.search(c.masked, q.end())  # 成立1个联合体并积极申报省级试点
            if also and self._is_milestone(c.masked[also.end() :]):
                span = (c.quote_start, end)
                found.append(Found(self.milestone(span, c.times, c.scope), span))
                end = c.start + also.start()
            found.append(self.quantity(q, c, (c.quote_start, end)))
        elif quantities:
            found += self.several(quantities, c)
        if len(self.parameters) > before and not quantities:
            return [*found, self._parameter(c, self.parameters[before:])]
        if not quantities:
            found += self._unquantified(c, core, end)
        return found

    def _unquantified(self, c: Clause, core: str, end: int) -> list[Found]:
        """A clause with no number: 全部…实现 (100%), a milestone, a dated state, or nothing."""
        clause = self.text[c.start : c.end]
        all_ = _ALL.search(c.masked)
        if all_ and not c.subs:
            return [self.everything(c, (c.quote_start, end), all_)]
        if _CONTEXT.match(core) or _WHO_CLAUSE.match(core):
            return []
        if m := _PROGRAMME_SIZE.search(c.masked):
            return [self.programme(c, (c.quote_start, end), m)]
        if self._is_milestone(clause):
            return self.milestones(c.quote_start, end, c.times, c.scope)
        if self._dated_state(c, clause):
            span = (c.quote_start, end)
            return [Found(self.milestone(span, c.times, c.scope), span)]
        return []

    def _dated_state(self, c: Clause, clause: str) -> bool:
        """到2015年，…转制社区居民享受均等化公共服务: a state to reach by a deadline the clause or
        its sentence sets, with no number: a dated milestone."""
        days = [t.date for t in c.times if t.kind == "deadline" and t.date]
        if not days and c.scope.deadline is not None and c.scope.deadline.date is not None:
            days = [c.scope.deadline.date]
        issued = self.ctx.issued
        if not days or (issued is not None and max(days) < issued):
            return False  # no deadline, or one before the document: a fact (2018年，…有所减少)
        if len(squeeze(strip_times(clause))) < 6:
            return False
        if any(clause.startswith("已", t.end) for t in c.times):
            return False  # 2018年12月31日之前已完成转制的企业: who qualifies, not work to do
        # a clause that dates itself (2020年4月底前，司法部对…进行督查) or follows a dated
        # directive (各地区要于…前，对…进行总结) is a deliverable whatever its verb
        if _STANCE.match(clause_core(clause)) or _GOES_ON.search(clause):
            return False  # 坚决防止形式主义, 确保…落到实处; 原有政策继续执行: no deliverable
        own = any(_by(clause, t) for t in c.times)
        return own or c.scope.directive or _STATE.search(clause) is not None

    def _parameter(self, c: Clause, params: list[tuple[Clause, re.Match[str]]]) -> Found:
        """A clause whose numbers are policy parameters: one milestone (the rule is in force, the
        standard raised…), flagged so the reviewer keeps or deletes it."""
        span = (c.quote_start, c.end)
        t = self.milestone(span, c.times, c.scope)
        values = "、".join(squeeze(m[0]) for _, m in params)
        t.review.append(f"政策参数（{values}），未作为数量目标；如无需跟踪请删除")
        return Found(t, span)

    def _targets_only(self, quantities: list[re.Match[str]], c: Clause) -> list[re.Match[str]]:
        """The quantities that can be goals: not a policy parameter (a subsidy rate, a cap, an
        age bracket: kept in `self.parameters` for the measure's note), not a definite set named
        by a small Chinese numeral (向两个新城区, 三类人员的…, A、B和C三类)."""
        kept = []
        for i, m in enumerate(quantities):
            if i + 1 < len(quantities) and _QUALIFIER.match(c.masked, m.end()):
                continue  # 1万名老人以上的街（镇）各建有1个: the number picks who, the next one is the goal
            if i + 1 < len(quantities) and _starts_from(c.masked, m, quantities[i + 1]):
                self.baselines[c.masked, quantities[i + 1].start()] = m
                continue  # 由60%提高到90%, 将24项…调整增加为30项: where it starts, not the goal
            if m["half"] and not _SHARE_OF.search(c.masked, 0, m.start()):
                continue  # 须经半数以上同意, 一半以上的资金用于…: a rule, not a share to reach
            if _sizes_up(c.masked, m, quantities):
                continue  # 培育5家以上年销售收入过百亿元…企业: the figure picks which, 5家 is the goal
            if (m["unit"] or m["unit2"]) == "元" and _MONEY_QUALIFIER.match(c.masked, m.end()):
                self.parameters.append(
                    (c, m)
                )  # 单户担保金额500万元及以下的小微企业: who, not a goal
                continue
            if _is_article(c.masked, m):
                continue  # 打造一支…队伍, 走出一条…道路: 一 as an article, no count to reach
            if _sizes_project(c.masked, m):
                continue  # 红海湾200万千瓦海上风电项目, 两台百万千瓦煤电项目: which project, its size
            sentence = self.text[self.sentence_start : self.sentence_end]
            down = _BROUGHT_DOWN.search(c.masked, 0, m.start()) is not None
            if not down and (_is_parameter(c.masked, m, self.condition) or _is_fee(sentence, m)):
                self.parameters.append((c, m))
            elif not _is_definite_set(c.masked, m):
                kept.append(m)
        return kept

    def milestones(self, a: int, b: int, times: Sequence[Time], scope: Scope) -> list[Found]:
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
    def quantity(self, m: re.Match[str], c: Clause, span: tuple[int, int]) -> Found:
        """One quantity target: `m` matched `c.masked`; `span` is the quote's, in the paragraph."""
        value = _figure(m)
        word = m["unit"] or m["unit2"]
        unit = "%" if _is_share(m) or word in ("%", "％") else word
        value_max = number(m["b"]) if m["b"] else None
        if m["scale"] and unit is None:  # 人数24万以上: the unit is the counted noun's, if any
            unit = "人" if "人" in c.masked[max(0, m.start() - 8) : m.start()] else None
        if m["scale"] and unit is None:
            unit = m["scale"]  # 24万 of something unnamed: kept as written
        elif m["scale"]:  # 1万名 -> 10000 名, 5亿元 -> 500000000 元, 24万 -> 240000 人
            factor = _SCALES[m["scale"]]
            value = _scaled(value, factor)
            value_max = _scaled(value_max, factor) if value_max is not None else None
        comparator, maintain, words = _comparator(c.masked, m, value_max is not None)
        if (note := _UNIT_NOTE.match(c.masked, m.end())) is not None:
            words.append(note[0])  # 2000艘（台、套）: the other units leave the metric too
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
            t.review.append(f"“一{word}”可能只是泛指，请确认是否为数量目标")
        start = self.baselines.get((c.masked, m.start()))
        if start is not None:
            base, written = _figure(start), start[0]
            if comparator in ("<=", "<"):  # a ceiling measures the way down from it
                t.baseline = base
            t.info.append(f"原文起点为 {written}，非目标值")
            words.append(written)
        # not the figure itself read as a period (压缩至5个工作日以内 is no deadline)
        times = [x for x in c.times if x.end <= m.start() or x.start >= m.end()]
        self._times(t, times, c.scope, quote)
        self._each(t, c.start, m.start())
        t.metric = _metric(quote, [m[0], *words], t)
        if start is not None:  # 示例覆盖率由…提高到 -> 示例覆盖率
            t.metric = _CHANGE_WORDS.sub("", t.metric) or t.metric
        return Found(t, span)

    def several(self, quantities: list[re.Match[str]], c: Clause) -> list[Found]:
        """Several numbers in one clause: each takes the part around it between 、 and quote marks."""
        found: list[Found] = []
        respectively = _RESPECTIVELY.search(c.masked, 0, quantities[0].start())
        if respectively:  # 参保率分别达到95%和98%: every value, one quote, one comparator
            subject = squeeze(strip_times(self.text[c.start : c.start + respectively.start()]))
            items = subject.split("、")
            found = [self._respectively(m, c, quantities[0]) for m in quantities]
            for i, f in enumerate(found):  # 花生种植、收获机械化率（收获机械化率）
                named = len(items) == len(found) and len(subject) >= 3
                f.target.metric = (
                    f"{subject}（{items[i]}）" if named else subject or f.target.metric
                )
            return found
        starts = {m.start() for m in quantities}
        cuts = [m.start() for m in _CUT.finditer(c.masked)]
        # 6~8所A和10~12所B: 和/及 right before a number parts the clause too
        cuts += [m.start() for m in _AND.finditer(c.masked) if m.end() in starts]
        bounds = [-1, *sorted(cuts), len(c.masked)]
        for m in quantities:
            left = bounds[bisect.bisect_left(bounds, m.start()) - 1] + 1
            right = bounds[bisect.bisect_left(bounds, m.end())]
            part = c.part(left, right)
            span = trim(self.text, part.start, part.end)
            # found again in its part by the pattern that found it (a duration, 8大体系, 一半…)
            shifted = m.re.match(part.masked, m.start() - left)
            if shifted is None:  # the part starts right at the number: no look-behind context
                shifted = m.re.search(part.masked, m.start() - left)
            if shifted is None:  # what made it a quantity lies outside its part: read in the clause
                found.append(self.quantity(m, c, span))
                continue
            found.append(self.quantity(shifted, part, span))
        # the parts without a number that set something up: 培育…品牌
        covered = [f.span for f in found]
        for left, right in itertools.pairwise(bounds):
            a, b = trim(self.text, c.start + left + 1, c.start + right)
            if (
                a < b
                and not any(x <= a < y for x, y in covered)
                and self._is_milestone(self.text[a:b])
                and not _QUANTITY.search(self.text, a, b)
                and b - a >= 6
            ):
                found.append(Found(self.milestone((a, b), (), c.scope), (a, b)))
        quoted = quoted_spans(c.masked)
        if all(in_spans(m.start(), quoted) for m in quantities) and self._is_milestone(
            mask(c.masked, quoted)
        ):
            span = (c.start, c.end)
            found.insert(0, Found(self.milestone(span, c.times, c.scope), span))
        return found

    def _respectively(self, m: re.Match[str], c: Clause, first: re.Match[str]) -> Found:
        f = self.quantity(m, c, (c.quote_start, c.end))
        if m is not first:
            lead = self.quantity(first, c, (c.quote_start, c.end)).target
            f.target.comparator, f.target.maintain = lead.comparator, lead.maintain
        f.target.review.append("“分别”：各数值分属前面列出的对象，请按对象拆分指标名称")
        return f

    def everything(self, c: Clause, span: tuple[int, int], m: re.Match[str]) -> Found:
        """全部专业实现… -> 100% of them."""
        quote = self._quote(span)
        t = DraftTarget(
            id="", kind="quantity", metric="", quote=quote, comparator="=", value=100, unit="%"
        )
        t.review.append("“全部”记为 100%")
        self._times(t, c.times, c.scope, quote)
        self._each(t, c.start, m.start())
        t.metric = _metric(quote, ["全部"], t) + "的比例"
        return Found(t, span)

    def programme(self, c: Clause, span: tuple[int, int], m: re.Match[str]) -> Found:
        """三年百万青年见习计划: a programme named by its size and its years -> about that many,
        due when the years counted from its start (the clause's 从2019年1月1日起) run out."""
        quote = self._quote(span)
        person = re.search(r"人|青年|学生|农民|工|者|员|才|家庭|户", m["who"])
        t = DraftTarget(
            id="",
            kind="quantity",
            metric=squeeze(m[0]),
            quote=quote,
            comparator="approx",
            value=_MAGNITUDE[m["mag"]],
            unit="人" if person else "个",
        )
        years = number(m["n"])
        start = next((x for x in c.times if x.kind == "start" and x.date), None) or (
            c.scope.start if c.scope.start and c.scope.start.date else None
        )
        if start is not None and start.date is not None:
            due = period_end(start.date, int(years), "年") - dt.timedelta(days=1)
            t.start, t.deadline, t.deadline_date = start.text, due.isoformat(), due
            t.deadline_reason = f"原文“{squeeze(m[0])}”，自{start.text}起算{m['n']}年"
        t.review.append(f"数量与时限取自计划名称“{squeeze(m[0])}”，请核对")
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
        # the set is named shortly before the number: a bounded window keeps long sentences linear
        window = max(self.sentence_start, clause_start - _EACH_WINDOW)
        each = list(_EACH.finditer(self.text, window, clause_start + at))
        if each:
            t.each = each[-1][0]
            t.review.append(f"按“{t.each}”记为对每个对象分别考核")

    # --- milestones ----------------------------------------------------------------------------
    def _is_milestone(self, clause: str) -> bool:
        outside = mask(clause, quoted_spans(clause))
        core = clause_core(outside.strip())
        return not _CONTEXT.match(core) and bool(MILESTONE_VERB.search(outside))

    def milestone(self, span: tuple[int, int], times: Sequence[Time], scope: Scope) -> DraftTarget:
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
        a, b = trim(self.text, *span)
        while self.text.startswith(("并", "同时"), a) and b - a > 8:
            a += 1 if self.text[a] == "并" else 2
        while b > a and self.text[b - 1] in "，、；,;：:":
            b -= 1
        return self.text[a:b]

    def _times(self, t: DraftTarget, times: Sequence[Time], scope: Scope, quote: str) -> None:
        own_deadline = next((x for x in times if x.kind == "deadline"), None)
        own_start = next((x for x in times if x.kind == "start"), None)
        deadline = own_deadline or scope.deadline
        start = own_start or scope.start
        if deadline is not None and deadline.date is None:  # 3年内 with no start: not a date
            t.deadline_reason = f"原文时限“{deadline.text}”无法换算为日期"
            t.review.append(deadline.review or f"时限“{deadline.text}”无法换算为日期，请补填")
        elif deadline is not None:
            t.deadline, t.deadline_date = deadline.text, deadline.date
            if deadline.begins and start is None:
                t.start = deadline.begins
            if deadline.review:
                t.review.append(deadline.review)
            if deadline.reason:
                t.deadline_reason = deadline.reason
            elif own_deadline is None and squeeze(scope.source) not in squeeze(quote):
                t.deadline_reason = f"时限取自同句开头：{squeeze(scope.source)}"
        if start is not None and start.date is not None:
            t.start = start.text


# words that make a number a policy parameter: subsidies, caps, rates, eligibility
_PARAMETER = re.compile(
    r"补贴|补助|贴息|奖补|资助|报销|限额|额度|上限|收入线|准入|费率|税率|返还|缴纳|缴费|贷款|"
    r"可申请|可按|最高|最长|最低工资|按[^，。；]{0,24}(?:比例|标准)|(?:补贴|补助|奖补|返还|收费|缴费|救助|供养|资助|奖励|发放)标准|"
    r"奖励|给予|每达|每满|原则上不超过|单个"
)
_STANCE = re.compile(r"(?:坚决|严禁|防止|杜绝|避免|务求)")
_GOES_ON = re.compile(r"继续(?:执行|实施|有效|适用|经营)|落到实处|取得实效|见到实效")
_REQUIRED = re.compile(r"(?:且|并)(?:需|须|应)[^，。；]{0,16}$")
_USUALLY = re.compile(r"一般|最长|最短|原则上|通常")
_CONDITION = re.compile(r"的，\s*(?:可|给予|按|享受)")  # …达到25%的，可申请…: an eligibility rule
_PREPOSITION = re.compile(r"(?:向|对|在|为|把|将|于|从|按|与|利用|围绕|聚焦)")
_GOAL_VERB = re.compile(
    r"建|设|培|打造|新增|完成|达到|开发|招|增加|提高|实现|举办|开展|形成|组建|认定|遴选|创建|扶持"
)
_CN_SMALL = set("一二两三四五六七八九十")
_MAKES = re.compile(  # (a verb that makes what the list names, near the list's head)
    r"[^，；、]{0,4}?(?:建|设|培育|打造|新增|完成|开发|形成|组建|创建|完善|健全|构建|推出|引进|"
    r"推进|实施|开工)"
)


def _is_parameter(masked: str, m: re.Match[str], condition: bool) -> bool:
    if (m["unit"] or m["unit2"]) == "岁" and (m["b"] or not _BEFORE.search(masked[: m.start()])):
        return True  # 16—24岁失业青年, 0~3岁幼儿: an age bracket, not a goal
    if condition:
        return True
    if _PARAMETER.search(masked) and _REQUIRED.search(masked, 0, m.start()):
        return True  # 补助不超过2万元且需单个充电桩功率不低于40千瓦: who may have the subsidy
    unit = m["unit"] or m["unit2"]
    if unit in ("工作日", "个工作日") and _USUALLY.search(masked, 0, m.start()):
        return True  # 审核时间一般不少于5个工作日，最长不超过15个工作日: a procedure's rule
    if unit in ("%", "％") and masked.startswith("用于", m.end()):
        return True  # 服务费的80%用于薪酬分配，20%用于…: how a sum is shared out
    money_or_rate = unit in ("元", "万元", "%", "％", "倍", "个百分点") or _is_share(m)
    # 选拔资助200名…, 培养资助…不少于400名: a count of people or things is a goal even where the
    # sentence mentions 资助/补贴; a sum or a rate there is the policy's parameter
    return money_or_rate and _PARAMETER.search(masked) is not None


def _is_article(masked: str, m: re.Match[str]) -> bool:
    """一 written in Chinese with no comparator and no range (一支队伍, 一条道路, 一个平台): an
    article, not a count; a count of one is written 1个 or comes with 至少/以上."""
    if m["a"] != "一" or m["b"] or m["scale"]:
        return False
    if masked[m.end() : m.end() + 3].startswith(tuple(s for s, _ in _AFTER)):
        return False
    before = masked[max(0, m.start() - 10) : m.start()]
    # (每个镇有一个…公园: one per member, a count)
    return not re.search(
        r"(?:不少于|至少|不低于|不超过|达到|超过|各|约)[^，。；、]{0,4}$|每[^，。；、]{1,8}$",
        before,
    )


_CAPACITY = frozenset({"千瓦", "千瓦时", "千伏安", "兆瓦", "兆瓦时", "台", "吨"})
_PROJECT_AFTER = re.compile(r"[^，。；、\d]{0,12}?(?:项目|电厂|电站|机组)")


def _sizes_project(masked: str, m: re.Match[str]) -> bool:
    """A capacity right before the project it names, after the project's owner or place
    (红海湾200万千瓦海上风电项目, 海丰电厂两台百万千瓦…项目): its size, no goal; after a verb
    (建成投产300万千瓦光伏发电项目, 新开工200万千瓦…, 完成100台锅炉改造项目) it is the goal."""
    return (
        (m["unit"] or m["unit2"]) in _CAPACITY
        and bool(_PROJECT_AFTER.match(masked, m.end()))
        and not _DOES.search(masked, max(0, m.start() - 4), m.start())
    )


_DOES = re.compile(
    r"(?:投产|开工|建成|完成|新增|新建|建设|改造|实施|推进|累计|淘汰|更新|安装|并网)$"
)


_MONEY_QUALIFIER = re.compile(r"(?:及)?(?:以上|以下)?的")
# 年销售收入过百亿元, 产值超10亿元: a size over a threshold that picks the enterprises counted
# right beside it (5家以上年销售收入过百亿元…, 产值超百亿元企业10家)
_SIZE_OF = re.compile(r"(?:收入|产值|营收|销售额|营业额|规模|资产|市值|税收)(?:超过|过|超)\s*$")
_COUNTED = frozenset({"家", "个", "户", "所", "座", "项"})
_COUNTED_THEN = re.compile(r"(?:及)?(?:以上)?[^，；、。\d]{0,8}$")  # 5家以上年销售收入过…
_THEN_COUNTED = re.compile(r"[^，；、。\d]{0,6}$")  # …超百亿元企业10家


def _sizes_up(masked: str, m: re.Match[str], quantities: list[re.Match[str]]) -> bool:
    """Whether money `m` is the size of the things a quantity right beside it counts."""
    if (m["unit"] or m["unit2"]) != "元":
        return False
    if _SIZE_OF.search(masked, max(0, m.start() - 8), m.start()) is None:
        return False
    for q in quantities:
        if q is m or (q["unit"] or q["unit2"]) not in _COUNTED:
            continue
        if q.end() <= m.start() and _COUNTED_THEN.match(masked[q.end() : m.start()]):
            return True
        if q.start() >= m.end() and _THEN_COUNTED.match(masked[m.end() : q.start()]):
            return True
    return False


_FEES = re.compile(r"收费|费率|利率|担保费|保费|税率|手续费")


# 逐步将平均担保费率降至1%以下: a rate or fee brought down to a level is a goal, not the rate charged
_BROUGHT_DOWN = re.compile(rf"(?:{'|'.join((*_LOWERED_TO, '压降至', '压降到', '降到'))})\s*$")


def _is_fee(sentence: str, m: re.Match[str]) -> bool:
    """再担保业务收费，原则上不高于…的0.5%: a rate or a sum in a sentence about fees is a parameter."""
    unit = m["unit"] or m["unit2"]
    rate_or_sum = unit in ("元", "%", "％") or _is_share(m)
    return rate_or_sum and _FEES.search(sentence) is not None


def _is_definite_set(masked: str, m: re.Match[str]) -> bool:
    """两个新城区, 三类人员: a small Chinese numeral naming a known set, not a count to reach;
    and in any numerals the count of the list before it (北京、吉林…贵州10个省, …等6类群体)."""
    if not m["a"] or m["b"]:
        return False
    before = masked[: m.start()]
    head = before[: before.find("、")] if "、" in before else before
    makes = _MAKES.match(clause_core(head.lstrip(MASK))) is not None  # the verb opens the list
    goal = makes or masked.startswith(("以上", "及以上"), m.end())
    if set(m["a"]) <= _CN_SMALL and re.match(r"“[^”]{1,4}”", masked[m.end() :]):
        return True  # 抓好四个“注重”: how many slogans, no count to reach (100名“羊城学者” is one)
    if before.endswith("等"):  # 低保、孤儿…等6类困难群体, 市卫生健康委等4部门: how many were
        # listed; but 建成A、B、C等3个平台 and 引进A、B等10家以上企业 are goals
        return not goal
    parts = before.split("、")
    if len(parts) >= 3 and number(m["a"]) == len(parts) and all(len(x) <= 6 for x in parts[1:]):
        # 机构、编制、人员、经费四个到位; 北京、吉林、…、贵州10个省: the list, counted; but
        # 新建A、B、C3所学校 is a goal
        return not (goal and m["a"][0].isdigit())
    if not set(m["a"]) <= _CN_SMALL or re.search(r"每[^，。；、]{1,8}$", before):
        return False  # (每个镇有一个…公园: one for each, a count)
    left = max(before.rfind("、"), before.rfind("，"))
    right = masked.find("、", m.end())
    if "、" in masked[: m.start()] and 0 <= right - left <= 8:
        return True  # 跳台滑雪、冬季两项、速度滑冰: a name in a list, not a count
    prep = list(_PREPOSITION.finditer(before))
    if prep and not _GOAL_VERB.search(before, prep[-1].end()):
        return True  # 向两个新城区…配置
    if re.match(r"[^，。；、]{0,6}的", masked[m.end() :]):
        return True  # 落实三类人员的监管措施
    return "、" in before and "和" in before[before.rfind("、") :]  # A、B和C三类人员


def _is_name(clause: str, span: tuple[int, int]) -> bool:
    """A short quoted phrase with a number in it is a name or a slogan (“五个一”, “发现1户、解决1户”,
    “四个全面”), not a target."""
    a, b = span
    if re.fullmatch(r".十[一二三四五六]?五.", clause[a:b]):
        return False  # “十四五”: a plan period, read by the time finder
    if (b - a <= 14 and _QUANTITY.search(clause, a, b) is not None) or bool(
        re.search(r"[一二两三四五六七八九十百千万\d]", clause[a:b]) and b - a <= 8
    ):
        return True
    # a longer one names categories (“公益一类财政供给、公益二类绩效管理”) unless it states a goal
    return (
        b - a <= 32
        and bool(_CATEGORY.search(clause, a, b))
        and not _GOAL_WORDS.search(clause, a, b)
    )


# （以下统称“三项制度”）, （简称“两个中心”）: a name the document gives, not a target
_LABEL = re.compile(r"(?:以下|下文)?(?:简称|统称|称)")
_CATEGORY = re.compile(r"[一二三四五六七八九十][类级档星]")
_GOAL_WORDS = re.compile(r"达到|以上|不少于|不低于|超过|至少|以内|不超过|左右|提高|增加|减少")
_WINDOW = 60  # characters before a number where its comparator word may stand
_EACH_WINDOW = 120  # characters before a clause where 每个X / 各X may name the set
_CUT = re.compile(r"[、“”，；]")  # ，；only occur inside quotes here: a clause is split on them
_QUALIFIER = re.compile(r"[^\d，。；、]{0,4}?(?:以上|以下|及以上)?的")
_AND = re.compile(r"(?:以及|和|及)")
_RESPECTIVELY = re.compile(r"分别")


def _inherit(t: DraftTarget, scope: Scope, sentence: str) -> None:
    """An undated target (a quantity or a milestone) after a dated sentence of its paragraph
    (到2015年，…。…6%以上。) takes that deadline, marked for review with the sentence it came from."""
    assert scope.deadline is not None
    t.deadline, t.deadline_date = scope.deadline.text, scope.deadline.date
    source = squeeze(sentence)
    source = source if len(source) <= 40 else source[:40] + "…"
    t.deadline_reason = f"时限取自本段前文：{source}"
    t.review.append(f"本句未写时限，按本段前文“{squeeze(scope.source)}”记为 {scope.deadline.text}")


# 三年百万青年见习计划: a programme named by how many it reaches in how many years (a single
# magnitude: 百千万工程 names tiers, not a count)
_PROGRAMME_SIZE = re.compile(
    r"(?P<n>[一二两三四五六七八九十]|\d{1,2})年(?P<mag>十万|百万|千万)"
    r"(?P<who>[\u4e00-\u9fff]{1,8}?)(?:计划|行动|工程)"
)
_MAGNITUDE = {"十万": 100_000, "百万": 1_000_000, "千万": 10_000_000}
# 轮候时间不超过5年, 办结时限压缩至3个工作日: a duration is a target only right after a bound
_DURATION = re.compile(
    r"(?<=不超过|不少于|控制在|缩短到|缩短至|不多于|不低于|不高于|压缩至|压缩到|缩减至|减少到)\s*"
    rf"(?P<pct>\b\B)?(?P<half>\b\B)?(?P<half2>\b\B)?(?P<scale>\b\B)?(?P<unit>\b\B)?"
    rf"(?P<a>\d{{1,3}}(?:\.\d+)?|{_QNUM})"
    rf"(?:\s*(?:—{{1,2}}|–|-|－|~|～|至|到)\s*(?P<b>{_QNUM}))?"
    r"\s*(?P<unit2>个工作日|工作日|个月|年|天|小时|分钟)(?![内底前后起])"
)
# 8大体系, 3大平台: a count of named systems (arabic digits only: 五大工程 is a slogan)
_BIG = re.compile(
    r"(?<![\d.第前每])(?P<pct>\b\B)?(?P<half>\b\B)?(?P<half2>\b\B)?(?P<scale>\b\B)?"
    r"(?P<unit>\b\B)?(?P<a>\d{1,2})(?P<b>\b\B)?"
    r"(?P<unit2>大(?:体系|工程|行动|平台|类|产业|中心|板块|领域|任务|基地|功能区|片区))"
)


def _numbers(masked: str) -> list[re.Match[str]]:
    """The quantities of a clause: counted things, durations after a bound, 8大体系."""
    found = list(_QUANTITY.finditer(masked))
    if "大" in masked:
        found += _BIG.finditer(masked)
    if any(w in masked for w in ("不", "控制在", "缩", "压缩", "减少")):
        found += _DURATION.finditer(masked)
    if len(found) < 2:
        return found
    found.sort(key=lambda m: m.start())
    return [m for i, m in enumerate(found) if i == 0 or m.start() >= found[i - 1].end()]


_SCALES = {"万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}


def _scaled(value: float | int, factor: int) -> float | int:
    out = value * factor
    return int(out) if float(out).is_integer() else out


_UNIT_NOTE = re.compile(r"[（(][^（）()，。；]{1,6}[）)]")  # 2000艘（台、套）: other units counted


def _comparator(masked: str, m: re.Match[str], is_range: bool) -> tuple[str, bool, list[str]]:
    """(comparator, maintain, the words that said so) for the quantity `m` in its clause."""
    after = masked[m.end() : m.end() + 4]
    if (note := _UNIT_NOTE.match(masked, m.end())) is not None:  # 100台（套）以上
        after = masked[note.end() : note.end() + 4]
    window = masked[max(0, m.start() - _WINDOW) : m.start()]  # bounded: long clauses stay linear
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


_TIME = "\ue001"  # where a time was, in a metric being made
_WHO_THEN = re.compile(rf"[^{_TIME}]{{2,30}}?{MODAL}\s*(?:于|在)\s*{_TIME}[前内]?")
_WHEN_LEFT = re.compile(rf"\s*(?:于|在)\s*(?={_TIME})")  # 要于 / 请各区于 / 应当在 + a time
_METRIC_NOISE = re.compile(
    r"^(?:力争|积极|到|至|并|从|自|其中|[，、；])+|原则上|(?:的|(?<!人)均|都)$"
)


def _metric(quote: str, remove: list[str], t: DraftTarget) -> str:
    """What is counted or done, in the document's words: the quote without the number and time."""
    text = quote
    if (t.deadline or t.start) and "，" in text:
        first = strip_times(text.split("，")[0], _TIME)
        if TIME_FILLER.match(first.replace(_TIME, "")) or _WHO_THEN.fullmatch(first):
            text = text.split("，", 1)[1]  # 力争到2025年底，… / 各地区要于…前，… -> …
    if "，" in text and _IF.search(text.split("，")[0]) and not t.deadline:
        text = text.split("，", 1)[1]  # 符合条件的，可建立工作站 -> 可建立工作站
    # the 于 or 在 a date leaves: 各地区要于2019年3月底前制定… -> 各地区要制定…
    text = _WHEN_LEFT.sub("", strip_times(text, _TIME)).replace(_TIME, "")
    for word in remove:
        text = text.replace(word, "", 1)
    text = _METRIC_NOISE.sub("", squeeze(text).strip("，、；：,;: "))
    if len(text) < 3:
        t.review.append(f"指标名称“{text or quote}”不完整，请补全")
        return squeeze(quote)
    return text
