"""A tree's columnar snapshot: what the views need of every target, as columns, in one file.

The parse cache (`cache`) restores each file's model: at a province a million named tuples, about
170 ms before anything is judged. The views `overdue` and `due` show a few of the targets and judge
only those whose deadline can qualify, so they need far less: per target its deadline, start,
kind, comparator, value, bounds and flags as numbers in `array`s, its records grouped by target
(offsets into columns of date, value and done), and the text of its cells that no date changes
(id, statement, deadline as written, lead and responsible units). One snapshot holds that for one
set of paths, derived from the loaded plan (after the working group's decisions are applied), and
is loaded in a few milliseconds.

Judging stays `evaluate`'s: the column judge (`judge`) calls the same `measure_values` and `settle`
that `evaluate.judge` decides with. What the columns do not represent is marked, and a view that
would need such a target uses the object model instead: targets judged per entity, targets with
extensions, records that correct or withdraw others, values that are not numbers. A tree with any
problem that makes it incomplete or unreadable gets no snapshot.

Trust follows the cache's rules: the snapshot lists the files it was made from with their stat
(size, mtime, ctime, inode), and is used only when the same files are found, each with the same
stat and older, by the racy margin, than the moment the load that made it began. It lives in the
user's cache folder (never in a repository), is data only (`marshal` of builtin values and
`array` bytes, no pickle), and sealed (`seal`): its HMAC is verified before anything is decoded.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
from array import array
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache as cache_mod
from . import files as files_mod

if TYPE_CHECKING:
    import datetime as dt

    from ..evaluate import Level, Status
    from ..model import ProgressRecord, Target
    from .loader import LoadResult

FORMAT = 1
MILESTONE, MAINTAIN, FALLBACK, EXTENDED = 1, 2, 4, 8
NAN = float("nan")
LANGS = ("zh", "en")


class Snapshot:
    """The columns (see the module docstring); `n` targets in document order."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.n: int = fields["n"]
        self.config: tuple[int, float, float, int] = fields["config"]
        self.deadline = _array("i", fields["deadline"])
        self.start = _array("i", fields["start"])
        self.flags = _array("B", fields["flags"])
        self.comparator = _array("b", fields["comparator"])
        self.value = _array("d", fields["value"])
        self.value_max = _array("d", fields["value_max"])
        self.tol = _array("d", fields["tol"])
        self.base = _array("d", fields["base"])
        self.offsets = _array("i", fields["offsets"])
        self.rec_date = _array("i", fields["rec_date"])
        self.rec_value = _array("d", fields["rec_value"])
        self.rec_done = _array("b", fields["rec_done"])
        self.ids: list[str] = fields["ids"]
        self.units: list[str] = fields["units"]
        self.statement: dict[str, list[str]] = fields["statement"]
        self.deadline_text: dict[str, list[str]] = fields["deadline_text"]
        self.lead: list[tuple[str, ...]] = fields["lead"]
        self.responsible: list[tuple[str, ...]] = fields["responsible"]
        # a target with extensions -> every deadline that can be in force (0: none)
        self.extended: dict[int, tuple[int, ...]] = fields["extended"]
        from ..model import Config

        due_soon, yellow, red, stale_days = self.config
        self.judge_config = Config(
            due_soon_days=due_soon, yellow_gap=yellow, red_gap=red, stale_days=stale_days
        )
        n = self.n
        for column in (self.deadline, self.start, self.flags, self.comparator, self.value):
            if len(column) != n:
                raise ValueError("column length")
        for texts in (self.ids, self.units, self.lead, self.responsible):
            if len(texts) != n:
                raise ValueError("text length")
        if len(self.offsets) != n + 1 or self.offsets[n] != len(self.rec_date):
            raise ValueError("offsets")
        if not len(self.rec_value) == len(self.rec_done) == len(self.rec_date):
            raise ValueError("records")


