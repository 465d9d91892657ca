"""Messages that point at the cause (issue 13): hostile or clumsy edits of the shipped task files,
checked through the real CLI on a copy of `tasks/`, in both languages, with stdout, stderr and the
exit code asserted apart. Each attack here failed before its fix; they stay as the suite's corpus
of "the message names what is wrong, where, and how to fix it"."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import PROGRESS_YAML, Tree, cli, doc_variant

from zjtrack.checks import arrange, run_checks
from zjtrack.load.loader import load_paths
from zjtrack.load.reader import file_kind

TASKS = Path(__file__).resolve().parent.parent / "tasks"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the shipped task files, to break."""
    dest = tmp_path / "tasks"
    shutil.copytree(TASKS, dest)
    return dest


def heads(stdout: str) -> list[str]:
    """The first line of each problem: `path[:line:col]: label[code] message`."""
    return [line for line in stdout.splitlines() if re.match(r"^\S.*\[[a-z0-9-]+\] ", line)]


def codes(stdout: str) -> list[str]:
    return [re.search(r"\[([a-z0-9-]+)\]", line)[1] for line in heads(stdout)]  # type: ignore[index]


# --- 1. a file that fails to load comes first; what it causes is one line that names it --------


def test_a_gbk_units_registry_is_reported_first_and_its_cascade_is_one_line(repo: Path) -> None:
    units = repo / "units.yaml"
    units.write_bytes(units.read_text("utf-8").encode("gb18030"))
    result = cli("check", str(repo))
    assert result.exit_code == 1
    lines = heads(result.stdout)
    assert codes(result.stdout) == ["encoding", "cascade"]
    assert lines[0].startswith(
        f"{units}:3:70: 错误[encoding] 文件不是 UTF-8 编码（看起来是 GB18030）"
    )
    assert lines[1] == (
        f"{units}: 错误[cascade] 本文件未能完整读取，因此无法识别的单位名称共 116 处，未逐一列出"
        f"（{repo / 'haidong-2024-74.yaml'} 102 处、{repo / 'zhangye-2024-2.yaml'} 14 处）"
    )
    assert "= 提示: 先修正本文件的错误，再运行 zjtrack check" in result.stdout
    assert result.stderr == "3 个文件：2 个错误，0 个警告\n"
    en = cli("check", str(repo), "--lang", "en")
    assert en.exit_code == 1
    assert heads(en.stdout)[1] == (
        f"{units}: error[cascade] this file did not load in full, so unit names could not be "
        f"resolved: 116, not listed one by one ({repo / 'haidong-2024-74.yaml'}: 102, "
        f"{repo / 'zhangye-2024-2.yaml'}: 14)"
    )
    assert en.stderr == "3 files: 2 errors, 0 warnings\n"


def test_a_truncated_units_registry_is_named_and_comes_first(repo: Path) -> None:
    units = repo / "units.yaml"
    units.write_bytes(units.read_bytes()[:2000])
    result = cli("check", str(repo))
    assert result.exit_code == 1
    assert all(line.startswith(str(units)) for line in heads(result.stdout)), result.stdout
    assert codes(result.stdout)[-1] == "cascade"
    assert "无法识别的单位名称共 39 处" in result.stdout
    json_out = cli("check", str(repo), "--format", "json")
    assert json_out.exit_code == 1
    assert '"code": "unknown-unit"' not in json_out.stdout
    assert json_out.stdout.index('"missing-field"') < json_out.stdout.index('"cascade"')


def test_a_broken_config_is_reported_before_the_documents(repo: Path) -> None:
    config = repo / "settings.yaml"  # a config by its content, sorted after the documents
    config.write_bytes("zjtrack: 1\nconfig:\n  report_title: 周报\n".encode("gb18030"))
    (repo / "haidong-2024-74.yaml").write_text(
        (repo / "haidong-2024-74.yaml").read_text("utf-8") + "extra: 1\n", "utf-8"
    )
    result = cli("check", str(repo))
    assert result.exit_code == 1
    assert codes(result.stdout) == ["encoding", "unknown-key"]
    assert heads(result.stdout)[0].startswith(f"{config}:3:17: 错误[encoding]")


