"""Stage 5b, triage: which of a measure's milestones a clerk tracks, and which ones only the
reviewer sees, as candidates.

A target is something one can later check: a number reached, a date met, or a thing that exists
once it is done (设立…分院, 建立…机制, 制定…方案, 签订…协议, 举办…比赛) or a state reached
(实现…, 形成…). A policy document also describes the work around its targets: 开展培训, 推动…,
完善…制度, 加强…合作, 深化…. Such a clause, with no date and no number, never becomes "done";
drafted as a target it is a line every reviewer deletes. So it is not drafted: the measure's
needs-review note lists it, verbatim, as a candidate the reviewer may promote to a target.

What decides is the verb that governs the clause (the first one, after adverbs such as 积极,
进一步, 鼓励, 支持): a verb that sets something up keeps the milestone, a verb of ongoing work
makes it a candidate. An ongoing verb still names a checkable thing when it holds a named activity
or body (开展“职业教育活动周”, 参与“全国…共同体”建设), or when it is a light verb carrying a
programme or a setting-up (实施…提高计划, 开展…认定工作, 推动A与B建立合作机制).

Milestones that carry a deadline, their own units (由X负责…) or a review note of their own are
always kept: each says something the reviewer must see.
"""

from __future__ import annotations

import re

from .clauses import mask, quoted_spans
from .draft import CANDIDATES, DraftMeasure, DraftTarget
from .quantities import MILESTONE_VERB, clause_core

# verbs of ongoing work or of improvement: nothing to check as done without a date or a number
_ONGOING = re.compile(
    r"开展|推动|推进|推行|实施|实行|完善|健全|加强|深化|坚持|落实|发挥|促进|强化|优化|"
    r"提升|提高|规范|参与|确保|调动|协调|争取|跟进|延伸|配置|细化|聘请|选聘|引导|拓展|加大"
)
# after 开展/参与: a named activity or body (“…”) is one thing that happens or is joined
_NAMED = re.compile(r"开展|参与")
# a light verb whose object is a programme or a setting-up: 实施…推进行动, 开展…认定工作,
# 加强…改革试点建设: the object is the milestone
_LIGHT = re.compile(r"开展|实施|推进|推动|加强|引导")
_DEFINITE_OBJECT = re.compile(
    r"(?:建设|认定|试点|计划|工程|行动|项目|评估|普查|排查|调查)(?:工作)?$"
)
# …or a clause that sets something up on a day: 推动A与B建立合作机制
_SETS_UP = re.compile(r"建立|设立|成立|组建|签订|签署|制定|制订|出台|印发|发布|启动|举办")


def is_candidate(t: DraftTarget) -> bool:
    """An undated milestone about ongoing work, with nothing of its own for a reviewer to see."""
    if t.kind != "milestone" or t.deadline or t.start or t.units is not None or t.review:
        return False
    return _governed_by_ongoing(t.quote)


def _governed_by_ongoing(quote: str) -> bool:
    outside = mask(quote, quoted_spans(quote))
    text = clause_core(outside.strip())  # a suffix of the quote: adverbs and context cut off
    at = len(outside) - len(outside.lstrip()) + len(outside.strip()) - len(text)
    ongoing = _ONGOING.search(text)
    setup = MILESTONE_VERB.search(text)  # it also holds 开展, 实施, 完善…机制: a tie is ongoing
    if ongoing is None or (setup is not None and setup.start() < ongoing.start()):
        return False
    rest = quote[at + ongoing.end() :]
    if _NAMED.fullmatch(ongoing[0]) and "“" in rest:
        return False
    definite = _DEFINITE_OBJECT.search(rest.rstrip("等")) or _SETS_UP.search(rest)
    if ongoing[0] == "引导" and "参与" in rest:
        return True  # 引导企事业单位参与…标准制定: guided to take part, no setting-up of its own
    return not (_LIGHT.fullmatch(ongoing[0]) and definite)


def set_aside(measure: DraftMeasure, targets: list[DraftTarget]) -> list[DraftTarget]:
    """The targets to draft, in order; the candidates go to `measure.candidates` and are listed
    in its review note."""
    aside = [is_candidate(t) for t in targets]
    measure.candidates = [t for t, out in zip(targets, aside, strict=True) if out]
    if measure.candidates:
        measure.review.append(_note(measure.candidates))
    return [t for t, out in zip(targets, aside, strict=True) if not out]


def _note(candidates: list[DraftTarget]) -> str:
    """The candidates numbered, each quoted exactly as the document writes it, so that one can
    be promoted to a target by copying its quote."""
    listed = "；".join(f"（{i}）{t.quote}" for i, t in enumerate(candidates, 1))
    return (
        f"以下 {len(candidates)} 处为持续性工作，无完成时限和数量，{CANDIDATES}：{listed}；"
        "如需跟踪，请以原文为 quote 增列里程碑"
    )
