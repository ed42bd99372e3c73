"""The text of a Word (.docx) plan, read as a stream, with Word's automatic numbers written in.

A plan typed in Word often numbers its headings automatically: “一、” and “（一）” are not in the
text but in ``numbering.xml``, chosen per paragraph by ``w:numPr`` (list and level) or by the
paragraph's style. They are rendered here as the text would show them, so the plan parser sees
the same structure as in a typed plan. ``document.xml`` is read with lxml's iterparse and every
element is let go once read, within limits on size and work, so a hostile file is refused
after bounded time and memory instead of being loaded whole.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from desk_league.domain.text import strip_control
from desk_league.errors import ValidationError
from desk_league.imports.plan_text import int_to_chinese, is_whole_number
from desk_league.imports.safe_xml import iterparse, parse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = "word/document.xml"
MAX_PART_BYTES = 64 * 1024 * 1024  # document.xml inflated; a 100-page plan is about 2 MB
MAX_SMALL_PART_BYTES = 8 * 1024 * 1024  # numbering.xml, styles.xml
MAX_ELEMENTS = 400_000  # XML elements read; a 30-page plan has about 50,000
MAX_TEXT = 2_000_000  # characters of text
_PARAGRAPH, _RUN, _TEXT, _TAB = f"{W}p", f"{W}r", f"{W}t", f"{W}tab"
_CELL, _ROW = f"{W}tc", f"{W}tr"
CELL_SEPARATOR = "｜"  # a table's row is one line: 3月5日｜学雷锋志愿服务｜团委
_BREAKS = (f"{W}br", f"{W}cr")
_NUM_ID, _LEVEL, _STYLE, _VAL = f"{W}numId", f"{W}ilvl", f"{W}pStyle", f"{W}val"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# The numbering rank a plan parser understands, by list level, when Word's own format is not one
# of them (1.1., a), bullets): 一、 （一） 1. （1） ①
_LEVEL_FALLBACK = ("chineseCounting", "chineseParen", "decimal", "decimalParen", "circled")


def _refuse(path: Path, reason: str) -> ValidationError:
    return ValidationError(f"无法读取文件“{path.name}”：{reason}")


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = " "  # Word puts a tab (or a space) between the number and the text


@dataclass
class _Numbering:
    """numbering.xml: list instances (numId) → their levels; counters as paragraphs go by."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    style_numbers: dict[str, tuple[str, int]] = field(
        default_factory=dict
    )  # styleId → (numId, ilvl)

    def number(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        counts = self.counters.setdefault(num_id, {})
        level = levels.get(ilvl, _Level())
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]  # a new 一、 starts its （一） again
        if level.fmt == "bullet" or level.fmt == "none":
            return "- " if level.fmt == "bullet" else ""
        text = level.text
        for n in range(ilvl, -1, -1):
            lvl = levels.get(n, _Level())
            text = text.replace(f"%{n + 1}", _format(lvl.fmt, counts.get(n, lvl.start)))
        number = text if _understood(text) else _fallback(ilvl, counts[ilvl])
        return f"{number}{level.suffix}" if number else ""


def _format(fmt: str, n: int) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "ideographTraditional",
    ):
        return int_to_chinese(n)
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(n)


def _understood(number: str) -> bool:
    return is_whole_number(number)


def _fallback(ilvl: int, n: int) -> str:
    kind = _LEVEL_FALLBACK[min(ilvl, len(_LEVEL_FALLBACK) - 1)]
    if kind == "chineseCounting":
        return f"{int_to_chinese(n)}、"
    if kind == "chineseParen":
        return f"（{int_to_chinese(n)}）"
    if kind == "decimal":
        return f"{n}."
    if kind == "decimalParen":
        return f"（{n}）"
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"{n}."