def test_a_broken_document_folds_its_records_unknown_targets(tree: Tree) -> None:
    tree.write(PROGRESS_YAML, "progress/hd-test.yaml")
    tree.write(doc_variant(("    clause: 五、", '    clause: "五、')))  # unterminated quote
    result = cli("check", str(tree.dir), "--as-of", "2025-06-30")
    assert result.exit_code == 1
    lines = heads(result.stdout)
    assert codes(result.stdout) == ["syntax", "cascade"]
    assert lines[1] == (
        f"{tree.doc}: 错误[cascade] 本文件未能完整读取，因此找不到的目标编号共 2 处，未逐一列出"
        f"（{tree.dir / 'progress' / 'hd-test.yaml'} 2 处）"
    )
    en = cli("check", str(tree.dir), "--as-of", "2025-06-30", "--lang", "en")
    assert heads(en.stdout)[1].startswith(
        f"{tree.doc}: error[cascade] this file did not load in full, so target ids were not "
        "found: 2, not listed one by one"
    )


def test_a_target_unknown_while_every_document_loads_is_still_reported(tree: Tree) -> None:
    tree.write(PROGRESS_YAML.replace("target: hd-5-2", "target: hd-5-9"), "progress/hd-test.yaml")
    result = cli("check", str(tree.dir), "--as-of", "2025-06-30")
    assert result.exit_code == 1
    assert codes(result.stdout) == ["unknown-target"]


def test_arrange_keeps_every_problem_when_nothing_failed_to_load(tree: Tree) -> None:
    tree.write(doc_variant(("[市教育局]", "[市教育]")))
    loaded = load_paths([str(tree.dir)])
    checked = run_checks(loaded.plan)
    assert arrange(loaded.problems, checked, lambda _: None) == sorted(
        checked, key=lambda p: p.sort_key()
    )


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        ("zjtrack: 1\nunits:\n  - name: 市教育局\n", "units"),
        ("zjtrack: 1\nconfig:\n  due_soon_days: 3\n", "config"),
        ("zjtrack: 1\ndecisions:\n  deadlines: []\n", "decisions"),
        ("zjtrack: 1\ndocument:\n  id: x\nmeasures: []\n", "document"),
        ("zjtrack: 1\ndocument: hd-test\n---\ntarget: x\n", "progress"),
        ("zjtrack: 1\n", None),
    ],
)
def test_file_kind_reads_through_any_ascii_compatible_encoding(head: str, kind: str) -> None:
    assert file_kind(head.encode("gb18030")) == kind


# --- 2. one problem, one message: a field that failed its own check triggers nothing else ---------


def one_problem(tree: Tree, *edits: tuple[str, str]) -> tuple[str, str]:
    """Check the fixture with `edits` in both languages; exactly one problem, its two lines."""
    tree.write(doc_variant(*edits))
    zh = cli("check", str(tree.dir))
    en = cli("check", str(tree.dir), "--lang", "en")
    assert (zh.exit_code, en.exit_code) == (1, 1)
    assert zh.stderr == "2 个文件：1 个错误，0 个警告\n", zh.stdout
    assert en.stderr == "2 files: 1 errors, 0 warnings\n", en.stdout
    return heads(zh.stdout)[0], heads(en.stdout)[0]


def test_an_invalid_comparator_is_one_message(tree: Tree) -> None:
    zh, en = one_problem(tree, ('comparator: ">="', 'comparator: "?"'))
    assert zh == f"{tree.doc}:18:21: 错误[bad-value] `comparator` 的值 `?` 无效"
    assert en == f"{tree.doc}:18:21: error[bad-value] `comparator` has an invalid value `?`"


def test_a_400_digit_number_is_one_message_that_does_not_contradict_itself(tree: Tree) -> None:
    zh, en = one_problem(tree, ("value: 90", "value: " + "9" * 400))
    assert (
        zh
        == f"{tree.doc}:19:16: 错误[wrong-type] `value` 应为小于 10¹⁵ 的数字，实际是 400 位的数字"
    )
    assert en == (
        f"{tree.doc}:19:16: error[wrong-type] `value` must be a number below 10^15, "
        "found a 400-digit number"
    )


def test_a_target_whose_kind_does_not_read_gets_no_rule_of_either_kind(tree: Tree) -> None:
    zh, _ = one_problem(tree, ("        kind: milestone\n", "        kind: milstone\n"))
    assert "[bad-value] `kind` 的值 `milstone` 无效" in zh


def test_targets_that_do_not_read_are_not_also_missing(tree: Tree) -> None:
    start = "    targets:\n"
    text = doc_variant()
    tree.write(text[: text.index(start)] + "    targets: 5\n")
    result = cli("check", str(tree.dir))
    assert result.exit_code == 1
    assert codes(result.stdout) == ["wrong-type"], result.stdout


