"""Stage 0, the source: bytes (text in any common encoding, or .docx) -> text with \n line breaks.

Every input has a bound (`LIMITS`): a document beyond one is refused with a message that says which
limit and how to get under it (`problems.UserError`, exit 2), never slowly worked through. A .docx
is read without python-docx: the zip directory's sizes are checked before anything is inflated,
the body is inflated and parsed in pieces (bounded memory), and XML with a DTD, entities, deep
nesting or over the size limit is refused.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from typing import NamedTuple, NoReturn

from ..problems import UserError


class Limits(NamedTuple):
    """What one import accepts. A 100-page document is ~200,000 characters, ~3,000 lines and a
    .docx body of ~3 MB; the limits are ten times that and more."""

    file_bytes: int = 20_000_000  # the file read from disk (text or .docx)
    characters: int = 3_000_000  # the text, once decoded
    lines: int = 200_000  # lines of text, paragraphs and table rows of a .docx
    xml_bytes: int = 100_000_000  # a .docx body (word/document.xml), uncompressed
    cells: int = 100_000  # table cells of a .docx
    depth: int = 200  # XML nesting of a .docx body (Word's own stays under ~30)


LIMITS = Limits()


class TooLarge(UserError):
    """The document is over one of `LIMITS`: refused, exit 2."""


def refuse_size(what: str, count: int, limit: int) -> NoReturn:
    """Refuse a document over one of `LIMITS` (what: characters, lines, cells, xml_bytes…)."""
    zh, en = _LIMIT_WORDS[what]
    raise TooLarge(
        f"文件超出导入上限：{zh} {count:,} 超过 {limit:,}；请按章节拆分后分别导入。",
        f"the document is over the import limit: {en} {count:,} > {limit:,}; "
        "split it by chapter and import each part.",
    )


_LIMIT_WORDS = {
    "file_bytes": ("文件大小（字节）", "file size (bytes)"),
    "characters": ("字符数", "characters"),
    "lines": ("行数（段落与表格行）", "lines (paragraphs and table rows)"),
    "xml_bytes": (".docx 正文解压后大小（字节）", "the .docx body uncompressed (bytes)"),
    "cells": ("表格单元格数", "table cells"),
}


def check_limits(text: str) -> None:
    """Refuse text over `LIMITS` (TooLarge, exit 2)."""
    if len(text) > LIMITS.characters:
        refuse_size("characters", len(text), LIMITS.characters)
    lines = text.count("\n") + 1
    if lines > LIMITS.lines:
        refuse_size("lines", lines, LIMITS.lines)


# C0 controls but tab and newline, DEL, C1, bidi marks, overrides and isolates, zero-width
# characters, BOMs and interlinear annotations: invisible, and able to reorder or hide what a
# reviewer reads, so the importer never copies them into a draft.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def strip_invisible(text: str) -> tuple[str, list[str]]:
    """`text` without invisible controls, and the code points removed (U+202E …), once each."""
    found = sorted({f"U+{ord(c):04X}" for c in _INVISIBLE.findall(text)})
    return (_INVISIBLE.sub("", text) if found else text), found


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


# WordprocessingML, transitional and strict
_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_BODY = "word/document.xml"


class NotDocx(ValueError):
    """`data` is not a readable Word document; the message says why (in English and Chinese)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def docx_text(data: bytes) -> str:
    """The paragraphs (and table rows, cells separated by tabs) of a .docx, one per line.

    Raises NotDocx when `data` is not a readable Word document, UserError beyond `LIMITS`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo(_BODY)
    except KeyError:
        raise NotDocx(f"压缩包中没有 {_BODY}", f"the archive has no {_BODY}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise NotDocx(f"不是 zip 压缩包（{e}）", f"not a zip archive ({e})") from None
    if info.file_size > LIMITS.xml_bytes:  # the zip directory's word, checked before inflating
        refuse_size("xml_bytes", info.file_size, LIMITS.xml_bytes)
    body = _Body()
    try:
        with archive.open(info) as stream:
            read = 0
            while chunk := stream.read(1 << 20):
                read += len(chunk)  # the directory may lie: count what really comes out
                if read > LIMITS.xml_bytes:
                    refuse_size("xml_bytes", read, LIMITS.xml_bytes)
                body.feed(chunk)
        body.close()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        raise NotDocx(f"{_BODY} 已损坏（{e}）", f"{_BODY} is corrupt ({e})") from None
    return normalize_newlines("\n".join(body.lines))


class _Body:
    """word/document.xml -> lines, parsed as it streams in: a paragraph is a line, a table row a
    line of cells joined by tabs (the paragraphs of a cell joined by spaces)."""

    def __init__(self) -> None:
        from xml.parsers import expat

        self.expat = expat
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.StartDoctypeDeclHandler = self._dtd
        self.parser.EntityDeclHandler = self._dtd
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.lines: list[str] = []
        self.depth = 0
        self.characters = 0
        self.cells = 0
        self.in_text = False  # inside <w:t>
        self.paragraph: list[str] = []
        self.row: list[str] | None = None  # cells of the table row being read
        self.cell: list[str] | None = None  # paragraphs of the cell being read
        self.tables = 0  # nesting of tables: an inner table's text stays in the outer cell

    def feed(self, chunk: bytes) -> None:
        try:
            self.parser.Parse(chunk, False)
        except self.expat.ExpatError as e:
            self._malformed(e)

    def close(self) -> None:
        try:
            self.parser.Parse(b"", True)
        except self.expat.ExpatError as e:
            self._malformed(e)

    def _malformed(self, e: Exception) -> NoReturn:
        reason = self.expat.errors.messages.get(getattr(e, "code", 0), str(e))
        line, column = getattr(e, "lineno", "?"), getattr(e, "offset", "?")
        raise NotDocx(
            f"{_BODY} 不是格式正确的 XML（第 {line} 行第 {column} 列，解析器原文：{reason}）",
            f"{_BODY} is not well-formed XML ({reason} at line {line}, column {column})",
        ) from None

    def _dtd(self, *_: object) -> NoReturn:
        raise NotDocx(
            f"{_BODY} 含有 DTD 或实体声明，Word 文档不会有，已拒绝",
            f"{_BODY} declares a DTD or entities, which Word documents never do; refused",
        )

    def _start(self, name: str, _attrs: object) -> None:
        self.depth += 1
        if self.depth > LIMITS.depth:
            raise NotDocx(
                f"{_BODY} 的 XML 嵌套超过 {LIMITS.depth} 层，Word 文档不会这样，已拒绝",
                f"{_BODY} nests XML deeper than {LIMITS.depth} levels, which Word documents never "
                "do; refused",
            )
        ns, _, local = name.rpartition("}")
        if ns not in _W:
            return
        if local == "t":
            self.in_text = True
        elif local == "tab":
            self._add("\t" if self.row is None else " ")
        elif local in ("br", "cr"):
            self._add("\n" if self.row is None else " ")
        elif local == "tbl":
            self.tables += 1
            if self.tables == 1 and self.paragraph:
                self._flush()  # a paragraph the table interrupts (text boxes) ends here
        elif local == "tr" and self.tables == 1:
            self.row = []
        elif local == "tc" and self.tables == 1:
            self.cells += 1
            if self.cells > LIMITS.cells:
                refuse_size("cells", self.cells, LIMITS.cells)
            self.cell = []

    def _end(self, name: str) -> None:
        self.depth -= 1
        ns, _, local = name.rpartition("}")
        if ns not in _W:
            return
        if local == "t":
            self.in_text = False
        elif local == "p":
            self._flush()
        elif local == "tc" and self.tables == 1 and self.cell is not None:
            self._flush()
            if self.row is not None:
                self.row.append(" ".join(p for p in self.cell if p))
            self.cell = None
        elif local == "tr" and self.tables == 1 and self.row is not None:
            self._line("\t".join(self.row))
            self.row = None
        elif local == "tbl":
            self.tables -= 1

    def _text(self, data: str) -> None:
        if self.in_text:
            self._add(data)

    def _add(self, text: str) -> None:
        self.characters += len(text)
        if self.characters > LIMITS.characters:
            refuse_size("characters", self.characters, LIMITS.characters)
        self.paragraph.append(text)

    def _flush(self) -> None:
        text = "".join(self.paragraph)
        self.paragraph = []
        if self.cell is not None:
            self.cell.append(text.replace("\n", " ").strip())
        else:
            for line in text.split("\n"):
                self._line(line)

    def _line(self, line: str) -> None:
        self.lines.append(line)
        if len(self.lines) > LIMITS.lines:
            refuse_size("lines", len(self.lines), LIMITS.lines)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SPACES = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without layout whitespace: 张掖市深化现代职业教育 人才培养… -> …教育人才培养…"""
    return _SPACES.sub("", text)