def _array(code: str, data: Any) -> array[Any]:
    if type(data) is not bytes:
        raise TypeError("column")
    out = array(code)
    out.frombytes(data)
    return out


# --- the column judge ---------------------------------------------------------------------------


class Judged:
    """One target judged over the columns: what the views show of it."""

    __slots__ = (
        "completion",
        "days_left",
        "i",
        "latest",
        "level",
        "over",
        "stale",
        "status",
        "time_elapsed",
    )

    def __init__(
        self,
        i: int,
        status: Status,
        level: Level | None,
        completion: float | None,
        time_elapsed: float | None,
        days_left: int | None,
        over: bool,
        latest: int,
        stale: bool,
    ) -> None:
        self.i = i
        self.status = status
        self.level = level
        self.completion = completion
        self.time_elapsed = time_elapsed
        self.days_left = days_left
        self.over = over
        self.latest = latest  # the index of the latest record in the record columns, -1: none
        self.stale = stale


def judge(snap: Snapshot, i: int, as_of: dt.date) -> Judged:
    """Target `i` as of the date, by `evaluate`'s rule (`measure_values`, `settle`)."""
    import datetime as dt

    from ..evaluate import COMPARATORS, measure_values, settle

    config = snap.judge_config
    stale_days = config.stale_days
    today = as_of.toordinal()
    lo, hi = snap.offsets[i], snap.offsets[i + 1]
    hi = bisect_right(snap.rec_date, today, lo, hi)
    values = [None if x != x else x for x in snap.rec_value[lo:hi]]
    dones = [None if x < 0 else bool(x) for x in snap.rec_done[lo:hi]]
    flags = snap.flags[i]
    c = snap.comparator[i]
    comparator = COMPARATORS[c] if c >= 0 else None
    maintain = bool(flags & MAINTAIN)
    met, completion, over, _value, since, _regressed = measure_values(
        bool(flags & MILESTONE),
        comparator,
        _opt(snap.value[i]),
        _opt(snap.value_max[i]),
        snap.tol[i],
        _opt(snap.base[i]),
        maintain,
        values,
        dones,
    )
    met_on = dt.date.fromordinal(snap.rec_date[lo + since]) if since is not None else None
    d, s = snap.deadline[i], snap.start[i]
    deadline = dt.date.fromordinal(d) if d else None
    start = dt.date.fromordinal(s) if s else None
    status, level, elapsed, days_left, _gap = settle(
        met, met_on, maintain, start, deadline, as_of, hi > lo, completion, config
    )
    latest = hi - 1 if hi > lo else -1
    stale = not status.finished and (latest < 0 or today - snap.rec_date[latest] > stale_days)
    return Judged(
        i,
        status,
        level,
        None if completion is None else round(completion, 1),
        None if elapsed is None else round(elapsed, 1),
        days_left,
        over,
        latest,
        stale,
    )


def _opt(x: float) -> float | None:
    return None if x != x else x


def candidates(snap: Snapshot, as_of: dt.date, days: int | None) -> list[int] | None:
    """Targets whose deadline can qualify, in document order: passed (`days` None, `overdue`) or
    within `days` (`due`), as `evaluate.deadline_passed` and `deadline_within` select them. None
    when one of them needs the object model (it is then used for the whole view)."""
    today = as_of.toordinal()
    deadline, flags = snap.deadline, snap.flags
    last = today + days if days is not None else 0

    def qualifies(d: int) -> bool:
        return bool(d) and (d < today if days is None else today <= d <= last)

    if days is None:
        chosen = [i for i, d in enumerate(deadline) if d and d < today]
    else:
        chosen = [i for i, d in enumerate(deadline) if d and today <= d <= last]
    if any(flags[i] & FALLBACK for i in chosen):
        return None
    # a target with extensions: its deadline in force is its own or one of theirs
    # (`evaluate.effective_deadline`); if any of them can qualify, it needs the object model
    for deadlines in snap.extended.values():
        if any(qualifies(d) for d in deadlines):
            return None
    return chosen


