"""The activity form: what happened, who took part, which plan tasks it served, its photos."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import ActivityStatus
from desk_league.services import store
from desk_league.services.activities import (
    ActivityInput,
    activity_attachments,
    activity_categories,
    activity_form,
    add_attachments,
    create_activity,
    key_date_choices,
    organiser_by_name,
    people_names,
    plan_task_choices,
    remove_attachment,
    update_activity,
)
from desk_league.services.organisations import organisation_choices
from desk_league.services.people import PEOPLE
from desk_league.ui.forms import (
    FormDialog,
    ListPickerDialog,
    OptionalDate,
    choice_combo,
    date_edit,
    from_qdate,
    tool_button,
)
from desk_league.ui.operations import Changed, read

THUMBNAIL = QSize(96, 96)
_ID = Qt.ItemDataRole.UserRole


class ActivityDialog(FormDialog):
    # an activity carries out plan tasks; its pending service records follow its date and place
    changes = Changed.ACTIVITIES | Changed.PLAN | Changed.SERVICE_RECORDS

    def __init__(
        self,
        activity_id: int | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__("编辑活动" if activity_id else "新建活动", parent)
        self.setObjectName("activity_dialog")
        self.activity_id, self.today = activity_id, today or date.today()
        self.new_files: list[Path] = []
        self.removed_attachments: list[int] = []
        self.attachments_dir = store.attachments_dir()
        data, categories, organisations, key_dates, names, attachments = read(self._load)
        self.version = data.version  # the activity as loaded: a save over a newer one is refused
        self._build_fields(data, categories, organisations, key_dates)
        self.tabs = QTabWidget(objectName="activity_form_tabs")
        self.tabs.addTab(self._participants_page(data, names), "参与人员")
        self.tabs.addTab(self._tasks_page(), "对应计划事项")
        self.tabs.addTab(self._attachments_page(attachments), "照片与附件")
        self.add_section(self.tabs, 1)
        self._linked_tasks = set(data.plan_item_ids)
        self._load_tasks()
        self.start.dateChanged.connect(lambda _d: self._load_tasks())
        self.resize(720, 660)  # fits a 1366×768 laptop, and 1920×1080 at 150 %

    def _load(self, session):
        activity_id = self.activity_id
        data = activity_form(session, activity_id) if activity_id else ActivityInput("", self.today)
        return (
            data,
            activity_categories(session),
            organisation_choices(session),
            key_date_choices(session),
            people_names(session, data.participant_ids),
            activity_attachments(session, activity_id, self.attachments_dir) if activity_id else [],
        )

    def reopened(self) -> ActivityDialog | None:
        return ActivityDialog(self.activity_id, self.parentWidget(), today=self.today)

    @property
    def saved_id(self) -> int | None:
        """The activity's id once saved."""
        return self.result_value[0] if self.result_value else None

    @property
    def notice(self) -> str:
        """What the clerk should know about the saved activity (from the service)."""
        return self.result_value[1] if self.result_value else ""

    # --- the fields -----------------------------------------------------------------------

    def _build_fields(self, data: ActivityInput, categories, organisations, key_dates) -> None:
        self.title_edit = self.add_field(
            "活动名称", QLineEdit(data.title, objectName="activity_title")
        )
        if data.category not in categories:
            categories = [*categories, data.category]
        self.category = self.add_field(
            "类别",
            choice_combo([(c, c) for c in categories], data.category, name="activity_category"),
        )
        self.start = self.add_field("开始日期", date_edit(data.start_date, "activity_start"))
        self.end = self.add_field(
            "结束日期", OptionalDate("多日活动，结束于", data.start_date, "activity_end")
        )
        # a one-day activity keeps its end date empty; the ledger shows a single day
        self.end.set_value(data.end_date if data.end_date != data.start_date else None)
        self.place = self.add_field("地点", QLineEdit(data.place, objectName="activity_place"))
        self.organiser = self.add_field(
            "主办单位", self._organiser_combo(organisations, data.organiser_id)
        )
        self.co_organisers = self.add_field(
            "协办单位",
            QLineEdit(
                data.co_organisers,
                objectName="activity_co_organisers",
                placeholderText="多个单位用顿号分隔",
            ),
        )
        self.count = self.add_field(
            "参与人数", QSpinBox(objectName="activity_count", maximum=100000)
        )
        self.count.setValue(data.participant_count)
        self.key_date = self.add_field(
            "重要节点",
            choice_combo(key_dates, data.key_date_id, none_text="（无）", name="activity_key_date"),
        )
        self.status = self.add_field(
            "状态",
            choice_combo(
                list(ActivityStatus.labels().items()), data.status, name="activity_status"
            ),
        )
        self.summary = self.add_field(
            "活动概况", QPlainTextEdit(data.summary, objectName="activity_summary")
        )
        self.summary.setMaximumHeight(90)

    def _organiser_combo(self, organisations, current: int | None) -> QComboBox:
        combo = choice_combo(
            organisations, current, none_text="", editable=True, name="activity_organiser"
        )
        completer = QCompleter([name for _, name in organisations], combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.setCompleter(completer)
        combo.lineEdit().setPlaceholderText("输入或选择团组织")
        return combo

    # --- participants -----------------------------------------------------------------

    def _participants_page(self, data: ActivityInput, names: dict[int, str]) -> QWidget:
        page = QWidget()
        self.participants = QListWidget(objectName="activity_participants")
        self.participants.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        for person_id in data.participant_ids:
            self._add_participant(person_id, names.get(person_id, f"#{person_id}"))
        buttons = QHBoxLayout()
        buttons.addWidget(tool_button("添加人员…", self.pick_participants, "add_participants"))
        buttons.addWidget(tool_button("移除", self._remove_participants, "remove_participants"))
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.participants)
        return page

    def _add_participant(self, person_id: int, name: str) -> None:
        if person_id in self.participant_ids():
            return
        item = QListWidgetItem(name)
        item.setData(_ID, person_id)
        self.participants.addItem(item)

    def participant_ids(self) -> list[int]:
        return [self.participants.item(i).data(_ID) for i in range(self.participants.count())]

    def pick_participants(self) -> None:
        picker = ListPickerDialog(
            PEOPLE,
            "选择参与人员",
            hint="团员、志愿者和其他已登记的人员都在这里；可按住 Ctrl 或 Shift 多选，在搜索框中输入姓名查找。",
            parent=self,
        )
        if picker.exec():
            for person_id, name in picker.chosen():
                self._add_participant(person_id, name)

    def _remove_participants(self) -> None:
        for item in self.participants.selectedItems():
            self.participants.takeItem(self.participants.row(item))

    # --- plan tasks ----------------------------------------------------------------------

    def _tasks_page(self) -> QWidget:
        page = QWidget()
        self.tasks_label = QLabel()
        self.tasks = QListWidget(objectName="activity_plan_tasks")
        layout = QVBoxLayout(page)
        layout.addWidget(self.tasks_label)
        layout.addWidget(self.tasks)
        return page

    def _load_tasks(self) -> None:
        if self.tasks.count():  # keep what the clerk ticked when the start date moves
            self._linked_tasks = set(self.plan_task_ids())
        year = from_qdate(self.start.date()).year
        choices = read(lambda session: plan_task_choices(session, year))
        self.tasks.clear()
        for task_id, label in choices:
            item = QListWidgetItem(label)
            item.setData(_ID, task_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = task_id in self._linked_tasks
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.tasks.addItem(item)
        self.tasks_label.setText(
            f"勾选本活动落实的{year}年工作计划事项：" if choices else f"{year}年还没有工作计划。"
        )

    def plan_task_ids(self) -> list[int]:
        return [
            self.tasks.item(i).data(_ID)
            for i in range(self.tasks.count())
            if self.tasks.item(i).checkState() == Qt.CheckState.Checked
        ]

    # --- attachments -----------------------------------------------------------------

    def _attachments_page(self, attachments) -> QWidget:
        page = QWidget()
        self.attachments = QListWidget(objectName="activity_attachments")
        self.attachments.setViewMode(QListView.ViewMode.IconMode)
        self.attachments.setIconSize(THUMBNAIL)
        self.attachments.setGridSize(QSize(THUMBNAIL.width() + 40, THUMBNAIL.height() + 40))
        self.attachments.setResizeMode(QListView.ResizeMode.Adjust)
        self.attachments.setWordWrap(True)
        self.attachments.itemActivated.connect(self._open_attachment)
        for attachment in attachments:
            self._show_attachment(attachment.file_name, attachment.path, attachment.id)
        buttons = QHBoxLayout()
        buttons.addWidget(tool_button("添加照片或文件…", self.choose_files, "add_attachments"))
        buttons.addWidget(tool_button("移除", self._remove_attachments, "remove_attachments"))
        buttons.addStretch(1)
        if self.attachments_dir is None:
            buttons.addWidget(QLabel("（服务器数据库不保存附件）"))
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.attachments)
        return page

    def _show_attachment(self, name: str, path: Path, attachment_id: int | None) -> None:
        pixmap = QPixmap(str(path))
        if pixmap.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        else:
            icon = QIcon(
                pixmap.scaled(
                    THUMBNAIL,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        item = QListWidgetItem(icon, name)
        item.setData(_ID, attachment_id)
        item.setData(Qt.ItemDataRole.UserRole + 1, str(path))
        item.setToolTip(str(path))
        self.attachments.addItem(item)

    def choose_files(self, files: list[str] | None = None) -> None:
        if files is None:
            files, _ = QFileDialog.getOpenFileNames(
                self,
                "选择照片或文件",
                str(Path.home()),
                "照片 (*.jpg *.jpeg *.png *.gif *.bmp);;所有文件 (*)",
            )
        for file in map(Path, files or []):
            self.new_files.append(file)
            self._show_attachment(file.name, file, None)

    def _remove_attachments(self) -> None:
        for item in self.attachments.selectedItems():
            attachment_id = item.data(_ID)
            if attachment_id is None:
                self.new_files.remove(Path(item.data(Qt.ItemDataRole.UserRole + 1)))
            else:
                self.removed_attachments.append(attachment_id)
            self.attachments.takeItem(self.attachments.row(item))

    def _open_attachment(self, item: QListWidgetItem) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(Qt.ItemDataRole.UserRole + 1)))

    # --- saving ----------------------------------------------------------------------

    def save(self, session) -> tuple[int, str]:
        data = ActivityInput(
            title=self.title_edit.text(),
            start_date=from_qdate(self.start.date()),
            end_date=self.end.value(),
            category=self.category.currentData(),
            place=self.place.text().strip(),
            organiser_id=organiser_by_name(session, self.organiser.currentText()),
            co_organisers=self.co_organisers.text().strip(),
            participant_count=self.count.value(),
            summary=self.summary.toPlainText().strip(),
            key_date_id=self.key_date.currentData(),
            status=self.status.currentData(),
            participant_ids=self.participant_ids(),
            plan_item_ids=self.plan_task_ids(),
            version=self.version,
        )
        if self.activity_id is None:
            saved = create_activity(session, data)
        else:
            saved = update_activity(session, self.activity_id, data)
        for attachment_id in self.removed_attachments:
            remove_attachment(session, attachment_id)
        if self.new_files:
            add_attachments(session, saved.activity.id, self.new_files, self.attachments_dir)
        return saved.activity.id, saved.notice
