"""The real tasks/: clean under --strict, valid against the published JSON Schema, complete."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from zjtrack.checks import run_checks
from zjtrack.load import yamlsrc
from zjtrack.load.loader import load_paths
from zjtrack.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
TASKS = ROOT / "tasks"
SEEDS = ROOT.parent / "shared" / "seeds"


def plan_files() -> list[Path]:
    return sorted(p for p in TASKS.glob("*.yaml"))


def test_shipped_tasks_have_no_problems_at_all() -> None:
    result = load_paths([str(TASKS)])
    problems = result.problems + run_checks(result.plan)
    assert [(p.code, p.path, p.line) for p in problems] == []


@pytest.mark.parametrize("path", plan_files(), ids=lambda p: p.name)
def test_shipped_files_validate_against_the_json_schema(path: Path) -> None:
    node, problems = yamlsrc.compose(path.read_text(encoding="utf-8"), str(path))
    assert problems == [] and node is not None
    jsonschema.validate(yamlsrc.to_python(node), json_schema())


def test_committed_schema_is_the_generated_one() -> None:
    committed = json.loads((ROOT / "zjtrack.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "regenerate with: zjtrack schema > zjtrack.schema.json"


def test_document_files_name_the_schema() -> None:
    for path in plan_files():
        if path.name != "units.yaml":
            assert path.read_text(encoding="utf-8").startswith(
                "# yaml-language-server: $schema=../zjtrack.schema.json"
            )


def test_both_documents_are_encoded_in_full() -> None:
    plan = load_paths([str(TASKS)]).plan
    docs = {d.id: d for d in plan.documents}
    assert set(docs) == {"haidong-2024-74", "zhangye-2024-2"}
    hd, zy = docs["haidong-2024-74"], docs["zhangye-2024-2"]
    assert [m.clause for m in hd.measures] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
        "六、",
        "七、",
        "八、",
        "九、",
        "十、",
    ]
    assert [m.clause for m in zy.measures] == [
        "一、",
        *[f"（{c}）" for c in "一二三四五六七八"],
        "三、",
    ]
    assert hd.doc_number == "东政办〔2024〕74号" and str(hd.issued) == "2024-07-18"
    assert zy.doc_number == "张教领〔2024〕2号" and str(zy.issued) == "2024-05-13"
    assert zy.work_group is not None and len(zy.work_group.members) == 18
    assert zy.work_group.members[0].name == "娄金华" and zy.work_group.members[0].role == "组长"


def _targets(plan_id: str) -> dict[str, object]:
    plan = load_paths([str(TASKS)]).plan
    return {t.id: t for d, _, t in plan.all_targets() if d.id == plan_id}


def test_headline_quantities_have_their_exact_meaning() -> None:
    plan = load_paths([str(TASKS)]).plan
    by_quote = {t.quote: t for _, _, t in plan.all_targets()}

    def find(fragment: str):  # type: ignore[no-untyped-def]
        hits = [t for q, t in by_quote.items() if fragment in q]
        assert hits, fragment
        return hits[0]

    t = find("达标学校的比例达到 90%以上")
    assert (t.comparator.value, t.value, t.unit, str(t.deadline.date)) == (
        ">=",
        90,
        "%",
        "2025-12-31",
    )
    t = find("培育110家以上")
    assert (t.comparator.value, t.value, t.unit) == (">=", 110, "家")
    t = find("建设6—8个品牌示范专业")
    assert (t.comparator.value, t.value, t.value_max) == ("range", 6, 8)
    t = find("总体就业率保持在 90%以上")
    assert (t.comparator.value, t.value, t.maintain) == (">=", 90, True)
    t = find("招生总规模的20%左右")
    assert (t.comparator.value, t.value, t.unit, t.tolerance) == ("approx", 20, "%", None)
    t = find("每个中职学校遴选1-2个骨干专业")
    assert (t.comparator.value, t.value, t.value_max, t.each) == ("range", 1, 2, "每个中职学校")
    t = find("各建设1个开放型区域产教融合实践中心")
    assert t.entities == ("青海高等职业技术学院", "互助县职业技术学校")
    t = find("合格率原则上控制在95%左右")
    assert (t.comparator.value, t.value) == ("approx", 95)


def test_two_1_plus_x_figures_stay_two_targets() -> None:
    plan = load_paths([str(TASKS)]).plan
    hits = [t for _, _, t in plan.all_targets() if "“1+X”证书试点" in t.quote and "19" in t.quote]
    assert len(hits) == 2
    assert {t.comparator.value for t in hits} == {">=", "="}


@pytest.mark.skipif(
    not (SEEDS.parent / "tools" / "check_quotes.py").exists(),
    reason="shared/ not beside the checkout",
)
def test_every_quote_is_verbatim_source_text() -> None:
    tool = SEEDS.parent / "tools" / "check_quotes.py"
    run = subprocess.run(
        [sys.executable, str(tool), str(TASKS)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout


def test_nothing_invented_no_progress_in_tasks() -> None:
    assert not (TASKS / "progress").exists() or not any((TASKS / "progress").iterdir())
