"""Named checks over a loaded plan. Each check is a function that yields problems; the registry
maps its name to the function and the codes it reports. Structure problems (types, missing and
unknown keys) come from the loader; these checks look at meaning and cross-references.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .evaluate import reference, referenced
from .model import (
    Comparator,
    Document,
    Measure,
    Plan,
    Pos,
    ProgressRecord,
    Target,
    TargetKind,
    When,
)
from .problems import Problem, Severity, at, problem
from .registry import Registry

CheckFn = Callable[["Context"], Iterator[Problem]]


@dataclass(frozen=True)
class Context:
    plan: Plan
    registry: Registry
    as_of: dt.date | None


@dataclass(frozen=True)
class Check:
    name: str
    codes: tuple[str, ...]
    run: CheckFn
    doc: str


CHECKS: dict[str, Check] = {}


def check(name: str, *codes: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under `name`; its docstring documents it."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = Check(name, codes, fn, (fn.__doc__ or "").strip())
        return fn

    return register


def run_checks(plan: Plan, as_of: dt.date | None = None) -> list[Problem]:
    """Every registered check over the plan; records dated after `as_of` are reported."""
    ctx = Context(plan, Registry(plan.units), as_of)
    return [p for c in CHECKS.values() for p in c.run(ctx)]


@check("ids", "duplicate-id")
def check_ids(ctx: Context) -> Iterator[Problem]:
    """Document, measure and target ids are unique across all files."""
    plan = ctx.plan
    seen: dict[str, Pos] = {}
    for doc in plan.documents:
        items: list[tuple[str, Pos]] = [(doc.id, doc.pos)]
        for m in doc.measures:
            items.append((m.id, m.pos))
            items += [(t.id, t.pos) for t in m.targets]
        for ident, pos in items:
            if not ident:
                continue  # a missing id is reported by the loader
            if ident in seen:
                yield at(pos, "duplicate-id", id=ident, other=str(seen[ident]))
            else:
                seen[ident] = pos


@check("units", "duplicate-unit", "unknown-unit")
def check_units(ctx: Context) -> Iterator[Problem]:
    """Unit names and aliases mean one unit each; members of a collective are registered units."""
    plan, registry = ctx.plan, ctx.registry
    names: dict[str, Pos] = {}
    for unit in plan.units:
        if unit.name in names:
            yield at(unit.pos, "duplicate-unit", name=unit.name, other=str(names[unit.name]))
        else:
            names[unit.name] = unit.pos
    aliases: dict[tuple[str | None, str], Pos] = {}
    for unit in plan.units:
        for alias in unit.aliases:
            # a registered name always wins over an alias, so the alias would never resolve
            clash = names.get(alias) if alias != unit.name else None
            clash = clash or aliases.get((unit.region, alias))
            if clash is not None:
                yield at(unit.pos, "duplicate-unit", name=alias, other=str(clash))
            else:
                aliases[(unit.region, alias)] = unit.pos
    for unit in plan.units:
        for member in unit.members:
            if registry.resolve(member.text, unit.region) is None:
                yield _unknown_unit(member.text, member.pos, registry, unit.region)


@check("references", "unknown-unit")
def check_references(ctx: Context) -> Iterator[Problem]:
    """Every unit a measure or target names is in the units registry (by name or alias)."""
    plan, registry = ctx.plan, ctx.registry
    for doc in plan.documents:
        for m in doc.measures:
            responsibilities = [m.responsibility] + [
                t.responsibility for t in m.targets if t.responsibility
            ]
            for r in responsibilities:
                for name in r.names():
                    if registry.resolve(name.text, doc.region) is None:
                        yield _unknown_unit(name.text, name.pos, registry, doc.region)


def _unknown_unit(name: str, pos: Pos, registry: Registry, region: str | None) -> Problem:
    close = registry.suggest(name, region)
    return at(
        pos,
        "unknown-unit",
        name=name,
        suggestion_zh=f"，是否是 `{close}`？" if close else "",
        suggestion_en=f"; did you mean `{close}`?" if close else "",
    )


@check(
    "targets",
    "missing-value",
    "range-inverted",
    "percent-over-100",
    "milestone-with-value",
    "field-not-applicable",
)
def check_targets(ctx: Context) -> Iterator[Problem]:
    """A target's numbers fit its kind and comparator."""
    plan = ctx.plan
    for _, _, t in plan.all_targets():
        yield from _target_problems(t)


