"""节点日历: the month calendar of key dates and activities, what is coming up, the key-date list."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QCalendarWidget,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import CalendarKind
from desk_league.domain.lunar import key_date_rule_text, resolve_key_date
from desk_league.errors import DeskLeagueError
from desk_league.services.calendar import (
    DEFAULT_UPCOMING_DAYS,
    KEY_DATES,
    CalendarDay,
    KeyDateInput,
    create_key_date,
    delete_key_date,
    key_date_form,
    month_calendar,
    upcoming,
    update_key_date,
)
from desk_league.ui.base_tab import ListTable
from desk_league.ui.forms import FormDialog, choice_combo, from_qdate, to_qdate
from desk_league.ui.messages import confirm
from desk_league.ui.operations import Changed, change, read
from desk_league.ui.tree_model import RecordTreeModel, TreeColumn, TreeRow

KEY_DATE_COLOUR = QColor("#b3261e")
ACTIVITY_COLOUR = QColor("#1d5fa8")
FLAG_COLOUR = QColor("#e07a00")
_ID = Qt.ItemDataRole.UserRole


class KeyDateCalendar(QCalendarWidget):
    """A month calendar that marks key dates (red), activities (blue bar with a count) and nodes
    that still lack an activity (orange frame)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("key_date_calendar")
        self.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.days: dict[date, CalendarDay] = {}

    def set_days(self, days: dict[date, CalendarDay]) -> None:
        self.days = days
        self.updateCells()

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:  # noqa: N802 - Qt name
        super().paintCell(painter, rect, qdate)
        day = self.days.get(from_qdate(qdate))
        if day is None:
            return
        painter.save()
        if day.key_dates:
            painter.setPen(KEY_DATE_COLOUR)
            font = painter.font()
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.75))
            painter.setFont(font)
            label = day.key_dates[0].name.split("（")[0].split("·")[0]
            painter.drawText(
                rect.adjusted(2, 0, -2, -2),
                Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter,
                label,
            )
        if day.activities:
            bar = QRect(rect.left() + 3, rect.top() + 3, max(6, rect.width() // 4), 5)
            painter.fillRect(bar, ACTIVITY_COLOUR)
            if len(day.activities) > 1:
                painter.setPen(ACTIVITY_COLOUR)
                painter.drawText(bar.right() + 3, bar.bottom() + 3, str(len(day.activities)))
        if day.flags:
            painter.setPen(QPen(FLAG_COLOUR, 2))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


UPCOMING_COLUMNS = [
    TreeColumn("on", "日期", 95, "date"),
    TreeColumn("days_left", "还有(天)", 65, "int"),
    TreeColumn("kind", "类型", 55),
    TreeColumn("name", "名称", 240),
    TreeColumn("note", "提示", 220),
]


class CalendarPane(QWidget):
    """The calendar page of the activities tab."""

    activity_opened = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self.calendar = KeyDateCalendar(self)
        self.calendar.setSelectedDate(to_qdate(self.today))
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.load_month())
        self.calendar.selectionChanged.connect(self.show_day)
        self.day_list = QListWidget(objectName="calendar_day_list")
        self.day_list.itemActivated.connect(self._open_item)
        legend = QLabel(
            f"<span style='color:{KEY_DATE_COLOUR.name()}'>■ 重要节点</span>　"
            f"<span style='color:{ACTIVITY_COLOUR.name()}'>■ 活动</span>　"
            f"<span style='color:{FLAG_COLOUR.name()}'>□ 计划有安排但尚无活动</span>"
        )
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.calendar, 3)
        left_layout.addWidget(legend)
        left_layout.addWidget(QLabel("当天："))
        left_layout.addWidget(self.day_list, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self._right_side())
        splitter.setSizes([560, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(splitter)

    def _right_side(self) -> QWidget:
        self.days_ahead = QSpinBox(objectName="upcoming_days", minimum=1, maximum=366)
        self.days_ahead.setValue(DEFAULT_UPCOMING_DAYS)
        self.days_ahead.setSuffix(" 天")
        self.days_ahead.valueChanged.connect(lambda _n: self.load_upcoming())
        self.upcoming_model = RecordTreeModel(UPCOMING_COLUMNS, parent=self)
        self.upcoming_view = QTreeView(objectName="upcoming_view", rootIsDecorated=False)
        self.upcoming_view.setModel(self.upcoming_model)
        self.upcoming_view.setAlternatingRowColors(True)
        for i, column in enumerate(UPCOMING_COLUMNS):
            self.upcoming_view.setColumnWidth(i, column.width)
        self.upcoming_view.activated.connect(self._open_upcoming)
        upcoming_box = QGroupBox("即将到来")
        box = QVBoxLayout(upcoming_box)
        row = QHBoxLayout()
        row.addWidget(QLabel("未来"))
        row.addWidget(self.days_ahead)
        row.addWidget(QLabel("内的节点与活动；节点在其提前提醒天数内也会列出。"))
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.upcoming_view)

        self.key_dates = ListTable(KEY_DATES, self)
        self.key_dates.add_button("新增节点…", self.new_key_date, name="new_key_date")
        self.key_dates.add_button("编辑…", self.edit_key_date, name="edit_key_date")
        self.key_dates.add_button("删除", self.delete_key_date, name="delete_key_date")
        self.key_dates.on_activated(self.edit_key_date)
        key_box = QGroupBox("重要节点（公历或农历，每年自动换算）")
        QVBoxLayout(key_box).addWidget(self.key_dates)

        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(upcoming_box, 1)
        layout.addWidget(key_box, 1)
        return right

    # --- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        self.load_month()
        self.load_upcoming()
        self.key_dates.refresh()

    def load_month(self) -> None:
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        self.calendar.set_days(read(lambda session: month_calendar(session, year, month)))
        self.show_day()

    def load_upcoming(self) -> None:
        days = self.days_ahead.value()
        items = read(lambda session: upcoming(session, self.today, days))
        rows = []
        for i, item in enumerate(items, start=1):
            note = item.flag or (f"{item.rule}；提醒期内" if item.remind else item.rule)
            rows.append(
                TreeRow(
                    id=i,
                    parent_id=None,
                    values={
                        "on": item.on,
                        "days_left": item.days_left,
                        "kind": "节点" if item.kind == "key_date" else "活动",
                        "name": item.name,
                        "note": note,
                        "activity_id": item.activity_id,
                    },
                    bold=item.kind == "key_date" and item.remind,
                    foreground=FLAG_COLOUR.name() if item.flag else None,
                    tooltip=item.flag,
                )
            )
        if not rows:
            rows.append(TreeRow(1, None, {"name": "这段时间没有重要节点或已安排的活动。"}))
        self.upcoming_model.set_rows(rows)

    def show_day(self) -> None:
        day = from_qdate(self.calendar.selectedDate())
        entry = self.calendar.days.get(day, CalendarDay())
        self.day_list.clear()
        for node in entry.key_dates:
            item = QListWidgetItem(f"重要节点：{node.name}（{node.rule}）")
            item.setForeground(KEY_DATE_COLOUR)
            self.day_list.addItem(item)
        for flag in entry.flags:
            item = QListWidgetItem(f"提醒：{flag}")
            item.setForeground(FLAG_COLOUR)
            self.day_list.addItem(item)
        for activity_id, title, status in entry.activities:
            item = QListWidgetItem(f"活动：{title}（{status}）")
            item.setData(_ID, activity_id)
            item.setForeground(ACTIVITY_COLOUR)
            self.day_list.addItem(item)
        if not self.day_list.count():
            self.day_list.addItem(f"{day:%Y-%m-%d} 没有节点或活动。")

    def _open_item(self, item: QListWidgetItem) -> None:
        if item.data(_ID):
            self.activity_opened.emit(item.data(_ID))

    def _open_upcoming(self, index) -> None:
        row = self.upcoming_model.row_for(index)
        if row and row.values.get("activity_id"):
            self.activity_opened.emit(row.values["activity_id"])

    # --- key dates --------------------------------------------------------------------

    def new_key_date(self) -> None:
        KeyDateDialog(None, self).exec()

    def edit_key_date(self, key_date_id: int | None = None) -> None:
        key_date_id = key_date_id or self.key_dates.current_id()
        if key_date_id:
            KeyDateDialog(key_date_id, self).exec()

    def delete_key_date(self) -> None:
        key_date_id = self.key_dates.current_id()
        if key_date_id and confirm(self, "删除选中的重要节点？（可在回收站恢复）"):
            change(
                self, lambda s: delete_key_date(s, key_date_id), Changed.KEY_DATES, action="删除"
            ).run()


class KeyDateDialog(FormDialog):
    """A key date: solar or lunar month/day, with a preview of the dates it falls on."""

    changes = Changed.KEY_DATES

    def __init__(self, key_date_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__("编辑重要节点" if key_date_id else "新增重要节点", parent)
        self.key_date_id = key_date_id
        data = (
            read(lambda session: key_date_form(session, key_date_id))
            if key_date_id
            else KeyDateInput("")
        )
        self.version = data.version
        self.name = self.add_field("节点名称", QLineEdit(data.name, objectName="key_date_name"))
        self.calendar = self.add_field(
            "历法",
            choice_combo(
                list(CalendarKind.labels().items()), data.calendar, name="key_date_calendar"
            ),
        )
        self.month = self.add_field(
            "月", QSpinBox(objectName="key_date_month", minimum=1, maximum=12)
        )
        self.month.setValue(data.month)
        self.day = self.add_field("日", QSpinBox(objectName="key_date_day", minimum=1, maximum=31))
        self.day.setValue(data.day)
        self.remind = self.add_field(
            "提前提醒", QSpinBox(objectName="key_date_remind", maximum=180, suffix=" 天")
        )
        self.remind.setValue(data.remind_days)
        self.note = self.add_field("备注", QLineEdit(data.note, objectName="key_date_note"))
        self.preview = QLabel(objectName="key_date_preview")
        self.form.addRow("换算", self.preview)
        for widget in (self.month, self.day):
            widget.valueChanged.connect(self._update_preview)
        self.calendar.currentIndexChanged.connect(self._update_preview)
        self._update_preview()

    def reopened(self) -> KeyDateDialog | None:
        return KeyDateDialog(self.key_date_id, self.parentWidget())

    def _update_preview(self) -> None:
        kind, month, day = self.calendar.currentData(), self.month.value(), self.day.value()
        this_year = date.today().year
        try:
            dates = "，".join(
                f"{y}年：{resolve_key_date(y, kind, month, day):%Y-%m-%d}"
                for y in (this_year, this_year + 1)
            )
            self.preview.setText(f"{key_date_rule_text(kind, month, day)} → {dates}")
        except DeskLeagueError as exc:
            self.preview.setText(str(exc))

    def save(self, session) -> None:
        data = KeyDateInput(
            self.name.text(),
            self.calendar.currentData(),
            self.month.value(),
            self.day.value(),
            self.remind.value(),
            self.note.text().strip(),
            version=self.version,
        )
        if self.key_date_id is None:
            create_key_date(session, data)
        else:
            update_key_date(session, self.key_date_id, data)
