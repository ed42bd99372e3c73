"""工具 → 单位与编号设置: the office's name and signers reach the registers, its patterns the numbers."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit

from desk_league.errors import ValidationError
from desk_league.services.commendations import CertificateNumbers
from desk_league.services.organisations import export_organisations_register
from desk_league.services.settings import get_setting, office_settings, save_office_settings
from desk_league.ui.office_settings_dialog import OfficeSettingsDialog
from tests.conftest import DEMO_TODAY, menu_item

NEW_NAME = "滨海市卫生健康委员会团委"


def _retype(qtbot, typist, edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    typist(edit, text)


def test_the_clerk_names_the_office_and_every_register_carries_it(
    qtbot, main_window, demo_db, typist, told, tmp_path
):
    seen: dict[str, object] = {}

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            fill(dialog)
        except BaseException as exc:  # the modal form must close, or the test would hang
            seen["error"] = exc
            dialog.reject()

    def fill(dialog) -> None:
        assert isinstance(dialog, OfficeSettingsDialog)
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        _retype(qtbot, typist, dialog.office_name, NEW_NAME)
        typist(dialog.form_filler, "李明")
        typist(dialog.form_reviewer, "王芳")
        _retype(qtbot, typist, dialog.patterns["certificate_number_pattern"], "{year}-001")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        seen["refused"] = dialog.error_label.text()
        seen["still_open"] = dialog.isVisible()
        seen["focus"] = dialog.focusWidget() is dialog.patterns["certificate_number_pattern"]
        _retype(
            qtbot,
            typist,
            dialog.patterns["certificate_number_pattern"],
            "卫团荣〔{year}〕{seq:03d}号",
        )
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    menu_item(main_window, "单位与编号设置…").trigger()
    if "error" in seen:
        raise seen["error"]

    assert "荣誉证书编号格式" in seen["refused"] and "必须包含" in seen["refused"]
    assert any("必须包含" in message for message in told)  # also said in a message box
    assert seen["still_open"] and seen["focus"]
    with demo_db.transaction() as session:
        assert get_setting(session, "office_name") == NEW_NAME
        path = export_organisations_register(session, tmp_path / "团组织.xlsx", today=DEMO_TODAY)
        assert CertificateNumbers(session, 2027).next() == "卫团荣〔2027〕001号"
    sheet = openpyxl.load_workbook(path).active
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert f"填报单位：{NEW_NAME}" in " ".join(texts)
    assert "填表人：李明" in texts and "审核人：王芳" in texts


def test_each_pattern_shows_the_numbers_it_gives_while_typing(qtbot, demo_db, typist):
    dialog = OfficeSettingsDialog(today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    sample = dialog.findChild(QLabel, "volunteer_number_pattern_sample")
    assert sample.text() == "例：WJ202600001、WJ202600002……"
    _retype(qtbot, typist, dialog.patterns["volunteer_number_pattern"], "WS-{year}-{name}")
    assert "只能使用" in sample.text()
    _retype(qtbot, typist, dialog.patterns["volunteer_number_pattern"], "WS{seq:04d}")
    assert sample.text() == "例：WS0001、WS0002……"


def test_an_empty_office_name_is_refused_and_nothing_is_saved(demo_db):
    with demo_db.reading() as session:
        before = office_settings(session)
    broken = office_settings_with(before, office_name="  ", volunteer_number_pattern="V{seq}")
    with (
        pytest.raises(ValidationError, match="“单位名称”：不能为空"),
        demo_db.transaction() as session,
    ):
        save_office_settings(session, broken)
    with demo_db.reading() as session:
        assert office_settings(session) == before


def office_settings_with(settings, **changes):
    from dataclasses import replace

    return replace(settings, **changes)
