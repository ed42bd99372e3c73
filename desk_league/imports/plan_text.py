"""Read a plan document pasted as text into a tree of sections and tasks (no database here).

Chinese plans number their headings in a conventional order of rank (GB/T 9704 and common
practice): 第一部分/第一， > 一、 > （一） > 1、/1. > （1） > ①, with bullets (-) below all.
A heading nests under the nearest heading above it of a higher rank, so mixed and skipped
styles still give a sensible tree. Lines without a number belong to the body of the heading
above them; lines before the first heading give the plan's title and 总体思路 (approach).
Whatever is decided by guessing is recorded on the item so the preview can show it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from desk_league.domain.codes import PlanItemKind
from desk_league.domain.text import to_half_width
from desk_league.errors import ValidationError

_CN = "〇零一二三四五六七八九十百两"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

TITLE_MAX = 40  # a longer heading sentence is cut at its first comma, the rest goes to the body
TITLE_HARD_MAX = 300  # the column's size
APPROACH_WORDS = ("总体思路", "指导思想", "总体要求")


@dataclass(frozen=True)
class _Style:
    name: str
    rank: int
    pattern: re.Pattern[str]  # matched on the half-width form of the line; group 1 = the numeral


# Matched against the half-width line, so （一） and (一), 1． and 1., ， and , are the same.
STYLES = [
    _Style("part", 0, re.compile(rf"第([{_CN}]+)(?:部分\s*[,、:.]?|\s*[,、:.])\s*(?=\S)")),
    _Style("chinese", 1, re.compile(rf"([{_CN}]+)\s*[、,.](?!\d)\s*")),
    _Style("chinese_paren", 2, re.compile(rf"\(([{_CN}]+)\)\s*[、,.]?\s*")),
    _Style("arabic", 3, re.compile(r"(\d{1,3})\s*(?:[、,]|\.(?!\d))\s*")),
    _Style("arabic_paren", 4, re.compile(r"\((\d{1,3})\)\s*[、,.]?\s*")),
    _Style("circled", 5, re.compile(rf"([{_CIRCLED}])\s*[、,.]?\s*")),
    _Style("bullet", 6, re.compile(r"[-•·▪●]\s*()(?=\S)")),
]
_STYLE_BY_NAME = {s.name: s for s in STYLES}
_PART_BREAKS = re.compile(r"^第[一二三四五六七八九十]+(?:部分)?$")  # “第一部分” alone on a line


@dataclass
class ParsedItem:
    """One heading of the text with what followed it; ``guesses`` say what was inferred."""

    number: str  # as written: 一、 （一） 1、 第一， ①; "" for bullets and unnumbered headings
    title: str
    style: str
    line: int  # 1-based line of the heading in the text
    body: str = ""
    level: int = 1  # 1 = top level
    kind: str = PlanItemKind.TASK
    guesses: list[str] = field(default_factory=list)
    children: list[ParsedItem] = field(default_factory=list)
    value: int | None = None  # the numeral read as a number (一 → 1), for sequence checks

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedPlan:
    title: str
    approach: str
    items: list[ParsedItem]  # the top level; each carries its children
    warnings: list[str] = field(default_factory=list)  # text not placed in any item, and why

    def all_items(self) -> list[ParsedItem]:
        return [node for item in self.items for node in item.walk()]

    def count(self, kind: str) -> int:
        return sum(1 for item in self.all_items() if item.kind == kind)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "approach": self.approach,
            "items": [
                {
                    "level": item.level,
                    "kind": item.kind,
                    "number": item.number,
                    "title": item.title,
                    "body": item.body,
                    "line": item.line,
                    "guessed": item.guesses,
                }
                for item in self.all_items()
            ],
            "warnings": self.warnings,
        }


# --- numerals ----------------------------------------------------------------------------------


def chinese_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None if it is not a numeral."""
    if not text or any(c not in _CN for c in text):
        return None
    if all(c in _CN_DIGITS for c in text):  # 一〇 style
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, digit = 0, 0
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CN_DIGITS[char]
    return total + digit


