"""The long lists as the clerk meets them: rows that stay put while new ones are read, searches
that answer the last keystroke, pages that follow the scroll bar."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desk_league.services.volunteers import SERVICE_RECORDS
from desk_league.ui.base_tab import ListTable
from desk_league.ui.operations import reads_in_flight
from tests.conftest import lists_read


def _records(qtbot, demo_db) -> ListTable:
    table = ListTable(SERVICE_RECORDS)
    qtbot.addWidget(table)
    table.resize(1200, 600)
    table.show()
    table.refresh()
    lists_read(qtbot)
    return table


def test_the_rows_on_screen_stay_while_a_search_is_read_and_the_line_below_says_so(qtbot, demo_db):
    table = _records(qtbot, demo_db)
    before = [table.model.row_id(r) for r in range(table.model.rowCount())]
    assert len(before) == 200 and table.count_label.text() == "共 2000 条"
    name = table.model.row_value(0, "name")
    table.search.setText(name)  # asked at once: no pause for the typing to stop
    assert reads_in_flight() > 0 and table.count_label.text() == "正在读取…"
    assert [table.model.row_id(r) for r in range(table.model.rowCount())] == before
    lists_read(qtbot)
    rows = range(table.model.rowCount())
    assert rows and all(table.model.row_value(r, "name") == name for r in rows)
    assert table.count_label.text() == f"共 {table.model.rowCount()} 条"


def test_only_the_last_keystroke_is_answered(qtbot, demo_db):
    table = _records(qtbot, demo_db)
    name = table.model.row_value(0, "name")
    shown: list[str] = []
    table.model.reloaded.connect(lambda: shown.append(table.model.query.text))
    for end in range(1, len(name) + 1):  # one keystroke after another, none waited for
        table.search.setText(name[:end])
    lists_read(qtbot)
    assert shown == [name]  # the earlier reads were cancelled, none of them reached the screen
    assert all(table.model.row_value(r, "name") == name for r in range(table.model.rowCount()))


def test_scrolling_down_reads_the_next_page_after_the_last_row(qtbot, demo_db):
    table = _records(qtbot, demo_db)
    for pages in (2, 3):
        table.view.scrollToBottom()
        qtbot.waitUntil(lambda pages=pages: table.model.rowCount() == 200 * pages, timeout=10_000)
    dates = [table.model.row_value(r, "served_on") for r in range(table.model.rowCount())]
    ids = [table.model.row_id(r) for r in range(table.model.rowCount())]
    assert dates == sorted(dates, reverse=True) and len(set(ids)) == 600


def test_a_header_sorts_the_long_list_by_an_indexed_column(qtbot, demo_db):
    table = _records(qtbot, demo_db)
    model = table.model
    column = [c.key for c in model.columns].index("place")
    table.view.horizontalHeader().setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    lists_read(qtbot)
    places = [model.row_value(r, "place") for r in range(model.rowCount())]
    assert model.query.sort_key == "place" and places == sorted(places, reverse=True)
    name = [c.key for c in model.columns].index("name")
    assert "不能排序" in model.headerData(
        name, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
