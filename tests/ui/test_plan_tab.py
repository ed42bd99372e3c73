"""The plan tab as the clerk uses it: clicks and keys, with dialogs answered by monkeypatch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QInputDialog,
    QPushButton,
    QToolButton,
)

from desk_league.domain.codes import ActivityStatus, PlanItemStatus
from desk_league.ui.forms import ListPickerDialog
from desk_league.ui.plan_import_dialog import PlanImportDialog
from desk_league.ui.plan_tab import PlanTab
from tests.conftest import lists_read

SEED = Path(__file__).parents[1] / "data" / "seed_plan.txt"


def _shot(widget, name: str) -> None:
    """Screenshots for review when DESK_LEAGUE_SHOTS names a folder."""
    if os.environ.get("DESK_LEAGUE_SHOTS"):
        folder = Path(os.environ["DESK_LEAGUE_SHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(folder / f"{name}.png"))


@pytest.fixture
def tab(qtbot, db, told) -> PlanTab:
    from desk_league.ui.app import create_application

    create_application([])
    widget = PlanTab()
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    widget.ensure_loaded()
    return widget


def click(qtbot, tab, name: str) -> None:
    button = tab.findChild(QToolButton, name) or tab.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def headings(tab) -> list[str]:
    return [f"{r.number}{r.title}" for r in tab.tree_data.rows]


def name_current(qtbot, tab, title: str) -> None:
    tab.pane.title.selectAll()
    tab.pane.title.insert(title)  # QTest can only type ASCII; this is what an input method does
    click(qtbot, tab.pane, "item_save")


def test_create_a_plan_by_hand_with_keyboard_and_buttons(qtbot, tab):
    assert tab.stack.currentIndex() == 0  # no plan yet: the empty page offers ways to start
    click(qtbot, tab, "plan_new")
    assert tab.stack.currentIndex() == 1
    click(qtbot, tab, "plan_add_section")
    name_current(qtbot, tab, "思想引领")
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    name_current(qtbot, tab, "五四主题演讲比赛")
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    name_current(qtbot, tab, "形势政策报告会")
    assert headings(tab) == ["一、思想引领", "1、五四主题演讲比赛", "2、形势政策报告会"]
    assert tab.rows[tab.current_id()].title == "形势政策报告会"
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert headings(tab)[1:] == ["1、形势政策报告会", "2、五四主题演讲比赛"]
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)  # Enter on the title column: edit in the pane
    assert tab.pane.title.hasFocus()
    qtbot.keyClick(tab.pane.title, Qt.Key.Key_Delete)  # Del while typing deletes a character only
    qtbot.keyClick(tab.pane.lead_unit, Qt.Key.Key_Delete)  # …and never the item, from any field
    assert len(headings(tab)) == 3


def test_reorder_indent_and_delete(qtbot, tab):
    click(qtbot, tab, "plan_new")
    click(qtbot, tab, "plan_add_section")
    name_current(qtbot, tab, "思想引领")
    for title in ("演讲比赛", "报告会", "参观学习"):
        click(qtbot, tab, "plan_add_task")
        name_current(qtbot, tab, title)
    click(qtbot, tab, "plan_move_up")
    assert headings(tab) == ["一、思想引领", "1、演讲比赛", "2、参观学习", "3、报告会"]
    click(qtbot, tab, "plan_indent")  # 参观学习 stays selected and goes under 演讲比赛
    assert headings(tab) == ["一、思想引领", "1、演讲比赛", "（1）参观学习", "2、报告会"]
    click(qtbot, tab, "plan_outdent")
    assert headings(tab) == ["一、思想引领", "1、演讲比赛", "2、参观学习", "3、报告会"]
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert headings(tab) == ["一、思想引领", "1、演讲比赛", "2、报告会"]


def test_change_status_in_the_tree_and_the_section_bar_follows(qtbot, tab):
    click(qtbot, tab, "plan_new")
    click(qtbot, tab, "plan_add_section")
    name_current(qtbot, tab, "组织建设")
    for title in ("按时换届", "团干部培训"):
        click(qtbot, tab, "plan_add_task")
        name_current(qtbot, tab, title)
    task_id = tab.current_id()
    status_index = tab.model.index_of(task_id, 5)
    tab.view.setCurrentIndex(status_index)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)  # Enter edits the cell in place
    editor = tab.view.viewport().findChild(QComboBox)
    assert editor is not None
    editor.setCurrentText("已完成")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.rows[task_id].status == PlanItemStatus.DONE)
    section = next(r for r in tab.rows.values() if r.title == "组织建设")
    assert tab.rows[task_id].progress == 100
    assert section.progress == 50 and section.status == PlanItemStatus.ONGOING
    assert tab.overall.value() == 50


def test_detail_pane_refuses_a_bad_date_and_keeps_the_old_value(qtbot, tab, told):
    click(qtbot, tab, "plan_new")
    click(qtbot, tab, "plan_add_section")
    name_current(qtbot, tab, "志愿服务")
    tab.pane.due_date.setText("三月初")
    click(qtbot, tab.pane, "item_save")
    assert any("完成时限" in text for text in told)
    assert tab.rows[tab.current_id()].due_date is None


def test_filter_overdue_on_the_demo_plan(qtbot, main_window):
    tab = main_window.tab(PlanTab)
    main_window.tabs.setCurrentWidget(tab)
    all_rows = len(tab.tree_data.rows)
    qtbot.mouseClick(tab.overdue_filter, Qt.MouseButton.LeftButton)
    shown = tab.tree_data.rows
    tasks = [r for r in shown if not r.has_children and r.parent_id is not None]
    assert tasks and len(shown) < all_rows
    assert all(r.overdue for r in tasks)
    tab.search.setText("推优")
    qtbot.waitUntil(lambda: len(tab.tree_data.rows) <= 2)


def test_export_register_and_pdf_from_the_toolbar(qtbot, tab, tmp_path, monkeypatch, told):
    click(qtbot, tab, "plan_new")
    click(qtbot, tab, "plan_add_section")
    name_current(qtbot, tab, "思想引领")
    xlsx, pdf = tmp_path / "推进表.xlsx", tmp_path / "计划.pdf"
    for target, button in ((xlsx, "plan_export_xlsx"), (pdf, "plan_export_pdf")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        click(qtbot, tab, button)
        qtbot.waitUntil(lambda t=target: any(str(t) in text for text in told), timeout=20000)
    sheet = load_workbook(xlsx).worksheets[0]
    assert sheet["A4"].value == "一、思想引领"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_import_dialog_previews_the_seed_and_saves_it(qtbot, tab):
    dialog = PlanImportDialog(2026, tab)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("鸡蛋\n牛奶")
    dialog.recognise()
    assert not dialog.save_button.isEnabled()
    assert "没有识别出任何带编号的标题" in dialog.summary.text()
    dialog.text.setPlainText(SEED.read_text("utf-8"))
    dialog.recognise()
    assert dialog.save_button.isEnabled()
    assert "板块 10 个，事项 38 项（其中由正文拆出 28 项）" in dialog.summary.text()
    assert dialog.model.rowCount() == 10
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported_year == 2026)
    tab._show_year(2026)
    assert tab.plan_title.text().startswith("卫生局团委的工作计划")
    assert len([r for r in tab.tree_data.rows if r.kind == "task"]) == 38


def _select_preview_row(qtbot, dialog, title: str):
    row_id = next(i for i, item in dialog.items.items() if item.title == title)
    index = dialog.model.index_of(row_id)
    dialog.preview.scrollTo(index)
    rect = dialog.preview.visualRect(index)
    qtbot.mouseClick(dialog.preview.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.selected_item().title == title


def test_clerk_checks_the_proposed_tasks_and_their_key_dates_before_saving(qtbot, tab):
    dialog = PlanImportDialog(2026, tab)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 720)
    dialog.show()
    dialog.text.setPlainText(SEED.read_text("utf-8"))
    dialog.recognise()
    shown = {
        dialog.model.row_for(index).values["heading"]: dialog.model.row_for(index).values
        for index in _all_indexes(dialog.model)
    }
    assert shown["8、开展志愿者品牌宣传活动"]["key_date"] == "国际志愿者日→2026-12-05"
    tips = {
        dialog.model.row_for(index).values["heading"]: dialog.model.row_for(index).tooltip
        for index in _all_indexes(dialog.model)
    }  # a long key date's name is cut in its column, whole in the tooltip
    assert "关联节点：国际志愿者日→2026-12-05" in tips["8、开展志愿者品牌宣传活动"]
    assert shown["6、开展志愿者服务老年人活动"]["time"] == "九九老人节期间"
    assert shown["6、开展志愿者服务老年人活动"]["kind"] == "推测事项"
    _shot(dialog, "plan_import_proposed")
    _select_preview_row(qtbot, dialog, "成立xx市青年志愿者协会卫生分会")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    _select_preview_row(qtbot, dialog, "开展共青团工作宣传活动")
    qtbot.mouseClick(dialog.drop_button, Qt.MouseButton.LeftButton)
    _select_preview_row(qtbot, dialog, "积极参与全国城市公共文明指数测评志愿服务活动")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    section = next(item for item in dialog.parsed.items if item.number == "三、")
    titles = [t.title for t in section.children]
    assert "开展共青团工作宣传活动" not in titles
    assert "积极参与全国城市公共文明指数测评志愿服务活动" not in titles
    assert not section.children[0].proposed
    assert "事项 36 项（其中由正文拆出 25 项）" in dialog.summary.text()
    assert not dialog.accept_button.isEnabled() or dialog.selected_item().proposed


def _all_indexes(model, parent=None):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from _all_indexes(model, index)


def _demo_plan_tab(main_window):
    tab = main_window.tab(PlanTab)
    main_window.tabs.setCurrentWidget(tab)
    return tab


def _click_row(qtbot, tab, title: str) -> int:
    row = next(r for r in tab.rows.values() if r.title == title)
    rect = tab.view.visualRect(tab.model.index_of(row.id))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.current_id() == row.id
    return row.id


def test_link_a_finished_activity_then_mark_the_task_done_in_one_click(
    qtbot, main_window, monkeypatch
):
    tab = _demo_plan_tab(main_window)
    task_id = _click_row(qtbot, tab, "督促指导团组织按时换届")
    assert tab.rows[task_id].evidence == 0

    def choose_a_finished_activity(picker):
        lists_read(qtbot)  # the clerk waits for the activities to be listed
        model = picker.table.model
        row = next(
            r
            for r in range(model.rowCount())
            if model.row_value(r, "status") == ActivityStatus.DONE
        )
        picker.table.view.selectRow(row)
        picker.accept()
        return 1

    monkeypatch.setattr(ListPickerDialog, "exec", choose_a_finished_activity)
    click(qtbot, tab.pane, "link_activities")
    lists_read(qtbot)
    assert tab.rows[task_id].evidence == 1
    assert "1 项，已完成 1 项" in tab.pane.evidence_box.title()
    assert tab.pane.evidence.model.total == 1
    click(qtbot, tab.pane, "complete_from_evidence")
    assert (tab.rows[task_id].status, tab.rows[task_id].progress) == (PlanItemStatus.DONE, 100)


def test_copy_the_plan_to_next_year_resets_every_task(qtbot, main_window, monkeypatch):
    tab = _demo_plan_tab(main_window)
    year = tab.current_year()
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (year + 1, True))
    click(qtbot, tab, "plan_copy")
    assert tab.current_year() == year + 1
    tasks = [r for r in tab.rows.values() if r.kind == "task"]
    assert len(tasks) > 30
    assert {r.status for r in tasks} == {PlanItemStatus.TODO} and tab.overall.value() == 0


def test_a_word_plan_opens_in_the_background_with_its_automatic_numbers(qtbot, tab, tmp_path):
    from tests.imports._plans import automatic_numbering_docx

    dialog = PlanImportDialog(2026, tab)
    qtbot.addWidget(dialog)
    dialog.open_file(str(automatic_numbering_docx(tmp_path / "计划.docx")))
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10000)
    assert dialog.year.value() == 2027  # the title's year
    assert [item.number + item.title for item in dialog.parsed.items] == [
        "一、思想引领",
        "二、志愿服务",
    ]


def test_import_dialog_hints_of_a_long_attachment_list_scroll_below_the_preview(qtbot, tab):
    attachments = "\n".join(f"{n}.附表{n}" for n in range(2, 16))
    dialog = PlanImportDialog(2026, tab)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 700)
    dialog.show()
    dialog.text.setPlainText(
        "2027年工作计划\n一、思想引领\n1.五四前后举办座谈会。\n"
        f"附件：1.附表1\n{attachments}\n共青团某医院委员会\n2027年1月8日\n"
    )
    dialog.recognise()
    qtbot.wait(50)
    assert "第 19 行未导入（文末的附件与落款）" in dialog.summary.text()
    line = dialog.summary.fontMetrics().lineSpacing()
    assert dialog.summary_scroll.height() <= line * 9 + 4
    assert dialog.preview.height() > 300
