"""`zjtrack import` (a policy document -> a draft task file) and `zjtrack init` (a new repository of
task files), registered by cli/app.py.

Only typer is imported here at start-up; the importer, the renderer and python-docx are imported by
the command that needs them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple, NoReturn, Optional

import typer

from .common import Lang, LangOpt, fail, say

if TYPE_CHECKING:
    from ..importer import Draft
    from ..importer.unitsfile import UnitEntry
    from ..model import Unit


# ------------------------------------------------------------------------------------------------
# zjtrack import
# ------------------------------------------------------------------------------------------------


def import_document(
    file: Annotated[
        Path,
        typer.Argument(
            help="文件正文：UTF-8/GBK 文本或 .docx · the document: text (UTF-8/GBK) or .docx",
            show_default=False,
        ),
    ],
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help="写到哪里（默认 tasks/<id>.yaml；- 为标准输出）· where to write (default tasks/<id>.yaml; - for stdout)",
            show_default=False,
        ),
    ] = None,
    doc_id: Annotated[
        Optional[str],
        typer.Option(
            "--id",
            help="文件编号（默认取输出文件名或文号）· document id (default: the output file name or the 文号)",
            show_default=False,
        ),
    ] = None,
    prefix: Annotated[
        Optional[str],
        typer.Option(
            "--prefix",
            help="措施与目标编号的前缀（默认同文件编号）· prefix of measure and target ids (default: the id)",
            show_default=False,
        ),
    ] = None,
    units: Annotated[
        Optional[Path],
        typer.Option(
            "--units",
            help="单位名录（默认输出文件旁或 tasks/ 下的 units.yaml）· units registry (default: beside the output, else tasks/)",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已有文件 · overwrite an existing file")
    ] = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """导入政策文件，生成任务文件草稿 · Import a policy document as a draft task file.

    找出文件信息、措施、单位行、数量目标、时限和里程碑；推断之处在 note 中以“待核”标出。
    Finds metadata, measures, unit lines, quantified targets, deadlines and milestones; every guess is
    marked in its note with 待核 so that `zjtrack check` lists it. 不覆盖已有文件（除非 --force）。
    """
    from ..importer import clean_id, import_text
    from ..render.taskfile import render
    from ..text import inert
    from .base import today

    text, notice = _read_source(file, lang)
    if notice:
        say(
            lang.value,
            f"注意：{inert(str(file))} 不是 UTF-8，已按 {notice} 解码。",
            f"note: {inert(str(file))} is not UTF-8; read as {notice}.",
        )
    ident = doc_id or (output.stem if output and str(output) != "-" else None)
    registry_path = units or _default_units(output)
    registry = _read_units(registry_path, lang)
    draft = import_text(
        text, units=registry, doc_id=ident, prefix=prefix, source=str(file), tracked_from=today()
    )
    target = output or Path("tasks") / f"{clean_id(draft.document.id)}.yaml"
    yaml_text = render(draft)
    _self_check(yaml_text, str(target), lang)
    registered: Registered | None = None
    if str(target) == "-":
        sys.stdout.write(yaml_text)
    else:
        created = _write_new(target, yaml_text, force, lang)
        try:
            registered = _register_units(
                draft, target.parent / "units.yaml", registry_path, registry
            )
        except OSError as e:
            _registry_failed(target, created, e, lang)
    _summary(draft, str(target), registered, lang)


def _read_source(file: Path, lang: Lang) -> tuple[str, str | None]:
    from ..importer import decode_source

    data = _read_regular(file, lang)
    suffix = file.suffix.lower()
    if suffix == ".docx":
        return _docx_text(data, file, lang), None
    if suffix in (".doc", ".wps", ".pdf"):
        fail(
            lang.value,
            f"不支持 {suffix} 文件：请另存为 .docx 或纯文本（.txt）后再导入。",
            f"{suffix} files are not supported: save as .docx or plain text (.txt) first.",
        )
    return decode_source(data)


def _read_regular(file: Path, lang: Lang) -> bytes:
    """The bytes of a regular file within the size limit. Opened without blocking (a FIFO would
    wait for a writer forever) and checked after opening (fstat: the file read is the file
    checked); a FIFO, a device (/dev/zero never ends), a folder or a socket is refused."""
    import os
    import stat

    from ..importer.source import LIMITS, refuse_size
    from ..text import inert

    name = inert(str(file))
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        fail(
            lang.value,
            f"无法读取 {name}：{e.strerror or e}",
            f"cannot read {name}: {e.strerror or e}",
        )
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            fail(
                lang.value,
                f"{name} 不是普通文件（{_kind_zh(st.st_mode)}），未读取；请导入文件正文（.txt 或 .docx）。",
                f"{name} is not a regular file ({_kind_en(st.st_mode)}); nothing read. "
                "Import the document's text (.txt or .docx).",
            )
        if st.st_size > LIMITS.file_bytes:
            refuse_size("file_bytes", st.st_size, LIMITS.file_bytes)
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > LIMITS.file_bytes:  # the file grew while being read
                refuse_size("file_bytes", size, LIMITS.file_bytes)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as e:
        fail(
            lang.value,
            f"无法读取 {name}：{e.strerror or e}",
            f"cannot read {name}: {e.strerror or e}",
        )
    finally:
        os.close(fd)


def _kind_zh(mode: int) -> str:
    import stat

    return "目录" if stat.S_ISDIR(mode) else "命名管道" if stat.S_ISFIFO(mode) else "设备或套接字"


def _kind_en(mode: int) -> str:
    import stat

    return (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a device or socket"
    )


def _docx_text(data: bytes, file: Path, lang: Lang) -> str:
    from ..importer.source import NotDocx, docx_text
    from ..text import inert

    try:
        return docx_text(data)
    except NotDocx as e:
        name = inert(str(file))
        fail(
            lang.value,
            f"{name} 不是有效的 .docx 文件：{inert(e.zh)}；请用 Word 或 WPS 打开后另存为 .docx 或纯文本再导入。",
            f"{name} is not a valid .docx file: {inert(e.en)}; open it in Word or WPS and save it "
            "as .docx or plain text, then import again.",
        )


def _default_units(output: Path | None) -> Path:
    if output is not None and str(output) != "-":
        beside = output.parent / "units.yaml"
        if beside.exists():
            return beside
    return Path("tasks") / "units.yaml"


def _read_units(path: Path, lang: Lang) -> list[Unit]:
    from ..load.loader import load_file

    if not path.exists():
        say(
            lang.value,
            f"注意：未找到单位名录 {path}，所有单位都将列为待核。",
            f"note: no units registry at {path}; every unit will be listed for review.",
        )
        return []
    content = load_file(str(path))
    if content.problems:
        say(
            lang.value,
            f"注意：单位名录 {path} 有 {len(content.problems)} 个问题（zjtrack check 可查看）。",
            f"note: the units registry {path} has {len(content.problems)} problems (see zjtrack check).",
        )
    return content.units


class Registered(NamedTuple):
    """What an import wrote to a units registry: its path, the entries added, and the short
    forms added as aliases of units already there, (alias, unit)."""

    path: Path
    entries: int
    aliases: list[tuple[str, str]]
    unedited: list[tuple[str, str]]  # short forms of units whose entry was not edited


def _register_units(
    draft: Draft, path: Path, read_from: Path, read: list[Unit]
) -> Registered | None:
    """Write the units the draft names into the registry beside the task file, so that the
    folder checks on its own: new names become entries (abbreviations as aliases of the full
    name); a registry already there is extended, never given a second entry for a known unit,
    and a short form of a unit it holds (市人社局 of 海东市人力资源和社会保障局) becomes that
    entry's alias, every other line as the user wrote it. None when nothing was needed."""
    from ..importer.unitsfile import new_units, short_forms
    from ..load.loader import load_file, load_text
    from ..render.taskfile import render_unit_entries, render_units, with_aliases

    same = path.exists() and read_from.exists() and path.resolve() == read_from.resolve()
    present = read if same else (load_file(str(path)).units if path.exists() else [])
    region = draft.document.region
    copied: list[Unit] = []
    if not same and read:  # units resolved by a registry elsewhere: copy their entries here
        known = {u.name for u in present}
        resolved = _resolved_names(draft, read, region)
        copied = [u for u in read if u.name in resolved and u.name not in known]
    names = draft.unit_names()
    short = short_forms(names, [*present, *copied], region)
    copies = [_as_entry(u) for u in copied]
    for entry in copies:  # a copied entry takes its short forms along
        entry.aliases += short.pop(entry.name, [])
    # new entries only for names no registry resolves (each unit once: the fuzz campaign found
    # every copied unit registered a second time as new), nor short for a unit it holds
    taken = [n for found in short.values() for n in found]
    entries = copies + new_units([n for n in names if n not in taken], [*present, *copied], region)
    if not entries and not short:
        return None
    old = path.read_text(encoding="utf-8") if path.exists() else None
    edited, failed = with_aliases(old, short) if old is not None and short else (old, [])
    # an entry this cannot edit: its short forms as new entries, said by name (`unedited`)
    unedited = [(a, unit) for unit in failed for a in short.pop(unit)]
    entries += new_units([a for a, _ in unedited], [*present, *copied], region)
    aliases = [(a, unit) for unit, found in short.items() for a in found]
    if edited is not None:
        text = edited
        if entries:
            newline = "\r\n" if "\r\n" in text else "\n"
            added = "\n".join(render_unit_entries(entries)).replace("\n", newline)
            text = text.rstrip("\r\n") + newline + added + newline
        merged = load_text(text, str(path))
        if merged.problems or len(merged.units) != len(present) + len(entries):
            path = path.with_name(f"units-{clean_name(draft.document.id)}.yaml")
            entries += new_units([a for a, _ in aliases], [*present, *copied], region)
            unedited += aliases
            text, aliases = render_units(entries), []
    else:
        text = render_units(entries)
    _write_registry(path, text)
    return Registered(path, len(entries), aliases, unedited)


