"""The one table model of the app: any service ``Listing``, paged, sorted and filtered in SQL.

Rows arrive a page at a time through Qt's fetchMore as the view scrolls, so a list of 100,000
service records opens as fast as a list of ten.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desk_league.data.db import Database
from desk_league.domain.id_number import mask_id_number
from desk_league.services.listing import ListColumn, Listing, ListQuery

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_NUMERIC = {"int", "number", "hours", "percent"}


def format_cell(column: ListColumn, value: Any) -> str:
    if value is None:
        return ""
    if column.labels is not None:
        return column.labels.get(value, str(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if column.kind == "hours":
        return f"{float(value):.1f}"
    if column.kind == "percent":
        return f"{value}%"
    if column.kind == "id_number":  # on screen the middle is hidden; the form shows it whole
        return mask_id_number(str(value))
    return str(value)


class ListingModel(QAbstractTableModel):
    PAGE_SIZE = 200
    totalChanged = Signal(int)

    def __init__(self, db: Database, listing: Listing, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.listing = listing
        self.query = ListQuery()
        self.columns = listing.visible_columns
        self._positions = [listing.columns.index(c) for c in self.columns]
        self._id_position = next((i for i, c in enumerate(listing.columns) if c.key == "id"), None)
        self._rows: list[tuple] = []
        self.total = 0
        self.loaded = False

    # --- what to show --------------------------------------------------------------------

    def refresh(self) -> None:
        with self.db.reading() as session:
            total = self.listing.count(session, self.query)
            rows = self.listing.page(session, self.query, 0, self.PAGE_SIZE)
        self.beginResetModel()
        self._rows, self.total, self.loaded = rows, total, True
        self.endResetModel()
        self.totalChanged.emit(total)

    def set_text(self, text: str) -> None:
        self.query.text = text
        self.refresh()

    def set_filter(self, key: str, value: Any) -> None:
        self.query.filters[key] = value
        self.refresh()

    def row_id(self, row: int) -> int | None:
        if self._id_position is None or not 0 <= row < len(self._rows):
            return None
        return self._rows[row][self._id_position]

    def row_value(self, row: int, key: str) -> Any:
        return self._rows[row][[c.key for c in self.listing.columns].index(key)]

    # --- Qt's side ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        start = len(self._rows)
        with self.db.reading() as session:
            more = self.listing.page(session, self.query, start, self.PAGE_SIZE)
        if not more:
            self.total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        value = self._rows[index.row()][self._positions[index.column()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_cell(column, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in _NUMERIC:
            return _RIGHT
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.query.sort_key = self.columns[column].key if 0 <= column < len(self.columns) else None
        self.query.descending = order == Qt.SortOrder.DescendingOrder
        if self.loaded:  # the view sorts once when set up; the first refresh does that query
            self.refresh()
