"""The working group's own decisions, applied to the targets they are about.

A document's encoding stays faithful to its text; what the working group decides on top of it
(a deadline where the document gives none, the entities a per-entity target is judged over) is
kept in a decisions file of its own (`decisions:`; see README) and applied here, once, so that
the evaluator, the views, the reports and `record` all see the same targets. A decision is only
applied where the document leaves the question open: one that would overwrite what the document
says is not applied, and `check` reports it (`decision-conflict`).

The entities of a per-entity target come, in this order, from the document (`entities`), from a
group decision, or from the members of the collective unit its `each` names in the units
registry; without any of them the set is unknown, and no record can stand for the whole.
"""

from __future__ import annotations

from .model import Decision, Plan, Target
from .registry import Registry


def applies(decision: Decision, target: Target) -> bool:
    """Whether a decision may stand for the document: it must leave the question open."""
    if decision.deadline is not None:
        return target.deadline is None or target.deadline.date is None
    return target.per_entity and target.entities is None


def apply_decisions(plan: Plan) -> Plan:
    """The plan with every applicable decision, and every registry-declared entity set, on its
    target. Documents nothing applies to are kept as they are (the same objects)."""
    by_target: dict[str, list[Decision]] = {}
    for d in plan.decisions:
        by_target.setdefault(d.target, []).append(d)
    registry: Registry | None = None
    documents = []
    changed = False
    for doc in plan.documents:
        measures = []
        doc_changed = False
        for m in doc.measures:
            targets = []
            for t in m.targets:
                new = t
                for d in by_target.get(t.id, ()):
                    if applies(d, new):
                        new = _decided(new, d)
                if new.per_entity and new.entities is None:
                    registry = registry or Registry(plan.units)
                    unit = registry.resolve(new.each or "", doc.region)
                    if unit is not None and unit.members:
                        new = new._replace(entities=tuple(n.text for n in unit.members))
                doc_changed |= new is not t
                targets.append(new)
            measures.append(m._replace(targets=tuple(targets)) if doc_changed else m)
        changed |= doc_changed
        documents.append(doc._replace(measures=tuple(measures)) if doc_changed else doc)
    return plan._replace(documents=tuple(documents)) if changed else plan


def _decided(t: Target, d: Decision) -> Target:
    if d.deadline is not None:
        return t._replace(
            deadline=d.deadline,
            start=d.start or t.start,
            deadline_reason=None,
            decisions=(*t.decisions, d),
        )
    return t._replace(entities=d.members, decisions=(*t.decisions, d))


def deadline_decision(t: Target) -> Decision | None:
    """The group decision that set a target's deadline, if one did."""
    return next((d for d in t.decisions if d.deadline is not None), None)


def unused(plan: Plan) -> list[tuple[Decision, Target | None]]:
    """Decisions not applied: about a target that does not exist (None), or one the document
    already settles."""
    applied = {
        id(d)
        for doc in plan.documents
        for m in doc.measures
        for t in m.targets
        for d in t.decisions
    }
    targets = {t.id: t for _, _, t in plan.all_targets()}
    return [(d, targets.get(d.target)) for d in plan.decisions if id(d) not in applied]
