"""The operations layer: one transaction per change, one error policy, one announcement."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget

import desk_league.ui
from desk_league.data.models import Setting
from desk_league.errors import ValidationError
from desk_league.services.settings import get_setting, set_setting
from desk_league.ui.operations import (
    Changed,
    Op,
    change,
    hub,
    long_change,
    long_query,
    query,
    read,
)


@pytest.fixture
def heard(qtbot, db):
    """Every announcement the hub makes during the test."""
    news: list[Changed] = []

    def listen(changes, _who):
        news.append(changes)

    hub().changed.connect(listen)
    yield news
    hub().changed.disconnect(listen)


@pytest.fixture
def boxes(monkeypatch) -> list[tuple[str, str]]:
    """Warnings and apologies the clerk was shown, as (kind, text)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(("warning", text))
    )
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(("critical", text))
    )
    return shown


def test_a_change_is_saved_and_announced_before_its_success_runs(db, heard):
    order: list[str] = []

    def listen(*_):
        order.append("announced")

    hub().changed.connect(listen)
    change(None, lambda s: set_setting(s, "office_name", "某某团委"), Changed.SETTINGS).success(
        lambda _: order.append("success")
    ).run()
    hub().changed.disconnect(listen)
    assert read(lambda s: get_setting(s, "office_name")) == "某某团委"
    assert heard[-1] == Changed.SETTINGS
    assert order[-2:] == ["announced", "success"]


def test_a_refused_change_saves_nothing_and_shows_its_own_message(db, heard, boxes):
    def refuse(session):
        set_setting(session, "office_name", "不该保存")
        raise ValidationError("单位名称不能为空。", field="单位名称")

    change(None, refuse, Changed.SETTINGS, action="保存").run()
    assert read(lambda s: get_setting(s, "office_name")) != "不该保存"
    assert boxes == [("warning", "保存失败：\n“单位名称”：单位名称不能为空。")]
    assert Changed.SETTINGS not in heard


def test_an_unexpected_error_shows_an_apology_and_logs_the_traceback(db, boxes, log_file):
    def broken(session):
        raise RuntimeError("SELECT * FROM person WHERE id_number = '11010519491231002X'")

    change(None, broken, Changed.PEOPLE, action="保存").run()
    [(kind, text)] = boxes
    assert kind == "critical"
    assert "SELECT" not in text and "11010519491231002X" not in text
    assert "日志" in text
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError" in logged
    assert "110105********002X" in logged and "11010519491231002X" not in logged


def test_two_pcs_saving_the_same_record_get_a_message_without_sql(db, boxes, log_file):
    def clash(session):  # what a second PC's insert of the same key looks like to us
        session.add(Setting(key="clash", value=1))
        session.flush()
        session.expunge_all()
        session.add(Setting(key="clash", value=2))

    change(None, clash, Changed.SETTINGS, action="保存").run()
    [(kind, text)] = boxes
    assert kind == "warning" and "冲突" in text
    assert "INSERT" not in text and "UNIQUE" not in text.upper()
    assert "IntegrityError" in log_file.read_text(encoding="utf-8")


def test_a_long_change_runs_in_the_background_and_reports_its_result(qtbot, db, heard):
    results: list[str] = []

    def work(session, progress):
        progress.step(1, 2)
        set_setting(session, "office_name", "后台保存")
        return "done"

    long_change(None, "保存设置", work, Changed.SETTINGS).success(results.append).run()
    qtbot.waitUntil(lambda: results == ["done"])
    assert heard[-1] == Changed.SETTINGS
    assert read(lambda s: get_setting(s, "office_name")) == "后台保存"


def test_queries_read_without_committing(qtbot, db):
    seen: list[str] = []
    query(None, lambda s: get_setting(s, "office_name")).success(seen.append).run()
    long_query(None, "读取", lambda s, _p: get_setting(s, "office_name")).success(seen.append).run()
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[0] == seen[1]


def test_work_for_a_closed_screen_still_announces_but_calls_nobody(qtbot, db, heard):
    screen = QWidget()
    called: list[object] = []
    op = Op(screen, lambda _p: "ready", changes=Changed.HONOURS).success(called.append)
    shiboken6.delete(screen)
    op.run()
    assert called == [] and heard[-1] == Changed.HONOURS


UI = Path(desk_league.ui.__file__).parent


def test_no_screen_imports_the_data_layer_or_opens_a_session_itself():
    """Screens reach the data through operations only (the layer rule, checked on the source)."""
    for module in sorted(UI.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        ]
        assert not [m for m in imported if m and m.startswith("desk_league.data")], module.name
        opened = [
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("transaction", "reading")
        ]
        assert opened == [] or module.name == "operations.py", module.name
