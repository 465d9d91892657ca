"""`check` over each file's facts: the file-local checks cached with the file, the cross-file
checks run over id columns, without rebuilding the model of an unchanged file.

`run_checks` needs the whole plan: at a province, decoding 201 cache entries into a million named
tuples costs more than all the checks together. Most of what `check` reports depends on one
file's bytes only: the loader's problems, and the checks that look at one document at a time
(`targets`, `dates`, `review`, `responsibility`). What is left crosses files, and needs far less
than the objects: the ids written in each document (duplicates), the unit names it uses
(references), the kind of each target and the targets each progress file's records name
(progress), the targets whose records correct or withdraw others (supersedes).

So each file yields its *facts* (`facts_of`), a pure function of its content: its problems, the
local checks' problems in check order, and those columns, as builtin values. The parse cache
keeps them as a second small entry beside the file's own (`FileCache.get_facts`), written from the
same bytes and trusted by the same rule. `check_tree` then assembles, from the facts of every
file, the very problems `run_checks` gives, in the same order:

- duplicate ids: one set over all ids; any duplicate sends the tree to the full path;
- unknown units: the registry (units files are decoded, they are small) resolves each distinct
  name once; an unresolved one is reported at every place it is written, in order;
- progress: a record allows some kinds of target (a quantity one for a value, a percent one for
  a value from 0 to 100, a milestone for `done`), so each progress file keeps the target ids its
  records name, grouped by what they allow; if every id is a target of an allowed kind and no
  record is dated after the as-of date, `record_problems` would report nothing. Otherwise (or with
  decisions, per-entity targets named by records, or a correction whose target has records in
  another file) `check_tree` returns None and the caller runs the full path on the model.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import stat
import time
from typing import TYPE_CHECKING, Any

from .checks import CHECKS, Context, _unknown_unit, tracked_too_late
from .model import Document, Plan, Pos, TargetKind, When
from .problems import Problem

if TYPE_CHECKING:
    from .load.cache import FileCache
    from .load.content import FileContent
    from .registry import Registry

FORMAT = 2
# The checks whose problems depend on one document alone (with no decisions in the tree: a
# decision may move a deadline), kept in each document's facts.
LOCAL = ("targets", "dates", "review", "responsibility")
# Every check `check_tree` knows how to reproduce; a check added later sends `check` to the
# full path until it is taught here.
KNOWN = frozenset(
    {"ids", "units", "references", *LOCAL, "tracking", "decisions", "progress", "supersedes"}
)
# What a record allows its target to be (bits), and each target's kind as one of them.
QUANTITY, PERCENT, MILESTONE = 1, 2, 4


def facts_of(content: FileContent) -> dict[str, Any]:
    """What `check` needs of one file's content, as builtin values (see the module docstring)."""
    facts: dict[str, Any] = {"format": FORMAT, "problems": [tuple(p) for p in content.problems]}
    if content.units:
        facts["units"] = True
    if content.decisions:
        facts["decisions"] = True
    if content.document is not None:
        facts.update(_document_facts(content.document))
    if content.records:
        facts.update(_record_facts(content))
    return facts


def _document_facts(doc: Document) -> dict[str, Any]:
    """A document's ids, unit names (with their places), targets by kind and local problems."""
    names: list[tuple[Any, ...]] = []
    kinds: dict[int, list[str]] = {QUANTITY: [], PERCENT: [], MILESTONE: [], 0: []}
    items = [(doc.id, doc.pos)]
    for m in doc.measures:
        items.append((m.id, m.pos))
        items += [(t.id, t.pos) for t in m.targets]
        for r in [m.responsibility] + [t.responsibility for t in m.targets if t.responsibility]:
            names += [(n.text, *n.pos) for n in r.names()]
        for t in m.targets:
            milestone = t.kind is TargetKind.MILESTONE
            if t.per_entity or (milestone and t.is_percent):
                kind = 0  # no record is checked over columns against these
            else:
                kind = MILESTONE if milestone else PERCENT if t.is_percent else QUANTITY
            kinds[kind].append(t.id)
    ctx = Context(Plan(documents=(doc,)), None, None)  # type: ignore[arg-type]
    return {
        "ids": [ident for ident, _ in items if ident],  # a missing one is the loader's
        "region": doc.region,
        "names_used": sorted({n[0] for n in names}),
        "names": marshal.dumps(names),  # every place, decoded only when a name is unknown
        "kinds": kinds,
        "local": [[tuple(p) for p in CHECKS[name].run(ctx)] for name in LOCAL],
        # the day tracking began and where it is written (`tracking` is judged as of a date)
        "tracked": (
            doc.id,
            doc.tracked_from.text,
            doc.tracked_on.toordinal(),
            *doc.tracked_from.pos,
        )
        if doc.tracked_from is not None and doc.tracked_on is not None
        else None,
    }


