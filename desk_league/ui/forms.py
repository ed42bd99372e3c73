"""What every record form shares: the dialog that saves through a service and keeps the clerk's
input when a rule is broken, the one way of noticing unsaved edits (``EditTracker``: forms, the
tabs' edit panes and the certificate template editor ask 保存 / 放弃 / 取消 before dropping
them), the date fields, the combo box, the form's small buttons, and a multi-select picker over
any ``Listing``. Dialogs build their forms with these, not their own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_league.errors import DeskLeagueError, NeedsConfirmation, StaleRecord, ValidationError
from desk_league.logs import mask_ids
from desk_league.services.listing import Listing
from desk_league.ui.base_tab import ListTable
from desk_league.ui.messages import CANCEL, SAVE, ask_to_save, confirm, show_error
from desk_league.ui.operations import Changed, change

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


# --- unsaved edits ----------------------------------------------------------------------------

_INPUTS = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QListWidget)


def _field_text(widget: QWidget) -> str | None:
    """What a form's field shows, as text (None for a field that is no input, a label)."""
    if isinstance(widget, OptionalDate):
        chosen = widget.value()
        return f"{chosen:%Y-%m-%d}" if chosen else "（未填）"
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return "是" if widget.isChecked() else "否"
    inputs = [w for w in widget.findChildren(QWidget) if isinstance(w, _INPUTS)]
    texts = [t for t in (_field_text(w) for w in inputs) if t]
    return "，".join(texts) if inputs else None


def _input_value(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):  # by value: refilled choices are not an edit
        return widget.currentData(), widget.currentText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QListWidget):
        items = (widget.item(i) for i in range(widget.count()))
        return tuple((i.text(), i.data(Qt.ItemDataRole.UserRole), i.checkState()) for i in items)
    return None


class EditTracker:
    """Whether the clerk has changed anything typed or chosen under ``root``.

    ``mark_clean`` takes a snapshot of every input's value (after filling the fields, after
    saving); the fields are dirty while they differ from it. A snapshot, not change signals, so
    filling the fields from code never counts as an edit. Search boxes and other inputs that
    change no record carry the property ``not_an_edit``.
    """

    def __init__(self, root: QWidget, what: str) -> None:
        self.root, self.what = root, what
        self._clean: list[Any] | None = None

    def _inputs(self) -> list[QWidget]:
        return [
            w
            for w in self.root.findChildren(QWidget)
            if isinstance(w, _INPUTS)
            and not w.property("not_an_edit")
            and not (isinstance(w, QAbstractButton) and not w.isCheckable())
        ]

    def snapshot(self) -> list[Any]:
        return [_input_value(w) for w in self._inputs()]

    def mark_clean(self) -> None:
        self._clean = self.snapshot()

    def mark_unsaved(self) -> None:
        """The fields hold a record not saved yet (a new one from a model): dirty until saved or
        discarded, whatever is typed."""
        self._clean = []

    def is_dirty(self) -> bool:
        return self._clean is not None and self.snapshot() != self._clean

    def ask(self) -> str | None:
        """None when nothing changed, else the clerk's answer: SAVE, DISCARD or CANCEL."""
        if not self.is_dirty():
            return None
        return ask_to_save(self.root, f"{self.what}有尚未保存的修改。要保存吗？")

    def may_leave(self, save: Callable[[], bool], discard: Callable[[], None]) -> bool:
        """Ask before the clerk leaves these fields: 保存 runs ``save`` (True if it saved),
        放弃 runs ``discard``; 取消 keeps the clerk here (False)."""
        answer = self.ask()
        if answer is None:
            return True
        if answer == SAVE:
            return save()
        if answer == CANCEL:
            return False
        discard()
        return True


def guard_tab_switch(tabs: QTabWidget, shown: Callable[[int], None]) -> None:
    """Call ``shown(index)`` when another page of ``tabs`` comes up — unless the page being left
    has a ``may_leave()`` that says no (the clerk went back to unsaved edits): then stay on it."""
    showing = [tabs.currentIndex()]

    def changed(index: int) -> None:
        if index == showing[0]:
            return
        leaving = tabs.widget(showing[0])
        may_leave = getattr(leaving, "may_leave", None)
        if may_leave is not None and not may_leave():
            tabs.blockSignals(True)
            tabs.setCurrentIndex(showing[0])
            tabs.blockSignals(False)
            return
        showing[0] = index
        shown(index)

    tabs.currentChanged.connect(changed)


# --- forms -----------------------------------------------------------------------------------


