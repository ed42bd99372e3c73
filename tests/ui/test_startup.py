"""Starting the app: the window shows at once, the data fills in, problems are explained."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox

from desk_league.data.db import open_database
from desk_league.ui.app import create_application, open_database_into
from desk_league.ui.main_window import MainWindow


def _shell(qtbot) -> MainWindow:
    create_application([])
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def test_window_shows_before_the_data_and_fills_in_with_a_demo_on_first_run(qtbot, tmp_path):
    window = _shell(qtbot)
    assert isinstance(window.tabs.widget(0), QLabel)
    assert not window.menuBar().isEnabled()
    open_database_into(window, tmp_path / "new.db", demo_if_new=True)
    qtbot.waitUntil(lambda: window.db is not None, timeout=20_000)
    assert window.menuBar().isEnabled()
    assert [t.title for t in window.all_tabs()][:6] == [
        "总览",
        "工作计划",
        "活动",
        "志愿者",
        "荣誉",
        "团组织",
    ]
    assert "new.db" in window.statusBar().currentMessage()
    window.db.close()


def test_a_database_open_elsewhere_is_explained_and_the_window_closes(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "office.db"
    holder = open_database(path)
    told = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: told.append(a[2]))
    window = _shell(qtbot)
    open_database_into(window, path)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "只能打开一个" in told[0]
    assert window.db is None and not window.isVisible()
    holder.close()


def test_a_damaged_database_offers_the_newest_backup_and_keeps_the_damaged_file(
    qtbot, tmp_path, monkeypatch
):
    path = tmp_path / "office.db"
    open_database(path).close()
    open_database(path).close()  # the second start leaves a backup
    path.write_bytes(b"garbage" * 1000)
    asked = []
    monkeypatch.setattr(
        "desk_league.ui.app.choose", lambda _w, text, options: asked.append((text, options)) or 0
    )
    window = _shell(qtbot)
    open_database_into(window, path)
    qtbot.waitUntil(lambda: window.db is not None, timeout=10_000)
    text, options = asked[0]
    assert "已损坏" in text and options == ["用最新的备份恢复", "退出"]
    assert (tmp_path / "office.db.damaged").read_bytes() == b"garbage" * 1000
    window.db.close()
