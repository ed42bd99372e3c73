"""导入向导: choose a file → sheet and header row → map columns → preview errors → import.

Reading, checking and saving all run off the GUI thread (operations in the background); the
file is saved all or nothing after an automatic backup, or, when the clerk chooses, only its
valid rows with the rest written to the errors workbook first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desk_league.imports.roster import missing_required, roster_kind
from desk_league.imports.sheet import HEADER_SEARCH_ROWS, SheetRows
from desk_league.imports.table import FILE_FILTER, sheet_names
from desk_league.services import store
from desk_league.services import volunteer_import as vi
from desk_league.services.maintenance import backup_before
from desk_league.ui.messages import inform, show_error
from desk_league.ui.operations import Changed, Op, long_change, long_query

PREVIEW_ROWS = HEADER_SEARCH_ROWS  # rows of the sheet shown while choosing the header
ERRORS_SHOWN = 1000  # the rest are in the exported error list
SKIPPED_SHOWN = 6  # lines of skipped rows under the errors; the tooltip has more
NOT_IMPORTED = "（不导入）"


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)


# the kinds whose rows name a unit or organisation that may be created on import
CREATES_UNITS = {"volunteers", "members", "cadres"}


def save_template(parent: QWidget, kind: str, path: str | None = None) -> None:
    """下载导入模板: a blank workbook for ``kind`` with drop-down lists and a text ID column."""
    from desk_league.services.templates import write_template

    title = vi.KINDS[kind]
    if not path:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            f"保存{title}导入模板",
            str(Path.home() / f"{title}导入模板.xlsx"),
            "Excel 工作簿 (*.xlsx)",
        )
    if not path:
        return
    long_query(
        parent, "生成导入模板", lambda session, _progress: write_template(session, kind, path)
    ).success(
        lambda out: inform(parent, f"已生成导入模板：{out}\n填好后用“导入…”选择这个文件。")
    ).run()


class ImportWizard(QWizard):
    def __init__(self, parent: QWidget | None = None, *, kind: str = "volunteers") -> None:
        super().__init__(parent)
        self.setWindowTitle("导入名册（Excel / CSV）")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "导入")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.kind = kind
        self.path: Path | None = None
        self.sheets: list[str] = []
        self.rows: SheetRows | None = None
        self.preview: vi.ImportPreview | None = None
        self.result: vi.ImportResult | None = None
        self.file_page, self.layout_page = FilePage(self), LayoutPage(self)
        self.mapping_page, self.preview_page = MappingPage(self), PreviewPage(self)
        for page in (self.file_page, self.layout_page, self.mapping_page, self.preview_page):
            self.addPage(page)
        self.resize(860, 600)

    def load(self, path: Path, sheet: str | None, then) -> None:
        """Read a sheet in the background, then call ``then()`` on the GUI thread."""

        def work(progress):
            names = sheet_names(path)
            return names, vi.open_roster(path, self.kind, sheet, progress)

        def done(result) -> None:
            self.sheets, self.rows = result
            self.path = path
            then()

        Op(self, work, action="读取名册文件").in_background("读取名册文件").success(done).run()


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("第 1 步：选择文件")
        self.setSubTitle(
            "支持 Excel 工作簿（.xlsx、旧版 .xls）和 .csv 文本表格（UTF-8、GBK、UTF-16 均可）。"
        )
        self.kind_group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        for kind, text in vi.KINDS.items():
            row = QHBoxLayout()
            radio = QRadioButton(f"导入{text}", objectName=f"kind_{kind}")
            radio.setChecked(kind == wizard.kind)
            radio.toggled.connect(lambda on, k=kind: on and self._set_kind(k))
            self.kind_group.addButton(radio)
            row.addWidget(radio)
            template = QPushButton("下载模板…", objectName=f"template_{kind}")
            template.setFlat(True)
            template.clicked.connect(lambda _=False, k=kind: save_template(self, k))
            row.addWidget(template)
            row.addStretch(1)
            layout.addLayout(row)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(objectName="import_path")
        self.path_edit.setPlaceholderText("选择要导入的名册或时长表…")
        self.path_edit.textChanged.connect(self.completeChanged)
        browse = QPushButton("浏览…", objectName="browse")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        hint = QLabel(
            "身份证号一列请设为“文本”格式，否则 Excel 会把它变成 1.10105E+17 这样的数字。"
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)
        self._loaded_for: tuple[str, str] | None = None

    def _set_kind(self, kind: str) -> None:
        self.wiz.kind = kind

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择名册文件", str(Path.home()), FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        key = (self.path_edit.text().strip(), self.wiz.kind)
        if self._loaded_for == key:
            return True

        def loaded() -> None:
            self._loaded_for = key
            self.wiz.next()

        self.wiz.load(Path(key[0]), None, loaded)
        return False  # moves on once the file has been read


class LayoutPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("第 2 步：工作表与表头")
        self.setSubTitle("名册上方常有标题行；请确认哪一行是列标题（已自动识别）。")
        self.sheet = QComboBox(objectName="sheet")
        self.sheet.activated.connect(self._sheet_chosen)
        self.header_row = QSpinBox(objectName="header_row", minimum=1, maximum=PREVIEW_ROWS)
        self.header_row.valueChanged.connect(self._highlight)
        self.table = QTableWidget(objectName="sheet_preview")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        form = QFormLayout()
        form.addRow("工作表", self.sheet)
        form.addRow("表头所在行", self.header_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        self.sheet.clear()
        self.sheet.addItems(self.wiz.sheets)
        self.sheet.setCurrentText(self.wiz.rows.name)
        self._show_rows()

    def _sheet_chosen(self, _index: int) -> None:
        if self.wiz.rows and self.sheet.currentText() != self.wiz.rows.name:
            self.wiz.load(self.wiz.path, self.sheet.currentText(), self._show_rows)

    def _show_rows(self) -> None:
        rows = self.wiz.rows.rows[:PREVIEW_ROWS]
        width = max((len(r) for r in rows), default=0)
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(_cell_text(value)))
        self.table.resizeColumnsToContents()
        header_row, _ = vi.suggest_layout(self.wiz.rows, self.wiz.kind)
        self.header_row.setMaximum(max(1, len(rows)))
        self.header_row.setValue(header_row)
        self._highlight(header_row)

    def _highlight(self, row_number: int) -> None:
        self.table.selectRow(row_number - 1)


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("第 3 步：对应列")
        self.setSubTitle("已按列标题自动对应，带 * 的为必填项；不需要的项选“（不导入）”。")
        self.form = QFormLayout(self)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        fields = roster_kind(self.wiz.kind).fields
        header_row = self.wiz.layout_page.header_row.value()
        headers, mapping = vi.suggest_mapping_at(self.wiz.rows, self.wiz.kind, header_row)
        for spec in fields:
            combo = QComboBox(objectName=f"map_{spec.key}")
            combo.addItem(NOT_IMPORTED, None)
            for index, header in enumerate(headers):
                combo.addItem(f"第{index + 1}列：{_cell_text(header)}", index)
            if spec.key in mapping:
                combo.setCurrentIndex(combo.findData(mapping[spec.key]))
            self.combos[spec.key] = combo
            self.form.addRow(spec.title + ("*" if spec.required else ""), combo)

    def mapping(self) -> dict[str, int]:
        return {
            key: combo.currentData()
            for key, combo in self.combos.items()
            if combo.currentData() is not None
        }

    def validatePage(self) -> bool:
        missing = missing_required(self.mapping(), roster_kind(self.wiz.kind).fields)
        if missing:
            inform(self, f"请为这些必填项选择对应的列：{'、'.join(missing)}")
            return False
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("第 4 步：检查与导入")
        self.setSubTitle(
            "每一行都已检查；标题、合计、落款等不是人员的行已跳过。默认有错误时不导入任何内容。"
        )
        self.summary = QLabel(objectName="preview_summary")
        self.summary.setWordWrap(True)
        self.errors = QTableWidget(0, 5, objectName="preview_errors")
        self.errors.setHorizontalHeaderLabels(["行号", "姓名", "列", "错误原因", "改正方法"])
        self.errors.horizontalHeader().setStretchLastSection(True)
        self.errors.verticalHeader().setVisible(False)
        self.errors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.skipped = QLabel(objectName="preview_skipped")
        self.skipped.setWordWrap(True)
        self.duplicates = QLabel(objectName="preview_duplicates")
        self.duplicates.setWordWrap(True)
        self.skip = QRadioButton("跳过已有的（保留已有信息）", objectName="dup_skip")
        self.update = QRadioButton("用文件中的信息更新", objectName="dup_update")
        self.skip.setChecked(True)
        dup_group = QButtonGroup(self)
        for button in (self.skip, self.update):
            dup_group.addButton(button)
        self.create_units = QCheckBox(
            "新建名单中没有的团组织（按名称定类别，单位名称建为团支部）", objectName="create_units"
        )
        self.create_units.toggled.connect(lambda _on: self.initializePage())
        self.keep_status = QCheckBox(
            "保留文件中的审核状态（“已审核”的时长导入后仍为已审核）", objectName="keep_status"
        )
        self.accept_duplicates = QCheckBox(
            "重复的服务记录也导入（确是同一天的另一次服务）", objectName="accept_duplicates"
        )
        self.accept_duplicates.toggled.connect(lambda _on: self.initializePage())
        self.all_or_nothing = QRadioButton("有错误时不导入任何内容", objectName="all_or_nothing")
        self.valid_only = QRadioButton("只导入正确的行，有错误的行写入：", objectName="valid_only")
        self.all_or_nothing.setChecked(True)
        mode_group = QButtonGroup(self)
        for button in (self.all_or_nothing, self.valid_only):
            mode_group.addButton(button)
            button.toggled.connect(self.completeChanged)
        self.errors_path = QLineEdit(objectName="errors_path")
        self.errors_path.textChanged.connect(self.completeChanged)
        self.export_errors = QPushButton("导出错误清单…", objectName="export_errors")
        self.export_errors.clicked.connect(lambda: self.save_errors())
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors, 1)
        layout.addWidget(self.skipped)
        layout.addWidget(self.duplicates)
        dup_row = QHBoxLayout()
        dup_row.addWidget(self.skip)
        dup_row.addWidget(self.update)
        dup_row.addStretch(1)
        layout.addLayout(dup_row)
        options = QHBoxLayout()
        options.addWidget(self.create_units)
        options.addWidget(self.keep_status)
        options.addWidget(self.accept_duplicates)
        options.addStretch(1)
        layout.addLayout(options)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.all_or_nothing)
        mode_row.addWidget(self.valid_only)
        mode_row.addWidget(self.errors_path, 1)
        mode_row.addStretch(0)
        mode_row.addWidget(self.export_errors)
        layout.addLayout(mode_row)
        layout.addStretch(0)  # takes the room only while there is no error table: text stays on top
        self._saving = False
        self._default_errors = ""

    def initializePage(self) -> None:
        self.wiz.preview = None
        self.summary.setText("正在检查…")
        self.errors.setRowCount(0)
        self.completeChanged.emit()
        rows, kind = self.wiz.rows, self.wiz.kind
        header_row, mapping = (
            self.wiz.layout_page.header_row.value(),
            self.wiz.mapping_page.mapping(),
        )
        name, create_units = self.wiz.path.name, self.create_units.isChecked()
        accept_duplicates = self.accept_duplicates.isChecked()
        default = str(self.wiz.path.with_name(f"{self.wiz.path.stem}_未导入.xlsx"))
        if self.errors_path.text() in ("", self._default_errors):  # not one the clerk typed
            self.errors_path.setText(default)
        self._default_errors = default

        long_query(
            self,
            "检查数据",
            lambda session, progress: vi.preview_import(
                session,
                rows,
                kind,
                header_row,
                mapping,
                file_name=name,
                create_units=create_units,
                accept_duplicates=accept_duplicates,
                progress=progress,
            ),
        ).success(self._show).run()

    def _show(self, preview: vi.ImportPreview) -> None:
        self.wiz.preview = preview
        if preview.ok:
            verdict = "可以导入。"
        elif preview.importable:
            verdict = "有错误：请改正文件后重新导入，或选择“只导入正确的行”。"
        else:
            verdict = "没有可以导入的行。"
        self.summary.setText(f"{preview.summary()}。{verdict}")
        shown = preview.errors[:ERRORS_SHOWN]
        self.errors.setRowCount(len(shown))
        for r, error in enumerate(shown):
            texts = (str(error.row), error.name, error.column, error.reason, error.fix)
            for c, text in enumerate(texts):
                self.errors.setItem(r, c, QTableWidgetItem(text))
        self.errors.resizeColumnsToContents()
        self.errors.setVisible(bool(shown))
        self.export_errors.setVisible(bool(preview.errors))
        self._show_lines(self.skipped, "已跳过的行：", preview.skipped_lines())
        lines = preview.duplicate_lines()
        hours = preview.kind == "service_records"
        self._show_lines(
            self.duplicates, "重复的服务记录（确认导入）：" if hours else "重复的身份证号：", lines
        )
        for widget in (self.skip, self.update):
            widget.setVisible(bool(lines) and not hours)
        repeated = any("重复" in e.reason for e in preview.errors)
        self.accept_duplicates.setVisible(
            hours and (repeated or self.accept_duplicates.isChecked())
        )
        units_matter = preview.kind in CREATES_UNITS and (
            bool(preview.new_units) or bool(preview.unknown_units)
        )
        self.create_units.setVisible(units_matter or self.create_units.isChecked())
        self.keep_status.setVisible(
            "status" in preview.mapping and preview.kind == "service_records"
        )
        for widget in (self.all_or_nothing, self.valid_only, self.errors_path):
            widget.setVisible(not preview.ok)
        self.completeChanged.emit()

    @staticmethod
    def _show_lines(label: QLabel, title: str, lines: list[str]) -> None:
        shown = lines[:SKIPPED_SHOWN]
        more = f"\n……另 {len(lines) - len(shown)} 行" if len(lines) > len(shown) else ""
        label.setText(f"{title}\n" + "\n".join(shown) + more if lines else "")
        label.setToolTip("\n".join(lines[:200]))
        label.setVisible(bool(lines))

    def save_errors(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self,
                "导出错误清单",
                self.errors_path.text() or str(Path.home() / "导入错误清单.xlsx"),
                "Excel 工作簿 (*.xlsx)",
            )
        if not path:
            return
        try:
            out = vi.export_import_errors(path, self.wiz.preview)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            show_error(self, exc, "导出错误清单")
            return
        inform(self, f"错误清单已导出：{out}")

    def isComplete(self) -> bool:
        preview = self.wiz.preview
        if preview is None or self._saving or not preview.importable:
            return False
        return preview.ok or (self.valid_only.isChecked() and bool(self.errors_path.text().strip()))

    def validatePage(self) -> bool:
        if self.wiz.result is not None:
            return True
        preview = self.wiz.preview
        choice = vi.UPDATE if self.update.isChecked() else vi.SKIP
        valid_only = not preview.ok and self.valid_only.isChecked()
        errors_path = Path(self.errors_path.text().strip()) if valid_only else None
        create_units, keep_status = self.create_units.isChecked(), self.keep_status.isChecked()
        accept_duplicates = self.accept_duplicates.isChecked()
        rows, kind = self.wiz.rows, self.wiz.kind

        def work(session, progress):
            # the session has not touched the database yet: the backup comes first
            backup_before(store.database(), "import")
            # Checked again inside the saving transaction: the database may have changed.
            fresh = vi.preview_import(
                session,
                rows,
                kind,
                preview.header_row,
                preview.mapping,
                file_name=preview.file_name,
                create_units=create_units,
                accept_duplicates=accept_duplicates,
                progress=progress,
            )
            if errors_path is not None and fresh.errors:
                vi.export_import_errors(errors_path, fresh)  # first: nothing is lost
            return vi.commit_import(
                session,
                fresh,
                choice,
                valid_only=valid_only,
                keep_status=keep_status,
                progress=progress,
            )

        def done(result: vi.ImportResult) -> None:
            self.wiz.result = result
            where = f"\n有错误的行已写入：{errors_path}" if result.rejected else ""
            inform(self, f"导入完成：{result}。{where}")
            self.wiz.accept()

        def failed(exc: BaseException) -> None:
            self._saving = False
            self.completeChanged.emit()
            show_error(self, exc, "导入")

        self._saving = True
        self.completeChanged.emit()
        changed = (
            Changed.VOLUNTEERS
            | Changed.PEOPLE
            | Changed.SERVICE_RECORDS
            | Changed.MEMBERS
            | Changed.ORGANISATIONS
        )
        long_change(self, "导入", work, changed).success(done).failure(failed).run()
        return False
