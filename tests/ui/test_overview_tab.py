"""The 总览 as the clerk meets it each morning: reminders that lead to records, charts, reports."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QToolButton,
    QTreeView,
)

from desk_league.services import overview
from desk_league.services.statistics import annual_statistics
from desk_league.ui.overview_tab import OverviewTab
from tests.conftest import lists_read

DEMO_TODAY = date(2026, 11, 26)


@pytest.fixture
def tab(main_window, qtbot) -> OverviewTab:
    main_window.resize(1400, 860)  # the size of the office's screen, whatever the last test left
    tab = main_window.tab(OverviewTab)
    tab.today = lambda: DEMO_TODAY
    tab.year_box.setValue(DEMO_TODAY.year)
    main_window.tabs.setCurrentWidget(tab)  # the window reopens on the tab last used
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()  # the figures are counted in the background
    return tab


def _open_group(tab, group) -> None:
    """The clerk opens a group (a long one starts folded: its rows are made when opened)."""
    view = tab.findChild(QTreeView, "overview_reminders")
    view.expand(group)
    QApplication.processEvents()


def _reminder_rows(tab) -> dict[str, list[str]]:
    """Group title → the titles listed under it, once opened."""
    model = tab.reminders
    groups = {}
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        _open_group(tab, group)
        groups[model.data(group)] = [
            model.data(model.index(r, 0, group)) for r in range(model.rowCount(group))
        ]
    return groups


def _click(qtbot, tab, group_prefix: str, title: str) -> None:
    view = tab.findChild(QTreeView, "overview_reminders")
    model = tab.reminders
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        if not model.data(group).startswith(group_prefix):
            continue
        _open_group(tab, group)
        for r in range(model.rowCount(group)):
            index = model.index(r, 0, group)
            if model.data(index) == title:
                view.scrollTo(index)
                QApplication.processEvents()  # the view lays out the scroll before it is drawn
                centre = view.visualRect(index).center()
                assert view.viewport().rect().contains(centre)
                qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
                return
    raise AssertionError(f"{title} not under {group_prefix}")


def test_the_overview_is_the_first_tab_and_lists_what_needs_doing(main_window, tab, demo_db):
    assert main_window.tabs.widget(0) is tab and main_window.tabs.tabText(0) == "总览"
    groups = _reminder_rows(tab)
    titles = list(groups)
    assert titles[0] == "今天及未来30天的重要节点与活动（2）"
    assert groups[titles[0]] == ["国际志愿者日", "2026年国际志愿者日品牌宣传活动"]
    assert "逾期未完成的计划任务（4）" in groups
    assert any(t.startswith("需要换届的团组织") for t in titles)
    with demo_db.reading() as session:
        due = overview.honour_reviews_due(session, DEMO_TODAY)
    assert due  # the demo's collectives were last reviewed in 2025: this year's 年审 is due
    assert groups[f"青年文明号待年审（{len(due)}）"] == [r.title for r in due]
    assert tab.today_label.text() == "今天是 2026年11月26日 星期四"


def test_clicking_an_overdue_task_opens_it_in_the_plan_tab(main_window, tab, qtbot):
    with main_window.db.reading() as session:
        task = overview.overdue_tasks(session, DEMO_TODAY)[0]
    _click(qtbot, tab, "逾期未完成的计划任务", task.title)
    assert main_window.tabs.tabText(main_window.tabs.currentIndex()) == "工作计划"
    plan_tab = main_window.tabs.currentWidget()
    assert plan_tab.current_id() == task.ref.id


def test_clicking_a_branch_due_for_election_opens_it_in_the_organisations_tab(
    main_window, tab, qtbot
):
    with main_window.db.reading() as session:
        branch = overview.terms_due(session, DEMO_TODAY)[0]
    _click(qtbot, tab, "需要换届的团组织", branch.title)
    assert main_window.tabs.tabText(main_window.tabs.currentIndex()) == "团组织"
    assert main_window.tabs.currentWidget().current_id() == branch.ref.id


def test_every_volunteer_under_the_yearly_minimum_is_listed_and_leads_to_the_volunteer(
    main_window, tab, qtbot, demo_db
):
    with demo_db.reading() as session:
        under = annual_statistics(session, 2026, DEMO_TODAY).figure("under_hours")
    title = f"本年服务时长未达标的在册志愿者（{under:g}）"
    view = tab.findChild(QTreeView, "overview_reminders")
    model = tab.reminders
    group = next(
        model.index(g, 0) for g in range(model.rowCount()) if model.data(model.index(g, 0)) == title
    )
    assert not view.isExpanded(group)  # folded, so the shorter groups above stay in view
    assert model.hasChildren(group) and model.rowCount(group) == 0  # made when opened
    groups = _reminder_rows(tab)  # the clerk opens every group
    assert len(groups[title]) == under > 100  # every one of them, none cut to “另有…”
    assert view.isExpanded(group)
    first = model.index(0, 0, group)
    assert "不足 20 小时" in model.data(model.index(0, 2, group))
    _click(qtbot, tab, "本年服务时长未达标", model.data(first))
    lists_read(qtbot)
    volunteers_tab = main_window.tabs.currentWidget()
    assert main_window.tabs.tabText(main_window.tabs.currentIndex()) == "志愿者"
    name = model.data(first).split("（")[0]
    listed = volunteers_tab.volunteers
    assert listed.model.row_value(listed.view.currentIndex().row(), "name") == name


def test_clicking_pending_records_opens_the_volunteers_tab(main_window, tab, qtbot):
    first_unit = _reminder_rows(tab)
    group = next(t for t in first_unit if t.startswith("待审核的志愿服务记录"))
    _click(qtbot, tab, "待审核的志愿服务记录", first_unit[group][0])
    assert main_window.tabs.tabText(main_window.tabs.currentIndex()) == "志愿者"


def test_charts_show_this_years_counts_with_chinese_labels(main_window, tab):
    with main_window.db.reading() as session:
        data = overview.chart_data(session, 2026)
    assert tab.activities_chart.categories()[-1] == "主题教育"  # horizontal bars: first on top
    shown = dict(zip(tab.activities_chart.categories(), tab.activities_chart.values(), strict=True))
    assert shown == {c: n for c, n in data.activities_by_category.items() if n}
    assert (
        "志愿服务" in shown and "宣传信息" not in shown
    )  # none held this year: left out of the chart
    assert tab.hours_month_chart.values() == pytest.approx(data.hours_by_month)
    assert tab.honours_chart.categories() == ["国家级", "省级", "市级", "系统级", "单位级"]
    assert tab.honours_chart.values() == [0, 0, 0, 40, 0]
    assert not tab.honours_chart.empty_note.isVisible()
    # QtCharts ignores the application font unless told: the chart takes the window's font
    assert tab.activities_chart.chart().titleFont().family() == QApplication.font().family()


def test_choosing_last_year_redraws_the_figures_and_charts(main_window, tab, qtbot):
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.year_box.setValue(2025)
    with main_window.db.reading() as session:
        data = overview.chart_data(session, 2025)
    assert tab.hours_month_chart.values() == pytest.approx(data.hours_by_month)
    labels = [tab.figures.itemAt(i).widget().name.text() for i in range(tab.figures.count())]
    assert "2025年已开展活动" in labels


def test_annual_statistics_are_exported_from_the_overview(tab, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "年度统计.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    qtbot.mouseClick(
        tab.findChild(QToolButton, "export_annual_statistics"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "汇总"
    assert book["汇总"]["A1"].value == "2026年度共青团工作统计汇总表"


def test_the_summary_is_edited_kept_and_exported_to_pdf(tab, qtbot, tmp_path, monkeypatch):
    from pypdf import PdfReader

    qtbot.mouseClick(tab.findChild(QToolButton, "open_year_end_summary"), Qt.MouseButton.LeftButton)
    dialog = tab.summary_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(
        lambda: not dialog.editor.isReadOnly(), timeout=10_000
    )  # written in the background
    assert dialog.text.startswith("市卫生健康委团委2026年度工作总结")
    dialog.editor.appendPlainText("补记：全年无安全事故。")
    qtbot.mouseClick(dialog.findChild(QPushButton, "summary_close"), Qt.MouseButton.LeftButton)

    qtbot.mouseClick(tab.findChild(QToolButton, "open_year_end_summary"), Qt.MouseButton.LeftButton)
    again = tab.summary_dialog
    qtbot.addWidget(again)
    assert "补记：全年无安全事故。" in again.text
    assert again.status.text() == "已载入上次保存的草稿。"

    out = tmp_path / "总结.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    qtbot.mouseClick(again.findChild(QPushButton, "summary_export_pdf"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "补记：全年无安全事故。" in text.replace("\n", "")


def test_the_half_year_summary_is_kept_apart_and_exported_to_word(
    tab, qtbot, tmp_path, monkeypatch
):
    from docx import Document
    from PySide6.QtWidgets import QComboBox

    tab.open_year_end_summary()
    dialog = tab.summary_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.editor.isReadOnly(), timeout=10_000)
    dialog.editor.appendPlainText("年度补记。")
    with qtbot.waitSignal(dialog.ready, timeout=10_000):  # the year's words are kept first
        dialog.findChild(QComboBox, "summary_period").setCurrentIndex(1)
    qtbot.waitUntil(lambda: not dialog.editor.isReadOnly(), timeout=10_000)
    assert dialog.windowTitle() == "2026年上半年工作总结（草稿）"
    assert dialog.text.startswith("市卫生健康委团委2026年上半年工作总结")
    assert "三、下半年工作思路" in dialog.text and "年度补记。" not in dialog.text

    out = tmp_path / "上半年.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    qtbot.mouseClick(
        dialog.findChild(QPushButton, "summary_export_docx"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert paragraphs[0] == "市卫生健康委团委2026年上半年工作总结"

    dialog.findChild(QComboBox, "summary_period").setCurrentIndex(0)  # back to the year's
    assert "年度补记。" in dialog.text


def test_regenerating_asks_before_replacing_the_clerks_words(tab, qtbot, monkeypatch):
    tab.open_year_end_summary()
    dialog = tab.summary_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.editor.isReadOnly(), timeout=10_000)
    dialog.editor.setPlainText("我的稿子")
    dialog.editor.document().setModified(True)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog.findChild(QPushButton, "summary_regenerate"), Qt.MouseButton.LeftButton)
    assert dialog.text == "我的稿子"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.ready, timeout=10_000):
        qtbot.mouseClick(
            dialog.findChild(QPushButton, "summary_regenerate"), Qt.MouseButton.LeftButton
        )
        assert not dialog.findChild(QPushButton, "summary_export_pdf").isEnabled()  # while writing
    assert dialog.text.startswith("市卫生健康委团委2026年度工作总结")
    assert dialog.findChild(QPushButton, "summary_export_pdf").isEnabled()


def test_clicking_a_key_date_opens_the_activities_without_selecting_a_stranger(
    main_window, tab, qtbot
):
    _click(qtbot, tab, "今天及未来30天", "国际志愿者日")
    lists_read(qtbot)
    activities = main_window.tabs.currentWidget()
    assert main_window.tabs.tabText(main_window.tabs.currentIndex()) == "活动"
    assert activities.table.current_id() is None
    # a key date's id is not an activity's: even when they are equal numbers, no row is chosen
    listed_activity = activities.table.model.row_id(0)
    assert listed_activity is not None
    main_window.show_record("key_date", listed_activity)
    lists_read(qtbot)
    assert activities.table.current_id() is None


def test_clicking_an_upcoming_activity_selects_it(main_window, tab, qtbot):
    _click(qtbot, tab, "今天及未来30天", "2026年国际志愿者日品牌宣传活动")
    lists_read(qtbot)
    activities = main_window.tabs.currentWidget()
    assert activities.table.search.text() == "2026年国际志愿者日品牌宣传活动"
    row = activities.table.view.currentIndex().row()
    assert activities.table.model.row_value(row, "title") == "2026年国际志愿者日品牌宣传活动"


def test_a_new_office_with_no_records_sees_an_empty_overview(qtbot, db):
    from desk_league.ui.app import create_application
    from desk_league.ui.main_window import MainWindow

    create_application([])
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    tab = window.tab(OverviewTab)
    tab.today = lambda: DEMO_TODAY
    window.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    groups = _reminder_rows(tab)
    assert groups["逾期未完成的计划任务（0）"] == ["没有逾期的计划任务"]
    assert groups["待审核的志愿服务记录（0）"] == ["没有待审核的志愿服务记录"]
    assert groups["本年服务时长未达标的在册志愿者（0）"] == ["在册志愿者本年的服务时长均已达标"]
    assert tab.honours_chart.values() == [0, 0, 0, 0, 0]
    for chart in (tab.activities_chart, tab.hours_month_chart, tab.honours_chart):
        assert chart.empty_note.isVisible(), chart.title  # a note, not axes of zeros
        assert not any(axis.isVisible() for axis in chart.chart().axes()), chart.title
    assert [tab.figures.itemAt(i).widget().number.text() for i in range(tab.figures.count())] == [
        "0"
    ] * 8


def test_a_chart_of_small_counts_ticks_in_whole_numbers(qtbot):
    from PySide6.QtCharts import QValueAxis

    from desk_league.ui.charts import ChartPanel

    chart = ChartPanel("荣誉")
    qtbot.addWidget(chart)
    chart.show_bars(["国家级", "省级"], [1, 2])
    (axis,) = [a for a in chart.chart().axes() if isinstance(a, QValueAxis)]
    assert (axis.min(), axis.max(), axis.tickCount()) == (0, 5, 6)  # 0 1 2 3 4 5


def test_month_values_are_labelled_only_where_neighbours_do_not_run_into_each_other(qtbot):
    from desk_league.ui.charts import ChartPanel

    months = [f"{m}" for m in range(1, 13)]
    chart = ChartPanel("志愿服务时长")
    qtbot.addWidget(chart)
    chart.resize(350, 250)  # the overview's chart on a 1366×768 screen
    chart.show()
    qtbot.waitExposed(chart)
    chart.show_line(months, [20258.5 + 97 * m for m in range(12)])
    (series,) = chart.chart().series()
    assert not series.pointLabelsVisible()  # 20355.5 20452.5 … would overprint
    chart.show_line(months, [3, 0, 12, 5, 8, 1, 0, 2, 9, 4, 6, 7])
    (series,) = chart.chart().series()
    assert series.pointLabelsVisible()  # short values fit between the points
    chart.show_line(months, [20258.5 + 97 * m for m in range(12)])
    chart.resize(1300, 250)
    qtbot.waitUntil(lambda: chart.chart().series()[0].pointLabelsVisible(), timeout=2000)
