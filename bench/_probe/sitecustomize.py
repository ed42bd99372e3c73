"""The bench's eyes inside a real ``desk-league`` process (never imported by the app itself).

``bench/`` starts the console script with this folder on PYTHONPATH and ``DESK_LEAGUE_PROBE``
set; Python imports ``sitecustomize`` at start-up, and this one waits, without importing
anything of the app or of Qt, until ``desk_league.ui.main_window`` is loaded. It then watches the
main window from the GUI thread and prints one line, ``PROBE {json}``, with wall-clock times
(``time.time()``, so the bench can subtract the moment it started the process):

- ``shown``: the window's first paint;
- ``data``: the current tab has its data on screen (it has loaded, and no read is in flight);
- with ``DESK_LEAGUE_PROBE=tabs``, also ``tabs`` (the time each other tab had its data on
  screen after being chosen) and ``rss_mb`` once every tab has been visited.

Then it closes the window, as the clerk would. The bare PySide6 window of the floor uses the same
first-paint test (``paint_watch``), so both are timed alike.
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


def _busy(window) -> bool:
    """Whether the window is still reading what its current tab shows."""
    tab = window.tabs.currentWidget()
    if not getattr(tab, "_loaded", False):
        return True
    try:
        from desk_league.ui.operations import reads_in_flight
    except ImportError:  # the app before background list loading: lists read at once
        reads_in_flight = None
    if reads_in_flight is not None and reads_in_flight() > 0:
        return True
    return getattr(tab, "_probe_waiting", False)


def _watch(window) -> None:
    from PySide6.QtCore import QTimer

    times: dict = {"python": STARTED, "window_made": time.time()}
    poll = QTimer(window)
    poll.setInterval(2)
    tabs_left: list[int] = []

    def shown(now: float) -> None:
        times["shown"] = now

    def arm_tab(tab) -> None:
        loaded = getattr(tab, "loaded", None)  # the overview's: its figures are on screen
        if loaded is not None and not getattr(tab, "_probe_armed", False):
            tab._probe_armed = True
            tab._probe_waiting = True
            loaded.connect(lambda: setattr(tab, "_probe_waiting", False))

    def check() -> None:
        if window.db is None or "shown" not in times:
            return
        if _busy(window):
            return
        now = time.time()
        if "data" not in times:
            times["data"] = now
            times["data_rss_mb"] = rss_mb()
            if MODE == "tabs":
                times["tabs"] = {}
                tabs_left.extend(
                    i for i in range(window.tabs.count()) if i != window.tabs.currentIndex()
                )
                next_tab()
                return
            finish()
            return
        if MODE == "tabs":
            title = window.tabs.tabText(window.tabs.currentIndex())
            times["tabs"][title] = now - times["chosen"]
            if tabs_left:
                next_tab()
            else:
                times["rss_mb"] = rss_mb()
                finish()

    def next_tab() -> None:
        index = tabs_left.pop(0)
        times["chosen"] = time.time()
        tab = window.tabs.widget(index)
        arm_tab(tab)
        window.tabs.setCurrentIndex(index)

    def finish() -> None:
        poll.stop()
        print("PROBE " + json.dumps(times), flush=True)
        QTimer.singleShot(0, window.close)

    attach = window.attach

    def attached(db) -> None:
        attach(db)
        arm_tab(window.tabs.currentWidget())

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
