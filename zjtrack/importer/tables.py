"""A task table (任务分工表): rows of tab-separated cells under a header that names the lead
units' column (牵头单位) and, often, the others' (配合单位 / 责任单位), the task (工作事项) and what
it holds (主要内容). A document that lists its units only there (an annex) gives each measure
the row that names it, and each target the row whose text quotes it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .draft import DraftMeasure, Units
from .source import squeeze
from .units import looks_like_units, parse_unit_text

# what a header cell says its column holds
_HEADS = {
    "lead": re.compile(r"^(?:牵头单位|牵头部门|牵头责任单位|牵头责任部门|主责单位|主责部门)$"),
    "others": re.compile(r"^(?:责任单位|配合单位|协办单位|参与单位|配合部门|责任部门)$"),
    "title": re.compile(r"^(?:工作事项|重点任务|工作任务|主要任务|具体任务|任务名称|任务|事项)$"),
    "text": re.compile(
        r"^(?:主要内容|任务内容|工作内容|具体内容|具体措施|主要措施|工作要求|任务分解|"
        r"\d{4}年度?(?:推进|重点|主要|工作)?任务)$"
    ),
    "number": re.compile(r"^(?:序号|编号)$"),
    "deadline": re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|完成期限|时限)$"),
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


def task_table(lines: Sequence[str]) -> list[Row]:
    """The rows of the first task table in `lines` (none: []): tab-separated cells, or cells
    pasted one per line (`_one_per_line`). A row with fewer cells than the header continues the
    task above it (a merged cell): its cells are the header's last ones."""
    for at, line in enumerate(lines):
        if "\t" not in line:
            continue
        head = [squeeze(c) for c in line.split("\t")]
        cols = _columns(head)
        if cols["lead"] is not None:
            return _rows(lines, at, head, cols)
    return _one_per_line(lines)


def _columns(head: list[str]) -> dict[str, int | None]:
    return {
        key: next((i for i, c in enumerate(head) if rx.match(c)), None)
        for key, rx in _HEADS.items()
    }


def _one_per_line(lines: Sequence[str]) -> list[Row]:
    """A task table pasted one cell per line: a run of header cells (序号 / 重点任务 / 牵头单位 /
    …, 序号 first), then rows of as many cells, each opening with the next 序号. Merged cells
    cannot be told apart here: the table ends at the first row that does not fit."""
    cells = [(n, line.strip()) for n, line in enumerate(lines) if line.strip()]
    for k in range(len(cells)):
        head: list[str] = []
        while k + len(head) < len(cells) and any(
            rx.match(squeeze(cells[k + len(head)][1])) for rx in _HEADS.values()
        ):
            head.append(squeeze(cells[k + len(head)][1]))
        cols = _columns(head)
        if len(head) < 3 or cols["lead"] is None or cols["number"] != 0:
            continue
        rows: list[Row] = []
        at, width = k + len(head), len(head)
        while at + width <= len(cells) and cells[at][1] == str(len(rows) + 1):
            full = [c for _, c in cells[at : at + width]]
            text = full[i] if (i := cols["text"]) is not None else ""
            title = squeeze(full[i]).rstrip("。；;，,") if (i := cols["title"]) is not None else ""
            units = _units(full, head, cols, sep="")
            if (i := cols["deadline"]) is not None and not _NONE.match(squeeze(full[i])):
                units.deadline_text = squeeze(full[i])
            named = title or squeeze(text).split("。")[0]
            rows.append(Row(cells[at][0], named, text, units, full[0], cells[k][0]))
            at += width
        return rows
    return []


