"""The 志愿者 tab as the clerk uses it: register, enter and approve hours, import, print proofs."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QRadioButton,
    QWizard,
)
from sqlalchemy import func, select

from desk_league.data.models import ServiceRecord, Volunteer
from desk_league.exports.seal import draw_seal
from desk_league.services.service_proofs import proof_settings
from desk_league.services.settings import set_setting
from desk_league.ui.import_wizard import ImportWizard
from desk_league.ui.volunteer_dialogs import ProofDialog, ServiceRecordDialog, VolunteerDialog
from desk_league.ui.volunteers_tab import VolunteersTab
from tests.conftest import lists_read
from tests.imports._rosters import make_id, person_row, write_roster
from tests.ui.shots import in_dialog

SHOTS = (
    Path(os.environ.get("DESK_LEAGUE_SHOTS", "")) if os.environ.get("DESK_LEAGUE_SHOTS") else None
)


def _shot(widget, name: str) -> None:
    """Screenshots for review when DESK_LEAGUE_SHOTS names a folder."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def tab(qtbot, demo_db):
    widget = VolunteersTab()
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.ensure_loaded()
    lists_read(qtbot)
    return widget


def _click(tab, name: str) -> None:
    from PySide6.QtWidgets import QToolButton

    tab.findChild(QToolButton, name).click()


def test_clerk_registers_a_volunteer_and_sees_them_in_the_list(qtbot, tab, typist, told, demo_db):
    before = tab.volunteers.model.total
    ident = make_id(date(2000, 5, 4), 3)

    def fill(dialog: VolunteerDialog) -> None:
        typist(dialog.person.name, "王小明")
        dialog.person.id_number.setText(ident)
        dialog.person.phone.setText("139 1234 5678")
        dialog.person.unit.setCurrentIndex(1)
        _shot(dialog, "volunteer_form")
        dialog.buttons.accepted.emit()

    in_dialog(VolunteerDialog, fill)
    _click(tab, "add_volunteer")
    lists_read(qtbot)
    assert tab.volunteers.model.total == before + 1
    with demo_db.reading() as session:
        volunteer = session.scalar(select(Volunteer).order_by(Volunteer.id.desc()).limit(1))
        assert volunteer.person.name == "王小明" and volunteer.person.gender == "男"
        assert volunteer.person.phone == "13912345678"


def test_the_list_hides_the_middle_of_id_numbers_yet_finds_a_whole_one(qtbot, tab, demo_db):
    from desk_league.data.models import Person

    with demo_db.reading() as session:
        whole = session.scalar(
            select(Person.id_number)
            .join(Volunteer, Volunteer.person_id == Person.id)
            .where(func.length(Person.id_number) == 18)
            .limit(1)
        )
    table = tab.volunteers
    qtbot.keyClicks(table.search, whole)
    qtbot.waitUntil(lambda: table.model.total == 1)
    column = [c.key for c in table.model.columns].index("id_number")
    assert table.model.index(0, column).data() == whole[:6] + "********" + whole[-4:]


def test_the_form_stays_open_and_says_why_when_the_id_is_wrong(qtbot, tab, told):
    seen = {}

    def fill(dialog: VolunteerDialog) -> None:
        dialog.person.name.setText("李四")
        dialog.person.id_number.setText("370103200005040011")
        dialog.buttons.accepted.emit()
        seen["open"], seen["error"] = dialog.isVisible(), dialog.error_label.text()
        _shot(dialog, "volunteer_form_error")
        dialog.reject()

    in_dialog(VolunteerDialog, fill)
    _click(tab, "add_volunteer")
    assert seen["open"] and "校验位" in seen["error"]