def _resolved_names(draft: Draft, read: list[Unit], region: str | None) -> set[str]:
    from ..registry import Registry

    registry = Registry(read)
    return {u.name for n in draft.unit_names() if (u := registry.resolve(n, region)) is not None}


def _as_entry(unit: Unit) -> UnitEntry:
    from ..importer.unitsfile import UnitEntry

    return UnitEntry(unit.name, unit.kind.value, unit.region, list(unit.aliases))


def clean_name(text: str) -> str:
    from ..importer import clean_id

    return clean_id(text)


def _write_registry(path: Path, text: str) -> None:
    """The merged units registry, through the one atomic writer (never a fixed temporary name)."""
    from ..store.atomic import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), replace=True)


def _self_check(yaml_text: str, path: str, lang: Lang) -> None:
    """The draft must load: a problem here is a bug in the importer, reported but not fatal."""
    from ..load.loader import load_text

    problems = load_text(yaml_text, path).problems
    for p in problems:
        say(
            lang.value,
            f"内部问题：生成的文件未能通过读取检查：{p.code} 第 {p.line} 行",
            f"internal problem: the draft does not load cleanly: {p.code} at line {p.line}",
        )


def _write_new(path: Path, text: str, force: bool, lang: Lang) -> bool:
    """Write the draft atomically: create-only (an existing file is never touched, even one that
    appears while importing) unless --force, which replaces a regular file. Returns whether the
    file is new. Folders it had to make are removed again when the write fails."""
    from ..store.atomic import write_atomic
    from ..text import inert

    _never_over_data(path, lang)
    new = not path.exists()
    if not new and not force:
        _exists(path, lang)
    made = _missing_folders(path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"), replace=force)
    except FileExistsError:
        _remove_folders(made)
        _exists(path, lang)
    except OSError as e:
        _remove_folders(made)
        reason = e.strerror or str(e)
        fail(
            lang.value,
            f"无法写入 {inert(str(path))}：{reason}；未写入任何文件。",
            f"cannot write {inert(str(path))}: {reason}; nothing written.",
        )
    return new


def _never_over_data(path: Path, lang: Lang) -> None:
    """A draft never goes where records or the registry live, not even with --force: a progress
    file (acknowledged records would be lost), `units.yaml` or `config.yaml`, or a folder of
    progress files or returned forms."""
    from ..text import inert

    parts = {p.lower() for p in path.parent.parts[-2:]}
    if path.name.lower() in ("units.yaml", "config.yaml") or parts & {"progress", "returns"}:
        fail(
            lang.value,
            f"{inert(str(path))} 是进展记录、单位名录或配置文件的位置，草稿不能写在这里（--force 也不行）；"
            "请写到任务目录下，如 tasks/文件编号.yaml。",
            f"{inert(str(path))} is where progress records, the units registry or the config live; "
            "a draft never goes there, not even with --force. Write it into the tasks folder, "
            "e.g. tasks/DOCUMENT-ID.yaml.",
        )


def _missing_folders(folder: Path) -> list[Path]:
    """The folders of `folder`'s path that do not exist yet, innermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_folders(folders: list[Path]) -> None:
    """Remove folders this run made (innermost first), if they are still empty."""
    import contextlib

    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _registry_failed(target: Path, created: bool, e: OSError, lang: Lang) -> NoReturn:
    """The draft is written but the units registry beside it cannot be: a new draft is removed
    again (the folder would not check without its units), a replaced one is said to be kept."""
    from ..text import inert

    reason = e.strerror or str(e)
    where = inert(e.filename if isinstance(e.filename, str) else str(target.parent / "units.yaml"))
    if created:
        target.unlink(missing_ok=True)
        fail(
            lang.value,
            f"无法写入单位名录 {where}：{reason}；草稿 {inert(str(target))} 也已撤回，未写入任何文件。",
            f"cannot write the units registry {where}: {reason}; the draft "
            f"{inert(str(target))} was withdrawn too, nothing written.",
        )
    fail(
        lang.value,
        f"无法写入单位名录 {where}：{reason}；草稿已写入 {inert(str(target))}，单位请手工登记。",
        f"cannot write the units registry {where}: {reason}; the draft is written to "
        f"{inert(str(target))}: register its units by hand.",
    )


def _exists(path: Path, lang: Lang) -> NoReturn:
    fail(
        lang.value,
        f"{path} 已存在，未写入；要覆盖请加 --force。",
        f"{path} exists; nothing written. Use --force to overwrite it.",
    )


def _stderr_columns() -> int | None:
    """The terminal's width when stderr is one, else None."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns if sys.stderr.isatty() else None
    except (OSError, ValueError):
        return None


def _summary(draft: Draft, target: str, registered: Registered | None, lang: Lang) -> None:
    from ..importer import review_kinds
    from ..text import inert, one_line, width, wrap

    targets = draft.targets()
    quantities = [t for t in targets if t.kind == "quantity"]
    milestones = [t for t in targets if t.kind == "milestone"]
    dated = sum(1 for t in targets if t.deadline)
    aside = len(draft.candidates())
    names = draft.unit_names()
    review = draft.review_items()
    d = draft.document  # every word from the document is made inert before it reaches a terminal
    title, number, where_to = one_line(d.title or "?"), d.doc_number, inert(target)
    say(
        lang.value,
        f"已导入《{title}》（{one_line(number or '无文号')}）→ {where_to}",
        f"imported 《{title}》 ({one_line(number or 'no 文号')}) -> {where_to}",
    )
    say(
        lang.value,
        f"  措施 {len(draft.measures)} · 单位 {len(names)}（名录中未登记 {len(draft.unknown_units)}）"
        f" · 数量目标 {len(quantities)} · 里程碑 {len(milestones)} · 有时限 {dated}",
        f"  measures {len(draft.measures)} · units {len(names)} ({len(draft.unknown_units)} not in the registry)"
        f" · quantity targets {len(quantities)} · milestones {len(milestones)} · with a deadline {dated}",
    )
    if aside:
        say(
            lang.value,
            f"  持续性工作 {aside} 处未单列为目标（无时限、无数量），列在所属措施的待核说明中，可按需增列",
            f"  {aside} clauses of ongoing work (no deadline, no number) are not drafted as targets; "
            "each measure's review note lists its own, to promote where needed",
        )
    if review:
        kinds = review_kinds(what for _, what in review)
        say(
            lang.value,
            f"  待核 {len(review)} 项（zjtrack check 以 needs-review 列出）："
            + "，".join(f"{zh} {n}" for (zh, _), n in kinds),
            f"  {len(review)} items to review (zjtrack check lists them as needs-review): "
            + ", ".join(f"{en} {n}" for (_, en), n in kinds),
        )
        columns = _stderr_columns()
        for where, what in review:
            head = f"    {one_line(where)}  "
            if columns is None:  # a file or a pipe: one line an item, for grep
                sys.stderr.write(f"{head}{one_line(what)}\n")
                continue
            lines = wrap(one_line(what), max(20, columns - width(head)))
            pad = "\n" + " " * width(head)
            sys.stderr.write(head + pad.join(lines) + "\n")
    if registered and registered.entries:
        path, count = registered.path, registered.entries
        say(
            lang.value,
            f"  单位名录：已在 {inert(str(path))} 登记 {count} 个单位（简称记为别名；请核对全称与类别）",
            f"  units registry: {count} units registered in {inert(str(path))} (abbreviations as aliases; "
            "check full names and kinds)",
        )
    if registered and registered.unedited:
        pairs = [(inert(a), inert(u)) for a, u in registered.unedited]
        say(
            lang.value,
            f"  注意：以下简称似为已登记单位，但其条目无法自动添加别名，已另行登记为新单位，"
            f"请在 {inert(str(registered.path))} 中手工合并："
            + "；".join(f"{a} → {u}" for a, u in pairs),
            f"  note: these short forms look like registered units whose entries could not be given "
            f"an alias; they were registered as new units in {inert(str(registered.path))}: merge "
            "them by hand: " + "; ".join(f"{a} → {u}" for a, u in pairs),
        )
    if registered and registered.aliases:
        pairs = [(inert(a), inert(u)) for a, u in registered.aliases]
        say(
            lang.value,
            f"  单位名录：{inert(str(registered.path))} 中已有的单位添加简称（请核对）："
            + "；".join(f"{a} → {u}" for a, u in pairs),
            f"  units registry: short forms added as aliases in {inert(str(registered.path))} "
            "(check them): " + "; ".join(f"{a} → {u}" for a, u in pairs),
        )
    elif draft.unknown_units and str(target) == "-":
        say(
            lang.value,
            f"  名录中未登记 {len(draft.unknown_units)} 个单位：输出到文件（-o）时会自动登记到其旁的 units.yaml",
            f"  {len(draft.unknown_units)} units are not in the registry: with -o FILE they are "
            "registered in the units.yaml beside it",
        )
    say(
        lang.value,
        f"  下一步：核对草稿，然后运行 zjtrack check {inert(str(Path(target).parent))}",
        f"  next: review the draft, then run zjtrack check {inert(str(Path(target).parent))}",
    )


# ------------------------------------------------------------------------------------------------
# zjtrack init
# ------------------------------------------------------------------------------------------------


def init_repository(
    directory: Annotated[
        Path, typer.Argument(help="新仓库的目录（默认当前目录）· the new repository's folder")
    ] = Path("."),
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="目录非空也继续；已有文件保留不动 · go on in a non-empty folder; existing files are kept",
        ),
    ] = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """新建任务文件仓库 · Start a new repository of task files.

    写入单位名录、示例文件、pre-commit 与 CI 配置和 README · writes a units registry, an example
    document, pre-commit and CI configuration, and a README. 目录非空时需加 --force。
    """
    import json

    from ..schema import json_schema
    from ..text import inert

    if directory.exists() and not directory.is_dir():
        fail(lang.value, f"{directory} 不是目录。", f"{directory} is not a directory.")
    try:
        present = (
            [p.name for p in directory.iterdir() if p.name != ".git"] if directory.exists() else []
        )
    except OSError as e:
        reason = e.strerror or str(e)
        fail(
            lang.value,
            f"无法读取目录 {inert(str(directory))}：{reason}",
            f"cannot read the folder {inert(str(directory))}: {reason}",
        )
    if present and not force:
        fail(
            lang.value,
            f"{directory} 不是空目录（{'、'.join(sorted(present)[:5])}…），未写入；确需在此初始化请加 --force。",
            f"{directory} is not empty ({', '.join(sorted(present)[:5])}…); nothing written. Use --force to go on.",
        )
    from ..report.weeks import reporting_week
    from .base import today

    first = reporting_week(today())  # issue 1 is the week the repository begins
    files = {
        **INIT_FILES,
        "tasks/config.yaml": _CONFIG_YAML.replace("FIRST_WEEK", f"{first.year}-W{first.week:02d}"),
        "zjtrack.schema.json": json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n",
    }
    _no_linked_folders(directory, files, lang)
    written, kept = _write_files(directory, files, lang)
    say(
        lang.value,
        f"已在 {directory} 新建：{'、'.join(written) or '无'}",
        f"created in {directory}: {', '.join(written) or 'nothing'}",
    )
    if kept:
        say(
            lang.value,
            f"已存在、未改动：{'、'.join(kept)}",
            f"already there, left alone: {', '.join(kept)}",
        )
    say(
        lang.value,
        "下一步：zjtrack import 文件.txt -o tasks/<编号>.yaml（见 README.md）",
        "next: zjtrack import DOCUMENT.txt -o tasks/<id>.yaml (see README.md)",
    )


