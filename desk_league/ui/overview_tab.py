"""总览: the first screen — what needs doing now, and this year's figures with charts.

Left, the reminders: key dates and activities of the next 30 days, overdue plan tasks, branches
due for 换届, 青年文明号 reviews due, service records waiting for approval, registered volunteers
under the year's minimum hours — every item of each (a long group starts folded, its count in
its title). A click on one asks the main window (``recordRequested``) to show that record.
Right, the year's charts. The figures above are those of the annual workbook and the summary
(``services.figures``). The toolbar exports the annual statistics workbook and opens the
year-end summary draft.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk_league.services import overview
from desk_league.services.overview import RecordRef, Reminder
from desk_league.services.statistics import export_annual_statistics
from desk_league.ui.base_tab import ActionBar, BaseTab
from desk_league.ui.charts import ChartPanel
from desk_league.ui.messages import inform, show_error
from desk_league.ui.operations import Changed, long_query, query
from desk_league.ui.tree_model import RecordTreeModel, TreeColumn, TreeRow

WEEKDAYS = "一二三四五六日"
URGENT_COLOUR = "#b3261e"
MONTH_LABELS = [str(m) for m in range(1, 13)]  # "1月" … does not fit twelve times
TOP_UNITS = 8
ALWAYS_NOW = (
    "团组织",
    "在册志愿者",
    "待审核时长记录",
    "逾期计划事项",
)  # figures of today, not the year  # the hours-by-unit chart shows the units with most hours

REMINDER_COLUMNS = [
    TreeColumn("title", "事项", 250),
    TreeColumn("on", "日期", 92, "date"),
    TreeColumn("note", "说明", 260),
]

# group title, the service that lists it (given the session, today and this year's
# volunteers, read once per refresh), what to say when it is empty
GROUPS: list[tuple[str, Callable, str]] = [
    (
        "今天及未来30天的重要节点与活动",
        lambda session, today, _volunteers: overview.upcoming(session, today),
        "未来 30 天没有重要节点或已安排的活动",
    ),
    (
        "逾期未完成的计划任务",
        lambda session, today, _volunteers: overview.overdue_tasks(session, today),
        "没有逾期的计划任务",
    ),
    (
        "需要换届的团组织",
        lambda session, today, _volunteers: overview.terms_due(session, today),
        "没有需要换届的团组织",
    ),
    (
        "青年文明号待年审",
        lambda session, today, _volunteers: overview.honour_reviews_due(session, today),
        "近期没有到期的青年文明号年审",
    ),
    (
        "待审核的志愿服务记录",
        lambda session, _today, _volunteers: overview.pending_service_records(session),
        "没有待审核的志愿服务记录",
    ),
    (
        "本年服务时长未达标的在册志愿者",
        lambda session, today, volunteers: overview.volunteers_under_hours(
            session, today, facts=volunteers
        ),
        "在册志愿者本年的服务时长均已达标",
    ),
]
FOLDED_ABOVE = 30  # a group with more items than this starts folded: the others stay in view


class OverviewTab(BaseTab):
    title = "总览"
    # what it counts and reminds of: everything but certificate templates and information reports
    watches = Changed.EVERYTHING & ~(Changed.TEMPLATES | Changed.INFO_REPORTS)
    recordRequested = Signal(str, object, str)  # kind, record id (or None), words to search
    loaded = Signal()  # the figures of the last refresh are on screen

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.today: Callable[[], date] = date.today  # tests pin the day the demo was built for
        self._refs: dict[int, RecordRef] = {}
        self._row_ids = itertools.count(1)
        self._generation = 0  # only the newest refresh's results are shown
        self.layout_.addLayout(self._toolbar())
        self.layout_.addWidget(self._start_banner())
        self.figures = QHBoxLayout()
        self._cards: list[_FigureCard] = []
        self.layout_.addLayout(self.figures)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._reminders_view())
        splitter.addWidget(self._charts())
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([620, 760])
        self.layout_.addWidget(splitter, 1)

    # --- building ---------------------------------------------------------------------------

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.today_label = QLabel(objectName="overview_today")
        self.today_label.setStyleSheet("font-size: 12pt;")
        bar.addWidget(self.today_label)
        bar.addStretch(1)
        bar.addWidget(QLabel("统计年度"))
        self.year_box = QSpinBox(objectName="overview_year", minimum=2000, maximum=2100)
        self.year_box.setSuffix(" 年")
        self.year_box.setValue(date.today().year)
        self.year_box.valueChanged.connect(self._year_chosen)
        bar.addWidget(self.year_box)
        actions = ActionBar(self)
        actions.add("导出年度统计…", self.export_annual_statistics, name="export_annual_statistics")
        actions.add("年度工作总结…", self.open_year_end_summary, name="open_year_end_summary")
        bar.addWidget(actions)
        return bar

    def _start_banner(self) -> QWidget:
        """On a new office's empty database: where to begin, in order."""
        self.start_banner = QFrame(objectName="start_banner")
        self.start_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.start_banner.setStyleSheet("#start_banner { background: #fff8e1; }")
        text = QLabel(
            "这是一个新的数据库，按顺序开始：① 首次使用设置：本单位名称和团组织（可从 Excel 导入）；"
            "② 在“团员”页导入团员名册；③ 在“志愿者”页导入志愿者名册；④ 在“工作计划”页新建或导入"
            "本年计划。每一页在还没有内容时都会说明下一步。",
            wordWrap=True,
        )
        button = QPushButton("首次使用设置…", objectName="open_first_start")
        button.clicked.connect(self._open_first_start)
        row = QHBoxLayout(self.start_banner)
        row.addWidget(text, 1)
        row.addWidget(button)
        self.start_banner.hide()
        return self.start_banner

    def _open_first_start(self) -> None:
        window = self.window()
        if hasattr(window, "open_first_start"):
            window.open_first_start()

    def _reminders_view(self) -> QWidget:
        self.reminders = RecordTreeModel(REMINDER_COLUMNS, parent=self)
        view = QTreeView(objectName="overview_reminders")
        view.setModel(self.reminders)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setUniformRowHeights(True)
        for i, column in enumerate(REMINDER_COLUMNS):
            view.setColumnWidth(i, column.width)
        view.setMinimumWidth(380)  # the charts give way first on a small screen
        view.clicked.connect(self._open)
        view.activated.connect(self._open)  # Enter on the keyboard
        self.reminders_view = view
        return view

    def _charts(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.activities_chart = ChartPanel("已开展活动（按类别，次）")
        self.hours_month_chart = ChartPanel("志愿服务时长（1–12月，小时）")
        self.hours_unit_chart = ChartPanel(f"志愿服务时长前{TOP_UNITS}的单位（小时）")
        self.honours_chart = ChartPanel("荣誉（本级表彰与上级荣誉，按级别，项）")
        grid.addWidget(self.activities_chart, 0, 0)
        grid.addWidget(self.hours_month_chart, 0, 1)
        grid.addWidget(self.hours_unit_chart, 1, 0)
        grid.addWidget(self.honours_chart, 1, 1)
        return box

    # --- showing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything. The queries run off the GUI thread: on 100,000 service records
        they take longer than the GUI may stay busy; ``loaded`` is emitted when shown."""
        today = self.today()
        self.today_label.setText(
            f"今天是 {today.year}年{today.month}月{today.day}日 星期{WEEKDAYS[today.weekday()]}"
        )
        self._load(today, self.year_box.value(), with_reminders=True)

    def _year_chosen(self) -> None:
        if self._loaded:  # before the tab is first shown there is nothing to redraw
            self._load(self.today(), self.year_box.value(), with_reminders=False)

    def _load(self, today: date, year: int, *, with_reminders: bool) -> None:
        self._generation += 1
        generation = self._generation

        def work(session) -> _Snapshot:
            # the volunteers' hours are the slowest read: once for the figures, charts, reminders
            now = overview.volunteers_of_year(session, today.year, today)
            shown = now if year == today.year else overview.volunteers_of_year(session, year, today)
            groups = (
                [(title, fetch(session, today, now), empty) for title, fetch, empty in GROUPS]
                if with_reminders
                else None
            )
            counts = overview.year_counts(session, today, year, now)
            charts = overview.chart_data(session, year, today, shown)
            return _Snapshot(groups, counts, charts, year)

        def show(snapshot: _Snapshot) -> None:
            if generation != self._generation:
                return  # a newer refresh is on its way
            if snapshot.groups is not None:
                self._show_reminders(snapshot.groups)
            self._show_figures(snapshot.counts, snapshot.year)
            self.start_banner.setVisible(not snapshot.counts.get("团组织"))
            self._show_charts(snapshot.charts)
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                show_error(self, exc, "刷新总览")

        # on 100,000 service records the counting takes longer than the GUI may stay busy
        query(self, work).in_background().success(show).failure(failed).run()

    def _show_reminders(self, groups: list[tuple[str, list[Reminder], str]]) -> None:
        """Every reminder of every group; a long group starts folded and its rows are made when
        the clerk opens it (72,000 rows at 100,000 volunteers took a second on each refresh)."""
        self._refs, self._row_ids = {}, itertools.count(len(groups) + 1)
        rows, later = [], {}
        for group_id, (title, items, empty) in enumerate(groups, start=1):
            rows.append(TreeRow(group_id, None, {"title": f"{title}（{len(items)}）"}, bold=True))
            if not items:
                rows.append(
                    TreeRow(next(self._row_ids), group_id, {"title": empty}, foreground="#777777")
                )
            elif len(items) > FOLDED_ABOVE:
                later[group_id] = functools.partial(self._reminder_rows, group_id, items)
            else:
                rows.extend(self._reminder_rows(group_id, items))
        self.reminders.set_rows(rows, later)
        for group, (_title, items, _empty) in enumerate(groups):
            # group titles run across the columns; a long group waits folded for a click
            self.reminders_view.setFirstColumnSpanned(group, QModelIndex(), True)
            index = self.reminders.index(group, 0)
            self.reminders_view.setExpanded(index, len(items) <= FOLDED_ABOVE)
            if not items:  # the "nothing due" note reads across the columns too
                self.reminders_view.setFirstColumnSpanned(0, index, True)

    def _reminder_rows(self, group_id: int, items: list[Reminder]) -> list[TreeRow]:
        rows = []
        for item in items:
            row_id = next(self._row_ids)
            rows.append(
                TreeRow(
                    row_id,
                    group_id,
                    {"title": item.title, "on": item.on, "note": item.note},
                    foreground=URGENT_COLOUR if item.urgent else None,
                    tooltip=f"{item.title}\n{item.note}\n（单击转到该记录）",
                )
            )
            self._refs[row_id] = item.ref
        return rows

    def _show_figures(self, counts: dict[str, float], year: int) -> None:
        # the cards are made once and then updated, so a refresh never makes the row flicker
        if len(self._cards) != len(counts):
            while self.figures.count():
                self.figures.takeAt(0).widget().deleteLater()
            self._cards = [_FigureCard() for _ in counts]
            for card in self._cards:
                self.figures.addWidget(card)
                card.show()  # added to a visible tab: Qt would show it only a turn later
        this_year = year == self.today().year
        for card, (name, value) in zip(self._cards, counts.items(), strict=True):
            label = name if name in ALWAYS_NOW else f"{'本年' if this_year else f'{year}年'}{name}"
            card.show_figure(label, value)

    def _show_charts(self, data: overview.ChartData) -> None:
        # categories with no activity make the labels too crowded to read on a small screen
        held = {
            c: n for c, n in data.activities_by_category.items() if n
        } or data.activities_by_category
        categories = list(reversed(held.items()))  # horizontal bars draw bottom-up: first on top
        self.activities_chart.show_bars(
            [c for c, _ in categories], [n for _, n in categories], horizontal=True
        )
        self.hours_month_chart.show_line(MONTH_LABELS, data.hours_by_month)
        top = sorted(data.hours_by_unit.items(), key=lambda kv: -kv[1])[:TOP_UNITS]
        top.reverse()  # horizontal bars draw bottom-up: the largest on top
        self.hours_unit_chart.show_bars(
            [_short_unit(u) for u, _ in top],
            [h for _, h in top],
            horizontal=True,
            value_format="@value",
        )
        self.honours_chart.show_bars(
            list(data.honours_by_level), list(data.honours_by_level.values())
        )

    # --- acting -----------------------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        row = self.reminders.row_for(index)
        ref = self._refs.get(row.id) if row else None
        if ref is not None:
            self.recordRequested.emit(ref.kind, ref.id, ref.text)

    def export_annual_statistics(self, path: str | None = None) -> None:
        year = self.year_box.value()
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self,
                "导出年度统计",
                str(Path.home() / f"{year}年度共青团工作统计.xlsx"),
                "Excel 工作簿 (*.xlsx)",
            )
        if not path:
            return
        today = self.today()
        long_query(
            self,
            "导出年度统计",
            lambda session, progress: export_annual_statistics(
                session, path, year=year, today=today, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()

    def open_year_end_summary(self) -> None:
        from desk_league.ui.summary_dialog import YearEndSummaryDialog

        dialog = YearEndSummaryDialog(self.year_box.value(), self.today(), self)
        dialog.open()
        self.summary_dialog = dialog  # kept for tests and so it is not collected while open


@dataclass
class _Snapshot:
    groups: list[tuple[str, list[Reminder], str]] | None
    counts: dict[str, float]
    charts: overview.ChartData
    year: int


def _short_unit(unit: str) -> str:
    """Chart labels have little room: 市卫生健康综合监督执法支队 → 卫生健康综合监督执法支队."""
    short = unit.removeprefix("市")
    return short if len(short) <= 9 else short[:8] + "…"


class _FigureCard(QFrame):
    """One big number with its name under it."""

    def __init__(self) -> None:
        super().__init__(frameShape=QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.number = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.number.setStyleSheet("font-size: 20pt; color: #b3261e;")
        self.name = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.number)
        layout.addWidget(self.name)

    def show_figure(self, name: str, value: float) -> None:
        self.number.setText(f"{value:g}")
        self.name.setText(name)
