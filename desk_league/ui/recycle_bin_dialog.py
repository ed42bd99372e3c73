"""回收站: deleted records, restorable."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desk_league.services.common import recycle_bin, restore_from_recycle_bin
from desk_league.ui.operations import Changed, change, read


class RecycleBinDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.restored = 0
        self.setWindowTitle("回收站")
        self.resize(640, 420)
        # a short list (what was deleted by hand), so a simple item table is enough here
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["类别", "名称", "删除时间"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 320)
        restore = QPushButton("恢复所选")
        restore.clicked.connect(self.restore_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(restore, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        self.items = read(recycle_bin)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            for col, text in enumerate(
                (item["what"], item["label"], item["deleted_at"].strftime("%Y-%m-%d %H:%M"))
            ):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def restore_selected(self) -> None:
        chosen = [
            (self.items[row]["table"], self.items[row]["id"])
            for row in sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ]

        def restore(session) -> None:
            for table, record_id in chosen:
                restore_from_recycle_bin(session, table, record_id)

        def done(_result: object) -> None:
            self.restored += len(chosen)
            self.load()

        # any kind of record may come back: every tab reads its data again
        change(self, restore, Changed.EVERYTHING, action="恢复").success(done).run()