def _no_linked_folders(directory: Path, files: dict[str, str], lang: Lang) -> None:
    """Refuse (before writing anything) when a folder init writes into below `directory` is a
    link (`tasks -> /elsewhere`, `.github -> …`): files go inside the folder named, never through
    a link out of it."""
    from ..text import inert

    for name in files:
        folder = directory
        for part in Path(name).parts[:-1]:
            folder = folder / part
            if folder.is_symlink():
                fail(
                    lang.value,
                    f"{inert(str(folder))} 是符号链接：init 只在 {inert(str(directory))} 之内写文件，"
                    "不经链接写到别处；未写入任何文件。",
                    f"{inert(str(folder))} is a symbolic link: init writes only inside "
                    f"{inert(str(directory))}, never through a link; nothing written.",
                )


def _write_files(directory: Path, files: dict[str, str], lang: Lang) -> tuple[list[str], list[str]]:
    """Write each file that is not there yet (never over one): (written, kept). On a failure
    (a read-only folder, a full disk) what this run wrote is removed again, folders too, and the
    command fails with the reason: no half-made repository."""
    from ..store.atomic import write_atomic
    from ..text import inert

    written: list[str] = []
    kept: list[str] = []
    made: list[Path] = []
    for name, content in files.items():
        path = directory / name
        if path.exists() or path.is_symlink():
            kept.append(name)
            continue
        try:
            made += _missing_folders(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, content.encode("utf-8"), replace=False)  # never over a file
        except FileExistsError:
            kept.append(name)
            continue
        except OSError as e:
            for done in written:
                (directory / done).unlink(missing_ok=True)
            _remove_folders(sorted(made, key=lambda p: len(p.parts), reverse=True))
            reason = e.strerror or str(e)
            fail(
                lang.value,
                f"无法写入 {inert(str(path))}：{reason}；已撤回本次写入的文件，未改动任何内容。",
                f"cannot write {inert(str(path))}: {reason}; the files written so far were "
                "removed, nothing changed.",
            )
        written.append(name)
    return written, kept


