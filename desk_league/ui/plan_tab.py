"""工作计划: the year's plan as a living checklist — sections and tasks, progress, evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import PlanItemKind, PlanItemStatus, PlanStatus
from desk_league.services import plan_editing, plan_import, plan_outputs, plan_tree
from desk_league.services.plan_tree import PlanFilter, PlanItemRow, PlanTree
from desk_league.ui.base_tab import ActionBar, BaseTab, ElidedLabel
from desk_league.ui.forms import FormDialog, choice_combo, tool_button
from desk_league.ui.messages import confirm, inform, show_error
from desk_league.ui.operations import Changed, change, long_query, read
from desk_league.ui.plan_import_dialog import PlanImportDialog
from desk_league.ui.plan_item_pane import PlanItemPane
from desk_league.ui.tree_model import RecordTreeModel, TreeColumn, TreeRow, install_delegates

SEARCH_DELAY_MS = 250  # the tree is read on the GUI thread: once the clerk stops typing
OVERDUE_COLOUR = "#b3261e"
DONE_COLOUR = "#5f6368"
TREE_COLUMNS = [
    TreeColumn("heading", "板块 / 事项", 330),
    TreeColumn("owner", "责任人", 80),
    TreeColumn("lead_unit", "牵头单位", 100),
    TreeColumn("time_node", "时间节点", 80),
    TreeColumn("due_date", "完成时限", 85, "date"),
    TreeColumn("status", "状态", 66, editable=True, choices=PlanItemStatus.labels()),
    TreeColumn("progress", "进度", 96, "percent", editable=True),
    TreeColumn("evidence", "佐证", 44, "int"),
]
_COLUMN = {c.key: i for i, c in enumerate(TREE_COLUMNS)}


class PlanTab(BaseTab):
    title = "工作计划"
    watches = (
        Changed.PLAN
        | Changed.ACTIVITIES
        | Changed.KEY_DATES
        | Changed.ORGANISATIONS
        | Changed.SETTINGS
    )

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tree_data: PlanTree | None = None
        self.rows: dict[int, PlanItemRow] = {}
        self.today = date.today()
        self._year_next: int | None = None  # the year to show after a plan was made or copied
        self._quiet = False  # the tab itself is moving the current item: no questions
        self.layout_.addLayout(self._build_plan_bar())
        self.approach = QLabel(objectName="plan_approach", wordWrap=True)
        self.approach.setStyleSheet("color: #444;")
        self.approach.setMaximumHeight(48)
        self.layout_.addWidget(self.approach)
        self.layout_.addLayout(self._build_filter_bar())
        tree_page = self._build_tree_page()  # before the edit bar, whose keys act on the tree
        self.layout_.addLayout(self._build_edit_bar())
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_empty_page())
        self.stack.addWidget(tree_page)
        self.layout_.addWidget(self.stack, 1)

    # --- building ------------------------------------------------------------------------------

    def _build_plan_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.year = QComboBox(objectName="plan_year")
        self.year.currentIndexChanged.connect(lambda _: self._year_chosen())
        self._year_shown: Any = None
        self.plan_title = ElidedLabel(keep=420, objectName="plan_title")  # before the commands
        self.plan_title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.overall = QProgressBar(objectName="plan_progress", minimumWidth=140, maximumWidth=240)
        self.overall.setFormat("整体进度 %p%")
        self.counts = QLabel(objectName="plan_counts")
        self.plan_actions = ActionBar(self)
        for text, slot, name in (
            ("计划信息…", self.edit_plan_info, "plan_info"),
            ("导入文本…", self.import_text, "plan_import"),
            ("复制到新年度…", self.copy_to_year, "plan_copy"),
            ("导出推进表…", self.export_register, "plan_export_xlsx"),
            ("导出计划 PDF…", self.export_pdf, "plan_export_pdf"),
        ):
            self.plan_actions.add(text, slot, name=name)
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year)
        bar.addWidget(self.plan_title, 2)
        bar.addWidget(self.counts)
        bar.addWidget(self.overall)
        bar.addWidget(self.plan_actions, 3)
        return bar

    def _build_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit(
            objectName="plan_search", placeholderText="搜索事项…", clearButtonEnabled=True
        )
        self.search.setMaximumWidth(220)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload_tree)
        self.search.textChanged.connect(self._search_timer.start)
        self.status_filter = self._filter_combo(
            "filter_status", list(PlanItemStatus.labels().items())
        )
        self.owner_filter = self._filter_combo("filter_owner", [])
        self.unit_filter = self._filter_combo("filter_lead_unit", [])
        for combo in (self.owner_filter, self.unit_filter):  # long names show in the drop-down
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        self.overdue_filter = QCheckBox("只看逾期", objectName="filter_overdue")
        self.overdue_filter.toggled.connect(self.reload_tree)
        bar.addWidget(self.search)
        for label, combo in (
            ("状态", self.status_filter),
            ("责任人", self.owner_filter),
            ("牵头单位", self.unit_filter),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
        bar.addWidget(self.overdue_filter)
        bar.addStretch(1)
        return bar

    def _build_edit_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.edit_actions = ActionBar(self)
        # Ctrl+N works anywhere in the tab; the others only in the tree, where Del and Ctrl+arrows
        # cannot mean “delete a character” or “jump a word” in a field of the detail pane.
        for text, slot, shortcut, name, scope in (
            ("新增板块", self.add_section, "Ctrl+Shift+N", "plan_add_section", self),
            ("新增事项", self.add_task, "Ctrl+N", "plan_add_task", self),
            ("降级 →", self.indent, "Ctrl+Right", "plan_indent", self.view),
            ("← 升级", self.outdent, "Ctrl+Left", "plan_outdent", self.view),
            ("上移", lambda: self.move(-1), "Ctrl+Up", "plan_move_up", self.view),
            ("下移", lambda: self.move(1), "Ctrl+Down", "plan_move_down", self.view),
            ("删除", self.delete, "Del", "plan_delete", self.view),
        ):
            self.edit_actions.add(text, slot, name=name, shortcut=shortcut, scope=scope)
        hint = ElidedLabel("Enter 编辑　Ctrl+N 新增事项　Del 删除　双击状态/进度可直接修改")
        hint.setStyleSheet("color: #777;")
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.view.setToolTip(hint.text())
        bar.addWidget(self.edit_actions, 3)
        bar.addWidget(hint, 2)
        return bar

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.empty_label = QLabel(objectName="plan_empty", alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("font-size: 13pt; color: #555;")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(tool_button("新建空白计划", self.new_plan, "plan_new"))
        buttons.addWidget(tool_button("从文本导入…", self.import_text, "plan_new_import"))
        buttons.addWidget(tool_button("复制上一年计划", self.copy_previous, "plan_copy_previous"))
        buttons.addStretch(1)
        layout.addStretch(1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    def _build_tree_page(self) -> QSplitter:
        self.model = RecordTreeModel(TREE_COLUMNS, on_edit=self._edit_in_tree, parent=self)
        self.view = QTreeView(objectName="plan_tree")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setUniformRowHeights(True)
        for i, column in enumerate(TREE_COLUMNS):
            self.view.setColumnWidth(i, column.width)
        install_delegates(self.view, self.model)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self._keys = _EnterToEdit(self)
        self.view.installEventFilter(self._keys)
        self.pane = PlanItemPane(self)
        # the pane scrolls rather than make the window taller than a laptop screen
        pane_scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        pane_scroll.setWidget(self.pane)
        pane_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(pane_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([960, 420])
        return splitter

    def _filter_combo(self, name: str, choices: list[tuple[Any, str]]) -> QComboBox:
        combo = choice_combo(choices, none_text="全部", name=name)
        combo.currentIndexChanged.connect(lambda _: self.reload_tree())
        return combo

    # --- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Years, choices and the tree (F5, and whenever a plan, an activity or a unit changed)."""
        years, units, key_dates = read(_choices)
        this_year = self.today.year
        wanted = (
            self._year_next
            or self.year.currentData()
            or (this_year if this_year in years or not years else years[0])
        )
        self._year_next = None
        choices = sorted(set(years) | {this_year, this_year + 1, wanted}, reverse=True)
        with QSignalBlocker(self.year):
            self.year.clear()
            for year in choices:
                self.year.addItem(f"{year}年" + ("" if year in years else "（无计划）"), year)
            self.year.setCurrentIndex(self.year.findData(wanted))
        self._year_shown = wanted
        self._fill(self.unit_filter, units)
        self.pane.set_choices(units, key_dates)
        self.reload()

    def _year_chosen(self) -> None:
        if self.year.currentData() == self._year_shown:
            return
        if not self.pane.may_leave():  # back to the unsaved edits of the item shown
            with QSignalBlocker(self.year):
                self.year.setCurrentIndex(self.year.findData(self._year_shown))
            return
        self._year_shown = self.year.currentData()
        self.reload()

    def reload(self) -> None:
        """The selected year's plan: owners for the filter, then the tree."""
        year = self.current_year()

        def owners(session) -> list[str]:
            plan = plan_tree.plan_for_year(session, year)
            return plan_tree.plan_owners(session, plan.id) if plan else []

        self._fill(self.owner_filter, [(o, o) for o in read(owners)])
        self.reload_tree()

    def current_year(self) -> int:
        return self.year.currentData() or self.today.year

    def current_filter(self) -> PlanFilter:
        return PlanFilter(
            status=self.status_filter.currentData(),
            owner=self.owner_filter.currentData(),
            lead_unit_id=self.unit_filter.currentData(),
            overdue=self.overdue_filter.isChecked(),
            text=self.search.text().strip(),
        )

    def reload_tree(self, select_id: int | None = None) -> None:
        keep = select_id or self.current_id()
        year, today, chosen = self.current_year(), self.today, self.current_filter()
        tree = read(lambda session: plan_tree.plan_tree(session, year, today, chosen))
        self.tree_data = tree
        if tree is None:
            self._show_no_plan(year)
            return
        self.stack.setCurrentIndex(1)
        self.plan_title.setText(f"{tree.title}（{PlanStatus.label_of(tree.status)}）")
        self.approach.setText(f"总体思路：{tree.approach}" if tree.approach else "")
        self.approach.setToolTip(tree.approach)
        self.overall.setValue(tree.progress)
        self.counts.setText(
            f"事项 {tree.task_count} 项，{PlanItemStatus.DONE.label} {tree.done_count} 项"
        )
        self.rows = {row.id: row for row in tree.rows}
        top = self.model.row_for(self.view.indexAt(self.view.rect().topLeft()))
        self._quiet = True  # the pane follows once, below
        try:
            self.model.set_rows([_tree_row(row) for row in tree.rows])
        finally:
            self._quiet = False
        self.view.expandAll()
        if top is not None and top.id in self.rows:  # the clerk's place in a long plan stays
            self.view.scrollTo(
                self.model.index_of(top.id), QAbstractItemView.ScrollHint.PositionAtTop
            )
        self._select(keep if keep in self.rows else None)

    def _show_no_plan(self, year: int) -> None:
        self.rows = {}
        self.model.set_rows([])
        self.stack.setCurrentIndex(0)
        self.plan_title.setText(f"{year}年还没有工作计划")
        self.approach.setText("")
        self.overall.setValue(0)
        self.counts.setText("")
        self.empty_label.setText(
            f"{year}年还没有工作计划。可以新建空白计划、粘贴计划全文导入，或复制上一年的计划。"
        )
        self.pane.show_item(None, year)

    def _fill(
        self, combo: QComboBox, choices: list[tuple[Any, str]] | list[tuple[str, str]]
    ) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部", None)
        for first, second in choices:
            value, text = (first, second) if isinstance(first, int) else (second, first)
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    # --- selection -----------------------------------------------------------------------------

    def show_record(self, kind: str, record_id: int | None, text: str = "") -> None:
        """Open a plan item from elsewhere (the overview): its year, unfiltered, selected."""
        if kind != "plan_item" or record_id is None:
            return
        self.ensure_loaded()
        year = read(lambda session: plan_tree.year_of_item(session, record_id))
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.overdue_filter.setChecked(False)
        if self.year.findData(year) >= 0 and self.year.currentData() != year:
            self.year.setCurrentIndex(self.year.findData(year))  # reloads
        self.reload_tree(select_id=record_id)

    def current_id(self) -> int | None:
        row = self.model.row_for(self.view.currentIndex())
        return row.id if row else None

    def _select(self, item_id: int | None) -> None:
        index = self.model.index_of(item_id) if item_id else self.model.index(0, 0)
        if index.isValid():
            self._set_current(index)
            self.view.scrollTo(index)
        self._show_current()

    def _set_current(self, index: QModelIndex) -> None:
        self._quiet = True
        try:
            self.view.setCurrentIndex(index)
        finally:
            self._quiet = False

    def _current_changed(self, _current: QModelIndex, previous: QModelIndex) -> None:
        """The clerk chose another item: first ask about the shown item's unsaved edits."""
        if self._quiet:
            return
        if previous.isValid() and not self.pane.may_leave():
            self._set_current(QModelIndex(previous))  # back to the item being edited
            return
        self._show_current()

    def may_leave(self) -> bool:
        return self.pane.may_leave()

    def _show_current(self) -> None:
        item_id = self.current_id()
        self.pane.show_item(self.rows.get(item_id) if item_id else None, self.current_year())

    # --- changing ------------------------------------------------------------------------------

    def _change(
        self, action: str, work: Callable[[Any], Any], then: Callable[[Any], Any] | None = None
    ) -> None:
        """One service call as a change operation: the tab reloads (the change is announced),
        then the item the service returned is selected and ``then(result)`` runs."""

        def done(result: Any) -> None:
            item_id = getattr(result, "id", None)
            if item_id in self.rows:
                self._select(item_id)
            if then is not None:
                then(result)

        change(self, work, Changed.PLAN, action=action).success(done).run()

    def _edit_in_tree(self, item_id: int, key: str, value: Any) -> None:
        # Runs once the cell's editor has closed: the change reloads the tree (sections'
        # progress and the overall bar follow), which must not happen inside the edit itself.
        def save() -> None:
            change(
                self,
                lambda s: plan_editing.update_plan_item(s, item_id, {key: value}),
                Changed.PLAN,
            ).failure(lambda exc: self._edit_refused(exc)).run()

        QTimer.singleShot(0, save)

    def _edit_refused(self, exc: BaseException) -> None:
        show_error(self, exc, "修改")
        self.reload_tree()  # the cell shows the saved value again

    def _plan_id(self) -> int | None:
        return self.tree_data.plan_id if self.tree_data else None

    def add_section(self) -> None:
        plan_id = self._plan_id()
        if plan_id is None:
            return
        current = self.rows.get(self.current_id() or 0)
        while current is not None and current.parent_id is not None:
            current = self.rows.get(current.parent_id)
        after = current.id if current else None
        self._change(
            "新增板块",
            lambda s: plan_editing.add_plan_item(s, plan_id, "新板块", after_id=after),
            lambda _: self.pane.focus_title(),
        )

    def add_task(self) -> None:
        """Ctrl+N: under the selected section, or right after the selected task."""
        plan_id = self._plan_id()
        if plan_id is None:
            return
        current = self.rows.get(self.current_id() or 0)
        if current is None:
            self.add_section()
            return
        if current.kind == PlanItemKind.SECTION:
            parent_id, after = current.id, None
        else:
            parent_id, after = current.parent_id, current.id
        self._change(
            "新增事项",
            lambda s: plan_editing.add_plan_item(
                s, plan_id, "新事项", parent_id=parent_id, after_id=after
            ),
            lambda _: self.pane.focus_title(),
        )

    def indent(self) -> None:
        if (item_id := self.current_id()) is not None:
            self._change("降级", lambda s: plan_editing.indent_plan_item(s, item_id))

    def outdent(self) -> None:
        if (item_id := self.current_id()) is not None:
            self._change("升级", lambda s: plan_editing.outdent_plan_item(s, item_id))

    def move(self, offset: int) -> None:
        if (item_id := self.current_id()) is not None:
            self._change("移动", lambda s: plan_editing.move_plan_item(s, item_id, offset))

    def delete(self) -> None:
        item_id = self.current_id()
        row = self.rows.get(item_id or 0)
        if row is None:
            return
        under = "及其下所有事项" if any(r.parent_id == row.id for r in self.rows.values()) else ""
        if not confirm(
            self, f"删除“{row.number}{row.title}”{under}？\n删除后可在 编辑 → 回收站 中恢复。"
        ):
            return
        neighbour = self._neighbour(row)
        self.pane.discard()  # its edits went with the item
        self._change(
            "删除",
            lambda s: plan_editing.delete_plan_item(s, row.id),
            lambda _: self._select(neighbour if neighbour in self.rows else None),
        )

    def _neighbour(self, row: PlanItemRow) -> int | None:
        ids = list(self.rows)
        index = ids.index(row.id)
        for candidate in ids[index + 1 :] + ids[:index][::-1]:
            if not self._is_under(candidate, row.id):
                return candidate
        return None

    def _is_under(self, item_id: int, ancestor: int) -> bool:
        parent = self.rows[item_id].parent_id
        while parent is not None:
            if parent == ancestor:
                return True
            parent = self.rows[parent].parent_id if parent in self.rows else None
        return False

    # --- the plan as a whole -------------------------------------------------------------------

    def _show_year(self, year: int) -> None:
        """Show ``year``'s plan (one just made, imported or copied)."""
        self._year_next = year
        self.refresh()

    def new_plan(self) -> None:
        year = self.current_year()
        self._change(
            "新建计划", lambda s: plan_editing.create_plan(s, year), lambda _: self._show_year(year)
        )

    def import_text(self) -> None:
        dialog = PlanImportDialog(self.current_year(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.imported_year:
            self._show_year(dialog.imported_year)

    def copy_previous(self) -> None:
        year = self.current_year()

        def previous_plan(session):
            earlier = [y for y in plan_tree.plan_years(session) if y < year]
            return plan_tree.plan_for_year(session, earlier[0]) if earlier else None

        source = read(previous_plan)
        if source is None:
            inform(self, f"{year}年以前没有可复制的计划。")
            return
        self._change(
            "复制计划",
            lambda s: plan_import.copy_plan_to_year(s, source.id, year),
            lambda _: self._show_year(year),
        )

    def copy_to_year(self) -> None:
        plan_id = self._plan_id()
        if plan_id is None:
            return
        year, ok = QInputDialog.getInt(
            self,
            "复制到新年度",
            "复制为哪一年的计划（事项重置为未开始，日期顺延）：",
            self.current_year() + 1,
            2000,
            2100,
        )
        if ok:
            self._change(
                "复制计划",
                lambda s: plan_import.copy_plan_to_year(s, plan_id, year),
                lambda _: self._show_year(year),
            )

    def edit_plan_info(self) -> None:
        tree = self.tree_data
        if tree is None:
            return
        PlanInfoDialog(tree, self).exec()

    # --- outputs -------------------------------------------------------------------------------

    def export_register(self, path: str | None = None) -> None:
        year = self.current_year()
        path = path or self._save_path(
            "导出工作计划推进情况表", f"{year}年工作计划推进情况表.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return

        long_query(
            self,
            "导出推进表",
            lambda session, progress: plan_outputs.export_plan_register(
                session, year, path, today=self.today, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()

    def export_pdf(self, path: str | None = None) -> None:
        year = self.current_year()
        path = path or self._save_path(
            "导出工作计划 PDF", f"{year}年工作计划.pdf", "PDF 文件 (*.pdf)"
        )
        if not path:
            return

        def done(result: plan_outputs.PdfResult) -> None:
            missing = "".join(result.missing_glyphs)
            warning = f"\n注意：字体缺少这些字，打印为方框：{missing}" if missing else ""
            inform(self, f"已导出：{result.path}{warning}")

        long_query(
            self,
            "导出计划 PDF",
            lambda session, progress: plan_outputs.export_plan_document(
                session, year, path, today=self.today, progress=progress
            ),
        ).success(done).run()

    def _save_path(self, caption: str, name: str, pattern: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), pattern)
        return path


class _EnterToEdit(QObject):
    """Enter on 状态/进度 edits the cell in place; on any other column it opens the detail pane."""

    def __init__(self, tab: PlanTab) -> None:
        super().__init__(tab)
        self.tab = tab

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or event.key() not in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            return False
        view = self.tab.view
        if view.state() == QAbstractItemView.State.EditingState:
            return False
        index = view.currentIndex()
        if not index.isValid():
            return False
        if TREE_COLUMNS[index.column()].editable:
            view.edit(index)
        else:
            self.tab.pane.focus_title()
        return True


class PlanInfoDialog(FormDialog):
    """The plan's title, 总体思路 and whether it has been issued."""

    changes = Changed.PLAN

    def __init__(self, tree: PlanTree, parent: QWidget | None = None) -> None:
        super().__init__("计划信息", parent)
        self.plan_id = tree.plan_id
        self.title = self.add_field("标题", QLineEdit(tree.title, objectName="plan_info_title"))
        self.approach = self.add_field(
            "总体思路", QPlainTextEdit(tree.approach, objectName="plan_info_approach")
        )
        self.status = self.add_field(
            "状态",
            choice_combo(list(PlanStatus.labels().items()), tree.status, name="plan_info_status"),
        )
        self.resize(640, 380)

    def save(self, session) -> None:
        plan_editing.update_plan(
            session,
            self.plan_id,
            title=self.title.text(),
            approach=self.approach.toPlainText(),
            status=self.status.currentData(),
        )


def _choices(session) -> tuple[list[int], list[tuple[int, str]], list[tuple[int, str]]]:
    """The years that have a plan, the lead units and the key dates to choose from."""
    return (
        plan_tree.plan_years(session),
        plan_tree.lead_unit_choices(session),
        plan_tree.key_date_choices(session),
    )


def _tree_row(row: PlanItemRow) -> TreeRow:
    colour = (
        OVERDUE_COLOUR
        if row.overdue
        else DONE_COLOUR
        if row.status in (PlanItemStatus.DONE, PlanItemStatus.CANCELLED)
        else None
    )
    tips = [row.body[:200]] if row.body else []
    if row.overdue:
        tips.insert(0, f"已逾期：完成时限 {row.due_date:%Y-%m-%d}")
    return TreeRow(
        id=row.id,
        parent_id=row.parent_id,
        values={
            "heading": f"{row.number}{row.title}",
            "owner": row.owner,
            "lead_unit": row.lead_unit,
            "time_node": row.time_node,
            "due_date": row.due_date,
            "status": row.status,
            "progress": row.progress,
            "evidence": row.evidence or None,
        },
        bold=row.kind == PlanItemKind.SECTION,
        read_only=row.has_children,  # a section's status and progress come from its tasks
        foreground=colour,
        tooltip="\n".join(tips),
    )
