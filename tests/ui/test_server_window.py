"""The window on a database shared on a PostgreSQL server: the menus say what a backup, a
restore and a check do there, and they do it (a logical backup kept as a .zip, a restore that
waits for the other PCs to close, a check that says what it looked at)."""

from __future__ import annotations

import zipfile

import pytest
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from desk_league.data.db import open_database
from desk_league.data.models import Organisation
from tests.conftest import _close, _server_copy, menu_item


@pytest.fixture
def server_window(qtbot, request):
    from desk_league.ui.app import create_application
    from desk_league.ui.main_window import MainWindow

    database, drop = _server_copy(request, "_pg_demo")
    create_application([])
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    _close(database)
    drop()


def test_the_menus_say_what_applies_to_a_server_database(server_window, qtbot, told):
    assert "PostgreSQL 服务器" in server_window.windowTitle()
    assert menu_item(server_window, "备份服务器数据库（逻辑备份，存到本机）…")
    assert menu_item(server_window, "从备份文件恢复服务器数据库…")
    menu_item(server_window, "检查服务器数据库（连接、数据结构、逐表读取）").trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "检查通过" in told[0] and "未在此检查" in told[0]


def test_a_server_backup_from_the_menu_restores_and_waits_for_other_pcs(
    server_window, qtbot, told, tmp_path, monkeypatch
):
    backup = tmp_path / "服务器备份.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(backup), ""))
    menu_item(server_window, "备份服务器数据库（逻辑备份，存到本机）…").trigger()
    qtbot.waitUntil(lambda: any("已备份到" in m for m in told), timeout=20_000)
    assert "desk_league.db" in zipfile.ZipFile(backup).namelist()

    db = server_window.db
    with db.transaction() as session:
        org = session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
        org_id, name = org.id, org.name
        org.name = "改错了的名称"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    another_pc = open_database(url=db.url)  # has the database open: the restore must wait
    try:
        menu_item(server_window, "从备份文件恢复服务器数据库…").trigger()
        qtbot.waitUntil(lambda: any("其他电脑上的团委工作台" in m for m in told), timeout=20_000)
    finally:
        another_pc.close()
    with db.reading() as session:
        assert session.get(Organisation, org_id).name == "改错了的名称"

    menu_item(server_window, "从备份文件恢复服务器数据库…").trigger()
    qtbot.waitUntil(lambda: any("已从备份恢复" in m for m in told), timeout=20_000)
    with db.reading() as session:
        assert session.get(Organisation, org_id).name == name
