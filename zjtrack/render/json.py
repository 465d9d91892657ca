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
    from ..evaluate import Rollup
    from ..load.snapshot import JsonParts, Snapshot, Verdicts


def for_terminal(text: str) -> str:
    """JSON text for a terminal: C1 controls, bidi overrides and isolates, zero-width and other
    invisible characters written as `\\uXXXX` escapes, so the same JSON value can neither drive
    the terminal nor reorder what is shown (json already escapes C0 controls). Only strings can
    hold such characters, where the escape is valid JSON. To a file or a pipe JSON stays exact."""
    return inert(text)


def iter_view(
    table: Table,
    extra: dict[str, Any] | None = None,
    encoded: Iterable[Any] | None = None,
    encoded_rollups: list[str] | None = None,
) -> Iterator[Any]:
    """`{"version": 2, "view": …, "summary": …, "rows": [...], "rollups": [...]}`. `encoded`:
    the target rows already written as JSON, each `,\n    {…}` (the table then holds none);
    `encoded_rollups`, the roll-ups' likewise (the table then holds none of them either)."""
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
    if rollups or encoded_rollups:
        yield f",\n  {json.dumps('rollups')}: "
        if encoded_rollups is None:
            yield from iter_array(rollups, indent="  ")
        else:
            yield from _encoded_array(encoded_rollups, indent="  ")
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
    between = ",\n" + indent + "  "
    first = True
    for texts in _dumped(items):
        yield ("\n" + indent + "  " if first else between) + between.join(texts)
        first = False
    yield ("\n" + indent if not first else "") + "]"


_MARK = "\0zjtrack-json-mark\0"  # a string no item is likely to hold
_MARKED = json.dumps(_MARK)  # `"\u0000zjtrack-json-mark\u0000"`: only a string equal to it
_SPLIT = f", {_MARKED}, "
_CHUNK = 1000  # items written by one `json.dumps`: memory stays flat at any size


def _dumped(items: Iterable[Any]) -> Iterator[list[str]]:
    """`json.dumps` of each item, a list of them at a time: one `json.dumps` writes a chunk of
    them with the mark between each two, `[a, "…mark…", b]`, and the text is cut at the marks
    (one call into json's C encoder instead of one per item). Where an item holds the mark
    itself, or a chunk cannot be written, its items are written one by one as before (an
    error then comes after the items before it)."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == _CHUNK:
            yield from _dumps_chunk(chunk)
            chunk = []
    yield from _dumps_chunk(chunk)


def _dumps_chunk(chunk: list[Any]) -> Iterator[list[str]]:
    """The items of `chunk` written (see `_dumped`)."""
    if len(chunk) > 1:
        spaced = [_MARK] * (2 * len(chunk) - 1)
        spaced[::2] = chunk
        try:
            text = json.dumps(spaced, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError):  # raised again below, in its place
            pass
        else:
            if text.count(_MARKED) == len(chunk) - 1:  # the marks put there, and no other
                yield text[1:-1].split(_SPLIT)
                return
    for item in chunk:
        yield [json.dumps(item, ensure_ascii=False)]


# --- `status --format json` over the snapshot ---------------------------------------------------

_BATCH = 2000  # target rows written at a time: memory stays flat at any size


def _dumps(x: object) -> bytes:
    """`json.dumps` as `iter_array` writes a value, in UTF-8."""
    return json.dumps(x, ensure_ascii=False).encode("utf-8")


def _number(x: float | int | None) -> bytes:
    """A number, or None, as json writes it: by its repr, or `null`."""
    return b"null" if x is None else repr(x).encode()


class _Numbers(dict[Any, bytes]):
    """Numbers as json writes them (`_number`), each made once. One table per kind of number:
    1 and 1.0 are one key but two texts, as are 0.0 and -0.0 (write a zero with `_number`)."""

    def __missing__(self, x: Any) -> bytes:
        found = self[x] = _number(x)
        return found


class _Days(dict[Any, bytes]):
    """`"days_left": …, "days_late": …` by days left (an int or None), each made once."""

    def __missing__(self, days_left: int | None) -> bytes:
        late = -days_left if days_left is not None and days_left < 0 else None
        found = self[days_left] = b'"days_left": %s, "days_late": %s' % (
            _number(days_left),
            _number(late),
        )
        return found


class _Dates(dict[int, bytes]):
    """ISO dates in JSON by proleptic ordinal (0: `null`), each made once."""

    def __missing__(self, ordinal: int) -> bytes:
        found = self[ordinal] = _dumps(_iso(ordinal)) if ordinal else b"null"
        return found


class _Verdicts(dict[tuple[Any, ...], bytes]):
    """`"status": …, "status_label": …, "level": …, "level_label": …` by status, level, never
    recorded and over (as `views.result_row` labels them), each made once."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, key: tuple[Any, ...]) -> bytes:
        from ..vocab import level_label, status_label

        status, level, never, over = key
        label = status_label(status, self.lang, never_recorded=never, over=over)
        found = self[key] = b'"status": %s, "status_label": %s, "level": %s, "level_label": %s' % (
            _dumps(status.value),
            _dumps(label),
            _dumps(level.value if level else None),
            _dumps(level_label(level, self.lang)),
        )
        return found


