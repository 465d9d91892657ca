"""`zjtrack record`: a new progress record, held to the rules `check` holds every record to, then
appended.

The record is a `model.ProgressRecord`, as the loader reads records back. It must pass what a
record in a file must pass: the text about to be appended is read back by the loader (the file
format's rules: a number the format can hold, no empty texts), then `checks.record_problems`
(the per-record rules of `check`: the kind of value, 0-100 for a percentage, the entity, not
after the as-of date). A refusal is a `UserError` listing those problems with their codes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ..checks import record_problems, reference_problems
from ..dates import bad_typed_day, parse_typed
from ..evaluate import referenced
from ..load.loader import LoadResult, load_paths, load_text
from ..model import Document, Plan, ProgressRecord, Target, TargetKind
from ..problems import ExitCode, UserError
from . import journal

if TYPE_CHECKING:
    from ..load.cache import FileCache

DONE_WORDS = {
    "done": True,
    "完成": True,
    "已完成": True,
    "true": True,
    "yes": True,
    "是": True,
    "not-done": False,
    "未完成": False,
    "false": False,
    "no": False,
    "否": False,
}

WHERE = "<record>"  # the place given to a record's problems: it is in no file yet


def record_progress(
    tasks_dir: Path,
    target_id: str,
    value: str | None,
    *,
    as_of: dt.date,
    date: str | None = None,
    source: str | None = None,
    by: str | None = None,
    note: str | None = None,
    entity: str | None = None,
    problems: str | None = None,
    next_steps: str | None = None,
    corrects: str | None = None,
    withdraws: str | None = None,
    cache: FileCache | None = None,
    recorded_at: dt.date | None = None,
) -> Path:
    """Validate and append; returns the progress file written. `date` defaults to `as_of`, and
    may not be after it. `recorded_at` is the day it is recorded (the caller's today; `as_of`
    when not given): never the as-of date a user chose, or a late record would enter a week's
    report that was already issued. With `corrects` or `withdraws` (an earlier record's date, or date:line),
    the record supersedes that one and takes its date; a withdrawal has no value. Raises
    UserError, writing nothing."""
    if not tasks_dir.is_dir():
        raise UserError(
            f"任务目录 {tasks_dir} 不存在", f"tasks directory {tasks_dir} does not exist"
        )
    texts = {
        "--source": source,
        "--by": by,
        "--note": note,
        "--entity": entity,
        "--problems": problems,
        "--next-steps": next_steps,
    }
    for option, text in texts.items():
        if text is not None and any("\ud800" <= ch <= "\udfff" for ch in text):
            raise UserError(
                f"{option} 含有无效的字符编码（终端不是 UTF-8？）",
                f"{option} holds invalid characters (is the terminal not UTF-8?)",
            )
    try:
        when = parse_typed(date, as_of.year) if date else as_of
    except UserError as e:
        raise UserError.of([bad_typed_day(WHERE, "date", date or "", e)]) from None

    result = load_paths([str(tasks_dir)], cache)
    targets: dict[str, Target] = {}
    documents: dict[str, Document] = {}
    for d, _, t in result.plan.all_targets():  # a duplicated id (check reports it): the first
        targets.setdefault(t.id, t)
        documents.setdefault(t.id, d)
    target = targets.get(target_id)
    if target is None:
        _no_target(result, target_id, ProgressRecord(target_id, when), targets, as_of)
    number, done = _value(target, value) if withdraws is None else _no_value(value)
    new = ProgressRecord(
        target_id,
        when,
        number,
        done,
        entity,
        source,
        by,
        note,
        problems,
        next_steps,
        recorded_at=recorded_at or as_of,
    )
    if corrects is not None or withdraws is not None:
        new = _superseding(
            new, result.plan.histories().get(target_id, ()), corrects, withdraws, date
        )

    # The exact text about to be appended, read back as the loader reads a file: the format's
    # rules first, then check's rules for one record; and it must read back as this very record.
    doc = documents[target_id]
    text = journal.HEADER.format(doc=doc.id, doc_json='"x"') + journal.render_record(new)
    back = load_text(text, WHERE)
    if back.problems:
        raise UserError.of(back.problems)
    refused = list(record_problems(new, targets, as_of))
    if refused:
        raise UserError.of(refused)
    if len(back.records) != 1 or not _same(back.records[0], new):
        raise UserError(
            "内部错误：记录无法回读，未写入",
            "internal error: the record does not read back; nothing written",
            exit_code=ExitCode.INTERNAL,
        )
    path = journal.progress_path(tasks_dir, doc.id)
    try:
        journal.append(path, doc.id, new, cache)
    except OSError as e:
        raise UserError(
            f"无法写入 {path}：{e.strerror or e}（文件未改动）",
            f"cannot write {path}: {e.strerror or e} (file left unchanged)",
        ) from None
    return path


def _no_value(value: str | None) -> tuple[None, None]:
    if value is not None:
        raise UserError(
            f"撤回记录不带数值（多了 `{value}`）", f"a withdrawal takes no value (got `{value}`)"
        )
    return None, None


def _superseding(
    new: ProgressRecord,
    history: tuple[ProgressRecord, ...],
    corrects: str | None,
    withdraws: str | None,
    date: str | None,
) -> ProgressRecord:
    """`new` as a correction or withdrawal of the record its reference names, dated as that one
    (a --date that differs is refused: the correction describes the same day)."""
    new = new._replace(corrects=corrects, withdraws=withdraws)
    refused = list(reference_problems(new, history))
    if refused:
        raise UserError.of(refused)
    (old,) = referenced(new, history)
    if date is not None and new.date != old.date:
        raise UserError(
            f"更正或撤回的记录日期是被引用记录的日期 {old.date}，而不是 {new.date}",
            f"a correction or withdrawal has the date of the record it names, {old.date}, "
            f"not {new.date}",
        )
    return new._replace(date=old.date)


def _not_a_measure(documents: tuple[Document, ...], ref: str) -> None:
    """`record hd-5`: hd-5 is a measure; say so and list its targets (rather than suggest hd-9-5)."""
    for d in documents:
        for m in d.measures:
            if m.id == ref:
                ids = "、".join(t.id for t in m.targets) or "—"
                raise UserError(
                    f"`{ref}` 是措施，不是目标：请记录它的目标之一：{ids}",
                    f"`{ref}` is a measure, not a target: record one of its targets: "
                    + (", ".join(t.id for t in m.targets) or "none"),
                )


def _value(target: Target, value: str | None) -> tuple[float | None, bool | None]:
    """VALUE as the record's `value` or `done`: a done word, or a number (`88%` for a percentage).
    Which of the two the target takes is `record_problems`' rule; a VALUE that is neither is
    refused here, in the words of the target's kind."""
    if value is None:
        raise UserError(
            f"缺少数值：`{target.id}` 的进展值（或用 --withdraw 撤回一条记录）",
            f"missing VALUE for `{target.id}` (or --withdraw to take a record back)",
        )
    word = value.strip()
    if word.lower() in DONE_WORDS:
        return None, DONE_WORDS[word.lower()]
    try:
        number = float(word.removesuffix("%") if target.is_percent else word)
    except ValueError:
        pass
    else:
        # a whole number stays whole (its messages say 150%, not 150.0%, as check's do)
        return (int(number) if number.is_integer() else number), None
    if target.kind is TargetKind.MILESTONE:
        raise UserError(
            f"`{target.id}` 是里程碑：值写 done/完成 或 not-done/未完成，而不是 `{value}`",
            f"`{target.id}` is a milestone: the value is done or not-done, not `{value}`",
        )
    raise UserError(
        f"`{target.id}` 是数量目标（{target.unit}）：值应为数字，而不是 `{value}`",
        f"`{target.id}` is a quantity ({target.unit}): the value is a number, not `{value}`",
    )


def _same(read: ProgressRecord, new: ProgressRecord) -> bool:
    """The same record, wherever each was read from."""
    return read._replace(path="", line=0, column=0) == new


def _no_target(
    result: LoadResult,
    target_id: str,
    record: ProgressRecord,
    targets: dict[str, Target],
    as_of: dt.date,
) -> NoReturn:
    """Why there is no such target: a file that does not read, a measure id, or a typo."""
    unread = _unread(result.broken(), result.plan)
    if unread:  # the target may be in a file that does not read: say that, not "no target"
        files = "、".join(unread)
        raise UserError(
            f"没有找到目标 `{target_id}`，但以下任务文件有错误、未能读取，它可能在其中：{files}。"
            "请先运行 zjtrack check 修正，再记录。",
            f"no target `{target_id}` was found, but these task files have errors and were "
            f"not read, so it may be in one of them: {', '.join(unread)}. Run zjtrack check, "
            "fix them, then record.",
        )
    _not_a_measure(result.plan.documents, target_id)
    raise UserError.of(record_problems(record, targets, as_of))


def _unread(broken: dict[str, int], plan: Plan) -> list[str]:
    """The files with errors that are not progress files: where a target can hide."""
    progress = {r.path for r in plan.records}
    return [
        path
        for path in broken
        if path not in progress and "/progress/" not in path.replace("\\", "/")
    ]


def status_after(
    tasks_dir: Path,
    target_id: str,
    as_of: dt.date,
    lang: str,
    cache: FileCache | None = None,
    plan: Plan | None = None,
) -> str:
    """The target's status as `evaluate` judges it now, in words: `按序时推进，完成率 92%`;
    over `plan` when the caller has loaded the tree since the record was written."""
    from ..evaluate import evaluate
    from ..table import num
    from ..vocab import status_label

    if plan is None:
        plan = load_paths([str(tasks_dir)], cache).plan
    results = evaluate(plan, as_of, only=lambda t: t.id == target_id)
    if not results:
        return ""
    res = results[0]
    text = status_label(res.status, lang, over=res.over)
    if res.completion is not None:
        text += (
            f"，完成率 {num(res.completion)}%"
            if lang == "zh"
            else f", completion {num(res.completion)}%"
        )
    return text
