"""The forms of the 志愿者 tab: a volunteer, a service record, a service certificate."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desk_league.domain.codes import VolunteerStatus
from desk_league.errors import ValidationError
from desk_league.services import service_hours, volunteers
from desk_league.services.organisations import organisation_choices
from desk_league.services.people import PersonInput
from desk_league.services.service_hours import ServiceRecordInput
from desk_league.services.service_proofs import ProofSettings, proof_settings, save_proof_settings
from desk_league.services.volunteers import VolunteerInput
from desk_league.ui.forms import FormDialog, OptionalDate, choice_combo, date_edit, from_qdate
from desk_league.ui.operations import Changed, read
from desk_league.ui.person_fields import PersonFields


class VolunteerDialog(FormDialog):
    """登记 / 修改 a volunteer."""

    changes = Changed.VOLUNTEERS | Changed.PEOPLE

    def __init__(self, volunteer_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("修改志愿者" if volunteer_id else "登记志愿者", parent)
        self.volunteer_id = volunteer_id
        today = date.today()
        organisations, teams, data = read(
            lambda session: (
                organisation_choices(session),
                volunteers.team_names(session),
                volunteers.volunteer_input(session, volunteer_id)
                if volunteer_id
                else VolunteerInput(person=PersonInput(name=""), registered_on=today),
            )
        )
        self.versions = data.version, data.person.version  # as loaded: a newer save is kept
        self.person = PersonFields(self, data.person, organisations)
        self.number = self.add_field("志愿者编号", QLineEdit(data.number, objectName="number"))
        self.number.setPlaceholderText("留空则按规则自动编号")
        self.registered_on = self.add_field(
            "注册日期", OptionalDate("已知", data.registered_on or today, "registered_on")
        )
        self.registered_on.set_value(data.registered_on)
        self.team = self.add_field(
            "服务队",
            choice_combo([(t, t) for t in ("", *teams)], data.team, editable=True, name="team"),
        )
        self.skills = self.add_field("特长", QLineEdit(data.skills, objectName="skills"))
        self.status = self.add_field(
            "状态",
            choice_combo(list(VolunteerStatus.labels().items()), data.status, name="status"),
        )
        self.guardian = self.add_field(
            "监护人同意",
            QCheckBox("已取得监护人书面同意（未满18周岁的志愿者须有）", objectName="guardian"),
        )
        self.guardian.setChecked(data.guardian_consent)
        self.note = self.add_field("备注", QLineEdit(data.note, objectName="note"))
        self.setMinimumWidth(440)

    def value(self) -> VolunteerInput:
        person = self.person.value()  # carries the person's version as loaded
        return VolunteerInput(
            person=person,
            number=self.number.text(),
            registered_on=self.registered_on.value(),
            team=self.team.currentText(),
            skills=self.skills.text(),
            status=self.status.currentData(),
            note=self.note.text(),
            guardian_consent=self.guardian.isChecked(),
            version=self.versions[0],
        )

    def reopened(self) -> VolunteerDialog | None:
        return VolunteerDialog(self.volunteer_id, self.parentWidget())

    def save(self, session) -> None:
        if self.volunteer_id is None:
            volunteers.register_volunteer(session, self.value())
        else:
            volunteers.update_volunteer(session, self.volunteer_id, self.value())


class ServiceRecordDialog(FormDialog):
    """录入 / 修改 one service record (pending until approved)."""

    changes = Changed.SERVICE_RECORDS

    def __init__(
        self,
        volunteer_label: str,
        volunteer_id: int,
        *,
        record_id: int | None = None,
        data: ServiceRecordInput | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("修改服务记录" if record_id else "录入服务时长", parent)
        self.volunteer_id, self.record_id = volunteer_id, record_id
        self.volunteer_label = volunteer_label
        data = data or ServiceRecordInput(volunteer_id, date.today(), 2.0)
        self.version = data.version
        self.activity_id = data.activity_id
        self.add_field("志愿者", QLabel(volunteer_label))
        self.served_on = self.add_field("服务日期*", date_edit(data.served_on, "served_on"))
        self.hours = self.add_field(
            "服务时长*",
            QDoubleSpinBox(
                objectName="hours",
                minimum=0.5,
                maximum=24,
                singleStep=0.5,
                decimals=1,
                suffix=" 小时",
            ),
        )
        self.hours.setValue(data.hours)
        self.content = self.add_field("服务内容", QLineEdit(data.content, objectName="content"))
        self.place = self.add_field("服务地点", QLineEdit(data.place, objectName="place"))
        self.organiser = self.add_field(
            "组织单位", QLineEdit(data.organiser, objectName="organiser")
        )
        self.setMinimumWidth(400)

    def value(self) -> ServiceRecordInput:
        return ServiceRecordInput(
            self.volunteer_id,
            from_qdate(self.served_on.date()),
            self.hours.value(),
            content=self.content.text().strip(),
            place=self.place.text().strip(),
            organiser=self.organiser.text().strip(),
            activity_id=self.activity_id,
            version=self.version,
        )

    def reopened(self) -> ServiceRecordDialog | None:
        record_id = self.record_id
        if record_id is None:
            return None
        data = read(lambda session: service_hours.service_record_input(session, record_id))
        return ServiceRecordDialog(
            self.volunteer_label,
            self.volunteer_id,
            record_id=record_id,
            data=data,
            parent=self.parentWidget(),
        )

    def save(self, session) -> None:
        # the same service twice on one day is saved only once the clerk confirmed it
        confirmed = self.confirmed
        if self.record_id is None:
            service_hours.add_service_record(session, self.value(), confirm_duplicate=confirmed)
        else:
            service_hours.update_service_record(
                session, self.record_id, self.value(), confirm_duplicate=confirmed
            )


class ProofDialog(FormDialog):
    """The period and options of a 志愿服务证明 (for one or many volunteers), and who signs it.

    保存 keeps the signer lines and seal for next time when the clerk changed them; the tab then
    asks where to write the PDF and issues the proofs for ``period``.
    """

    changes = Changed.SETTINGS  # the signer lines and seal, when changed

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__("出具志愿服务证明", parent)
        today = date.today()
        self.settings = read(proof_settings)
        self.add_field("", QLabel(f"已选志愿者 {count} 人，每人一页，证明编号按年度顺序生成。"))
        self.start = self.add_field(
            "服务期间起", date_edit(date(today.year, 1, 1), "proof_start"), also=("服务期间",)
        )
        self.end = self.add_field("服务期间止", date_edit(today, "proof_end"))
        self.mask = self.add_field("", QCheckBox("证件号码中间打码", objectName="proof_mask"))
        self.signer = self.add_field(
            "负责人", QLineEdit(self.settings.signer, objectName="proof_signer")
        )
        self.handler = self.add_field(
            "经办人", QLineEdit(self.settings.handler, objectName="proof_handler")
        )
        self.contact = self.add_field(
            "联系电话", QLineEdit(self.settings.contact, objectName="proof_contact")
        )
        self.seal = QLineEdit(
            self.settings.seal_image, objectName="proof_seal", placeholderText="不盖章请留空"
        )
        self.add_field("公章图片", self._seal_row())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选择保存位置…")
        self.setMinimumWidth(460)

    @property
    def period(self) -> tuple[date, date] | None:
        """The service period the proofs cover, once the clerk has confirmed it."""
        return self.result_value

    def _seal_row(self) -> QWidget:
        choose = QPushButton("选择…", objectName="choose_seal")
        choose.clicked.connect(self._choose_seal)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.seal, 1)
        layout.addWidget(choose)
        row.setFocusProxy(self.seal)
        return row

    def _choose_seal(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择公章图片", self.seal.text(), "图片 (*.png *.jpg *.jpeg)"
        )
        if path:
            self.seal.setText(path)

    def save(self, session) -> tuple[date, date]:
        start, end = from_qdate(self.start.date()), from_qdate(self.end.date())
        if start > end:
            raise ValidationError("起始日期不能晚于截止日期。", field="服务期间")
        chosen = ProofSettings(
            self.signer.text(), self.handler.text(), self.contact.text(), self.seal.text()
        )
        if chosen != self.settings:
            save_proof_settings(session, chosen)
        return start, end