class FormDialog(QDialog):
    """A record form with 保存 / 取消.

    保存 (or anything else that accepts the dialog) runs ``save(session)`` as one change
    operation (``ui/operations``), announcing ``changes`` to the tabs, and closes the form with its
    return value in ``result_value``. When the service refuses, the transaction is rolled back and
    the form stays open with everything typed: the message is shown and kept in red under the
    form, and the field a ``ValidationError`` names gets the focus. Leaving with unsaved edits
    (取消, Esc, the close box) asks 保存 / 放弃 / 取消.
    """

    changes: Changed = Changed.NOTHING  # the kinds of records 保存 changes

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_value: Any = None
        self.confirmed = False  # the clerk confirmed what the service asked about
        self._again = False
        self.reloaded: FormDialog | None = None  # the fresh form that took over (重新载入)
        self.edits = EditTracker(self, f"“{title}”")
        self._opened = False
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

    def add_field(
        self,
        label: str,
        widget: W,
        *,
        also: Sequence[str] = (),
        form: QFormLayout | None = None,
    ) -> W:
        """A labelled row (in ``form``, a page of the form's own, or the main one). ``also``:
        other names the services give this field in their errors."""
        if isinstance(widget, QComboBox):  # record names are long; let them use the row
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        (form or self.form).addRow(label, widget)
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._opened:
            self._opened = True  # the fields as the form opened: what counts as unchanged
            self.edits.mark_clean()
            self._opened_texts = self.field_texts()

    def accept(self) -> None:
        self.save_and_close()

    def save_and_close(self) -> bool:
        """Save; close the form if the service took it. Returns whether it was saved."""
        self.error_label.hide()
        saved: list[Any] = []
        change(self, self.save, self.changes, action="保存").success(saved.append).failure(
            self._refused
        ).run()
        if not saved and self._again:  # confirmed: saved once more, saying so to the service
            self._again = False
            return self.save_and_close()
        if not saved:
            return False
        self.result_value = saved[0]
        self.edits.mark_clean()
        super().accept()
        return True

    def reject(self) -> None:
        answer = self.edits.ask()
        if answer == SAVE:
            self.save_and_close()
        elif answer != CANCEL:
            super().reject()

    # --- a record another PC saved meanwhile ----------------------------------------------

    def reopened(self) -> FormDialog | None:
        """The same form opened afresh on the record as it is saved now, for 重新载入 when the
        save was refused because another PC changed the record; None when it cannot be."""
        return None

    def field_texts(self) -> dict[str, str]:
        """Each row's label and what its field shows, as the clerk reads them."""
        texts = {}
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or field is None or field.widget() is None:
                continue
            shown = _field_text(field.widget())
            if shown is not None:
                texts[label.widget().text().rstrip("*")] = shown
        return texts

    def _offer_reload(self, exc: StaleRecord) -> None:
        """Offer the record as saved now, with what the clerk typed listed under the form."""
        if type(self).reopened is FormDialog.reopened:  # this form cannot: closed and opened again
            return
        if not confirm(
            self,
            f"{exc}\n\n重新载入该记录现在保存的内容吗？您刚才填写的内容会列在表单下方，"
            "便于对照后重新填写。",
        ):
            return
        fresh = self.reopened()
        if fresh is None:
            return
        opened = getattr(self, "_opened_texts", {})
        fresh.show_typed(
            {label: text for label, text in self.field_texts().items() if opened.get(label) != text}
        )
        self.reloaded = fresh
        self.edits.mark_clean()  # what was typed moves to the fresh form's list
        self.hide()

        def finished(result: int) -> None:
            self.result_value = fresh.result_value
            QDialog.done(self, result)

        fresh.finished.connect(finished)
        fresh.open()

    def show_typed(self, typed: dict[str, str]) -> None:
        """Under the fields: what the clerk had changed in the form that was refused, beside
        what is saved now."""
        now = self.field_texts()
        lines = [
            f"{label}：{text or '（空）'}"
            + (
                f"　（现在保存的是：{now.get(label) or '（空）'}）"
                if now.get(label) != text
                else ""
            )
            for label, text in typed.items()
        ]
        box = QLabel(objectName="typed_before_reload", wordWrap=True)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setStyleSheet("background: #fff8e1; border: 1px solid #e0c060; padding: 6px;")
        box.setText(
            "该记录已被其他电脑修改，上面是现在保存的内容。您刚才填写、尚未保存的内容：\n"
            + ("\n".join(lines) if lines else "（没有修改）")
        )
        self.add_section(box)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, NeedsConfirmation) and not self.confirmed:
            if confirm(self, f"{exc}\n\n仍要保存吗？"):
                self.confirmed = self._again = True
            return
        if isinstance(exc, StaleRecord):
            self.error_label.setText(str(exc))
            self.error_label.show()
            self._offer_reload(exc)
            return
        if isinstance(exc, DeskLeagueError):
            self.error_label.setText(mask_ids(str(exc)))
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
        self.table = ListTable(listing, self)
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