def int_to_chinese(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


_NUMERAL_IN_NUMBER = re.compile(rf"[{_CN}]+|\d+|[{_CIRCLED}]")


def renumber(number: str, n: int) -> str:
    """The same numbering style with another value: （一） → （三）, 1、 → 3、, ① → ③."""
    match = _NUMERAL_IN_NUMBER.search(number)
    if match is None:
        return number
    old = match.group()
    if old in _CIRCLED:  # before isdigit(), which is true for ① too
        new = _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"({n})"
    elif old.isdigit():
        new = str(n)
    else:
        new = int_to_chinese(n)
    return number[: match.start()] + new + number[match.end() :]


def number_style(number: str) -> str:
    """The style name of a written number (一、 → "chinese"), "" if it is none of them."""
    heading = _heading(f"{number}事项") if number else None
    return heading.style if heading else ""


def _value(style: str, numeral: str) -> int | None:
    if style == "bullet" or not numeral:
        return None
    if numeral in _CIRCLED:  # before isdigit(), which is true for ① too
        return _CIRCLED.index(numeral) + 1
    if numeral.isdigit():
        return int(numeral)
    return chinese_to_int(numeral)


# --- lines -------------------------------------------------------------------------------------


@dataclass
class _Heading:
    style: str
    number: str
    value: int | None
    text: str  # what follows the number on the line
    bold: bool


def _clean(line: str) -> str:
    return "".join(c for c in line if c not in _INVISIBLE).strip().strip("\u3000").strip()


def _unwrap_bold(line: str) -> tuple[str, str, bool]:
    """``**一、标题**正文`` → ("一、标题", "正文", True); headings of Markdown and WeChat pastes."""
    text = line.lstrip("#").strip() if line.startswith("#") else line
    if text.startswith("**"):
        end = text.find("**", 2)
        if end > 2:
            return text[2:end].strip(), text[end + 2 :].strip(), True
    return text, "", line.startswith("#")


def _heading(line: str) -> _Heading | None:
    inner, after, bold = _unwrap_bold(line)
    half = to_half_width(inner)  # same length as ``inner``: positions carry over
    for style in STYLES:
        match = style.pattern.match(half)
        if match is None:
            continue
        number = inner[: match.end()].strip()
        rest = inner[match.end() :].strip()
        if not rest and not after:
            continue  # a bare “一、” is not a heading
        text = f"{rest}{after}" if not bold or not after else f"{rest}\u0000{after}"
        return _Heading(style.name, number, _value(style.name, match.group(1)), text, bold)
    if bold and inner:
        text = inner if not after else f"{inner}\u0000{after}"
        return _Heading("bold", "", None, text, True)
    return None


_SENTENCE_END = re.compile(r"[。：:；;！!？?]")


def _split_title(text: str) -> tuple[str, str, list[str]]:
    """A heading line's text → (title, body, guesses). NUL marks the end of a bold heading."""
    if "\u0000" in text:
        title, body = text.split("\u0000", 1)
        return title.rstrip("。.：:"), body.strip(), []
    match = _SENTENCE_END.search(text)
    title, body = (text[: match.start()], text[match.end() :]) if match else (text, "")
    guesses = []
    if len(title) > TITLE_MAX:
        comma = re.search(r"[，,]", title)
        if comma:
            body = text[comma.end() :]
            title = title[: comma.start()]
            guesses.append("标题较长，已在第一个逗号处截断，其余放入正文")
    if len(title) > TITLE_HARD_MAX:
        body = text[TITLE_HARD_MAX:]
        title = title[:TITLE_HARD_MAX]
        guesses.append(f"标题超过 {TITLE_HARD_MAX} 字，其余放入正文")
    return title.strip(), body.strip(), guesses


# --- the document ------------------------------------------------------------------------------


def parse_plan_text(text: str) -> ParsedPlan:
    """The plan a text describes. Raises ValidationError if no numbered heading is found."""
    lines = [_clean(line) for line in (text or "").splitlines()]
    if not any(lines):
        raise ValidationError("文本为空：请粘贴或打开工作计划的正文。")
    preamble: list[tuple[int, str]] = []
    roots: list[ParsedItem] = []
    stack: list[tuple[int, ParsedItem]] = []  # (rank, item) from the top level down
    current: ParsedItem | None = None
    for number, line in enumerate(lines, start=1):
        if not line or set(line) <= set("-—*_=·"):  # blank lines and rules
            continue
        heading = _heading(line) if not _PART_BREAKS.match(line) else None
        if heading is None:
            if current is None:
                preamble.append((number, line))
            else:
                current.body = f"{current.body}\n{line}" if current.body else line
            continue
        current = _add_heading(heading, number, roots, stack)
    if not roots:
        raise ValidationError(
            "没有识别出任何带编号的标题（如“一、”“（一）”“1、”“第一，”）。"
            "请检查粘贴的是否为工作计划正文；未保存任何内容。"
        )
    title, approach, warnings = _read_preamble(preamble)
    _finish(roots, level=1)
    return ParsedPlan(title=title, approach=approach, items=roots, warnings=warnings)


def _add_heading(
    heading: _Heading, line: int, roots: list[ParsedItem], stack: list[tuple[int, ParsedItem]]
) -> ParsedItem:
    title, body, guesses = _split_title(heading.text)
    style = heading.style
    rank = _STYLE_BY_NAME[style].rank if style in _STYLE_BY_NAME else 1
    if style == "bold":
        guesses.append("加粗标题没有编号，按板块处理")
    elif style == "bullet":
        guesses.append("“-”开头的条目，作为上一标题下的事项")
    if style == "part" and roots and any(item.style != "part" for item in roots):
        guesses.append("“第X”式编号与“一、”等并列，放在最上层")
    item = ParsedItem(
        number=heading.number,
        title=title,
        style=style,
        line=line,
        body=body,
        guesses=guesses,
        value=heading.value,
    )
    while stack and stack[-1][0] >= rank:
        stack.pop()
    siblings = stack[-1][1].children if stack else roots
    _check_sequence(item, siblings)
    siblings.append(item)
    stack.append((rank, item))
    return item


def _check_sequence(item: ParsedItem, siblings: list[ParsedItem]) -> None:
    if item.value is None:
        return
    previous = next((s for s in reversed(siblings) if s.style == item.style), None)
    expected = previous.value + 1 if previous and previous.value is not None else 1
    if item.value != expected:
        after = f"，前一项为“{previous.number}”" if previous else ""
        item.guesses.append(f"编号不连续{after}")


def _finish(items: list[ParsedItem], level: int) -> None:
    """Levels, and kinds: the top level and anything with sub-items are sections."""
    for item in items:
        item.level = level
        item.kind = PlanItemKind.SECTION if level == 1 or item.children else PlanItemKind.TASK
        _finish(item.children, level + 1)


def _read_preamble(lines: list[tuple[int, str]]) -> tuple[str, str, list[str]]:
    """The lines before the first heading → (title, approach, warnings for what was left out)."""
    if not lines:
        return "", "", []
    title = lines[0][1].strip("*# ")
    rest = lines[1:]
    start = next(
        (i for i, (_, line) in enumerate(rest) if any(word in line for word in APPROACH_WORDS)),
        None,
    )
    warnings = []
    if start is None:
        approach_lines, skipped = rest, []
        if rest:
            warnings.append("未找到“总体思路”，标题后的开头文字作为总体思路")
    else:
        approach_lines, skipped = rest[start:], rest[:start]
    for number, line in skipped:
        warnings.append(f"第 {number} 行未导入（标题与总体思路之间的文字）：{line}")
    approach = "\n".join(line for _, line in approach_lines)
    return title, approach, warnings


# --- files -------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_plan_file(path: str | Path) -> str:
    """The text of a .txt (UTF-8 or GBK) or .docx plan file."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".docx":
            return _docx_text(path)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError(f"找不到文件：{path}") from exc
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise ValidationError(f"无法读取文件 {path.name}：{exc}") from exc
    for encoding in ("utf-8-sig", "gb18030"):  # Windows Notepad saves GBK by default
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(f"无法识别文件 {path.name} 的文字编码，请另存为 UTF-8 文本后再导入。")


def _docx_text(path: Path) -> str:
    """Paragraph texts of a Word file (automatic list numbers are not in the text: type them)."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{_W}t")))
    return "\n".join(paragraphs)
