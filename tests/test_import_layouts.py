"""`zjtrack import` on layouts the two shipped documents do not have. Each test names the layout it
covers with a small constructed snippet (not text from any corpus document)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import check_paths
from typer.testing import CliRunner

from zjtrack.cli.app import app as APP
from zjtrack.importer import MISSING, TooLarge, import_text, review_kinds
from zjtrack.importer.units import split_names
from zjtrack.importer.unitsfile import abbreviates, new_units, short_forms, unit_kind
from zjtrack.load.loader import load_file, load_paths, load_text
from zjtrack.problems import Severity
from zjtrack.registry import Registry
from zjtrack.render.taskfile import render, with_aliases

HEAD = "示例省人民政府文件\n示政发〔2020〕9号\n示例省人民政府关于加快某项工作的若干意见\n"
SIGN = "示例省人民政府\n2020年3月2日\n"


ROOT = Path(__file__).resolve().parent.parent


def draft_of(body: str, head: str = HEAD, sign: str = SIGN):  # type: ignore[no-untyped-def]
    return import_text(head + body + sign, prefix="t")


def test_trailing_responsibility_with_first_listed_lead_rule() -> None:
    """Layout: （一）… each ending （A、B负责。列第一位者为牵头单位，下同）."""
    d = draft_of(
        "一、支持企业\n"
        "（一）加大支持力度。对企业给予支持。（甲部、乙部负责。列第一位者为牵头单位，下同）\n"
        "（二）优化服务。简化办理流程。（丙局、甲部，各省级人民政府按职责分工负责）\n"
        "（三）开展培训。组织开展培训。（甲部等有关部门和单位负责）\n"
    )
    one, two, three = d.measures
    assert (one.units.lead_units, one.units.responsible_units) == (["甲部"], ["乙部"])
    assert (two.units.lead_units, two.units.responsible_units) == (
        ["丙局"],
        ["甲部", "各省级人民政府"],
    )
    assert (three.units.lead_units, three.units.responsible_units) == (
        ["甲部"],
        ["等有关部门和单位"],
    )
    assert one.targets and one.targets[0].quote == "对企业给予支持"  # the parenthesis is not quoted


def test_numbered_items_with_first_listed_department_rule() -> None:
    """Layout: 四、 → （一） → items 1.–n., each ending （A、B负责，排在第一位的部门为牵头部门，下同）."""
    d = draft_of(
        "一、主要任务\n（一）统筹两个市场。\n"
        "1.拓展市场。在区内推广试点。（甲总局、乙部负责，排在第一位的部门为牵头部门，下同）\n"
        "2.适用政策。允许企业享受政策。（乙部负责）\n"
        "（二）推动创新。\n"
        "3.促进研发。简化研发货物手续。（丙署、丁部等有关部门负责）\n"
    )
    assert [m.id for m in d.measures] == ["t-1", "t-2", "t-3"]
    assert [m.clause for m in d.measures] == ["1.", "2.", "3."]
    assert d.measures[0].units.lead_units == ["甲总局"]
    assert d.measures[1].units.lead_units == ["乙部"]
    assert d.measures[2].units.responsible_units == ["丁部", "等有关部门"]
    assert [t for t in d.targets() if t.kind == "quantity"] == []  # 两个市场 is a name


def test_labelled_inline_units_with_supporting_units_and_collective() -> None:
    """Layout: 1．… （牵头单位：X，配合单位：Y、Z，各区、县级市政府）."""
    d = draft_of(
        "一、就业\n"
        "1．创造就业机会。年均开发2万个以上公益性岗位。（牵头单位：市人社局，配合单位：市财政局、市发改委，各区、县级市政府）\n"
        "2．加强培训。每年培训10万人次。（牵头单位：市人社局）\n"
        "3．完善服务。健全服务体系。（牵头单位：市民政局，配合单位：市财政局）\n"
    )
    one = d.measures[0]
    assert one.units.lead_units == ["市人社局"]
    assert one.units.supporting_units == ["市财政局", "市发改委", "各区、县级市政府"]
    assert one.units.responsible_units == []


def test_each_unit_parenthesis_answers_for_at_least_one_target() -> None:
    """Layout: …营造良好的准入环境。（甲局负责）…创新人才培养机制…（乙局、丙部负责）…推动消费便利化。
    （丁会、戊行负责）: a run with no milestone of its own (no verb the lists name) is kept as
    one, marked for review, so its units are not lost (before, only the measure's union named
    甲局 and 丁会)."""
    d = draft_of(
        "一、任务\n"
        "（十）鼓励创新创业。大力推进商事制度改革，营造良好的体育竞赛表演产业准入环境。（甲局负责）"
        "加强体育产业创新创业教育服务，帮助企业、高校等有效对接。创新人才培养机制，"
        "支持有条件的高等院校设置相关专业和课程。（乙局、丙部负责）"
        "支持金融机构创新消费支付产品，推动消费便利化。（丁会、戊行负责）\n"
    )
    (m,) = d.measures
    groups = [t.units.responsible_units for t in m.targets]
    assert groups[0] == ["甲局"] and groups[-1] == ["丁会", "戊行"]
    assert ["乙局", "丙部"] in groups
    first, last = m.targets[0], m.targets[-1]
    assert first.quote.startswith("大力推进商事制度改革") and last.quote.endswith("推动消费便利化")
    assert any("以该段正文记为一个里程碑" in r for r in first.review + last.review)


def test_titled_items_are_the_measures_without_unit_lines() -> None:
    """Layout: 二、主要任务 / （一）扩大供给 / 1.有序扩大来源。… (each item a title sentence, no
    unit parentheses): the items are the measures, so one item's 到2025年 does not date the
    next item's goal (before, the title check never matched and （一） took all its items)."""
    d = draft_of(
        "二、主要任务\n（一）扩大签约服务供给\n"
        "1.有序扩大家庭医生来源。到2025年，每万常住人口家庭医生数不低于4.66人。\n"
        "2.不断优化签约服务团队。组建团队提供签约服务。\n"
        "3.加强中医药服务。100%的社区卫生服务中心完成中医馆设置。\n"
        "（二）拓展签约服务内涵\n1.提升服务能力。在全科服务基础上拓展专科服务。\n"
    )
    assert [(m.clause, m.title) for m in d.measures] == [
        ("1.", "有序扩大家庭医生来源"),
        ("2.", "不断优化签约服务团队"),
        ("3.", "加强中医药服务"),
        ("1.", "提升服务能力"),
    ]
    goal = d.measures[2].targets[0]
    assert (goal.value, goal.deadline) == (100, None)


def test_youth_league_and_association_names_are_units() -> None:
    """Names: 共青团中央, 团中央, 市科协 (before, one such name dropped its whole unit line)."""
    d = draft_of(
        "一、任务\n（三）拓展渠道。积极参与消费扶贫。"
        "（民政部、共青团中央、全国妇联等和各省级人民政府负责）\n"
        "（四）加强宣传。开展宣传活动。（民政部、团中央、市科协负责）\n"
    )
    assert [m.units.responsible_units for m in d.measures] == [
        ["民政部", "共青团中央", "全国妇联", "各省级人民政府"],
        ["民政部", "团中央", "市科协"],
    ]


def test_units_from_an_annexed_task_table() -> None:
    """Layout: a body without unit lines and 附件2 任务分工表 as tab-separated rows (序号 工作事项
    主要内容 牵头单位 配合单位 …), a merged cell's continuation row naming other units for
    part of a task, 「/」 for none and a full-width comma between names."""
    table = (
        "附件2\n任务分工表\n"
        "序号\t工作事项\t主要内容\t牵头单位\t配合单位\t委内处室\n"
        "1\t有序扩大来源。\t到2025年，家庭医生数不低于4.66人。\t各区政府\t甲委\t基层处\n"
        "组建家庭医生签约服务团队。\t各区政府\t甲委、乙局\t人事处\n"
        "2\t保障合理用药。\t统一药品供应目录。\t丙局，各区政府\t/\t药政处\n"
        "3\t未写入正文的事项。\t开展其他工作。\t乙局\t/\t/\n"
    )
    d = draft_of(
        "一、主要任务\n"
        "1.有序扩大来源。到2025年，家庭医生数不低于4.66人。组建家庭医生签约服务团队。\n"
        "2.保障合理用药。统一药品供应目录。\n"
        "3.优化服务。建立转诊制度。\n",
        sign=SIGN + "附件：1.任务分工表\n" + table,
    )
    one, two, three = d.measures
    assert (one.units.lead_units, one.units.supporting_units) == (["各区政府"], ["甲委"])
    team = next(t for t in one.targets if "组建" in t.quote)
    assert team.units is not None and team.units.supporting_units == ["甲委", "乙局"]
    assert (two.units.lead_units, two.units.supporting_units) == (["丙局", "各区政府"], [])
    assert three.units.is_empty()  # no row titled 优化服务: nothing guessed
    assert any("任务分工表有 1 行未对应" in r for r in d.document.review)


def test_a_title_line_ending_in_wenjian_and_a_cited_notice_are_not_the_header() -> None:
    """Header: 国务院办公厅关于全面推行行政规范性文件 / 合法性审核机制的指导意见 (a title over two
    lines, the first ending in 文件: no red header) and a body citing 《国务院关于印发…的通知》
    (not this document's notice)."""
    d = draft_of(
        "一、任务\n（一）明确办法。各单位要认真执行《国务院关于印发实施〈示例法〉若干规定的通知》。\n",
        head="国务院办公厅关于全面推行行政规范性文件\n合法性审核机制的指导意见\n国办发〔2018〕115号\n",
        sign="国务院办公厅\n2018年12月4日\n",
    )
    doc = d.document
    assert (doc.title, doc.issuer) == (
        "国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见",
        "国务院办公厅",
    )


TASK_TABLE = [
    ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
    [
        "1",
        "建设示范基地",
        "到2025年建成示范基地10个以上。",
        "市发展改革委",
        "市财政局、各区政府",
        "2025年底",
    ],
    ["2", "完善服务体系", "建立健全社区服务网络。", "市民政局", "/", "2024年12月底前"],
    [
        "3",
        "培育龙头企业",
        "培育年营业收入超百亿元企业5家。",
        "市工业和信息化局",
        "市商务局",
        "2026年",
    ],
]


