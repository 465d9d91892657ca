"""A task table (任务分工表): rows of tab-separated cells under a header that names the lead
units' column (牵头单位) and, often, the others' (配合单位 / 责任单位), the task (工作事项) and what
it holds (主要内容). A document that lists its units only there (an annex) gives each measure
the row that names it, and each target the row whose text quotes it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .draft import DraftMeasure, Units
from .layout import LABELS
from .source import squeeze
from .units import looks_like_units, parse_unit_text


def _labelled(*fields: str, more: str = "") -> re.Pattern[str]:
    """A header cell that names a column as a unit line's label does (`layout.LABELS`)."""
    words = [label for label, field in LABELS.items() if field in fields]
    return re.compile(f"^(?:{'|'.join([*words, more] if more else words)})$")


# what a header cell says its column holds
_HEADS = {
    "lead": _labelled("lead_units"),
    "others": _labelled("responsible_units", "supporting_units"),
    "title": re.compile(r"^(?:工作事项|重点任务|工作任务|主要任务|具体任务|任务名称|任务|事项)$"),
    "text": re.compile(
        r"^(?:主要内容|任务内容|工作内容|具体内容|具体措施|主要措施|工作要求|任务分解|"
        r"\d{4}年度?(?:推进|重点|主要|工作)?任务)$"
    ),
    "number": re.compile(r"^(?:序号|编号)$"),
    "deadline": _labelled("deadline", more="完成期限|时限"),
}
_NONE = re.compile(r"^[/／—\-－无]*$")  # a cell that names no one


@dataclass
class Row:
    """One row of a task table: its line (0-based), the task's title and text, and its units."""

    line: int
    title: str
    text: str
    units: Units  # with the deadline cell as its `deadline_text` (完成时限: 2025年底前)
    number: str = ""  # the 序号 cell, "" on a continuation row
    header: int = 0  # the line of its table's header
    end: int = 0  # the line of its last cell (cells pasted one per line take several)


def task_table(lines: Sequence[str]) -> list[Row]:
    """The rows of the first task table in `lines` (none: []): tab-separated cells, or cells
    pasted one per line (`_one_per_line`). A row with fewer cells than the header has cells
    merged from the rows above (`_aligned`)."""
    for at, line in enumerate(lines):
        if "\t" not in line:
            continue
        head = [squeeze(c) for c in _cells(line)]
        cols = _columns(head)
        if _is_header(head, cols):
            return _rows(lines, at, head, cols)
    return _one_per_line(lines)


def _cells(line: str) -> list[str]:
    return line.rstrip("\t ").split("\t")  # a trailing tab adds no cell


def _columns(head: list[str]) -> dict[str, int | None]:
    return {
        key: next((i for i, c in enumerate(head) if rx.match(c)), None)
        for key, rx in _HEADS.items()
    }


def _is_header(head: list[str], cols: dict[str, int | None]) -> bool:
    """A table's header: three columns at least, the lead's and one more this module knows (a
    unit line 牵头单位⇥市发展改革委 is none)."""
    known = sum(i is not None for i in cols.values())
    return len(head) >= 3 and cols["lead"] is not None and known >= 2


def _task(cols: dict[str, int | None]) -> int | None:
    """The column that holds a task's text: 主要内容, else the task's title (重点任务)."""
    return cols["text"] if cols["text"] is not None else cols["title"]


def _one_per_line(lines: Sequence[str]) -> list[Row]:
    """A task table pasted one cell per line: a run of header cells opening with 序号 (序号 /
    重点任务 / 牵头单位 / …), then rows of as many cells, each opening with the next 序号. Merged
    cells cannot be told apart here: the table ends at the first row that does not fit."""
    cells = [(n, line.strip()) for n, line in enumerate(lines) if line.strip()]
    known = [any(rx.match(squeeze(c)) for rx in _HEADS.values()) for _, c in cells]
    for k, (_, cell) in enumerate(cells):
        if not _HEADS["number"].match(squeeze(cell)):
            continue
        most = min(len(cells) - k, _WIDEST)
        width = next((w for w in range(most) if not known[k + w]), most)
        head = [squeeze(c) for _, c in cells[k : k + width]]
        cols = _columns(head)
        if not _is_header(head, cols) or _task(cols) is None:
            continue
        rows: list[Row] = []
        at = k + width
        while at + width <= len(cells) and cells[at][1] == str(len(rows) + 1):
            full = [c for _, c in cells[at : at + width]]
            title = squeeze(full[i]).rstrip("。；;，,") if (i := cols["title"]) is not None else ""
            row = _row(full, head, cols, cells[at][0], title, adjacent=False)
            row.header, row.end = cells[k][0], cells[at + width - 1][0]
            rows.append(row)
            at += width
        return rows
    return []