# --- where it lives -----------------------------------------------------------------------------


def _place(named: list[str], store: cache_mod.FileCache) -> Path:
    key = cache_mod._hash("\0".join(os.path.abspath(p) for p in named))
    return store.folder_of(named[0]) / f"snapshot-{key}.snap"


def _tree(named: list[str]) -> list[str] | None:
    """The files the paths name, as the loader finds them; None when it would report a problem
    or a path is not a folder (a single file is read with its repository: not snapshotted)."""
    from .loader import find_files

    if not all(os.path.isdir(p) for p in named):
        return None
    found, problems = find_files(named)
    return None if problems else found


def load(named: list[str]) -> Snapshot | None:
    """The snapshot of the tree `named`, if there is one and every file is as it was."""
    if not cache_mod.enabled():
        return None
    from .seal import unseal

    store = cache_mod.FileCache(cache_mod.cache_dir(), racy_ns=cache_mod.RACY_NS)
    key = store.key()
    if key is None:
        return None
    place = _place(named, store)
    try:
        blob, _ = files_mod.read_regular(place, cache_mod.ENTRY_LIMIT)
    except OSError:
        return None
    payload = unseal(blob, key)  # verified before anything is decoded
    if payload is None:
        return None
    try:
        version, fingerprint, names, tree, stats, seen_ns, fields = marshal.loads(payload)
        if version != FORMAT or fingerprint != store.fingerprint or names != named:
            return None
        found = _tree(named)
        if found is None or found != tree:
            return None
        for path, old in zip(tree, stats, strict=True):
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or cache_mod._stat_key(st) != tuple(old):
                return None
            if max(st.st_ctime_ns, st.st_mtime_ns) >= seen_ns - store.racy_ns:
                return None
        if not cache_mod.STAT_TRUST:
            return None
        return Snapshot(fields)
    except Exception:  # sealed by this user: only a bug or a changed tree gets here
        return None


def save(named: list[str], result: LoadResult, began_ns: int) -> None:
    """Make and write the snapshot of the tree `named` from its loaded `result` (the load began
    at `began_ns`). Quietly nothing when the tree cannot have one or the cache cannot be used."""
    if not cache_mod.enabled() or not cache_mod.STAT_TRUST:
        return
    if result.broken() or any(p.unread for p in result.problems):
        return
    tree = _tree(named)
    if tree is None or tree != result.files:
        return
    store = cache_mod.FileCache(cache_mod.cache_dir(), racy_ns=cache_mod.RACY_NS)
    key = store.key()
    if key is None:
        return
    try:
        stats = []
        for path in tree:
            st = os.lstat(path)
            if max(st.st_ctime_ns, st.st_mtime_ns) >= began_ns - store.racy_ns:
                return  # changed while (or just before) it was read: trusted by no one
            stats.append(cache_mod._stat_key(st))
        fields = columns(result)
    except (OSError, ValueError, OverflowError):
        return
    from .seal import seal

    payload = marshal.dumps((FORMAT, store.fingerprint, named, tree, stats, began_ns, fields))
    place = _place(named, store)
    if not store._prepare(place.parent):
        return
    with contextlib.suppress(OSError):
        cache_mod.write_entry(place, seal(payload, key))


# --- making it ------------------------------------------------------------------------------------


def _plain_number(x: object) -> bool:
    """None or a number a float column holds exactly (NaN stands for None there)."""
    if x is None:
        return True
    if type(x) is not float and type(x) is not int:
        return False
    assert isinstance(x, (float, int))
    return x == x and abs(x) <= 2**53


def _flags(t: Target, records: tuple[ProgressRecord, ...]) -> int:
    from ..model import TargetKind

    f = 0
    if t.kind is TargetKind.MILESTONE:
        f |= MILESTONE
    if t.maintain:
        f |= MAINTAIN
    if t.extensions:
        f |= EXTENDED | FALLBACK
    if t.per_entity or not all(
        _plain_number(x) for x in (t.value, t.value_max, t.baseline, t.tolerance)
    ):
        f |= FALLBACK
    for r in records:
        if (
            r.corrects is not None
            or r.withdraws is not None
            or r.date is None
            or not _plain_number(r.value)
        ):
            return f | FALLBACK
    return f


