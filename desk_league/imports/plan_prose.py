"""From a plan's structure to tasks the office can act on: prose split into proposed tasks, time
words read, key dates found.

Many plans state their duties as prose under a numbered section (“3.5前后开展……；植树节期间……；
九九老人节期间……”). ``read_plan_text`` parses the text (``plan_text``), then proposes one task per
sentence that states an action (开展, 组织, 举办 …), each marked ``proposed`` so the preview shows
it as a guess the clerk accepts, merges or drops; the section keeps its text. Every item's first
time word fills its 时间节点; ``resolve_dates`` links it to the calendar's key date and proposes a
due date in the plan's year. No database here: the key dates are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desk_league.domain.codes import PlanItemKind
from desk_league.domain.lunar import resolve_key_date
from desk_league.domain.text import to_half_width
from desk_league.domain.time_words import TimeHint, find_time
from desk_league.errors import ValidationError
from desk_league.imports.plan_text import (
    ParsedItem,
    ParsedPlan,
    chinese_to_int,
    cut_at_clause,
    is_whole_number,
    only_time,
    parse_plan_text,
    renumber,
)

PROPOSED_TITLE_MAX = 60
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PROPOSED_NOTE = "由正文句子拆出（推测）"

# Verbs that make a sentence a task. 组织 only as a verb: not 团组织, 组织建设.
ACTION = re.compile(
    r"开展|举办|举行|召开|评选|评比|成立|推荐|推选|举荐|选树|选拔|表彰|参加|参与|启动|实施|设立"
    r"|征集|承办|申报|慰问|走访|宣讲|培训|换届|收缴"
    r"|完成(?=[^，,。；;！!？?]{2})"  # 完成团员评议, not “4月底前完成”
    r"|(?<![团党])组织(?!建设|生活|关系|部|架构|机构|者|力|化|的|体系|覆盖|格局|优势)"
)
_SENTENCE = re.compile(r"[。！!？?；;\n]")
_CLAUSE = re.compile(r"[，,：:]")
_OPEN, _CLOSE = "“《（(「", "”》）)」"
# “在植树节期间，” / “3.5前后，”: a time phrase before the action, dropped from the title
_LEADING_TIME = re.compile(
    r"^(?:(?:在|于|每逢|利用)[^，,。]{0,24}?(?:期间|前后|之际|前夕|当天)[，,]?"
    r"|[^，,。]{0,24}?(?:期间|前后|之际|前夕|当天)[，,])"
)
# clauses that say how or why, not what: 以…为契机, 通过…, 把…作为…
_MEANS = re.compile(
    r"^(?:以|通过|借助|依托|结合|围绕|按照|根据|把)|为(?:契机|载体|抓手|重点|依据)$"
)
# “一是……；二是……”, “其一，……”: duties counted in prose
_ENUMERATOR = re.compile(
    r"(?:(?P<cn>[一二三四五六七八九十]{1,2})是|其(?P<qi>[一二三四五六七八九十]{1,2})"
    rf"|[（(](?P<ar>\d{{1,2}})[）)]|(?P<ci>[{_CIRCLED}]))[，,、：:.．]?"
)  # “一是……；二是……”, “其一，……”, “（1）……（2）……”, “①……②……”: duties counted in prose
_COUNT_AFTER = "，,。；;：:、 \t\u3000"  # a count mark starts the text or follows one of these
# the next rank's number for tasks under a section of each style, as the plan tab numbers them
_CHILD_NUMBER = {"part": "一、", "chinese": "1、", "chinese_paren": "1、", "arabic": "（1）"}


@dataclass(frozen=True)
class KeyDateRule:
    """A key date of the calendar, as the plan import needs it."""

    id: int
    name: str
    calendar: str
    month: int
    day: int


def read_plan_text(text: str) -> ParsedPlan:
    """The plan a text describes, with proposed tasks and time words (see the module doc)."""
    plan = parse_plan_text(text)
    if not propose_tasks(plan):
        _gather_listed_duties(plan)
    for item in plan.all_items():
        if item.time is None:  # a section's text speaks of many days: only its title counts
            text = item.title if item.kind == PlanItemKind.SECTION else f"{item.title}。{item.body}"
            item.time = find_time(text)
    return plan


# --- prose into proposed tasks ---------------------------------------------------------------


LISTED_DUTIES = "主要工作"
LISTED_NOTE = "原文只有一层编号，各条都是要做的事：放在“主要工作”板块下作为任务（可改名）"


def _gather_listed_duties(plan: ParsedPlan) -> None:
    """A plan written as one numbered list of things to do (1、召开团员大会 2、开展学雷锋……)
    has no section above them; the plan tab keeps tasks under sections, so they go under one,
    as tasks, rather than each becoming a section with nothing to do in it. A list of topics
    (1、思想引领 2、组织建设) stays a list of sections."""
    items = plan.items
    if len(items) < 2 or any(item.children for item in items):
        return
    acting = sum(1 for item in items if ACTION.search(_unquoted(item.title)))
    if acting * 3 < len(items) * 2:  # two in three state an action, at the least
        return
    section = ParsedItem(
        number="一、",
        title=LISTED_DUTIES,
        style="chinese",
        line=items[0].line,
        level=1,
        kind=PlanItemKind.SECTION,
        guesses=[LISTED_NOTE],
        value=1,
        children=list(items),
    )
    for item in items:
        item.level, item.kind = 2, PlanItemKind.TASK
    plan.items = [section]


def _split_outside_quotes(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split at ``pattern`` except inside quotes and brackets, or between digits (12。5)."""
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and pattern.match(char):
            if text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit():
                continue
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def sentences(text: str) -> list[str]:
    return _split_outside_quotes(text, _SENTENCE)


