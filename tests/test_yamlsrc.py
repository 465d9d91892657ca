"""yamlsrc: bytes -> text -> a cleaned node tree with positions.

The C loader (libyaml) and the pure-Python loader must build the same tree with the same marks;
the pure path is forced by calling `yamlsrc._PureLoader` directly (or by switching WITH_LIBYAML off).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import yaml
from conftest import DOC_YAML, PROGRESS_YAML
from yaml.nodes import MappingNode, Node, SequenceNode

from zjtrack.load import yamlsrc

CParser: Any = None
if getattr(yaml, "__with_libyaml__", False):
    from yaml.cyaml import CParser  # type: ignore[no-redef]

needs_libyaml = pytest.mark.skipif(CParser is None, reason="PyYAML built without libyaml")

# A realistic task file: comments, flow and block lists, quoted and block scalars, a work group,
# CJK text (columns count characters), numbers, booleans, nulls and text that looks like dates.
REALISTIC = (
    "# yaml-language-server: $schema=../zjtrack.schema.json\n"
    + DOC_YAML.replace(
        "measures:\n",
        "work_group:\n"
        "  name: 海东市深化现代职业教育体系建设改革工作专班\n"
        "  members:\n"
        "    - {role: 组长, name: 张三, position: 市政府副市长}\n"
        "    - role: 成员\n"
        "      name: '李四'\n"
        '      position: "市教育局局长"   # 注释\n'
        "measures:\n",
    )
    + "  - id: hd-6\n"
    "    clause: （三）\n"
    "    title: >-\n"
    "      折叠的\n"
    "      标题\n"
    "    lead_units: []\n"
    "    note: |\n"
    "      第一行\n"
    "      第二行：含冒号\n"
    "    targets:\n"
    "      - id: hd-6-1\n"
    "        metric: 数量\n"
    "        comparator: range\n"
    "        value: 6\n"
    "        value_max: 8.5\n"
    "        unit: 个\n"
    "        maintain: false\n"
    "        deadline: ~\n"
    "        deadline_reason: 2024-07-18 文件未规定\n"
    "        quote: 建设6—8个\n"
)


def _c_loader_class() -> Any:
    class CLoader(CParser, yaml.constructor.BaseConstructor, yamlsrc._Resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.BaseConstructor.__init__(self)
            yamlsrc._Resolver.__init__(self)

    return CLoader


def compose_with(loader_class: Any, text: str) -> Node:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    assert node is not None
    return node


def pure(text: str) -> Node:
    return compose_with(yamlsrc._PureLoader, text)


def c(text: str) -> Node:
    return compose_with(_c_loader_class(), text)


def flatten(node: Node, out: list[tuple[Any, ...]] | None = None) -> list[tuple[Any, ...]]:
    """Every node in document order: kind, tag, scalar value, start and end marks (0-based)."""
    out = [] if out is None else out
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, MappingNode):
        out.append(("map", node.tag, None, marks))
        for key, value in node.value:
            flatten(key, out)
            flatten(value, out)
    elif isinstance(node, SequenceNode):
        out.append(("seq", node.tag, None, marks))
        for item in node.value:
            flatten(item, out)
    else:
        out.append(("scalar", node.tag, node.value, marks))
    return out


def lookup(node: Node, *path: str | int) -> Node:
    for step in path:
        if isinstance(step, int):
            assert isinstance(node, SequenceNode)
            node = node.value[step]
        else:
            assert isinstance(node, MappingNode)
            node = next(v for k, v in node.value if k.value == step)
    return node


# --- C and pure loaders agree ----------------------------------------------------------------


def test_compose_uses_libyaml_when_present() -> None:
    assert yamlsrc.WITH_LIBYAML is bool(getattr(yaml, "__with_libyaml__", False))


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(REALISTIC, id="lf"),
        pytest.param(REALISTIC.replace("\n", "\r\n"), id="crlf"),
        pytest.param(DOC_YAML, id="fixture"),
        pytest.param("a: [1, {b: c}, [d]]\n'e': \"f\"\n? g\n: h\n", id="flow"),
    ],
)
def test_c_and_pure_loaders_build_the_same_tree(text: str) -> None:
    from_c, from_pure = c(text), pure(text)
    assert flatten(from_c) == flatten(from_pure)
    assert yamlsrc.to_python(from_c) == yamlsrc.to_python(from_pure)


@needs_libyaml
def test_c_and_pure_loaders_agree_on_marks_of_chosen_nodes() -> None:
    for tree in (c(REALISTIC), pure(REALISTIC)):
        assert yamlsrc.pos_of(lookup(tree, "document", "title")) == (5, 10)
        assert yamlsrc.pos_of(lookup(tree, "work_group", "members", 0, "name")) == (13, 24)
        assert yamlsrc.pos_of(lookup(tree, "work_group", "members", 1, "position")) == (16, 17)
        assert yamlsrc.pos_of(lookup(tree, "measures", 0, "responsible_units", 1)) == (22, 36)
        assert yamlsrc.pos_of(lookup(tree, "measures", 0, "targets", 1, "quote")) == (36, 16)
        assert yamlsrc.pos_of(lookup(tree, "measures", 1, "title")) == (39, 12)
        assert yamlsrc.pos_of(lookup(tree, "measures", 1, "targets", 0, "value_max")) == (51, 20)
        assert lookup(tree, "measures", 1, "title").value == "折叠的 标题"
        assert lookup(tree, "measures", 1, "note").value == "第一行\n第二行：含冒号\n"


@needs_libyaml
def test_realistic_to_python() -> None:
    data = yamlsrc.to_python(c(REALISTIC))
    assert data["zjtrack"] == 1
    assert data["document"]["issued"] == "2024-07-18"
    assert data["work_group"]["members"][0] == {
        "role": "组长",
        "name": "张三",
        "position": "市政府副市长",
    }
    target = data["measures"][1]["targets"][0]
    assert (target["value"], target["value_max"], target["maintain"], target["deadline"]) == (
        6,
        8.5,
        False,
        None,
    )
    assert target["deadline_reason"] == "2024-07-18 文件未规定"
    assert data["measures"][0]["targets"][0]["comparator"] == ">="


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: 1\na: 2\n", id="duplicate-key"),
        pytest.param("a: !!python/object:os.system x\n", id="tag"),
        pytest.param("a: " + "[" * 40 + "]" * 40 + "\n", id="deep"),
        pytest.param("<<: {a: 1}\nb: 2\n", id="merge-key"),
    ],
)
def test_clean_reports_the_same_for_both_loaders(text: str) -> None:
    from_c = yamlsrc.clean(c(text), "x.yaml")
    from_pure = yamlsrc.clean(pure(text), "x.yaml")
    assert from_c == from_pure
    assert from_c


@needs_libyaml
def test_merge_key_in_a_libyaml_tree() -> None:
    problems = yamlsrc.clean(c("a: 1\n<<: {b: 2}\n"), "x.yaml")
    assert [(p.code, p.line, p.column) for p in problems] == [("merge-key", 2, 1)]


def test_merge_key_in_a_pure_tree() -> None:
    problems = yamlsrc.clean(pure("a: 1\n<<: {b: 2}\n"), "x.yaml")
    assert [(p.code, p.line, p.column) for p in problems] == [("merge-key", 2, 1)]


def test_compose_with_the_pure_loader_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    default, problems = yamlsrc.compose(REALISTIC, "x.yaml")
    assert problems == [] and default is not None
    monkeypatch.setattr(yamlsrc, "WITH_LIBYAML", False)
    forced, problems = yamlsrc.compose(REALISTIC, "x.yaml")
    assert problems == [] and forced is not None
    assert flatten(default) == flatten(forced)


# --- scalars: YAML 1.2 core, stricter -------------------------------------------------------

SCALARS = [
    ("no", "no"),
    ("yes", "yes"),
    ("on", "on"),
    ("off", "off"),
    ("True", "True"),
    ("NULL", "NULL"),
    ("010", "010"),
    ("0o10", "0o10"),
    ("0x1F", "0x1F"),
    ("1_000", "1_000"),
    ("9:30", "9:30"),
    ("2024-07-18", "2024-07-18"),
    ("2024-07-18T10:00:00", "2024-07-18T10:00:00"),
    (".5", ".5"),
    ("1e3", "1e3"),
    (".inf", ".inf"),
    (".nan", ".nan"),
    ("1.", "1."),
    ("true", True),
    ("false", False),
    ("null", None),
    ("~", None),
    ("", None),
    ("12", 12),
    ("0", 0),
    ("-3", -3),
    ("+4", 4),
    ("2.5", 2.5),
    ("-0.5", -0.5),
    ("0.0", 0.0),
    ("'12'", "12"),
    ('"true"', "true"),
    ("'2.5'", "2.5"),
]


@pytest.mark.parametrize("loader", ["compose", "pure", "c"])
@pytest.mark.parametrize(("raw", "expected"), SCALARS, ids=[repr(s[0]) for s in SCALARS])
def test_scalar_typing(raw: str, expected: Any, loader: str) -> None:
    text = f"v: {raw}\n"
    if loader == "c":
        if CParser is None:
            pytest.skip("PyYAML built without libyaml")
        node = c(text)
    elif loader == "pure":
        node = pure(text)
    else:
        node, problems = yamlsrc.compose(text, "x.yaml")
        assert problems == [] and node is not None
    value = yamlsrc.to_python(node)["v"]
    assert value == expected
    assert type(value) is type(expected)


# --- decode ---------------------------------------------------------------------------------


def codes(problems: list[Any]) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in problems]


def test_decode_utf8_and_bom() -> None:
    assert yamlsrc.decode("标题: 一\n".encode(), "x") == ("标题: 一\n", [])
    assert yamlsrc.decode(b"\xef\xbb\xbf" + "标题: 一\n".encode(), "x") == ("标题: 一\n", [])


def test_decode_keeps_tabs_and_line_endings() -> None:
    assert yamlsrc.decode(b"a: 1\r\nb: 'x\ty'\r\n", "x") == ("a: 1\r\nb: 'x\ty'\r\n", [])


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_decode_utf16(bom: bytes) -> None:
    text, problems = yamlsrc.decode(
        bom + "a: 一\n".encode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"), "x"
    )
    assert text is None
    assert codes(problems) == [("encoding", 1, 1)]
    assert problems[0].message("en") == "file is not UTF-8 (it looks like UTF-16)"


def test_decode_gbk_names_the_encoding_and_the_place() -> None:
    text, problems = yamlsrc.decode("a: 1\nbb: 海东市\n".encode("gbk"), "x")
    assert text is None
    assert codes(problems) == [("encoding", 2, 5)]
    assert problems[0].message("zh") == "文件不是 UTF-8 编码（看起来是 GB18030）"


def test_decode_column_counts_characters_before_the_bad_byte() -> None:
    data = "标题: 海东".encode() + "市".encode("gbk")
    _, problems = yamlsrc.decode(data, "x")
    assert codes(problems) == [("encoding", 1, 7)]


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", "U+0000"),
        ("\x07", "U+0007"),
        ("\x0b", "U+000B"),
        ("\x0c", "U+000C"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
    ],
)
def test_decode_control_characters(char: str, name: str) -> None:
    text, problems = yamlsrc.decode(f"a: 1\nb: 一二{char}\n".encode(), "x")
    assert text is None
    assert codes(problems) == [("control-char", 2, 6)]
    assert problems[0].message("en") == f"file contains the control character {name}"


def test_decode_size_limit_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsrc, "MAX_BYTES", 10)
    assert yamlsrc.decode(b"a: 1234567", "x") == ("a: 1234567", [])
    text, problems = yamlsrc.decode(b"a: 12345678", "x")
    assert text is None
    assert codes(problems) == [("too-large", 0, 0)]
    assert problems[0].message("en") == "file too large: 11 bytes, limit 10"


# --- compose and clean ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n", "\n\n", "# 注释\n# 第二行\n"])
def test_compose_empty(text: str) -> None:
    node, problems = yamlsrc.compose(text, "x")
    assert node is None
    assert codes(problems) == [("empty-file", 0, 0)]


def test_compose_explicit_empty_document_is_a_null_root() -> None:
    node, problems = yamlsrc.compose("---\n", "x")
    assert problems == [] and node is not None and yamlsrc.to_python(node) is None


def test_compose_second_document() -> None:
    node, problems = yamlsrc.compose("a: 1\n---\nb: 2\n", "x")
    assert node is None
    assert codes(problems) == [("multiple-documents", 2, 1)]


def test_duplicate_keys_keep_the_first_value() -> None:
    node, problems = yamlsrc.compose("a: 1\nb: 2\na: 3\n", "x")
    assert codes(problems) == [("duplicate-key", 3, 1)]
    assert node is not None and yamlsrc.to_python(node) == {"a": 1, "b": 2}


def test_alias_is_removed() -> None:
    node, problems = yamlsrc.compose("a: &x [1, 2]\nb: *x\nc: [*x]\n", "x")
    # every anchor and alias is reported where it is written; the shared node is read once
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("alias", 1, 4),
        ("alias", 2, 4),
        ("alias", 3, 5),
    ]
    # `b: *x` keeps its key, emptied: `b` was written (not missing), its value refused
    assert node is not None and yamlsrc.to_python(node) == {"a": [1, 2], "b": None, "c": []}


def test_forbidden_tags_are_blanked() -> None:
    node, problems = yamlsrc.compose(
        "a: !!python/name:os.system x\nb: !local {c: 1}\nc: !!str 010\n", "x"
    )
    # the redundant `!!str` is found by the event pass (it agrees with the plain reading), the
    # others by clean(); the redundant one's value is kept, the others are emptied
    assert sorted(codes(problems)) == [("tag", 1, 4), ("tag", 2, 4), ("tag", 3, 4)]
    assert node is not None and yamlsrc.to_python(node) == {"a": None, "b": {}, "c": "010"}


def test_complex_key() -> None:
    node, problems = yamlsrc.compose("? [a, b]\n: 1\nc: 2\n", "x")
    assert codes(problems) == [("wrong-type", 1, 3)]
    assert node is not None and yamlsrc.to_python(node) == {"c": 2}


def _nested(depth: int) -> str:
    """A mapping whose values nest `depth` levels deep in total (the root mapping is level 1)."""
    return "a: " + "[" * (depth - 2) + "1" + "]" * (depth - 2) + "\n"


def test_depth_limit_boundary() -> None:
    _, ok = yamlsrc.compose(_nested(yamlsrc.MAX_DEPTH), "x")
    assert ok == []
    _, deep = yamlsrc.compose(_nested(yamlsrc.MAX_DEPTH + 1), "x")
    assert [p.code for p in deep] == ["too-deep"]
    assert deep[0].line == 1


def test_node_count_limit_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsrc, "MAX_NODES", 5)
    _, ok = yamlsrc.compose("a: [1, 2]\n", "x")  # map, key, seq, 1, 2
    assert ok == []
    _, many = yamlsrc.compose("a: [1, 2, 3]\n", "x")
    assert codes(many) == [("too-many-nodes", 1, 1)]  # the sixth node visited: the key `a`
    assert many[0].message("en") == "too many values in one file (limit 5)"


@pytest.mark.parametrize("use_pure", [False, True], ids=["default", "pure"])
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 10_000 + "]" * 10_000, id="flow"),
        pytest.param("- " * 10_000 + "x\n", id="block"),
        pytest.param("{a: " * 5_000 + "}" * 5_000, id="flow-map"),
    ],
)
def test_very_deep_nesting_is_too_deep(
    text: str, use_pure: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if use_pure and text.startswith("[["):
        # PyYAML's pure scanner is quadratic in the flow level: ~2 s before RecursionError stops it.
        pytest.skip(
            "slow with the pure parser (~2 s); the block and flow-map cases cover the same path"
        )
    if use_pure:
        monkeypatch.setattr(yamlsrc, "WITH_LIBYAML", False)
    start = time.perf_counter()
    node, problems = yamlsrc.compose(text, "x")
    assert time.perf_counter() - start < 5.0
    assert node is None
    assert [(p.code, p.line) for p in problems] == [("too-deep", 1)]


def test_compose_stream_keeps_documents_before_an_error() -> None:
    nodes, problems = yamlsrc.compose_stream(PROGRESS_YAML + "---\ntarget: [x\n", "x")
    assert len(nodes) == 3
    assert [p.code for p in problems] == ["syntax"]
    assert yamlsrc.to_python(nodes[1]) == {"target": "hd-5-1", "date": "2025-01-10", "value": 80}


def test_pos_of_is_one_based() -> None:
    node, _ = yamlsrc.compose("a:\n  b: 1\n", "x")
    assert node is not None
    assert yamlsrc.pos_of(node) == (1, 1)
    assert yamlsrc.pos_of(lookup(node, "a", "b")) == (2, 6)


def test_decode_truncated_utf8_is_not_called_gb18030() -> None:
    text, problems = yamlsrc.decode("标题: 海东市".encode()[:-1], "x")
    assert text is None
    assert codes(problems) == [("truncated", 1, 7)]
    assert "GB18030" not in problems[0].message("en")
