"""The adversarial corpus, generated: a valid task tree (units, config, one document, its progress
records) and a list of named mutations of it, each with what `zjtrack check` must say.

The base tree is held as a small YAML-shaped structure (`M` mappings, `L` lists, `str` scalars
written verbatim) and written by a tiny emitter that records where every key and value lands, so
the expected line and column of each problem follow from the mutation, not from running zjtrack.

    python tests/corpus/generate.py OUT   # write every case into OUT/<case>/ with an index.tsv

Each case is a complete tree (every file of it), so that it can be checked and viewed on its own.
Expectations are deliberately about what a user is owed (a code at a place, or acceptance); known
bugs are marked on the case (`check_bug`, `views_bug`) and become strict xfails in the tests.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from zjtrack.spec import SPECS, field_map

# ------------------------------------------------------------------------------------------------
# A YAML-shaped structure and an emitter that knows where everything lands
# ------------------------------------------------------------------------------------------------


class M(list):  # type: ignore[type-arg]
    """A block mapping: a list of [key, value] pairs (duplicates allowed, order kept)."""


class L(list):  # type: ignore[type-arg]
    """A block sequence."""


class Stream(list):  # type: ignore[type-arg]
    """A `---`-separated stream of mappings (a progress file)."""


Path_ = tuple[int, ...]


@dataclass
class Emitted:
    text: str
    pos: dict[Path_, tuple[int, int]]  # node (value) positions, 1-based (line, column)
    kpos: dict[Path_, tuple[int, int]]  # key positions of mapping entries


def emit(node: M | Stream) -> Emitted:
    out: list[str] = []
    pos: dict[Path_, tuple[int, int]] = {}
    kpos: dict[Path_, tuple[int, int]] = {}
    if isinstance(node, Stream):
        for d, doc in enumerate(node):
            if d:
                out.append("---")
            _map(doc, 0, (d,), out, pos, kpos)
    else:
        _map(node, 0, (), out, pos, kpos)
    return Emitted("\n".join(out) + "\n", pos, kpos)


def _map(
    m: M, indent: int, path: Path_, out: list[str], pos: dict, kpos: dict, lead: str | None = None
) -> None:  # type: ignore[type-arg]
    for n, (key, value) in enumerate(m):
        prefix = lead if (n == 0 and lead is not None) else " " * indent
        line = len(out) + 1
        kpos[(*path, n)] = (line, indent + 1)
        if n == 0:
            pos[path] = (line, indent + 1)
        _entry(prefix + key + ":", value, indent, (*path, n), out, pos, kpos)


def _entry(
    head: str, value: object, indent: int, path: Path_, out: list[str], pos: dict, kpos: dict
) -> None:  # type: ignore[type-arg]
    line = len(out) + 1
    if isinstance(value, str):
        out.append(f"{head} {value}" if value else head)
        pos[path] = (line, len(head) + 2)
    elif isinstance(value, M) and value:
        out.append(head)
        _map(value, indent + 2, path, out, pos, kpos)
    elif isinstance(value, L) and value:
        out.append(head)
        _list(value, indent + 2, path, out, pos, kpos)
    else:
        out.append(f"{head} {'{}' if isinstance(value, M) else '[]'}")
        pos[path] = (line, len(head) + 2)


def _list(items: L, indent: int, path: Path_, out: list[str], pos: dict, kpos: dict) -> None:  # type: ignore[type-arg]
    for i, item in enumerate(items):
        line = len(out) + 1
        if i == 0:
            pos[path] = (line, indent + 1)
        here = (*path, i)
        if isinstance(item, M) and item:
            _map(item, indent + 2, here, out, pos, kpos, lead=" " * indent + "- ")
        elif isinstance(item, str):
            out.append(" " * indent + "- " + item)
            pos[here] = (line, indent + 3)
        else:
            out.append(" " * indent + ("- {}" if isinstance(item, M) else "- []"))
            pos[here] = (line, indent + 3)


def dq(text: str) -> str:
    """A YAML double-quoted scalar of `text`: controls escaped (\\e, \\x9b, \\n …), everything else
    raw, so bidi overrides and zero-width characters stand in the file as they would in a paste."""
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o == 0x1B:
            out.append("\\e")
        elif o < 0x20 or 0x7F <= o <= 0x9F:
            out.append(f"\\x{o:02x}")
        else:
            out.append(ch)
    return "".join(out) + '"'


# ------------------------------------------------------------------------------------------------
# The valid base tree
# ------------------------------------------------------------------------------------------------

AS_OF = "2025-07-06"  # a Sunday: `report weekly` covers 2025-06-30 .. 2025-07-06
DOC_ID = "cx-2025-1"
DOC = "doc.yaml"
UNITS = "units.yaml"
CONFIG = "config.yaml"
PROGRESS = f"progress/{DOC_ID}.yaml"
FILES = (UNITS, CONFIG, DOC, PROGRESS)
SPEC_OF = {UNITS: "units_file", CONFIG: "config_file", DOC: "document_file"}
SHOW_ID = "cx-1-1"  # the target `zjtrack show` is asked about


def base() -> dict[str, M | Stream]:
    """A small tree that uses every part of the format and passes `check --strict`."""
    units = M(
        [
            ["zjtrack", "1"],
            [
                "units",
                L(
                    [
                        M(
                            [
                                ["name", "海东市教育局"],
                                ["kind", "department"],
                                ["region", "海东市"],
                                ["aliases", L(["市教育局"])],
                            ]
                        ),
                        M(
                            [
                                ["name", "海东市发展和改革委员会"],
                                ["kind", "department"],
                                ["region", "海东市"],
                                ["aliases", L(["市发改委"])],
                            ]
                        ),
                        M(
                            [
                                ["name", "海东市财政局"],
                                ["kind", "department"],
                                ["region", "海东市"],
                                ["note", "财政保障"],
                            ]
                        ),
                        M(
                            [
                                ["name", "海东市各县区人民政府"],
                                ["kind", "collective"],
                                ["region", "海东市"],
                                ["aliases", L(["各县区人民政府"])],
                                ["members", L(["海东市财政局"])],
                            ]
                        ),
                    ]
                ),
            ],
        ]
    )
    config = M(
        [
            ["zjtrack", "1"],
            [
                "config",
                M(
                    [
                        ["due_soon_days", "30"],
                        ["yellow_gap", "10"],
                        ["red_gap", "30"],
                        ["stale_days", "30"],
                        ["approx_tolerance", "0.1"],
                        ["report_title", "职业教育工作周报（语料）"],
                        ["reporting_unit", "海东市职业教育工作专班"],
                        ["first_week", "2025-W01"],
                    ]
                ),
            ],
        ]
    )
    doc = M(
        [
            ["zjtrack", "1"],
            [
                "document",
                M(
                    [
                        ["id", DOC_ID],
                        ["title", "海东市职业教育攻坚行动方案（语料）"],
                        ["doc_number", "东政办〔2025〕1号"],
                        ["issuer", "海东市人民政府办公室"],
                        ["issued", "2024-07-18"],
                        ["region", "海东市"],
                        ["source", "corpus/base.txt"],
                        ["note", "生成语料的基础文件"],
                    ]
                ),
            ],
            [
                "work_group",
                M(
                    [
                        ["name", "海东市职业教育工作专班"],
                        [
                            "members",
                            L(
                                [
                                    M([["role", "组长"], ["name", "张三"], ["position", "副市长"]]),
                                    M(
                                        [
                                            ["role", "成员"],
                                            ["name", "李四"],
                                            ["position", "市教育局局长"],
                                        ]
                                    ),
                                ]
                            ),
                        ],
                    ]
                ),
            ],
            [
                "measures",
                L(
                    [
                        M(
                            [
                                ["id", "cx-1"],
                                ["clause", "一、"],
                                ["title", "扩大校企合作"],
                                ["section", "二、重点任务"],
                                ["kind", "task"],
                                ["lead_units", L(["市教育局"])],
                                ["responsible_units", L(["市发改委", "各县区人民政府"])],
                                ["supporting_units", L(["海东市财政局"])],
                                ["note", "措施说明"],
                                [
                                    "targets",
                                    L(
                                        [
                                            M(
                                                [
                                                    ["id", "cx-1-1"],
                                                    ["metric", "职业学校办学条件达标学校比例"],
                                                    ["comparator", '">="'],
                                                    ["value", "90"],
                                                    ["unit", '"%"'],
                                                    ["start", "2024年"],
                                                    ["deadline", "2025年底"],
                                                    [
                                                        "extensions",
                                                        L(
                                                            [
                                                                M(
                                                                    [
                                                                        ["deadline", "2026年6月底"],
                                                                        [
                                                                            "approved_by",
                                                                            "海东市人民政府办公室",
                                                                        ],
                                                                        [
                                                                            "approved_on",
                                                                            "2025-06-01",
                                                                        ],
                                                                        ["note", "因故延期"],
                                                                    ]
                                                                )
                                                            ]
                                                        ),
                                                    ],
                                                    ["note", "目标说明"],
                                                    [
                                                        "quote",
                                                        '"力争到 2025 年底，职业学校办学条件达标学校的比例达到 90%以上"',
                                                    ],
                                                ]
                                            ),
                                            M(
                                                [
                                                    ["id", "cx-1-2"],
                                                    ["kind", "milestone"],
                                                    ["metric", "启动职业教育铸魂育人计划"],
                                                    ["deadline", "2025年6月底前"],
                                                    ["quote", '"启动职业教育铸魂育人计划"'],
                                                ]
                                            ),
                                            M(
                                                [
                                                    ["id", "cx-1-3"],
                                                    ["metric", "建成校内实训室"],
                                                    ["comparator", '">="'],
                                                    ["value", "1"],
                                                    ["unit", "个"],
                                                    ["each", "各"],
                                                    [
                                                        "entities",
                                                        L(
                                                            [
                                                                "互助县职业技术学校",
                                                                "乐都区职业技术学校",
                                                            ]
                                                        ),
                                                    ],
                                                    ["deadline", "2025年12月31日"],
                                                    [
                                                        "quote",
                                                        '"互助县、乐都区职业技术学校各建成1个校内实训室"',
                                                    ],
                                                ]
                                            ),
                                        ]
                                    ),
                                ],
                            ]
                        ),
                        M(
                            [
                                ["id", "cx-2"],
                                ["clause", "二、"],
                                ["title", "完善保障机制"],
                                ["kind", "safeguards"],
                                ["lead_units", L()],
                                ["lead_enterprise_rule", "由市教育局选定行业龙头企业"],
                                ["responsibility_quote", "由市教育局牵头"],
                                ["deadline_reason", "文件未规定完成时限"],
                                ["note", "文件未明确牵头单位"],
                                [
                                    "targets",
                                    L(
                                        [
                                            M(
                                                [
                                                    ["id", "cx-2-1"],
                                                    ["metric", "省级技能大师工作室"],
                                                    ["comparator", "range"],
                                                    ["value", "6"],
                                                    ["value_max", "8"],
                                                    ["unit", "个"],
                                                    ["quote", '"建成省级技能大师工作室6—8个"'],
                                                ]
                                            ),
                                            M(
                                                [
                                                    ["id", "cx-2-2"],
                                                    ["metric", "订单班学生占在校生比例"],
                                                    ["comparator", "approx"],
                                                    ["value", "50"],
                                                    ["tolerance", "5"],
                                                    ["unit", '"%"'],
                                                    ["maintain", "true"],
                                                    ["deadline", "2026年"],
                                                    ["quote", '"订单班学生占在校生比例约50%"'],
                                                ]
                                            ),
                                        ]
                                    ),
                                ],
                            ]
                        ),
                    ]
                ),
            ],
        ]
    )
    progress = Stream(
        [
            M([["zjtrack", "1"], ["document", DOC_ID], ["note", "语料进展记录"]]),
            M(
                [
                    ["target", "cx-1-1"],
                    ["date", "2025-06-20"],
                    ["value", "60"],
                    ["source", "市教育局5月报表"],
                    ["by", "王五"],
                ]
            ),
            M(
                [
                    ["target", "cx-1-1"],
                    ["date", "2025-07-01"],
                    ["value", "70"],
                    ["source", "市教育局6月报表"],
                    ["by", "张三"],
                    ["note", "本周更新"],
                    ["problems", "两所学校实训场地未达标"],
                    ["next_steps", "7月底前完成改造"],
                ]
            ),
            M(
                [
                    ["target", "cx-1-2"],
                    ["date", "2025-07-02"],
                    ["done", "false"],
                    ["problems", "方案尚在征求意见"],
                ]
            ),
            M(
                [
                    ["target", "cx-1-3"],
                    ["date", "2025-07-02"],
                    ["entity", "互助县职业技术学校"],
                    ["value", "1"],
                ]
            ),
            M([["target", "cx-2-1"], ["date", "2025-07-03"], ["value", "5"]]),
            M(
                [
                    ["target", "cx-2-2"],
                    ["date", "2025-07-03"],
                    ["value", "48"],
                    ["next_steps", "扩大订单班"],
                ]
            ),
        ]
    )
    return {UNITS: units, CONFIG: config, DOC: doc, PROGRESS: progress}


# ------------------------------------------------------------------------------------------------
# Cases and expectations
# ------------------------------------------------------------------------------------------------

WHOLE_FILE = frozenset({"empty-file", "too-large", "unreadable"})


@dataclass(frozen=True)
class Want:
    """A problem that must be reported: `line`/`column` None when the parser decides the place."""

    file: str
    code: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Case:
    name: str  # category/detail, unique
    files: dict[
        str, bytes | Callable[[], bytes]
    ]  # the whole tree; a callable builds a large file lazily
    verdict: str  # "accept" (no problem at all), "reject" (exit 1, errors) or "either" (no crash, located)
    wants: tuple[Want, ...] = ()
    check_bug: str | None = None  # check does not do what the case expects (a strict xfail)
    views_bug: str | None = None  # some other command crashes or misbehaves (a strict xfail)
    hostile: str | None = None  # the hostile text planted in the tree, for the rendering tests

    @property
    def category(self) -> str:
        return self.name.split("/", 1)[0]

    def data(self, file: str) -> bytes:
        content = self.files[file]
        return content() if callable(content) else content


def _encode(tree: dict[str, M | Stream]) -> dict[str, bytes | Callable[[], bytes]]:
    return {f: emit(tree[f]).text.encode("utf-8") for f in FILES}


def _with(
    file: str,
    data: bytes | Callable[[], bytes],
    tree: dict[str, M | Stream] | None = None,
) -> dict[str, bytes | Callable[[], bytes]]:
    files = _encode(tree or base())
    files[file] = data
    return files


# --- walking the structure by the format's spec ----------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One mapping of the base tree: its file, path, spec name and a readable label."""

    file: str
    path: Path_
    spec: str
    label: str


