"""Every problem code of the catalogue, triggered by a small file, with its exact place and (for a
representative subset) its exact Chinese and English text; then the must-have bad inputs through
the CLI (exit code, stdout, stderr, never a traceback), and the CLI's output formats.

Core tests call `load_paths` and `run_checks` (via `conftest.check_paths`); CLI tests call the
typer app through `CliRunner`, whose stdout and stderr are always captured separately (typer's own
runner has no `mix_stderr` switch).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    CLEAN_ENV,
    DOC_YAML,
    PROGRESS_YAML,
    UNITS_YAML,
    Tree,
    check_paths,
    cli,
    doc_variant,
    one,
    runner,
    variant,
    where,
    write_tree,
)

from zjtrack.cli.app import app
from zjtrack.load import yamlsrc
from zjtrack.problems import CATALOGUE, Problem, Severity

# ------------------------------------------------------------------------------------------------
# The catalogue table: one case (at least) per code. `files` are written into the tree (over the
# valid fixture), `expect` is (file, line, column) of the problem, relative to the tree's folder.
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    files: dict[str, str | bytes]
    expect: tuple[str, int, int]
    zh: str | None = None  # exact message; `{dir}` stands for the tree's folder
    en: str | None = None
    paths: tuple[str, ...] = ()  # what to check, relative to the tree (default: the whole tree)
    as_of: dt.date | None = None
    patch: dict[str, Any] = field(default_factory=dict)  # yamlsrc limits, lowered for speed
    bug: str | None = None  # a known bug: the case is a strict xfail (with libyaml, where it shows)


def doc(*edits: tuple[str, str]) -> dict[str, str | bytes]:
    return {"doc.yaml": doc_variant(*edits)}


def progress(*edits: tuple[str, str]) -> dict[str, str | bytes]:
    return {"progress/hd-test.yaml": variant(PROGRESS_YAML, *edits)}


NO_TARGETS = DOC_YAML[: DOC_YAML.index("    targets:\n")] + "    targets: []\n"
SECOND_DOC = doc_variant(("  id: hd-test", "  id: hd-other"))
DUPLICATE_UNIT = UNITS_YAML + "  - name: 海东市教育局\n    kind: department\n"

CASES: list[Case] = [
    # --- reading the file
    Case(
        "unreadable",
        "missing path",
        {},
        ("missing.yaml", 0, 0),
        zh="无法读取：不存在 / no such file or directory",
        en="cannot read: 不存在 / no such file or directory",
        paths=("missing.yaml",),
    ),
    Case(
        "encoding",
        "GBK file",
        {"doc.yaml": DOC_YAML.encode("gbk")},
        ("doc.yaml", 4, 10),
        zh="文件不是 UTF-8 编码（看起来是 GB18030）",
        en="file is not UTF-8 (it looks like GB18030)",
    ),
    Case(
        "encoding",
        "UTF-16 file",
        {"doc.yaml": DOC_YAML.encode("utf-16")},
        ("doc.yaml", 1, 1),
        zh="文件不是 UTF-8 编码（看起来是 UTF-16）",
        en="file is not UTF-8 (it looks like UTF-16)",
    ),
    Case(
        "truncated",
        "UTF-8 cut inside a character",
        {"doc.yaml": DOC_YAML.encode()[:-3]},
        ("doc.yaml", 28, 49),
        zh="文件在一个字符的中间结束（被截断？）",
        en="file ends in the middle of a character (truncated?)",
    ),
    Case(
        "control-char",
        "NUL byte",
        doc(("  title: 海东市", "  title: 海东市\x00")),
        ("doc.yaml", 4, 13),
        zh="文件含有不可见的控制字符 U+0000",
        en="file contains the control character U+0000",
    ),
    Case(
        "too-large",
        "over MAX_BYTES",
        {"doc.yaml": DOC_YAML.encode() + b"#" * yamlsrc.MAX_BYTES},
        ("doc.yaml", 0, 0),
        zh=f"文件过大：{len(DOC_YAML.encode()) + yamlsrc.MAX_BYTES} 字节，上限 {yamlsrc.MAX_BYTES} 字节",
        en=f"file too large: {len(DOC_YAML.encode()) + yamlsrc.MAX_BYTES} bytes, limit {yamlsrc.MAX_BYTES}",
    ),
    Case(
        "empty-file",
        "empty",
        {"doc.yaml": b""},
        ("doc.yaml", 0, 0),
        zh="文件为空",
        en="file is empty",
    ),
    Case(
        "syntax",
        "missing colon",
        doc(("    clause: 五、", "    clause 五、")),
        ("doc.yaml", 12, 5),
        zh="YAML 语法错误：缺少冒号 `:`（键后面应有 `: `）",
        en="YAML syntax error: a `:` is missing (a key is followed by `: `)",
    ),
    Case(
        "syntax",
        "unclosed quote",
        doc(("    clause: 五、", "    clause: '五、")),
        ("doc.yaml", 29, 1),
        zh="YAML 语法错误：文件意外结束（引号或括号未闭合？）",
        en="YAML syntax error: the file ends too early (an unclosed quote or bracket?)",
    ),
    Case(
        "syntax",
        "tab indentation",
        doc(("    clause: 五、", "\tclause: 五、")),
        ("doc.yaml", 11, 1),
        zh="YAML 语法错误：制表符（Tab）不能用于缩进",
    ),
    Case(
        "too-deep",
        "40 nested lists",
        doc(("    lead_units: [市教育局]", "    lead_units: " + "[" * 40 + "]" * 40)),
        ("doc.yaml", 13, 46),
        zh="嵌套层级过深（上限 32 层）",
        en="nesting too deep (limit 32 levels)",
    ),
    Case(
        "too-many-nodes",
        "over MAX_NODES (lowered to 10)",
        {"doc.yaml": "zjtrack: 1\nitems: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]\n"},
        ("doc.yaml", 2, 18),
        zh="文件中的值过多（上限 10 个）",
        en="too many values in one file (limit 10)",
        paths=("doc.yaml",),
        patch={"MAX_NODES": 10},
    ),
    Case(
        "multiple-documents",
        "second document",
        {"doc.yaml": DOC_YAML + "---\nzjtrack: 1\n"},
        ("doc.yaml", 29, 1),
        zh="一个文件中只能有一个 YAML 文档（发现了 `---` 分隔的第二个文档）",
        en="only one YAML document per file (found a second one after `---`)",
    ),
    Case(
        "duplicate-key",
        "top level",
        {"doc.yaml": DOC_YAML + "zjtrack: 1\n"},
        ("doc.yaml", 29, 1),
        zh="键 `zjtrack` 重复（第一次出现在第 1 行）",
        en="duplicate key `zjtrack` (first at line 1)",
    ),
    Case(
        "alias",
        "undefined alias",
        doc(("    clause: 五、", "    clause: *c")),
        ("doc.yaml", 11, 13),
        zh="不支持锚点和别名（&、*）",
        en="anchors and aliases (&, *) are not allowed",
    ),
    Case(
        "merge-key",
        "<< in a measure",
        doc(("    clause: 五、\n", "    clause: 五、\n    <<: {section: 二、重点任务}\n")),
        ("doc.yaml", 12, 5),
        zh="不支持合并键 `<<`",
        en="merge keys `<<` are not allowed",
    ),
    Case(
        "tag",
        "!!python/object",
        doc(("    clause: 五、", "    clause: !!python/object:os.system 五、")),
        ("doc.yaml", 11, 13),
        zh="不支持标签 `tag:yaml.org,2002:python/object:os.system`",
        en="tag `tag:yaml.org,2002:python/object:os.system` is not allowed",
    ),
    Case(
        "version",
        "version 2",
        doc(("zjtrack: 1", "zjtrack: 2")),
        ("doc.yaml", 1, 10),
        zh="缺少或不支持的格式版本：2",
        en="missing or unsupported format version: 2",
    ),
    # --- structure
    Case(
        "missing-field",
        "document without title",
        doc(("  title: 海东市深化现代职业教育体系建设改革的十条措施\n", "")),
        ("doc.yaml", 3, 3),
        zh="document 缺少必填字段 `title`",
        en="document missing required field `title`",
    ),
    Case(
        "missing-field",
        "file without version",
        doc(("zjtrack: 1\n", "")),
        ("doc.yaml", 1, 1),
        zh="缺少必填字段 `zjtrack`",
        en="missing required field `zjtrack`",
    ),
    Case(
        "wrong-type",
        "lead_units as text",
        doc(("    lead_units: [市教育局]", "    lead_units: 市教育局")),
        ("doc.yaml", 13, 17),
        zh="`lead_units` 应为单位名称列表，实际是文本 `市教育局`",
        en="`lead_units` must be a list of unit names, found the text `市教育局`",
    ),
    Case(
        "unknown-key",
        "typo with suggestion",
        doc(("        deadline: 2025年底", "        dedline: 2025年底")),
        ("doc.yaml", 22, 9),
        zh="未知字段 `dedline`，是否想写 `deadline`？",
        en="unknown field `dedline`; did you mean `deadline`?",
    ),
    Case(
        "renamed-key",
        "a progress file written before `progress:` became `document:`",
        progress(("document: hd-test", "progress: hd-test")),
        ("progress/hd-test.yaml", 2, 1),
        zh="字段 `progress` 已改名为 `document`",
        en="field `progress` is now called `document`",
    ),
    Case(
        "bad-value",
        "kind milestones",
        doc(("        kind: milestone", "        kind: milestones")),
        ("doc.yaml", 25, 15),
        zh="`kind` 的值 `milestones` 无效",
        en="`kind` has an invalid value `milestones`",
    ),
    Case(
        "out-of-range",
        "a negative stale_days in config.yaml",
        {"config.yaml": "zjtrack: 1\nconfig:\n  stale_days: -3\n"},
        ("config.yaml", 3, 15),
        zh="`stale_days` 的值 -3 不在 1 到 3650 之间",
        en="`stale_days` is -3, outside 1 to 3650",
    ),
    Case(
        "threshold-order",
        "yellow_gap above red_gap in config.yaml",
        {"config.yaml": "zjtrack: 1\nconfig:\n  yellow_gap: 40\n  red_gap: 30\n"},
        ("config.yaml", 4, 12),
        zh="红色预警线 red_gap 30 小于黄色预警线 yellow_gap 40",
        en="red_gap 30 is below yellow_gap 40",
    ),
    Case(
        "wrong-type",
        "first_week that is not an ISO week (it broke report weekly after passing check)",
        {"config.yaml": "zjtrack: 1\nconfig:\n  first_week: 2026-46\n"},
        ("config.yaml", 3, 15),
        zh="`first_week` 应为ISO 周（如 2026-W01），实际是文本 `2026-46`",
        en="`first_week` must be an ISO week (e.g. 2026-W01), found the text `2026-46`",
    ),
    Case(
        "wrong-type",
        "due_soon_days that is not a whole number",
        {"config.yaml": "zjtrack: 1\nconfig:\n  due_soon_days: 1.5\n"},
        ("config.yaml", 3, 18),
        zh="`due_soon_days` 应为整数，实际是数字 1.5",
        en="`due_soon_days` must be a whole number, found the number 1.5",
    ),
    Case(
        "decision-conflict",
        "a group deadline for a target whose document sets one",
        {
            "decisions.yaml": "zjtrack: 1\ndecisions:\n  deadlines:\n    - target: hd-5-1\n"
            "      deadline: 2026年底\n      reason: 年度分解\n      decided_by: 专班\n"
            "      decided_on: 2026-01-05\n"
        },
        ("decisions.yaml", 4, 7),
        zh="文件已规定目标 `hd-5-1` 的完成时限，专班决定不能改写文件原文",
        en="the document already sets a deadline for target `hd-5-1`: a group decision cannot rewrite it",
    ),
    Case(
        "bad-id",
        "uppercase id",
        doc(("  id: hd-test", "  id: HD_Test")),
        ("doc.yaml", 3, 7),
        zh="编号 `HD_Test` 格式不对",
        en="id `HD_Test` is malformed",
    ),
    # --- references
    Case(
        "duplicate-id",
        "same measure id in two files",
        {"doc2.yaml": SECOND_DOC},
        ("doc2.yaml", 10, 5),
        zh="编号 `hd-5` 重复（另见 {dir}/doc.yaml:10:5）",
        en="duplicate id `hd-5` (also at {dir}/doc.yaml:10:5)",
    ),
    Case(
        "unknown-unit",
        "typo with suggestion",
        doc(("[市教育局]", "[市教育厅]")),
        ("doc.yaml", 13, 18),
        zh="单位 `市教育厅` 不在单位名录中，是否是 `市教育局`？",
        en="unit `市教育厅` is not in the units registry; did you mean `市教育局`?",
    ),
    Case(
        "duplicate-unit",
        "same name twice",
        {"units.yaml": DUPLICATE_UNIT},
        ("units.yaml", 15, 5),
        zh="单位名称或别名 `海东市教育局` 重复（另见 {dir}/units.yaml:3:5）",
        en="unit name or alias `海东市教育局` is used twice (also at {dir}/units.yaml:3:5)",
    ),
    Case(
        "unknown-target",
        "record for a missing target",
        progress(("target: hd-5-1", "target: hd-5-9")),
        ("progress/hd-test.yaml", 4, 1),
        zh="目标 `hd-5-9` 不存在，是否是 `hd-5-2`？",
        en="no target `hd-5-9`; did you mean `hd-5-2`?",
    ),
    Case(
        "record-value",
        "quantity record with done",
        progress(("value: 80", "done: true")),
        ("progress/hd-test.yaml", 4, 1),
        zh="目标 `hd-5-1` 是数量目标，进展记录应写 `value`",
        en="target `hd-5-1` is a quantity: the record needs `value`",
    ),
    Case(
        "future-record",
        "record after the as-of date",
        progress(),
        ("progress/hd-test.yaml", 4, 1),
        zh="进展记录的日期 2025-01-10 晚于统计日期 2025-01-05",
        en="record dated 2025-01-10, after the as-of date 2025-01-05",
        as_of=dt.date(2025, 1, 5),
    ),
    Case(
        "bad-reference",
        "a correction naming no earlier record",
        progress(("value: 80", 'value: 80\ncorrects: "2025-01-09"')),
        ("progress/hd-test.yaml", 4, 1),
        zh="进展记录更正的 `2025-01-09` 不是此前的一条记录",
        en="the record corrects `2025-01-09`, which is no earlier record of this target",
    ),
    Case(
        "unknown-entity",
        "entity for a target without entities",
        progress(("value: 80", "value: 80\nentity: 某学校")),
        ("progress/hd-test.yaml", 4, 1),
        en="`某学校` is not one of target `hd-5-1`'s entities (—)",
    ),
    Case(
        "missing-entity",
        "per-entity target, record without entity",
        {
            **doc(('        unit: "%"\n', '        unit: "%"\n        each: 每所职业学校\n')),
            **progress(),
        },
        ("progress/hd-test.yaml", 4, 1),
        zh="目标 `hd-5-1` 按对象考核（每所职业学校），进展记录应写 `entity`",
        en="target `hd-5-1` is judged per entity (每所职业学校): the record needs `entity`",
    ),
    # --- dates
    Case(
        "bad-date",
        "2025-02-30",
        doc(("  issued: 2024-07-18", "  issued: 2025-02-30")),
        ("doc.yaml", 7, 11),
        zh="`issued` 的日期 `2025-02-30` 无效：2025年2月没有 30 日",
        en="`issued` has an invalid date `2025-02-30`: day 30 does not exist in 2025-02",
    ),
    Case(
        "bad-date",
        "2025-13-01",
        doc(("  issued: 2024-07-18", "  issued: 2025-13-01")),
        ("doc.yaml", 7, 11),
        zh="`issued` 的日期 `2025-13-01` 无效：没有 13 月",
        en="`issued` has an invalid date `2025-13-01`: month 13 does not exist",
    ),
    Case(
        "bad-date",
        "deadline 2025-02-30",
        doc(("        deadline: 2025年底", "        deadline: 2025-02-30")),
        ("doc.yaml", 22, 19),
    ),
    Case(
        "bad-date",
        "deadline 2025年13月",
        doc(("        deadline: 2025年底", "        deadline: 2025年13月")),
        ("doc.yaml", 22, 19),
        en="`deadline` has an invalid date `2025年13月`: month 13 does not exist",
    ),
    Case(
        "deadline-before-start",
        "start 2026",
        doc(("        start: 2024年", "        start: 2026年")),
        ("doc.yaml", 22, 19),
        zh="完成时限 2025-12-31 早于开始时间 2026-01-01",
        en="deadline 2025-12-31 is before the start 2026-01-01",
    ),
    Case(
        "no-deadline",
        "deadline left out",
        doc(("        deadline: 2025年底\n", "")),
        ("doc.yaml", 16, 9),
        zh="目标 `hd-5-1` 没有完成时限",
        en="target `hd-5-1` has no deadline",
    ),
    Case(
        "tracked-from-future",
        "tracked from after the as-of date",
        doc(("  region: 海东市\n", "  region: 海东市\n  tracked_from: 2025-02-01\n")),
        ("doc.yaml", 9, 17),
        zh="文件 `hd-test` 的纳入跟踪日期 2025-02-01 晚于统计日期 2025-01-05：此前各周的周报都不含该文件",
        en="document `hd-test` is tracked from 2025-02-01, after the as-of date 2025-01-05: "
        "no weekly report before then includes it",
        as_of=dt.date(2025, 1, 5),
    ),
    Case(
        "tracked-before-issued",
        "tracked from before the issue date",
        doc(("  region: 海东市\n", "  region: 海东市\n  tracked_from: 2024-07-01\n")),
        ("doc.yaml", 9, 17),
        zh="文件 `hd-test` 的纳入跟踪日期 2024-07-01 早于印发日期 2024-07-18",
        en="document `hd-test` is tracked from 2024-07-01, before it was issued on 2024-07-18",
    ),
    # --- targets
    Case(
        "missing-value",
        "comparator without value",
        doc(("        value: 90\n", "")),
        ("doc.yaml", 16, 9),
        zh="比较方式 `>=` 需要 `value`",
        en="comparator `>=` needs `value`",
    ),
    Case(
        "range-inverted",
        "range 90..80",
        doc(
            ('comparator: ">="', "comparator: range"),
            ("        value: 90\n", "        value: 90\n        value_max: 80\n"),
        ),
        ("doc.yaml", 16, 9),
        zh="区间下限 90 大于上限 80",
        en="range minimum 90 is above its maximum 80",
    ),
    Case(
        "percent-over-100",
        "120%",
        doc(("        value: 90\n", "        value: 120\n")),
        ("doc.yaml", 16, 9),
        zh="百分比 120% 不在 0 到 100 之间",
        en="percentage 120% is not between 0 and 100",
    ),
    Case(
        "milestone-with-value",
        "milestone with value",
        doc(("        kind: milestone\n", "        kind: milestone\n        value: 3\n")),
        ("doc.yaml", 24, 9),
        zh="里程碑目标不能有 `value`",
        en="a milestone cannot have `value`",
    ),
    Case(
        "field-not-applicable",
        "value_max without range",
        doc(("        value: 90\n", "        value: 90\n        value_max: 95\n")),
        ("doc.yaml", 16, 9),
        zh="`value_max` 只用于比较方式 range",
        en="`value_max` applies only to comparator range",
    ),
    Case(
        "no-lead-unit",
        "lead_units left out",
        doc(("    lead_units: [市教育局]\n", "")),
        ("doc.yaml", 10, 5),
        zh="措施 `hd-5` 没有牵头单位",
        en="measure `hd-5` has no lead unit",
    ),
    Case(
        "no-targets",
        "empty targets",
        {"doc.yaml": NO_TARGETS},
        ("doc.yaml", 10, 5),
        zh="措施 `hd-5` 没有目标",
        en="measure `hd-5` has no targets",
    ),
    Case(
        "needs-review",
        "note starting with 待核",
        doc(("        metric: 职业", "        note: 待核：比例可能是 85%\n        metric: 职业")),
        ("doc.yaml", 16, 9),
        zh="`hd-5-1` 有待人工核对的内容：待核：比例可能是 85%",
        en="`hd-5-1` has a guess to review: 待核：比例可能是 85%",
    ),
    Case(
        "empty-text",
        "empty title",
        doc(("  title: 海东市深化现代职业教育体系建设改革的十条措施", '  title: ""')),
        ("doc.yaml", 4, 10),
        zh="`title` 不能为空",
        en="`title` must not be empty",
    ),
]

# The codes the table exercises, for the meta-test below.
EXERCISED: list[str] = [case.code for case in CASES]
EXERCISED.append("no-repository")
EXERCISED.append("invisible-char")  # tests/test_attack_messages.py
EXERCISED.append("cascade")  # a failed file's consequences, folded: tests/test_attack_messages.py
# the codes of returned forms (zjtrack intake): tests/test_intake_hostile.py
EXERCISED += [code for code in CATALOGUE if code.startswith("form-")]
EXERCISED.append(
    "entities-undeclared"
)  # a record for an unlisted entity set: tests/test_scope.py  # a file outside every repository: tests/test_scope.py
EXERCISED += ["symlink", "not-regular"]  # links, FIFOs, devices: tests/test_attack_files.py


def run_case(case: Case, tree: Tree, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    for name, value in case.patch.items():
        monkeypatch.setattr(yamlsrc, name, value)
    for name, content in case.files.items():
        tree.write(content, name)
    paths = [tree.dir / p for p in case.paths] or [tree.dir]
    return check_paths(paths, case.as_of)


def _param(case: Case) -> Any:
    marks = (
        [pytest.mark.xfail(yamlsrc.WITH_LIBYAML, reason=case.bug, strict=True)] if case.bug else []
    )
    return pytest.param(case, id=f"{case.code}:{case.name}", marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_catalogue_code(case: Case, tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = run_case(case, tree, monkeypatch)
    file, line, column = case.expect
    path = str(tree.dir / file)
    found = [
        p
        for p in problems
        if p.code == case.code and (p.path, p.line, p.column) == (path, line, column)
    ]
    assert found, f"no {case.code} at {file}:{line}:{column}; got {where(problems)}"
    problem = found[0]
    assert problem.severity is CATALOGUE[case.code].severity
    if case.zh is not None:
        assert problem.message("zh") == case.zh.format(dir=tree.dir)
    if case.en is not None:
        assert problem.message("en") == case.en.format(dir=tree.dir)
    assert "{" not in problem.message("zh") + problem.message("en")  # every template slot filled
    assert "{" not in problem.hint("zh") + problem.hint("en")


def test_every_catalogue_code_is_exercised() -> None:
    assert set(CATALOGUE) - set(EXERCISED) == set(), "catalogue codes without a test"
    assert set(EXERCISED) - set(CATALOGUE) == set(), "tests for codes the catalogue does not know"


def test_the_valid_fixture_is_clean(tree: Tree) -> None:
    assert tree.check() == []


def test_progress_fixture_is_clean(tree: Tree) -> None:
    tree.write(PROGRESS_YAML, "progress/hd-test.yaml")
    assert tree.check(as_of=dt.date(2025, 6, 30)) == []


# ------------------------------------------------------------------------------------------------
# Core: more cases from the must-have list, checked without the CLI.
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "expect", "first_line"),
    [
        pytest.param(
            ("    clause: 五、\n", "    clause: 五、\n    clause: 二、\n"),
            ("clause", 12, 5),
            11,
            id="measure",
        ),
        pytest.param(
            ("        kind: milestone\n", "        kind: milestone\n        kind: milestone\n"),
            ("kind", 26, 9),
            25,
            id="target",
        ),
        pytest.param(
            ("  region: 海东市\n", "  region: 海东市\n  id: hd-again\n"),
            ("id", 9, 3),
            3,
            id="document",
        ),
    ],
)
def test_duplicate_key_in_nested_mappings(
    tree: Tree, edit: tuple[str, str], expect: tuple[str, int, int], first_line: int
) -> None:
    tree.with_doc(edit)
    key, line, column = expect
    p = one(tree.check(), "duplicate-key")
    assert (p.line, p.column) == (line, column)
    assert p.message("en") == f"duplicate key `{key}` (first at line {first_line})"


def test_duplicate_ids_across_two_files(tree: Tree) -> None:
    tree.write(SECOND_DOC, "doc2.yaml")
    problems = [p for p in tree.check() if p.code == "duplicate-id"]
    second = str(tree.dir / "doc2.yaml")
    assert where(problems) == [
        ("duplicate-id", 10, 5),
        ("duplicate-id", 16, 9),
        ("duplicate-id", 24, 9),
    ]
    assert all(p.path == second for p in problems)
    assert (
        problems[1].message("en") == f"duplicate id `hd-5-1` (also at {tree.dir / 'doc.yaml'}:16:9)"
    )


def test_duplicate_document_id(tree: Tree) -> None:
    tree.write(
        doc_variant(
            ("  - id: hd-5\n", "  - id: hd-6\n"),
            ("- id: hd-5-1", "- id: hd-6-1"),
            ("- id: hd-5-2", "- id: hd-6-2"),
        ),
        "doc2.yaml",
    )
    p = one(tree.check(), "duplicate-id")
    assert (p.path, p.line, p.column) == (str(tree.dir / "doc2.yaml"), 3, 3)
    assert p.message("zh") == f"编号 `hd-test` 重复（另见 {tree.dir / 'doc.yaml'}:3:3）"


def test_unknown_unit_without_a_close_name(tree: Tree) -> None:
    tree.with_doc(("[市教育局]", "[完全不同的机构]"))
    p = one(tree.check(), "unknown-unit")
    assert (p.line, p.column) == (13, 18)
    assert p.message("en") == "unit `完全不同的机构` is not in the units registry"


def test_unknown_unit_in_second_list_item(tree: Tree) -> None:
    tree.with_doc(("[市发展和改革委员会, 各县区人民政府]", "[市发展和改革委员会, 各县人民政府]"))
    p = one(tree.check(), "unknown-unit")
    assert (p.line, p.column) == (14, 36)  # the second item of the flow list
    assert p.message("zh") == "单位 `各县人民政府` 不在单位名录中，是否是 `各县区人民政府`？"


def test_alias_resolves_only_in_its_region(tree: Tree) -> None:
    tree.with_doc(("  region: 海东市", "  region: 张掖市"))
    assert where([p for p in tree.check() if p.code == "unknown-unit"]) == [
        ("unknown-unit", 13, 18),
        ("unknown-unit", 14, 25),
        ("unknown-unit", 14, 36),
    ]


def test_unknown_key_without_a_close_name(tree: Tree) -> None:
    tree.with_doc(("    clause: 五、\n", "    clause: 五、\n    zzqqxx: 1\n"))
    p = one(tree.check(), "unknown-key")
    assert (p.line, p.column) == (12, 5)
    assert p.message("en") == "unknown field `zzqqxx`"
    assert p.hint("en").startswith("allowed fields: id, clause, title,")


def test_unknown_key_suggestion_in_a_measure(tree: Tree) -> None:
    tree.with_doc(("    lead_units: [市教育局]", "    lead_unit: [市教育局]"))
    p = one(tree.check(), "unknown-key")
    assert (p.line, p.column) == (13, 5)
    assert p.message("zh") == "未知字段 `lead_unit`，是否想写 `lead_units`？"


@pytest.mark.parametrize(
    ("edit", "value_col", "hint"),
    [
        pytest.param(("        value: 90", "        value: 010"), 16, "no leading zero", id="010"),
        pytest.param(
            ("        value: 90", "        value: 1_000"), 16, "no separators", id="1_000"
        ),
        pytest.param(("        value: 90", "        value: 9:30"), 16, "no separators", id="9:30"),
        pytest.param(("        value: 90", "        value: 90%"), 16, 'unit: "%"', id="90%"),
    ],
)
def test_yaml11_numbers_are_text_and_rejected(
    tree: Tree, edit: tuple[str, str], value_col: int, hint: str
) -> None:
    tree.with_doc(edit)
    problems = tree.check()
    p = next(p for p in problems if p.code == "wrong-type")
    raw = edit[1].split(": ")[1]
    assert (p.line, p.column) == (19, value_col)
    assert p.message("en") == f"`value` must be a number, found the text `{raw}`"
    assert hint in p.hint("en")


@pytest.mark.parametrize("word", ["no", "yes", "on", "off"])
def test_yaml11_booleans_are_text_and_rejected(tree: Tree, word: str) -> None:
    tree.with_doc(("        start: 2024年\n", f"        maintain: {word}\n"))
    p = one(tree.check(), "wrong-type")
    assert (p.line, p.column) == (21, 19)
    assert p.message("zh") == f"`maintain` 应为true 或 false，实际是文本 `{word}`"
    assert "yes/no/on/off" in p.hint("en")


def test_maintain_true_is_accepted(tree: Tree) -> None:
    tree.with_doc(("        start: 2024年\n", "        maintain: true\n"))
    assert tree.check() == []


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            ("  title: 海东市深化现代职业教育体系建设改革的十条措施", "  title: 2024-07-18"),
            id="date-in-title",
        ),
        pytest.param(
            ("  region: 海东市\n", "  region: 海东市\n  note: 2025-06-30\n"), id="date-in-note"
        ),
        pytest.param(("    clause: 五、", "    clause: 5"), id="number-in-clause"),
        pytest.param(("    title: 提升职业学校关键办学能力", "    title: no"), id="no-in-title"),
    ],
)
def test_plain_scalars_in_text_fields_are_text(tree: Tree, edit: tuple[str, str]) -> None:
    tree.with_doc(edit)
    assert tree.check() == []


def test_range_comparator_without_value_max(tree: Tree) -> None:
    tree.with_doc(('comparator: ">="', "comparator: range"))
    p = one(tree.check(), "missing-value")
    assert (p.line, p.column) == (16, 9)
    assert p.message("en") == "comparator `range` needs `value_max`"


def test_comparator_without_unit(tree: Tree) -> None:
    tree.with_doc(('        unit: "%"\n', ""))
    p = one(tree.check(), "missing-value")
    assert p.message("zh") == "比较方式 `>=` 需要 `unit`"


def test_tolerance_only_for_approx(tree: Tree) -> None:
    tree.with_doc(("        value: 90\n", "        value: 90\n        tolerance: 2\n"))
    p = one(tree.check(), "field-not-applicable")
    assert p.message("en") == "`tolerance` applies only to comparator approx"


def test_approx_with_tolerance_is_accepted(tree: Tree) -> None:
    tree.with_doc(
        ('comparator: ">="', "comparator: approx"),
        ("        value: 90\n", "        value: 90\n        tolerance: 2\n"),
    )
    assert tree.check() == []


def test_range_in_order_is_accepted(tree: Tree) -> None:
    tree.with_doc(
        ('comparator: ">="', "comparator: range"),
        ("        value: 90\n", "        value: 80\n        value_max: 90\n"),
    )
    assert tree.check() == []


def test_deadline_reason_on_measure_silences_no_deadline(tree: Tree) -> None:
    tree.with_doc(
        ("        deadline: 2025年底\n", ""),
        ("    targets:\n", "    deadline_reason: 文件未规定完成时限\n    targets:\n"),
    )
    assert tree.check() == []


def test_explicit_null_deadline_without_reason_warns(tree: Tree) -> None:
    tree.with_doc(("        deadline: 2025年底", "        deadline: null"))
    assert where(tree.check()) == [("no-deadline", 16, 9)]


def test_empty_lead_units_is_accepted(tree: Tree) -> None:
    tree.with_doc(("    lead_units: [市教育局]", "    lead_units: []"))
    assert tree.check() == []


def test_empty_targets_with_note_is_accepted(tree: Tree) -> None:
    tree.write(
        NO_TARGETS.replace("    targets: []\n", "    note: 只有原则性要求\n    targets: []\n")
    )
    assert tree.check() == []


def test_root_list_and_scalar(tree: Tree) -> None:
    tree.write("- zjtrack: 1\n- document: {}\n")
    assert where(tree.check()) == [("wrong-type", 1, 1)]
    assert tree.check()[0].message("en") == "`(root)` must be a mapping (key: value), found a list"
    tree.write("hello\n")
    assert (
        tree.check()[0].message("en")
        == "`(root)` must be a mapping (key: value), found the text `hello`"
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"  \n\n  \n   ", id="whitespace"),
        pytest.param("# 任务文件\n# 尚未填写\n".encode(), id="comments-only"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
    ],
)
def test_files_without_content_are_empty(tree: Tree, content: bytes) -> None:
    tree.write(content)
    p = one(tree.check(), "empty-file")
    assert (p.path, p.line, p.column) == (str(tree.doc), 0, 0)


def test_bom_and_crlf_are_accepted(tree: Tree) -> None:
    tree.write(b"\xef\xbb\xbf" + DOC_YAML.replace("\n", "\r\n").encode())
    assert tree.check() == []


def test_positions_after_bom_and_crlf_are_unchanged(tree: Tree) -> None:
    bad = doc_variant(("zjtrack: 1", "zjtrack: 2"), ("[市教育局]", "[市教育厅]"))
    tree.write(b"\xef\xbb\xbf" + bad.replace("\n", "\r\n").encode())
    assert where(tree.check()) == [("version", 1, 10), ("unknown-unit", 13, 18)]


def test_control_character_position_on_a_later_line(tree: Tree) -> None:
    tree.with_doc(("    title: 提升", "    title: 提升\x1b[31m"))
    p = one(tree.check(), "control-char")
    assert (p.line, p.column) == (12, 14)
    assert p.message("en") == "file contains the control character U+001B"


def test_utf16_big_endian_with_bom(tree: Tree) -> None:
    tree.write(b"\xfe\xff" + DOC_YAML.encode("utf-16-be"))
    p = one(tree.check(), "encoding")
    assert (p.line, p.column) == (1, 1)
    assert "UTF-16" in p.message("en")


def test_encoding_hint_names_the_fix(tree: Tree) -> None:
    tree.write(DOC_YAML.encode("gbk"))
    p = one(tree.check(), "encoding")
    assert p.hint("en") == "re-save it as UTF-8, e.g. iconv -f GB18030 -t UTF-8 FILE > NEW."


def test_tag_on_a_mapping_is_removed_and_reported(tree: Tree) -> None:
    tree.with_doc(("    clause: 五、", "    clause: !!python/object:__main__.X {a: 1}"))
    assert one(tree.check(), "tag").line == 11


# Without libyaml, PyYAML words these differently, and _SYNTAX_ZH has no translation for them.
PURE_UNTRANSLATED: set[str] = set()


@pytest.mark.parametrize(
    ("edit", "pos"),
    [
        pytest.param(("    clause: 五、", "\tclause: 五、"), (11, 1), id="tab-indent"),
        pytest.param(("      - id: hd-5-2", "\t- id: hd-5-2"), (24, 1), id="tab-before-dash"),
        pytest.param(
            ("    clause: 五、", "    clause: 五、见: 附件"), (11, 16), id="colon-in-text"
        ),
        pytest.param(("    clause: 五、", "    clause 五、"), (12, 5), id="missing-colon"),
        pytest.param(("    clause: 五、", "   clause: 五、"), (11, 4), id="bad-indent"),
        pytest.param(
            ("    lead_units: [市教育局]", "    lead_units: [市教育局"),
            (14, 22),
            id="unclosed-list",
        ),
        pytest.param(("    clause: 五、", "    clause: @五、"), (11, 13), id="reserved-char"),
    ],
)
@pytest.mark.parametrize("parser", ["default", "pure"])
def test_syntax_errors_are_explained_in_chinese(
    tree: Tree,
    edit: tuple[str, str],
    pos: tuple[int, int],
    parser: str,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    if parser == "pure":
        monkeypatch.setattr(yamlsrc, "WITH_LIBYAML", False)
        if request.node.callspec.id.split("-", 1)[1] in PURE_UNTRANSLATED:
            request.applymarker(
                pytest.mark.xfail(strict=True, reason="BUG: pure parser's message has no Chinese")
            )
    tree.with_doc(edit)
    p = one(tree.check(), "syntax")
    assert (p.line, p.column) == pos
    zh = p.message("zh")
    assert zh.startswith("YAML 语法错误：")
    assert re.search(r"[\u4e00-\u9fff]", zh.removeprefix("YAML 语法错误：")), f"untranslated: {zh}"
    assert p.message("en").startswith("YAML syntax error: ")


def test_merge_key_with_the_pure_parser(tree: Tree, pure_parser: None) -> None:
    tree.with_doc(("    clause: 五、\n", "    clause: 五、\n    <<: {section: 二、重点任务}\n"))
    assert where(tree.check()) == [("merge-key", 12, 5)]


def test_quoted_merge_key_is_just_an_unknown_key(tree: Tree) -> None:
    tree.with_doc(("    clause: 五、\n", '    clause: 五、\n    "<<": x\n'))
    assert where(tree.check()) == [("unknown-key", 12, 5)]


def test_alias_bomb_finishes_quickly(tree: Tree) -> None:
    lines = ["zjtrack: 1", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)
    ]
    tree.write("\n".join(lines) + "\n")
    start = time.perf_counter()
    problems = tree.check()
    assert time.perf_counter() - start < 2.0
    aliases = [p for p in problems if p.code == "alias"]
    assert len(aliases) == 9 + 8 * 9  # each anchor and each alias reported once, never expanded
    assert {p.line for p in aliases} <= set(range(2, 11))


def test_alias_is_reported(tree: Tree) -> None:
    tree.with_doc(("    clause: 五、\n", "    clause: &c 五、\n    section: *c\n"))
    problems = tree.check()
    assert [p.code for p in problems] == ["alias", "alias"]  # the anchor and the alias


def test_alias_is_reported_where_it_is_used(tree: Tree) -> None:
    tree.with_doc(("    clause: 五、\n", "    clause: &c 五、\n    section: *c\n"))
    assert ("alias", 12, 14) in where(tree.check())


def test_anchor_without_alias_is_reported(tree: Tree) -> None:
    tree.with_doc(("    clause: 五、", "    clause: &c 五、"))
    assert where(tree.check()) == [("alias", 11, 13)]


def test_duplicate_anchor_is_an_alias_problem(tree: Tree) -> None:
    tree.with_doc(("    clause: 五、\n", "    clause: &c 五、\n    section: &c 二、\n"))
    assert ("alias", 12, 14) in where(tree.check())


@pytest.mark.parametrize(
    ("edit", "pos"),
    [
        pytest.param(("        value: 90", "        value: !!int abc"), (19, 16), id="int-abc"),
        pytest.param(("        value: 90", "        value: !!int 0x1F"), (19, 16), id="int-hex"),
        pytest.param(("        value: 90", "        value: !!float abc"), (19, 16), id="float-abc"),
        pytest.param(("zjtrack: 1", "zjtrack: !!int x"), (1, 10), id="version-int-x"),
    ],
)
def test_explicit_core_tags_on_bad_text_do_not_crash(
    tree: Tree, edit: tuple[str, str], pos: tuple[int, int]
) -> None:
    tree.with_doc(edit)
    problems = tree.check()
    assert any(
        (p.line, p.column) == pos and p.code in {"tag", "wrong-type", "version"} for p in problems
    )


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(("        value: 90", "        value: !!int 010"), id="int-010"),
        pytest.param(("        value: 90", "        value: !!float nan"), id="float-nan"),
        pytest.param(("        start: 2024年", "        maintain: !!bool yes"), id="bool-yes"),
    ],
)
def test_explicit_core_tags_are_reported(tree: Tree, edit: tuple[str, str]) -> None:
    tree.with_doc(edit)
    assert "tag" in [p.code for p in tree.check()]


def test_id_with_trailing_newline_is_malformed(tree: Tree) -> None:
    tree.with_doc(("  - id: hd-5\n", '  - id: "hd-5\\n"\n'))
    assert where(tree.check()) == [("bad-id", 10, 9)]


@pytest.mark.parametrize(
    ("edit", "pos"),
    [
        pytest.param(("  issued: 2024-07-18", "  issued: 0000-01-01"), (7, 11), id="issued"),
        pytest.param(
            ("        deadline: 2025年底", "        deadline: 0000年底"), (22, 19), id="deadline"
        ),
    ],
)
def test_year_zero_is_a_bad_date(tree: Tree, edit: tuple[str, str], pos: tuple[int, int]) -> None:
    tree.with_doc(edit)
    assert where(tree.check()) == [("bad-date", *pos)]


def test_line_separator_inside_a_quote_is_refused_where_it_stands(tree: Tree) -> None:
    # YAML counts U+2028 as a line break and editors do not: every later line number would shift.
    tree.with_doc(
        ("  title: 海东市深化", '  title: "海东市\u2028深化'),
        ("体系建设改革的十条措施", '体系建设改革的十条措施"'),
        ("[市教育局]", "[市教育厅]"),
    )
    assert where(tree.check()) == [("control-char", 4, 14)]


def test_negative_percentage_message(tree: Tree) -> None:
    tree.with_doc(("        value: 90\n", "        value: -5\n"))
    p = one(tree.check(), "percent-over-100")
    assert "above 100%" not in p.message("en")


def test_duplicate_unit_regardless_of_order(make_tree: Callable[..., Tree]) -> None:
    # 海东市教育局 (region 海东市) has the alias 市教育局; a second unit is *named* 市教育局. In a 海东市
    # document `市教育局` is ambiguous, whichever unit comes first in units.yaml.
    plain = "  - name: 市教育局\n    kind: department\n"
    head, body = UNITS_YAML.split("units:\n")
    name_first = make_tree(units=head + "units:\n" + plain + body).check()
    alias_first = make_tree(units=UNITS_YAML + plain).check()
    assert [p.code for p in name_first if p.code == "duplicate-unit"] == [
        "duplicate-unit"
    ]  # passes today
    assert [p.code for p in alias_first if p.code == "duplicate-unit"] == [
        "duplicate-unit"
    ]  # not reported today


def test_unknown_member_is_reported_at_the_member(make_tree: Callable[..., Tree]) -> None:
    units = UNITS_YAML.replace(
        "    aliases: [各县区人民政府]\n",
        "    aliases: [各县区人民政府]\n    members: [甲县人民政府]\n",
    )
    p = one(make_tree(units=units).check(), "unknown-unit")
    assert (p.line, p.column) == (15, 15)


def test_unknown_member_is_reported(make_tree: Callable[..., Tree]) -> None:
    units = UNITS_YAML.replace(
        "    aliases: [各县区人民政府]\n",
        "    aliases: [各县区人民政府]\n    members: [甲县人民政府]\n",
    )
    p = one(make_tree(units=units).check(), "unknown-unit")
    assert p.path.endswith("units.yaml")
    assert p.message("en").startswith("unit `甲县人民政府` is not in the units registry")


def test_truncated_fixture_every_tenth_core(tree: Tree) -> None:
    data = DOC_YAML.encode()
    for tenth in range(10):
        tree.write(data[: len(data) * tenth // 10])
        problems = tree.check()
        assert any(p.severity is Severity.ERROR for p in problems), (tenth, where(problems))


# ------------------------------------------------------------------------------------------------
# CLI
# ------------------------------------------------------------------------------------------------

GITHUB_LINE = re.compile(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=[a-z0-9-]+::.+$")


def cli_json(tree: Tree, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("check", str(tree.dir), "--format", "json", *args)
    assert result.stderr == ""
    return result.exit_code, json.loads(result.stdout)


def test_cli_runner_keeps_streams_apart() -> None:
    result = runner().invoke(app, ["check", "/nonexistent/zjtrack-test"], env=CLEAN_ENV)
    assert result.exit_code == 2
    assert "unreadable" in result.stdout and "unreadable" not in result.stderr
    assert "1 个错误" in result.stderr and "1 个错误" not in result.stdout


def test_cli_clean_tree_is_silent(tree: Tree) -> None:
    result = cli("check", str(tree.dir))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_cli_errors_exit_1_with_text_on_stdout_and_summary_on_stderr(tree: Tree) -> None:
    tree.with_doc(("        value: 90\n", "        value: 120\n"))
    result = cli("check", str(tree.dir))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tree.doc}:16:9: 错误[percent-over-100] 百分比 120% 不在 0 到 100 之间",
        " 16 |       - id: hd-5-1",
        "    |         ^",
        "  = 提示: 核对原文；百分比目标在 0 到 100 之间。",
    ]
    assert result.stderr == "2 个文件：1 个错误，0 个警告\n"


def test_cli_caret_counts_wide_characters(tree: Tree) -> None:
    tree.with_doc(("[市发展和改革委员会, 各县区人民政府]", "[市发展和改革委员会, 各县人民政府]"))
    lines = cli("check", str(tree.dir)).stdout.splitlines()
    assert lines[1] == " 14 |     responsible_units: [市发展和改革委员会, 各县人民政府]"
    assert (
        lines[2]
        == "    | "
        + " " * (len("    responsible_units: [") + 2 * len("市发展和改革委员会") + 2)
        + "^"
    )


def test_cli_english(tree: Tree) -> None:
    tree.with_doc(("        value: 90\n", "        value: 120\n"))
    result = cli("check", str(tree.dir), "--lang", "en")
    assert result.exit_code == 1
    assert (
        result.stdout.splitlines()[0]
        == f"{tree.doc}:16:9: error[percent-over-100] percentage 120% is not between 0 and 100"
    )
    assert (
        result.stdout.splitlines()[-1]
        == "  = hint: check the document; a percentage lies between 0 and 100."
    )
    assert result.stderr == "2 files: 1 errors, 0 warnings\n"


def test_cli_language_from_environment(tree: Tree) -> None:
    tree.with_doc(("        value: 90\n", "        value: 120\n"))
    result = cli("check", str(tree.dir), env={"ZJTRACK_LANG": "en"})
    assert "percentage 120% is not between 0 and 100" in result.stdout


def test_cli_warnings_only_exit_0_unless_strict(tree: Tree) -> None:
    tree.with_doc(("        deadline: 2025年底\n", ""))
    relaxed = cli("check", str(tree.dir))
    assert relaxed.exit_code == 0
    assert relaxed.stdout.startswith(
        f"{tree.doc}:16:9: 警告[no-deadline] 目标 `hd-5-1` 没有完成时限\n"
    )
    assert relaxed.stderr == "2 个文件：0 个错误，1 个警告\n"
    strict = cli("check", str(tree.dir), "--strict")
    assert strict.exit_code == 1
    assert (strict.stdout, strict.stderr) == (relaxed.stdout, relaxed.stderr)


def test_cli_strict_on_a_clean_tree_is_0(tree: Tree) -> None:
    assert cli("check", str(tree.dir), "--strict").exit_code == 0


def test_cli_unreadable_path_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = cli("check", str(missing))
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{missing}: 错误[unreadable] 无法读取：")
    assert result.stderr == "0 个文件：1 个错误，0 个警告\n"


def test_cli_unreadable_path_wins_over_problems(tree: Tree) -> None:
    tree.with_doc(("        value: 90\n", "        value: 120\n"))
    result = cli("check", str(tree.dir), str(tree.dir / "missing.yaml"))
    assert result.exit_code == 2


def test_cli_json(tree: Tree) -> None:
    tree.with_doc(
        ("        value: 90\n", "        value: 120\n"), ("        deadline: 2025年6月底前\n", "")
    )
    code, out = cli_json(tree)
    assert code == 1
    assert out["version"] == 1
    assert (out["files"], out["errors"], out["warnings"]) == (2, 1, 1)
    assert out["problems"] == [
        {
            "code": "percent-over-100",
            "severity": "error",
            "path": str(tree.doc),
            "line": 16,
            "column": 9,
            "message": "百分比 120% 不在 0 到 100 之间",
            "hint": "核对原文；百分比目标在 0 到 100 之间。",
        },
        {
            "code": "no-deadline",
            "severity": "warning",
            "path": str(tree.doc),
            "line": 24,
            "column": 9,
            "message": "目标 `hd-5-2` 没有完成时限",
            "hint": "若文件规定了时限请填写 deadline；若未规定，写 deadline_reason: 文件未规定完成时限。",
        },
    ]


def test_cli_json_clean_and_english(tree: Tree) -> None:
    code, out = cli_json(tree, "--lang", "en")
    assert code == 0
    assert out == {"version": 1, "files": 2, "errors": 0, "warnings": 0, "problems": []}


def test_cli_json_unreadable(tmp_path: Path) -> None:
    result = cli("check", str(tmp_path / "nowhere"), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == ""
    out = json.loads(result.stdout)
    assert out["version"] == 1
    assert [(p["code"], p["line"], p["column"]) for p in out["problems"]] == [("unreadable", 0, 0)]


def test_cli_github(tree: Tree) -> None:
    tree.with_doc(
        ("        value: 90\n", "        value: 120\n"), ("        deadline: 2025年6月底前\n", "")
    )
    result = cli("check", str(tree.dir), "--format", "github")
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert all(GITHUB_LINE.match(line) for line in lines), lines
    assert lines[0] == (
        f"::error file={tree.doc},line=16,col=9,title=percent-over-100::"
        "百分比 120%25 不在 0 到 100 之间 (核对原文；百分比目标在 0 到 100 之间。)"
    )  # % escaped as %25
    assert lines[1].startswith(f"::warning file={tree.doc},line=24,col=9,title=no-deadline::")


def test_cli_github_selected_by_environment(tree: Tree) -> None:
    tree.with_doc(("        value: 90\n", "        value: 120\n"))
    result = cli("check", str(tree.dir), "--lang", "en", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert result.stdout == (
        f"::error file={tree.doc},line=16,col=9,title=percent-over-100::"
        "percentage 120%25 is not between 0 and 100 "
        "(check the document; a percentage lies between 0 and 100.)\n"
    )
    assert result.stderr == ""
    explicit = cli("check", str(tree.dir), "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout.startswith(f"{tree.doc}:16:9: 错误[percent-over-100]")


def test_cli_github_file_level_problem_has_no_line(tree: Tree) -> None:
    tree.write(b"")
    result = cli("check", str(tree.dir), "--format", "github")
    assert result.stdout == (
        f"::error file={tree.doc},title=empty-file::"
        "文件为空 (至少写入 `zjtrack: 1` 和文件内容；不需要的文件请删除。)\n"
    )


def test_cli_github_escapes_properties(tmp_path: Path) -> None:
    odd = tmp_path / "a,b:c"
    tree = write_tree(odd, doc=doc_variant(("        value: 90\n", "        value: 120\n")))
    result = cli("check", str(tree.dir), "--format", "github")
    line = result.stdout.splitlines()[0]
    assert "a%2Cb%3Ac" in line
    assert GITHUB_LINE.match(line)


# --- the must-have bad inputs, through the CLI: a clear message, exit 1, never a traceback ---------

# (name, content, expected problems as (code, line, column)); None: not pinned (see the xfail tests, or
# the parser decides where it gives up).
MUST_HAVE: list[tuple[str, Callable[[], str | bytes], list[tuple[str, int | None, int | None]]]] = [
    ("gbk", lambda: DOC_YAML.encode("gbk"), [("encoding", 4, 10)]),
    ("utf-16", lambda: DOC_YAML.encode("utf-16"), [("encoding", 1, 1)]),
    (
        "nul",
        lambda: doc_variant(("  title: 海东市", "  title: 海东市\x00")),
        [("control-char", 4, 13)],
    ),
    ("empty", lambda: b"", [("empty-file", 0, 0)]),
    ("whitespace", lambda: b"   \n\n  \n", [("empty-file", 0, 0)]),
    ("comment-only", lambda: "# 待填写\n".encode(), [("empty-file", 0, 0)]),
    ("second-document", lambda: DOC_YAML + "---\nzjtrack: 1\n", [("multiple-documents", 29, 1)]),
    ("root-list", lambda: "- 1\n- 2\n", [("wrong-type", 1, 1)]),
    ("root-scalar", lambda: "任务\n", [("wrong-type", 1, 1)]),
    ("duplicate-top", lambda: DOC_YAML + "measures: []\n", [("duplicate-key", 29, 1)]),
    (
        "duplicate-measure",
        lambda: doc_variant(("    clause: 五、\n", "    clause: 五、\n    clause: 六、\n")),
        [("duplicate-key", 12, 5)],
    ),
    (
        "duplicate-target",
        lambda: doc_variant(("        value: 90\n", "        value: 90\n        value: 95\n")),
        [("duplicate-key", 20, 9)],
    ),
    (
        "alias",
        lambda: doc_variant(("    clause: 五、\n", "    clause: &c 五、\n    section: *c\n")),
        [("alias", 11, 13), ("alias", 12, 14)],
    ),
    (
        "merge-key",
        lambda: doc_variant(("    clause: 五、\n", "    clause: 五、\n    <<: {section: x}\n")),
        [("merge-key", 12, 5)],
    ),
    (
        "python-tag",
        lambda: doc_variant(
            ("    clause: 五、", "    clause: !!python/object/apply:os.system [ls]")
        ),
        [("tag", 11, 13)],
    ),
    ("tab", lambda: doc_variant(("    clause: 五、", "\tclause: 五、")), [("syntax", 11, 1)]),
    (
        "maintain-no",
        lambda: doc_variant(("        start: 2024年", "        maintain: no")),
        [("wrong-type", 21, 19)],
    ),
    (
        "value-010",
        lambda: doc_variant(("        value: 90", "        value: 010")),
        [("wrong-type", 19, 16)],  # and no `>=` needs `value`: one problem, one message
    ),
    (
        "value-1_000",
        lambda: doc_variant(("        value: 90", "        value: 1_000")),
        [("wrong-type", 19, 16)],  # and no `>=` needs `value`: one problem, one message
    ),
    (
        "value-9:30",
        lambda: doc_variant(("        value: 90", "        value: 9:30")),
        [("wrong-type", 19, 16)],  # and no `>=` needs `value`: one problem, one message
    ),
    (
        "unknown-key",
        lambda: doc_variant(("        metric: 职业", "        metrc: 职业")),
        [("missing-field", 16, 9), ("unknown-key", 17, 9)],
    ),
    ("unknown-unit", lambda: doc_variant(("[市教育局]", "[市教育厅]")), [("unknown-unit", 13, 18)]),
    (
        "date-0230",
        lambda: doc_variant(("  issued: 2024-07-18", "  issued: 2025-02-30")),
        [("bad-date", 7, 11)],
    ),
    (
        "date-1301",
        lambda: doc_variant(("  issued: 2024-07-18", "  issued: 2025-13-01")),
        [("bad-date", 7, 11)],
    ),
    (
        "deadline-before-start",
        lambda: doc_variant(("        start: 2024年", "        start: 2026年")),
        [("deadline-before-start", 22, 19)],
    ),
    (
        "range-inverted",
        lambda: doc_variant(
            ('comparator: ">="', "comparator: range"),
            ("        value: 90\n", "        value: 90\n        value_max: 80\n"),
        ),
        [("range-inverted", 16, 9)],
    ),
    (
        "percent-over-100",
        lambda: doc_variant(("        value: 90\n", "        value: 100.5\n")),
        [("percent-over-100", 16, 9)],
    ),
    (
        "comparator-without-value",
        lambda: doc_variant(("        value: 90\n", "")),
        [("missing-value", 16, 9)],
    ),
    (
        "milestone-with-value",
        lambda: doc_variant(
            ("        kind: milestone\n", "        kind: milestone\n        unit: 个\n")
        ),
        [("milestone-with-value", 24, 9)],
    ),
    ("deep-flow", lambda: "[" * 10_000 + "]" * 10_000 + "\n", [("too-deep", 1, None)]),
    ("deep-block", lambda: "- " * 10_000 + "x\n", [("too-deep", 1, None)]),
]


MUST_HAVE_BUGS: dict[str, str] = {}


def _must_have_param(m: tuple[Any, ...]) -> Any:
    bug = MUST_HAVE_BUGS.get(m[0])
    marks = [pytest.mark.xfail(yamlsrc.WITH_LIBYAML, reason=bug, strict=True)] if bug else []
    return pytest.param(*m, id=m[0], marks=marks)


@pytest.mark.parametrize(("name", "content", "expected"), [_must_have_param(m) for m in MUST_HAVE])
def test_cli_must_have_inputs(
    tree: Tree,
    name: str,
    content: Callable[[], str | bytes],
    expected: list[tuple[str, int | None, int | None]],
) -> None:
    tree.write(content())
    start = time.perf_counter()
    code, out = cli_json(tree)
    assert time.perf_counter() - start < 5.0
    assert code == 1
    got = [(p["code"], p["line"], p["column"]) for p in out["problems"]]
    assert len(got) == len(expected), got
    for (code_, line, column), (want_code, want_line, want_column) in zip(
        got, expected, strict=True
    ):
        assert code_ == want_code, got
        assert want_line is None or line == want_line, got
        assert want_column is None or column == want_column, got
    for p in out["problems"]:
        assert p["message"] and "{" not in p["message"]
        assert p["path"] == str(tree.doc)


@pytest.mark.parametrize("name", ["gbk", "nul", "tab", "value-010", "unknown-key"])
def test_cli_must_have_text_output(tree: Tree, name: str) -> None:
    content = dict((m[0], m[1]) for m in MUST_HAVE)[name]
    tree.write(content())
    result = cli("check", str(tree.dir))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{tree.doc}:")
    assert re.search(r"错误\[[a-z0-9-]+\] \S", result.stdout)
    assert re.fullmatch(r"2 个文件：\d+ 个错误，\d+ 个警告\n", result.stderr)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: b"\xef\xbb\xbf" + DOC_YAML.encode(), id="bom"),
        pytest.param(lambda: DOC_YAML.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(
            lambda: b"\xef\xbb\xbf" + DOC_YAML.replace("\n", "\r\n").encode(), id="bom+crlf"
        ),
        pytest.param(
            lambda: doc_variant(
                ("  region: 海东市\n", "  region: 海东市\n  note: 2024-07-18\n")
            ).encode(),
            id="date-in-text",
        ),
    ],
)
def test_cli_accepted_variants(tree: Tree, content: Callable[[], bytes]) -> None:
    tree.write(content())
    result = cli("check", str(tree.dir))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_cli_duplicate_ids_across_two_files(tree: Tree) -> None:
    tree.write(SECOND_DOC, "doc2.yaml")
    code, out = cli_json(tree)
    assert code == 1
    assert {(p["code"], p["path"]) for p in out["problems"]} == {
        ("duplicate-id", str(tree.dir / "doc2.yaml"))
    }


def test_cli_truncated_fixture_every_tenth(tree: Tree) -> None:
    data = DOC_YAML.encode()
    for tenth in range(10):
        tree.write(data[: len(data) * tenth // 10])
        result = cli("check", str(tree.dir))
        assert result.exit_code == 1, (tenth, result.stdout)
        assert re.search(r"错误\[[a-z0-9-]+\] \S", result.stdout), (tenth, result.stdout)
        assert result.stderr.startswith("2 个文件：")


def test_cli_alias_bomb_is_quick(tree: Tree) -> None:
    lines = ["zjtrack: 1", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(12)
    ]
    tree.write("\n".join(lines) + "\n")
    start = time.perf_counter()
    code, out = cli_json(tree)
    assert time.perf_counter() - start < 3.0
    assert code == 1
    assert "alias" in {p["code"] for p in out["problems"]}


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_cli_surrogate_escape_does_not_crash(tree: Tree, fmt: str, pure_parser: None) -> None:
    tree.with_doc(("        kind: milestone", '        kind: "\\ud800"'))
    result = runner().invoke(app, ["check", str(tree.dir), "--format", fmt], env=CLEAN_ENV)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_year_zero(tree: Tree) -> None:
    tree.with_doc(("  issued: 2024-07-18", "  issued: 0000-01-01"))
    result = runner().invoke(app, ["check", str(tree.dir)], env=CLEAN_ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
