"""`check` over each file's cached facts (zjtrack/crosscheck.py) prints the very bytes, and exits
with the very code, that `check` over the whole model does: with the cache warm, cold (no cache),
and after one file changed, on the shipped tasks/, the demo, generated trees with every target
shape, and generated trees with errors (some the facts reproduce, some that need the model)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import IDENTITY_TREES, cli, edit, identity_trees, spy_made

from zjtrack import crosscheck

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

AS_OF = "2026-11-25"
TREES = {
    **IDENTITY_TREES,
    "errors-facts": ["errors-facts"],
    "errors-model": ["errors-model"],
    "percent-model": ["percent-model"],
    "milestone-model": ["milestone-model"],
}
# Trees whose problems the facts reproduce (no decisions, no record that needs the model).
FAST = {"tasks", "shapes-plain", "synthetic", "errors-facts"}


def _errors_facts(root: Path) -> None:
    """Errors of one file and unknown units: all within what the facts reproduce."""
    generate(root, measures=40, records=300, files=4)
    doc = root / "synthetic-0000.yaml"
    edit(doc, "lead_units: [", "lead_units: [不存在的局, ")
    edit(doc, "        metric: 合成指标1\n", "")  # a missing field (the loader's)
    edit(doc, "    title: 合成措施3\n", "    title: 合成措施3\n    note: 待核：牵头单位\n")
    edit(doc, "        deadline: 20", "        deadline_x: 20")  # unknown key, then no deadline
    other = root / "synthetic-0002.yaml"
    edit(other, "responsible_units: [", "responsible_units: [不存在的局, 合成市第九十局, ")
    edit(other, '        comparator: ">="\n', '        comparator: "range"\n')  # no value_max
    # tracked from after the as-of date (a warning as of it), and from before it (none)
    edit(
        root / "synthetic-0001.yaml",
        "  issued: 2024-03-01\n",
        "  issued: 2024-03-01\n  tracked_from: 2026-12-09\n",
    )
    edit(
        root / "synthetic-0003.yaml",
        "  issued: 2024-03-01\n",
        "  issued: 2024-03-01\n  tracked_from: 2026-01-05\n",
    )


def _errors_model(root: Path) -> None:
    """Errors that cross files in ways only the model reports."""
    generate(root, measures=40, records=300, files=4)
    edit(root / "synthetic-0001.yaml", "  - id: s1-3\n", "  - id: s1-2\n")  # a duplicate id
    progress = root / "progress" / "synthetic-0000.yaml"
    with progress.open("a", encoding="utf-8") as f:
        f.write("---\ntarget: s0-0-9\ndate: 2026-01-02\nvalue: 3\n")  # no such target
        f.write("---\ntarget: s0-0-0\ndate: 2027-01-02\nvalue: 3\n")  # after the as-of date
    (root / "synthetic-0003.yaml").write_bytes(b"zjtrack: 1\ndocument: [\n")  # syntax


def _records_model(root: Path, record: str, percent: bool = False) -> None:
    """A record of the wrong kind for its target (only the model reports it)."""
    generate(root, measures=40, records=300, files=4)
    if percent:
        edit(root / "synthetic-0000.yaml", "        unit: 个\n", '        unit: "%"\n')  # s0-0-0
    with (root / "progress" / "synthetic-0000.yaml").open("a", encoding="utf-8") as f:
        f.write(record)


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    identity_trees(tmp_path, monkeypatch)
    _errors_facts(tmp_path / "errors-facts")
    _errors_model(tmp_path / "errors-model")
    # a percent over 100; a milestone's record with a value
    record = "---\ntarget: s0-0-{}\ndate: 2026-01-02\nvalue: {}\n"
    _records_model(tmp_path / "percent-model", record.format(0, 150), percent=True)
    _records_model(tmp_path / "milestone-model", record.format(2, 5))
    yield tmp_path


ARGS = [
    [],
    ["--lang", "en"],
    ["--strict"],
    ["-f", "json"],
    ["-f", "json", "--lang", "en"],
    ["-f", "github"],
]


def _runs(paths: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], list[bool]]:
    """Every form of `check` over `paths`, each over the facts (cache warm, then no cache) and
    over the model; asserts they agree, returns the outputs and whether the facts were used."""
    real = crosscheck.check_tree
    used = spy_made(monkeypatch, crosscheck, "check_tree")
    spy = crosscheck.check_tree

    outputs: list[object] = []
    for args in ARGS:
        command = ["check", *paths, "--as-of", AS_OF, *args]
        monkeypatch.setattr(crosscheck, "check_tree", spy)
        warm = cli(*command)
        cold = cli(*command, env={"ZJTRACK_NO_CACHE": "1"})
        monkeypatch.setattr(crosscheck, "check_tree", lambda *a, **k: None)
        model = cli(*command)
        want = (model.stdout, model.stderr, model.exit_code)
        assert (warm.stdout, warm.stderr, warm.exit_code) == want, command
        assert (cold.stdout, cold.stderr, cold.exit_code) == want, command
        outputs.append(want)
    monkeypatch.setattr(crosscheck, "check_tree", real)
    return outputs, used


@pytest.mark.parametrize("name", list(TREES))
def test_check_over_facts_is_byte_identical(
    trees: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = TREES[name]
    cli("check", *paths, "--as-of", AS_OF)  # makes the entries
    before, used = _runs(paths, monkeypatch)
    assert all(used) if name in FAST else not any(used)
    if name.startswith("errors"):
        assert any(out[2] == 1 for out in before)  # type: ignore[index]
    # one file changed: a document gains an unknown unit, a progress file a record
    docs = sorted(p for p in (trees / paths[-1]).glob("*.yaml") if p.name != "units.yaml")
    doc = next(p for p in docs if "lead_units: [" in p.read_text(encoding="utf-8"))
    edit(doc, "lead_units: [", "lead_units: [又一个不存在的局, ")
    after, used = _runs(paths, monkeypatch)
    assert after != before
    assert all(used) if name in FAST else not any(used)
    progress = sorted((trees / paths[-1] / "progress").glob("*.yaml"))
    if progress:
        with progress[0].open("a", encoding="utf-8") as f:
            f.write("\n# a comment at the end\n")
        again, _ = _runs(paths, monkeypatch)
        assert again == after


def test_facts_live_beside_the_entries_and_a_damaged_one_is_derived_again(
    trees: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = ["errors-facts"]
    first = cli("check", *paths, "--as-of", AS_OF)
    assert first.exit_code == 1
    facts = list((trees / "cache").rglob("*.facts"))
    assert len(facts) == len(list((trees / "errors-facts").rglob("*.yaml")))
    assert not list((trees / "errors-facts").rglob("*.facts"))  # never in the repository
    for p in facts:
        blob = bytearray(p.read_bytes())
        blob[-3] ^= 1
        p.write_bytes(bytes(blob))
    again = cli("check", *paths, "--as-of", AS_OF)
    assert (again.stdout, again.stderr, again.exit_code) == (
        first.stdout,
        first.stderr,
        first.exit_code,
    )