def sites(tree: dict[str, M | Stream]) -> Iterator[Site]:
    for file in FILES:
        root = tree[file]
        if isinstance(root, Stream):
            for d, doc in enumerate(root):
                yield from _walk(
                    file,
                    doc,
                    (d,),
                    "progress_header" if d == 0 else "record",
                    "header" if d == 0 else f"record[{d}]",
                )
        else:
            yield from _walk(file, root, (), SPEC_OF[file], "(root)")


def _walk(file: str, m: M, path: Path_, spec: str, label: str) -> Iterator[Site]:
    yield Site(file, path, spec, label)
    table = field_map(spec)
    for n, (key, value) in enumerate(m):
        f = table.get(key)
        if f is None:
            continue
        here = key if label == "(root)" else f"{label}.{key}"
        if f.type == "object" and isinstance(value, M):
            yield from _walk(file, value, (*path, n), f.item or "", here)
        elif f.type == "list" and isinstance(value, L):
            for i, item in enumerate(value):
                if isinstance(item, M):
                    yield from _walk(file, item, (*path, n, i), f.item or "", f"{here}[{i}]")


def node_at(tree: dict[str, M | Stream], file: str, path: Path_) -> object:
    node: object = tree[file]
    for i, step in enumerate(path):
        if isinstance(node, Stream) and i == 0:
            node = node[step]
        elif isinstance(node, M):
            node = node[step][1]
        else:
            node = node[step]  # type: ignore[index]
    return node


