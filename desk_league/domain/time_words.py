"""Time words in a plan's sentences: 3月5日, 3.5前后, 五四前后, 植树节期间, 重阳节, 上半年, 全年 …

``find_time`` reads the first time expression of a text and says what it means: the words as
written (the task's 时间节点), the day it points at (solar, or lunar for 重阳 and 春节) to propose
a due date and find the key date, or the end of the period (上半年 → 30 June). Pure rules, no I/O:
the calendar service turns a day into a date of a given year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desk_league.domain.codes import CalendarKind
from desk_league.domain.text import to_half_width

SOLAR, LUNAR = CalendarKind.SOLAR, CalendarKind.LUNAR


@dataclass(frozen=True)
class TimeHint:
    text: str  # as written, with its 前后/期间: the task's 时间节点
    calendar: str = SOLAR
    month: int | None = None
    day: int | None = None
    is_key_day: bool = False  # a named day (节日 or m.d), to be linked to the calendar's key date
    name: str = ""  # the festival named, e.g. 植树节

    @property
    def has_day(self) -> bool:
        return self.month is not None and self.day is not None


# Named days: (names as written, calendar, month, day). Names are matched longest first.
FESTIVALS: tuple[tuple[tuple[str, ...], str, int, int], ...] = (
    (("元旦",), SOLAR, 1, 1),
    (("春节", "新春"), LUNAR, 1, 1),
    (("元宵节", "元宵"), LUNAR, 1, 15),
    (("学雷锋纪念日", "学雷锋日", "雷锋日", "青年志愿者服务日", "学雷锋"), SOLAR, 3, 5),
    (("三八妇女节", "妇女节", "三八"), SOLAR, 3, 8),
    (("植树节",), SOLAR, 3, 12),
    (("世界卫生日",), SOLAR, 4, 7),
    (("劳动节", "五一"), SOLAR, 5, 1),
    (("五四青年节", "青年节", "五四"), SOLAR, 5, 4),
    (("国际护士节", "护士节"), SOLAR, 5, 12),
    (("儿童节", "六一"), SOLAR, 6, 1),
    (("端午节", "端午"), LUNAR, 5, 5),
    (("世界献血者日", "献血者日"), SOLAR, 6, 14),
    (("建党节", "七一"), SOLAR, 7, 1),
    (("建军节", "八一"), SOLAR, 8, 1),
    (("中国医师节", "医师节"), SOLAR, 8, 19),
    (("教师节",), SOLAR, 9, 10),
    (("中秋节", "中秋"), LUNAR, 8, 15),
    (("国庆节", "国庆", "十一"), SOLAR, 10, 1),
    (
        ("九九重阳节", "九九老人节", "九月初九", "重阳节", "重阳", "老人节", "老年节", "敬老节"),
        LUNAR,
        9,
        9,
    ),
    (("国家宪法日", "宪法日"), SOLAR, 12, 4),
    (("国际志愿者日",), SOLAR, 12, 5),
)
_FESTIVAL = {name: (cal, m, d) for names, cal, m, d in FESTIVALS for name in names}
# Named days with no fixed month and day in either calendar (a solar term, the Nth Sunday):
# they fill 时间节点 but propose no date
MOVABLE_DAYS = ("清明节", "清明", "母亲节", "父亲节")
# Short names that also appear in honours and slogans: 五四红旗团委 is not a date.
_NOT_A_DAY = re.compile(
    r"五四(红旗|奖章|精神|运动)|十一(五|届|次|项|个|人|月|时)|五一(劳动奖)|三八(红旗)"
)
# 前, 后, 中 alone only where the time phrase ends (a stop, a space, the end, or what is done
# then: 五四前开展, 12月5日后，): otherwise they begin the next word (中午, 中秋节, 前往, 后勤)
_AFTER_TIME = (
    r"(?=[\s，,。.；;：:、！!？?）)”\"'】]|$"
    r"|开展|举办|举行|召开|组织|完成|报送|上报|提交|启动|实施|评选|评比|表彰|慰问|走访|参加|参与"
    r"|做好|进行|推荐|申报|征集|发放|部署|落实|制定|集中|统一|深入|积极|认真|及时|按时|全面"
    r"|期间|之际|当天)"
)
_AROUND = rf"(?:前后|期间|前夕|之际|当天|左右|(?:前|后|中){_AFTER_TIME})?"
_NAMES = "|".join(sorted(map(re.escape, _FESTIVAL), key=len, reverse=True))
_FESTIVAL_WORD = re.compile(rf"[“\"']?({_NAMES})[”\"']?{_AROUND}")
# 清明 alone is a word too (政治清明, 风清气正、政治清明): the day only at a clause's start (清明，…;
# 在清明…) or before a word of the day (清明前后, 清明期间, 清明假期, 清明祭英烈, 清明时节)
_WORD_OF_DAY = {
    "清明": r"(?:(?<![^\s，,。；;：:、“”\"'（(《在于逢])|(?=清明(?:前|后|期间|之际|当天|假期|节|祭|时节)))清明"
}
_MOVABLE_WORD = re.compile(
    rf"[“\"']?({'|'.join(_WORD_OF_DAY.get(day, day) for day in MOVABLE_DAYS)})[”\"']?{_AROUND}"
)

_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MONTHS |= {"十": 10, "十一": 11, "十二": 12}
_FULL_DATE = re.compile(r"(?:(?:19|20)\d\d)[年./-](\d{1,2})[月./-](\d{1,2})日?" + _AROUND)
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]" + _AROUND)
# 3.5前后, “12.5国际志愿者日”, “5·12”: a month.day written with a dot, never a decimal (2.5小时)
_DOTTED = re.compile(
    r"(?<![\d.])(\d{1,2})[.．。·•・](\d{1,2})(?![\d.%月])(?!\s*(?:小时|个|万|元|亿|倍|分|次|人|米|公里|天|周|年))"
    r"[”\"']?((?:[^\s，,。；;：:、“”\"']{0,10}?(?:日|节))?[”\"']?" + _AROUND + ")"
)
_MONTH = re.compile(
    r"(\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:份)?(上旬|中旬|下旬|底|末|初|前|中)?"
)
# (pattern, first month, its last month and day): the hint points at the end of the period
_PERIODS = (
    (re.compile(r"上半年"), 1, 6, 30),
    (re.compile(r"下半年"), 7, 12, 31),
    (re.compile(r"(?:第)?[一1]季度"), 1, 3, 31),
    (re.compile(r"(?:第)?[二2]季度"), 4, 6, 30),
    (re.compile(r"(?:第)?[三3]季度"), 7, 9, 30),
    (re.compile(r"(?:第)?[四4]季度"), 10, 12, 31),
    (re.compile(r"年底|年末|年终|全年|全年度|年内|常年|年度内"), 1, 12, 31),
)
_PART_START = {"中旬": 11, "下旬": 21}
_DIGIT_STOP = re.compile(r"(\d)[。．](\d)")
_MONTH_END = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29: a day every February has


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _MONTH_END[month - 1]


def find_time(text: str) -> TimeHint | None:
    """The first time expression in ``text``: a day, a named day or a period; None if none."""
    half = to_half_width(text)  # same length as text: positions carry over
    found: list[tuple[int, TimeHint]] = []
    for match in _FULL_DATE.finditer(half):
        month, day = int(match[1]), int(match[2])
        if _valid(month, day):
            found.append((match.start(), _hint(text, match, SOLAR, month, day, key=False)))
    for match in _MONTH_DAY.finditer(half):
        month, day = int(match[1]), int(match[2])
        if _valid(month, day) and not _inside(found, match.start()):
            found.append((match.start(), _hint(text, match, SOLAR, month, day, key=True)))
    for match in _DOTTED.finditer(half):
        month, day = int(match[1]), int(match[2])
        if _valid(month, day) and not _inside(found, match.start()):
            found.append((match.start(), _hint(text, match, SOLAR, month, day, key=True)))
    for match in _FESTIVAL_WORD.finditer(half):
        if _NOT_A_DAY.match(half, match.start(1)) or _inside(found, match.start()):
            continue
        calendar, month, day = _FESTIVAL[match[1]]
        hint = _hint(text, match, calendar, month, day, key=True)
        found.append((match.start(), TimeHint(**{**vars(hint), "name": match[1]})))
    for match in _MOVABLE_WORD.finditer(half):
        if not _inside(found, match.start()):
            written = _quoted(text[match.start() : match.end()].strip("“”\"'"))
            found.append((match.start(), TimeHint(written, name=match[1])))
    earliest = min(found, key=lambda f: f[0]) if found else None
    period = _period(text, half)
    if period is None or (earliest is not None and earliest[0] <= period[0]):
        return earliest[1] if earliest else None
    # 3月中旬……；五四前后……: the one written first, unless the day falls in the period (全年……
    # 五四前后……, 3月：学雷锋……), which it states more precisely
    _where, hint, first = period
    if (
        earliest is not None
        and earliest[1].has_day
        and first
        <= _approximate(earliest[1])
        <= (
            hint.month,
            hint.day,
        )
    ):
        return earliest[1]
    return hint


def _approximate(hint: TimeHint) -> tuple[int, int]:
    """The solar month and day of a day, lunar ones about a month on (重阳 9/9 → October)."""
    assert hint.month is not None and hint.day is not None
    if hint.calendar == LUNAR:
        return (hint.month % 12 + 1, hint.day)
    return (hint.month, hint.day)


def _inside(found: list[tuple[int, TimeHint]], position: int) -> bool:
    return any(start <= position < start + len(hint.text) for start, hint in found)


def _hint(
    text: str, match: re.Match, calendar: str, month: int, day: int, *, key: bool
) -> TimeHint:
    written = text[match.start() : match.end()].strip("“”\"'")
    written = _DIGIT_STOP.sub(r"\1.\2", written)  # “12。5” as a pasted text writes 12.5
    return TimeHint(_quoted(written), calendar, month, day, is_key_day=key)


def _quoted(text: str) -> str:
    """“3.5青年志愿者服务日”前后 keeps its quotes only when both are there."""
    return text.replace("“", "").replace("”", "") if text.count("“") != text.count("”") else text


def _period(text: str, half: str) -> tuple[int, TimeHint, tuple[int, int]] | None:
    """The first period in ``text``: (where, the hint at its end, its first month and day)."""
    best: tuple[int, TimeHint, tuple[int, int]] | None = None
    for pattern, first, month, day in _PERIODS:
        match = pattern.search(half)
        if match and (best is None or match.start() < best[0]):
            hint = TimeHint(text[match.start() : match.end()], SOLAR, month, day)
            best = (match.start(), hint, (first, 1))
    month_match = _MONTH.search(half)
    if month_match and (best is None or month_match.start() < best[0]):
        raw = month_match[1]
        month = int(raw) if raw.isdigit() else _CN_MONTHS.get(raw, 0)
        if 1 <= month <= 12:
            part = month_match[2] or ""
            day = {"上旬": 10, "中旬": 20, "初": 10}.get(part, _MONTH_END[month - 1])
            if month == 2 and day > 28:
                day = 28
            best = (
                month_match.start(),
                TimeHint(text[month_match.start() : month_match.end()], SOLAR, month, day),
                (month, _PART_START.get(part, 1)),
            )
    return best
