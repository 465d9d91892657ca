"""Returned forms as progress records: every filled row checked with the rules `record` applies
(`checks.record_problems`, and the loader reading back the very text to be appended), compared
with what is already recorded (the same figure twice is nothing new; a changed figure for the
same day corrects the earlier record), then written together or not at all.

`plan_intake` decides, touching nothing; `commit` archives the original under
`returns/<period>/` in the task repository, named by unit and content hash, and appends the
records (each citing that archive as its source) through `journal.append_many`, one locked write
per progress file. `locked` serialises whole intakes, so two runs over the same return cannot
both see it as new.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..checks import record_problems
from ..dates import bad_typed_day, parse_typed
from ..evaluate import supersede
from ..load.loader import load_text
from ..model import Plan, ProgressRecord, Target, TargetKind
from ..problems import Problem, UserError, problem
from ..registry import Registry
from ..store import journal
from ..store.atomic import write_atomic
from ..store.record import DONE_WORDS
from .period import Period

if TYPE_CHECKING:
    from ..load.cache import FileCache
from .read import Filled, Return, read_return, text_of, text_problems


class Change(NamedTuple):
    """One record to be written, as the preview shows it: the last standing value and the new."""

    target: str
    entity: str | None
    date: dt.date
    before: str
    after: str
    corrects: bool
    # the latest record's date when this one is dated before it: a figure for an earlier day
    # (补报, or a mistyped year) is kept, and the latest progress stays what it was
    older_than: dt.date | None = None


class Outcome(NamedTuple):
    """What intake makes of one returned file."""

    name: str
    data: bytes
    digest: str
    unit: str | None
    period: str | None
    records: tuple[tuple[str, ProgressRecord], ...]  # (document id, record): to be written
    changes: tuple[Change, ...]
    unchanged: int  # filled rows already recorded as they are
    problems: tuple[Problem, ...]
    archive: str  # where the original is kept, relative to the task repository

    @property
    def accepted(self) -> bool:
        return not self.problems


def archive_name(unit: str, period: str, digest: str, name: str) -> str:
    """`returns/2026-W49/海东市教育局-3f2a9c01b7d4.xlsx`: by unit and content hash."""
    safe = "".join("_" if ch in '/\\:*?"<>|' or ch < " " else ch for ch in unit)
    suffix = ".csv" if name.lower().endswith(".csv") else ".xlsx"
    return f"returns/{period}/{safe}-{digest[:12]}{suffix}"


def shown(value: float | None, done: bool | None, unit: str | None) -> str:
    """A recorded value as the preview and the receipt show it: `85%`, `12个`, 完成."""
    if done is not None:
        return "完成" if done else "未完成"
    return "—" if value is None else f"{text_of(value)}{unit or ''}"


def _file_unit(name: str, unit: str, registry: Registry) -> str | None:
    """Another registered unit named in the file name (`海东市财政局.xlsx` holding 教育局's
    form): the file was sent for the wrong unit, or by it."""
    named = [n for n in registry.names() if n in name and n not in unit and len(n) >= 4]
    return max(named, key=len) if named else None


def _form_problems(
    ret: Return, period: Period, registry: Registry, unit: set[str] | None
) -> list[Problem]:
    found: list[Problem] = []
    if ret.period != period.label:
        found.append(problem("form-period", ret.name, got=ret.period, want=period.label))
    form_unit = ret.unit or ""
    if registry.resolve(form_unit) is None:
        found.append(
            problem(
                "form-unknown",
                ret.name,
                reason_zh=f"单位“{form_unit}”不在单位名录中",
                reason_en=f"the unit “{form_unit}” is not in the units registry",
            )
        )
    elif unit is not None and form_unit not in unit:
        found.append(problem("form-unit", ret.name, got=form_unit, want="、".join(sorted(unit))))
    else:
        other = _file_unit(ret.name, form_unit, registry)
        if other is not None:
            found.append(problem("form-unit", ret.name, got=form_unit, want=other))
    return found


def _number(raw: Any, fmt: str, target: Target) -> float | None:
    """A typed or written number; None when it is not one. `85%` typed into Excel is stored as
    0.85 with a percent format: read back as 85."""
    if isinstance(raw, bool | dt.date):
        return None
    if isinstance(raw, int | float):
        percent_format = "%" in re.sub(r'"[^"]*"|\\.', "", fmt)  # a quoted or escaped % is text
        value = raw * 100 if target.is_percent and percent_format else raw
        value = round(value, 9)
        return int(value) if float(value).is_integer() else value
    text = str(raw).strip().replace(",", "").replace("，", "")
    if target.is_percent:
        text = text.removesuffix("%").removesuffix("％")
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return int(number) if number.is_integer() else number


_VALUE_HINTS = {
    "done": ("从下拉列表选“完成”或“未完成”。", "choose 完成 or 未完成 from the list."),
    "percent": ("填 0–100 的数字，如 85 表示 85%。", "write a number from 0 to 100 (85 for 85%)."),
    "number": (
        "填数字（累计数），不写单位和文字。",
        "write a number (the running total), no words.",
    ),
}


def _value(f: Filled, target: Target) -> tuple[float | None, bool | None, Problem | None]:
    raw = f.cells.get("value")
    kind = (
        "done"
        if target.kind is TargetKind.MILESTONE
        else ("percent" if target.is_percent else "number")
    )
    if raw is not None and kind == "done":
        if isinstance(raw, bool):
            return None, raw, None
        word = str(raw).strip().lower()
        if word in DONE_WORDS:
            return None, DONE_WORDS[word], None
    elif raw is not None:
        number = _number(raw, f.formats.get("value", "General"), target)
        if number is not None:
            return number, None, None
    expected = {
        "done": ("“完成”或“未完成”", "完成 or 未完成"),
        "percent": ("0–100 的百分比数字", "a percentage from 0 to 100"),
        "number": ("数字", "a number"),
    }[kind]
    hint_zh, hint_en = _VALUE_HINTS[kind]
    if raw is None:
        hint_zh, hint_en = (
            "填写本期数值；本期不报送的行整行留空。",
            "fill in the value, or leave the whole row empty.",
        )
    return (
        None,
        None,
        problem(
            "form-value",
            f.refs["value"],
            value=text_of(raw)[:40],
            expected_zh=expected[0],
            expected_en=expected[1],
            hint_zh=hint_zh,
            hint_en=hint_en,
        ),
    )


def _date(f: Filled, period: Period, as_of: dt.date) -> tuple[dt.date | None, Problem | None]:
    """The date a row describes: as written, else the period's cut-off (or the day it is taken
    in, when that comes first: a figure cannot describe a day still to come)."""
    raw = f.cells.get("date")
    if raw is None:
        return min(period.cutoff, as_of), None
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    text = text_of(raw)
    try:
        return parse_typed(text, period.cutoff.year), None
    except UserError as e:
        blank = (
            "留空表示本期截止日（截止日前收取时为收取当日）。",
            " Leave it blank for the period's cut-off (the day it is taken in, before then).",
        )
        return None, bad_typed_day(f.refs["date"], "数据日期", text[:40], e, blank)


def _text(f: Filled, key: str) -> str | None:
    raw = f.cells.get(key)
    if raw is None:
        return None
    text = text_of(raw).strip()
    return text or None


def _record(
    f: Filled,
    target: Target,
    ret: Return,
    period: Period,
    archive: str,
    as_of: dt.date,
    recorded_on: dt.date,
) -> tuple[ProgressRecord | None, list[Problem]]:
    found = list(text_problems(f))
    value, done, bad_value = _value(f, target)
    when, bad_date = _date(f, period, as_of)
    found += [p for p in (bad_value, bad_date) if p is not None]
    if found or when is None:
        return None, found
    source, contact = _text(f, "source"), _text(f, "contact")
    note = "；".join(
        part
        for part in (f"来源：{source}" if source else "", f"联系人：{contact}" if contact else "")
        if part
    )
    record = ProgressRecord(
        target.id,
        when,
        value,
        done,
        f.expected.entity,
        source=archive,
        by=ret.unit,
        note=note or None,
        problems=_text(f, "problems"),
        next_steps=_text(f, "next_steps"),
        recorded_at=recorded_on,
        path=f.refs["value"],
    )
    limit = min(as_of, period.cutoff)  # a figure for a day after the period's cut-off is not its
    return record, list(record_problems(record, {target.id: target}, limit))


def _against(
    record: ProgressRecord, history: Sequence[ProgressRecord], unit: str | None
) -> tuple[ProgressRecord | None, Change | None]:
    """The record as it will be written (a correction when the same unit gave another figure for
    the same day), and the change it makes; (None, None) when the unit has reported it already.
    Another unit's figure is its own evidence: it is recorded beside, never as a correction.
    A row of a file taken before (a record citing the same original, kept by its content's
    hash) is that file's: never recorded again, whatever day a blank 数据日期 now stands for."""
    mine = [r for r in history if r.entity == record.entity]
    if any(
        r.source == record.source and r.value == record.value and r.done == record.done
        for r in mine
    ):
        return None, None
    standing = supersede(mine)
    same_day = [r for r in standing if r.date == record.date and r.by == record.by]
    if any(r.value == record.value and r.done == record.done for r in same_day):
        return None, None
    last = standing[-1] if standing else None
    before = shown(last.value, last.done, unit) if last is not None else "—"
    if last is not None and last.date is not None:
        before = f"{last.date.isoformat()} {before}"
    if same_day:
        day = record.date.isoformat() if record.date else ""
        ties = [r for r in mine if r.date == record.date]
        ref = day if len(ties) == 1 else f"{day}:{same_day[-1].line}"
        record = record._replace(corrects=ref)
    assert record.date is not None
    after = shown(record.value, record.done, unit)
    older = last.date if last is not None and last.date and last.date > record.date else None
    change = Change(record.target, record.entity, record.date, before, after, bool(same_day), older)
    return record, change