def _first_of_each_spec(tree: dict[str, M | Stream]) -> list[Site]:
    seen: set[str] = set()
    out = []
    for s in sites(tree):
        if s.spec not in seen:
            seen.add(s.spec)
            out.append(s)
    return out


# --- structural mutations, expectations from the emitter ------------------------------------------


def duplicate_keys() -> list[Case]:
    """Every mapping at every level, its first and its last key written twice."""
    cases = []
    for s in sites(base()):
        m = node_at(base(), s.file, s.path)
        assert isinstance(m, M)
        for n in sorted({0, len(m) - 1}):
            tree = base()
            target = node_at(tree, s.file, s.path)
            assert isinstance(target, M)
            target.insert(n + 1, copy.deepcopy(target[n]))
            line, column = emit(tree[s.file]).kpos[(*s.path, n + 1)]
            cases.append(
                Case(
                    f"duplicate-key/{s.file}:{s.label}.{target[n][0]}",
                    _encode(tree),
                    "reject",
                    (Want(s.file, "duplicate-key", line, column),),
                )
            )
    return cases


def missing_required() -> list[Case]:
    """Each required key of each kind of object removed (from the first object of its kind)."""
    cases = []
    targets = _first_of_each_spec(base())
    last_record = [s for s in sites(base()) if s.spec == "record"][-1]
    for s in [*targets, last_record]:
        for f in SPECS[s.spec]:
            if not f.required:
                continue
            tree = base()
            m = node_at(tree, s.file, s.path)
            assert isinstance(m, M)
            keys = [k for k, _ in m]
            if f.key not in keys:
                continue
            del m[keys.index(f.key)]
            name = f"missing-field/{s.file}:{s.label}.{f.key}"
            if s.spec == "progress_header" and f.key == "document":
                # Without `document:` the file is no longer recognised as a progress stream.
                cases.append(Case(name, _encode(tree), "reject"))
                continue
            if not m:
                cases.append(Case(name, _encode(tree), "reject", (Want(s.file, "missing-field"),)))
                continue
            line, column = emit(tree[s.file]).pos[s.path]
            cases.append(
                Case(name, _encode(tree), "reject", (Want(s.file, "missing-field", line, column),))
            )
    return cases


def unknown_keys() -> list[Case]:
    cases = []
    for s in _first_of_each_spec(base()):
        tree = base()
        m = node_at(tree, s.file, s.path)
        assert isinstance(m, M)
        m.append(["zz_unknown_key", "1"])
        line, column = emit(tree[s.file]).kpos[(*s.path, len(m) - 1)]
        cases.append(
            Case(
                f"unknown-key/{s.file}:{s.label}",
                _encode(tree),
                "reject",
                (Want(s.file, "unknown-key", line, column),),
            )
        )
    tree = base()
    doc = node_at(tree, DOC, (1,))
    assert isinstance(doc, M)
    doc[1][0] = "titel"  # a near miss: the message suggests `title`
    line, column = emit(tree[DOC]).kpos[(1, 1)]
    cases.append(
        Case(
            "unknown-key/doc.yaml:document.titel",
            _encode(tree),
            "reject",
            (Want(DOC, "unknown-key", line, column), Want(DOC, "missing-field")),
        )
    )
    return cases


SCALAR_TYPES = ("text", "id", "date", "when", "number", "bool", "enum", "version")


def type_swaps() -> list[Case]:
    """Each field of each kind of object given a value of the wrong shape or type."""
    cases = []
    for s in _first_of_each_spec(base()):
        table = field_map(s.spec)
        m = node_at(base(), s.file, s.path)
        assert isinstance(m, M)
        for n, (key, _) in enumerate(m):
            f = table.get(key)
            if f is None:
                continue
            swaps: list[tuple[str, object]] = []
            if f.type in SCALAR_TYPES:
                swaps.append(("list-for-" + f.type, "[甲, 乙]"))
            if f.type == "number":
                swaps.append(("text-for-number", "九十"))
            if f.type == "text" and key in ("title", "metric", "name", "target"):
                swaps.append(("mapping-for-text", "{a: 1}"))
            if f.type in ("names", "texts", "list"):
                swaps.append(("text-for-list", "市教育局"))
            if f.type == "object":
                swaps.append(("text-for-mapping", "文本"))
            for what, value in swaps:
                tree = base()
                target = node_at(tree, s.file, s.path)
                assert isinstance(target, M)
                target[n][1] = value
                line, column = emit(tree[s.file]).pos[(*s.path, n)]
                cases.append(
                    Case(
                        f"wrong-type/{s.file}:{s.label}.{key}:{what}",
                        _encode(tree),
                        "reject",
                        (Want(s.file, "wrong-type", line, column),),
                    )
                )
    return cases


