"""Volunteer hours from a 志愿服务 activity: the participants who are volunteers come chosen,
the others are named with one action to register them; the hours are entered once."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import VolunteerStatus
from desk_league.errors import NeedsConfirmation
from desk_league.services.activities import (
    ACTIVITY_SERVICE_RECORDS,
    HoursCandidates,
    activity_form,
    hours_candidates,
    record_activity_hours,
)
from desk_league.services.volunteers import VOLUNTEERS, register_people_as_volunteers
from desk_league.ui.base_tab import ListTable
from desk_league.ui.forms import ListPickerDialog, date_edit, from_qdate, tool_button
from desk_league.ui.messages import confirm, inform, show_error
from desk_league.ui.operations import Changed, change, long_change, read


class ActivityHoursDialog(QDialog):
    def __init__(self, activity_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activity_hours_dialog")
        self.setWindowTitle("登记志愿服务时长")
        self.activity_id = activity_id
        self.chosen: list[tuple[int, str]] = []
        activity, candidates = read(
            lambda session: (
                activity_form(session, activity_id),
                hours_candidates(session, activity_id),
            )
        )
        title, start = activity.title, activity.start_date
        end = activity.end_date or activity.start_date
        heading = QLabel(
            f"<b>{title}</b>　{start:%Y-%m-%d}" + (f" 至 {end:%Y-%m-%d}" if end != start else "")
        )

        self.records = ListTable(ACTIVITY_SERVICE_RECORDS, self)
        self.records.model.query.filters["activity_id"] = activity_id
        records_box = QGroupBox("本活动已登记的服务记录（已审核的记录不会因修改活动而改变）")
        QVBoxLayout(records_box).addWidget(self.records)

        self.chosen_label = QLabel("尚未选择志愿者", objectName="chosen_volunteers", wordWrap=True)
        self.others_label = QLabel(objectName="participants_not_volunteers", wordWrap=True)
        self.register_button = tool_button(
            "登记为志愿者", self.register_participants, "register_participants"
        )
        self.hours = QDoubleSpinBox(
            objectName="hours", minimum=0.5, maximum=24, singleStep=0.5, decimals=1
        )
        self.hours.setValue(2.0)
        self.hours.setSuffix(" 小时")
        self.served_on = date_edit(start, "served_on")
        form = QFormLayout()
        pick_row = QHBoxLayout()
        pick_row.addWidget(tool_button("选择志愿者…", self.pick_volunteers, "pick_volunteers"))
        pick_row.addWidget(self.chosen_label, 1)
        form.addRow("志愿者", pick_row)
        others_row = QHBoxLayout()
        others_row.addWidget(self.others_label, 1)
        others_row.addWidget(self.register_button)
        form.addRow("", others_row)
        form.addRow("每人时长", self.hours)
        form.addRow("服务日期", self.served_on)
        entry_box = QGroupBox("新登记（状态为待审核）")
        entry_box.setLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        self.record_button = tool_button("登记时长", self.record, "record_hours")
        buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(records_box, 1)
        layout.addWidget(entry_box)
        layout.addWidget(buttons)
        self.resize(720, 620)
        self.records.refresh()
        self.show_candidates(candidates)

    def show_candidates(self, candidates: HoursCandidates) -> None:
        """The participants who are volunteers come chosen; the others are named, with the
        action that registers them."""
        self.set_chosen(candidates.volunteers)
        self.others = candidates.not_volunteers
        lines = []
        if self.others:
            names = "、".join(name for _, name in self.others)
            lines.append(f"参与人员中尚未登记为志愿者的 {len(self.others)} 人：{names}")
        if candidates.inactive:
            lines.append(f"志愿者状态不在册、未选入：{'、'.join(candidates.inactive)}")
        self.others_label.setText("\n".join(lines))
        self.others_label.setVisible(bool(lines))
        self.register_button.setVisible(bool(self.others))

    def register_participants(self) -> None:
        """Register the participants who are not volunteers yet, and choose them too."""
        person_ids = [pid for pid, _ in self.others]

        def done(candidates: HoursCandidates) -> None:
            chosen = dict(self.chosen)
            self.show_candidates(candidates)
            self.set_chosen(list({**chosen, **dict(candidates.volunteers)}.items()))

        change(
            self,
            lambda session: (
                register_people_as_volunteers(session, person_ids),
                hours_candidates(session, self.activity_id),
            )[1],
            Changed.VOLUNTEERS,
            action="登记为志愿者",
        ).success(done).run()

    def pick_volunteers(self) -> None:
        picker = ListPickerDialog(
            VOLUNTEERS,
            "选择参加活动的志愿者",
            filters={"status": VolunteerStatus.ACTIVE},
            parent=self,
        )
        if picker.exec():
            self.set_chosen(picker.chosen())

    def set_chosen(self, chosen: list[tuple[int, str]]) -> None:
        self.chosen = chosen
        names = "、".join(name for _, name in chosen)
        self.chosen_label.setText(f"已选 {len(chosen)} 人：{names}" if chosen else "尚未选择志愿者")

    def record(self, *, confirmed: bool = False) -> None:
        """One pending record per chosen volunteer. A volunteer whose day already holds this
        service (an imported sheet, a form) stops the entry; the clerk may confirm and go on."""
        volunteer_ids = [vid for vid, _ in self.chosen]
        hours, served_on = self.hours.value(), from_qdate(self.served_on.date())

        def done(result) -> None:
            self.set_chosen([])
            self.records.refresh()
            inform(self, result.message)

        def refused(exc: BaseException) -> None:
            if isinstance(exc, NeedsConfirmation) and confirm(self, f"{exc}\n\n仍要登记吗？"):
                self.record(confirmed=True)
            elif not isinstance(exc, NeedsConfirmation):
                show_error(self, exc, "登记志愿服务时长")

        # a big team is hundreds of rows: in the background, so the window stays responsive
        long_change(
            self,
            "登记志愿服务时长",
            lambda session, _progress: record_activity_hours(
                session,
                self.activity_id,
                volunteer_ids,
                hours,
                served_on,
                confirm_duplicates=confirmed,
            ),
            Changed.SERVICE_RECORDS,
        ).success(done).failure(refused).run()