def _target_problems(t: Target) -> Iterator[Problem]:  # noqa: C901 - one branch per rule a target's fields must satisfy, read as a list
    # A field that failed its own check (reported by the reader) is neither missing nor wrong
    # here: every rule that reads it is skipped, so one mistake gives one message.
    unread = set(t.unread)
    if unread & {"kind", "comparator"}:
        return  # what the target is cannot be told: no rule applies
    if t.kind is TargetKind.MILESTONE:
        for key in ("comparator", "value", "value_max", "tolerance", "unit", "baseline"):
            if getattr(t, key) is not None:
                yield at(t.pos, "milestone-with-value", key=key)
        return
    if t.comparator is None:
        # a quantity without a comparator: no `比较方式 \`?\`` placeholder, the field it lacks
        yield at(t.pos, "missing-field", key="comparator", where=f"`{t.id}` ")
        return
    for key in ("value", "unit"):
        if getattr(t, key) is None and key not in unread:
            yield at(t.pos, "missing-value", comparator=t.comparator.value, key=key)
    if t.comparator is Comparator.RANGE:
        if t.value_max is None and "value_max" not in unread:
            yield at(t.pos, "missing-value", comparator="range", key="value_max")
        elif t.value is not None and t.value_max is not None and t.value > t.value_max:
            yield at(t.pos, "range-inverted", value=t.value, value_max=t.value_max)
    elif t.value_max is not None:
        yield at(t.pos, "field-not-applicable", key="value_max", applies="range")
    if t.tolerance is not None and t.comparator is not Comparator.APPROX:
        yield at(t.pos, "field-not-applicable", key="tolerance", applies="approx")
    if t.is_percent:
        for v in (t.value, t.value_max):
            if v is not None and not 0 <= v <= 100:
                yield at(t.pos, "percent-over-100", value=v)


@check("dates", "deadline-before-start", "no-deadline")
def check_dates(ctx: Context) -> Iterator[Problem]:
    """Deadlines come after starts; a target without a deadline says why."""
    plan = ctx.plan
    for _, m, t in plan.all_targets():
        if (
            t.deadline
            and t.start
            and t.deadline.date
            and t.start.date
            and t.deadline.date < t.start.date
        ):
            yield at(
                t.deadline.pos,
                "deadline-before-start",
                deadline=t.deadline.date.isoformat(),
                start=t.start.date.isoformat(),
            )
        if t.deadline is None and not (t.deadline_reason or m.deadline_reason):
            yield at(t.pos, "no-deadline", id=t.id)


@check("tracking", "tracked-from-future")
def check_tracking(ctx: Context) -> Iterator[Problem]:
    """No document is tracked only from after the as-of date: every weekly report until then
    would leave it out without a word (`Plan.tracked_by`)."""
    for d in ctx.plan.documents:
        problem = tracked_too_late(d.id, d.tracked_from, ctx.as_of)
        if problem is not None:
            yield problem


def tracked_too_late(doc: str, since: When | None, as_of: dt.date | None) -> Problem | None:
    """`tracked-from-future` for a document tracked from `since`, judged as of `as_of`."""
    if as_of is None or since is None or since.date is None or since.date <= as_of:
        return None
    return at(
        since.pos,
        "tracked-from-future",
        id=doc,
        tracked_from=since.date.isoformat(),
        as_of=as_of.isoformat(),
    )


@check("decisions", "unknown-target", "decision-conflict")
def check_decisions(ctx: Context) -> Iterator[Problem]:
    """The working group's decisions name real targets and leave the document's words alone: a
    deadline only where the document gives none, an entity set only where it names none."""
    from .decisions import unused

    for d, t in unused(ctx.plan):
        if t is None:
            yield at(d.pos, "unknown-target", id=d.target, suggestion_zh="", suggestion_en="")
        elif d.deadline is not None:
            yield at(d.pos, "decision-conflict", id=t.id, what_zh="完成时限", what_en="a deadline")
        else:
            yield at(
                d.pos, "decision-conflict", id=t.id, what_zh="考核对象", what_en="its entities"
            )


REVIEW_MARK = "待核"


@check("review", "needs-review")
def check_review(ctx: Context) -> Iterator[Problem]:
    """Notes that begin with 待核 mark a guess (usually from `zjtrack import`) a person must check."""
    for doc in ctx.plan.documents:
        if doc.note and doc.note.lstrip().startswith(REVIEW_MARK):
            yield at(doc.pos, "needs-review", id=doc.id, note=doc.note.strip()[:80])
        for m in doc.measures:
            for ident, note, pos in [(m.id, m.note, m.pos)] + [
                (t.id, t.note, t.pos) for t in m.targets
            ]:
                if note and note.lstrip().startswith(REVIEW_MARK):
                    yield at(pos, "needs-review", id=ident, note=note.strip()[:80])