def _set(tree: dict[str, M | Stream], file: str, path: Path_, key: str, value: str) -> Path_:
    """Set (or add) `key` in the mapping at `path`; returns the entry's path."""
    m = node_at(tree, file, path)
    assert isinstance(m, M)
    for n, (k, _) in enumerate(m):
        if k == key:
            m[n][1] = value
            return (*path, n)
    m.append([key, value])
    return (*path, len(m) - 1)


# Paths of the base tree's mappings, by what they are.
P_DOCUMENT = (1,)
P_WORK_GROUP = (2,)
P_M1 = (3, 0)
P_M2 = (3, 1)
P_T1 = (3, 0, 9, 0)
P_T2 = (3, 0, 9, 1)
P_T3 = (3, 0, 9, 2)
P_T4 = (3, 1, 9, 0)
P_T5 = (3, 1, 9, 1)
P_EXT = (3, 0, 9, 0, 7, 0)
P_R = {n: (n,) for n in range(1, 7)}  # records in the progress stream
P_CONFIG = (1,)


def _value_case(
    name: str,
    file: str,
    path: Path_,
    key: str,
    value: str,
    verdict: str,
    codes: tuple[str, ...] = (),
    at: str = "value",
    **kw: object,
) -> Case:
    """A case that sets one value; `codes` are expected at the value (at="value"), at the mapping
    that holds it (at="object"), or somewhere in the file (at="anywhere")."""
    tree = base()
    entry = _set(tree, file, path, key, value)
    e = emit(tree[file])
    line, column = e.pos[entry] if at == "value" else e.pos[path]
    wants = tuple(Want(file, c, line, column) if at != "anywhere" else Want(file, c) for c in codes)
    return Case(name, _encode(tree), verdict, wants, **kw)  # type: ignore[arg-type]


def dates() -> list[Case]:
    bad = "bad-date"
    return [
        _value_case(
            "date/issued-2025-02-30", DOC, P_DOCUMENT, "issued", "2025-02-30", "reject", (bad,)
        ),
        _value_case(
            "date/issued-2025-13-01", DOC, P_DOCUMENT, "issued", "2025-13-01", "reject", (bad,)
        ),
        _value_case(
            "date/issued-2023-02-29", DOC, P_DOCUMENT, "issued", "2023-02-29", "reject", (bad,)
        ),
        _value_case(
            "date/issued-0000-01-01", DOC, P_DOCUMENT, "issued", "0000-01-01", "reject", (bad,)
        ),
        _value_case(
            "date/issued-2025-2-3", DOC, P_DOCUMENT, "issued", "2025-2-3", "reject", (bad,)
        ),
        _value_case(
            "date/issued-20250101", DOC, P_DOCUMENT, "issued", "20250101", "reject", (bad,)
        ),
        _value_case(
            "date/issued-slashes", DOC, P_DOCUMENT, "issued", "2025/01/01", "reject", (bad,)
        ),
        _value_case(
            "date/issued-2024-02-29-leap", DOC, P_DOCUMENT, "issued", "2024-02-29", "accept"
        ),
        _value_case("date/issued-quoted", DOC, P_DOCUMENT, "issued", '"2024-07-18"', "accept"),
        _value_case(
            "date/deadline-2025-02-30", DOC, P_T1, "deadline", "2025-02-30", "reject", (bad,)
        ),
        _value_case(
            "date/deadline-13th-month", DOC, P_T1, "deadline", "2025年13月底", "reject", (bad,)
        ),
        _value_case(
            "date/deadline-feb-30", DOC, P_T1, "deadline", "2025年2月30日", "reject", (bad,)
        ),
        _value_case(
            "date/deadline-fifth-quarter", DOC, P_T1, "deadline", "2025年第五季度", "reject", (bad,)
        ),
        _value_case(
            "date/deadline-unknown-plan", DOC, P_T1, "deadline", "十九五期间", "reject", (bad,)
        ),
        _value_case("date/deadline-plan", DOC, P_T1, "deadline", "“十四五”期间", "accept"),
        _value_case("date/start-after-deadline", DOC, P_T1, "start", "2026年", "reject"),
        _value_case(
            "date/extension-approved-2025-13-01",
            DOC,
            P_EXT,
            "approved_on",
            "2025-13-01",
            "reject",
            (bad,),
        ),
        _value_case(
            "date/record-2025-02-30", PROGRESS, P_R[1], "date", "2025-02-30", "reject", (bad,)
        ),
        _value_case(
            "date/record-after-as-of",
            PROGRESS,
            P_R[1],
            "date",
            "2025-07-07",
            "reject",
            ("future-record",),
            at="object",
        ),
        _value_case(
            "date/record-year-9999",
            PROGRESS,
            P_R[1],
            "date",
            "9999-12-31",
            "reject",
            ("future-record",),
            at="object",
        ),
    ]


def yaml11() -> list[Case]:
    """YAML 1.1 readings that YAML 1.2 (and zjtrack) do not make: where a number, date or boolean is
    expected they are refused with the reason; where text is expected they are text."""
    wt = ("wrong-type",)
    cases = [
        _value_case(f"yaml11/maintain-{w}", DOC, P_T5, "maintain", w, "reject", wt)
        for w in ("no", "yes", "on", "off", "y", "True", "1")
    ]
    cases += [
        _value_case(f"yaml11/done-{w}", PROGRESS, P_R[3], "done", w, "reject", wt)
        for w in ("yes", "on", "True")
    ]
    cases += [
        _value_case(f"yaml11/value-{w}", DOC, P_T1, "value", w, "reject", wt)
        for w in (
            "010",
            "1_000",
            "9:30",
            "0x1F",
            "1e3",
            ".5",
            "0o17",
            ".inf",
            ".nan",
            "90%",
            "1,000",
        )
    ]
    cases += [
        _value_case(f"yaml11/record-value-{w}", PROGRESS, P_R[2], "value", w, "reject", wt)
        for w in ("010", "7_0", "1:10")
    ]
    cases += [
        _value_case(f"yaml11/version-{w}", DOC, (), "zjtrack", w, "reject", ("version",))
        for w in ("1.0", '"1"', "01", "2", "no")
    ]
    cases += [
        _value_case("yaml11/id-1_000", DOC, P_M1, "id", "1_000", "reject", ("bad-id",)),
        _value_case(
            "yaml11/kind-capitalised", DOC, P_T2, "kind", "Milestone", "reject", ("bad-value",)
        ),
        # the signs the views print are read as their ASCII forms (issue 12); others are not
        _value_case("yaml11/comparator-sign", DOC, P_T1, "comparator", "≥", "accept"),
        _value_case(
            "yaml11/comparator-sign-other", DOC, P_T1, "comparator", "⩾", "reject", ("bad-value",)
        ),
        _value_case("yaml11/value-plus-sign", DOC, P_T1, "value", "+90", "accept"),
        _value_case("yaml11/id-leading-zero-is-text", DOC, P_M2, "id", "010", "accept"),
    ]
    # plain scalars that YAML 1.1 would type, where text is expected: accepted as the text written
    for name, path, key, value in [
        ("title-date", P_DOCUMENT, "title", "2024-07-18"),
        ("measure-title-no", P_M1, "title", "no"),
        ("note-sexagesimal", P_T1, "note", "9:30"),
        ("metric-on", P_T2, "metric", "on"),
        ("unit-octal", P_T3, "unit", "010"),
        ("document-note-underscore", P_DOCUMENT, "note", "1_000"),
        ("clause-float", P_M1, "clause", "1.0"),
        ("each-yes", P_T3, "each", "yes"),
        ("source-null-word", P_DOCUMENT, "source", "Null"),
    ]:
        cases.append(_value_case(f"yaml11/text-{name}", DOC, path, key, value, "accept"))
    cases.append(
        _value_case("yaml11/record-note-date", PROGRESS, P_R[2], "note", "2025-07-01", "accept")
    )
    return cases


