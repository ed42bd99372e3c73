"""总览: the first screen — this year's figures and what is coming up."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QLabel, QListWidget, QVBoxLayout

from desk_league.services.overview import upcoming_activities, upcoming_key_dates, year_counts
from desk_league.ui.base_tab import BaseTab


class OverviewTab(BaseTab):
    title = "总览"

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.figures = QGridLayout()
        figures_box = QGroupBox("本年概况")
        figures_box.setLayout(self.figures)
        self.layout_.addWidget(figures_box)

        self.upcoming = QListWidget(objectName="upcoming_list")
        upcoming_box = QGroupBox("未来 30 天的重要节点与活动")
        box_layout = QVBoxLayout(upcoming_box)
        box_layout.addWidget(self.upcoming)
        self.layout_.addWidget(upcoming_box, 1)

    def refresh(self) -> None:
        today = date.today()
        with self.db.reading() as session:
            counts = year_counts(session, today)
            dates = upcoming_key_dates(session, today)
            activities = upcoming_activities(session, today)
        while self.figures.count():
            self.figures.takeAt(0).widget().deleteLater()
        for i, (name, value) in enumerate(counts.items()):
            self.figures.addWidget(_figure(name, value), i // 3, i % 3)
        self.upcoming.clear()
        for item in dates:
            kind = "（农历）" if item.lunar else ""
            self.upcoming.addItem(f"{item.on:%m-%d}  {item.name}{kind}  还有 {item.days_left} 天")
        for on, title in activities:
            self.upcoming.addItem(f"{on:%m-%d}  活动：{title}")
        if not self.upcoming.count():
            self.upcoming.addItem("未来 30 天没有重要节点或已安排的活动。")


def _figure(name: str, value: float) -> QFrame:
    frame = QFrame(frameShape=QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    number = QLabel(f"{value:g}", alignment=Qt.AlignmentFlag.AlignCenter)
    number.setStyleSheet("font-size: 22pt; color: #b3261e;")
    layout.addWidget(number)
    layout.addWidget(QLabel(name, alignment=Qt.AlignmentFlag.AlignCenter))
    return frame
