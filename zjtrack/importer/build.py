"""Stage 6: outline nodes -> measures with their units and targets; the whole document -> a Draft."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..model import Unit
from .clauses import MAX_SENTENCE, split_spans
from .draft import (
    MISSING,
    Draft,
    DraftDocument,
    DraftMeasure,
    DraftTarget,
    Member,
    Units,
    WorkGroup,
)
from .header import city_of, clean_id, default_id, read_header
from .layout import DATE_LINE, TAIL
from .outline import Block, Node, join_paragraphs, outline
from .quantities import Context, Found, TargetFinder
from .source import check_limits, normalize_newlines, squeeze, strip_invisible
from .tables import Row, apply_table, lines_of, row_units, task_table, tasks
from .times import Origin, Scope, origin_of, when
from .triage import set_aside
from .units import (
    Resolver,
    duty_runs,
    first_leads_rule,
    merge_units,
    parse_unit_text,
    prose_leads,
    union_units,
)

_GOALS = re.compile(r"总体要求|目标任务|目标$")  # 总体要求, 主要目标, 工作目标, 活动目标
_SAFEGUARDS = re.compile(r"保障措施|保障机制|组织保障|组织实施|工作保障|实施保障")


@dataclass
class Rules:
    """Document-wide rules that change how unit lines read."""

    first_leads: str | None = None  # 列第一位者为牵头单位, verbatim


def build_measure(  # noqa: C901 - one branch per clause layout; to be split by the importer work (issue 15)
    node: Node,
    mid: str,
    section: str | None,
    ctx: Context,
    rules: Rules,
    inherited: Units | None = None,
    inherited_from: str | None = "单位取自所在部分的单位行",  # the note it leaves (None: none)
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
    inline = [
        (b, start, end, units)
        for b in texts
        for start, end, units in duty_runs(b.text, b.start, rules.first_leads)
    ]
    inline_groups = [u for _, _, _, u in inline if u is not None]
    per_paragraph = len(inline_groups) > 1 or (inline_groups and not own.is_empty())
    if len(inline_groups) == 1 and own.is_empty():
        own = inline_groups[0]
    elif len(inline_groups) > 1 and own.is_empty():  # …（A负责）…（B、C负责）: all of them
        own = union_units(inline_groups)
        measure.info.append("措施内分句列明单位，各目标的单位取自其后的括注")
    found: list[tuple[Found, Block, Units | None]] = []
    previous = None  # 到2015年，… in one paragraph governs the quantities of the next ones
    # goals are stated in a goals measure, or in an item under a goals heading (一、发展目标 / 1.…)
    goals = kind == "goals" or bool(section and _GOALS.search(section))
    finders: dict[int, TargetFinder] = {}
    last_units = max((i for i, x in enumerate(inline) if x[3] is not None), default=len(inline))
    for i, (b, start, end, units) in enumerate(inline):
        finder = finders.setdefault(id(b), TargetFinder(b.text, ctx, goals=goals))
        here = finder.find(start, end, previous)
        if i > last_units and b is not inline[last_units][0]:
            for f in here:  # a closing paragraph after the last unit parenthesis names no one
                f.target.review.append("本段位于单位括注之后、未列单位，单位暂取自上文，请核对")
        found += [(f, b, units if per_paragraph else None) for f in here]
        previous = finder.last
    if own.is_empty() and inherited is not None and not inherited.is_empty():
        own = inherited
        if inherited_from is not None:
            measure.info.append(inherited_from)
    _apply_first_leads(own, rules, measure)
    measure.units = own
    for f, _, units in found:
        if units is not None:
            _apply_first_leads(units, rules, None)
            f.target.units = units
    measure.review += _unique(own.notes)
    for f, _, units in found:
        if units is not None and units is not own:
            f.target.review += _unique(units.notes)
    if own.is_empty():
        found += _prose(measure, found, texts, ctx)
        order = {id(b): i for i, b in enumerate(texts)}
        found.sort(key=lambda x: (order[id(x[1])], x[0].span))
    found = _set_aside_ongoing(measure, found)
    if not found and kind == "task" and not own.is_empty():
        found = _whole_measure(inline, ctx, measure.title)
    elif per_paragraph:  # …（A负责）…（B负责）: each parenthesis answers for some target
        found = _unanswered_runs(found, inline, texts, ctx, rules)
    measure.targets = [f.target for f, _, _ in found]
    for i, t in enumerate(measure.targets, 1):
        t.id = f"{mid}-{i}"
        _listed_deadline(t, t.units or own)
    _check_names(measure, ctx.resolver)
    if any(t.deadline is None for t in measure.targets):
        measure.deadline_reason = "文件未规定完成时限"
    return measure


def _listed_deadline(t: DraftTarget, units: Units) -> None:
    """An undated target under a unit line that gives the task's deadline (完成时限：2025年底前)
    takes it, marked for review; one zjtrack cannot read as a date (长期坚持) is its reason."""
    if t.deadline is not None or t.start is not None or not units.deadline_text:
        return
    text = units.deadline_text
    day = when(text)
    if day is None:
        t.deadline_reason = f"原文完成时限“{text}”"
        return
    t.deadline, t.deadline_date = text, day
    t.deadline_reason = f"时限取自单位行：完成时限：{text}"
    t.review.append(f"本句未写时限，按单位行“完成时限：{text}”记为 {text}")


def _set_aside_ongoing(
    measure: DraftMeasure, found: list[tuple[Found, Block, Units | None]]
) -> list[tuple[Found, Block, Units | None]]:
    """Undated milestones about ongoing work leave the targets for the measure's review note."""
    kept = {id(t) for t in set_aside(measure, [f.target for f, _, _ in found])}
    return [x for x in found if id(x[0].target) in kept]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _whole_measure(
    inline: list[tuple[Block, int, int, Units | None]], ctx: Context, title: str
) -> list[tuple[Found, Block, Units | None]]:
    """A measure someone answers for but with no target found: its text (up to its unit
    parenthesis, whole sentences within `MAX_SENTENCE`) becomes one milestone named by the
    measure's title, so the measure can be tracked at all, marked for the reviewer to split."""
    for b, begin, end, _ in inline:
        found = _whole_text(b, begin, end, ctx)
        if found is not None:
            if len(squeeze(title)) >= 3:
                found.target.metric = squeeze(title)
            found.target.review.append(
                "未找到数量目标或明确的里程碑，以措施正文记为一个里程碑，请核对或拆分"
            )
            return [(found, b, None)]
    return []