def test_a_sixteen_year_old_is_registered_once_the_guardians_consent_is_ticked(
    qtbot, tab, told, demo_db
):
    seen = {}
    ident = make_id(date(date.today().year - 16, 1, 1), 7)  # 16 today, whenever this runs

    def fill(dialog: VolunteerDialog) -> None:
        dialog.person.name.setText("张小青")
        dialog.person.id_number.setText(ident)
        dialog.buttons.accepted.emit()
        seen["error"] = dialog.error_label.text()
        seen["focus"] = dialog.focusWidget() is dialog.guardian
        dialog.guardian.setChecked(True)
        _shot(dialog, "volunteer_form_guardian")
        dialog.buttons.accepted.emit()
        seen["closed"] = not dialog.isVisible()

    in_dialog(VolunteerDialog, fill)
    _click(tab, "add_volunteer")
    assert "未满18周岁的志愿者须经监护人同意" in seen["error"] and seen["focus"]
    assert seen["closed"]
    with demo_db.reading() as session:
        volunteer = session.scalar(select(Volunteer).order_by(Volunteer.id.desc()).limit(1))
        assert volunteer.person.name == "张小青" and volunteer.guardian_consent


def test_clerk_enters_hours_then_bulk_approves_and_the_record_locks(qtbot, tab, told, demo_db):
    tab.volunteers.view.selectRow(0)
    vid = tab.volunteers.current_id()

    def fill(dialog: ServiceRecordDialog) -> None:
        dialog.served_on.setDate(QDate(2026, 3, 5))
        dialog.hours.setValue(2.5)
        dialog.content.setText("学雷锋义诊")
        dialog.buttons.accepted.emit()

    in_dialog(ServiceRecordDialog, fill)
    _click(tab, "add_record")
    tab.only_selected.setChecked(True)
    tab.records.model.set_filter("status", "pending")
    lists_read(qtbot)
    assert tab.records.model.total >= 1
    tab.records.view.selectAll()
    _click(tab, "approve_records")
    with demo_db.reading() as session:
        statuses = set(
            session.scalars(select(ServiceRecord.status).where(ServiceRecord.volunteer_id == vid))
        )
    assert "pending" not in statuses
    tab.records.model.set_filter("status", None)
    lists_read(qtbot)
    tab.records.view.selectRow(0)
    _click(tab, "edit_record")
    assert any("作废后重新录入" in line for line in told)


def test_star_filter_shows_only_volunteers_at_that_level(qtbot, demo_db):
    with demo_db.transaction() as session:
        set_setting(session, "star_thresholds", [10, 20, 30, 40, 1000])
    widget = VolunteersTab()
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.ensure_loaded()
    stars = widget.volunteers.findChild(QComboBox, "filter_stars")
    stars.setCurrentIndex(stars.findData(2))
    lists_read(qtbot)
    model = widget.volunteers.model
    assert model.total > 0
    values = [model.row_value(r, "total_hours") for r in range(model.rowCount())]
    assert all(20 <= h < 30 for h in values)
    assert {model.data(model.index(0, [c.key for c in model.columns].index("stars")))} == {"二星"}
    _shot(widget, "volunteers_tab_two_stars")


def _wizard_to_preview(qtbot, wizard: ImportWizard, path: Path) -> None:
    wizard.file_page.path_edit.setText(str(path))
    _shot(wizard, "import_1_file")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=10000)
    assert wizard.layout_page.header_row.value() == 3
    _shot(wizard, "import_2_sheet")
    wizard.next()
    assert wizard.mapping_page.combos["id_number"].currentText().endswith("公民身份号码")
    _shot(wizard, "import_3_mapping")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)


def test_import_wizard_walks_from_file_to_saved_rows(qtbot, demo_db, tmp_path, told):
    path = write_roster(tmp_path / "名册.xlsx", [person_row(n) for n in range(1, 21)])
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    _wizard_to_preview(qtbot, wizard, path)
    assert wizard.preview_page.isComplete()
    _shot(wizard, "import_4_preview")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=10000)
    assert wizard.result.created == 20
    with demo_db.reading() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Volunteer).where(Volunteer.number.like("WJ2025%"))
            )
            >= 20
        )


