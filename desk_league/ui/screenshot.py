"""``desk-league screenshot``: one PNG per tab, rendered offscreen, for docs and review."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk_league.services.store import Database

TAB_FILE_NAMES = [
    "overview",
    "plan",
    "activities",
    "volunteers",
    "honours",
    "organisations",
    "members",
]


def save_screenshots(db: Database, out: Path, *, size: tuple[int, int] = (1366, 768)) -> list[Path]:
    """The main window at ``size`` on ``db`` (opened by the caller, who closes it)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desk_league.ui.app import create_application
    from desk_league.ui.background import background_jobs_running, wait_for_background_jobs
    from desk_league.ui.main_window import MainWindow

    app = create_application([])
    out.mkdir(parents=True, exist_ok=True)
    files = []
    window = MainWindow(db, offer_setup=False)  # a picture changes nothing in the data
    window.resize(*size)
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        # tabs read in the background, one read after another (choices, the list, its count):
        # the picture is taken once none is running and none has been started
        QApplication.processEvents()
        while background_jobs_running():
            wait_for_background_jobs()
            QApplication.processEvents()
        QApplication.processEvents()  # the layout the last answer asked for (a longer count)
        name = TAB_FILE_NAMES[index] if index < len(TAB_FILE_NAMES) else f"tab{index}"
        target = out / f"{index + 1:02d}_{name}.png"
        window.grab().save(str(target))
        files.append(target)
    window.close()
    app.processEvents()
    return files
