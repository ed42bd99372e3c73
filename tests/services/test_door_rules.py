"""The rules at the door: every way a record comes in (the form, an activity's hours, a roster
or hours sheet, the demo) meets the same rules and is refused with the reason named."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import func, select

from desk_league.data.models import Activity, Organisation, ServiceRecord, Volunteer
from desk_league.domain.codes import ActivityStatus, OrgKind, ServiceStatus
from desk_league.domain.dates import add_years
from desk_league.domain.league import check_term_years
from desk_league.domain.volunteering import same_service
from desk_league.errors import ValidationError
from desk_league.services import volunteer_import as vi
from desk_league.services import volunteers as v
from desk_league.services.activities import record_activity_hours
from desk_league.services.organisations import (
    OrganisationInput,
    create_organisation,
    set_term_years,
    term_year_ranges,
    term_years_for,
    update_organisation,
)
from desk_league.services.people import PersonInput
from desk_league.services.service_hours import (
    DuplicateRecord,
    ServiceRecordInput,
    add_service_record,
    update_service_record,
)
from tests.imports._rosters import make_id, person_row, write_roster

TODAY = date(2026, 11, 26)
ADULT = date(1998, 5, 4)
TEEN = date(2010, 6, 15)  # 16 on TODAY; 14 on 2024-06-15


def _volunteer(session, n: int = 1, birth: date = ADULT, **changes) -> Volunteer:
    data = v.VolunteerInput(
        person=PersonInput(name=f"张{n}", id_number=make_id(birth, n)),
        registered_on=changes.pop("registered_on", date(2026, 3, 5)),
        **changes,
    )
    return v.register_volunteer(session, data, today=TODAY)


def _record(volunteer_id: int, day: date, hours: float = 2, content: str = "义诊", **kw):
    return ServiceRecordInput(volunteer_id, day, hours, content=content, **kw)


# --- registering volunteers -------------------------------------------------------------------


def test_a_ten_year_old_cannot_register_as_a_volunteer(db):
    with db.transaction() as session, pytest.raises(ValidationError) as caught:
        _volunteer(session, birth=date(2016, 1, 10), registered_on=date(2026, 11, 1))
    assert "10周岁" in caught.value.reason and "须年满14周岁" in caught.value.reason
    with db.reading() as session:
        assert session.scalar(select(func.count(Volunteer.id))) == 0


def test_a_sixteen_year_old_registers_only_with_the_guardians_consent(db):
    with db.transaction() as session, pytest.raises(ValidationError) as caught:
        _volunteer(session, birth=TEEN)
    assert caught.value.field == "监护人同意" and "16周岁" in caught.value.reason
    with db.transaction() as session:
        volunteer = _volunteer(session, birth=TEEN, guardian_consent=True)
        row = v.VOLUNTEERS.iter_rows(session, v.ListQuery(), labelled=True)
        assert next(row)["guardian_consent"] == "已同意"
        assert volunteer.guardian_consent


def test_a_registration_dated_before_the_14th_birthday_is_refused(db):
    with db.transaction() as session, pytest.raises(ValidationError, match="仅13周岁"):
        _volunteer(session, birth=TEEN, registered_on=date(2024, 6, 1), guardian_consent=True)


def test_a_roster_row_of_a_child_and_one_without_consent_are_named(db, tmp_path):
    rows = [
        person_row(1, 公民身份号码=make_id(date(2015, 2, 2), 1), 注册日期="2026-05-04"),
        person_row(2, 公民身份号码=make_id(TEEN, 2, female=True)),
        person_row(3),
    ]
    with db.transaction() as session:
        session.add(Organisation(kind=OrgKind.BRANCH, name="市人民医院团支部", unit="市人民医院"))
    path = write_roster(tmp_path / "名册.xlsx", rows)
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, today=TODAY)
    assert result is None
    child, teen = preview.errors
    assert (child.row, child.column, child.name) == (4, "公民身份号码", "志愿者1")
    assert "11周岁" in child.reason and "须年满14周岁" in child.reason
    assert (teen.row, teen.column, teen.name) == (5, "监护人同意", "志愿者2")
    assert "须经监护人同意" in teen.reason and "填“是”" in teen.fix


def test_a_roster_with_the_guardians_consent_imports_the_teenager(db, tmp_path):
    headers = ["姓名", "公民身份号码", "工作单位", "监护人同意"]
    rows = [{"姓名": "李小", "公民身份号码": make_id(TEEN, 5), "监护人同意": "是"}]
    path = write_roster(tmp_path / "名册.xlsx", rows, headers=headers, header_row=1)
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, today=TODAY)
        assert preview.ok and result.created == 1
        assert session.scalar(select(Volunteer.guardian_consent))


# --- service records --------------------------------------------------------------------------


def test_a_service_date_in_the_future_is_refused(db):
    with db.transaction() as session:
        vid = _volunteer(session).id
    with db.transaction() as session, pytest.raises(ValidationError, match="晚于今天") as caught:
        add_service_record(session, _record(vid, date(2026, 11, 27)), today=TODAY)
    assert caught.value.field == "服务日期"


def test_a_service_date_before_the_volunteer_was_14_is_refused(db):
    with db.transaction() as session:
        vid = _volunteer(session, birth=TEEN, guardian_consent=True).id
    with db.transaction() as session, pytest.raises(ValidationError) as caught:
        add_service_record(session, _record(vid, date(2024, 3, 5)), today=TODAY)
    assert "早于该志愿者年满14周岁的日期（2024-06-15）" in caught.value.reason


def test_the_daily_cap_counts_every_record_of_the_day(db):
    with db.transaction() as session:
        vid = _volunteer(session).id
        for content in ("义诊", "健康宣教", "献血引导"):
            add_service_record(session, _record(vid, date(2026, 3, 5), 8, content), today=TODAY)
    with db.transaction() as session, pytest.raises(ValidationError) as caught:
        add_service_record(session, _record(vid, date(2026, 3, 5), 0.5, "随访"), today=TODAY)
    assert "已记录 24 小时" in caught.value.reason


def test_an_exact_duplicate_is_refused_naming_the_record_on_file(db):
    with db.transaction() as session:
        vid = _volunteer(session).id
        first = add_service_record(session, _record(vid, date(2026, 3, 5), 8), today=TODAY).id
    with db.transaction() as session, pytest.raises(DuplicateRecord) as caught:
        add_service_record(session, _record(vid, date(2026, 3, 5), 8), today=TODAY)
    message = str(caught.value)
    assert "张1 2026-03-05 已有相同的服务记录" in message
    assert f"“义诊”8 小时，待审核（记录编号 {first}" in message
    assert caught.value.existing_ids == [first]
    with db.reading() as session:
        assert session.scalar(select(func.count(ServiceRecord.id))) == 1


def test_the_clerk_may_confirm_a_second_service_on_the_same_day(db):
    with db.transaction() as session:
        vid = _volunteer(session).id
        add_service_record(session, _record(vid, date(2026, 3, 5), 4), today=TODAY)
        add_service_record(
            session, _record(vid, date(2026, 3, 5), 4), today=TODAY, confirm_duplicate=True
        )
    with db.reading() as session:
        assert session.scalar(select(func.count(ServiceRecord.id))) == 2


def test_editing_a_record_is_not_a_duplicate_of_itself(db):
    with db.transaction() as session:
        vid = _volunteer(session).id
        record = add_service_record(session, _record(vid, date(2026, 3, 5), 4), today=TODAY)
        update_service_record(session, record.id, _record(vid, date(2026, 3, 5), 6), today=TODAY)
        assert record.hours == 6


def _activity(session, day: date, title: str = "学雷锋义诊") -> Activity:
    activity = Activity(
        title=title, category="志愿服务", start_date=day, status=ActivityStatus.DONE
    )
    session.add(activity)
    session.flush()
    return activity


def test_activity_hours_meet_the_same_rules(db):
    with db.transaction() as session:
        vid = _volunteer(session).id
        future = _activity(session, date(2026, 12, 5), "国际志愿者日宣传").id
        held = _activity(session, date(2026, 3, 5)).id
        # the same service came in earlier from an hours sheet, named by its title
        add_service_record(session, _record(vid, date(2026, 3, 5), 8, "学雷锋义诊"), today=TODAY)
    with db.transaction() as session, pytest.raises(ValidationError, match="晚于今天"):
        record_activity_hours(session, future, [vid], 2, today=TODAY)
    with db.transaction() as session, pytest.raises(DuplicateRecord, match="张1 2026-03-05"):
        record_activity_hours(session, held, [vid], 8, today=TODAY)
    with db.transaction() as session:
        record_activity_hours(session, held, [vid], 8, today=TODAY, confirm_duplicates=True)
    with db.reading() as session:
        assert session.scalar(select(func.count(ServiceRecord.id))) == 2


# --- the hours sheet --------------------------------------------------------------------------

HOURS_HEADERS = ["志愿者编号", "姓名", "服务日期", "时长(小时)", "服务内容"]


def _sheet(tmp_path, rows, name="时长.xlsx"):
    return write_roster(tmp_path / name, rows, header_row=1, headers=HOURS_HEADERS)


def _hours_row(number: str, day: str, hours: float, content: str = "义诊", name: str = "张1"):
    return {
        "志愿者编号": number,
        "姓名": name,
        "服务日期": day,
        "时长(小时)": hours,
        "服务内容": content,
    }


def test_an_hours_sheet_names_each_row_that_breaks_a_rule(db, tmp_path):
    with db.transaction() as session:
        teen = _volunteer(session, 1, birth=TEEN, guardian_consent=True)
        add_service_record(session, _record(teen.id, date(2026, 3, 5), 8), today=TODAY)
        number = teen.number
    rows = [
        _hours_row(number, "2024-05-01", 2),  # before the 14th birthday
        _hours_row(number, "2026-03-05", 8),  # the record on file again
        _hours_row(number, "2026-03-06", 4),
        _hours_row(number, "2026-03-06", 4),  # the row above again
        _hours_row(number, "2026-03-05", 17, "应急保障"),  # 8 on file + 17
        _hours_row(number, "2026-12-01", 2),  # in the future
    ]
    with db.transaction() as session:
        preview, result = vi.import_file(
            session, _sheet(tmp_path, rows), kind="service_records", today=TODAY
        )
    assert result is None
    errors = {e.row: e for e in preview.errors}
    assert sorted(errors) == [2, 3, 5, 6, 7]
    assert "年满14周岁" in errors[2].reason and errors[2].column == "服务日期"
    assert "与已录入的记录（编号" in errors[3].reason and errors[3].column == "服务内容"
    assert "--accept-duplicates" in errors[3].fix
    assert "与第 4 行（4 小时）重复" in errors[5].reason
    assert "超过每天 24 小时" in errors[6].reason and errors[6].column == "时长(小时)"
    assert "晚于今天" in errors[7].reason
    assert all(e.name == "张1" for e in preview.errors)


def test_duplicates_the_clerk_accepts_are_imported_and_listed(db, tmp_path):
    with db.transaction() as session:
        volunteer = _volunteer(session)
        add_service_record(session, _record(volunteer.id, date(2026, 3, 5), 8), today=TODAY)
        number = volunteer.number
    rows = [_hours_row(number, "2026-03-05", 8)]
    with db.transaction() as session:
        preview, result = vi.import_file(
            session,
            _sheet(tmp_path, rows),
            kind="service_records",
            accept_duplicates=True,
            today=TODAY,
        )
    assert preview.ok and result.created == 1
    assert any("第 2 行（张1）" in line for line in preview.duplicate_lines())


# --- organisation terms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "years", "student", "refused"),
    [
        (OrgKind.COUNCIL, 2, False, "团委每届任期应为3至5年"),
        (OrgKind.COUNCIL, 5, False, None),
        (OrgKind.GENERAL, 4, False, "团总支每届任期应为2至3年"),
        (OrgKind.BRANCH, 1, False, "团支部每届任期应为2至3年"),
        (OrgKind.BRANCH, 1, True, None),
        (OrgKind.BRANCH, 2, True, "学生团支部每届任期应为1年"),
    ],
)
def test_an_organisations_term_follows_its_kind(db, kind, years, student, refused):
    data = OrganisationInput("市卫生学校学生团支部", kind=kind, term_years=years, student=student)
    with db.transaction() as session:
        if refused:
            with pytest.raises(ValidationError, match=refused):
                create_organisation(session, data)
        else:
            assert term_years_for(session, create_organisation(session, data)) == years


def test_a_student_branch_takes_one_year_by_default(db):
    with db.transaction() as session:
        org = create_organisation(
            session, OrganisationInput("学生团支部", kind=OrgKind.BRANCH, student=True)
        )
        assert term_years_for(session, org) == 1
        update_organisation(session, org.id, OrganisationInput("学生团支部", kind=OrgKind.BRANCH))
        assert term_years_for(session, org) == 2


def test_the_office_edits_lengths_and_ranges_but_not_past_its_own_organisations(db):
    with db.transaction() as session:
        create_organisation(
            session, OrganisationInput("某团总支", kind=OrgKind.GENERAL, term_years=3)
        )
        with pytest.raises(ValidationError, match="团委每届任期应为3至5年"):
            set_term_years(session, {OrgKind.COUNCIL: 6})
        with pytest.raises(ValidationError, match="某团总支（3年）"):
            set_term_years(session, {OrgKind.GENERAL: 2}, {OrgKind.GENERAL: (2, 2)})
        set_term_years(session, {OrgKind.COUNCIL: 5}, {OrgKind.BRANCH: (1, 3)})
        assert term_year_ranges(session)[OrgKind.BRANCH] == (1, 3)
        create_organisation(session, OrganisationInput("某团支部", term_years=1))


# --- the demo -----------------------------------------------------------------------------


def test_the_demo_holds_nothing_the_rules_refuse(demo_db):
    with demo_db.reading() as session:
        records = [
            (r.id, r.volunteer_id, r.served_on, r.hours, r.activity_id, r.content)
            for r in session.scalars(
                select(ServiceRecord).where(ServiceRecord.status != ServiceStatus.VOID)
            )
        ]
        volunteers = [
            (vol.id, vol.registered_on, vol.person.birth_date)
            for vol in session.scalars(select(Volunteer))
        ]
        ranges = term_year_ranges(session)
        terms = [
            (term_years_for(session, o), o.kind, o.student)
            for o in session.scalars(select(Organisation))
            if o.deleted_at is None
        ]
    births = {vid: birth for vid, _, birth in volunteers}
    days: dict[tuple, list[tuple]] = defaultdict(list)
    for record_id, volunteer_id, served_on, hours, activity_id, content in records:
        assert served_on <= date.today()
        assert served_on >= add_years(births[volunteer_id], 14)
        days[(volunteer_id, served_on)].append((record_id, hours, activity_id, content))
    for day in days.values():
        assert sum(hours for _, hours, _, _ in day) <= 24
        for i, (one, _, *service) in enumerate(day):
            for other, _, *other_service in day[i + 1 :]:
                assert not same_service(*service, *other_service), (one, other)
    for _, registered_on, birth in volunteers:
        assert registered_on >= add_years(birth, 14)
    for years, kind, student in terms:
        check_term_years(years, kind, student=student, ranges=ranges)
    assert any(student for _, _, student in terms)


def test_a_minors_consent_survives_the_rosters_round_trip(db, tmp_path):
    from desk_league.data.db import open_database

    with db.transaction() as session:
        _volunteer(session, birth=TEEN, guardian_consent=True)
        roster = v.export_volunteer_roster(
            session, tmp_path / "花名册.xlsx", mask_ids=False, today=TODAY
        )
    other = open_database(tmp_path / "other.db")
    try:
        with other.transaction() as session:
            preview, result = vi.import_file(session, roster, today=TODAY)
            assert preview.ok and result.created == 1, preview.errors
            assert session.scalar(select(Volunteer.guardian_consent))
    finally:
        other.close()
