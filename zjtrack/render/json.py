"""Versioned JSON for views, streamed: one record per line, so 50,000 rows need neither an 86 MB
string in memory nor json's slow pure-Python indenting encoder."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..table import Table
from ..text import inert
from ..views import JSON_VERSION

if TYPE_CHECKING:
    from ..load.snapshot import JsonParts, Judged, Snapshot


def for_terminal(text: str) -> str:
    """JSON text for a terminal: C1 controls, bidi overrides and isolates, zero-width and other
    invisible characters written as `\\uXXXX` escapes, so the same JSON value can neither drive
    the terminal nor reorder what is shown (json already escapes C0 controls). Only strings can
    hold such characters, where the escape is valid JSON. To a file or a pipe JSON stays exact."""
    return inert(text)


def iter_view(
    table: Table, extra: dict[str, Any] | None = None, encoded: Iterable[Any] | None = None
) -> Iterator[Any]:
    """`{"version": 2, "view": …, "summary": …, "rows": [...], "rollups": [...]}`. `encoded`:
    the target rows already written as JSON, each `,\n    {…}` (the table then holds none)."""
    head: dict[str, Any] = {"version": JSON_VERSION, "view": table.view, **(extra or {})}
    if table.summary:
        head["summary"] = {k: v for k, v in table.summary.items() if k != "labels"}
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    # Targets keep one stable record shape in "rows"; document and measure roll-ups go apart.
    rows = (r for r in table.rows if r.get("row", "target") == "target")
    rollups = [r for r in table.rows if r.get("row", "target") != "target"]
    yield f"  {json.dumps('rows')}: "
    if encoded is None:
        yield from iter_array(rows, indent="  ")
    else:
        yield from _encoded_array(encoded, indent="  ")
    if rollups:
        yield f",\n  {json.dumps('rollups')}: "
        yield from iter_array(rollups, indent="  ")
    yield "\n}\n"


def _encoded_array(chunks: Iterable[Any], indent: str) -> Iterator[Any]:
    """`iter_array` of items already written, each `,\n` + indent + two spaces + the item."""
    yield "["
    first = True
    for chunk in chunks:
        if first:  # the first item has no comma
            chunk = chunk[1:]
            first = False
        yield chunk
    yield ("\n" + indent if not first else "") + "]"


def iter_array(items: Iterable[Any], indent: str = "") -> Iterator[str]:
    """A JSON array, one item per line (no final newline)."""
    yield "["
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + indent + "  " + json.dumps(item, ensure_ascii=False)
        first = False
    yield ("\n" + indent if not first else "") + "]"


# --- `status --format json` over the snapshot ---------------------------------------------------

_BATCH = 2000  # target rows written at a time: memory stays flat at any size


def snapshot_rows(
    snap: Snapshot, parts: JsonParts, shown: list[Judged], lang: str
) -> Iterator[bytes]:
    """The target rows of `status --format json` as UTF-8 bytes, each `,\n    {…}` (see
    `iter_view`), joined from what the JSON side file holds for each target and record and what
    the column judge decided as of the date: the very bytes `views.result_row` and `iter_array`
    write for the same target (tests/test_snapshot.py holds them equal)."""
    from json.encoder import encode_basestring  # what json.dumps writes a str with (no ASCII)

    from ..evaluate import Status
    from ..views import snapshot_latest_text
    from ..vocab import level_label, status_label

    def dumps(x: object) -> bytes:
        return json.dumps(x, ensure_ascii=False).encode("utf-8")

    def number(x: float | int | None, known: dict[Any, bytes]) -> bytes:
        if x is None:
            return b"null"
        if not x:  # 0.0 and -0.0 are one key but two texts
            return repr(x).encode()
        found = known.get(x)
        if found is None:
            found = known[x] = repr(x).encode()  # json writes ints and floats by their repr
        return found

    heads, mids = parts.head.raw_all(), parts.mid.raw_all()
    deadline_texts, statements = parts.deadline_text[lang].raw_all(), parts.target[lang].raw_all()
    rec_source, rec_tail = parts.rec_source, parts.rec_tail
    rec_date, offsets, deadline = snap.rec_date, snap.offsets, snap.deadline
    snap.units.decode_all()
    judged: dict[tuple[Status, Any, bool, bool], bytes] = {}
    dates: dict[int, bytes] = {0: b"null"}
    days: dict[int, str] = {}
    floats: dict[Any, bytes] = {}
    ints: dict[Any, bytes] = {}
    truth = (b"false", b"true")
    no_record = b'"problems": null, "next_steps": null}'
    dash = dumps("—")
    template = (
        b',\n    %s%s%s%s, "deadline_in_force": %s, "extension_ignored": false, "days_left": %s,'
        b' "days_late": %s, %s, "completion": %s, "time_elapsed": %s, "gap": %s, "met": %s,'
        b' "over": %s, "latest_value": %s, "latest_date": %s, "latest_source": %s,'
        b' "latest_text": %s, "records": %d, "stale": %s, "entities_known": true,'
        b' "entity_results": [], %s'
    )
    batch: list[bytes] = []
    for j in shown:
        i, status, level, over, k = j.i, j.status, j.level, j.over, j.latest
        never = status is Status.OVERDUE and k < 0
        verdict = judged.get((status, level, never, over))
        if verdict is None:
            label = status_label(status, lang, never_recorded=never, over=over)
            verdict = judged[(status, level, never, over)] = (
                b'"status": %s, "status_label": %s, "level": %s, "level_label": %s'
                % (
                    dumps(status.value),
                    dumps(label),
                    dumps(level.value if level else None),
                    dumps(level_label(level, lang)),
                )
            )
        d = deadline[i]
        due = dates.get(d) or dates.setdefault(d, dumps(_iso(d)))
        days_left = j.days_left
        if k < 0:
            value = on = source = b"null"
            text, count, tail = dash, 0, no_record
        else:
            day = rec_date[k]
            value, on = (
                _latest_value(snap, parts, j),
                dates.get(day) or dates.setdefault(day, dumps(_iso(day))),
            )
            source = rec_source.raw(k)
            text = encode_basestring(snapshot_latest_text(snap, j, lang, days)).encode("utf-8")
            count, tail = k - offsets[i] + 1, rec_tail.raw(k)
        batch.append(
            template
            % (
                heads[i],
                deadline_texts[i],
                mids[i],
                statements[i],
                due,
                number(days_left, ints),
                number(-days_left if days_left is not None and days_left < 0 else None, ints),
                verdict,
                number(j.completion, floats),
                number(j.time_elapsed, floats),
                number(j.gap, floats),
                truth[j.met],
                truth[over],
                value,
                on,
                source,
                text,
                count,
                truth[j.stale],
                tail,
            )
        )
        if len(batch) == _BATCH:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


def _latest_value(snap: Snapshot, parts: JsonParts, j: Judged) -> bytes:
    """The JSON of the latest value `measure_values` found: that of the latest record with one
    (the very number the record holds, `7` or `7.0`)."""
    if j.value is None:
        return b"null"
    v, first, values = j.latest, snap.offsets[j.i], snap.rec_value
    while v > first and values[v] != values[v]:  # NaN: a record without a value
        v -= 1
    return parts.rec_value.raw(v)


def _iso(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()
