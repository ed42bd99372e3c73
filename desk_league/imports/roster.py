"""Reading a roster sheet: which column is which, and what is wrong with each row.

Pure functions over cell values (see ``workbook.read_sheet``): no database. Every problem
becomes a ``RowError`` naming the Excel row, the column header and the reason, so the clerk can
fix the file and import it again; the services decide about the database side (units,
duplicates already on file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desk_league.domain.codes import VolunteerStatus
from desk_league.domain.dates import parse_date
from desk_league.domain.id_number import (
    ID_TYPES,
    RESIDENT_ID,
    check_id_matches,
    parse_id_number,
    validate_id,
)
from desk_league.domain.phone import validate_phone
from desk_league.domain.stars import validate_hours
from desk_league.domain.text import remove_spaces, to_half_width
from desk_league.errors import ValidationError
from desk_league.imports.workbook import HEADER_SEARCH_ROWS, is_blank_row

NUMERIC_ID = "身份证号被Excel当成了数字，请把该列设为文本格式后重新填写"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    title: str  # what the wizard calls it
    aliases: tuple[str, ...]  # headers that mean this field (normalised, see ``_norm``)
    required: bool = False


VOLUNTEER_FIELDS = (
    FieldSpec("name", "姓名", ("姓名", "名字", "志愿者姓名"), required=True),
    FieldSpec("gender", "性别", ("性别",)),
    FieldSpec("id_type", "证件类型", ("证件类型", "证件种类")),
    FieldSpec(
        "id_number",
        "身份证号",
        ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "证件号"),
        required=True,
    ),
    FieldSpec("birth_date", "出生日期", ("出生日期", "出生年月", "出生年月日")),
    FieldSpec("phone", "联系电话", ("联系电话", "手机", "手机号", "手机号码", "电话", "联系方式")),
    FieldSpec("unit", "单位", ("单位", "工作单位", "所在单位", "单位名称")),
    FieldSpec("department", "科室", ("科室", "部门", "所在科室")),
    FieldSpec("political_status", "政治面貌", ("政治面貌",)),
    FieldSpec("team", "服务队", ("服务队", "志愿服务队", "所属服务队", "服务队伍")),
    FieldSpec("skills", "特长", ("特长", "技能", "专业特长", "服务特长")),
    FieldSpec("registered_on", "注册日期", ("注册日期", "注册时间", "加入日期")),
    FieldSpec("number", "志愿者编号", ("志愿者编号", "志愿者证号")),
    FieldSpec("status", "状态", ("状态", "志愿者状态", "注册状态")),
    FieldSpec("note", "备注", ("备注",)),
)

SERVICE_FIELDS = (
    FieldSpec("number", "志愿者编号", ("志愿者编号", "志愿者证号")),
    FieldSpec(
        "id_number",
        "身份证号",
        ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "证件号"),
    ),
    FieldSpec("name", "姓名", ("姓名", "志愿者姓名")),
    FieldSpec("served_on", "服务日期", ("服务日期", "日期", "活动日期", "服务时间"), required=True),
    FieldSpec(
        "hours",
        "服务时长",
        ("服务时长", "时长", "时长(小时)", "服务时长(小时)", "小时数", "时数", "服务时数"),
        required=True,
    ),
    FieldSpec("content", "服务内容", ("服务内容", "活动名称", "内容", "服务项目")),
    FieldSpec("place", "服务地点", ("服务地点", "地点")),
    FieldSpec("organiser", "组织单位", ("组织单位", "组织者", "主办单位")),
)

Mapping = dict[str, int]  # field key → column index (0-based)


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number
    column: str  # the header as written in the file (or the field's title)
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行，“{self.column}”列：{self.reason}"


@dataclass
class RosterCheck:
    """The outcome of reading a sheet: clean records, errors, and ID numbers used twice."""

    records: list[dict] = field(default_factory=list)  # each has "row" and the field keys
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[tuple[int, int, str]] = field(default_factory=list)  # (first row, row, ID)
    skipped_blank: int = 0

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


def _norm(text: Any) -> str:
    """A header made comparable: half-width, no spaces, no asterisks marking required columns."""
    text = remove_spaces(to_half_width("" if text is None else str(text)))
    return text.replace("*", "").replace("（", "(").replace("）", ")").lower()


_BRACKETS = re.compile(r"\(.*?\)")


def _field_for(header: Any, fields: Sequence[FieldSpec]) -> str | None:
    name = _norm(header)
    if not name:
        return None
    for candidate in (name, _BRACKETS.sub("", name)):
        for spec in fields:
            if candidate in spec.aliases:
                return spec.key
    return None


def suggest_mapping(headers: Sequence[Any], fields: Sequence[FieldSpec]) -> Mapping:
    """Map fields to columns from the Chinese headers; the first column that fits wins."""
    mapping: Mapping = {}
    for index, header in enumerate(headers):
        key = _field_for(header, fields)
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def guess_header_row(rows: Sequence[tuple[Any, ...]], fields: Sequence[FieldSpec]) -> int:
    """The 1-based row that looks most like the header (rosters often have a title above)."""
    best, best_hits = 1, 0
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        hits = len(suggest_mapping(row, fields))
        if hits > best_hits:
            best, best_hits = number, hits
    return best


def missing_required(mapping: Mapping, fields: Sequence[FieldSpec]) -> list[str]:
    return [spec.title for spec in fields if spec.required and spec.key not in mapping]


# --- per-row checks ---------------------------------------------------------------------------


class _Row:
    """One data row being checked: reads mapped cells, collects every error, not just the first."""

    def __init__(
        self,
        number: int,
        cells: tuple[Any, ...],
        mapping: Mapping,
        headers: Sequence[Any],
        fields: Sequence[FieldSpec],
    ) -> None:
        self.number, self.cells, self.mapping = number, cells, mapping
        self.titles = {
            spec.key: _header_text(headers, mapping.get(spec.key), spec.title) for spec in fields
        }
        self.errors: list[RowError] = []

    def raw(self, key: str) -> Any:
        index = self.mapping.get(key)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(to_half_width(str(value)).split())

    def fail(self, key: str, reason: str) -> None:
        self.errors.append(RowError(self.number, self.titles.get(key, key), reason))

    def check(self, key: str, rule: Callable[[], Any]) -> Any:
        """Run a domain rule; its ValidationError becomes this row's error for ``key``."""
        try:
            return rule()
        except ValidationError as exc:
            self.fail(key, exc.reason)
            return None

    def date(self, key: str) -> date | None:
        value = self.raw(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return self.check(
            key, lambda: parse_date(value if not isinstance(value, str) else value.strip())
        )


def _header_text(headers: Sequence[Any], index: int | None, default: str) -> str:
    if index is not None and index < len(headers) and headers[index] not in (None, ""):
        return " ".join(str(headers[index]).split())
    return default


def _id_number(row: _Row, id_type: str) -> str:
    value = row.raw("id_number")
    if isinstance(value, int | float) and not isinstance(value, bool):
        row.fail("id_number", NUMERIC_ID)
        return ""
    text = row.text("id_number")
    if not text:
        row.fail("id_number", "证件号码不能为空")
        return ""
    return row.check("id_number", lambda: validate_id(id_type, text)) or ""


def check_volunteer_row(row: _Row, today: date) -> dict:
    name = row.text("name")
    if not name:
        row.fail("name", "姓名不能为空")
    id_type = row.text("id_type") or RESIDENT_ID
    if id_type not in ID_TYPES:
        row.fail("id_type", f"证件类型应为：{'、'.join(ID_TYPES)}")
        id_type = RESIDENT_ID
    id_number = _id_number(row, id_type)
    gender = row.text("gender")
    if gender and gender not in ("男", "女"):
        row.fail("gender", "性别应为“男”或“女”")
        gender = ""
    birth_date = row.date("birth_date")
    if id_number and id_type == RESIDENT_ID:
        info = row.check("id_number", lambda: parse_id_number(id_number, today))
        if info is not None:
            row.check("birth_date", lambda: check_id_matches(info, birth_date, None))
            row.check("gender", lambda: check_id_matches(info, None, gender or None))
            birth_date, gender = info.birth_date, info.gender
    phone_text = row.text("phone")
    phone = row.check("phone", lambda: validate_phone(phone_text)) if phone_text else ""
    registered_on = row.date("registered_on")
    if registered_on and registered_on > today:
        row.fail("registered_on", "注册日期不能晚于今天")
    status_text = row.text("status")  # the label (在册) or the code; blank: left to the service
    status = row.check("status", lambda: VolunteerStatus.parse(status_text)) if status_text else ""
    return {
        "row": row.number,
        "name": name,
        "gender": gender,
        "id_type": id_type,
        "id_number": id_number,
        "birth_date": birth_date,
        "phone": phone or "",
        "unit": row.text("unit"),
        "department": row.text("department"),
        "political_status": row.text("political_status"),
        "team": row.text("team"),
        "skills": row.text("skills"),
        "registered_on": registered_on,
        "number": row.text("number"),
        "status": status or "",
        "note": row.text("note"),
    }


def check_service_row(row: _Row, today: date) -> dict:
    number, name = row.text("number"), row.text("name")
    id_value = row.raw("id_number")
    id_number = ""
    if isinstance(id_value, int | float) and not isinstance(id_value, bool):
        row.fail("id_number", NUMERIC_ID)
    elif row.text("id_number"):
        id_number = (
            row.check("id_number", lambda: validate_id(RESIDENT_ID, row.text("id_number"))) or ""
        )
    elif not number:
        row.fail("id_number", "请填写志愿者编号或身份证号，以确定是哪位志愿者")
    served_on = row.date("served_on")
    if row.raw("served_on") in (None, ""):
        row.fail("served_on", "服务日期不能为空")
    elif served_on and served_on > today:
        row.fail("served_on", "服务日期不能晚于今天")
    hours = row.check("hours", lambda: validate_hours(row.raw("hours")))
    return {
        "row": row.number,
        "number": number,
        "id_number": id_number,
        "name": name,
        "served_on": served_on,
        "hours": hours,
        "content": row.text("content"),
        "place": row.text("place"),
        "organiser": row.text("organiser"),
    }


ROW_CHECKS = {
    "volunteers": (VOLUNTEER_FIELDS, check_volunteer_row),
    "service_records": (SERVICE_FIELDS, check_service_row),
}


def check_rows(
    rows: Sequence[tuple[Any, ...]],
    header_row: int,
    mapping: Mapping,
    kind: str = "volunteers",
    *,
    today: date | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> RosterCheck:
    """Check every data row below ``header_row`` (1-based) and list duplicates within the file."""
    fields, check_row = ROW_CHECKS[kind]
    today = today or date.today()
    missing = missing_required(mapping, fields)
    if missing:
        raise ValidationError(f"请为这些必填项选择对应的列：{'、'.join(missing)}")
    headers = rows[header_row - 1] if 0 < header_row <= len(rows) else ()
    result = RosterCheck()
    first_row_of: dict[str, int] = {}
    data = rows[header_row:]
    for offset, cells in enumerate(data):
        number = header_row + 1 + offset
        if progress is not None and offset % 500 == 0:
            progress(offset, len(data))
        if is_blank_row(cells):
            result.skipped_blank += 1
            continue
        row = _Row(number, cells, mapping, headers, fields)
        record = check_row(row, today)
        result.errors.extend(row.errors)
        if row.errors:
            continue
        if kind == "volunteers" and record["id_number"]:
            first = first_row_of.setdefault(record["id_number"], number)
            if first != number:
                result.duplicates.append((first, number, record["id_number"]))
        result.records.append(record)
    if kind == "service_records":
        _check_daily_totals(result)
    return result


def _check_daily_totals(result: RosterCheck) -> None:
    """No one serves more than 24 hours a day, even spread over several rows of the file."""
    totals: dict[tuple[str, date], float] = {}
    for record in result.records:
        key = (record["id_number"] or record["number"], record["served_on"])
        totals[key] = totals.get(key, 0.0) + record["hours"]
        if totals[key] > 24:
            result.errors.append(
                RowError(
                    record["row"],
                    "服务时长",
                    f"{record['served_on']:%Y-%m-%d} 当天合计超过 24 小时",
                )
            )
    bad = {e.row for e in result.errors}
    result.records = [r for r in result.records if r["row"] not in bad]
