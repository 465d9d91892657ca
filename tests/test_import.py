"""`zjtrack import` and `zjtrack init`.

The importer is measured against the curated files in tasks/: each source document is imported
and compared target by target. Matching is by quote, both quotes with whitespace removed:

- exact: the quotes are equal (score 2);
- containment: one contains the other and the shorter is at least a third of the longer or at
  least 8 characters long (score 1 + shorter/longer);
- overlap: otherwise, the longest common substring covers at least 60% of the longer quote
  (score = that share).

Pairs of the same kind are assigned best score first, each imported target to one curated target
(ties: the pair in corresponding measures, same section and clause); curated targets of one measure
that share a quote (one sentence split in two) share its match. A QUANTITY target is recovered
when its match has the same comparator, value, value_max and deadline date; a DATED milestone when
its match has the same deadline date.

Then each unit-line form, each comparator form, Chinese numerals, relative deadlines, GBK and .docx
input, a document without unit lines, speed, and both commands end to end.
"""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import check_paths
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from zjtrack.cli.app import app as APP
from zjtrack.importer import (
    Draft,
    DraftTarget,
    cn_number,
    decode_source,
    import_text,
    join_paragraphs,
    squeeze,
)
from zjtrack.load import yamlsrc
from zjtrack.load.loader import load_file, load_paths, load_text
from zjtrack.model import Document, Measure, Name, Target, TargetKind, Unit, When
from zjtrack.problems import Severity
from zjtrack.registry import Registry
from zjtrack.render.taskfile import render, scalar

ROOT = Path(__file__).resolve().parent.parent
TASKS = ROOT / "tasks"
SEEDS = ROOT.parent / "shared" / "seeds"
QUOTE_TOOL = ROOT.parent / "shared" / "tools" / "check_quotes.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
HAIDONG = SEEDS / "003_9869fb98e2f8f066.txt"
ZHANGYE = SEEDS / "000_fd82b0ba76f22658.txt"
SOURCES = {"haidong-2024-74": (HAIDONG, "hd"), "zhangye-2024-2": (ZHANGYE, "zy")}

needs_seeds = pytest.mark.skipif(
    not HAIDONG.exists() or not ZHANGYE.exists(), reason="source documents not present"
)


def fixture_units() -> list[Unit]:
    return load_file(str(FIXTURES / "units.yaml")).units


def shipped_units() -> list[Unit]:
    return load_file(str(TASKS / "units.yaml")).units


def imported_document(draft: Draft) -> Document:
    """The draft as `zjtrack check` reads it: rendered, then loaded (no loader problems allowed)."""
    content = load_text(render(draft), "imported.yaml")
    assert content.problems == [], [(p.code, p.line) for p in content.problems]
    assert content.document is not None
    return content.document


def import_seed(doc_id: str) -> Draft:
    path, prefix = SOURCES[doc_id]
    return import_text(
        path.read_text(encoding="utf-8"),
        units=shipped_units(),
        doc_id=doc_id,
        prefix=f"{prefix}-imported",
        source=str(path),
    )


# ------------------------------------------------------------------------------------------------
# Against the curated files
# ------------------------------------------------------------------------------------------------


def score(curated: str, imported: str) -> float:
    c, i = squeeze(curated), squeeze(imported)
    if c == i:
        return 2.0
    short, long_ = sorted((c, i), key=len)
    if short and short in long_ and (3 * len(short) >= len(long_) or len(short) >= 8):
        return 1.0 + len(short) / len(long_)
    common = (
        difflib.SequenceMatcher(None, c, i, autojunk=False)
        .find_longest_match(0, len(c), 0, len(i))
        .size
    )
    share = common / max(len(c), len(i), 1)
    return share if share >= 0.6 else 0.0


def match(
    curated: list[tuple[Measure, Target]], imported: list[tuple[Measure, Target]]
) -> dict[str, Target | None]:
    """Curated target id -> its imported match (see the module docstring): the best-scoring pairs
    first, ties to the pair in corresponding measures (same section and clause)."""
    pairs = sorted(
        (
            (sc, (cm.section, cm.clause) == (im.section, im.clause), -ci, -ii)
            for ci, (cm, c) in enumerate(curated)
            for ii, (im, t) in enumerate(imported)
            if t.kind is c.kind and (sc := score(c.quote, t.quote)) > 0
        ),
        reverse=True,
    )
    out: dict[str, Target | None] = {c.id: None for _, c in curated}
    taken: set[int] = set()
    shared: dict[tuple[str, str], Target] = {}  # (measure, quote): one sentence split in two
    for _, _, ci, ii in pairs:
        cm, c = curated[-ci]
        if out[c.id] is not None:
            continue
        key = (cm.id, c.quote)
        if key in shared:
            out[c.id] = shared[key]
        elif -ii not in taken:
            taken.add(-ii)
            out[c.id] = shared[key] = imported[-ii][1]
    return out


