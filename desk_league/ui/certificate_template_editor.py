"""证书模板: the certificate template editor with a live preview of a sample certificate.

Every position is in millimetres from the paper's top-left corner, so the clerk can align the
text with pre-printed certificate stock by measuring it with a ruler.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk_league.exports.certificates import (
    PLACEHOLDERS,
    CertificateTemplateData,
    installed_fonts,
    resolved_layout,
)
from desk_league.services import honour_certificates as certificates
from desk_league.services.honour_certificates import TemplateInput
from desk_league.ui.forms import EditTracker, choice_combo
from desk_league.ui.messages import confirm, inform
from desk_league.ui.operations import Changed, Op, change, read
from desk_league.ui.pdf_preview import PdfPreview

PREVIEW_DELAY_MS = 400  # redraw once the clerk pauses typing
AUTO = -1.0  # spin box value shown as “自动”: centred or placed by the layout

# (section, key, label, allows 自动)
POSITION_FIELDS = [
    ("title", "y", "标题 距上(mm)", False),
    ("title", "size", "标题 字号(pt)", False),
    ("title", "spacing", "标题 字距(pt)", False),
    ("body", "x", "正文 距左(mm)", True),
    ("body", "y", "正文 距上(mm)", False),
    ("body", "width", "正文 宽度(mm)", False),
    ("body", "size", "正文 字号(pt)", False),
    ("body", "leading", "正文 行距(倍)", False),
    ("issuer", "x", "落款 中心距左(mm)", True),
    ("issuer", "y", "落款 距上(mm)", False),
    ("issuer", "size", "落款 字号(pt)", False),
    ("seal", "x", "印章 中心距左(mm)", True),
    ("seal", "y", "印章 中心距上(mm)", True),
    ("seal", "size", "印章 直径(mm)", False),
    ("number", "x", "证书编号 距左(mm)", False),
    ("number", "y", "证书编号 距上(mm)", False),
    ("number", "size", "证书编号 字号(pt)", False),
    ("qr", "x", "二维码 距左(mm)", False),
    ("qr", "y", "二维码 距上(mm)", False),
    ("qr", "size", "二维码 边长(mm)", False),
]
BUNDLED_FONT_LABEL = "思源宋体（内置，标题用粗体）"


class PathField(QWidget):
    """A file path with 浏览… and 清除."""

    def __init__(self, caption: str, file_filter: str, name: str) -> None:
        super().__init__()
        self.edit = QLineEdit(objectName=name, placeholderText="（无）")
        browse, clear = QPushButton("浏览…"), QPushButton("清除")
        browse.clicked.connect(lambda: self._browse(caption, file_filter))
        clear.clicked.connect(self.edit.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)
        layout.addWidget(clear)

    def _browse(self, caption: str, file_filter: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, caption, self.edit.text(), file_filter)
        if path:
            self.edit.setText(path)


class TemplateEditor(QWidget):
    """Edits one template at a time. Choosing another template, another page or tab, or closing
    the window with unsaved edits asks 保存 / 放弃 / 取消 (``may_leave``).

    The sample certificate is drawn in the background (the fonts are read there, once): edits
    made while one is drawn are drawn next, and a drawing they made stale is never shown."""

    previewed = Signal()  # the newest fields' sample (or why there is none) is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template_id: int | None = None
        self._loading = False
        self._asked = 0  # previews asked for (each edit asks)
        self._drawing = False  # one sample is being drawn in the background
        self._preview_dir = tempfile.TemporaryDirectory(
            prefix="desk-league-preview-",
            ignore_cleanup_errors=True,  # Windows: the viewer holds a file
        )
        self._preview_count = 0

        self.chooser = QComboBox(objectName="template_chooser")
        self.chooser.setProperty("not_an_edit", True)
        self.chooser.currentIndexChanged.connect(lambda _: self._template_chosen())
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("模板"))
        buttons.addWidget(self.chooser, 1)
        built_in = QPushButton("从内置模板新建", objectName="built_in_templates")
        menu = QMenu(built_in)
        for name in certificates.built_in_template_names():
            menu.addAction(name, lambda name=name: self.start_from_built_in(name))
        built_in.setMenu(menu)
        buttons.addWidget(built_in)
        for text, slot, name in [
            ("保存", self.save, "save_template"),
            ("另存为新模板", self.save_as_new, "copy_template"),
            ("删除", self.delete, "delete_template"),
        ]:
            button = QPushButton(text, objectName=name)
            button.clicked.connect(slot)
            buttons.addWidget(button)

        self.name = QLineEdit(objectName="template_name")
        self.page_size = choice_combo([("A4", "A4"), ("A3", "A3")], name="page_size")
        self.orientation = choice_combo([(True, "横向"), (False, "纵向")], name="orientation")
        self.title = QLineEdit(objectName="template_title")
        self.body = QPlainTextEdit(objectName="template_body")
        self.body.setFixedHeight(90)
        self.issuer = QPlainTextEdit(objectName="template_issuer")
        self.issuer.setFixedHeight(52)
        self.font = QComboBox(objectName="template_font")
        self.font.setEditable(False)
        self.font.addItem(BUNDLED_FONT_LABEL, "")
        self._fonts_listed = False  # the PC's fonts are listed on first show
        browse_font = QPushButton("其他字体…")
        browse_font.clicked.connect(self._browse_font)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font, 1)
        font_row.addWidget(browse_font)
        self.border = QCheckBox("画花边", objectName="border")
        self.background = PathField(
            "选择背景图片（证书底纸扫描件）", "图片 (*.png *.jpg *.jpeg)", "background"
        )
        self.print_background = QCheckBox(
            "打印背景（不勾选：套打在已印好的证书纸上，背景只用于预览对位）"
        )
        self.seal = PathField(
            "选择印章图片（透明底 PNG）", "图片 (*.png *.jpg *.jpeg)", "seal_image"
        )
        self.show_date = QCheckBox("落款下印中文日期（如 二〇二六年五月四日）")
        self.qr = QCheckBox("印二维码（证书编号与校验码）", objectName="qr_enabled")

        form = QFormLayout()
        form.addRow("模板名称", self.name)
        form.addRow("纸张", _row(self.page_size, self.orientation))
        form.addRow("标题", self.title)
        form.addRow("正文", self.body)
        form.addRow(
            "", QLabel("可用占位符：" + " ".join(f"{{{p}}}" for p in PLACEHOLDERS), wordWrap=True)
        )
        form.addRow("落款", self.issuer)
        form.addRow("", self.show_date)
        form.addRow("字体", font_row)
        form.addRow("", self.border)
        form.addRow("背景图片", self.background)
        form.addRow("", self.print_background)
        form.addRow("印章图片", self.seal)
        form.addRow("", self.qr)
        self.spins: dict[tuple[str, str], QDoubleSpinBox] = {}
        for section, key, label, automatic in POSITION_FIELDS:
            spin = QDoubleSpinBox(objectName=f"{section}_{key}", decimals=1, maximum=500)
            spin.setSingleStep(0.1 if key == "leading" else 1)
            spin.setMaximumWidth(110)
            if automatic:
                spin.setMinimum(AUTO)
                spin.setSpecialValueText("自动")
            self.spins[(section, key)] = spin
            form.addRow(label, spin)
        fields = QWidget()
        fields.setLayout(form)
        self.edits = EditTracker(fields, "证书模板")
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(fields)

        self.status = QLabel(objectName="preview_status", wordWrap=True)
        self.preview = PdfPreview(self)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.status)
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setSizes([480, 620])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        for signal in self._change_signals():
            signal.connect(self._changed)
        self.page_size.currentIndexChanged.connect(self._paper_changed)
        self.orientation.currentIndexChanged.connect(self._paper_changed)

    def _change_signals(self):
        yield from (
            self.name.textChanged,
            self.title.textChanged,
            self.body.textChanged,
            self.issuer.textChanged,
            self.font.currentIndexChanged,
            self.border.toggled,
            self.background.edit.textChanged,
            self.print_background.toggled,
            self.seal.edit.textChanged,
            self.show_date.toggled,
            self.qr.toggled,
        )
        yield from (spin.valueChanged for spin in self.spins.values())

    # --- loading and saving -------------------------------------------------------------------

    def refresh(self) -> None:
        """The list of templates; the one being edited is read again unless the clerk has
        unsaved edits in it (they stay on screen)."""
        if not self._fonts_listed:
            self._fonts_listed = True
            for path in installed_fonts():
                if self.font.findData(str(path)) < 0:
                    self.font.addItem(path.name, str(path))
        choices = read(certificates.template_choices)
        current = self.template_id
        with QSignalBlocker(self.chooser):
            self.chooser.clear()
            for template_id, name in choices:
                self.chooser.addItem(name, template_id)
            index = self.chooser.findData(current)
            self.chooser.setCurrentIndex(index if index >= 0 else 0)
        if not self.edits.is_dirty() or (
            current is not None and current != self.chooser.currentData()
        ):
            self.load(self.chooser.currentData())  # a new template not yet saved stays on screen

    def _template_chosen(self) -> None:
        chosen = self.chooser.currentData()
        if chosen == self.template_id:
            return
        if not self.may_leave():  # back to the template with unsaved edits
            with QSignalBlocker(self.chooser):
                self.chooser.setCurrentIndex(max(0, self.chooser.findData(self.template_id)))
            return
        with QSignalBlocker(self.chooser):  # saving on the way refilled the list
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(chosen)))
        self.load(chosen)

    def may_leave(self) -> bool:
        """保存 / 放弃 / 取消 when the template shown has unsaved edits."""
        return self.edits.may_leave(save=self.save, discard=self._discard)

    def _discard(self) -> None:
        """放弃: the template as saved (a new one not yet saved: the one chosen in the list)."""
        self.edits.mark_clean()
        self.load(self.template_id if self.template_id is not None else self.chooser.currentData())

    def load(self, template_id: int | None) -> None:
        if template_id is None:
            return
        data = read(lambda session: certificates.template_input(session, template_id))
        self.template_id = template_id
        self._show(data)

    def start_from_built_in(self, name: str) -> None:
        """A new template from a built-in one (个人·横版 …): 保存 adds it to the list; leaving it
        unsaved asks first, like any edit."""
        if not self.may_leave():
            return
        self.template_id = None
        self._show(certificates.built_in_template(name))
        self.edits.mark_unsaved()

    def _show(self, data: TemplateInput) -> None:
        self.version = data.version  # a save over a template another PC changed is refused
        self._loading = True
        try:
            self.name.setText(data.name)
            self.page_size.setCurrentText(data.page_size)
            self.orientation.setCurrentIndex(self.orientation.findData(data.landscape))
            self.title.setText(data.title)
            self.body.setPlainText(data.body)
            self.issuer.setPlainText(data.issuer)
            self._show_layout(resolved_layout(certificates.template_data(data)))
        finally:
            self._loading = False
        self.edits.mark_clean()
        self.update_preview()

    def _show_layout(self, layout: dict[str, Any]) -> None:
        font = str(layout.get("font") or "")
        if font and self.font.findData(font) < 0:
            self.font.addItem(Path(font).name, font)
        self.font.setCurrentIndex(max(0, self.font.findData(font)))
        self.border.setChecked(bool(layout.get("border")))
        self.background.edit.setText(str(layout.get("background") or ""))
        self.print_background.setChecked(bool(layout.get("print_background", True)))
        self.seal.edit.setText(str(layout["seal"].get("image") or ""))
        self.show_date.setChecked(bool(layout["issuer"].get("date", True)))
        self.qr.setChecked(bool(layout["qr"].get("enabled")))
        for (section, key), spin in self.spins.items():
            value = layout[section].get(key)
            spin.setValue(AUTO if value is None else float(value))

    def current_input(self) -> TemplateInput:
        layout: dict[str, Any] = {
            "font": self.font.currentData() or "",
            "border": self.border.isChecked(),
            "background": self.background.edit.text().strip(),
            "print_background": self.print_background.isChecked(),
        }
        for (section, key), spin in self.spins.items():
            value = (
                None if spin.minimum() == AUTO and spin.value() == AUTO else round(spin.value(), 1)
            )
            layout.setdefault(section, {})[key] = value
        layout["seal"]["image"] = self.seal.edit.text().strip()
        layout["issuer"]["date"] = self.show_date.isChecked()
        layout["qr"]["enabled"] = self.qr.isChecked()
        return TemplateInput(
            name=self.name.text(),
            title=self.title.text(),
            body=self.body.toPlainText(),
            issuer=self.issuer.toPlainText(),
            page_size=self.page_size.currentText(),
            landscape=bool(self.orientation.currentData()),
            layout=layout,
            version=self.version,
        )

    def _paper_changed(self) -> None:
        # Positions are per paper: a new size or orientation starts from its own defaults.
        if self._loading:
            return
        data = self.current_input()
        keep = {k: v for k, v in data.layout.items() if not isinstance(v, dict)}
        keep["seal"] = {"image": data.layout["seal"]["image"]}
        keep["qr"] = {"enabled": data.layout["qr"]["enabled"]}
        self._loading = True
        try:
            template = CertificateTemplateData(
                page_size=data.page_size, landscape=data.landscape, layout=keep
            )
            self._show_layout(resolved_layout(template))
        finally:
            self._loading = False
        self._changed()

    def save(self) -> bool:
        """保存; whether it was saved."""
        return self._save(self.template_id)

    def save_as_new(self) -> None:
        self._save(None, copy_name=True)

    def _save(self, template_id: int | None, copy_name: bool = False) -> bool:
        data = self.current_input()
        if copy_name:
            data.name = f"{data.name}（副本）"
        data.layout = copy.deepcopy(data.layout)
        saved: list[int] = []

        def done(saved_id: int) -> None:
            saved.append(saved_id)
            self.template_id = saved_id
            self.edits.mark_clean()
            self.refresh()  # the chooser shows the new name; the fields the saved template
            inform(self, f"证书模板“{data.name}”已保存。")

        change(
            self,
            lambda s: certificates.save_template(s, data, template_id).id,
            Changed.TEMPLATES,
            action="保存证书模板",
        ).success(done).run()
        return bool(saved)

    def delete(self) -> None:
        template_id = self.template_id
        if template_id is None or not confirm(self, f"将证书模板“{self.name.text()}”移到回收站？"):
            return

        def done(_result: object) -> None:
            self.template_id = None
            self.edits.mark_clean()
            self.refresh()

        change(
            self,
            lambda s: certificates.delete_template(s, template_id),
            Changed.TEMPLATES,
            action="删除证书模板",
        ).success(done).run()

    def _browse_font(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择字体文件", "", "TrueType 字体 (*.ttf *.ttc)"
        )
        if path:
            if self.font.findData(path) < 0:
                self.font.addItem(Path(path).name, path)
            self.font.setCurrentIndex(self.font.findData(path))

    # --- preview ------------------------------------------------------------------------------

    def _changed(self, *_args) -> None:
        if not self._loading:
            self._timer.start()

    def update_preview(self) -> None:
        """Draw the sample certificate of the fields as they are; a problem (unknown
        placeholder, missing glyph) shows below it."""
        self._asked += 1
        if not self._drawing:  # else the drawing under way is followed by this one
            self._draw()

    def _draw(self) -> None:
        data, asked = self.current_input(), self._asked
        self._preview_count += 1  # a new file each time: the viewer keeps the old one open
        path = Path(self._preview_dir.name) / f"preview-{self._preview_count}.pdf"
        self._drawing = True

        def draw(_progress) -> list:
            problems = certificates.glyph_problems(
                certificates.template_data(data), [certificates.SAMPLE_RECIPIENT]
            )
            certificates.write_preview(data, path)
            return problems

        def drawn(problems: list) -> None:
            if self._stale(asked):
                return
            self.preview.load(path)
            if problems:
                missing = "、".join(p.character for p in problems)
                self.status.setText(f"<span style='color:#b00'>所选字体缺少：{missing}</span>")
            else:
                self.status.setText("预览（示例数据）：位置单位为毫米，从纸张左上角量起。")
            self.previewed.emit()

        def failed(exc: BaseException) -> None:  # explained below, not a dialog per keystroke
            if self._stale(asked):
                return
            self.status.setText(f"<span style='color:#b00'>无法预览：{exc}</span>")
            self.previewed.emit()

        Op(self, draw, action="预览证书").in_background().success(drawn).failure(failed).run()

    def _stale(self, asked: int) -> bool:
        """A drawing has ended: True when edits came meanwhile (they are drawn now instead)."""
        self._drawing = False
        if asked != self._asked:
            self._draw()
            return True
        return False


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return holder