def test_an_alias_for_an_id_is_reported_as_an_alias_not_as_a_missing_id(tree: Tree) -> None:
    tree.write(doc_variant(("  - id: hd-5\n", "  - id: &a hd-5\n"), ("- id: hd-5-1", "- id: *a")))
    for lang, alias in (("zh", "不支持锚点和别名（&、*）"), ("en", "anchors and aliases (&, *)")):
        result = cli("check", str(tree.dir), "--lang", lang)
        assert result.exit_code == 1
        assert codes(result.stdout) == ["alias", "alias"], result.stdout
        assert heads(result.stdout)[1].startswith(f"{tree.doc}:16:13: ")
        assert alias in result.stdout


# --- 3. the parser's English is translated, or quoted as the parser's words ------------------------

ENGLISH = re.compile(
    r"did not find|found unexpected|expected the node|mapping values|could not find|but found"
)

SYNTAX_ATTACKS = [
    # (name, how the fixture is broken, line, column, Chinese, English)
    (
        "document-end-then-more",
        ("measures:\n", "...\nmeasures:\n"),
        10,
        1,
        "文档结束标记 `...` 或 `%` 开头的指令行之后的内容无法读取（删除该行）",
        "nothing can follow a document end `...` or a `%` directive line (delete that line)",
    ),
    (
        "document-marker-in-a-quote",
        ('        quote: "力争到', '        quote: "\n---\n力争到'),
        24,
        1,
        "引号或括号内有一行以 `---` 或 `...` 开头，YAML 把它当作文档分隔符（给该行加缩进）",
        "a line inside quotes or brackets starts with `---` or `...`, which YAML reads as a "
        "document marker (indent that line)",
    ),
    (
        "unfinished-list",
        ("    lead_units: [市教育局]", "    lead_units: [市教育局,\n---\n]"),
        14,
        1,
        "此处缺少内容（列表或映射没有写完？）",
        "something is missing here (an unfinished list or mapping?)",
    ),
    (
        "colon-in-text",
        ("  title: 海东市", "  title: 关于: 海东市"),
        4,
        12,
        "此处不能出现冒号键值（多半是缩进不对，或含冒号的文本需要加引号）",
        "a `key: value` cannot start here (usually the indentation is off, or text with a "
        "colon needs quotes)",
    ),
]


@pytest.mark.parametrize("parser", ["libyaml", "pure"])
@pytest.mark.parametrize(
    ("name", "edit", "line", "column", "zh", "en"),
    SYNTAX_ATTACKS,
    ids=[a[0] for a in SYNTAX_ATTACKS],
)
def test_parser_errors_read_in_the_users_language(
    tree: Tree,
    monkeypatch: pytest.MonkeyPatch,
    parser: str,
    name: str,
    edit: tuple[str, str],
    line: int,
    column: int,
    zh: str,
    en: str,
) -> None:
    from zjtrack.load import yamlsrc

    if parser == "pure":
        monkeypatch.setattr(yamlsrc, "WITH_LIBYAML", False)
    elif not yamlsrc.WITH_LIBYAML:
        pytest.skip("PyYAML without libyaml")
    tree.write(doc_variant(edit))
    for lang, words, label in (("zh", zh, "错误"), ("en", en, "error")):
        result = cli("check", str(tree.dir), "--lang", lang, env={"ZJTRACK_NO_CACHE": "1"})
        assert result.exit_code == 1
        first = heads(result.stdout)[0]
        prefix = "YAML 语法错误：" if lang == "zh" else "YAML syntax error: "
        assert first == f"{tree.doc}:{line}:{column}: {label}[syntax] {prefix}{words}", first
        assert not ENGLISH.search(result.stdout), result.stdout


def test_words_no_table_knows_are_quoted_as_the_parsers() -> None:
    from zjtrack.load import yamlsrc

    (p,) = yamlsrc.compose("a: !<x\n", "x.yaml")[1]
    assert p.code == "syntax"
    assert p.message("zh").startswith("YAML 语法错误：解析器原文：“")
    assert p.message("en").startswith("YAML syntax error: the parser's words: “")


# --- 4. too-deep is reported where the nesting passes the limit, with either parser -------------


