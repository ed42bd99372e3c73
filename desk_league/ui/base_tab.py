"""What the tabs share: the command row that fits any width, the searchable list, and the tab
that stays current as the data changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_league.services.listing import Listing
from desk_league.ui.operations import Changed, hub
from desk_league.ui.table_model import ListingModel

MORE = "更多"


class ElidedLabel(QLabel):
    """One line that shows as much as fits and ends in “…” when it must give way; the whole text
    is its tooltip. It keeps room for ``keep`` pixels of text before other widgets give way."""

    def __init__(self, text: str = "", *, keep: int = 0, objectName: str = "") -> None:
        super().__init__(objectName=objectName)
        self._keep = keep
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(text)
        self.ensurePolished()  # the style sheet's font decides the width
        self.setMinimumWidth(min(self.fontMetrics().horizontalAdvance(text) + 4, self._keep))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment()), text)


class ActionBar(QWidget):
    """A row of command buttons that fits any width: what does not fit moves, in order, into a
    “更多” menu at the end of the row. Every toolbar of the tabs is one of these, so the window
    fits a small laptop screen without hiding a command."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons: list[QToolButton] = []
        self._more = QToolButton(text=MORE, objectName="more_actions")
        self._more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._more.setMenu(QMenu(self._more))
        self._more.hide()
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(self._more)
        self._row.addStretch(1)

    def add(
        self,
        text: str,
        slot: Callable[[], Any],
        *,
        name: str = "",
        shortcut: str | None = None,
        scope: QWidget | None = None,
    ) -> QToolButton:
        """A command button. A ``shortcut`` works inside ``scope`` (default: this row's parent),
        also while the button sits in the 更多 menu."""
        action = QAction(text, self)
        action.triggered.connect(lambda _=False: slot())
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text}（{shortcut}）")
            (scope or self.parentWidget() or self).addAction(action)
        return self.add_action(action, name)

    def add_action(self, action: QAction, name: str = "") -> QToolButton:
        button = QToolButton(objectName=name or None)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._row.insertWidget(len(self._buttons), button)
        self._buttons.append(button)
        self._arrange(self.width())
        self.updateGeometry()
        return button

    def overflow(self) -> list[QAction]:
        """The commands now in the 更多 menu."""
        return list(self._more.menu().actions())

    def _arrange(self, width: int) -> None:
        spacing = max(0, self._row.spacing())
        widths = [b.sizeHint().width() for b in self._buttons]
        fits = len(widths)
        if sum(widths) + spacing * max(0, fits - 1) > width:
            room, used, fits = width - self._more.sizeHint().width() - spacing, 0, 0
            for w in widths:
                if used + w > room:
                    break
                used, fits = used + w + spacing, fits + 1
        menu = self._more.menu()
        for action in menu.actions():  # not clear(): it may delete the actions it held
            menu.removeAction(action)
        for index, button in enumerate(self._buttons):
            button.setVisible(index < fits)
            if index >= fits:
                menu.addAction(button.defaultAction())
        self._more.setVisible(fits < len(self._buttons))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def sizeHint(self) -> QSize:
        spacing = max(0, self._row.spacing())
        hints = [b.sizeHint() for b in self._buttons] or [self._more.sizeHint()]
        width = sum(h.width() for h in hints) + spacing * (len(hints) - 1)
        return QSize(width, max(h.height() for h in hints))

    def minimumSizeHint(self) -> QSize:
        return self._more.sizeHint() if self._buttons else QSize(0, 0)


def refill(combo: QComboBox, choices: Sequence[tuple[str, Any]]) -> None:
    """New choices after “全部”, keeping the clerk's current one (the filter stays as it was)."""
    current = combo.currentData()
    if combo.sizeAdjustPolicy() == QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.blockSignals(True)
    combo.clear()
    for text, value in [("全部", None), *choices]:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