# the snapshot's columns `snapshot_rows` reads (the rest of what it writes is the JSON side file's)
ROWS_READ = ("rec_date", "offsets", "deadline")


def snapshot_rows(snap: Snapshot, parts: JsonParts, shown: Verdicts, lang: str) -> Iterator[bytes]:
    """The target rows of `status --format json` as UTF-8 bytes, each `,\n    {…}` (see
    `iter_view`), joined from what the JSON side file holds for each target and record and what
    the column judge decided as of the date: the very bytes `views.result_row` and `iter_array`
    write for the same target (tests/test_snapshot.py holds them equal)."""

    heads, mids = parts.head.raw_all(), parts.mid.raw_all()
    shared_heads, shared_head_at = parts.shared_head.raw_distinct(), parts.shared_head.index
    shared_limits, shared_limits_at = parts.shared_limits.raw_distinct(), parts.shared_limits.index
    shared_mids, shared_mid_at = parts.shared_mid.raw_distinct(), parts.shared_mid.index
    deadline_texts, statements = parts.deadline_text[lang].raw_all(), parts.target[lang].raw_all()
    values, texts = parts.rec_value.raw_all(), parts.rec_text[lang].raw_all()
    sources, source_at = parts.rec_source.raw_distinct(), parts.rec_source.index
    tails, tail_at = parts.rec_tail.raw_distinct(), parts.rec_tail.index
    closing = (b'"', parts.stale_mark[lang])  # a latest text's end: as it is, or stale
    rec_date, offsets, deadline = snap.rec_date, snap.offsets, snap.deadline  # `ROWS_READ`
    verdicts, dates, days, floats = _Verdicts(lang), _Dates(), _Days(), _Numbers()
    truth = (b"false", b"true")
    dash = _dumps("—")[:-1]  # the latest text of a target without records, never stale
    no_record = b'"problems": null, "next_steps": null}'
    template = (
        b',\n    %s%s%s%s%s%s%s, "deadline_in_force": %s, "extension_ignored": false, %s, %s,'
        b' "completion": %s, "time_elapsed": %s, "gap": %s, "met": %s, "over": %s,'
        b' "latest_value": %s, "latest_date": %s, "latest_source": %s, "latest_text": %s%s,'
        b' "records": %d, "stale": %s, "entities_known": true, "entity_results": [], %s'
    )
    batch: list[bytes] = []
    for i, status, level, completion, elapsed, left, over, never, k, stale, met, gap, known in zip(
        shown.i,
        shown.status,
        shown.level,
        shown.completion,
        shown.time_elapsed,
        shown.days_left,
        shown.over,
        shown.never_recorded,
        shown.latest,
        shown.stale,
        shown.met,
        shown.gap,
        shown.value,
        strict=True,
    ):
        if k < 0:
            value = day = source = b"null"
            text, close, count, tail = dash, b'"', 0, no_record
        else:
            value = b"null" if known is None else values[k]  # the latest value known
            day, source = dates[rec_date[k]], sources[source_at[k]]
            text, close = texts[k], closing[stale]
            count, tail = k - offsets[i] + 1, tails[tail_at[k]]
        batch.append(
            template
            % (
                shared_heads[shared_head_at[i]],
                heads[i],
                shared_limits[shared_limits_at[i]],
                deadline_texts[i],
                shared_mids[shared_mid_at[i]],
                mids[i],
                statements[i],
                dates[deadline[i]],
                days[left],
                verdicts[(status, level, never, over)],
                floats[completion] if completion else _number(completion),
                floats[elapsed] if elapsed else _number(elapsed),
                floats[gap] if gap else _number(gap),
                truth[met],
                truth[over],
                value,
                day,
                source,
                text,
                close,
                count,
                truth[stale],
                tail,
            )
        )
        if len(batch) == _BATCH:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


