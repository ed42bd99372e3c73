"""How the GUI tells the clerk something: one place, one wording, one error policy.

The policy: a ``DeskLeagueError`` is something the clerk can act on, so its message is shown
(ID numbers masked). Anything else is a fault of the program: the clerk gets a short apology
that says nothing was lost and where the details are, never SQL, values or a traceback; the
full traceback goes to the log file (``desk_league.logs``, which masks ID numbers too).
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from desk_league import APP_TITLE
from desk_league.errors import Cancelled, DeskLeagueError
from desk_league.logs import mask_ids

log = logging.getLogger(__name__)

UNEXPECTED = (
    "程序遇到意外错误，这项操作没有完成；已保存的数据不受影响。\n"
    "详细情况已记入日志（帮助 → 打开日志文件夹）。"
)


def error_text(exc: BaseException, action: str = "") -> str:
    """What the clerk reads about ``exc``: its own message, or the apology."""
    prefix = f"{action}失败：\n" if action else ""
    if isinstance(exc, DeskLeagueError):
        return prefix + mask_ids(str(exc))
    return prefix + UNEXPECTED


def log_error(exc: BaseException, action: str = "") -> None:
    """Write ``exc`` to the log: a refusal in a line, a fault with its traceback."""
    what = f" ({action})" if action else ""
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, DeskLeagueError):
        log.info("refused%s: %s", what, exc)
    else:
        log.error("unexpected error%s", what, exc_info=exc)


def show_error(parent: QWidget | None, exc: BaseException, action: str = "") -> None:
    """The one error policy (see the module's docstring). Cancel is not an error."""
    if isinstance(exc, Cancelled):
        return
    log_error(exc, action)
    _tell(parent, exc, action)


def _tell(parent: QWidget | None, exc: BaseException, action: str) -> None:
    if isinstance(exc, DeskLeagueError):
        QMessageBox.warning(parent, APP_TITLE, error_text(exc, action))
    else:
        QMessageBox.critical(parent, APP_TITLE, error_text(exc, action))


_showing = False  # one box at a time: a fault repeating on every repaint must not pile them up


def install_error_dialogs() -> None:
    """Errors that escape a click reach the clerk through the same policy, once per fault.

    Chains to the hook already installed (``logs.setup_logging`` logs the traceback); the box is
    shown from the event loop, not from inside whatever Qt was doing when the error happened.
    """
    previous = sys.excepthook
    if getattr(previous, "_desk_league_gui", False):
        return

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if isinstance(value, DeskLeagueError):
            log_error(value)  # a refusal needs no traceback in the log
        else:
            previous(kind, value, tb)
        if not issubclass(kind, (KeyboardInterrupt, Cancelled)):
            QTimer.singleShot(0, lambda: _tell_once(value))

    hook._desk_league_gui = True  # type: ignore[attr-defined]
    sys.excepthook = hook


def _tell_once(exc: BaseException) -> None:
    global _showing
    if _showing:
        return
    _showing = True
    try:
        _tell(None, exc, "")
    finally:
        _showing = False


SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_to_save(parent: QWidget | None, text: str) -> str:
    """保存 / 放弃 / 取消: SAVE, DISCARD or CANCEL (also for Esc and the close box)."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        APP_TITLE,
        text,
        buttons.Save | buttons.Discard | buttons.Cancel,
        parent,
    )
    box.button(buttons.Save).setText("保存")
    box.button(buttons.Discard).setText("放弃")
    box.button(buttons.Cancel).setText("取消")
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    answer = box.exec()
    return {buttons.Save: SAVE, buttons.Discard: DISCARD}.get(buttons(answer), CANCEL)


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
