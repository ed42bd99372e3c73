"""荣誉: the honour register, 青年文明号 management, commendation batches and certificate templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import HonourStatus, NominationStatus
from desk_league.services import commendations, honours
from desk_league.services.commendations import COMMENDATIONS, NOMINATIONS
from desk_league.services.honour_certificates import CertificateJob, prepare_certificates, write_job
from desk_league.services.honours import HONOUR_LEVELS, HONOURS, YOUTH_CIVILIZATIONS
from desk_league.services.organisations import unit_names
from desk_league.ui.base_tab import BaseTab, ListTable, refill
from desk_league.ui.certificate_template_editor import TemplateEditor
from desk_league.ui.forms import guard_tab_switch
from desk_league.ui.honour_dialogs import (
    BatchRulesDialog,
    CertificateOptionsDialog,
    ChecklistDialog,
    CommendationDialog,
    HonourDialog,
    HonourTypesDialog,
    NominationDialog,
    QuotaDialog,
    ReviewDialog,
)
from desk_league.ui.messages import confirm, inform
from desk_league.ui.operations import Changed, Op, change, long_query, query, read
from desk_league.ui.pdf_preview import PdfPreviewDialog
from desk_league.ui.table_model import frozen


class HonoursTab(BaseTab):
    title = "荣誉"
    watches = (
        Changed.HONOURS
        | Changed.COMMENDATIONS
        | Changed.TEMPLATES
        | Changed.PEOPLE
        | Changed.ORGANISATIONS
        | Changed.SETTINGS
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QTabWidget(objectName="honour_pages")
        self.register_page = HonourRegisterPage(self)
        self.youth_page = YouthCivilizationPage(self)
        self.batches_page = CommendationsPage(self)
        self.templates_page = TemplateEditor(self)
        self.pages.addTab(self.register_page, "荣誉登记")
        self.pages.addTab(self.youth_page, "青年文明号")
        self.pages.addTab(self.batches_page, "表彰与推荐")
        self.pages.addTab(self.templates_page, "证书模板")
        guard_tab_switch(self.pages, lambda _index: None)  # unsaved template edits are asked about
        self.layout_.addWidget(self.pages)
        self.last_preview: PdfPreviewDialog | None = None

    def refresh(self) -> None:
        for page in (self.register_page, self.youth_page, self.batches_page, self.templates_page):
            page.refresh()

    def may_leave(self) -> bool:
        return self.templates_page.may_leave()

    def show_honours_of(
        self, *, person_id: int | None = None, organisation_id: int | None = None
    ) -> None:
        """Open the register filtered to one person's or one organisation's honours."""
        self.pages.setCurrentWidget(self.register_page)
        self.register_page.show_only(person_id=person_id, organisation_id=organisation_id)

    # --- shared by the pages ------------------------------------------------------------------

    def print_certificates(
        self,
        *,
        batch_id: int | None = None,
        honour_ids: list[int] | None = None,
        folder: str | None = None,
    ) -> None:
        """Options → glyph check → PDFs in the background → preview with 打印…"""
        query(
            self,
            lambda s: prepare_certificates(s, batch_id=batch_id, honour_ids=honour_ids),
            action="生成荣誉证书",
        ).success(lambda job: self._choose_options(job, batch_id, honour_ids, folder)).run()

    def _choose_options(
        self,
        job: CertificateJob,
        batch_id: int | None,
        honour_ids: list[int] | None,
        folder: str | None,
    ) -> None:
        template_id = job.template_id
        dialog = CertificateOptionsDialog(f"{len(job.recipients)} 份荣誉证书", template_id, self)
        if folder:
            dialog.folder.setText(folder)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.template.currentData()
        if chosen not in (None, template_id):
            job = read(
                lambda s: prepare_certificates(
                    s, batch_id=batch_id, honour_ids=honour_ids, template_id=chosen
                )
            )
        self._generate(
            job, dialog.folder.text(), dialog.combined.isChecked(), dialog.separate.isChecked()
        )

    def _generate(self, job: CertificateJob, folder: str, combined: bool, separate: bool) -> None:
        """In the background: the characters are checked (a name no font can print stops it
        with the list of them), then the files written."""

        def done(output) -> None:
            first = output.combined or (output.files[0] if output.files else None)
            note = f"已生成 {output.count} 份荣誉证书，保存在 {folder}"
            if first is not None:
                self.last_preview = PdfPreviewDialog(first, self, note)
                self.last_preview.show()

        Op(
            self,
            lambda progress: write_job(
                job, folder, combined=combined, separate=separate, progress=progress
            ),
            action="生成荣誉证书",
        ).in_background("生成荣誉证书").success(done).run()


class HonourRegisterPage(QWidget):
    def __init__(self, tab: HonoursTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.table = ListTable(HONOURS, self)
        # choices are filled on first show (refresh), not while the window is being built
        # a year's honours: granted in it (the 年度 when undated), as the statistics count them
        self.year_filter = self.table.add_filter("year", "授予年份", [("全部", None)])
        self.type_filter = self.table.add_filter("type_id", "类型", [("全部", None)])
        self.table.add_filter(
            "level", "级别", [("全部", None)] + [(lv, lv) for lv in HONOUR_LEVELS]
        )
        self.unit_filter = self.table.add_filter("unit", "单位", [("全部", None)])
        self.table.add_filter(
            "status", "状态", [("全部", None)] + [(s.label, s) for s in HonourStatus]
        )
        self.scope = QLabel(objectName="honour_scope")
        self.show_all = QPushButton("显示全部荣誉", objectName="show_all_honours")
        self.show_all.clicked.connect(lambda: self.show_only(person_id=None, organisation_id=None))
        self.table.add_button("新增…", self.add, "Ctrl+N", "add_honour")
        self.table.add_button("编辑…", self.edit, name="edit_honour")
        self.table.add_button("删除", self.delete, name="delete_honour")
        self.table.add_button("分配证书编号", self.assign_numbers, name="assign_numbers")
        self.table.add_button("打印证书…", self.print_selected, name="print_selected")
        self.table.add_button("导出登记表…", self.export, name="export_honours")
        self.table.add_button("荣誉类型…", self.edit_types, name="honour_types")
        self.table.on_activated(self.edit)
        self.table.set_empty_state(
            "还没有荣誉记录。\n个人、团组织或集体（如某科室）获得的各级荣誉在这里登记；"
            "本团委的表彰在“表彰与推荐”页批准后自动登记并编号。",
            [("新增荣誉…", self.add)],
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope)
        scope_row.addWidget(self.show_all)
        scope_row.addStretch(1)
        layout.addLayout(scope_row)
        layout.addWidget(self.table)
        self.scope.hide()
        self.show_all.hide()

    def refresh(self) -> None:
        years, types, units = read(
            lambda session: (
                honours.honour_years(session),
                [(t.name, t.id) for t in honours.honour_types(session)],
                unit_names(session),
            )
        )
        refill(self.year_filter, [(str(y), y) for y in years])
        refill(self.type_filter, types)
        refill(self.unit_filter, [(u, u) for u in units])
        self.table.refresh()

    def show_only(self, *, person_id: int | None, organisation_id: int | None) -> None:
        self.table.model.query.filters.update(person_id=person_id, organisation_id=organisation_id)
        who = read(
            lambda session: honours.holder_label(
                session, person_id=person_id, organisation_id=organisation_id
            )
        )
        self.scope.setText(f"只显示“{who}”的荣誉")
        scoped = person_id is not None or organisation_id is not None
        self.scope.setVisible(scoped)
        self.show_all.setVisible(scoped)
        self.table.refresh()

    def add(self) -> None:
        HonourDialog(None, self).exec()

    def edit(self, honour_id: int | None = None) -> None:
        honour_id = honour_id or self.table.current_id()
        if honour_id:
            HonourDialog(honour_id, self).exec()

    def delete(self) -> None:
        ids = self.table.selected_ids()
        if ids and confirm(self, f"将所选 {len(ids)} 条荣誉记录移到回收站？"):
            change(
                self,
                lambda s: [honours.delete_honour(s, i) for i in ids],
                Changed.HONOURS,
                action="删除荣誉",
            ).run()

    def assign_numbers(self) -> None:
        ids = self.table.selected_ids()
        if not ids:
            inform(self, "请先选择要分配证书编号的荣誉。")
            return
        change(
            self,
            lambda s: commendations.assign_certificate_numbers(s, ids),
            Changed.HONOURS,
            action="分配证书编号",
        ).success(
            lambda count: inform(self, f"已为 {count or 0} 条荣誉分配证书编号（已有编号的不变）。")
        ).run()

    def print_selected(self) -> None:
        ids = self.table.selected_ids()
        if not ids:
            inform(self, "请先选择要打印证书的荣誉（可按住 Ctrl 或 Shift 多选）。")
            return
        self.tab.print_certificates(honour_ids=ids)

    def export(self, path: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                "导出荣誉登记表",
                str(Path.home() / "荣誉登记表.xlsx"),
                "Excel 工作簿 (*.xlsx)",
            )[0]
        )
        if not path:
            return
        asked = frozen(self.table.model.query)
        long_query(
            self,
            "导出荣誉登记表",
            lambda session, progress: honours.export_honour_register(
                session, path, today=date.today(), query=asked, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()

    def edit_types(self) -> None:
        HonourTypesDialog(self).exec()  # its changes are announced: the pages reload


REMINDER_LINES = 5  # the reminders list's height, in lines; it scrolls beyond


class YouthCivilizationPage(QWidget):
    def __init__(self, tab: HonoursTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.table = ListTable(YOUTH_CIVILIZATIONS, self)
        self.table.add_filter(
            "level", "级别", [("全部", None)] + [(lv, lv) for lv in HONOUR_LEVELS[:3]]
        )
        self.table.add_filter(
            "status",
            "状态",
            [("全部", None)] + [(s.label, s) for s in (HonourStatus.ACTIVE, HonourStatus.VOID)],
            HonourStatus.ACTIVE,
        )
        self.table.add_button("年审 / 处理…", self.review, name="review_honour")
        self.table.add_button("导出登记表…", self.export, name="export_youth_civilization")
        self.table.on_activated(self.review)
        self.table.set_empty_state(
            "还没有青年文明号。\n在“荣誉登记”中新增类型为“青年文明号”的集体荣誉后，在这里年审、复核、"
            "升星和处理（警示、降星、撤销）。"
        )
        # every reminder, in a short list that scrolls: a double-click finds the collective
        self.reminders_title = QLabel(objectName="review_reminders_title")
        self.reminders = QListWidget(objectName="review_reminders")
        self.reminders.setStyleSheet("color: #a0522d;")
        self.reminders.setMaximumHeight(REMINDER_LINES * (self.fontMetrics().height() + 3) + 8)
        self.reminders.itemActivated.connect(self._find)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.reminders_title)
        layout.addWidget(self.reminders)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        self.table.refresh()
        due = read(lambda session: honours.review_reminders(session, date.today()))
        self.reminders.clear()
        for reminder in due:
            item = QListWidgetItem(f"· {reminder.name}：{reminder.text}")
            item.setData(Qt.ItemDataRole.UserRole, (reminder.honour_id, reminder.name))
            self.reminders.addItem(item)
        self.reminders.setVisible(bool(due))
        self.reminders_title.setText(
            f"待办提醒（{len(due)}条，双击转到该集体）：" if due else "没有到期的年审或复核。"
        )

    def _find(self, item: QListWidgetItem) -> None:
        honour_id, name = item.data(Qt.ItemDataRole.UserRole)
        self.table.show_row(honour_id, name)

    def review(self, honour_id: int | None = None) -> None:
        honour_id = honour_id or self.table.current_id()
        if not honour_id:
            inform(self, "请先选择一个青年文明号集体。")
            return
        name = self.table.model.row_value(self.table.view.currentIndex().row(), "recipient")
        ReviewDialog(honour_id, name, self).exec()

    def export(self, path: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                "导出青年文明号登记表",
                str(Path.home() / "青年文明号集体登记表.xlsx"),
                "Excel 工作簿 (*.xlsx)",
            )[0]
        )
        if not path:
            return

        long_query(
            self,
            "导出青年文明号登记表",
            lambda session, progress: honours.export_youth_civilization_register(
                session, path, today=date.today(), progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()


class CommendationsPage(QWidget):
    """Batches above, the selected batch's nominations below."""

    def __init__(self, tab: HonoursTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.batches = ListTable(COMMENDATIONS, self)
        self.batches.add_button("新建表彰…", self.new_batch, name="new_batch")
        self.batches.add_button("编辑…", self.edit_batch, name="edit_batch")
        self.batches.add_button("名额…", self.quotas, name="quotas")
        self.batches.add_button("资格条件…", self.batch_rules, name="batch_rules")
        self.batches.add_button("批准表彰", self.approve, name="approve_batch")
        self.batches.add_button("打印证书…", self.print_batch, name="print_batch")
        self.batches.add_button("导出表彰名单…", self.export_list, name="export_commendation")
        self.batches.on_activated(self.edit_batch)
        self.batches.set_empty_state(
            "还没有表彰批次。\n一次表彰（如“五四”表彰先进集体和先进个人）为一个批次：设名额、各团组织推荐、"
            "资格核查、批准后统一编号打印证书。",
            [("新建表彰…", self.new_batch)],
        )
        self.batches.view.selectionModel().currentRowChanged.connect(
            lambda *_: self._batch_changed()
        )
        self.batches.model.reloaded.connect(self._batches_shown)
        self.nominations = ListTable(NOMINATIONS, self)
        self.nominations.model.query.filters["commendation_id"] = -1
        self.nominations.add_button("推荐…", self.nominate, name="nominate")
        self.nominations.add_button("撤回推荐", self.withdraw, name="withdraw")
        self.nominations.add_button(
            "通过", lambda: self.decide(NominationStatus.PASSED), name="pass_nomination"
        )
        self.nominations.add_button(
            "不通过", lambda: self.decide(NominationStatus.REJECTED), name="reject_nomination"
        )
        self.nominations.add_button("资格核查…", self.checklists, name="checklists")
        self.nominations.set_empty_state(
            "这一批次还没有推荐对象。选中上方的表彰批次后，用“推荐…”添加个人、团组织或集体。",
            context=["commendation_id"],
        )
        self.batch_label = QLabel(objectName="batch_label")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.batch_label)
        lower_layout.addWidget(self.nominations)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.batches)
        splitter.addWidget(lower)
        splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(splitter)

    def refresh(self) -> None:
        self.batches.refresh()  # the batch chosen stays chosen (``ListTable`` keeps the place)

    def _batches_shown(self) -> None:
        if self.batch_id() is None and self.batches.model.rowCount():
            self.batches.view.selectRow(0)  # the newest batch, when none was chosen

    def batch_id(self) -> int | None:
        return self.batches.current_id()

    def _batch_changed(self) -> None:
        batch_id = self.batch_id()
        self.nominations.model.query.filters["commendation_id"] = batch_id or -1
        self.nominations.refresh()
        if batch_id is None:
            self.batch_label.setText("推荐对象（请先选择一个表彰批次）")
            return
        usage = read(lambda session: commendations.quota_usage(session, batch_id))
        quota = "；".join(
            f"{u.honour_type}{'·' + u.organisation if u.organisation else ''} {u.used}/{u.quota}{'（超出）' if u.over else ''}"
            for u in usage
        )
        self.batch_label.setText(f"推荐对象　名额：{quota or '未设置'}")

    def _need_batch(self) -> int | None:
        batch_id = self.batch_id()
        if batch_id is None:
            inform(self, "请先选择一个表彰批次。")
        return batch_id

    def new_batch(self) -> None:
        dialog = CommendationDialog(None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.batches.select_id(dialog.result_value)

    def edit_batch(self, batch_id: int | None = None) -> None:
        batch_id = batch_id or self._need_batch()
        if batch_id:
            CommendationDialog(batch_id, self).exec()

    def quotas(self) -> None:
        batch_id = self._need_batch()
        if batch_id:
            QuotaDialog(batch_id, self).exec()

    def nominate(self) -> None:
        batch_id = self._need_batch()
        if batch_id:
            NominationDialog(batch_id, self).exec()

    def withdraw(self) -> None:
        ids = self.nominations.selected_ids()
        if ids and confirm(self, f"撤回所选 {len(ids)} 名推荐对象？"):
            change(
                self,
                lambda s: [commendations.withdraw_nomination(s, i) for i in ids],
                Changed.COMMENDATIONS,
                action="撤回推荐",
            ).run()

    def decide(self, status: NominationStatus) -> None:
        ids = self.nominations.selected_ids()
        if not ids:
            inform(self, "请先选择推荐对象。")
            return
        change(
            self,
            lambda s: commendations.decide_nominations(s, ids, status),
            Changed.COMMENDATIONS,
            action=NominationStatus.label_of(status),
        ).run()

    def batch_rules(self) -> None:
        batch_id = self._need_batch()
        if batch_id:
            BatchRulesDialog(batch_id, self).exec()

    def checklists(self) -> None:
        batch_id = self._need_batch()
        if batch_id is None:
            return
        title = self.batches.model.row_value(self.batches.view.currentIndex().row(), "title")
        query(
            self,
            lambda session: commendations.eligibility_checklists(session, batch_id),
            action="资格核查",
        ).success(lambda lists: ChecklistDialog(lists, title, self).exec()).run()

    def approve(self) -> None:
        batch_id = self._need_batch()
        if batch_id is None:
            return
        standing = self.nominations.model.total
        if not confirm(
            self,
            f"批准该表彰？除标为“{NominationStatus.REJECTED.label}”的以外，{standing} 名推荐对象中的其余对象将授予荣誉并编排证书编号。\n批准后名额与推荐不能再修改。",
        ):
            return
        change(
            self,
            lambda s: len(commendations.approve_commendation(s, batch_id)),
            Changed.COMMENDATIONS | Changed.HONOURS,
            action="批准表彰",
        ).success(
            lambda created: inform(
                self, f"已批准，授予荣誉 {created} 项，证书编号已编排。可点“打印证书…”。"
            )
        ).run()

    def print_batch(self) -> None:
        batch_id = self._need_batch()
        if batch_id:
            self.tab.print_certificates(batch_id=batch_id)

    def export_list(self, path: str | None = None) -> None:
        batch_id = self._need_batch()
        if batch_id is None:
            return
        path = (
            path
            or QFileDialog.getSaveFileName(
                self, "导出表彰名单", str(Path.home() / "表彰名单.xlsx"), "Excel 工作簿 (*.xlsx)"
            )[0]
        )
        if not path:
            return

        long_query(
            self,
            "导出表彰名单",
            lambda session, progress: commendations.export_commendation_list(
                session, batch_id, path, today=date.today(), progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()
