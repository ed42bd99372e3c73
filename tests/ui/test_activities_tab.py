"""The 活动 tab as the clerk uses it: the activity form, volunteer hours, the calendar, 信息报送."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QToolButton
from sqlalchemy import select

from desk_league.data.models import Activity, InfoReport, ServiceRecord, Volunteer
from desk_league.domain.codes import VolunteerStatus
from desk_league.ui.activities_tab import ActivitiesTab
from desk_league.ui.activity_dialog import ActivityDialog
from desk_league.ui.activity_hours_dialog import ActivityHoursDialog
from desk_league.ui.calendar_view import KeyDateDialog
from desk_league.ui.info_reports_pane import InfoReportDialog
from tests.conftest import DEMO_TODAY, lists_read


@pytest.fixture
def tab(qtbot, demo_db):
    widget = ActivitiesTab(today=DEMO_TODAY)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.ensure_loaded()
    lists_read(qtbot)
    return widget


def _dialog(qtbot, db, activity_id=None) -> ActivityDialog:
    dialog = ActivityDialog(activity_id, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def test_the_form_refuses_an_activity_without_a_title(qtbot, demo_db, told):
    dialog = _dialog(qtbot, demo_db)
    _save(qtbot, dialog)
    assert told and "请填写活动名称" in told[0]
    assert dialog.isVisible() and dialog.saved_id is None
    assert dialog.focusWidget() is dialog.title_edit


def test_the_form_refuses_an_end_date_before_the_start(qtbot, demo_db, told, typist):
    dialog = _dialog(qtbot, demo_db)
    typist(dialog.title_edit, "五四主题演讲比赛")
    dialog.start.setDate(QDate(2026, 5, 4))
    qtbot.mouseClick(dialog.end.checkbox, Qt.MouseButton.LeftButton)
    dialog.end.edit.setDate(QDate(2026, 5, 1))
    _save(qtbot, dialog)
    assert "结束日期 2026-05-01 早于开始日期 2026-05-04" in told[0]
    assert dialog.isVisible() and dialog.title_edit.text() == "五四主题演讲比赛"


def test_the_form_refuses_an_organiser_that_is_not_an_organisation(qtbot, demo_db, told, typist):
    dialog = _dialog(qtbot, demo_db)
    typist(dialog.title_edit, "青年联谊")
    dialog.organiser.setEditText("")
    typist(dialog.organiser.lineEdit(), "火星医院团委")
    _save(qtbot, dialog)
    assert "主办单位" in told[0] and "火星医院团委" in told[0]
    assert dialog.isVisible()


def test_a_new_activity_with_tasks_people_and_a_photo_lands_in_the_ledger(
    qtbot, tab, demo_db, typist, tmp_path
):
    photo = tmp_path / "合影.png"
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#1d5fa8"))
    image.save(str(photo))
    dialog = _dialog(qtbot, demo_db)
    typist(dialog.title_edit, "护理技能比武复赛")
    dialog.category.setCurrentIndex(dialog.category.findData("技能竞赛"))
    dialog.start.setDate(QDate(2026, 11, 20))
    dialog.organiser.setEditText("市人民医院团委")
    dialog._add_participant(*_some_person(demo_db))
    dialog.tasks.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.choose_files([str(photo)])
    _save(qtbot, dialog)
    assert not dialog.isVisible() and dialog.saved_id

    reopened = _dialog(qtbot, demo_db, dialog.saved_id)
    assert reopened.title_edit.text() == "护理技能比武复赛"
    assert reopened.organiser.currentText() == "市人民医院团委"
    assert reopened.participants.count() == 1 and reopened.plan_task_ids() == [
        reopened.tasks.item(0).data(Qt.ItemDataRole.UserRole)
    ]
    thumbnail = reopened.attachments.item(0)
    assert thumbnail.text() == "合影.png" and not thumbnail.icon().isNull()

    tab.refresh()
    lists_read(qtbot)
    model = tab.table.model
    titles = [model.row_value(r, "title") for r in range(model.rowCount())]
    assert "护理技能比武复赛" in titles


def _some_person(db) -> tuple[int, str]:
    from desk_league.data.models import Person

    with db.reading() as session:
        person = session.scalar(select(Person).order_by(Person.id))
        return person.id, person.name


def test_filtering_the_ledger_by_month_and_category(qtbot, tab):
    model = tab.table.model
    month = tab.findChild(type(tab.year), "filter_month")
    category = tab.findChild(type(tab.year), "filter_category")
    month.setCurrentIndex(month.findData(3))
    category.setCurrentIndex(category.findData("志愿服务"))
    lists_read(qtbot)
    rows = [
        (model.row_value(r, "start_date"), model.row_value(r, "category"))
        for r in range(model.rowCount())
    ]
    assert rows and all(d.month == 3 and d.year == 2026 and c == "志愿服务" for d, c in rows)


def test_volunteer_hours_from_an_activity_are_entered_once_for_everyone(qtbot, demo_db, told):
    with demo_db.reading() as session:
        activity_id = session.scalar(
            select(Activity.id).where(Activity.title == "2026年卫生下乡义诊志愿服务")
        )
        volunteers = session.execute(
            select(Volunteer.id, Volunteer.number)
            .where(
                Volunteer.status == VolunteerStatus.ACTIVE,
                Volunteer.id.not_in(
                    select(ServiceRecord.volunteer_id).where(
                        ServiceRecord.activity_id == activity_id
                    )
                ),
            )
            .order_by(Volunteer.id.desc())
            .limit(3)
        ).all()
    dialog = ActivityHoursDialog(activity_id)
    qtbot.addWidget(dialog)
    lists_read(qtbot)
    before = dialog.records.model.total
    dialog.set_chosen([(v.id, v.number) for v in volunteers])
    dialog.hours.setValue(4.5)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "已为 3 名志愿者登记服务时长" in told[-1]
    lists_read(qtbot)
    assert dialog.records.model.total == before + 3
    with demo_db.reading() as session:
        new = session.scalars(
            select(ServiceRecord).where(
                ServiceRecord.activity_id == activity_id,
                ServiceRecord.volunteer_id.in_([v.id for v in volunteers]),
                ServiceRecord.hours == 4.5,
            )
        ).all()
        assert {r.status for r in new} == {"pending"} and len(new) == 3


def test_hours_for_someone_whose_day_already_holds_the_service_are_entered_once_confirmed(
    qtbot, demo_db, told, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from desk_league.services.service_hours import ServiceRecordInput, add_service_record

    with demo_db.transaction() as session:
        activity = session.scalar(
            select(Activity).where(Activity.title == "2026年卫生下乡义诊志愿服务")
        )
        volunteer = session.scalar(
            select(Volunteer)
            .where(
                Volunteer.status == VolunteerStatus.ACTIVE,
                Volunteer.id.not_in(
                    select(ServiceRecord.volunteer_id).where(
                        ServiceRecord.served_on == activity.start_date
                    )
                ),
            )
            .limit(1)
        )
        # the same service came in from an hours sheet, named by its title, no activity linked
        day, title, vid = activity.start_date, activity.title, volunteer.id
        add_service_record(session, ServiceRecordInput(vid, day, 4, content=title))
        activity_id = activity.id
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    dialog = ActivityHoursDialog(activity_id)
    qtbot.addWidget(dialog)
    dialog.set_chosen([(vid, "某志愿者")])
    dialog.hours.setValue(4)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "已有相同的服务记录" in asked[0] and asked[0].endswith("仍要登记吗？")
    assert "已为 1 名志愿者登记服务时长" in told[-1]
    with demo_db.reading() as session:
        on_day = session.scalars(
            select(ServiceRecord).where(
                ServiceRecord.volunteer_id == vid, ServiceRecord.served_on == day
            )
        ).all()
    assert len(on_day) == 2


def test_the_calendar_marks_key_dates_and_activities_and_lists_what_is_coming(qtbot, tab):
    tab.pages.setCurrentIndex(1)
    pane = tab.calendar
    pane.calendar.setSelectedDate(QDate(2026, 10, 18))
    pane.calendar.setCurrentPage(2026, 10)
    qtbot.waitUntil(lambda: date(2026, 10, 18) in pane.calendar.days)
    day = pane.calendar.days[date(2026, 10, 18)]
    assert day.key_dates[0].name == "重阳节（老年节）" and day.activities
    texts = [pane.day_list.item(i).text() for i in range(pane.day_list.count())]
    assert texts[0] == "重要节点：重阳节（老年节）（农历九月初九）"
    shown = [t for t in texts if t.startswith("活动：2026年重阳节")]
    # each activity with its status as the clerk reads it, not its code
    assert shown and all(t.endswith(("（计划中）", "（已完成）")) for t in shown)
    upcoming = pane.upcoming_model
    names = [upcoming.data(upcoming.index(r, 3)) for r in range(upcoming.rowCount())]
    assert "国际志愿者日" in names
    lists_read(qtbot)
    assert pane.key_dates.model.total == 8


def test_a_lunar_key_date_previews_its_solar_days_and_is_saved(qtbot, demo_db, typist):
    dialog = KeyDateDialog(None)
    qtbot.addWidget(dialog)
    typist(dialog.name, "中秋节")
    dialog.calendar.setCurrentIndex(dialog.calendar.findData("lunar"))
    dialog.month.setValue(8)
    dialog.day.setValue(15)
    assert dialog.preview.text().startswith("农历八月十五 → ")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    from desk_league.data.models import KeyDate

    with demo_db.reading() as session:
        saved = session.scalar(select(KeyDate).where(KeyDate.name == "中秋节"))
        assert (saved.calendar, saved.month, saved.day) == ("lunar", 8, 15)


def test_an_info_report_is_added_and_counted_for_its_unit(qtbot, tab, demo_db, typist):
    tab.pages.setCurrentIndex(2)
    pane = tab.info_reports
    lists_read(qtbot)
    tally = pane.tally

    def counted() -> dict[str, int]:
        rows = range(tally.rowCount())
        return {tally.index(r, 0).data(): int(tally.index(r, 1).data()) for r in rows}

    before = counted()
    assert before["市口腔医院"] == 0  # a unit that sent nothing is listed too
    dialog = InfoReportDialog(None, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    typist(dialog.title_edit, "市中医医院开展无偿献血志愿服务")
    dialog.organisation.setCurrentIndex(dialog.organisation.findText("市中医医院团委"))
    dialog.status.setCurrentIndex(dialog.status.findData("adopted"))
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    pane.refresh()
    lists_read(qtbot)
    assert counted()["市中医医院"] == before["市中医医院"] + 1
    with demo_db.reading() as session:
        assert (
            session.scalar(
                select(InfoReport.status).where(InfoReport.title.startswith("市中医医院开展"))
            )
            == "adopted"
        )


def test_the_ledger_is_exported_from_the_tab(qtbot, tab, tmp_path, told):
    import openpyxl

    out = tmp_path / "台账.xlsx"
    tab.export_ledger(str(out))
    qtbot.waitUntil(lambda: any("已导出" in w for w in told), timeout=10_000)
    assert openpyxl.load_workbook(out).active["A1"].value == "2026年市直卫生系统共青团活动台账"


def test_a_removed_photo_goes_to_the_recycle_bin_and_leaves_the_form(qtbot, demo_db, tmp_path):
    from desk_league.services.activities import activity_attachments

    photo = tmp_path / "签到表.pdf"
    photo.write_bytes(b"%PDF-1.4 sign-in sheet")
    dialog = _dialog(qtbot, demo_db, _first_activity(demo_db))
    dialog.choose_files([str(photo)])
    _save(qtbot, dialog)
    reopened = _dialog(qtbot, demo_db, dialog.saved_id)
    assert reopened.attachments.count() == 1
    reopened.attachments.item(0).setSelected(True)
    qtbot.mouseClick(
        reopened.findChild(QToolButton, "remove_attachments"), Qt.MouseButton.LeftButton
    )
    assert reopened.attachments.count() == 0
    _save(qtbot, reopened)
    with demo_db.reading() as session:
        assert activity_attachments(session, dialog.saved_id, demo_db.attachments_dir) == []


def _first_activity(db) -> int:
    with db.reading() as session:
        return session.scalar(select(Activity.id).order_by(Activity.id))


def test_paging_the_calendar_to_the_next_month_loads_its_nodes(qtbot, tab):
    tab.pages.setCurrentIndex(1)
    pane = tab.calendar
    pane.calendar.setCurrentPage(2026, 11)
    next_month = pane.calendar.findChild(QToolButton, "qt_calendar_nextmonth")
    qtbot.mouseClick(next_month, Qt.MouseButton.LeftButton)
    assert (pane.calendar.yearShown(), pane.calendar.monthShown()) == (2026, 12)
    december = pane.calendar.days[date(2026, 12, 5)]
    assert december.key_dates[0].name == "国际志愿者日"
    assert december.activities[0][1] == "2026年国际志愿者日品牌宣传活动"
