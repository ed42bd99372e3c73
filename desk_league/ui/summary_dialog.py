"""年度工作总结: the draft written from the records, edited by the clerk, exported to PDF.

The clerk's edits are saved with the database (per year) when the dialog closes or the PDF is
exported, so closing the window never loses an afternoon's wording.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from desk_league.services.year_end_summary import (
    build_summary_draft,
    export_summary_pdf,
    save_summary_draft,
    saved_summary_draft,
)
from desk_league.ui.messages import confirm, inform, show_error
from desk_league.ui.operations import Changed, Op, change, query, read


class YearEndSummaryDialog(QDialog):
    ready = Signal()  # the draft is in the editor

    def __init__(self, year: int, today: date, parent=None) -> None:
        super().__init__(parent)
        self.year, self.today = year, today
        self.setWindowTitle(f"{year}年度工作总结（草稿）")
        self.resize(900, 660)  # fits a 1366×768 laptop, and 1920×1080 at 150 %

        note = QLabel(
            "草稿依据系统中的工作计划、活动、志愿服务、荣誉和团组织记录生成，只写记录中有的内容；"
            "可直接修改。以“一、”“（一）”开头的行作为标题排版，首行作为总标题。"
        )
        note.setWordWrap(True)
        self.editor = QPlainTextEdit(objectName="summary_text")
        self.editor.setTabChangesFocus(True)
        self.status = QLabel(objectName="summary_status")

        self.buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for text, slot, name in (
            ("按最新记录重新生成", self.regenerate, "summary_regenerate"),
            ("保存草稿", self.save_draft, "summary_save"),
            ("导出 PDF…", self.export_pdf, "summary_export_pdf"),
            ("关闭", self.close, "summary_close"),
        ):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(lambda _=False, slot=slot: slot())
            buttons.addWidget(button)
            self.buttons[name] = button

        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.editor, 1)
        layout.addLayout(buttons)
        self._load()

    def _load(self) -> None:
        saved = read(lambda session: saved_summary_draft(session, self.year))
        if saved is None:
            self._generate("已按系统记录生成草稿。", modified=False)
            return
        self.editor.setPlainText(saved)
        self.editor.document().setModified(False)
        self.status.setText("已载入上次保存的草稿。")
        self.ready.emit()

    def _generate(self, done_text: str, *, modified: bool) -> None:
        """Write the draft from the records off the GUI thread (a second on a large database)."""
        self._set_busy(True)
        year, today = self.year, self.today

        def show(text: str) -> None:  # not called when the dialog was closed meanwhile
            self.editor.setPlainText(text)
            self.editor.document().setModified(modified)
            self.status.setText(done_text)
            self._set_busy(False)
            self.ready.emit()

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            show_error(self, exc, "生成年度工作总结")

        query(
            self, lambda session: build_summary_draft(session, year, today)
        ).in_background().success(show).failure(failed).run()

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.editor.clear()  # an empty, unmodified editor: closing now saves nothing
            self.status.setText("正在依据系统记录生成草稿…")
        self.editor.setReadOnly(busy)
        for button in self.buttons.values():
            button.setEnabled(not busy or button.objectName() == "summary_close")

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def regenerate(self) -> None:
        edited = self.editor.document().isModified() or self._has_saved_draft()
        if edited and not confirm(
            self, "按最新记录重新生成会替换当前文字（包括已保存的修改）。继续吗？"
        ):
            return
        self._generate("已按最新记录重新生成（尚未保存）。", modified=True)

    def _has_saved_draft(self) -> bool:
        return read(lambda session: saved_summary_draft(session, self.year)) is not None

    def save_draft(self) -> bool:
        """Keep the text with the database; whether it was saved."""
        year, text = self.year, self.text
        saved: list[bool] = []
        change(
            self, lambda s: save_summary_draft(s, year, text), Changed.NOTHING, action="保存草稿"
        ).success(lambda _: saved.append(True)).run()
        if saved:
            self.editor.document().setModified(False)
            self.status.setText(f"草稿已保存（{datetime.now():%H:%M}）。")
        return bool(saved)

    def export_pdf(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self,
                "导出年度工作总结",
                str(Path.home() / f"{self.year}年度工作总结.pdf"),
                "PDF 文件 (*.pdf)",
            )
        if not path:
            return
        if not self.save_draft():
            return
        text, year = self.text, self.year
        Op(
            self,
            lambda progress: export_summary_pdf(path, text, year=year, progress=progress),
            action="导出年度工作总结",
        ).in_background("导出年度工作总结").success(
            lambda out: inform(self, f"已导出：{out}")
        ).run()

    def reject(self) -> None:
        # Esc, the window's close box and the 关闭 button all end here; the edits are kept
        if self.editor.document().isModified() and not self.save_draft():
            return  # not saved (the message said why): the text stays open
        super().reject()