@pytest.mark.parametrize("sep", ["\t", "\n"], ids=["tab-separated", "one-cell-per-line"])
def test_a_task_table_no_measure_names_is_the_task_list(sep: str) -> None:
    """Layout: a notice whose tasks are only a 重点任务分工表 (序号 重点任务 具体措施 牵头单位 配合单位
    完成时限), its cells tab-separated or pasted one per line: a measure per row, its units and
    its deadline column (for targets that give none) from the row."""
    table = "\n".join(sep.join(row) for row in TASK_TABLE) + "\n"
    d = draft_of(
        "现将《示例行动计划》印发给你们，请认真组织实施。\n",
        sign=SIGN + "示例行动计划重点任务分工表\n" + table,
    )
    got = [
        (m.title, m.units.lead_units, m.units.supporting_units, [t.deadline for t in m.targets])
        for m in d.measures
    ]
    assert got == [
        ("建设示范基地", ["市发展改革委"], ["市财政局", "各区政府"], ["2025年"]),
        ("完善服务体系", ["市民政局"], [], ["2024年12月底前"]),
        ("培育龙头企业", ["市工业和信息化局"], ["市商务局"], ["2026年"]),
    ]
    assert d.measures[2].targets[0].value == 5


def test_a_list_that_writes_the_city_once_gives_it_to_each_department() -> None:
    """Names: （责任单位：市发展改革委、住房建设局、城管和综合执法局、市场监管局） (Shenzhen writes 市
    once: 市住房建设局 …, with a note); 团市委, 广州供电局 and a national list stay as written."""
    d = draft_of(
        "一、任务\n（一）电力。到2025年，虚拟电厂负荷调节能力达到100万千瓦。"
        "（责任单位：市发展改革委、住房建设局、城管和综合执法局、市场监管局）\n"
        "（二）其他。建成平台。（责任单位：市委组织部、团市委、市总工会、广州供电局）\n"
        "（三）国家。建成平台。（发展改革委、财政部负责）\n"
    )
    one, two, three = (m.units for m in d.measures)
    assert one.responsible_units == [
        "市发展改革委",
        "市住房建设局",
        "市城管和综合执法局",
        "市市场监管局",
    ]
    assert any("住房建设局→市住房建设局" in n for n in one.notes)
    assert two.responsible_units == ["市委组织部", "团市委", "市总工会", "广州供电局"]
    assert three.responsible_units == ["发展改革委", "财政部"]


def test_prose_leads_in_a_list_and_who_supports_them() -> None:
    """Prose: 试点建设工作由市工业和信息化局、市发展改革委牵头，市财政局、市市场监管局等部门配合
    (before: 、 in 由…牵头 read no lead, and 和 parted 市工业和信息化局)."""
    d = draft_of(
        "一、保障措施\n（一）加强组织领导。试点建设工作由市工业和信息化局、市发展改革委牵头，"
        "市财政局、市市场监管局等部门配合，建立跨部门协调推进机制。\n"
    )
    units = d.measures[0].units
    assert units.lead_units == ["市工业和信息化局", "市发展改革委"]
    assert units.supporting_units == ["市财政局", "市市场监管局"]


def test_unit_lines_with_a_duty_suffix_brackets_and_a_note_after_the_list() -> None:
    """Names: （责任单位：市科技创新局、工业和信息化局、发展改革委依职责办理） (the suffix is no part of
    a name), [责任单位:市交通运输局、城管和综合执法局，各区政府（含新区、合作区管委会，下同）依职责
    办理] (brackets, a parenthesis inside), （市委金融办、市商务局按职责分工负责，各区政府落实，以下各项
    工作均需各区政府落实，不再一一列出） (落实, then a note) and 消防救援支队 after 市."""
    d = draft_of(
        "一、任务\n（一）研发。建立氢能创新平台。（责任单位：市科技创新局、工业和信息化局、发展改革委依职责办理）\n"
        "（二）示范。开通氢能城际客车示范线。[责任单位:市交通运输局、城管和综合执法局，"
        "各区政府（含新区、合作区管委会，下同）依职责办理]\n"
        "（三）支持。开展汽车“报废更新”活动。（市委金融办、市商务局按职责分工负责，各区政府落实，"
        "以下各项工作均需各区政府落实，不再一一列出）\n"
        "（四）安全。建立加氢站安全监管制度。（责任单位：市应急管理局、消防救援支队依职责办理）\n"
    )
    got = [(m.units.lead_units, m.units.responsible_units) for m in d.measures]
    assert got == [
        (None, ["市科技创新局", "市工业和信息化局", "市发展改革委"]),
        (None, ["市交通运输局", "市城管和综合执法局", "各区政府"]),
        (None, ["市委金融办", "市商务局", "各区政府"]),
        (None, ["市应急管理局", "市消防救援支队"]),
    ]
    assert any("以下各项工作" in n for n in d.measures[2].review)


def test_a_plan_attached_to_a_notice_with_items_of_its_own_is_the_body() -> None:
    """Layout: 关于修改…方案的通知 whose own 一、二、 amend the plan, then 附件 and the plan whole
    (一、工作目标 …（一）…（二）… with unit parentheses): the plan is imported (before, only the
    notice's amendments were, and the plan was dropped)."""
    d = draft_of(
        "一、将第（三）条“拓展回收业务”修改为“拓展‘互联网+回收’业务”。\n"
        "二、本通知自印发之日起施行。\n"
        "附件：示例市推动以旧换新行动方案\n",
        head="示例市商务局关于修改示例市推动以旧换新行动方案的通知\n示商函〔2024〕81号\n",
        sign="示例市商务局\n2024年3月1日\n附件\n示例市推动以旧换新行动方案\n"
        "一、工作目标\n力争到2025年，全市报废汽车回收量达7.2万辆。\n"
        "二、重点任务\n（一）开展汽车报废更新活动。建立报废更新补贴制度。（市商务局、市财政局按职责分工负责）\n"
        "（二）推动家电以旧换新。建设回收网点100个。（市商务局负责）\n",
    )
    assert [m.title for m in d.measures] == ["工作目标", "开展汽车报废更新活动", "推动家电以旧换新"]
    assert d.measures[1].units.responsible_units == ["市商务局", "市财政局"]


def test_a_task_table_with_group_rows_and_cells_merged_on_either_side() -> None:
    """Layout: 附件1 序号 / 领域 / 2024年推进任务 / 牵头责任部门, with group rows (一、实施设备更新
    行动), rows whose 领域 is merged from above (2 / task / units) and rows whose 领域 and units
    both are (4 / task): each task a measure, its lead the row's or the one above, due by the
    header's year."""
    table = (
        "附件1\n2024年示例市推动设备更新重点任务\n序号\t领域\t2024年推进任务\t牵头责任部门\n"
        "一、实施设备更新行动\n"
        "1\t工业\t组织实施技术改造项目1000个以上。\t市工信局\n"
        "2\t新建10家绿色工厂。\t市工信局、市发改委\n"
        "3\t能源\t技术改造煤电机组规模355万千瓦以上。\t市发改委\n"
        "4\t新建充电桩6000个。\n"
    )
    d = draft_of("现将《示例行动方案》印发给你们，请认真贯彻落实。\n", sign=SIGN + table)
    got = [
        (m.clause, m.kind, m.units.lead_units, [(t.value, t.deadline) for t in m.targets])
        for m in d.measures
    ]
    assert got == [
        ("1.", "task", ["市工信局"], [(1000, "2024年")]),
        ("2.", "task", ["市工信局", "市发改委"], [(10, "2024年")]),
        ("3.", "task", ["市发改委"], [(3550000, "2024年")]),
        ("4.", "task", ["市发改委"], [(6000, "2024年")]),
    ]


TABLE_NOTICE = "现将《示例行动计划》印发给你们，请认真组织实施。\n"


def _table_draft(table: str):  # type: ignore[no-untyped-def]
    return draft_of(TABLE_NOTICE, sign=SIGN + table)


def _checks_clean(text: str, where: Path) -> bool:
    """`zjtrack import` of `text` exits 0 and `check` finds no error in what it wrote."""
    where.mkdir()
    (where / "doc.txt").write_text(text, "utf-8")
    result = CliRunner().invoke(
        APP, ["import", str(where / "doc.txt"), "-o", str(where / "t.yaml")]
    )
    errors = [p for p in check_paths([where]) if p.severity is Severity.ERROR]
    return result.exit_code == 0 and not errors


def test_hostile_task_tables_import_and_check_clean(tmp_path: Path) -> None:
    """Tables from an adversarial pass: a 序号 of ① (crashed), no 序号 column (a draft check
    refused: no clause), a unit line written with a tab (read as a table: the next measure was
    lost), a merged right-hand cell (the supporting unit became the lead), a trailing tab and a
    one-cell-per-line table with no 具体措施 (dropped without a word)."""
    tables = [
        "序号\t重点任务\t具体措施\t牵头单位\n①\t建设示范基地\t建成示范基地10个。\t市发展改革委\n",
        "重点任务\t牵头单位\t配合单位\n建设示范基地\t市发展改革委\t市财政局\n",
        "序号\t重点任务\t具体措施\t牵头单位\t配合单位\t完成时限\n"
        "1\t建设示范基地\t到2025年建成示范基地10个以上。\t市发展改革委\t市财政局\t2025年底\n"
        "2\t完善服务体系\t建立健全社区服务网络。\t市民政局\t市卫生健康委\n",
        "序号\t重点任务\t具体措施\t牵头单位\n1\t建设示范基地\t建成示范基地10个。\t市发展改革委\t\n",
        "序号\n重点任务\n牵头单位\n完成时限\n1\n建成示范基地10个\n市发展改革委\n2025年底\n",
    ]
    circled, plain, merged, trailing, pasted = map(_table_draft, tables)
    assert [m.clause for m in circled.measures] == ["①."]
    assert [(m.clause, m.title) for m in plain.measures] == [("1.", "建设示范基地")]
    two = merged.measures[1]
    assert (two.title, two.units.lead_units, two.units.supporting_units) == (
        "完善服务体系",
        ["市民政局"],
        ["市卫生健康委"],
    )
    assert [m.title for m in trailing.measures] == ["建设示范基地"]
    assert [(m.title, [t.value for t in m.targets]) for m in pasted.measures] == [
        ("建成示范基地10个", [10])
    ]
    lines = (
        "一、主要任务\n（一）建设示范基地。到2025年建成示范基地10个。\n牵头单位\t市发展改革委\n"
        "配合单位\t市财政局\n（二）完善服务体系。建立健全社区服务网络。\n牵头单位\t市民政局\n"
    )
    assert [m.title for m in draft_of(lines).measures] == ["建设示范基地", "完善服务体系"]
    texts = [HEAD + TABLE_NOTICE + SIGN + t for t in tables] + [HEAD + lines + SIGN]
    assert all(_checks_clean(text, tmp_path / f"d{n}") for n, text in enumerate(texts))