def test_import_wizard_with_bad_rows_cannot_finish_and_exports_the_errors(
    qtbot, demo_db, tmp_path, told
):
    rows = [person_row(n) for n in range(1, 6)]
    rows[1]["公民身份号码"] = 370103199501031234
    rows[3]["工作单位"] = "不存在医院"
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    _wizard_to_preview(qtbot, wizard, write_roster(tmp_path / "bad.xlsx", rows))
    assert not wizard.preview_page.isComplete()
    table = wizard.preview_page.errors
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["5", "7"]
    assert "文本" in table.item(0, 4).text() and table.item(0, 1).text() == "志愿者2"
    _shot(wizard, "import_4_preview_errors")
    wizard.preview_page.save_errors(str(tmp_path / "errors.xlsx"))
    assert (tmp_path / "errors.xlsx").exists()


def test_a_renamed_word_file_gets_a_message_and_the_wizard_stays_on_step_one(
    qtbot, demo_db, tmp_path, told
):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"not a workbook at all")
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.next()
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    assert "不是有效的 Excel" in told[0] and wizard.currentPage() is wizard.file_page


def test_clerk_prints_a_service_proof_for_the_selected_volunteer(
    qtbot, tab, tmp_path, told, demo_db
):
    with demo_db.reading() as session:  # the volunteer with the most approved hours
        vid, number = session.execute(
            select(Volunteer.id, Volunteer.number)
            .join(ServiceRecord, ServiceRecord.volunteer_id == Volunteer.id)
            .where(ServiceRecord.status == "approved")
            .group_by(Volunteer.id, Volunteer.number)
            .order_by(func.sum(ServiceRecord.hours).desc())
            .limit(1)
        ).one()
    tab.volunteers.show_row(vid, number)
    lists_read(qtbot)
    assert tab.volunteers.current_id() == vid

    seal = draw_seal(tmp_path / "公章.png", "市卫生健康委团委")

    def fill(dialog: ProofDialog) -> None:
        dialog.start.setDate(QDate(2020, 1, 1))
        dialog.end.setDate(QDate(2026, 11, 26))
        dialog.handler.setText("王芳")
        dialog.seal.setText(str(seal))
        _shot(dialog, "proof_dialog")
        dialog.buttons.accepted.emit()

    in_dialog(ProofDialog, fill)
    tab.issue_proofs(str(tmp_path / "证明.pdf"))
    qtbot.waitUntil(lambda: any("已出具" in line for line in told), timeout=15000)
    assert "王芳" in "".join(page.extract_text() for page in PdfReader(tmp_path / "证明.pdf").pages)
    with demo_db.reading() as session:
        assert proof_settings(session).seal_image == str(seal)


def test_clerk_changes_the_star_thresholds_and_the_star_column_follows(
    qtbot, tab, monkeypatch, told
):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("10／20/30/40/50", True))
    _click(tab, "star_thresholds")
    lists_read(qtbot)
    model = tab.volunteers.model
    tab.volunteers.findChild(QComboBox, "filter_stars").setCurrentIndex(2)  # 一星: 10 to 20 hours
    lists_read(qtbot)
    hours = [model.row_value(r, "total_hours") for r in range(model.rowCount())]
    assert hours and all(10 <= h < 20 for h in hours)
    assert {model.row_value(r, "stars") for r in range(model.rowCount())} == {1}
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("10/5/30/40/50", True))
    _click(tab, "star_thresholds")
    assert any("二星门槛" in line for line in told)


def test_service_hours_sheet_goes_through_the_same_wizard_as_pending_records(
    qtbot, demo_db, tmp_path, told
):
    with demo_db.reading() as session:
        number = session.scalar(select(Volunteer.number).order_by(Volunteer.id).limit(1))
        before = session.scalar(
            select(func.count()).select_from(ServiceRecord).where(ServiceRecord.status == "pending")
        )
    headers = ["志愿者编号", "服务日期", "服务时长(小时)", "服务内容"]
    rows = [{"志愿者编号": number, "服务日期": "2026.3.5", "服务时长(小时)": 2, "服务内容": "义诊"}]
    path = write_roster(tmp_path / "时长.xlsx", rows, headers=headers)
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.findChild(QRadioButton, "kind_service_records").setChecked(True)
    wizard.file_page.path_edit.setText(str(path))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=10000)
    wizard.next()
    assert wizard.mapping_page.combos["hours"].currentText().endswith("服务时长(小时)")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=10000)
    with demo_db.reading() as session:
        after = session.scalar(
            select(func.count()).select_from(ServiceRecord).where(ServiceRecord.status == "pending")
        )
    assert after == before + 1