def columns(result: LoadResult) -> dict[str, Any]:
    """The snapshot's fields, as builtin values, from a loaded plan."""
    from ..evaluate import COMPARATORS, tolerance
    from ..model import Comparator
    from ..registry import Registry
    from ..views import deadline_label, describe_fields, describe_target

    plan = result.plan
    config = plan.config
    registry = Registry(plan.units)
    history = plan.histories()
    comparators = {c: i for i, c in enumerate(COMPARATORS)}
    deadline, start, flags, comparator = array("i"), array("i"), array("B"), array("b")
    value, value_max, tol, base = array("d"), array("d"), array("d"), array("d")
    offsets, rec_date, rec_value, rec_done = array("i", [0]), array("i"), array("d"), array("b")
    ids: list[str] = []
    units: list[str] = []
    statement: dict[str, list[str]] = {lang: [] for lang in LANGS}
    deadline_text: dict[str, list[str]] = {lang: [] for lang in LANGS}
    lead: list[tuple[str, ...]] = []
    responsible: list[tuple[str, ...]] = []
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    extended: dict[int, tuple[int, ...]] = {}
    for doc, m, t in plan.all_targets():
        if t.extensions:
            whens = (t.deadline, *(x.deadline for x in t.extensions))
            extended[len(ids)] = tuple(w.date.toordinal() if w and w.date else 0 for w in whens)
        records = history.get(t.id, ())
        f = _flags(t, records)
        if not f & FALLBACK:
            for r in records:
                assert r.date is not None
                x = r.value
                rec_date.append(r.date.toordinal())
                rec_value.append(NAN if x is None else x)
                rec_done.append(-1 if r.done is None else int(bool(r.done)))
        offsets.append(len(rec_date))
        d = t.deadline.date if t.deadline is not None else None
        s = t.start.date if t.start is not None and t.start.date else doc.issued
        deadline.append(d.toordinal() if d else 0)
        start.append(s.toordinal() if s else 0)
        flags.append(f)
        comparator.append(comparators[t.comparator] if t.comparator is not None else -1)
        value.append(NAN if t.value is None else float(t.value))
        value_max.append(NAN if t.value_max is None else float(t.value_max))
        tol.append(tolerance(t, config) if t.comparator is Comparator.APPROX else 0.0)
        base.append(NAN if t.baseline is None else float(t.baseline))
        ids.append(t.id)
        units.append(t.unit or "")
        described = describe_fields(t)
        for lang in LANGS:
            statement[lang].append(describe_target(described, lang))
            deadline_text[lang].append(deadline_label(t, lang))
        names = registry.canonical_units(t.responsibility or m.responsibility, doc.region)
        lead.append(shared.setdefault(tuple(names[0]), tuple(names[0])))
        responsible.append(shared.setdefault(tuple(names[1]), tuple(names[1])))
    return {
        "n": len(ids),
        "config": (config.due_soon_days, config.yellow_gap, config.red_gap, config.stale_days),
        "deadline": deadline.tobytes(),
        "start": start.tobytes(),
        "flags": flags.tobytes(),
        "comparator": comparator.tobytes(),
        "value": value.tobytes(),
        "value_max": value_max.tobytes(),
        "tol": tol.tobytes(),
        "base": base.tobytes(),
        "offsets": offsets.tobytes(),
        "rec_date": rec_date.tobytes(),
        "rec_value": rec_value.tobytes(),
        "rec_done": rec_done.tobytes(),
        "ids": ids,
        "units": units,
        "statement": statement,
        "deadline_text": deadline_text,
        "lead": lead,
        "responsible": responsible,
        "extended": extended,
    }
