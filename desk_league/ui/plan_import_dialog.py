"""从文本导入工作计划: paste or open a plan document, check the recognised tree, then save."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk_league.errors import Conflict, DeskLeagueError
from desk_league.imports.plan_text import ParsedPlan, parse_plan_text, read_plan_file
from desk_league.services import plans
from desk_league.ui.messages import confirm, show_error
from desk_league.ui.operations import Changed, long_change
from desk_league.ui.tree_model import RecordTreeModel, TreeColumn, TreeRow

GUESS_COLOUR = "#b35c00"  # items whose place or title was inferred
PREVIEW_COLUMNS = [
    TreeColumn("heading", "识别出的标题", 300),
    TreeColumn("kind", "类型", 44),
    TreeColumn("guesses", "推测说明（请核对）", 230),
    TreeColumn("body", "正文（开头）", 300),
]
PARSE_DELAY_MS = 300


class PlanImportDialog(QDialog):
    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parsed: ParsedPlan | None = None
        self.imported_year: int | None = None
        self.setWindowTitle("从文本导入工作计划")
        self.resize(1100, 680)

        self.text = QPlainTextEdit(objectName="import_text")
        self.text.setPlaceholderText("把工作计划全文粘贴到这里，或点“打开文件…”。")
        self.year = QSpinBox(objectName="import_year", minimum=2000, maximum=2100, value=year)
        self.year.setSuffix(" 年")
        self.model = RecordTreeModel(PREVIEW_COLUMNS, parent=self)
        self.preview = QTreeView(objectName="import_preview")
        self.preview.setModel(self.model)
        for i, column in enumerate(PREVIEW_COLUMNS):
            self.preview.setColumnWidth(i, column.width)
        self.summary = QLabel(objectName="import_summary", wordWrap=True)

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
        right_layout.addWidget(self.summary)
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
        try:
            self.text.setPlainText(read_plan_file(path))
        except DeskLeagueError as exc:
            show_error(self, exc, "打开文件")
            return
        self.recognise()

    def recognise(self) -> None:
        self._timer.stop()
        if not self.text.toPlainText().strip():
            self._set_parsed(None, "")
            return
        try:
            parsed = parse_plan_text(self.text.toPlainText())
        except DeskLeagueError as exc:
            self._set_parsed(None, str(exc))
            return
        self._set_parsed(parsed, _summary(parsed))

    def _set_parsed(self, parsed: ParsedPlan | None, message: str) -> None:
        self.parsed = parsed
        self.model.set_rows(_preview_rows(parsed) if parsed else [])
        self.preview.expandAll()
        self.summary.setText(message or "粘贴文本后自动识别。")
        self.save_button.setEnabled(parsed is not None)

    def save(self, replace: bool = False) -> None:
        if self.parsed is None:
            return
        parsed, year = self.parsed, self.year.value()

        def work(session, _progress) -> int:
            plans.import_plan(session, parsed, year, replace=replace)
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
    guessed = sum(1 for item in parsed.all_items() if item.guesses)
    lines = [
        f"标题：{parsed.title or '（无）'}",
        f"总体思路：{_excerpt(parsed.approach, 80) or '（无）'}",
        f"板块 {parsed.count('section')} 个，事项 {parsed.count('task')} 项；其中 {guessed} 处为推测。",
    ]
    lines += [f"提示：{w}" for w in parsed.warnings]
    return "\n".join(lines)


def _excerpt(text: str, length: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length] + "…"


def _preview_rows(parsed: ParsedPlan) -> list[TreeRow]:
    rows: list[TreeRow] = []
    ids: dict[int, int] = {}

    def add(items, parent_id: int | None) -> None:
        for item in items:
            row_id = len(rows) + 1
            ids[id(item)] = row_id
            rows.append(
                TreeRow(
                    id=row_id,
                    parent_id=parent_id,
                    values={
                        "heading": f"{item.number}{item.title}",
                        "kind": "板块" if item.kind == "section" else "事项",
                        "body": _excerpt(item.body, 40),
                        "guesses": "；".join(item.guesses),
                    },
                    bold=item.kind == "section",
                    foreground=GUESS_COLOUR if item.guesses else None,
                    tooltip=f"原文第 {item.line} 行"
                    + ("\n" + "\n".join(item.guesses) if item.guesses else ""),
                )
            )
            add(item.children, row_id)

    add(parsed.items, None)
    return rows
