"""The clerk's commendation day in the GUI: new batch → nominate → check → approve → print."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QPushButton, QToolButton
from sqlalchemy import select

from desk_league.data.models import Honour, Nomination, Organisation, Person
from desk_league.domain.codes import NominationStatus
from desk_league.ui import honour_dialogs, pdf_preview
from desk_league.ui.honours_tab import HonoursTab
from tests.conftest import lists_read

pytestmark = pytest.mark.usefixtures("told")


def filled_in(monkeypatch, dialog_class, fill) -> None:
    """The dialog opens, the clerk fills it in with ``fill`` and presses OK."""

    def exec_(dialog):
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", exec_)


def click(qtbot, widget, name: str) -> None:
    qtbot.mouseClick(widget.findChild(QToolButton, name), Qt.MouseButton.LeftButton)


@pytest.fixture
def honours_tab(main_window, qtbot) -> HonoursTab:
    tab = main_window.tab(HonoursTab)
    main_window.tabs.setCurrentWidget(tab)
    lists_read(qtbot)
    return tab


def _previewed(qtbot, editor) -> None:
    """Ask for the sample of the fields as they are and wait until it (or its problem) shows:
    it is drawn in the background."""
    with qtbot.waitSignal(editor.previewed, timeout=20_000):
        editor.update_preview()


def young_member(demo_db) -> str:
    with demo_db.reading() as session:
        return session.scalar(
            select(Person.name).where(Person.political_status == "league").order_by(Person.id)
        )


def test_create_nominate_approve_and_print_a_batch(
    qtbot, monkeypatch, honours_tab, demo_db, tmp_path, told
):
    page = honours_tab.batches_page
    honours_tab.pages.setCurrentWidget(page)
    lists_read(qtbot)
    name = young_member(demo_db)

    def new_batch(dialog):
        dialog.title_edit.setText("2026年度市直卫生系统优秀共青团员")
        dialog.year.setValue(2026)
        dialog.document_number.setText("卫团发〔2027〕1号")

    filled_in(monkeypatch, honour_dialogs.CommendationDialog, new_batch)
    click(qtbot, page, "new_batch")
    lists_read(qtbot)
    assert (
        page.batches.model.row_value(page.batches.view.currentIndex().row(), "title")
        == "2026年度市直卫生系统优秀共青团员"
    )

    def nominate_person(dialog):
        dialog.type_box.setCurrentIndex(dialog.type_box.findText("优秀共青团员"))
        dialog.person.search.setText(name)
        dialog.reason.setPlainText("服务群众，表现突出")

    filled_in(monkeypatch, honour_dialogs.NominationDialog, nominate_person)
    click(qtbot, page, "nominate")

    def nominate_collective(dialog):
        dialog.type_box.setCurrentIndex(dialog.type_box.findText("青年文明号"))
        dialog.collective.setText("市人民医院急诊科")

    filled_in(monkeypatch, honour_dialogs.NominationDialog, nominate_collective)
    click(qtbot, page, "nominate")
    lists_read(qtbot)
    assert page.nominations.model.total == 2

    shown = []
    monkeypatch.setattr(
        honour_dialogs.ChecklistDialog, "exec", lambda dialog: shown.append(dialog.tree) or 0
    )
    click(qtbot, page, "checklists")
    person_item = shown[0].topLevelItem(0)
    assert person_item.text(0).startswith(name) and person_item.childCount() == 5  # 共青团员 too
    assert person_item.child(0).text(0).startswith("未满28周岁")

    click(qtbot, page, "approve_batch")
    assert any("授予荣誉 2 项" in text for text in told)
    with demo_db.reading() as session:
        granted = session.scalars(
            select(Honour).where(Honour.commendation_id == page.batch_id())
        ).all()
        assert sorted(h.certificate_number for h in granted) == ["2026-001", "2026-002"]
        assert {n.status for n in session.scalars(select(Nomination))} == {NominationStatus.PASSED}

    out = tmp_path / "证书"

    def options(dialog):
        dialog.folder.setText(str(out))
        dialog.separate.setChecked(True)

    filled_in(monkeypatch, honour_dialogs.CertificateOptionsDialog, options)
    click(qtbot, page, "print_batch")
    qtbot.waitUntil(lambda: honours_tab.last_preview is not None, timeout=20000)

    combined = next(out.glob("*_荣誉证书.pdf"))
    texts = [p.extract_text() for p in PdfReader(combined).pages]
    assert len(texts) == 2
    assert any(name in t for t in texts) and any("市人民医院急诊科" in t for t in texts)
    assert sorted(p.name for p in out.glob("2026-*.pdf")) == [
        "2026-001_市人民医院急诊科.pdf",
        f"2026-002_{name}.pdf",
    ]

    preview = honours_tab.last_preview
    assert preview.preview.page_count() == 2
    printed = tmp_path / "printed.pdf"

    def printer_to_file() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(pdf_preview, "make_printer", printer_to_file)
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)

    assert preview.printed
    assert len(PdfReader(printed).pages) == 2
    preview.close()


def test_a_character_no_font_has_stops_printing(
    qtbot, monkeypatch, honours_tab, demo_db, tmp_path, told
):
    import reportlab

    # a Latin-only font: Chinese falls back to the bundled font, but CJK Extension G has no font
    unprintable = "\U00030000"
    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    editor = honours_tab.templates_page
    honours_tab.pages.setCurrentWidget(editor)
    editor.font.addItem("Vera.ttf", str(vera))
    editor.font.setCurrentIndex(editor.font.findData(str(vera)))
    _previewed(qtbot, editor)
    assert editor.status.text().startswith("预览")
    editor.title.setText(f"荣誉证书{unprintable}")
    _previewed(qtbot, editor)
    assert "所选字体缺少" in editor.status.text()
    with (
        demo_db.transaction() as session
    ):  # saved directly: the editor itself refuses such a template
        from desk_league.data.models import CertificateTemplate

        template = session.scalar(select(CertificateTemplate))
        template.layout = {"font": str(vera)}
        template.title = f"荣誉证书{unprintable}"

    register = honours_tab.register_page
    honours_tab.pages.setCurrentWidget(register)
    lists_read(qtbot)
    model = register.table.model
    numbered = next(r for r in range(model.rowCount()) if model.row_value(r, "certificate_number"))
    register.table.view.selectRow(numbered)
    filled_in(
        monkeypatch,
        honour_dialogs.CertificateOptionsDialog,
        lambda d: d.folder.setText(str(tmp_path)),
    )
    click(qtbot, register, "print_selected")

    qtbot.waitUntil(lambda: any("都缺少以下字符" in text for text in told), timeout=20_000)
    assert list(tmp_path.glob("*.pdf")) == []


def test_template_editor_previews_and_saves(qtbot, monkeypatch, honours_tab, demo_db, told):
    editor = honours_tab.templates_page
    honours_tab.pages.setCurrentWidget(editor)
    qtbot.waitUntil(lambda: editor.preview.page_count() == 1, timeout=20_000)  # drawn meanwhile

    editor.title.setText("荣 誉 证 书")
    editor.orientation.setCurrentIndex(editor.orientation.findData(False))
    editor.spins[("body", "y")].setValue(120)
    editor.body.setPlainText("{未知}")
    _previewed(qtbot, editor)
    assert "占位符 {未知} 无法识别" in editor.status.text()
    editor.body.setPlainText("{获奖者}：\n    被评为{称号}。")
    _previewed(qtbot, editor)
    assert editor.status.text().startswith("预览")

    qtbot.mouseClick(editor.findChild(QPushButton, "save_template"), Qt.MouseButton.LeftButton)

    from desk_league.data.models import CertificateTemplate

    with demo_db.reading() as session:
        saved = session.get(CertificateTemplate, editor.template_id)
        assert (saved.title, saved.landscape, saved.layout["body"]["y"]) == (
            "荣 誉 证 书",
            False,
            120,
        )


def test_an_organisations_honours_open_from_its_record(qtbot, main_window, demo_db):
    from desk_league.ui.organisations_tab import OrganisationsTab

    with demo_db.reading() as session:
        org_id, org_name = session.execute(
            select(Honour.organisation_id, Organisation.name)
            .join(Organisation, Honour.organisation_id == Organisation.id)
            .where(Honour.collective_name == "")
        ).first()
    organisations = main_window.tab(OrganisationsTab)
    main_window.tabs.setCurrentWidget(organisations)
    organisations.select(org_id)

    click(qtbot, organisations, "organisation_honours")

    honours_tab = main_window.tab(HonoursTab)
    assert main_window.tabs.currentWidget() is honours_tab
    lists_read(qtbot)
    register = honours_tab.register_page
    shown = {
        register.table.model.row_value(r, "recipient")
        for r in range(register.table.model.rowCount())
    }
    assert shown == {org_name}
    assert register.scope.text() == f"只显示“{org_name}”的荣誉"
    qtbot.mouseClick(register.show_all, Qt.MouseButton.LeftButton)
    lists_read(qtbot)
    assert register.table.model.total > 40


def test_a_new_template_starts_from_a_built_in_one(qtbot, honours_tab, demo_db, told):
    editor = honours_tab.templates_page
    honours_tab.pages.setCurrentWidget(editor)
    before = editor.chooser.count()
    button = editor.findChild(QPushButton, "built_in_templates")
    names = [action.text() for action in button.menu().actions()]
    assert names == ["个人·横版", "个人·竖版", "集体·横版", "集体·竖版"]

    with qtbot.waitSignal(editor.previewed, timeout=20_000):
        button.menu().actions()[3].trigger()  # 集体·竖版
    assert editor.template_id is None
    assert editor.orientation.currentData() is False
    assert "被授予{荣誉称号}称号" in editor.body.toPlainText()
    assert editor.preview.page_count() == 1
    qtbot.mouseClick(editor.findChild(QPushButton, "save_template"), Qt.MouseButton.LeftButton)

    assert editor.chooser.count() == before + 1
    assert editor.template_id is not None


def test_every_youth_civilization_reminder_is_listed_and_finds_its_collective(
    qtbot, honours_tab, demo_db
):
    from datetime import date

    from PySide6.QtWidgets import QListWidget

    from desk_league.services.honours import review_reminders

    page = honours_tab.youth_page
    honours_tab.pages.setCurrentWidget(page)
    page.refresh()
    with demo_db.reading() as session:
        due = review_reminders(session, date.today())
    listed = page.findChild(QListWidget, "review_reminders")
    assert len(due) > 6  # more than the old label showed before “另有…条”
    assert [listed.item(i).text() for i in range(listed.count())] == [
        f"· {r.name}：{r.text}" for r in due
    ]
    assert page.reminders_title.text().startswith(f"待办提醒（{len(due)}条")
    last = listed.item(listed.count() - 1)
    listed.itemActivated.emit(last)  # the clerk double-clicks the last one
    lists_read(qtbot)
    table = page.table
    assert table.current_id() == due[-1].honour_id


def test_this_years_notice_changes_a_rule_for_the_batch_only(qtbot, demo_db, told):
    from desk_league.data.models import Commendation, HonourType
    from desk_league.services import commendations

    with demo_db.transaction() as session:  # this year's batch, nominations still open
        batch_id = commendations.create_commendation(
            session, commendations.CommendationInput("2027年度五四表彰", 2027)
        ).id
    dialog = honour_dialogs.BatchRulesDialog(batch_id)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(0)
    type_id = dialog.list.currentItem().data(Qt.ItemDataRole.UserRole)
    assert not dialog.list.currentItem().text().endswith("（本批次）")
    dialog.rules.max_age.setValue(30)
    qtbot.mouseClick(dialog.findChild(QPushButton, "save_batch_rules"), Qt.MouseButton.LeftButton)
    assert dialog.list.currentItem().text().endswith("（本批次）"), told
    assert dialog.own.text() == "本批次已单独设定。" and dialog.rules.max_age.value() == 30
    with demo_db.reading() as session:  # the type's own rule is left as it was
        assert session.get(HonourType, type_id).rules.get("max_age") != 30
        assert session.get(Commendation, batch_id).rules[str(type_id)]["max_age"] == 30