def _whole_text(b: Block, begin: int, end: int, ctx: Context) -> Found | None:
    """The text of b.text[begin:end] as one milestone: its whole sentences within
    `MAX_SENTENCE` (at least the first); None when it has no sentence."""
    sentences = split_spans(b.text, begin, end, "。！？!?；;", quotes_only=True)
    if not sentences:
        return None
    stop = next(
        (y for _, y in reversed(sentences) if y - sentences[0][0] <= MAX_SENTENCE),
        sentences[0][1],
    )
    span = (sentences[0][0], stop)
    return Found(TargetFinder(b.text, ctx).milestone(span, [], Scope()), span)


def _unanswered_runs(
    found: list[tuple[Found, Block, Units | None]],
    inline: list[tuple[Block, int, int, Units | None]],
    texts: list[Block],
    ctx: Context,
    rules: Rules,
) -> list[tuple[Found, Block, Units | None]]:
    """`found` with, for each run of text closed by a unit parenthesis that no target of
    `found` came from (大力推进商事制度改革，营造…环境。（甲局负责）), its text as one milestone
    under that parenthesis's units, marked for review: the units are not lost."""
    answered = {id(units) for _, _, units in found if units is not None}
    added: list[tuple[Found, Block, Units | None]] = []
    for b, begin, end, units in inline:
        if units is None or id(units) in answered:
            continue
        run = _whole_text(b, begin, end, ctx)
        if run is None:
            continue
        _apply_first_leads(units, rules, None)
        run.target.units = units
        run.target.review += _unique(units.notes)
        run.target.review.append(
            "本段未找到数量目标或明确的里程碑，以该段正文记为一个里程碑，请核对或拆分"
        )
        added.append((run, b, units))
    if not added:
        return found
    order = {id(b): i for i, b in enumerate(texts)}
    return sorted(found + added, key=lambda x: (order[id(x[1])], x[0].span))


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
                units = Units(
                    lead_units=lead.names,
                    supporting_units=lead.supporting,
                    responsibility_quote=lead.quote,
                )
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
    """Names the registry does not know are kept as written; the first measure naming one says so
    (`zjtrack import` then registers them beside the task file)."""
    names = measure.units.names() + [n for t in measure.targets if t.units for n in t.units.names()]
    seen = set(resolver.unknown)
    missing = [n for n in resolver.check(dict.fromkeys(names)) if n not in seen]
    if missing:
        measure.review.append(
            "导入时单位名录中没有："
            + "、".join(missing)
            + "（按原文保留；写入文件时登记到其旁的 units.yaml，请核对登记或改正）"
        )


