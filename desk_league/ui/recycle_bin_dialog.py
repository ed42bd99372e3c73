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
from desk_league.ui.messages import show_error


class RecycleBinDialog(QDialog):
    def __init__(self, db, parent=None) -> None:
        super().__init__(parent)
        self.db = db
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
        with self.db.reading() as session:
            self.items = recycle_bin(session)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            for col, text in enumerate(
                (item["what"], item["label"], item["deleted_at"].strftime("%Y-%m-%d %H:%M"))
            ):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def restore_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        try:
            with self.db.transaction() as session:
                for row in rows:
                    restore_from_recycle_bin(
                        session, self.items[row]["table"], self.items[row]["id"]
                    )
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            show_error(self, exc, "恢复")
            return
        self.restored += len(rows)
        self.load()
