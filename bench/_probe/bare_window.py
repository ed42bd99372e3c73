"""P1's floor: a bare PySide6 window with the app's six tabs and the app's UI font.

Prints ``PROBE {"shown": time}`` at the first paint, like the probe in the real app, and quits.
The font is chosen as the app chooses it: the system's UI font where it can draw Chinese, the
bundled LXGW WenKai registered from its file where not.
"""

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget
from sitecustomize import STARTED, paint_watch

TABS = ["总览", "工作计划", "活动", "志愿者", "荣誉", "团组织"]
FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "LXGWWenKai-Regular.ttf"

app = QApplication(sys.argv[:1])
if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
else:
    families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(FONT)))
    font = QFont(families[0])
font.setPointSize(10)
app.setFont(font)
window = QMainWindow()
window.setWindowTitle("团委工作台")
tabs = QTabWidget()
tabs.setDocumentMode(True)
for title in TABS:
    tabs.addTab(QLabel("正在打开数据库…"), title)
window.setCentralWidget(tabs)
window.resize(1280, 800)
made = time.time()


def shown(now: float) -> None:
    print("PROBE " + json.dumps({"python": STARTED, "window_made": made, "shown": now}), flush=True)
    QTimer.singleShot(0, window.close)


paint_watch(window, shown)
window.show()
app.exec()
