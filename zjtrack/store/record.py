"""`zjtrack record`: validate a new progress record against the plan, then append it."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from ..dates import parse_iso
from ..load.loader import load_paths, load_text
from ..model import TargetKind
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


def record_progress(  # noqa: C901 - validation steps in the order the user reads their errors
    tasks_dir: Path,
    target_id: str,
    value: str,
    *,
    today: dt.date,
    date: str | None = None,
    source: str | None = None,
    by: str | None = None,
    note: str | None = None,
    entity: str | None = None,
    problems: str | None = None,
    next_steps: str | None = None,
    cache: FileCache | None = None,
) -> Path:
    """Validate and append; returns the progress file written. Raises UserError, writing nothing."""
    if not tasks_dir.is_dir():
        raise UserError(
            f"任务目录 {tasks_dir} 不存在", f"tasks directory {tasks_dir} does not exist"
        )
    result = load_paths([str(tasks_dir)], cache)
    found = [(d, t) for d, _, t in result.plan.all_targets() if t.id == target_id]
    if not found:
        ids = [t.id for _, _, t in result.plan.all_targets()]
        close = difflib.get_close_matches(target_id, ids, n=1)
        raise UserError(
            f"没有目标 `{target_id}`"
            + (f"，是否是 `{close[0]}`？" if close else "（zjtrack targets 可列出全部编号）"),
            f"no target `{target_id}`"
            + (f"; did you mean `{close[0]}`?" if close else " (zjtrack targets lists them)"),
        )
    doc, target = found[0]

    try:
        when = parse_iso(date) if date else today
    except UserError as e:
        raise UserError(f"日期 `{date}` 无效：{e.zh}", f"invalid date `{date}`: {e.en}") from None
    if when > today:
        raise UserError(
            f"日期 {when} 晚于今天 {today}：进展只能记录已经发生的情况",
            f"date {when} is after today {today}: records describe what has happened",
        )

    number: float | None = None
    done: bool | None = None
    if target.kind is TargetKind.MILESTONE:
        done = DONE_WORDS.get(value.strip().lower())
        if done is None:
            raise UserError(
                f"`{target_id}` 是里程碑：值写 done/完成 或 not-done/未完成，而不是 `{value}`",
                f"`{target_id}` is a milestone: the value is done or not-done, not `{value}`",
            )
    else:
        raw = value.strip().rstrip("%") if target.is_percent else value.strip()
        try:
            number = float(raw)
        except ValueError:
            raise UserError(
                f"`{target_id}` 是数量目标（{target.unit}）：值应为数字，而不是 `{value}`",
                f"`{target_id}` is a quantity ({target.unit}): the value is a number, not `{value}`",
            ) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise UserError("值必须是有限的数字", "the value must be a finite number")
        if target.is_percent and not 0 <= number <= 100:
            raise UserError(
                f"百分比 {value} 不在 0 到 100 之间", f"percentage {value} is not between 0 and 100"
            )

    if target.per_entity and not entity:
        allowed = "、".join(target.entities or ()) or target.each or ""
        raise UserError(
            f"`{target_id}` 按对象考核（{allowed}）：请用 --entity 指明对象",
            f"`{target_id}` is judged per entity ({allowed}): name one with --entity",
        )
    if entity and not target.per_entity:
        raise UserError(
            f"`{target_id}` 不分对象考核，不能写 --entity",
            f"`{target_id}` is not per entity: drop --entity",
        )
    if entity and target.entities is not None and entity not in target.entities:
        raise UserError(
            f"`{entity}` 不在 `{target_id}` 的对象中：" + "、".join(target.entities),
            f"`{entity}` is not one of `{target_id}`'s entities: " + ", ".join(target.entities),
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
        if text is None:
            continue
        if not text.strip():
            raise UserError(f"{option} 不能为空", f"{option} must not be empty")
        if any("\ud800" <= ch <= "\udfff" for ch in text):
            raise UserError(
                f"{option} 含有无效的字符编码（终端不是 UTF-8？）",
                f"{option} holds invalid characters (is the terminal not UTF-8?)",
            )
    new = journal.NewRecord(
        target_id, when, number, done, entity, source, by, note, problems, next_steps
    )
    # Belt and braces: the exact text about to be appended must read back as this very record.
    text = journal.HEADER.format(doc=doc.id, doc_json='"x"') + journal.render_record(new)
    back = load_text(text, "<record>")
    if back.problems or len(back.records) != 1 or not _same(back.records[0], new):
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


def _same(read: object, new: journal.NewRecord) -> bool:
    return all(getattr(read, k) == getattr(new, k) for k in new.__dataclass_fields__)
