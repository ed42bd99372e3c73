"""Small QtCharts charts for the overview: bars and a line, labelled in the window's font.

QtCharts does not take the application font for titles and axis labels, so every chart here
sets it explicitly; otherwise Chinese labels fall back to a system font, or to boxes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QApplication, QLabel, QToolTip, QWidget

BAR_COLOUR = QColor("#c0392b")  # the league's red, as on the figures above the charts
LINE_COLOUR = QColor("#1f618d")


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


SMALL_TOP = 5  # below this the axis counts in whole numbers: 0 1 2 3 4 5, never 0 0 1 1 2


def _nice_max(value: float, headroom: float = 1.15) -> float:
    """An axis top ``headroom`` above the largest value, on a round number."""
    if value <= SMALL_TOP - 1:
        return SMALL_TOP
    step = 10 ** max(0, len(str(int(value))) - 1)
    return (int(value * headroom / step) + 1) * step


BESIDE_BARS = 1.3  # room after the longest lying bar for its label (25694.5), or it is drawn on it


def _point_label(value: float) -> str:
    """A value as the line's ``@yPoint`` label prints it (six significant digits)."""
    return f"{value:.6g}"


class ChartPanel(QChartView):
    """A chart view whose chart is rebuilt on every ``show_*`` call.

    A chart of nothing but zeros (a new office, a year not begun) shows its title and a note
    instead of empty axes labelled 0 0 0 and categories squeezed to dots.
    """

    EMPTY_NOTE = "暂无数据"

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(200, 170)
        self.empty_note = QLabel(self.EMPTY_NOTE, self)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setStyleSheet("color: #888888; background: transparent;")
        self.empty_note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._replace(self._new_chart())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.empty_note.setGeometry(self.rect())
        self._fit_point_labels()

    def _fit_point_labels(self) -> None:
        """A line's value labels where they fit side by side, none where neighbours would run
        into each other (twelve months of five-digit hours on a 1366×768 screen): the values
        are then shown when the pointer rests on a point."""
        for series in self.chart().series():
            if not isinstance(series, QLineSeries) or series.count() < 2:
                continue
            plot = self.chart().plotArea().width()
            if plot <= 0:  # not laid out yet: about the view less its value axis
                plot = self.width() - 60
            metrics = QFontMetrics(series.pointLabelsFont())
            widest = max(metrics.horizontalAdvance(_point_label(p.y())) for p in series.points())
            series.setPointLabelsVisible(widest + 4 <= plot / (series.count() - 1))

    def _show_when_empty(self, chart: QChart, values: Sequence[float]) -> None:
        empty = not any(values)
        self.empty_note.setVisible(empty)
        if empty:
            for axis in chart.axes():
                axis.setVisible(False)
            for series in chart.series():
                series.setVisible(False)

    def _new_chart(self) -> QChart:
        chart = QChart()
        chart.setTitle(self.title)
        chart.setTitleFont(_font(10.5, bold=True))
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        return chart

    def _replace(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()  # the view gives up the old chart without deleting it

    def _axis_font(self, axis) -> None:
        axis.setLabelsFont(_font(8.5))
        # Qt Charts elides every label to "…" once their boxes come near each other (eight unit
        # names in a chart 250 px high, on a 1366×768 screen); they fit as drawn
        axis.setTruncateLabels(False)
        axis.setGridLineVisible(
            axis.orientation() != Qt.Orientation.Horizontal or isinstance(axis, QValueAxis)
        )

    def show_bars(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        *,
        horizontal: bool = False,
        value_format: str = "@value",
    ) -> None:
        chart = self._new_chart()
        bar_set = QBarSet(self.title)
        bar_set.append([float(v) for v in values])
        bar_set.setColor(BAR_COLOUR)
        bar_set.setLabelColor(QColor("#222222"))
        bar_set.setLabelFont(_font(8))
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat(value_format)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(list(labels))
        numbers = QValueAxis()
        self._value_axis(numbers, values, BESIDE_BARS if horizontal else 1.15)
        self._attach(chart, series, categories, numbers, horizontal)
        self._show_when_empty(chart, values)
        self._replace(chart)

    def show_line(self, labels: Sequence[str], values: Sequence[float]) -> None:
        chart = self._new_chart()
        series = QLineSeries()
        for x, value in enumerate(values):
            series.append(float(x), float(value))
        pen = QPen(LINE_COLOUR)
        pen.setWidthF(2.2)
        series.setPen(pen)
        series.setPointsVisible(True)
        series.setPointLabelsFormat("@yPoint")
        series.setPointLabelsFont(_font(7.5))
        series.setPointLabelsClipping(False)
        names = list(labels)

        def tell(point: QPointF, over: bool) -> None:
            if over:
                name = names[round(point.x())] if 0 <= round(point.x()) < len(names) else ""
                QToolTip.showText(QCursor.pos(), f"{name}：{_point_label(point.y())}")
            else:
                QToolTip.hideText()

        series.hovered.connect(tell)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(names)
        numbers = QValueAxis()
        self._value_axis(numbers, values)
        self._attach(chart, series, categories, numbers, horizontal=False)
        self._show_when_empty(chart, values)
        self._replace(chart)
        self._fit_point_labels()

    @staticmethod
    def _value_axis(axis: QValueAxis, values: Sequence[float], headroom: float = 1.15) -> None:
        top = _nice_max(max(values, default=0), headroom)
        axis.setRange(0, top)
        if top <= SMALL_TOP:
            axis.setTickCount(int(top) + 1)
        else:
            axis.applyNiceNumbers()  # ticks on round numbers (0, 10, 20 …), not 12.5
        axis.setLabelFormat("%d")

    def _attach(self, chart: QChart, series, categories, numbers, horizontal: bool) -> None:
        for axis in (categories, numbers):
            self._axis_font(axis)
        category_side = Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        number_side = Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        chart.addAxis(categories, category_side)
        chart.addAxis(numbers, number_side)
        series.attachAxis(categories)
        series.attachAxis(numbers)

    def categories(self) -> list[str]:
        """The category labels shown (for tests and screen readers)."""
        for axis in self.chart().axes():
            if isinstance(axis, QBarCategoryAxis):
                return list(axis.categories())
        return []

    def values(self) -> list[float]:
        for series in self.chart().series():
            if isinstance(series, QAbstractBarSeries):
                bar_set = series.barSets()[0]
                return [bar_set.at(i) for i in range(bar_set.count())]
            if isinstance(series, QLineSeries):
                return [point.y() for point in series.points()]
        return []
