"""Every word zjtrack shows a person, in Chinese and English: status and level labels, column
headings, report words. One place, so a term reads the same in every view, report and format.

`word(key, lang)` looks a word up; `{name}` fields are filled from keyword arguments.
"""

from __future__ import annotations

from .evaluate import Level, Status

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.OVERDUE: ("逾期未完成", "overdue"),
    Status.BEHIND: ("滞后序时", "behind schedule"),
    Status.NO_DATA: ("无进展数据", "no data"),
    Status.IN_PROGRESS: ("已启动", "in progress"),
    Status.ON_TRACK: ("按序时推进", "on schedule"),
    Status.DONE_LATE: ("逾期完成", "done late"),
    Status.DONE: ("已完成", "done"),
}
LEVEL_LABELS: dict[Level, tuple[str, str]] = {
    Level.RED: ("红", "red"),
    Level.YELLOW: ("黄", "yellow"),
    Level.BLUE: ("蓝", "blue"),
}
NO_DATA_SUFFIX = ("（无进展数据）", " (no data)")  # after 逾期未完成 when nothing was ever recorded
OVER_SUFFIX = ("（超出目标）", " (exceeds target)")  # a value above what "= N", "约N", "N—M" allow

# Words a person may type for a status or a level (`--status 逾期`, `--level 红`), to the code.
STATUS_WORDS = {
    "overdue": "overdue", "逾期": "overdue", "逾期未完成": "overdue",
    "behind": "behind", "滞后": "behind", "滞后序时": "behind",
    "no_data": "no_data", "无进展数据": "no_data", "未启动": "no_data",
    "in_progress": "in_progress", "已启动": "in_progress", "推进中": "in_progress",
    "on_track": "on_track", "按序时推进": "on_track",
    "done_late": "done_late", "逾期完成": "done_late",
    "done": "done", "已完成": "done",
}  # fmt: skip
LEVEL_WORDS = {
    "red": "red", "红": "red", "yellow": "yellow", "黄": "yellow", "blue": "blue", "蓝": "blue",
}  # fmt: skip

WORDS: dict[str, tuple[str, str]] = {
    "title": ("政策任务落实情况周报", "Weekly Report on the Implementation of Policy Tasks"),
    "unit": ("工作专班办公室", "Work Group Office"),
    "issue": ("第{n}期", "No. {n}"),
    "period": ("统计周期", "Period"),
    "as_of": ("统计截至", "As of"),
    "reporter": ("报送单位", "Reported by"),
    "scope": ("统计范围", "Documents"),
    "s1": ("一、总体情况", "1. Overview"),
    "s2": ("二、本周工作进展", "2. Progress this week"),
    "s3": ("三、存在问题及需协调事项", "3. Problems and matters needing coordination"),
    "s4": ("四、下周工作安排", "4. Plans for the coming weeks"),
    "a1": ("附件1 督办清单", "Annex 1. Supervision list"),
    "a2": ("附件2 各牵头单位任务落实情况", "Annex 2. Targets by lead unit"),
    "no": ("序号", "No."),
    "id": ("任务编号", "ID"),
    "task": ("重点任务", "Task"),
    "measure": ("措施", "Measure"),
    "target": ("目标", "Target"),
    "quant": ("量化目标", "Quantified target"),
    "lead": ("牵头单位", "Lead units"),
    "responsible_units": ("责任单位", "Responsible units"),
    "deadline": ("完成时限", "Deadline"),
    "days_late": ("逾期天数", "Days late"),
    "days_left": ("剩余天数", "Days left"),
    "completion": ("完成率", "Completion"),
    "cum_completion": ("累计完成率", "Completion to date"),
    "time_elapsed": ("序时进度", "Time elapsed"),
    "status": ("完成状态", "Status"),
    "level": ("预警等级", "Level"),
    "latest": ("最新进展", "Latest record"),
    "progress_text": ("进展情况", "Progress report"),
    "problems": ("存在问题", "Problems"),
    "next_steps": ("下步打算", "Next steps"),
    "updated": ("更新日期", "Updated"),
    "date": ("日期", "Date"),
    "reported": ("报送日期", "Reported"),
    "record": ("本周进展", "Record"),
    "role": ("职责", "Role"),
    "role_lead": ("牵头", "lead"),
    "role_resp": ("责任", "responsible"),
    "category": ("类别", "Category"),
    "item": ("项目", "Item"),
    "count": ("本周", "This week"),
    "share": ("占比", "Share"),
    "prev": ("上周", "Last week"),
    "delta": ("增减", "Change"),
    "cat_status": ("状态", "status"),
    "cat_level": ("预警", "level"),
    "total": ("合计", "total"),
    "red": ("红色督办", "red"),
    "yellow": ("黄色预警", "yellow"),
    "blue": ("蓝色提示", "blue"),
    "targets": ("牵头目标", "Targets"),
    "done_share": ("完成占比", "Share done"),
    "no_lead": ("（未明确牵头单位）", "(no lead unit named)"),
    "empty_records": ("本周无新增进展记录。", "No progress was recorded this week."),
    "empty_problems": ("各单位未报送存在问题。", "No unit has reported problems."),
    "empty_due": ("未来四周无到期任务。", "Nothing falls due in the next four weeks."),
    "empty_steps": ("各单位未报送下步打算。", "No unit has reported next steps."),
    "empty_red": ("无逾期或滞后事项。", "Nothing is overdue or behind schedule."),
    "empty_blue": ("无即将到期事项。", "Nothing falls due soon."),
    "empty_units": ("没有目标。", "There are no targets."),
    "empty_targets": ("没有目标。", "There are no targets."),
    "sheet_overview": ("总体情况", "Overview"),
    "sheet_records": ("本周进展", "Progress"),
    "sheet_late": ("补报", "Filed late"),
    "late_title": (
        "补报以前日期的进展（本周报送、所述日期在本周之前）",
        "Filed late: recorded this week for earlier dates",
    ),
    "late_change": ("对上周状态的影响", "Change to last week's status"),
    "late_unchanged": ("无变化", "unchanged"),
    "sheet_problems": ("存在问题", "Problems"),
    "sheet_due": ("下周到期", "Next 4 weeks"),
    "sheet_steps": ("下步打算", "Next steps"),
    "sheet_red": ("督办清单", "Supervision"),
    "sheet_blue": ("即将到期", "Due soon (blue)"),
    "sheet_units": ("单位情况", "Units"),
    "sheet_ledger": ("工作台账", "Ledger"),
    "sheet_notice": ("督办事项", "Items"),
    "source": ("来源", "source"),
    "by": ("报送", "by"),
    "done": ("完成", "done"),
    "not_done": ("未完成", "not done"),
    "entities_met": ("达标对象 {m}/{n}", "{m} of {n} entities meet it"),
    "extended": ("（延期至 {d}）", " (extended to {d})"),
    "ledger_title": ("工作台账", "Task Ledger"),
    "notice_title": ("督办通知单", "Supervision Notice"),
    # the imprint (版记) at the end of a printed weekly report
    "report_to": ("报", "To"),
    "send_to": ("送", "Cc"),
    "report_to_default": ("工作专班领导小组", "the leading group"),
    "send_to_default": ("各牵头单位、责任单位", "the lead and responsible units"),
    "issued": ("{unit}编发", "Issued by {unit}"),
    "cut_off": ("统计截至{d}", "As of {d}"),
    "page": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "notice_no": ("编号", "No."),
    "notice_to": ("督办对象", "To"),
    "notice_from": ("督办单位", "From"),
    "notice_date": ("日期", "Date"),
    "decided": ("（专班确定）", " (set by the working group)"),
    "notice_cc": ("抄送", "Copy to"),
    "notice_reply_by": ("反馈时限", "Reply by"),
    "seal": ("（盖章）", " (seal)"),
    "notice_items": ("督办事项", "Items"),
    # returns of units' forms (报送情况): zjtrack reported, the weekly report's section, reminders
    "s5": ("五、报送情况", "5. Returns"),
    "returns_title": ("报送情况", "Returns"),
    "on_time": ("按时报送", "on time"),
    "late": ("逾期报送", "late"),
    "missing": ("未报送", "not reported"),
    "returns_text": (
        "{period} 期应报送 {n} 个单位（{due} 前）：按时报送 {on_time} 个，逾期报送 {late} 个，未报送 {missing} 个。",
        "{period}: {n} units due to report by {due}: {on_time} on time, {late} late, {missing} not reported.",
    ),
    "returns_missing": ("未报送单位：{units}。", "Not reported: {units}."),
}


