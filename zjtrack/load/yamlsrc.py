"""Reading YAML safely, with every value's position, and nothing PyYAML would quietly accept.

- bytes -> text: UTF-8 (a BOM is accepted); GBK/GB18030 and UTF-16 are named, not guessed at.
- text -> node tree, with libyaml's C parser when present (the pure parser otherwise; same tree).
- Scalars are typed by YAML 1.2 core rules only: `no`, `010`, `1_000`, `9:30` and dates stay text.
- The tree is then cleaned: duplicate keys, aliases, merge keys and tags are reported and removed,
  depth and size bounded, so that the loader reads a plain tree and can never blow up.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..problems import Problem, problem
from . import scalars
from .files import MAX_BYTES  # one limit for every file read (files.py)

MAX_DEPTH = 32  # the format nests 6 levels deep
MAX_NODES = 2_000_000

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MAP = "tag:yaml.org,2002:map"
BLANK = "tag:zjtrack,2026:blank"  # a forbidden construct, reported and emptied: readers skip it
SEQ = "tag:yaml.org,2002:seq"


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema scalars, stricter still: no octal, no sexagesimal, no dates."""


_Resolver.add_implicit_resolver(BOOL, re.compile(scalars.BOOL), list("tf"))
_Resolver.add_implicit_resolver(NULL, re.compile(scalars.NULL), ["~", "n", ""])
_Resolver.add_implicit_resolver(INT, re.compile(scalars.INT), list("-+0123456789"))
_Resolver.add_implicit_resolver(FLOAT, re.compile(scalars.FLOAT), list("-+0123456789"))

try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # PyYAML built without libyaml: the pure parser, same results, slower
    _CParser = None  # type: ignore[assignment,misc]
WITH_LIBYAML = _CParser is not None

if _CParser is not None:

    class _FastLoader(_CParser, yaml.constructor.BaseConstructor, _Resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]
            yaml.constructor.BaseConstructor.__init__(self)
            _Resolver.__init__(self)


class _PureLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.BaseConstructor,
    _Resolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.BaseConstructor.__init__(self)
        _Resolver.__init__(self)