def whole_files() -> list[Case]:
    cases = []
    for file in FILES:
        short = file.split("/")[0]
        for name, data in [
            ("empty", b""),
            ("whitespace", b"   \n\n  \n"),
            ("comment-only", "# 待填写\n# 注释\n".encode()),
            ("newline", b"\n"),
            ("bom-only", b"\xef\xbb\xbf"),
        ]:
            cases.append(
                Case(
                    f"whole-file/{short}-{name}",
                    _with(file, data),
                    "reject",
                    (Want(file, "empty-file", 0, 0),),
                )
            )
    text = emit(base()[DOC]).text
    lines = text.count("\n")
    for file in (DOC, UNITS, CONFIG):
        t = emit(base()[file]).text
        n = t.count("\n")
        cases.append(
            Case(
                f"second-document/{file}",
                _with(file, (t + "---\nzjtrack: 1\n").encode()),
                "reject",
                (Want(file, "multiple-documents", n + 1, 1),),
            )
        )
        cases.append(
            Case(
                f"root/{file}-list",
                _with(file, "- 甲\n- 乙\n".encode()),
                "reject",
                (Want(file, "wrong-type", 1, 1),),
            )
        )
        cases.append(
            Case(
                f"root/{file}-scalar",
                _with(file, "任务\n".encode()),
                "reject",
                (Want(file, "wrong-type", 1, 1),),
            )
        )
    cases.append(
        Case(
            "root/progress-list",
            _with(PROGRESS, b"- zjtrack: 1\n- progress: cx-2025-1\n"),
            "reject",
            (Want(PROGRESS, "wrong-type", 1, 1),),
        )
    )
    cases.append(
        Case(
            "root/progress-header-scalar",
            _with(PROGRESS, "进展\n---\ntarget: cx-1-1\n".encode()),
            "reject",
        )
    )
    cases.append(
        Case("document-markers/explicit-start", _with(DOC, ("---\n" + text).encode()), "accept")
    )
    cases.append(
        Case("document-markers/explicit-end", _with(DOC, (text + "...\n").encode()), "accept")
    )
    cases.append(
        Case(
            "document-markers/yaml-1.1-directive",
            _with(DOC, ("%YAML 1.1\n---\n" + text).encode()),
            "accept",
        )
    )
    cases.append(
        Case(
            "document-markers/second-after-end",
            _with(DOC, (text + "...\n---\nzjtrack: 1\n").encode()),
            "reject",
            (Want(DOC, "multiple-documents", lines + 2, 1),),
        )
    )
    return cases


def _text(file: str, tree: dict[str, M | Stream] | None = None) -> str:
    return emit((tree or base())[file]).text


def _where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column in characters) of the nth occurrence of `needle`."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, (old, text.count(old))
    return text.replace(old, new)


def aliases_and_tags() -> list[Case]:
    doc = _text(DOC)
    prog = _text(PROGRESS)
    cases = []
    t = _replace(doc, "  clause: 一、\n", "  clause: &c 一、\n").replace(
        "  section: 二、重点任务", "  section: *c"
    )
    cases.append(
        Case(
            "alias/scalar",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "alias", *_where(t, "&c")), Want(DOC, "alias", *_where(t, "*c"))),
        )
    )
    t = _replace(doc, "  - id: cx-1\n", "  - &m1\n    id: cx-1\n") + "extra: *m1\n"
    cases.append(
        Case(
            "alias/mapping",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "alias", *_where(t, "*m1")),),
        )
    )
    t = _replace(doc, "  section: 二、重点任务", "  section: *nowhere")
    cases.append(
        Case(
            "alias/undefined",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "alias", *_where(t, "*nowhere")),),
        )
    )
    t = _replace(doc, "      - id: cx-1-1\n", "      - id: cx-1-1\n        <<: {note: 合并}\n")
    cases.append(
        Case(
            "merge-key/target",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "merge-key", *_where(t, "<<")),),
        )
    )
    t = _replace(doc, "      - id: cx-1-1\n", '      - id: cx-1-1\n        "<<": {note: 合并}\n')
    cases.append(
        Case(
            "merge-key/quoted-is-unknown-key",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "unknown-key", *_where(t, '"<<"')),),
        )
    )
    bomb = ['a0: &a0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    t = doc + "\n".join(bomb) + "\n"
    cases.append(
        Case("alias/bomb-document", _with(DOC, t.encode()), "reject", (Want(DOC, "alias"),))
    )
    t = prog + "---\n" + "\n".join(bomb) + "\n"
    cases.append(
        Case(
            "alias/bomb-progress", _with(PROGRESS, t.encode()), "reject", (Want(PROGRESS, "alias"),)
        )
    )
    for name, value in [
        ("python-object", "!!python/object:os.system 一、"),
        ("python-apply", "!!python/object/apply:os.system [ls]"),
        ("python-name", "!!python/name:os.system"),
        ("local", "!local 一、"),
        ("core-str", "!!str 一、"),
        ("binary", "!!binary 5LiA"),
    ]:
        t = _replace(doc, "  clause: 一、\n", f"  clause: {value}\n")
        cases.append(
            Case(
                f"tag/{name}",
                _with(DOC, t.encode()),
                "reject",
                (Want(DOC, "tag", *_where(t, "!")),),
            )
        )
    t = _replace(prog, "value: 70\n", "value: !!int 70\n")
    cases.append(
        Case(
            "tag/record-int",
            _with(PROGRESS, t.encode()),
            "reject",
            (Want(PROGRESS, "tag", *_where(t, "!!int")),),
        )
    )
    t = "%TAG !e! tag:evil.example,2025:\n---\n" + _replace(
        doc, "  clause: 一、\n", "  clause: !e!cmd 一、\n"
    )
    cases.append(
        Case(
            "tag/directive",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "tag", *_where(t, "!e!cmd")),),
        )
    )
    return cases