@pytest.mark.parametrize("parser", ["libyaml", "pure"])
@pytest.mark.parametrize(
    ("nesting", "line", "column"),
    [
        # the root mapping and `document:` are levels 1 and 2: the 31st bracket is level 33
        ("[" * 3000 + "]" * 3000, 8, 41),
        ("\n" + "".join(" " * (i + 3) + "- \n" for i in range(1, 1500)), 39, 35),
    ],
    ids=["flow", "block"],
)
def test_too_deep_is_reported_at_the_nesting(
    tree: Tree,
    monkeypatch: pytest.MonkeyPatch,
    parser: str,
    nesting: str,
    line: int,
    column: int,
) -> None:
    from zjtrack.load import yamlsrc

    if parser == "pure":
        monkeypatch.setattr(yamlsrc, "WITH_LIBYAML", False)
    elif not yamlsrc.WITH_LIBYAML:
        pytest.skip("PyYAML without libyaml")
    tree.write(doc_variant(("  region: 海东市\n", f"  region: {nesting}\n")))
    for lang, words in (
        ("zh", "错误[too-deep] 嵌套层级过深（上限 32 层）"),
        ("en", "error[too-deep] nesting too deep (limit 32 levels)"),
    ):
        result = cli("check", str(tree.dir), "--lang", lang, env={"ZJTRACK_NO_CACHE": "1"})
        assert result.exit_code == 1
        assert heads(result.stdout)[0] == f"{tree.doc}:{line}:{column}: {words}"


# --- 5. invisible and look-alike characters are named at their place, with the fix ---------------

INVISIBLE = [
    # (name, edit, line, column, zh, en, hint zh)
    (
        "nbsp-indent",
        ("        metric: 职业学校", "\u00a0       metric: 职业学校"),
        17,
        1,
        "此处有一个不换行空格（U+00A0），看起来像空格，但 YAML 不把它当作缩进",
        "there is a no-break space (U+00A0) here, which looks like a space but YAML does not "
        "count it as indentation",
        "把该行开头的空白删掉，用普通空格重新缩进。",
    ),
    (
        "ideographic-space-indent",
        ("        metric: 职业学校", "      \u3000metric: 职业学校"),
        17,
        7,
        "此处有一个全角空格（U+3000），看起来像空格，但 YAML 不把它当作缩进",
        "there is a full-width (ideographic) space (U+3000) here, which looks like a space but "
        "YAML does not count it as indentation",
        "把该行开头的空白删掉，用普通空格重新缩进。",
    ),
    (
        "bom-mid-file",
        ("        metric: 职业学校", "        \ufeffmetric: 职业学校"),
        17,
        9,
        "此处有一个字节顺序标记 BOM（U+FEFF），它只应出现在文件开头；在文件中间看不见，却会成为键名或文本的一部分",
        "there is a byte-order mark (U+FEFF) here, which belongs only at the very start of a "
        "file: here it is invisible but becomes part of a key or a text",
        "删除该字符（多半随从另一个文件粘贴的内容带入）。",
    ),
    (
        "full-width-colon",
        ("        metric: 职业学校", "        metric：职业学校"),
        17,
        15,
        "此处有一个全角冒号 `：`（U+FF1A），YAML 只认半角冒号 `:`",
        "there is a full-width colon `：` (U+FF1A) here, but YAML only knows the ASCII colon `:`",
        "改为半角冒号加一个空格：`: `。",
    ),
    (
        "zero-width-space-in-key",
        ("        metric: 职业学校", "        met\u200bric: 职业学校"),
        17,
        12,
        "此处有一个零宽空格（U+200B），看不见，却会成为键名或文本的一部分",
        "there is a zero-width space (U+200B) here, which is invisible but becomes part of a "
        "key or a text",
        "删除该字符（多半随粘贴的文字带入）。",
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "line", "column", "zh", "en", "hint"),
    INVISIBLE,
    ids=[a[0] for a in INVISIBLE],
)
def test_invisible_characters_are_named_where_they_are(
    tree: Tree,
    name: str,
    edit: tuple[str, str],
    line: int,
    column: int,
    zh: str,
    en: str,
    hint: str,
) -> None:
    tree.write(doc_variant(edit))
    result = cli("check", str(tree.dir))
    assert result.exit_code == 1
    assert heads(result.stdout) == [f"{tree.doc}:{line}:{column}: 错误[invisible-char] {zh}"]
    assert f"  = 提示: {hint}" in result.stdout
    assert result.stderr == "2 个文件：1 个错误，0 个警告\n"
    en_result = cli("check", str(tree.dir), "--lang", "en")
    assert en_result.exit_code == 1
    assert heads(en_result.stdout) == [f"{tree.doc}:{line}:{column}: error[invisible-char] {en}"]


