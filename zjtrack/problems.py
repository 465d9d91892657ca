"""Problems are values: a stable code, a severity, a location and the words to explain it.

Every check in zjtrack reports through `Problem`; nothing in the core raises on bad data. The
catalogue below is the single place where a code gets its severity and its Chinese and English
text, so a code means the same thing in every output format and in the documentation.

A request zjtrack refuses (a bad option value, a record that breaks the rules, a file it cannot
write) is the other kind of failure: the core raises `UserError`, with its words in both
languages, and the command line turns it into a message and an exit code in one place
(`cli.common.edge`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, NamedTuple


class ExitCode(enum.IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    FINDINGS = 1  # problems found (errors, or warnings under --strict), or a --fail-on hit
    USAGE = 2  # bad command line, or a path that cannot be read at all
    INTERNAL = 3  # a bug in zjtrack: please report it


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Entry(NamedTuple):
    """One catalogue entry: what a code means, in both languages."""

    severity: Severity
    zh: str
    en: str
    hint_zh: str = ""
    hint_en: str = ""


E, W = Severity.ERROR, Severity.WARNING

# code -> entry. Codes are stable: tools and CI configurations match on them.
CATALOGUE: dict[str, Entry] = {
    # --- reading the file -------------------------------------------------------------------
    "unreadable": Entry(
        E,
        "无法读取：{reason}",
        "cannot read: {reason}",
        "检查路径与文件权限。",
        "check the path and the file's permissions.",
    ),
    "no-repository": Entry(
        W,
        "找不到该文件所属的任务仓库（上级目录中没有 units.yaml 或 config.yaml），只读取了该文件本身",
        "no task repository found for this file (no units.yaml or config.yaml above it): "
        "read alone",
        "在任务目录（含 units.yaml 的目录）中运行，或用 --root 指定任务目录。",
        "run it inside the tasks folder (the one with units.yaml), or name it with --root.",
    ),
    "truncated": Entry(
        E,
        "文件在一个字符的中间结束（被截断？）",
        "file ends in the middle of a character (truncated?)",
        "从版本库或备份恢复完整文件。",
        "restore the whole file from version control or a backup.",
    ),
    "encoding": Entry(
        E,
        "文件不是 UTF-8 编码（看起来是 {encoding}）",
        "file is not UTF-8 (it looks like {encoding})",
        "请用编辑器“另存为”UTF-8 编码，例如：iconv -f {encoding} -t UTF-8 原文件 > 新文件。",
        "re-save it as UTF-8, e.g. iconv -f {encoding} -t UTF-8 FILE > NEW.",
    ),
    "control-char": Entry(
        E,
        "文件含有不可见的控制字符 {char}",
        "file contains the control character {char}",
        "删除该字符；任务文件只应包含可打印文本。",
        "delete it; task files hold printable text only.",
    ),
    "invisible-char": Entry(
        E,
        "此处有一个{name_zh}（{char}），{why_zh}",
        "there is {name_en} ({char}) here, {why_en}",
        "{fix_zh}",
        "{fix_en}",
    ),
    "too-large": Entry(
        E,
        "文件过大：{size} 字节，上限 {limit} 字节",
        "file too large: {size} bytes, limit {limit}",
        "请按文件或年份拆分为多个任务文件。",
        "split it into several task files (by document or year).",
    ),
    "symlink": Entry(
        E,
        "是符号链接，未读取：zjtrack 只读取仓库内的普通文件，不跟随链接",
        "a symbolic link, not read: zjtrack reads only regular files in the repository",
        "用文件本身替换链接，或把链接移出任务文件夹。",
        "replace the link with the file itself, or move the link out of the task folder.",
    ),
    "not-regular": Entry(
        E,
        "不是普通文件（{kind_zh}），未读取",
        "not a regular file ({kind_en}), not read",
        "任务文件夹中只放普通的 YAML 文件；把它移出去。",
        "a task folder holds only regular YAML files: move it out.",
    ),
    "empty-file": Entry(
        E,
        "文件为空",
        "file is empty",
        "至少写入 `zjtrack: 1` 和文件内容；不需要的文件请删除。",
        "write at least `zjtrack: 1` and the content, or delete the file.",
    ),
    "syntax": Entry(
        E,
        "YAML 语法错误：{detail_zh}",
        "YAML syntax error: {detail}",
        "检查该行及上一行的缩进、冒号和引号；缩进只能用空格。",
        "check indentation, colons and quotes on this line and the one before; indent with spaces.",
    ),
    "too-deep": Entry(
        E,
        "嵌套层级过深（上限 {limit} 层）",
        "nesting too deep (limit {limit} levels)",
        "任务文件的结构不超过几层；请检查缩进或括号是否错位。",
        "task files are only a few levels deep; look for misplaced indentation or brackets.",
    ),
    "too-many-nodes": Entry(
        E,
        "文件中的值过多（上限 {limit} 个）",
        "too many values in one file (limit {limit})",
        "请拆分为多个任务文件。",
        "split it into several task files.",
    ),
    "multiple-documents": Entry(
        E,
        "一个文件中只能有一个 YAML 文档（发现了 `---` 分隔的第二个文档）",
        "only one YAML document per file (found a second one after `---`)",
        "把第二个文档移到单独的文件中。",
        "move the second document into a file of its own.",
    ),
    "duplicate-key": Entry(
        E,
        "键 `{key}` 重复（第一次出现在第 {first_line} 行）",
        "duplicate key `{key}` (first at line {first_line})",
        "删除或合并其中一个；YAML 会悄悄丢掉前一个值。",
        "remove or merge one of them; YAML would silently drop the first value.",
    ),
    "alias": Entry(
        E,
        "不支持锚点和别名（&、*）",
        "anchors and aliases (&, *) are not allowed",
        "把内容直接写出来，每处一份，便于审阅。",
        "write the content out in full, so that reviewers see it.",
    ),
    "merge-key": Entry(
        E,
        "不支持合并键 `<<`",
        "merge keys `<<` are not allowed",
        "把要合并的字段直接写出来。",
        "write the merged fields out in full.",
    ),
    "tag": Entry(
        E,
        "不支持标签 `{tag}`",
        "tag `{tag}` is not allowed",
        "删除该标签；任务文件只包含文本、数字、日期和列表。",
        "remove the tag; task files hold plain text, numbers, dates and lists.",
    ),
    "version": Entry(
        E,
        "缺少或不支持的格式版本：{found}",
        "missing or unsupported format version: {found}",
        "在文件首行写 `zjtrack: 1`。",
        "start the file with `zjtrack: 1`.",
    ),
    # --- structure --------------------------------------------------------------------------
    "missing-field": Entry(
        E,
        "{where}缺少必填字段 `{key}`",
        "{where}missing required field `{key}`",
        "补上 `{key}`，字段说明见 README 的“任务文件格式”。",
        "add `{key}`; the README's task-file format describes it.",
    ),
    "wrong-type": Entry(
        E,
        "`{key}` 应为{expected_zh}，实际是{found_zh}",
        "`{key}` must be {expected_en}, found {found_en}",
        "{hint_zh}",
        "{hint_en}",
    ),
    "renamed-key": Entry(
        W,
        "字段 `{old}` 已改名为 `{new}`",
        "field `{old}` is now called `{new}`",
        "把 `{old}` 改为 `{new}`；旧名仍可读取。",
        "rename `{old}` to `{new}`; the old name still reads.",
    ),
    "unknown-key": Entry(
        E,
        "未知字段 `{key}`{suggestion_zh}",
        "unknown field `{key}`{suggestion_en}",
        "可用字段：{allowed}",
        "allowed fields: {allowed}",
    ),
    "bad-value": Entry(
        E,
        "`{key}` 的值 `{value}` 无效",
        "`{key}` has an invalid value `{value}`",
        "可选值：{allowed}",
        "allowed values: {allowed}",
    ),
    "out-of-range": Entry(
        E,
        "`{key}` 的值 {value} 不在 {low} 到 {high} 之间",
        "`{key}` is {value}, outside {low} to {high}",
        "改为 {low} 到 {high} 之间的值，或删去该设置以使用默认值。",
        "set a value from {low} to {high}, or remove the setting to use the default.",
    ),
    "threshold-order": Entry(
        E,
        "红色预警线 red_gap {red} 小于黄色预警线 yellow_gap {yellow}",
        "red_gap {red} is below yellow_gap {yellow}",
        "red_gap（红）应不小于 yellow_gap（黄）：落后越多，预警越高。两项均按默认值处理。",
        "red_gap must be at least yellow_gap: the further behind, the higher the level. "
        "Both use their defaults until fixed.",
    ),
    "bad-id": Entry(
        E,
        "编号 `{value}` 格式不对",
        "id `{value}` is malformed",
        "编号只能用小写字母、数字、`-` 和 `.`，以字母或数字开头，例如 hd-5-1。",
        "ids use lowercase letters, digits, `-` and `.`, starting with a letter or digit: hd-5-1.",
    ),
    # --- references -------------------------------------------------------------------------
    "duplicate-id": Entry(
        E,
        "编号 `{id}` 重复（另见 {other}）",
        "duplicate id `{id}` (also at {other})",
        "每个文件、措施和目标的编号在 tasks/ 中必须唯一。",
        "document, measure and target ids must be unique across tasks/.",
    ),
    "unknown-unit": Entry(
        E,
        "单位 `{name}` 不在单位名录中{suggestion_zh}",
        "unit `{name}` is not in the units registry{suggestion_en}",
        "在 units.yaml 中登记该单位，或把它加为已有单位的别名。",
        "register it in units.yaml, or add it as an alias of an existing unit.",
    ),
    "duplicate-unit": Entry(
        E,
        "单位名称或别名 `{name}` 重复（另见 {other}）",
        "unit name or alias `{name}` is used twice (also at {other})",
        "一个名称只能指向一个单位；同名的不同单位请设置不同的 region。",
        "a name may mean one unit only; give same-named units of different cities their region.",
    ),
    "unknown-target": Entry(
        E,
        "目标 `{id}` 不存在{suggestion_zh}",
        "no target `{id}`{suggestion_en}",
        "用 `zjtrack targets` 查看所有目标编号。",
        "run `zjtrack targets` to list target ids.",
    ),
    "bad-reference": Entry(
        E,
        "进展记录{verb_zh}的 `{ref}` {reason_zh}",
        "the record {verb_en} `{ref}`, which {reason_en}",
        "引用写被更正记录的日期（2026-11-20）；同日有多条时写 日期:行号（2026-11-20:57）。",
        "name the earlier record by its date (2026-11-20), or date:line when a day has several.",
    ),
    "record-value": Entry(
        E,
        "目标 `{id}` 是{kind_zh}，进展记录应写 `{expected}`",
        "target `{id}` is a {kind_en}: the record needs `{expected}`",
        "数量目标写 value: 数字；里程碑写 done: true 或 false。",
        "a quantity takes value: NUMBER; a milestone takes done: true or false.",
    ),
    "future-record": Entry(
        E,
        "进展记录的日期 {date} 晚于统计日期 {as_of}",
        "record dated {date}, after the as-of date {as_of}",
        "进展只能记录已经发生的情况；核对日期，或用 --as-of 指定统计日期。",
        "records describe what has happened; check the date, or set --as-of.",
    ),
    "unknown-entity": Entry(
        E,
        "`{entity}` 不在目标 `{id}` 的对象范围内（{allowed}）",
        "`{entity}` is not one of target `{id}`'s entities ({allowed})",
        "按目标的 entities 列表填写 entity；不分对象的目标不写 entity。",
        "use a name from the target's entities; targets not per entity take no entity.",
    ),
    "missing-entity": Entry(
        E,
        "目标 `{id}` 按对象考核（{allowed}），进展记录应写 `entity`",
        "target `{id}` is judged per entity ({allowed}): the record needs `entity`",
        "每个对象一条记录，entity 写对象名称（zjtrack record 用 --entity）。",
        "one record per entity, naming it in entity (zjtrack record: --entity).",
    ),
    "entities-undeclared": Entry(
        E,
        "目标 `{id}` 按对象考核（{each}），但没有登记对象名单，单个对象的报送不能代表整体",
        "target `{id}` is judged per entity ({each}) but its entities are not listed: one "
        "entity's report cannot stand for the whole",
        "在任务文件的 entities、专班决定文件的 decisions.entities，或单位名录中该集合单位的 members 中登记对象名单。",
        "list them: in the task file's entities, in a decisions file (decisions.entities), or as "
        "the members of the collective unit in units.yaml.",
    ),
    "decision-conflict": Entry(
        E,
        "文件已规定目标 `{id}` 的{what_zh}，专班决定不能改写文件原文",
        "the document already sets {what_en} for target `{id}`: a group decision cannot rewrite it",
        "删除这项决定；文件规定的内容只能按文件修改。",
        "remove the decision; what the document says changes only with the document.",
    ),
    # --- dates ------------------------------------------------------------------------------
    "bad-date": Entry(
        E,
        "`{key}` 的日期 `{value}` 无效：{reason_zh}",
        "`{key}` has an invalid date `{value}`: {reason_en}",
        "写成 ISO 日期（2025-06-30）或文件中的说法（2025年底、2025年6月底前、“十四五”期间）。",
        "write an ISO date (2025-06-30) or the document's words (2025年底, 2025年6月底前, “十四五”期间).",
    ),
    "deadline-before-start": Entry(
        E,
        "完成时限 {deadline} 早于开始时间 {start}",
        "deadline {deadline} is before the start {start}",
        "核对原文中的起止时间。",
        "check both dates against the document.",
    ),
    "tracked-before-issued": Entry(
        W,
        "文件 `{id}` 的纳入跟踪日期 {tracked_from} 早于印发日期 {issued}",
        "document `{id}` is tracked from {tracked_from}, before it was issued on {issued}",
        "tracked_from 写工作专班开始跟踪该文件的日期（zjtrack import 写导入当天）。",
        "tracked_from is the day the working group began tracking it (zjtrack import writes the day of import).",
    ),
    "tracked-from-future": Entry(
        W,
        "文件 `{id}` 的纳入跟踪日期 {tracked_from} 晚于统计日期 {as_of}：此前各周的周报都不含该文件",
        "document `{id}` is tracked from {tracked_from}, after the as-of date {as_of}: "
        "no weekly report before then includes it",
        "核对 tracked_from（zjtrack import 写导入当天）；文件已开始跟踪就写那一天。",
        "check tracked_from (zjtrack import writes the day of import): the day tracking began.",
    ),
    "no-deadline": Entry(
        W,
        "目标 `{id}` 没有完成时限",
        "target `{id}` has no deadline",
        "若文件规定了时限请填写 deadline；若未规定，写 deadline_reason: 文件未规定完成时限。",
        "set deadline if the document gives one; otherwise write deadline_reason saying it gives none.",
    ),
    # --- targets ----------------------------------------------------------------------------
    "missing-value": Entry(
        E,
        "比较方式 `{comparator}` 需要 `{key}`",
        "comparator `{comparator}` needs `{key}`",
        "补上数值；没有数值的目标请写 kind: milestone。",
        "add the number; a target without a number is a milestone (kind: milestone).",
    ),
    "range-inverted": Entry(
        E,
        "区间下限 {value} 大于上限 {value_max}",
        "range minimum {value} is above its maximum {value_max}",
        "value 是下限，value_max 是上限。",
        "value is the lower bound, value_max the upper.",
    ),
    "percent-over-100": Entry(
        E,
        "百分比 {value}% 不在 0 到 100 之间",
        "percentage {value}% is not between 0 and 100",
        "核对原文；百分比目标在 0 到 100 之间。",
        "check the document; a percentage lies between 0 and 100.",
    ),
    "milestone-with-value": Entry(
        E,
        "里程碑目标不能有 `{key}`",
        "a milestone cannot have `{key}`",
        "有数值的目标写 comparator 和 value（kind 可省略）。",
        "a target with a number takes comparator and value (kind may be left out).",
    ),
    "field-not-applicable": Entry(
        E,
        "`{key}` 只用于比较方式 {applies}",
        "`{key}` applies only to comparator {applies}",
        "删除该字段或改正 comparator。",
        "remove it or correct the comparator.",
    ),
    "no-lead-unit": Entry(
        W,
        "措施 `{id}` 没有牵头单位",
        "measure `{id}` has no lead unit",
        "填写 lead_units；文件未明确牵头单位时写 lead_units: [] 并在 note 中说明。",
        "fill lead_units; if the document names none, write lead_units: [] and say so in note.",
    ),
    "needs-review": Entry(
        W,
        "`{id}` 有待人工核对的内容：{note}",
        "`{id}` has a guess to review: {note}",
        "核对原文后改正并删去 note 开头的“待核”。",
        "check it against the document, fix it, and drop the leading 待核 from note.",
    ),
    "no-targets": Entry(
        W,
        "措施 `{id}` 没有目标",
        "measure `{id}` has no targets",
        "为措施添加目标，或在 note 中说明为何没有可跟踪的目标。",
        "add its targets, or say in note why it has nothing to track.",
    ),
    "empty-text": Entry(
        E,
        "`{key}` 不能为空",
        "`{key}` must not be empty",
        "填写内容，或删除该字段；quote 须逐字引用原文。",
        "fill it in or remove the key; a quote is the document's sentence, verbatim.",
    ),
    # --- consequences (`checks.arrange`) -----------------------------------------------------
    "cascade": Entry(
        E,
        "本文件未能完整读取，因此{what_zh}共 {count} 处，未逐一列出（{where_zh}）",
        "this file did not load in full, so {what_en}: {count}, not listed one by one ({where_en})",
        "先修正本文件的错误，再运行 zjtrack check：这些问题会随之消失，或逐一列出。",
        "fix this file's errors first, then run zjtrack check again: they go away, or are "
        "listed one by one.",
    ),
    # --- returned forms (zjtrack intake) ------------------------------------------------------
    "form-unreadable": Entry(
        E,
        "无法作为报送表读取：{reason_zh}",
        "cannot be read as a form: {reason_en}",
        "用 Excel 或 WPS 打开 zjtrack form 生成的表格，填写后“另存为”xlsx 再发回。",
        "open the form zjtrack form wrote in Excel or WPS, fill it in and save it as xlsx.",
    ),
    "form-too-large": Entry(
        E,
        "文件过大：{what_zh}（上限 {limit}）",
        "file too large: {what_en} (limit {limit})",
        "报送表只有几百行；请用原表格填写，不要粘贴大段内容或图片。",
        "a form has a few hundred rows; fill in the form itself, without pasted pictures or bulk text.",
    ),
    "form-unknown": Entry(
        E,
        "不是 zjtrack 生成的报送表：{reason_zh}",
        "not a form written by zjtrack: {reason_en}",
        "请在 zjtrack form 生成的表格上填写，勿复制到新文件。",
        "fill in the form zjtrack form wrote; do not copy it into a new file.",
    ),
    "form-period": Entry(
        E,
        "这是 {got} 期的报送表，本次收取的是 {want} 期",
        "this is the form for period {got}; this intake is for {want}",
        "请用本期的表格重新填报，或用 --period {got} 收取上一期的表格。",
        "fill in this period's form, or take it with --period {got}.",
    ),
    "form-unit": Entry(
        E,
        "这是 {got} 的报送表，不是 {want} 的",
        "this is the form of {got}, not of {want}",
        "请每个单位填写自己的报送表（文件中隐藏的单位名称为准）。",
        "each unit fills in its own form (the unit written inside the file counts).",
    ),
    "form-locked": Entry(
        E,
        "锁定单元格被改动：原为“{was}”，现为“{now}”",
        "a locked cell was changed: it was “{was}”, it is “{now}”",
        "灰色单元格由工作专班填写，请恢复原内容或重新下载表格后填写。",
        "grey cells are the working group's: restore the content or start from a fresh form.",
    ),
    "form-tampered": Entry(
        E,
        "表格的隐藏校验信息被改动，无法确认表格内容",
        "the form's hidden check data was changed: its content cannot be trusted",
        "请在重新下载的表格上填写。",
        "fill in a freshly written form.",
    ),
    "form-formula": Entry(
        E,
        "单元格含公式 `{formula}`",
        "the cell holds a formula `{formula}`",
        "请直接填写数值或文字，不用公式（可复制后“选择性粘贴 → 数值”）。",
        "type the value itself, not a formula (copy, then Paste Special → Values).",
    ),
    "form-hidden": Entry(
        E,
        "{what_zh}被隐藏",
        "{what_en} is hidden",
        "取消隐藏后再发回；隐藏的内容不会被收取。",
        "unhide it and send the file again; hidden content is never taken.",
    ),
    "form-row-missing": Entry(
        E,
        "编号 {id}{entity} 的行被删除或移动了",
        "the row of {id}{entity} was deleted or moved",
        "请勿删除、插入或排序行；不报送的行留空即可。",
        "do not delete, insert or sort rows; leave a row empty to skip it.",
    ),
    "form-row-added": Entry(
        E,
        "多出的行（表格只有 {rows} 行）",
        "an added row (the form has {rows} rows)",
        "删除该行；需要新增的任务请联系工作专班。",
        "delete it; ask the working group to add a target.",
    ),
    "form-merged": Entry(
        E,
        "合并单元格 {range}",
        "merged cells {range}",
        "取消合并；每个单元格单独填写。",
        "unmerge them; fill in each cell on its own.",
    ),
    "form-sheet-added": Entry(
        E,
        "多出工作表 `{sheet}`",
        "an added sheet `{sheet}`",
        "删除该工作表；说明材料请另附文件。",
        "delete it; send other material as a separate file.",
    ),
    "form-too-long": Entry(
        E,
        "单元格内容过长：{length} 字，上限 {limit} 字",
        "the cell is too long: {length} characters, limit {limit}",
        "精简文字；详细材料请另附文件。",
        "shorten it; send details as a separate file.",
    ),
    "form-value": Entry(
        E,
        "本期数值 `{value}` 不是{expected_zh}",
        "the value `{value}` is not {expected_en}",
        "{hint_zh}",
        "{hint_en}",
    ),
    "form-formula-text": Entry(
        E,
        "内容以 `=` 开头，会被当作公式：`{text}`",
        "the text starts with `=` and would be taken for a formula: `{text}`",
        "去掉开头的 `=`。",
        "remove the leading `=`.",
    ),
}


class Problem(NamedTuple):
    """A finding at a place in a file. `args` fill the catalogue's message templates."""

    code: str
    path: str
    line: int = 0  # 1-based; 0 when the problem concerns the whole file
    column: int = 0
    args: tuple[tuple[str, Any], ...] = ()

    @property
    def entry(self) -> Entry:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return self.entry.severity

    def message(self, lang: str = "zh") -> str:
        entry = self.entry
        return _fill(entry.zh if lang == "zh" else entry.en, self.args)

    def hint(self, lang: str = "zh") -> str:
        """How to fix it: the catalogue's hint, or the one the problem was made with
        (`hint_zh`, `hint_en`) where the catalogue's names no place for it: a record's date
        refused as `bad-date` is told to write a day, not the document's wording a task
        file's deadline may use."""
        entry = self.entry
        key = "hint_zh" if lang == "zh" else "hint_en"
        template = entry.hint_zh if lang == "zh" else entry.hint_en
        given = dict(self.args).get(key)
        if given and "{" + key + "}" not in template:
            return str(given)
        return _fill(template, self.args)

    @property
    def unread(self) -> bool:
        """A file not read at all (missing, unreadable, a link, a special file): exit 2."""
        return self.code in ("unreadable", "symlink", "not-regular")

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, args: tuple[tuple[str, Any], ...]) -> str:
    return template.format_map(_Blank(args))


