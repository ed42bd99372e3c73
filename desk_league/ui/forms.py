"""What the record forms share: a dialog that saves through a service and keeps the clerk's input
when a rule is broken, an optional date field, a multi-select picker over any ``Listing``, and
toolbar buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_league.data.db import Database
from desk_league.errors import DeskLeagueError, ValidationError
from desk_league.services.listing import Listing
from desk_league.ui.base_tab import ListTable
from desk_league.ui.messages import show_error


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def date_edit(value: date, name: str = "") -> QDateEdit:
    edit = QDateEdit(to_qdate(value), objectName=name or None)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class OptionalDate(QWidget):
    """A date the clerk may leave out: a check box turns the date field on."""

    def __init__(self, label: str, default: date, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.checkbox = QCheckBox(label, objectName=f"{name}_set" if name else None)
        self.edit = date_edit(default, f"{name}_date" if name else "")
        self.edit.setEnabled(False)
        self.checkbox.toggled.connect(self.edit.setEnabled)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.checkbox)
        layout.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.checkbox.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.checkbox.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(to_qdate(value))


def choice_combo(choices: Sequence[tuple[Any, str]], current: Any = None, *, none_text: str | None = None,
                 name: str = "") -> QComboBox:
    """A combo box of (value, text); ``none_text`` adds a first entry meaning “none”."""
    combo = QComboBox(objectName=name or None)
    if none_text is not None:
        combo.addItem(none_text, None)
    for value, text in choices:
        combo.addItem(text, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(0, index))
    return combo


def tool_button(text: str, slot: Callable[[], None], name: str = "") -> QToolButton:
    button = QToolButton(objectName=name or None, text=text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.clicked.connect(lambda _=False: slot())
    return button


class FormDialog(QDialog):
    """A record form. ``save`` runs the service; a broken rule is shown and the form stays open,
    with the named field focused, so nothing typed is lost."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._fields: dict[str, QWidget] = {}
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.buttons)

    def add_field(self, label: str, widget: QWidget) -> QWidget:
        if isinstance(widget, QComboBox):  # record names are long; let them use the row
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.form.addRow(label, widget)
        self._fields[label] = widget
        return widget

    def save(self) -> None:
        raise NotImplementedError

    def try_save(self) -> None:
        try:
            self.save()
        except DeskLeagueError as exc:
            show_error(self, exc, "保存")
            if isinstance(exc, ValidationError) and exc.field in self._fields:
                self._fields[exc.field].setFocus()
            return
        self.accept()


class ListPickerDialog(QDialog):
    """Choose one or more rows of any ``Listing`` (people, volunteers), searched in SQL."""

    def __init__(
        self,
        db: Database,
        listing: Listing,
        title: str,
        *,
        filters: dict[str, Any] | None = None,
        name_key: str = "name",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 520)
        self.name_key = name_key
        self.table = ListTable(db, listing, self)
        self.table.model.query.filters.update(filters or {})
        self.table.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.on_activated(lambda _id: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("可按住 Ctrl 或 Shift 多选；在搜索框中输入姓名查找。"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.refresh()

    def chosen(self) -> list[tuple[int, str]]:
        rows = sorted({index.row() for index in self.table.view.selectionModel().selectedRows()})
        model = self.table.model
        return [(model.row_id(r), str(model.row_value(r, self.name_key))) for r in rows]
