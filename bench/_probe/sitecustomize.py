"""The bench's eyes inside a real ``desk-league`` process (never imported by the app itself).

``bench/`` starts the console script with this folder on PYTHONPATH and ``DESK_LEAGUE_PROBE``
set; Python imports ``sitecustomize`` at start-up, and this one waits, without importing
anything of the app or of Qt, until ``desk_league.ui.main_window`` is loaded. It then watches the
main window from the GUI thread and prints one line, ``PROBE {json}``, with wall-clock times
(``time.time()``, so the bench can subtract the moment it started the process), then closes the
window as the clerk would:

- ``python``: the interpreter is up; ``window_made``: the main window exists;
- ``shown``: the window's first paint;
- ``data``: the current tab has its data on screen (it has loaded, no read is in flight, and
  the overview has drawn its figures).

``DESK_LEAGUE_PROBE`` chooses what happens after that:

- ``start``: nothing more (P1);
- ``settle``: until the start check and backup have ended too (nothing runs in the
  background any more);
- ``tabs``: every other tab is chosen in turn, each once its data is on screen, then
  ``tabs`` (seconds per tab) and ``rss_mb`` (memory with every tab visited);
- ``lists``: the clerk's list work on the 志愿者 tab (P2), with a heartbeat timer on the GUI
  thread every 5 ms: ``steps`` gives, per step, the seconds until its rows were on screen, until
  every read had ended (the count included), and the longest the GUI thread went without a
  heartbeat (its longest freeze).

The bare PySide6 window of the floor uses the same first-paint test (``paint_watch``).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import os
import sys
import time

STARTED = time.time()  # the interpreter is up: the rest is the program's own start
MODE = os.environ.get("DESK_LEAGUE_PROBE", "")
TARGET = "desk_league.ui.main_window"
HEARTBEAT_MS = 5


def rss_mb() -> float:
    """The process's resident memory now (Linux /proc; psutil elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import psutil

    return psutil.Process().memory_info().rss / 1024 / 1024


def paint_watch(widget, on_first_paint) -> None:
    """Call ``on_first_paint(time)`` once, when ``widget`` is first painted."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                now = time.time()
                QTimer.singleShot(0, lambda: on_first_paint(now))
            return False

    watch = Watch(widget)
    watch.seen = False
    widget.installEventFilter(watch)
    widget._probe_watch = watch


def _reads() -> int:
    try:
        from desk_league.ui.operations import reads_in_flight
    except ImportError:  # an app that read its lists on the GUI thread: nothing in flight
        return 0
    return reads_in_flight()


def _tab_busy(tab) -> bool:
    if not getattr(tab, "_loaded", False):
        return True
    return _reads() > 0 or getattr(tab, "_probe_waiting", False)


def _lists_reading(tab) -> bool:
    """Whether a list of ``tab`` is still reading its first rows (its count may follow)."""
    from desk_league.ui.table_model import ListingModel

    return any(getattr(m, "reading", False) for m in tab.findChildren(ListingModel))


def _arm(tab) -> None:
    """The overview says when its figures are drawn (``loaded``): wait for that too."""
    loaded = getattr(tab, "loaded", None)
    if loaded is not None and not getattr(tab, "_probe_armed", False):
        tab._probe_armed = True
        tab._probe_waiting = True
        loaded.connect(lambda: setattr(tab, "_probe_waiting", False))


class _Heartbeat:
    """A timer every 5 ms on the GUI thread: the longest gap between beats is the longest the
    GUI thread could not answer (a freeze), whatever held it."""

    def __init__(self, parent) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer(parent)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer.start()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def reset(self) -> float:
        """The longest gap since the last reset (the current one included)."""
        longest = max(self.longest, time.perf_counter() - self.last)
        self.longest, self.last = 0.0, time.perf_counter()
        return longest


def _list_steps(window):
    """P2: what the clerk does with the long lists of the 志愿者 tab. Each step is
    (name, action); a step ends when its rows are on screen and nothing is being read."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    tab = next(t for t in window.all_tabs() if type(t).__name__ == "VolunteersTab")
    records, people = tab.records, tab.volunteers

    def column(table, key):
        return [c.key for c in table.model.columns].index(key)

    def choose(table, key, value):
        combo = table.findChild(QComboBox, f"filter_{key}")
        combo.setCurrentIndex(combo.findData(value))

    def sort(table, key, order=Qt.SortOrder.AscendingOrder):
        table.view.horizontalHeader().setSortIndicator(column(table, key), order)

    def unsort(table):
        table.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.model.query.sort_key = None
        table.model.refresh()

    def scroll(table, pages):
        """Scroll down as the clerk drags the bar: the next page each time one arrives."""
        state = {"pages": 0}

        def more():
            model = table.model
            if not model.canFetchMore() or state["pages"] >= pages:
                return True
            if _reads() == 0:
                table.view.scrollToBottom()
                state["pages"] += 1
            return False

        return more

    def keystroke(table, text):
        table.search.setFocus()
        table.search.insert(text)  # as the input method commits a character

    return [
        ("open the 志愿者 tab", lambda: window.tabs.setCurrentWidget(tab)),
        ("refresh (F5)", window.refresh_all),
        ("records: filter 待审核", lambda: choose(records, "status", "pending")),
        ("records: sort by 服务地点", lambda: sort(records, "place")),
        (
            "records: sort by 服务地点, descending",
            lambda: sort(records, "place", Qt.SortOrder.DescendingOrder),
        ),
        ("records: filter 全部 again", lambda: (unsort(records), choose(records, "status", None))),
        ("records: scroll 50 pages down", lambda: scroll(records, 50)),
        ("volunteers: sort by 姓名", lambda: sort(people, "name")),
        (
            "volunteers: unit 市眼科医院, scroll to the end",
            lambda: (unsort(people), choose(people, "unit", "市眼科医院"), scroll(people, 10_000))[
                -1
            ],
        ),
        (
            "volunteers: one keystroke 王",
            lambda: (choose(people, "unit", None), keystroke(people, "王")),
        ),
        ("volunteers: a second keystroke 芳", lambda: keystroke(people, "芳")),
    ]


