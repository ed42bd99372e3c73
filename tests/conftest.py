"""Fixtures that make a test's world in a line: a fresh database, a demo one, the main window."""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desk_league import logs  # noqa: E402
from desk_league.data.db import Database, open_database  # noqa: E402
from desk_league.services import store  # noqa: E402
from desk_league.services.demo import build_demo  # noqa: E402
from desk_league.services.reference import seed_reference_data  # noqa: E402

DEMO_TODAY = date(2026, 11, 26)  # demo data is generated relative to this day in tests


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Never touch the real data folder or QSettings of whoever runs the tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("DESK_LEAGUE_DATABASE_URL", raising=False)
    # QSettings caches where it writes; point it at this test's own folder so window sizes
    # and chosen tabs of one test never leak into the next
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qsettings")
    )


@pytest.fixture(autouse=True)
def _no_unanswered_questions(monkeypatch):
    """A question box nobody in the test answers fails the test instead of waiting forever."""
    from PySide6.QtWidgets import QMessageBox

    def unanswered(box: QMessageBox) -> int:
        raise AssertionError(f"a question nobody answered: {box.text()}")

    monkeypatch.setattr(QMessageBox, "exec", unanswered)


@pytest.fixture(autouse=True)
def _collector_unfrozen():
    """A command run in this process froze what existed then (``cli.core.opened``, for a
    process that ends with the command); the next test starts with every object collectable."""
    yield
    gc.unfreeze()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "office.db"


@pytest.fixture
def db(db_path) -> Database:
    """An empty office database with the reference data (key dates, honour types); the window's
    screens work on it (``services.store``)."""
    database = open_database(db_path)
    with database.transaction() as session:
        seed_reference_data(session)
    store.attach(database)
    yield database
    _close(database)


# --- PostgreSQL: a throwaway server for the session (tests/postgres_server.py) -------------


@pytest.fixture(scope="session")
def postgres():
    """The session's own PostgreSQL server; the test is skipped when PostgreSQL is not
    installed (outside CI: .ci/run installs it, and there its absence fails the run)."""
    from tests.postgres_server import PostgresServer

    server = PostgresServer.find()
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (.ci/run installs Debian's postgresql)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _pg_reference(postgres) -> str:
    """A server database with the reference data, cloned for each test."""
    name = postgres.create_database()
    database = open_database(url=_url(postgres, name), lock=False)
    with database.transaction() as session:
        seed_reference_data(session)
    database.close()
    return name


@pytest.fixture(scope="session")
def _pg_demo(postgres) -> str:
    name = postgres.create_database()
    database = open_database(url=_url(postgres, name), lock=False)
    with database.transaction() as session:
        build_demo(session, today=DEMO_TODAY)
    database.close()
    return name


def _url(server, name: str) -> str:
    return server.url(name).render_as_string(hide_password=False)


@pytest.fixture
def pg_url(postgres):
    """An empty server database of the test's own."""
    name = postgres.create_database()
    yield _url(postgres, name)
    postgres.drop_database(name)


def _server_copy(request, template_fixture: str):
    server = request.getfixturevalue("postgres")
    name = server.create_database(template=request.getfixturevalue(template_fixture))
    database = open_database(url=_url(server, name), backup=False)
    return database, lambda: server.drop_database(name)


ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def _demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path, lock=False, backup=False)
    with database.transaction() as session:
        build_demo(session, today=DEMO_TODAY)
    database.close()
    return path


@pytest.fixture
def demo_db(_sqlite_demo_db) -> Database:
    return _sqlite_demo_db


@pytest.fixture
def _sqlite_demo_db(_demo_file, tmp_path) -> Database:
    """A private copy of the demo database (built once per test session)."""
    path = tmp_path / "demo.db"
    shutil.copy2(_demo_file, path)
    database = open_database(path, backup=False)
    store.attach(database)
    yield database
    _close(database)


def _close(database: Database) -> None:
    """Close a test's database as the app does: after its background work has ended."""
    from desk_league.ui.background import wait_for_background_jobs

    wait_for_background_jobs(cancel=True)
    if store.attached() and store.database() is database:
        store.detach()
    database.close()


@pytest.fixture
def log_file(tmp_path, monkeypatch):
    """The program's log, written into this test's folder (hooks restored afterwards)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    path = logs.setup_logging(tmp_path)
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_desk_league", False)]:
        root.removeHandler(handler)
        handler.close()
    monkeypatch.setattr(logs, "_log_file", None)


@pytest.fixture
def main_window(qtbot, demo_db):
    from desk_league.ui.app import create_application
    from desk_league.ui.main_window import MainWindow

    create_application([])
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()  # as the clerk would: work still running is stopped before the data closes


def menu_item(window, text: str):
    """The main window's menu action called ``text`` (as the clerk reads it)."""
    for menu in window.menuBar().actions():
        for action in menu.menu().actions():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu item {text}")


def type_text(qtbot, widget, text: str) -> None:
    """Type into a widget as the clerk would: keys for ASCII, the input method for Chinese.

    (QTest's key clicks only know ASCII; Chinese arrives through an IME commit.)
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for chunk_is_ascii, chunk in _chunks(text):
        if chunk_is_ascii:
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def _chunks(text: str):
    current, ascii_now = "", None
    for ch in text:
        is_ascii = ch.isascii()
        if ascii_now is not None and is_ascii != ascii_now:
            yield ascii_now, current
            current = ""
        current += ch
        ascii_now = is_ascii
    if current:
        yield ascii_now, current


@pytest.fixture
def typist(qtbot):
    """``typist(widget, "张三")`` types text, Chinese included."""
    return lambda widget, text: type_text(qtbot, widget, text)


@pytest.fixture
def told(monkeypatch) -> list[str]:
    """What message boxes told the clerk (information and warnings, recorded instead of shown);
    every question is answered Yes, and 保存 / 放弃 / 取消 about unsaved edits with 放弃."""
    from PySide6.QtWidgets import QMessageBox

    lines: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(
        QMessageBox, "information", lambda _p, _t, text, *a, **k: lines.append(text)
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: lines.append(text))

    def asked(box: QMessageBox) -> int:
        lines.append(box.text())
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "exec", asked)
    return lines


def lists_read(qtbot, timeout: int = 10_000) -> None:
    """Wait until the lists on screen have their rows, as the clerk watches them fill in: every
    list reads its pages and counts in the background (``operations.reads_in_flight``)."""
    from desk_league.ui.operations import reads_in_flight

    qtbot.waitUntil(lambda: reads_in_flight() == 0, timeout=timeout)
