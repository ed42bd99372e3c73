"""Reading a roster sheet: which column is which, which rows are people, what is wrong with each.

Pure functions over cell values (see ``table.read_table``): no database. A roster kind
(volunteers, service hours, 团员, 团干部, the organisation list) is declared by its columns and one row check
(``RosterKind``); everything else is shared: finding the header, skipping the title, subtitle and
footer rows offices put around a table (合计, 填表人/审核人, 说明, a date, a group heading), IDs
that were masked or typed twice, and every problem as a ``RowError`` naming the row, the column,
the person and how to fix it. The services decide about the database side (units, people
already on file).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from desk_league.domain.codes import (
    Code,
    Education,
    LeaguePostKind,
    MemberStatus,
    OrgKind,
    PoliticalStatus,
    VolunteerStatus,
)
from desk_league.domain.dates import parse_date, parse_year_month
from desk_league.domain.ethnicity import parse_ethnicity
from desk_league.domain.gender import GENDER_PROBLEM, read_gender
from desk_league.domain.id_number import (
    ID_TYPES,
    RESIDENT_ID,
    check_id_matches,
    mask_id_number,
    normalize_id_number,
    parse_id_number,
    validate_id,
)
from desk_league.domain.league import check_join_age
from desk_league.domain.phone import validate_phone
from desk_league.domain.stars import validate_hours
from desk_league.domain.text import remove_spaces, to_half_width
from desk_league.domain.volunteering import (
    GUARDIAN_FIELD,
    check_daily_hours,
    check_guardian_consent,
    check_registration_age,
    check_service_date,
)
from desk_league.errors import ValidationError
from desk_league.imports.sheet import HEADER_SEARCH_ROWS, SheetRows, is_blank, is_blank_row

Day = date  # the type, where a method of ``_Row`` is called ``date``
NUMERIC_ID = "身份证号被Excel当成了数字"
NUMERIC_ID_FIX = "把该列设为“文本”格式后重新输入身份证号"
MASKED_ID = "身份证号已打码（中间是 *），无法确认是谁"
QUOTES = "'‘’`\"“”"  # put around an ID by systems and clerks to keep Excel from making it a number
MASKED_ID_FIX = "请用带完整身份证号的名册导入（本软件导出花名册时选“显示完整身份证号”）"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    title: str  # what the wizard calls it
    aliases: tuple[str, ...]  # headers that mean this field (normalised, see ``_norm``)
    required: bool = False


ID_ALIASES = ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "证件号")
NUMBER_ALIASES = ("志愿者编号", "志愿者证号", "编号")
POLITICAL_ALIASES = ("政治面貌", "政治身份")

VOLUNTEER_FIELDS = (
    FieldSpec("name", "姓名", ("姓名", "名字", "志愿者姓名"), required=True),
    FieldSpec("gender", "性别", ("性别",)),
    FieldSpec("id_type", "证件类型", ("证件类型", "证件种类")),
    FieldSpec("id_number", "身份证号", ID_ALIASES, required=True),
    FieldSpec("birth_date", "出生日期", ("出生日期", "出生年月", "出生年月日")),
    FieldSpec("phone", "联系电话", ("联系电话", "手机", "手机号", "手机号码", "电话", "联系方式")),
    FieldSpec("unit", "单位", ("单位", "工作单位", "所在单位", "单位名称")),
    FieldSpec("department", "科室", ("科室", "部门", "所在科室")),
    FieldSpec("political_status", "政治面貌", POLITICAL_ALIASES),
    FieldSpec("team", "服务队", ("服务队", "志愿服务队", "所属服务队", "服务队伍")),
    FieldSpec("skills", "特长", ("特长", "技能", "专业特长", "服务特长")),
    FieldSpec("registered_on", "注册日期", ("注册日期", "注册时间", "加入日期")),
    FieldSpec("number", "志愿者编号", NUMBER_ALIASES),
    FieldSpec("status", "状态", ("状态", "志愿者状态", "注册状态", "在册状态")),
    FieldSpec(
        "guardian_consent",
        GUARDIAN_FIELD,
        (GUARDIAN_FIELD, "监护人是否同意", "家长同意", "监护人同意书"),
    ),
    FieldSpec("note", "备注", ("备注",)),
)
YES_WORDS = ("是", "有", "同意", "已同意", "√", "✓", "y", "yes", "1", "true")
NO_WORDS = ("否", "无", "不同意", "未同意", "×", "n", "no", "0", "false")
GUARDIAN_FIX = "取得监护人书面同意后，在“监护人同意”列填“是”"

SERVICE_FIELDS = (
    FieldSpec("number", "志愿者编号", NUMBER_ALIASES),
    FieldSpec("id_number", "身份证号", ID_ALIASES),
    FieldSpec("name", "姓名", ("姓名", "志愿者姓名")),
    FieldSpec("served_on", "服务日期", ("服务日期", "日期", "活动日期", "服务时间"), required=True),
    FieldSpec(
        "hours",
        "服务时长",
        (
            "服务时长",
            "时长",
            "小时数",
            "时数",
            "服务时数",
            "志愿服务时长",
            "志愿服务时数",
            "志愿时长",
            "服务小时数",
        ),
        required=True,
    ),
    FieldSpec("content", "服务内容", ("服务内容", "活动名称", "内容", "服务项目")),
    FieldSpec("place", "服务地点", ("服务地点", "地点")),
    FieldSpec("organiser", "组织单位", ("组织单位", "组织者", "主办单位")),
    FieldSpec("status", "状态", ("状态", "审核状态")),
)

ORGANISATION_ALIASES = (
    "所在团组织",
    "所在团支部",
    "团组织",
    "团支部",
    "所属团组织",
    "所属团支部",
    "团组织名称",
    "支部",
)
PERSON_FIELDS = (
    FieldSpec("name", "姓名", ("姓名", "名字"), required=True),
    FieldSpec("gender", "性别", ("性别",)),
    FieldSpec("ethnicity", "民族", ("民族",)),
    FieldSpec("id_type", "证件类型", ("证件类型", "证件种类")),
    FieldSpec("id_number", "身份证号", ID_ALIASES, required=True),
    FieldSpec("birth_date", "出生日期", ("出生日期", "出生年月", "出生年月日")),
    FieldSpec("league_joined_on", "入团日期", ("入团日期", "入团时间", "入团年月")),
    FieldSpec("political_status", "政治面貌", POLITICAL_ALIASES),
    FieldSpec("education", "学历", ("学历", "文化程度", "最高学历", "全日制学历")),
    FieldSpec("unit", "工作单位", ("工作单位", "单位", "所在单位", "单位名称")),
    FieldSpec("department", "科室", ("科室", "部门", "所在科室", "科室(部门)")),
    FieldSpec("phone", "手机", ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式")),
)
MEMBER_FIELDS = (
    *PERSON_FIELDS,
    FieldSpec("organisation", "所在团组织", ORGANISATION_ALIASES),
    FieldSpec("number", "团员编号", ("团员编号", "团员证号", "团员证编号", "编号")),
    FieldSpec("status", "状态", ("状态", "团员状态", "团籍状态")),
    FieldSpec("left_on", "离团日期", ("离团日期", "离团时间")),
    FieldSpec("note", "备注", ("备注",)),
)
CADRE_FIELDS = (
    *PERSON_FIELDS,
    FieldSpec("organisation", "任职团组织", ("任职团组织", *ORGANISATION_ALIASES), required=True),
    FieldSpec(
        "post", "团内职务", ("团内职务", "职务", "团内职务名称", "现任团内职务"), required=True
    ),
    FieldSpec("started_on", "任职日期", ("任职日期", "任职时间", "任现职时间", "任职年月")),
    FieldSpec("ended_on", "离任日期", ("离任日期", "离任时间")),
)
ORGANISATION_FIELDS = (
    FieldSpec("name", "团组织名称", ("团组织名称", "组织名称", "名称", "团组织"), required=True),
    FieldSpec("kind", "类别", ("类别", "组织类别", "类型", "组织类型", "层级")),
    FieldSpec("parent", "上级组织", ("上级组织", "上级团组织", "上级", "隶属")),
    FieldSpec("unit", "所在单位", ("所在单位", "单位", "工作单位", "单位名称")),
    FieldSpec("established_on", "成立日期", ("成立日期", "成立时间")),
    FieldSpec("term_start", "本届起始", ("本届起始", "换届时间", "本届换届时间", "选举日期")),
    FieldSpec("contact", "联系人", ("联系人",)),
    FieldSpec("phone", "联系电话", ("联系电话", "电话")),
)

Mapping = dict[str, int]  # field key → column index (0-based)
IDENTITY_FIELDS = ("name", "id_number", "number")  # a row with one of these is about someone
NOTHING_TO_IMPORT = "没有要导入的内容"  # e.g. a template's numbered empty rows: counted as blank


@dataclass(frozen=True)
class RowError:
    row: int  # the file's row number
    column: str  # the header as written in the file (or the field's title)
    reason: str  # what is wrong
    name: str = ""  # whose row it is, when the row names someone
    fix: str = ""  # how to put it right, when the reason does not already say

    def __str__(self) -> str:
        who = f"（{self.name}）" if self.name else ""
        fix = f"；{self.fix}" if self.fix else ""
        return f"第 {self.row} 行{who}，“{self.column}”列：{self.reason}{fix}"


@dataclass(frozen=True)
class SkippedRow:
    """A row around or inside the table that is not a person: a title, 合计, 填表人 …"""

    row: int
    text: str  # the row's text, shortened
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行{self.reason}，已跳过：{self.text}"


@dataclass
class RosterCheck:
    """The outcome of reading a sheet: clean records, errors, rows skipped, IDs used twice."""

    records: list[dict] = field(default_factory=list)  # each has "row" and the field keys
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[tuple[int, int, str]] = field(default_factory=list)  # (first row, row, ID)
    skipped: list[SkippedRow] = field(default_factory=list)
    skipped_blank: int = 0
    names: dict[int, str] = field(default_factory=dict)  # row → the name on it, for messages
    titles: dict[str, str] = field(default_factory=dict)  # field → its column's header

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def reject(self, errors: Sequence[RowError]) -> None:
        """Add errors found later (by the services); their rows leave the clean records."""
        if not errors:
            return
        self.errors.extend(
            e if e.name or e.row not in self.names else _named(e, self.names[e.row]) for e in errors
        )
        bad = {e.row for e in errors}
        self.records = [r for r in self.records if r["row"] not in bad]
        self.errors.sort(key=lambda e: e.row)


def _named(error: RowError, name: str) -> RowError:
    return RowError(error.row, error.column, error.reason, name, error.fix)


# --- columns ----------------------------------------------------------------------------------


def _norm(text: Any) -> str:
    """A header made comparable: half-width, no spaces, no asterisks marking required columns."""
    text = remove_spaces(to_half_width("" if text is None else str(text)))
    return text.replace("*", "").replace("（", "(").replace("）", ")").lower()


_BRACKETS = re.compile(r"\(.*?\)")


def _field_for(header: str, aliases: dict[str, str]) -> str | None:
    """The field a header names (``aliases``: normal form → field key, see ``_aliases``)."""
    name = _normal_text(header)
    if not name:
        return None
    found = aliases.get(name)
    if found is None and "(" in name:  # 姓名(必填), 手机(联系电话)
        found = aliases.get(_BRACKETS.sub("", name))
    return found


def _aliases(fields: Sequence[FieldSpec]) -> dict[str, str]:
    """Each alias of ``fields`` → its field's key (the first field that has it)."""
    found: dict[str, str] = {}
    for spec in fields:
        for alias in spec.aliases:
            found.setdefault(alias, spec.key)
    return found