def problem(code: str, path: str, line: int = 0, column: int = 0, **args: Any) -> Problem:
    """Build a problem; keyword arguments fill the message templates."""
    if code not in CATALOGUE:  # a programming error, not bad data
        raise KeyError(code)
    return Problem(code, path, line, column, tuple(sorted(args.items())))


def at(pos: Any, code: str, **args: Any) -> Problem:
    """A problem at a model position (`model.Pos`)."""
    return problem(code, pos.path, pos.line, pos.column, **args)


class UserError(ValueError):
    """A request refused, nothing done: what went wrong in Chinese (`zh`) and English (`en`).

    `option` is the command-line option it concerns (`--as-of`): the CLI then shows it as typer
    shows a bad parameter (usage, then `Invalid value for --as-of: …`, exit 2); without one, the
    message alone goes to stderr and the process exits with `exit_code`. `problems` are the
    catalogue problems the words were made from, when there are some (a refused record)."""

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        option: str | None = None,
        exit_code: int = ExitCode.USAGE,
        problems: Iterable[Problem] = (),
    ) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en
        self.option = option
        self.exit_code = int(exit_code)
        self.problems = tuple(problems)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    @classmethod
    def of(cls, problems: Iterable[Problem], **kwargs: Any) -> UserError:
        """Refuse with catalogue problems that have no place in a file yet (a record not yet
        written): one `error[code] message` line each, then its hint, as `check` prints them."""
        found = tuple(problems)
        return cls(_lines(found, "zh"), _lines(found, "en"), problems=found, **kwargs)


