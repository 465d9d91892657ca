"""One file's parsed content as plain builtin values and back: the cache's data-only format.

The cache stores what `reader` made of a file (`FileContent`: named tuples of the model, enums,
dates) as nothing but tuples, lists, dicts, str, int, float, bool and None, the values `marshal`
writes and reads without ever calling code. Decoding rebuilds the model by table, not by
object: every named tuple class has a table of instances, stored as one column per field; a
field holding another model value holds its row number in that class's table (0 is None), a date
its row in the table of dates, an enum its value. Each column is then turned into values by one
C-level `map` over a list or a dict, and each class's rows built by `map(tuple.__new__, ...)`,
so that no Python code runs per object: a province's million values are rebuilt faster than
pickle restores them, and nothing in an entry can name a class or a function to call.

`encode` raises `Unencodable` for a value it does not know (a new model field the table below
has not been told of): the file is then parsed on every run, never stored wrongly. `decode`
raises on anything malformed; the cache turns that into a re-parse.
"""

from __future__ import annotations

import datetime as dt
import enum
import marshal
from itertools import repeat
from typing import Any, cast

from .. import model, problems
from .content import FileContent

FORMAT = 1


class Unencodable(ValueError):
    """A value the codec has no rule for: the file is not cached."""


# How each field of each class is stored, in the order classes are decoded (a class refers only
# to classes before it). Fields not named are plain values: str, int, float, bool, None, or
# tuples of those. "date": a date or datetime (a row of the date table); a class: one value of
# it (a row of its table); (class,): a tuple of them; an enum class: its value.
_When = model.When
_Name = model.Name
SCHEMA: tuple[tuple[type[tuple[Any, ...]], dict[str, Any]], ...] = (
    (model.Pos, {}),
    (model.When, {"date": "date", "pos": model.Pos}),
    (model.Name, {"pos": model.Pos}),
    (model.Unit, {"kind": model.UnitKind, "members": (model.Name,), "pos": model.Pos}),
    (model.Member, {}),
    (model.WorkGroup, {"members": (model.Member,)}),
    (
        model.Responsibility,
        {
            "lead_units": (_Name,),
            "responsible_units": (_Name,),
            "lead_colleges": (_Name,),
            "lead_enterprises": (_Name,),
            "supporting_units": (_Name,),
        },
    ),
    (model.Extension, {"deadline": _When, "approved_on": "date"}),
    (
        model.Decision,
        {
            "deadline": _When,
            "start": _When,
            "decided_on": "date",
            "pos": model.Pos,
        },
    ),
    (
        model.Target,
        {
            "kind": model.TargetKind,
            "comparator": model.Comparator,
            "start": _When,
            "deadline": _When,
            "responsibility": model.Responsibility,
            "extensions": (model.Extension,),
            "pos": model.Pos,
            "decisions": (model.Decision,),
        },
    ),
    (
        model.Measure,
        {
            "kind": model.MeasureKind,
            "responsibility": model.Responsibility,
            "targets": (model.Target,),
            "pos": model.Pos,
        },
    ),
    (
        model.Document,
        {
            "issued": "date",
            "tracked_from": model.When,
            "work_group": model.WorkGroup,
            "measures": (model.Measure,),
            "pos": model.Pos,
        },
    ),
    (model.ProgressRecord, {"date": "date", "recorded_at": "date"}),
    (model.Config, {}),
    (problems.Problem, {}),
)
_INDEX = {cls: i for i, (cls, _) in enumerate(SCHEMA)}
# each class's fields' kinds (SCHEMA), in field order: a plain value (None) is kept as it is
_FIELD_KINDS = [tuple(fields.get(n) for n in cls._fields) for cls, fields in SCHEMA]  # type: ignore[attr-defined]
_PLAIN = (str, int, float, bool, type(None))
_EXACT = (str, int, bool)  # equal means identical (not float: 0.0 == -0.0)


