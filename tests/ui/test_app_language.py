"""Qt's own words in the app (standard dialog buttons) are Chinese like the rest of the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from desk_league.ui.app import create_application


def test_standard_dialog_buttons_speak_chinese(qtbot):
    create_application([])
    Button = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(Button.Yes | Button.No | Button.Cancel)
    qtbot.addWidget(box)

    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "取消"])