def _record_facts(content: FileContent) -> dict[str, Any]:
    """A progress file's target ids by what their records allow, its latest date, and what its
    corrections and withdrawals find among its own records."""
    from .evaluate import reference

    facts: dict[str, Any] = {}
    allows: dict[int, set[str]] = {}
    latest = 0
    for rec in content.records:
        if rec.date is not None:
            if type(rec.date) is not dt.date:
                facts["odd"] = True
            else:
                latest = max(latest, rec.date.toordinal())
        allows.setdefault(_allows(rec), set()).add(rec.target)
    facts["allows"] = {mask: sorted(ids) for mask, ids in allows.items()}
    facts["latest"] = latest
    refs = sorted({rec.target for rec in content.records if reference(rec) is not None})
    if refs:
        plan = Plan(records=tuple(content.records), history=content.history)
        ctx = Context(plan, None, None)  # type: ignore[arg-type]
        facts["refs"] = refs
        facts["supersedes"] = [tuple(p) for p in CHECKS["supersedes"].run(ctx)]
    return facts


def _allows(r: Any) -> int:
    """The kinds of target `record_problems` accepts record `r` for (0: none it checks here)."""
    if r.entity is not None:
        return 0
    withdrawn = r.withdraws is not None
    quantity = withdrawn or (r.value is not None and r.done is None)
    milestone = withdrawn or (r.done is not None and r.value is None)
    percent = quantity and (r.value is None or 0 <= r.value <= 100)
    return (
        (QUANTITY if quantity else 0)
        | (PERCENT if percent else 0)
        | (MILESTONE if milestone else 0)
    )


def encode(facts: dict[str, Any]) -> bytes | None:
    try:
        return marshal.dumps(facts)
    except ValueError:  # a value marshal does not write: derived again on every run
        return None


def decode(data: bytes) -> dict[str, Any] | None:
    try:
        facts = marshal.loads(data)
    except Exception:  # sealed by this user, so only a bug gets here: derived again
        return None
    if type(facts) is not dict or facts.get("format") != FORMAT:
        return None
    return facts


def facts_for(path: str, cache: FileCache | None) -> dict[str, Any]:
    """One file's facts: from its `.facts` entry when the file is unchanged, else derived from
    its content (the parse entry of the same bytes, or a parse) and stored for the next run."""
    from .load import files
    from .load.loader import load_file, parse_grown

    if cache is None:
        return facts_of(load_file(path, None))
    seen_ns = time.time_ns()  # before the stat, as `load_file` takes it
    try:
        st = os.lstat(path)
    except OSError:
        return facts_of(load_file(path, cache))
    if not stat.S_ISREG(st.st_mode) or st.st_size > files.MAX_BYTES:
        return facts_of(load_file(path, cache))  # a problem of the file's own, never cached
    raw, data, digest = cache.get_facts(path, st, seen_ns)
    if raw is not None:
        facts = decode(raw)
        if facts is not None:
            return facts
    if data is None or digest is None:
        return facts_of(load_file(path, cache))
    content = cache.content_of(path, digest)
    if content is None:
        content, earlier = parse_grown(data, path, cache)
        cache.put(path, st, seen_ns, digest, content, earlier)
    facts = facts_of(content)
    blob = encode(facts)
    if blob is not None:
        cache.put_facts(path, st, seen_ns, digest, blob)
    return facts


