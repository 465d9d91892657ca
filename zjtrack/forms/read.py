"""A returned form read back and verified, trusting nothing in it: the bytes must be a real xlsx
(or the CSV variant) of sane size, the hidden sheet must carry a form whose checksum holds, and
the sheet 报送表 must still be that form: no edited locked cell, no formula, no hidden, deleted
or added row, no merged cell, no added sheet. Every finding is a catalogue problem placed at its
cell (`海东市教育局.xlsx:报送表!H12`). What the unit filled in comes back raw (`Filled`); turning
it into records is `intake`'s job.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from ..problems import Problem, problem
from ..render.csv import undefuse
from ..table import num
from .form import FORMAT, GUIDE, HEADERS, KEYS, LOCKED, META, SHEET, TEXT_LIMIT, checksum
from .write import CSV_MARK, cell_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_BYTES = 10 * 1024 * 1024  # a form of a few hundred rows is tens of kilobytes
MAX_UNZIPPED = 40 * 1024 * 1024  # what its parts may inflate to (a zip bomb stops here)
MAX_PARTS = 200


class Expected(NamedTuple):
    """One row as the form was written: what the hidden sheet says."""

    document: str
    kind: str
    locked: tuple[str, ...]

    @property
    def target(self) -> str:
        return self.locked[0]

    @property
    def entity(self) -> str | None:
        return self.locked[1] or None


class Filled(NamedTuple):
    """One row the unit filled in (a row left empty is not here), its cells raw."""

    row: int  # the sheet row (or CSV line)
    expected: Expected
    cells: dict[str, Any]  # input column key -> raw value (number, text, date, bool)
    formats: dict[str, str]  # input column key -> the cell's number format (xlsx)
    refs: dict[str, str]  # input column key -> where, as problems name it


class Return(NamedTuple):
    """A returned file as read: the form it claims to be, its filled rows, what is wrong."""

    name: str
    unit: str | None
    period: str | None
    form_id: str | None
    rows: tuple[Filled, ...]
    problems: tuple[Problem, ...]


def _refused(name: str, *found: Problem) -> Return:
    return Return(name, None, None, None, (), found)


def read_return(name: str, data: bytes) -> Return:
    """Read one returned file (`name` is how problems name it: its base name)."""
    if len(data) > MAX_BYTES:
        return _refused(
            name,
            problem(
                "form-too-large",
                name,
                what_zh=f"{len(data)} 字节",
                what_en=f"{len(data)} bytes",
                limit=MAX_BYTES,
            ),
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(name, data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _refused(
            name,
            _unreadable(name, "是旧版 .xls（或 WPS .et）格式", "an old .xls (or WPS .et) file"),
        )
    text = data.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith(CSV_MARK):
        return _read_csv(name, data)
    return _refused(
        name,
        _unreadable(
            name,
            "不是 xlsx 文件（内容不是 Excel 工作簿）",
            "not an xlsx file (no Excel workbook inside)",
        ),
    )


def _unreadable(where: str, zh: str, en: str) -> Problem:
    return problem("form-unreadable", where, reason_zh=zh, reason_en=en)


def _zip_problem(name: str, data: bytes) -> Problem | None:
    """A zip that would inflate past what a form can be, or is no zip at all."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        # NotImplementedError: a zip that claims a newer version or an unknown compression
        return _unreadable(
            name, "文件已损坏（不是完整的 xlsx）", "the file is damaged (not a whole xlsx)"
        )
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_PARTS or total > MAX_UNZIPPED:
        return problem(
            "form-too-large",
            name,
            what_zh=f"解压后 {total} 字节、{len(infos)} 个部件",
            what_en=f"{total} bytes in {len(infos)} parts once unzipped",
            limit=MAX_UNZIPPED,
        )
    return None


def _load(name: str, data: bytes) -> tuple[Any, Problem | None]:
    bad = _zip_problem(name, data)
    if bad is not None:
        return None, bad
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return load_workbook(io.BytesIO(data), data_only=False, keep_links=False), None
    except Exception as e:  # openpyxl raises many kinds on a malformed workbook
        reason = type(e).__name__
        return None, _unreadable(
            name, f"工作簿无法解析（{reason}）", f"the workbook does not parse ({reason})"
        )


