"""Policy-document text -> a draft task file (measures, units, targets) and the points to review.

Pure: text in, a `Draft` out; no I/O, no clock. `zjtrack import` (cli/importing.py) reads the file
and writes the YAML that `render/taskfile.py` makes of the draft.

The package follows the pipeline, one module per stage:

0. `source`      bytes -> text (UTF-8, GBK, UTF-16, .docx); `squeeze` drops layout whitespace.
1. `header`      title, 文号, issuer, issue date; where the body starts and ends.
2. `outline`     lines -> paragraphs (a sentence split by a page break is joined again) ->
                 headings 一、 （一） and items 1. （1） -> sections and measures.
3. `units`       牵头单位/责任单位/配合单位/牵头职业院校/牵头企业 lines, on their own line or in
                 parentheses at the end of a paragraph; `列第一位者为牵头单位`; 由…牵头 in prose;
                 the registry resolver.
4. `times`       deadlines and starts (2025年底, “十四五”期间, 2024年起, 3年内).
5. `quantities`  `TargetFinder`: sentence by sentence, clause by clause (`clauses.Clause`):
                 quantities with unit and comparator, deadlines applied forward, milestones.
6. `build`       nodes -> measures -> the `Draft` (`draft`), document-wide rules and reviews.

Shared leaves: `layout` (line patterns), `numbers` (numerals), `clauses` (spans and masks).

Every quote is a slice of a paragraph, and a paragraph is its source lines concatenated, so a quote
is always a substring of the source with its line breaks removed. Guesses are not hidden: each one
is written to the item's `note` with the prefix `待核` (needs review) and listed in the summary.
"""

from __future__ import annotations

from .build import import_text
from .draft import (
    MISSING,
    REVIEW,
    Draft,
    DraftDocument,
    DraftMeasure,
    DraftTarget,
    Member,
    Reviewed,
    Units,
    WorkGroup,
    review_kinds,
)
from .header import clean_id, default_id
from .numbers import cn_number, number
from .outline import join_paragraphs
from .source import LIMITS, TooLarge, check_limits, decode_source, squeeze

__all__ = [
    "LIMITS",
    "MISSING",
    "REVIEW",
    "Draft",
    "DraftDocument",
    "DraftMeasure",
    "DraftTarget",
    "Member",
    "Reviewed",
    "TooLarge",
    "Units",
    "WorkGroup",
    "check_limits",
    "clean_id",
    "cn_number",
    "decode_source",
    "default_id",
    "import_text",
    "join_paragraphs",
    "number",
    "review_kinds",
    "squeeze",
]