def tabs_and_line_endings() -> list[Case]:
    cases = []
    for file, old in [
        (DOC, "    clause: 一、\n"),
        (UNITS, "    kind: collective\n"),
        (PROGRESS, "by: 张三\n"),
        (CONFIG, "  red_gap: 30\n"),
    ]:
        t = _text(file)
        indent = len(old) - len(old.lstrip(" "))
        new = "\t" + old.lstrip(" ") if indent else "\t" + old
        t2 = _replace(t, old, new)
        line, _ = _where(t2, new)
        cases.append(
            Case(
                f"tab/indent-{file.split('/')[0]}",
                _with(file, t2.encode()),
                "reject",
                (Want(file, "syntax", line, 1),),
            )
        )
    t = _replace(_text(DOC), "  note: 生成语料的基础文件", "  note: 生成语料\t的基础文件")
    cases.append(Case("tab/inside-plain-text", _with(DOC, t.encode()), "accept"))
    for file in FILES:
        short = file.split("/")[0]
        t = _text(file)
        cases.append(
            Case(f"line-endings/{short}-bom", _with(file, b"\xef\xbb\xbf" + t.encode()), "accept")
        )
        cases.append(
            Case(
                f"line-endings/{short}-crlf",
                _with(file, t.replace("\n", "\r\n").encode()),
                "accept",
            )
        )
        cases.append(
            Case(
                f"line-endings/{short}-cr-only",
                _with(file, t.replace("\n", "\r").encode()),
                "accept",
            )
        )
    t = _text(DOC)
    cases.append(
        Case(
            "line-endings/doc-bom-crlf",
            _with(DOC, b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode()),
            "accept",
        )
    )
    mixed = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(t.splitlines()))
    cases.append(Case("line-endings/doc-mixed", _with(DOC, mixed.encode()), "accept"))
    # a problem in a CRLF / CR-only file is reported where it is in an editor
    dup = _replace(t, "    clause: 一、\n", "    clause: 一、\n    clause: 一、\n")
    where = _where(dup, "clause", 1)
    for name, ending in (("crlf", "\r\n"), ("cr-only", "\r")):
        cases.append(
            Case(
                f"line-endings/doc-{name}-duplicate-key-place",
                _with(DOC, dup.replace("\n", ending).encode()),
                "reject",
                (Want(DOC, "duplicate-key", *where),),
            )
        )
    nul = _replace(t, "  issuer: 海东市", "  issuer: 海东\x00市")
    where = _where(nul, "\x00")
    cases.append(
        Case(
            "line-endings/doc-crlf-nul-place",
            _with(DOC, nul.replace("\n", "\r\n").encode()),
            "reject",
            (Want(DOC, "control-char", *where),),
        )
    )
    cases.append(
        Case(
            "line-endings/doc-cr-only-nul-place",
            _with(DOC, nul.replace("\n", "\r").encode()),
            "reject",
            (Want(DOC, "control-char", *where),),
        )
    )
    return cases


def _first_non_ascii(text: str) -> tuple[int, int]:
    at = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def encodings() -> list[Case]:
    cases = []
    for file in FILES:
        short = file.split("/")[0]
        t = _text(file)
        line, _ = _first_non_ascii(t)
        cases.append(
            Case(
                f"encoding/{short}-gbk",
                _with(file, t.encode("gbk")),
                "reject",
                (Want(file, "encoding", line),),
            )
        )
        cases.append(
            Case(
                f"encoding/{short}-utf16le-bom",
                _with(file, b"\xff\xfe" + t.encode("utf-16-le")),
                "reject",
                (Want(file, "encoding", 1, 1),),
            )
        )
        cases.append(
            Case(
                f"encoding/{short}-utf16be-bom",
                _with(file, b"\xfe\xff" + t.encode("utf-16-be")),
                "reject",
                (Want(file, "encoding", 1, 1),),
            )
        )
    t = _replace(
        _text(DOC), "  note: 生成语料的基础文件", "  note: 生成语料的基础文件𠀾"
    )  # not in GBK
    cases.append(
        Case(
            "encoding/doc-gb18030",
            _with(DOC, t.encode("gb18030")),
            "reject",
            (Want(DOC, "encoding", _first_non_ascii(t)[0]),),
        )
    )
    t = _text(DOC)
    cases.append(
        Case(
            "encoding/doc-utf16le-no-bom",
            _with(DOC, t.encode("utf-16-le")),
            "reject",
            (Want(DOC, "encoding", 1, 1),),
        )
    )
    return cases


def controls() -> list[Case]:
    cases = []
    t = _text(DOC)
    for name, ch in [
        ("nul", "\x00"),
        ("bel", "\x07"),
        ("esc", "\x1b"),
        ("vt", "\x0b"),
        ("ff", "\x0c"),
        ("del", "\x7f"),
        ("nel", "\x85"),
        ("csi-c1", "\x9b"),
        ("line-separator", "\u2028"),
    ]:
        bad = _replace(t, "  title: 海东市职业教育", f"  title: 海东市{ch}[31m职业教育")
        cases.append(
            Case(
                f"control/raw-{name}",
                _with(DOC, bad.encode("utf-8")),
                "reject",
                (Want(DOC, "control-char", *_where(bad, ch)),),
            )
        )
    p = _text(PROGRESS)
    bad = _replace(p, "note: 本周更新", "note: 本周\x1b]0;pwned\x07更新")
    cases.append(
        Case(
            "control/raw-osc-in-record",
            _with(PROGRESS, bad.encode()),
            "reject",
            (Want(PROGRESS, "control-char", *_where(bad, "\x1b")),),
        )
    )
    bad = _replace(
        t, "  title: 海东市职业教育攻坚行动方案（语料）", '  title: "海东市\\ud800职业教育"'
    )
    cases.append(Case("control/escaped-surrogate", _with(DOC, bad.encode()), "reject"))
    return cases