# C0 and C1 controls, and the separators YAML counts as line breaks though editors do not (they
# would shift every later line number).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAK = re.compile("\r\n|\r|\n")


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text. Anything but UTF-8 is a problem that names the encoding and the fix."""
    if len(data) > MAX_BYTES:
        return None, [problem("too-large", path, size=len(data), limit=MAX_BYTES)]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(data):
        return None, [problem("encoding", path, 1, 1, encoding="UTF-16")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        line_start = data.rfind(b"\n", 0, e.start) + 1
        column = len(data[line_start : e.start].decode("utf-8", "replace")) + 1
        if e.reason == "unexpected end of data" and _utf8_prefix_ok(data, e.start):
            return None, [problem("truncated", path, line, column)]
        try:
            data.decode("gb18030")
            encoding = "GB18030"
        except UnicodeDecodeError:
            encoding = "unknown"
        return None, [problem("encoding", path, line, column, encoding=encoding)]
    if m := _CONTROL.search(text):
        before = _BREAK.split(text[: m.start()])  # YAML's line breaks: \r\n, \r and \n
        return None, [
            problem(
                "control-char", path, len(before), len(before[-1]) + 1, char=f"U+{ord(m[0]):04X}"
            )
        ]
    if found := invisible(text, path):
        return None, found
    return text, []


_SPACE_WHY = (
    "看起来像空格，但 YAML 不把它当作缩进",
    "which looks like a space but YAML does not count it as indentation",
    "把该行开头的空白删掉，用普通空格重新缩进。",
    "delete the line's leading blanks and indent it again with ordinary spaces.",
)
_HIDDEN_WHY = (
    "看不见，却会成为键名或文本的一部分",
    "which is invisible but becomes part of a key or a text",
    "删除该字符（多半随粘贴的文字带入）。",
    "delete it (it usually comes with pasted text).",
)
# The characters that make a file edited on Chinese Windows (or pasted from a web page or a
# Word document) fail in ways that name the wrong line: (name zh, name en) and why/fix.
_INVISIBLE: dict[str, tuple[str, str, tuple[str, str, str, str]]] = {
    "\u00a0": ("不换行空格", "a no-break space", _SPACE_WHY),
    "\u3000": ("全角空格", "a full-width (ideographic) space", _SPACE_WHY),
    "\u200b": ("零宽空格", "a zero-width space", _HIDDEN_WHY),
    "\u200c": ("零宽字符", "a zero-width character", _HIDDEN_WHY),
    "\u200d": ("零宽字符", "a zero-width character", _HIDDEN_WHY),
    "\u2060": ("零宽字符", "a zero-width character", _HIDDEN_WHY),
    "\ufeff": (
        "字节顺序标记 BOM",
        "a byte-order mark",
        (
            "它只应出现在文件开头；在文件中间看不见，却会成为键名或文本的一部分",
            "which belongs only at the very start of a file: here it is invisible but becomes "
            "part of a key or a text",
            "删除该字符（多半随从另一个文件粘贴的内容带入）。",
            "delete it (it usually comes with text pasted from another file).",
        ),
    ),
    "：": (
        "全角冒号 `：`",
        "a full-width colon `：`",
        (
            "YAML 只认半角冒号 `:`",
            "but YAML only knows the ASCII colon `:`",
            "改为半角冒号加一个空格：`: `。",
            "replace it with an ASCII colon and a space: `: `.",
        ),
    ),
}
_ODD_SPACE = "\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff"
# A line's leading blanks with an odd space among them (the first is reported), when what follows
# is structure (a key or a list item) or nothing: a paragraph of a quote may begin with full-width
# spaces, a key may not. Possessive (`*+`): what follows the blanks never starts with one, so
# giving characters back cannot help, and a line of many odd spaces costs linear time (16,000
# U+3000 took 4.5 s with backtracking).
_ODD_INDENT = re.compile(
    f"^[ \\t]*+([{_ODD_SPACE}])[ \\t{_ODD_SPACE}]*+"
    "(?:-[ \\t]|[A-Za-z_][A-Za-z0-9_]*[ \\t]*[:：]|\\r?$)",  # a key, a list item, or nothing
    re.M,
)


# A zero-width character or a BOM inside a key (`\ufeffmetric:`): text may hold them (they are
# shown inert), a key may not.
_HIDDEN_IN_KEY = re.compile(
    "^[ \t]*(?:-[ \t]+)?[A-Za-z0-9_]*([\ufeff\u200b-\u200d\u2060])"
    "[A-Za-z0-9_\ufeff\u200b-\u200d\u2060]*[ \t]*[:：]",
    re.M,
)


def _key_colon() -> re.Pattern[str]:
    from ..spec import SPECS

    keys = sorted({f.key for fields in SPECS.values() for f in fields} | {"zjtrack"})
    return re.compile(f"^[ \\t]*(?:-[ \\t]+)?(?:{'|'.join(keys)})[ \\t]*(：)", re.M)


def invisible(text: str, path: str, limit: int = 20) -> list[Problem]:
    """Invisible or look-alike characters where YAML reads structure: odd spaces in a line's
    indentation, a BOM past the start, a full-width colon after a key. Each is named at its
    line and column with the fix, instead of the parser's error on some later line."""
    if text.isascii():
        return []
    places: dict[int, str] = {}
    for m in _ODD_INDENT.finditer(text):
        places[m.start(1)] = m[1]
    for m in _HIDDEN_IN_KEY.finditer(text):
        places.setdefault(m.start(1), m[1])
    if "：" in text:
        for m in _key_colon().finditer(text):
            places[m.start(1)] = m[1]
    out = []
    for at in sorted(places)[:limit]:
        char = places[at]
        name_zh, name_en, (why_zh, why_en, fix_zh, fix_en) = _INVISIBLE.get(
            char, ("特殊空格", "a special space", _SPACE_WHY)
        )
        before = _BREAK.split(text[:at])
        out.append(
            problem(
                "invisible-char",
                path,
                len(before),
                len(before[-1]) + 1,
                char=f"U+{ord(char):04X}",
                name_zh=name_zh,
                name_en=name_en,
                why_zh=why_zh,
                why_en=why_en,
                fix_zh=fix_zh,
                fix_en=fix_en,
            )
        )
    return out


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: NUL bytes in every other position of the first bytes."""
    head = data[:200]
    return len(head) >= 4 and (
        head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4
    )


def _utf8_prefix_ok(data: bytes, end: int) -> bool:
    """True when everything before a cut character is valid UTF-8 with some non-ASCII text: a
    UTF-8 file cut short, not a file in another encoding."""
    try:
        data[:end].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_TAB = ("制表符（Tab）不能用于缩进", "a tab cannot be used for indentation; indent with spaces")
_COLON_HERE = (
    "此处不能出现冒号键值（多半是缩进不对，或含冒号的文本需要加引号）",
    "a `key: value` cannot start here (usually the indentation is off, or text with a colon "
    "needs quotes)",
)
_INDENT = (
    "缩进没有对齐（同一层的键应从同一列开始）",
    "the indentation does not line up (keys of one level start in the same column)",
)
_NO_CONTENT = (
    "此处缺少内容（列表或映射没有写完？）",
    "something is missing here (an unfinished list or mapping?)",
)
_SQUARE = (
    "方括号列表未正确结束（缺少 `,` 或 `]`）",
    "a [ ] list does not end properly (a `,` or `]` is missing)",
)
_CURLY = (
    "花括号映射未正确结束（缺少 `,` 或 `}`）",
    "a { } mapping does not end properly (a `,` or `}` is missing)",
)
_DOC_START = (
    "文档结束标记 `...` 或 `%` 开头的指令行之后的内容无法读取（删除该行）",
    "nothing can follow a document end `...` or a `%` directive line (delete that line)",
)
_DOC_MARK = (
    "引号或括号内有一行以 `---` 或 `...` 开头，YAML 把它当作文档分隔符（给该行加缩进）",
    "a line inside quotes or brackets starts with `---` or `...`, which YAML reads as a "
    "document marker (indent that line)",
)
_TOKEN = (
    "此处的字符不能作为内容开头（文本请加引号）",
    "this character cannot start a value (put the text in quotes)",
)

# What libyaml and PyYAML say (by the start of their words), in Chinese and in plain English.
# Anything else is shown as the parser's own words, quoted (`_syntax_words`).
_SYNTAX: tuple[tuple[str, tuple[str, str]], ...] = (
    ("found character '\\t' that cannot start any token", _TAB),
    ("found a tab character", _TAB),
    ("mapping values are not allowed", _COLON_HERE),
    ("found unexpected ':'", _COLON_HERE),
    (
        "found unexpected end of stream",
        (
            "文件意外结束（引号或括号未闭合？）",
            "the file ends too early (an unclosed quote or bracket?)",
        ),
    ),
    (
        "could not find expected ':'",
        ("缺少冒号 `:`（键后面应有 `: `）", "a `:` is missing (a key is followed by `: `)"),
    ),
    (
        "did not find expected key",
        (
            "此处应为一个键（检查缩进是否对齐）",
            "a key was expected here (check that the indentation lines up)",
        ),
    ),
    ("expected <block end>, but found", _INDENT),
    (
        "did not find expected '-' indicator",
        (
            "此处应为列表项 `- `（检查缩进是否对齐）",
            "a list item `- ` was expected here (check that the indentation lines up)",
        ),
    ),
    (
        "block sequence entries are not allowed",
        (
            "此处不能开始列表项 `- `（检查缩进是否对齐）",
            "a list item `- ` cannot start here (check that the indentation lines up)",
        ),
    ),
    ("did not find expected node content", _NO_CONTENT),
    ("expected the node content, but found", _NO_CONTENT),
    ("did not find expected ',' or ']'", _SQUARE),
    ("expected ',' or ']', but got", _SQUARE),
    ("did not find expected ',' or '}'", _CURLY),
    ("expected ',' or '}', but got", _CURLY),
    ("did not find expected <document start>", _DOC_START),
    ("expected '<document start>', but found", _DOC_START),
    ("found unexpected document indicator", _DOC_MARK),
    ("found unexpected document separator", _DOC_MARK),
    (
        "found unknown escape character",
        (
            "双引号字符串中有无法识别的转义字符（反斜杠）：改用单引号，或把 \\ 写成 \\\\",
            "an unknown escape (a backslash) in a double-quoted string: use single quotes, or "
            "write \\\\ for \\",
        ),
    ),
    (
        "did not find expected comment or line break",
        ("此处之后应换行（该行多了内容）", "the line should end here (something extra follows)"),
    ),
    (
        "expected a comment or a line break",
        ("此处之后应换行（该行多了内容）", "the line should end here (something extra follows)"),
    ),
    ("found character that cannot start any token", _TOKEN),
)


def _syntax_words(detail: str) -> tuple[str, str]:
    """A parser's error in Chinese and in plain English; words not known are quoted as the
    parser's own (`解析器原文："…"`), so no untranslated English passes as a message."""
    for start, words in _SYNTAX:
        if detail.startswith(start):
            return words
    if detail.startswith("found character") and detail.endswith("that cannot start any token"):
        return _TOKEN  # the pure parser names the character
    return f"解析器原文：“{detail}”", f"the parser's words: “{detail}”"