def test_a_sheet_repeating_a_service_imports_only_once_the_clerk_accepts_the_repeat(
    qtbot, demo_db, tmp_path, told
):
    from PySide6.QtWidgets import QCheckBox

    with demo_db.reading() as session:
        number = session.scalar(select(Volunteer.number).order_by(Volunteer.id).limit(1))
    headers = ["志愿者编号", "服务日期", "服务时长(小时)", "服务内容"]
    row = {"志愿者编号": number, "服务日期": "2026-03-07", "服务时长(小时)": 2, "服务内容": "随访"}
    path = write_roster(tmp_path / "时长.xlsx", [row, dict(row)], headers=headers)
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.findChild(QRadioButton, "kind_service_records").setChecked(True)
    wizard.file_page.path_edit.setText(str(path))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=10000)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert "与第 4 行（2 小时）重复" in wizard.preview.errors[0].reason
    accept = wizard.preview_page.findChild(QCheckBox, "accept_duplicates")
    assert accept.isVisible() and not wizard.preview_page.isComplete()
    accept.setChecked(True)  # the clerk knows it was two visits that day
    qtbot.waitUntil(lambda: wizard.preview is not None and wizard.preview.ok, timeout=10000)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=10000)
    assert wizard.result.created == 2


def test_wizard_skips_the_footer_and_imports_only_the_valid_rows_when_chosen(
    qtbot, demo_db, tmp_path, told
):
    from tests.imports._rosters import official_register

    rows = [person_row(n) for n in range(1, 6)]
    rows[2]["手机"] = "12345"
    path = official_register(tmp_path / "登记表.xlsx", rows)
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    _wizard_to_preview(qtbot, wizard, path)
    page = wizard.preview_page
    assert "合计" in page.skipped.text() and "填表人" in page.skipped.text()
    assert not page.isComplete()  # all or nothing by default
    page.valid_only.setChecked(True)
    errors_path = tmp_path / "未导入.xlsx"
    page.errors_path.setText(str(errors_path))
    assert page.isComplete()
    _shot(wizard, "import_4_preview_valid_only")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=10000)
    assert wizard.result.created == 4 and wizard.result.rejected == 1
    assert errors_path.exists() and any(str(errors_path) in line for line in told)


def test_the_same_service_entered_twice_is_saved_only_when_the_clerk_confirms(
    qtbot, tab, demo_db, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    tab.volunteers.view.selectRow(0)
    vid = tab.volunteers.current_id()
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or answers.pop(0)
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    kept_open: list[str] = []

    def records() -> int:
        with demo_db.reading() as session:
            return session.scalar(
                select(func.count(ServiceRecord.id)).where(
                    ServiceRecord.volunteer_id == vid, ServiceRecord.served_on == date(2026, 3, 9)
                )
            )

    def enter(dialog: ServiceRecordDialog, *, twice: bool) -> None:
        dialog.served_on.setDate(QDate(2026, 3, 9))
        dialog.hours.setValue(3)
        dialog.content.setText("社区健康宣教")
        dialog.buttons.accepted.emit()
        if twice:  # refused once (答“否”): the form stays open with what was typed
            kept_open.append(dialog.content.text() if dialog.isVisible() else "")
            dialog.buttons.accepted.emit()  # 保存 again: this time the clerk answers 是

    in_dialog(ServiceRecordDialog, lambda d: enter(d, twice=False))
    _click(tab, "add_record")
    assert records() == 1 and not asked
    in_dialog(ServiceRecordDialog, lambda d: enter(d, twice=True))
    _click(tab, "add_record")
    assert kept_open == ["社区健康宣教"]
    assert len(asked) == 2 and "已有相同的服务记录：“社区健康宣教”3 小时，待审核" in asked[0]
    assert asked[0].endswith("仍要保存吗？")
    assert records() == 2