def text_of(value: Any) -> str:
    """A cell as the text it shows, for comparing locked cells: numbers as `num` writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return num(value)
    return str(value)


def _meta(ws: Worksheet) -> tuple[dict[str, str], list[Expected]] | None:
    keys: dict[str, str] = {}
    rows: list[Expected] = []
    for row in ws.iter_rows(values_only=True, max_col=4):
        head = row[0] if row else None
        if head == "row" and len(row) >= 4:
            locked = json.loads(str(row[3]))
            if not isinstance(locked, list) or len(locked) != LOCKED:
                return None
            rows.append(Expected(str(row[1]), str(row[2]), tuple(str(x) for x in locked)))
        elif isinstance(head, str) and len(row) >= 2:
            keys[head] = text_of(row[1])
    if keys.get("zjtrack-form") != str(FORMAT):
        return None
    return keys, rows


def _read_meta(name: str, wb: Any) -> tuple[dict[str, str], list[Expected]] | Problem:
    if META not in wb.sheetnames:
        return problem(
            "form-unknown",
            name,
            reason_zh="缺少隐藏的表格信息（工作表 zjtrack）",
            reason_en="the hidden sheet zjtrack is missing",
        )
    try:
        found = _meta(wb[META])
    except (ValueError, TypeError):
        found = None
    if found is None:
        return problem("form-tampered", f"{name}:{META}")
    keys, rows = found
    locked = [r.locked for r in rows]
    if keys.get("checksum") != checksum(keys.get("unit", ""), keys.get("period", ""), locked):
        return problem("form-tampered", f"{name}:{META}")
    return keys, rows


def _read_xlsx(name: str, data: bytes) -> Return:
    wb, bad = _load(name, data)
    if bad is not None:
        return _refused(name, bad)
    meta = _read_meta(name, wb)
    if isinstance(meta, Problem):
        return _refused(name, meta)
    keys, expected = meta
    others = [sheet for sheet in wb.sheetnames if sheet not in (GUIDE, SHEET, META)]
    form = SHEET
    if SHEET not in wb.sheetnames and len(others) == 1:
        # 报送表 renamed (Sheet1, 教育局): the one other sheet is read as the form, its locked
        # cells checked as ever; what is wrong in it is named in that sheet
        form, others = others[0], []
    found: list[Problem] = [
        problem("form-sheet-added", f"{name}:{sheet}", sheet=sheet) for sheet in others
    ]
    if form not in wb.sheetnames:
        found.append(
            problem(
                "form-unknown",
                name,
                reason_zh="缺少工作表“报送表”",
                reason_en="the sheet 报送表 is missing",
            )
        )
        return Return(
            name, keys.get("unit"), keys.get("period"), keys.get("form_id"), (), tuple(found)
        )
    ws = wb[form]
    found += _structure(name, ws)
    rows, row_problems = _rows(name, ws, expected)
    found += row_problems
    return Return(
        name, keys.get("unit"), keys.get("period"), keys.get("form_id"), tuple(rows), tuple(found)
    )


def _cells(ws: Worksheet) -> Iterator[tuple[int, int, Any]]:
    """Every cell the sheet stores, without building the empty grid between them (a sheet with
    one cell at row 1,000,000 costs one cell, not thirteen million)."""
    stored: dict[tuple[int, int], Any] = ws._cells
    for (r, c), cell in sorted(stored.items()):
        yield r, c, cell


def _structure(name: str, ws: Worksheet) -> list[Problem]:
    """Merged cells, hidden rows and columns, formulas: each named by its place."""
    from openpyxl.utils import get_column_letter

    where = f"{name}:{ws.title}!"
    found = [
        problem("form-merged", f"{where}{m.coord}", range=m.coord) for m in ws.merged_cells.ranges
    ]
    for r, dim in sorted(ws.row_dimensions.items()):
        if dim.hidden:
            found.append(
                problem("form-hidden", f"{where}{r}:{r}", what_zh=f"第 {r} 行", what_en=f"row {r}")
            )
    for letter, cdim in sorted(ws.column_dimensions.items()):
        if cdim.hidden:
            found.append(
                problem(
                    "form-hidden",
                    f"{where}{letter}:{letter}",
                    what_zh=f"{letter} 列",
                    what_en=f"column {letter}",
                )
            )
    for r, c, cell in _cells(ws):
        if cell.data_type == "f":
            text = str(getattr(cell.value, "text", cell.value))
            found.append(
                problem("form-formula", f"{where}{get_column_letter(c)}{r}", formula=text[:60])
            )
    return found


def _rows(name: str, ws: Worksheet, expected: list[Expected]) -> tuple[list[Filled], list[Problem]]:
    """The header, then each row against the form's copy, then anything past the form's edge."""
    from openpyxl.utils import get_column_letter

    where = f"{name}:{ws.title}!"
    letters = [get_column_letter(i) for i in range(1, len(KEYS) + 1)]
    stored: dict[tuple[int, int], Any] = ws._cells
    found = [
        _locked_problem(f"{where}{letters[c - 1]}1", head, _value(stored, 1, c))
        for c, head in enumerate(HEADERS, start=1)
        if text_of(_value(stored, 1, c)) != head
    ]
    filled: list[Filled] = []
    # a row with nothing in it, inserted between the form's rows, is passed over (as the CSV
    # variant passes over a blank line): a form's own row always holds its locked cells
    used = {r for (r, _), cell in stored.items() if cell.value not in (None, "")}
    last = max(used, default=1)
    r = 1
    for exp in expected:
        r += 1
        while r not in used and r < last:
            r += 1
        shown = tuple(cell_text(text) for text in exp.locked)  # as the writer stored them
        if (text_of(_value(stored, r, 1)), text_of(_value(stored, r, 2))) != shown[:2]:
            entity = f"（{exp.entity}）" if exp.entity else ""
            found.append(
                problem("form-row-missing", f"{where}{r}:{r}", id=exp.target, entity=entity)
            )
            return filled, found  # every row below has moved: one finding, not hundreds
        found += [
            _locked_problem(f"{where}{letters[c - 1]}{r}", shown[c - 1], _value(stored, r, c))
            for c in range(3, LOCKED + 1)
            if text_of(_value(stored, r, c)) != shown[c - 1]
        ]
        row = _filled(stored, r, exp, where, letters)
        if row is not None:
            filled.append(row)
    found += _beyond(stored, r - 1, where, letters)  # rows 2..r are the form's
    return filled, found


def _value(stored: dict[tuple[int, int], Any], r: int, c: int) -> Any:
    cell = stored.get((r, c))
    return None if cell is None else cell.value


def _filled(
    stored: dict[tuple[int, int], Any], r: int, exp: Expected, where: str, letters: list[str]
) -> Filled | None:
    """Row `r`'s input cells, or None when the unit left it empty."""
    cells: dict[str, Any] = {}
    formats: dict[str, str] = {}
    refs: dict[str, str] = {}
    for c in range(LOCKED + 1, len(KEYS) + 1):
        key = KEYS[c - 1]
        refs[key] = f"{where}{letters[c - 1]}{r}"
        cell = stored.get((r, c))
        if cell is None or cell.value is None:
            continue
        if isinstance(cell.value, str) and not cell.value.strip():
            continue
        cells[key] = cell.value
        formats[key] = str(cell.number_format)
    return Filled(r, exp, cells, formats, refs) if cells else None


