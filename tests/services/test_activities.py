"""The activity ledger as the clerk keeps it: forms, plan tasks, photos and volunteer hours."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from desk_league.data.models import (
    Activity,
    Attachment,
    AuditLog,
    Organisation,
    PlanItem,
    ServiceRecord,
    Volunteer,
)
from desk_league.domain.codes import VolunteerStatus
from desk_league.errors import Conflict, ValidationError
from desk_league.services.activities import (
    ActivityInput,
    activity_attachments,
    activity_form,
    add_attachments,
    create_activity,
    delete_activity,
    link_activity_to_plan_tasks,
    linked_plan_task_ids,
    organiser_by_name,
    plan_task_choices,
    record_activity_hours,
    update_activity,
)
from desk_league.services.service_hours import approve_service_records


def _volunteer_activity(session, **changes) -> Activity:
    data = ActivityInput(
        title="卫生下乡义诊",
        start_date=date(2026, 9, 15),
        category="志愿服务",
        place="莱城区卫生院",
        **changes,
    )
    return create_activity(session, data).activity


def _volunteers(session, n: int) -> list[int]:
    return list(
        session.scalars(
            select(Volunteer.id)
            .where(Volunteer.status == VolunteerStatus.ACTIVE)
            .order_by(Volunteer.id)
            .limit(n)
        )
    )


def test_an_activity_without_a_title_is_refused(db):
    with db.transaction() as session, pytest.raises(ValidationError) as error:
        create_activity(session, ActivityInput(title="  ", start_date=date(2026, 5, 4)))
    assert error.value.field == "活动名称"


def test_an_end_date_before_the_start_is_refused_with_both_dates(db):
    with db.transaction() as session, pytest.raises(ValidationError) as error:
        create_activity(
            session, ActivityInput("五四演讲比赛", date(2026, 5, 4), end_date=date(2026, 5, 3))
        )
    assert error.value.field == "结束日期"
    assert "2026-05-03" in str(error.value) and "2026-05-04" in str(error.value)


def test_an_unknown_organiser_name_is_refused_and_a_known_one_found(demo_db):
    with demo_db.reading() as session:
        with pytest.raises(ValidationError) as error:
            organiser_by_name(session, "火星医院团委")
        assert error.value.field == "主办单位" and "火星医院团委" in str(error.value)
        assert organiser_by_name(session, "市人民医院团委") is not None
        assert organiser_by_name(session, "") is None


def test_a_category_outside_the_office_list_is_refused(db):
    with db.transaction() as session, pytest.raises(ValidationError) as error:
        create_activity(session, ActivityInput("联欢会", date(2026, 1, 20), category="娱乐"))
    assert error.value.field == "类别"


def test_named_participants_count_towards_the_participant_number(demo_db):
    with demo_db.transaction() as session:
        people = list(
            session.scalars(
                select(Organisation.secretary_id)
                .where(Organisation.secretary_id.is_not(None))
                .limit(3)
            )
        )
        activity = create_activity(
            session,
            ActivityInput(
                "团干部培训",
                date(2026, 7, 10),
                category="培训",
                participant_ids=people,
                participant_count=1,
            ),
        ).activity
        activity_id = activity.id
    with demo_db.reading() as session:
        form = activity_form(session, activity_id)
    assert sorted(form.participant_ids) == sorted(people)
    assert form.participant_count == 3


def test_an_activity_is_linked_to_the_plan_tasks_it_carries_out(demo_db):
    with demo_db.transaction() as session:
        tasks = plan_task_choices(session, 2026)
        assert tasks[0][1].startswith("一、1、")
        activity = _volunteer_activity(session, plan_item_ids=[tasks[0][0], tasks[1][0]])
        link_activity_to_plan_tasks(session, activity.id, [tasks[1][0]])
        assert linked_plan_task_ids(session, activity.id) == [tasks[1][0]]
        task = session.get(PlanItem, tasks[1][0])
        session.refresh(task)
        assert activity in task.activities


def test_linking_and_unlinking_plan_tasks_leaves_an_audit_line_on_each_task(demo_db):
    with demo_db.transaction() as session:
        (first, _), (second, _) = plan_task_choices(session, 2026)[:2]
        activity_id = _volunteer_activity(session).id
        seen = session.scalar(select(func.max(AuditLog.id)))
    with demo_db.transaction() as session:
        link_activity_to_plan_tasks(session, activity_id, [first, second])
    with demo_db.transaction() as session:
        link_activity_to_plan_tasks(session, activity_id, [second])
    with demo_db.reading() as session:
        lines = session.scalars(
            select(AuditLog)
            .where(AuditLog.id > seen, AuditLog.table_name == "plan_item")
            .order_by(AuditLog.id)
        ).all()
        links = [(line.row_id, line.changes["activities"]) for line in lines]
    linked = [(row, (set(before), set(after))) for row, (before, after) in links]
    (one, (before_1, after_1)), (two, (before_2, after_2)), (again, (before_3, after_3)) = linked
    assert {one, two} == {first, second} and again == first
    assert after_1 - before_1 == {activity_id} and after_2 - before_2 == {activity_id}
    assert before_3 - after_3 == {activity_id}  # unlinked from the first task


def test_a_plan_section_cannot_stand_for_a_task(demo_db):
    with demo_db.transaction() as session:
        section = session.scalar(select(PlanItem).where(PlanItem.kind == "section"))
        activity = _volunteer_activity(session)
        with pytest.raises(ValidationError, match="计划板块"):
            link_activity_to_plan_tasks(session, activity.id, [section.id])


def test_hours_entered_once_create_a_pending_record_for_each_volunteer(demo_db):
    with demo_db.transaction() as session:
        activity = _volunteer_activity(session)
        volunteers = _volunteers(session, 5)
        result = record_activity_hours(session, activity.id, volunteers, 3.5)
        records = session.scalars(
            select(ServiceRecord).where(ServiceRecord.activity_id == activity.id)
        ).all()
    assert result.created == 5 and not result.skipped
    assert {r.volunteer_id for r in records} == set(volunteers)
    assert {(r.status, r.hours, r.served_on, r.place) for r in records} == {
        ("pending", 3.5, date(2026, 9, 15), "莱城区卫生院")
    }


def test_recording_hours_twice_does_not_double_count_a_volunteer(demo_db):
    with demo_db.transaction() as session:
        activity = _volunteer_activity(session)
        volunteers = _volunteers(session, 3)
        record_activity_hours(session, activity.id, volunteers[:2], 2)
        result = record_activity_hours(session, activity.id, volunteers, 2)
    assert result.created == 1 and len(result.skipped) == 2
    assert "未重复登记" in result.message


def test_hours_can_only_come_from_a_volunteer_service_activity(demo_db):
    with demo_db.transaction() as session:
        training = create_activity(
            session, ActivityInput("团干部培训", date(2026, 7, 10), category="培训")
        ).activity
        with pytest.raises(ValidationError, match="志愿服务"):
            record_activity_hours(session, training.id, _volunteers(session, 1), 2)


def test_hours_on_a_day_outside_the_activity_are_refused(demo_db):
    with demo_db.transaction() as session:
        activity = _volunteer_activity(session)
        with pytest.raises(ValidationError) as error:
            record_activity_hours(
                session, activity.id, _volunteers(session, 1), 2, date(2026, 9, 20)
            )
    assert error.value.field == "服务日期"


def test_moving_an_activity_moves_pending_hours_but_never_approved_ones(demo_db):
    with demo_db.transaction() as session:
        activity = _volunteer_activity(session)
        volunteers = _volunteers(session, 4)
        record_activity_hours(session, activity.id, volunteers, 2)
        records = session.scalars(
            select(ServiceRecord).where(ServiceRecord.activity_id == activity.id)
        ).all()
        approved = [r.id for r in records[:2]]
        approve_service_records(session, approved, verified_by="团委书记")
        activity_id = activity.id
    with demo_db.transaction() as session:
        form = activity_form(session, activity_id)
        form.start_date, form.place = date(2026, 9, 22), "高庄街道卫生院"
        saved = update_activity(session, activity_id, form)
    assert saved.approved_kept == 2 and saved.pending_followed == 2
    assert "未随活动修改" in saved.notice
    with demo_db.reading() as session:
        records = {
            r.id: (r.served_on, r.place, r.status)
            for r in session.scalars(
                select(ServiceRecord).where(ServiceRecord.activity_id == activity_id)
            )
        }
    for record_id, values in records.items():
        if record_id in approved:
            assert values == (date(2026, 9, 15), "莱城区卫生院", "approved")
        else:
            assert values == (date(2026, 9, 22), "高庄街道卫生院", "pending")


def test_an_activity_with_approved_hours_cannot_be_deleted(demo_db):
    with demo_db.transaction() as session:
        activity = _volunteer_activity(session)
        record_activity_hours(session, activity.id, _volunteers(session, 1), 2)
        approve_service_records(
            session,
            [
                r.id
                for r in session.scalars(
                    select(ServiceRecord).where(ServiceRecord.activity_id == activity.id)
                )
            ],
        )
        with pytest.raises(Conflict, match="已取消"):
            delete_activity(session, activity.id)


@pytest.mark.sqlite_only
def test_photos_are_copied_into_the_attachments_folder(demo_db, tmp_path):
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with demo_db.transaction() as session:
        activity = _volunteer_activity(session)
        add_attachments(session, activity.id, [photo], demo_db.attachments_dir)
        activity_id = activity.id
    photo.unlink()  # the original may go; the copy stays with the database
    with demo_db.reading() as session:
        files = activity_attachments(session, activity_id, demo_db.attachments_dir)
        row = session.scalar(select(Attachment).where(Attachment.owner_id == activity_id))
        owner, media_type = row.owner_table, row.media_type
    assert [f.file_name for f in files] == ["现场照片.jpg"]
    assert files[0].is_image and files[0].path.read_bytes().startswith(b"\xff\xd8")
    assert files[0].path.is_relative_to(demo_db.attachments_dir)
    assert owner == "activity" and media_type == "image/jpeg"


@pytest.mark.sqlite_only
def test_a_missing_attachment_file_is_named_in_the_message(demo_db, tmp_path):
    with demo_db.transaction() as session:
        activity = _volunteer_activity(session)
        with pytest.raises(ValidationError, match="找不到文件"):
            add_attachments(session, activity.id, [tmp_path / "没有.jpg"], demo_db.attachments_dir)


def test_the_office_edits_its_categories_but_cannot_drop_one_in_use(demo_db):
    from desk_league.services.activities import activity_categories, set_activity_categories

    with demo_db.transaction() as session:
        with pytest.raises(ValidationError, match="类别“组织建设”已有 2 项活动使用"):
            set_activity_categories(session, ["主题教育", "志愿服务"])
        categories = [*activity_categories(session), "青年联谊"]
        set_activity_categories(session, categories)
        activity = create_activity(
            session, ActivityInput("单身青年联谊会", date(2026, 11, 1), category="青年联谊")
        )
        assert activity.activity.category == "青年联谊"