def measures_of(roots: list[Node], prefix: str, ctx: Context, rules: Rules) -> list[DraftMeasure]:  # noqa: C901 - one branch per clause layout; to be split by the importer work (issue 15)
    """Leaf nodes are measures; a node with children is a section whose own paragraphs become a
    measure only when they hold targets. Items 1. 2. … keep their own number in the id when the
    numbers are unique in the document (1–60 running through the chapters)."""
    numbers = [n.number for n in _walk(roots) if n.level == 3]
    flat_items = len(numbers) == len(set(numbers))
    measures: list[DraftMeasure] = []
    fallback: dict[int, str] = {}  # id(measure) -> its hierarchical id, should the short one clash

    def visit(
        node: Node, nid: str, section: str | None, inherited: Units | None, alt: str | None = None
    ) -> None:
        if not node.children:
            measures.append(build_measure(node, nid, section, ctx, rules, inherited))
            if alt:
                fallback[id(measures[-1])] = alt
            return
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
            m = build_measure(intro, nid, section, ctx, rules)
            if m.targets:
                measures.append(m)
        heading = f"{node.clause}{node.title}"
        here = f"{section}{heading}" if section and node.level > 1 else heading
        units = own_units if not own_units.is_empty() else inherited
        for child in node.children:
            deep = f"{nid}.{child.number}"
            if child.level == 3 and flat_items:
                visit(child, f"{prefix}-{child.number}", here, units, deep)
            elif node.level == 1 or child.level == 3:
                visit(child, deep, here, units)
            else:
                visit(child, f"{prefix}-{child.number}", here, units)

    for node in roots:
        visit(node, f"{prefix}-{node.number}", None, None)
    taken = Counter(m.id for m in measures)
    for m in measures:
        if taken[m.id] > 1 and id(m) in fallback:
            _rename(m, fallback[id(m)])
    return measures


def _rename(measure: DraftMeasure, mid: str) -> None:
    measure.id = mid
    for i, t in enumerate(measure.targets, 1):
        t.id = f"{mid}-{i}"


def _walk(nodes: list[Node]) -> Iterator[Node]:
    for n in nodes:
        yield n
        yield from _walk(n.children)


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


_CELL = re.compile(r"^\s*[^\s。，；：]{1,10}\s*$")  # a short line with no sentence in it


def _cell_run(lines: Sequence[str], least: int = 12) -> list[str]:
    """The first run of at least `least` short lines, a third of them figures: a table whose
    cells were pasted one per line (总计 / 1445 / 555 / 江苏 / 100 …). [] when there is none."""
    run: list[str] = []
    for line in [*lines, "。"]:
        if not line.strip():
            continue
        if TAIL.match(line) or DATE_LINE.match(line):  # 附件 / the signature's date: a table after
            run = []
            continue
        if _CELL.match(line):
            run.append(line.strip())
            continue
        if len(run) >= least and 3 * sum(any(c.isdigit() for c in x) for x in run) >= len(run):
            return run
        run = []
    return []


