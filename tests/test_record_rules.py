"""The per-record rules (checks.record_problems) on their own, without the CLI or a file; then the
proof that `check` and `record` apply them alike: the same record refused by `record_progress`
and, written by hand, reported by `check` gets the same codes and the same words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import DOC_YAML, Tree, variant

from zjtrack.checks import record_problems
from zjtrack.load.loader import load_paths
from zjtrack.model import ProgressRecord
from zjtrack.problems import UserError
from zjtrack.store import journal
from zjtrack.store.record import record_progress

AS_OF = dt.date(2025, 6, 30)
# hd-5-1: a percentage (>= 90 %); hd-5-2: a milestone; hd-5-3: per entity, two named entities
PER_ENTITY = """\
      - id: hd-5-3
        metric: 示范专业
        comparator: ">="
        value: 1
        unit: 个
        each: 每所学校
        entities: [甲校, 乙校]
        deadline: 2025年底
        quote: "每所学校建设1个示范专业"
"""
DOC = DOC_YAML + PER_ENTITY


@pytest.fixture
def targets(tmp_path: Path) -> dict[str, object]:
    (tmp_path / "doc.yaml").write_text(DOC, "utf-8")
    plan = load_paths([str(tmp_path / "doc.yaml")]).plan
    return {t.id: t for _, _, t in plan.all_targets()}


def codes(record: ProgressRecord, targets: dict[str, object]) -> list[str]:
    return [p.code for p in record_problems(record, targets, AS_OF)]  # type: ignore[arg-type]


DAY = dt.date(2025, 6, 1)
RULES = [
    (ProgressRecord("hd-5-1", DAY, value=95), []),
    (ProgressRecord("hd-5-2", DAY, done=False), []),
    (ProgressRecord("hd-5-3", DAY, value=1, entity="甲校"), []),
    (ProgressRecord("hd-5-9", DAY, value=1), ["unknown-target"]),
    (ProgressRecord("hd-5-1", AS_OF + dt.timedelta(days=1), value=95), ["future-record"]),
    (ProgressRecord("hd-5-1", AS_OF, value=95), []),  # the as-of date itself is allowed
    (ProgressRecord("hd-5-1", DAY, done=True), ["record-value"]),
    (ProgressRecord("hd-5-1", DAY), ["record-value"]),
    (ProgressRecord("hd-5-2", DAY, value=1), ["record-value"]),
    (ProgressRecord("hd-5-2", DAY, value=1, done=True), ["record-value"]),
    (ProgressRecord("hd-5-1", DAY, value=100.5), ["percent-over-100"]),
    (ProgressRecord("hd-5-1", DAY, value=-1), ["percent-over-100"]),
    (ProgressRecord("hd-5-1", DAY, value=95, entity="甲校"), ["unknown-entity"]),
    (ProgressRecord("hd-5-3", DAY, value=1, entity="丙校"), ["unknown-entity"]),
    (ProgressRecord("hd-5-3", DAY, value=1), ["missing-entity"]),
]


@pytest.mark.parametrize(("record", "expected"), RULES)
def test_record_rules(
    targets: dict[str, object], record: ProgressRecord, expected: list[str]
) -> None:
    assert codes(record, targets) == expected


def test_without_an_as_of_date_no_record_is_in_the_future(targets: dict[str, object]) -> None:
    late = ProgressRecord("hd-5-1", dt.date(2099, 1, 1), value=95)
    assert list(record_problems(late, targets, None)) == []  # type: ignore[arg-type]


# --- check and record agree ------------------------------------------------------------------------

# (VALUE, options) for `record`, and the same record as a hand-written YAML document
SAME = [
    (("hd-5-1", "150", {}), "target: hd-5-1\ndate: 2025-06-01\nvalue: 150\n"),
    (("hd-5-2", "1", {}), "target: hd-5-2\ndate: 2025-06-01\nvalue: 1\n"),
    (("hd-5-1", "done", {}), "target: hd-5-1\ndate: 2025-06-01\ndone: true\n"),
    (("hd-5-9", "1", {}), "target: hd-5-9\ndate: 2025-06-01\nvalue: 1\n"),
    (("hd-5-3", "1", {}), "target: hd-5-3\ndate: 2025-06-01\nvalue: 1\n"),
    (
        ("hd-5-3", "1", {"entity": "丙校"}),
        "target: hd-5-3\ndate: 2025-06-01\nvalue: 1\nentity: 丙校\n",
    ),
    (("hd-5-1", "95", {"date": "2025-07-01"}), "target: hd-5-1\ndate: 2025-07-01\nvalue: 95\n"),
    (("hd-5-1", "95", {"note": " "}), 'target: hd-5-1\ndate: 2025-06-01\nvalue: 95\nnote: " "\n'),
    (
        ("hd-5-1", "95", {"date": "2025-02-30"}),
        "target: hd-5-1\ndate: 2025-02-30\nvalue: 95\n",
    ),
]


@pytest.mark.parametrize(("request_", "by_hand"), SAME, ids=[s[1].split("\n")[2] for s in SAME])
def test_check_and_record_report_the_same_codes_and_words(
    tmp_path: Path, request_: tuple[str, str, dict[str, str]], by_hand: str
) -> None:
    target, value, options = request_
    tree = Tree(tmp_path / "tasks")
    tree.write(DOC)
    tree.write(journal.HEADER.format(doc="hd-test", doc_json="hd-test"), "progress/hd-test.yaml")
    before = (tree.dir / "progress" / "hd-test.yaml").read_bytes()
    with pytest.raises(UserError) as info:
        record_progress(tree.dir, target, value, as_of=AS_OF, **{"date": "2025-06-01", **options})
    assert (tree.dir / "progress" / "hd-test.yaml").read_bytes() == before
    refused = [(p.code, p.message("zh"), p.message("en")) for p in info.value.problems]

    tree.write(
        variant(before.decode(), ("hd-test\n", "hd-test\n---\n" + by_hand)), "progress/hd-test.yaml"
    )
    checked = [
        (p.code, p.message("zh"), p.message("en"))
        for p in tree.check(AS_OF)
        if p.path.endswith("hd-test.yaml") and p.code != "unknown-unit"
    ]
    assert refused == checked
    assert refused  # every case is a refusal
