"""Leaving a form, the plan's item pane or the certificate template editor with unsaved edits
asks 保存 / 放弃 / 取消, and each answer does what it says."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desk_league.data.models import CertificateTemplate
from desk_league.ui.honours_tab import HonoursTab
from desk_league.ui.plan_tab import PlanTab
from desk_league.ui.volunteer_dialogs import VolunteerDialog

BUTTONS = {
    "保存": QMessageBox.StandardButton.Save,
    "放弃": QMessageBox.StandardButton.Discard,
    "取消": QMessageBox.StandardButton.Cancel,
}


class Clerk:
    """Answers the 保存 / 放弃 / 取消 question with ``answer`` and remembers being asked."""

    def __init__(self) -> None:
        self.answer = "取消"
        self.asked: list[str] = []

    def __call__(self, box: QMessageBox) -> int:
        assert {box.button(b).text() for b in BUTTONS.values()} == set(BUTTONS)
        self.asked.append(box.text())
        return BUTTONS[self.answer]


@pytest.fixture
def clerk(monkeypatch) -> Clerk:
    clerk = Clerk()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: clerk(box))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    return clerk


@pytest.fixture
def editor(main_window, clerk):
    tab = main_window.tab(HonoursTab)
    main_window.tabs.setCurrentWidget(tab)
    tab.pages.setCurrentWidget(tab.templates_page)
    yield tab.templates_page
    tab.templates_page.edits.mark_clean()  # the window closes without a question


def _saved_title(demo_db, template_id: int) -> str:
    with demo_db.reading() as session:
        return session.scalar(
            select(CertificateTemplate.title).where(CertificateTemplate.id == template_id)
        )


def test_the_template_editor_asks_before_another_page_drops_its_edits(
    editor, clerk, main_window, demo_db
):
    pages = main_window.tab(HonoursTab).pages
    saved = _saved_title(demo_db, editor.template_id)
    editor.title.setText("嘉 奖 令")

    clerk.answer = "取消"
    pages.setCurrentIndex(0)  # 荣誉登记
    assert clerk.asked == ["证书模板有尚未保存的修改。要保存吗？"]
    assert pages.currentWidget() is editor and editor.title.text() == "嘉 奖 令"

    main_window.tabs.setCurrentIndex(0)  # another tab of the window asks too
    assert len(clerk.asked) == 2 and main_window.tabs.currentWidget() is pages.parentWidget()

    clerk.answer = "放弃"
    pages.setCurrentIndex(0)
    assert pages.currentIndex() == 0
    assert _saved_title(demo_db, editor.template_id) == saved
    pages.setCurrentWidget(editor)
    assert editor.title.text() == saved and not editor.edits.is_dirty()


def test_the_template_editor_saves_when_asked_to(editor, clerk, demo_db):
    editor.title.setText("嘉 奖 令")
    clerk.answer = "保存"
    other = editor.chooser.count()  # a second template to switch to
    editor.save_as_new()
    assert editor.chooser.count() == other + 1
    editor.title.setText("荣誉证书（套打）")
    editor.chooser.setCurrentIndex(0 if editor.chooser.currentIndex() else 1)
    assert clerk.asked  # asked, and saved on 保存
    assert "荣誉证书（套打）" in {
        _saved_title(demo_db, editor.chooser.itemData(i)) for i in range(editor.chooser.count())
    }


def test_a_template_started_from_a_built_in_one_is_not_dropped_unasked(editor, clerk, demo_db):
    from desk_league.services.honour_certificates import built_in_template_names

    saved = editor.chooser.count()
    editor.title.setText("嘉 奖 令")
    clerk.answer = "取消"  # the edits to the template shown come first
    editor.start_from_built_in(built_in_template_names()[0])
    assert clerk.asked and editor.title.text() == "嘉 奖 令"

    clerk.answer = "放弃"
    editor.start_from_built_in(built_in_template_names()[0])
    assert editor.template_id is None and editor.edits.is_dirty()  # new, not yet saved
    clerk.asked.clear()
    editor.refresh()  # a reload (another screen saved a template) keeps it on screen
    assert editor.template_id is None and not clerk.asked

    clerk.answer = "保存"
    editor.chooser.setCurrentIndex(1)  # another template: asked, and the new one is saved
    assert clerk.asked and editor.chooser.count() == saved + 1
    assert not editor.edits.is_dirty()
    assert editor.chooser.currentData() == editor.template_id  # the list shows the one on screen


def test_a_form_asks_on_cancel_only_when_something_was_typed(qtbot, demo_db, clerk):
    dialog = VolunteerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # nothing typed: closes without a word
    assert clerk.asked == [] and not dialog.isVisible()

    dialog = VolunteerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.name.setText("王小明")
    clerk.answer = "取消"
    dialog.reject()
    assert dialog.isVisible() and dialog.person.name.text() == "王小明"
    clerk.answer = "保存"  # the name alone breaks no rule: saved, and closed
    dialog.reject()
    assert len(clerk.asked) == 2 and not dialog.isVisible()
    assert dialog.result_value is None and dialog.result() == dialog.DialogCode.Accepted


def test_choosing_another_plan_item_asks_about_the_shown_ones_edits(
    qtbot, main_window, clerk, demo_db
):
    tab = main_window.tab(PlanTab)
    main_window.tabs.setCurrentWidget(tab)
    rows = list(tab.rows.values())
    first, second = rows[1], rows[2]
    tab._select(first.id)
    tab.pane.owner.setText("团委办公室（李）")

    clerk.answer = "取消"
    tab.view.setCurrentIndex(tab.model.index_of(second.id))
    assert tab.current_id() == first.id and tab.pane.owner.text() == "团委办公室（李）"

    clerk.answer = "保存"
    tab.view.setCurrentIndex(tab.model.index_of(second.id))
    assert tab.current_id() == second.id
    assert tab.rows[first.id].owner == "团委办公室（李）"
    assert tab.pane.owner.text() == second.owner and not tab.pane.edits.is_dirty()


def test_honour_types_ask_before_another_type_is_shown(qtbot, demo_db, clerk):
    from desk_league.ui.honour_dialogs import HonourTypesDialog

    dialog = HonourTypesDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    first = dialog.name.text()
    dialog.name.setText(f"{first}（市级）")
    clerk.answer = "取消"
    dialog.list.setCurrentRow(1)
    assert dialog.list.currentRow() == 0 and dialog.name.text() == f"{first}（市级）"
    clerk.answer = "放弃"
    dialog.list.setCurrentRow(1)
    assert dialog.list.currentRow() == 1 and len(clerk.asked) == 2
    dialog.list.setCurrentRow(0)
    assert dialog.name.text() == first  # nothing was saved
    dialog.reject()
    assert len(clerk.asked) == 2 and not dialog.isVisible()