def import_text(
    text: str,
    *,
    units: Sequence[Unit] = (),
    doc_id: str | None = None,
    prefix: str | None = None,
    source: str | None = None,
    region: str | None = None,
    tracked_from: dt.date | None = None,
) -> Draft:
    """A policy document's text -> the draft of its task file, tracked from `tracked_from`
    (the day of import; None: none written). Raises TooLarge beyond LIMITS."""
    check_limits(text)
    text, invisible = strip_invisible(normalize_newlines(text))
    lines = text.split("\n")
    header = read_header(lines)
    ident = clean_id(doc_id) if doc_id else default_id(header.doc_number)
    region = region or city_of(header.issuer, header.title, {u.region for u in units if u.region})
    guessed = None if region else _city_in_text(text)
    document = DraftDocument(
        ident,
        header.title,
        header.doc_number,
        header.issuer,
        header.issued,
        guessed or region,
        source,
        tracked_from,
    )
    _header_review(document)
    if invisible:  # a bidi override would make a quote read other than it is: never copied
        document.review.append(
            f"原文含不可见控制字符（{'、'.join(invisible[:5])}），已删去；引文以删去后的文字为准"
        )
    if guessed:
        region = guessed
        document.review.append(f"地区按正文中的“{guessed}人民政府/{guessed}委”记为 {guessed}")
    resolver = Resolver(units, region)
    ctx = Context(header.issued, resolver, origin_of(text, header.issued))
    rules = Rules(first_leads_rule(text))
    if rules.first_leads:
        document.info.append(f"按文件规定“{rules.first_leads}”确定牵头单位")
    body = lines[header.body[0] : header.body[1]]
    rows = task_table(lines[header.body[0] :])  # 附件：任务分工表
    for n in lines_of(rows):  # a table is read as one, not as the body's paragraphs
        if n < len(body):
            body[n] = ""
    if not rows and (cells := _cell_run(lines[header.body[0] :])):  # a table, one cell per line
        document.review.append(
            f"原文含表格（每格一行，约 {len(cells)} 格，始于“{'、'.join(cells[:6])}…”），未导入其中的"
            "数字与单位，请按表格手工增列目标"
        )
    preamble, roots = outline(join_paragraphs(body))
    pid = clean_id(prefix) if prefix else ident
    measures = measures_of(roots, pid, ctx, rules)
    goals = _preamble_goals(preamble, f"{pid}-0", ctx)
    if goals is not None:
        measures.insert(0, goals)
    _goal_deadlines(measures)
    _programme_deadlines(measures, ctx.origin)
    if rows:
        _from_table(rows, measures, document, pid, ctx, rules)
    _unique_ids(measures)
    return Draft(document, measures, work_group(lines[header.body[1] :]), list(resolver.unknown))


def _from_table(
    rows: list[Row],
    measures: list[DraftMeasure],
    document: DraftDocument,
    pid: str,
    ctx: Context,
    rules: Rules,
) -> None:
    """A task table's units for the measures it names (and their targets, when the table holds
    their text); a measure per task when it names none (the table is the task list); a review
    note for rows no measure takes."""
    given, left = apply_table(measures, rows)
    for m, mine in given:
        if not m.targets:  # its text is the table's (a table inside the body)
            found = _table_measures(mine, m.id, ctx, rules)
            m.targets = [t for f in found for t in f.targets]
            for i, t in enumerate(m.targets, 1):
                t.id = f"{m.id}-{i}"
            m.review += [r for f in found for r in f.review if r not in m.review]
        _check_names(m, ctx.resolver)
    if len(left) == len(rows):  # the table is the task list itself: a measure per task
        measures += _table_measures(rows, pid, ctx, rules)
    elif left:
        document.review.append(
            f"任务分工表有 {len(left)} 行未对应到正文措施（始于第{left[0].line + 1}行"
            f"“{left[0].title or left[0].text[:20]}”），其单位未导入，请核对"
        )


def _table_measures(rows: list[Row], pid: str, ctx: Context, rules: Rules) -> list[DraftMeasure]:
    """A task table that no measure of the body names (任务分工表 as the task list): each task
    (a numbered row and its continuation rows) a measure, its cells' text the measure's text,
    its units and deadline those of its first row (a continuation row's, for targets quoted
    from it)."""
    measures = []
    for k, group in enumerate(tasks(rows), 1):
        first = group[0]
        blocks = [Block("text", r.text, 0) for r in group if r.text]
        if not blocks:
            continue
        digits = re.fullmatch(r"[0-9]{1,6}", first.number) is not None
        number = int(first.number) if digits else k
        title = first.title or squeeze(first.text)[:20] or f"任务{k}"
        # its 序号 as written, else its place in the table (a clause is never empty)
        node = Node(3, f"{first.number or k}.", number, title, blocks)
        m = build_measure(node, f"{pid}-t{k}", "任务分工表", ctx, rules, first.units, None)
        m.kind = "task"  # a row is a task, whatever its words (组织实施… is no 组织保障)
        m.info.append(f"取自任务分工表第{first.line + 1}行")
        row_units(m, group)
        measures.append(m)
    return measures