@check("responsibility", "no-lead-unit", "no-targets")
def check_responsibility(ctx: Context) -> Iterator[Problem]:
    """Each measure names its lead unit (or says the document names none) and has targets."""
    plan = ctx.plan
    for doc in plan.documents:
        for m in doc.measures:
            yield from _measure_problems(doc, m)


def _measure_problems(doc: Document, m: Measure) -> Iterator[Problem]:
    if not m.lead_units_given:
        yield at(m.pos, "no-lead-unit", id=m.id)
    if not m.targets and not m.note and "targets" not in m.unread:
        yield at(m.pos, "no-targets", id=m.id)


@check(
    "progress",
    "unknown-target",
    "record-value",
    "future-record",
    "unknown-entity",
    "missing-entity",
    "entities-undeclared",
    "percent-over-100",
)
def check_progress(ctx: Context) -> Iterator[Problem]:
    """Progress records name a real target, carry the kind of value it takes, and are not dated
    after the as-of date; per-entity records name one of the target's entities, and only they
    name one. (`record_problems`, which `zjtrack record` applies to a new record too.)"""
    targets = {t.id: t for _, _, t in ctx.plan.all_targets()}
    for r in ctx.plan.records:
        yield from record_problems(r, targets, ctx.as_of)


@check("supersedes", "bad-reference")
def check_supersedes(ctx: Context) -> Iterator[Problem]:
    """A correction or withdrawal names exactly one earlier record of its target (and entity)."""
    for records in ctx.plan.histories().values():
        for i, r in enumerate(records):
            if reference(r) is not None:
                yield from reference_problems(r, records[:i])


def reference_problems(r: ProgressRecord, before: Sequence[ProgressRecord]) -> Iterator[Problem]:
    """What is wrong with `r`'s reference among the records written before it (`record` too)."""
    if r.corrects is not None and r.withdraws is not None:
        yield _bad_reference(r, "既更正又撤回", "both corrects and withdraws")
        return
    found = referenced(r, before)
    if not found:
        yield _bad_reference(r, "不是此前的一条记录", "is no earlier record of this target")
    elif len(found) > 1:
        lines = ", ".join(str(x.line) for x in found)
        yield _bad_reference(
            r,
            f"对应 {len(found)} 条记录（第 {lines} 行）",
            f"names {len(found)} records (lines {lines})",
        )


def _bad_reference(r: ProgressRecord, zh: str, en: str) -> Problem:
    withdraw = r.withdraws is not None and r.corrects is None
    return at(
        r.pos,
        "bad-reference",
        ref=reference(r) or "",
        verb_zh="撤回" if withdraw else "更正",
        verb_en="withdraws" if withdraw else "corrects",
        reason_zh=zh,
        reason_en=en,
    )


def record_problems(
    r: ProgressRecord, targets: Mapping[str, Target], as_of: dt.date | None
) -> Iterator[Problem]:
    """The rules one progress record must meet against the plan's targets (by id), written once:
    `check` applies them to every record in the files, `zjtrack record` to the record it is about
    to append, so both refuse the same things with the same codes and words. The file format's
    own rules (a finite number, no empty texts, a real date) are the loader's: `record` reads
    back the text it would append, so they are applied once too."""
    t = targets.get(r.target)
    if t is None:
        import difflib  # only for a record naming no target: kept out of every view's start-up

        close = difflib.get_close_matches(r.target, list(targets), n=1, cutoff=0.6)
        yield at(
            r.pos,
            "unknown-target",
            id=r.target,
            suggestion_zh=f"，是否是 `{close[0]}`？" if close else "",
            suggestion_en=f"; did you mean `{close[0]}`?" if close else "",
        )
        return
    if as_of is not None and r.date is not None and r.date > as_of:
        yield at(r.pos, "future-record", date=r.date.isoformat(), as_of=as_of.isoformat())
    milestone = t.kind is TargetKind.MILESTONE
    if r.withdraws is not None:  # a withdrawal carries no value
        pass
    elif (milestone and (r.done is None or r.value is not None)) or (
        not milestone and (r.value is None or r.done is not None)
    ):
        yield at(
            r.pos,
            "record-value",
            id=t.id,
            expected="done" if milestone else "value",
            kind_zh="里程碑" if milestone else "数量目标",
            kind_en="milestone" if milestone else "quantity",
        )
    if r.value is not None and t.is_percent and not 0 <= r.value <= 100:
        yield at(r.pos, "percent-over-100", value=r.value)
    if r.entity is not None and t.per_entity and t.entities is None:
        # a value from one entity of a set nobody listed could be read as the whole
        yield at(r.pos, "entities-undeclared", id=t.id, each=t.each or "")
    elif r.entity is not None and (not t.per_entity or r.entity not in (t.entities or ())):
        allowed = "、".join(t.entities or ()) or "—"
        yield at(r.pos, "unknown-entity", entity=r.entity, id=t.id, allowed=allowed)
    elif r.entity is None and t.per_entity:
        allowed = "、".join(t.entities or ()) or t.each or ""
        yield at(r.pos, "missing-entity", id=t.id, allowed=allowed)


