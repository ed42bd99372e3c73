"""Showing a generated PDF inside the app (QtPdf) and printing it (QtPrintSupport).

QtPdf comes from the small ``PySide6-Pdf`` wheel (no WebEngine). Should it be missing on some
PC, the preview says where the file is and printing is left to the PDF reader.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSize, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from desk_league.ui.messages import show_error

try:  # the PySide6-Pdf wheel
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - depends on the installed wheels
    QPdfDocument = QPdfView = None

PRINT_DPI_CAP = 300  # enough for text on certificate stock; 600 dpi pages would use 140 MB each


class PdfPreview(QWidget):
    """A scrollable view of a PDF file; ``load`` replaces what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self._stack = QStackedLayout(self)
        self.message = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self._stack.addWidget(self.message)
        self.document = None
        if QPdfDocument is not None:
            self.document = QPdfDocument(self)
            self.view = QPdfView(self)
            self.view.setDocument(self.document)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
            self.view.setPageSpacing(12)
            self._stack.addWidget(self.view)

    def load(self, path: Path) -> None:
        self.path = Path(path)
        if self.document is None:
            self.show_message(
                f"PDF 已生成：{self.path}\n（本机缺少 PDF 预览组件 PySide6-Pdf，请用 PDF 阅读器打开）"
            )
            return
        self.document.close()
        self.document.load(str(self.path))
        self._stack.setCurrentWidget(self.view)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self._stack.setCurrentWidget(self.message)

    def page_count(self) -> int:
        return self.document.pageCount() if self.document is not None else 0


def make_printer() -> QPrinter:
    """The printer the print dialog edits; a function so tests can print to a file instead."""
    return QPrinter(QPrinter.PrinterMode.HighResolution)


def print_pdf(parent: QWidget | None, preview: PdfPreview) -> bool:
    """The system print dialog, then every page of the previewed PDF at the printer's size."""
    if preview.document is None or preview.page_count() == 0:
        return False
    printer = make_printer()
    printer.setDocName(preview.path.stem if preview.path else "荣誉证书")
    printer.setPageLayout(_page_layout(preview.document.pagePointSize(0)))
    # Offsets are measured from the paper's edge, so draw on the whole sheet, not the margins.
    printer.setFullPage(True)
    printer.setFromTo(1, preview.page_count())
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印证书")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    _paint_pages(printer, preview)
    return True


def _page_layout(points: QSizeF) -> QPageLayout:
    """The PDF's paper (A4/A3) and orientation, so the dialog starts with the right sheet."""
    landscape = points.width() > points.height()
    portrait = QSizeF(min(points.width(), points.height()), max(points.width(), points.height()))
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(
        QPageSize(portrait, QPageSize.Unit.Point), orientation, QMarginsF(0, 0, 0, 0)
    )


def _paint_pages(printer: QPrinter, preview: PdfPreview) -> None:
    document = preview.document
    first, last = printer.fromPage() or 1, printer.toPage() or preview.page_count()
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法连接打印机，请检查打印机是否开机并已连接。")
    try:
        dpi = min(printer.resolution(), PRINT_DPI_CAP)
        for number in range(first - 1, last):
            if number > first - 1:
                printer.newPage()
            points = document.pagePointSize(number)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(number, size)
            # The PDF page is drawn over the whole paper: its mm offsets are measured from the edge.
            target = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
            target.moveTo(0, 0)
            painter.drawImage(target, image)
    finally:
        painter.end()


class PdfPreviewDialog(QDialog):
    """The generated certificates, with 打印… (system dialog) and the folder they are in."""

    def __init__(self, path: Path, parent: QWidget | None = None, note: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"预览 — {Path(path).name}")
        self.resize(1000, 660)  # fits a 1366×768 laptop, and 1920×1080 at 150 %
        self.preview = PdfPreview(self)
        self.preview.load(path)
        info = QLabel(note or f"文件：{path}", wordWrap=True)
        self.print_button = QPushButton("打印…", objectName="print_certificates")
        self.print_button.setEnabled(self.preview.document is not None)
        self.print_button.clicked.connect(self.print_document)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(info, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.printed = False

    def print_document(self) -> None:
        try:
            self.printed = print_pdf(self, self.preview) or self.printed
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            show_error(self, exc, "打印")
