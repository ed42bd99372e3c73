"""Files other offices send, laid out in ways our own fixtures are not: a 填表说明 sheet before the
roster."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from desk_league.errors import ValidationError
from desk_league.services import volunteer_import as vi
from tests.imports._rosters import person_row

TODAY = date(2026, 11, 26)


def _import(db, path, **kw):
    with db.transaction() as session:
        return vi.import_file(session, path, today=TODAY, **kw)


def test_a_roster_behind_a_filling_in_instructions_sheet_is_found(demo_db, tmp_path):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["填表说明"])
    notes.append(["1. 身份证号请设置为文本格式"])
    roster = workbook.create_sheet("名册")
    roster.append(["姓名", "性别", "身份证号", "联系电话", "所在单位"])
    row = person_row(1)
    roster.append([row["姓名"], row["性别"], row["公民身份号码"], row["手机"], "市人民医院"])
    workbook.save(tmp_path / "登记表.xlsx")
    preview, result = _import(demo_db, tmp_path / "登记表.xlsx")
    assert preview.ok, preview.errors
    assert result.created == 1


def test_a_file_with_no_roster_sheet_names_the_sheets_and_the_columns_missing(db, tmp_path):
    workbook = Workbook()
    workbook.active.title = "封面"
    workbook.active.append(["2026年志愿者登记表"])
    workbook.create_sheet("说明").append(["请按模板填写"])
    workbook.save(tmp_path / "空表.xlsx")
    try:
        _import(db, tmp_path / "空表.xlsx")
    except ValidationError as exc:
        message = str(exc)
    else:
        raise AssertionError("a file with no roster was accepted")
    assert "“姓名”“身份证号”" in message and "封面、说明" in message