def _beyond(
    stored: dict[tuple[int, int], Any], rows: int, where: str, letters: list[str]
) -> list[Problem]:
    """Content below the form's last row or right of its last column: an added row or column."""
    from openpyxl.utils import get_column_letter

    for (r, c), cell in sorted(stored.items()):
        if cell.value in (None, ""):
            continue
        if r > rows + 1:
            return [problem("form-row-added", f"{where}{r}:{r}", rows=rows)]
        if c > len(letters):
            return [problem("form-row-added", f"{where}{get_column_letter(c)}{r}", rows=rows)]
    return []


def _locked_problem(where: str, was: str, now: Any) -> Problem:
    shown = text_of(now)
    return problem("form-locked", where, was=was[:40], now=shown[:40])


# --- CSV ------------------------------------------------------------------------------------------


def _read_csv(name: str, data: bytes) -> Return:
    """The CSV variant: its first line names the form and carries the checksum of its locked
    columns, which must still hold (a CSV has no hidden sheet to name the cell changed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel and WPS on Chinese Windows save "CSV (逗号分隔)" in GBK: read as GB18030 (its
        # superset); the checksum of the locked columns still decides whether it is the form
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return _refused(
                name,
                problem(
                    "form-unreadable",
                    name,
                    reason_zh="既不是 UTF-8 也不是 GBK 编码的 CSV",
                    reason_en="a CSV in neither UTF-8 nor GBK",
                    hint_zh="用 Excel 或 WPS 打开后“另存为 → CSV UTF-8（逗号分隔）”，或另存为 xlsx 再发回。",
                    hint_en="open it in Excel or WPS and save it as CSV UTF-8, or as xlsx, then send it again.",
                ),
            )
    lines = list(csv.reader(io.StringIO(text, newline="")))
    head = lines[0] if lines else []
    if len(head) < 6 or head[0] != CSV_MARK or head[1] != str(FORMAT):
        return _refused(
            name,
            problem(
                "form-unknown",
                name,
                reason_zh="第 1 行不是表格信息",
                reason_en="line 1 does not name a form",
            ),
        )
    form_id, unit, period, digest = head[2], undefuse(head[3]), head[4], head[5]
    found: list[Problem] = []
    if [c.strip() for c in (lines[1] if len(lines) > 1 else [])[: len(HEADERS)]] != list(HEADERS):
        found.append(
            problem(
                "form-locked",
                f"{name}:2",
                was="、".join(HEADERS)[:40],
                now="、".join(lines[1] if len(lines) > 1 else [])[:40],
            )
        )
    body = [row for row in lines[2:] if any(c.strip() for c in row)]
    # the writer defused task text that a spreadsheet would take for a formula (render/csv.py)
    locked = [tuple(undefuse(c) for c in (row + [""] * LOCKED)[:LOCKED]) for row in body]
    if checksum(unit, period, locked) != digest:
        found.append(
            problem(
                "form-locked",
                name,
                was="编号至当前状态各列",
                now="已改动（或行被增删）",
            )
        )
        return Return(name, unit, period, form_id, (), tuple(found))
    filled: list[Filled] = []
    line_of = {id(row): n for n, row in enumerate(lines, start=1)}
    for row in body:
        n = line_of[id(row)]
        padded = row + [""] * (len(KEYS) - len(row))
        if len(row) > len(KEYS) and any(c.strip() for c in row[len(KEYS) :]):
            found.append(problem("form-row-added", f"{name}:{n}", rows=len(body)))
        exp = Expected("", "", tuple(undefuse(c) for c in padded[:LOCKED]))
        cells = {KEYS[c]: padded[c] for c in range(LOCKED, len(KEYS)) if padded[c].strip()}
        refs = {KEYS[c]: f"{name}:{n}:{c + 1}" for c in range(LOCKED, len(KEYS))}
        if cells:
            filled.append(Filled(n, exp, cells, {}, refs))
    return Return(name, unit, period, form_id, tuple(filled), tuple(found))


def text_problems(f: Filled) -> Iterator[Problem]:
    """The filled text cells' own limits: length (a 1 MB cell is refused) and a leading `=`."""
    for key, raw in f.cells.items():
        if not isinstance(raw, str):
            continue
        if len(raw) > TEXT_LIMIT:
            yield problem("form-too-long", f.refs[key], length=len(raw), limit=TEXT_LIMIT)
        elif raw.lstrip().startswith("="):
            yield problem("form-formula-text", f.refs[key], text=raw.strip()[:40])