_UNITS_YAML = """\
# 单位名录 · the units registry: every unit a task file names must be here (by name or alias).
# region：文件 document.region 相同时，aliases 中的简称（如“市教育局”）才解析到该单位。
zjtrack: 1
units:
  - name: 示例市人民政府办公室
    kind: department
    region: 示例市
  - name: 示例市教育局
    kind: department
    region: 示例市
    aliases: [市教育局]
  - name: 示例市财政局
    kind: department
    region: 示例市
    aliases: [市财政局]
  - name: 示例市人力资源和社会保障局
    kind: department
    region: 示例市
    aliases: [市人力资源和社会保障局, 市人社局]
  - name: 示例市各县区人民政府
    kind: collective
    region: 示例市
    aliases: [各县区人民政府]
"""

_EXAMPLE_YAML = """\
# yaml-language-server: $schema=../zjtrack.schema.json
# 示例文件（虚构）：导入第一份真实文件后删除 · a fictional example: delete it once your first document is in.
zjtrack: 1
document:
  id: example-2025-1
  title: 示例市职业教育提质培优行动方案
  doc_number: 示政办〔2025〕1号
  issuer: 示例市人民政府办公室
  issued: 2025-03-01
  region: 示例市
  note: 虚构的示例文件，演示任务文件的写法。

measures:
  - id: ex-1
    clause: 一、
    title: 提升职业学校办学条件
    lead_units: [市教育局]
    responsible_units: [市财政局, 各县区人民政府]
    targets:
      - id: ex-1-1
        metric: 职业学校办学条件达标学校比例
        comparator: ">="
        value: 90
        unit: "%"
        deadline: 2026年底
        quote: "到2026年底，职业学校办学条件达标学校的比例达到90%以上"
      - id: ex-1-2
        kind: milestone
        metric: 建立专业设置动态调整机制
        deadline: 2025年6月底
        quote: "2025年6月底前建立专业设置动态调整机制"

  - id: ex-2
    clause: 二、
    title: 加强“双师型”教师队伍建设
    lead_units: [市人力资源和社会保障局]
    responsible_units: [市教育局]
    deadline_reason: 文件未规定完成时限
    targets:
      - id: ex-2-1
        metric: 名师工作室
        comparator: range
        value: 1
        value_max: 2
        unit: 所
        each: 每所职业学校
        quote: "每所职业学校设立1—2所名师工作室"
"""

