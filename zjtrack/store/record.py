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
from typing import TYPE_CHECKING

from ..checks import record_problems
from ..dates import parse_iso
from ..load.loader import load_paths, load_text
from ..model import Document, ProgressRecord, Target, TargetKind
from ..problems import ExitCode, UserError, problem
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
    value: str,
    *,
    as_of: dt.date,
    date: str | None = None,
    source: str | None = None,
    by: str | None = None,
    note: str | None = None,
    entity: str | None = None,
    problems: str | None = None,
    next_steps: str | None = None,
    cache: FileCache | None = None,
) -> Path:
    """Validate and append; returns the progress file written. `date` defaults to `as_of`, and
    may not be after it. Raises UserError, writing nothing."""
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
        when = parse_iso(date) if date else as_of
    except UserError as e:
        raise UserError.of(
            [problem("bad-date", WHERE, key="date", value=date, reason_zh=e.zh, reason_en=e.en)]
        ) from None

    result = load_paths([str(tasks_dir)], cache)
    targets: dict[str, Target] = {}
    documents: dict[str, Document] = {}
    for d, _, t in result.plan.all_targets():  # a duplicated id (check reports it): the first
        targets.setdefault(t.id, t)
        documents.setdefault(t.id, d)
    target = targets.get(target_id)
    if target is None:
        raise UserError.of(record_problems(ProgressRecord(target_id, when), targets, as_of))
    number, done = _value(target, value)
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
        recorded_at=as_of,  # recorded on the as-of date (today, unless --as-of says otherwise)
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
        journal.append(path, doc.id, new)
    except OSError as e:
        raise UserError(
            f"无法写入 {path}：{e.strerror or e}（文件未改动）",
            f"cannot write {path}: {e.strerror or e} (file left unchanged)",
        ) from None
    return path


def _value(target: Target, value: str) -> tuple[float | None, bool | None]:
    """VALUE as the record's `value` or `done`: a done word, or a number (`88%` for a percentage).
    Which of the two the target takes is `record_problems`' rule; a VALUE that is neither is
    refused here, in the words of the target's kind."""
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