def _read_small(archive: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_SMALL_PART_BYTES:
        raise _refuse(path, f"其中的“{name}”过大，不像是一份计划。")
    return archive.read(name)


def _numbering(archive: zipfile.ZipFile, path: Path) -> _Numbering:
    numbering = _Numbering()
    data = _read_small(archive, "word/numbering.xml", path)
    if data:
        root = parse(data)
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = _Level(
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_or(_val(lvl, "lvlText"), "%1."),  # an empty lvlText is no number
                    start=int(_val(lvl, "start") or 1),
                    suffix="" if _val(lvl, "suff") == "nothing" else " ",
                )
            abstract[node.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            levels = dict(abstract.get(_val(num, "abstractNumId") or "", {}))
            for override in num.iter(f"{W}lvlOverride"):
                start = _val(override, "startOverride")
                ilvl = int(override.get(f"{W}ilvl", "0"))
                if start is not None and ilvl in levels:
                    levels[ilvl] = _Level(
                        levels[ilvl].fmt, levels[ilvl].text, int(start), levels[ilvl].suffix
                    )
            numbering.levels[num.get(f"{W}numId")] = levels
    styles = _read_small(archive, "word/styles.xml", path)
    if styles:
        _style_numbers(parse(styles), numbering)
    return numbering


def _style_numbers(root, numbering: _Numbering) -> None:
    """Headings numbered through their style (标题 1 → 一、): numPr on the style or its parents."""
    direct: dict[str, tuple[str | None, int | None]] = {}
    parents: dict[str, str | None] = {}
    for style in root.iter(f"{W}style"):
        sid = style.get(f"{W}styleId")
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            level = _val(num_pr, "ilvl")
            direct[sid] = (_val(num_pr, "numId"), int(level) if level else None)
        based = style.find(f"{W}basedOn")
        if based is not None:
            parents[sid] = based.get(f"{W}val")
    for sid in set(direct) | set(parents):
        num_id, ilvl, seen = None, None, set()
        current: str | None = sid
        while current and current not in seen:
            seen.add(current)
            found_id, found_level = direct.get(current, (None, None))
            num_id = num_id or found_id
            ilvl = ilvl if ilvl is not None else found_level
            current = parents.get(current)
        if num_id:
            numbering.style_numbers[sid] = (num_id, ilvl or 0)


def _or(value: str | None, default: str) -> str:
    return default if value is None else value


def _val(node, tag: str) -> str | None:
    child = node.find(f"{W}{tag}")
    return None if child is None else child.get(f"{W}val")


def docx_text(path: Path) -> str:
    """The paragraphs of a .docx, one a line, automatic numbers included."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(
            path, "不是有效的 Word 文档（.docx），文件可能已损坏或只是改了扩展名。"
        ) from exc
    with archive:
        try:
            info = archive.getinfo(DOCUMENT)
        except KeyError:
            raise _refuse(
                path, "压缩包里没有 Word 正文（word/document.xml），不是 Word 文档。"
            ) from None
        if info.file_size > MAX_PART_BYTES:
            raise _refuse(
                path,
                f"正文解压后有 {info.file_size // 1024 // 1024} MB，超过 "
                f"{MAX_PART_BYTES // 1024 // 1024} MB 的上限，不像是一份计划。",
            )
        try:
            numbering = _numbering(archive, path)
            with archive.open(DOCUMENT) as source:
                return "\n".join(_paragraphs(source, numbering, path))
        except ValidationError:
            raise
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _refuse(path, f"文件内容已损坏（{type(exc).__name__}）。") from exc


def _paragraphs(source, numbering: _Numbering, path: Path):
    characters = 0
    parts: list[str] = []
    cells: dict = {}  # table cell element → its lines (paragraphs, nested tables' lines)
    rows: dict = {}  # table row element → its cells' lines
    num_id: str | None = None
    ilvl: int | None = None
    style: str | None = None
    events = iterparse(source)
    for elements, (_event, element) in enumerate(events, start=1):
        if elements > MAX_ELEMENTS:
            raise _refuse(path, f"正文的内容超过 {MAX_ELEMENTS} 个元素，不像是一份计划，已拒绝。")
        tag = element.tag
        if tag == _TEXT:
            text = element.text or ""
            characters += len(text)
            if characters > MAX_TEXT:
                raise _refuse(path, f"正文超过 {MAX_TEXT} 个字，不像是一份计划，已拒绝。")
            parts.append(text)
        elif tag == _TAB:
            parts.append(" ")
        elif tag in _BREAKS:
            parts.append("\n")
        elif tag == _NUM_ID:
            num_id = element.get(_VAL)
        elif tag == _LEVEL:
            ilvl = int(element.get(_VAL) or 0)
        elif tag == _STYLE:
            style = element.get(_VAL)
        elif tag == _PARAGRAPH:
            if num_id is None and style in numbering.style_numbers:
                num_id, level = numbering.style_numbers[style]
                ilvl = level if ilvl is None else ilvl
            text = strip_control("".join(parts))
            number = numbering.number(num_id, ilvl or 0) if num_id and text.strip() else ""
            parent = element.getparent()
            if parent is not None and parent.tag == _CELL:
                cells.setdefault(parent, []).append(f"{number}{text}".strip())
            else:
                yield f"{number}{text}"
            parts, num_id, ilvl, style = [], None, None, None
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]  # what iterparse built before this paragraph, let go
        elif tag == _CELL:
            lines = [line for line in cells.pop(element, []) if line]
            rows.setdefault(element.getparent(), []).append(lines)
        elif tag == _ROW:
            lines = _row_lines(rows.pop(element, []))
            table = element.getparent()
            outer = table.getparent() if table is not None else None
            if outer is not None and outer.tag == _CELL:
                cells.setdefault(outer, []).extend(lines)  # a table inside a cell
            else:
                yield from lines
            element.clear()
        elif tag == _RUN:
            element.clear()  # its text is read; the run's children go now


def _row_lines(cells: list[list[str]]) -> list[str]:
    """A table row as lines: one line 3月5日｜学雷锋志愿服务｜团委 when it is a row of a schedule
    (two cells or more with text, one paragraph each); otherwise every paragraph its own line, as
    in a plan laid out inside a one-cell table or a cell holding 1.… 2.… under its month."""
    filled = [lines for lines in cells if lines]
    if len(filled) >= 2 and all(len(lines) == 1 for lines in filled):
        return [CELL_SEPARATOR.join(lines[0] if lines else "" for lines in cells)]
    return [line for lines in cells for line in lines]
