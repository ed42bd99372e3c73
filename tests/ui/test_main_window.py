"""The main window as the clerk meets it: tabs, lists, search, paging, menus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableView, QTreeView

from desk_league.ui.table_model import ListingModel
from tests.conftest import lists_read, menu_item

TAB_TITLES = ["总览", "工作计划", "活动", "志愿者", "荣誉", "团组织"]


def test_the_window_is_in_chinese_with_six_tabs_and_five_menus(main_window):
    titles = [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())]
    assert titles[: len(TAB_TITLES)] == TAB_TITLES
    menus = [a.text() for a in main_window.menuBar().actions()]
    assert menus == ["文件(&F)", "编辑(&E)", "视图(&V)", "工具(&T)", "帮助(&H)"]
    assert str(main_window.db.path) in main_window.statusBar().currentMessage()


def test_switching_to_every_tab_shows_its_rows(main_window, qtbot):
    tab_bar = main_window.tabs.tabBar()
    for index in range(1, len(TAB_TITLES)):
        qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(index).center())
        assert main_window.tabs.currentIndex() == index
        lists_read(qtbot)
        tab = main_window.tabs.currentWidget()
        tables = tab.findChildren(QTableView) + tab.findChildren(QTreeView)  # the plan is a tree
        assert any(t.model() is not None and t.model().rowCount() > 0 for t in tables), TAB_TITLES[
            index
        ]


def _volunteers_table(main_window, qtbot):
    main_window.tabs.setCurrentIndex(TAB_TITLES.index("志愿者"))
    view = main_window.findChild(QTableView, "volunteers_table")
    assert isinstance(view.model(), ListingModel)
    lists_read(qtbot)
    return view


def test_typing_a_name_in_search_filters_the_list_in_sql(main_window, qtbot, typist):
    view = _volunteers_table(main_window, qtbot)
    model = view.model()
    name = model.data(model.index(0, 1))
    search = main_window.findChild(QLineEdit, "volunteers_search")
    typist(search, name)
    assert model.query.text == name  # asked at once, no pause after the typing
    lists_read(qtbot)
    assert 1 <= model.total < 200
    assert all(name in model.data(model.index(r, 1)) for r in range(model.rowCount()))


def test_long_lists_arrive_a_page_at_a_time(main_window, qtbot):
    view = _volunteers_table(main_window, qtbot)
    model = view.model()
    assert model.total == 200 and model.rowCount() == ListingModel.PAGE_SIZE
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 200, timeout=2000)
    assert not model.canFetchMore()


def test_clicking_a_header_sorts_in_sql(main_window, qtbot):
    view = _volunteers_table(main_window, qtbot)
    model = view.model()
    header = view.horizontalHeader()
    column = [c.key for c in model.columns].index("registered_on")
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + _section_centre(header, column),
    )
    lists_read(qtbot)
    dates = [model.data(model.index(r, column), Qt.ItemDataRole.UserRole) for r in range(200)]
    assert model.query.sort_key == "registered_on"
    assert dates == sorted(dates, reverse=model.query.descending)


def test_a_column_no_index_can_sort_says_so_and_keeps_the_order(main_window, qtbot):
    view = _volunteers_table(main_window, qtbot)
    model = view.model()
    header = view.horizontalHeader()
    column = [c.key for c in model.columns].index("total_hours")
    assert "不能排序" in model.headerData(
        column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    before = [model.row_id(r) for r in range(model.rowCount())]
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + _section_centre(header, column),
    )
    lists_read(qtbot)
    assert model.query.sort_key is None and header.sortIndicatorSection() != column
    assert [model.row_id(r) for r in range(model.rowCount())] == before


def _section_centre(header, column):
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    return QPoint(x, header.height() // 2)


def test_organisations_register_is_exported_from_the_tab(main_window, qtbot, tmp_path, monkeypatch):
    import openpyxl
    from PySide6.QtWidgets import QFileDialog, QMessageBox, QToolButton

    out = tmp_path / "名册.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    main_window.tabs.setCurrentIndex(TAB_TITLES.index("团组织"))
    button = main_window.findChild(QToolButton, "export_organisations")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert str(out) in told[0]
    assert openpyxl.load_workbook(out).active["A1"].value.startswith("市直卫生系统团组织")


def test_recycle_bin_restores_a_deleted_organisation(main_window, qtbot):
    from sqlalchemy import select

    from desk_league.data.models import Organisation
    from desk_league.services.organisations import delete_organisation
    from desk_league.ui.recycle_bin_dialog import RecycleBinDialog

    with main_window.db.transaction() as session:
        org_id = session.scalar(
            select(Organisation.id).where(Organisation.name == "市口腔医院团支部")
        )
        delete_organisation(session, org_id)
    dialog = RecycleBinDialog(main_window)
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, 1).text() == "市口腔医院团支部"
    dialog.table.selectRow(0)
    dialog.restore_selected()
    assert dialog.table.rowCount() == 0
    with main_window.db.reading() as session:
        assert session.get(Organisation, org_id).deleted_at is None


def test_the_window_uses_the_system_font_and_the_bundled_one_only_without_chinese(main_window):
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    system_chinese = [
        family
        for family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        if family != "LXGW WenKai"
    ]
    family = QApplication.font().family()
    if system_chinese:  # ID numbers and phones in the system's UI font, not in a Kai hand
        assert family != "LXGW WenKai"
    else:
        assert family == "LXGW WenKai"


def test_windows_offices_get_microsoft_yahei_and_others_their_platform_font():
    from desk_league.ui.app import choose_ui_font

    installed = ["SimSun", "Microsoft YaHei UI", "Microsoft YaHei", "Segoe UI"]
    assert choose_ui_font("win32", installed, ["SimSun", "Microsoft YaHei"]) == (
        "Microsoft YaHei UI",
        False,
    )
    assert choose_ui_font("linux", ["Noto Sans CJK SC"], ["Noto Sans CJK SC"]) == (None, False)
    assert choose_ui_font("win32", ["Segoe UI"], []) == (None, True)  # no Chinese font at all


def test_a_backup_taken_from_the_menu_is_restored_from_the_menu(
    main_window, qtbot, told, tmp_path, monkeypatch
):
    import zipfile

    from PySide6.QtWidgets import QFileDialog
    from sqlalchemy import select

    from desk_league.data.models import Organisation

    backup = tmp_path / "U盘" / "团委工作台备份.zip"
    backup.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(backup), ""))
    menu_item(main_window, "备份数据库…").trigger()
    qtbot.waitUntil(lambda: any("已备份到" in m for m in told), timeout=10_000)
    assert "desk_league.db" in zipfile.ZipFile(backup).namelist()

    db = main_window.db
    with db.transaction() as session:
        org = session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
        org_id, name = org.id, org.name
        org.name = "改错了的名称"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    menu_item(main_window, "从备份文件恢复…").trigger()
    qtbot.waitUntil(lambda: any("已从备份恢复" in m for m in told), timeout=10_000)
    with db.reading() as session:
        assert session.get(Organisation, org_id).name == name


def test_a_broken_backup_file_is_explained_and_the_data_stays(
    main_window, qtbot, told, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    broken = tmp_path / "坏了.zip"
    broken.write_bytes(b"PK not really")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    menu_item(main_window, "从备份文件恢复…").trigger()
    qtbot.waitUntil(lambda: any("坏了.zip" in m for m in told), timeout=10_000)
    assert any("当前数据未被改动" in m for m in told)