class _Encoder:
    def __init__(self) -> None:
        self.rows: list[list[tuple[Any, ...]]] = [[] for _ in SCHEMA]
        self.pools: list[list[tuple[int, ...]]] = [[()] for _ in SCHEMA]  # tuples of rows
        self.seen: dict[int, int] = {}  # id(value) -> its row: shared values stay shared
        self.dates: list[object] = [None]
        self.date_rows: dict[object, int] = {}

    def ref(self, value: Any, cls: type) -> int:
        if value is None:
            return 0
        if type(value) is not cls:
            raise Unencodable(f"{cls.__name__} expected, got {type(value).__name__}")
        row = self.seen.get(id(value))
        if row is None:
            i = _INDEX[cls]
            field = self.field
            self.rows[i].append(
                tuple(
                    [
                        v if kind is None and type(v) in _PLAIN else field(v, kind)
                        for v, kind in zip(
                            cast("tuple[Any, ...]", value), _FIELD_KINDS[i], strict=True
                        )
                    ]
                )
            )
            row = self.seen[id(value)] = len(self.rows[i])  # row 0 is None
        return row

    def refs(self, values: Any, cls: type) -> int:
        if type(values) is not tuple:
            raise Unencodable(f"tuple of {cls.__name__} expected")
        if not values:
            return 0
        pool = self.pools[_INDEX[cls]]
        pool.append(tuple(self.ref(v, cls) for v in values))
        return len(pool) - 1

    def date(self, value: Any) -> int:
        if value is None:
            return 0
        if type(value) is dt.date:
            key: object = value.toordinal()
        elif type(value) is dt.datetime:
            key = value.isoformat()
        else:
            raise Unencodable(f"date expected, got {type(value).__name__}")
        row = self.date_rows.get(key)
        if row is None:
            self.dates.append(key)
            row = self.date_rows[key] = len(self.dates) - 1
        return row

    def field(self, value: Any, kind: Any) -> Any:
        if kind is None:
            return _plain(value)
        if kind == "date":
            return self.date(value)
        if isinstance(kind, tuple):
            return self.refs(value, kind[0])
        if isinstance(kind, enum.EnumMeta):
            if value is None:
                return None
            if type(value) is not kind:
                raise Unencodable(f"{kind.__name__} expected")
            return value.value
        return self.ref(value, kind)


def _plain(value: Any) -> Any:
    """A plain value as is; anything else (a model value where none was expected) refused."""
    if type(value) in _PLAIN:
        return value
    if type(value) is tuple:
        return tuple(_plain(v) for v in value)
    raise Unencodable(f"plain value expected, got {type(value).__name__}")


def encode(content: FileContent) -> bytes:
    """`content` as marshal bytes of builtin values only."""
    enc = _Encoder()
    top = (
        enc.ref(content.document, model.Document),
        [enc.ref(u, model.Unit) for u in content.units],
        [enc.ref(r, model.ProgressRecord) for r in content.records],
        {
            _plain(k): [enc.ref(r, model.ProgressRecord) for r in v]
            for k, v in content.history.items()
        },
        enc.ref(content.config, model.Config),
        [enc.ref(d, model.Decision) for d in content.decisions],
        [enc.ref(p, problems.Problem) for p in content.problems],
    )
    tables = [
        (len(rows), [_column(c) for c in zip(*rows, strict=True)] if rows else [], pool)
        for rows, pool in zip(enc.rows, enc.pools, strict=True)
    ]
    try:
        return marshal.dumps((FORMAT, enc.dates, tables, top))
    except ValueError as e:  # only builtins reach here; kept as a guard
        raise Unencodable(str(e)) from e


def _column(values: tuple[Any, ...]) -> Any:
    """A column as stored: one value when all rows share it (most optional fields are None in
    every row), else the tuple. marshal reads one value much faster than a hundred thousand."""
    first = values[0]
    if all(v is first for v in values) or (
        type(first) in _EXACT and all(type(v) is type(first) and v == first for v in values)
    ):
        return [first]
    return values