def snapshot_rollups(snap: Snapshot, rolled: list[tuple[str, int, Rollup]], lang: str) -> list[str]:
    """The roll-ups of `status --format json` over the snapshot, as one text (written and
    encoded at once) of `,\n    {…}`, one for each document and measure: the row
    `views.rollup_row(..., full=True)` makes of it (its kind, index and `Rollup`, counted), as
    `iter_array` writes it. Ids and titles are written by one `json.dumps` each (`_strings`),
    lead units once per distinct list, each status and level once; the rest by a template
    (tests/test_snapshot.py holds them equal)."""
    from ..evaluate import Status
    from ..load.snapshot import SEP
    from ..vocab import level_label, status_label

    ids = {"document": _strings(snap.doc_ids), "measure": _strings(snap.measure_ids)}
    titles = {"document": _strings(snap.doc_titles), "measure": _strings(snap.measure_titles)}
    joined = snap.measure_lead.raw_all_text()
    leads = {
        text: json.dumps(text.split(SEP) if text else [], ensure_ascii=False)
        for text in set(joined)
    }
    statuses: dict[Any, str] = {}
    for status in {r.status for _, _, r in rolled}:
        label = json.dumps(status_label(status, lang), ensure_ascii=False)
        statuses[status] = f'"status": {json.dumps(status.value)}, "status_label": {label}'
    keys = {status: f"{json.dumps(status.value)}: " for status in Status}  # of "by_status"
    levels: dict[Any, str] = {}
    for level in {r.level for _, _, r in rolled}:
        label = json.dumps(level_label(level, lang), ensure_ascii=False)
        value = json.dumps(level.value if level else None)
        levels[level] = f'"level": {value}, "level_label": {label}'
    rows = [
        f',\n    {{"row": "{kind}", "id": {ids[kind][k]}, "target": {titles[kind][k]}, '
        f'"lead_units": {leads[joined[k]] if kind == "measure" else "[]"}, "deadline_text": "", '
        f'"completion": {"null" if r.completion is None else repr(r.completion)}, '
        f'"time_elapsed": null, {statuses[r.status]}, {levels[r.level]}, "latest_text": "", '
        f'"targets": {r.total}, "by_status": {{{", ".join([keys[s] + str(n) for s, n in r.counts.items()])}}}}}'
        for kind, k, r in rolled
    ]
    return ["".join(rows)] if rows else []  # one text: encoded and written once


def _strings(texts: list[str]) -> list[str]:
    """Each text as json writes it, by one `json.dumps` of them all, cut between the items: a
    string's text holds no unescaped quote, so `", "` is found only between two of them (what is
    not a string, never given, is written alone)."""
    if not texts:
        return []
    cut = json.dumps(texts, ensure_ascii=False)[2:-2].split('", "')
    if len(cut) != len(texts) or set(map(type, texts)) != {str}:  # each written alone then
        return [json.dumps(text, ensure_ascii=False) for text in texts]
    return [f'"{text}"' for text in cut]


def _iso(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()
