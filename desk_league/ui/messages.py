"""How the GUI tells the clerk something went wrong: one place, one wording."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from desk_league import APP_TITLE
from desk_league.errors import Cancelled, DeskLeagueError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException, action: str = "") -> None:
    if isinstance(exc, Cancelled):
        return
    prefix = f"{action}失败：\n" if action else ""
    if isinstance(exc, DeskLeagueError):
        QMessageBox.warning(parent, APP_TITLE, prefix + str(exc))
        return
    log.error("unexpected error", exc_info=exc)
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    QMessageBox.critical(
        parent, APP_TITLE, f"{prefix}程序遇到意外错误，已保存的数据不受影响。\n\n{detail}"
    )


def confirm(parent: QWidget | None, text: str) -> bool:
    answer = QMessageBox.question(parent, APP_TITLE, text)
    return answer == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, text: str) -> None:
    QMessageBox.information(parent, APP_TITLE, text)
