"""A change made on one tab shows on the others without F5, and a reload keeps the clerk's place."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QToolButton
from sqlalchemy import select

from desk_league.data.models import Activity, ServiceRecord, Volunteer
from desk_league.domain.codes import VolunteerStatus
from desk_league.services.settings import set_setting
from desk_league.ui.activities_tab import ActivitiesTab
from desk_league.ui.activity_hours_dialog import ActivityHoursDialog
from desk_league.ui.operations import Changed, change
from desk_league.ui.overview_tab import OverviewTab
from desk_league.ui.volunteers_tab import VolunteersTab
from tests.conftest import lists_read, menu_item
from tests.ui.shots import in_dialog

PENDING = "待审核时长记录"


def _figure(overview: OverviewTab, name: str) -> float:
    card = next(c for c in overview._cards if c.name.text() == name)
    return float(card.number.text())


def _show(qtbot, window, cls):
    tab = window.tab(cls)
    window.tabs.setCurrentWidget(tab)
    lists_read(qtbot)
    return tab


def test_approving_hours_on_the_volunteers_tab_updates_the_overview_without_f5(
    qtbot, main_window, told, demo_db
):
    overview = main_window.tab(OverviewTab)
    with qtbot.waitSignal(overview.loaded, timeout=10_000):
        main_window.tabs.setCurrentWidget(overview)
        overview.refresh()
    before = _figure(overview, PENDING)
    with demo_db.reading() as session:
        assert before == len(
            session.scalars(select(ServiceRecord.id).where(ServiceRecord.status == "pending")).all()
        )

    volunteers = _show(qtbot, main_window, VolunteersTab)
    volunteers.records.model.set_filter("status", "pending")
    lists_read(qtbot)
    volunteers.records.view.selectRow(0)
    chosen = volunteers.records.selected_ids()
    assert chosen
    volunteers.findChild(QToolButton, "approve_records").click()
    assert any("已审核通过 1 条记录" in line for line in told)

    with qtbot.waitSignal(overview.loaded, timeout=10_000):
        main_window.tabs.setCurrentWidget(overview)  # no F5: it heard of the change
    assert _figure(overview, PENDING) == before - 1


def test_hours_registered_from_an_activity_show_on_the_volunteers_tab(
    qtbot, main_window, told, demo_db
):
    volunteers = _show(qtbot, main_window, VolunteersTab)
    before = volunteers.records.model.total
    assert volunteers.records.count_label.text() == f"共 {before} 条"

    with demo_db.reading() as session:
        activity_id, title = session.execute(
            select(Activity.id, Activity.title).where(
                Activity.title == "2026年卫生下乡义诊志愿服务"
            )
        ).one()
        chosen = session.execute(
            select(Volunteer.id, Volunteer.number)
            .where(
                Volunteer.status == VolunteerStatus.ACTIVE,
                Volunteer.id.not_in(
                    select(ServiceRecord.volunteer_id).where(
                        ServiceRecord.activity_id == activity_id
                    )
                ),
            )
            .limit(3)
        ).all()
    activities = _show(qtbot, main_window, ActivitiesTab)
    activities.year.setCurrentIndex(0)  # 全部
    activities.table.show_row(activity_id, title)
    lists_read(qtbot)
    assert activities.table.current_id() == activity_id

    def register(dialog: ActivityHoursDialog) -> None:
        dialog.set_chosen([(v.id, v.number) for v in chosen])
        dialog.record_button.click()
        qtbot.waitUntil(lambda: any("登记服务时长" in line for line in told), timeout=10_000)
        dialog.reject()

    in_dialog(ActivityHoursDialog, register)
    activities.findChild(QToolButton, "record_activity_hours").click()

    _show(qtbot, main_window, VolunteersTab)  # no F5
    assert volunteers.records.model.total == before + 3
    assert volunteers.records.count_label.text() == f"共 {before + 3} 条"


def test_a_reload_keeps_the_selected_rows_and_the_place_in_a_long_list(qtbot, main_window):
    volunteers = _show(qtbot, main_window, VolunteersTab)
    table = volunteers.volunteers
    view = table.view
    QApplication.processEvents()  # laid out, as on screen
    view.scrollTo(table.model.index(150, 0), view.ScrollHint.PositionAtTop)  # well down the list
    assert view.indexAt(QPoint(0, 0)).row() == 150
    top = table.model.row_id(150)
    for row in (151, 153):
        view.selectionModel().select(
            table.model.index(row, 0),
            view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
        )
    view.selectionModel().setCurrentIndex(
        table.model.index(153, 0), view.selectionModel().SelectionFlag.NoUpdate
    )
    selected, current = table.selected_ids(), table.current_id()

    change(
        None, lambda s: set_setting(s, "volunteer_teams", ["应急救护队"]), Changed.SETTINGS
    ).run()
    assert table.model.rowCount() >= 154  # the rows stay on screen while they are read again
    lists_read(qtbot)

    assert table.model.rowCount() >= 154  # as many rows as were read, read again
    assert table.selected_ids() == selected and table.current_id() == current
    assert table.model.row_id(view.indexAt(QPoint(0, 0)).row()) == top


def test_a_hidden_tab_waits_to_be_shown_and_f5_reloads_the_one_on_screen(qtbot, main_window):
    volunteers = _show(qtbot, main_window, VolunteersTab)
    activities = _show(qtbot, main_window, ActivitiesTab)
    reloads: list[str] = []
    volunteers.refresh = lambda: reloads.append("volunteers")  # counted, not run
    activities.refresh = lambda: reloads.append("activities")

    change(None, lambda s: None, Changed.SERVICE_RECORDS).run()
    assert reloads == []  # 志愿者 is hidden; 活动 does not show service records
    main_window.tabs.setCurrentWidget(volunteers)
    assert reloads == ["volunteers"]
    menu_item(main_window, "刷新").trigger()  # F5
    assert reloads == ["volunteers", "volunteers"]
    main_window.tabs.setCurrentWidget(activities)  # F5 marked it too
    assert reloads[-1] == "activities"