def _action_title(sentence: str) -> str | None:
    """The clause of ``sentence`` that states its action, without a leading time phrase."""
    clauses = _split_outside_quotes(sentence, _CLAUSE)
    acting = [c for c in clauses if ACTION.search(_unquoted(c))]
    if not acting:
        return None
    clause = next(
        (c for c in acting if not _LEADING_TIME.match(c) and not _MEANS.search(c)),
        next((c for c in acting if not _LEADING_TIME.match(c)), acting[0]),
    )
    stripped = _LEADING_TIME.sub("", clause).strip()
    if len(stripped) >= 4 and ACTION.search(_unquoted(stripped)):
        clause = stripped
    clause = re.sub(r"^(?:此外|另外|同时|并且|并)[，,]?", "", clause).strip()
    counted = _ENUMERATOR.match(clause)
    clause = clause[counted.end() :].strip() if counted else clause
    title, _rest = cut_at_clause(clause, PROPOSED_TITLE_MAX)
    return title.rstrip("，,；;。")


_CELLS = re.compile(r"\s*[｜|\t]\s*")  # a table's row: Word's cells (docx_text) or a paste's tabs


def _row_title(line: str) -> str | None:
    """A schedule table's row (1｜3月5日｜学雷锋志愿服务｜团委): its cell saying what is done (with
    an action verb, else the first that is not the time, the row's number or a mark), when one
    cell is only a time; None for other lines and the header row."""
    cells = [cell for cell in _CELLS.split(line) if cell]
    if len(cells) < 2 or not any(only_time(cell) for cell in cells):
        return None
    candidates = [cell for cell in cells if not only_time(cell) and not _row_number(cell)]
    title = next(
        (cell for cell in candidates if ACTION.search(_unquoted(cell))),
        candidates[0] if candidates else None,
    )
    return cut_at_clause(title, PROPOSED_TITLE_MAX)[0] if title else None


def _row_number(cell: str) -> bool:
    """A 序号 cell (1, 12, 1., （1）, ①) or one too short to name a task (√, 是)."""
    cell = to_half_width(cell.strip())
    return len(cell) < 2 or cell.isdigit() or is_whole_number(cell)


def _unquoted(text: str) -> str:
    """The text outside quotes: 开展 inside a slogan's name does not make an action."""
    out, depth = [], 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(char)
    return "".join(out)


def enumerated(text: str) -> list[str]:
    """The duties of a text that counts them (一是……，二是……；三是……, （1）……（2）……), or []."""
    marks: list[int] = []
    kind, expected = "", 1
    depth, read = 0, 0  # quotes open before ``read``, counted once along the text
    for match in _ENUMERATOR.finditer(text):
        start = match.start()
        depth, read = _depth(text, read, start, depth), start
        if depth or start > 0 and text[start - 1] not in _COUNT_AFTER:
            continue
        mark_kind = next(name for name in ("cn", "qi", "ar", "ci") if match[name])
        numeral = match[mark_kind]
        value = (
            _CIRCLED.index(numeral) + 1
            if mark_kind == "ci"
            else int(numeral)
            if mark_kind == "ar"
            else chinese_to_int(numeral)
        )
        if value == expected and kind in ("", mark_kind):
            marks.append(start)
            kind, expected = mark_kind, expected + 1
    if len(marks) < 2:
        return []
    ends = [*marks[1:], len(text)]
    pieces = [text[a:b].strip().rstrip("，,；;") for a, b in zip(marks, ends, strict=True)]
    last = sentences(pieces[-1])  # the last duty ends with its sentence
    return [*pieces[:-1], last[0]] if last else pieces[:-1]


