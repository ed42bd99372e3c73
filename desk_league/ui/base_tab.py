"""What the list tabs share: a toolbar with search and filters, the generic table, a count."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_league.data.db import Database
from desk_league.services.listing import Listing
from desk_league.ui.table_model import ListingModel

SEARCH_DELAY_MS = 250  # wait for the clerk to stop typing before querying


class ListTable(QWidget):
    """A searchable, filterable table of one ``Listing``; tabs compose one or more of these."""

    def __init__(self, db: Database, listing: Listing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.model = ListingModel(db, listing, self)

        self.search = QLineEdit(placeholderText="搜索…", clearButtonEnabled=True)
        self.search.setObjectName(f"{listing.name}_search")
        self.search.setMaximumWidth(260)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.model.set_text(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)

        self.toolbar = QHBoxLayout()
        self.toolbar.addWidget(self.search)
        self.filters_layout = QHBoxLayout()
        self.toolbar.addLayout(self.filters_layout)
        self.toolbar.addStretch(1)
        self.count_label = QLabel()
        self.model.totalChanged.connect(lambda n: self.count_label.setText(f"共 {n} 条"))

        self.view = QTableView(self)
        self.view.setObjectName(f"{listing.name}_table")
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.view, 1)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.count_label)
        layout.addLayout(footer)

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
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        action.triggered.connect(slot)
        button = QToolButton(objectName=name or None)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.insertWidget(self.toolbar.count() - 1, button)
        return button

    def refresh(self) -> None:
        self.model.refresh()

    def show_row(self, row_id: int | None, text: str = "") -> bool:
        """Search for ``text`` now (no typing delay) and select the row ``row_id`` if it is listed.

        How other screens (the overview) lead the clerk to a record. Returns whether it was found.
        """
        self.search.setText(text)
        self._search_timer.stop()
        self.model.set_text(text)
        if row_id is None:
            return False
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
    """A tab of the main window. ``title`` shows on the tab; ``refresh`` reloads its data."""

    title = ""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 8, 8, 4)
        self._loaded = False

    def ensure_loaded(self) -> None:
        """Tabs load their data the first time they are shown, to keep start-up quick."""
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError


class ListTab(BaseTab):
    """A tab that is mostly one list."""

    listing: Listing

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.table = ListTable(db, self.listing, self)
        self.layout_.addWidget(self.table)

    def refresh(self) -> None:
        self.table.refresh()
