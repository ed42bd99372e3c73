"""Messy rosters as clerks receive them: a merged title, a header on row 3, odd cells."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from stdnum.cn import ric

from desk_league.data.models import Person, Volunteer

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "手机",
    "工作单位",
    "科室",
    "政治面貌",
    "服务队",
    "注册日期",
]


def make_id(birth: date, seq: int, female: bool = False, region: str = "370103") -> str:
    """A valid 18-digit resident ID for the birth date; ``seq`` keeps them apart."""
    order = (seq % 500) * 2 + (0 if female else 1)
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def person_row(n: int, unit: str = "市人民医院", **changes: Any) -> dict:
    female = n % 2 == 0
    row = {
        "序号": n,
        "姓名": f"志愿者{n}",
        "性别": "女" if female else "男",
        "公民身份号码": make_id(date(1995, 1, 1 + n % 28), n, female),
        "手机": f"138{n:08d}",
        "工作单位": unit,
        "科室": "急诊科",
        "政治面貌": "共青团员",
        "服务队": "健康教育",
        "注册日期": "2025-03-05",
    }
    row.update(changes)
    return row


def write_roster(
    path: Path,
    rows: list[dict],
    *,
    header_row: int = 3,
    headers: list[str] = HEADERS,
    sheet: str = "志愿者",
) -> Path:
    """Rows under a merged title (row 1) and a note (row 2), header on ``header_row``."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    if header_row > 1:
        ws.cell(1, 1, "2026年青年志愿者协会卫生分会志愿者登记表")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    if header_row > 2:
        ws.cell(2, 1, "填报单位：（盖章）")
    for col, title in enumerate(headers, start=1):
        ws.cell(header_row, col, title)
    for r, row in enumerate(rows, start=header_row + 1):
        for col, title in enumerate(headers, start=1):
            value = row.get(title)
            if value is not None:
                ws.cell(r, col, value)
    workbook.save(path)
    return path


def official_register(
    path: Path,
    rows: list[dict],
    *,
    headers: list[str] = HEADERS,
    merge_units: bool = False,
    footer: bool = True,
) -> Path:
    """A roster laid out as offices file them: a merged title, a 填报单位 line, the table, a
    合计 row, a blank row, then 填表人/审核人 and a 注： line. ``merge_units`` merges each run
    of one unit down the 工作单位 column, as clerks do for people of the same unit."""
    workbook = Workbook()
    ws = workbook.active
    width = len(headers)
    ws.cell(1, 1, "市直卫生系统青年志愿者登记表")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, "填报单位（盖章）：市卫生健康委团委")
    ws.cell(2, width - 2, "填报日期：2026年11月26日")
    for col, title in enumerate(headers, start=1):
        ws.cell(3, col, title)
    first = 4
    for r, row in enumerate(rows, start=first):
        for col, title in enumerate(headers, start=1):
            if row.get(title) is not None:
                ws.cell(r, col, row[title])
    last = first + len(rows) - 1
    if merge_units and "工作单位" in headers:
        col = headers.index("工作单位") + 1
        start = first
        for r in range(first + 1, last + 2):
            if r > last or rows[r - first].get("工作单位") != rows[start - first].get("工作单位"):
                if r - 1 > start:
                    for blank in range(start + 1, r):
                        ws.cell(blank, col).value = None
                    ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
                start = r
    if footer:
        ws.cell(last + 1, 1, "合  计")
        ws.cell(last + 1, 2, f"{len(rows)}人")
        ws.cell(last + 3, 1, "填表人：王芳")
        ws.merge_cells(start_row=last + 3, start_column=1, end_row=last + 3, end_column=4)
        ws.cell(last + 3, 6, "审核人：李明")
        ws.merge_cells(start_row=last + 3, start_column=6, end_row=last + 3, end_column=width)
        ws.cell(last + 4, 1, "注：1. 身份证号请设为文本格式；2. 注册日期填写加入协会的日期。")
        ws.cell(last + 5, 8, "2026年11月26日")
    workbook.save(path)
    return path


def first_volunteers(db, count: int, by_number: bool = False) -> list[tuple[str, str]]:
    """The first ``count`` volunteers on file: (name, ID number), or (name, 志愿者编号)."""
    key = Volunteer.number if by_number else Person.id_number
    with db.reading() as session:
        return session.execute(
            select(Person.name, key)
            .join(Volunteer, Volunteer.person_id == Person.id)
            .order_by(Volunteer.id)
            .limit(count)
        ).all()
