"""Starting the GUI: the application object, its font, then the window — at once — while the
database is opened in the background.

Only Qt is imported before the window shows; SQLAlchemy, Alembic and the services load on a
worker thread together with the diagnosis, lock and any schema upgrade, so the window appears
as fast as a bare Qt window would and the tabs fill in when the data is ready. The quick check
and the start backup (skipped when nothing changed) then run in the background while the clerk
works (``services.startup``).

When the file cannot be used, the clerk is told which of these it is, each with its own offer:
damaged (restore the newest sound backup; the damaged file is kept with its -wal and -shm),
empty (restore, or start a new database), unavailable — no permission, read-only, full disk,
held by another program (try again once fixed). A healthy file is never renamed or replaced.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from desk_league import APP_NAME, APP_TITLE, __version__
from desk_league.errors import (
    Cancelled,
    DatabaseDamaged,
    DatabaseEmpty,
    DatabaseUnavailable,
    DeskLeagueError,
)
from desk_league.logs import setup_logging
from desk_league.resources import bundled_font, resource_path
from desk_league.ui.background import run_in_background, wait_for_background_jobs
from desk_league.ui.messages import (
    choose,
    error_text,
    install_error_dialogs,
    log_error,
    show_error,
)

UI_FONT_SIZE = 10
WINDOWS_UI_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei")  # 微软雅黑


def choose_ui_font(
    platform: str, installed: Sequence[str], chinese: Sequence[str]
) -> tuple[str | None, bool]:
    """(the family to set, or None for the platform's default; whether the bundled font is
    needed). Office software uses the system's UI font (微软雅黑 on Windows); the bundled LXGW
    WenKai only stands in where no installed font can draw Simplified Chinese."""
    if not chinese:
        return None, True
    if platform == "win32":
        family = next((f for f in WINDOWS_UI_FAMILIES if f in installed), None)
        return family, False
    return None, False


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication in the system's UI font (the bundled one where it has no Chinese)."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_TITLE)
    # calendars and date pickers name months and weekdays in Chinese, whatever the PC's locale
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    install_qt_translations(app)
    family, needs_bundled = choose_ui_font(
        sys.platform,
        QFontDatabase.families(),
        QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese),
    )
    if needs_bundled:
        family = register_bundled_font()
    font = (
        QFont(family) if family else QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    )
    font.setPointSize(UI_FONT_SIZE)
    app.setFont(font)
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
    """Add LXGW WenKai to the application's fonts (where the system has no Chinese font)."""
    font_id = QFontDatabase.addApplicationFont(str(bundled_font()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


@dataclass(frozen=True)
class _Unusable:
    """The file is damaged or empty; ``backup`` is the newest one that passes the check."""

    error: DatabaseDamaged
    backup: Path | None


def _open_in_background(work_path: Path, url: str | None, demo_if_new: bool, tab: int):
    def work(progress):
        from desk_league.services.startup import newest_sound_backup, open_office_database
        from desk_league.ui.main_window import preload_tab

        try:
            db = open_office_database(work_path, url, demo_if_new=demo_if_new)
        except DatabaseDamaged as exc:
            if url is not None:
                raise
            return _Unusable(exc, newest_sound_backup(work_path))  # looked for off the GUI thread
        preload_tab(tab)  # the module of the tab on screen, here rather than on the GUI thread
        # what is loaded by now (Qt, SQLAlchemy, the models, the services) lives as long as the
        # window: frozen, the garbage collector stops walking it again and again while the
        # first figures are read (a fifth less work for the overview's read), as commands do
        gc.freeze()
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
    """Open the database off the GUI thread and hand it to ``window``, then, once its first tab
    shows its data, check and back it up in the background. A problem is explained with its offer; when the clerk gives up, the
    window closes and ``on_failure`` is called."""

    def again() -> None:
        open_database_into(window, path, url, demo_if_new=demo_if_new, on_failure=on_failure)

    def give_up() -> None:
        window.close()
        if on_failure:
            on_failure()

    def opened(result) -> None:
        if isinstance(result, _Unusable):
            _offer_for_unusable(window, path, result, again, give_up)
            return
        window.attach(result)
        # the check and the start backup follow once the first tab's data is on screen
        window.when_data_shown(lambda: _check_if_open(window, result))

    def failed(exc: BaseException) -> None:
        if isinstance(exc, DatabaseUnavailable):
            if choose(window, error_text(exc), ["重试", "退出"]) == 0:
                again()
                return
        elif isinstance(exc, DeskLeagueError):
            log_error(exc, "打开数据库")
            QMessageBox.critical(window, APP_TITLE, error_text(exc))
        else:
            show_error(window, exc, "打开数据库")
        give_up()

    window.statusBar().showMessage("正在打开数据库…")
    run_in_background(
        window,
        "正在打开数据库",
        _open_in_background(path, url, demo_if_new, window.tabs.currentIndex()),
        on_done=opened,
        on_error=failed,
        show_dialog=False,
    )


def _offer_for_unusable(window, path: Path, found: _Unusable, again, give_up) -> None:
    from desk_league.services.startup import replace_damaged_with_backup, start_afresh

    def restore() -> None:
        run_in_background(
            window,
            "正在从备份恢复",
            lambda _progress: replace_damaged_with_backup(path, found.backup),
            on_done=lambda _result: again(),
            on_error=lambda exc: (show_error(window, exc, "恢复"), give_up()),
        )

    def afresh() -> None:
        start_afresh(path)
        again()

    offers: list[tuple[str, Callable[[], None]]] = []
    text = f"{found.error}\n\n"
    if found.backup is not None:
        offers.append(("用最新的备份恢复", restore))
        text += f"可以用最新的正常备份恢复：{found.backup.name}\n"
    if isinstance(found.error, DatabaseEmpty):
        offers.append(("作为新数据库开始", afresh))
    if offers:
        text += "（原文件会连同 -wal、-shm 另存一份，不会删除。）"
    else:
        text += "没有找到可用的备份。文件未被改动。"
    offers.append(("退出", give_up))
    choice = choose(window, text, [label for label, _act in offers])
    offers[choice if choice is not None else -1][1]()


def _check_if_open(window, db) -> None:
    if isValid(window) and window.isVisible() and window.db is db:  # not after a quick close
        check_in_background(window, db)


def check_in_background(window, db) -> None:
    """The quick check and the start backup, after the data is on screen (an operation of the
    window's database, ``db``, the one ``window.attach`` handed to ``services.store``)."""
    from desk_league.services.startup import check_and_back_up
    from desk_league.ui.operations import Op

    def done(result) -> None:
        if result.problems:
            _offer_restore_while_open(window, result)
        elif result.backup is not None:
            window.statusBar().showMessage(f"已自动备份：{result.backup.name}", 8000)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, Cancelled) or window.db is not db:
            return
        if not isinstance(exc, DeskLeagueError):
            show_error(window, exc, "启动时的检查和备份")
            return
        log_error(exc, "启动时的检查和备份")
        QMessageBox.warning(
            window,
            APP_TITLE,
            f"启动时的自动检查或备份没有完成：\n{error_text(exc)}\n\n数据可以照常使用；"
            "处理好之后，请用“文件 → 备份数据库…”备份一次。",
        )

    Op(
        window, lambda progress: check_and_back_up(db, progress), action="启动时的检查和备份"
    ).in_background().success(done).failure(failed).run()


def _offer_restore_while_open(window, result) -> None:
    detail = "；".join(result.problems[:3])
    text = f"数据库完整性检查发现问题：{detail}\n\n"
    if result.sound_backup is None:
        QMessageBox.warning(
            window,
            APP_TITLE,
            text + "没有找到可用的备份。请尽快把数据库文件交给技术人员检查，并用“文件 → "
            "备份数据库…”另存一份。",
        )
        return
    text += (
        f"建议用最新的正常备份恢复：{result.sound_backup.name}\n"
        "（损坏的文件会连同 -wal、-shm 另存一份，不会删除；此后录入的内容需重新录入。）"
    )
    if choose(window, text, ["用备份恢复", "暂不处理"]) == 0:
        window.restore_backup(result.sound_backup, damaged=True)


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
    QTimer.singleShot(
        0,
        lambda: open_database_into(
            window, path, url, demo_if_new=demo_if_new, on_failure=lambda: QCoreApplication.exit(1)
        ),
    )
    code = app.exec()
    wait_for_background_jobs(cancel=True)
    if window.db is not None:
        window.db.close()
    return code