@functools.lru_cache(maxsize=65536)  # asked of every cell of every row; texts repeat (男, units)
def _normal_text(text: str) -> str:
    return _norm(text)


def suggest_mapping(headers: Sequence[Any], fields: Sequence[FieldSpec]) -> Mapping:
    """Map fields to columns from the Chinese headers; the first column that fits wins."""
    return _mapping(headers, _aliases(fields))


def _mapping(headers: Sequence[Any], aliases: dict[str, str]) -> Mapping:
    mapping: Mapping = {}
    for index, header in enumerate(headers):
        # only text names a field, and every alias is Chinese (a test keeps it so): the IDs,
        # phones and dates of each row are passed over without being normalised
        if not isinstance(header, str) or header.isascii():
            continue
        key = _field_for(header, aliases)
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def header_cells(sheet: SheetRows, number: int) -> tuple[Any, ...]:
    """Row ``number`` (1-based) read as a header. The lower row of a two-row header names only
    the columns under a group (邮箱 | 手机 under a 联系方式 merged across them); its other cells
    are blank when 姓名 above was not merged down, so they take the text above them."""
    rows = sheet.rows
    if not 0 < number <= len(rows):
        return ()
    row = rows[number - 1]
    if number < 2 or not sheet.merges:
        return row
    groups = [  # the ranges of the row above merged across columns: 联系方式 over E:F
        (m.first_column, m.last_column)
        for m in sheet.merges
        if m.first_row <= number - 1 <= m.last_row and m.last_column > m.first_column
    ]
    filled = [(i, value) for i, value in enumerate(row) if not is_blank(value)]
    if not groups or not filled or not all(_group_word(i, v, groups) for i, v in filled):
        return row
    above = rows[number - 2]
    width = max(len(row), len(above))
    return tuple(
        row[i] if i < len(row) and not is_blank(row[i]) else (above[i] if i < len(above) else None)
        for i in range(width)
    )