def test_a_table_pasted_one_cell_per_line_in_the_body_is_read_once() -> None:
    """Layout: cells pasted one per line inside the body, then （二）: every cell of the last row
    is the table's (before, its text stayed in the body: its target was drafted twice, once with
    a quote across two lines), and the units' quote is the lead's cell."""
    d = draft_of(
        "一、主要任务\n（一）建设站点。\n序号\n重点任务\n具体措施\n牵头单位\n完成时限\n配合单位\n"
        "1\n建设站点\n到2025年建成站点100个。\n市民政局\n2025年底\n市财政局\n"
        "（二）完善服务。建立健全社区服务网络。\n"
    )
    quotes = [t.quote for t in d.targets()]
    assert quotes.count("到2025年建成站点100个") == 1
    table = next(m for m in d.measures if m.units.lead_units == ["市民政局"])
    assert table.units.responsibility_quote == "市民政局"


def test_long_runs_of_header_words_and_continuation_rows_import_in_linear_time() -> None:
    """8,000 lines of 任务 and a task with 5,000 continuation rows (before: 97 s and minutes,
    quadratic in the table scan and in matching targets to rows). Not a timing: a quadratic
    regression shows as a suite minutes slower."""
    draft_of("一、任务\n（一）建设。建成平台。\n" + "任务\n" * 8000)
    rows = "".join(
        f"到2025年建成第{i}类站点{i}个以上。\t市民政局\t市财政局\t2025年底\n"
        for i in range(1, 5000)
    )
    d = _table_draft(
        "序号\t重点任务\t具体措施\t牵头单位\t配合单位\t完成时限\n"
        "1\t建设站点\t建成站点1个。\t市民政局\t市财政局\t2025年底\n" + rows
    )
    assert len(d.measures) == 1 and len(d.measures[0].targets) == 5000
    many = draft_of(
        "一、任务\n（一）建设。" + "建成平台。以上工作要在2025年底前完成。" * 5000 + "\n"
    )
    assert all(t.deadline == "2025年底" for t in many.targets())


def test_more_than_25_measures_with_one_id_get_ids_of_their_own() -> None:
    """Layout: fifty （一） headings in a row (a damaged paste): before, StopIteration (exit 3)."""
    d = draft_of("一、任务\n" + "（一）建设。建成平台。\n" * 50)
    ids = [m.id for m in d.measures]
    assert len(ids) == 50 and len(set(ids)) == 50


def test_a_bare_list_of_units_ending_an_item_names_who_answers() -> None:
    """Layout: 1. …。（区发改委、区科经委、临港新片区管委会） (Shanghai: names only, no 负责/牵头):
    all responsible, a note that none is said to lead; （含新区、合作区管委会） and （北京、天津） are
    remarks, not units."""
    d = draft_of(
        "一、任务\n1. 发展可再生能源。“十四五”期间力争新增光伏装机容量60万千瓦以上。"
        "（区发改委、区科经委、临港新片区管委会）\n"
        "2. 培训。建立培训制度（含新区、合作区管委会）。\n3. 示范。建成示范基地（北京、天津）。\n"
    )
    one, two, three = d.measures
    assert (one.units.lead_units, one.units.responsible_units) == (
        None,
        ["区发改委", "区科经委", "临港新片区管委会"],
    )
    assert any("未写明谁牵头" in n for n in one.review)
    assert two.units.is_empty() and three.units.is_empty()


def test_joint_leads_and_open_lists() -> None:
    """Layout: （A、B牵头负责） gives two leads; a list that stops with 等 is noted."""
    d = draft_of(
        "一、任务\n（一）推进改革。建立工作机制。（甲委、乙局牵头负责）\n"
        "（二）加强监管。完善监管制度。（牵头单位：甲委；责任单位：乙局、丙局等）\n"
    )
    one, two = d.measures
    assert one.units.lead_units == ["甲委", "乙局"] and any("牵头" in r for r in one.review)
    assert two.units.responsible_units == ["乙局", "丙局"]
    assert any("等" in r for r in two.review)


def test_roles_in_a_parenthesis_lead_guide_take_part() -> None:
    """Layout: parentheses after finished sentences, each answering for the sentences before it:
    （A牵头，B、C参与）, （A、B指导）, （A指导，B负责落实。…）, （A会同B负责）."""
    d = draft_of(
        "一、任务\n"
        "（一）完善制度。建立指标体系。（甲部牵头，乙委、丙局参与）"
        "到2020年，示例利用率达到90%以上。（丙局指导）"
        "制定实施方案。（甲部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）"
        "完善标准。（甲部会同乙委负责）\n"
    )
    (m,) = d.measures
    roles = [
        (t.units.lead_units, t.units.responsible_units, t.units.supporting_units) for t in m.targets
    ]
    assert roles == [
        (["甲部"], [], ["乙委", "丙局"]),
        (None, ["丙局"], []),
        (None, ["甲部", "试点城市政府"], []),
        (["甲部"], ["乙委"], []),
    ]
    rate = m.targets[1]
    assert (rate.value, rate.deadline) == (90, "2020年")
    # the measure's units: each name once, in its strongest role
    assert m.units.lead_units == ["甲部"]
    assert m.units.responsible_units == ["丙局", "试点城市政府", "乙委"]
    assert m.units.supporting_units == []
    assert any("以下均需试点城市政府落实" in r for r in m.review)  # the standing rule, for review


def test_a_numbered_paragraph_is_a_measure_with_its_trailing_units() -> None:
    """Layout: 一、… each item one long paragraph ending （X负责） (no title sentence)."""
    d = draft_of(
        "一、对促进外贸稳定增长、优化营商环境成效明显的省份，在示例基地培育中给予优先支持，"
        "并在年度资金安排中予以倾斜。（甲部负责）\n"
        "二、对示例工作成效明显、群众反映好、示例投资完成情况较好的地方，在示例项目安排上给予倾斜，"
        "到2020年支持建设10个示范基地。（乙部、丙部负责）\n"
        # a title sentence that sums up the text after it stays the title: its figure is read once
        "三、培育龙头企业，打造100家示范企业。到2020年，培育100家示范企业。（丁部负责）\n"
    )
    one, two, three = d.measures
    assert one.title == "对促进外贸稳定增长、优化营商环境成效明显的省份"  # up to the first pause
    assert one.units.responsible_units == ["甲部"]
    assert two.units.responsible_units == ["乙部", "丙部"]
    assert [(t.value, t.deadline) for t in two.targets if t.value] == [(10, "2020年")]
    assert three.title == "培育龙头企业，打造100家示范企业"
    assert [(t.value, t.deadline) for t in three.targets if t.value] == [(100, "2020年")]


def test_a_responsible_departments_label_with_another_field_after_it() -> None:
    """Layout: （负责部门：A、B；适用范围：…）: the units end where the other field begins."""
    d = draft_of(
        "一、营造环境\n"
        "（一）放宽示例企业准入限制。（负责部门：甲部、乙部；适用范围：所有示例区）\n"
        "（二）下放示例审批权限。（负责部门：丙部）\n"
    )
    one, two = d.measures
    assert one.units.responsible_units == ["甲部", "乙部"]
    assert two.units.responsible_units == ["丙部"]


def test_dated_states_and_a_clause_that_dates_the_one_before() -> None:
    """Layout: 到2022年，…向应用型转变 / …零发生 (a state to reach, no number) and …实施办法，
    于2018年12月31日前报送… (the date in a clause after the deliverable)."""
    d = draft_of(
        "一、任务\n（一）推进转型。到2022年，一批示例学校向应用型转变。"
        "到2020年，示例城市非法倾倒事件零发生。"
        "各有关部门制定示例实施办法，于2020年12月31日前报送省政府办公厅。"
        "2018年，示例负担有所减少。\n"  # a fact before the document, no milestone
    )
    got = [(t.kind, t.deadline, t.quote) for t in d.measures[0].targets]
    assert got == [
        ("milestone", "2022年", "到2022年，一批示例学校向应用型转变"),
        ("milestone", "2020年", "到2020年，示例城市非法倾倒事件零发生"),
        (
            "milestone",
            "2020年12月31日",
            "各有关部门制定示例实施办法，于2020年12月31日前报送省政府办公厅",
        ),
    ]


def test_a_date_after_the_subject_dates_the_sentence_and_any_dated_clause_is_kept() -> None:
    """Layout: 国务院办公厅将于2020年4月底前组织…进行验收总结，提出…意见 (a verb no list
    names; the date after the subject governs the clauses after it), 试点地区要于2019年12月底前，
    对…进行总结，形成…报告 (the date a clause of its own) and 2020年4月底前，司法部对…进行督查.
    Metrics lose the dangling 于 the date leaves."""
    d = draft_of(
        "一、组织实施\n"
        "（一）验收。国务院办公厅将于2020年4月底前组织对试点工作进行验收总结，"
        "提出在全国推广试点成果的意见。\n"
        "（二）总结。试点地区要于2019年12月底前，对本地区试点情况、存在的问题及建议等进行总结，"
        "形成试点工作总结报告并报送国务院办公厅。\n"
        "（三）方案。各地区要在2019年3月底前制定本地区实施方案并报司法部备案。"
        "2020年4月底前，司法部对各地区工作进行督查。\n"
    )
    got = [[(t.deadline, t.metric) for t in m.targets] for m in d.measures]
    assert got == [
        [
            ("2020年4月底", "国务院办公厅将组织对试点工作进行验收总结"),
            ("2020年4月底", "提出在全国推广试点成果的意见"),
        ],
        [
            ("2019年12月底", "对本地区试点情况、存在的问题及建议等进行总结"),
            ("2019年12月底", "形成试点工作总结报告并报送国务院办公厅"),
        ],
        [
            ("2019年3月底", "各地区要制定本地区实施方案并报司法部备案"),
            ("2020年4月底", "司法部对各地区工作进行督查"),
        ],
    ]
    assert all(t.kind == "milestone" for t in d.targets())