def nesting() -> list[Case]:
    deep = 10_000
    return [
        Case(
            "nesting/flow-lists-10000",
            _with(DOC, ("[" * deep + "]" * deep + "\n").encode()),
            "reject",
            (Want(DOC, "too-deep", 1),),
        ),
        Case(
            "nesting/block-lists-10000",
            _with(DOC, ("- " * deep + "x\n").encode()),
            "reject",
            (Want(DOC, "too-deep", 1),),
        ),
        Case(
            "nesting/flow-maps-10000",
            _with(DOC, ("{a: " * deep + "1" + "}" * deep + "\n").encode()),
            "reject",
            (Want(DOC, "too-deep", 1),),
        ),
        Case(
            "nesting/record-note-10000",
            _with(
                PROGRESS,
                (
                    _text(PROGRESS) + "---\ntarget: cx-1-1\ndate: 2025-07-01\n"
                    "note: " + "[" * deep + "]" * deep + "\n"
                ).encode(),
            ),
            "reject",
            (Want(PROGRESS, "too-deep"),),
        ),
        Case(
            "nesting/block-maps-40",
            _with(DOC, "".join(" " * i + "k:\n" for i in range(40)).encode()),
            "reject",
            (Want(DOC, "too-deep"),),
        ),
    ]


BIG_BYTES = 50 * 1024 * 1024


def fifty_megabytes() -> bytes:
    """The valid document, padded with comment lines to 50 MB (over the 20 MiB limit)."""
    head = _text(DOC).encode()
    line = ("# " + "填充" * 30 + "\n").encode()
    count = (BIG_BYTES - len(head)) // len(line) + 1
    return head + line * count


def big() -> list[Case]:
    return [
        Case(
            "too-large/doc-50mb",
            _with(DOC, fifty_megabytes),
            "reject",
            (Want(DOC, "too-large", 0, 0),),
        )
    ]


def truncations() -> list[Case]:
    cases = []
    for file in FILES:
        data = _text(file).encode()
        for tenth in range(10):
            cut = data[: len(data) * tenth // 10]
            # a cut between two records, or between two settings, leaves a valid (shorter) file
            verdict = "either" if file in (PROGRESS, CONFIG) and tenth else "reject"
            cases.append(
                Case(f"truncated/{file.split('/')[0]}-{tenth}0pct", _with(file, cut), verdict)
            )
    return cases


HOSTILE: dict[str, str] = {
    "ansi-sgr": "\x1b[31m红色\x1b[0m警告",
    "ansi-clear-screen": "\x1b[2J\x1b[H清屏",
    "osc-window-title": "\x1b]0;pwned\x07标题",
    "osc8-hyperlink": "\x1b]8;;http://evil.example/\x1b\\点此\x1b]8;;\x1b\\",
    "c1-csi": "\x9b31m八位控制\x9b0m",
    "bidi-override": "通知\u202eevil.exe\u202c 与 \u2066隔离\u2069",
    "zero-width": "零\u200b宽\u200d字\ufeff符\u200f",
    "bidi-arabic-mark-word-joiner": "阿\u061c拉\u2060伯",
    "rich-markup": "[bold]粗体[/bold] [link=http://evil.example]链接[/link] 未配对[/red]",
    "formula-equals": '=HYPERLINK("http://evil.example","点我")',
    "formula-plus": "+1+1 加号",
    "formula-minus": "-2+3 减号",
    "formula-at": "@SUM(A1:A2) 艾特",
    "formula-tab-led": "\t=1+1 制表",
    "formula-cr-led": "\r=1+1 回车",
    "html-script": "<script>alert(1)</script><img src=x onerror=alert(2)>标签",
    "pipes-and-newlines": "甲|乙||丙\n第二行\r\n第三行 | 末",
    "markdown-link-image": "[点此](http://evil.example) ![像素](http://evil.example/p.png) 链接",
}

# Hostile text that the renderers do not make inert yet (see the report): the strict xfails name it.
HOSTILE_BUGS: dict[str, dict[str, str]] = {}


def hostile_tree(payload: str) -> dict[str, M | Stream]:
    """The base tree with `payload` planted in every text field that some view or report shows."""
    tree = base()
    q = dq
    units = tree[UNITS]
    assert isinstance(units, M)
    units[1][1].append(
        M([["name", q("海东市" + payload + "局")], ["kind", "other"], ["region", "海东市"]])
    )
    _set(tree, DOC, P_DOCUMENT, "title", q(payload + "方案"))
    _set(tree, DOC, P_DOCUMENT, "doc_number", q(payload + "〔2025〕1号"))
    _set(tree, DOC, P_DOCUMENT, "note", q(payload))
    _set(tree, DOC, P_WORK_GROUP, "name", q(payload + "专班"))
    _set(tree, DOC, P_M1, "title", q(payload + "措施"))
    _set(tree, DOC, P_M1, "note", q(payload))
    m1 = node_at(tree, DOC, P_M1)
    assert isinstance(m1, M)
    m1[6][1] = L(["市发改委", "各县区人民政府", q("海东市" + payload + "局")])  # responsible_units
    _set(tree, DOC, P_M2, "lead_enterprise_rule", q(payload))
    _set(tree, DOC, P_M2, "responsibility_quote", q(payload))
    _set(tree, DOC, P_T1, "metric", q(payload + "比例"))
    _set(tree, DOC, P_T1, "note", q(payload))
    _set(tree, DOC, P_T1, "quote", q(payload))
    _set(tree, DOC, P_T2, "metric", q(payload))
    _set(tree, DOC, P_T2, "deadline_reason", q(payload))
    t3 = node_at(tree, DOC, P_T3)
    assert isinstance(t3, M)
    t3[6][1] = L([q(payload + "学校"), "乐都区职业技术学校"])  # entities
    _set(tree, PROGRESS, P_R[4], "entity", q(payload + "学校"))
    for key in ("source", "by", "note", "problems", "next_steps"):
        _set(tree, PROGRESS, P_R[2], key, q(payload))
    _set(tree, PROGRESS, P_R[3], "problems", q(payload))
    _set(tree, PROGRESS, P_R[3], "next_steps", q(payload))
    _set(tree, CONFIG, P_CONFIG, "report_title", q(payload + "周报"))
    _set(tree, CONFIG, P_CONFIG, "reporting_unit", q(payload + "专班"))
    return tree


def hostile() -> list[Case]:
    cases = [
        Case(f"hostile-text/{name}", _encode(hostile_tree(payload)), "accept", hostile=name)
        for name, payload in HOSTILE.items()
    ]
    doc = _text(DOC)
    t = _replace(
        doc, "  region: 海东市\n", '  region: 海东市\n  "\\e]0;pwned\\a\\e[31m\\u202e键": 1\n'
    )
    cases.append(
        Case(
            "hostile-text/unknown-key-name",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "unknown-key", *_where(t, '"\\e]0')),),
        )
    )
    p = _replace(_text(PROGRESS), "target: cx-2-1", 'target: "cx-2-1\\e[2J\\u202e"')
    cases.append(
        Case(
            "hostile-text/unknown-target-id",
            _with(PROGRESS, p.encode()),
            "reject",
            (Want(PROGRESS, "unknown-target"),),
        )
    )
    t = _replace(doc, "  - id: cx-1\n", '  - id: "<script>\\e[31m"\n')
    cases.append(
        Case(
            "hostile-text/bad-id",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "bad-id", *_where(t, '"<script>')),),
        )
    )
    t = _replace(
        doc,
        "    lead_units:\n      - 市教育局\n",
        '    lead_units:\n      - "市\\e[31m教育局|<b>"\n',
    )
    cases.append(
        Case(
            "hostile-text/unknown-unit",
            _with(DOC, t.encode()),
            "reject",
            (Want(DOC, "unknown-unit", *_where(t, '"市\\e')),),
        )
    )
    return cases


