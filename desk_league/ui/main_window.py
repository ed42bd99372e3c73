"""The main window: seven tabs, the menus, the status bar.

The window can show before the database is open (``MainWindow()`` then ``attach(db)``): it
imports only Qt, and the screens' modules — which bring SQLAlchemy and the services — are
imported when the data is there (``preload_tab`` does it on the start-up worker thread, for the
tab on screen). ``attach`` hands the database to ``services.store``, through which every
screen's operations reach it, and builds the tab on screen; the others are built the first time
they are shown (their modules are imported meanwhile in the background, ``preload_tabs``), so
the data is on screen sooner and a tab never visited costs nothing.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
)

from desk_league import APP_TITLE, __version__
from desk_league.logs import current_log_file, log_folder
from desk_league.ui.background import wait_for_background_jobs
from desk_league.ui.messages import confirm, inform

if TYPE_CHECKING:
    from desk_league.services.store import Database
    from desk_league.ui.base_tab import BaseTab

# title, module, class: in the order the tabs appear
TABS: list[tuple[str, str, str]] = [
    ("总览", "desk_league.ui.overview_tab", "OverviewTab"),
    ("工作计划", "desk_league.ui.plan_tab", "PlanTab"),
    ("活动", "desk_league.ui.activities_tab", "ActivitiesTab"),
    ("志愿者", "desk_league.ui.volunteers_tab", "VolunteersTab"),
    ("荣誉", "desk_league.ui.honours_tab", "HonoursTab"),
    ("团组织", "desk_league.ui.organisations_tab", "OrganisationsTab"),
    ("团员", "desk_league.ui.members_tab", "MembersTab"),
]

FIRST_SIZE = (1280, 800)  # the window on its first start, if the screen has room (title bar: 40)

# Which tab (by its class in TABS) shows each kind of record, for ``show_record``.
RECORD_TABS: dict[str, str] = {
    "plan_item": "PlanTab",
    "activity": "ActivitiesTab",
    "key_date": "ActivitiesTab",
    "volunteer": "VolunteersTab",
    "service_record": "VolunteersTab",
    "honour": "HonoursTab",
    "organisation": "OrganisationsTab",
    "member": "MembersTab",
    "recommendation": "MembersTab",
}
# Kinds whose records are the rows of their tab's main list (a key date is not an activity row).
LISTED_KINDS = {"plan_item", "activity", "volunteer", "honour", "organisation"}


def tab_class(module: str, name: str) -> type[BaseTab]:
    return getattr(importlib.import_module(module), name)


def preload_tab(index: int) -> None:
    _title, module, name = TABS[index if 0 <= index < len(TABS) else 0]
    tab_class(module, name)


def preload_tabs() -> None:
    for _title, module, name in TABS:
        tab_class(module, name)


class MainWindow(QMainWindow):
    def __init__(self, db: Database | None = None, *, offer_setup: bool = True) -> None:
        super().__init__()
        self.db: Database | None = None
        self.offer_setup = offer_setup  # the 首次使用 setup on a new office's database
        self.setWindowTitle(APP_TITLE)
        self.tabs = QTabWidget(self, objectName="main_tabs")
        self.tabs.setDocumentMode(True)
        for title, _module, _name in TABS:  # placeholders until the data is there
            waiting = QLabel("正在打开数据库…", alignment=Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(waiting, title)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._restore_geometry()
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """Put the real screens in place once the database is open."""
        from desk_league.services import store
        from desk_league.ui.forms import guard_tab_switch

        store.attach(db)
        self.db = db  # kept to be closed when the window is done with it
        self.setWindowTitle(f"{APP_TITLE} — {store.describe()}")
        for index in range(self.tabs.count()):
            self.tabs.widget(index).setText("正在载入…")
        guard_tab_switch(self.tabs, self._tab_shown)
        self.menuBar().setEnabled(True)
        self._say_what_applies(store.on_server())
        self.statusBar().showMessage(f"数据库：{store.describe()}")
        self._tab_shown(self.tabs.currentIndex())
        self.offer_first_start()
        self.when_data_shown(self._preload_the_others)

    def when_data_shown(self, callback) -> None:
        """Call ``callback`` once the tab on screen has its data (its reads have ended): work
        that can wait does not compete with them."""
        from desk_league.ui.operations import when_settled

        when_settled(callback)

    def _preload_the_others(self) -> None:
        """The other screens' modules, imported in the background while the clerk looks at
        the first one (a tab is then built at once when chosen)."""
        from desk_league.ui.background import run_in_background

        run_in_background(
            self,
            "",
            lambda _progress: preload_tabs(),
            on_error=lambda _exc: None,
            show_dialog=False,
        )

    def _build(self, index: int) -> BaseTab:
        """The tab at ``index``, built in place of its placeholder the first time it is asked
        for."""
        widget = self.tabs.widget(index)
        if hasattr(widget, "ensure_loaded"):
            return widget
        title, module, name = TABS[index]
        tab = tab_class(module, name)(self)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, tab, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if hasattr(tab, "recordRequested"):  # the overview leads the clerk to records
            tab.recordRequested.connect(self.show_record)
        widget.deleteLater()
        return tab

    # --- tabs -------------------------------------------------------------------------------

    def tab(self, cls: type[BaseTab]) -> BaseTab:
        """The tab of class ``cls`` (built now if it has not been shown yet)."""
        return self._build(next(i for i, (_t, _m, name) in enumerate(TABS) if name == cls.__name__))

    def all_tabs(self) -> list[BaseTab]:
        """The tabs built so far (a tab never shown has nothing to reload or to save)."""
        tabs = (self.tabs.widget(i) for i in range(self.tabs.count()))
        return [t for t in tabs if hasattr(t, "ensure_loaded")]

    def _tab_shown(self, index: int) -> None:
        if self.db is None or not 0 <= index < len(TABS):
            return
        self._build(index).ensure_loaded()

    def show_record(self, kind: str, record_id: int | None = None, text: str = "") -> BaseTab:
        """Bring up the tab that holds a ``kind`` record and show that record.

        A tab that can select a record itself implements ``show_record(kind, id, text)``; a plain
        list tab is searched for ``text`` and the row with ``record_id`` selected.
        """
        from desk_league.ui.base_tab import ListTable

        index = next(i for i, (_t, _m, name) in enumerate(TABS) if name == RECORD_TABS[kind])
        tab = self._build(index)
        self.tabs.setCurrentWidget(tab)  # loads the tab if it has not been shown yet
        if hasattr(tab, "show_record"):
            tab.show_record(kind, record_id, text)
        else:
            table = getattr(tab, "table", None)
            if isinstance(table, ListTable):
                listed = kind in LISTED_KINDS
                table.show_row(record_id if listed else None, text if listed else "")
        return tab

    def refresh_all(self) -> None:
        """F5: every tab reads its data again (the one on screen now, the others when shown)."""
        for tab in self.all_tabs():
            tab.reload_soon()

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
        self.backup_action = self._action(file_menu, "备份数据库…", self.backup)
        self.restore_action = self._action(file_menu, "从备份恢复…", self.restore)
        self.restore_file_action = self._action(
            file_menu, "从备份文件恢复…", self.restore_from_file
        )
        self.backups_size = QAction("自动备份", self, enabled=False)  # how much room they take
        file_menu.addAction(self.backups_size)
        file_menu.aboutToShow.connect(self._show_backups_size)
        file_menu.addSeparator()
        self._action(file_menu, "退出", self.close, "Ctrl+Q")

        edit_menu = bar.addMenu("编辑(&E)")
        self._action(edit_menu, "回收站…", self.open_recycle_bin)

        view_menu = bar.addMenu("视图(&V)")
        self._action(view_menu, "刷新", self.refresh_all, "F5")
        view_menu.addSeparator()
        for i in range(self.tabs.count()):
            self._action(
                view_menu,
                self.tabs.tabText(i),
                lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                f"Ctrl+{i + 1}",
            )

        tools_menu = bar.addMenu("工具(&T)")
        self._action(tools_menu, "首次使用设置…", self.open_first_start)
        self._action(tools_menu, "单位与编号设置…", self.edit_office_settings)
        tools_menu.addSeparator()
        self.check_action = self._action(tools_menu, "数据库完整性检查", self.check_integrity)

        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "打开日志文件夹", self.open_log_folder)
        help_menu.addSeparator()
        self._action(help_menu, "关于团委工作台", self.about)
        bar.setEnabled(self.db is not None)  # the menus act on data: wait for it

    def _say_what_applies(self, on_server: bool) -> None:
        """The file and tools menus name what they do to a server database (several PCs share
        it): a logical copy kept by this PC, a restore that needs the other PCs closed, a check
        of what this program can see."""
        texts = {
            self.backup_action: ("备份数据库…", "备份服务器数据库（逻辑备份，存到本机）…"),
            self.restore_action: ("从备份恢复…", "从本机的服务器数据库备份恢复…"),
            self.restore_file_action: ("从备份文件恢复…", "从备份文件恢复服务器数据库…"),
            self.check_action: ("数据库完整性检查", "检查服务器数据库（连接、数据结构、逐表读取）"),
        }
        for action, (on_file, shared) in texts.items():
            action.setText(shared if on_server else on_file)
        if on_server:
            self.restore_action.setToolTip("恢复时其他电脑须先关闭团委工作台")
            self.restore_file_action.setToolTip(
                "恢复时其他电脑须先关闭团委工作台；服务器数据库不保存照片等附件"
            )

    # --- file menu --------------------------------------------------------------------------

    def backup(self) -> None:
        from datetime import date

        from desk_league.services import store

        kinds = (
            "服务器数据库的逻辑备份，全部表的全部记录 (*.zip);;仅数据库 (*.db)"
            if store.on_server()
            else "完整备份：数据库和活动照片等附件 (*.zip);;仅数据库 (*.db)"
        )
        path, _ = QFileDialog.getSaveFileName(
            self,
            "备份数据库",
            str(Path.home() / f"团委工作台备份-{date.today():%Y%m%d}.zip"),
            kinds,
        )
        if not path:
            return
        from desk_league.services import maintenance, store
        from desk_league.ui.operations import Op

        Op(
            self,
            lambda progress: maintenance.backup_now(store.database(), Path(path), progress),
            action="备份",
        ).in_background("正在备份").success(lambda dest: inform(self, f"已备份到：{dest}")).run()

    def _show_backups_size(self) -> None:
        from desk_league.services import maintenance, store

        if store.attached():
            self.backups_size.setText(maintenance.backups_summary(store.database()))

    def restore(self) -> None:
        from desk_league.services import maintenance, store

        backups = maintenance.available_backups(store.database())
        if not backups:
            inform(self, "还没有自动备份。可用“从备份文件恢复…”选择自己保存的备份。")
            return
        names = [maintenance.describe_backup(info) for info in backups]
        name, ok = QInputDialog.getItem(
            self,
            "从备份恢复",
            f"选择要恢复的备份（最新的在最上面；{maintenance.backups_summary(store.database())}）：",
            names,
            0,
            False,
        )
        if not ok or not confirm(self, f"用 {name} 的备份替换当前数据？\n{_before_restore()}"):
            return
        self.restore_backup(backups[names.index(name)].path)

    def restore_backup(self, backup: Path, *, damaged: bool = False) -> None:
        """Put an automatic backup in place; a ``damaged`` current file is kept, not copied."""
        from desk_league.services import maintenance, store

        self._restore(
            lambda _progress: maintenance.restore_from(store.database(), backup, damaged=damaged)
        )

    def restore_from_file(self) -> None:
        from desk_league.services import maintenance, store

        path, _ = QFileDialog.getOpenFileName(
            self, "从备份文件恢复", str(Path.home()), "团委工作台备份 (*.zip *.db)"
        )
        if not path or not confirm(
            self, f"用备份文件 {Path(path).name} 替换当前数据？\n{_before_restore(photos=True)}"
        ):
            return
        self._restore(
            lambda progress: maintenance.restore_from_file(store.database(), Path(path), progress)
        )

    def _restore(self, work) -> None:
        """Replace the data: nothing else may be reading it meanwhile; every tab reloads after."""
        from desk_league.ui.operations import Changed, Op

        wait_for_background_jobs(cancel=True)
        Op(self, work, changes=Changed.EVERYTHING, action="恢复").in_background("正在恢复").success(
            lambda restored: inform(
                self, restored.describe() if restored is not None else "已从备份恢复。"
            )
        ).run()

    def open_recycle_bin(self) -> None:
        from desk_league.ui.recycle_bin_dialog import RecycleBinDialog

        RecycleBinDialog(self).exec()  # a restore announces itself: the tabs reload

    # --- tools menu -------------------------------------------------------------------------

    def offer_first_start(self) -> None:
        """A new office's database (no organisations yet, setup never done): the setup opens
        over the window — not modal to the application, so nothing waits on it."""
        from desk_league.services.first_start import first_start_needed
        from desk_league.ui.operations import read

        if self.offer_setup and read(first_start_needed):
            self.open_first_start()

    def open_first_start(self) -> None:
        from desk_league.ui.first_start import FirstStartWizard

        self.first_start = FirstStartWizard(self)
        self.first_start.open()

    def edit_office_settings(self) -> None:
        from desk_league.ui.office_settings_dialog import OfficeSettingsDialog

        if OfficeSettingsDialog(self).exec():
            self.statusBar().showMessage("单位与编号设置已保存。", 5000)

    def check_integrity(self) -> None:
        """The full check, in the background: every page, index and reference."""
        from desk_league.services import maintenance, store
        from desk_league.ui.operations import Op

        Op(
            self,
            lambda progress: maintenance.check_database(store.database(), progress),
            action="完整性检查",
        ).in_background("正在检查数据库完整性").success(lambda report: inform(self, report)).run()

    # --- help menu --------------------------------------------------------------------------

    def open_log_folder(self) -> None:
        """The folder of the program's log, for whoever helps the clerk with a problem."""
        from desk_league.services import store

        log_file = current_log_file()
        folder = log_file.parent if log_file else log_folder(store.data_folder(self._db_path()))
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _db_path(self) -> Path | None:
        return self.db.path if self.db is not None else None

    def about(self) -> None:
        from desk_league.services import store

        QMessageBox.about(
            self,
            "关于团委工作台",
            f"<b>{APP_TITLE}</b> {__version__}<br>市直卫生系统团委的工作计划、活动台账、志愿服务、"
            f"荣誉表彰与团组织管理。<br><br>数据库：{store.describe()}<br>"
            "界面字体：霞鹜文楷 (LXGW WenKai)，SIL Open Font License 1.1。",
        )

    # --- window state -----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:  # the first start: as large as suits the work, never larger than the screen
            room = self.screen().availableGeometry()
            self.resize(min(FIRST_SIZE[0], room.width()), min(FIRST_SIZE[1], room.height() - 40))
        self.tabs.setCurrentIndex(int(settings.value("main_window/tab", 0)))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not all(tab.may_leave() for tab in self.all_tabs()):
            event.ignore()  # the clerk went back to unsaved edits
            return
        # work still running (an export, the overview's queries) is stopped at its next step and
        # waited for, so the database is never closed under a query and nothing is half-written
        wait_for_background_jobs(cancel=True)
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/tab", self.tabs.currentIndex())
        super().closeEvent(event)


def _before_restore(*, photos: bool = False) -> str:
    """What the clerk should know before a restore, for a file or a server database."""
    from desk_league.services import store

    if store.on_server():
        return (
            "这是多台电脑共用的服务器数据库：其他电脑须先关闭团委工作台，否则不会恢复。"
            "当前数据会先备份到本机，不会丢失"
            + ("；服务器数据库不保存照片等附件。" if photos else "。")
        )
    return "当前数据会先自动备份，不会丢失" + (
        "；备份中的附件只补回缺少的，不覆盖现有文件。" if photos else "。"
    )