def check_tree(
    paths: list[str], cache: FileCache | None, as_of: dt.date
) -> tuple[list[Problem], list[Problem], list[str]] | None:
    """The loader's problems, `run_checks`' problems and the files read, for the folders
    `paths`, as `load_paths` and `run_checks` give them, from the files' facts; None when the
    tree needs the full path (see the module docstring)."""
    from .load.loader import find_files, load_file
    from .registry import Registry

    if set(CHECKS) != KNOWN or any(os.path.isfile(p) for p in paths):
        return None  # a file named alone is read with its repository: `load_paths`'s to do
    files, found = find_files(paths)
    all_facts = [facts_for(path, cache) for path in files]
    docs = [f for f in all_facts if "ids" in f]
    progress = [f for f in all_facts if "allows" in f]
    supersedes = _supersedes(progress)
    if (
        any(f.get("decisions") or f.get("odd") for f in all_facts)
        or not _unique(docs)
        or not _records_fit(docs, progress, as_of)
        or supersedes is None
    ):
        return None
    loaded = found + [Problem(*p) for f in all_facts for p in f["problems"]]
    units = tuple(
        u
        for path, f in zip(files, all_facts, strict=True)
        if f.get("units")
        for u in load_file(path, cache).units
    )
    registry = Registry(units)
    checked: list[Problem] = []
    for name in CHECKS:  # in `run_checks`' order
        if name == "units":
            checked += CHECKS["units"].run(Context(Plan(units=units), registry, as_of))
        elif name == "references":
            checked += _references(docs, registry)
        elif name in LOCAL:
            index = LOCAL.index(name)
            checked += [Problem(*p) for f in docs for p in f["local"][index]]
        elif name == "tracking":
            checked += _tracking(docs, as_of)
        elif name == "supersedes":
            checked += supersedes
        # ids, decisions, progress: none, as shown above
    return loaded, checked, files


def _tracking(docs: list[dict[str, Any]], as_of: dt.date) -> list[Problem]:
    """`check_tracking` over the documents' facts: each tracked from after `as_of`."""
    out = []
    for f in docs:
        if f.get("tracked") is not None:
            ident, text, day, *pos = f["tracked"]
            found = tracked_too_late(ident, When(text, dt.date.fromordinal(day), Pos(*pos)), as_of)
            if found is not None:
                out.append(found)
    return out


def _unique(docs: list[dict[str, Any]]) -> bool:
    """Whether no id is written twice (the full path says which came first, and where)."""
    count = 0
    seen: set[str] = set()
    for f in docs:
        count += len(f["ids"])
        seen.update(f["ids"])
    return len(seen) == count


def _records_fit(
    docs: list[dict[str, Any]], progress: list[dict[str, Any]], as_of: dt.date
) -> bool:
    """Whether every record names a target of a kind it allows and none is dated after `as_of`:
    then `record_problems` has nothing to say of any."""
    kinds: dict[int, set[str]] = {QUANTITY: set(), PERCENT: set(), MILESTONE: set()}
    for f in docs:
        for kind, ids in f["kinds"].items():
            if kind:
                kinds[kind].update(ids)
    for f in progress:
        if f["latest"] > as_of.toordinal():
            return False
        for mask, ids in f["allows"].items():
            if not _all_allowed(ids, mask, kinds):
                return False
    return True


def _all_allowed(ids: list[str], mask: int, kinds: dict[int, set[str]]) -> bool:
    left = set(ids)
    for kind in (QUANTITY, PERCENT, MILESTONE):
        if mask & kind:
            left -= kinds[kind]
    return not left


def _references(docs: list[dict[str, Any]], registry: Registry) -> list[Problem]:
    """`check_references` over the documents' name columns: each distinct name resolved once."""
    known: dict[tuple[str, str | None], bool] = {}
    out: list[Problem] = []
    for f in docs:
        region = f["region"]
        for text in f["names_used"]:
            if (text, region) not in known:
                known[(text, region)] = registry.resolve(text, region) is not None
        if all(known[(text, region)] for text in f["names_used"]):
            continue
        for text, path, line, column in marshal.loads(f["names"]):
            ok = known.get((text, region))
            if ok is None:
                ok = known[(text, region)] = registry.resolve(text, region) is not None
            if not ok:
                out.append(_unknown_unit(text, Pos(path, line, column), registry, region))
    return out


def _supersedes(progress: list[dict[str, Any]]) -> list[Problem] | None:
    """Each progress file's own findings, when no target it corrects or withdraws a record of
    has records in another file (else the merged history decides: None)."""
    out: list[Problem] = []
    for f in progress:
        refs = f.get("refs")
        if not refs:
            continue
        for other in progress:
            if other is not f and any(
                not other_ids.isdisjoint(refs) for other_ids in map(set, other["allows"].values())
            ):
                return None
        out += [Problem(*p) for p in f["supersedes"]]
    return out