def test_full_width_spaces_opening_a_paragraph_of_a_quote_are_text(tree: Tree) -> None:
    tree.write(
        doc_variant(
            ('        quote: "力争到', '        quote: |\n          \u3000\u3000"力争到'),
            ('90%以上"\n', '90%以上"\n        note: 全角空格：原文如此\n'),
        )
    )
    result = cli("check", str(tree.dir))
    assert "invisible-char" not in result.stdout


def test_a_tab_in_the_indentation_is_named_with_the_fix(tree: Tree) -> None:
    tree.write(doc_variant(("        metric: 职业学校", "\tmetric: 职业学校")))
    for lang, words in (
        ("zh", "错误[syntax] YAML 语法错误：制表符（Tab）不能用于缩进"),
        (
            "en",
            "error[syntax] YAML syntax error: a tab cannot be used for indentation; indent with spaces",
        ),
    ):
        result = cli("check", str(tree.dir), "--lang", lang)
        assert result.exit_code == 1
        assert heads(result.stdout) == [f"{tree.doc}:17:1: {words}"]


# --- 6. the attacks as a campaign: every hostile character at every line start and after every key


HOSTILE = [
    "\u00a0",
    "\u3000",
    "\ufeff",
    "\u200b",
    "：",
    "\t",
    "---\n",
    "...\n",
    "&a ",
    "*a ",
    "[" * 1200,
]
INVISIBLE_CHARS = {"\u00a0", "\u3000", "\ufeff", "\u200b"}
PARSER_ENGLISH = re.compile(r"\b(?:expected|found|not allowed|could not)\b")


@pytest.mark.parametrize("parser", ["libyaml", "pure"])
def test_hostile_characters_anywhere_give_chinese_messages_with_a_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    from conftest import DOC_YAML, check_paths, write_tree

    from zjtrack.load import yamlsrc

    if parser == "pure":
        monkeypatch.setattr(yamlsrc, "WITH_LIBYAML", False)
    elif not yamlsrc.WITH_LIBYAML:
        pytest.skip("PyYAML without libyaml")
    spots = sorted(
        {m.start() for m in re.finditer(r"^ *", DOC_YAML, re.M)}
        | {m.end() for m in re.finditer(r"[a-z_]+(?=:)", DOC_YAML)}
        | {m.end() for m in re.finditer(r": ", DOC_YAML)}
    )
    tree = write_tree(tmp_path)
    mutants = 0
    for hostile in HOSTILE:
        for spot in spots:
            tree.write(DOC_YAML[:spot] + hostile + DOC_YAML[spot:])
            mutants += 1
            found = check_paths([tree.dir])
            at_start = (hostile, spot) == ("\ufeff", 0)  # a BOM at the start is allowed
            if (
                hostile in INVISIBLE_CHARS
                and not at_start
                and not DOC_YAML[:spot].split("\n")[-1].strip(" ")
            ):
                # in the indentation or before a key: named, and nothing else said about it
                assert [p.code for p in found] == ["invisible-char"], (hostile, spot, found)
            for p in found:
                zh = p.message("zh")
                if "解析器原文" not in zh:  # the parser's own words are quoted, and only there
                    assert not PARSER_ENGLISH.search(zh), (hostile, spot, zh)
                if p.code == "too-deep":  # at the nesting, not at the start of the file
                    assert (p.line, p.column) != (1, 1), (hostile, spot)
                assert p.path == str(tree.doc) or p.code == "unknown-unit", p
                if p.code not in ("unreadable", "empty-file", "too-large", "cascade"):
                    assert p.line >= 1 and p.column >= 1, (hostile, spot, p)
    assert mutants == len(HOSTILE) * len(spots) > 800


def test_a_line_of_many_odd_spaces_is_named_at_its_first() -> None:
    """The indentation rule scans a line of odd spaces once: 30,000 U+3000 before a key are
    named at the first (a backtracking pattern took seconds per 10,000 and hours at the file
    limit), and as many before plain text are not structure."""
    from zjtrack.load.yamlsrc import invisible

    before_key = "zjtrack: 1\n  " + "\u3000" * 30_000 + "key: 1\n"
    found = invisible(before_key, "p.yaml")
    assert [(p.code, p.line, p.column) for p in found] == [("invisible-char", 2, 3)]
    assert invisible("zjtrack: 1\n" + "\u3000" * 30_000 + "。正文\n", "p.yaml") == []
