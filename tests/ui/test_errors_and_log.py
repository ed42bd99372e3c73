"""When something goes wrong: the clerk reads a short message, the log keeps the detail."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from sqlalchemy.exc import IntegrityError

from desk_league.services import volunteers
from desk_league.ui.app import _qt_message
from desk_league.ui.messages import install_error_dialogs
from desk_league.ui.volunteer_dialogs import VolunteerDialog
from tests.conftest import menu_item

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def boxes(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(
            QMessageBox, kind, lambda _p, _t, text, *a, k=kind, **kw: shown.append((k, text))
        )
    return shown


def _volunteer_form(qtbot) -> VolunteerDialog:
    dialog = VolunteerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.name.setText("王小明")
    return dialog


def test_a_fault_while_saving_a_form_shows_an_apology_and_logs_the_traceback(
    qtbot, demo_db, monkeypatch, boxes, log_file
):
    def broken(session, data):
        raise RuntimeError(f"UPDATE person SET id_number='{ID_NUMBER}' WHERE id=7")

    monkeypatch.setattr(volunteers, "register_volunteer", broken)
    dialog = _volunteer_form(qtbot)
    dialog.buttons.accepted.emit()

    [(kind, text)] = boxes
    assert kind == "critical" and text.startswith("保存失败")
    assert "UPDATE" not in text and ID_NUMBER not in text and "RuntimeError" not in text
    assert "帮助 → 打开日志文件夹" in text
    assert dialog.isVisible()  # what was typed is still there
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: UPDATE person" in logged
    assert ID_NUMBER not in logged and "110105********002X" in logged
    dialog.edits.mark_clean()  # the clerk gives up: closing asks nothing more


def test_a_clash_with_another_pc_says_so_without_sql(qtbot, demo_db, monkeypatch, boxes, log_file):
    def raced(session, data):  # the other PC saved the same number a moment earlier
        raise IntegrityError(
            "INSERT INTO volunteer (number, person_id) VALUES (?, ?)",
            ("WJ202600001", ID_NUMBER),
            Exception("UNIQUE constraint failed: volunteer.number"),
        )

    monkeypatch.setattr(volunteers, "register_volunteer", raced)
    dialog = _volunteer_form(qtbot)
    dialog.buttons.accepted.emit()

    [(kind, text)] = boxes
    assert kind == "warning" and "冲突" in text and "其他电脑" in text
    assert "INSERT" not in text and "UNIQUE" not in text and ID_NUMBER not in text
    assert dialog.error_label.isVisible()
    assert "UNIQUE constraint failed" in log_file.read_text(encoding="utf-8")
    dialog.edits.mark_clean()


@pytest.mark.qt_no_exception_capture  # the exception is the test's subject, not its failure
def test_an_error_escaping_a_click_reaches_the_clerk_and_the_log(qtbot, boxes, log_file):
    install_error_dialogs()
    try:
        raise KeyError(ID_NUMBER)
    except KeyError:
        sys.excepthook(*sys.exc_info())  # what PySide does with an error left in a slot
    qtbot.waitUntil(lambda: bool(boxes))
    [(kind, text)] = boxes
    assert kind == "critical" and "意外错误" in text and ID_NUMBER not in text
    logged = log_file.read_text(encoding="utf-8")
    assert "KeyError" in logged and ID_NUMBER not in logged


def test_qt_warnings_are_written_to_the_log(log_file):
    previous = qInstallMessageHandler(_qt_message)
    try:
        _qt_message(QtMsgType.QtWarningMsg, _Context(), "QFont::setPointSize: Point size <= 0")
    finally:
        qInstallMessageHandler(previous)
    text = log_file.read_text(encoding="utf-8")
    assert "WARNING qt" in text and "Point size <= 0" in text


def test_help_menu_opens_the_log_folder(main_window, monkeypatch, log_file):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    menu_item(main_window, "打开日志文件夹").trigger()
    assert [Path(url.toLocalFile()) for url in opened] == [log_file.parent]


class _Context:
    file, line = "", 0
