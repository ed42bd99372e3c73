"""The volunteer register, hours rules and star levels, as the clerk meets them."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from desk_league.data.models import Person, ServiceRecord, Volunteer
from desk_league.domain.codes import OrgKind, PoliticalStatus
from desk_league.domain.names import PINYIN, name_key, stroke_count
from desk_league.errors import Conflict, ValidationError
from desk_league.services import volunteers as v
from desk_league.services.listing import ListQuery
from desk_league.services.organisations import OrganisationInput, create_organisation
from desk_league.services.people import PersonInput
from desk_league.services.service_hours import (
    ServiceRecordInput,
    add_service_record,
    approve_service_records,
    update_service_record,
    void_service_record,
)
from desk_league.services.settings import set_setting
from tests.imports._rosters import make_id

TODAY = date(2026, 11, 26)


def _register(session, n: int = 1, **changes) -> Volunteer:
    person = PersonInput(
        name=f"张{n}", id_number=make_id(date(1998, 5, 4), n), phone="138 0000 0000"
    )
    data = v.VolunteerInput(person=person, team="健康教育", registered_on=date(2026, 3, 5))
    for key, value in changes.items():
        setattr(data, key, value)
    return v.register_volunteer(session, data, today=TODAY)


def _hours(session, volunteer_id: int, day: date, hours: float):
    return add_service_record(session, ServiceRecordInput(volunteer_id, day, hours, content="义诊"))


def _row(session, volunteer_id: int, listing=None) -> dict:
    listing = listing or v.volunteer_listing(v.star_thresholds(session))
    row = listing.page(
        session, ListQuery(filters={}, text=session.get(Volunteer, volunteer_id).number), 1
    )[0]
    return dict(zip([c.key for c in listing.columns], row, strict=True))


def test_registering_reads_birth_date_and_gender_from_the_id_and_numbers_the_volunteer(db):
    with db.transaction() as session:
        volunteer = _register(session)
        assert volunteer.number == "WJ202600001"
        assert volunteer.person.gender == "男" and volunteer.person.birth_date == date(1998, 5, 4)
        assert volunteer.person.phone == "13800000000"
        assert _register(session, 2).number == "WJ202600002"


def test_registering_the_same_id_twice_is_refused(db):
    with db.transaction() as session:
        _register(session)
        with pytest.raises(Conflict, match="已是注册志愿者"):
            _register(session)


def test_a_typed_gender_that_disagrees_with_the_id_is_refused(db):
    with db.transaction() as session, pytest.raises(ValidationError, match="性别与身份证号不符"):
        person = PersonInput(name="李四", id_number=make_id(date(1998, 5, 4), 3), gender="女")
        v.register_volunteer(session, v.VolunteerInput(person=person), today=TODAY)


def test_a_taken_volunteer_number_is_refused(db):
    with db.transaction() as session:
        _register(session, 1, number="A001")
        with pytest.raises(Conflict, match="A001"):
            _register(session, 2, number="A001")


def test_hours_count_approved_records_only_and_stars_follow_the_thresholds(db):
    with db.transaction() as session:
        set_setting(session, "star_thresholds", [4, 8, 12, 16, 20])
        vid = _register(session).id
        records = [_hours(session, vid, date(2026, 1, d), 3) for d in (1, 2, 3)]
        assert _row(session, vid)["total_hours"] == 0 and _row(session, vid)["stars"] == 0
        approve_service_records(session, [r.id for r in records[:2]])
        listing = v.volunteer_listing(v.star_thresholds(session))
        row = _row(session, vid, listing)
        assert row["total_hours"] == 6 and row["stars"] == 1
        assert listing.count(session, ListQuery(filters={"stars": 1})) == 1
        void_service_record(session, records[0].id, "重复录入")
        assert _row(session, vid, listing)["stars"] == 0


def test_an_approved_record_is_locked(db):
    with db.transaction() as session:
        vid = _register(session).id
        record = _hours(session, vid, date(2026, 1, 1), 2)
        approve_service_records(session, [record.id])
        with pytest.raises(Conflict, match="^该记录已审核，不能修改；.*作废后重新录入"):
            update_service_record(session, record.id, ServiceRecordInput(vid, date(2026, 1, 1), 3))


def test_hours_rules_half_hours_positive_and_24_a_day(db):
    with db.transaction() as session:
        vid = _register(session).id
        for bad in (0, -1, 1.2, 25):
            with pytest.raises(ValidationError):
                _hours(session, vid, date(2026, 1, 1), bad)
        _hours(session, vid, date(2026, 1, 1), 20)
        with pytest.raises(ValidationError, match="24"):
            _hours(session, vid, date(2026, 1, 1), 4.5)


def test_voiding_needs_a_reason(db):
    with db.transaction() as session:
        record = _hours(session, _register(session).id, date(2026, 1, 1), 2)
        with pytest.raises(ValidationError, match="原因"):
            void_service_record(session, record.id, "  ")


def test_roster_register_masks_ids_by_default(demo_db, tmp_path):
    with demo_db.reading() as session:
        path = v.export_volunteer_roster(session, tmp_path / "花名册.xlsx", today=TODAY)
        first_id = session.scalar(
            select(Volunteer)
            .join(Person, Volunteer.person_id == Person.id)
            .where(Volunteer.deleted_at.is_(None))
            .order_by(Person.name_strokes, Volunteer.number)
            .limit(1)
        ).person.id_number
    sheet = load_workbook(path).worksheets[0]
    assert sheet["A1"].value == "青年志愿者花名册"
    headers = [c.value for c in sheet[3]]
    cell = sheet.cell(4, headers.index("身份证号") + 1).value
    assert cell == first_id[:6] + "********" + first_id[-4:]
    assert sheet.max_row > 200
    column = headers.index("政治面貌") + 1
    written = {
        sheet.cell(r, column).value
        for r in range(4, sheet.max_row + 1)
        if isinstance(sheet.cell(r, 1).value, int)  # the numbered rows, not the footer
    } - {None}
    assert written and written <= set(PoliticalStatus.labels().values())  # 共青团员, not "league"


def test_the_volunteer_list_shows_political_status_in_words(demo_db):
    listing = v.volunteer_listing()
    column = [c.key for c in listing.columns].index("political_status")
    with demo_db.reading() as session:
        stored = {row[column] for row in listing.page(session, ListQuery())} - {""}
    labels = listing.column("political_status").labels or {}
    assert stored and all(labels.get(code) == PoliticalStatus(code).label for code in stored)


def test_hours_statistics_totals_agree_per_volunteer_and_per_unit(demo_db, tmp_path):
    with demo_db.reading() as session:
        stats = v.hours_statistics(session, 2026, today=TODAY)
        path = v.export_hours_statistics(session, tmp_path / "时长.xlsx", 2026, today=TODAY)
    people, units = stats.volunteers, stats.units
    assert sum(p["hours"] for p in people) == pytest.approx(sum(u["hours"] for u in units))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["按志愿者", "按单位", "不足20小时"]
    assert stats.under and all(row["hours"] < 20 for row in stats.under)
    by_unit = workbook["按单位"]
    total_row = next(
        r for r in by_unit.iter_rows(values_only=True) if r[1] == "合计" or r[0] == "合计"
    )
    assert pytest.approx(total_row[4]) == sum(u["hours"] for u in units)


def test_people_of_a_unit_are_filed_under_its_organisation(db):
    with db.transaction() as session:
        org = create_organisation(
            session,
            OrganisationInput(name="市中医医院团委", kind=OrgKind.COUNCIL, unit="市中医医院"),
        )
        person = PersonInput(
            name="王五", id_number=make_id(date(1999, 2, 2), 9), organisation_id=org.id
        )
        volunteer = v.register_volunteer(session, v.VolunteerInput(person=person), today=TODAY)
        assert _row(session, volunteer.id)["unit"] == "市中医医院"


def test_roster_lists_volunteers_by_surname_strokes_or_by_pinyin(demo_db, tmp_path):
    with demo_db.reading() as session:
        by_strokes = v.export_volunteer_roster(session, tmp_path / "a.xlsx", today=TODAY)
        by_pinyin = v.export_volunteer_roster(
            session, tmp_path / "b.xlsx", today=TODAY, order=PINYIN
        )

    def names(path):
        sheet = load_workbook(path).worksheets[0]
        column = [c.value for c in sheet[3]].index("姓名") + 1
        return [
            sheet.cell(r, column).value
            for r in range(4, sheet.max_row + 1)
            if isinstance(sheet.cell(r, 1).value, int)
        ]

    strokes = [stroke_count(name[0]) for name in names(by_strokes)]
    assert strokes == sorted(strokes) and strokes[0] < strokes[-1]
    readings = [name_key(name, PINYIN) for name in names(by_pinyin)]
    assert readings == sorted(readings)


def test_an_hours_import_is_refused_when_another_pc_filled_the_day_after_the_preview(db, tmp_path):
    from desk_league.services import volunteer_import as vi
    from tests.imports._rosters import write_roster

    with db.transaction() as session:
        volunteer = _register(session)
        volunteer_id, number = volunteer.id, volunteer.number
    headers = ["志愿者编号", "服务日期", "时长(小时)", "服务内容"]
    row = {"志愿者编号": number, "服务日期": "2026-10-01", "时长(小时)": 16, "服务内容": "义诊"}
    rows = vi.open_sheet(write_roster(tmp_path / "时长.xlsx", [row], header_row=1, headers=headers))
    header_row, mapping = vi.suggest_layout(rows, "service_records")
    with db.reading() as session:
        preview = vi.preview_import(session, rows, "service_records", header_row, mapping)
    assert preview.ok
    with db.transaction() as session:  # another PC, while the clerk looks at the preview
        _hours(session, volunteer_id, date(2026, 10, 1), 16)

    with (
        pytest.raises(ValidationError, match="第 2 行.*超过每天 24 小时"),
        db.transaction() as session,
    ):
        vi.commit_import(session, preview, today=TODAY)
    with db.reading() as session:
        assert (
            session.scalar(
                select(func.sum(ServiceRecord.hours)).where(
                    ServiceRecord.volunteer_id == volunteer_id
                )
            )
            == 16
        )
