"""Starting the GUI: the application object, the bundled font, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_league import APP_NAME, APP_TITLE, __version__
from desk_league.data.backup import list_backups, restore_backup
from desk_league.data.db import Database, open_database
from desk_league.errors import DatabaseDamaged, DeskLeagueError
from desk_league.resources import bundled_font, resource_path
from desk_league.services.demo import build_demo
from desk_league.services.reference import seed_reference_data

UI_FONT_SIZE = 10


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the bundled CJK font as the default, so every PC renders alike."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_TITLE)
    # calendars and date pickers name months and weekdays in Chinese, whatever the PC's locale
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    family = register_bundled_font()
    if family:
        app.setFont(QFont(family, UI_FONT_SIZE))
    icon = resource_path("icons", "desk_league.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def register_bundled_font() -> str | None:
    font_id = QFontDatabase.addApplicationFont(str(bundled_font()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def open_for_gui(path: Path, url: str | None, *, demo_if_new: bool = False) -> Database | None:
    """Open the database, explaining any problem in a dialog. None means: do not start."""
    try:
        is_new = url is None and not (path.exists() and path.stat().st_size > 0)
        db = open_database(path, url=url)
    except DatabaseDamaged as exc:
        return _offer_restore(path, url, exc)
    except DeskLeagueError as exc:
        QMessageBox.critical(None, APP_TITLE, str(exc))
        return None
    with db.transaction() as session:
        if is_new and demo_if_new:
            build_demo(session)
        else:
            seed_reference_data(session)
    return db


def _offer_restore(path: Path, url: str | None, exc: DatabaseDamaged) -> Database | None:
    backups = list_backups(path)
    if not backups:
        QMessageBox.critical(None, APP_TITLE, f"{exc}\n\n没有找到可用的备份。损坏的文件未被改动。")
        return None
    newest = backups[0]
    answer = QMessageBox.question(
        None,
        APP_TITLE,
        f"{exc}\n\n是否用最新的备份恢复？\n{newest.name}\n\n（损坏的文件会先另存一份，不会丢失。）",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    damaged_copy = path.with_name(path.name + ".damaged")
    path.replace(damaged_copy)
    restore_backup(newest, path)
    return open_database(path, url=url)


def run_app(path: Path, *, url: str | None = None, demo_if_new: bool = False) -> int:
    from desk_league.ui.main_window import MainWindow

    app = create_application()
    db = open_for_gui(path, url, demo_if_new=demo_if_new)
    if db is None:
        return 1
    try:
        window = MainWindow(db)
        window.show()
        return app.exec()
    finally:
        db.close()