def _group_word(index: int, value: Any, groups: list[tuple[int, int]]) -> bool:
    """A header word (Chinese: a row of phones and e-mails is data) under a group's range."""
    return (
        isinstance(value, str)
        and not value.isascii()
        and any(first <= index + 1 <= last for first, last in groups)
    )


def guess_header_row(sheet: SheetRows, fields: Sequence[FieldSpec]) -> int:
    """The 1-based row that looks most like the header (rosters often have a title above).

    Of a two-row header (联系方式 over 邮箱 | 手机) the lower row names the columns most
    precisely (see ``header_cells``): on a tie it wins."""
    best, best_hits = 1, 0
    for number in range(1, min(len(sheet.rows), HEADER_SEARCH_ROWS) + 1):
        hits = len(suggest_mapping(header_cells(sheet, number), fields))
        if hits > best_hits or (hits == best_hits > 1 and number == best + 1):
            best, best_hits = number, hits
    return best


def missing_required(mapping: Mapping, fields: Sequence[FieldSpec]) -> list[str]:
    return [spec.title for spec in fields if spec.required and spec.key not in mapping]


# --- rows that are not people -----------------------------------------------------------------

# What starts the lines offices put under (or over) a table. Compared without spaces, so
# “合　计” and “填 表 人：” match too. Kept general: no layout of ours is assumed.
NOTE_WORDS = (
    "合计",
    "小计",
    "总计",
    "共计",
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "审批人",
    "负责人",
    "单位负责人",
    "主要负责人",
    "经办人",
    "联系人",
    "统计人",
    "填报日期",
    "填表日期",
    "制表日期",
    "报送日期",
    "填报单位",
    "说明",
    "填表说明",
    "填报说明",
    "备注:",
    "附注",
    "以下空白",
    "以下无",
    "单位(盖章)",
    "(盖章)",
    "盖章",
)
# What, before a colon, signs a table off (制表：王五, 领导签字：, 填报日期：) whatever the cell it
# is in; any other label and colon in a column holding data (服务内容 “义诊：健康咨询”) is data.
SIGN_OFF_WORDS = (
    *(word for word in NOTE_WORDS if word.endswith(("人", "日期"))),
    "制表",
    "填表",
    "填报",
    "审核",
    "审批",
    "签字",
    "签名",
    "盖章",
    "日期",
    "联系电话",
)
_NOTE_START = re.compile(r"注\s*[:\d①-⑩(]|[*※]")
# a total line worded in full: 待审核56条（不计入合计）, 其中女性小计
_TOTAL_INSIDE = re.compile(r"合计|小计|总计|共计")


