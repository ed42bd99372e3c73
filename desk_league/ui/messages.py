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


def choose(parent: QWidget | None, text: str, options: list[str]) -> int | None:
    """Ask with one button per option (the first is the default, the last answers Escape);
    the index of the one pressed, None when the box was closed otherwise."""
    box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, text, parent=parent)
    buttons = []
    for index, option in enumerate(options):
        last = index == len(options) - 1
        role = QMessageBox.ButtonRole.RejectRole if last else QMessageBox.ButtonRole.AcceptRole
        buttons.append(box.addButton(option, role))
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(buttons[-1])
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None