def compose(text: str, path: str) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document into a cleaned node tree, or report why not."""
    loader: Any = _FastLoader(text) if WITH_LIBYAML else _PureLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        return None, [_yaml_error(e, path, text)]
    except yaml.YAMLError as e:  # unmarked errors: rare, but never a traceback
        zh, en = _syntax_words(str(e).splitlines()[0] if str(e) else type(e).__name__)
        return None, [problem("syntax", path, 1, 1, detail=en, detail_zh=zh)]
    except RecursionError:  # the pure parser composes recursively: find where, iteratively
        return None, [problem("too-deep", path, *_too_deep_at(text), limit=MAX_DEPTH)]
    finally:
        loader.dispose()
    if node is None:
        return None, [problem("empty-file", path)]
    return node, anchors(text, path) + clean(node, path)


def _too_deep_at(text: str) -> tuple[int, int]:
    """Where a value first lies deeper than MAX_DEPTH (as `clean` counts: the root is 1), read
    from the pure parser's events, which need no recursion (libyaml's scanner stops at its
    own limit before the events reach ours)."""
    loader: Any = _PureLoader(text)
    depth = 0  # collections open around the next event
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, (yaml.NodeEvent, yaml.CollectionStartEvent)):
                mark = event.start_mark
                if depth + 1 > MAX_DEPTH and mark is not None:
                    return mark.line + 1, mark.column + 1
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
            elif isinstance(event, yaml.DocumentStartEvent):
                depth = 0
    except yaml.YAMLError:
        pass  # an unclosed bracket: the scanner reads ahead to the end before any event
    finally:
        loader.dispose()
    return _deep_brackets_at(text)


def _deep_brackets_at(text: str) -> tuple[int, int]:
    """Where open brackets first number more than MAX_DEPTH (quotes not followed: a fallback)."""
    depth = 0
    for m in re.finditer(r"[\[\]{}]", text):
        depth += 1 if m[0] in "[{" else -1
        if depth > MAX_DEPTH:
            before = _BREAK.split(text[: m.start()])
            return len(before), len(before[-1]) + 1
    return 1, 1


def anchors(text: str, path: str) -> list[Problem]:
    """Every anchor (`&a`) and alias (`*a`) where it is written, and every tag that agrees with
    the plain reading (`!!str 一、`, which `clean` cannot tell from no tag at all). Only when the
    text could hold one: a second, event-level pass is cheap and precise."""
    if "&" not in text and "*" not in text and "!" not in text:
        return []
    out: list[Problem] = []
    resolver = _Resolver()
    loader: Any = _FastLoader(text) if WITH_LIBYAML else _PureLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                out.append(problem("alias", path, mark.line + 1, mark.column + 1))
            tag = getattr(event, "tag", None)
            if tag and tag != "!" and tag == _implicit_tag(event, resolver):
                out.append(problem("tag", path, mark.line + 1, mark.column + 1, tag=tag))
    except yaml.YAMLError:
        pass  # the composing pass reports syntax errors
    finally:
        loader.dispose()
    return out


def _implicit_tag(event: Any, resolver: _Resolver) -> str | None:
    """The tag an event's node would have without its explicit tag (a redundant tag matches it)."""
    if isinstance(event, yaml.MappingStartEvent):
        return MAP
    if isinstance(event, yaml.SequenceStartEvent):
        return SEQ
    if isinstance(event, yaml.ScalarEvent):
        if event.style in (None, ""):
            implicit: str = resolver.resolve(ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
            return implicit
        return STR
    return None


def compose_stream(text: str, path: str) -> tuple[list[Node], list[Problem]]:
    """Parse a stream of `---`-separated documents (progress files: one record per document).

    Documents before a syntax error are kept, so one bad record hides none of the others."""
    loader: Any = _FastLoader(text) if WITH_LIBYAML else _PureLoader(text)
    nodes: list[Node] = []
    problems: list[Problem] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                problems += clean(node, path)
                nodes.append(node)
        problems += anchors(text, path)
    except yaml.MarkedYAMLError as e:
        problems.append(_yaml_error(e, path, text))
    except RecursionError:
        problems.append(problem("too-deep", path, *_too_deep_at(text), limit=MAX_DEPTH))
    except yaml.YAMLError as e:
        zh, en = _syntax_words(str(e).splitlines()[0] if str(e) else type(e).__name__)
        problems.append(problem("syntax", path, 1, 1, detail=en, detail_zh=zh))
    finally:
        loader.dispose()
    if not nodes and not problems:
        problems.append(problem("empty-file", path))
    return nodes, problems


def _yaml_error(e: yaml.MarkedYAMLError, path: str, text: str = "") -> Problem:
    mark = e.problem_mark or e.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    detail = (e.problem or e.context or "").strip()
    if "expected a single document" in (e.context or "") + detail:
        return problem("multiple-documents", path, line, column)
    if "maximum nesting depth" in detail:  # libyaml's own limit: say where ours is passed
        return problem("too-deep", path, *_too_deep_at(text), limit=MAX_DEPTH)
    if (
        "undefined alias" in detail
        or "second occurrence" in detail
        or "anchor" in (e.context or "")
    ):
        return problem("alias", path, line, column)
    zh, en = _syntax_words(detail)
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        zh, en = _TAB
    return problem("syntax", path, line, column, detail=en, detail_zh=zh)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def pos_of(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def clean(root: Node, path: str) -> list[Problem]:  # noqa: C901 - one branch per YAML construct the format refuses
    """Report and remove what the format forbids, in place; bound depth and size. Iterative.

    A node met twice is an alias (reported where written by `anchors`); it is dropped here, so no
    reader ever walks it again and an alias bomb cannot expand."""
    problems: list[Problem] = []
    resolver = _Resolver()
    seen: set[int] = {id(root)}
    count = 0
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            problems.append(problem("too-many-nodes", path, *pos_of(node), limit=MAX_NODES))
            break
        if _explicit_tag(node, resolver):
            problems.append(problem("tag", path, *pos_of(node), tag=node.tag))
            _blank(node)
            continue
        if depth > MAX_DEPTH:
            problems.append(problem("too-deep", path, *pos_of(node), limit=MAX_DEPTH))
            _blank(node)
            continue
        if isinstance(node, ScalarNode):
            if _SURROGATE.search(node.value):
                problems.append(problem("control-char", path, *pos_of(node), char="U+D800–U+DFFF"))
                _blank(node)
        elif isinstance(node, MappingNode):
            kept: list[tuple[Node, Node]] = []
            first_line: dict[Any, int] = {}
            for key, value in node.value:
                if id(key) in seen:
                    continue
                if id(value) in seen:  # `key: *a`: the key was written, its value is refused
                    value = ScalarNode(BLANK, "", value.start_mark, value.end_mark)
                seen.add(id(key))
                seen.add(id(value))
                if not isinstance(key, ScalarNode):
                    problems.append(
                        problem(
                            "wrong-type",
                            path,
                            *pos_of(key),
                            key="?",
                            expected_zh="文本键",
                            expected_en="a text key",
                            found_zh="复合键",
                            found_en="a complex key",
                        )
                    )
                    continue
                if key.value == "<<" and key.style in (None, ""):
                    problems.append(problem("merge-key", path, *pos_of(key)))
                    continue
                if key.value in first_line:
                    problems.append(
                        problem(
                            "duplicate-key",
                            path,
                            *pos_of(key),
                            key=key.value,
                            first_line=first_line[key.value],
                        )
                    )
                    continue
                first_line[key.value] = key.start_mark.line + 1
                kept.append((key, value))
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
            node.value = kept
        elif isinstance(node, SequenceNode):
            items: list[Node] = []
            for item in node.value:
                if id(item) in seen:
                    continue
                seen.add(id(item))
                items.append(item)
                stack.append((item, depth + 1))
            node.value = items
    return problems


def _explicit_tag(node: Node, resolver: _Resolver) -> bool:
    """True when the file wrote a tag (`!!int`, `!!python/object`, `!x`): the tag differs from
    what the strict resolver gives the node by itself."""
    if node.tag == BLANK:
        return False  # put in place of a refused value by `clean` itself
    if isinstance(node, MappingNode):
        return node.tag != MAP
    if isinstance(node, SequenceNode):
        return node.tag != SEQ
    if isinstance(node, ScalarNode) and node.style in (None, ""):
        implicit: str = resolver.resolve(ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
        return node.tag != implicit
    return node.tag != STR  # quoted and block scalars are text unless tagged


def _blank(node: Node) -> None:
    """Turn a forbidden node into an empty value, so that no reader descends into it."""
    node.tag = BLANK
    node.value = [] if not isinstance(node, ScalarNode) else ""


def to_python(node: Node) -> Any:
    """Plain Python values from a cleaned node tree, typed by the strict resolver (for tests and
    JSON Schema validation); iterative depth is bounded by `clean`."""
    if isinstance(node, MappingNode):
        return {k.value: to_python(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [to_python(v) for v in node.value]
    if node.tag == INT:
        return int(node.value)
    if node.tag == FLOAT:
        return float(node.value)
    if node.tag == BOOL:
        return node.value == "true"
    if node.tag in (NULL, BLANK):
        return None
    return node.value
