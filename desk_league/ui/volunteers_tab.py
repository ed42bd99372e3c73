"""志愿者: the volunteer register above, their service records below.

Everything the clerk does here is one operation (``ui/operations``): one service call in one
transaction; long work (import, registers, certificate batches) runs in the background. Opening
the tab reads in the background, in the order the clerk looks: the filters' choices and the star
thresholds, the volunteers, then the service records below them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QInputDialog, QSplitter, QWidget

from desk_league.domain.codes import ServiceStatus, VolunteerStatus
from desk_league.domain.stars import DEFAULT_STAR_THRESHOLDS
from desk_league.services import service_hours, volunteers
from desk_league.services.organisations import unit_names
from desk_league.services.service_proofs import issue_service_proofs
from desk_league.services.volunteers import SERVICE_RECORDS
from desk_league.ui.base_tab import BaseTab, ListTable, refill
from desk_league.ui.messages import confirm, inform
from desk_league.ui.operations import Changed, change, long_change, long_query, query, read
from desk_league.ui.table_model import frozen
from desk_league.ui.volunteer_dialogs import ProofDialog, ServiceRecordDialog, VolunteerDialog

EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
YEARS_SHOWN = 6


class VolunteersTab(BaseTab):
    title = "志愿者"
    watches = (
        Changed.VOLUNTEERS
        | Changed.PEOPLE
        | Changed.SERVICE_RECORDS
        | Changed.ORGANISATIONS
        | Changed.SETTINGS
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thresholds = tuple(DEFAULT_STAR_THRESHOLDS)  # the office's own come with refresh
        self.volunteers = ListTable(volunteers.volunteer_listing(self.thresholds), self)
        self.records = ListTable(SERVICE_RECORDS, self)
        self._records_follow = False  # the records are read once the volunteers are on screen
        self.volunteers.model.reloaded.connect(self._volunteers_shown)
        self._volunteer_filters([], [])
        self._volunteer_buttons()
        self._record_filters()
        self._record_buttons()
        self.volunteers.on_activated(lambda _: self.edit_volunteer())
        self.volunteers.set_empty_state(
            "志愿者名册还是空的。\n可以逐个登记，也可以导入 Excel 志愿者名册；已在团员名册中的人导入后"
            "只增加志愿者身份，不会重复登记。没有现成名册的，可先下载导入模板填写。",
            [
                ("导入志愿者名册…", self.open_import),
                ("登记志愿者…", self.add_volunteer),
                ("下载导入模板…", lambda: self.save_template("volunteers")),
            ],
        )
        self.records.set_empty_state(
            "还没有志愿服务记录。\n选中上方的志愿者后“录入时长”，或在“活动”页从志愿服务活动登记参加者的时长，"
            "也可以导入时长表。",
            [("导入时长表…", lambda: self.open_import("service_records"))],
            context=["volunteer_id"],
        )
        self.volunteers.view.selectionModel().currentRowChanged.connect(
            lambda *_: self._follow_selection()
        )

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.volunteers)
        splitter.addWidget(self.records)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter)

    def show_record(self, kind: str, record_id: int | None, text: str = "") -> None:
        """Lead the clerk to a volunteer (the overview's list of those under the yearly
        minimum): searched for by number and selected."""
        if kind == "volunteer":
            self.ensure_loaded()
            self.volunteers.show_row(record_id, text)

    # --- set-up -----------------------------------------------------------------------------

    def _volunteer_filters(self, units: list[str], teams: list[str]) -> None:
        table = self.volunteers
        self.unit_filter = table.add_filter(
            "unit", "单位", [("全部", None)] + [(u, u) for u in units]
        )
        # Unit names run long; the drop-down shows them in full, the closed box stays compact.
        self.unit_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.unit_filter.setMinimumContentsLength(8)
        self.team_filter = table.add_filter(
            "team", "服务队", [("全部", None)] + [(t, t) for t in teams]
        )
        table.add_filter(
            "status", "状态", [("全部", None)] + [(s.label, s) for s in VolunteerStatus]
        )
        stars = [("全部", None), ("无星级", 0)] + [
            (volunteers.STAR_LABELS[n], n) for n in range(1, 6)
        ]
        table.add_filter("stars", "星级", stars)

    def _volunteer_buttons(self) -> None:
        table = self.volunteers
        table.add_button("登记", self.add_volunteer, "Ctrl+N", name="add_volunteer")
        table.add_button("修改", self.edit_volunteer, name="edit_volunteer")
        table.add_button("导入…", self.open_import, name="import_volunteers")
        table.add_button("出具证明…", self.issue_proofs, name="issue_proofs")
        table.add_button("花名册…", self.export_roster, name="export_roster")
        table.add_button("时长统计…", self.export_hours, name="export_hours")
        table.add_button("星级门槛…", self.edit_star_thresholds, name="star_thresholds")

    def _record_filters(self) -> None:
        table = self.records
        self.only_selected = QCheckBox("只看所选志愿者", objectName="only_selected")
        self.only_selected.toggled.connect(lambda _: self._follow_selection())
        table.filters_layout.addWidget(self.only_selected)
        table.add_filter("status", "状态", [("全部", None)] + [(s.label, s) for s in ServiceStatus])
        year = date.today().year
        table.add_filter(
            "year",
            "年度",
            [("全部", None)] + [(f"{y}年", y) for y in range(year, year - YEARS_SHOWN, -1)],
        )

    def _record_buttons(self) -> None:
        table = self.records
        table.add_button("录入时长", self.add_record, name="add_record")
        table.add_button("修改", self.edit_record, name="edit_record")
        table.add_button("审核通过", self.approve_records, name="approve_records")
        table.add_button("作废…", self.void_record, name="void_record")
        table.add_button("导出明细…", self.export_records, name="export_records")
        table.on_activated(lambda _: self.edit_record())

    def refresh(self) -> None:
        query(self, _choices).in_background().success(self._show_choices).run()

    def _show_choices(self, choices: tuple[tuple[float, ...], list[str], list[str]]) -> None:
        thresholds, units, teams = choices
        refill(self.unit_filter, [(u, u) for u in units])
        refill(self.team_filter, [(t, t) for t in teams])
        if thresholds != self.thresholds:  # the star column is SQL built from the thresholds
            self.thresholds = thresholds
            self.volunteers.model.listing = volunteers.volunteer_listing(thresholds)
        self._records_follow = True
        self.volunteers.refresh()

    def _volunteers_shown(self) -> None:
        if self._records_follow:
            self._records_follow = False
            self.records.refresh()

    def _follow_selection(self) -> None:
        vid = self.volunteers.current_id() if self.only_selected.isChecked() else None
        if self.records.model.query.filters.get("volunteer_id") != vid:
            self.records.model.set_filter("volunteer_id", vid)

    # --- volunteers -------------------------------------------------------------------------

    def add_volunteer(self) -> None:
        VolunteerDialog(parent=self).exec()

    def edit_volunteer(self) -> None:
        vid = self._require_volunteer()
        if vid is not None:
            VolunteerDialog(vid, parent=self).exec()

    def _require_volunteer(self) -> int | None:
        vid = self.volunteers.current_id()
        if vid is None:
            inform(self, "请先在上方列表中选择一位志愿者。")
        return vid

    def open_import(self, kind: str = "volunteers") -> None:
        from desk_league.ui.import_wizard import ImportWizard

        ImportWizard(self, kind=kind).exec()

    def save_template(self, kind: str, path: str | None = None) -> None:
        from desk_league.ui.import_wizard import save_template

        save_template(self, kind, path)

    def issue_proofs(self, path: str | None = None) -> None:
        ids = self.volunteers.selected_ids()
        if not ids:
            inform(self, "请先在上方列表中选择志愿者（可按住 Ctrl 或 Shift 多选）。")
            return
        dialog = ProofDialog(len(ids), self)
        if not dialog.exec() or dialog.period is None:
            return
        start, end = dialog.period
        name = "志愿服务证明.pdf" if len(ids) > 1 else f"志愿服务证明_{self._current_name()}.pdf"
        path = path or _save_path(self, "保存志愿服务证明", name, "PDF 文件 (*.pdf)")
        if not path:
            return
        mask = dialog.mask.isChecked()
        long_change(
            self,
            "出具志愿服务证明",
            lambda session, progress: issue_service_proofs(
                session, ids, start, end, path, mask_ids=mask, progress=progress
            ),
            Changed.SERVICE_RECORDS,
        ).success(
            lambda numbers: inform(
                self, f"已出具 {len(numbers)} 份证明（{numbers[0]} 起），保存在：{path}"
            )
        ).run()

    def _current_name(self) -> str:
        index = self.volunteers.view.currentIndex()
        return str(self.volunteers.model.row_value(index.row(), "name")) if index.isValid() else ""

    def export_roster(self, path: str | None = None) -> None:
        path = path or _save_path(self, "导出志愿者花名册", "志愿者花名册.xlsx", EXCEL_FILTER)
        if not path:
            return
        query = frozen(self.volunteers.model.query)
        long_query(
            self,
            "导出志愿者花名册",
            lambda session, progress: volunteers.export_volunteer_roster(
                session, path, query, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()

    def export_hours(self, path: str | None = None, year: int | None = None) -> None:
        if year is None:
            this_year = date.today().year
            year, ok = QInputDialog.getInt(
                self, "志愿服务时长统计", "统计年度：", this_year, 2000, this_year + 1
            )
            if not ok:
                return
        path = path or _save_path(
            self, "导出志愿服务时长统计", f"{year}年度志愿服务时长统计.xlsx", EXCEL_FILTER
        )
        if not path:
            return

        long_query(
            self,
            "导出志愿服务时长统计",
            lambda session, progress: volunteers.export_hours_statistics(
                session, path, year, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()

    def edit_star_thresholds(self) -> None:
        current = read(volunteers.star_thresholds)
        text, ok = QInputDialog.getText(
            self,
            "星级门槛",
            "一星至五星所需累计时长（小时），用“/”分隔：",
            text="/".join(f"{t:g}" for t in current),
        )
        if ok:  # the tab reloads with the new thresholds (a setting changed)
            change(
                self,
                lambda s: volunteers.save_star_thresholds(s, text.replace("／", "/").split("/")),
                Changed.SETTINGS,
                action="保存星级门槛",
            ).run()

    # --- service records --------------------------------------------------------------------

    def add_record(self) -> None:
        vid = self._require_volunteer()
        if vid is None:
            return
        index = self.volunteers.view.currentIndex()
        label = f"{self.volunteers.model.row_value(index.row(), 'name')}（{self.volunteers.model.row_value(index.row(), 'number')}）"
        ServiceRecordDialog(label, vid, parent=self).exec()

    def edit_record(self) -> None:
        rid = self.records.current_id()
        if rid is None:
            inform(self, "请先在下方列表中选择一条服务记录。")
            return
        label, data, status = read(lambda session: _record_form(session, rid))
        if status != ServiceStatus.PENDING:
            inform(self, "已审核或已作废的记录不能修改；如有错误，请作废后重新录入。")
            return
        ServiceRecordDialog(label, data.volunteer_id, record_id=rid, data=data, parent=self).exec()

    def approve_records(self) -> None:
        ids = self.records.selected_ids()
        if not ids:
            inform(self, "请先在下方列表中选择要审核的记录（可多选）。")
            return
        if not confirm(self, f"审核通过所选 {len(ids)} 条记录？审核后记录将锁定，不能再修改。"):
            return
        change(
            self,
            lambda s: service_hours.approve_service_records(s, ids),
            Changed.SERVICE_RECORDS,
            action="审核",
        ).success(
            lambda changed: inform(
                self,
                f"已审核通过 {changed} 条记录"
                + ("。" if changed == len(ids) else "（其余已审核或已作废）。"),
            )
        ).run()

    def void_record(self) -> None:
        rid = self.records.current_id()
        if rid is None:
            inform(self, "请先在下方列表中选择要作废的记录。")
            return
        reason, ok = QInputDialog.getText(self, "作废服务记录", "作废原因（必填）：")
        if ok:
            change(
                self,
                lambda s: service_hours.void_service_record(s, rid, reason),
                Changed.SERVICE_RECORDS,
                action="作废",
            ).run()

    def export_records(self, path: str | None = None) -> None:
        path = path or _save_path(
            self, "导出志愿服务记录明细", "志愿服务记录明细.xlsx", EXCEL_FILTER
        )
        if not path:
            return
        query = frozen(self.records.model.query)
        long_query(
            self,
            "导出志愿服务记录明细",
            lambda session, progress: volunteers.export_service_records_register(
                session, path, query, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()


def _save_path(parent: QWidget, title: str, name: str, file_filter: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), file_filter)
    return path


def _choices(session) -> tuple[list[float], list[str], list[str]]:
    """The star thresholds and the filters' choices (units, service teams)."""
    return (
        volunteers.star_thresholds(session),
        unit_names(session),
        volunteers.team_names(session),
    )


def _record_form(session, record_id: int) -> tuple[str, service_hours.ServiceRecordInput, str]:
    """A service record as its form shows it: who, what, and whether it may still change."""
    record = service_hours.get_service_record(session, record_id)
    data = service_hours.service_record_input(session, record_id)  # with its version
    return f"{record.volunteer.person.name}（{record.volunteer.number}）", data, record.status
