"""What GUI tests share: screenshots for review, and acting on a modal dialog once it is open."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

SHOTS = Path(os.environ["DESK_LEAGUE_SHOTS"]) if os.environ.get("DESK_LEAGUE_SHOTS") else None


def shot(widget: QWidget, name: str) -> None:
    """A PNG of ``widget`` for review when DESK_LEAGUE_SHOTS names a folder."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


def in_dialog(cls, action) -> None:
    """Act on the modal dialog of ``cls`` once it is open (exec() runs its own event loop).

    When the action fails the dialog is closed, so the test ends with the error instead of
    waiting for ever on a dialog nobody will close.
    """

    def handle() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()),
            None,
        )
        if dialog is None:
            QTimer.singleShot(20, handle)
            return
        try:
            action(dialog)
        except BaseException:
            dialog.reject()
            raise

    QTimer.singleShot(0, handle)
