"""The detail pane of the plan tab: every field of the selected section or task, and its evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import ActivityStatus, PlanItemKind, PlanItemStatus
from desk_league.services import plan_editing, plan_evidence
from desk_league.services.activities import ACTIVITIES
from desk_league.services.plan_tree import PlanItemRow
from desk_league.ui.base_tab import ListTable
from desk_league.ui.forms import EditTracker, ListPickerDialog
from desk_league.ui.operations import Changed, change


class PlanItemPane(QWidget):
    """Edits one item. Its changes are announced (``Changed.PLAN``): the tab reloads and shows
    the item again. Leaving it with unsaved edits asks 保存 / 放弃 / 取消 (``may_leave``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id: int | None = None
        self._row: PlanItemRow | None = None
        self.version: int | None = None
        self.year = date.today().year
        self.heading = QLabel("请在左侧选择板块或事项", objectName="item_heading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        form = self._build_form()
        self.edits = EditTracker(form, "事项详情")
        layout.addWidget(form)
        layout.addWidget(self._build_evidence(), 1)
        QShortcut(
            QKeySequence("Ctrl+S"),
            self,
            self.save,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.setEnabled(False)

    # --- building ------------------------------------------------------------------------------

    def _build_form(self) -> QGroupBox:
        box = QGroupBox("事项详情")
        form = QFormLayout(box)
        self.number = QLineEdit(objectName="item_number", maximumWidth=90)
        self.title = QLineEdit(objectName="item_title")
        self.body = QPlainTextEdit(objectName="item_body")
        self.body.setMaximumHeight(110)
        self.owner = QLineEdit(objectName="item_owner", placeholderText="如：团委办公室")
        self.lead_unit = QComboBox(objectName="item_lead_unit")
        self.time_node = QLineEdit(objectName="item_time_node", placeholderText="如：五四前后")
        self.due_date = QLineEdit(objectName="item_due_date", placeholderText="如：2026-05-04")
        self.key_date = QComboBox(objectName="item_key_date")
        self.status = QComboBox(objectName="item_status")
        for code, label in PlanItemStatus.labels().items():
            self.status.addItem(label, code)
        self.progress = QSpinBox(objectName="item_progress", suffix="%", maximum=100, singleStep=10)
        self.note = QPlainTextEdit(objectName="item_note")
        self.note.setMaximumHeight(60)
        number_row = QHBoxLayout()
        number_row.addWidget(self.number)
        number_row.addWidget(self.title, 1)
        form.addRow("序号/事项", number_row)
        form.addRow("内容", self.body)
        form.addRow("责任人", self.owner)
        form.addRow("牵头单位", self.lead_unit)
        form.addRow("时间节点", self.time_node)
        dates = QHBoxLayout()
        dates.addWidget(self.due_date)
        dates.addWidget(QLabel("重要节点"))
        dates.addWidget(self.key_date, 1)
        form.addRow("完成时限", dates)
        state = QHBoxLayout()
        state.addWidget(self.status)
        state.addWidget(QLabel("进度"))
        state.addWidget(self.progress)
        state.addStretch(1)
        form.addRow("状态", state)
        form.addRow("备注", self.note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.revert_button = QPushButton("还原", objectName="item_revert", clicked=self.discard)
        self.save_button = QPushButton(
            "保存修改 (Ctrl+S)", objectName="item_save", clicked=self.save
        )
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        return box

    def _build_evidence(self) -> QGroupBox:
        self.evidence_box = QGroupBox("佐证活动")
        layout = QVBoxLayout(self.evidence_box)
        self.evidence = ListTable(plan_evidence.ITEM_EVIDENCE, self)
        self.evidence.setMinimumHeight(180)
        self.evidence.search.hide()
        self.evidence.model.query.filters["plan_item_id"] = -1
        self.evidence.add_button("关联活动…", self.link_activities, name="link_activities")
        self.evidence.add_button("取消关联", self.unlink_activity, name="unlink_activity")
        self.evidence.add_button(
            "按佐证标记完成", self.complete_from_evidence, name="complete_from_evidence"
        )
        layout.addWidget(self.evidence)
        return self.evidence_box

    # --- showing -------------------------------------------------------------------------------

    def set_choices(self, units: list[tuple[int, str]], key_dates: list[tuple[int, str]]) -> None:
        """New lists to choose from; the values chosen stay as they are."""
        for combo, choices in ((self.lead_unit, units), (self.key_date, key_dates)):
            current = combo.currentData()
            with QSignalBlocker(combo):
                combo.clear()
                combo.addItem("（无）", None)
                for row_id, name in choices:
                    combo.addItem(name, row_id)
                combo.setCurrentIndex(max(0, combo.findData(current)))

    def show_item(self, row: PlanItemRow | None, year: int) -> None:
        """Show ``row``; the same item again (the tab reloaded) keeps what the clerk is typing."""
        keep_typing = row is not None and row.id == self.item_id and self.edits.is_dirty()
        self.year = year
        self.item_id = row.id if row else None
        self._row = row
        self.setEnabled(row is not None)
        if row is None:
            self.heading.setText("请在左侧选择板块或事项")
            self.evidence.model.set_filter("plan_item_id", -1)
            self.edits.mark_clean()
            return
        what = PlanItemKind.label_of(row.kind)
        self.heading.setText(f"{what}：{row.number}{row.title}")
        self.evidence_box.setTitle(
            f"佐证活动（{row.evidence} 项，{ActivityStatus.DONE.label} {row.evidence_done} 项）"
        )
        self.evidence.model.set_filter("plan_item_id", row.id)
        if keep_typing:
            return
        self.number.setText(row.number)
        self.title.setText(row.title)
        self.title.setCursorPosition(0)  # long titles show their beginning, not their end
        self.body.setPlainText(row.body)
        self.owner.setText(row.owner)
        self.lead_unit.setCurrentIndex(max(0, self.lead_unit.findData(row.lead_unit_id)))
        self.time_node.setText(row.time_node)
        self.due_date.setText(row.due_date.isoformat() if row.due_date else "")
        self.key_date.setCurrentIndex(max(0, self.key_date.findData(row.key_date_id)))
        self.status.setCurrentIndex(max(0, self.status.findData(row.status)))
        self.progress.setValue(row.progress)
        # A section's status and progress are worked out from its tasks; a childless one is typed.
        for widget in (self.status, self.progress):
            widget.setEnabled(not row.has_children)
            widget.setToolTip("板块的状态和进度由其下事项自动计算" if row.has_children else "")
        self.note.setPlainText(row.note)
        self.version = row.version  # what the fields hold; kept while the clerk types
        self.edits.mark_clean()

    def discard(self) -> None:
        """还原: the item as saved."""
        self.edits.mark_clean()
        self.show_item(self._row, self.year)

    def may_leave(self) -> bool:
        """Before another item, year or tab is shown: 保存 / 放弃 / 取消 if edited."""
        return self.item_id is None or self.edits.may_leave(save=self.save, discard=self.discard)

    def focus_title(self) -> None:
        self.title.setFocus()
        self.title.selectAll()

    # --- saving --------------------------------------------------------------------------------

    def changes(self) -> dict:
        changes = {
            "number": self.number.text(),
            "title": self.title.text(),
            "body": self.body.toPlainText(),
            "owner": self.owner.text(),
            "lead_unit_id": self.lead_unit.currentData(),
            "time_node": self.time_node.text(),
            "due_date": self.due_date.text().strip() or None,
            "key_date_id": self.key_date.currentData(),
            "status": self.status.currentData(),
            "progress": self.progress.value(),
            "note": self.note.toPlainText(),
        }
        if not self.status.isEnabled():  # a section with tasks: these are computed, not typed
            del changes["status"], changes["progress"]
        return changes

    def save(self) -> bool:
        """保存修改 (Ctrl+S); whether it was saved."""
        if self.item_id is None:
            return True
        item_id, changes, version = self.item_id, self.changes(), self.version
        return self._run(
            "保存",
            lambda s: plan_editing.update_plan_item(s, item_id, changes, version=version),
            clean=True,
        )

    def _run(self, action: str, work: Callable, *, clean: bool = False) -> bool:
        done: list[bool] = []

        def saved(_result: object) -> None:
            done.append(True)
            if clean:  # the fields now show what was saved, as the service wrote it
                self.discard()

        change(self, work, Changed.PLAN, action=action).success(saved).run()
        return bool(done)

    def link_activities(self) -> None:
        if self.item_id is None:
            return
        dialog = ListPickerDialog(
            ACTIVITIES,
            "关联活动",
            filters={"year": self.year},
            name_key="title",
            hint=f"选择 {self.year} 年的活动作为佐证（可按住 Ctrl 或 Shift 多选）：",
            parent=self,
        )
        chosen = [activity_id for activity_id, _ in dialog.chosen()] if dialog.exec() else []
        if chosen:
            self._run("关联活动", lambda s: plan_evidence.link_activities(s, self.item_id, chosen))

    def unlink_activity(self) -> None:
        activity_id = self.evidence.current_id()
        if self.item_id is not None and activity_id is not None:
            self._run(
                "取消关联", lambda s: plan_evidence.unlink_activity(s, self.item_id, activity_id)
            )

    def complete_from_evidence(self) -> None:
        if self.item_id is not None:
            self._run("标记完成", lambda s: plan_evidence.complete_from_evidence(s, self.item_id))
