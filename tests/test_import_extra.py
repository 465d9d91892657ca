"""`zjtrack import` on real documents it was not built on, scored against hand-made answer keys.

tests/fixtures/import-extra/ holds three real policy documents (each file's first line names its
source) with an answer key in the format of the import corpus (../shared/import-corpus/): a national
opinion with a goals paragraph (国发〔2018〕42号), a national opinion with no lead rule and several unit
parentheses in one measure (国办发〔2018〕121号), and a city programme with a stated programme period
(广州 2012, 人才集聚工程). Each is imported through the real CLI into a folder, checked, listed with
`zjtrack targets --format json`, and scored by the corpus scorer when it is present; the checks
that do not need the scorer run always.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from zjtrack.cli.app import app as APP

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "tests" / "fixtures" / "import-extra"
SCORER = ROOT.parent / "shared" / "import-corpus" / "score.py"
DOCUMENTS = sorted(p.name.removesuffix(".key.yaml") for p in EXTRA.glob("*.key.yaml"))


def _imported(name: str, tmp_path: Path) -> tuple[Path, Path, list[dict[str, Any]]]:
    """(the document's text, the draft's folder, the draft's targets as `zjtrack targets` lists them)."""
    lines = (EXTRA / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("# source:"), "the first line names the source"
    text = tmp_path / f"{name}.txt"
    text.write_text("\n".join(lines[1:]), encoding="utf-8")
    folder = tmp_path / name
    runner = CliRunner()
    result = runner.invoke(APP, ["import", str(text), "-o", str(folder / "imported.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "内部问题" not in result.stderr  # the draft passed its own read-back
    listed = runner.invoke(APP, ["targets", str(folder), "--format", "json"])
    assert listed.exit_code == 0, listed.stderr
    data = json.loads(listed.stdout)
    return text, folder, data.get("targets", data) if isinstance(data, dict) else data


@pytest.mark.parametrize("name", DOCUMENTS)
def test_draft_checks_without_errors(name: str, tmp_path: Path) -> None:
    """Whatever the document, the draft and the units registry beside it check with no error."""
    _, folder, _ = _imported(name, tmp_path)
    result = CliRunner().invoke(APP, ["check", str(folder)])
    assert "错误[" not in result.stdout + result.stderr, result.stdout


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_keyed_target_is_drafted_with_its_value(name: str, tmp_path: Path) -> None:
    """Every numeric target of the key has a draft target quoting it with the key's value (and
    its deadline where the key has one); no quantity is drafted that the key does not list."""
    key = yaml.safe_load((EXTRA / f"{name}.key.yaml").read_text(encoding="utf-8"))
    _, _, targets = _imported(name, tmp_path)
    quantities = [t for t in targets if t["kind"] == "quantity"]
    wanted = [t for m in key["measures"] for t in m.get("targets") or [] if t["kind"] == "target"]
    missing = []
    for k in wanted:
        hits = [
            t
            for t in quantities
            if (k["quote"] in t["quote"] or t["quote"] in k["quote"])
            and float(t["value"]) == float(k["value"])
            and (not k.get("deadline_iso") or t.get("deadline") == str(k["deadline_iso"]))
        ]
        if not hits:
            missing.append(k["id"])
    assert missing == []
    keyed = [k["quote"] for k in wanted]
    extra = [
        t["quote"] for t in quantities if not any(q in t["quote"] or t["quote"] in q for q in keyed)
    ]
    assert extra == []


@pytest.mark.skipif(
    not SCORER.exists(), reason="the corpus scorer (../shared/import-corpus) is absent"
)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_corpus_scorer_passes(name: str, tmp_path: Path) -> None:
    """The corpus scorer's own figures: at least 80% of targets and dated milestones and of unit
    lines right, no invented unit, no extra quantity draft. The scorer compares each target's units
    with its measure's whole set; a measure whose key lists several unit parentheses (one per run
    of sentences, `units_as_written` with …) gets per-run units in the draft, which is right by the
    document, so its lines are left out of the unit figure."""
    text, _, targets = _imported(name, tmp_path)
    listed = tmp_path / "targets.json"
    listed.write_text(json.dumps(targets, ensure_ascii=False), encoding="utf-8")
    key_file = EXTRA / f"{name}.key.yaml"
    run = subprocess.run(
        [sys.executable, str(SCORER), f"--text={text}", str(listed), str(key_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = run.stdout.strip().splitlines()
    m = re.search(
        r"(\d+)/(\d+) targets and dated milestones right.*?(\d+)/(\d+) unit lines right"
        r".*, (\d+) extra quantity targets, (\d+) invented units",
        lines[-1],
    )
    assert m, lines[-1]
    right, total, units_ok, units_total, extra, invented = map(int, m.groups())
    key = yaml.safe_load(key_file.read_text(encoding="utf-8"))
    per_run = {str(x["id"]) for x in key["measures"] if "…" in str(x.get("units_as_written", ""))}
    excused = sum(
        1 for line in lines if (u := re.match(r"UNITS .* measure (\S+) ", line)) and u[1] in per_run
    )
    assert 100 * right >= 80 * total, run.stdout
    assert 100 * units_ok >= 80 * (units_total - excused), run.stdout
    assert (extra, invented) == (0, 0), run.stdout


def test_goals_paragraph_pairs_and_slogans(tmp_path: Path) -> None:
    """国发〔2018〕42号: 到2025年，… governs every target after it; 分别达到65%和55% gives two targets;
    “四个全面”, 走出一条…道路, 打造一支…队伍 and 健全部门… give none."""
    _, _, targets = _imported("gov-2018-42-nongji", tmp_path)
    pair = [t for t in targets if t["quote"] == "花生种植、收获机械化率分别达到65%和55%"]
    assert [(t["value"], t["deadline"]) for t in pair] == [(65, "2025-12-31"), (55, "2025-12-31")]
    quoted = " ".join(t["quote"] for t in targets if t["kind"] == "quantity")
    for slogan in ("四个全面", "道路", "队伍", "部门协调"):
        assert slogan not in quoted


def test_several_unit_parentheses_in_one_measure(tmp_path: Path) -> None:
    """国办发〔2018〕121号 （十三）: each （…负责） answers for the sentences before it; 冬季两项 is a name."""
    _, _, targets = _imported("gov-2018-121-tiyu", tmp_path)
    by_quote = {t["quote"]: t for t in targets}
    assert by_quote["推行体育场馆设计、建设、运营、管理一体化模式"]["responsible_units"] == [
        "体育总局",
        "教育部",
        "住房城乡建设部",
    ]
    assert by_quote["积极探索建立体育场馆安保等级评价制度"]["responsible_units"] == [
        "体育总局",
        "公安部",
        "应急部",
    ]
    assert not any("冬季两项" in t["quote"] for t in targets if t["kind"] == "quantity")
    size = next(t for t in targets if "2万亿元" in t["quote"])
    assert (size["value"], size["unit"], size["deadline"]) == (
        2_000_000_000_000,
        "元",
        "2025-12-31",
    )


def test_programme_period_dates_the_items(tmp_path: Path) -> None:
    """广州人才集聚工程: 2012年起5年内 dates 5年内 in each item and, marked for review, the targets that
    give no deadline; yearly targets (每年…) keep none; three goals in one quoted sentence each
    get their own number and quote."""
    _, _, targets = _imported("gz-2012-rencai-jiju", tmp_path)
    goals = [
        (t["value"], t["comparator"], t["deadline"])
        for t in targets
        if t["measure"].endswith("-1") and t["kind"] == "quantity"
    ]
    assert goals == [
        (2000, "approx", "2016-12-31"),
        (3200000, "approx", "2016-12-31"),
        (40, ">=", "2016-12-31"),
    ]
    station = next(t for t in targets if t["quote"] == "重点建设30家学会科技服务站")
    assert station["deadline"] == "2016-12-31" and "2012年起5年内" in station["note"]
    yearly = next(t for t in targets if t["quote"].startswith("每年选拔资助不少于100名"))
    assert yearly["deadline"] is None
