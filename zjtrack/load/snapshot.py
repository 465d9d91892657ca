"""A tree's columnar snapshot: what the views need of every target, as columns, in one file.

The parse cache (`cache`) restores each file's model: at a province a million named tuples, about
170 ms before anything is judged. The views `overdue` and `due` show a few of the targets and judge
only those whose deadline can qualify, so they need far less: per target its deadline, start,
kind, comparator, value, bounds and flags as numbers in `array`s, its records grouped by target
(offsets into columns of date, value and done), and the text of its cells that no date changes
(id, statement, deadline as written, lead and responsible units). One snapshot holds that for one
set of paths, derived from the loaded plan (after the working group's decisions are applied), and
is loaded in a few milliseconds.

Judging stays `evaluate`'s: the column judge (`judge_many`) decides with the same `measure_values`
and `settle_columns` that `evaluate.judge` does, a column at a time. What the columns do not
represent is marked, and a view that would need such a target uses the object model instead:
targets judged per entity, targets with extensions, records that correct or withdraw others, values
that are not numbers. A tree with any problem that makes it incomplete or unreadable gets no
snapshot.

Trust follows the cache's rules: the snapshot lists the files it was made from with their stat
(size, mtime, ctime, inode), and is used only when the same files are found, each with the same
stat and older, by the racy margin, than the moment the load that made it began. It lives in the
user's cache folder (never in a repository), is data only (`marshal` of builtin values and
`array` bytes, no pickle), and sealed (`seal`): its HMAC is verified before anything is decoded
(each section's, or each chunk's of a number column, when it is first read).

A change to a few progress files is spliced in (`splice`) instead of loading the whole tree; the
usual one, records appended to a file, reads only the bytes after those the snapshot holds the
records of (their size and digest kept with it: `Grown`).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import sys
from array import array
from bisect import bisect_right
from itertools import repeat
from operator import add, gt, itemgetter, mul
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from ..evaluate import (
    COMPARATORS,
    Rounded,
    Status,
    elapsed_on,
    measure_values,
    one_place,
    settle_columns,
    stale_columns,
)
from ..model import TargetKind
from . import cache as cache_mod
from . import files as files_mod

T = TypeVar("T")

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from ..evaluate import Level
    from ..model import History, ProgressRecord, Target
    from .content import FileContent
    from .loader import LoadResult

    # a column of `Verdicts`, or a function that makes it when it is first read
    Lazy = list[T] | Callable[[], list[T]]

# 9: each progress file's size and digest (`grown`: a record appended is spliced without reading
# the file's others), and the number columns sealed in chunks (`CHUNK`: a few targets' values are
# read without verifying the whole column); 8: the PERCENT flag; 7: a plan token, which a splice
# keeps (`Cells` made before a change in records are reused); 6: sections, each with its own
# MAC, read when first used (`Stored`); 5: repeating texts interned (`Interned`); 4: the plain
# cells' widths; 3: each record's file and the progress files, for `splice`; 2: a token,
# `all_value`
FORMAT = 9
MILESTONE, MAINTAIN, FALLBACK, EXTENDED = 1, 2, 4, 8
MET_ALL, OVER_ALL = 16, 32  # what all of a target's records say (`measure_values`): met, over
PERCENT = 64  # its unit is "%": a record's value is at most 100 (`_fits`, without `units`)
NAN = float("nan")
LANGS = ("zh", "en")
SEP = "\x1f"  # between unit names in a text column
CELL_WIDTH = 60  # the plain tables' widest cell (`render.terminal.fit`)


# each flag byte -> 1 if it has the FALLBACK bit, else 0
_FALLBACK_BYTES = bytes(1 if b & FALLBACK else 0 for b in range(256))


class Damaged(Exception):
    """A section of a snapshot file that did not verify, was cut short or did not decode to what
    its column must be, met when it was first read (a lazily loaded snapshot, `load`): the view
    that read it is served again without the snapshot (`cli.fast.snapshot_view`)."""


# The columns of `n` numbers each (a target's), and of one number per record, by array type.
_TARGET_ARRAYS = {
    "deadline": "i",
    "start": "i",
    "flags": "B",
    "comparator": "b",
    "value": "d",
    "value_max": "d",
    "tol": "d",
    "base": "d",
    # `measure_values` over all of a target's records, for an as-of date on or after the last
    # (the usual case): completion (NaN: None), the day it has been met since (0), the latest
    # value (NaN: None)
    "all_completion": "d",
    "all_since": "i",
    "all_value": "d",
    # the width of each id as a plain table's cell shows it unchanged (`text.plain_width`: -1,
    # the cell must be made by `render.terminal.fit`)
    "id_width": "i",
    # the status view's documents and measures: each target's
    "target_doc": "i",
    "target_measure": "i",
}
_RECORD_ARRAYS = {"rec_date": "i", "rec_value": "d", "rec_done": "b", "rec_file": "i"}
_TARGET_TEXTS = ("ids", "units")  # `Texts`
_TARGET_INTERNED = ("lead", "responsible")  # `Interned`, names joined by SEP
_LISTS = ("doc_ids", "doc_titles", "measure_ids", "measure_titles")
# fields with a value per language (LANGS), each language its own section of the file
_PER_LANG = ("statement", "statement_width", "deadline_text")
# fields kept in the file's sealed header: small, and read by every load
_SMALL = ("n", "config", "token", "plan_token", "extended", "progress", "grown")
# The number columns are sealed in chunks of this many bytes, each with its own MAC: a splice reads
# the values of the few targets it touches, and their records, verifying only the chunks that hold
# them (`Stored.numbers`); a view that reads a whole column verifies every chunk of it.
CHUNK = 1 << 16
_ARRAY_CODES = {**_TARGET_ARRAYS, "offsets": "i", **_RECORD_ARRAYS}
_CHUNKED = frozenset(_ARRAY_CODES)
_MARSHAL_HEAD = 5  # `marshal.dumps` of bytes: a type byte and the length, 4 bytes


class _ByLang(dict):  # type: ignore[type-arg]
    """A field per language, each made on first use."""

    def __init__(self, make: Callable[[str], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, lang: str) -> Any:
        if lang not in LANGS:
            raise KeyError(lang)
        made = self[lang] = self._make(lang)
        return made


class Snapshot:
    """The columns (see the module docstring); `n` targets in document order. Each column is
    made from its field when first used (`__getattr__`): from a snapshot file (`Stored`), its
    section is then read, verified and decoded, so a view reads only the columns it uses."""

    deadline: array[int]
    start: array[int]
    flags: array[int]
    comparator: array[int]
    value: array[float]
    value_max: array[float]
    tol: array[float]
    base: array[float]
    offsets: array[int]
    rec_date: array[int]
    rec_value: array[float]
    rec_done: array[int]
    rec_file: array[int]  # the index of its file in the tree's
    all_completion: array[float]
    all_since: array[int]
    all_value: array[float]
    ids: Texts
    id_width: array[int]
    statement_width: dict[str, array[int]]
    units: Texts
    statement: dict[str, Texts]
    deadline_text: dict[str, Interned]
    lead: Interned
    responsible: Interned
    target_doc: array[int]
    target_measure: array[int]
    doc_ids: list[str]
    doc_titles: list[str]
    measure_ids: list[str]
    measure_titles: list[str]
    measure_lead: Texts
    fallback: bool  # some target needs the objects: a flag byte with the FALLBACK bit
    last_day: int  # the latest date of any record (a day number; 0: no record)

    def __init__(self, fields: Any) -> None:
        self._fields = fields  # a dict of the fields, or a snapshot file's (`Stored`)
        # (device, inode) of each file of the tree, when loaded from a snapshot file (`_load`)
        self.inputs: frozenset[tuple[int, int]] = frozenset()
        self.n: int = fields["n"]
        self.config: tuple[int, float, float, int] = fields["config"]
        self.token: bytes = fields["token"]  # this snapshot's own, shared by its side files
        # made with the snapshot and kept by a splice, which changes records only: side files
        # made from what the plan alone decides are still good after a splice
        self.plan_token: bytes = fields["plan_token"]
        # a target with extensions -> every deadline that can be in force (0: none)
        self.extended: dict[int, tuple[int, ...]] = fields["extended"]
        if type(self.n) is not int or type(self.token) is not bytes:
            raise TypeError("snapshot")
        if type(self.plan_token) is not bytes:
            raise TypeError("snapshot")
        if type(self.extended) is not dict:
            raise TypeError("extended")
        from ..model import Config

        due_soon, yellow, red, stale_days = self.config
        self.judge_config = Config(
            due_soon_days=due_soon, yellow_gap=yellow, red_gap=red, stale_days=stale_days
        )

    def __getattr__(self, name: str) -> Any:
        """A column not made yet: made (and checked) from its field, and kept. Raises Damaged
        when its field cannot make it."""
        if name.startswith("_"):
            raise AttributeError(name)
        make = _MAKERS.get(name)
        if make is None:
            raise AttributeError(name)
        try:
            made = make(self, self._fields, name)
        except Damaged:
            raise
        except Exception as e:  # sealed by this user: only a bug or a damaged file gets here
            raise Damaged(name) from e
        setattr(self, name, made)
        return made

    def load_all(self) -> Snapshot:
        """Every column made now (each section read and verified): what uses the snapshot after
        it has begun writing can then meet no damaged section. Raises Damaged."""
        return self.load_columns(*_MAKERS)

    def load_columns(self, *names: str) -> Snapshot:
        """The columns `names` made now (`load_all`'s, for a view that reads only these once it
        has begun writing). Raises Damaged."""
        for name in names:
            column = getattr(self, name)
            if name in _PER_LANG:
                for lang in LANGS:
                    column[lang]
        return self


def _make_target_array(snap: Snapshot, fields: Any, name: str) -> Any:
    return _per_target(_array(_TARGET_ARRAYS[name], fields[name]), snap.n)


def _make_record_array(snap: Snapshot, fields: Any, name: str) -> Any:
    column = _array(_RECORD_ARRAYS[name], fields[name])
    if len(column) != snap.offsets[snap.n]:
        raise ValueError("records")
    return column


def _make_offsets(snap: Snapshot, fields: Any, name: str) -> Any:
    offsets = _array("i", fields[name])
    if len(offsets) != snap.n + 1 or offsets[0] != 0:
        raise ValueError("offsets")
    return offsets


def _make_list(snap: Snapshot, fields: Any, name: str) -> Any:
    value = fields[name]
    if type(value) is not list:
        raise TypeError(name)
    return value


def _per_target(column: Any, n: int) -> Any:
    """`column`, checked to hold a value per target (`n`)."""
    if len(column) != n:
        raise ValueError("column length")
    return column


def _make_per_lang(snap: Snapshot, fields: Any, name: str) -> Any:
    # the makers hold the count and the stored field, not the snapshot: a snapshot holding its
    # own maker would be a cycle, and a lazy one's file would stay open until a collection
    stored, n = fields[name], snap.n
    if name == "statement":
        return _ByLang(lambda lang: _per_target(Texts(stored[lang]), n))
    if name == "statement_width":
        return _ByLang(lambda lang: _per_target(_array("i", stored[lang]), n))
    return _ByLang(lambda lang: Interned(stored[lang], n))


def _make_fallback(snap: Snapshot, fields: Any, name: str) -> Any:
    # a flag byte with the FALLBACK bit, found in C
    return b"\x01" in snap.flags.tobytes().translate(_FALLBACK_BYTES)


_MAKERS: dict[str, Callable[[Snapshot, Any, str], Any]] = {
    **dict.fromkeys(_TARGET_ARRAYS, _make_target_array),
    "offsets": _make_offsets,
    **dict.fromkeys(_RECORD_ARRAYS, _make_record_array),
    **dict.fromkeys(_TARGET_TEXTS, lambda snap, f, name: _per_target(Texts(f[name]), snap.n)),
    **dict.fromkeys(_TARGET_INTERNED, lambda snap, f, name: Interned(f[name], snap.n)),
    **dict.fromkeys(_PER_LANG, _make_per_lang),
    **dict.fromkeys(_LISTS, _make_list),
    "measure_lead": lambda snap, f, name: Texts(f[name]),
    "fallback": _make_fallback,
    "last_day": lambda snap, f, name: max(snap.rec_date, default=0),
}


class Texts:
    """A column of texts: their UTF-8 bytes end to end, and where each starts. Only the texts
    of the rows shown are ever decoded."""

    def __init__(self, stored: Any) -> None:
        blob, offsets = stored
        if type(blob) is not bytes:
            raise TypeError("texts")
        self.blob = blob
        self.offsets = _array("i", offsets)
        self._all: list[str] | None = None
        if not self.offsets or self.offsets[-1] != len(blob) or self.offsets[0] != 0:
            raise ValueError("texts")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        if self._all is not None:
            return self._all[i]
        start, end = self.offsets[i], self.offsets[i + 1] - 1  # each ends in a NUL
        return self.blob[start:end].decode("utf-8", "surrogateescape")

    def decode_all(self) -> None:
        """Decode every text at once (a view that shows most rows): one C call."""
        if self._all is None:
            texts = self.blob.decode("utf-8", "surrogateescape").split("\0")
            if len(texts) != len(self) + 1:
                raise ValueError("texts")
            self._all = texts

    def pick(self, at: list[int]) -> list[str]:
        """Texts `at`, decoded: one by one when they are long and few (16 bytes or more on
        average, a quarter of the rows or fewer: `overdue`'s statements at a province, 0.65× the
        time of decoding the whole column), else the whole column at once (`decode_all`)."""
        if self._all is None and len(at) * 4 <= len(self) and len(self.blob) >= 16 * len(self):
            blob, offsets = self.blob, self.offsets
            return [
                blob[offsets[i] : offsets[i + 1] - 1].decode("utf-8", "surrogateescape") for i in at
            ]
        return list(map(self.raw_all_text().__getitem__, at))

    def raw(self, i: int) -> bytes:
        """Text `i` as its stored bytes."""
        return self.blob[self.offsets[i] : self.offsets[i + 1] - 1]

    def raw_all_text(self) -> list[str]:
        """Every text, decoded (`decode_all`), as a list."""
        self.decode_all()
        assert self._all is not None
        return self._all[: len(self)]

    def raw_all(self) -> list[bytes]:
        """Every text as its stored bytes, in one C call (and an empty one at the end)."""
        out = self.blob.split(b"\0")
        if len(out) != len(self) + 1:
            raise ValueError("texts")
        return out

    def names(self, i: int) -> list[str]:
        """A text of unit names joined by SEP, as a list."""
        text = self[i]
        return text.split(SEP) if text else []

    @staticmethod
    def store(texts: list[str]) -> tuple[bytes, bytes]:
        from itertools import accumulate, repeat

        if any("\0" in text for text in texts):
            raise ValueError("a text with a NUL")  # no snapshot: never wrong
        parts = list(map(str.encode, texts, repeat("utf-8"), repeat("surrogateescape")))
        offsets = array("i", accumulate((len(b) + 1 for b in parts), initial=0))
        return b"\0".join(parts) + b"\0", offsets.tobytes()


class Interned:
    """A column of texts that repeat (deadlines as written, unit names): each distinct text
    once (`Texts`), and each row's index into them. Read as a `Texts` is. The indices are
    unsigned (none can count from the end) and not range-checked when loaded (a scan of every
    row, 5 ms a snapshot at a province): the seal vouches that they are what `store` wrote, and
    one out of range would fail its read (IndexError), never show another text."""

    def __init__(self, stored: Any, rows: int | None = None) -> None:
        distinct, index, *code = stored  # the index's array type, when it is not "I"
        self.distinct = Texts(distinct)
        if code and code[0] not in _NARROW:
            raise ValueError("texts")
        self.index = _array(code[0] if code else "I", index)
        if rows is not None and len(self.index) != rows:
            raise ValueError("texts")
        self._all: list[str] | None = None

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, i: int) -> str:
        return self.distinct[self.index[i]]

    def decode_all(self) -> None:
        self.distinct.decode_all()

    def raw_all_text(self) -> list[str]:
        """Every row's text, as a list."""
        if self._all is None:
            self._all = list(map(self.distinct.raw_all_text().__getitem__, self.index))
        return self._all

    def indices(self, at: list[int]) -> list[int]:
        """Rows `at`, each as the index of its text among the distinct ones (`distinct`)."""
        return list(map(self.index.__getitem__, at))

    def names(self, i: int) -> list[str]:
        text = self[i]
        return text.split(SEP) if text else []

    def raw_distinct(self) -> list[bytes]:
        """The distinct texts as their stored bytes (`Texts.raw_all` without its empty end)."""
        return self.distinct.raw_all()[:-1]

    @staticmethod
    def store(texts: list[str], strict: bool = False) -> tuple[tuple[bytes, bytes], bytes]:
        """The distinct texts (`Texts.store`, or `_store_strict` for JSON text) and each row's
        index among them."""
        known: dict[str, int] = {}
        index = array("I", [known.setdefault(text, len(known)) for text in texts])
        return (_store_strict if strict else Texts.store)(list(known)), index.tobytes()

    @staticmethod
    def store_narrow(texts: list[str]) -> tuple[tuple[bytes, bytes], bytes, str]:
        """`store`, each index in as few bytes as the count of distinct texts allows (a side
        file's columns of a text or two repeated over 100,000 records: 1 byte a row, not 4)."""
        known: dict[str, int] = {}
        indices = [known.setdefault(text, len(known)) for text in texts]
        code = next(c for c in _NARROW if len(known) <= 1 << (8 * array(c).itemsize))
        return Texts.store(list(known)), array(code, indices).tobytes(), code