class EmptyState(QWidget):
    """What an empty list shows instead of a blank table: what it will hold, and the commands
    that fill it (新建…, 导入…). A new office starts from an empty database: every list says
    what to do next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        self.label = QLabel(objectName="empty_state_text", wordWrap=True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: #555555;")
        self.row = QWidget()
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.label)
        layout.addWidget(self.row)
        layout.addStretch(3)
        self.buttons: list[QToolButton] = []

    def set_content(self, text: str, actions: Sequence[tuple[str, Callable[[], Any]]] = ()) -> None:
        self.label.setText(text)
        old, self.row = self.row, QWidget()
        self.layout().replaceWidget(old, self.row)
        old.deleteLater()
        row = QHBoxLayout(self.row)
        row.addStretch(1)
        self.buttons = []
        for label, slot in actions:
            button = QToolButton(text=label, objectName=f"empty_action_{len(self.buttons)}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(lambda _=False, slot=slot: slot())
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)

    def action_texts(self) -> list[str]:
        return [button.text() for button in self.buttons]


def with_empty_state(
    view: QWidget, parent: QWidget | None = None
) -> tuple[QStackedWidget, EmptyState]:
    """``view`` in a stack with an ``EmptyState`` page; show the one that fits with
    ``stack.setCurrentIndex(0 if rows else 1)``."""
    stack = QStackedWidget(parent)
    empty = EmptyState(stack)
    stack.addWidget(view)
    stack.addWidget(empty)
    return stack, empty


class ListTable(QWidget):
    """A searchable, filterable table of one ``Listing``; tabs compose one or more of these.

    Every keystroke in the search box asks at once (the read runs in the background and the
    next keystroke cancels it); the rows shown stay until the new ones are there, and the line
    under the table says 正在读取… meanwhile. Columns a long list cannot sort by say so in
    their header's tooltip, and a click on them leaves the order as it was.
    ``set_empty_state`` gives it what it shows while the list is empty (not merely filtered
    down to nothing)."""

    def __init__(self, listing: Listing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ListingModel(listing, self)
        self._place: tuple[int | None, list[int], int | None] | None = None
        self._wanted: int | None = None  # the row ``show_row`` selects once the search is in

        self.search = QLineEdit(placeholderText="搜索…", clearButtonEnabled=True)
        self.search.setObjectName(f"{listing.name}_search")
        self.search.setProperty("not_an_edit", True)  # searching changes no record (forms)
        self.search.setMaximumWidth(260)
        self.search.setMinimumWidth(120)
        self.search.textChanged.connect(self.model.set_text)

        self.actions = ActionBar(self)
        self.toolbar = QHBoxLayout()
        self.toolbar.addWidget(self.search)
        self.filters_layout = QHBoxLayout()
        self.toolbar.addLayout(self.filters_layout)
        self.toolbar.addWidget(self.actions, 1)
        self.count_label = QLabel(objectName=f"{listing.name}_count")
        self.model.totalChanged.connect(lambda _n: self._show_count())
        self.model.readingChanged.connect(lambda _reading: self._show_count())
        self.model.reloaded.connect(self._restore_place)

        self.view = QTableView(self)
        self.view.setObjectName(f"{listing.name}_table")
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._sorted_by = (-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_chosen)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        for i, column in enumerate(self.model.columns):
            self.view.setColumnWidth(i, column.width)

        self.stack, self.empty = with_empty_state(self.view, self)
        self._empty_text: str | None = None
        self._context_keys: set[str] = set()
        self._baseline: dict[str, Any] = {}
        self.model.totalChanged.connect(lambda _n: self._show_empty_state())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.stack, 1)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.count_label)
        layout.addLayout(footer)

    def _show_count(self) -> None:
        model = self.model
        if model.reading:
            text = "正在读取…"
        elif model.total is None:
            text = f"已读取 {model.rowCount()} 条，正在统计总数…"
        else:
            text = f"共 {model.total} 条"
        self.count_label.setText(text)

    def _sort_chosen(self, column: int, order: Qt.SortOrder) -> None:
        if self.model.sortable(column):
            self._sorted_by = (column, order)
            return
        header = self.view.horizontalHeader()  # the arrow goes back where the order still is
        header.blockSignals(True)
        header.setSortIndicator(*self._sorted_by)
        header.blockSignals(False)

    def set_empty_state(
        self,
        text: str,
        actions: Sequence[tuple[str, Callable[[], Any]]] = (),
        *,
        context: Sequence[str] = (),
    ) -> None:
        """What the list shows when it holds nothing: ``text`` (what it will hold) and buttons
        for the ``actions`` that fill it. A search, or a filter other than the ones set now and
        the ``context`` keys (the tree's selection …), shows 没有符合条件的记录 instead."""
        self._empty_text = text
        self._context_keys = set(context)
        self._baseline = dict(self.model.query.filters)
        self.empty.set_content(text, actions)
        self._show_empty_state()

    def _filtered(self) -> bool:
        if self.model.query.text.strip():
            return True
        for key, value in self.model.query.filters.items():
            if key in self._context_keys or value in (None, "", [], ()):
                continue
            if self._baseline.get(key) != value:
                return True
        return False

    def _show_empty_state(self) -> None:
        if self._empty_text is None or not self.model.shown:
            return
        empty = self.model.total == 0 and not self._filtered()
        self.stack.setCurrentIndex(1 if empty else 0)

    def add_filter(
        self, key: str, label: str, choices: Sequence[tuple[str, Any]], current: Any = None
    ) -> QComboBox:
        """A combo box filtering on ``key``; the first choice should be (“全部”, None)."""
        combo = QComboBox(objectName=f"filter_{key}")
        for text, value in choices:
            combo.addItem(text, value)
        if current is not None:
            combo.setCurrentIndex(max(0, combo.findData(current)))
            self.model.query.filters[key] = current
        combo.currentIndexChanged.connect(lambda _: self.model.set_filter(key, combo.currentData()))
        self.filters_layout.addWidget(QLabel(label))
        self.filters_layout.addWidget(combo)
        return combo

    def add_button(
        self, text: str, slot: Callable[[], None], shortcut: str | None = None, name: str = ""
    ) -> QToolButton:
        return self.actions.add(text, slot, name=name, shortcut=shortcut, scope=self)

    def refresh(self) -> None:
        """Read the list again after the data changed, keeping the clerk's place: the selected
        rows, the current one and the first row in view (rows that are gone drop out)."""
        top = self.view.indexAt(QPoint(0, 0))
        self._place = (
            self.current_id(),
            self.selected_ids(),
            self.model.row_id(top.row()) if top.isValid() else None,
        )
        self.model.reload()

    def _restore_place(self) -> None:
        place, self._place = self._place, None
        if self._wanted is not None:
            wanted, self._wanted = self._wanted, None
            self._select_row(wanted)
            return
        if place is None:
            return
        current, selected, top = place
        rows = {self.model.row_id(r): r for r in range(self.model.rowCount())}
        selection = self.view.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for row_id in selected:
            if row_id in rows:
                selection.select(self.model.index(rows[row_id], 0), flags)
        if current in rows:
            selection.setCurrentIndex(
                self.model.index(rows[current], 0), selection.SelectionFlag.NoUpdate
            )
        if top in rows:
            self.view.scrollTo(
                self.model.index(rows[top], 0), QAbstractItemView.ScrollHint.PositionAtTop
            )

    def show_row(self, row_id: int | None, text: str = "") -> None:
        """Search for ``text`` and select the row ``row_id`` once the rows are in (if it is
        listed). How other screens (the overview) lead the clerk to a record."""
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self._place, self._wanted = None, row_id
        self.model.set_text(text)

    def select_id(self, row_id: int | None) -> None:
        """Select the row ``row_id``: at once if it is listed, or when the rows being read
        arrive (a record just saved, whose change the list is reading)."""
        if row_id is None:
            return
        if self.model.reading:
            self._wanted = row_id
        else:
            self._select_row(row_id)

    def _select_row(self, row_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_id(row) == row_id:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
                self.view.setFocus()
                return True
        return False

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.row_id(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [rid for rid in (self.model.row_id(r) for r in rows) if rid is not None]

    def on_activated(self, handler: Callable[[int], None]) -> None:
        """Call ``handler(row_id)`` when a row is double-clicked or Enter is pressed on it."""

        def activated(index: QModelIndex) -> None:
            row_id = self.model.row_id(index.row())
            if row_id is not None:
                handler(row_id)

        self.view.activated.connect(activated)


class BaseTab(QWidget):
    """A tab of the main window. ``refresh`` reads its data again.

    A tab stays current by itself: it names the kinds of records it shows in ``watches``, and
    when an operation announces a change to one of them (``operations.hub``) the tab reloads —
    at once if the clerk can see it, otherwise the next time it is shown. F5 does the same for
    every tab. ``may_leave`` lets a tab with unsaved edits keep the clerk from leaving it.
    """

    title = ""
    watches: Changed = Changed.NOTHING

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 8, 8, 4)
        self._loaded = False
        self._stale = False
        hub().changed.connect(self._data_changed)

    def ensure_loaded(self) -> None:
        """Tabs load their data the first time they are shown, to keep start-up quick."""
        if not self._loaded:
            self._loaded, self._stale = True, False
            self.refresh()

    def reload_soon(self) -> None:
        """Read the data again: now if the tab is on screen, else when it is next shown."""
        if not self._loaded:
            return  # it loads when first shown
        self._stale = True
        if self.isVisible():
            self._reload_if_stale()

    @Slot(object, object)
    def _data_changed(self, changes: Changed, _initiator: object) -> None:
        if changes & self.watches:
            self.reload_soon()

    def _reload_if_stale(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._reload_if_stale()

    def may_leave(self) -> bool:
        """Whether the clerk may move away (another tab, closing the window); a tab with unsaved
        edits asks 保存 / 放弃 / 取消 and says no on 取消."""
        return True

    def refresh(self) -> None:
        raise NotImplementedError