# --- the order a person fixes problems in ---------------------------------------------------------

# Codes that mean a file was not read at all: nothing in it reached the plan.
FILE_FAILURES = frozenset(
    {
        "unreadable",
        "truncated",
        "encoding",
        "control-char",
        "too-large",
        "empty-file",
        "syntax",
        "too-deep",
        "too-many-nodes",
        "multiple-documents",
    }
)

# A consequence elsewhere of a file that did not load in full: (its code, the kind of file whose
# failure causes it, what the folded line says it is, in zh and en).
_CASCADES: dict[str, tuple[str, str, str]] = {
    "unknown-unit": ("units", "无法识别的单位名称", "unit names could not be resolved"),
    "unknown-target": ("document", "找不到的目标编号", "target ids were not found"),
}


def arrange(
    loaded: Sequence[Problem],
    checked: Sequence[Problem],
    kind_of: Callable[[str], str | None] | None = None,
) -> list[Problem]:
    """Problems in the order a person fixes them. A file that did not load in full comes first
    (the units registry and the config before the files that use them); what its failure causes
    elsewhere (a unit not found because the registry is GBK, the records of a document that does
    not parse) is folded into one `cascade` line that names it. `loaded` are the loader's
    problems, `checked` the checks'; `kind_of(path)` says what a file is meant to be
    (by default `reader.file_kind_at`, which reads its first bytes), for files with errors."""
    kind = kind_of or _kind_at
    broken: dict[str, str | None] = {}
    for p in loaded:
        if p.severity is Severity.ERROR and p.path not in broken:
            broken[p.path] = kind(p.path)
    folded: dict[tuple[str, str], list[Problem]] = {}
    kept: list[Problem] = []
    for p in [*loaded, *checked]:
        cause = _cause(p, broken)
        if cause is None:
            kept.append(p)
        else:
            folded.setdefault((cause, p.code), []).append(p)
    kept += [_fold(cause, code, found) for (cause, code), found in folded.items()]
    first = {cause for cause, _ in folded}
    first |= {path for path, kind in broken.items() if kind in ("units", "config")}
    first |= {p.path for p in loaded if p.code in FILE_FAILURES}
    return sorted(
        kept,
        key=lambda p: (p.path not in first, p.path, p.code == "cascade", *p.sort_key()[1:]),
    )


def _kind_at(path: str) -> str | None:
    from .load.reader import file_kind_at  # PyYAML: only once a file has failed (so was parsed)

    return file_kind_at(path)


def _cause(p: Problem, broken: Mapping[str, str | None]) -> str | None:
    """The file that did not load and most likely causes `p`, if `p` is such a consequence."""
    cascade = _CASCADES.get(p.code)
    if cascade is None:
        return None
    causes = [path for path, kind in broken.items() if kind == cascade[0]]
    if len(causes) <= 1:
        return causes[0] if causes else None
    # several broken documents: the one the progress file is named after (progress/<id>.yaml)
    stem = _stem(p.path)
    return next((c for c in causes if _stem(c) == stem), None)


def _stem(path: str) -> str:
    import os

    return os.path.splitext(os.path.basename(path))[0]


def _fold(cause: str, code: str, found: Sequence[Problem]) -> Problem:
    counts: dict[str, int] = {}
    for p in found:
        counts[p.path] = counts.get(p.path, 0) + 1
    _, what_zh, what_en = _CASCADES[code]
    return problem(
        "cascade",
        cause,
        count=len(found),
        what_zh=what_zh,
        what_en=what_en,
        where_zh="、".join(f"{path} {n} 处" for path, n in counts.items()),
        where_en=", ".join(f"{path}: {n}" for path, n in counts.items()),
    )