def nearest(word: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.5) -> list[str]:
    """The choices closest to a mistyped word (the one "did you mean" rule of zjtrack)."""
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def unknown(
    what: tuple[str, str], word: str, choices: Iterable[str], option: str | None
) -> UserError:
    """A name that names nothing (`--unit 市教育厅`): a usage error (exit 2) with the nearest
    names, and all of them when they are few. `what` is the kind of name, in zh and en."""
    names = sorted(set(choices))
    close = nearest(word, names, n=3)
    zh = f"没有{what[0]} `{word}`"
    en = f"no {what[1]} `{word}`"
    if close:
        zh += "，是否是 " + "、".join(f"`{c}`" for c in close) + "？"
        en += "; did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
    elif names and len(names) <= 12:
        zh += "；可用：" + "、".join(names)
        en += "; use one of: " + ", ".join(names)
    return UserError(zh, en, option=option)


_LABELS = {"zh": ("错误", "警告", "提示"), "en": ("error", "warning", "hint")}


def _lines(problems: tuple[Problem, ...], lang: str) -> str:
    error, warning, hint_label = _LABELS[lang]
    out = []
    for p in problems:
        label = error if p.severity is Severity.ERROR else warning
        out.append(f"{label}[{p.code}] {p.message(lang)}")
        hint = p.hint(lang)
        if hint:
            out.append(f"  = {hint_label}: {hint}")
    return "\n".join(out)
