"""The task-file format as data: one table per object, read by the loader and the schema writer.

Keeping the format in one table means the checker, `zjtrack schema` and the documentation test can
never disagree about which keys exist, which are required, and what type each takes.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_VERSION = 1

COMPARATORS = (">=", ">", "<=", "<", "=", "approx", "range")
# The signs the views print, read as their ASCII forms in task files.
COMPARATOR_SIGNS = {"≥": ">=", "≤": "<=", "＝": "=", "～": "approx", "＞": ">", "＜": "<"}
TARGET_KINDS = ("quantity", "milestone")
MEASURE_KINDS = ("task", "goals", "safeguards")
UNIT_KINDS = (
    "department",
    "government",
    "party",
    "committee",
    "college",
    "school",
    "enterprise",
    "collective",
    "other",
)


@dataclass(frozen=True)
class Field:
    """One key of an object. `type` is one of the names in TYPE_NAMES."""

    key: str
    type: str
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    item: str | None = None  # for "object" and "list": the spec of the nested object
    nullable: bool = False
    bounds: tuple[float, float] | None = None  # numbers: the range allowed, both ends included


REPORTING_PERIODS = ("weekly", "monthly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# type -> (Chinese, English) name, used in messages
TYPE_NAMES: dict[str, tuple[str, str]] = {
    "version": ("格式版本号 1", "the format version 1"),
    "text": ("文本", "text"),
    "id": ("编号", "an id"),
    "date": ("ISO 日期（YYYY-MM-DD）", "an ISO date (YYYY-MM-DD)"),
    "stamp": (
        "ISO 日期或日期时间（YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SS）",
        "an ISO date or date and time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)",
    ),
    "when": ("日期或时间表述", "a date or a date expression"),
    "number": ("数字", "a number"),
    "count": ("整数", "a whole number"),
    "week": ("ISO 周（如 2026-W01）", "an ISO week (e.g. 2026-W01)"),
    "bool": ("true 或 false", "true or false"),
    "enum": ("规定的取值之一", "one of the allowed values"),
    "names": ("单位名称列表", "a list of unit names"),
    "texts": ("文本列表", "a list of text"),
    "object": ("映射（键: 值）", "a mapping (key: value)"),
    "list": ("列表", "a list"),
}

_RESPONSIBILITY = (
    Field("lead_units", "names", "牵头单位 lead units, as the document names them"),
    Field("responsible_units", "names", "责任单位 responsible units"),
    Field("lead_colleges", "names", "牵头职业院校 lead colleges"),
    Field("lead_enterprises", "names", "牵头企业 lead enterprises, when named"),
    Field("lead_enterprise_rule", "text", "牵头企业 when a rule picks them, verbatim"),
    Field("supporting_units", "names", "配合单位 supporting units"),
    Field("responsibility_quote", "text", "verbatim prose that assigns responsibility"),
)

SPECS: dict[str, tuple[Field, ...]] = {
    "units_file": (
        Field("zjtrack", "version", "format version", required=True),
        Field("units", "list", "the units registry", required=True, item="unit"),
    ),
    "unit": (
        Field("name", "text", "canonical name, unique", required=True),
        Field("kind", "enum", "what kind of unit", required=True, choices=UNIT_KINDS),
        Field("region", "text", "the city whose documents use its aliases"),
        Field("aliases", "texts", "other names documents use"),
        Field("members", "names", "members of a collective, where known"),
        Field("note", "text", "free text"),
    ),
    "document_file": (
        Field("zjtrack", "version", "format version", required=True),
        Field("document", "object", "the policy document", required=True, item="document"),
        Field("work_group", "object", "工作专班 the work group", item="work_group"),
        Field("measures", "list", "措施 the measures", required=True, item="measure"),
    ),
    "document": (
        Field("id", "id", "unique id", required=True),
        Field("title", "text", "title as printed", required=True),
        Field("doc_number", "text", "文号", required=True),
        Field("issuer", "text", "发文机关", required=True),
        Field(
            "issued",
            "date",
            "issue date; null when the text gives none",
            required=True,
            nullable=True,
        ),
        Field("region", "text", "the city, for resolving short unit names"),
        Field("source", "text", "where the text came from"),
        Field(
            "tracked_from",
            "date",
            "纳入跟踪 the day tracking began; weekly reports of weeks closed before leave it out",
        ),
        Field("note", "text", "free text"),
    ),
    "work_group": (
        Field("name", "text", "the group's name", required=True),
        Field("members", "list", "its members", required=True, item="member"),
    ),
    "member": (
        Field("role", "text", "组长, 副组长, 成员", required=True),
        Field("name", "text", "name as printed", required=True),
        Field("position", "text", "position as printed", required=True),
    ),
    "measure": (
        Field("id", "id", "unique id", required=True),
        Field("clause", "text", "number as written: 五、 （三）", required=True),
        Field("title", "text", "heading without its number", required=True),
        Field("section", "text", "the heading it sits under"),
        Field("kind", "enum", "task, goals or safeguards", choices=MEASURE_KINDS),
        *_RESPONSIBILITY,
        Field("deadline_reason", "text", "why its targets have no (or an inferred) deadline"),
        Field("note", "text", "free text"),
        Field("targets", "list", "目标 its targets", required=True, item="target"),
    ),
    "target": (
        Field("id", "id", "unique id", required=True),
        Field("kind", "enum", "quantity or milestone (inferred)", choices=TARGET_KINDS),
        Field("metric", "text", "what is counted or done", required=True),
        Field("quote", "text", "the source sentence, verbatim", required=True),
        Field("comparator", "enum", "how the value is compared", choices=COMPARATORS),
        Field("value", "number", "the number (a range's lower bound)"),
        Field("value_max", "number", "a range's upper bound"),
        Field("tolerance", "number", "approx: allowed deviation, in unit"),
        Field("unit", "text", "个, 家, 名, %, …"),
        Field("baseline", "number", "starting value, for <= and < targets"),
        Field("maintain", "bool", "保持: met only while every record meets it"),
        Field("each", "text", "the set it applies to each member of, as written"),
        Field("entities", "texts", "that set's members, where named"),
        Field("start", "when", "start date or expression"),
        Field("deadline", "when", "完成时限: date or expression", nullable=True),
        Field("deadline_reason", "text", "why the deadline is set from elsewhere, or absent"),
        *_RESPONSIBILITY,
        Field("extensions", "list", "approved extensions (延期)", item="extension"),
        Field("note", "text", "free text"),
    ),
    "extension": (
        Field("deadline", "when", "the new deadline", required=True),
        Field("approved_by", "text", "approving document or body", required=True),
        Field("approved_on", "date", "approval date", required=True),
        Field("note", "text", "free text"),
    ),
    "progress_header": (
        Field("zjtrack", "version", "format version", required=True),
        Field("document", "text", "the document id these records belong to", required=True),
        Field("note", "text", "free text"),
    ),
    "record": (
        Field("target", "text", "target id", required=True),
        Field("date", "date", "the date the record describes", required=True),
        Field("value", "number", "quantity targets: the value reached"),
        Field("done", "bool", "milestones: done or not"),
        Field("entity", "text", "per-entity targets: the member reported on"),
        Field("source", "text", "evidence: report, document number, link"),
        Field("by", "text", "who reported it"),
        Field("note", "text", "free text"),
        Field("problems", "text", "存在问题"),
        Field("next_steps", "text", "下步打算"),
        Field("corrects", "text", "the earlier record it corrects: its date, or date:line"),
        Field("withdraws", "text", "the earlier record it withdraws: its date, or date:line"),
        Field("recorded_at", "stamp", "when it was recorded (ISO date or date and time)"),
    ),
    "decisions_file": (
        Field("zjtrack", "version", "format version", required=True),
        Field(
            "decisions",
            "object",
            "the working group's own decisions",
            required=True,
            item="decisions",
        ),
    ),
    "decisions": (
        Field(
            "deadlines",
            "list",
            "deadlines the group sets where the document gives none",
            item="group_deadline",
        ),
        Field("entities", "list", "entity sets where the document names none", item="entity_set"),
    ),
    "group_deadline": (
        Field("target", "id", "the target", required=True),
        Field("deadline", "when", "the deadline the group sets", required=True),
        Field("start", "when", "when the work starts (序时进度 counts from it)"),
        Field("reason", "text", "why this deadline", required=True),
        Field("decided_by", "text", "who decided (the group, a meeting)", required=True),
        Field("decided_on", "date", "when it was decided", required=True),
        Field("note", "text", "free text"),
    ),
    "entity_set": (
        Field("target", "id", "the per-entity target", required=True),
        Field("members", "texts", "the entities it is judged over", required=True),
        Field("reason", "text", "where the list comes from"),
        Field("decided_by", "text", "who decided", required=True),
        Field("decided_on", "date", "when it was decided", required=True),
        Field("note", "text", "free text"),
    ),
    "config_file": (
        Field("zjtrack", "version", "format version", required=True),
        Field("config", "object", "settings", required=True, item="config"),
    ),
    "config": (
        Field("due_soon_days", "count", "蓝: due within this many days (30)", bounds=(0, 3650)),
        Field("yellow_gap", "number", "黄: points behind 序时进度 (10)", bounds=(0, 100)),
        Field(
            "red_gap",
            "number",
            "红: points behind 序时进度, at least yellow_gap (30)",
            bounds=(0, 100),
        ),
        Field(
            "stale_days",
            "count",
            "stale after this many days without a record (30)",
            bounds=(1, 3650),
        ),
        Field(
            "approx_tolerance",
            "number",
            "approx targets without tolerance: relative (0.1)",
            bounds=(0, 1),
        ),
        Field("report_title", "text", "weekly report title"),
        Field("reporting_unit", "text", "the unit that issues the report"),
        Field("first_week", "week", "ISO week of issue 1, e.g. 2026-W01"),
        Field("reply_days", "count", "督办单: days until the reply is due (7)", bounds=(1, 365)),
        Field(
            "cutoff_weekday",
            "enum",
            "the weekday a reporting week closes on (sunday)",
            choices=WEEKDAYS,
        ),
        Field("report_to", "text", "周报 版记 报：who it is reported to (工作专班领导小组)"),
        Field("send_to", "text", "周报 版记 送：who it is sent to (各牵头单位、责任单位)"),
        Field(
            "reporting_period",
            "enum",
            "units report (报送表) weekly or monthly (weekly)",
            choices=REPORTING_PERIODS,
        ),
        Field(
            "returns_due_days",
            "count",
            "returns are due this many days after the period closes (0)",
            bounds=(0, 31),
        ),
        Field("form_password", "text", "报送表: the sheet protection password (none)"),
    ),
}


def field_map(spec: str) -> dict[str, Field]:
    return {f.key: f for f in SPECS[spec]}


# Keys renamed since files were first written: (spec, old key) -> new key. An old key still reads,
# with a `renamed-key` warning that names the new one, so no user file needs a hand edit.
RENAMED: dict[tuple[str, str], str] = {
    ("progress_header", "progress"): "document",  # before JSON version 2: `progress: <document id>`
}