def _rows(lines: Sequence[str], at: int, head: list[str], cols: dict[str, int | None]) -> list[Row]:
    width = len(head)
    rows: list[Row] = []
    title = ""
    last: list[str] = [""] * width  # the row above, for cells merged down from it
    task = _task(cols)
    for n in range(at + 1, len(lines)):
        line = lines[n]
        if not line.strip():
            continue
        cells = _cells(line)
        if len(cells) == 1 and _GROUP.match(line) and "。" not in line:
            continue  # 一、实施设备更新行动: a group of rows, no task
        if len(cells) == 1 or len(cells) > width or _is_header(cells, _columns(cells)):
            break  # the table ends (another begins)
        full = cells if len(cells) == width else _aligned(cells, width, cols, last)
        last = full
        text = full[task].strip() if task is not None else ""
        number = squeeze(full[i]) if (i := cols["number"]) is not None else ""
        if (i := cols["title"]) is not None and full[i].strip():
            title = squeeze(full[i]).rstrip("。；;，,")
        elif (cols["title"] is None or number) and text:  # the text's first sentence
            title = squeeze(text).split("。")[0]
        row = _row(full, head, cols, n, title)
        row.header, row.end = at, n
        rows.append(row)
    return rows


def _row(
    full: list[str],
    head: list[str],
    cols: dict[str, int | None],
    line: int,
    title: str,
    adjacent: bool = True,
) -> Row:
    """The row of cells `full` (one per header column) on `line`, `title` its task's title: its
    text, 序号 and units, with the deadline its 完成时限 cell gives, or the year its task column's
    header names (2024年推进任务: the year every task of the column is for)."""
    text = full[i].strip() if (i := _task(cols)) is not None else ""
    number = squeeze(full[i]) if (i := cols["number"]) is not None else ""
    units = _units(full, head, cols, adjacent)
    year = _HEAD_YEAR.match(head[cols["text"]]) if cols["text"] is not None else None
    if (i := cols["deadline"]) is not None and not _NONE.match(squeeze(full[i])):
        units.deadline_text = squeeze(full[i])
    elif year is not None:
        units.deadline_text = year[1]
    return Row(line, title or squeeze(text).split("。")[0], text, units, number)


_WIDEST = 12  # columns a task table pasted one cell per line may have
_GROUP = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_HEAD_YEAR = re.compile(r"^(\d{4}年)(?:度)?")


def _aligned(
    cells: list[str], width: int, cols: dict[str, int | None], last: list[str]
) -> list[str]:
    """A row with fewer cells than the header, its missing cells merged down from the rows
    above: on the right (its cells are the header's first, the rest the row above's), on the
    left (its cells are the header's last: a continuation row), whichever puts a number (if
    any) under 序号, units (or 「/」) under the lead and text under the task; else placed by what
    its cells hold: a number the 序号, a last cell that lists units the lead, the longest of
    the rest the task's text, the rest the row above's (but never its text or title)."""
    lead, task, number = cols["lead"], _task(cols), cols["number"]
    numbered = bool(re.fullmatch(r"[0-9]+", squeeze(cells[0])))
    n = len(cells)
    for full, own in (
        (cells + last[n:], range(n)),
        ([""] * (width - n) + cells, range(width - n, width)),
    ):
        if (
            lead is not None
            and task is not None
            and task in own  # a task's text is its row's own, never the row above's
            and full[task].strip()
            and not _lists_units(full[task])
            and (_lists_units(full[lead]) or _NONE.match(squeeze(full[lead])))
            and (number is None or bool(re.fullmatch(r"[0-9]*", squeeze(full[number]))))
            and (number is None or not numbered or full[number] == cells[0])
        ):
            return full
    full = list(last)
    rest = list(cells)
    if number is not None:
        full[number] = rest.pop(0) if rest and numbered else ""
    if lead is not None and len(rest) > 1 and _lists_units(rest[-1]):
        full[lead] = rest.pop()
    if task is not None:
        full[task] = max(rest, key=len) if rest else ""
    if cols["title"] is not None and cols["title"] != task:
        full[cols["title"]] = ""  # a continuation's title is its task's, above it
    return full


