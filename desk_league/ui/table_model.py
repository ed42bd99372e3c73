"""The one table model of the app: any service ``Listing``, paged, sorted and filtered in SQL.

Rows arrive a page at a time through Qt's fetchMore as the view scrolls, each page found by key
(``Listing.page``), so a list of 1,000,000 service records opens, and pages, as fast as a list of
ten. Every read runs off the GUI thread as a background ``query`` (``ui/operations``): the rows
on screen stay until the new ones have arrived, a newer search or sort cancels the read it makes
useless, and the count (``共 N 条``) follows the first page in a read of its own (a first page
that holds every row needs none).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from desk_league.domain.id_number import mask_id_number
from desk_league.errors import Cancelled
from desk_league.services.listing import PAGE_SIZE, ListColumn, Listing, ListQuery, Page
from desk_league.services.progress import Progress
from desk_league.ui.messages import show_error
from desk_league.ui.operations import query

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_NUMERIC = {"int", "number", "hours", "percent"}
NOT_SORTABLE = "这一列不能排序：记录很多，按它排序要把全部记录排一遍。"
SORTABLE = "单击按这一列排序，再次单击倒序。"


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
    PAGE_SIZE = PAGE_SIZE
    totalChanged = Signal(int)  # the matching rows have been counted
    reloaded = Signal()  # a fresh first load is on screen (the table restores the clerk's place)
    readingChanged = Signal(bool)  # a first page is being read (the rows shown are the old ones)

    def __init__(self, listing: Listing, parent=None) -> None:
        super().__init__(parent)
        self.listing = listing
        self.query = ListQuery()
        self.columns = listing.visible_columns
        self._positions = [listing.columns.index(c) for c in self.columns]
        self._id_position = next((i for i, c in enumerate(listing.columns) if c.key == "id"), None)
        self._rows: list[tuple] = []
        self._after: tuple | None = None  # where the next page starts; None: every row is here
        self.total: int | None = 0  # the matching rows; None while they are being counted
        self.shown = False  # a first load has happened
        self._generation = 0  # reads of an older search, filter or sort are dropped
        self._first: Progress | None = None  # the first page's read, while it runs
        self._next: Progress | None = None  # the next page's read, while it runs
        self._counting: Progress | None = None

    # --- what to show --------------------------------------------------------------------

    @property
    def reading(self) -> bool:
        """A first page (or a reload) is on its way."""
        return self._first is not None

    def refresh(self) -> None:
        """From the first page: a new search, filter or sort."""
        self._load(self.PAGE_SIZE)

    def reload(self) -> None:
        """The same stretch of the list again, after the data changed: as many rows as were
        loaded, so the clerk's place in a long list is still there."""
        self._load(max(self.PAGE_SIZE, len(self._rows)))

    def _load(self, count: int) -> None:
        self._drop_reads()
        generation, listing, asked = self._generation, self.listing, frozen(self.query)

        def show(page: Page) -> None:
            if not self._current(generation, self._first):
                return
            self._first = None
            self.beginResetModel()
            self._rows, self._after, self.shown = list(page), page.after, True
            self.endResetModel()
            self.readingChanged.emit(False)
            if page.after is None:  # every row is here: nothing to count
                self._counted(len(page))
            else:
                self._count(generation, listing, asked)
            self.reloaded.emit()

        def failed(exc: BaseException) -> None:
            if not self._current(generation, self._first):
                return  # a newer read replaced it, or the window is closing
            self._first = None
            self.readingChanged.emit(False)
            if not isinstance(exc, Cancelled):
                show_error(self._screen(), exc, "读取列表")

        self._first = (
            query(self._screen(), lambda session: listing.page(session, asked, count))
            .in_background()
            .success(show)
            .failure(failed)
            .run()
        )
        self.readingChanged.emit(True)

    def _count(self, generation: int, listing: Listing, asked: ListQuery) -> None:
        self.total = None

        def counted(total: int) -> None:
            if self._current(generation, self._counting):
                self._counting = None
                self._counted(total)

        def failed(exc: BaseException) -> None:
            if self._current(generation, self._counting):
                self._counting = None
                if not isinstance(exc, Cancelled):
                    show_error(self._screen(), exc, "统计列表条数")

        self._counting = (
            query(self._screen(), lambda session: listing.count(session, asked))
            .in_background()
            .success(counted)
            .failure(failed)
            .run()
        )

    def _counted(self, total: int) -> None:
        self.total = max(total, len(self._rows))
        self.totalChanged.emit(self.total)

    def _current(self, generation: int, read: Progress | None) -> bool:
        """Whether a read's answer is still wanted: no newer read has replaced it, and nobody
        stopped it (the window closing cancels every background job)."""
        return generation == self._generation and read is not None and not read.cancelled

    def _drop_reads(self) -> None:
        """Make every read under way useless (and stop it): a newer one replaces it."""
        self._generation += 1
        for read in (self._first, self._next, self._counting):
            if read is not None:
                read.cancel()
        self._first = self._next = self._counting = None

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
        counted_all = self.total is not None and len(self._rows) >= self.total
        return (
            not parent.isValid()
            and self._after is not None
            and self._first is None
            and not counted_all
        )

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self._next is not None or not self.canFetchMore(parent):
            return  # the next page is on its way (the view asks again as it scrolls)
        generation, listing, asked, after = (
            self._generation,
            self.listing,
            frozen(self.query),
            self._after,
        )

        def append(page: Page) -> None:
            if not self._current(generation, self._next):
                return
            self._next = None
            if page:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
                self._rows.extend(page)
                self.endInsertRows()
            self._after = page.after
            if page.after is None and self.total is None:
                self._counted(len(self._rows))

        def stop(exc: BaseException) -> None:  # no further pages: the error is shown once
            if not self._current(generation, self._next):
                return
            self._next, self._after = None, None
            if not isinstance(exc, Cancelled):
                show_error(self._screen(), exc, "读取列表")

        self._next = (
            query(
                self._screen(),
                lambda session: listing.page(session, asked, self.PAGE_SIZE, after=after),
            )
            .in_background()
            .success(append)
            .failure(stop)
            .run()
        )

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
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return SORTABLE if self.columns[section].sortable else NOT_SORTABLE
        return None

    def sortable(self, column: int) -> bool:
        return not 0 <= column < len(self.columns) or self.columns[column].sortable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.sortable(column):
            return  # the header puts its arrow back (``ListTable``)
        self.query.sort_key = self.columns[column].key if 0 <= column < len(self.columns) else None
        self.query.descending = order == Qt.SortOrder.DescendingOrder
        if self.shown:  # the view sorts once when set up; the first refresh does that query
            self.refresh()
