"""Views on a terminal: aligned plain text (pipes, files, long tables) or a rich table with colour
(an interactive terminal). CJK characters take two cells; every cell is made inert first."""

from __future__ import annotations

import math
from itertools import compress, repeat
from operator import add, not_, or_, sub
from typing import TYPE_CHECKING, Any, NamedTuple

from ..table import Cell, Column, Table, Tag, cell_text
from ..text import inert, one_line, width, wrap
from .palette import terminal_style

if TYPE_CHECKING:
    from array import array
    from collections.abc import Callable, Iterable, Sequence

    from ..load.snapshot import Cells, Interned, Overdue, Snapshot, Texts, Verdicts


def bar(value: float | None, cells: int = 10) -> str:
    """A progress bar in text: `██████░░░░   60%`, `█████████░ 98.9%`: the number as every
    other view and report shows it (`cell_text`: 98.9%, never rounded up to 99% or 100%), the
    bar full only at 100% (a cell is filled once its tenth is reached)."""
    if value is None:
        return "—"
    filled = int(max(0.0, min(value, 100.0)) / 100 * cells + 1e-9)
    return "█" * filled + "░" * (cells - filled) + f" {cell_text(value, 'percent'):>5}"


def _text(value: Cell, fmt: str) -> str:
    if fmt == "percent" and (value is None or isinstance(value, (int, float))):
        return bar(value)
    return cell_text(value, fmt)


def summary_line(table: Table, lang: str) -> str:
    """`共 59 项目标：已完成 3，逾期未完成 20 …` for views that carry a status summary."""
    s = table.summary
    if not s:
        return ""
    parts = [f"{s['labels'][k]} {n}" for k, n in s["by_status"].items() if n]
    if lang == "zh":
        return f"共 {s['total']} 项目标" + ("：" + "，".join(parts) if parts else "")
    return f"{s['total']} targets" + (": " + ", ".join(parts) if parts else "")


def render_plain(table: Table, lang: str, max_width: int = 60) -> str:
    """Aligned plain text with CJK-aware widths; no colour, no markup, cheap per row (each
    distinct cell text is made safe and measured once: unit names, dates and bars repeat)."""
    labels = [c.label for c in table.columns]
    nested = any(r.get("row", "target") != "target" for r in table.rows)
    seen: dict[str, tuple[str, int]] = {}

    def cell(raw: str) -> tuple[str, int]:
        hit = seen.get(raw)
        if hit is None:
            hit = seen[raw] = fit(raw, max_width)
        return hit

    columns = [(c.key, c.format) for c in table.columns]
    rows = [
        [cell(_indent(r, key, nested) + _text(r.get(key), fmt)) for key, fmt in columns]
        for r in table.rows
    ]
    cells = [([row[k][0] for row in rows], [row[k][1] for row in rows]) for k in range(len(labels))]
    return plain_lines(labels, cells, summary_line(table, lang))


def fit(raw: str, max_width: int = 60) -> tuple[str, int]:
    """A plain table's cell of `raw`: on one line, inert, clipped to `max_width` cells; and its
    width."""
    text = one_line(raw)
    w = width(text)
    return _clip(text, max_width) if w > max_width else (text, w)


def plain_lines(labels: list[str], cells: list[tuple[list[str], list[int]]], summary: str) -> str:
    """The aligned text of a plain table, from each column's cells and their widths (`fit`):
    every column as wide as its widest cell or heading, two spaces between columns."""
    widths = [
        max(width(label), max(ws, default=0)) for label, (_, ws) in zip(labels, cells, strict=True)
    ]
    pads = [" " * k for k in range(max(widths, default=0) + 1)]
    # each cell and its padding joined in C: text + pads[wide - w]
    padded = [
        list(map(add, texts, map(pads.__getitem__, map(sub, repeat(wide, len(ws)), ws))))
        for (texts, ws), wide in zip(cells, widths, strict=True)
    ]
    lines = map(str.rstrip, map("  ".join, zip(*padded, strict=True)))
    return _framed(labels, widths, lines, summary)


def _framed(labels: list[str], widths: list[int], lines: Iterable[str], summary: str) -> str:
    """A plain table's text: the heading and the rule of columns `widths` wide, the rows'
    `lines` (laid out already), and the summary line."""
    # one join: the text is a province's whole table (megabytes), never copied again
    return "\n".join([*_frame(labels, widths), *lines, *_tail(summary)])