def test_a_period_taken_dates_its_sentence_over_the_paragraph_s_year() -> None:
    """Layout: 到2025年，…。利用3-5年时间，力争培训约1000名…，建设约100间…。用三年时间建成5个中心。
    (the sentence's own period, its longest, counted from the issue date 2020-03-02; before,
    both took the paragraph's 2025年)."""
    d = draft_of(
        "一、任务\n（一）培训。到2025年，为各区至少培育1家示范基地。利用3-5年时间，"
        "力争培训约1000名达到国际服务标准的家庭医生，建设约100间规范化家庭医生工作室。"
        "用三年时间建成5个中心。\n"
    )
    got = [(t.value, t.deadline_date) for t in d.measures[0].targets]
    assert got == [
        (1, dt.date(2025, 12, 31)),
        (1000, dt.date(2025, 3, 2)),
        (100, dt.date(2025, 3, 2)),
        (5, dt.date(2023, 3, 2)),
    ]
    assert d.measures[0].targets[1].metric == "培训达到国际服务标准的家庭医生"  # no period left


def test_a_date_written_after_the_work_dates_it_and_rules_of_procedure_are_not_goals() -> None:
    """Layout: 制定…实施办法，2021年2月底前完成。 and …。…。以上工作要在2021年2月底前完成。 (the date
    after the work, marked for review); 审核时间一般不少于5个工作日，最长不超过15个工作日 (a rule of
    procedure: a parameter); 2021年12月31日之前已完成转制的企业 (who qualifies: no milestone);
    开办时间压缩至5个工作日以内 (the figure is no period from the issue date)."""
    d = draft_of(
        "一、任务\n（一）办法。各地区、各部门都要制定具体的实施办法，2021年2月底前完成。\n"
        "（二）清理。对与新出台政策精神不符的规定要进行清理和修改。以上工作要在2021年3月底前完成。\n"
        "（三）审核。合法性审核时间一般不少于5个工作日，最长不超过15个工作日。"
        "企业开办时间压缩至5个工作日以内。\n"
        "（四）税收。2021年12月31日之前已完成转制的企业，可继续免征企业所得税。\n"
    )
    one, two, three, four = d.measures
    assert [(t.deadline, t.deadline_reason) for t in one.targets + two.targets] == [
        ("2021年2月底", "时限取自其后：2021年2月底前完成"),
        ("2021年3月底", "时限取自其后：以上工作要在2021年3月底前完成"),
    ]
    assert [(t.kind, t.value, t.deadline) for t in three.targets] == [
        ("milestone", None, None),
        ("milestone", None, None),
        ("quantity", 5, None),
    ]
    assert not any(t.deadline for t in four.targets)


def test_a_clause_that_only_dates_the_one_before_makes_it_a_milestone() -> None:
    """Layout: …有关事项，请科技部、农业农村部等部门在2021年2月底前完成 and 对于…的，原则上于2021年
    6月底前完成；对于…的，原则上于…完成 (the work is the clause before the date; before, the
    date clause alone was the milestone: 请科技部…等部门在完成); 请各区于…前将…报送 loses the 于."""
    d = draft_of(
        "一、任务\n（一）管理。项目管理专业机构不再承担已下放给科研单位管理的有关事项，"
        "请科技部、农业农村部等部门在2021年2月底前完成。\n"
        "（二）整改。对于已经建成、需要办理移交手续的，原则上于2021年6月底前完成；"
        "对于需要回收、置换的，原则上于2021年9月底前完成。\n"
        "（三）报送。请各区于2021年3月31日前将实施方案报送市政府。\n"
    )
    got = [(t.deadline, t.metric) for t in d.targets()]
    assert got == [
        ("2021年2月底", "项目管理专业机构不再承担已下放给科研单位管理的有关事项"),
        ("2021年6月底", "对于已经建成、需要办理移交手续"),
        ("2021年9月底", "对于需要回收、置换"),
        ("2021年3月31日", "请各区将实施方案报送市政府"),
    ]


def test_a_condition_is_not_a_milestone_but_quoted_with_what_it_asks() -> None:
    """Layout: 发布信息涉及其他单位工作内容的，要提前做好沟通协调 and 对违反规定…等突出问题，要严肃
    追责问责 (standing rules: before, the condition was a milestone and the action lost);
    利用财政性资金引进重大技术的，应当编制…方案 (the milestone quotes its condition, the metric
    is the action)."""
    d = draft_of(
        "一、任务\n（一）发布。发布信息涉及其他单位工作内容的，要提前做好沟通协调。"
        "对违反规定发布转载不良信息等突出问题，要严肃追责问责。"
        "利用财政性资金引进重大技术的，应当编制引进技术消化吸收再创新方案。\n"
    )
    assert [(t.quote, t.metric) for t in d.targets()] == [
        (
            "利用财政性资金引进重大技术的，应当编制引进技术消化吸收再创新方案",
            "应当编制引进技术消化吸收再创新方案",
        )
    ]


def test_a_dated_all_is_a_state_to_reach() -> None:
    """Layout: 到2025年，…有适配车型的，新增或更新车辆原则上全部使用纯电动车 (全部 under a date, with
    no number: a dated milestone; before, dropped)."""
    d = draft_of(
        "一、任务\n（一）车辆。到2025年，公共领域有适配车型的，新增或更新车辆原则上全部使用纯电动车，"
        "公交基本实现“新能源”。\n"
    )
    assert [(t.kind, t.deadline) for t in d.targets()] == [("milestone", "2025年")] * 2
    assert d.targets()[0].quote.endswith("全部使用纯电动车")


def test_a_starting_figure_is_no_goal_and_a_year_of_something_done_no_deadline() -> None:
    """Layout: 由10%下降到5%以下 / 由60%提高到90% (where it starts, then the goal) and 将2016年实施的
    24项措施调整增加为30项 (a year that dates something done, a figure it starts from)."""
    d = draft_of(
        "一、任务\n（一）推进改革。到2025年，示例能耗由10%下降到5%以下，示例覆盖率由60%提高到90%。\n"
        "（二）调整措施。将2016年实施的24项示例措施调整增加为30项。\n"
    )
    targets = [t for m in d.measures for t in m.targets]
    got = [(t.metric, t.comparator, t.value, t.baseline, t.deadline) for t in targets]
    assert got == [
        ("示例能耗", "<=", 5, 10, "2025年"),  # a ceiling measures the way down from its start
        ("示例覆盖率", ">=", 90, None, "2025年"),
        ("实施的示例措施", "=", 30, None, None),
    ]
    assert all(any(n.startswith("原文起点为") for n in t.info) for t in targets)
    # the title under a red header that names the same issuer is the document's title
    assert d.document.title == "示例省人民政府关于加快某项工作的若干意见"


def test_a_set_of_two_kinds_is_one_each() -> None:
    """Layout: 每个市管企业、市属高校…超过一半: the goal holds for each member of both kinds."""
    d = draft_of(
        "一、任务\n（一）推进改革。到2015年每个示例企业、示例高校班子中示例成员超过一半。\n"
    )
    (t,) = d.measures[0].targets
    assert (t.each, t.comparator, t.value) == ("每个示例企业、示例高校", ">", 50)


def test_half_as_a_share_where_a_bound_makes_it_a_goal() -> None:
    """Layout: 占总课时一半以上 (>= 50%), 超过一半 (> 50%); 减少一半 states no goal to reach."""
    d = draft_of(
        "一、任务\n（一）推进改革。到2022年，示例课时占总课时一半以上，示例教师占总数超过一半。"
        "示例经费减少一半。\n"
    )
    got = [(t.metric, t.comparator, t.value, t.unit) for t in d.measures[0].targets]
    assert got == [("示例课时占总课时", ">=", 50, "%"), ("示例教师占总数", ">", 50, "%")]


def test_goals_under_a_goals_heading_share_its_deadline() -> None:
    """Layout: 一、发展目标 → item 1.…，到2025年将示例市建设成为…。 (items are the measures, each with
    its 牵头单位), goals in the paragraph after it: the deadline governs them; 比例达35% is 达到
    cut short (>=); a size that picks the enterprises counted (年销售收入过百亿元) is no goal."""
    d = draft_of(
        "一、发展目标\n"
        "1.实施创新驱动战略，把创新作为核心动力。打造示例中心，到2025年将示例市建设成为国家创新型城市。\n"
        "示例企业集群发展壮大。示例企业设立研发机构的比例达35%，"
        "培育5家以上年销售收入过百亿元的示例企业。（牵头单位：市科技局）\n"
        "二、主要任务\n"
        "2.建设示例平台。推进示例园区建设。（牵头单位：市科技局）\n"
        "3.推进协同创新。培育产值超10亿元企业10家。（牵头单位：市经贸委）\n"
    )
    one, _, three = d.measures
    goals = [(t.metric, t.comparator, t.value, t.unit, t.deadline) for t in one.targets if t.value]
    assert goals == [
        ("示例企业设立研发机构的比例", ">=", 35, "%", "2025年"),
        ("培育年销售收入过百亿元的示例企业", ">=", 5, "家", "2025年"),
    ]
    dated = [t.quote for t in one.targets if t.kind == "milestone" and t.deadline]
    assert dated == ["到2025年将示例市建设成为国家创新型城市"]
    tasks = [(t.comparator, t.value, t.unit, t.deadline) for t in three.targets if t.value]
    assert tasks == [("=", 10, "家", None)]  # no deadline outside the goals


# found by an adversarial pass over today's import changes: each sentence as drafted, as
# (comparator, value, unit, baseline) of its quantities (every one of these crashed, lost a goal
# or made one up)
GOALS_AS_WRITTEN = [
    ("引导合作机构逐步将平均担保费率降至1%以下。", [("<=", 1, "%", None)]),  # a goal, not the fee
    (
        "企业开办时间压缩至5个工作日、审批事项减少30%。",
        [("<=", 5, "个工作日", None), ("=", 30, "%", None)],
    ),
    (
        "报送材料减少一半以上、办理时限压缩至10个工作日。",
        [(">=", 50, "%", None), ("<=", 10, "个工作日", None)],
    ),
    (
        "新增规模以上企业100家、实现税收超50亿元。",
        [("=", 100, "家", None), (">", 5000000000, "元", None)],
    ),
    (
        "全省电子信息产业销售收入达1000亿元、形成3个产业集群。",
        [(">=", 100000000000, "元", None), ("=", 3, "个", None)],
    ),
    (
        "建成10个示范基地、产值达到100亿元。",
        [("=", 10, "个", None), (">=", 10000000000, "元", None)],
    ),
    ("培育产值超百亿元企业10家。", [("=", 10, "家", None)]),
    ("示例能耗由10%降至5%。", [("<=", 5, "%", 10)]),
    ("须经全体成员半数以上同意。", []),
    ("会议应有一半以上委员出席。", []),
    ("一半以上的资金用于基层。", []),
    ("今后五年是决胜阶段，要建设10个新城。", [("=", 10, "个", None)]),
]


