"""Starting the app: the window shows at once, the data fills in, problems are explained."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from desk_league.data.backup import list_backups
from desk_league.data.db import open_database
from desk_league.data.integrity import find_problems
from desk_league.data.sqlite_files import fingerprint
from desk_league.errors import DatabaseUnavailable
from desk_league.ui.app import create_application, open_database_into
from desk_league.ui.background import background_jobs_running
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
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles[:6] == ["总览", "工作计划", "活动", "志愿者", "荣誉", "团组织"]
    assert [t.title for t in window.all_tabs()] == ["总览"]  # the others when first shown
    window.tabs.setCurrentIndex(3)
    assert [t.title for t in window.all_tabs()] == ["总览", "志愿者"]
    assert window.tabs.currentWidget().title == "志愿者"
    assert "new.db" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: background_jobs_running() == 0, timeout=20_000)
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


def _opened(qtbot, path, **kwargs) -> MainWindow:
    window = _shell(qtbot)
    open_database_into(window, path, **kwargs)
    qtbot.waitUntil(lambda: window.db is not None, timeout=20_000)
    qtbot.waitUntil(lambda: background_jobs_running() == 0, timeout=20_000)
    return window


def test_the_start_backup_follows_the_window_and_an_unchanged_start_writes_none(
    qtbot, tmp_path, _demo_file
):
    path = tmp_path / "office.db"
    shutil.copyfile(_demo_file, path)
    window = _opened(qtbot, path)
    assert "已自动备份" in window.statusBar().currentMessage()
    window.close()
    window.db.close()
    before = (fingerprint(path), list_backups(path))

    window = _opened(qtbot, path)  # nothing changed since that backup
    for index in range(window.tabs.count()):  # the clerk looks at every tab, changes nothing
        window.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: background_jobs_running() == 0, timeout=20_000)
    window.close()
    window.db.close()
    assert (fingerprint(path), list_backups(path)) == before and len(before[1]) == 1


def test_an_empty_database_file_can_start_afresh_and_is_kept_aside(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "office.db"
    path.touch()
    asked = []
    monkeypatch.setattr(
        "desk_league.ui.app.choose",
        lambda _w, text, options: (
            asked.append((text, options)) or options.index("作为新数据库开始")
        ),
    )
    window = _opened(qtbot, path)
    text, options = asked[0]
    assert "0 字节" in text and options == ["作为新数据库开始", "退出"]  # no backup to offer
    assert (tmp_path / "office.db.empty").stat().st_size == 0
    assert window.db.storage.created
    window.db.close()


def test_a_database_the_clerk_may_not_use_offers_to_try_again(qtbot, tmp_path, monkeypatch):
    from desk_league.services import startup

    path = tmp_path / "office.db"
    real_open = startup.open_office_database
    attempts = []

    def denied_once(*args, **kwargs):
        attempts.append(args)
        if len(attempts) == 1:
            raise DatabaseUnavailable(
                f"无法在数据库所在的文件夹 {tmp_path} 中创建文件：没有写入权限。"
            )
        return real_open(*args, **kwargs)

    monkeypatch.setattr(startup, "open_office_database", denied_once)
    asked = []
    monkeypatch.setattr(
        "desk_league.ui.app.choose", lambda _w, text, options: asked.append((text, options)) or 0
    )
    window = _opened(qtbot, path)
    assert asked[0][1] == ["重试", "退出"] and "没有写入权限" in asked[0][0]
    assert len(attempts) == 2 and window.isVisible()
    window.db.close()


def test_damage_found_after_the_window_opens_is_restored_from_the_newest_sound_backup(
    qtbot, tmp_path, _demo_file, monkeypatch, told
):
    path = tmp_path / "office.db"
    shutil.copyfile(_demo_file, path)
    open_database(path).close()  # the start backup
    with sqlite3.connect(path) as conn:
        try:
            pages = [
                p
                for (p,) in conn.execute(
                    "SELECT pageno FROM dbstat WHERE name = 'ix_audit_log_table_row'"
                )
            ]
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as file:  # an index no screen reads at start: the tabs still open
        for page in pages:
            file.seek((page - 1) * page_size)
            file.write(b"\xff" * page_size)
    damaged = path.read_bytes()
    asked = []
    monkeypatch.setattr(
        "desk_league.ui.app.choose", lambda _w, text, options: asked.append((text, options)) or 0
    )

    window = _opened(qtbot, path)
    qtbot.waitUntil(lambda: any("已从备份恢复" in line for line in told), timeout=20_000)

    text, options = asked[0]
    assert "完整性检查发现问题" in text and options == ["用备份恢复", "暂不处理"]
    assert (tmp_path / "office.db.damaged").read_bytes() == damaged
    assert find_problems(path) == []
    window.close()
    window.db.close()


def test_the_file_menu_says_how_much_room_the_backups_take(main_window):
    from desk_league.services.maintenance import backup_before

    backup_before(main_window.db, "import")
    file_menu = main_window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()
    assert main_window.backups_size.text().startswith("自动备份 1 份，共 ")
    assert main_window.backups_size.text().endswith("KB") or "MB" in main_window.backups_size.text()
