"""The weekly report's shared lookups and fast paths: who answers for each target is resolved once
(`evaluate.roles_column`) and read by its items and by 附件2 (`accountability`), with the same
results as resolving it in each; the rules read enum members as module names with the same
answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zjtrack import evaluate as ev
from zjtrack.evaluate import (
    FINISHED,
    SUPERVISED,
    Level,
    Status,
    accountability,
    evaluate,
    level_of,
    roles_column,
)
from zjtrack.load.loader import load_paths
from zjtrack.model import Config
from zjtrack.registry import Registry
from zjtrack.report.document import items_of

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def city() -> tuple[list[ev.TargetResult], Registry]:
    plan = load_paths([ROOT / "tasks", ROOT / "examples" / "demo"]).plan
    return evaluate(plan, AS_OF), Registry(plan.units)


def test_roles_column_is_roles_of_each_resolved_once_per_responsibility(
    city: tuple[list[ev.TargetResult], Registry], monkeypatch: pytest.MonkeyPatch
) -> None:
    results, registry = city
    calls: list[str] = []
    want = [ev.roles_of(r, registry) for r in results]
    real = ev._roles

    def counted(
        doc: ev.Document, measure: ev.Measure, target: ev.Target, reg: Registry
    ) -> ev.Roles:
        calls.append(target.id)
        return real(doc, measure, target, reg)

    monkeypatch.setattr(ev, "_roles", counted)
    column = roles_column(results, registry)
    assert column == want
    keys = {(id(r.measure.responsibility_of(r.target)), r.document.region) for r in results}
    assert len(calls) == len(keys) < len(results)  # targets of a measure share their units
    # the same of the results' targets as `Plan.all_targets` places them
    assert roles_column([(r.document, r.measure, r.target) for r in results], registry) == column
    assert any(roles.lead for roles in column) and any(roles.shared for roles in column)


def test_accountability_and_items_read_the_roles_given_as_they_resolve_their_own(
    city: tuple[list[ev.TargetResult], Registry],
) -> None:
    results, registry = city
    column = roles_column(results, registry)
    tallies = accountability(results, registry, column)
    assert tallies == accountability(results, registry)
    assert sum(t.leads for t in tallies) >= len(results)  # each target counts for each lead
    for t in tallies:
        assert sum(t.counts.values()) == t.leads
        assert list(t.counts) == list(Status) and list(t.levels) == list(Level)
    for lang in ("zh", "en"):
        assert items_of(results, registry, lang, column) == items_of(results, registry, lang)
    # roles given are the ones read: another column changes the lead units shown
    swapped = [ev.Roles(("某单位",), ()) for _ in results]
    assert {it.lead for it in items_of(results, registry, "zh", swapped)} == {("某单位",)}
    assert [t.unit for t in accountability(results, registry, swapped)] == ["某单位"]


def test_the_rules_read_enum_members_as_names_with_the_same_answers() -> None:
    for s in Status:
        assert s.finished is (s in FINISHED)
    config = Config()
    for s in Status:
        for gap in (None, 0.0, config.yellow_gap + 1, config.red_gap + 1):
            for days_left in (None, -3, 0, config.due_soon_days, config.due_soon_days + 1):
                level = level_of(s, gap, days_left, config)
                if s is Status.OVERDUE or (s is Status.BEHIND and gap and gap > config.red_gap):
                    assert level is Level.RED
                elif s is Status.BEHIND:
                    assert level is Level.YELLOW
                elif s in SUPERVISED or s in FINISHED:
                    assert level is None
                else:
                    due = days_left is not None and 0 <= days_left <= config.due_soon_days
                    assert level is (Level.BLUE if due else None)


def test_printable_text_holds_nothing_inert_escapes() -> None:
    from zjtrack.report.document import safe
    from zjtrack.text import _UNSAFE, inert

    unsafe = [chr(c) for c in range(0x110000) if _UNSAFE.match(chr(c))]
    assert len(unsafe) > 2000  # controls, marks and the surrogates
    assert not any(c.isprintable() for c in unsafe)
    for c in [*unsafe, "\t", "\n", "a", "中", " "]:
        for text in (c, f"前{c}后", f"x{c}"):
            assert safe(text) == inert(text)
    assert safe("职业学校 ≥ 90%") == "职业学校 ≥ 90%" and safe(None) == safe("") == ""
    assert safe("a\u202eb") == "a\\u202eb"


def test_docx_tables_are_the_same_whatever_block_of_rows_is_made_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docx table rows are made a block at a time, a column at a time (each distinct value once
    a block): the bytes do not depend on the block's size, and every row is there once, in order."""
    import re
    import zipfile
    from io import BytesIO

    from zjtrack.render import docx
    from zjtrack.report import build_weekly
    from zjtrack.report.weeks import Week

    plan = load_paths([ROOT / "tasks", ROOT / "examples" / "demo"]).plan
    report = build_weekly(plan, Week(2026, 48), "zh", today=AS_OF)
    rows = sum(len(t.rows) for s in report.sections for t in s.tables)
    assert rows > 20
    made = []
    for block in (1, 3, 7, 100_000):
        monkeypatch.setattr(docx, "_BLOCK", block)
        made.append(docx.render([report]))
    assert made[1:] == made[:-1]
    body = zipfile.ZipFile(BytesIO(made[0])).read("word/document.xml").decode("utf-8")
    tables = [t for s in report.sections for t in s.tables if t.rows]
    assert body.count("<w:tr>") == rows + len(tables)  # each row, and a header row a table
    ids = [str(r["id"]) for t in tables for r in t.rows if "id" in r]
    found = [m for m in re.findall(r">([^<>]+)</w:t>", body) if m in set(ids)]
    assert found == ids  # every id cell, in the order of the tables' rows
