"""The main window: six tabs, the menus, the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMessageBox, QTabWidget

from desk_league import APP_TITLE, __version__
from desk_league.data.db import Database
from desk_league.services import maintenance
from desk_league.ui.activities_tab import ActivitiesTab
from desk_league.ui.base_tab import BaseTab, ListTable
from desk_league.ui.honours_tab import HonoursTab
from desk_league.ui.messages import confirm, inform, show_error
from desk_league.ui.organisations_tab import OrganisationsTab
from desk_league.ui.overview_tab import OverviewTab
from desk_league.ui.plan_tab import PlanTab
from desk_league.ui.recycle_bin_dialog import RecycleBinDialog
from desk_league.ui.volunteers_tab import VolunteersTab

TAB_CLASSES: list[type[BaseTab]] = [
    OverviewTab,
    PlanTab,
    ActivitiesTab,
    VolunteersTab,
    HonoursTab,
    OrganisationsTab,
]

# Which tab shows each kind of record (``show_record``).
RECORD_TABS: dict[str, type[BaseTab]] = {
    "plan_item": PlanTab,
    "activity": ActivitiesTab,
    "key_date": ActivitiesTab,
    "volunteer": VolunteersTab,
    "service_record": VolunteersTab,
    "honour": HonoursTab,
    "organisation": OrganisationsTab,
}


class MainWindow(QMainWindow):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(f"{APP_TITLE} — {db.describe()}")
        self.tabs = QTabWidget(self, objectName="main_tabs")
        self.tabs.setDocumentMode(True)
        for tab_class in TAB_CLASSES:
            tab = tab_class(db, self)
            self.tabs.addTab(tab, tab.title)
            if hasattr(tab, "recordRequested"):
                tab.recordRequested.connect(self.show_record)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.statusBar().showMessage(f"数据库：{db.describe()}")
        self._restore_geometry()
        self._tab_shown(0)

    # --- tabs -------------------------------------------------------------------------------

    def tab(self, tab_class: type[BaseTab]) -> BaseTab:
        return next(t for t in self.all_tabs() if isinstance(t, tab_class))

    def all_tabs(self) -> list[BaseTab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def _tab_shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, BaseTab):
            tab.ensure_loaded()

    def show_record(self, kind: str, record_id: int | None = None, text: str = "") -> BaseTab:
        """Bring up the tab that holds a ``kind`` record and show that record.

        A tab that can select a record itself implements ``show_record(kind, id, text)``; a plain
        list tab is searched for ``text`` and the row with ``record_id`` selected.
        """
        tab = self.tab(RECORD_TABS[kind])
        self.tabs.setCurrentWidget(tab)  # loads the tab if it has not been shown yet
        if hasattr(tab, "show_record"):
            tab.show_record(kind, record_id, text)
        else:
            table = getattr(tab, "table", None)
            if isinstance(table, ListTable):
                table.show_row(record_id, text if kind != "service_record" else "")
        return tab

    def refresh_all(self) -> None:
        for tab in self.all_tabs():
            if tab._loaded:
                tab.refresh()

    # --- menus ------------------------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self._action(file_menu, "备份数据库…", self.backup)
        self._action(file_menu, "从备份恢复…", self.restore)
        file_menu.addSeparator()
        self._action(file_menu, "退出", self.close, "Ctrl+Q")

        edit_menu = bar.addMenu("编辑(&E)")
        self._action(edit_menu, "回收站…", self.open_recycle_bin)

        view_menu = bar.addMenu("视图(&V)")
        self._action(view_menu, "刷新", self.refresh_all, "F5")
        view_menu.addSeparator()
        for i in range(self.tabs.count()):
            self._action(
                view_menu, self.tabs.tabText(i), lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                f"Ctrl+{i + 1}",
            )

        tools_menu = bar.addMenu("工具(&T)")
        self._action(tools_menu, "数据库完整性检查", self.check_integrity)

        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "关于团委工作台", self.about)

    # --- file menu --------------------------------------------------------------------------

    def backup(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "备份数据库", str(Path.home() / "团委工作台备份.db"), "数据库备份 (*.db)"
        )
        if not path:
            return
        try:
            dest = maintenance.backup_now(self.db, Path(path))
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            show_error(self, exc, "备份")
            return
        inform(self, f"已备份到：{dest}")

    def restore(self) -> None:
        backups = maintenance.available_backups(self.db)
        if not backups:
            inform(self, "还没有自动备份。")
            return
        names = [p.name for p in backups]
        name, ok = QInputDialog.getItem(self, "从备份恢复", "选择要恢复的备份（最新的在最上面）：", names, 0, False)
        if not ok or not confirm(self, f"用备份 {name} 替换当前数据？\n当前数据会先自动备份，不会丢失。"):
            return
        try:
            maintenance.restore_from(self.db, backups[names.index(name)])
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, "恢复")
            return
        self.refresh_all()
        inform(self, "已从备份恢复。")

    def open_recycle_bin(self) -> None:
        dialog = RecycleBinDialog(self.db, self)
        dialog.exec()
        if dialog.restored:
            self.refresh_all()

    def check_integrity(self) -> None:
        try:
            inform(self, maintenance.check_integrity(self.db))
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, "完整性检查")

    def about(self) -> None:
        QMessageBox.about(
            self,
            "关于团委工作台",
            f"<b>{APP_TITLE}</b> {__version__}<br>市直卫生系统团委的工作计划、活动台账、志愿服务、"
            f"荣誉表彰与团组织管理。<br><br>数据库：{self.db.describe()}<br>"
            "界面字体：霞鹜文楷 (LXGW WenKai)，SIL Open Font License 1.1。",
        )

    # --- window state -----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.tabs.setCurrentIndex(int(settings.value("main_window/tab", 0)))

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/tab", self.tabs.currentIndex())
        super().closeEvent(event)