def _read_back(records: Sequence[ProgressRecord]) -> list[Problem]:
    """The text about to be appended, read back as the loader reads a file (the format's own
    rules: finite numbers, no empty texts), as `record` does before it writes."""
    if not records:
        return []
    text = journal.HEADER.format(doc="x", doc_json='"x"') + "".join(
        journal.render_record(r) for r in records
    )
    back = load_text(text, "<intake>")
    return list(back.problems)


def plan_one(
    name: str,
    data: bytes,
    plan: Plan,
    period: Period,
    as_of: dt.date,
    *,
    recorded_on: dt.date | None = None,
    unit: set[str] | None = None,
    registry: Registry | None = None,
    targets: Mapping[str, tuple[str, Target]] | None = None,
    histories: Mapping[str, Sequence[ProgressRecord]] | None = None,
) -> Outcome:
    """One returned file, decided: its records to write, or every reason it is refused.
    `recorded_on`: the day it is taken in, each record's `recorded_at` (the caller's clock,
    whatever `as_of` says, as `record` stamps: a return taken in late never enters a week
    already reported); None: `as_of`."""
    registry = registry or Registry(plan.units)
    if targets is None:
        targets = {t.id: (d.id, t) for d, _, t in plan.all_targets()}
    digest = hashlib.sha256(data).hexdigest()
    ret = read_return(name, data)
    found = list(ret.problems)
    if ret.unit is not None or ret.period is not None:
        found += _form_problems(ret, period, registry, unit)
    archive = archive_name(ret.unit or "unknown", period.label, digest, name)

    def refused(found: list[Problem]) -> Outcome:
        return Outcome(name, data, digest, ret.unit, ret.period, (), (), 0, tuple(found), archive)

    if ret.unit is None:  # not recognised as a form: its rows mean nothing
        return refused(found)
    # a recognised form with problems still has every filled row checked: all problems at once
    if histories is None:
        histories = plan.histories()
    out: list[tuple[str, ProgressRecord]] = []
    changes: list[Change] = []
    unchanged = 0
    for f in ret.rows:
        known = targets.get(f.expected.target)
        if known is None:
            found.append(
                problem(
                    "unknown-target",
                    f.refs["value"],
                    id=f.expected.target,
                    suggestion_zh="（任务已调整，请重新下载表格）",
                    suggestion_en=" (the plan has changed: fill in a fresh form)",
                )
            )
            continue
        doc, target = known
        record, bad = _record(f, target, ret, period, archive, as_of, recorded_on or as_of)
        found += bad
        if record is None or bad:
            continue
        new, change = _against(record, histories.get(target.id, ()), target.unit)
        if new is None or change is None:
            unchanged += 1
            continue
        out.append((doc, new))
        changes.append(change)
    found += _read_back([r for _, r in out])
    if found:
        # one problem, one message: a formula is said as a formula, not again as text starting
        # with `=` and as a value that is no number
        formulas = {p.path for p in found if p.code == "form-formula"}
        return refused([p for p in found if p.code == "form-formula" or p.path not in formulas])
    return Outcome(
        name, data, digest, ret.unit, ret.period, tuple(out), tuple(changes), unchanged, (), archive
    )