def _unique_ids(measures: list[DraftMeasure]) -> None:
    """Every id once, whatever the outline: headings out of order (a （一） before the 一、 it
    belongs to, in a damaged or oddly pasted text) gave two measures one id, and their targets
    too, which `check` refuses. A repeated measure id gets a letter (draft-1b), marked for
    review; its targets are numbered after it."""
    seen: set[str] = set()
    taken = {m.id for m in measures}
    for m in measures:
        if m.id in seen:
            base = m.id
            m.id = next(c for c in _suffixed(base) if c not in seen and c not in taken)
            _rename(m, m.id)
            m.review.append(f"编号 {base} 与前文重复（原文条目次序有误？），改为 {m.id}")
        seen.add(m.id)
        seen.update(t.id for t in m.targets)


def _suffixed(base: str) -> Iterator[str]:
    """draft-1b … draft-1z, then draft-1zb …, without end (more than 25 repeats of one id)."""
    letters = "bcdefghijklmnopqrstuvwxyz"
    yield from (f"{base}{c}" for c in letters)
    for n in itertools.count(1):
        yield from (f"{base}{'z' * n}{c}" for c in letters)


_LABEL = re.compile(r"^\s*([^，。；：:]{2,12})[：:]")  # 具体指标：…, 总体目标：…


def _preamble_goals(blocks: list[Block], mid: str, ctx: Context) -> DraftMeasure | None:
    """Goals stated before the first heading (具体指标：到2022年，…建设50所…): the paragraphs there
    that hold a quantity become a goals measure of their own; other paragraphs (the covering
    notice, the background) give nothing."""
    kept: list[tuple[Block, list[Found]]] = []
    previous = None
    for b in blocks:
        if b.kind == "units":
            continue
        finder = TargetFinder(b.text, ctx, goals=True)
        found = finder.find(b.start, len(b.text), previous)
        previous = finder.last
        if any(f.target.kind == "quantity" for f in found):
            kept.append((b, found))
    if not kept:
        return None
    label = next((m[1] for b, _ in kept if (m := _LABEL.match(b.text))), "目标")
    measure = DraftMeasure(mid, f"{squeeze(label)}：", squeeze(label), None, "goals")
    measure.targets = set_aside(measure, [f.target for _, found in kept for f in found])
    for i, t in enumerate(measure.targets, 1):
        t.id = f"{mid}-{i}"
    measure.review.append("本部分取自正文第一个标题之前的段落（文件未编号），请核对")
    if any(t.deadline is None for t in measure.targets):
        measure.deadline_reason = "文件未规定完成时限"
    return measure


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
        document.review.append(
            "原文未载明" + "、".join(missing) + f"（暂记为“{MISSING}”，印发日期记为 null），"
            "请按正式文本补填"
        )
        if not document.issued:
            document.info.append("未找到印发日期：“N年内”等相对时限无法换算为日期")


# 广州市人民政府, 中共广州市委: the city a document without a named issuer comes from
_CITY_BODY = re.compile(r"([\u4e00-\u9fff]{2,4}?市)(?:人民政府|委员会|委)")


def _city_in_text(text: str) -> str | None:
    """The city whose government or party committee the text names most (at least twice)."""
    counts = Counter(m[1].removeprefix("中共") for m in _CITY_BODY.finditer(text, 0, 20000))
    counts = Counter(
        {c: n for c, n in counts.items() if len(c) >= 3 and not c.startswith(("各", "直辖"))}
    )
    top = counts.most_common(1)
    return top[0][0] if top and top[0][1] >= 2 else None


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


def _programme_deadlines(measures: list[DraftMeasure], origin: Origin | None) -> None:
    """A programme period the document states (2012年起5年内) governs the quantity targets that
    give no deadline of their own; each one so dated is marked for review with where it came from.
    Yearly targets (每年…, 年均…) keep none: they recur within the period."""
    if origin is None or origin.until is None:
        return
    text = f"{origin.until.year}年{origin.until.month}月{origin.until.day}日"
    for m in measures:
        for t in m.targets:
            if t.kind != "quantity" or t.deadline or t.start or re.search(r"每年|年均", t.quote):
                continue
            t.deadline, t.deadline_date = origin.until.isoformat(), origin.until
            t.deadline_reason = f"时限取自文件规定的实施期：{origin.source}"
            t.review.append(f"本句未写时限，按文件实施期“{origin.source}”记为 {text}")
        if m.deadline_reason and all(t.deadline for t in m.targets):
            m.deadline_reason = None
