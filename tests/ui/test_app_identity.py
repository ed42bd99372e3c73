"""What the app says and shows about itself: Chinese in Qt's own words, its own icon."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from desk_league.resources import resource_path
from desk_league.ui.app import create_application


def test_standard_dialog_buttons_speak_chinese(qtbot):
    create_application([])
    Button = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(Button.Yes | Button.No | Button.Cancel)
    qtbot.addWidget(box)

    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "取消"])


def test_windows_carry_the_league_emblem_icon(qtbot):
    app = create_application([])

    sizes = app.windowIcon().availableSizes()
    assert resource_path("icons", "desk_league.ico").is_file()  # the .exe and shortcuts use it
    assert [(s.width(), s.height()) for s in sizes] == [(256, 256)]
