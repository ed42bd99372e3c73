"""Importing the rosters units send in: every messy thing a real file does, and all-or-nothing."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from desk_league.data.models import Person, ServiceRecord, Volunteer
from desk_league.errors import ValidationError
from desk_league.imports.workbook import MAX_UNCOMPRESSED_BYTES, check_workbook_file
from desk_league.services import volunteer_import as vi
from tests.imports._rosters import make_id, person_row, write_roster

TODAY = date(2026, 11, 26)


def _import(db, path, **kw):
    with db.transaction() as session:
        return vi.import_file(session, path, today=TODAY, **kw)


def _count(db, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_roster_with_merged_title_and_header_on_row_3_imports_every_row(demo_db, tmp_path):
    path = write_roster(tmp_path / "名册.xlsx", [person_row(n) for n in range(1, 6)])
    before = _count(demo_db, Volunteer)
    preview, result = _import(demo_db, path)
    assert preview.header_row == 3
    assert preview.ok and result.created == 5
    assert _count(demo_db, Volunteer) == before + 5
    with demo_db.reading() as session:
        person = session.scalar(select(Person).where(Person.name == "志愿者2"))
        assert person.gender == "女" and person.birth_date == date(1995, 1, 3)
        assert person.organisation.unit == "市人民医院"
        numbers = session.scalars(
            select(Volunteer.number).where(Volunteer.person_id == person.id)
        ).all()
        assert numbers and numbers[0].startswith("WJ2025")


def test_full_width_digits_lower_case_x_and_stray_spaces_are_normalised(demo_db, tmp_path):
    ident = make_id(date(1996, 7, 1), 7)
    while not ident.endswith("X"):  # find a number whose check digit is X
        ident = make_id(date(1996, 7, 1), int(ident[14:17]) + 2)
    messy = (
        " "
        + ident[:6]
        + " "
        + ident[6:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        + "x "
    )
    path = write_roster(
        tmp_path / "r.xlsx", [person_row(1, **{"公民身份号码": messy, "性别": "男 "})]
    )
    preview, result = _import(demo_db, path)
    assert preview.ok, preview.errors
    assert preview.check.records[0]["id_number"] == ident


def test_mixed_date_forms_all_parse(demo_db, tmp_path):
    forms = ["2025-03-05", "2025.3.5", "2025/3/5", "2025年3月5日", 45721, date(2025, 3, 5)]
    rows = [person_row(n, **{"注册日期": form}) for n, form in enumerate(forms, start=1)]
    preview, _ = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows), dry_run=True)
    assert preview.ok, preview.errors
    assert {r["registered_on"] for r in preview.check.records} == {date(2025, 3, 5)}


def test_import_refuses_numeric_id_cells_with_set_the_column_to_text(demo_db, tmp_path):
    row = person_row(1, **{"公民身份号码": 110105199003071234})
    preview, result = _import(demo_db, write_roster(tmp_path / "r.xlsx", [row, person_row(2)]))
    assert result is None
    assert [e.row for e in preview.errors] == [4]
    assert preview.errors[0].column == "公民身份号码"
    assert "文本" in str(preview.errors[0])


def test_import_refuses_roster_with_bad_check_digit(demo_db, tmp_path):
    good = make_id(date(1995, 1, 2), 1)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = _count(demo_db, Volunteer)
    preview, result = _import(
        demo_db, write_roster(tmp_path / "r.xlsx", [person_row(1, **{"公民身份号码": bad})])
    )
    assert result is None and "校验位" in preview.errors[0].reason
    assert _count(demo_db, Volunteer) == before


def test_gender_that_disagrees_with_the_id_is_reported_on_its_column(demo_db, tmp_path):
    preview, _ = _import(
        demo_db, write_roster(tmp_path / "r.xlsx", [person_row(1, **{"性别": "女"})])
    )
    assert [(e.row, e.column) for e in preview.errors] == [(4, "性别")]


def test_empty_rows_are_skipped_not_rejected(demo_db, tmp_path):
    rows = [person_row(1), {}, {"姓名": "  "}, person_row(2)]
    preview, result = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows))
    assert preview.ok and result.created == 2 and preview.check.skipped_blank == 2


def test_thousand_rows_with_three_bad_ones_imports_nothing_and_lists_three_errors(
    demo_db, tmp_path
):
    rows = [person_row(n) for n in range(1, 1001)]
    rows[99]["公民身份号码"] = rows[99]["公民身份号码"][:-2]  # too short
    rows[499]["手机"] = "12345"
    rows[899]["注册日期"] = "2025-13-45"
    before = _count(demo_db, Volunteer)
    preview, result = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows))
    assert result is None
    assert [(e.row, e.column) for e in preview.errors] == [
        (103, "公民身份号码"),
        (503, "手机"),
        (903, "注册日期"),
    ]
    assert _count(demo_db, Volunteer) == before
    out = vi.export_import_errors(tmp_path / "错误.xlsx", preview)
    sheet = load_workbook(out).worksheets[0]
    texts = [sheet.cell(r, 4).value for r in range(4, 7)]
    assert all(texts) and "位" in texts[0]


def test_commit_of_a_preview_with_errors_saves_nothing(demo_db, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(1), person_row(2, **{"姓名": ""})])
    with demo_db.transaction() as session:
        rows = vi.open_sheet(path)
        header_row, mapping = vi.suggest_layout(rows, "volunteers")
        preview = vi.preview_import(session, rows, "volunteers", header_row, mapping, today=TODAY)
        with pytest.raises(ValidationError, match="1 行错误"):
            vi.commit_import(session, preview)


def test_duplicates_in_file_are_listed_and_skip_keeps_the_first_row(demo_db, tmp_path):
    first, second = person_row(1), person_row(1, **{"科室": "儿科"})
    preview, result = _import(demo_db, write_roster(tmp_path / "r.xlsx", [first, second]))
    assert preview.check.duplicates == [(4, 5, first["公民身份号码"])]
    assert result.created == 1 and result.skipped == 1
    with demo_db.reading() as session:
        assert session.scalar(select(Person.department).where(Person.name == "志愿者1")) == "急诊科"


def test_duplicates_against_the_database_update_when_the_clerk_chooses_update(demo_db, tmp_path):
    with demo_db.reading() as session:
        existing = session.scalar(
            select(Person).join(Volunteer, Volunteer.person_id == Person.id).limit(1)
        )
        ident, name, gender = existing.id_number, existing.name, existing.gender
    row = person_row(1, **{"姓名": name, "公民身份号码": ident, "性别": gender, "科室": "新科室"})
    path = write_roster(tmp_path / "r.xlsx", [row])
    preview, result = _import(demo_db, path)
    assert preview.ok, preview.errors
    assert [d.id_number for d in preview.on_file] == [ident] and result.skipped == 1
    preview, result = _import(demo_db, path, on_duplicate=vi.UPDATE)
    assert result.updated == 1
    with demo_db.reading() as session:
        assert (
            session.scalar(select(Person.department).where(Person.id_number == ident)) == "新科室"
        )


def test_unknown_unit_is_an_error_naming_the_unit(demo_db, tmp_path):
    preview, _ = _import(
        demo_db, write_roster(tmp_path / "r.xlsx", [person_row(1, unit="火星医院")])
    )
    assert "火星医院" in preview.errors[0].reason and preview.errors[0].column == "工作单位"


def test_a_corrupt_file_gets_a_clear_message(tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(1)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValidationError, match="r.xlsx"):
        vi.open_sheet(path)


def test_a_word_file_renamed_xlsx_is_refused(tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)  # an old Office file
    with pytest.raises(ValidationError, match="不是有效的 Excel"):
        vi.open_sheet(path)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "名册.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(ValidationError, match="没有 Excel 工作簿内容"):
        check_workbook_file(path)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/big.bin", "w", force_zip64=True) as big:
            chunk = b"\0" * (1 << 20)
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(chunk) + 1):
                big.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ValidationError, match="解压后超过"):
        check_workbook_file(path)


def test_service_hours_sheet_imports_pending_records_for_registered_volunteers(demo_db, tmp_path):
    with demo_db.reading() as session:
        number = session.scalar(select(Volunteer.number).order_by(Volunteer.id).limit(1))
    headers = ["志愿者编号", "姓名", "服务日期", "时长(小时)", "服务内容", "服务地点"]
    rows = [
        {
            "志愿者编号": number,
            "服务日期": "2026年3月5日",
            "时长(小时)": "２.５",
            "服务内容": "学雷锋义诊",
        },
        {"志愿者编号": number, "服务日期": "2026-03-06", "时长(小时)": 0.3, "服务内容": "健康宣教"},
        {"志愿者编号": "WJ000", "服务日期": "2026-03-07", "时长(小时)": 2},
    ]
    path = write_roster(tmp_path / "时长.xlsx", rows, header_row=1, headers=headers)
    preview, result = _import(demo_db, path, kind="service_records")
    assert result is None
    assert [(e.row, e.column) for e in preview.errors] == [(3, "时长(小时)"), (4, "志愿者编号")]
    preview, result = _import(
        demo_db,
        write_roster(tmp_path / "ok.xlsx", rows[:1], header_row=1, headers=headers),
        kind="service_records",
    )
    assert result.created == 1
    with demo_db.reading() as session:
        record = session.scalar(select(ServiceRecord).order_by(ServiceRecord.id.desc()).limit(1))
        assert (record.hours, record.status, record.served_on) == (2.5, "pending", date(2026, 3, 5))


def test_service_hours_over_a_day_counting_those_on_file_are_refused_row_by_row(demo_db, tmp_path):
    """The day's hours already entered count: 20 on file plus 3 is fine, plus 2 more is not.
    Volunteers are found by number or by ID number; a name that is not theirs is refused."""
    with demo_db.transaction() as session:
        first, second = session.execute(
            select(Volunteer.id, Volunteer.number, Person.id_number, Person.name)
            .join(Person, Volunteer.person_id == Person.id)
            .where(Person.id_number.is_not(None))
            .order_by(Volunteer.id)
            .limit(2)
        ).all()
        session.add(
            ServiceRecord(volunteer_id=first.id, served_on=date(2026, 4, 1), hours=20, content="x")
        )
    headers = ["志愿者编号", "身份证号", "姓名", "服务日期", "时长(小时)", "服务内容"]
    rows = [
        {"志愿者编号": first.number, "服务日期": "2026-04-01", "时长(小时)": 3},
        {"身份证号": first.id_number, "服务日期": "2026-04-01", "时长(小时)": 2},
        {
            "身份证号": second.id_number,
            "姓名": second.name,
            "服务日期": "2026-04-01",
            "时长(小时)": 8,
        },
        {"志愿者编号": second.number, "姓名": "张冒名", "服务日期": "2026-04-02", "时长(小时)": 1},
    ]
    path = write_roster(tmp_path / "时长.xlsx", rows, header_row=1, headers=headers)
    preview, result = _import(demo_db, path, kind="service_records")
    assert result is None
    assert [(e.row, e.column) for e in preview.errors] == [(3, "时长(小时)"), (5, "姓名")]
    assert "超过每天 24 小时" in preview.errors[0].reason