_PRE_COMMIT = """\
# pre-commit：每次提交前检查任务文件 · check the task files before every commit.
# 安装 · install: pip install pre-commit && pre-commit install
repos:
  - repo: local
    hooks:
      - id: zjtrack-check
        name: zjtrack check
        entry: zjtrack check --strict
        language: system
        files: \\.ya?ml$
        pass_filenames: false  # ids and unit references are checked across the whole tree
# 也可以改用 zjtrack 仓库提供的同名钩子（由 pre-commit 自动安装 zjtrack）：
# or use the hook of the same id from the zjtrack repository (pre-commit then installs zjtrack itself):
#  - repo: <zjtrack 仓库地址 · the zjtrack repository's URL>
#    rev: <版本 · a tag>
#    hooks:
#      - id: zjtrack-check
"""

_WORKFLOW = """\
# 每次推送与合并请求时检查任务文件，问题以注释形式显示在合并请求上。
# Checks the task files on every push and pull request; problems show as annotations.
name: zjtrack
on: [push, pull_request]
env:
  # zjtrack 的安装来源（git 地址、wheel 文件或包名）· where to install zjtrack from (git URL, wheel or package)
  ZJTRACK: git+https://github.com/<owner>/zjtrack
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.12"}
      - run: pip install "$ZJTRACK"
      - run: zjtrack check tasks --strict
      # 可选：有逾期目标时失败 · optional: fail while any target is overdue
      # - run: zjtrack overdue --fail-on overdue
"""

