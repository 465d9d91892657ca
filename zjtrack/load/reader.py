"""Reading one task file's YAML into the model, by the spec tables in `spec.py`.

An unknown key, a missing field or a mistyped value is reported with its line and column, and the
rest of the file is still read, so that one run reports all problems. Imported only when a file
must really be parsed: a run whose files all come from the cache never loads PyYAML.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, TypeVar, cast

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import dates
from ..dates import DateError, parse_iso_week
from ..model import (
    Comparator,
    Config,
    Decision,
    Document,
    Extension,
    Measure,
    MeasureKind,
    Member,
    Name,
    Pos,
    ProgressRecord,
    Responsibility,
    Target,
    TargetKind,
    Unit,
    UnitKind,
    When,
    WorkGroup,
    history_of,
)
from ..problems import Problem, problem
from ..spec import (
    COMPARATOR_SIGNS,
    FORMAT_VERSION,
    RENAMED,
    SPECS,
    TYPE_NAMES,
    WEEKDAYS,
    Field,
    field_map,
)
from ..table import num
from . import scalars, yamlsrc
from .content import FileContent

_T = TypeVar("_T")
_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
_BOOLISH = {"yes", "no", "on", "off", "y", "n", "True", "False", "TRUE", "FALSE", "Yes", "No"}

# A progress file: a header naming its document on one line (`document: <id>`, where a document
# file's `document:` opens a mapping, and a document file always has `measures:`), then records
# after `---`; or the header written before the key's rename, `progress: <id>`.
_PROGRESS_HEAD = re.compile(r"(?:^|[\r\n])progress[ \t]*:")  # CR-only files too
_DOCUMENT_ID_HEAD = re.compile(r"(?:^|[\r\n])document[ \t]*:[ \t]*[^\s{#]")
_MEASURES = re.compile(r"(?:^|[\r\n])measures[ \t]*:")


def load_text(text: str, path: str) -> FileContent:
    """Parse and read one file's text. Exposed for tests and for editors' stdin."""
    head = text[:4096]
    if _PROGRESS_HEAD.search(head) or (
        _DOCUMENT_ID_HEAD.search(head) and not _MEASURES.search(text)
    ):
        return _load_progress(text, path)
    root, problems = yamlsrc.compose(text, path)
    out = FileContent(problems=problems)
    if root is None:
        return out
    reader = _Reader(path, problems)
    if not isinstance(root, MappingNode):
        reader.wrong_type(root, "(root)", "object")
        return out
    keys = {k.value for k, _ in root.value}
    if "units" in keys and "document" not in keys:
        out.units = reader.units_file(root)
    elif "config" in keys and "document" not in keys:
        out.config = reader.config_file(root)
    elif "decisions" in keys and "document" not in keys:
        out.decisions = reader.decisions_file(root)
    else:
        out.document = reader.document_file(root)
    return out


_TOP_KEY = re.compile(r"^(units|config|decisions|document|measures)[ \t]*:", re.M)


def file_kind(head: bytes) -> str | None:
    """What a file is meant to be, from its first bytes, even when it cannot be read (GBK,
    truncated, a syntax error): `units`, `config`, `decisions`, `document` or `progress`, as
    `load_text` tells them apart; None when nothing says. Its top-level keys are ASCII, so they
    show through any encoding but UTF-16."""
    text = head.decode("utf-8", "replace")
    if _PROGRESS_HEAD.search(text) or (
        _DOCUMENT_ID_HEAD.search(text) and not _MEASURES.search(text)
    ):
        return "progress"
    keys = set(_TOP_KEY.findall(text))
    if keys & {"document", "measures"}:
        return "document"
    for kind in ("units", "config", "decisions"):
        if kind in keys:
            return kind
    return None


def file_kind_at(path: str) -> str | None:
    """`file_kind` of a file's first 64 KiB; None unless it is a regular file (never opened
    through a symlink, never waited on)."""
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return file_kind(os.read(fd, 65536))
    except OSError:
        return None
    finally:
        os.close(fd)


def _load_progress(text: str, path: str) -> FileContent:
    """A progress file: a header document, then one document per record (append-only)."""
    nodes, problems = yamlsrc.compose_stream(text, path)
    out = FileContent(problems=problems)
    reader = _Reader(path, problems)
    if not nodes:
        return out
    reader.fields(nodes[0], "progress_header", "progress")
    for node in nodes[1:]:
        d = reader.fields(node, "record", "record")
        if d is None or "target" not in d or "date" not in d:
            continue
        if ("__pos_value" in d and "value" not in d) or ("__pos_done" in d and "done" not in d):
            continue  # its value is unreadable (reported): a record without it must not count
        out.records.append(
            ProgressRecord(
                target=d["target"],
                date=d["date"],
                value=d.get("value"),
                done=d.get("done"),
                entity=d.get("entity"),
                source=d.get("source"),
                by=d.get("by"),
                note=d.get("note"),
                problems=d.get("problems"),
                next_steps=d.get("next_steps"),
                corrects=d.get("corrects"),
                withdraws=d.get("withdraws"),
                recorded_at=d.get("recorded_at"),
                path=path,
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
            )
        )
    out.history = history_of(out.records)  # grouped once, cached with the file
    return out


class _Reader:
    """Reads nodes by the spec tables, collecting problems instead of raising."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        # Equal texts and dates read from one file become one object: a progress file repeats
        # its target ids, sources and dates thousands of times, and the cache stores each once.
        self.shared: dict[object, object] = {}

    # --- generic --------------------------------------------------------------------------
    def share(self, value: _T) -> _T:
        """The one object this file uses for values equal to `value`."""
        return cast(_T, self.shared.setdefault(value, value))

    def pos(self, node: Node) -> Pos:
        return Pos(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def report(self, code: str, node: Node | None, **args: Any) -> None:
        line, column = yamlsrc.pos_of(node) if node is not None else (0, 0)
        self.problems.append(problem(code, self.path, line, column, **args))

    def wrong_type(
        self, node: Node, key: str, expected: str, hint: tuple[str, str] = ("", "")
    ) -> None:
        found_zh, found_en = _describe(node)
        exp_zh, exp_en = TYPE_NAMES[expected]
        self.report(
            "wrong-type",
            node,
            key=key,
            expected_zh=exp_zh,
            expected_en=exp_en,
            found_zh=found_zh,
            found_en=found_en,
            hint_zh=hint[0],
            hint_en=hint[1],
        )

    def bounded(self, node: Node, f: Field, number: int | float) -> Any:
        """A number of a field with a whole-number type or a range, checked."""
        if f.type == "count" and not float(number).is_integer():
            self.wrong_type(node, f.key, "count")
            return _BAD
        if f.bounds is not None and not f.bounds[0] <= number <= f.bounds[1]:
            low, high = (num(b) for b in f.bounds)
            self.report("out-of-range", node, key=f.key, value=num(number), low=low, high=high)
            return _BAD
        return int(number) if f.type == "count" else number

    def fields(self, node: Node, spec: str, where: str = "") -> dict[str, Any] | None:
        """Read a mapping by its spec: {key: value} for the keys that read cleanly."""
        if node.tag == yamlsrc.BLANK:
            return None
        if not isinstance(node, MappingNode):
            self.wrong_type(node, where or spec, "object")
            return None
        table = field_map(spec)
        out: dict[str, Any] = {"__node__": node}
        for key_node, value_node in node.value:
            key = key_node.value
            f = table.get(key)
            renamed = RENAMED.get((spec, key))
            if f is None and renamed is not None:
                self.report("renamed-key", key_node, old=key, new=renamed)
                key, f = renamed, table[renamed]
            if f is None:
                self._unknown_key(key_node, key, table)
                continue
            out[f"__pos_{key}"] = value_node
            value = self.value(value_node, f)
            if value is not _BAD:
                out[key] = value
        unread = [k for k in table if f"__pos_{k}" in out and k not in out]
        for f in SPECS[spec]:
            if f.required and f"__pos_{f.key}" not in out:
                label = f"{where} " if where else ""
                self.report("missing-field", node, key=f.key, where=label)
                unread.append(f.key)
        out["__unread__"] = tuple(unread)  # reported here: what the checks must not judge again
        return out

    def _unknown_key(self, key_node: Node, key: str, table: dict[str, Field]) -> None:
        close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
        self.report(
            "unknown-key",
            key_node,
            key=key,
            allowed=", ".join(table),
            suggestion_zh=f"，是否想写 `{close[0]}`？" if close else "",
            suggestion_en=f"; did you mean `{close[0]}`?" if close else "",
        )

    def value(self, node: Node, f: Field) -> Any:  # noqa: C901 - one branch per scalar type of the format spec
        t = f.type
        if node.tag == yamlsrc.BLANK:
            return _BAD  # a forbidden construct, already reported
        if isinstance(node, ScalarNode) and node.tag == yamlsrc.NULL:
            if f.nullable:
                return None
            if t in ("names", "texts", "list"):
                return ()
            self.wrong_type(node, f.key, t)
            return _BAD
        if t == "list":
            if not isinstance(node, SequenceNode):
                self.wrong_type(node, f.key, t)
                return _BAD
            return [
                (item, self.fields(item, f.item or "", f"{f.key}[{i}]"))
                for i, item in enumerate(node.value)
            ]
        if t == "object":
            return self.fields(node, f.item or "", f.key)
        if t in ("names", "texts"):
            return self.text_list(node, f)
        if not isinstance(node, ScalarNode):
            self.wrong_type(node, f.key, t)
            return _BAD
        raw = node.value
        if t == "version":
            if node.tag != yamlsrc.INT or int(raw) != FORMAT_VERSION:
                self.report("version", node, found=raw if node.tag == yamlsrc.INT else repr(raw))
                return _BAD
            return FORMAT_VERSION
        if t in ("number", "count"):
            if node.tag in (yamlsrc.INT, yamlsrc.FLOAT):
                number = scalars.number(raw, node.tag == yamlsrc.FLOAT)
                if number is not None:
                    return self.bounded(node, f, number)
                digits = sum(c.isdigit() for c in raw)  # not "a number, found a number"
                self.report(
                    "wrong-type",
                    node,
                    key=f.key,
                    expected_zh="小于 10¹⁵ 的数字",
                    expected_en="a number below 10^15",
                    found_zh=f" {digits} 位的数字",
                    found_en=f"a {digits}-digit number",
                    hint_zh="核对原文：数值多半多打了数字或粘贴有误。",
                    hint_en="check it against the document: most likely extra digits or a bad paste.",
                )
                return _BAD
            self.wrong_type(node, f.key, t, _number_hint(raw))
            return _BAD
        if t == "bool":
            if node.tag == yamlsrc.BOOL:
                return raw == "true"
            hint = (
                "只接受 true 或 false（YAML 1.1 的 yes/no/on/off 容易误读）。",
                "only true or false (YAML 1.1's yes/no/on/off are easily misread).",
            )
            self.wrong_type(node, f.key, t, hint if raw in _BOOLISH else ("", ""))
            return _BAD
        text = self.share(raw)
        if not text.strip():
            self.report("empty-text", node, key=f.key)
            return _BAD
        if t == "text":
            return text
        if t == "week":
            try:
                parse_iso_week(text)
            except DateError as e:
                self.wrong_type(node, f.key, t, (e.zh, e.en))
                return _BAD
            return text
        if t == "id":
            if not _ID.fullmatch(text):
                self.report("bad-id", node, value=text)
                return _BAD
            return text
        if t == "enum":
            if f.key == "comparator":  # ≥ ≤ ＝ ～ ＞ ＜, as the views print them
                text = COMPARATOR_SIGNS.get(text.strip(), text)
            if text not in f.choices:
                self.report("bad-value", node, key=f.key, value=text, allowed=", ".join(f.choices))
                return _BAD
            return text
        if t == "date":
            try:
                return self.share(dates.parse_iso(text))
            except dates.DateError as e:
                self.report("bad-date", node, key=f.key, value=text, reason_zh=e.zh, reason_en=e.en)
                return _BAD
        if t == "stamp":
            try:
                return dates.parse_stamp(text)
            except dates.DateError as e:
                self.report("bad-date", node, key=f.key, value=text, reason_zh=e.zh, reason_en=e.en)
                return _BAD
        if t == "when":
            try:
                when_date: dt.date | None = dates.parse_when(text, start=f.key == "start")
            except dates.DateError as e:
                self.report("bad-date", node, key=f.key, value=text, reason_zh=e.zh, reason_en=e.en)
                when_date = None
            return When(text, when_date, self.pos(node))
        raise AssertionError(f"unknown field type {t}")  # pragma: no cover - spec bug

    def text_list(self, node: Node, f: Field) -> Any:
        if not isinstance(node, SequenceNode):
            hint = (
                "写成列表：[市教育局, 市财政局]，每个单位一项。",
                "write a list: [市教育局, 市财政局], one unit per item.",
            )
            self.wrong_type(node, f.key, f.type, hint)
            return _BAD
        out = []
        for item in node.value:
            if isinstance(item, ScalarNode) and item.tag != yamlsrc.NULL and item.value.strip():
                out.append(Name(item.value, self.pos(item)) if f.type == "names" else item.value)
            else:
                self.wrong_type(item, f"{f.key}[]", "text")
        return tuple(out)

    # --- files ----------------------------------------------------------------------------
    def config_file(self, root: MappingNode) -> Config | None:
        top = self.fields(root, "config_file")
        c = (top or {}).get("config")
        if not c:
            return None
        known = {k: v for k, v in c.items() if not k.startswith("__")}
        yellow, red = (
            known.get("yellow_gap", Config().yellow_gap),
            known.get("red_gap", Config().red_gap),
        )
        if yellow > red:  # red must be the further behind, or no target is ever yellow
            where = c.get("__pos_red_gap") or c.get("__pos_yellow_gap")
            self.report("threshold-order", where, yellow=num(yellow), red=num(red))
            known.pop("yellow_gap", None)
            known.pop("red_gap", None)
        if "cutoff_weekday" in known:
            known["cutoff_weekday"] = WEEKDAYS.index(known["cutoff_weekday"])
        return Config(**known)

    def decisions_file(self, root: MappingNode) -> list[Decision]:
        top = self.fields(root, "decisions_file")
        d = (top or {}).get("decisions") or {}
        out = []
        for node, x in d.get("deadlines", []):
            if x is not None and {"target", "deadline", "decided_by"} <= x.keys():
                out.append(self._decision(node, x, x["deadline"], x.get("start"), None))
        for node, x in d.get("entities", []):
            if x is not None and {"target", "members", "decided_by"} <= x.keys():
                out.append(self._decision(node, x, None, None, tuple(x["members"])))
        return out

    def _decision(
        self,
        node: Node,
        x: dict[str, Any],
        deadline: When | None,
        start: When | None,
        members: tuple[str, ...] | None,
    ) -> Decision:
        return Decision(
            target=x["target"],
            deadline=deadline,
            start=start,
            members=members,
            reason=x.get("reason"),
            decided_by=x["decided_by"],
            decided_on=x.get("decided_on"),
            note=x.get("note"),
            pos=self.pos(node),
        )

    def units_file(self, root: MappingNode) -> list[Unit]:
        top = self.fields(root, "units_file")
        units = []
        for node, d in (top or {}).get("units", []):
            if d is None or not {"name", "kind"} <= d.keys():
                continue
            units.append(
                Unit(
                    name=d["name"],
                    kind=UnitKind(d["kind"]),
                    region=d.get("region"),
                    aliases=tuple(d.get("aliases", ())),
                    members=tuple(d.get("members", ())),
                    note=d.get("note"),
                    pos=self.pos(node),
                )
            )
        return units

    def document_file(self, root: MappingNode) -> Document | None:
        top = self.fields(root, "document_file")
        if top is None or "document" not in top or top["document"] is None:
            return None
        d = top["document"]
        wg = top.get("work_group")
        work_group = None
        if wg and "name" in wg:
            members = tuple(
                Member(m["role"], m["name"], m["position"])
                for _, m in wg.get("members", [])
                if m and {"role", "name", "position"} <= m.keys()
            )
            work_group = WorkGroup(wg["name"], members)
        measures = tuple(
            m
            for node, md in top.get("measures", [])
            if md is not None and (m := self.measure(node, md)) is not None
        )
        tracked, issued = d.get("tracked_from"), d.get("issued")
        since = None
        if tracked is not None:
            node = d["__pos_tracked_from"]
            since = When(str(node.value), tracked, self.pos(node))
        if tracked and issued and tracked < issued:
            self.report(
                "tracked-before-issued",
                d["__pos_tracked_from"],
                id=d.get("id", ""),
                tracked_from=tracked.isoformat(),
                issued=issued.isoformat(),
            )
        return Document(
            id=d.get("id", ""),
            title=d.get("title", ""),
            doc_number=d.get("doc_number", ""),
            issuer=d.get("issuer", ""),
            issued=d.get("issued"),
            region=d.get("region"),
            source=d.get("source"),
            note=d.get("note"),
            work_group=work_group,
            measures=measures,
            pos=self.pos(d["__node__"]),
            tracked_from=since,
        )

    def measure(self, node: Node, d: dict[str, Any]) -> Measure | None:
        # Built even when fields are missing (already reported), so later checks still run.
        targets = tuple(
            t
            for tnode, td in d.get("targets", [])
            if td is not None and (t := self.target(tnode, td)) is not None
        )
        return Measure(
            id=d.get("id", ""),
            clause=d.get("clause", ""),
            title=d.get("title", ""),
            kind=MeasureKind(d.get("kind", "task")),
            section=d.get("section"),
            responsibility=_responsibility(d) or Responsibility(),
            lead_units_given="__pos_lead_units" in d,
            targets=targets,
            deadline_reason=d.get("deadline_reason"),
            note=d.get("note"),
            pos=self.pos(node),
            unread=_unread(d),
        )

    def target(self, node: Node, d: dict[str, Any]) -> Target | None:
        comparator = Comparator(d["comparator"]) if "comparator" in d else None
        kind = (
            TargetKind(d["kind"])
            if "kind" in d
            # a comparator written but invalid (already reported) still means a quantity
            else (
                TargetKind.QUANTITY
                if comparator is not None or "__pos_comparator" in d
                else TargetKind.MILESTONE
            )
        )
        entities = d.get("entities")
        return Target(
            id=d.get("id", ""),
            kind=kind,
            metric=d.get("metric", ""),
            quote=d.get("quote", ""),
            comparator=comparator,
            value=d.get("value"),
            value_max=d.get("value_max"),
            tolerance=d.get("tolerance"),
            unit=d.get("unit"),
            baseline=d.get("baseline"),
            maintain=d.get("maintain", False),
            each=d.get("each"),
            entities=tuple(entities) if entities is not None else None,
            start=d.get("start"),
            deadline=d.get("deadline"),
            deadline_reason=d.get("deadline_reason"),
            responsibility=_responsibility(d),
            extensions=tuple(
                Extension(e["deadline"], e["approved_by"], e.get("approved_on"), e.get("note"))
                for _, e in d.get("extensions", [])
                if e and {"deadline", "approved_by"} <= e.keys()
            ),
            note=d.get("note"),
            pos=self.pos(node),
            unread=_unread(d),
        )


def _unread(d: dict[str, Any]) -> tuple[str, ...]:
    """The keys of a mapping read by `fields` that are missing or did not read (reported)."""
    unread: tuple[str, ...] = d.get("__unread__", ())
    return unread


def _responsibility(d: dict[str, Any]) -> Responsibility | None:
    keys = (
        "lead_units",
        "responsible_units",
        "lead_colleges",
        "lead_enterprises",
        "lead_enterprise_rule",
        "supporting_units",
        "responsibility_quote",
    )
    if not any(f"__pos_{k}" in d for k in keys):
        return None
    return Responsibility(
        lead_units=d.get("lead_units", ()),
        responsible_units=d.get("responsible_units", ()),
        lead_colleges=d.get("lead_colleges", ()),
        lead_enterprises=d.get("lead_enterprises", ()),
        lead_enterprise_rule=d.get("lead_enterprise_rule"),
        supporting_units=d.get("supporting_units", ()),
        responsibility_quote=d.get("responsibility_quote"),
    )


class _Bad:
    """Marks a value that failed to read (already reported)."""


_BAD = _Bad()


def _describe(node: Node) -> tuple[str, str]:
    if isinstance(node, MappingNode):
        return "映射", "a mapping"
    if isinstance(node, SequenceNode):
        return "列表", "a list"
    if node.tag == yamlsrc.NULL:
        return "空值", "nothing (null)"
    if node.tag in (yamlsrc.INT, yamlsrc.FLOAT):
        shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
        return f"数字 {shown}", f"the number {shown}"
    if node.tag == yamlsrc.BOOL:
        return f"布尔值 {node.value}", f"the boolean {node.value}"
    text = node.value if len(node.value) <= 40 else node.value[:40] + "…"
    return f"文本 `{text}`", f"the text `{text}`"


def _number_hint(raw: str) -> tuple[str, str]:
    if raw.endswith("%"):
        return (
            '只写数字，单位另写：value: 90 和 unit: "%"。',
            'write the number alone: value: 90, unit: "%".',
        )
    if re.fullmatch(r"[-+]?0[0-9]+", raw):
        return (
            "不要以 0 开头（YAML 1.1 会把 010 读成八进制 8）。",
            "no leading zero (YAML 1.1 reads 010 as octal 8).",
        )
    if "_" in raw or "," in raw or ":" in raw:
        return ("只写数字，不加分隔符：1000。", "write plain digits with no separators: 1000.")
    return ("", "")
