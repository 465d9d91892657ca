"""Stage 0, the source: bytes (text in any common encoding, or .docx) -> text with \n line breaks."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from typing import NamedTuple


class Limits(NamedTuple):
    """What one import accepts: beyond these a document is refused with a message, not slowly
    worked through (a 100-page document is ~200,000 characters and ~3,000 lines)."""

    characters: int = 3_000_000
    lines: int = 200_000


LIMITS = Limits()


class TooLarge(ValueError):
    """The text is over `LIMITS`."""


def check_limits(text: str) -> None:
    if len(text) > LIMITS.characters:
        raise TooLarge(f"{len(text)} characters > {LIMITS.characters}")
    lines = text.count("\n") + 1
    if lines > LIMITS.lines:
        raise TooLarge(f"{lines} lines > {LIMITS.lines}")


def decode_source(data: bytes) -> tuple[str, str | None]:
    """The text of a source file and, when it was not UTF-8, the encoding it was read as."""
    if data.startswith(codecs.BOM_UTF8):
        return normalize_newlines(data[3:].decode("utf-8", "replace")), None
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return normalize_newlines(data[2:].decode(name, "replace")), "UTF-16"
    try:
        return normalize_newlines(data.decode("utf-8")), None
    except UnicodeDecodeError:
        pass
    try:
        return normalize_newlines(data.decode("gb18030")), "GB18030/GBK"
    except UnicodeDecodeError:
        return normalize_newlines(data.decode("utf-8", "replace")), "UTF-8 (invalid bytes replaced)"


def docx_text(data: bytes) -> str:
    """The paragraphs (and table rows, cells separated by tabs) of a .docx, one per line.

    Raises ValueError when `data` is not a Word document."""
    import docx  # python-docx is slow to import: only for .docx input
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ValueError(str(e) or type(e).__name__) from e
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += [
                "\t".join(cell.text.replace("\n", " ") for cell in row.cells) for row in block.rows
            ]
        else:
            lines += block.text.split("\n")
    return normalize_newlines("\n".join(lines))


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SPACES = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without layout whitespace: 张掖市深化现代职业教育 人才培养… -> …教育人才培养…"""
    return _SPACES.sub("", text)
