"""The one table model of the app: any service ``Listing``, paged, sorted and filtered in SQL.

Rows arrive a page at a time through Qt's fetchMore as the view scrolls, so a list of 100,000
service records opens as fast as a list of ten. Every read goes through ``_load`` and
``fetchMore``, as query operations (``ui/operations``): the one place to move list loading off
the GUI thread.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from desk_league.domain.id_number import mask_id_number
from desk_league.services.listing import ListColumn, Listing, ListQuery
from desk_league.ui.messages import show_error
from desk_league.ui.operations import query

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


def frozen(query: ListQuery) -> ListQuery:
    """A copy of a list's query that later typing and filtering cannot change (for work that
    runs after the click: an export, a page read in the background)."""
    return ListQuery(query.text, dict(query.filters), query.sort_key, query.descending)


class ListingModel(QAbstractTableModel):
    PAGE_SIZE = 200
    totalChanged = Signal(int)
    reloaded = Signal()  # a fresh first load is on screen (the table restores the clerk's place)

    def __init__(self, listing: Listing, parent=None) -> None:
        super().__init__(parent)
        self.listing = listing
        self.query = ListQuery()
        self.columns = listing.visible_columns
        self._positions = [listing.columns.index(c) for c in self.columns]
        self._id_position = next((i for i, c in enumerate(listing.columns) if c.key == "id"), None)
        self._rows: list[tuple] = []
        self.total = 0
        self.shown = False  # a first load has happened

    # --- what to show --------------------------------------------------------------------

    def refresh(self) -> None:
        """From the first page: a new search, filter or sort."""
        self._load(self.PAGE_SIZE)

    def reload(self) -> None:
        """The same stretch of the list again, after the data changed: as many rows as were
        loaded, so the clerk's place in a long list is still there."""
        self._load(max(self.PAGE_SIZE, len(self._rows)))

    def _load(self, count: int) -> None:
        listing, asked = self.listing, frozen(self.query)

        def read_rows(session) -> tuple[int, list[tuple]]:
            return listing.count(session, asked), listing.page(session, asked, 0, count)

        query(self._screen(), read_rows, action="读取列表").success(self._show).run()

    def _show(self, loaded: tuple[int, list[tuple]]) -> None:
        total, rows = loaded
        self.beginResetModel()
        self._rows, self.total, self.shown = rows, total, True
        self.endResetModel()
        self.totalChanged.emit(total)
        self.reloaded.emit()

    def _screen(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

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
        start, listing, asked = len(self._rows), self.listing, frozen(self.query)

        def stop(exc: BaseException) -> None:  # no further pages: the error is shown once
            self.total = len(self._rows)
            show_error(self._screen(), exc, "读取列表")

        query(
            self._screen(),
            lambda session: listing.page(session, asked, start, self.PAGE_SIZE),
        ).success(lambda more: self._append(start, more)).failure(stop).run()

    def _append(self, start: int, more: list[tuple]) -> None:
        if not more or start != len(self._rows):
            self.total = len(self._rows)
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
        if self.shown:  # the view sorts once when set up; the first refresh does that query
            self.refresh()