def plan_intake(
    files: Sequence[tuple[str, bytes]],
    plan: Plan,
    period: Period,
    as_of: dt.date,
    unit: set[str] | None = None,
    *,
    recorded_on: dt.date | None = None,
) -> list[Outcome]:
    """Every returned file, decided in order (`plan_one`). What the files before one will
    record counts as recorded for it: the same rows in two files of one run are taken once."""
    registry = Registry(plan.units)
    targets = {t.id: (d.id, t) for d, _, t in plan.all_targets()}
    histories: dict[str, list[ProgressRecord]] = {k: list(v) for k, v in plan.histories().items()}
    out = []
    for name, data in files:
        o = plan_one(
            name,
            data,
            plan,
            period,
            as_of,
            recorded_on=recorded_on,
            unit=unit,
            registry=registry,
            targets=targets,
            histories=histories,
        )
        for _, record in o.records:
            histories.setdefault(record.target, []).append(record)
        out.append(o)
    return out


def commit(tasks_dir: Path, outcome: Outcome, cache: FileCache | None = None) -> None:
    """Keep the original, then append its records, one write per progress file. Every
    progress file is asked first (`journal.check_append`): one that would refuse its records
    (it does not load as it is, a link) refuses the whole file's, UserError, nothing written,
    the original not kept. Raises OSError on an I/O failure."""
    if not outcome.accepted or not outcome.records:
        return
    by_doc: dict[str, list[ProgressRecord]] = {}
    for doc, record in outcome.records:
        by_doc.setdefault(doc, []).append(record._replace(path="", line=0, column=0))
    for doc, records in by_doc.items():
        journal.check_append(journal.progress_path(tasks_dir, doc), doc, records, cache)
    kept = tasks_dir / outcome.archive
    kept.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # the same content (named by its hash), kept
        write_atomic(kept, outcome.data, replace=False)
    for doc, records in by_doc.items():
        journal.append_many(journal.progress_path(tasks_dir, doc), doc, records, cache)


@contextmanager
def locked(tasks_dir: Path) -> Iterator[None]:
    """One intake at a time in a task repository (an exclusive lock on its folder), so that two
    runs over the same return cannot both take it as new. `record` keeps its own per-file lock."""
    import fcntl

    fd = os.open(tasks_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