_NARROW = ("B", "H", "I")  # the array types `Interned.store_narrow` picks from


def _joined(names: list[str]) -> str:
    if any(SEP in n for n in names):
        raise ValueError("a unit name with the separator")  # no snapshot: never wrong
    return SEP.join(names)


def _array(code: str, data: Any) -> array[Any]:
    if type(data) is not bytes:
        raise TypeError("column")
    out = array(code)
    out.frombytes(data)
    return out


# --- the column judge ---------------------------------------------------------------------------


class Judged:
    """One target judged over the columns: what the views show of it (a row of `Verdicts`)."""

    __slots__ = (
        "completion",
        "days_left",
        "gap",
        "i",
        "latest",
        "level",
        "met",
        "met_on",
        "never_recorded",
        "over",
        "stale",
        "status",
        "time_elapsed",
        "value",
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
        met: bool,
        gap: float | None,
        value: float | None,
        met_on: int | None,
        never_recorded: bool,
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
        self.met = met
        self.gap = gap  # rounded, as `evaluate.judge` gives it
        self.value = value  # the latest value, as `measure_values` finds it
        self.met_on = met_on  # the day it has been met since (`met_since`), a day number
        self.never_recorded = never_recorded  # 逾期未完成（无进展数据）


_LAZY = ("completion", "time_elapsed", "stale", "value")  # `Verdicts` columns made when first read


class _Lazy(Generic[T]):
    """A column of `Verdicts` given as a list, or as a function that makes it (`Lazy`): made
    when first read, and kept (in the slot `_name`)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj: Any, owner: type | None = None) -> list[T]:
        made = getattr(obj, self.slot)
        if callable(made):
            made = made()
            setattr(obj, self.slot, made)
        return made  # type: ignore[no-any-return]


class Verdicts:
    """Targets judged over the columns (`judge_many`), a column per field of `Judged`, one item
    per target in the order judged; a sequence of `Judged`, each made when asked for. `partial`:
    some target has a record dated after the day (its latest record is not its last). The gap
    may be given unrounded (`raw_gap`, `gap` None): it is rounded when first read (the status
    table never reads it). Completion, time elapsed, 久未更新 and the latest value may be given
    as a function that makes the column (`Lazy`), called when the column is first read (the
    weekly report's cut-off before reads none of them)."""

    __slots__ = (
        *(
            name
            for name in Judged.__slots__
            if name not in ("gap", "never_recorded") and name not in _LAZY
        ),
        *(f"_{name}" for name in _LAZY),
        "_gap",
        "_raw_gap",
        "_never",
        "partial",
    )

    def __init__(
        self,
        i: list[int],
        status: list[Status],
        level: list[Level | None],
        completion: Lazy[float | None],
        time_elapsed: Lazy[float | None],
        days_left: list[int | None],
        over: list[bool],
        latest: list[int],
        stale: Lazy[bool],
        met: list[bool],
        gap: list[float | None] | None,
        value: Lazy[float | None],
        met_on: list[int | None],
        partial: bool = True,
        raw_gap: list[float | None] | None = None,
    ) -> None:
        self.i, self.status, self.level = i, status, level
        self.partial = partial
        self._gap, self._raw_gap = gap, raw_gap
        self._never: list[bool] | None = None
        self._completion, self._time_elapsed, self.days_left = completion, time_elapsed, days_left
        self.over, self.latest, self._stale, self.met = over, latest, stale, met
        self._value, self.met_on = value, met_on

    completion: _Lazy[float | None] = _Lazy()
    time_elapsed: _Lazy[float | None] = _Lazy()
    stale: _Lazy[bool] = _Lazy()
    value: _Lazy[float | None] = _Lazy()

    @property
    def never_recorded(self) -> list[bool]:
        """逾期未完成（无进展数据）: overdue, and nothing ever recorded (as
        `TargetResult.never_recorded` decides it for the object model)."""
        if self._never is None:
            overdue = Status.OVERDUE
            pairs = zip(self.status, self.latest, strict=True)
            self._never = [s is overdue and k < 0 for s, k in pairs]
        return self._never

    @property
    def gap(self) -> list[float | None]:
        """Each gap, rounded (`one_place`)."""
        if self._gap is None:
            assert self._raw_gap is not None  # given one or the other
            self._gap, self._raw_gap = Rounded().each(self._raw_gap), None
        return self._gap

    def __len__(self) -> int:
        return len(self.i)

    def __getitem__(self, k: int) -> Judged:
        return Judged(*(getattr(self, name)[k] for name in _JUDGED_FIELDS))

    def __iter__(self) -> Iterator[Judged]:
        return map(Judged, *(getattr(self, name) for name in _JUDGED_FIELDS))

    def take(self, at: Iterable[int]) -> Verdicts:
        """Those at positions `at`, in that order (a gap not yet rounded stays so)."""
        at = list(at)
        made = ("never_recorded", "gap" if self._gap is None else "")  # made by `Verdicts`
        names = [name for name in _JUDGED_FIELDS if name not in made]
        columns: dict[str, Any] = {
            name: list(map(getattr(self, name).__getitem__, at)) for name in names
        }
        if self._gap is None:
            assert self._raw_gap is not None
            columns["raw_gap"] = list(map(self._raw_gap.__getitem__, at))
            columns["gap"] = None
        return Verdicts(**columns, partial=self.partial)


# `Judged`'s fields in the order it takes them
_JUDGED_FIELDS = (
    "i",
    "status",
    "level",
    "completion",
    "time_elapsed",
    "days_left",
    "over",
    "latest",
    "stale",
    "met",
    "gap",
    "value",
    "met_on",
    "never_recorded",
)


# `bytes.translate` tables that make each flag byte 1 or 0: met by all records, over, maintained
_FLAG_BITS = tuple(
    bytes(1 if b & bit else 0 for b in range(256)) for bit in (MET_ALL, OVER_ALL, MAINTAIN)
)
_DAYS = 1 << 22  # more than any day's number (9999-12-31 is 3,652,059): a key of two days


def judge(snap: Snapshot, i: int, as_of: dt.date) -> Judged:
    """Target `i` as of the date, by `evaluate`'s rule."""
    return judge_many(snap, [i], as_of)[0]


def judge_many(snap: Snapshot, chosen: Iterable[int], as_of: dt.date) -> Verdicts:
    """Targets `chosen` as of the date, by `evaluate`'s rule: `measure_values` and
    `settle_columns`, as `evaluate.judge` decides for a target judged as a whole. A column at a
    time: what all of a target's records say was decided when the columns were made (`MET_ALL`,
    `all_completion`, ...); only a target with a record dated after the day is measured again
    (`measure_at`), over the records dated by it."""
    return judge_days(snap, chosen, (as_of,))[0]


def judge_days(snap: Snapshot, chosen: Iterable[int], days: Sequence[dt.date]) -> list[Verdicts]:
    """`judge_many` of the targets `chosen` as of each of `days` (the weekly report's period end
    and the cut-off before), what does not depend on the day taken from the columns once."""
    taken = _Taken(snap, chosen)
    return [taken.judge(day) for day in days]


class _Taken:
    """What `judge_many` reads of the columns for the targets `chosen`, whatever the day."""

    def __init__(self, snap: Snapshot, chosen: Iterable[int]) -> None:
        self.snap = snap
        at = self.at = list(chosen)
        self.whole = whole = isinstance(chosen, range) and chosen == range(snap.n)
        offsets = snap.offsets
        if whole:  # every target: the columns as they are

            def take(column: Sequence[T]) -> list[T]:
                return list(column[: len(at)])

            self.ends = list(offsets[1:])
        else:

            def take(column: Sequence[T]) -> list[T]:
                return list(map(column.__getitem__, at))

            self.ends = [offsets[i + 1] for i in at]
        self.starts = take(offsets)
        flags = bytes(take(snap.flags))
        self.met, self.over, self.maintain = (
            list(map(bool, flags.translate(bits))) for bits in _FLAG_BITS
        )
        self.completion = [None if x != x else x for x in take(snap.all_completion)]
        self.value: list[float | None] = take(snap.all_value)  # NaN: none, until read
        self.met_on = [x or None for x in take(snap.all_since)]
        deadlines = take(snap.deadline)
        # 序时进度 by start and deadline (a key of both days): a tree has a handful of each
        self.spans = list(map(add, map(mul, take(snap.start), repeat(_DAYS)), deadlines))
        self.distinct_spans = set(self.spans)
        self.deadline = [d or None for d in deadlines]

    def judge(self, as_of: dt.date) -> Verdicts:
        """The targets as of the day (`judge_many`)."""
        snap, starts, ends = self.snap, self.starts, self.ends
        config = snap.judge_config
        today = as_of.toordinal()
        rec_date = snap.rec_date
        # each day's verdicts own their columns (copies of the taken ones, which stay as taken)
        at, met, completion, over = self.at[:], self.met[:], self.completion[:], self.over[:]
        value, met_on, known = self.value[:], self.met_on[:], ends[:]
        # a record dated after the day: for every target, first looked for among all records at
        # once (the latest of them is kept with the snapshot: `last_day`)
        after = bool(rec_date) and (not self.whole or snap.last_day > today)
        for k, (lo, end) in enumerate(zip(starts, ends, strict=True) if after else ()):
            if end > lo and rec_date[end - 1] > today:  # one of this target's: measured again
                hi = known[k] = bisect_right(rec_date, today, lo, end)
                met[k], completion[k], over[k], value[k], since, _ = measure_at(snap, at[k], lo, hi)
                met_on[k] = rec_date[lo + since] if since is not None else None
        has = list(map(gt, known, starts))
        latest = [hi - 1 if hi > lo else -1 for lo, hi in zip(starts, known, strict=True)]
        spans = self.spans
        found = {k: elapsed_on(k // _DAYS, k % _DAYS, today) for k in self.distinct_spans}
        elapsed = list(map(found.__getitem__, spans))
        rounded = Rounded()
        shown_elapsed = {k: e and rounded[e] for k, e in found.items()}
        settled = settle_columns(
            met, met_on, self.maintain, self.deadline, today, has, completion, elapsed, config
        )
        status = settled.status

        def stale() -> list[bool]:  # 久未更新
            since_latest = [today - rec_date[k] if k >= 0 else None for k in latest]
            return stale_columns(status, since_latest, config)

        return Verdicts(
            at,
            status,
            settled.level,
            lambda: rounded.each(completion),
            lambda: list(map(shown_elapsed.__getitem__, spans)),
            settled.days_left,
            over,
            latest,
            stale,
            met,
            None,
            lambda: [None if x != x else x for x in value],  # NaN: none (None stays None)
            met_on,
            partial=known != ends,
            raw_gap=settled.gap,
        )


def measure_at(
    snap: Snapshot, i: int, lo: int, hi: int
) -> tuple[bool, float | None, bool, float | None, int | None, bool]:
    """`evaluate.measure_values` of target `i` over its records `lo:hi`: met, completion, over,
    the latest value, the index (from `lo`) of the record it has been met since, regressed."""
    values = [None if x != x else x for x in snap.rec_value[lo:hi]]
    dones = [None if x < 0 else x == 1 for x in snap.rec_done[lo:hi]]
    flags, c = snap.flags[i], snap.comparator[i]
    return measure_values(
        bool(flags & MILESTONE),
        COMPARATORS[c] if c >= 0 else None,
        opt(snap.value[i]),
        opt(snap.value_max[i]),
        snap.tol[i],
        opt(snap.base[i]),
        bool(flags & MAINTAIN),
        values,
        dones,
    )


def opt(x: float) -> float | None:
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
    if snap.fallback and any(flags[i] & FALLBACK for i in chosen):
        return None
    # a target with extensions: its deadline in force is its own or one of theirs
    # (`evaluate.effective_deadline`); if any of them can qualify, it needs the object model
    for deadlines in snap.extended.values():
        if any(qualifies(d) for d in deadlines):
            return None
    return chosen


def unmet(snap: Snapshot, chosen: list[int], as_of: dt.date) -> list[int]:
    """`chosen` without the targets whose records all count as of the date (none is dated after it)
    and were found met by all of them (`MET_ALL`): `settle_columns` makes such a target done or
    done late once its deadline has passed (a maintained one is no longer held then), never
    overdue. For `overdue`, whose candidates' deadlines have all passed."""
    today = as_of.toordinal()
    offsets, rec_date, flags = snap.offsets, snap.rec_date, snap.flags
    return [
        i
        for i in chosen
        if not flags[i] & MET_ALL
        or (offsets[i + 1] > offsets[i] and rec_date[offsets[i + 1] - 1] > today)
    ]


class Overdue:
    """The targets `overdue` shows, as columns: each one's index, days late and completion
    (rounded, as `Verdicts`), and the status and level they share (`evaluate.settle_columns` and
    `level_of` decide them)."""

    __slots__ = ("at", "completion", "late", "level", "status")

    def __init__(
        self,
        at: list[int],
        late: list[int],
        completion: list[float | None],
        status: Status,
        level: Level | None,
    ) -> None:
        self.at, self.late, self.completion = at, late, completion
        self.status, self.level = status, level

    def __len__(self) -> int:
        return len(self.at)


def overdue(snap: Snapshot, as_of: dt.date) -> Overdue | None:
    """The targets overdue as of the date, in document order, without judging each: a candidate
    (`candidates`: its deadline has passed) whose records all count as of the date is overdue
    unless they met it (`MET_ALL`), as `settle_columns` decides once the deadline has passed (a
    maintained target is no longer held then), with the completion they gave (`all_completion`);
    the others (a record after the date) are judged together (`judge_many`). None when a candidate
    needs the object model."""
    from ..evaluate import level_of

    chosen = candidates(snap, as_of, None)
    if chosen is None:
        return None
    today = as_of.toordinal()
    offsets, rec_date, flags = snap.offsets, snap.rec_date, snap.flags
    all_completion, deadline = snap.all_completion, snap.deadline
    at: list[int] = []
    completion: list[float | None] = []
    later: list[int] = []  # candidates with a record after the date: judged together, below
    for i in chosen:
        end = offsets[i + 1]
        if end > offsets[i] and rec_date[end - 1] > today:
            later.append(i)
        elif not flags[i] & MET_ALL:
            x = all_completion[i]
            at.append(i)
            completion.append(None if x != x else one_place(x))
    if later:
        judged = judge_many(snap, later, as_of)
        overdue_ = Status.OVERDUE
        found = zip(judged.i, judged.completion, judged.status, strict=True)
        kept = [(i, c) for i, c, status in found if status is overdue_]
        both = sorted([*zip(at, completion, strict=True), *kept])  # document order
        at, completion = [i for i, _ in both], [c for _, c in both]
    late = [today - d for d in map(deadline.__getitem__, at)]
    level = level_of(Status.OVERDUE, None, None, snap.judge_config)
    return Overdue(at, late, completion, Status.OVERDUE, level)


# --- where it lives -----------------------------------------------------------------------------


def _place(named: list[str], store: cache_mod.FileCache, side: str = "") -> str:
    """In the cache's own folder (private, made by `key`), one file per set of paths (and its
    side files: `side` names one). The paths as given and as absolute paths both name it: a
    snapshot holds the paths as its load named them (a record's file, as the views show it),
    so a tree named once relatively and once absolutely has two, not one that each run throws
    away for the other."""
    key = cache_mod._hash("\0".join(f"{os.path.abspath(p)}\x01{p}" for p in named))
    return os.path.join(store.root, f"snapshot-{key}{side}.snap")


def _folders(named: list[str]) -> list[str] | None:
    """Every folder the loader walks for `named` (`loader.find_files`: hidden folders skipped),
    in walking order: adding, removing or renaming a file changes its folder's stat. None when
    a path is not a folder (a file is read with its repository: not snapshotted) or a linked
    folder is met (the loader reports it)."""
    out: list[str] = []
    for top in named:
        if not os.path.isdir(top) or os.path.islink(top):
            return None
        for root, dirs, _names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if any(os.path.islink(os.path.join(root, d)) for d in dirs):
                return None
            out.append(root)
    return out


def _trusted(st: os.stat_result, old: Any, seen_ns: int, racy_ns: int) -> bool:
    """The cache's stat rule: the same stat, and older than the racy margin before `seen_ns`."""
    return (
        cache_mod._stat_key(st) == tuple(old)
        and max(st.st_ctime_ns, st.st_mtime_ns) < seen_ns - racy_ns
    )


def _keyed_store() -> tuple[cache_mod.FileCache, bytes] | None:
    """The cache and its key, or None: the cache is off, its stat rule is not trusted, or no key
    can be had (the snapshot and its side files are then neither read nor written)."""
    if not cache_mod.enabled() or not cache_mod.STAT_TRUST:
        return None
    store = cache_mod.FileCache(cache_mod.cache_dir(), racy_ns=cache_mod.RACY_NS)
    key = store.key()
    return None if key is None else (store, key)


def _unsealed(named: list[str], side: str) -> tuple[cache_mod.FileCache, memoryview] | None:
    """The cache and the verified payload of the side file `side` of the snapshot of `named`
    (the snapshot's own file is read by `_open`), or None: no cache, no key, no such regular file, or a seal that does not verify.
    Nothing is decoded before the seal is checked."""
    keyed = _keyed_store()
    if keyed is None:
        return None
    from .seal import unseal

    store, key = keyed
    try:
        blob, _ = files_mod.read_regular(_place(named, store, side), cache_mod.ENTRY_LIMIT)
    except OSError:
        return None
    payload = unseal(blob, key)
    return None if payload is None else (store, payload)


# The last snapshot `load` returned, and the one `hand_over` passes to the next `load` of the same
# paths in this process (the router read it and declined: the typer path does not read it again).
_LAST: tuple[list[str], Snapshot] | None = None
_HANDED: tuple[list[str], Snapshot] | None = None


def hand_over(keep: bool = True) -> None:
    """Let the next `load` (of the same paths, once) return the snapshot the last one returned
    (`keep` False: no longer)."""
    global _HANDED
    _HANDED = _LAST if keep else None


def forget() -> None:
    """Hand over nothing: the last snapshot met a damaged section (`Damaged`)."""
    global _HANDED, _LAST
    _HANDED = _LAST = None


def load(named: list[str], lazy: bool = False) -> Snapshot | None:
    """The snapshot of the tree `named`, if there is one and every file and folder is as it was.
    Each section of its file is verified and decoded now, or with `lazy` when its column is first
    used (then a damaged one raises `Damaged` there: for a caller that has written nothing yet and
    can serve the view without the snapshot)."""
    global _HANDED, _LAST
    handed, _HANDED = _HANDED, None
    if handed is not None and handed[0] == named:
        snap: Snapshot | None = handed[1]
        if not lazy:
            try:
                handed[1].load_all()
            except Damaged:
                snap = _LAST = None  # `forget`: handed over no more
        return snap
    snap = _load(named, lazy)
    _LAST = (list(named), snap) if snap is not None else None
    return snap


# A snapshot file: MAGIC, the length of its sealed header (8 bytes, little-endian), the sealed
# header (`seal`), then its sections end to end. The header holds what the load checks first
# (format, the code's fingerprint, the paths, the files and folders with their stat, when the
# load that made it began), the small fields (_SMALL), and each section's offset, length and MAC.
MAGIC = b"zjtrack-snapshot-9\n"
_HEAD_READ = 1 << 16  # the first read: the header of a province's snapshot is about 20 KB


class _OpenFile:
    """A file descriptor, closed when no one holds it any longer."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


class Patch(NamedTuple):
    """A target column of a snapshot file with the values of a few targets changed (a spliced
    snapshot's, `_settle`), applied when the column is first read: a view that reads no such
    column does not read the file's section at all."""

    code: str  # the column's array type
    changes: dict[int, Any]  # target -> its value

    def applied_to(self, stored: bytes) -> bytes:
        column = _array(self.code, stored)
        for i, value in self.changes.items():
            column[i] = value
        return column.tobytes()


class Inserted(NamedTuple):
    """A record column of a snapshot file with values inserted (records appended to a progress
    file, spliced: `_splice_appended`), applied when the column is first read, as a `Patch` is:
    `values[j]` goes before the file's value at `at[j]` (`at` never decreasing; equal places
    keep the order of `values`)."""

    code: str  # the column's array type
    at: list[int]
    values: list[Any]

    def applied_to(self, stored: bytes) -> bytes:
        size = array(self.code).itemsize
        if len(stored) % size or (
            self.at and not 0 <= self.at[0] <= self.at[-1] <= len(stored) // size
        ):
            raise ValueError("an insertion out of range")  # only a bug gets here
        view = memoryview(stored)
        parts: list[bytes | memoryview] = []
        done = 0
        for at, value in zip(self.at, self.values, strict=True):
            parts.append(view[done * size : at * size])
            parts.append(array(self.code, [value]).tobytes())
            done = at
        parts.append(view[done * size :])
        return b"".join(parts)


_PATCHES = (Patch, Inserted)
# a section's MAC: of the whole section, or of each of its chunks (`CHUNK`)
Mac = bytes | tuple[bytes, ...]


class Stored:
    """The fields of a snapshot file, read as a `dict` of fields is: each section is read,
    verified against the MAC its sealed header lists, and decoded when first asked for (raises
    `Damaged` when it does not verify). Fields set (`__setitem__`) override the file's, for a
    snapshot spliced from it; `section` gives a section's bytes and MAC unchanged, to write
    again without decoding."""

    def __init__(
        self,
        file: _OpenFile | None,
        data: bytes | None,
        base: int,
        index: dict[str, tuple[int, int, Mac]],
        small: dict[str, Any],
        key: bytes,
    ) -> None:
        self._file, self._data, self._base = file, data, base
        self._index, self._small, self._key = index, small, key
        self._over: dict[str, Any] = {}
        self._decoded: dict[str, Any] = {}

    def names(self) -> list[str]:
        """Every field's name."""
        names = dict.fromkeys(self._small)
        names.update(dict.fromkeys(name.partition(".")[0] for name in self._index))
        names.update(dict.fromkeys(self._over))
        return list(names)

    def __getitem__(self, name: str) -> Any:
        if name in self._over:
            value = self._over[name]
            if type(value) in _PATCHES:  # applied to the file's column when first read
                value = self._over[name] = value.applied_to(self._decode(name))
            return value
        if name in self._small:
            return self._small[name]
        if name in _PER_LANG:
            return _ByLang(lambda lang: self._decode(f"{name}.{lang}"))
        return self._decode(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self._over[name] = value

    def update(self, **fields: Any) -> None:
        self._over.update(fields)

    def copy(self) -> Stored:
        """The same file's fields, with a copy of the fields set."""
        other = Stored(self._file, self._data, self._base, self._index, self._small, self._key)
        other._decoded, other._over = self._decoded, dict(self._over)
        return other

    def overridden(self, name: str) -> bool:
        return name in self._over or name in self._small

    def section(self, name: str) -> tuple[bytes | memoryview, Mac]:
        """Section `name`'s bytes, verified, and its MAC. Raises Damaged."""
        offset, length, expected = self.extent(name)
        data = self._read(name, offset, length)
        if not _vouched(expected, data, self._key):
            raise Damaged(name)
        return data, expected

    def extent(self, name: str) -> tuple[int, int, Mac]:
        """Where section `name` is among the sections, its length and MAC. Raises Damaged."""
        entry = self._index.get(name)
        if entry is None:
            raise Damaged(name)
        return entry

    def copied(self, extents: list[tuple[int, int]]) -> list[bytes | memoryview | cache_mod.Copied]:
        """The bytes at `extents` (offset and length among the sections, in order), unverified,
        to be written as they are (`cache.write_pieces`): adjacent ones as one piece. Raises
        Damaged."""
        runs: list[list[int]] = []
        for offset, length in extents:
            if runs and runs[-1][0] + runs[-1][1] == offset:
                runs[-1][1] += length
            else:
                runs.append([offset, length])
        if self._data is not None:
            data = memoryview(self._data)
            return [data[offset : offset + length] for offset, length in runs]
        if self._file is None:
            raise Damaged("file")
        fd = self._file.fd
        return [cache_mod.Copied(fd, self._base + offset, length) for offset, length in runs]

    def _read(self, name: str, offset: int, length: int) -> bytes | memoryview:
        """`length` bytes at `offset` among the sections, unverified. Raises Damaged."""
        if self._data is not None:
            data: bytes | memoryview = memoryview(self._data)[offset : offset + length]
        else:
            if self._file is None:
                raise Damaged(name)
            try:
                data = os.pread(self._file.fd, length, self._base + offset)
            except OSError as e:
                raise Damaged(name) from e
        if len(data) != length:
            raise Damaged(name)
        return data

    def numbers(self, name: str, lo: int, hi: int, count: int) -> array[Any]:
        """Items `lo:hi` of the number column `name` of `count` items: from its value when it was
        set or read already, else from the chunks of its section that hold them, verified (not
        the whole section). Raises Damaged."""
        code = _ARRAY_CODES[name]
        size = array(code).itemsize
        if not 0 <= lo <= hi <= count:
            raise Damaged(name)
        if name in self._over or name in self._decoded:
            value = self[name]
            if len(value) != count * size:
                raise Damaged(name)
            return _array(code, value[lo * size : hi * size])
        entry = self._index.get(name)
        # the section is the marshal of the column's bytes: a type byte, their length, then them
        if entry is None or entry[1] != _MARSHAL_HEAD + count * size:
            raise Damaged(name)
        start, stop = _MARSHAL_HEAD + lo * size, _MARSHAL_HEAD + hi * size
        if lo == hi:
            return array(code)
        first = start // CHUNK
        data = self._chunks(name, first, (stop - 1) // CHUNK + 1)
        if first == 0 and (data[0] & 0x7F != ord("s") or _le(data[1:5]) != count * size):
            raise Damaged(name)
        return _array(code, bytes(data[start - first * CHUNK : stop - first * CHUNK]))

    def _chunks(self, name: str, first: int, last: int) -> bytes | memoryview:
        """Chunks `first` to `last - 1` of the chunked section `name`, verified. Raises
        Damaged."""
        from .seal import vouches

        offset, length, macs = self._index[name]
        if type(macs) is not tuple:
            raise Damaged(name)
        at = first * CHUNK
        data = memoryview(self._read(name, offset + at, min(length, last * CHUNK) - at))
        for c in range(first, last):
            part = data[(c - first) * CHUNK : (c - first + 1) * CHUNK]
            if not vouches(macs[c], part, self._key):
                raise Damaged(name)
        return data

    def _decode(self, name: str) -> Any:
        if name not in self._decoded:
            data, _ = self.section(name)
            try:
                self._decoded[name] = marshal.loads(data)
            except Exception as e:  # verified: only a bug gets here
                raise Damaged(name) from e
        return self._decoded[name]


def _load(named: list[str], lazy: bool = False) -> Snapshot | None:
    opened = _open(named, lazy)
    if opened is None:
        return None
    store, fields, (folders, files, seen_ns) = opened
    try:
        racy = store.racy_ns
        for path, old in folders:
            st = os.lstat(path)
            if not _trusted(st, old, seen_ns, racy) or stat.S_ISLNK(st.st_mode):
                return None
        stats = [os.lstat(path) for path, _ in files]
        changed = [
            k
            for k, (st, (_, old)) in enumerate(zip(stats, files, strict=True))
            if not _trusted(st, old, seen_ns, racy)
        ]
        snap = (
            splice(store, Tree(named, folders, files, seen_ns), fields, changed)
            if changed
            else Snapshot(fields)
        )
        if snap is not None:  # the files it stands for, as a command's inputs (`cli.base.INPUTS`)
            snap.inputs = frozenset((st.st_dev, st.st_ino) for st in stats)
        return snap.load_all() if snap is not None and not lazy else snap
    except Exception:  # sealed by this user: only a bug, a damaged file or a changed tree
        return None


def _header(fd: int, key: bytes) -> tuple[int, int, Any] | None:
    """The size of the open snapshot file `fd`, where its sections begin, and its header decoded
    once its seal verifies; None when it is not a regular file or its seal does not verify."""
    from .seal import unseal

    st = os.fstat(fd)
    size = st.st_size
    if not stat.S_ISREG(st.st_mode) or size > cache_mod.ENTRY_LIMIT:
        return None
    head = os.pread(fd, _HEAD_READ, 0)
    start = len(MAGIC) + 8
    if not head.startswith(MAGIC) or len(head) < start:
        return None
    base = start + int.from_bytes(head[len(MAGIC) : start], "little")
    if base > size:
        return None
    if base > len(head):
        head += os.pread(fd, base - len(head), len(head))
    payload = unseal(head[start:base], key)
    if payload is None:
        return None
    return size, base, marshal.loads(payload)


def _index_fits(index: Any, room: int) -> bool:
    """Whether each section the index lists lies within the `room` bytes after the header and
    has a MAC of the right size."""
    from .seal import MAC_SIZE

    def fits(mac: Any, length: int) -> bool:
        if type(mac) is tuple:
            return len(mac) == _chunk_count(length) and all(
                type(m) is bytes and len(m) == MAC_SIZE for m in mac
            )
        return type(mac) is bytes and len(mac) == MAC_SIZE

    return type(index) is dict and all(
        offset >= 0 and length >= 0 and offset + length <= room and fits(mac, length)
        for offset, length, mac in index.values()
    )


def _vouched(expected: Mac, data: bytes | memoryview, key: bytes) -> bool:
    """Whether the MAC `expected` vouches for `data`: one of all of it, or one of each chunk
    (`CHUNK`)."""
    from .seal import vouches

    if not isinstance(expected, tuple):
        return vouches(expected, data, key)
    view = memoryview(data)
    return len(expected) == _chunk_count(len(view)) and all(
        vouches(m, view[c * CHUNK : (c + 1) * CHUNK], key) for c, m in enumerate(expected)
    )


def _le(data: bytes | memoryview) -> int:
    return int.from_bytes(data, "little")


def _chunk_count(length: int) -> int:
    return max(1, -(-length // CHUNK))


def _macs(data: bytes, key: bytes, chunked: bool) -> Mac:
    """The MAC of a section's `data` (`chunked`: of each chunk)."""
    from .seal import mac

    if not chunked:
        return mac(data, key)
    view = memoryview(data)
    return tuple(mac(view[at : at + CHUNK], key) for at in range(0, len(view) or 1, CHUNK))


def _open(named: list[str], lazy: bool) -> tuple[cache_mod.FileCache, Stored, Any] | None:
    """The cache, the fields of the snapshot file of `named` (`Stored`) and what its header
    says of the tree (folders, files, the moment), or None: no cache, no key, no such regular
    file, a header whose seal does not verify, or of another format, version or paths. Nothing
    is decoded before its seal or MAC is checked; with `lazy` the file is kept open and each
    section read when first asked for, else it is read whole now."""
    keyed = _keyed_store()
    if keyed is None:
        return None
    store, key = keyed
    try:
        fd = os.open(_place(named, store), files_mod._READ_FLAGS)
    except OSError:
        return None
    keep = False
    try:
        header = _header(fd, key)
        if header is None:
            return None
        size, base, (version, fingerprint, names, folders, files, seen_ns, small, index) = header
        if version != FORMAT or fingerprint != store.fingerprint or names != named:
            return None
        if type(small) is not dict or not _index_fits(index, size - base):
            return None
        data = None
        if not lazy:
            data = os.pread(fd, size - base, base)
            if len(data) != size - base:
                return None
        fields = Stored(_OpenFile(fd) if lazy else None, data, base, index, small, key)
        keep = lazy
        return store, fields, (folders, files, seen_ns)
    except (OSError, ValueError, TypeError, EOFError):
        return None
    finally:
        if not keep:
            os.close(fd)


# --- a change to a few progress files -----------------------------------------------------------


class Tree(NamedTuple):
    """What a snapshot was made from: the paths named, each folder and file with its stat (as
    `save` lists them), and the moment the load that made it began."""

    named: list[str]
    folders: list[tuple[str, Any]]
    files: list[tuple[str, Any]]
    seen_ns: int


def splice(
    store: cache_mod.FileCache, tree: Tree, fields: Any, changed: list[int]
) -> Snapshot | None:
    """The snapshot of the tree after the files `changed` (indices in `tree.files`) changed, from
    the snapshot before (`fields`) and those files alone: their records replace the ones they
    held, the targets they name are judged again, and the result is what `columns` makes of the
    whole tree (tests/test_splice.py). When each changed file only grew by records appended to
    the bytes the snapshot holds the records of (`grown`), only those are read and inserted
    (`_splice_appended`); else the files are read again whole, through the parse cache
    (`_splice_whole`). Saved when no changed file is within the racy margin. None (the caller
    loads the whole tree) unless each changed file is still a regular file holding progress
    records and nothing else, without a problem, every record naming a target of the snapshot
    of the kind it takes (`check`'s `record_problems`), and no target it touches, before or
    after, needs the object model: a record's check then finds nothing `check` would (no
    correction, no withdrawal, no per-entity target)."""
    import time

    began_ns = time.time_ns()  # before the stats: what the next run's racy margin is from
    progress = set(fields["progress"])
    if not progress.issuperset(changed):
        return None
    files = list(tree.files)
    grown: dict[int, Grown] = dict(fields["grown"])
    appended = _appended(files, grown, changed)
    spliced = (
        _splice_appended(fields, appended)
        if appended is not None
        else _splice_whole(store, fields, files, grown, changed)
    )
    if spliced is None:
        return None
    spliced[0]["grown"] = grown
    if all(max(files[k][1][1:3]) < began_ns - store.racy_ns for k in changed):
        _write(store, Tree(tree.named, tree.folders, files, began_ns), spliced[0])
    return spliced[1]


def _splice_whole(
    store: cache_mod.FileCache,
    fields: Any,
    files: list[tuple[str, Any]],
    grown: dict[int, Grown],
    changed: list[int],
) -> tuple[Any, Snapshot] | None:
    """`splice` of the files `changed`, each read again whole through the parse cache; their
    stats (`files`) and what `grown` keeps of them set to the bytes read."""
    from .loader import load_file

    contents = {}
    for k in changed:
        path = files[k][0]
        st = os.lstat(path)  # before the read: a write after it moves the stat kept below
        if not stat.S_ISREG(st.st_mode):
            return None
        content = load_file(path, store)
        if not _only_records(content):
            return None
        contents[k] = content.history
        files[k] = (path, cache_mod._stat_key(st))
        grown.pop(k, None)
        with contextlib.suppress(OSError):  # the bytes just read, unless they changed since
            data, _ = files_mod.read_regular(path, files_mod.MAX_BYTES)
            if len(data) == st.st_size and cache_mod._stat_key(os.lstat(path)) == files[k][1]:
                grown[k] = _kept(data)
    return _splice_records(Snapshot(fields), fields, contents)


def _appended(
    files: list[tuple[str, Any]], grown: dict[int, Grown], changed: list[int]
) -> dict[int, list[ProgressRecord]] | None:
    """The records appended to each file `changed` since the snapshot was made, when each one's
    bytes begin with the very bytes the snapshot holds the records of (their size and digest in
    `grown`) and what follows reads alone (`appended.appended_records`); their stats (`files`)
    and what `grown` keeps of them set to the bytes read. None when one must be read whole."""
    from .appended import appended_records
    from .files import line_breaks

    out: dict[int, list[ProgressRecord]] = {}
    for k in changed:
        path = files[k][0]
        if k not in grown:
            return None
        size, digest, lines = grown[k]
        try:
            st = os.lstat(path)  # before the read: a write after it moves the stat kept below
            data, _ = files_mod.read_regular(path, files_mod.MAX_BYTES)
        except OSError:
            return None
        if len(data) != st.st_size or not stat.S_ISREG(st.st_mode) or len(data) < size:
            return None
        view = memoryview(data)
        hashed = _digest(view[:size])
        if hashed.digest() != digest:
            return None
        records = appended_records(data, size, True, path, lines) if len(data) > size else []
        if records is None:
            return None
        out[k] = records
        files[k] = (path, cache_mod._stat_key(st))
        hashed.update(view[size:])
        grown[k] = (len(data), hashed.digest(), lines + line_breaks(data[size:]))
    return out


# what a snapshot keeps of a progress file for `_appended`: the size, digest (`_digest`) and line
# breaks (`files.line_breaks`) of the bytes it holds the records of
Grown = tuple[int, bytes, int]


def _kept(data: bytes) -> Grown:
    """What the snapshot keeps of a progress file whose bytes are `data` (`Grown`)."""
    return len(data), _digest(data).digest(), files_mod.line_breaks(data)


def _digest(data: bytes | memoryview) -> Any:
    """The hash of a progress file's bytes that `Grown` keeps (SHA-256: here faster than BLAKE2b,
    the parse cache's)."""
    import hashlib

    return hashlib.sha256(data)


def _splice_appended(
    fields: Any, appended: dict[int, list[ProgressRecord]]
) -> tuple[Any, Snapshot] | None:
    """`fields` with the records `appended` to files (by index) inserted among their targets'
    records, and those targets settled again, and their snapshot; None when a record is not
    plain, names no target of the snapshot, does not fit its target's kind, or its target needs
    the objects. The record columns and the settled ones are changed as patches (`Inserted`,
    `Patch`), made when a view first reads them; only the records of the targets touched, and
    their values, are read here (`Stored.numbers`), not whole columns."""
    from itertools import repeat

    snap = Snapshot(fields)
    flags = snap.flags
    count = sum(map(len, appended.values()))
    index_of = _id_finder(snap, grouped=count > 32)
    new: dict[int, list[tuple[int, int, float, int, bool]]] = {}
    for k in sorted(appended):
        for r in appended[k]:
            i = index_of(r.target)
            if i is None or flags[i] & FALLBACK:
                return None
            if not (_plain_record(r) and r.entity is None and _fits(snap, i, r)):
                return None
            assert r.date is not None
            value = NAN if r.value is None else r.value
            new.setdefault(i, []).append((r.date.toordinal(), k, value, _done(r), True))
    spliced = fields.copy()
    if not new:  # the same records (a file touched): the same snapshot, and its side files
        return spliced, Snapshot(spliced)
    offsets, rec_date = snap.offsets, snap.rec_date
    records = offsets[snap.n]
    at: list[int] = []  # where each record goes among the records before
    inserted: list[list[Any]] = [[], [], [], []]  # its date, file, value and done
    rows_of: dict[int, list[tuple[Any, ...]]] = {}
    for i in sorted(new):
        lo, hi = offsets[i], offsets[i + 1]
        before = [
            rec_date[lo:hi],  # read whole: every view reads it
            *(fields.numbers(name, lo, hi, records) for name in _RECORD_ORDER[1:]),
        ]
        rows = sorted([*zip(*before, repeat(False)), *new[i]], key=itemgetter(0, 1))  # as
        # `merge_histories`: by date, then the files' order (a file's records appended last)
        passed = lo
        for row in rows:
            if row[4]:
                at.append(passed)
                for column, x in zip(inserted, row[:4], strict=True):
                    column.append(x)
            else:
                passed += 1
        rows_of[i] = rows
    spliced.update(
        offsets=_offsets_after(offsets, {i: len(rows) for i, rows in rows_of.items()}),
        token=os.urandom(16),  # its side files hold the records of the snapshot before
        **{
            name: Inserted(_RECORD_ARRAYS[name], at, values)
            for name, values in zip(_RECORD_ORDER, inserted, strict=True)
        },
    )
    settled = {i: _settle_one(fields, snap.n, i, flags[i], rows) for i, rows in rows_of.items()}
    for name in ("flags", "all_completion", "all_since", "all_value"):
        spliced[name] = Patch(_TARGET_ARRAYS[name], {i: s[name] for i, s in settled.items()})
    return spliced, Snapshot(spliced)


_RECORD_ORDER = ("rec_date", "rec_file", "rec_value", "rec_done")  # as the splice's rows hold them
_JUDGED_BY = ("comparator", "value", "value_max", "tol", "base")  # a target's, `measure_at` reads


def _settle_one(
    fields: Any, n: int, i: int, flags: int, rows: list[tuple[Any, ...]]
) -> dict[str, Any]:
    """What `_settle` makes of target `i` of `n` (its `flags`) with the records `rows` (date,
    file, value, done), by `measure_at` over a snapshot of that target alone: its flags,
    all_completion, all_since and all_value."""
    one = Snapshot(
        {
            "n": 1,
            "config": (0, 0.0, 0.0, 0),  # `measure_at` judges without it
            "token": b"",
            "plan_token": b"",
            "extended": {},
            "flags": bytes([flags]),
            **{name: fields.numbers(name, i, i + 1, n).tobytes() for name in _JUDGED_BY},
            "offsets": array("i", [0, len(rows)]).tobytes(),
            "rec_value": array("d", [row[2] for row in rows]).tobytes(),
            "rec_done": array("b", [row[3] for row in rows]).tobytes(),
        }
    )
    met, completion, over, value, since, _ = measure_at(one, 0, 0, len(rows))
    day = rows[since][0] if since is not None else 0
    said = _said_by_all(flags, met, completion, over, value, day)
    return dict(zip(("flags", "all_completion", "all_since", "all_value"), said, strict=True))


def _said_by_all(
    flags: int,
    met: bool,
    completion: float | None,
    over: bool,
    value: float | None,
    since_day: int,
) -> tuple[int, float, int, float]:
    """What all of a target's records say (`measure_at` over them, `since_day` the day of the
    record it has been met since, 0: none) as its columns hold it: its flags with `MET_ALL` and
    `OVER_ALL` set by them, `all_completion`, `all_since` and `all_value` (NaN: none)."""
    flags = flags & ~(MET_ALL | OVER_ALL) | (MET_ALL if met else 0) | (OVER_ALL if over else 0)
    return (
        flags,
        NAN if completion is None else completion,
        since_day,
        NAN if value is None else value,
    )


def _fits(snap: Snapshot, i: int, r: ProgressRecord) -> bool:
    """Whether `record_problems` finds nothing in the plain record `r` of target `i` (that it
    names a target is known): a milestone's record says done, another's a value, a percent at
    most 100."""
    if snap.flags[i] & MILESTONE:
        return r.done is not None and r.value is None
    if r.value is None or r.done is not None:
        return False
    return not snap.flags[i] & PERCENT or 0 <= r.value <= 100


def _only_records(content: FileContent) -> bool:
    """A progress file's content, without a problem, each record plain (`_plain_record`)."""
    return (
        content.records_only()
        and not content.problems
        and bool(content.records)
        and all(_plain_record(r) and r.entity is None for r in content.records)
    )


def _id_finder(snap: Snapshot, grouped: bool = True) -> Callable[[str], int | None]:
    """The index of a target by its id, from the id column without decoding it all: an id not
    met yet is found in the column's bytes, and the ids of its document (`target_doc`) are then
    decoded into a dict, which the records of a progress file (most name targets of one
    document) then find theirs in (not when `grouped` is False: for a few records, each found
    in the bytes). Ids are unique in a tree that has a snapshot (`check` refuses a
    duplicate)."""
    ids = snap.ids
    blob, offsets = ids.blob, ids.offsets
    known: dict[str, int] = {}

    def find(target: str) -> int | None:
        wanted = target.encode("utf-8", "surrogateescape") + b"\0"
        if b"\0" in wanted[:-1]:
            return None
        if blob.startswith(wanted):
            at = 0
        else:
            at = blob.find(b"\0" + wanted) + 1  # 0: not found
            if not at:
                return None
        i = bisect_right(offsets, at) - 1
        return i if offsets[i] == at and i < len(ids) else None

    def index_of(target: str) -> int | None:
        i = known.get(target)
        if i is not None:
            return i
        i = find(target)
        if i is not None and grouped:
            target_doc = snap.target_doc
            doc = target_doc[i]
            lo, hi = i, i + 1  # its document's targets around it
            while lo > 0 and target_doc[lo - 1] == doc:
                lo -= 1
            while hi < len(ids) and target_doc[hi] == doc:
                hi += 1
            texts = blob[offsets[lo] : offsets[hi] - 1].decode("utf-8", "surrogateescape")
            known.update(zip(texts.split("\0"), range(lo, hi), strict=True))
        return i

    return index_of


def _records_of(rec_file: array[int], files: Iterable[int]) -> list[int]:
    """The indices of the records of the `files` (indices of the tree's files), in order: each
    file's index found as its 4 bytes in the column's (at a multiple of 4)."""
    found: list[int] = []
    raw = rec_file.tobytes()
    size = rec_file.itemsize
    for k in files:
        pattern = array(rec_file.typecode, [k]).tobytes()
        at = raw.find(pattern)
        while at >= 0:
            if at % size == 0:
                found.append(at // size)
                at = raw.find(pattern, at + size)
            else:
                at = raw.find(pattern, at + 1)
    found.sort()
    return found


def _drop_unchanged(
    new: dict[int, list[tuple[int, int, float, int]]],
    before: dict[int, list[int]],
    columns: tuple[array[Any], ...],
) -> None:
    """Leave out of `new` each target whose records from the changed files are those it had (a
    record appended touches one target of the file's hundreds): its rows, merged as `_splice_records`
    merges them (by date, then the files' order), are then the same. Values compare as the
    column stores them, by their bytes: 0 and -0.0 are equal numbers that print differently, and
    no value is the one NaN both sides store."""
    rec_date, rec_file, rec_value, rec_done = columns
    for i in list(new):
        rows = new[i]
        rows.sort(key=itemgetter(0, 1))  # stable: one file's rows of a day keep their order
        old = before.get(i, ())
        if (
            len(rows) == len(old)
            and [(d, k, done) for d, k, _, done in rows]
            == [(rec_date[j], rec_file[j], rec_done[j]) for j in old]
            and array("d", [v for _, _, v, _ in rows]).tobytes()
            == array("d", map(rec_value.__getitem__, old)).tobytes()
        ):
            del new[i]


def _splice_records(
    snap: Snapshot, fields: Any, contents: dict[int, History]
) -> tuple[Any, Snapshot] | None:
    """`fields` with the records of the files `contents` names (by index) replaced by their new
    histories, and the targets they touch settled again, and their snapshot; None when a record
    names no target of the snapshot, does not fit its target's kind, or a touched target needs
    the objects."""
    index_of = _id_finder(snap)
    flags = snap.flags
    new: dict[int, list[tuple[int, int, float, int]]] = {}
    records_of: dict[int, list[ProgressRecord]] = {}  # target -> its records in the files
    for k, history in contents.items():
        for target, records in history.items():
            i = index_of(target)
            if i is None:
                return None
            records_of.setdefault(i, []).extend(records)
            new.setdefault(i, []).extend(
                (r.date.toordinal(), k, NAN if r.value is None else r.value, _done(r))
                for r in records
                if r.date is not None
            )
    offsets = snap.offsets
    before: dict[int, list[int]] = {}  # target -> its records from the changed files
    for j in _records_of(snap.rec_file, contents):
        i = bisect_right(offsets, j) - 1
        before.setdefault(i, []).append(j)
        new.setdefault(i, [])
    if any(flags[i] & FALLBACK for i in new):
        return None
    columns: tuple[array[Any], ...] = (snap.rec_date, snap.rec_file, snap.rec_value, snap.rec_done)
    _drop_unchanged(new, before, columns)
    # Whether a record fits is a matter of its target and of its value and done: a target whose
    # rows are unchanged had records that fit when the snapshot was made (it is made only of a
    # tree `check` finds nothing in, and spliced only when each changed target's records fit).
    if not all(_fits(snap, i, r) for i in new for r in records_of.get(i, ())):
        return None
    rows_of = {}
    for i, rows in new.items():
        lo, hi = offsets[i], offsets[i + 1]
        kept = [
            row for row in zip(*(c[lo:hi] for c in columns), strict=True) if row[1] not in contents
        ]
        rows_of[i] = sorted(kept + rows, key=itemgetter(0, 1))  # as `merge_histories`: by
        # date, then the files' order
    out, new_offsets = _spliced_columns(columns, offsets, rows_of)
    spliced = fields.copy()
    spliced.update(
        offsets=new_offsets,
        rec_date=out[0],
        rec_file=out[1],
        rec_value=out[2],
        rec_done=out[3],
        token=os.urandom(16),  # its side files hold the records of the snapshot before
    )
    return spliced, _settle(spliced, sorted(new))


def _spliced_columns(
    columns: tuple[array[Any], ...],
    offsets: array[int],
    rows_of: dict[int, list[tuple[Any, ...]]],
) -> tuple[list[bytes], bytes]:
    """The bytes of the record `columns` and of the `offsets` with the records of each target
    in `rows_of` replaced by its rows (a value per column each), in order: the records of the
    targets between are copied as they are, and their offsets shifted by what the targets
    before them gained or lost (`_shifted`)."""
    n = len(offsets) - 1
    parts: list[list[Any]] = [[] for _ in columns]
    start = 0  # the first target not written yet
    for i in [*sorted(rows_of), n]:
        lo, hi = offsets[start], offsets[i]  # targets start .. i-1: as they are
        for part, column in zip(parts, columns, strict=True):
            part.append(memoryview(column)[lo:hi])
        if i == n:
            break
        rows = rows_of[i]
        by_column = list(zip(*rows, strict=True)) or [()] * len(columns)
        for part, column, values in zip(parts, columns, by_column, strict=True):
            part.append(array(column.typecode, values))
        start = i + 1
    sizes = {i: len(rows) for i, rows in rows_of.items()}
    return [b"".join(part) for part in parts], _offsets_after(offsets, sizes)


def _offsets_after(offsets: array[int], sizes: dict[int, int]) -> bytes:
    """The bytes of the `offsets` once each target in `sizes` holds that many records: the
    offsets of the targets between are shifted by what the targets before them gained or lost
    (`_shifted`)."""
    n = len(offsets) - 1
    parts: list[Any] = [offsets[:1]]
    start = shift = 0  # the first target not written yet; what its offsets are shifted by
    for i in [*sorted(sizes), n]:
        parts.append(_shifted(offsets[start + 1 : i + 1], shift))
        if i == n:
            break
        shift += sizes[i] - (offsets[i + 1] - offsets[i])
        parts.append(array(offsets.typecode, [offsets[i + 1] + shift]))
        start = i + 1
    return b"".join(parts)


def _shifted(numbers: array[int], shift: int) -> bytes:
    """The bytes of `numbers` (offsets: never decreasing, never negative) each plus `shift`,
    without Python code per number: read as one integer, the bytes hold each number in a lane
    of `itemsize` bytes, and adding `shift` to every lane at once is adding `shift` times the
    integer with a 1 in each lane. As every result is in 0 .. the type's largest, no lane
    carries into or borrows from the next: the sum's bytes are the numbers shifted."""
    raw = numbers.tobytes()
    if not shift or not numbers:
        return raw
    largest = (1 << (8 * numbers.itemsize - 1)) - 1
    if numbers[0] + shift < 0 or numbers[-1] + shift > largest:
        raise ValueError("an offset out of range")  # only a bug gets here
    ones = array(numbers.typecode, [1]).tobytes() * len(numbers)
    total = int.from_bytes(raw, sys.byteorder) + shift * int.from_bytes(ones, sys.byteorder)
    return total.to_bytes(len(raw), sys.byteorder)


def save(named: list[str], result: LoadResult, began_ns: int, with_json: bool = False) -> None:
    """Make and write the snapshot of the tree `named` from its loaded `result` (the load began
    at `began_ns`), and with `with_json` its JSON side file (`JsonParts`). Quietly nothing when
    the tree cannot have one or the cache cannot be used."""
    if result.broken() or any(p.unread for p in result.problems):
        return  # such a tree is judged over the object model, and its views say what is wrong
    keyed = _keyed_store()
    folders = _folders(named) if keyed is not None else None
    if keyed is None or folders is None:
        return
    store, _ = keyed
    try:
        stats = []
        for path in (*folders, *result.files):
            st = os.lstat(path)
            if max(st.st_ctime_ns, st.st_mtime_ns) >= began_ns - store.racy_ns:
                return  # changed while (or just before) it was read: trusted by no one
            stats.append((path, cache_mod._stat_key(st)))
        if result.doubtful():  # after the cheap refusals: the cross-file checks are a full pass
            return
        fields = columns(result)
        fields["grown"] = _grown(result, fields["progress"], stats[len(folders) :])
        side = None
        if with_json and not any(f & FALLBACK for f in fields_flags(fields)):
            with contextlib.suppress(ValueError):  # a text JSON cannot be made of: no side file
                side = json_columns(result)
    except (OSError, ValueError, OverflowError):
        return
    tree = Tree(named, stats[: len(folders)], stats[len(folders) :], began_ns)
    _write(store, tree, fields, side)


def _write(store: cache_mod.FileCache, tree: Tree, fields: Any, side: Any = None) -> None:
    """Seal and write the snapshot `fields` (a dict, or a `Stored` whose sections not set again
    are copied from its file as they are, with their MACs, unverified: a reader verifies them;
    first, in the file's order, so that runs of them are copied at once, by the kernel where it
    can: `cache.write_pieces`) of `tree` (and its JSON side file `side`)."""
    from .seal import seal

    key = store.key()
    if key is None:
        return
    stored = fields if isinstance(fields, Stored) else None
    small: dict[str, Any] = {}
    kept: list[tuple[str, tuple[int, int, Mac]]] = []  # copied: the file's offset, length, MAC
    made: list[tuple[str, bytes, Mac]] = []
    names = stored.names() if stored is not None else list(fields)
    try:
        for name in names:
            if name in _SMALL:
                small[name] = fields[name]
                continue
            sections = [f"{name}.{lang}" for lang in LANGS] if name in _PER_LANG else [name]
            for section in sections:
                if stored is not None and not stored.overridden(name):
                    kept.append((section, stored.extent(section)))
                    continue
                value = (
                    fields[name][section.partition(".")[2]] if name in _PER_LANG else fields[name]
                )
                data = marshal.dumps(value)
                made.append((section, data, _macs(data, key, name in _CHUNKED)))
        kept.sort(key=lambda item: item[1][0])
        copied = stored.copied([extent[:2] for _, extent in kept]) if stored is not None else []
    except Damaged:
        return  # the file it was spliced from was damaged since: the next load makes it again
    index: dict[str, tuple[int, int, Mac]] = {}
    offset = 0
    for section, (_, length, section_mac) in kept:
        index[section] = (offset, length, section_mac)
        offset += length
    for section, data, section_mac in made:
        index[section] = (offset, len(data), section_mac)
        offset += len(data)
    header = marshal.dumps(
        (
            FORMAT,
            store.fingerprint,
            tree.named,
            tree.folders,
            tree.files,
            tree.seen_ns,
            small,
            index,
        )
    )
    sealed = seal(header, key)
    head = b"".join([MAGIC, len(sealed).to_bytes(8, "little"), sealed])
    place = _place(tree.named, store)
    cache_mod.sweep(store.root)  # a temporary snapshot a killed run left
    with contextlib.suppress(OSError):
        if side is not None:  # first: a snapshot is never newer than the side file it names
            tokens = (fields["token"], fields["plan_token"])
            _write_side(tree.named, store, key, JSON_SIDE, tokens, side)
        cache_mod.write_pieces(place, [head, *copied, *(data for _, data, _ in made)])


def fields_flags(fields: dict[str, Any]) -> array[int]:
    return _array("B", fields["flags"])


def load_json(named: list[str], snap: Snapshot) -> JsonParts | None:
    """The JSON side file of the snapshot `snap` of the tree `named` (loaded just before), if it
    was made with it: sealed, and naming the snapshot's token (its records are the snapshot's)."""
    found = _load_side(named, snap, JSON_SIDE)
    if found is None or not found[1]:
        return None
    return _made(JsonParts, found[0], snap)


def load_cells(named: list[str], snap: Snapshot, lang: str) -> Cells | None:
    """The text-table side file of the snapshot `snap` in `lang` (`Cells`), if made from it or
    from the snapshot it was spliced from (the same plan token): then `Cells.redo` names the
    targets whose 最新进展 cell was made from a record that is no longer their last."""
    found = _load_side(named, snap, f"{CELLS_SIDE}-{lang}")
    if found is None:
        return None
    fields, same_records = found

    def made(fields: Any, snap: Snapshot) -> Cells:
        cells = Cells(fields, snap)
        if not same_records:
            cells.spliced, cells.redo = True, cells.changed(snap)
        return cells

    return _made(made, fields, snap)


def _made(make: Callable[[Any, Snapshot], T], fields: Any, snap: Snapshot) -> T | None:
    try:
        return make(fields, snap)
    except Damaged:  # a section of the snapshot itself: the view's to handle (`forget`)
        raise
    except Exception:  # sealed by this user: only a bug gets here
        return None


def save_cells(named: list[str], snap: Snapshot, cells: Cells, lang: str) -> None:
    """Write the text-table side file in `lang` of the snapshot `snap`, made from it."""
    keyed = _keyed_store()
    if keyed is None:
        return
    store, key = keyed
    with contextlib.suppress(OSError):
        tokens = (snap.token, snap.plan_token)
        _write_side(named, store, key, f"{CELLS_SIDE}-{lang}", tokens, cells.fields)


def load_side(named: list[str], snap: Snapshot, side: str) -> Any | None:
    """The fields of the side file `side` (`save_side`) of the snapshot `snap` of the tree
    `named`, if it was made from this very snapshot (its token: the same records); else None."""
    found = _load_side(named, snap, side)
    return found[0] if found is not None and found[1] else None


def save_side(named: list[str], snap: Snapshot, side: str, fields: Any) -> None:
    """Write `fields` (builtin values) as the side file `side` of the snapshot `snap`, sealed:
    what another layer derives from the snapshot's plan and records (`report/columns`). Quietly
    nothing when the cache cannot be used."""
    keyed = _keyed_store()
    if keyed is None:
        return
    store, key = keyed
    with contextlib.suppress(OSError, ValueError):
        _write_side(named, store, key, side, (snap.token, snap.plan_token), fields)


def _write_side(
    named: list[str],
    store: cache_mod.FileCache,
    key: bytes,
    side: str,
    tokens: tuple[bytes, bytes],
    fields: Any,
) -> None:
    """Write the side file `side` of a snapshot with `tokens` (its token and plan token), sealed.
    Raises OSError."""
    from .seal import seal

    payload = marshal.dumps((FORMAT, store.fingerprint, *tokens, fields))
    cache_mod.write_entry(_place(named, store, side), seal(payload, key))


def _load_side(named: list[str], snap: Snapshot, side: str) -> tuple[Any, bool] | None:
    """A side file's fields if it is sealed and names the snapshot's plan token, and whether it
    names its token too (made from the same records)."""
    opened = _unsealed(named, side)
    if opened is None:
        return None
    store, payload = opened
    try:
        version, fingerprint, token, plan_token, fields = marshal.loads(payload)
        if version != FORMAT or fingerprint != store.fingerprint or plan_token != snap.plan_token:
            return None
        return fields, token == snap.token
    except Exception:  # sealed by this user: only a bug gets here
        return None


# --- the JSON side file ---------------------------------------------------------------------------

JSON_SIDE = ".json"
CELLS_SIDE = ".cells"


class Cells:
    """What the plain text table of `status` shows in one language that no date changes: each
    row's first four cells (编号, 目标, 牵头单位, 完成时限: ids, statements and titles, lead
    units, deadlines as written) laid out by `render.terminal.fit`, padded to their columns'
    widths and joined, in the order the rows are shown (`views.status_runs`: each document's row,
    each of its measures' rows, their targets' rows), and the four widths; and each target's
    最新进展 cell (with its width) when every record of it counts and it is not stale. A side file per
    language, made from the snapshot itself (`render.terminal.status_static`) by the first
    `status` table that lacks it. The first four cells are the plan's alone, so the side file
    outlives a splice (a change in records); the 最新进展 cells of the targets whose last record
    is no longer the one their cell was made from (`latest_key`) are then made again (`redo`)."""

    def __init__(self, fields: dict[str, Any], snap: Snapshot) -> None:
        self.fields = fields
        self.prefix = Texts(fields["prefix"])
        self.widths = [int(w) for w in fields["widths"]]
        if len(self.widths) != 4 or len(self.prefix) != snap.n + int(fields["rollups"]):
            raise ValueError("cells")
        self.latest = Texts(fields["latest"])
        self.latest_width = _array("i", fields["latest_width"])
        if len(self.latest) != snap.n or len(self.latest_width) != snap.n:
            raise ValueError("cells")
        key = fields["latest_key"]
        if type(key) is not tuple or len(key) != 3 or any(type(b) is not bytes for b in key):
            raise TypeError("cells")
        self.latest_key: tuple[bytes, bytes, bytes] = key
        # made for the snapshot this one was spliced from (its plan token, not its token), and
        # the targets whose latest cell is then another record's (`changed`)
        self.spliced = False
        self.redo: list[int] = []

    @staticmethod
    def key_of(snap: Snapshot, last: list[int]) -> tuple[bytes, bytes, bytes]:
        """What each target's last record (`last`, -1: none) says, as the record columns hold
        it: its date, value and done (a target without records: 0, 0.0, -2); a latest cell is
        made from these and the plan."""
        rec_date, rec_value, rec_done = snap.rec_date, snap.rec_value, snap.rec_done
        return (
            array("i", [rec_date[k] if k >= 0 else 0 for k in last]).tobytes(),
            array("d", [rec_value[k] if k >= 0 else 0.0 for k in last]).tobytes(),
            array("b", [rec_done[k] if k >= 0 else -2 for k in last]).tobytes(),
        )

    def changed(self, snap: Snapshot) -> list[int]:
        """The targets whose last record says other than the one their latest cell was made
        from (values compared by their bytes: 0.0 and -0.0 are two cells)."""
        now = Cells.key_of(snap, last_records(snap))
        if now == self.latest_key:
            return []
        codes = ("i", "q", "b")  # a value as its 8 bytes
        before = [_array(c, b) for c, b in zip(codes, self.latest_key, strict=True)]
        after = [_array(c, b) for c, b in zip(codes, now, strict=True)]
        if any(len(column) != snap.n for column in before):
            raise ValueError("cells")
        old, new = zip(*before, strict=True), zip(*after, strict=True)
        return [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]


def last_records(snap: Snapshot) -> list[int]:
    """Each target's last record in the record columns (-1: none)."""
    from itertools import pairwise

    return [b - 1 if b > a else -1 for a, b in pairwise(snap.offsets)]


_MARK = "\0zjtrack-json-mark\0"  # json.dumps writes it `"\u0000zjtrack-json-mark\u0000"`
# the keys a target's record is cut before the values of (`JsonParts`), and those per language
_CUT_AT = ("id", "value_max", "deadline_text", "quote", "target")
_BY_LANG = ("deadline_text", "target")


class JsonParts:
    """What `status --format json` writes of each target that no date changes, as UTF-8 JSON
    text made by `views.result_row`'s own fields and `json.dumps`. A target's record is cut
    before the values of the keys `_CUT_AT`; for target `i` it is, in this order,
    `shared_head` (from `{` up to the key `"id": `: its document's and measure's fields),
    `head[i]` (from its id up to the key `"value_max": `), `shared_limits` (from there up to
    the key `"deadline_text": `: the rest of what it asks and its deadline),
    `deadline_text[lang][i]`, `shared_mid` (up to the key `"quote": `: the deadline's reason
    and decision, the units), `mid[i]` (from its quote up to the key `"target": `) and
    `target[lang][i]`; the `shared_…` ones kept once per distinct text (`Interned`: row `i`'s is
    `.distinct[.index[i]]`). For record `k` (in the record columns): the JSON of the latest value its
    target had by then (that of the latest record up to `k` with one, else `null`), of its
    source (`Interned`), its `latest_text[lang]` when it is the latest record and not stale
    (`views.latest_text`, escaped, from its opening quote, without the closing one), and
    `"problems": …, "next_steps": …}` (`Interned`); and `stale_mark[lang]`, what a stale latest
    text adds, with the closing quote. Kept apart from the snapshot (a side file, tied to it by
    its token): only the JSON view reads it."""

    def __init__(self, fields: dict[str, Any], snap: Snapshot) -> None:
        n, records = snap.n, len(snap.rec_date)
        self.shared_head = Interned(fields["shared_head"], n)
        self.head = Texts(fields["head"])
        self.shared_limits = Interned(fields["shared_limits"], n)
        self.shared_mid = Interned(fields["shared_mid"], n)
        self.mid = Texts(fields["mid"])
        self.deadline_text = {lang: Texts(fields["deadline_text"][lang]) for lang in LANGS}
        self.target = {lang: Texts(fields["target"][lang]) for lang in LANGS}
        self.rec_value = Texts(fields["rec_value"])
        self.rec_source = Interned(fields["rec_source"], records)
        self.rec_text = {lang: Texts(fields["rec_text"][lang]) for lang in LANGS}
        self.rec_tail = Interned(fields["rec_tail"], records)
        self.stale_mark: dict[str, bytes] = fields["stale_mark"]
        per_target = (self.head, self.mid, *self.deadline_text.values(), *self.target.values())
        if any(len(t) != n for t in per_target):
            raise ValueError("json targets")
        if any(len(t) != records for t in (self.rec_value, *self.rec_text.values())):
            raise ValueError("json records")
        if any(type(self.stale_mark[lang]) is not bytes for lang in LANGS):
            raise TypeError("json stale mark")


def json_columns(result: LoadResult) -> dict[str, Any]:
    """The JSON side file's fields (see `JsonParts`), from a loaded plan. Raises ValueError when
    a text cannot be stored exactly (then the JSON view keeps using the object model)."""
    import json
    from json.encoder import encode_basestring

    from ..registry import Registry
    from ..views import deadline_label, describe_target, target_row

    plan = result.plan
    registry = Registry(plan.units)
    history = plan.histories()
    mark = json.dumps(_MARK)
    # a target's record cut before the values of `_CUT_AT`: the pieces between, in order
    pieces: list[list[str]] = [[] for _ in range(len(_CUT_AT))]
    deadline_text: dict[str, list[str]] = {lang: [] for lang in LANGS}
    target: dict[str, list[str]] = {lang: [] for lang in LANGS}
    rec_value: list[str] = []
    rec_source: list[str] = []
    rec_text: dict[str, list[str]] = {lang: [] for lang in LANGS}
    rec_tail: list[str] = []
    stale_mark = {lang: _stale_mark(lang) for lang in LANGS}

    dumps = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(x, ensure_ascii=False)

    for doc, m, t in plan.all_targets():
        row = target_row(doc, m, t, registry, {"row": "target"})
        statements = [describe_target(row, lang) for lang in LANGS]  # as `result_row` does
        if any(key not in row for key in _CUT_AT if key not in _BY_LANG):
            raise ValueError("a record without a key it is cut at")
        # the value each cut leaves out, written at the start of the piece after it
        cut_out = ["" if key in _BY_LANG else dumps(row[key]) for key in _CUT_AT]
        for key in _CUT_AT:  # `result_row` keeps the keys where `target_row` put them, and
            row[key] = _MARK  # adds "target" after the others
        if [k for k in row if k in _CUT_AT] != list(_CUT_AT):
            raise ValueError("a record whose keys are in another order")
        parts = dumps(row).split(mark)
        if len(parts) != len(_CUT_AT) + 1 or parts[-1] != "}":
            raise ValueError("a text with the JSON mark")
        for p, piece in enumerate(parts[:-1]):
            pieces[p].append((cut_out[p - 1] if p else "") + piece)
        for lang, statement in zip(LANGS, statements, strict=True):
            deadline_text[lang].append(dumps(deadline_label(t, lang)))
            target[lang].append(dumps(statement))
        known = "null"  # the latest value by each record (`measure_values` keeps the latest)
        for r in history.get(t.id, ()):
            if r.value is not None:
                known = dumps(r.value)
            rec_value.append(known)
            rec_source.append(dumps(r.source))
            for lang in LANGS:
                rec_text[lang].append(_latest_text(r, t, lang, stale_mark[lang]))
            rec_tail.append(
                f'"problems": {dumps(r.problems)}, "next_steps": {dumps(r.next_steps)}}}'
            )
    shared_head, head, shared_limits, shared_mid, mid = pieces
    return {
        "shared_head": Interned.store(shared_head, strict=True),
        "head": _store_strict(head),
        "shared_limits": Interned.store(shared_limits, strict=True),
        "shared_mid": Interned.store(shared_mid, strict=True),
        "mid": _store_strict(mid),
        "deadline_text": {lang: _store_strict(deadline_text[lang]) for lang in LANGS},
        "target": {lang: _store_strict(target[lang]) for lang in LANGS},
        "rec_value": _store_strict(rec_value),
        "rec_source": Interned.store(rec_source, strict=True),
        "rec_text": {lang: _store_strict(rec_text[lang]) for lang in LANGS},
        "rec_tail": Interned.store(rec_tail, strict=True),
        "stale_mark": {
            lang: encode_basestring(stale_mark[lang])[1:].encode("utf-8") for lang in LANGS
        },
    }


def _stale_mark(lang: str) -> str:
    """What `views.latest_text` adds to a stale record's text (ValueError if it is not simply
    added at the end)."""
    from ..views import latest_text

    fresh = latest_text("", None, None, None, False, lang)
    stale = latest_text("", None, None, None, True, lang)
    if not stale.startswith(fresh):
        raise ValueError("a stale latest text that is not the text and a mark")
    return stale[len(fresh) :]


def _latest_text(r: ProgressRecord, t: Target, lang: str, stale_mark: str) -> str:
    """`latest_text` of the record `r` of target `t` when it is the latest and not stale, as
    `views._latest_text` makes it, escaped as JSON without the closing quote (ValueError when
    its stale text is not this and `stale_mark`: json escapes each character alone, so the
    stale text's JSON is then this, the mark's and the closing quote)."""
    from json.encoder import encode_basestring

    from ..views import latest_text

    day = r.date.isoformat() if r.date else "?"
    fresh = latest_text(day, r.value, r.done, t.unit, False, lang)
    if latest_text(day, r.value, r.done, t.unit, True, lang) != fresh + stale_mark:
        raise ValueError("a stale latest text that is not the text and a mark")
    return encode_basestring(fresh)[:-1]


def _store_strict(texts: list[str]) -> tuple[bytes, bytes]:
    """`Texts.store` for JSON text: what UTF-8 cannot hold (a lone surrogate) is a ValueError,
    as the object model's strict stdout would fail on it, never bytes it would not write."""
    for text in texts:
        text.encode("utf-8")  # UnicodeEncodeError is a ValueError
    return Texts.store(texts)


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
    f = 0
    if t.kind is TargetKind.MILESTONE:
        f |= MILESTONE
    if t.maintain:
        f |= MAINTAIN
    if t.unit == "%":
        f |= PERCENT
    if t.extensions:
        f |= EXTENDED | FALLBACK
    if t.each is not None:  # per entity
        f |= FALLBACK
    for x in (t.value, t.value_max, t.baseline, t.tolerance):
        if x is not None and not _plain_number(x):
            f |= FALLBACK
    if not all(map(_plain_record, records)):
        return f | FALLBACK
    return f


def _plain_record(r: ProgressRecord) -> bool:
    """A record the columns hold: dated, correcting or withdrawing none, its value a number."""
    if r.corrects is not None or r.withdraws is not None or r.date is None:
        return False
    x = r.value
    return x is None or (type(x) is float and x == x) or _plain_number(x)


def _done(r: ProgressRecord) -> int:
    """A record's `done` in the column: -1 (not said), 0 or 1."""
    return -1 if r.done is None else int(bool(r.done))


def columns(result: LoadResult) -> dict[str, Any]:
    """The snapshot's fields, as builtin values, from a loaded plan."""
    from ..evaluate import tolerance
    from ..model import Comparator
    from ..registry import Registry
    from ..text import plain_width
    from ..views import deadline_label, describe_fields, describe_target

    plan = result.plan
    config = plan.config
    registry = Registry(plan.units)
    history = plan.histories()
    comparators = {c: i for i, c in enumerate(COMPARATORS)}
    deadline, start, flags, comparator = array("i"), array("i"), array("B"), array("b")
    value, value_max, tol, base = array("d"), array("d"), array("d"), array("d")
    offsets, rec_date, rec_value, rec_done = array("i", [0]), array("i"), array("d"), array("b")
    rec_file = array("i")
    file_index = {path: k for k, path in enumerate(result.files)}
    ids: list[str] = []
    units: list[str] = []
    statement: dict[str, list[str]] = {lang: [] for lang in LANGS}
    deadline_text: dict[str, list[str]] = {lang: [] for lang in LANGS}
    lead: list[str] = []
    responsible: list[str] = []
    extended: dict[int, tuple[int, ...]] = {}
    units_of: dict[tuple[int, str | None], tuple[str, str]] = {}
    target_doc, target_measure = array("i"), array("i")
    doc_ids: list[str] = []
    doc_titles: list[str] = []
    measure_ids: list[str] = []
    measure_titles: list[str] = []
    measure_lead: list[str] = []
    for doc in plan.documents:
        doc_ids.append(doc.id)
        doc_titles.append(f"{doc.title}（{doc.doc_number}）")
        for m in doc.measures:
            measure_ids.append(m.id)
            measure_titles.append(f"{m.clause}{m.title}")
            measure_lead.append(
                _joined(registry.canonical(m.responsibility.lead_units, doc.region))
            )
            for _ in m.targets:
                target_doc.append(len(doc_ids) - 1)
                target_measure.append(len(measure_ids) - 1)
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
                rec_done.append(_done(r))
                rec_file.append(file_index.get(r.path, -1))
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
        who = t.responsibility or m.responsibility
        known = units_of.get((id(who), doc.region))
        if known is None:  # the targets of a measure share its units
            names = registry.canonical_units(who, doc.region)
            known = units_of[(id(who), doc.region)] = (_joined(names[0]), _joined(names[1]))
        lead.append(known[0])
        responsible.append(known[1])
    fields = {
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
        "rec_file": rec_file.tobytes(),
        # the files that hold progress records and nothing else (none when decisions apply:
        # they are not spliced), by index in the tree's files
        "progress": [] if plan.decisions else _progress_files(result, file_index),
        "grown": {},  # `save` reads the files: see `_grown`
        "ids": Texts.store(ids),
        "id_width": array("i", [plain_width(x, CELL_WIDTH) for x in ids]).tobytes(),
        "statement_width": {
            lang: array("i", [plain_width(x, CELL_WIDTH) for x in statement[lang]]).tobytes()
            for lang in LANGS
        },
        "units": Texts.store(units),
        "statement": {lang: Texts.store(statement[lang]) for lang in LANGS},
        "deadline_text": {lang: Interned.store(deadline_text[lang]) for lang in LANGS},
        "lead": Interned.store(lead),
        "responsible": Interned.store(responsible),
        "extended": extended,
        "target_doc": target_doc.tobytes(),
        "target_measure": target_measure.tobytes(),
        "doc_ids": doc_ids,
        "doc_titles": doc_titles,
        "measure_ids": measure_ids,
        "measure_titles": measure_titles,
        "measure_lead": Texts.store(measure_lead),
        "all_completion": b"",
        "all_since": b"",
        "all_value": b"",
        "token": os.urandom(16),
        "plan_token": os.urandom(16),
    }
    n = len(ids)
    fields["all_completion"] = (array("d", [NAN]) * n).tobytes()
    fields["all_since"] = (array("i", [0]) * n).tobytes()
    fields["all_value"] = (array("d", [NAN]) * n).tobytes()
    _settle(fields, range(n))
    return fields


def _grown(
    result: LoadResult, progress: list[int], stats: list[tuple[str, Any]]
) -> dict[int, Grown]:
    """Each progress file (`progress`, by index) that reads with no problem, its records all plain
    (`_plain_record`, for no entity), with its bytes' size, digest and line breaks (`Grown`): a
    splice of records appended to it reads only what follows them (`_splice_appended`). Each
    file is read again here, and kept only when its stat (`stats`, taken after the load began,
    older than its racy margin) is still the same after the read: these are the bytes loaded."""

    plain = {k: True for k in progress}
    index = {path: k for k, (path, _) in enumerate(stats)}
    for p in result.problems:
        plain[index.get(p.path, -1)] = False
    for r in result.plan.records:
        k = index.get(r.path, -1)
        if plain.get(k) and not (_plain_record(r) and r.entity is None):
            plain[k] = False
    out: dict[int, Grown] = {}
    for k in progress:
        path, key = stats[k]
        if not plain[k]:
            continue
        try:
            data, _ = files_mod.read_regular(path, files_mod.MAX_BYTES)
            if len(data) != key[0] or cache_mod._stat_key(os.lstat(path)) != tuple(key):
                continue
        except OSError:
            continue
        out[k] = _kept(data)
    return out


def _progress_files(result: LoadResult, file_index: dict[str, int]) -> list[int]:
    """The files whose records reach the plan and that hold nothing else (`splice` may read
    them again alone)."""
    others = {d.pos.path for d in result.plan.documents} | {u.pos.path for u in result.plan.units}
    paths = {r.path for r in result.plan.records} - others
    return sorted(file_index[p] for p in paths if p in file_index)


def _settle(fields: Any, chosen: Iterable[int]) -> Snapshot:
    """What all of the `chosen` targets' records say, by `measure_values` (see `Snapshot`), into
    `fields` (whose other targets keep theirs); the snapshot of the fields that result. The
    columns no view of `overdue` reads (`all_since`, `all_value`) are changed as a `Patch` of
    a snapshot file's."""
    snap = Snapshot(fields)  # the columns so far, to judge them by the same code as a view
    flags, offsets, rec_date = snap.flags, snap.offsets, snap.rec_date
    completions = snap.all_completion
    since_days: dict[int, int] = {}
    latest_values: dict[int, float] = {}
    for i in chosen:
        flags[i] &= ~(MET_ALL | OVER_ALL)
        if flags[i] & FALLBACK:
            continue
        lo, hi = offsets[i], offsets[i + 1]
        met, completion, over, value, since, _ = measure_at(snap, i, lo, hi)
        day = rec_date[lo + since] if since is not None else 0
        said = _said_by_all(flags[i], met, completion, over, value, day)
        flags[i], completions[i], since_days[i], latest_values[i] = said
    fields["flags"] = flags.tobytes()
    fields["all_completion"] = completions.tobytes()
    for name, changes in (("all_since", since_days), ("all_value", latest_values)):
        patch = Patch(_TARGET_ARRAYS[name], changes)
        lazy = isinstance(fields, Stored) and not fields.overridden(name)
        fields[name] = patch if lazy else patch.applied_to(fields[name])
    return snap