_README = """\
# 政策任务台账 · policy task files

本仓库用 zjtrack 跟踪政策文件的每一项措施、目标与时限。
This repository tracks every measure, target and deadline of policy documents with zjtrack.

```
tasks/units.yaml               单位名录 · the units registry
tasks/config.yaml              设置：周报标题、截止日、预警阈值 · settings (report, cut-off, thresholds)
tasks/example-2025-1.yaml      示例文件（虚构，可删除）· a fictional example (delete it)
.pre-commit-config.yaml        提交前检查 · checks before each commit
.github/workflows/zjtrack.yml  CI 检查 · CI checks
```

## 导入第一份文件 · importing your first document

1. 准备文件正文：纯文本（UTF-8 或 GBK）或 Word `.docx`。
   Get the document's text: plain text (UTF-8 or GBK) or a Word `.docx`.
2. 导入 · import:

   ```sh
   zjtrack import 文件.txt -o tasks/<编号>.yaml --prefix <简称>
   ```

   `--prefix` 是措施和目标编号的前缀（如 `hd` 得到 `hd-5-1`）。导入结果是**草稿**：stderr 上的摘要列出
   措施、单位、数量目标、里程碑和“待核”事项。The result is a draft; the summary on stderr lists what
   was found and what needs review.
3. 核对 · review: 逐条对照原文。以“待核”开头的 note 是导入时的推断（`zjtrack check` 以 `needs-review`
   列出）；核对、改正后删去“待核”。摘要中列出的未登记单位，请加入 `tasks/units.yaml`。
   Check each item against the document; fix the guesses noted `待核` and remove the mark. Add the
   units the summary lists to `tasks/units.yaml`.
4. 检查 · check: `zjtrack check tasks --strict` 无输出、退出码 0 即可提交。Commit when it is silent.
5. 删除示例文件 `tasks/example-2025-1.yaml`。Delete the example file.

之后 · then: `zjtrack status`、`zjtrack overdue`、`zjtrack record` 记录进展 · record progress.

## 提交前检查与 CI · pre-commit and CI

- `pip install pre-commit && pre-commit install`：每次提交前运行 `zjtrack check --strict`（钩子 `zjtrack-check`）。
- `.github/workflows/zjtrack.yml`：把其中的 `ZJTRACK` 改为 zjtrack 的安装地址。Set `ZJTRACK` to where zjtrack installs from.
"""