def _note_word(text: str) -> str | None:
    flat = _norm(text).lstrip("()[]【】<>《》")
    for word in NOTE_WORDS:
        if flat.startswith(word):
            return word.rstrip(":")
    if _NOTE_START.match(flat):
        return "注"
    return None


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return " ".join(str(value).split())


def _shortened(cells: Sequence[Any], length: int = 60) -> str:
    text = " | ".join(_cell_text(v) for v in cells if not is_blank(v))
    return text if len(text) <= length else text[:length] + "…"


class _RowKinds:
    """Tells people rows from the rest, with what the whole sheet shows (merges, the last row)."""

    def __init__(self, sheet: SheetRows, header_row: int, mapping: Mapping, fields) -> None:
        self.sheet, self.mapping, self.fields = sheet, mapping, fields
        self.aliases = _aliases(fields)  # once, not for each of 10,000 rows
        self.mapped = set(mapping.values())
        self.last_full = header_row
        for number in range(len(sheet.rows), header_row, -1):
            if self._mapped_filled(sheet.rows[number - 1]) >= 2:
                self.last_full = number
                break

    def _mapped_filled(self, cells: tuple[Any, ...]) -> int:
        return sum(1 for i in self.mapped if i < len(cells) and not is_blank(cells[i]))

    def note(self, number: int, cells: tuple[Any, ...]) -> str | None:
        """Why row ``number`` is not a person (a short phrase), or None if it should be one."""
        filled = [(i, v) for i, v in enumerate(cells) if not is_blank(v)]
        mapped = sum(1 for i, _ in filled if i in self.mapped)
        first = filled[0][1]
        if isinstance(first, str) and (
            word := _note_word(first) or self._label(first, filled[0][0], cells)
        ):
            return f"是“{word}”行"
        if len(_mapping(cells, self.aliases)) >= 2:
            return "是重复的表头"
        if (
            isinstance(first, str)
            and _TOTAL_INSIDE.search(_norm(first))
            and not self._names_someone(cells)
        ):
            return "是合计行"
        if len(filled) <= 2 and all(self.sheet.spans_columns(number, i + 1) > 1 for i, _ in filled):
            return "是跨列合并的标题或说明"
        if not mapped:
            if len(filled) == 1 and isinstance(first, str):
                return "只有一格文字（分组标题或说明）"
            return NOTHING_TO_IMPORT
        if len(filled) == 1 and not self._names_someone(cells):
            return "只有一格文字（分组标题或说明）"
        if number > self.last_full and mapped <= 1 and not self._has_id(cells):
            return "在表格下方，不像人员（落款、日期或说明）"
        return None

    def _label(self, text: str, index: int, cells: tuple[Any, ...]) -> str | None:
        """制表：王五, 领导签字：: a Chinese label and a colon open a sign-off line, never a name
        (a time, 09:30, has a digit before its colon). In a column holding data, on a row that
        names someone elsewhere (服务内容 “义诊：社区健康咨询” beside the volunteer), only a
        sign-off word (``SIGN_OFF_WORDS``) before the colon makes it one."""
        if "：" not in text and ":" not in text:
            return None
        flat = _norm(text)
        colon = flat.find(":")
        if colon <= 0 or flat[colon - 1].isascii() or self._has_id(cells):
            return None
        label = flat[:colon][:10]
        if label.endswith(SIGN_OFF_WORDS) or index not in self.mapped:
            return label
        named_elsewhere = any(
            self.mapping.get(key, index) != index and self._filled(cells, key)
            for key in IDENTITY_FIELDS
        )
        return None if named_elsewhere else label

    def _has_id(self, cells: tuple[Any, ...]) -> bool:
        return self._filled(cells, "id_number")

    def _names_someone(self, cells: tuple[Any, ...]) -> bool:
        return any(self._filled(cells, key) for key in IDENTITY_FIELDS)

    def _filled(self, cells: tuple[Any, ...], key: str) -> bool:
        index = self.mapping.get(key)
        return index is not None and index < len(cells) and not is_blank(cells[index])


