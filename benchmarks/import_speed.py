"""Time `zjtrack import`'s pipeline (import_text + render) on large and hostile inputs.

    python benchmarks/import_speed.py [--repeat 5]

Prints CPU seconds (best of --repeat, in-process) for:

- 100 pages: 100 measures of ~2,000 characters of real policy text each (the 海东 measures from
  ../shared/seeds when present, else a dense synthetic page), each with unit lines;
- corpus documents in ../shared/import-corpus, when present;
- a .docx of one 2,000 x 20 table, read by the bounded reader and imported;
- linearity: a table-like text (20 numbers per line, no full stop), the same as one run-on
  clause, the same as one line with cells apart by spaces, one paragraph of n
  quoted phrases and one of n unclosed quotes, at n, 2n, 4n…: the time
  per line must stay flat as n doubles (a quadratic step would double it each time).

Not a test: timing depends on the machine. The test suite checks behaviour, this measures speed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from zjtrack.importer import LIMITS, import_text, join_paragraphs  # noqa: E402
from zjtrack.importer.source import docx_text  # noqa: E402
from zjtrack.render.taskfile import render  # noqa: E402

SHARED = ROOT.parent / "shared"
HAIDONG = SHARED / "seeds" / "003_9869fb98e2f8f066.txt"
CORPUS = SHARED / "import-corpus"
HEAD = "示例市人民政府办公室文件\n\n示政办〔2024〕3号\n\n示例市测试方案\n\n示例市人民政府办公室\n\n2024年7月18日\n\n"


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def pages() -> list[str]:
    if HAIDONG.exists():
        body = HAIDONG.read_text(encoding="utf-8").split("一、加强党建和思想政治工作")[1]
        paragraphs = [p for p in join_paragraphs(body.split("\n")) if len(p) > 200]
        return [(p * (2000 // len(p) + 1))[:2000] for p in paragraphs]
    page = (
        "力争到2025年底，职业学校办学条件达标学校的比例达到90%以上。建设6—8个品牌示范专业（群），"
        "建立健全专业设置预警和动态调整机制，“十四五”期间，撤销专业5个（2025年拟新增专业1个），停招6个。"
    )
    return [(page * (2000 // len(page) + 1))[:2000]]


def cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n == 100:
        return "一百"
    tens, ones = divmod(n, 10)
    return (
        (digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[ones] if ones else "")
    )


def hundred_pages() -> str:
    ps = pages()
    return HEAD + "".join(
        f"{cn(i)}、第{i}项措施\n\n{ps[i % len(ps)]}\n\n牵头单位：市教育局\n\n责任单位：市财政局、各县区人民政府\n\n"
        for i in range(1, 101)
    )


def table(lines: int) -> str:
    row = "\t".join(f"指标{j}达到{10 + j}个" for j in range(20))
    return HEAD + "一、数据表\n" + "".join(row + "\n" for _ in range(lines))


def run_on(lines: int) -> str:
    row = "，".join(f"指标{j}达到{10 + j}个" for j in range(20))
    return HEAD + "一、数据表\n" + "、".join(row for _ in range(lines)) + "\n"


def spaced(lines: int) -> str:
    """The hostile table of issue 13 pasted as one line, cells apart by single spaces."""
    row = " ".join(f"指标{j}达到{10 + j}个" for j in range(20))
    return HEAD + "一、数据表\n" + " ".join(row for _ in range(lines)) + "\n"


def docx_table(rows: int) -> bytes:
    """A .docx body of one table, `rows` rows of 20 cells (the 2,000 x 20 attack of issue 13)."""
    import io
    import zipfile

    cell = "<w:tc><w:p><w:r><w:t>指标达到5%</w:t></w:r></w:p></w:tc>"
    body = (
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body><w:tbl>{("<w:tr>" + cell * 20 + "</w:tr>") * rows}'
        "</w:tbl></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", body)
    return buffer.getvalue()


def quotes(n: int) -> str:
    return HEAD + "一、口号\n" + "".join(f"推进“第{i}号工程”建设" + "、" for i in range(n)) + "\n"


def unclosed(n: int) -> str:
    return (
        HEAD + "一、引号\n" + "".join(f"推进“第{i}号工程建设达到{i}个。" for i in range(n)) + "\n"
    )


def run(text: str) -> Callable[[], object]:
    return lambda: render(import_text(text, prefix="b"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    text = hundred_pages()
    draft = import_text(text, prefix="b")
    print(
        f"100 pages: {len(text):,} characters, {len(draft.measures)} measures, "
        f"{len(draft.targets())} targets: {best(run(text), repeat):.3f} s CPU"
    )
    if CORPUS.exists():
        for path in sorted(CORPUS.glob("*.txt")):
            doc = path.read_text(encoding="utf-8").split("\n", 1)[1]
            print(f"{path.stem}: {len(doc):,} characters: {best(run(doc), repeat):.3f} s CPU")
    for name, make, sizes in (
        ("table, 20 numbers a line, no full stop", table, (100, 200, 400, 800)),
        ("one clause-run of 20 numbers a row, no full stop", run_on, (100, 200, 400, 800)),
        ("the table as one line, cells apart by spaces", spaced, (100, 200, 400, 800)),
        ("one paragraph of quoted phrases", quotes, (1000, 2000, 4000)),
        ("unclosed quotes", unclosed, (1000, 2000, 4000)),
    ):
        cells = []
        for n in sizes:
            seconds = best(run(make(n)), max(1, repeat // 2))
            cells.append(f"{n}: {seconds:.3f} s ({1e3 * seconds / n:.2f} ms each)")
        print(f"{name}: " + "; ".join(cells))
    data = docx_table(2000)
    seconds = best(lambda: render(import_text(docx_text(data), prefix="b")), max(1, repeat // 2))
    print(f".docx, one table of 2,000 x 20 cells ({len(data):,} bytes): {seconds:.3f} s CPU")
    print(f"limits: {LIMITS}")


if __name__ == "__main__":
    main()