def _depth(text: str, start: int, end: int, depth: int) -> int:
    """How many quotes or brackets are open at ``end``, ``depth`` of them being open at ``start``."""
    for char in text[start:end]:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
    return depth


def propose_tasks(plan: ParsedPlan) -> int:
    """Give each section written as prose one proposed task per action sentence, and each item
    that counts its duties (一是……二是……) one per duty."""
    added = 0
    for item in list(plan.all_items()):
        if item.children or not item.body:
            continue
        counted = enumerated(item.body)
        if item.kind != PlanItemKind.SECTION and not counted:
            continue
        proposals = [
            _proposed(item, sentence, title)
            for sentence in counted or sentences(item.body)
            if (title := _row_title(sentence) or _action_title(sentence)) is not None
        ]
        if item.kind != PlanItemKind.SECTION:
            if len(proposals) < 2:
                continue
            item.kind = PlanItemKind.SECTION  # a task counting its duties is a section of them
        for n, proposal in enumerate(proposals, start=1):
            proposal.number = renumber(_CHILD_NUMBER.get(item.style, "1、"), n)
        item.children = proposals
        added += len(proposals)
    return added


def _proposed(item: ParsedItem, sentence: str, title: str) -> ParsedItem:
    return ParsedItem(
        number="",
        title=title,
        style="proposed",
        line=item.line,
        body=sentence if sentence.rstrip("。；;") != title else "",
        level=item.level + 1,
        kind=PlanItemKind.TASK,
        guesses=[PROPOSED_NOTE],
        proposed=True,
        time=find_time(sentence),
    )


# --- the clerk's choices in the preview -------------------------------------------------------


def _parent_of(plan: ParsedPlan, item: ParsedItem) -> list[ParsedItem]:
    if item in plan.items:
        return plan.items
    for node in plan.all_items():
        if item in node.children:
            return node.children
    raise ValueError("item not in plan")


def accept_proposed(item: ParsedItem) -> None:
    """The clerk agrees: a task like any other."""
    item.proposed = False
    item.guesses = [g for g in item.guesses if g != PROPOSED_NOTE]


def drop_proposed(plan: ParsedPlan, item: ParsedItem) -> None:
    """Not a task after all: its sentence stays in the section's text, where it came from."""
    if not item.proposed:
        raise ValidationError("只有由正文拆出的（推测）事项可以不拆出。")
    siblings = _parent_of(plan, item)
    siblings.remove(item)
    parent = next((node for node in plan.all_items() if node.children is siblings), None)
    if parent is not None and not parent.children and parent.level > 1:
        parent.kind = PlanItemKind.TASK  # its duties were counted in prose: a task again


def merge_into_previous(plan: ParsedPlan, item: ParsedItem) -> ParsedItem:
    """Two sentences describe one task: this one joins the task above it."""
    siblings = _parent_of(plan, item)
    index = siblings.index(item)
    if index == 0:
        raise ValidationError("这是第一项，上面没有可以并入的事项。")
    previous = siblings[index - 1]
    text = item.body or item.title
    previous.body = f"{previous.body}\n{text}" if previous.body else text
    previous.time = previous.time or item.time
    previous.key_date_id = previous.key_date_id or item.key_date_id
    previous.key_date_name = previous.key_date_name or item.key_date_name
    previous.due_date = previous.due_date or item.due_date
    siblings.remove(item)
    return previous


# --- key dates and due dates ------------------------------------------------------------------


def match_key_date(hint: TimeHint, rules: Iterable[KeyDateRule]) -> KeyDateRule | None:
    """The key date a time word names: the same day of the same calendar, or the same name."""
    rules = list(rules)
    if hint.is_key_day and hint.has_day:
        for rule in rules:
            if (rule.calendar, rule.month, rule.day) == (hint.calendar, hint.month, hint.day):
                return rule
    if hint.name:
        return next((r for r in rules if hint.name in r.name or r.name in hint.name), None)
    return None


def resolve_dates(plan: ParsedPlan, rules: Iterable[KeyDateRule], year: int) -> None:
    """Link each item's time word to its key date and propose the due date in ``year``."""
    rules = list(rules)
    for item in plan.all_items():
        hint = item.time
        item.key_date_id, item.key_date_name, item.due_date = None, "", None
        if hint is None or hint.month is None or hint.day is None:
            continue
        rule = match_key_date(hint, rules) if hint.is_key_day else None
        if rule is not None:
            item.key_date_id, item.key_date_name = rule.id, rule.name
            item.due_date = _day(year, rule.calendar, rule.month, rule.day)
        else:
            item.due_date = _day(year, hint.calendar, hint.month, hint.day)


def _day(year: int, calendar: str, month: int, day: int) -> date | None:
    try:
        return resolve_key_date(year, calendar, month, day)
    except ValidationError:
        return None
