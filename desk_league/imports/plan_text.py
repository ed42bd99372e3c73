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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desk_league.domain.codes import PlanItemKind
from desk_league.domain.text import strip_control, to_half_width
from desk_league.domain.time_words import TimeHint, find_time
from desk_league.errors import ValidationError
from desk_league.imports.encoding import decode_text

_CN = "〇零一二三四五六七八九十百两"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

TITLE_MAX = 40  # a longer heading sentence is cut at a clause boundary, the rest goes to the body
TITLE_HARD_MAX = 300  # the column's size
MAX_TEXT = 2_000_000  # characters: a plan is about 20,000
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
    # 1.9月20日…: a number glued to a date, not a decimal
    _Style("arabic", 3, re.compile(r"(\d{1,3})\s*(?:[、,]|\.(?!\d(?!\d?月)))\s*")),
    _Style("arabic_paren", 4, re.compile(r"\(?(\d{1,3})\)\s*[、,.]?\s*")),  # (1) and 1)
    _Style("circled", 5, re.compile(rf"([{_CIRCLED}])\s*[、,.]?\s*")),
    _Style("letter", 5, re.compile(r"([a-zA-Z])\s*[、.)]\s*(?=[^\sa-zA-Z.])")),  # a. b、 A)
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
    proposed: bool = False  # a task guessed from a sentence of prose, for the clerk to confirm
    time: TimeHint | None = None  # the first time word of its title or text
    key_date_id: int | None = None  # the calendar's key date it points at (``plan_prose``)
    key_date_name: str = ""
    due_date: date | None = None

    @property
    def time_node(self) -> str:
        return self.time.text[:60] if self.time else ""

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
    year: int | None = None  # the year the title names (2027年…工作计划)

    def all_items(self) -> list[ParsedItem]:
        return [node for item in self.items for node in item.walk()]

    def count(self, kind: str) -> int:
        return sum(1 for item in self.all_items() if item.kind == kind)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "year": self.year,
            "approach": self.approach,
            "items": [
                {
                    "level": item.level,
                    "kind": item.kind,
                    "number": item.number,
                    "title": item.title,
                    "body": item.body,
                    "line": item.line,
                    "proposed": item.proposed,
                    "time_node": item.time_node,
                    "key_date": item.key_date_name,
                    "due_date": item.due_date.isoformat() if item.due_date else None,
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


_NUMERAL_IN_NUMBER = re.compile(rf"[{_CN}]+|\d+|[{_CIRCLED}]|[a-zA-Z]")


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
    elif old.isascii():  # a. b. c.
        new = chr(ord("A" if old.isupper() else "a") + (n - 1) % 26)
    else:
        new = int_to_chinese(n)
    return number[: match.start()] + new + number[match.end() :]


def number_style(number: str) -> str:
    """The style name of a written number (一、 → "chinese"), "" if it is none of them."""
    heading = _heading(f"{number}事项") if number else None
    return heading.style if heading else ""


def is_whole_number(number: str) -> bool:
    """Whether ``number`` is one numbering mark and nothing more (一、 yes; 一.一.1 no)."""
    half = to_half_width(number.strip())
    for style in STYLES[:-1]:  # not the bullet
        match = style.pattern.match(half + "事")
        if match and match.end() == len(half):
            return True
    return False


def _value(style: str, numeral: str) -> int | None:
    if style == "bullet" or not numeral:
        return None
    if numeral in _CIRCLED:  # before isdigit(), which is true for ① too
        return _CIRCLED.index(numeral) + 1
    if numeral.isdigit():
        return int(numeral)
    if numeral.isascii() and numeral.isalpha():
        return ord(numeral.lower()) - ord("a") + 1
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
    line = strip_control("".join(c for c in line if c not in _INVISIBLE))
    return line.strip().strip("\u3000").strip()


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
_CLAUSE_END = re.compile(r"[，,；;]|\s+")  # 、 joins a list: cutting there splits a phrase


def cut_at_clause(text: str, limit: int) -> tuple[str, str]:
    """``text`` cut to at most about ``limit`` at a clause boundary (， ； or a space).

    The first boundary is taken, so a heading keeps its whole first clause; with none before
    the hard limit, the cut falls at the last boundary under it, never in the middle of a word
    group when a boundary exists at all.
    """
    if len(text) <= limit:
        return text, ""
    boundaries = [m for m in _CLAUSE_END.finditer(text, 0, TITLE_HARD_MAX + 1) if m.start() >= 2]
    outside = set(_outside_quotes(text, [m.start() for m in boundaries]))
    first = next((m for m in boundaries if m.start() in outside), None)
    if first is None:
        return text[:TITLE_HARD_MAX], text[TITLE_HARD_MAX:]
    return text[: first.start()].rstrip(), text[first.end() :].lstrip()


def only_time(text: str) -> bool:
    """Whether ``text`` is a time word and nothing more (3月, 五四前后, 第二季度)."""
    hint = find_time(text)
    return hint is not None and len(hint.text) >= len(text.strip()) - 1


def _split_title(text: str) -> tuple[str, str, list[str]]:
    """A heading line's text → (title, body, guesses). NUL marks the end of a bold heading."""
    if "\u0000" in text:
        title, body = text.split("\u0000", 1)
        return title.rstrip("。.：:"), body.strip(), []
    match = _SENTENCE_END.search(text)
    if match and match.group() in "：:" and only_time(text[: match.start()]):
        match = _SENTENCE_END.search(text, match.end())  # “3月：学雷锋志愿服务”: one title
    title, body = (text[: match.start()], text[match.end() :]) if match else (text, "")
    guesses = []
    if len(title) > TITLE_MAX:
        title, rest = cut_at_clause(title, TITLE_MAX)
        body = f"{rest}{text[match.start() :] if match else ''}" if rest else body
        guesses.append("标题较长，已在分句处截断，其余放入正文")
    return title.strip(), body.strip(), guesses


# --- the document ------------------------------------------------------------------------------


def parse_plan_text(text: str) -> ParsedPlan:
    """The plan a text describes. Raises ValidationError if no numbered heading is found.

    Text whose line breaks were lost (pasted from a web page or a chat) is first split at its
    numbering, as if the lines were there.
    """
    text = text or ""
    if len(text) > MAX_TEXT:
        raise ValidationError(f"文本超过 {MAX_TEXT} 个字，不像是一份工作计划，未导入。")
    text, restored = restore_lines(text)
    lines = [_clean(line) for line in text.splitlines()]
    if not any(lines):
        raise ValidationError("文本为空：请粘贴或打开工作计划的正文。")
    closing = _closing_start(lines)
    closing_lines = [(n, line) for n, line in enumerate(lines[closing:], closing + 1) if line]
    lines = lines[:closing]
    preamble: list[tuple[int, str]] = []
    roots: list[ParsedItem] = []
    stack: list[tuple[int, ParsedItem]] = []  # (rank, item) from the top level down
    current: ParsedItem | None = None
    label: _TimeLabel | None = None
    for number, line in enumerate(lines, start=1):
        if not line or set(line) <= set("-—*_=·#"):  # blank lines and rules
            continue
        heading = _heading(line) if not _PART_BREAKS.match(line) else None
        if heading is not None and heading.style == "bold" and not roots and not preamble:
            # “**2027年…工作要点** 为……”: the title, marked up, and what follows it
            preamble += [(number, part) for part in heading.text.split("\u0000") if part]
            continue
        if heading is None:
            line = _unmark(line)
            if current is None:
                preamble.append((number, line))
            elif _is_time_label(line, lines[number:]):
                label = _TimeLabel(line)
            else:
                current.body = f"{current.body}\n{line}" if current.body else line
            continue
        current = _add_heading(heading, number, roots, stack)
        label = label.given_to(current, stack[-1][0]) if label else None
    if not roots:
        raise ValidationError(
            "没有识别出任何带编号的标题（如“一、”“（一）”“1、”“第一，”）。"
            "请检查粘贴的是否为工作计划正文；未保存任何内容。"
        )
    title, approach, warnings = _read_preamble(preamble)
    if not approach:
        approach = _approach_section(roots, warnings)
    warnings += [f"第 {n} 行未导入（文末的附件与落款）：{line}" for n, line in closing_lines]
    if restored:
        warnings.insert(0, "原文缺少换行（或带有 Markdown 标记），已按编号分段，请核对")
    _finish(roots, level=1)
    return ParsedPlan(
        title=title, approach=approach, items=roots, warnings=warnings, year=title_year(title)
    )


_TIME_LABEL_MAX = 12  # 3月, 第二季度, 五四前后


def _is_time_label(line: str, below: list[str]) -> bool:
    """A line that is only a time above a list starting again at 1 (a month column's cell, 3月,
    beside 1.…/2.…): it says when the items of that list are done. Above an item that goes on
    counting (1.开展学雷锋 / 3月5日 / 2.召开大会), it is the time of the item above it."""
    if len(line) > _TIME_LABEL_MAX or not only_time(line):
        return False
    heading = _heading(next((other for other in below if other), ""))
    return heading is not None and heading.value == 1


@dataclass
class _TimeLabel:
    """A time line (see ``_is_time_label``), written into the body of the items it heads: those of
    the rank of the first one under it, until an item of a higher rank."""

    text: str
    rank: int | None = None

    def given_to(self, item: ParsedItem, rank: int) -> _TimeLabel | None:
        self.rank = rank if self.rank is None else self.rank
        if rank < self.rank:
            return None
        if rank == self.rank:
            item.body = f"{self.text}\n{item.body}" if item.body else self.text
        return self


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")


_PLAN_WORDS = re.compile(r"计划|要点|安排|打算|思路|方案|规划")


def title_year(title: str) -> int | None:
    """2027年…工作计划 → 2027; 二〇二七年 too; None when the title names no year (20xx年).

    A title naming two years (2026年工作总结及2027年工作计划) means the one its plan is for:
    the year followed by 计划, 要点, 打算 … before the next year.
    """
    half = to_half_width(title)
    years = sorted(
        [(m.start(), m.end(), int(m[1])) for m in _YEAR.finditer(half)]
        + [
            (m.start(), m.end(), int("".join(str(_CN_DIGITS[c]) for c in m[1])))
            for m in _CN_YEAR.finditer(half)
        ]
    )
    if not years:
        return None
    for (_start, end, year), (next_start, _end, _year) in zip(
        years, [*years[1:], (len(half), 0, 0)], strict=True
    ):
        if _PLAN_WORDS.search(half, end, next_start):
            return year
    return years[0][2]


# --- the closing: 附件 and the signature ---------------------------------------------------------

_SIGNED_ON = re.compile(
    r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?"  # 2027年1月8日, or only 2027年1月
    r"|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}"  # 2027.1.8, 2027-01-08
)
_ATTACHMENT = re.compile(r"附\s*件\s*(?:[\d一二三四五六七八九十]*\s*[:：]|\d|$)")
_ATTACHMENT_PAGE = re.compile(r"附\s*件\s*[\d一二三四五六七八九十]*\s*")
CLOSING_MAX_LINES = 12  # an attachment list and a signature; a longer tail is the plan's text
_SIGNATURE_MAX = 40  # 共青团某某医院委员会


def _closing_start(lines: list[str]) -> int:
    """Where the closing of an official document starts (the 附件 list, then the signing unit
    and the date on lines of their own, then perhaps the attachments themselves: 附件1, its
    title, its content), ``len(lines)`` if the text has none.

    It is not part of any heading: left in, the signing date would become the last task's
    time and an attachment's “2.名单” a task.
    """
    filled = [i for i, line in enumerate(lines) if line]
    start = len(lines)
    page = True  # the end of the text, or an attachment's page (附件1) after the signature
    while page:
        page = False
        if filled and _SIGNED_ON.fullmatch(to_half_width(lines[filled[-1]])):
            start = filled.pop()
            if filled and _is_signature(lines[filled[-1]]):
                start = filled.pop()
                # two units signing together; a line of the plan's last section is not one
                if (
                    filled
                    and _is_signature(lines[filled[-1]])
                    and _is_organisation(lines[filled[-1]])
                ):
                    start = filled.pop()
        attachment = _last_attachment(lines, filled[-CLOSING_MAX_LINES:])
        if attachment is not None:
            start = attachment
            del filled[filled.index(attachment) :]
            # 附件1 on its own line heads an attachment's page: above it, the signature (or the
            # page of 附件 before it), and above the signature the 附件：1.… 2.… list
            page = bool(_ATTACHMENT_PAGE.fullmatch(to_half_width(lines[attachment])))
    return start if any(lines[:start]) else len(lines)


def _last_attachment(lines: list[str], tail: list[int]) -> int | None:
    """The last line of ``tail`` starting with 附件 (附件：…, 附件1), not above a line of prose."""
    for index in reversed(tail):
        line = lines[index]
        if len(line) > 2 * _SIGNATURE_MAX:
            return None
        if _ATTACHMENT.match(to_half_width(line)):
            return index
    return None


# How the name of a unit ends: 共青团某某医院委员会, 市卫健委团委, 某某街道社区卫生服务中心, 护理部
_ORGANISATION = re.compile(
    r"^共青团|(?:委员会|团委|团支部|团总支|团工委|党委|党支部|党总支|工委|委|办公室|办"
    r"|医院|卫生院|保健院|中心|站|所|局|厅|政府|街道|社区|学校|学院|大学|中学|小学"
    r"|协会|学会|联合会|工会|公司|集团|部|处|科|室|队|馆)$"
)


def _is_organisation(line: str) -> bool:
    return bool(_ORGANISATION.search(line.strip()))


def _is_signature(line: str) -> bool:
    return (
        len(line) <= _SIGNATURE_MAX
        and not _SENTENCE_END.search(to_half_width(line))
        and _heading(line) is None
    )


# --- text whose line breaks were lost --------------------------------------------------------

_RUN_ON = 120  # a line this long holding two numbered headings lost its line breaks
_MARKER = (
    rf"第[{_CN}]+(?:部分|\s*[，,、:：])"
    rf"|[{_CN}]+、"
    rf"|[（(][{_CN}]+[）)]"
    r"|\d{1,2}(?:、|[.．](?![.．]|\d(?!\d?月)))"
    r"|[（(]\d{1,2}[）)]"
    rf"|[{_CIRCLED}]"
)
_BREAK = re.compile(
    rf"(?:^|(?<=[\s。；;！!？?：:）)】\]]))(?=(?:#{{1,6}}\s*)?(?:\*\*)?\s*(?:{_MARKER}))"
    r"|(?<=\S)(?=#{1,6}\s)"  # a Markdown heading mark run on after text
    r"|(?<=[。；;！!？?：:\s])(?=\*\*[^*\n]{2,40}\*\*)"  # a bold heading after a sentence
)
_MARKDOWN = re.compile(r"\*\*|(?:^|\s)#{1,6}\s")


def restore_lines(text: str) -> tuple[str, bool]:
    """Line breaks put back before the numbers of run-on headings; (text, whether any was)."""
    lines, restored = [], False
    for line in text.splitlines():
        if len(line) < _RUN_ON and not _MARKDOWN.search(line):
            lines.append(line)
            continue
        line = line.strip()
        cuts = list(
            _outside_quotes(
                line,
                [m.start() for m in _BREAK.finditer(line) if m.start() > 0],
            )
        )
        cuts = [cut for cut in cuts if not line[cut].isspace()]
        if len(cuts) < (1 if _MARKDOWN.search(line) else 2):
            lines.append(line)
            continue
        restored = True
        pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
        pieces[-1:] = _run_on_closing(pieces[-1])
        lines += [_break_after_title(piece.strip()) for piece in pieces if piece.strip()]
    return "\n".join(lines), restored


_RUN_ON_ATTACHMENT = re.compile(r"(?<=[。；;！!？?\s])附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]")


def _run_on_closing(piece: str) -> list[str]:
    """The last piece of a run-on text with its closing on lines of their own: “……工作。附件：
    名单 共青团某某委员会 2026年1月15日” → the text, the 附件 line, the unit, the date."""
    tail: list[str] = []
    words = piece.rstrip().rsplit(None, 2)
    if len(words) >= 2 and _SIGNED_ON.fullmatch(to_half_width(words[-1])):
        tail = [words[-1]]
        piece = piece.rstrip()[: -len(words[-1])].rstrip()
        if len(words) == 3 and _is_signature(words[1]):
            tail.insert(0, words[1])
            piece = piece[: -len(words[1])].rstrip()
    attachment = next(reversed(list(_RUN_ON_ATTACHMENT.finditer(piece))), None)  # the last one
    if attachment is not None:
        piece, tail = piece[: attachment.start()].rstrip(), [piece[attachment.start() :], *tail]
    return [piece, *tail] if piece else tail


def _outside_quotes(line: str, positions: list[int]):
    """The ``positions`` (ascending) not inside “…” or 《…》, the line read once along them."""
    counts = dict.fromkeys("“”《》", 0)
    read = 0
    for position in positions:
        for char in line[read:position]:
            if char in counts:
                counts[char] += 1
        read = max(read, position)
        if counts["“"] <= counts["”"] and counts["《"] <= counts["》"]:
            yield position


_SPACE_AFTER_TITLE = re.compile(r"\s+")


def _break_after_title(piece: str) -> str:
    """“一、思想引领 深入开展…”: the space that replaced the line break goes back to a break."""
    heading = _heading(piece.split("\n", 1)[0])
    if heading is None or heading.bold:
        return piece
    start = len(piece) - len(piece.lstrip("#* "))
    text_at = piece.find(heading.text[:4], start) if heading.text else -1
    if text_at < 0:
        return piece
    space = _SPACE_AFTER_TITLE.search(piece, text_at)
    if space is None or space.start() - text_at > TITLE_MAX:
        return piece
    if _SENTENCE_END.search(piece, text_at, space.start()):
        return piece
    return f"{piece[: space.start()]}\n{piece[space.end() :]}"


def _unmark(line: str) -> str:
    """Markdown left in body text: **bold** marks and leading # go."""
    return (
        line.lstrip("#").strip().replace("**", "") if "**" in line or line.startswith("#") else line
    )


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
        title=title.replace("**", "").strip(),
        style=style,
        line=line,
        body=_unmark(body),
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


def _approach_section(roots: list[ParsedItem], warnings: list[str]) -> str:
    """“一、指导思想” with its text and nothing under it: the plan's approach, not a section."""
    for item in roots[:2]:
        if item.children or not item.body or len(roots) < 2:
            continue
        if any(word in item.title for word in APPROACH_WORDS) and len(item.title) <= 12:
            at = roots.index(item)
            roots.remove(item)
            note = f"“{item.number}{item.title}”的正文作为总体思路，不作为板块"
            moved = _close_up(roots[at:], item)
            if moved:
                note += f"；其后的板块编号依次提前（{moved[0]}改为{roots[at].number}……）"
            warnings.append(note)
            return item.body
    return ""


def _close_up(following: list[ParsedItem], removed: ParsedItem) -> list[str]:
    """The items numbered like ``removed`` after it, numbered one less (二、 → 一、) now that it is
    gone; their old numbers."""
    if removed.value is None:
        return []
    old: list[str] = []
    for item in following:
        if item.style == removed.style and item.value is not None and item.value > 1:
            old.append(item.number)
            item.value -= 1
            item.number = renumber(item.number, item.value)
    return old


def _finish(items: list[ParsedItem], level: int) -> None:
    """Levels, and kinds: the top level and anything with sub-items are sections."""
    for item in items:
        item.level = level
        item.kind = PlanItemKind.SECTION if level == 1 or item.children else PlanItemKind.TASK
        _finish(item.children, level + 1)


_DOCUMENT_KIND = re.compile(r"(?:计划|要点|安排|方案|通知|意见|思路|打算|规划)[》”]?$")
TITLE_LINES = 3  # a title broken over more lines than this is not one


def _title_lines(lines: list[tuple[int, str]]) -> int:
    """How many of the first lines make the title: a title broken over lines (“市人民医院团委” /
    “2026年工作计划”) ends at the line that names the document's kind. Only short lines without a
    sentence's punctuation, one right under the other, are joined."""
    if _DOCUMENT_KIND.search(lines[0][1].strip("*# ")):
        return 1
    for count in range(2, min(TITLE_LINES, len(lines)) + 1):
        number, line = lines[count - 1]
        line = line.strip("*# ")
        if (
            number != lines[count - 2][0] + 1
            or len(line) > TITLE_MAX
            or _SENTENCE_END.search(to_half_width(line))
            or any(word in line for word in APPROACH_WORDS)
        ):
            return 1
        if _DOCUMENT_KIND.search(line):
            return count
    return 1


# “关于印发《2027年…工作要点》的通知”: the plan sent out with a notice; its name is the title
_NOTICE = re.compile(r"印\s*发\s*《(?P<name>[^《》]{4,})》\s*的?\s*通\s*知$")


def _read_preamble(lines: list[tuple[int, str]]) -> tuple[str, str, list[str]]:
    """The lines before the first heading → (title, approach, warnings for what was left out).

    A plan sent out with a notice takes the name of the document as its title; the notice's own
    text (主送单位, 现将……印发给你们) is reported, not taken for the approach.
    """
    if not lines:
        return "", "", []
    spanned = _title_lines(lines)
    heading = "".join(line.strip("*# ") for _, line in lines[:spanned])
    warnings = []
    notice = _NOTICE.search(heading)
    if notice:
        title, spill = notice["name"].strip(), ""
        warnings.append(f"标题为印发通知“{heading}”，计划标题取其中的文件名")
    else:
        title, spill = cut_at_clause(heading, TITLE_MAX)
    rest = ([(lines[spanned - 1][0], spill)] if spill else []) + lines[spanned:]
    start = next(
        (i for i, (_, line) in enumerate(rest) if any(word in line for word in APPROACH_WORDS)),
        None,
    )
    if start is None and notice:  # the approach follows the document's name, if it recurs
        again = next(
            (i for i, (_, line) in enumerate(rest) if line.strip("《》*# ") == title), None
        )
        start = len(rest) if again is None else again + 1
    reason = "印发通知的正文" if notice else "标题与总体思路之间的文字"
    if start is None:
        approach_lines, skipped = rest, []
        if rest:
            warnings.append("未找到“总体思路”，标题后的开头文字作为总体思路")
    else:
        approach_lines, skipped = rest[start:], rest[:start]
    for number, line in skipped:
        warnings.append(f"第 {number} 行未导入（{reason}）：{line}")
    approach = "\n".join(line for _, line in approach_lines)
    return title, approach, warnings


# --- files -------------------------------------------------------------------------------------


def read_plan_file(path: str | Path) -> str:
    """The text of a .txt (UTF-8, GBK or UTF-16, as Notepad saves them) or .docx plan file."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"找不到文件：{path}")
    if path.suffix.lower() == ".docx":
        from desk_league.imports.docx_text import docx_text  # it uses this module's numerals

        return docx_text(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT * 4:
            raise ValidationError(f"文件“{path.name}”过大，不像是一份工作计划。")
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取文件 {path.name}：{exc.strerror or exc}") from exc
    return decode_text(data, path.name)