# --- per-row checks ---------------------------------------------------------------------------


class _Row:
    """One data row being checked: reads mapped cells, collects every error, not just the first."""

    def __init__(
        self,
        number: int,
        cells: tuple[Any, ...],
        mapping: Mapping,
        titles: dict[str, str],
    ) -> None:
        self.number, self.cells, self.mapping, self.titles = number, cells, mapping, titles
        self.errors: list[RowError] = []
        self.failed_keys: set[str] = set()
        name = self.text("name")
        self.name = _PADDING.sub("", name) if " " in name else name

    def raw(self, key: str) -> Any:
        index = self.mapping.get(key)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text(self, key: str) -> str:
        index = self.mapping.get(key)  # ``raw``, inline: asked some 15 times a row
        if index is None or index >= len(self.cells) or (value := self.cells[index]) is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(to_half_width(str(value)).split())

    def fail(self, key: str, reason: str, fix: str = "") -> None:
        self.errors.append(RowError(self.number, self.titles.get(key, key), reason, self.name, fix))
        self.failed_keys.add(key)

    def check(self, key: str, rule: Callable[[], Any], fix: str = "") -> Any:
        """Run a domain rule; its ValidationError becomes this row's error for ``key``."""
        try:
            return rule()
        except ValidationError as exc:
            self.fail(key, exc.reason, fix)
            return None

    def yes_no(self, key: str) -> bool:
        """A 是/否 cell (blank: no); another word is this row's error."""
        text = self.text(key).lower()
        if text in YES_WORDS:
            return True
        if text and text not in NO_WORDS:
            self.fail(key, f"应填“是”或“否”（填写的是“{text}”）")
        return False

    def date(self, key: str) -> date | None:
        value = self.raw(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return self.check(
            key, lambda: parse_date(value if not isinstance(value, str) else value.strip())
        )

    def date_or_month(self, key: str) -> tuple[Day | None, bool]:
        """A full date, or (as 出生年月 and 入团时间 are often written) a year and month, read as
        its first day: (date, True when only the month was given)."""
        value = self.raw(key)
        month = parse_year_month(value.strip() if isinstance(value, str) else value)
        if month is not None:
            return month, True
        return self.date(key), False

    def id_text(self) -> str:
        """The ID cell's text, or "" after failing for a number or a masked ID."""
        value = self.raw("id_number")
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.fail("id_number", NUMERIC_ID, NUMERIC_ID_FIX)
            return ""
        text = self.text("id_number")
        if text and (text[0] in QUOTES or text[-1] in QUOTES):  # '370… kept as text by a system
            text = text.strip(QUOTES).strip()
        if "*" in text:
            self.fail("id_number", f"{MASKED_ID}（{text}）", MASKED_ID_FIX)
            return ""
        return text


# the spaces that line up two-character names (王　芳) under three-character ones; a space
# between Latin letters (a foreign name) stays
_PADDING = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def _header_text(headers: Sequence[Any], index: int | None, default: str) -> str:
    if index is not None and index < len(headers) and headers[index] not in (None, ""):
        return " ".join(str(headers[index]).split())
    return default


@dataclass(frozen=True)
class _Identity:
    name: str
    id_type: str
    id_number: str
    gender: str
    birth_date: date | None


def _identity(row: _Row, today: date) -> _Identity:
    """Who a roster's row is: 姓名, 证件类型 and 证件号码, 性别 and 出生日期 (or 出生年月). A
    resident ID is read once; its birth date and gender win, and the columns must agree."""
    name = row.name
    if not name:
        row.fail("name", "姓名不能为空", "填写姓名；不是人员的行请删除")
    id_type = row.text("id_type") or RESIDENT_ID
    if id_type not in ID_TYPES:
        row.fail("id_type", f"证件类型应为：{'、'.join(ID_TYPES)}")
        id_type = RESIDENT_ID
    id_number, info = "", None
    before = len(row.errors)
    text = row.id_text()
    if text and id_type == RESIDENT_ID:  # read once: the number, birth date and gender
        info = row.check("id_number", lambda: parse_id_number(text, today))
        id_number = info.number if info is not None else ""
    elif text:
        id_number = row.check("id_number", lambda: validate_id(id_type, text)) or ""
    elif len(row.errors) == before:
        row.fail("id_number", "证件号码不能为空")
    gender_text = row.text("gender")
    gender = read_gender(gender_text) or ""
    if gender_text and not gender:
        row.fail("gender", GENDER_PROBLEM)
    birth_date, birth_month = row.date_or_month("birth_date")
    if info is not None:
        _check_birth(row, info, birth_date, birth_month)
        row.check("gender", lambda: check_id_matches(info, None, gender or None))
        birth_date, gender = info.birth_date, info.gender
    return _Identity(name, id_type, id_number, gender, birth_date)


def check_volunteer_row(row: _Row, today: date) -> dict:
    who = _identity(row, today)
    birth_date = who.birth_date
    phone_text = row.text("phone")
    phone = row.check("phone", lambda: validate_phone(phone_text)) if phone_text else ""
    registered_on = row.date("registered_on")
    if registered_on and registered_on > today:
        row.fail("registered_on", "注册日期不能晚于今天")
    consent = row.yes_no("guardian_consent")
    age_column = "id_number" if who.id_number and who.id_type == RESIDENT_ID else "birth_date"
    if birth_date is not None:
        registered = registered_on if registered_on and registered_on <= today else today
        before = len(row.errors)
        row.check(age_column, lambda: check_registration_age(birth_date, registered))
        if len(row.errors) == before:  # a child too young to register needs no consent
            row.check(
                "guardian_consent",
                lambda: check_guardian_consent(birth_date, today, consent),
                GUARDIAN_FIX,
            )
    status_text = row.text("status")  # the label (在册) or the code; blank: left to the service
    status = row.check("status", lambda: VolunteerStatus.parse(status_text)) if status_text else ""
    return {
        "row": row.number,
        "name": who.name,
        "gender": who.gender,
        "id_type": who.id_type,
        "id_number": who.id_number,
        "birth_date": birth_date,
        "phone": phone or "",
        "unit": row.text("unit"),
        "department": row.text("department"),
        "political_status": _political(row),
        "team": row.text("team"),
        "skills": row.text("skills"),
        "registered_on": registered_on,
        "number": row.text("number"),
        "status": status or "",
        "guardian_consent": consent,
        "note": row.text("note"),
    }


def _code(row: _Row, key: str, codes: type[Code]) -> str:
    """A coded column (政治面貌, 学历 …): its label, code or a usual alias; blank stays blank."""
    text = row.text(key)
    if not text:
        return ""
    found = row.check(key, lambda: codes.parse(text, field=row.titles.get(key, key)))
    return found.value if found is not None else ""


def _political(row: _Row) -> str:
    """政治面貌; the member register's own 中共党员（保留团籍） reads as 中共党员."""
    text = row.text("political_status").replace("(保留团籍)", "").replace("保留团籍", "")
    if not text:
        return ""
    found = row.check("political_status", lambda: PoliticalStatus.parse(text, field="政治面貌"))
    return found.value if found is not None else ""


def _person_row(row: _Row, today: date) -> dict:
    """The columns every roster of people shares, checked as a person (services/people.py)."""
    who = _identity(row, today)
    birth_date = who.birth_date
    joined, _month = row.date_or_month("league_joined_on")
    if joined and joined > today:
        row.fail("league_joined_on", "入团日期不能晚于今天")
    elif joined and birth_date:
        row.check("league_joined_on", lambda: check_join_age(birth_date, joined))
    phone_text = row.text("phone")
    phone = row.check("phone", lambda: validate_phone(phone_text)) if phone_text else ""
    ethnicity_text = row.text("ethnicity")
    ethnicity = row.check("ethnicity", lambda: parse_ethnicity(ethnicity_text))
    return {
        "row": row.number,
        "name": who.name,
        "gender": who.gender,
        "ethnicity": ethnicity or "",
        "id_type": who.id_type,
        "id_number": who.id_number,
        "birth_date": birth_date,
        "league_joined_on": joined,
        "political_status": _political(row),
        "education": _code(row, "education", Education),
        "unit": row.text("unit"),
        "department": row.text("department"),
        "phone": phone or "",
    }


def _check_birth(row: _Row, info, birth: date | None, month_only: bool) -> None:
    """The 出生日期 (or 出生年月) column agrees with the ID number."""
    if birth is None:
        return
    if not month_only:
        row.check("birth_date", lambda: check_id_matches(info, birth, None))
    elif (birth.year, birth.month) != (info.birth_date.year, info.birth_date.month):
        row.fail(
            "birth_date", f"出生年月与身份证号不符（身份证号显示为{info.birth_date:%Y年%m月}）"
        )


def check_member_row(row: _Row, today: date) -> dict:
    record = _person_row(row, today)
    status = _code(row, "status", MemberStatus) or MemberStatus.ACTIVE
    left_on = row.date("left_on")
    if status != MemberStatus.ACTIVE and left_on is None and "status" not in row.failed_keys:
        row.fail("left_on", f"状态为“{MemberStatus.label_of(status)}”，请填写离团日期")
    if left_on and left_on > today:
        row.fail("left_on", "离团日期不能晚于今天")
    if not record["unit"] and not row.text("organisation") and not row.errors:
        row.fail("organisation", "请填写所在团组织或工作单位")
    record.update(
        organisation=row.text("organisation"),
        number=row.text("number"),
        status=status,
        left_on=left_on if status != MemberStatus.ACTIVE else None,
        note=row.text("note"),
    )
    return record


def check_cadre_row(row: _Row, today: date) -> dict:
    record = _person_row(row, today)
    organisation = row.text("organisation")
    if not organisation:
        row.fail("organisation", "请填写任职的团组织")
    post_text = row.text("post")
    post, title = "", ""
    if not post_text:
        row.fail("post", "请填写团内职务（书记、副书记、组织委员、宣传委员、委员……）")
    else:
        post, title = _post(post_text)
    started_on, ended_on = row.date("started_on"), row.date("ended_on")
    if started_on and started_on > today:
        row.fail("started_on", "任职日期不能晚于今天")
    if started_on and ended_on and ended_on < started_on:
        row.fail("ended_on", "离任日期早于任职日期")
    record.update(
        organisation=organisation,
        post=post,
        title=title,
        started_on=started_on,
        ended_on=ended_on,
    )
    return record


def _post(text: str) -> tuple[str, str]:
    """(code, title): the set's posts by label or alias (团支部书记 → 书记); any other wording
    (文体委员, 团小组长) is kept as an 其他职务 with its own title."""
    try:
        return LeaguePostKind.parse(text, field="团内职务").value, ""
    except ValidationError:
        pass
    flat = remove_spaces(text)
    for word, kind in (("副书记", LeaguePostKind.DEPUTY), ("书记", LeaguePostKind.SECRETARY)):
        if flat.endswith(word):
            return kind.value, ""
    return LeaguePostKind.OTHER.value, flat[:40]


def check_organisation_row(row: _Row, today: date) -> dict:
    name = row.name
    if not name:
        row.fail("name", "团组织名称不能为空")
    kind_text = row.text("kind")
    kind = ""
    if kind_text:
        found = row.check("kind", lambda: OrgKind.parse(kind_text, field="类别"))
        kind = found.value if found is not None else ""
    else:
        kind = next((k.value for k in OrgKind if name.endswith(k.label)), OrgKind.BRANCH.value)
    established_on, term_start = row.date("established_on"), row.date("term_start")
    for key, value in (("established_on", established_on), ("term_start", term_start)):
        if value and value > today:
            row.fail(key, "日期不能晚于今天")
    phone_text = row.text("phone")
    phone = row.check("phone", lambda: validate_phone(phone_text)) if phone_text else ""
    return {
        "row": row.number,
        "name": name,
        "kind": kind,
        "parent": row.text("parent"),
        "unit": row.text("unit"),
        "established_on": established_on,
        "term_start": term_start,
        "contact": row.text("contact"),
        "phone": phone or "",
    }


def check_service_row(row: _Row, today: date) -> dict:
    number = row.text("number")
    id_number = ""
    if not (number and "*" in row.text("id_number")):  # a number beside a masked ID suffices
        before = len(row.errors)
        if text := row.id_text():
            id_number = row.check("id_number", lambda: validate_id(RESIDENT_ID, text)) or ""
        elif not number and len(row.errors) == before:
            row.fail("id_number", "请填写志愿者编号或身份证号，以确定是哪位志愿者")
    served_on = row.date("served_on")
    if row.raw("served_on") in (None, ""):
        row.fail("served_on", "服务日期不能为空")
    elif served_on:  # the volunteer's birth date is checked once the service finds them
        row.check("served_on", lambda: check_service_date(served_on, today))
    hours_cell = _hours(row.raw("hours"))
    try:
        hours = validate_hours(hours_cell)
    except ValidationError as exc:  # how to write hours helps only where they are not a number
        row.fail("hours", exc.reason, "" if _is_number(hours_cell) else HOURS_FIX)
        hours = None
    return {
        "row": row.number,
        "number": number,
        "id_number": id_number,
        "name": row.name,
        "served_on": served_on,
        "hours": hours,
        "content": row.text("content"),
        "place": row.text("place"),
        "organiser": row.text("organiser"),
        "status": row.text("status"),
    }


HOURS_UNITS = ("个小时", "小时", "hours", "hour", "hrs", "hr", "h", "时")
HOURS_FIX = "填写小时数，如 2 或 1.5（半天请折算成小时）"


def _hours(value: Any) -> Any:
    """A 服务时长 cell as typed: 2小时, 1.5h and 4 个小时 are their number; the rest unchanged."""
    if not isinstance(value, str) or not value or value[-1].isdigit():
        return value
    text = to_half_width(value).strip().lower()
    for unit in HOURS_UNITS:
        if text.endswith(unit):
            return text.removesuffix(unit).strip()
    return value


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        return Decimal(to_half_width(str(value)).strip()).is_finite()
    except InvalidOperation:
        return False


@dataclass(frozen=True)
class RosterKind:
    """A kind of file the import reads: its columns, its row check, what makes a row unique.

    A new kind (the member register) is one more entry: its ``FieldSpec``s and a check that
    turns a ``_Row`` into a record dict; the database side lives in the services.
    """

    key: str
    title: str  # 志愿者名册
    fields: tuple[FieldSpec, ...]
    check_row: Callable[[_Row, date], dict]
    unique_id: bool = True  # one row per ID number: a second row with it is a duplicate


ROSTER_KINDS: dict[str, RosterKind] = {
    "volunteers": RosterKind("volunteers", "志愿者名册", VOLUNTEER_FIELDS, check_volunteer_row),
    "service_records": RosterKind(
        "service_records", "志愿服务时长", SERVICE_FIELDS, check_service_row, unique_id=False
    ),
    "members": RosterKind("members", "团员名册", MEMBER_FIELDS, check_member_row),
    # one row per post: a 团干部 with two posts is on two rows
    "cadres": RosterKind("cadres", "团干部名册", CADRE_FIELDS, check_cadre_row, unique_id=False),
    "organisations": RosterKind(
        "organisations", "团组织名单", ORGANISATION_FIELDS, check_organisation_row, unique_id=False
    ),
}


def roster_kind(key: str) -> RosterKind:
    try:
        return ROSTER_KINDS[key]
    except KeyError:
        raise ValueError(f"unknown roster kind {key!r}") from None


def check_rows(
    sheet: SheetRows,
    header_row: int,
    mapping: Mapping,
    kind: str = "volunteers",
    *,
    today: date | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> RosterCheck:
    """Check every row below ``header_row`` (1-based): people, skipped notes, duplicates."""
    spec = roster_kind(kind)
    today = today or date.today()
    missing = missing_required(mapping, spec.fields)
    if missing:
        raise ValidationError(f"请为这些必填项选择对应的列：{'、'.join(missing)}")
    rows = sheet.rows
    headers = header_cells(sheet, header_row)
    titles = {f.key: _header_text(headers, mapping.get(f.key), f.title) for f in spec.fields}
    kinds = _RowKinds(sheet, header_row, mapping, spec.fields)
    result = RosterCheck()
    ids: dict[str, list[int]] = {}
    data = rows[header_row:]
    for offset, cells in enumerate(data):
        number = header_row + 1 + offset
        if progress is not None and offset % 500 == 0:
            progress(offset, len(data))
        if is_blank_row(cells):
            result.skipped_blank += 1
            continue
        if reason := kinds.note(number, cells):
            if reason == NOTHING_TO_IMPORT:
                result.skipped_blank += 1
            else:
                result.skipped.append(SkippedRow(number, _shortened(cells), reason))
            continue
        row = _Row(number, cells, mapping, titles)
        record = spec.check_row(row, today)
        if row.name:
            result.names[number] = row.name
        if spec.unique_id and (key := _id_key(row)):
            ids.setdefault(key, []).append(number)
        result.errors.extend(row.errors)
        if not row.errors:
            result.records.append(record)
    if spec.unique_id:
        _report_duplicates(result, ids, titles["id_number"])
    result.titles = titles
    result.errors.sort(key=lambda e: e.row)
    return result


def _id_key(row: _Row) -> str:
    text = row.text("id_number").strip(QUOTES)
    return normalize_id_number(text) if text and "*" not in text else ""


def _report_duplicates(result: RosterCheck, ids: dict[str, list[int]], column: str) -> None:
    """An ID on several rows names every one of them.

    The same name on each is the same person typed twice: listed, and the clerk chooses which
    row counts. Different names mean one of the IDs is wrong: every such row is an error.
    """
    errors = []
    for id_number, numbers in ids.items():
        if len(numbers) < 2:
            continue
        names = {result.names.get(n, "") for n in numbers} - {""}
        if len(names) <= 1:
            result.duplicates += [(numbers[0], n, id_number) for n in numbers[1:]]
            continue
        for n in numbers:
            others = "、".join(
                f"第 {o} 行（{result.names.get(o, '无姓名')}）" for o in numbers if o != n
            )
            errors.append(
                RowError(
                    n,
                    column,
                    f"身份证号 {mask_id_number(id_number)} 与{others}相同，但姓名不同",
                    result.names.get(n, ""),
                    "核对是谁的身份证号，改正后重新导入",
                )
            )
    result.reject(errors)


def check_daily_totals(
    result: RosterCheck,
    person: Callable[[dict], Any] = lambda r: r["id_number"] or r["number"],
    on_file: Callable[[Any, date], float] = lambda _person, _day: 0.0,
) -> None:
    """No one serves more than 24 hours a day (``domain.volunteering``), even spread over
    several rows of the file and the records already saved (``on_file``, by ``person``)."""
    totals: dict[tuple[Any, date], float] = {}
    errors = []
    for record in result.records:
        key = (person(record), record["served_on"])
        if key not in totals:
            totals[key] = on_file(*key)
        try:
            check_daily_hours(record["served_on"], totals[key], record["hours"])
        except ValidationError as exc:
            errors.append(
                RowError(
                    record["row"],
                    result.titles.get("hours", "服务时长"),
                    exc.reason.rstrip("。") + "（连同文件中前面的行和已录入的记录）",
                    record["name"],
                    "核对这一天的服务时长，或删去重复的行",
                )
            )
            continue
        totals[key] += record["hours"]
    result.reject(errors)