@pytest.mark.parametrize(
    ("sentence", "goals"), GOALS_AS_WRITTEN, ids=[g[0][:12] for g in GOALS_AS_WRITTEN]
)
def test_goals_as_written(sentence: str, goals: list[tuple[object, ...]]) -> None:
    d = draft_of(f"一、任务\n（一）推进改革。{sentence}\n")
    got = [
        (t.comparator, t.value, t.unit, t.baseline, t.deadline)
        for t in d.measures[0].targets
        if t.kind == "quantity"
    ]
    assert got == [(*g, None) for g in goals]  # no deadline: none of them is dated


def test_prose_parentheses_facts_and_spans_are_not_read_as_units_milestones_or_deadlines() -> None:
    """（企业参与） is prose; 2018年，…有所减少 (before the document) is a fact; 制定未来五年发展规划
    names a plan's span; 2019年底前完成… stays a milestone of its own; （由A牵头，B配合） names A."""
    d = draft_of(
        "一、任务\n"
        "（一）推进改革。建立示例机制（企业参与）。2018年，示例负担有所减少。制定未来五年发展规划。"
        "完善统计制度，2021年底前完成示例普查。\n"
        "（二）完善服务。优化示例流程。（由甲委牵头，乙局、丙局配合）\n"
    )
    one, two = d.measures
    assert one.units.is_empty()
    got = [(t.quote, t.deadline) for t in one.targets]
    assert ("2018年，示例负担有所减少", "2018年") not in got
    assert ("制定未来五年发展规划", None) in got
    plan = next(t for t in one.targets if t.quote == "制定未来五年发展规划")
    assert plan.metric == "制定未来五年发展规划"  # the span stays in the metric too
    assert ("2021年底前完成示例普查", "2021年底") in got
    assert (two.units.lead_units, two.units.supporting_units) == (["甲委"], ["乙局", "丙局"])


def test_a_title_over_three_lines_and_a_range_of_years() -> None:
    """Header: a title printed over three lines; 力争三到五年时间内 counts the longer bound from the
    issue date."""
    head = "示例省人民政府关于有效发挥示例性\n融资担保基金作用切实支持小微企业和\n“三农”发展的指导意见\n"
    d = draft_of("一、任务\n（一）建设。力争三到五年时间内，示例监管机制更加完善。\n", head=head)
    assert (
        d.document.title
        == "示例省人民政府关于有效发挥示例性融资担保基金作用切实支持小微企业和“三农”发展的指导意见"
    )
    (t,) = d.measures[0].targets
    assert t.deadline == "2025-03-02" and "三到五年时间内" in (t.deadline_reason or "")


def test_a_lead_named_in_prose_as_a_body_is_kept_unregistered() -> None:
    """由X牵头 where X is named as a body is (国家卫生健康委) is the measure's lead even when the
    registry does not know it; a bare 中职学校 is no one in particular."""
    d = draft_of(
        "一、任务\n（一）建设。由国家示例委牵头，建立全国示例信息系统。\n"
        "（二）招生。由中职学校负责招生选拔。\n"
    )
    one, two = d.measures
    assert one.units.lead_units == ["国家示例委"]
    assert any("牵头单位取自正文" in r for r in one.review)
    assert two.units.lead_units is None


def test_a_table_pasted_one_cell_per_line_is_said_not_lost() -> None:
    """Layout: an annex table whose cells came out one per line (省（市） / 1996年 / 江苏 / 100 …):
    nothing of it is drafted, so the draft says it is there; a document without one says nothing."""
    table = "附件\n省（市）\n1996年\n1997年\n1998年\n" + "".join(
        f"{name}\n{a}\n{b}\n{c}\n"
        for name, a, b, c in (("甲省", 100, 120, 140), ("乙市", 70, 80, 90))
    )
    d = draft_of("一、任务\n（一）扩招。各有关省（市）按期完成扩招任务。\n", sign=SIGN + table)
    assert any(
        r.startswith("原文含表格（每格一行，约 12 格，始于“省（市）、1996年")
        for r in d.document.review
    )
    plain = draft_of("一、任务\n（一）扩招。各有关省（市）按期完成扩招任务。\n")
    assert not any("原文含表格" in r for r in plain.document.review)


def test_a_title_after_the_issuers_own_lines() -> None:
    """Header: 示例省人民政府文件 / 示例省人民政府 / 文号 / 关于…的意见: the title is the last line."""
    head = "示例省人民政府文件\n示例省人民政府\n示政发〔2020〕9号\n关于加快某项工作的若干意见\n"
    d = draft_of("一、任务\n（一）建设。建立示例机制。\n", head=head)
    assert d.document.title == "关于加快某项工作的若干意见"


def test_a_field_after_the_units_is_kept_for_review_and_a_listed_deadline_dates_the_task() -> None:
    """Layout: 牵头单位：…；责任单位：…；完成时限：2025年底前 (a task list's line), （负责单位：…；适用
    范围：…）: the deadline dates the task's undated targets; another field is a note for review."""
    d = draft_of(
        "一、任务\n（一）完善制度。建立示例制度。到2024年，培育10家示例企业。\n"
        "牵头单位：市教育局；责任单位：市财政局；完成时限：2025年底前\n"
        "（二）推进改革。建立示例改革机制。（牵头单位：市人社局；完成时限：长期坚持）\n"
        "（三）放宽准入。放宽示例企业准入限制。（负责单位：甲部；适用范围：所有示例区）\n"
    )
    one, two, three = d.measures
    assert (one.units.lead_units, one.units.responsible_units) == (["市教育局"], ["市财政局"])
    assert [(t.deadline, t.deadline_date) for t in one.targets] == [
        ("2025年底前", dt.date(2025, 12, 31)),  # from the line, marked for review
        ("2024年", dt.date(2024, 12, 31)),  # its own
    ]
    assert any("完成时限：2025年底前" in r for r in one.targets[0].review)
    (ongoing,) = two.targets
    assert ongoing.deadline is None and ongoing.deadline_reason == "原文完成时限“长期坚持”"
    assert three.units.responsible_units == ["甲部"]
    assert any("适用范围：所有示例区" in r for r in three.review)


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("市教育局、市财政局，各区、县级市政府", ["市教育局", "市财政局", "各区、县级市政府"]),
        ("甲部、乙部等有关部门和单位", ["甲部", "乙部", "等有关部门和单位"]),
        ("各县区人民政府", ["各县区人民政府"]),
        ("各县，市教育局", ["各县", "市教育局"]),
    ],
)
def test_unit_lists(written: str, names: list[str]) -> None:
    assert split_names(written) == names


def test_a_parenthesis_that_is_not_a_unit_list_stays_text() -> None:
    d = draft_of("一、任务\n（一）培训。支持各类院校开展培训（含技工院校负责的项目）。\n")
    assert d.measures[0].units.is_empty()


def test_missing_header_fields_load_and_are_flagged(tmp_path: Path) -> None:
    """Layout: a body with no 文号, no issuer and no date: the draft still loads and checks."""
    draft = import_text("关于某项工作的实施意见\n\n一、任务\n\n3年内建成5个基地。\n", prefix="u")
    text = render(draft)
    content = load_text(text, "x.yaml")
    assert content.problems == [] and content.document is not None
    assert content.document.doc_number == MISSING and content.document.issued is None
    assert draft.document.review and "原文未载明" in draft.document.review[0]
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    problems = check_paths([tmp_path])
    assert [p.code for p in problems if p.severity is Severity.ERROR] == []
    assert "needs-review" in {p.code for p in problems}
    t = draft.targets()[0]
    assert t.deadline is None or t.deadline_date is not None  # never "3年内" as a date


def test_region_from_the_text_when_no_issuer() -> None:
    d = import_text(
        "关于推进某工程的实施意见\n根据《中共示例市委、示例市人民政府关于某事的决定》，提出意见。\n"
        "一、任务\n1．建设。建成3个中心。（牵头单位：市民政局）\n2．管理。加强管理。（牵头单位：市民政局）\n"
        "3．服务。完善服务。（牵头单位：市民政局）\n"
    )
    assert d.document.region == "示例市"


def test_abbreviations_and_kinds() -> None:
    assert abbreviates("市发改委", "市发展和改革委员会")
    assert abbreviates("市发展改革委", "市发展和改革委员会")
    assert abbreviates("市人社局", "市人力资源和社会保障局")
    assert not abbreviates("市公安局", "市公安消防局")
    assert not abbreviates("市民政局", "市民防办")
    # units of different bodies (the party's, the congress's) however their characters line up
    assert not abbreviates("市委办公厅", "市人大常委会办公厅")
    assert not abbreviates("市委组织部", "市人大常委会组织部")
    assert abbreviates("市人大办", "市人大常委会办公厅")
    assert abbreviates("市委办", "市委办公厅")
    assert not abbreviates("广州市委办公厅", "广州市人大常委会办公厅")
    # one body's full and short forms: 人民政府 / 政府, 纪律检查委员会 / 纪委, 人民代表大会常务委员会
    assert abbreviates("市政府办", "市人民政府办公室")
    assert abbreviates("市纪委", "市纪律检查委员会")
    assert abbreviates("市人大常委会办公厅", "市人民代表大会常务委员会办公厅")
    entries = new_units(["市人大常委会办公厅", "市委办公厅"], [], "示例市")
    assert [(e.name, e.aliases) for e in entries] == [
        ("示例市人大常委会办公厅", ["市人大常委会办公厅"]),
        ("示例市委办公厅", ["市委办公厅"]),
    ]
    assert [unit_kind(n) for n in ("各区、县级市政府", "示例市人民政府", "团市委", "市教育局")] == [
        "collective",
        "government",
        "party",
        "department",
    ]
    entries = new_units(["市发改委", "市发展和改革委员会", "市教育局"], [], "示例市")
    assert [(e.name, e.aliases) for e in entries] == [
        ("示例市发展和改革委员会", ["市发展和改革委员会", "市发改委"]),
        ("示例市教育局", ["市教育局"]),
    ]
    # a collective that names no place is the city's too (a bare name means it in every region)
    entries = new_units(["各县区人民政府", "市直有关部门", "示例市各成员单位"], [], "示例市")
    assert [(e.name, e.kind, e.aliases) for e in entries] == [
        ("示例市各县区人民政府", "collective", ["各县区人民政府"]),
        ("示例市直有关部门", "collective", ["市直有关部门"]),
        ("示例市各成员单位", "collective", []),
    ]