def _rows(lines: Sequence[str], at: int, head: list[str], cols: dict[str, int | None]) -> list[Row]:
    width = len(head)
    rows: list[Row] = []
    title = ""
    last: list[str] = [""] * width  # the row above, for cells merged down from it
    # 2024年推进任务: the year every task of the column is for
    year = _HEAD_YEAR.match(head[cols["text"]]) if cols["text"] is not None else None
    for n in range(at + 1, len(lines)):
        line = lines[n]
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) == 1 and _GROUP.match(line):
            continue  # 一、实施设备更新行动: a group of rows, no task
        if len(cells) == 1 or len(cells) > width or _columns(list(map(squeeze, cells)))["lead"]:
            break  # the table ends (another begins)
        full = cells if len(cells) == width else _aligned(cells, width, cols, last)
        last = full
        text = full[i].strip() if (i := cols["text"] or cols["title"]) is not None else ""
        if (i := cols["title"]) is not None and full[i].strip():
            title = squeeze(full[i]).rstrip("。；;，,")
        elif cols["title"] is None and text:  # no title column: the text's first sentence
            title = squeeze(text).split("。")[0]
        units = _units(full, head, cols)
        if (i := cols["deadline"]) is not None and not _NONE.match(squeeze(full[i])):
            units.deadline_text = squeeze(full[i])
        elif year is not None:
            units.deadline_text = year[1]
        number = squeeze(full[i]) if (i := cols["number"]) is not None else ""
        rows.append(Row(n, title, text, units, number, at))
    return rows


_GROUP = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_HEAD_YEAR = re.compile(r"^(\d{4}年)(?:度)?")


def _aligned(
    cells: list[str], width: int, cols: dict[str, int | None], last: list[str]
) -> list[str]:
    """A row with fewer cells than the header (cells merged down from the rows above). Its cells
    are the header's last when that puts units (or 「/」) under the lead and some text under the
    task: a merged cell to the left. Else they are placed by what they hold: a number is the
    序号, a last cell that lists units the lead's, the longest of the rest the task's text; a
    column the row leaves out keeps the row above's (merged on either side), but never the text."""
    right = [""] * (width - len(cells)) + cells
    lead, text = cols["lead"], cols["text"] if cols["text"] is not None else cols["title"]
    number = cols["number"]
    if (
        lead is not None
        and text is not None
        and right[text].strip()
        and (_lists_units(right[lead]) or _NONE.match(squeeze(right[lead])))
        and (number is None or right[number].strip() or not squeeze(cells[0]).isdigit())
    ):
        return right
    full = list(last)
    rest = list(cells)
    if number is not None:
        full[number] = rest.pop(0) if rest and squeeze(rest[0]).isdigit() else ""
    if lead is not None and rest and len(rest) > 1 and _lists_units(rest[-1]):
        full[lead] = rest.pop()
    if text is not None:
        full[text] = max(rest, key=len) if rest else ""
        if cols["title"] is not None and cols["title"] != text:
            full[cols["title"]] = ""  # a continuation row keeps the task's title above it
    return full


def _lists_units(cell: str) -> bool:
    names = [n for n in re.split(r"[、，,]", squeeze(cell)) if n]
    return bool(names) and looks_like_units(names)


def _units(
    cells: list[str], head: list[str], cols: dict[str, int | None], sep: str = "\t"
) -> Units:
    lead_at, others_at = cols["lead"], cols["others"]
    assert lead_at is not None
    parts = [_field(head[lead_at], cells[lead_at])]
    if others_at is not None:
        parts.append(_field(head[others_at], cells[others_at]))
    units = parse_unit_text("；".join(p for p in parts if p))
    # the cells as written, side by side in the source line
    a, b = sorted((lead_at, lead_at if others_at is None else others_at))
    units.responsibility_quote = sep.join(cells[a : b + 1]).strip() or None
    return units


def _field(label: str, cell: str) -> str:
    """`牵头单位：A、B` from a header cell and a row's cell (none when the cell names no one);
    a full-width comma between names is a list's 、."""
    names = squeeze(cell).replace("，", "、").replace(",", "、").strip("、")
    return "" if _NONE.match(names) else f"{label}：{names}"


def apply_table(
    measures: list[DraftMeasure], rows: list[Row]
) -> tuple[list[DraftMeasure], list[Row]]:
    """Give each measure that names no unit the units of the table's row titled as it is (its
    first row), and each of its targets those of the row whose text holds the target's quote.
    Returns the measures given units and the rows no measure took."""
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
        given.append(m)
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
    """Each target of `measure` quoted from a continuation row's text takes that row's units."""
    for t in measure.targets:
        quote = squeeze(t.quote)
        part = next((r for r in rows[1:] if quote and quote in squeeze(r.text)), None)
        if part is not None and part.units.names():
            t.units = part.units


def lines_of(rows: list[Row]) -> range:
    """The lines a table takes, its header through its last row (none: an empty range)."""
    return range(rows[0].header, rows[-1].line + 1) if rows else range(0)
