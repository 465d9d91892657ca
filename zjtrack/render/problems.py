"""Problems as text (hledger/yamllint layout), GitHub annotations, or versioned JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from ..problems import Problem, Severity
from ..text import inert, one_line, width

JSON_VERSION = 1

LABELS = {
    "zh": {"error": "错误", "warning": "警告", "hint": "提示"},
    "en": {"error": "error", "warning": "warning", "hint": "hint"},
}


def render_text(
    problems: Sequence[Problem], lang: str, lines_of: Callable[[str], list[str]]
) -> str:
    """`path:line:col: error[code] message`, the line with a caret, then the hint."""
    out = []
    for p in problems:
        label = LABELS[lang][p.severity.value]
        loc = f"{p.path}:{p.line}:{p.column}" if p.line else p.path
        out.append(f"{one_line(loc)}: {label}[{p.code}] {one_line(p.message(lang))}")
        lines = lines_of(p.path) if p.line else []
        if 0 < p.line <= len(lines):
            src = inert(lines[p.line - 1].rstrip("\r\n").expandtabs(1))
            gutter = str(p.line)
            pad = " " * len(gutter)
            caret_at = width(src[: max(p.column - 1, 0)])
            out.append(f" {gutter} | {src}")
            out.append(f" {pad} | {' ' * caret_at}^")
        hint = p.hint(lang)
        if hint:
            out.append(f"  = {LABELS[lang]['hint']}: {one_line(hint)}")
    return "\n".join(out) + ("\n" if out else "")


def summary(problems: Sequence[Problem], files: int, lang: str) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if lang == "zh":
        return f"{files} 个文件：{errors} 个错误，{warnings} 个警告"
    return f"{files} files: {errors} errors, {warnings} warnings"


def render_github(problems: Sequence[Problem], lang: str) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's diff."""
    out = []
    for p in problems:
        level = "error" if p.severity is Severity.ERROR else "warning"
        msg = _gh_escape(
            inert(f"{p.message(lang)} ({p.hint(lang)})" if p.hint(lang) else p.message(lang))
        )
        loc = f"file={_gh_prop(inert(p.path))}"
        if p.line:
            loc += f",line={p.line},col={p.column}"
        out.append(f"::{level} {loc},title={p.code}::{msg}")
    return "\n".join(out) + ("\n" if out else "")


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


def render_json(problems: Sequence[Problem], files: int, lang: str) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    doc = {
        "version": JSON_VERSION,
        "files": files,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [
            {
                "code": p.code,
                "severity": p.severity.value,
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "message": p.message(lang),
                "hint": p.hint(lang),
            }
            for p in problems
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