def _lists_units(cell: str) -> bool:
    names = [n for n in re.split(r"[、，,]", squeeze(cell)) if n]
    return bool(names) and looks_like_units(names)


def _units(
    cells: list[str], head: list[str], cols: dict[str, int | None], adjacent: bool = True
) -> Units:
    """The units of a row, and as their quote the cells that name them as written: the lead's
    through the others' on a tab-separated line; on cells pasted one per line, the lead's
    (with the others' when next to it, the line break between them deleted)."""
    lead_at, others_at = cols["lead"], cols["others"]
    assert lead_at is not None
    parts = [_field(head[lead_at], cells[lead_at])]
    if others_at is not None:
        parts.append(_field(head[others_at], cells[others_at]))
    units = parse_unit_text("；".join(p for p in parts if p))
    a, b = sorted((lead_at, lead_at if others_at is None else others_at))
    if adjacent:
        units.responsibility_quote = "\t".join(cells[a : b + 1]).strip() or None
    else:
        quoted = cells[a : b + 1] if b - a <= 1 else cells[lead_at : lead_at + 1]
        units.responsibility_quote = "".join(quoted).strip() or None
    return units


def _field(label: str, cell: str) -> str:
    """`牵头单位：A、B` from a header cell and a row's cell (none when the cell names no one);
    a full-width comma between names is a list's 、."""
    names = squeeze(cell).replace("，", "、").replace(",", "、").strip("、")
    return "" if _NONE.match(names) else f"{label}：{names}"


def apply_table(
    measures: list[DraftMeasure], rows: list[Row]
) -> tuple[list[tuple[DraftMeasure, list[Row]]], list[Row]]:
    """Give each measure that names no unit the units of the table's row titled as it is (its
    first row), and each of its targets those of the row whose text holds the target's quote.
    Returns the measures given units, each with its rows, and the rows no measure took."""
    given = []
    by_title: dict[str, list[Row]] = {}
    for row in rows:
        by_title.setdefault(row.title, []).append(row)
    taken: set[int] = set()
    for m in measures:
        mine = by_title.get(squeeze(m.title).rstrip("。；;，,"))
        if not mine:
            continue
        taken.update(id(r) for r in mine)
        if not m.units.is_empty():
            continue  # the body names them: the body wins (over its prose guesses, the table)
        m.units = mine[0].units
        m.info.append(f"单位取自任务分工表第{mine[0].line + 1}行")
        given.append((m, mine))
        for t in m.targets:
            t.units = None  # the body's prose guesses give way to the table
        row_units(m, mine)
    return given, [r for r in rows if id(r) not in taken]


def tasks(rows: list[Row]) -> list[list[Row]]:
    """The rows grouped by task: a row with a 序号 (or, with no 序号 column, a title of its own)
    opens a task, continuation rows follow it."""
    groups: list[list[Row]] = []
    for row in rows:
        opens = bool(row.number) or not groups or row.title != groups[-1][0].title
        if opens:
            groups.append([row])
        else:
            groups[-1].append(row)
    return groups


def row_units(measure: DraftMeasure, rows: list[Row]) -> None:
    """Each target of `measure` quoted from a continuation row's text takes that row's units.
    The targets are in the rows' order: one pass over both."""
    texts = [squeeze(r.text) for r in rows]
    at = 1
    for t in measure.targets:
        quote = squeeze(t.quote)
        if not quote or quote in texts[0]:
            continue
        k = next((j for j in range(at, len(rows)) if quote in texts[j]), None)
        if k is None:
            continue
        at = k
        if rows[k].units.names():
            t.units = rows[k].units


def lines_of(rows: list[Row]) -> range:
    """The lines a table takes, its header through its last row's last cell (none: empty)."""
    return range(rows[0].header, rows[-1].end + 1) if rows else range(0)
