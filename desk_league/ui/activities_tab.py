"""活动: the activity ledger (活动台账), the key-date calendar and information reports (信息报送)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QTabWidget

from desk_league.domain.codes import ActivityStatus
from desk_league.services.activities import (
    ACTIVITIES,
    VOLUNTEER_CATEGORY,
    activity_categories,
    activity_years,
    delete_activity,
    export_activity_register,
    set_activity_categories,
)
from desk_league.services.organisations import organisation_choices
from desk_league.ui.activity_dialog import ActivityDialog
from desk_league.ui.activity_hours_dialog import ActivityHoursDialog
from desk_league.ui.base_tab import BaseTab, ListTable, refill
from desk_league.ui.calendar_view import CalendarPane
from desk_league.ui.info_reports_pane import InfoReportsPane
from desk_league.ui.messages import confirm, inform
from desk_league.ui.operations import Changed, change, long_query, read


class ActivitiesTab(BaseTab):
    title = "活动"
    watches = (
        Changed.ACTIVITIES
        | Changed.KEY_DATES
        | Changed.INFO_REPORTS
        | Changed.PLAN
        | Changed.ORGANISATIONS
        | Changed.SETTINGS
    )

    def __init__(self, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        years, categories, organisers = read(self._choices)

        self.table = ListTable(ACTIVITIES, self)
        self.year = self.table.add_filter("year", "年度", years, current=self.today.year)
        self.table.add_filter(
            "month", "月份", [("全部", None)] + [(f"{m}月", m) for m in range(1, 13)]
        )
        self.category_filter = self.table.add_filter(
            "category", "类别", [("全部", None)] + [(c, c) for c in categories]
        )
        self.organiser_filter = self.table.add_filter(
            "organiser_id", "主办", [("全部", None)] + [(n, i) for i, n in organisers]
        )
        self.organiser_filter.setMaximumWidth(180)
        self.table.add_filter(
            "status", "状态", [("全部", None)] + [(s.label, s) for s in ActivityStatus]
        )
        self.table.add_button("新建…", self.new_activity, "Ctrl+N", name="new_activity")
        self.table.add_button("编辑…", self.edit_activity, name="edit_activity")
        self.table.add_button("删除", self.delete_activity, name="delete_activity")
        self.table.add_button("登记志愿时长…", self.record_hours, name="record_activity_hours")
        self.table.add_button("导出台账…", self.export_ledger, name="export_activities")
        self.table.add_button("类别设置…", self.edit_categories, name="activity_categories")
        self.table.on_activated(self.edit_activity)
        self.table.set_empty_state(
            f"{self.today.year}年还没有登记活动。\n活动台账每次活动一行：名称、类别、日期、地点、主办单位和参加人员，"
            "可附照片，可对应到工作计划的事项；志愿服务类活动还可以从这里登记参加者的志愿时长。",
            [("新建活动…", self.new_activity)],
        )

        self.calendar = CalendarPane(self, today=self.today)
        self.calendar.activity_opened.connect(self.edit_activity)
        self.info_reports = InfoReportsPane(years, self, today=self.today)

        self.pages = QTabWidget(self, objectName="activities_pages")
        self.pages.addTab(self.table, "活动台账")
        self.pages.addTab(self.calendar, "节点日历")
        self.pages.addTab(self.info_reports, "信息报送")
        self._page_loaded = {0}
        self.pages.currentChanged.connect(self._page_shown)
        self.layout_.addWidget(self.pages)

    def _page_shown(self, index: int) -> None:
        if index not in self._page_loaded:
            self._page_loaded.add(index)
            self.pages.widget(index).refresh()

    def _choices(self, session) -> tuple[list[tuple[str, int | None]], list[str], list]:
        years = [("全部", None)] + [(f"{y}年", y) for y in activity_years(session, self.today)]
        return years, activity_categories(session), organisation_choices(session)

    def refresh(self) -> None:
        years, categories, organisers = read(self._choices)
        refill(self.year, years[1:])
        refill(self.category_filter, [(c, c) for c in categories])
        refill(self.organiser_filter, [(n, i) for i, n in organisers])
        self.table.refresh()
        for index in self._page_loaded - {0}:
            self.pages.widget(index).refresh()

    # --- the ledger's actions ------------------------------------------------------------

    def new_activity(self) -> None:
        self._open(None)

    def edit_activity(self, activity_id: int | None = None) -> None:
        activity_id = activity_id or self.table.current_id()
        if activity_id:
            self._open(activity_id)

    def _open(self, activity_id: int | None) -> None:
        dialog = ActivityDialog(activity_id, self, today=self.today)
        if dialog.exec() and dialog.notice:
            inform(self, dialog.notice)

    def delete_activity(self) -> None:
        ids = self.table.selected_ids()
        if not ids or not confirm(self, f"删除选中的 {len(ids)} 项活动？（可在回收站恢复）"):
            return

        def delete(session) -> None:
            for activity_id in ids:
                delete_activity(session, activity_id)

        change(self, delete, ActivityDialog.changes, action="删除").run()

    def record_hours(self) -> None:
        row = self.table.view.currentIndex().row()
        activity_id = self.table.current_id()
        if activity_id is None:
            inform(self, f"请先在台账中选中一项“{VOLUNTEER_CATEGORY}”类活动。")
            return
        if self.table.model.row_value(row, "category") != VOLUNTEER_CATEGORY:
            inform(self, f"只有“{VOLUNTEER_CATEGORY}”类活动才能登记志愿服务时长。")
            return
        ActivityHoursDialog(activity_id, self).exec()

    def edit_categories(self) -> None:
        current = read(activity_categories)
        text, ok = QInputDialog.getMultiLineText(
            self, "活动类别", "每行一个类别（已有活动使用的类别不能删除）：", "\n".join(current)
        )
        if ok:  # the category filter is refilled when the tab reloads
            change(
                self,
                lambda s: set_activity_categories(s, text.splitlines()),
                Changed.ACTIVITIES | Changed.SETTINGS,
                action="保存类别",
            ).run()

    def export_ledger(self, path: str | None = None) -> None:
        year = self.year.currentData() or self.today.year
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self,
                "导出活动台账",
                str(Path.home() / f"{year}年活动台账.xlsx"),
                "Excel 工作簿 (*.xlsx)",
            )
        if not path:
            return

        long_query(
            self,
            "导出活动台账",
            lambda session, progress: export_activity_register(
                session, path, year=year, today=self.today, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()