def test_a_second_citys_document_leaves_the_first_citys_names_as_they_resolve(
    tmp_path: Path,
) -> None:
    """Importing 示例市's document beside the shipped 海东市 one: its 各县区人民政府 is registered
    as 示例市各县区人民政府 (alias of 示例市), not as a bare name that 海东市's alias would then
    resolve to (a `duplicate-unit` error, and 海东市's measures answered by another city)."""
    tasks = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", tasks)
    text = (ROOT / "tests" / "fixtures" / "import" / "unit-lines.txt").read_text("utf-8")
    (tmp_path / "sz.txt").write_text(text, "utf-8")
    result = CliRunner().invoke(
        APP, ["import", str(tmp_path / "sz.txt"), "-o", str(tasks / "sz.yaml")]
    )
    assert result.exit_code == 0, result.stderr
    assert [p.code for p in check_paths([tasks]) if p.severity is Severity.ERROR] == []
    registry = Registry(load_paths([tasks]).plan.units)
    assert registry.resolve("各县区人民政府", "海东市").name == "海东市各县区人民政府"  # type: ignore[union-attr]
    assert registry.resolve("各县区人民政府", "示例市").name == "示例市各县区人民政府"  # type: ignore[union-attr]


def test_units_are_registered_beside_the_draft_and_merged_without_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "doc.txt"
    doc.write_text(
        HEAD + "一、任务\n（一）推进。建立机制。（牵头单位：市发改委，配合单位：市教育局）\n"
        "（二）落实。建成2个中心。（牵头单位：市发展和改革委员会）\n" + SIGN,
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(APP, ["import", str(doc), "-o", str(out / "a.yaml")])
    assert result.exit_code == 0, result.stderr
    units = load_file(str(out / "units.yaml")).units
    assert len(units) == 2  # 市发改委 and 市发展和改革委员会 are one unit
    assert [p for p in check_paths([out]) if p.severity is Severity.ERROR] == []
    # a second import into the same folder adds nothing twice
    result = CliRunner().invoke(APP, ["import", str(doc), "-o", str(out / "b.yaml")])
    assert result.exit_code == 0, result.stderr
    assert len(load_file(str(out / "units.yaml")).units) == 2


def test_size_limits_have_a_clear_message(tmp_path: Path) -> None:
    from zjtrack.importer import LIMITS

    with pytest.raises(TooLarge):
        import_text("一" * (LIMITS.characters + 1))
    big = tmp_path / "big.txt"
    big.write_text("\n" * (LIMITS.lines + 1), encoding="utf-8")
    result = CliRunner().invoke(APP, ["import", str(big), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "拆分" in result.stderr


BODY_HEAD = HEAD + "一、任务\n"


def kinds(body: str) -> list[tuple[str, str, object]]:
    d = draft_of(BODY_HEAD + body + "\n")
    return [(t.kind, t.quote, t.value) for t in d.targets()]


def test_names_ordinals_and_slogans_are_not_targets() -> None:
    """Text: 党的十九大, 十九届二中全会, “四个全面”, “五个一”, “发现1户、解决1户”, 零部件."""
    found = kinds(
        "（一）总体。全面贯彻党的十九大和十九届二中、三中全会精神，统筹推进“四个全面”战略布局。"
        "加强“五个一”工程建设。坚持“发现1户、解决1户”。将汽车零部件等产品从目录中剔除。\n"
    )
    assert [f for f in found if f[0] == "quantity"] == []


def test_article_numbers_in_chinese_numerals_are_not_counts() -> None:
    """Text: 第十二条, 第三十五条 (a regulation's articles, read as 2条 and 5条 before), beside
    a real count (建成十二个中心, 三十个项目)."""
    found = kinds(
        "（一）纳税。第十二条 个人所得税法第四条第一款第八项所称应予免税的所得。\n"
        "（二）建设。到2025年建成十二个中心，第三十五条规定的三十个项目全部完成。\n"
    )
    assert [v for k, _, v in found if k == "quantity"] == [12, 30]


def test_counts_of_a_list_labels_and_allocations_are_not_targets() -> None:
    """Text: 北京、吉林、…10个省（区、市） and 等6类困难群体 (the number counts the list),
    （以下统称“三项制度”） and “公益一类…、公益二类…” (labels), 80%用于…，20%用于… (an
    allocation: a parameter); 建设10个示范点 stays a target."""
    found = kinds(
        "（一）试点。确定北京、吉林、安徽、山东、湖北、湖南、广东、广西、重庆、贵州10个省（区、市）"
        "作为试点地区。落实低保、孤儿以及计生特别扶助家庭等6类困难群体免费签约政策。"
        "全面推行执法公示制度、执法全过程记录制度、法制审核制度（以下统称“三项制度”）。"
        "全面落实“公益一类财政供给、公益二类绩效管理”等改革政策。"
        "将签约服务费的80%用于人员薪酬分配，20%用于机构统筹。建设10个示范点。\n"
    )
    assert [(k, v) for k, _, v in found if k == "quantity"] == [("quantity", 10)]


def test_metrics_of_values_given_respectively_or_jointly_name_their_subject() -> None:
    """Text: 花生种植、收获机械化率分别达到65%和55% (before: 花生种植、收获机械化率分别和55%) and
    其中马铃薯种植、收获机械化率均达到45% (before: …均)."""
    d = draft_of(
        BODY_HEAD + "（一）目标。花生种植、收获机械化率分别达到65%和55%。"
        "其中马铃薯种植、收获机械化率均达到45%。参保率分别达到95%和98%。\n"
    )
    assert [(t.value, t.metric) for t in d.targets()] == [
        (65, "花生种植、收获机械化率（花生种植）"),
        (55, "花生种植、收获机械化率（收获机械化率）"),
        (45, "马铃薯种植、收获机械化率"),
        (95, "参保率"),
        (98, "参保率"),
    ]


def test_energy_units_a_year_measured_from_and_project_sizes() -> None:
    """Text: 85万千伏安, 150万千瓦时 (units of their own: before, a milestone and 千瓦), 较2020年下降
    14.5% (2020 is the base, not the deadline), 红海湾200万千瓦海上风电项目 (the size of the
    project named, no goal) beside 新增光伏装机100万千瓦 (a goal)."""
    d = draft_of(
        BODY_HEAD + "（一）目标。到2025年，场站并网容量达到85万千伏安，V2G放电量不低于150万千瓦时。"
        "到2025年，单位地区生产总值能耗较2020年下降14.5%。"
        "做好红海湾200万千瓦海上风电项目合作开发建设。新增光伏装机100万千瓦。\n"
    )
    got = [(t.value, t.unit, t.deadline) for t in d.targets() if t.kind == "quantity"]
    assert got == [
        (850000, "千伏安", "2025年"),
        (1500000, "千瓦时", "2025年"),
        (14.5, "%", "2025年"),
        (1000000, "千瓦", "2025年"),
    ]
    assert d.targets()[2].metric == "单位地区生产总值能耗较2020年下降"


def test_counts_with_other_units_noted_doubling_and_rewards_as_parameters() -> None:
    """Text: 2000艘（台、套）以上 (艘 a unit; the note between number and 以上), 100台（套）以上,
    增长约一倍 (before: 一 read as an article), 推出…套餐 (a milestone); 每达1000万元，给予6万元
    奖励 / 给予一次性奖励50万元 / 给予补助，原则上不超过合同总额的30% (rewards and caps: parameters)."""
    d = draft_of(
        BODY_HEAD + "（一）渔船。到2027年，完成淘汰木质老旧渔船2000艘（台、套）以上，"
        "更新替代100台（套）以上老旧化工装置，报废汽车回收量较2023年增长约一倍。\n"
        "（二）奖励。零售额增量每达1000万元，给予6万元奖励。对新认定的企业给予一次性奖励50万元。"
        "给予补助，原则上不超过合同总额的30%。推出适老化改造套餐。"
        "单个充电桩补助不超过2万元且需单个充电桩功率不低于40千瓦。单个项目支持不超过50万元。\n"
    )
    one, two = d.measures
    assert [(t.comparator, t.value, t.unit) for t in one.targets] == [
        (">=", 2000, "艘"),
        (">=", 100, "台"),
        ("approx", 1, "倍"),
    ]
    assert one.targets[0].metric == "完成淘汰木质老旧渔船"
    assert [t.kind for t in two.targets] == ["milestone"] * 7
    assert sum("政策参数" in (t.note or "") for t in two.targets) == 6


def test_what_an_adversarial_pass_found_in_the_new_rules() -> None:
    """Text: capacities after a verb are goals (建成投产300万千瓦…项目, 新开工200万千瓦…项目,
    完成100台锅炉改造项目); a list counted with a bound or after a making verb is a goal
    (引进华为、腾讯等10家以上龙头企业, 新建第一中学、第二中学、实验小学3所学校); 经过10年时间的发展
    dates nothing; …，坚决防止形式主义 and 原有政策继续执行 are no milestones; 在2024年与2025年
    lists two years."""
    d = draft_of(
        BODY_HEAD
        + "（一）能源。力争2025年底前建成投产300万千瓦光伏发电项目。新开工200万千瓦海上风电项目。"
        "完成100台燃煤锅炉改造项目。\n"
        "（二）企业。引进华为、腾讯等10家以上龙头企业。新建第一中学、第二中学、实验小学3所学校。"
        "经过10年时间的发展，全市企业数量达到5000家。\n"
        "（三）落实。各区要于2024年底前，建立工作台账，坚决防止形式主义。2025年6月30日前，原有政策继续执行。\n"
    )
    one, two, three = d.measures
    assert [t.value for t in one.targets] == [3000000, 2000000, 100]
    assert [(t.value, t.deadline) for t in two.targets] == [(10, None), (3, None), (5000, None)]
    assert [t.metric for t in three.targets] == ["建立工作台账"]


def test_who_supports_a_prose_lead_is_a_body_and_a_level_follows_the_nearest_name() -> None:
    """Prose: 由市民政局牵头，鼓励社会组织参与 (no supporting unit: before, 鼓励社会组织); names:
    （责任单位：市规划和自然资源局、区住房建设局、水务局） (水务局 is the district's)."""
    d = draft_of(
        "一、任务\n（一）服务。由市民政局牵头，鼓励社会组织参与，做好服务。\n"
        "（二）住房。建成平台。（责任单位：市规划和自然资源局、区住房建设局、水务局）\n"
    )
    one, two = d.measures
    assert (one.units.lead_units, one.units.supporting_units) == (["市民政局"], [])
    assert two.units.responsible_units == ["市规划和自然资源局", "区住房建设局", "区水务局"]


def test_a_ratio_to_one_is_a_target() -> None:
    """Text: 车桩比达到1.9:1 (before: the clause was cut at the colon, a milestone 达到1.9)."""
    d = draft_of(BODY_HEAD + "（一）充电。到2027年新能源车桩比达到1.9:1，公交车桩比不高于2：1。\n")
    assert [(t.comparator, t.value, t.unit) for t in d.targets()] == [
        (">=", 1.9, ":1"),
        ("<=", 2, "：1"),
    ]


def test_a_count_of_slogans_is_not_a_target() -> None:
    """Text: 抓好四个“注重” (how many slogans), beside 新增绿色建筑面积100万平方米以上 (a goal)."""
    found = kinds("（一）建筑。抓好四个“注重”。新增绿色建筑面积100万平方米以上。\n")
    assert [(k, v) for k, _, v in found if k == "quantity"] == [("quantity", 1000000)]


def test_two_plan_periods_and_one_for_each() -> None:
    """Text: “十四五”和“十五五”期间累计完成…760万平方米以上，其中…不少于110万平方米 (the later
    plan's end dates both; before, the metric kept “十四五”和 and the second clause had no date)
    and 每个镇有一个…公园 (one for each town, a count: before, a definite set)."""
    d = draft_of(
        BODY_HEAD + "（一）建筑。“十四五”和“十五五”期间累计完成既有建筑节能改造760万平方米以上，"
        "其中平均节能率15%及以上的建筑面积不少于110万平方米。力争每个镇有一个富有地方特色的品牌公园。\n"
    )
    got = [(t.value, t.deadline_date) for t in d.targets()]
    assert got == [(7600000, dt.date(2030, 12, 31)), (1100000, dt.date(2030, 12, 31)), (1, None)]
    assert d.targets()[0].metric == "累计完成既有建筑节能改造"


def test_definite_sets_named_by_small_numerals_are_not_targets() -> None:
    """Text: 向两个新城区…配置, 三类人员的…, A、B和C三类人员; but 建设两个… is a target."""
    found = kinds(
        "（一）均衡。推动优质资源向两个新城区、三个副中心配置。落实三类人员的帮扶工作。"
        "加强社区矫正、刑释解教和吸毒三类人员帮教管控。建设两个产教融合共同体。\n"
    )
    assert [(k, v) for k, _, v in found if k == "quantity"] == [("quantity", 2)]


def test_policy_parameters_are_flagged_milestones_not_quantities() -> None:
    """Text: subsidy rates, caps, eligibility (…的，可申请…), age brackets, 按…比例."""
    d = draft_of(
        BODY_HEAD + "（一）稳岗。对参保企业，可返还其上年度实际缴纳失业保险费的50%。"
        "符合条件的人员，可申请最高不超过15万元的创业担保贷款。"
        "将见习补贴范围扩展至16—24岁失业青年。按园区面积5%－10%的比例设置活动场地。"
        "户籍居民平均期望寿命超过80岁。\n"
    )
    quantities = [t for t in d.targets() if t.kind == "quantity"]
    assert [(t.value, t.unit, t.comparator) for t in quantities] == [(80, "岁", ">")]
    flagged = [t for t in d.targets() if t.kind == "milestone" and "政策参数" in (t.note or "")]
    assert len(flagged) == 4


def test_periods_before_dates_and_programme_starts() -> None:
    """Text: 2012－2015年 / 2012~2015年, 2014年前, 2013年3月前, 从2012年起…5年内."""
    d = draft_of(
        BODY_HEAD
        + "（一）就业。2012－2015年，城镇年均新增就业人数24万以上，登记失业率控制在3.5%以内。"
        "2014年前建成信息系统。2013年3月前，完成26个社区试点工作。\n"
    )
    by = {t.quote: t for t in d.targets()}
    first = by["2012－2015年，城镇年均新增就业人数24万以上"]
    assert (first.value, first.deadline, first.start) == (240000, "2015年", "2012年")
    assert by["登记失业率控制在3.5%以内"].deadline == "2015年"
    before = by["2014年前建成信息系统"]
    assert before.deadline == "2013年底" and any("2014年底" in r for r in before.review)
    assert by["2013年3月前，完成26个社区试点工作"].deadline == "2013年2月底"
    programme = draft_of(
        BODY_HEAD.replace("一、任务", "从2012年起，用5年时间推进某工程。\n一、任务")
        + "（一）建设。5年内建成10个中心。\n"
    )
    t = next(t for t in programme.targets() if t.value == 10)
    assert t.deadline == "2016-12-31" and t.review and "2012年" in (t.deadline_reason or "")
    # 今后五年 / 未来3年 count as 5年内 / 3年内 do, from the day the document was issued
    ahead = draft_of(
        BODY_HEAD + "（一）建设。今后五年，示例覆盖率达到90%以上。未来3年培育10家示例企业。\n"
    )
    got = [(t.value, t.deadline) for t in ahead.targets()]
    assert got == [(90, "2025-03-02"), (10, "2023-03-02")]
    assert all("起算" in (t.deadline_reason or "") for t in ahead.targets())


def quantities_of(body: str) -> list[tuple[str, object, object, object, object]]:
    d = draft_of(BODY_HEAD + body + "\n")
    return [
        (t.quote, t.comparator, t.value, t.value_max, t.deadline)
        for t in d.targets()
        if t.kind == "quantity"
    ]


def test_several_goals_in_one_sentence_each_get_their_value() -> None:
    """Text: 到2020年，…达到N名左右，…总量达到M万名左右，…比例达到P%."""
    assert quantities_of(
        "（一）人才。到2020年，全市高技能人才达到5000名左右，技能人才总量达到30万名左右，"
        "高技能人才占技能人才比例达到25%。"
    ) == [
        ("到2020年，全市高技能人才达到5000名左右", "approx", 5000, None, "2020年"),
        ("技能人才总量达到30万名左右", "approx", 300000, None, "2020年"),
        ("高技能人才占技能人才比例达到25%", ">=", 25, None, "2020年"),
    ]


def test_ranges_joined_by_and_and_respectively() -> None:
    """Text: 1~2所A，6~8所B和10~12所C; 分别达到95%和98%; full-width ９０％."""
    found = quantities_of(
        "（一）学校。到2015年，建成1~2所示范院校，6~8所示范学校和10~12所示范中职学校。"
        "城乡居民参保率分别达到95%和98%。达标率达到９０％以上。"
    )
    assert [(v, w) for _, _, v, w, _ in found] == [
        (1, 2),
        (6, 8),
        (10, 12),
        (95, None),
        (98, None),
        (90, None),
    ]
    assert [c for _, c, *_ in found][3:] == [">=", ">=", ">="]


def test_a_number_that_picks_who_is_not_the_goal() -> None:
    """Text: 1万名老人以上的街（镇）各建有1个…中心: the goal is 1 个, not 10000 名."""
    found = quantities_of("（一）养老。到2015年，1万名老人以上的街（镇）各建有1个养老服务中心。")
    assert [(v, d) for _, _, v, _, d in found] == [(1, "2015年")]


def test_later_paragraphs_and_sentences_inherit_a_leading_deadline() -> None:
    """Text: 到2015年，…。 then an undated quantity in the next sentence and the next paragraph."""
    d = draft_of(
        BODY_HEAD + "（一）养老。到2015年，每个街道有1所托老机构。对困难老人提供服务，"
        "享受服务的老人占老人总数的6%以上。\n继续扩大服务，覆盖率达到80%以上。\n"
    )
    six, eighty = (t for t in d.targets() if t.value in (6, 80))
    for t in (six, eighty):
        assert t.deadline == "2015年" and t.review and "到2015年" in t.review[-1]
        assert t.deadline_reason and t.deadline_reason.startswith("时限取自本段前文")


def test_a_goals_paragraph_deadline_governs_the_sentences_after_it() -> None:
    """Layout: 总体要求 with a paragraph that opens 到2027年底，…。 and goes on with sentences that
    name no time, one of them two parallel clauses apart by ；: each is a milestone with the
    paragraph's deadline, marked for review with the sentence it came from. In a task measure
    milestones do not inherit (a later sentence there is often an ongoing duty)."""
    d = draft_of(
        "一、总体要求\n到2027年底，全市中职学校全部实现贯通培养。在甲分院，实现就地全程培养；"
        "其他县区学生集中在乙学院托管培养。\n"
        "二、重点任务\n（一）机制。到2025年底，建立托管机制。各校签订托管协议。\n"
    )
    goals = [t for t in d.measures[0].targets if t.kind == "milestone"]
    assert [(t.quote, t.deadline) for t in goals] == [
        ("实现就地全程培养", "2027年底"),
        ("其他县区学生集中在乙学院托管培养", "2027年底"),
    ]
    assert all(
        t.deadline_reason and "时限取自本段前文：到2027年底" in t.deadline_reason for t in goals
    )
    assert all("按本段前文“到2027年底”记为 2027年底" in " ".join(t.review) for t in goals)
    task = {t.quote: t.deadline for t in d.measures[1].targets}
    assert task == {"到2025年底，建立托管机制": "2025年底", "各校签订托管协议": None}


def test_reaching_a_standard_or_covering_a_whole_is_a_milestone() -> None:
    """Layout: goals stated as a state to reach with no number: …标准化达标, …覆盖农村."""
    d = draft_of(
        "一、任务\n（一）安全。到2013年，甲、乙等行业规模以上企业的安全生产标准化达标。\n"
        "（二）养老。居家养老服务逐步覆盖农村。\n"
    )
    one, two = (m.targets for m in d.measures)
    assert [(t.kind, t.quote, t.deadline) for t in one] == [
        ("milestone", "到2013年，甲、乙等行业规模以上企业的安全生产标准化达标", "2013年")
    ]
    assert [(t.kind, t.quote) for t in two] == [("milestone", "居家养老服务逐步覆盖农村")]


def test_open_list_then_a_collective() -> None:
    """Layout: （A、B等和各省级人民政府负责）: the open list ends at 等 (noted), the collective after 和
    is a unit of its own."""
    notes: list[str] = []
    assert split_names("甲部、乙局等和各省级人民政府", notes) == ["甲部", "乙局", "各省级人民政府"]
    assert notes and "乙局等" in notes[0]
    assert split_names("甲局和各县区人民政府") == ["甲局", "各县区人民政府"]
    assert split_names("甲部等有关部门和单位") == ["甲部", "等有关部门和单位"]


def test_closing_paragraph_after_the_last_unit_parenthesis_is_marked() -> None:
    """Layout: an unnumbered closing paragraph after the last measure's （…负责）: what it sets up is
    kept, with a review note that no unit is named for it."""
    d = draft_of(
        "一、支持企业\n"
        "（一）加大支持力度。建立企业服务机制。（甲部、乙部负责）\n"
        "各地要建立工作调度机制，及时报告进展。\n"
    )
    (m,) = d.measures
    first, closing = m.targets
    assert not any("括注" in r for r in first.review)
    assert closing.quote == "各地要建立工作调度机制" and any(
        "单位括注之后" in r for r in closing.review
    )
    kinds = dict(review_kinds(r for _, r in d.review_items()))
    assert kinds.get(("单位归属待核", "units to confirm")) == 1


def test_goals_before_the_first_heading() -> None:
    """Layout: 具体指标：到2022年，…建设50所… in unnumbered paragraphs before 一、: a goals measure of
    its own; a background paragraph with no number gives nothing."""
    d = draft_of(
        "职业教育是一种教育类型，具有同等重要地位。\n"
        "具体指标：到2022年，建设50所高水平学校和150个骨干专业。\n"
        "一、完善制度\n（一）健全标准。建立办学标准。（甲部负责）\n"
    )
    goals = d.measures[0]
    assert (goals.title, goals.kind, goals.clause) == ("具体指标", "goals", "具体指标：")
    values = [(t.value, t.unit, t.deadline) for t in goals.targets if t.kind == "quantity"]
    assert values == [(50, "所", "2022年"), (150, "个", "2022年")]


def test_bounds_written_with_bude() -> None:
    """不得低于 is a lower bound (>=), not 低于 (<); a sum that picks who (500万元及以下的企业) and a
    fee rate are parameters, not targets."""
    d = draft_of(
        "一、支持小微企业\n"
        "（一）提高占比。合作机构担保金额占比不得低于80%，不得超过90%。（甲部负责）\n"
        "（二）降低收费。重点支持单户担保金额500万元及以下的小微企业。再担保业务收费，原则上不高于0.5%。（乙部负责）\n"
    )
    one, two = d.measures
    assert [(t.comparator, t.value) for t in one.targets] == [(">=", 80), ("<=", 90)]
    assert not [t for t in two.targets if t.kind == "quantity"]


def test_headings_out_of_order_still_give_every_id_once() -> None:
    """A （一） pasted before the 一、 it belongs to gave two measures the id draft-1 and their
    targets draft-1-1 (found by the fuzz campaign's import family): `check` refused the draft."""
    text = (
        "关于促进综合保税区高水平开放高质量发展的若干意见\n"
        "（一）统筹两个市场，打造加工制造中心。\n"
        "各省、自治区、直辖市人民政府：\n"
        "一、指导思想\n"
        "打造具有国际竞争力和创新力的海关特殊监管区域。\n"
        "二、主要任务\n"
        "（一）统筹两个市场，打造加工制造中心。\n"
        "建立综合保税区发展绩效评估机制。\n"
    )
    draft = import_text(text, doc_id="draft")
    ids = [m.id for m in draft.measures] + [t.id for m in draft.measures for t in m.targets]
    assert len(ids) == len(set(ids)), ids


HAIDONG_SHORT = """海东市人民政府办公室文件
东政办〔2025〕9号
海东市人民政府办公室关于印发海东市技能人才培养若干措施的通知
海东市技能人才培养若干措施
一、扩大技能培训规模
到2026年底，开展职业技能培训5000人次。
牵头单位：市人社局
责任单位：市工信局、市教育局，各县区人民政府
二、建设技能大师工作室
到2027年底，建成10个技能大师工作室。
牵头单位：市人社局
责任单位：市财政局
海东市人民政府办公室
2025年5月6日
"""


def test_a_short_form_of_a_registered_unit_becomes_its_alias_in_place(tmp_path: Path) -> None:
    """市人社局 in a 海东市 document is 海东市人力资源和社会保障局 (alias 市人力资源和社会保障局):
    the import adds it to that entry's aliases, changing no other line of units.yaml, instead of
    registering a second unit for one body (whose targets the per-unit totals would split)."""
    tasks = tmp_path / "tasks"
    shutil.copytree(ROOT / "tasks", tasks)
    before = (tasks / "units.yaml").read_text("utf-8").splitlines()
    (tmp_path / "hd.txt").write_text(HAIDONG_SHORT, "utf-8")
    result = CliRunner().invoke(
        APP, ["import", str(tmp_path / "hd.txt"), "-o", str(tasks / "hd-2025-9.yaml")]
    )
    assert result.exit_code == 0, result.stderr
    assert "市人社局 → 海东市人力资源和社会保障局；市工信局 → 海东市工业和信息化局" in result.stderr
    assert "个单位（简称记为别名" not in result.stderr  # no new entry
    after = (tasks / "units.yaml").read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("    aliases: [市工业和信息化局]", "    aliases: [市工业和信息化局, 市工信局]"),
        (
            "    aliases: [市人力资源和社会保障局]",
            "    aliases: [市人力资源和社会保障局, 市人社局]",
        ),
    ]
    assert [p.code for p in check_paths([tasks]) if p.severity is Severity.ERROR] == []
    registry = Registry(load_paths([tasks]).plan.units)
    assert registry.resolve("市人社局", "海东市").name == "海东市人力资源和社会保障局"  # type: ignore[union-attr]
    assert registry.resolve("市人社局", "张掖市") is None  # an alias of 海东市's documents only


def test_short_forms_pick_one_registered_unit_of_the_region() -> None:
    units = load_file(str(ROOT / "tasks" / "units.yaml")).units
    assert short_forms(["市人社局", "市教育局", "市新局"], units, "海东市") == {
        "海东市人力资源和社会保障局": ["市人社局"]
    }
    assert short_forms(["市人社局"], units, "张掖市") == {}  # 海东市's unit is not 张掖市's
    assert short_forms(["海东市人社局"], units, "海东市") == {
        "海东市人力资源和社会保障局": ["海东市人社局"]
    }


REGISTRY = """\
zjtrack: 1
units:
  - name: 甲市教育局   # a comment stays
    kind: department
    region: 甲市
    aliases: [市教育局]
  - name: 甲市财政局
    kind: department
    region: 甲市
    aliases:
      - 市财政局  # so does this one
  - name: 甲市人力资源和社会保障局
    kind: department
    region: 甲市
"""


def test_with_aliases_edits_flow_and_block_lists_and_adds_a_line_where_there_is_none() -> None:
    edited, failed = with_aliases(
        REGISTRY,
        {
            "甲市教育局": ["市教委"],
            "甲市财政局": ["财政局"],
            "甲市人力资源和社会保障局": ["市人社局"],
        },
    )
    assert failed == []
    assert edited == REGISTRY.replace("[市教育局]", "[市教育局, 市教委]").replace(
        "      - 市财政局  # so does this one\n",
        "      - 市财政局  # so does this one\n      - 财政局\n",
    ).replace(
        "  - name: 甲市人力资源和社会保障局\n",
        "  - name: 甲市人力资源和社会保障局\n    aliases: [市人社局]\n",
    )
    units = load_text(edited, "units.yaml")
    assert units.problems == []
    assert Registry(units.units).resolve("市人社局", "甲市").name == "甲市人力资源和社会保障局"  # type: ignore[union-attr]
    assert with_aliases(REGISTRY, {"乙市教育局": ["市教育局"]}) == (REGISTRY, ["乙市教育局"])
    assert with_aliases("units: [", {"甲市教育局": ["x"]}) == ("units: [", ["甲市教育局"])


ODD = """\
zjtrack: 1
units:
  - name: 甲市教育局
    kind: department
    region: 甲市
    aliases:
  - name: 甲市财政局
    kind: department
    region: 甲市
    aliases: [市财政局, ]
  - name: 甲市科学技术局
    kind: department
    region: 甲市
    aliases: [
      市科学技术局
    ]
  - name: 甲市商务局
    kind: department
    region: 甲市
    aliases: 市商务局
"""


def test_with_aliases_on_the_shapes_people_write() -> None:
    """An empty `aliases:`, a trailing comma, `]` on its own line are edited in place; a line
    ending of CRLF is kept; an entry of another shape (a plain string), or a unit listed twice,
    is named as not edited and the rest are still edited (found by the adversarial pass: one
    such entry made the import give up on all of them and register duplicates)."""
    additions = {
        "甲市教育局": ["市教委"],
        "甲市财政局": ["财政局"],
        "甲市科学技术局": ["市科技局"],
        "甲市商务局": ["商务局"],
    }
    edited, failed = with_aliases(ODD, additions)
    assert failed == ["甲市商务局"]
    assert edited == ODD.replace(
        "    aliases:\n  - name: 甲市财政局", "    aliases: [市教委]\n  - name: 甲市财政局"
    ).replace("[市财政局, ]", "[市财政局, 财政局, ]").replace(
        "      市科学技术局\n", "      市科学技术局, 市科技局\n"
    )
    registry = Registry(load_text(edited, "units.yaml").units)
    for short, unit in (
        ("市教委", "甲市教育局"),
        ("财政局", "甲市财政局"),
        ("市科技局", "甲市科学技术局"),
    ):
        assert registry.resolve(short, "甲市").name == unit  # type: ignore[union-attr]
    crlf = REGISTRY.replace("\n", "\r\n")
    edited, failed = with_aliases(
        crlf, {"甲市人力资源和社会保障局": ["市人社局"], "甲市财政局": ["财政局"]}
    )
    assert failed == [] and edited.count("\r\n") == edited.count("\n") == crlf.count("\n") + 2
    twice = REGISTRY + "  - name: 甲市教育局\n    kind: department\n"
    assert with_aliases(twice, {"甲市教育局": ["市教委"]}) == (twice, ["甲市教育局"])
