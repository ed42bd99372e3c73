"""P1: cold start to a shown window; P2: 100,000 service records in the generic table model.

P1 compares ``desk-league`` on the scale-50 demo database with a bare PySide6 window that has
the same six (empty) tabs, each measured in fresh processes (median of 5), as a ratio.
P2 opens the service-records list through the app's ListingModel: time to the first rows, time
to apply a name filter, and the process's peak memory.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from common import scale50_database, verdict

RUNS = 5

BARE = r"""
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget
app = QApplication([])
w = QMainWindow(); tabs = QTabWidget()
for name in ["总览", "工作计划", "活动", "志愿者", "荣誉", "团组织"]:
    tabs.addTab(QWidget(), name)
w.setCentralWidget(tabs); w.resize(1280, 800); w.show(); app.processEvents()
print(time.time() - t0)
"""

APP = r"""
import time, sys
t0 = float(sys.argv[1])
from pathlib import Path
from PySide6.QtCore import QTimer
from desk_league.ui.app import create_application, open_database_into
from desk_league.ui.main_window import MainWindow
app = create_application([])
w = MainWindow(); w.show(); app.processEvents()
shown = time.time() - t0
attach = w.attach
def attached(db):
    attach(db); app.processEvents()
    print(time.time() - t0, shown)
    def finish():  # the start check and backup follow the data; stopped, not waited for
        from desk_league.ui.background import wait_for_background_jobs
        wait_for_background_jobs(cancel=True); db.close(); app.quit()
    QTimer.singleShot(0, finish)
w.attach = attached
open_database_into(w, Path(sys.argv[2]), None)
app.exec()
"""


def _cold(script: str, *args: str) -> list[float]:
    """Median of each number the script prints on its last line, over fresh processes."""
    runs = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", script, repr(time.time()), *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        runs.append([float(x) for x in out.strip().splitlines()[-1].split()])
    return [statistics.median(values) for values in zip(*runs, strict=True)]


def p1(db_path) -> None:
    (bare,) = _cold(BARE)
    ready, shown = _cold(APP, str(db_path))
    ratio = shown / bare
    print(
        f"P1 cold start to shown window: app {shown * 1000:.0f} ms, bare PySide6 window with the "
        f"same tabs {bare * 1000:.0f} ms, ratio {ratio:.2f}x (target <= 1.5x) {verdict(ratio, 1.5)}"
    )
    print(
        f"P1 (for information) until the scale-50 data is on screen (the quick check and the "
        f"start backup follow in the background): {ready * 1000:.0f} ms"
    )


P2 = r"""
import json, sys, time, resource
from pathlib import Path
from desk_league.ui.app import create_application
from desk_league.data.db import open_database
from desk_league.services import store
from desk_league.services.volunteers import SERVICE_RECORDS
from desk_league.ui.table_model import ListingModel
app = create_application([])
db = open_database(Path(sys.argv[1]), lock=False, backup=False)
store.attach(db)
model = ListingModel(SERVICE_RECORDS)
t = time.perf_counter(); model.refresh(); first = time.perf_counter() - t
name = model.data(model.index(0, 1))
t = time.perf_counter(); model.set_text(name); filtered = time.perf_counter() - t
t = time.perf_counter(); model.set_text(""); cleared = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"total": model.total if False else None, "first": first, "filter": filtered,
                  "clear": cleared, "rss": rss}))
db.close()
"""


def p2(db_path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", P2, str(db_path)], capture_output=True, text=True, check=True
    ).stdout
    r = json.loads(out.strip().splitlines()[-1])
    print(
        f"P2 first rows of 100,000 service records: {r['first'] * 1000:.0f} ms "
        f"(target <= 200 ms) {verdict(r['first'], 0.2)}"
    )
    print(
        f"P2 apply a name filter: {r['filter'] * 1000:.0f} ms (target <= 100 ms) "
        f"{verdict(r['filter'], 0.1)}; clear it: {r['clear'] * 1000:.0f} ms"
    )
    print(f"P2 peak RSS: {r['rss']:.0f} MB (target <= 250 MB) {verdict(r['rss'], 250)}")


if __name__ == "__main__":
    path = scale50_database()
    p1(path)
    p2(path)
