"""Starting the GUI: the application object, the bundled font, then the window — at once —
while the database is opened in the background.

Only Qt is imported before the window shows; SQLAlchemy, Alembic and the services load on a
worker thread together with the integrity check, backup and migrations, so the window appears
as fast as a bare Qt window would and the tabs fill in when the data is ready.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_league import APP_NAME, APP_TITLE, __version__
from desk_league.errors import DatabaseDamaged
from desk_league.logs import setup_logging
from desk_league.resources import bundled_font, resource_path
from desk_league.ui.background import run_in_background, wait_for_background_jobs
from desk_league.ui.messages import install_error_dialogs

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
    install_qt_translations(app)
    family = register_bundled_font()
    if family:
        app.setFont(QFont(family, UI_FONT_SIZE))
    icon = resource_path("icons", "desk_league.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def install_qt_translations(app: QApplication) -> None:
    """Qt's own words (是/否/取消 in standard dialogs, the print dialog) in Chinese.

    They ship with Qt, not in resources/: QLibraryInfo finds them from source and from the
    bundle alike (packaging keeps the zh_CN files).
    """
    if app.property("qt_translations_installed"):
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder
    ):
        app.installTranslator(translator)
        app.setProperty("qt_translations_installed", True)


def register_bundled_font() -> str | None:
    font_id = QFontDatabase.addApplicationFont(str(bundled_font()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def _open_in_background(work_path: Path, url: str | None, demo_if_new: bool):
    def work(progress):
        from desk_league.services.startup import open_office_database
        from desk_league.ui.main_window import preload_tabs

        db = open_office_database(work_path, url, demo_if_new=demo_if_new)
        preload_tabs()  # import the screens' modules here, not on the GUI thread
        return db

    return work


def open_database_into(
    window,
    path: Path,
    url: str | None = None,
    *,
    demo_if_new: bool = False,
    on_failure: Callable[[], None] | None = None,
) -> None:
    """Open the database off the GUI thread and hand it to ``window``; explain any failure
    (then close the window and call ``on_failure``)."""

    def failed(exc: BaseException) -> None:
        if isinstance(exc, DatabaseDamaged) and _restore_accepted(path, exc):
            open_database_into(window, path, url, on_failure=on_failure)
            return
        if not isinstance(exc, DatabaseDamaged):
            QMessageBox.critical(window, APP_TITLE, str(exc))
        window.close()
        if on_failure:
            on_failure()

    window.statusBar().showMessage("正在打开数据库…")
    run_in_background(
        window,
        "正在打开数据库",
        _open_in_background(path, url, demo_if_new),
        on_done=window.attach,
        on_error=failed,
        show_dialog=False,
    )


def _restore_accepted(path: Path, exc: DatabaseDamaged) -> bool:
    from desk_league.services.startup import newest_backup, replace_damaged_with_backup

    newest = newest_backup(path)
    if newest is None:
        QMessageBox.critical(None, APP_TITLE, f"{exc}\n\n没有找到可用的备份。损坏的文件未被改动。")
        return False
    answer = QMessageBox.question(
        None,
        APP_TITLE,
        f"{exc}\n\n是否用最新的备份恢复？\n{newest.name}\n\n（损坏的文件会另存一份，不会删除。）",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    replace_damaged_with_backup(path, newest)
    return True


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.file}:{context.line})" if context.file else ""
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def start_logging(data_folder: Path) -> None:
    """The log file in ``data_folder``/logs; Qt's own warnings and every error that escapes a
    click go to it, and the clerk sees the one error message (``messages``)."""
    setup_logging(data_folder)
    qInstallMessageHandler(_qt_message)
    install_error_dialogs()
    logging.getLogger("desk_league").info("%s %s started", APP_TITLE, __version__)


def run_app(path: Path, *, url: str | None = None, demo_if_new: bool = False) -> int:
    from desk_league.ui.main_window import MainWindow

    # ``path`` is the database file, or the default one in the data folder for a server database
    start_logging(Path(path).resolve().parent)
    app = create_application()
    window = MainWindow()
    window.show()
    open_database_into(
        window, path, url, demo_if_new=demo_if_new, on_failure=lambda: QCoreApplication.exit(1)
    )
    code = app.exec()
    wait_for_background_jobs(cancel=True)
    if window.db is not None:
        window.db.close()
    return code