_CONFIG_YAML = """\
# zjtrack 设置 · settings. 删去一行即用默认值 · delete a line to use the default.
zjtrack: 1
config:
  # 周报标题；不写时按所跟踪文件的主题生成（如“职业教育改革任务落实情况周报”）
  # the weekly report's title; unset, it comes from the documents tracked
  # report_title: 职业教育改革任务落实情况周报
  reporting_unit: 工作专班办公室   # 报送单位 · the unit that issues the report
  # 第1期所在的 ISO 周（zjtrack init 写开始使用的那一周），期号由此连续编排；不写时为最早
  # 纳入跟踪（tracked_from）或首次报送进展的那一周 · the week of issue 1 (init writes the week it
  # ran); unset: the week tracking began or anything was first recorded
  first_week: FIRST_WEEK
  cutoff_weekday: sunday          # 每周截止日（monday … sunday），如 friday · the week's cut-off day
  due_soon_days: 30               # 蓝色提示：多少天内到期 · blue: due within this many days
  yellow_gap: 10                  # 黄色预警：完成率落后序时进度的百分点 · yellow: points behind
  red_gap: 30                     # 红色督办：落后的百分点（逾期一律为红）· red: points behind
  stale_days: 30                  # 多少天无新进展视为久未更新 · stale after this many days
  approx_tolerance: 0.1           # “约/左右”目标未写容差时的相对容差 · approx targets: ±10%
  reply_days: 7                   # 督办单反馈时限（天）· days until a notice's reply is due
  # 周报版记的“报”“送”对象 · the weekly report's imprint: reported to, sent to
  # report_to: 市政府领导
  # send_to: 各牵头单位、责任单位
"""

INIT_FILES = {
    "tasks/units.yaml": _UNITS_YAML,
    "tasks/config.yaml": _CONFIG_YAML,
    "tasks/example-2025-1.yaml": _EXAMPLE_YAML,
    ".pre-commit-config.yaml": _PRE_COMMIT,
    ".github/workflows/zjtrack.yml": _WORKFLOW,
    "README.md": _README,
}
