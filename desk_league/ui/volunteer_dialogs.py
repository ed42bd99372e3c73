"""The forms of the 志愿者 tab: a volunteer, a service record, a service certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.dates import parse_date
from desk_league.domain.id_number import ID_TYPES
from desk_league.errors import DeskLeagueError, ValidationError
from desk_league.services.people import POLITICAL_STATUSES, PersonInput
from desk_league.services.service_hours import ServiceRecordInput
from desk_league.services.service_proofs import ProofSettings
from desk_league.services.volunteers import VOLUNTEER_STATUSES, VolunteerInput
from desk_league.ui.messages import show_error

FROM_ID = "（按身份证号）"


def _date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def _optional_date(edit: QLineEdit, field: str) -> date | None:
    text = edit.text().strip()
    return parse_date(text, field=field) if text else None


def _combo(items, current: str = "", editable: bool = False, name: str = "") -> QComboBox:
    combo = QComboBox(objectName=name or None)
    combo.setEditable(editable)
    combo.addItems(list(items))
    if current:
        index = combo.findText(current)
        if index < 0:
            combo.addItem(current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
    return combo


class _FormDialog(QDialog):
    """A form whose OK runs ``save``; an error keeps the dialog open with the message shown."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error_label = QLabel(objectName="form_error")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.buttons = buttons

    def save(self) -> None:
        raise NotImplementedError

    def _try_accept(self) -> None:
        try:
            self.save()
        except DeskLeagueError as exc:
            self.error_label.setText(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown, and the form stays open
            show_error(self, exc, self.windowTitle())
            return
        self.accept()


@dataclass
class VolunteerChoices:
    organisations: list[tuple[int, str]]
    teams: list[str]


class VolunteerDialog(_FormDialog):
    """登记 / 修改 a volunteer. ``submit(data)`` saves it (the tab passes the service call)."""

    def __init__(self, choices: VolunteerChoices, submit, data: VolunteerInput | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("修改志愿者" if data else "登记志愿者", parent)
        self.submit = submit
        data = data or VolunteerInput(person=PersonInput(name=""), registered_on=date.today())
        person = data.person
        self.name = QLineEdit(person.name, objectName="name")
        self.id_type = _combo(ID_TYPES, person.id_type, name="id_type")
        self.id_number = QLineEdit(person.id_number, objectName="id_number")
        self.id_number.setPlaceholderText("18位身份证号，出生日期和性别自动读取")
        self.gender = _combo([FROM_ID, "男", "女"], person.gender, name="gender")
        self.birth_date = QLineEdit(_date_text(person.birth_date), objectName="birth_date")
        self.birth_date.setPlaceholderText("居民身份证可不填")
        self.phone = QLineEdit(person.phone, objectName="phone")
        self.unit = QComboBox(objectName="unit")
        self.unit.addItem("（未填）", None)
        for org_id, name in choices.organisations:
            self.unit.addItem(name, org_id)
        if person.organisation_id is not None:
            self.unit.setCurrentIndex(max(0, self.unit.findData(person.organisation_id)))
        self.department = QLineEdit(person.department, objectName="department")
        self.political = _combo([""] + list(POLITICAL_STATUSES), person.political_status, True, "political")
        self.number = QLineEdit(data.number, objectName="number")
        self.number.setPlaceholderText("留空则按规则自动编号")
        self.registered_on = QLineEdit(_date_text(data.registered_on), objectName="registered_on")
        self.team = _combo([""] + choices.teams, data.team, True, "team")
        self.skills = QLineEdit(data.skills, objectName="skills")
        self.status = _combo(VOLUNTEER_STATUSES, data.status, name="status")
        self.note = QLineEdit(data.note, objectName="note")
        for label, widget in [
            ("姓名*", self.name), ("证件类型", self.id_type), ("证件号码", self.id_number),
            ("性别", self.gender), ("出生日期", self.birth_date), ("联系电话", self.phone),
            ("单位", self.unit), ("科室", self.department), ("政治面貌", self.political),
            ("志愿者编号", self.number), ("注册日期", self.registered_on), ("服务队", self.team),
            ("特长", self.skills), ("状态", self.status), ("备注", self.note),
        ]:
            self.form.addRow(label, widget)
        self.setMinimumWidth(440)

    def value(self) -> VolunteerInput:
        gender = self.gender.currentText()
        person = PersonInput(
            name=self.name.text(), id_type=self.id_type.currentText(), id_number=self.id_number.text(),
            gender="" if gender == FROM_ID else gender,
            birth_date=_optional_date(self.birth_date, "出生日期"), phone=self.phone.text(),
            organisation_id=self.unit.currentData(), department=self.department.text(),
            political_status=self.political.currentText(),
        )
        return VolunteerInput(
            person=person, number=self.number.text(),
            registered_on=_optional_date(self.registered_on, "注册日期"), team=self.team.currentText(),
            skills=self.skills.text(), status=self.status.currentText(), note=self.note.text(),
        )

    def save(self) -> None:
        self.submit(self.value())


class ServiceRecordDialog(_FormDialog):
    """录入 / 修改 one service record (pending until approved)."""

    def __init__(self, volunteer_label: str, volunteer_id: int, submit,
                 data: ServiceRecordInput | None = None, parent: QWidget | None = None) -> None:
        super().__init__("修改服务记录" if data else "录入服务时长", parent)
        self.submit, self.volunteer_id = submit, volunteer_id
        data = data or ServiceRecordInput(volunteer_id, date.today(), 2.0)
        self.served_on = QLineEdit(data.served_on.isoformat(), objectName="served_on")
        self.hours = QDoubleSpinBox(objectName="hours", minimum=0.5, maximum=24, singleStep=0.5, decimals=1)
        self.hours.setValue(data.hours)
        self.hours.setSuffix(" 小时")
        self.content = QLineEdit(data.content, objectName="content")
        self.place = QLineEdit(data.place, objectName="place")
        self.organiser = QLineEdit(data.organiser, objectName="organiser")
        self.activity_id = data.activity_id
        self.form.addRow("志愿者", QLabel(volunteer_label))
        for label, widget in [("服务日期*", self.served_on), ("服务时长*", self.hours),
                              ("服务内容", self.content), ("服务地点", self.place), ("组织单位", self.organiser)]:
            self.form.addRow(label, widget)
        self.setMinimumWidth(400)

    def value(self) -> ServiceRecordInput:
        served = self.served_on.text().strip()
        if not served:
            raise ValidationError("请填写服务日期。", field="服务日期")
        return ServiceRecordInput(
            self.volunteer_id, parse_date(served, field="服务日期"), self.hours.value(),
            content=self.content.text().strip(), place=self.place.text().strip(),
            organiser=self.organiser.text().strip(), activity_id=self.activity_id,
        )

    def save(self) -> None:
        self.submit(self.value())


class ProofDialog(_FormDialog):
    """The period and options of a 志愿服务证明 (for one or many volunteers), and who signs it.

    ``save_settings(ProofSettings)`` stores the signer lines and seal when the clerk changed them.
    """

    def __init__(self, count: int, settings: ProofSettings, save_settings,
                 parent: QWidget | None = None) -> None:
        super().__init__("出具志愿服务证明", parent)
        today = date.today()
        self.settings, self.save_settings = settings, save_settings
        self.start = QLineEdit(date(today.year, 1, 1).isoformat(), objectName="proof_start")
        self.end = QLineEdit(today.isoformat(), objectName="proof_end")
        self.mask = QCheckBox("证件号码中间打码", objectName="proof_mask")
        self.signer = QLineEdit(settings.signer, objectName="proof_signer")
        self.handler = QLineEdit(settings.handler, objectName="proof_handler")
        self.contact = QLineEdit(settings.contact, objectName="proof_contact")
        self.seal = QLineEdit(settings.seal_image, objectName="proof_seal")
        self.seal.setPlaceholderText("不盖章请留空")
        choose = QPushButton("选择…", objectName="choose_seal")
        choose.clicked.connect(self._choose_seal)
        seal_row = QHBoxLayout()
        seal_row.addWidget(self.seal, 1)
        seal_row.addWidget(choose)
        self.form.addRow("", QLabel(f"已选志愿者 {count} 人，每人一页，证明编号按年度顺序生成。"))
        self.form.addRow("服务期间起", self.start)
        self.form.addRow("服务期间止", self.end)
        self.form.addRow("", self.mask)
        self.form.addRow("负责人", self.signer)
        self.form.addRow("经办人", self.handler)
        self.form.addRow("联系电话", self.contact)
        self.form.addRow("公章图片", seal_row)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选择保存位置…")
        self.period: tuple[date, date] | None = None
        self.setMinimumWidth(460)

    def _choose_seal(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择公章图片", self.seal.text(), "图片 (*.png *.jpg *.jpeg)")
        if path:
            self.seal.setText(path)

    def save(self) -> None:
        start, end = parse_date(self.start.text(), field="服务期间起"), parse_date(self.end.text(), field="服务期间止")
        if start > end:
            raise ValidationError("起始日期不能晚于截止日期。", field="服务期间")
        chosen = ProofSettings(self.signer.text(), self.handler.text(), self.contact.text(), self.seal.text())
        if chosen != self.settings:
            self.save_settings(chosen)
        self.period = (start, end)
