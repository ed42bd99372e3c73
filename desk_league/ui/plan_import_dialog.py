"""从文本导入工作计划: paste or open a plan document, check the recognised tree, then save.

The preview shows what was guessed in orange: tasks proposed from prose (the clerk accepts,
merges or drops each), time words with the key date they link to and the due date proposed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import PlanItemKind
from desk_league.errors import Conflict, DeskLeagueError
from desk_league.imports.plan_prose import (
    accept_proposed,
    drop_proposed,
    merge_into_previous,
    read_plan_text,
    resolve_dates,
)
from desk_league.imports.plan_text import ParsedItem, ParsedPlan, read_plan_file
from desk_league.services import plan_import
from desk_league.ui.messages import confirm, show_error
from desk_league.ui.operations import Changed, Op, long_change, read
from desk_league.ui.tree_model import RecordTreeModel, TreeColumn, TreeRow

GUESS_COLOUR = "#b35c00"  # items whose place or title was inferred
PREVIEW_COLUMNS = [
    TreeColumn("heading", "识别出的标题", 290),
    TreeColumn("kind", "类型", 80),
    TreeColumn("time", "时间节点", 130),
    TreeColumn("key_date", "关联节点 → 完成时限", 200),
    TreeColumn("guesses", "推测说明（请核对）", 200),
    TreeColumn("body", "正文（开头）", 260),
]
PARSE_DELAY_MS = 300
SUMMARY_LINES = 9  # more hints (a long 附件 list, a notice) scroll instead of squeezing the tree


class PlanImportDialog(QDialog):
    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parsed: ParsedPlan | None = None
        self.imported_year: int | None = None
        self.items: dict[int, ParsedItem] = {}  # preview row id → the recognised item
        self._year_chosen = False  # once the clerk sets the year, the title's year no longer does
        self.key_dates = read(plan_import.key_date_rules)
        self.setWindowTitle("从文本导入工作计划")
        self.resize(1100, 680)

        self.text = QPlainTextEdit(objectName="import_text")
        self.text.setPlaceholderText("把工作计划全文粘贴到这里，或点“打开文件…”。")
        self.year = QSpinBox(objectName="import_year", minimum=2000, maximum=2100, value=year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(self._year_changed)
        self.model = RecordTreeModel(PREVIEW_COLUMNS, parent=self)
        self.preview = QTreeView(objectName="import_preview")
        self.preview.setModel(self.model)
        for i, column in enumerate(PREVIEW_COLUMNS):
            self.preview.setColumnWidth(i, column.width)
        self.summary = QLabel(objectName="import_summary", wordWrap=True)
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 5)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.accept_button = QPushButton("采纳", objectName="accept_proposed")
        self.merge_button = QPushButton("并入上一项", objectName="merge_proposed")
        self.drop_button = QPushButton("不拆出", objectName="drop_proposed")
        self.accept_button.setToolTip("确认这条由正文拆出的事项")
        self.merge_button.setToolTip("这句话和上一项是同一件事：并入上一项的正文")
        self.drop_button.setToolTip("不作为事项：这句话只留在板块正文里")
        self.accept_button.clicked.connect(lambda: self._on_proposed(accept_proposed))
        self.merge_button.clicked.connect(lambda: self._on_proposed(merge_into_previous))
        self.drop_button.clicked.connect(lambda: self._on_proposed(drop_proposed))
        self.preview.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

        self._timer = QTimer(self, singleShot=True, interval=PARSE_DELAY_MS)
        self._timer.timeout.connect(self.recognise)
        self.text.textChanged.connect(self._timer.start)

        top = QHBoxLayout()
        top.addWidget(QPushButton("打开文件…", objectName="import_open", clicked=self.open_file))
        top.addStretch(1)
        top.addWidget(QLabel("导入为"))
        top.addWidget(self.year)
        splitter = QSplitter()
        splitter.addWidget(self.text)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("识别结果预览（橙色为推测，请核对）："))
        right_layout.addWidget(self.preview, 1)
        choices = QHBoxLayout()
        choices.addWidget(QLabel("由正文拆出的事项："))
        for button in (self.accept_button, self.merge_button, self.drop_button):
            choices.addWidget(button)
        choices.addStretch(1)
        right_layout.addLayout(choices)
        self.summary_scroll = QScrollArea(
            widgetResizable=True,
            frameShape=QFrame.Shape.NoFrame,
            objectName="import_summary_scroll",
        )
        self.summary_scroll.setWidget(self.summary)
        right_layout.addWidget(self.summary_scroll)
        splitter.addWidget(right)
        splitter.setSizes([380, 720])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存为工作计划")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self._set_parsed(None, "")

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def open_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self,
                "打开工作计划",
                str(Path.home()),
                "文本或 Word 文档 (*.txt *.docx);;所有文件 (*)",
            )
        if not path:
            return

        def opened(text: str) -> None:
            self.text.setPlainText(text)
            self.recognise()

        Op(self, lambda _progress: read_plan_file(path), action="打开文件").in_background(
            "读取文件"
        ).success(opened).run()

    def recognise(self) -> None:
        self._timer.stop()
        if not self.text.toPlainText().strip():
            self._set_parsed(None, "")
            return
        try:
            parsed = read_plan_text(self.text.toPlainText())
        except DeskLeagueError as exc:
            self._set_parsed(None, str(exc))
            return
        if parsed.year and not self._year_chosen and 2000 <= parsed.year <= 2100:
            self.year.blockSignals(True)
            self.year.setValue(parsed.year)
            self.year.blockSignals(False)
        self._set_parsed(parsed, "")

    def _year_changed(self, _year: int) -> None:
        self._year_chosen = True
        if self.parsed is not None:
            self._set_parsed(self.parsed, "")

    def _set_parsed(self, parsed: ParsedPlan | None, message: str) -> None:
        self.parsed = parsed
        if parsed is not None:
            resolve_dates(parsed, self.key_dates, self.year.value())
            message = message or _summary(parsed)
        rows, self.items = _preview_rows(parsed) if parsed else ([], {})
        self.model.set_rows(rows)
        self.preview.expandAll()
        self.summary.setText(message or "粘贴文本后自动识别。")
        lines = min(max(self.summary.text().count("\n") + 1, 5), SUMMARY_LINES)
        self.summary_scroll.setFixedHeight(self.summary.fontMetrics().lineSpacing() * lines + 4)
        self.save_button.setEnabled(parsed is not None)
        self._update_buttons()

    def selected_item(self) -> ParsedItem | None:
        row = self.model.row_for(self.preview.currentIndex())
        return self.items.get(row.id) if row else None

    def _update_buttons(self) -> None:
        item = self.selected_item()
        for button in (self.accept_button, self.merge_button, self.drop_button):
            button.setEnabled(bool(item and item.proposed))

    def _on_proposed(self, action) -> None:
        """Accept, merge or drop the selected proposed task, then show the tree again."""
        item = self.selected_item()
        if item is None or self.parsed is None:
            return
        try:
            if action is accept_proposed:
                action(item)
            else:
                action(self.parsed, item)
        except DeskLeagueError as exc:
            show_error(self, exc, "调整事项")
            return
        self._set_parsed(self.parsed, "")

    def save(self, replace: bool = False) -> None:
        if self.parsed is None:
            return
        parsed, year = self.parsed, self.year.value()

        def work(session, _progress) -> int:
            plan_import.import_plan(session, parsed, year, replace=replace)
            return year

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Conflict) and not replace:
                if confirm(self, f"{exc}\n\n替换现有计划吗？"):
                    self.save(replace=True)
                return
            show_error(self, exc, "导入")

        def done(saved_year: int) -> None:
            self.imported_year = saved_year
            self.accept()

        long_change(self, "导入工作计划", work, Changed.PLAN).success(done).failure(failed).run()


def _summary(parsed: ParsedPlan) -> str:
    items = parsed.all_items()
    guessed = sum(1 for item in items if item.guesses)
    proposed = sum(1 for item in items if item.proposed)
    linked = sum(1 for item in items if item.key_date_id)
    year = f"（标题中的年份：{parsed.year}年）" if parsed.year else ""
    lines = [
        f"标题：{parsed.title or '（无）'}{year}",
        f"总体思路：{_excerpt(parsed.approach, 80) or '（无）'}",
        f"板块 {parsed.count(PlanItemKind.SECTION)} 个，事项 {parsed.count(PlanItemKind.TASK)} 项（其中由正文拆出 "
        f"{proposed} 项）；{guessed} 处为推测；关联重要节点 {linked} 项。",
    ]
    lines += [f"提示：{w}" for w in parsed.warnings]
    return "\n".join(lines)


def _excerpt(text: str, length: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length] + "…"


def _when(item: ParsedItem) -> str:
    due = f"{item.due_date:%Y-%m-%d}" if item.due_date else ""
    return "→".join(t for t in (item.key_date_name, due) if t)


def _preview_rows(parsed: ParsedPlan) -> tuple[list[TreeRow], dict[int, ParsedItem]]:
    rows: list[TreeRow] = []
    items: dict[int, ParsedItem] = {}

    def add(children, parent_id: int | None) -> None:
        for item in children:
            row_id = len(rows) + 1
            items[row_id] = item
            rows.append(
                TreeRow(
                    id=row_id,
                    parent_id=parent_id,
                    values={
                        "heading": f"{item.number}{item.title}",
                        "kind": "推测事项" if item.proposed else PlanItemKind.label_of(item.kind),
                        "time": item.time_node,
                        "key_date": _when(item),
                        "body": _excerpt(item.body, 40),
                        "guesses": "；".join(item.guesses),
                    },
                    bold=item.kind == PlanItemKind.SECTION,
                    foreground=GUESS_COLOUR if item.guesses else None,
                    tooltip=f"原文第 {item.line} 行"
                    + (f"\n关联节点：{_when(item)}" if item.key_date_name else "")
                    + ("\n" + "\n".join(item.guesses) if item.guesses else "")
                    + (f"\n{item.body}" if item.proposed and item.body else ""),
                )
            )
            add(item.children, row_id)

    add(parsed.items, None)
    return rows, items