def numbers() -> list[Case]:
    """Numbers far outside any real target: refused where written (values stay below 10^15), never
    a crash in the loader or in the arithmetic of the views."""
    huge = "9" * 400
    too_large = ("wrong-type",)
    return [
        _value_case(
            "number/target-value-5000-digits", DOC, P_T1, "value", "9" * 5000, "reject", too_large
        ),
        _value_case(
            "number/record-value-400-digits-percent",
            PROGRESS,
            P_R[2],
            "value",
            huge,
            "reject",
            too_large,
        ),
        _value_case(
            "number/record-value-400-digits-count",
            PROGRESS,
            P_R[5],
            "value",
            huge,
            "reject",
            too_large,
        ),
        _value_case(
            "number/config-due-soon-overflow",
            CONFIG,
            P_CONFIG,
            "due_soon_days",
            huge + ".5",
            "reject",
            too_large,
        ),
        _value_case("number/target-value-max-inf", DOC, P_T4, "value_max", huge + ".0", "either"),
        _value_case("number/negative-count", PROGRESS, P_R[5], "value", "-5", "accept"),
        _value_case("number/zero-target", DOC, P_T4, "value", "0", "accept"),
        _value_case(
            "number/record-both-value-and-done",
            PROGRESS,
            P_R[3],
            "value",
            "1",
            "reject",
            ("record-value",),
            at="object",
        ),
    ]


def records() -> list[Case]:
    p = _text(PROGRESS)
    merged = p.replace("---\ntarget: cx-1-2", "target: cx-1-2")  # a hand edit lost a separator
    cases = [
        Case(
            "record/missing-separator",
            _with(PROGRESS, merged.encode()),
            "reject",
            (Want(PROGRESS, "duplicate-key", *_where(merged, "target: cx-1-2")),),
        )
    ]
    cases.append(
        _value_case(
            "record/unknown-target",
            PROGRESS,
            P_R[5],
            "target",
            "cx-2-9",
            "reject",
            ("unknown-target",),
            at="object",
        )
    )
    cases.append(
        _value_case(
            "record/unknown-entity",
            PROGRESS,
            P_R[4],
            "entity",
            "化隆县职业技术学校",
            "reject",
            ("unknown-entity",),
            at="object",
        )
    )
    header_only = p[: p.index("---")]
    cases.append(Case("record/header-only", _with(PROGRESS, header_only.encode()), "accept"))
    cases.append(
        Case("record/trailing-separator", _with(PROGRESS, (p + "---\n").encode()), "either")
    )
    cases.append(
        Case(
            "record/comments-everywhere",
            _with(PROGRESS, ("# 头注释\n" + p.replace("\n---\n", "\n# 注\n---\n# 注\n")).encode()),
            "accept",
        )
    )
    return cases


def misc() -> list[Case]:
    doc = _text(DOC)
    end = doc.count("\n") + 1  # the line after the valid document
    cases = [
        Case(
            "key/complex-key",
            _with(DOC, (doc + "? [甲, 乙]\n: 值\n").encode()),
            "reject",
            (Want(DOC, "wrong-type", end, 3),),
        ),
        Case(
            "key/null-key",
            _with(DOC, (doc + "~: 值\n").encode()),
            "reject",
            (Want(DOC, "unknown-key", end, 1),),
        ),
        Case(
            "key/empty-key",
            _with(DOC, (doc + '"": 值\n').encode()),
            "reject",
            (Want(DOC, "unknown-key", end, 1),),
        ),
        Case(
            "key/top-level-progress-in-a-document",
            _with(DOC, (doc + "progress: 1\n").encode()),
            "reject",
        ),
        _value_case("value/document-null", DOC, (), "document", "null", "reject", ("wrong-type",)),
        _value_case(
            "value/title-empty-quoted", DOC, P_DOCUMENT, "title", '""', "reject", ("empty-text",)
        ),
        _value_case(
            "value/title-blank", DOC, P_DOCUMENT, "title", '"   "', "reject", ("empty-text",)
        ),
        _value_case("value/title-1mb", DOC, P_DOCUMENT, "title", "长" * 1_000_000, "accept"),
        _value_case(
            "value/percent-150",
            DOC,
            P_T1,
            "value",
            "150",
            "reject",
            ("percent-over-100",),
            at="object",
        ),
        _value_case(
            "value/range-inverted",
            DOC,
            P_T4,
            "value",
            "9",
            "reject",
            ("range-inverted",),
            at="object",
        ),
        _value_case(
            "value/unknown-unit",
            DOC,
            P_M1,
            "lead_units",
            "[市教育厅]",
            "reject",
            ("unknown-unit",),
            at="anywhere",
        ),
    ]
    return cases


def base_case() -> Case:
    """The valid tree itself."""
    return Case("base/valid", _encode(base()), "accept")


GENERATORS: tuple[Callable[[], list[Case]], ...] = (
    lambda: [base_case()],
    duplicate_keys,
    missing_required,
    unknown_keys,
    type_swaps,
    dates,
    yaml11,
    whole_files,
    aliases_and_tags,
    tabs_and_line_endings,
    encodings,
    controls,
    nesting,
    big,
    truncations,
    hostile,
    numbers,
    records,
    misc,
)


def cases() -> list[Case]:
    out = [c for g in GENERATORS for c in g()]
    names = [c.name for c in out]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, f"case names must be unique: {sorted(dupes)}"
    return out


def write_tree(case: Case, root: Path) -> Path:
    """Write the case's tree under root/tasks; returns that folder."""
    tasks = root / "tasks"
    for file in FILES:
        path = tasks / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data(file))
    return tasks


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python tests/corpus/generate.py OUT\n")
        return 2
    out = Path(argv[0])
    index = ["name\tverdict\twants\tbug"]
    for n, case in enumerate(cases()):
        if case.name.startswith("too-large/"):
            index.append(f"{case.name}\t{case.verdict}\t(generated on demand: {BIG_BYTES} bytes)\t")
            continue
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in case.name)
        write_tree(case, out / f"{n:03d}-{safe}")
        wants = "; ".join(f"{w.file}:{w.line}:{w.column}:{w.code}" for w in case.wants)
        index.append(
            f"{case.name}\t{case.verdict}\t{wants}\t{case.check_bug or case.views_bug or ''}"
        )
    (out / "index.tsv").write_text("\n".join(index) + "\n", "utf-8")
    sys.stdout.write(f"{len(index) - 1} cases written to {out}\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    raise SystemExit(main(sys.argv[1:]))