def _date(w: When | None) -> dt.date | None:
    return w.date if w is not None else None


@dataclass
class Figures:
    document: str
    quantities: int = 0
    quantities_ok: int = 0
    dated: int = 0
    dated_ok: int = 0
    milestones: int = 0
    milestones_matched: int = 0
    imported_targets: int = 0
    misses: list[str] = field(default_factory=list)

    def show(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{a}/{b} ({a / b:.0%})" if b else "0/0"

        lines = [
            f"{self.document}: quantity targets {pct(self.quantities_ok, self.quantities)}, "
            f"dated milestones {pct(self.dated_ok, self.dated)}, "
            f"all milestones matched {pct(self.milestones_matched, self.milestones)}, "
            f"imported targets {self.imported_targets}"
        ]
        lines += [f"  miss: {m}" for m in self.misses]
        return "\n".join(lines)


def figures(doc_id: str) -> Figures:
    curated = next(d for d in load_paths([str(TASKS)]).plan.documents if d.id == doc_id)
    imported = imported_document(import_seed(doc_id))
    c_targets = [t for _, t in curated.targets()]
    i_targets = [t for _, t in imported.targets()]
    matched = match(curated.targets(), imported.targets())
    f = Figures(doc_id, imported_targets=len(i_targets))
    for c in c_targets:
        t = matched[c.id]
        if c.kind is TargetKind.QUANTITY:
            f.quantities += 1
            got = (t.comparator, t.value, t.value_max, _date(t.deadline)) if t else None
            want = (c.comparator, c.value, c.value_max, _date(c.deadline))
            if got == want:
                f.quantities_ok += 1
            else:
                f.misses.append(
                    f"{c.id} quantity {want} got {got} ({t.quote if t else 'no match'})"
                )
            continue
        f.milestones += 1
        f.milestones_matched += t is not None
        if _date(c.deadline) is not None:
            f.dated += 1
            if t is not None and _date(t.deadline) == _date(c.deadline):
                f.dated_ok += 1
            else:
                f.misses.append(
                    f"{c.id} dated milestone {_date(c.deadline)} got {_date(t.deadline) if t else 'no match'}"
                )
    return f


@needs_seeds
@pytest.mark.parametrize("doc_id", list(SOURCES))
def test_recovers_the_curated_targets(doc_id: str) -> None:
    f = figures(doc_id)
    print("\n" + f.show())
    assert f.quantities and f.quantities_ok >= 0.95 * f.quantities, f.show()
    assert f.dated_ok == f.dated, f.show()


@needs_seeds
def test_haidong_unit_lines_equal_the_curated_ones() -> None:
    curated = next(d for d in load_paths([str(TASKS)]).plan.documents if d.id == "haidong-2024-74")
    imported = imported_document(import_seed("haidong-2024-74"))
    registry = Registry(shipped_units())

    def canon(names: tuple[Name, ...]) -> set[str]:
        return {(u.name if (u := registry.resolve(n.text, "海东市")) else n.text) for n in names}

    assert [m.clause for m in imported.measures] == [m.clause for m in curated.measures]
    compared = 0
    for c, i in zip(curated.measures, imported.measures, strict=True):
        assert c.title == i.title
        cr, ir = c.responsibility, i.responsibility
        for key in (
            "lead_units",
            "responsible_units",
            "lead_colleges",
            "lead_enterprises",
            "supporting_units",
        ):
            assert canon(getattr(cr, key)) == canon(getattr(ir, key)), (c.id, key)
            compared += 1
        assert cr.lead_enterprise_rule == ir.lead_enterprise_rule, c.id
        assert i.lead_units_given
    print(
        f"\nhaidong-2024-74: unit fields equal in {compared}/{compared} (10 measures × 5 lists) + 2 lead_enterprise_rule"
    )


@needs_seeds
def test_zhangye_leads_come_only_from_prose_with_a_verbatim_quote() -> None:
    """张掖 has no unit lines: any lead is a 由…牵头/负责 phrase of the text, quoted and marked 待核."""
    source = squeeze(ZHANGYE.read_text(encoding="utf-8"))
    draft = import_seed("zhangye-2024-2")
    curated = next(d for d in load_paths([str(TASKS)]).plan.documents if d.id == "zhangye-2024-2")
    leads = [(m.units, m.note) for m in draft.measures] + [
        (t.units, t.note) for t in draft.targets() if t.units
    ]
    for units, note in leads:
        if units.lead_units:
            assert units.responsibility_quote and squeeze(units.responsibility_quote) in source
            assert note and note.startswith("待核")
    by_clause = {(m.section, m.clause): m for m in draft.measures}
    same = [
        c.id
        for c in curated.measures
        if sorted(n.text for n in c.responsibility.lead_units)
        == sorted(by_clause[(c.section, c.clause)].units.lead_units or [])
    ]
    print(
        f"\nzhangye-2024-2: measure-level leads (or their absence) agree with the curated file in "
        f"{len(same)}/{len(curated.measures)} measures: {', '.join(same)}"
    )
    assert {"zy-2.2", "zy-2.3", "zy-2.7"} <= set(same)


@needs_seeds
def test_imported_seeds_check_without_errors_and_quote_verbatim(tmp_path: Path) -> None:
    out = tmp_path / "tasks"
    out.mkdir()
    (out / "units.yaml").write_bytes((TASKS / "units.yaml").read_bytes())
    for doc_id in SOURCES:
        (out / f"{doc_id}.yaml").write_text(render(import_seed(doc_id)), encoding="utf-8")
    problems = check_paths([out])
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    assert {p.code for p in problems} <= {
        "needs-review",
        "no-lead-unit",
        "no-targets",
        "no-deadline",
    }
    if QUOTE_TOOL.exists():
        run = subprocess.run(
            [sys.executable, str(QUOTE_TOOL), str(out), str(HAIDONG), str(ZHANGYE)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout


@needs_seeds
def test_guesses_are_listed_by_check_as_needs_review(tmp_path: Path) -> None:
    draft = import_seed("zhangye-2024-2")
    path = tmp_path / "zy.yaml"
    path.write_text(render(draft), encoding="utf-8")
    (tmp_path / "units.yaml").write_bytes((TASKS / "units.yaml").read_bytes())
    flagged = {dict(p.args)["id"] for p in check_paths([tmp_path]) if p.code == "needs-review"}
    expected = {where for where, _ in draft.review_items() if where != draft.document.id}
    assert expected and flagged == expected


@needs_seeds
def test_header_of_both_documents() -> None:
    hd, zy = import_seed("haidong-2024-74").document, import_seed("zhangye-2024-2").document
    assert (hd.title, hd.doc_number, hd.issuer, hd.issued, hd.region) == (
        "海东市深化现代职业教育体系建设改革的十条措施",
        "东政办〔2024〕74号",
        "海东市人民政府办公室",
        dt.date(2024, 7, 18),
        "海东市",
    )
    assert (zy.title, zy.doc_number, zy.issuer, zy.issued, zy.region) == (
        "张掖市深化现代职业教育人才培养体系改革工作方案",
        "张教领〔2024〕2号",
        "中共张掖市委教育工作领导小组",
        dt.date(2024, 5, 13),
        "张掖市",
    )


@needs_seeds
def test_structure_of_zhangye_sections_goals_and_work_group() -> None:
    draft = import_seed("zhangye-2024-2")
    assert [(m.clause, m.kind, m.section) for m in draft.measures] == [
        ("一、", "goals", None),
        *[(f"（{c}）", "task", "二、重点任务") for c in "一二三四五六七八"],
        ("三、", "safeguards", None),
    ]
    assert draft.measures[1].title == "建立中高职托管培养机制"
    assert draft.work_group is not None and len(draft.work_group.members) == 18
    assert (
        draft.work_group.members[2].role == "副组长" and draft.work_group.members[2].name == "杨 城"
    )


# ------------------------------------------------------------------------------------------------
# Unit lines, in every form
# ------------------------------------------------------------------------------------------------


def fixture_draft(name: str) -> Draft:
    return import_text(
        (FIXTURES / name).read_text(encoding="utf-8"), units=fixture_units(), prefix="x"
    )


def test_unit_lines_on_their_own_lines_and_inline() -> None:
    draft = fixture_draft("unit-lines.txt")
    one, two, three, four = draft.measures
    assert one.units.lead_units == ["市教育局"]
    assert one.units.responsible_units == [
        "市财政局",
        "市人社局",
        "各县区人民政府",
    ]  # split on 、 and ，
    assert one.units.supporting_units == ["市发展和改革委员会"]
    assert two.units.lead_colleges == ["示例职业技术学院", "示例市中等职业学校"]
    assert two.units.lead_enterprise_rule == "由示例工业园区管委会选定行业龙头企业"
    assert two.units.lead_enterprises == []
    assert four.units.lead_enterprises == ["示例集团有限公司", "示例物流有限公司"]
    # inline, at the end of the paragraph: 牵头单位 and 配合单位 in one parenthesis
    assert three.units.lead_units == ["市人社局"]
    assert three.units.supporting_units == ["市财政局", "示例市新区管委会"]
    assert three.targets[0].quote == "建设5个公共实训基地"
    # the name the registry does not know is kept as written and listed for review
    assert draft.unknown_units == ["示例市新区管委会"]
    assert three.note and three.note.startswith("待核") and "示例市新区管委会" in three.note
    assert [m.note for m in (one, two, four)] == [None, None, None]


def test_first_listed_unit_leads_when_the_document_says_so() -> None:
    draft = fixture_draft("first-leads.txt")
    one, two = draft.measures
    assert one.units.lead_units == ["市教育局"] and one.units.responsible_units == [
        "市财政局",
        "各县区人民政府",
    ]
    assert one.units.responsibility_quote == "注：责任单位中列第一位者为牵头单位"
    assert two.units.lead_units == ["市人社局"] and two.units.responsible_units == [
        "市财政局"
    ]  # 市人社局（牵头）


def test_a_document_without_unit_lines_gets_no_invented_units(tmp_path: Path) -> None:
    draft = fixture_draft("no-units.txt")
    assert draft.measures and all(m.units.is_empty() for m in draft.measures)
    assert draft.unknown_units == [] and draft.unit_names() == []
    doc = imported_document(draft)
    assert not any(m.lead_units_given for m in doc.measures)  # no lead_units key at all
    (tmp_path / "units.yaml").write_bytes((FIXTURES / "units.yaml").read_bytes())
    (tmp_path / "doc.yaml").write_text(render(draft), encoding="utf-8")
    problems = check_paths([tmp_path])
    assert [p.code for p in problems if p.severity is Severity.ERROR] == []
    assert {dict(p.args)["id"] for p in problems if p.code == "no-lead-unit"} == {
        m.id for m in draft.measures
    }
    assert [m.kind for m in draft.measures] == ["goals", "task", "task", "safeguards"]


# ------------------------------------------------------------------------------------------------
# Quantities, comparators, numerals, deadlines, milestones
# ------------------------------------------------------------------------------------------------

HEAD = "示例市人民政府办公室文件\n\n示政办〔2024〕3号\n\n示例市测试方案\n\n示例市人民政府办公室\n\n2024年7月18日\n\n"


def targets_of(body: str, units: list[Unit] | None = None) -> list[DraftTarget]:
    draft = import_text(HEAD + "一、测试措施\n\n" + body + "\n", units=units or [], prefix="t")
    return draft.targets()


def quantity(sentence: str) -> DraftTarget:
    found = [t for t in targets_of(sentence) if t.kind == "quantity"]
    assert len(found) == 1, [(t.quote, t.kind) for t in targets_of(sentence)]
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("培育110家以上校企合作企业。", (">=", 110, None, "家")),
        ("建设不少于20个实训基地。", (">=", 20, None, "个")),
        ("达标学校比例达到90%。", (">=", 90, None, "%")),
        ("至少培养3名教学名师。", (">=", 3, None, "名")),
        ("培训超过100人次。", (">", 100, None, "人次")),
        ("辍学率不超过5%。", ("<=", 5, None, "%")),
        ("新增专业控制在10个以内。", ("<=", 10, None, "个")),
        ("失业率低于3%。", ("<", 3, None, "%")),
        ("招收约200名学生。", ("approx", 200, None, "名")),
        ("招生规模300人左右。", ("approx", 300, None, "人")),
        ("建设6—8个品牌专业。", ("range", 6, 8, "个")),
        ("遴选1-2个骨干专业。", ("range", 1, 2, "个")),
        ("设立1到2个工作室。", ("range", 1, 2, "个")),
        ("打造两到三门金课。", ("range", 2, 3, "门")),
        ("建设1个市级工作室。", ("=", 1, None, "个")),
        ("开展 19 项试点工作。", ("=", 19, None, "项")),
        ("落实资金500万元。", ("=", 5_000_000, None, "元")),  # 万/亿 scale the value
        ("募集社会捐赠5亿元以上。", (">=", 500_000_000, None, "元")),
        ("新增就业人数24万以上。", (">=", 240_000, None, "人")),
        ("新增绿地24万以上。", (">=", 24, None, "万")),
        ("床位数达到5.6万张。", (">=", 56_000, None, "张")),
        ("绿化率达到5%－10%。", ("range", 5, 10, "%")),
        ("建成10~12所示范学校。", ("range", 10, 12, "所")),
        ("培训1万名新型职业农民。", ("=", 10000, None, "名")),
        ("建设十所示范学校。", ("=", 10, None, "所")),
        ("就业率达百分之九十五以上。", (">=", 95, None, "%")),
    ],
)
def test_comparator_forms(sentence: str, expected: tuple[str, float, float | None, str]) -> None:
    t = quantity(sentence)
    assert (t.comparator, t.value, t.value_max, t.unit) == expected
    assert squeeze(t.quote) in squeeze(sentence)


def test_maintain_each_and_entities() -> None:
    t = quantity("总体就业率保持在 90%以上。")
    assert (t.comparator, t.value, t.maintain) == (">=", 90, True)
    t = quantity("每个中职学校遴选1-2个骨干专业。")
    assert (t.each, t.comparator) == ("每个中职学校", "range") and t.review
    t = quantity("支持甲职业学院、乙职业学校各建设1个实践中心。")
    assert (t.each, t.entities, t.value) == ("各", ["甲职业学院", "乙职业学校"], 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百一十", 110),
        ("三千", 3000),
        ("一万", 10000),
        ("二〇二五", 2025),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert cn_number(text) == value


def test_chinese_numerals_in_targets_and_not_in_names() -> None:
    assert quantity("建设两个产教融合共同体。").value == 2
    found = targets_of(
        "推动“十四五”规划落实，完善“一体两翼五重点”布局，打造一批品牌，五年一贯制培养。"
    )
    assert [t for t in found if t.kind == "quantity"] == []


def test_deadlines_and_starts_apply_forward_through_their_sentence() -> None:
    found = targets_of(
        "建立专业预警机制，“十四五”期间，撤销专业5个（2025年拟新增专业1个），停招6个。"
        "力争到 2025 年底，达标比例达到 90%以上。"
        "从2024年起，每个中职学校遴选1-2个骨干专业。"
        "2025年6月底前建成3个实训基地，同步开放2个共享平台。"
    )
    by_quote = {t.quote: t for t in found}
    assert by_quote["建立专业预警机制"].deadline is None  # before the time expression: not covered
    assert (
        by_quote["“十四五”期间，撤销专业5个"].deadline_date,
        by_quote["停招6个"].deadline_date,
    ) == (dt.date(2025, 12, 31), dt.date(2025, 12, 31))
    assert by_quote[
        "停招6个"
    ].deadline_reason  # the quote does not show it: say where it comes from
    assert by_quote["2025年拟新增专业1个"].deadline == "2025年"
    assert by_quote["力争到 2025 年底，达标比例达到 90%以上"].deadline == "2025年底"
    pick = by_quote["从2024年起，每个中职学校遴选1-2个骨干专业"]  # the time clause leads the quote
    assert (pick.start, pick.deadline) == ("2024年", None)
    assert by_quote["2025年6月底前建成3个实训基地"].deadline_date == dt.date(2025, 6, 30)
    assert by_quote["同步开放2个共享平台"].deadline_date == dt.date(2025, 6, 30)


def test_relative_deadlines_count_from_the_issue_date() -> None:
    three_years, six_months = (
        t
        for t in targets_of("3年内建成5个实训基地。两年内培训教师100名，6个月内出台1项办法。")
        if t.value in (5, 1)
    )
    assert (
        three_years.deadline_date == dt.date(2027, 7, 18) and three_years.deadline == "2027-07-18"
    )
    assert three_years.review and "3年内" in (three_years.deadline_reason or "")
    assert six_months.deadline_date == dt.date(2025, 1, 18)
    two = next(t for t in targets_of("两年内培训教师100名。") if t.kind == "quantity")
    assert two.deadline_date == dt.date(2026, 7, 18)
    undated = import_text("一、测试\n\n3年内建成5个实训基地。\n", prefix="u").targets()[0]
    assert undated.deadline_date is None and undated.review  # no issue date: not guessed


def test_milestones_with_and_without_deadlines() -> None:
    found = targets_of(
        "到2024年底，建立中高职贯通培养工作机制，在市职教中心设立培黎职业学院甘州分院。"
        "培黎职业学院与各中职学校签订托管协议。"
        "成立1个市域产教联合体并积极申报省级试点。"
    )
    milestones = {t.quote: t.deadline for t in found if t.kind == "milestone"}
    assert milestones == {
        "到2024年底，建立中高职贯通培养工作机制": "2024年底",
        "在市职教中心设立培黎职业学院甘州分院": "2024年底",
        "培黎职业学院与各中职学校签订托管协议": None,
        "成立1个市域产教联合体并积极申报省级试点": None,
    }
    assert [t.quote for t in found if t.kind == "quantity"] == ["成立1个市域产教联合体"]


def test_background_numbers_are_not_targets() -> None:
    found = targets_of("聚焦张掖市“5个产业集群”和12条产业链，巩固提升1所优质学校建设成果。")
    assert [t.kind for t in found] == ["milestone"] and found[
        0
    ].review  # 巩固…: a milestone to review


def test_page_breaks_inside_a_sentence_are_joined() -> None:
    lines = [
        "一、标题",
        "",
        "积极争创省级产",
        "",
        "教融合试点城市。",
        "",
        "牵头单位：市教育局",
        "",
        "责任单位：市财政局",
    ]
    assert join_paragraphs(lines) == [
        "一、标题",
        "积极争创省级产教融合试点城市。",
        "牵头单位：市教育局",
        "责任单位：市财政局",
    ]
    joined = join_paragraphs(["（五）共建队伍。根据要求，", "", "在委员会下设教研室。"])
    assert joined == ["（五）共建队伍。根据要求，在委员会下设教研室。"]


# ------------------------------------------------------------------------------------------------
# Encodings, .docx, the command
# ------------------------------------------------------------------------------------------------


IMPORT_DAY = dt.date(2026, 12, 7)  # the clock `import` reads here (ZJTRACK_TODAY)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(APP, list(args), env={"ZJTRACK_TODAY": IMPORT_DAY.isoformat()})
    return result.exit_code, result.stdout, result.stderr


def test_decode_source() -> None:
    text = "海东市教育局：到2025年底"
    assert decode_source(text.encode("utf-8")) == (text, None)
    assert decode_source(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, None)
    assert decode_source(text.encode("gbk")) == (text, "GB18030/GBK")
    assert decode_source(b"\xff\xfe" + text.encode("utf-16-le"))[0] == text
    assert decode_source(b"a\r\nb")[0] == "a\nb"


def test_gbk_input_is_decoded_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (FIXTURES / "unit-lines.txt").read_text(encoding="utf-8")
    (tmp_path / "doc.txt").write_bytes(text.encode("gbk"))
    code, _, err = invoke(
        "import", "doc.txt", "-o", "out.yaml", "--units", str(FIXTURES / "units.yaml")
    )
    assert code == 0, err
    assert "GB18030/GBK" in err
    draft = import_text(
        text, units=fixture_units(), doc_id="out", source="doc.txt", tracked_from=IMPORT_DAY
    )
    assert (tmp_path / "out.yaml").read_text(encoding="utf-8") == render(draft)


def test_docx_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    monkeypatch.chdir(tmp_path)
    text = (FIXTURES / "unit-lines.txt").read_text(encoding="utf-8")
    document = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "附表", "无"
    document.save(str(tmp_path / "doc.docx"))
    code, _, err = invoke(
        "import", "doc.docx", "-o", "tasks/x.yaml", "--units", str(FIXTURES / "units.yaml")
    )
    assert code == 0, err
    doc = load_file(str(tmp_path / "tasks" / "x.yaml")).document
    assert doc is not None and doc.doc_number == "示政办〔2025〕7号" and len(doc.measures) == 4
    assert [t.quote for _, t in doc.targets()] == [
        "到2026年底，建成3所高水平职业学校",
        "组建1个市域产教联合体",
        "建设5个公共实训基地",
        "签订3项校企合作协议",
    ]
    code, _, err = invoke("import", str(FIXTURES / "units.yaml").replace(".yaml", ".doc"))
    assert code == 2


def test_never_overwrites_without_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = str(FIXTURES / "unit-lines.txt")
    (tmp_path / "tasks").mkdir()
    existing = tmp_path / "tasks" / "x.yaml"
    existing.write_text("keep me\n", encoding="utf-8")
    code, out, err = invoke("import", source, "-o", "tasks/x.yaml")
    assert (code, out) == (2, "") and "--force" in err
    assert existing.read_text(encoding="utf-8") == "keep me\n"
    code, _, err = invoke(
        "import", source, "-o", "tasks/x.yaml", "--force", "--units", str(FIXTURES / "units.yaml")
    )
    assert code == 0, err
    assert existing.read_text(encoding="utf-8").startswith("# 由 zjtrack import")
    assert not list((tmp_path / "tasks").glob(".*tmp"))


def test_default_output_stdout_and_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "units.yaml").write_bytes((FIXTURES / "units.yaml").read_bytes())
    code, out, err = invoke(
        "import", str(FIXTURES / "unit-lines.txt"), "--id", "shili-2025-7", "--prefix", "sl"
    )
    assert code == 0 and out == ""
    written = load_file(str(tmp_path / "tasks" / "shili-2025-7.yaml")).document
    assert written is not None and written.measures[0].id == "sl-1"
    for word in (
        "措施 4",
        "单位 11",
        "数量目标 4",
        "里程碑 0",
        "待核 1 项",
        "未登记单位 1",
        "已在 tasks/units.yaml 登记 1 个单位",
    ):
        assert word in err, (word, err)
    registry = load_file(str(tmp_path / "tasks" / "units.yaml"))
    assert registry.problems == [] and "示例市新区管委会" in {u.name for u in registry.units}
    assert check_paths([tmp_path / "tasks"]) == [] or all(
        p.severity is not Severity.ERROR for p in check_paths([tmp_path / "tasks"])
    )
    code, out, err = invoke("import", str(FIXTURES / "unit-lines.txt"), "-o", "-", "--lang", "en")
    assert code == 0 and out.startswith("# 由 zjtrack import") and "measures 4" in err


def test_unreadable_input(tmp_path: Path) -> None:
    code, out, err = invoke("import", str(tmp_path / "missing.txt"))
    assert (code, out) == (2, "") and "missing.txt" in err


def _pages() -> list[str]:
    """~2,000-character pages of real policy text: each 海东 measure's paragraph, repeated to fill
    the page (a dense synthetic page when the source documents are not present)."""
    if HAIDONG.exists():
        body = HAIDONG.read_text(encoding="utf-8").split("一、加强党建和思想政治工作")[1]
        paragraphs = [p for p in join_paragraphs(body.split("\n")) if len(p) > 200]
        return [(p * (2000 // len(p) + 1))[:2000] for p in paragraphs]
    page = (
        "力争到2025年底，职业学校办学条件达标学校的比例达到90%以上。建设6—8个品牌示范专业（群），"
        "建立健全专业设置预警和动态调整机制，“十四五”期间，撤销专业5个（2025年拟新增专业1个），停招6个。"
        "鼓励职业院校聘请“海东乡村工匠”进学校、进课堂，设立1—2所名师工作室，持续建设高水平教师队伍。"
    )
    return [(page * (2000 // len(page) + 1))[:2000]]


def test_a_hundred_pages_in_under_a_second() -> None:
    """100 measures of ~2,000 characters each, with targets, deadlines and unit lines."""
    pages = _pages()
    parts = [
        f"{_cn(i)}、第{i}项措施\n\n{pages[i % len(pages)]}\n\n牵头单位：市教育局\n\n"
        f"责任单位：市财政局、各县区人民政府\n\n"
        for i in range(1, 101)
    ]
    text = HEAD + "".join(parts)
    assert len(text) >= 190_000
    units = fixture_units()
    cpu = wall = float("inf")
    for _ in range(3):  # the best of three, in CPU time: a busy machine must not fail the test
        started, started_cpu = time.perf_counter(), time.process_time()
        draft = import_text(text, units=units, prefix="p")
        render(draft)
        cpu, wall = (
            min(cpu, time.process_time() - started_cpu),
            min(wall, time.perf_counter() - started),
        )
    print(
        f"\n100 pages ({len(text)} characters): {len(draft.measures)} measures, {len(draft.targets())} targets "
        f"in {cpu:.3f} s CPU ({wall:.3f} s wall)"
    )
    # speed is measured by benchmarks/import_speed.py; here only a generous bound against a
    # quadratic regression, so that a busy machine does not fail the suite
    assert len(draft.measures) == 100 and cpu < 10.0


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n == 100:
        return "一百"
    tens, ones = divmod(n, 10)
    return (
        (digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[ones] if ones else "")
    )


# ------------------------------------------------------------------------------------------------
# zjtrack init
# ------------------------------------------------------------------------------------------------


def test_init_makes_a_repository_that_passes_strict_check(tmp_path: Path) -> None:
    from zjtrack.cli.app import app

    target = tmp_path / "repo"
    code, out, err = invoke("init", str(target))
    assert code == 0 and out == "", err
    for name in (
        "tasks/units.yaml",
        "tasks/example-2025-1.yaml",
        ".pre-commit-config.yaml",
        ".github/workflows/zjtrack.yml",
        "README.md",
        "zjtrack.schema.json",
    ):
        assert (target / name).is_file(), name
    result = CliRunner().invoke(app, ["check", str(target / "tasks"), "--strict"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert "id: zjtrack-check" in (target / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "zjtrack check tasks --strict" in (target / ".github/workflows/zjtrack.yml").read_text(
        encoding="utf-8"
    )
    assert "zjtrack import" in (target / "README.md").read_text(encoding="utf-8")


def test_init_numbers_issues_from_the_week_it_ran(tmp_path: Path) -> None:
    """Issue numbers hold from the start, records or none: init writes first_week (the week of
    2026-12-07, the clock here), so a repository that has recorded nothing yet does not call
    every week 第1期 and renumber them at its first record."""
    from zjtrack.cli.app import app

    target = tmp_path / "repo"
    assert invoke("init", str(target))[0] == 0
    config = (target / "tasks" / "config.yaml").read_text(encoding="utf-8")
    assert "\n  first_week: 2026-W50\n" in config
    tasks = str(target / "tasks")
    for week, as_of, number in (
        ("2026-W50", "2026-12-13", "**第1期**"),
        ("2026-W52", "2026-12-27", "**第3期**"),
    ):
        run = CliRunner().invoke(app, ["report", "weekly", tasks, "--week", week, "--as-of", as_of])
        assert run.exit_code == 0, run.stderr
        assert number in run.stdout, week
    earlier = CliRunner().invoke(
        app, ["report", "weekly", tasks, "--week", "2026-W49", "--as-of", "2026-12-06"]
    )
    assert earlier.exit_code == 0 and "期**" not in earlier.stdout  # before issue 1: no number


def test_init_refuses_a_non_empty_folder_without_force(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a fresh `git init` does not count
    code, _, err = invoke("init", str(tmp_path))
    assert code == 0, err
    mine = tmp_path / "README.md"
    mine.write_text("my readme\n", encoding="utf-8")
    (tmp_path / "tasks" / "units.yaml").unlink()
    code, _, err = invoke("init", str(tmp_path))
    assert code == 2 and "--force" in err
    assert not (tmp_path / "tasks" / "units.yaml").exists()
    code, _, err = invoke("init", str(tmp_path), "--force")
    assert code == 0 and (tmp_path / "tasks" / "units.yaml").exists()
    assert mine.read_text(encoding="utf-8") == "my readme\n" and "README.md" in err


# ------------------------------------------------------------------------------------------------
# The renderer's scalars read back as the same text
# ------------------------------------------------------------------------------------------------

_TEXT = st.one_of(
    st.text(
        alphabet=list("ab 1-:#,[]{}'\"%@&*!|>?~\\.海东“”（）、，：\t"), min_size=1, max_size=20
    ),
    st.sampled_from(
        ["yes", "No", "null", "~", "10", "010", "1.5", "2024-07-18", "true", "- x", "a: b", "#c"]
    ),
)


@given(_TEXT, st.booleans())
def test_scalars_read_back_as_written(text: str, flow: bool) -> None:
    if not text.strip():
        return
    source = f"k: [{scalar(text, flow=True)}]\n" if flow else f"k: {scalar(text)}\n"
    node, problems = yamlsrc.compose(source, "x.yaml")
    assert problems == [] and node is not None
    value = node.value[0][1]
    if flow:
        value = value.value[0]
    assert (value.tag, value.value) == (yamlsrc.STR, text)


@needs_seeds
def test_a_draft_never_replaces_records_or_the_registry(tmp_path: Path) -> None:
    """`import -o tasks/progress/haidong-2024-74.yaml --force` replaced a progress file with a
    draft (its acknowledged records lost), and `-o tasks/units.yaml --force` the registry
    (adversarial pass, issue 13)."""
    tasks = tmp_path / "tasks"
    shutil.copytree(TASKS, tasks)
    (tasks / "progress").mkdir()
    progress = tasks / "progress" / "haidong-2024-74.yaml"
    progress.write_text("zjtrack: 1\ndocument: haidong-2024-74\n", encoding="utf-8")
    for dest in (
        progress,
        tasks / "units.yaml",
        tasks / "config.yaml",
        tasks / "returns" / "x.yaml",
    ):
        before = dest.read_bytes() if dest.exists() else None
        code, out, err = invoke("import", str(HAIDONG), "-o", str(dest), "--force")
        assert code == 2 and out == "" and "--force" in err, (dest, err)
        assert (dest.read_bytes() if dest.exists() else None) == before
    assert not (tasks / "progress" / "units.yaml").exists()


@needs_seeds
def test_a_registry_elsewhere_is_copied_once_and_the_draft_checks_clean(tmp_path: Path) -> None:
    """`import --units tasks/units.yaml -o NEW/draft.yaml` wrote every unit the registry
    resolved twice into NEW/units.yaml (copied, and again as new): 7 duplicate-unit errors."""
    out = tmp_path / "new" / "draft.yaml"
    units = str(TASKS / "units.yaml")
    code, _, err = invoke("import", str(ZHANGYE), "-o", str(out), "--units", units)
    assert code == 0, err
    registry = load_file(str(out.parent / "units.yaml")).units
    names = [u.name for u in registry]
    assert len(names) == len(set(names))
    result = CliRunner().invoke(APP, ["check", str(out)])
    assert result.exit_code == 0, result.stdout


def test_init_never_writes_through_a_linked_folder(tmp_path: Path) -> None:
    """`tasks -> /outside` and `.github -> /outside` made `init --force` write the registry, the
    example and the workflow outside the folder named (adversarial pass, issue 13)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("tasks", ".github"):
        link = repo / name
        link.symlink_to(outside)
        code, _, err = invoke("init", str(repo), "--force")
        assert code == 2 and "符号链接" in err, err
        assert list(outside.iterdir()) == []
        link.unlink()