def _dates(raw: list[Any]) -> list[Any]:
    if all(type(v) is int for v in raw[1:]):
        return [None, *map(dt.date.fromordinal, raw[1:])]
    return [
        None,
        *(
            dt.date.fromordinal(v) if type(v) is int else dt.datetime.fromisoformat(v)
            for v in raw[1:]
        ),
    ]


def _kind(kind: Any) -> tuple[str, Any] | None:
    """A field's kind as the decoder uses it: a tag and the table it reads from."""
    if kind is None:
        return None
    if kind == "date":
        return ("date", None)
    if isinstance(kind, tuple):
        return ("pool", _INDEX[kind[0]])
    if isinstance(kind, enum.EnumMeta):
        members: list[Any] = list(kind)
        table: dict[Any, Any] = {m.value: m for m in members}
        table[None] = None
        return ("enum", table)
    return ("rows", _INDEX[kind])


_KINDS = [tuple(_kind(fields.get(n)) for n in cls._fields) for cls, fields in SCHEMA]  # type: ignore[attr-defined]
_NO_ROWS: list[Any] = [None]  # a class without values in this file (never mutated)
_NO_TUPLES: list[Any] = [()]


def decode(data: bytes) -> FileContent:
    """The content `encode` stored. Raises (ValueError, TypeError, IndexError, KeyError...) on
    anything it did not write."""
    version, raw_dates, tables, top = marshal.loads(data)
    if version != FORMAT or len(tables) != len(SCHEMA):
        raise ValueError("not this format")
    dates = _dates(raw_dates)
    rows_of: list[list[Any]] = []  # per class: its values, row 0 None
    tuples_of: list[list[Any]] = []  # per class: the tuples of its values fields hold
    for (cls, _), kinds, (count, columns, pool) in zip(SCHEMA, _KINDS, tables, strict=True):
        if not count:
            rows: list[Any] = _NO_ROWS
        else:
            if len(columns) != len(kinds):
                raise ValueError(f"{cls.__name__}: wrong number of fields")
            converted: list[Any] = []
            for kind, column in zip(kinds, columns, strict=True):
                lookup = None
                if kind is not None:
                    tag, arg = kind
                    table = (
                        dates
                        if tag == "date"
                        else rows_of[arg]
                        if tag == "rows"
                        else tuples_of[arg]
                        if tag == "pool"
                        else arg
                    )
                    lookup = table.__getitem__
                if type(column) is list:  # one value for every row
                    (value,) = column
                    converted.append(repeat(value if lookup is None else lookup(value), count))
                else:
                    converted.append(column if lookup is None else map(lookup, column))
            rows = [None]
            rows += map(tuple.__new__, repeat(cls), zip(*converted, strict=True))
            if len(rows) != count + 1:
                raise ValueError(f"{cls.__name__}: wrong number of rows")
        rows_of.append(rows)
        if len(pool) == 1 and not pool[0]:
            tuples_of.append(_NO_TUPLES)
        else:
            get = rows.__getitem__
            tuples_of.append([tuple(map(get, t)) for t in pool])
    document, units, records, history, config, decisions, found = top
    get_record = rows_of[_INDEX[model.ProgressRecord]].__getitem__
    return FileContent(
        document=rows_of[_INDEX[model.Document]][document],
        units=list(map(rows_of[_INDEX[model.Unit]].__getitem__, units)),
        records=list(map(get_record, records)),
        history={k: tuple(map(get_record, v)) for k, v in history.items()},
        config=rows_of[_INDEX[model.Config]][config],
        decisions=list(map(rows_of[_INDEX[model.Decision]].__getitem__, decisions)),
        problems=list(map(rows_of[_INDEX[problems.Problem]].__getitem__, found)),
    )
