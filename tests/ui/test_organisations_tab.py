"""The 团组织 tab: the tree with its 换届 states, members per branch, the forms, the registers."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from desk_league.data.models import Organisation
from desk_league.domain.codes import OrgKind
from desk_league.ui.organisation_dialog import OrganisationDialog, TermYearsDialog
from desk_league.ui.organisations_tab import URGENCY_COLOURS, OrganisationsTab
from tests.conftest import DEMO_TODAY, lists_read
from tests.ui.shots import shot


@pytest.fixture
def tab(qtbot, demo_db):
    widget = OrganisationsTab(today=DEMO_TODAY)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.ensure_loaded()
    lists_read(qtbot)
    return widget


def _org_id(db, name: str) -> int:
    with db.reading() as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


def _click_row(qtbot, view, index) -> None:
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def test_the_tree_nests_branches_under_their_committee_and_colours_overdue_terms(tab):
    model = tab.tree_model
    assert model.rowCount() == 1
    root = model.index(0, 0)
    assert model.data(root) == "市卫生健康委团委"
    children = [model.data(model.index(r, 0, root)) for r in range(model.rowCount(root))]
    assert "市人民医院团委" in children and len(children) == 20
    hospital = model.index(children.index("市人民医院团委"), 0, root)
    branches = [model.data(model.index(r, 0, hospital)) for r in range(model.rowCount(hospital))]
    assert "市人民医院内科团支部" in branches
    state_column = [c.key for c in model.columns].index("state")
    overdue = next(
        model.index(r, 0, hospital)
        for r in range(model.rowCount(hospital))
        if model.data(model.index(r, state_column, hospital)) == "已超期"
    )
    assert model.data(overdue, Qt.ItemDataRole.ForegroundRole) == QColor(URGENCY_COLOURS[3])
    assert "请尽快换届" in model.data(overdue, Qt.ItemDataRole.ToolTipRole)
    assert "超期未换届" in tab.summary.text()


def test_clicking_a_branch_shows_only_its_members(qtbot, tab, demo_db):
    everyone = tab.members.model.total
    org_id = _org_id(demo_db, "市人民医院内科团支部")
    _click_row(qtbot, tab.tree, tab.tree_model.index_of(org_id))
    lists_read(qtbot)
    model = tab.members.model
    assert 0 < model.total < everyone
    assert {model.row_value(r, "organisation") for r in range(model.rowCount())} == {
        "市人民医院内科团支部"
    }
    assert tab.members_label.text() == "市人民医院内科团支部及下级的团员"


def test_a_committee_shows_the_members_of_its_branches_too(qtbot, tab, demo_db):
    org_id = _org_id(demo_db, "市人民医院团委")
    _click_row(qtbot, tab.tree, tab.tree_model.index_of(org_id))
    lists_read(qtbot)
    units = {
        tab.members.model.row_value(r, "organisation") for r in range(tab.members.model.rowCount())
    }
    assert {"市人民医院团委", "市人民医院内科团支部"} <= units


def test_the_reminders_page_lists_missing_and_overdue_terms_first(tab):
    model = tab.reminder_model
    states = [model.data(model.index(r, 3)) for r in range(model.rowCount())]
    assert states and states[0] == "未填写换届时间"
    assert "已超期" in states and "正常" not in states
    assert tab.details.tabText(1) == f"换届提醒（{model.rowCount()}）"


def test_the_form_refuses_an_organisation_without_a_name(qtbot, demo_db, told):
    dialog = OrganisationDialog(None, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert "请填写团组织名称" in told[0] and dialog.isVisible()


def test_recording_a_new_term_clears_the_overdue_state(qtbot, tab, demo_db):
    org_id = _org_id(demo_db, "市疾病预防控制中心团总支")
    dialog = OrganisationDialog(org_id, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    assert dialog.term_start.value() is not None
    dialog.term_start.set_value(date(2026, 11, 20))
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    tab.refresh()
    index = tab.tree_model.index_of(org_id)
    row = tab.tree_model.row_for(index)
    assert row.values["state"] == "正常" and row.values["term_end"] == date(2028, 11, 20)


def test_term_years_are_set_per_kind_from_the_tab(qtbot, tab, demo_db):
    dialog = TermYearsDialog()
    qtbot.addWidget(dialog)
    dialog.spins[OrgKind.COUNCIL].setValue(5)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    tab.refresh()
    row = tab.tree_model.row_for(tab.tree_model.index_of(_org_id(demo_db, "市人民医院团委")))
    assert row.values["term_years"] == 5 and row.values["term_end"] == date(2030, 1, 21)


def test_a_term_outside_its_kinds_range_is_refused_and_a_student_branch_takes_one_year(
    qtbot, demo_db, told
):
    dialog = OrganisationDialog(None, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("市卫生学校护理学生团支部")
    dialog.kind.setCurrentIndex(dialog.kind.findData(OrgKind.GENERAL))
    assert not dialog.student.isEnabled()  # only a 团支部 can be a student branch
    dialog.term_years.setValue(4)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "团总支每届任期应为2至3年，填写的是4年" in told[-1] and dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData(OrgKind.BRANCH))
    dialog.student.setChecked(True)
    dialog.term_years.setValue(1)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with demo_db.reading() as session:
        org = session.get(Organisation, _org_id(demo_db, "市卫生学校护理学生团支部"))
        assert org.student and org.term_years == 1


def test_the_office_widens_a_range_in_the_term_settings(qtbot, tab, demo_db, told):
    dialog = TermYearsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.spins[OrgKind.BRANCH].setValue(1)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "团支部每届任期应为2至3年，填写的是1年" in told[-1] and dialog.isVisible()
    dialog.ranges[OrgKind.BRANCH][0].setValue(1)  # the rules changed: 团支部 from one year
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with demo_db.reading() as session:
        from desk_league.services.organisations import term_year_ranges, term_years_setting

        assert term_year_ranges(session)[OrgKind.BRANCH] == (1, 3)
        assert term_years_setting(session)[OrgKind.BRANCH] == 1


def test_the_terms_table_is_exported_from_the_tab(qtbot, tab, tmp_path, told, monkeypatch):
    import openpyxl
    from PySide6.QtWidgets import QFileDialog, QToolButton

    out = tmp_path / "换届.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(tab.findChild(QToolButton, "export_terms"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("已导出" in m for m in told), timeout=10_000)
    assert openpyxl.load_workbook(out).active["A1"].value == "市直卫生系统团组织换届情况表"


def test_a_new_branch_is_created_under_the_selected_committee(qtbot, tab, demo_db, typist):
    parent_id = _org_id(demo_db, "市中医医院团委")
    dialog = OrganisationDialog(None, parent_id=parent_id, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    assert dialog.parent_combo.currentData() == parent_id
    typist(dialog.name, "市中医医院药剂团支部")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    tab.refresh()
    new_id = _org_id(demo_db, "市中医医院药剂团支部")
    index = tab.tree_model.index_of(new_id)
    assert tab.tree_model.row_for(index.parent()).id == parent_id
    assert tab.tree_model.row_for(index).values["state"] == "未填写换届时间"


def test_the_secretary_is_chosen_from_the_members_of_the_branch(qtbot, tab, demo_db):
    org_id = _org_id(demo_db, "市人民医院内科团支部")
    dialog = OrganisationDialog(org_id, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    combo = dialog.secretary
    candidates = [combo.itemText(i).split("（")[0] for i in range(1, combo.count())]
    _click_row(qtbot, tab.tree, tab.tree_model.index_of(org_id))
    lists_read(qtbot)
    model = tab.members.model
    assert sorted(candidates) == sorted(model.row_value(r, "name") for r in range(model.rowCount()))
    other = next(i for i in range(1, combo.count()) if i != combo.currentIndex())
    combo.setCurrentIndex(other)
    chosen = combo.currentText().split("（")[0]
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    row = tab.tree_model.row_for(tab.tree_model.index_of(org_id))
    assert row.values["secretary"] == chosen  # the tab reloaded on the change it announced


def test_an_empty_database_shows_what_the_tree_will_hold_and_how_to_fill_it(qtbot, db):
    widget = OrganisationsTab(today=DEMO_TODAY)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.ensure_loaded()
    assert widget.tree_stack.currentWidget() is widget.tree_empty
    assert widget.tree_empty.action_texts() == ["新建团委…", "从 Excel 导入名单…", "下载导入模板…"]
    shot(widget, "organisations_empty")
