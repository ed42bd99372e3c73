"""What every record form shares: the dialog that saves through a service and keeps the clerk's
input when a rule is broken, the date fields, the combo box, the form's small buttons, and a
multi-select picker over any ``Listing``. Dialogs build their forms with these, not their own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

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

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

W = TypeVar("W", bound=QWidget)


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def date_edit(value: date | None = None, name: str = "") -> QDateEdit:
    """A required date with a calendar pop-up; ``None`` starts at today."""
    edit = QDateEdit(to_qdate(value or date.today()), objectName=name or None)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class OptionalDate(QWidget):
    """A date the clerk may leave out: a check box turns the date field on."""

    def __init__(
        self, label: str, default: date, name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.checkbox = QCheckBox(label, objectName=f"{name}_set" if name else None)
        self.edit = date_edit(default, f"{name}_date" if name else "")
        self.edit.setEnabled(False)
        self.checkbox.toggled.connect(self.edit.setEnabled)
        self.setFocusProxy(self.checkbox)  # a form naming this field focuses the check box
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


def choice_combo(
    choices: Sequence[tuple[Any, str]],
    current: Any = None,
    *,
    none_text: str | None = None,
    editable: bool = False,
    name: str = "",
) -> QComboBox:
    """A combo box of (value, text); ``none_text`` adds a first entry meaning “none”.

    An editable one also takes free text (read it with ``currentText()``), and shows a ``current``
    text that is not among the choices rather than replacing it with the first.
    """
    combo = QComboBox(objectName=name or None, editable=editable)
    if editable:
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if none_text is not None:
        combo.addItem(none_text, None)
    for value, text in choices:
        combo.addItem(text, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(0, index))
    if index < 0 and editable and isinstance(current, str) and current:
        combo.setEditText(str(current))
    return combo


def tool_button(text: str, slot: Callable[[], None], name: str = "") -> QToolButton:
    """A small text button inside a form (添加…, 移除)."""
    button = QToolButton(objectName=name or None, text=text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.clicked.connect(lambda _=False: slot())
    return button


class FormDialog(QDialog):
    """A record form with 保存 / 取消.

    保存 (or anything else that accepts the dialog) runs ``save(session)`` in one transaction and
    closes the form with its return value in ``result_value``. When the service refuses, the
    transaction is rolled back and the form stays open with everything typed: the message is shown
    and kept in red under the form, and the field a ``ValidationError`` names gets the focus.
    """

    def __init__(self, db: Database, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(title)
        self.result_value: Any = None
        self._fields: dict[str, list[QWidget]] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = QLabel(objectName="form_error", wordWrap=True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(self.buttons)

    def add_field(self, label: str, widget: W, *, also: Sequence[str] = ()) -> W:
        """A labelled row. ``also``: other names the services give this field in their errors."""
        if isinstance(widget, QComboBox):  # record names are long; let them use the row
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.form.addRow(label, widget)
        for key in (label.rstrip("*"), *also):
            if key:
                self._fields.setdefault(key, []).append(widget)
        return widget

    def add_section(self, widget: QWidget, stretch: int = 0) -> None:
        """A part of the form below the fields (tabs of lists, a preview), above the buttons."""
        self.layout_.insertWidget(self.layout_.indexOf(self.error_label), widget, stretch)

    def save(self, session: Session) -> Any:
        """Call the service; raise a ``DeskLeagueError`` to keep the form open."""
        raise NotImplementedError

    def accept(self) -> None:
        self.error_label.hide()
        try:
            with self.db.transaction() as session:
                value = self.save(session)
        except Exception as exc:  # noqa: BLE001 - rolled back; the clerk corrects the form and tries again
            self._refused(exc)
            return
        self.result_value = value
        super().accept()

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, DeskLeagueError):
            self.error_label.setText(str(exc))
            self.error_label.show()
        show_error(self, exc, "保存")
        if isinstance(exc, ValidationError) and exc.field:
            widgets = [w for w in self._fields.get(exc.field, []) if w.isEnabled()]
            if widgets:
                widgets[0].setFocus()


class ListPickerDialog(QDialog):
    """Choose one or more rows of any ``Listing`` (people, volunteers, activities), searched in SQL."""

    def __init__(
        self,
        db: Database,
        listing: Listing,
        title: str,
        *,
        filters: dict[str, Any] | None = None,
        name_key: str = "name",
        hint: str = "可按住 Ctrl 或 Shift 多选；在搜索框中输入姓名查找。",
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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(hint))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.refresh()

    def chosen(self) -> list[tuple[int, str]]:
        rows = sorted({index.row() for index in self.table.view.selectionModel().selectedRows()})
        model = self.table.model
        return [(model.row_id(r), str(model.row_value(r, self.name_key))) for r in rows]