def _framed_bytes(
    labels: list[str], widths: list[int], lines: Iterable[bytes], summary: str
) -> bytes:
    """`_framed` of rows laid out as UTF-8 bytes: its text, encoded."""
    frame = [text.encode() for text in _frame(labels, widths)]
    return b"\n".join([*frame, *lines, *(text.encode() for text in _tail(summary))])


def _frame(labels: list[str], widths: list[int]) -> list[str]:
    """A plain table's heading and the rule under it."""
    head = "  ".join(
        label + " " * (wide - width(label)) for label, wide in zip(labels, widths, strict=True)
    )
    return [head.rstrip(), "  ".join("─" * w for w in widths)]


def _tail(summary: str) -> list[str]:
    """What follows a plain table's rows (joined by newlines): its end, and the summary line."""
    return ["", summary, ""] if summary else [""]


def _clip(text: str, limit: int) -> tuple[str, int]:
    """`text` cut to `limit` cells with an ellipsis, and its width."""
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…", used + 1


# Columns a narrow terminal leaves out first (the first listed goes first); the rest are kept.
_DROP_ORDER = (
    "time_elapsed",
    "responsible_units",
    "shares",
    "latest_text",
    "no_data",
    "on_track",
    "done_late",  # a unit's counts: what needs supervision (overdue, behind) and done stay
    "in_progress",
    "lead_units",
    "level_label",
    "deadline_text",
    "done",
    "behind",
)
# where a view shows the days late or left, the deadline goes before the lead units
_DROP_ORDER_WITH_DAYS = tuple(k for k in _DROP_ORDER if k != "deadline_text")
_DROP_ORDER_WITH_DAYS = (
    *_DROP_ORDER_WITH_DAYS[: _DROP_ORDER_WITH_DAYS.index("lead_units")],
    "deadline_text",
    *_DROP_ORDER_WITH_DAYS[_DROP_ORDER_WITH_DAYS.index("lead_units") :],
)
_BAR_WIDTH = len(bar(100.0))  # `██████████ 100%`
_SHORT_PERCENT = 6  # `100%`, `20.5%`
_TEXT_MIN = 10  # a wrapped text column is never narrower than this (five CJK characters)
_NARROWEST = 6  # ... unless the terminal leaves no more: three CJK characters
_CHROME = 3  # a column's padding and rule: ` x │`
# The share of what is left that a wrapping column takes (others 1): the target's statement most.
_SHARE = {"target": 4, "unit": 3, "latest_text": 2}
# The most a column that does not share takes: a status wider (逾期未完成（无进展数据）) wraps.
_MOST = {"deadline_text": 12, "tag": 10}
_LEAST = {
    "target": 20,
    "unit": 16,
    "lead_units": 12,
    "responsible_units": 12,
    "latest_text": 16,  # `2026-10-31 45家` on one line
}  # the least a wrapping column takes (others `_TEXT_MIN`)


class Layout(NamedTuple):
    """Which columns a table shows at a width, how wide each is (None: as wide as its cells),
    whether percentages are drawn as bars, and what was left out."""

    columns: tuple[Column, ...]
    widths: tuple[int | None, ...]
    bars: bool
    dropped: tuple[Column, ...]


def _flows(c: Column) -> bool:
    """A column that wraps and shares what the others leave (ids, numbers, tags do not)."""
    return c.key != "id" and c.key not in _MOST and c.format in ("text", "long", "list")


def _own_widths(table: Table, nested: bool, bars: bool, capped: bool = True) -> dict[str, int]:
    """The width of each column that does not share: its widest cell (or heading), at most
    `_MOST` when `capped`; an id never less than its widest id."""
    out: dict[str, int] = {}
    for c in table.columns:
        if _flows(c):
            continue
        if c.format == "percent":
            out[c.key] = max(width(c.label), _BAR_WIDTH if bars else _SHORT_PERCENT)
            continue
        w = max(
            [width(c.label) if c.key != "id" else 0]
            + [
                width(_indent(r, c.key, nested) + _cell(r.get(c.key), c.format, bars))
                for r in table.rows
            ]
        )
        most = _MOST.get(c.key, _MOST.get(c.format))
        if capped and most is not None and c.key != "id":
            w = min(w, max(most, width(c.label)))
        out[c.key] = w
    return out


