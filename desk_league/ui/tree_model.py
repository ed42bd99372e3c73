"""The one tree model of the app (plan sections and tasks, the organisation tree).

A service returns flat ``TreeRow``s (id, parent id, values by column key); this model arranges
them into a tree for a QTreeView. Trees here are small (a plan has tens of items, the system a
few hundred organisations), so the whole tree is loaded; lists that can be long use
``ListingModel`` instead. A branch that can be long and starts folded (the overview's 72,000
volunteers under the yearly minimum at 100,000 volunteers) may be given ``later``: its rows are
made when the clerk first opens it (Qt's fetchMore), not on every refresh.

Editing in place is opt-in per column: pass ``on_edit(row_id, key, value)`` and mark columns
``editable``; the callback runs the service and the tree is reloaded by the owner.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QTreeView,
    QWidget,
)

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class TreeColumn:
    key: str
    title: str
    width: int = 100
    kind: str = "text"  # text / int / date / percent
    editable: bool = False
    # stored code → the word shown; edited with a drop-down of the words (e.g. statuses)
    choices: Mapping[str, str] | None = None


@dataclass
class TreeRow:
    id: int
    parent_id: int | None
    values: dict[str, Any]
    bold: bool = False  # sections, top-level organisations
    read_only: bool = False  # no in-place editing on this row, whatever its columns allow
    foreground: str | None = None  # e.g. "#b3261e" for overdue
    tooltip: str = ""


@dataclass
class _Node:
    row: TreeRow | None
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    later: Callable[[], Sequence[TreeRow]] | None = None  # its rows, made when first opened

    def position(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


def _display(column: TreeColumn, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if column.kind == "percent":
        return f"{value}%"
    if column.choices is not None:
        return column.choices.get(value, str(value))
    return str(value)


class RecordTreeModel(QAbstractItemModel):
    def __init__(
        self,
        columns: Sequence[TreeColumn],
        on_edit: Callable[[int, str, Any], None] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.on_edit = on_edit
        self._root = _Node(None)
        self._by_id: dict[int, _Node] = {}

    def set_rows(
        self,
        rows: Sequence[TreeRow],
        later: Mapping[int, Callable[[], Sequence[TreeRow]]] | None = None,
    ) -> None:
        """Replace the tree. Rows whose parent is missing become top-level. ``later``: row id →
        the rows under it, made when that row is first expanded."""
        self.beginResetModel()
        self._root = _Node(None)
        self._by_id = {row.id: _Node(row) for row in rows}
        for row in rows:
            node = self._by_id[row.id]
            node.parent = (
                self._by_id.get(row.parent_id, self._root) if row.parent_id else self._root
            )
            node.parent.children.append(node)
        for row_id, make in (later or {}).items():
            self._by_id[row_id].later = make
        self.endResetModel()

    def row_for(self, index: _Index) -> TreeRow | None:
        node = self._node(index)
        return node.row if node is not self._root else None

    def index_of(self, row_id: int, column: int = 0) -> QModelIndex:
        node = self._by_id.get(row_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.position(), column, node)

    def _node(self, index: _Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    # --- Qt's side ---------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if 0 <= row < len(node.children) and 0 <= column < len(self.columns):
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self._node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.position(), 0, parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        return bool(node.children) or node.later is not None

    def canFetchMore(self, parent: _Index) -> bool:
        return self._node(parent).later is not None

    def fetchMore(self, parent: _Index) -> None:
        node = self._node(parent)
        make, node.later = node.later, None
        rows = make() if make else []
        if not rows:
            return
        first = len(node.children)
        self.beginInsertRows(parent, first, first + len(rows) - 1)
        for row in rows:
            child = _Node(row, node)
            self._by_id[row.id] = child
            node.children.append(child)
        self.endInsertRows()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_for(index)
        if row is None:
            return None
        column = self.columns[index.column()]
        value = row.values.get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(column, value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and row.tooltip:
            return row.tooltip
        if role == Qt.ItemDataRole.FontRole and row.bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.foreground:
            return QColor(row.foreground)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("int", "percent"):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self.row_for(index)
        if self.on_edit and self.columns[index.column()].editable and row and not row.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_for(index)
        if row is None or role != Qt.ItemDataRole.EditRole or self.on_edit is None:
            return False
        key = self.columns[index.column()].key
        self.on_edit(row.id, key, value)  # raises on invalid input; the owner shows the error
        row.values[key] = value
        self.dataChanged.emit(index, index, [role])
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None


def show_rows(
    view: QTreeView, model: RecordTreeModel, rows: Sequence[TreeRow], *, select: int | None = None
) -> None:
    """New rows in a tree view, all expanded, keeping the clerk's place: the current record
    (or ``select``) stays current and the record at the top of the view stays there."""
    current = model.row_for(view.currentIndex())
    top = model.row_for(view.indexAt(QPoint(0, 0)))
    model.set_rows(rows)
    view.expandAll()
    if top is not None and model.index_of(top.id).isValid():
        view.scrollTo(model.index_of(top.id), QAbstractItemView.ScrollHint.PositionAtTop)
    target = select if select is not None else (current.id if current else None)
    index = model.index_of(target) if target is not None else QModelIndex()
    if index.isValid():
        view.setCurrentIndex(index)
        view.scrollTo(index)


# --- editors and painting for the columns of a tree --------------------------------------------


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a drop-down of fixed words, storing their codes (状态: 未开始 / …)."""

    def __init__(self, choices: Mapping[str, str], parent=None) -> None:
        super().__init__(parent)
        self.choices = dict(choices)

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        editor = QComboBox(parent)
        for code, label in self.choices.items():
            editor.addItem(label, code)
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model, index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class PercentDelegate(QStyledItemDelegate):
    """Draws a percent as a progress bar (sections and the tasks alike); edits it with a spin box."""

    def paint(self, painter, option, index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if value is None:
            super().paint(painter, option, index)
            return
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(3, 4, -3, -4)
        bar.minimum, bar.maximum, bar.progress = 0, 100, int(value)
        bar.text = f"{int(value)}%"
        bar.textVisible = True
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        editor = QSpinBox(parent)
        editor.setRange(0, 100)
        editor.setSingleStep(10)
        editor.setSuffix("%")
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        editor.setValue(int(index.data(Qt.ItemDataRole.EditRole) or 0))

    def setModelData(self, editor: QWidget, model, index) -> None:
        editor.interpretText()
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


def install_delegates(view: QTreeView, model: RecordTreeModel) -> None:
    """Drop-downs for columns with ``choices``, progress bars for ``percent`` columns."""
    for number, column in enumerate(model.columns):
        if column.choices:
            view.setItemDelegateForColumn(number, ChoiceDelegate(column.choices, view))
        elif column.kind == "percent":
            view.setItemDelegateForColumn(number, PercentDelegate(view))
