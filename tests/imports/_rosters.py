"""Messy rosters as clerks receive them: a merged title, a header on row 3, odd cells."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from stdnum.cn import ric

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
