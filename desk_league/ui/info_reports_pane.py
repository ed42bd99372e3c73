"""信息报送: the items each unit sent upward, and the yearly tally per unit (every unit listed,
those that sent nothing too: the rows of the register and of the annual workbook)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import InfoReportStatus
from desk_league.services.info_reports import (
    INFO_CHANNELS,
    INFO_REPORTS,
    InfoReportInput,
    activity_choices,
    create_info_report,
    delete_info_report,
    export_info_report_tally,
    info_report_form,
    tally_rows,
    update_info_report,
)
from desk_league.services.organisations import organisation_choices
from desk_league.ui.base_tab import ListTable
from desk_league.ui.forms import FormDialog, choice_combo, date_edit, from_qdate
from desk_league.ui.messages import confirm, inform
from desk_league.ui.operations import Changed, change, long_query, read
from desk_league.ui.tree_model import RecordTreeModel, TreeColumn, TreeRow

TALLY_COLUMNS = [
    TreeColumn("unit", "报送单位", 200),
    TreeColumn("total", "报送总数", 70, "int"),
    TreeColumn("adopted", "被采用", 60, "int"),
    *(TreeColumn(f"channel_{i}", channel, 65, "int") for i, channel in enumerate(INFO_CHANNELS)),
]


class InfoReportsPane(QWidget):
    def __init__(
        self,
        years: list[tuple[str, int | None]],
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self.reports = ListTable(INFO_REPORTS, self)
        self.year = self.reports.add_filter("year", "年度", years, current=self.today.year)
        self.reports.add_filter(
            "channel", "渠道", [("全部", None)] + [(c, c) for c in INFO_CHANNELS]
        )
        self.reports.add_filter(
            "status", "状态", [("全部", None)] + [(s.label, s) for s in InfoReportStatus]
        )
        self.reports.add_button("新增…", self.new_report, "Ctrl+N", name="new_info_report")
        self.reports.add_button("编辑…", self.edit_report, name="edit_info_report")
        self.reports.add_button("删除", self.delete_report, name="delete_info_report")
        self.reports.add_button("导出统计表…", self.export_tally, name="export_info_reports")
        self.reports.on_activated(self.edit_report)
        self.reports.set_empty_state(
            f"{self.today.year}年还没有信息报送记录。\n各单位向上级团委、报刊、网站、公众号报送的信息，"
            "每条登记一行（已报送 / 已采用），下方按单位统计。",
            [("新增报送…", self.new_report)],
        )

        self.tally = RecordTreeModel(TALLY_COLUMNS, parent=self)
        self.tally_view = QTreeView(objectName="info_report_tally")
        self.tally_view.setModel(self.tally)
        self.tally_view.setRootIsDecorated(False)
        self.tally_view.setUniformRowHeights(True)
        self.tally_view.setAlternatingRowColors(True)
        for i, column in enumerate(TALLY_COLUMNS):
            self.tally_view.setColumnWidth(i, column.width)
        self.year.currentIndexChanged.connect(lambda _i: self._show_tally())
        self.tally_box = QGroupBox()
        QVBoxLayout(self.tally_box).addWidget(self.tally_view)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.reports)
        splitter.addWidget(self.tally_box)
        splitter.setSizes([480, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(splitter)

    def refresh(self) -> None:
        self.reports.refresh()
        self._show_tally()

    def _show_tally(self) -> None:
        year, today = self.year.currentData() or self.today.year, self.today
        rows = read(lambda session: tally_rows(session, year, today))
        self.tally.set_rows([TreeRow(n, None, row) for n, row in enumerate(rows, start=1)])
        silent = sum(1 for row in rows if not row["total"])
        self.tally_box.setTitle(f"{year}年各单位报送统计（共{len(rows)}个单位，未报送{silent}个）")

    def new_report(self) -> None:
        InfoReportDialog(None, self, today=self.today).exec()

    def edit_report(self, report_id: int | None = None) -> None:
        report_id = report_id or self.reports.current_id()
        if report_id:
            InfoReportDialog(report_id, self, today=self.today).exec()

    def delete_report(self) -> None:
        ids = self.reports.selected_ids()
        if not ids or not confirm(
            self, f"删除选中的 {len(ids)} 条信息报送记录？（可在回收站恢复）"
        ):
            return

        def delete(session) -> None:
            for report_id in ids:
                delete_info_report(session, report_id)

        change(self, delete, Changed.INFO_REPORTS, action="删除").run()

    def export_tally(self, path: str | None = None) -> None:
        year = self.year.currentData() or self.today.year
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self,
                "导出信息报送统计表",
                str(Path.home() / f"{year}年信息报送统计表.xlsx"),
                "Excel 工作簿 (*.xlsx)",
            )
        if not path:
            return

        long_query(
            self,
            "导出信息报送统计表",
            lambda session, progress: export_info_report_tally(
                session, path, year=year, today=self.today, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()


class InfoReportDialog(FormDialog):
    changes = Changed.INFO_REPORTS

    def __init__(
        self,
        report_id: int | None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__("编辑信息报送" if report_id else "新增信息报送", parent)
        self.report_id = report_id
        today = today or date.today()

        def load(session):
            data = info_report_form(session, report_id) if report_id else InfoReportInput("", today)
            choices = (
                organisation_choices(session),
                activity_choices(session, data.reported_on.year),
            )
            return data, *choices

        data, organisations, activities = read(load)
        self.version, self.today = data.version, today
        self.reported_on = self.add_field("报送日期", date_edit(data.reported_on, "report_date"))
        self.organisation = self.add_field(
            "报送单位",
            choice_combo(
                organisations, data.organisation_id, none_text="（请选择）", name="report_unit"
            ),
        )
        self.title_edit = self.add_field(
            "信息标题", QLineEdit(data.title, objectName="report_title")
        )
        self.channel = self.add_field(
            "报送渠道",
            choice_combo(
                [(c, c) for c in INFO_CHANNELS], data.channel, editable=True, name="report_channel"
            ),
        )
        self.status = self.add_field(
            "状态",
            choice_combo(
                list(InfoReportStatus.labels().items()), data.status, name="report_status"
            ),
        )
        self.adopted_by = self.add_field(
            "采用单位/媒体",
            QLineEdit(
                data.adopted_by,
                objectName="report_adopted_by",
                placeholderText="如：团市委《工作简报》第5期",
            ),
        )
        self.activity = self.add_field(
            "相关活动",
            choice_combo(activities, data.activity_id, none_text="（无）", name="report_activity"),
        )
        self.note = self.add_field("备注", QPlainTextEdit(data.note, objectName="report_note"))
        self.note.setMaximumHeight(70)
        self.resize(560, 420)

    def reopened(self) -> InfoReportDialog | None:
        return InfoReportDialog(self.report_id, self.parentWidget(), today=self.today)

    def save(self, session) -> None:
        data = InfoReportInput(
            title=self.title_edit.text(),
            reported_on=from_qdate(self.reported_on.date()),
            organisation_id=self.organisation.currentData(),
            channel=self.channel.currentText().strip(),
            status=self.status.currentData(),
            adopted_by=self.adopted_by.text().strip(),
            activity_id=self.activity.currentData(),
            note=self.note.toPlainText().strip(),
            version=self.version,
        )
        if self.report_id is None:
            create_info_report(session, data)
        else:
            update_info_report(session, self.report_id, data)