# Column headings of the views (shorter than the reports' where a terminal is narrow).
VIEW_WORDS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "clause": ("条款", "Clause"),
    "target": ("目标", "Target"),
    "deadline_text": ("完成时限", "Deadline"),
    "lead_units": ("牵头单位", "Lead units"),
    "responsible_units": ("责任单位", "Responsible units"),
    "completion": ("完成率", "Completion"),
    "time_elapsed": ("序时进度", "Time elapsed"),
    "status_label": ("状态", "Status"),
    "level_label": ("预警", "Level"),
    "latest_text": ("最新进展", "Latest record"),
    "days_late": ("逾期天数", "Days late"),
    "days_left": ("剩余天数", "Days left"),
    "unit": ("单位", "Unit"),
    "leads": ("牵头目标", "Leads"),
    "shares": ("参与目标", "Shares"),
    "done": ("已完成", "Done"),
    "done_late": ("逾期完成", "Done late"),
    "on_track": ("按序时推进", "On schedule"),
    "in_progress": ("已启动", "In progress"),
    "behind": ("滞后序时", "Behind"),
    "overdue": ("逾期未完成", "Overdue"),
    "no_data": ("无进展数据", "No data"),
    "avg_completion": ("平均完成率", "Avg completion"),
    "state_label": ("报送情况", "Returned"),
    "rows": ("报送行数", "Rows"),
    "expected": ("应报行数", "Rows asked"),
    "taken_on": ("收取日期", "Taken on"),
    "period": ("期次", "Period"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def word(key: str, lang: str, **fields: object) -> str:
    """A report word (`WORDS`) in the language, with `{name}` fields filled."""
    text = _pick(WORDS[key], lang)
    return text.format(**fields) if fields else text


def view_word(key: str, lang: str) -> str:
    """A view's column heading."""
    return _pick(VIEW_WORDS[key], lang)


def status_label(
    status: Status, lang: str, *, never_recorded: bool = False, over: bool = False
) -> str:
    """逾期未完成, or 逾期未完成（无进展数据） when an overdue target was never reported on;
    已完成（超出目标） when the value is above what an exact, approximate or range target allows."""
    text = _pick(STATUS_LABELS[status], lang)
    if never_recorded:
        text += _pick(NO_DATA_SUFFIX, lang)
    return text + _pick(OVER_SUFFIX, lang) if over else text


def level_label(level: Level | None, lang: str) -> str:
    return _pick(LEVEL_LABELS[level], lang) if level is not None else ""