def _watch(window) -> None:
    from PySide6.QtCore import QTimer

    times: dict = {"python": STARTED, "window_made": time.time()}
    poll = QTimer(window)
    poll.setInterval(1)
    state: dict = {"phase": "start"}

    def shown(now: float) -> None:
        times["shown"] = now

    def finish() -> None:
        poll.stop()
        print("PROBE " + json.dumps(times), flush=True)
        QTimer.singleShot(0, window.close)

    def begin_step() -> None:
        name, action = state["steps"].pop(0)
        state["step"] = name
        state["started"] = time.perf_counter()
        state["heartbeat"].reset()
        state["more"] = action()
        state["rows"] = None

    def check() -> None:
        if window.db is None or "shown" not in times:
            return
        if state["phase"] == "start":
            if _tab_busy(window.tabs.currentWidget()):
                return
            times["data"] = time.time()
            times["data_rss_mb"] = rss_mb()
            if MODE == "tabs":
                state.update(
                    phase="tabs",
                    left=[i for i in range(window.tabs.count()) if i != window.tabs.currentIndex()],
                )
                times["tabs"] = {}
                next_tab()
            elif MODE == "settle":
                state["phase"] = "settle"
            elif MODE == "lists":
                state.update(phase="lists", steps=_list_steps(window), heartbeat=_Heartbeat(window))
                times["steps"] = {}
                begin_step()
            else:
                finish()
            return
        if state["phase"] == "settle":
            from desk_league.ui.background import background_jobs_running

            if background_jobs_running() == 0:
                times["settled"] = time.time()
                finish()
            return
        if state["phase"] == "tabs":
            if _tab_busy(window.tabs.currentWidget()):
                return
            title = window.tabs.tabText(window.tabs.currentIndex())
            times["tabs"][title] = time.time() - state["chosen"]
            if state["left"]:
                next_tab()
            else:
                times["rss_mb"] = rss_mb()
                finish()
            return
        if state["phase"] == "lists":
            more = state["more"]
            if callable(more) and not more():
                return
            tab = window.tabs.currentWidget()
            if state["rows"] is None and not _lists_reading(tab):
                state["rows"] = time.perf_counter() - state["started"]
            if _reads() > 0 or _tab_busy(tab):
                return
            took = time.perf_counter() - state["started"]
            times["steps"][state["step"]] = {
                "rows_seconds": state["rows"] if state["rows"] is not None else took,
                "seconds": took,
                "longest_freeze_ms": state["heartbeat"].reset() * 1000,
            }
            if state["steps"]:
                begin_step()
            else:
                times["rss_mb"] = rss_mb()
                finish()

    def next_tab() -> None:
        index = state["left"].pop(0)
        state["chosen"] = time.time()
        tab = window.tabs.widget(index)
        _arm(tab)
        window.tabs.setCurrentIndex(index)

    attach = window.attach

    def attached(db) -> None:
        times["attached"] = time.time()  # the database is open: the tab is built and reads
        attach(db)
        _arm(window.tabs.currentWidget())

    window.attach = attached
    poll.timeout.connect(check)
    poll.start()
    paint_watch(window, shown)


def _patch(module) -> None:
    cls = module.MainWindow
    init = cls.__init__

    def __init__(self, *args, **kwargs):  # noqa: N807 - wraps the window's constructor
        init(self, *args, **kwargs)
        _watch(self)

    cls.__init__ = __init__


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


if MODE:
    sys.meta_path.insert(0, _Finder())