def layout(table: Table, total: int | None) -> Layout:
    """The columns that fit `total` cells (None: all of them, as wide as they are, with bars).
    Progress bars go first, then the columns of `_DROP_ORDER` one at a time, until what the
    kept columns need fits; ids are never dropped and never wrap. Wrapping columns share what is
    left, by `_SHARE`. Bars are drawn only where every column fits with them and they do not
    make the text columns wrap to many more lines (at 120 columns they took 18 cells from a
    list of units then wrapped to 18 lines)."""
    if total is None:
        return Layout(table.columns, (None,) * len(table.columns), True, ())
    nested = any(r.get("row", "target") != "target" for r in table.rows)
    # each wrapping column's widest cell, measured once for every layout tried below
    natural = _natural_widths(table, nested, [c for c in table.columns if _flows(c)])
    without: set[str] = set()
    while True:
        lay = _chosen(table, total, nested, natural, without)
        # a column that may go, squeezed so that a cell runs to many lines (责任单位 at 120
        # columns: 18), goes; the footer names it
        tall = [
            c.key
            for c, w in zip(lay.columns, lay.widths, strict=True)
            if w
            and c.key in natural
            and c.key in _DROP_ORDER
            and -(-natural[c.key] // w) > _MOST_LINES
        ]
        if not tall:
            return lay
        without.add(min(tall, key=_DROP_ORDER.index))


_MOST_LINES = 6  # a column that may be left out is, rather than wrap a cell to more lines


def _chosen(
    table: Table, total: int, nested: bool, natural: dict[str, int], without: set[str]
) -> Layout:
    """`layout` without the columns `without`: with bars where every column fits with them and
    they do not make the tallest cell much taller."""
    plain = _fitted(table, total, nested, natural, without, bars=False)
    kept = [c for c in table.columns if c.key not in without]
    if _need(kept, _own_widths(table, nested, True)) > total:
        return plain
    drawn = _fitted(table, total, nested, natural, without, bars=True)
    if _tallest(natural, drawn) > _BAR_COST * _tallest(natural, plain):
        return plain
    return drawn


_BAR_COST = 1.3  # bars are left out where they make the tallest cell this many times taller


def _need(kept: Sequence[Column], own: dict[str, int]) -> int:
    """The cells columns `kept` take: their own widths, a wrapping column its least."""
    return sum(own.get(c.key, _LEAST.get(c.key, _TEXT_MIN)) + _CHROME for c in kept) + 1


def _tallest(natural: dict[str, int], lay: Layout) -> int:
    """About how many lines the tallest cell of a wrapping column (`natural`: its widest cell)
    takes in `lay`."""
    return max(
        (
            -(-natural[c.key] // w)
            for c, w in zip(lay.columns, lay.widths, strict=True)
            if w and c.key in natural
        ),
        default=1,
    )


def _fitted(
    table: Table,
    total: int,
    nested: bool,
    natural: dict[str, int],
    without: set[str],
    *,
    bars: bool,
) -> Layout:
    """`layout` without the columns `without`, with or without bars (`natural`: each wrapping
    column's widest cell)."""
    kept = [c for c in table.columns if c.key not in without]

    def need(own: dict[str, int]) -> int:
        return _need(kept, own)

    own = _own_widths(table, nested, bars)
    whole = _own_widths(table, nested, bars, capped=False)
    if need(whole) <= total:  # room for every date and status on one line: no cap
        own = whole
    order: tuple[str, ...] = _DROP_ORDER
    if any(
        c.key in ("days_late", "days_left") for c in kept
    ):  # the days say when: units matter more
        order = _DROP_ORDER_WITH_DAYS
    for key in order:
        if need(own) <= total:
            break
        kept = [c for c in kept if c.key != key]
    # Still too wide (a terminal of 40 or 60 columns): the rest go, percentages first, then
    # from the right, all but the id and the main text column, which then takes what is left,
    # down to `_NARROWEST`. Never wider than `total`: rich would squeeze every column, cut ids
    # and break cells twice.
    main = max((c for c in kept if _flows(c)), key=lambda c: _SHARE.get(c.key, 1), default=None)
    for c in sorted(reversed(kept), key=lambda c: c.format != "percent"):
        if need(own) <= total:
            break
        if c.key != "id" and c is not main:
            kept.remove(c)
    least = {c.key: _LEAST.get(c.key, _TEXT_MIN) for c in kept if _flows(c)}
    if main is not None and need(own) > total:
        least[main.key] = max(_NARROWEST, least[main.key] - (need(own) - total))
    left = total - 1 - sum(own.get(c.key, 0) + _CHROME for c in kept)
    shares = {c.key: _SHARE.get(c.key, 1) for c in kept if _flows(c)}
    given = _share(
        left,
        least,
        shares,
        {key: natural[key] for key in shares},
    )
    widths = tuple(given[c.key] if c.key in given else own[c.key] for c in kept)
    dropped = tuple(c for c in table.columns if c not in kept)
    return Layout(tuple(kept), widths, bars, dropped)


def _natural_widths(table: Table, nested: bool, columns: list[Column]) -> dict[str, int]:
    """The widest cell (or heading) of each wrapping column: what it takes unwrapped."""
    return {
        c.key: max(
            [width(c.label)]
            + [
                width(_indent(r, c.key, nested) + _cell(r.get(c.key), c.format, True))
                for r in table.rows
            ]
        )
        for c in columns
    }


def _share(
    room: int, least: dict[str, int], shares: dict[str, int], natural: dict[str, int]
) -> dict[str, int]:
    """`room` cells for the wrapping columns: each its least, the rest by `shares`, none wider
    than its widest cell. What no column needs is left over: the table is as wide as what it
    holds, not as the terminal (a 200-column terminal gave units' names 79 cells)."""
    given = dict(least)
    open_ = [k for k in shares if given[k] < natural[k]]
    while open_ and (spare := room - sum(given.values())) > 0:
        total = sum(shares[k] for k in open_)
        grown = False
        for k in open_:
            step = min(max(1, spare * shares[k] // total), natural[k] - given[k], spare)
            if step > 0:
                given[k] += step
                spare -= step
                grown = True
        open_ = [k for k in open_ if given[k] < natural[k]]
        if not grown:
            break
    if open_:  # cells left by rounding while a column still wraps: to its largest share
        first = max(open_, key=lambda k: shares[k])
        given[first] += max(0, room - sum(given.values()))
    return given


def dropped_line(lay: Layout, lang: str) -> str:
    """The footer naming the columns a narrow terminal left out."""
    if not lay.dropped:
        return ""
    names = [c.label for c in lay.dropped]
    if lang == "zh":
        return f"未显示（终端较窄）：{'、'.join(names)}"
    return f"not shown (narrow terminal): {', '.join(names)}"


def render_rich(table: Table, lang: str, title: str | None = None, width: int | None = None) -> Any:
    """A rich Table renderable; every cell a Text, so markup in the data is printed literally.
    With `width` (the terminal's), the table fits it: columns that do not fit are left out and
    named in the caption, ids never wrap, long texts wrap within their own column."""
    from rich.table import Table as RichTable
    from rich.text import Text

    lay = layout(table, width)
    t = RichTable(title=title, show_lines=False, header_style="bold", caption_justify="left")
    for c, w in zip(lay.columns, lay.widths, strict=True):
        t.add_column(
            c.label,
            width=w,
            no_wrap=c.key == "id",
            overflow="fold",
            justify="right" if c.format in ("int", "delta") else "left",
        )
    nested = any(r.get("row", "target") != "target" for r in table.rows)
    # each cell broken into lines here, as Chinese is set (`wrap`), where its column is narrow
    fold = [
        w if w is not None and c.key != "id" else 0
        for c, w in zip(lay.columns, lay.widths, strict=True)
    ]
    for r in table.rows:
        texts = (
            _indent(r, c.key, nested) + inert(_cell(r.get(c.key), c.format, lay.bars))
            for c in lay.columns
        )
        t.add_row(
            *(
                Text("\n".join(wrap(text, cells)) if cells else text, style=_style(r, r.get(c.key)))
                for c, cells, text in zip(lay.columns, fold, texts, strict=True)
            )
        )
    caption = "\n".join(x for x in (summary_line(table, lang), dropped_line(lay, lang)) if x)
    if caption:
        t.caption = caption
    return t


def _cell(value: Cell, fmt: str, bars: bool) -> str:
    return _text(value, fmt) if bars else cell_text(value, fmt)


_DEPTH = {"document": "", "measure": " ", "target": "  "}


def _indent(row: dict[str, Any], key: str, nested: bool) -> str:
    """Show the document > measure > target hierarchy in the first column on terminals."""
    return _DEPTH.get(row.get("row", ""), "") if nested and key == "id" else ""


def _style(row: dict[str, Any], value: Any) -> str:
    if row.get("row") == "document":
        return "bold"
    return terminal_style(value.code) if isinstance(value, Tag) else ""


def status_static(
    snap: Snapshot, labels: list[str], lang: str, max_width: int = 60
) -> dict[str, Any]:
    """`snapshot.Cells`' fields in `lang`: each row's cells of the status table's first four
    columns (`labels`) as `render_plain` lays them out (`fit` once per distinct text), padded
    and joined in the rows' order (`views.status_runs`), and the columns' widths; and each
    target's 最新进展 cell when every record of it counts and it is not stale."""
    from ..load.snapshot import Texts, last_records
    from ..views import status_runs

    fitted = _Fitted(max_width, {})
    cell, names = fitted.cell, fitted.names
    ids = snap.ids.raw_all_text()
    statements = snap.statement[lang].raw_all_text()
    deadlines = snap.deadline_text[lang].raw_all_text()
    leads = snap.lead.raw_all_text()
    blank = cell("")
    rows: list[tuple[tuple[str, int], ...]] = []
    add = rows.append
    rollups = 0
    for d, runs in status_runs(snap):
        add((cell(snap.doc_ids[d]), cell(snap.doc_titles[d]), blank, blank))
        for mi, a, b in runs:
            lead = cell("、".join(snap.measure_lead.names(mi)))
            add((cell(" " + snap.measure_ids[mi]), cell(snap.measure_titles[mi]), lead, blank))
            rows += [
                (cell("  " + ids[i]), cell(statements[i]), names(leads[i]), cell(deadlines[i]))
                for i in range(a, b)
            ]
        rollups += 1 + len(runs)
    widths = [
        max([width(label), *(row[k][1] for row in rows)]) for k, label in enumerate(labels[:4])
    ]
    prefix = [
        "".join(text + " " * (wide - w) + "  " for (text, w), wide in zip(row, widths, strict=True))
        for row in rows
    ]
    snap.units.decode_all()
    latest = _latest_cells(snap, lang, max_width, cell)
    last = last_records(snap)
    fresh = [latest(i, k, False) for i, k in enumerate(last)]
    return {
        "prefix": Texts.store(prefix),
        "widths": widths,
        "rollups": rollups,
        **_latest_fields([text for text, _ in fresh], [w for _, w in fresh], snap, last),
    }


def status_refreshed(
    snap: Snapshot, cells: Cells, lang: str, max_width: int = 60
) -> dict[str, Any]:
    """`cells`' fields (made before a change in records: `Cells.redo`) with the 最新进展 cells of
    the targets `redo` names made again from their last records: `status_static`'s fields,
    without laying out again what the plan alone decides."""
    from ..load.snapshot import last_records

    texts, widths = list(cells.latest.raw_all_text()), list(cells.latest_width)
    last = last_records(snap)
    snap.units.decode_all()
    latest = _latest_cells(snap, lang, max_width, _Fitted(max_width, {}).cell)
    for i in cells.redo:
        texts[i], widths[i] = latest(i, last[i], False)
    return {**cells.fields, **_latest_fields(texts, widths, snap, last)}


def _latest_fields(
    texts: list[str], widths: list[int], snap: Snapshot, last: list[int]
) -> dict[str, Any]:
    from array import array

    from ..load.snapshot import Cells, Texts

    return {
        "latest": Texts.store(texts),
        "latest_width": array("i", widths).tobytes(),
        "latest_key": Cells.key_of(snap, last),
    }


def status_text(
    snap: Snapshot,
    cells: Cells,
    rows: Sequence[Any],
    shown: Verdicts,
    labels: list[str],
    summary: str,
    lang: str,
    max_width: int = 60,
) -> bytes:
    """`render_plain`'s status table over the snapshot, the same text as UTF-8 bytes (a
    province's table is never decoded nor encoded whole): `rows` are each
    document's and measure's roll-up (`Rollup`) and below it its targets, each as its position
    among `shown` (every target, judged), in the order `cells` holds their first four cells, laid out and
    padded already. The other five (完成率, 序时进度, 状态, 预警, 最新进展) are built a column at
    a time, each `fit` and padded once per distinct cell; then every row is joined in C."""
    from ..evaluate import Rollup, Status
    from ..vocab import level_label, status_label

    fitted = _Fitted(max_width, {})
    cell, bars = fitted.cell, fitted.bars
    n, size = len(shown), len(rows)
    is_rollup = [type(row) is Rollup for row in rows]
    rolled = list(compress(enumerate(rows), is_rollup))
    at = list(compress(range(size), map(not_, is_rollup)))  # targets' rows
    # where each row's value is among the targets' (a target's row is that; a roll-up's: n)
    order = list(rows)
    for k, _ in rolled:
        order[k] = n

    def placed(values: list[Any], empty: Any) -> list[Any]:
        """A value per row: a target's from `values` (one per target), a roll-up's `empty`."""
        return list(map([*values, empty].__getitem__, order))

    def merged(values: list[Any], name: str) -> list[Any]:
        """A value per row: a target's from `values`, a roll-up's field `name`."""
        out = placed(values, None)
        for k, row in rolled:
            out[k] = getattr(row, name)
        return out

    def tag(key: Status | tuple[Status, bool, bool]) -> tuple[str, int]:
        if isinstance(key, Status):
            return cell(status_label(key, lang))
        status, never, over = key
        return cell(status_label(status, lang, never_recorded=never, over=over))

    tags: list[Status | tuple[Status, bool, bool]] = merged(shown.status, "status")
    statuses, overs, never = shown.status, shown.over, shown.never_recorded
    # the targets tagged otherwise: over their bound, or 逾期未完成（无进展数据）
    for t in compress(range(n), map(or_, overs, never)):
        tags[at[t]] = (statuses[t], never[t], overs[t])
    texts, ws = _latest_column(snap, cells, shown, lang, max_width, cell)
    level = merged(shown.level, "level")
    padded = [
        _padded(_bar_keys(merged(shown.completion, "completion")), bars, labels[4], True),
        _padded(_bar_keys(placed(shown.time_elapsed, None)), bars, labels[5], True),
        _padded(tags, tag, labels[6], True),
        _padded(level, lambda lv: cell(level_label(lv, lang)), labels[7], True),
    ]
    widths = [*cells.widths, *(wide for _, wide in padded), max([width(labels[8]), *ws])]
    # each row as `render_plain`'s line, `str.rstrip`ped: its last cell is stripped here (a
    # roll-up's is empty, and the labels before it end in none), so the bytes' own rstrip
    # (ASCII spaces, the padding) strips the same
    last = _encoded(list(map(str.rstrip, texts)))
    pieces = [cells.prefix.raw_all()[:-1], *(column for column, _ in padded), placed(last, b"")]
    lines = map(bytes.rstrip, map(b"".join, zip(*pieces, strict=True)))
    return _framed_bytes(labels, widths, lines, summary)


def _encoded(texts: list[str]) -> list[bytes]:
    """Each text as UTF-8 (as the snapshot's texts are stored: `surrogateescape`), in three C
    calls: joined by NUL, encoded, cut (a text holding a NUL, never a plain cell's, one by one)."""
    out = "\0".join(texts).encode("utf-8", "surrogateescape").split(b"\0")
    if len(out) != len(texts):
        return [text.encode("utf-8", "surrogateescape") for text in texts]
    return out


def _latest_column(
    snap: Snapshot,
    cells: Cells,
    shown: Verdicts,
    lang: str,
    max_width: int,
    cell: Callable[[str], tuple[str, int]],
) -> tuple[list[str], list[int]]:
    """The 最新进展 cell of every target (`shown`, in order) and its width: as `cells` holds it
    when every record counts, with the stale mark where it is stale; else (a record dated after
    the day, the mark too wide, or a cell `cells` made from a record since changed) made
    (`_latest_cells`)."""
    from operator import eq

    from ..load.snapshot import last_records

    mark = one_line("（久未更新）" if lang == "zh" else " (stale)")
    mark_width = width(mark)
    latest = shown.latest
    # the mark goes after a record's text, never after — (no record)
    marked = [stale and k >= 0 for stale, k in zip(shown.stale, latest, strict=True)]
    texts = [
        text + mark if m else text
        for text, m in zip(cells.latest.raw_all_text(), marked, strict=True)
    ]
    ws = [w + mark_width if m else w for w, m in zip(cells.latest_width, marked, strict=True)]
    redo = []
    if shown.partial:  # a record dated after the day: the latest is not the last
        redo += [t for t, same in enumerate(map(eq, latest, last_records(snap))) if not same]
    redo += cells.redo  # made from a record that is no longer the last (a splice since)
    if ws and max(ws) > max_width:
        redo += [t for t, w in enumerate(ws) if w > max_width]
    if redo:
        made = _latest_cells(snap, lang, max_width, cell)
        for t in redo:
            texts[t], ws[t] = made(shown.i[t], latest[t], shown.stale[t])
    return texts, ws


_NEGATIVE_ZERO = "-0.0"  # a bar's key for -0.0 when 0.0 is among the values too (one key, two bars)


def _bar_keys(values: list[float | None]) -> list[Any]:
    """The values as keys of their bars: as they are, unless both 0.0 and -0.0 are among them."""
    falsy = compress(values, map(not_, values))  # zeros and None, picked in C
    if len({math.copysign(1.0, v) for v in falsy if v is not None}) > 1:
        return [_NEGATIVE_ZERO if v == 0 and math.copysign(1.0, v) < 0 else v for v in values]
    return values


def _padded(
    keys: list[Any], make: Callable[[Any], tuple[str, int]], label: str, encoded: bool = False
) -> tuple[list[Any], int]:
    """A column of cells, one per key (`make` once per distinct key; `_NEGATIVE_ZERO` is the
    bar of -0.0), each padded to the column's width and followed by the two spaces between
    columns (`encoded`: as UTF-8 bytes); and that width."""
    made = {key: make(-0.0 if key is _NEGATIVE_ZERO else key) for key in dict.fromkeys(keys)}
    wide = max([width(label), *(w for _, w in made.values())])
    padded = {key: text + " " * (wide - w) + "  " for key, (text, w) in made.items()}
    cells: dict[Any, Any] = {k: t.encode() for k, t in padded.items()} if encoded else padded
    return list(map(cells.__getitem__, keys)), wide


def due_cells(
    snap: Snapshot, shown: Verdicts, lang: str, max_width: int = 60
) -> list[tuple[list[str], list[int]]]:
    """The columns of `render_plain`'s `due` table (`views._VIEW_COLUMNS`) over the snapshot,
    from the judged targets shown (`Verdicts`) without a row per target: each distinct text is
    `fit` once, as `render_plain` does, so the cells are its very cells."""
    from ..evaluate import Status
    from ..vocab import status_label

    fitted = _Fitted(max_width, {})
    cell, bars = fitted.cell, fitted.bars

    def count(value: int | None) -> tuple[str, int]:
        return cell("" if value is None else str(value))

    statement, deadline_text = snap.statement[lang], snap.deadline_text[lang]
    ids, lead, responsible = snap.ids, snap.lead, snap.responsible
    if len(shown) * 8 > snap.n:  # most rows: decode whole columns at once
        for column in (ids, statement, deadline_text, lead, responsible):
            column.decode_all()
    names = fitted.names
    tags: dict[tuple[Status, bool, bool], tuple[str, int]] = {}
    found: list[tuple[tuple[str, int], ...]] = []
    add = found.append
    for row in shown:
        i, status = row.i, row.status
        never = row.never_recorded
        tag = tags.get((status, never, row.over))
        if tag is None:
            label = status_label(status, lang, never_recorded=never, over=row.over)
            tag = tags[(status, never, row.over)] = cell(label)
        add(
            (
                cell(ids[i]),
                cell(statement[i]),
                cell(deadline_text[i]),
                count(row.days_left),
                bars(row.completion),
                tag,
                names(lead[i]),
                names(responsible[i]),
            )
        )
    return [([r[k][0] for r in found], [r[k][1] for r in found]) for k in range(8)]


def overdue_text(
    snap: Snapshot, shown: Overdue, labels: list[str], summary: str, lang: str, max_width: int = 60
) -> str:
    """`render_plain`'s `overdue` table over the snapshot, the same text, a column at a time: ids
    and statements as the snapshot stores them with their widths (`Snapshot.id_width`), `fit`
    only where the cell differs from the text; every other cell `fit` and padded once per
    distinct value (texts repeated across targets by their index among the distinct ones). Then
    every row is joined in C, as `status_text` does."""
    fitted = _Fitted(max_width, {})
    cell, at = fitted.cell, shown.at
    deadline_text, lead, responsible = snap.deadline_text[lang], snap.lead, snap.responsible

    def stored(texts: Texts, widths: array[int], label: str) -> tuple[list[str], int]:
        cells, ws = _as_stored(texts, widths, at, fitted)
        wide = max(width(label), max(ws, default=0))
        pads = [" " * k + "  " for k in range(wide + 1)]
        return list(map(add, cells, map(pads.__getitem__, map(sub, repeat(wide), ws)))), wide

    def interned(
        texts: Interned, make: Callable[[str], tuple[str, int]], label: str
    ) -> tuple[list[str], int]:
        distinct = texts.distinct.raw_all_text()
        return _padded(texts.indices(at), lambda k: make(distinct[k]), label)

    padded = [
        stored(snap.ids, snap.id_width, labels[0]),
        stored(snap.statement[lang], snap.statement_width[lang], labels[1]),
        interned(deadline_text, cell, labels[2]),
        _padded(shown.late, lambda late: cell(str(late)), labels[3]),
        _padded(_bar_keys(shown.completion), fitted.bars, labels[4]),
        interned(lead, fitted.names, labels[5]),
        interned(responsible, fitted.names, labels[6]),
    ]
    widths = [wide for _, wide in padded]
    lines = map(str.rstrip, map("".join, zip(*(column for column, _ in padded), strict=True)))
    return _framed(labels, widths, lines, summary)


def _as_stored(
    texts: Texts, widths: array[int], at: list[int], fitted: _Fitted
) -> tuple[list[str], list[int]]:
    """The cells of texts `at`: each text itself with its stored width (`text.plain_width` at
    `snapshot.CELL_WIDTH` cells), or where that is -1 (or the cells are narrower), `fit`'s."""
    from ..load.snapshot import CELL_WIDTH

    out, ws = texts.pick(at), list(map(widths.__getitem__, at))
    if fitted.max_width != CELL_WIDTH:
        redo: Iterable[int] = range(len(at))
    elif min(ws, default=0) < 0:  # most columns hold none
        redo = [k for k, w in enumerate(ws) if w < 0]
    else:
        return out, ws
    for k in redo:
        out[k], ws[k] = fitted.cell(out[k])
    return out, ws


class _Fitted:
    """Each distinct text `fit` once (`render_plain`'s cells, without a row per target), and each
    distinct progress bar drawn once: the plain tables' cells over the snapshot."""

    def __init__(self, max_width: int, seen: dict[str, tuple[str, int]]) -> None:
        self.max_width = max_width
        self.seen = seen  # text -> its cell and width (may come laid out already)
        self.drawn: dict[float | None, tuple[str, int]] = {}
        self.units: dict[str, tuple[str, int]] = {}  # by the snapshot's joined names

    def cell(self, raw: str) -> tuple[str, int]:
        hit = self.seen.get(raw)
        if hit is None:
            hit = self.seen[raw] = fit(raw, self.max_width)
        return hit

    def names(self, joined: str) -> tuple[str, int]:
        """The cell of unit names as the snapshot joins them (`snapshot.SEP`): joined by 、."""
        found = self.units.get(joined)
        if found is None:
            found = self.units[joined] = self.cell("、".join(_split(joined)))
        return found

    def bars(self, value: float | None) -> tuple[str, int]:
        if not value:  # 0.0 and -0.0 are one key, two bars
            return self.cell(bar(value))
        drawn = self.drawn
        return drawn.get(value) or drawn.setdefault(value, self.cell(bar(value)))


def _latest_cells(
    snap: Snapshot, lang: str, max_width: int, cell: Callable[[str], tuple[str, int]]
) -> Callable[[int, int, bool], tuple[str, int]]:
    """The status table's 最新进展 cell of target `i` whose latest record is `k` (-1: none),
    stale or not: `views.latest_text` made a cell by `fit`, from pieces laid out once each (the
    day, the number, the unit, the stale mark). `fit` works character by character (`one_line`,
    `inert`, `width` add up over pieces that hold no line break), so when the pieces' widths add
    up to at most `max_width` their texts joined are `fit`'s cell of the whole text; a wider
    one is `fit` whole."""
    from ..table import num
    from ..views import _iso, snapshot_latest_of

    def piece(raw: str) -> tuple[str, int]:  # `fit` without the clipping
        text = one_line(raw)
        return text, width(text)

    rec_value, rec_done, rec_date, units = snap.rec_value, snap.rec_done, snap.rec_date, snap.units
    dash = cell("—")
    mark = piece("（久未更新）" if lang == "zh" else " (stale)")
    words = {
        flag: piece(
            f" {'完成' if flag else '未完成'}"
            if lang == "zh"
            else (" done" if flag else " not done")
        )
        for flag in (True, False)
    }
    days: dict[int, tuple[str, int]] = {}
    numbers: dict[float, tuple[str, int]] = {}
    unit_pieces: dict[str, tuple[str, int]] = {}

    iso: dict[int, str] = {}

    def latest(i: int, k: int, stale: bool) -> tuple[str, int]:
        if k < 0:
            return dash
        on = rec_date[k]
        day = days.get(on) or days.setdefault(on, piece(_iso(on)))
        x = rec_value[k]
        if x == x:  # a value: `{day} {number}{unit}`
            number = numbers.get(x) or numbers.setdefault(x, piece(f" {num(x)}"))
            unit = units[i]
            known = unit_pieces.get(unit) or unit_pieces.setdefault(unit, piece(unit))
            text, total = day[0] + number[0] + known[0], day[1] + number[1] + known[1]
        else:
            word = words[rec_done[k] == 1]
            text, total = day[0] + word[0], day[1] + word[1]
        if stale:
            text, total = text + mark[0], total + mark[1]
        if total <= max_width:
            return text, total
        return cell(snapshot_latest_of(snap, i, k, stale, lang, iso))

    return latest


def _split(joined: str) -> list[str]:
    from ..load.snapshot import SEP

    return joined.split(SEP) if joined else []
