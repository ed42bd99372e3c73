"""年度工作总结 (or 上半年工作总结): the draft written from the records in the standard form,
edited by the clerk, exported to Word (.docx, to finish in Word or WPS) or PDF.

The clerk's edits are saved with the database (per year and half-year) when the dialog closes,
when the other period is chosen or a file is exported, so closing the window never loses an
afternoon's wording.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
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
    export_summary_docx,
    export_summary_pdf,
    save_summary_draft,
    saved_summary_draft,
)
from desk_league.ui.messages import confirm, inform, show_error
from desk_league.ui.operations import Changed, Op, change, query, read


class YearEndSummaryDialog(QDialog):
    ready = Signal()  # the draft is in the editor

    def __init__(self, year: int, today: date, parent=None, *, half: bool = False) -> None:
        super().__init__(parent)
        self.year, self.today, self.half = year, today, half
        self.resize(900, 660)  # fits a 1366×768 laptop, and 1920×1080 at 150 %

        note = QLabel(
            "草稿依据系统中的工作计划、活动、志愿服务、荣誉和团组织记录，按“一、主要工作和成绩”"
            "“二、存在的问题和不足”“三、下一年工作思路”起草，只写记录中有的内容；可直接修改。"
            "以“一、”“（一）”开头的行作为标题排版，首行作为总标题。"
        )
        note.setWordWrap(True)
        self.period = QComboBox(objectName="summary_period")
        self.period.addItem("年度工作总结", False)
        self.period.addItem("上半年工作总结", True)
        self.period.setCurrentIndex(1 if half else 0)
        self.period.currentIndexChanged.connect(lambda _i: self._period_chosen())
        top = QHBoxLayout()
        top.addWidget(note, 1)
        top.addWidget(self.period)
        self.editor = QPlainTextEdit(objectName="summary_text")
        self.editor.setTabChangesFocus(True)
        self.status = QLabel(objectName="summary_status")

        self.buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for text, slot, name in (
            ("按最新记录重新生成", self.regenerate, "summary_regenerate"),
            ("保存草稿", self.save_draft, "summary_save"),
            ("导出 Word…", self.export_docx, "summary_export_docx"),
            ("导出 PDF…", self.export_pdf, "summary_export_pdf"),
            ("关闭", self.close, "summary_close"),
        ):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(lambda _=False, slot=slot: slot())
            buttons.addWidget(button)
            self.buttons[name] = button

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.editor, 1)
        layout.addLayout(buttons)
        self._load()

    @property
    def what(self) -> str:
        return f"{self.year}年上半年工作总结" if self.half else f"{self.year}年度工作总结"

    def _load(self) -> None:
        self.setWindowTitle(f"{self.what}（草稿）")
        year, half = self.year, self.half
        saved = read(lambda session: saved_summary_draft(session, year, half=half))
        if saved is None:
            self._generate("已按系统记录生成草稿。", modified=False)
            return
        self.editor.setPlainText(saved)
        self.editor.document().setModified(False)
        self.status.setText("已载入上次保存的草稿。")
        self.ready.emit()

    def _period_chosen(self) -> None:
        """The other period: the text on screen is kept first, then the other one is shown."""
        if self.editor.document().isModified() and not self.save_draft():
            self.period.blockSignals(True)
            self.period.setCurrentIndex(1 if self.half else 0)  # stay where the text is
            self.period.blockSignals(False)
            return
        self.half = bool(self.period.currentData())
        self._load()

    def _generate(self, done_text: str, *, modified: bool) -> None:
        """Write the draft from the records off the GUI thread (a second on a large database)."""
        self._set_busy(True)
        year, today, half = self.year, self.today, self.half

        def show(text: str) -> None:  # not called when the dialog was closed meanwhile
            self.editor.setPlainText(text)
            self.editor.document().setModified(modified)
            self.status.setText(done_text)
            self._set_busy(False)
            self.ready.emit()

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            show_error(self, exc, f"生成{self.what}")

        query(
            self, lambda session: build_summary_draft(session, year, today, half=half)
        ).in_background().success(show).failure(failed).run()

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.editor.clear()  # an empty, unmodified editor: closing now saves nothing
            self.status.setText("正在依据系统记录生成草稿…")
        self.editor.setReadOnly(busy)
        for button in self.buttons.values():
            button.setEnabled(not busy or button.objectName() == "summary_close")
        self.period.setEnabled(not busy)

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
        year, half = self.year, self.half
        return read(lambda session: saved_summary_draft(session, year, half=half)) is not None

    def save_draft(self) -> bool:
        """Keep the text with the database; whether it was saved."""
        year, text, half = self.year, self.text, self.half
        saved: list[bool] = []
        change(
            self,
            lambda s: save_summary_draft(s, year, text, half=half),
            Changed.NOTHING,
            action="保存草稿",
        ).success(lambda _: saved.append(True)).run()
        if saved:
            self.editor.document().setModified(False)
            self.status.setText(f"草稿已保存（{datetime.now():%H:%M}）。")
        return bool(saved)

    def export_docx(self, path: str | None = None) -> None:
        """As a Word document, for the secretary to finish in Word or WPS."""
        self._export(path, ".docx", "Word 文档 (*.docx)", export_summary_docx)

    def export_pdf(self, path: str | None = None) -> None:
        self._export(path, ".pdf", "PDF 文件 (*.pdf)", export_summary_pdf)

    def _export(self, path: str | None, suffix: str, file_filter: str, write) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, f"导出{self.what}", str(Path.home() / f"{self.what}{suffix}"), file_filter
            )
        if not path:
            return
        if not self.save_draft():
            return
        text, year, half = self.text, self.year, self.half
        Op(
            self,
            lambda progress: write(path, text, year=year, half=half, progress=progress),
            action=f"导出{self.what}",
        ).in_background(f"导出{self.what}").success(
            lambda out: inform(self, f"已导出：{out}")
        ).run()

    def reject(self) -> None:
        # Esc, the window's close box and the 关闭 button all end here; the edits are kept
        if self.editor.document().isModified() and not self.save_draft():
            return  # not saved (the message said why): the text stays open
        super().reject()
