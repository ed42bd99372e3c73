"""Forms of the 团组织 tab: an organisation (its 书记 among its members), the term lengths per
kind and their ranges (the 团章's by default)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desk_league.domain.codes import OrgKind
from desk_league.domain.league import allowed_term_text, term_rule_label
from desk_league.services.members import member_choices
from desk_league.services.organisations import (
    TERM_KINDS,
    TERM_YEARS_RANGE,
    OrganisationInput,
    create_organisation,
    organisation_choices,
    organisation_form,
    set_term_years,
    term_year_ranges,
    term_years_setting,
    update_organisation,
)
from desk_league.ui.forms import FormDialog, OptionalDate, choice_combo
from desk_league.ui.operations import Changed, read


class OrganisationDialog(FormDialog):
    changes = Changed.ORGANISATIONS | Changed.MEMBERS  # the 书记 holds a post

    def __init__(
        self,
        org_id: int | None,
        parent: QWidget | None = None,
        *,
        parent_id: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__("编辑团组织" if org_id else "新建团组织", parent)
        self.setObjectName("organisation_dialog")
        self.org_id = org_id
        today = today or date.today()
        data, parents, people, default_years, ranges = read(
            lambda session: (
                organisation_form(session, org_id)
                if org_id
                else OrganisationInput(  # a top-level one is a 团委, under one a 团支部
                    "",
                    kind=OrgKind.COUNCIL if parent_id is None else OrgKind.BRANCH,
                    parent_id=parent_id,
                ),
                [(i, n) for i, n in organisation_choices(session) if i != org_id],
                member_choices(session, org_id) if org_id else [],
                term_years_setting(session),
                term_year_ranges(session),
            )
        )
        self.version, self.today = data.version, today  # as loaded (see FormDialog.reopened)
        self.name = self.add_field("团组织名称", QLineEdit(data.name, objectName="org_name"))
        self.kind = self.add_field(
            "类别", choice_combo(list(OrgKind.labels().items()), data.kind, name="org_kind")
        )
        self.student = self.add_field(
            "学生团支部", QCheckBox("学校的学生团支部（每届任期1年）", objectName="org_student")
        )
        self.student.setChecked(data.student)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_chosen())
        self._kind_chosen()
        self.unit = self.add_field("所在单位", QLineEdit(data.unit, objectName="org_unit"))
        self.parent_combo = self.add_field(
            "上级组织",
            choice_combo(parents, data.parent_id, none_text="（无，顶层）", name="org_parent"),
        )
        self.secretary = self.add_field(
            "书记",
            choice_combo(people, data.secretary_id, none_text="（未指定）", name="org_secretary"),
        )
        self.secretary.setToolTip(
            "从本组织及下级组织的在团团员中选择；指定后即任书记（从今天起）。"
        )
        if not people:
            self.secretary.setItemText(
                0, "（本组织还没有团员：先在“团员”页登记或转入，再回来指定）"
            )
        self.contact = self.add_field("联系人", QLineEdit(data.contact, objectName="org_contact"))
        self.phone = self.add_field("联系电话", QLineEdit(data.phone, objectName="org_phone"))
        self.established = self.add_field(
            "成立日期", OptionalDate("已知", data.established_on or today, "org_established")
        )
        self.established.set_value(data.established_on)
        self.term_start = self.add_field(
            "本届起始", OptionalDate("已换届，本届始于", data.term_start or today, "org_term_start")
        )
        self.term_start.set_value(data.term_start)
        self.term_years = self.add_field(
            "任期", QSpinBox(objectName="org_term_years", maximum=TERM_YEARS_RANGE[1])
        )
        self.term_years.setSpecialValueText(
            "按设置（"
            + "，".join(f"{term_rule_label(k)}{v}年" for k, v in default_years.items())
            + "）"
        )
        self.term_years.setSuffix(" 年")
        self.term_years.setValue(data.term_years or 0)
        self.term_years.setToolTip(
            "团章规定的每届任期："
            + "；".join(f"{term_rule_label(k)}{allowed_term_text(*r)}" for k, r in ranges.items())
        )
        self.note = self.add_field("备注", QPlainTextEdit(data.note, objectName="org_note"))
        self.note.setMaximumHeight(70)
        self.today = today
        self.resize(560, 520)

    def _kind_chosen(self) -> None:
        self.student.setEnabled(self.kind.currentData() == OrgKind.BRANCH)

    def reopened(self) -> OrganisationDialog | None:
        return OrganisationDialog(self.org_id, self.parentWidget(), today=self.today)

    def save(self, session) -> int:
        data = OrganisationInput(
            name=self.name.text(),
            kind=self.kind.currentData(),
            unit=self.unit.text().strip(),
            parent_id=self.parent_combo.currentData(),
            secretary_id=self.secretary.currentData(),
            contact=self.contact.text().strip(),
            phone=self.phone.text().strip(),
            established_on=self.established.value(),
            term_start=self.term_start.value(),
            term_years=self.term_years.value() or None,
            note=self.note.toPlainText().strip(),
            student=self.student.isChecked() and self.student.isEnabled(),
            version=self.version,
        )
        if self.org_id is None:
            return create_organisation(session, data, self.today).id
        return update_organisation(session, self.org_id, data, self.today).id


class TermYearsDialog(FormDialog):
    """The office's term length per kind, and the lengths allowed: the 团章's (团委 3–5 years,
    团总支 and 团支部 2–3, a student branch 1) unless the rules change."""

    changes = Changed.ORGANISATIONS | Changed.SETTINGS  # terms end on other dates now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("任期设置", parent)
        years, ranges = read(
            lambda session: (term_years_setting(session), term_year_ranges(session))
        )
        self.spins: dict[str, QSpinBox] = {}
        self.ranges: dict[str, tuple[QSpinBox, QSpinBox]] = {}
        low, high = TERM_YEARS_RANGE
        for key in TERM_KINDS:
            label = term_rule_label(key)

            def spin(name: str, value: int) -> QSpinBox:
                box = QSpinBox(objectName=name, minimum=low, maximum=high, suffix=" 年")
                box.setValue(value)
                return box

            row = QWidget()
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            self.spins[key] = spin(f"term_years_{key}", years[key])
            least, most = (
                spin(f"term_min_{key}", ranges[key][0]),
                spin(f"term_max_{key}", ranges[key][1]),
            )
            self.ranges[key] = (least, most)
            for widget in (self.spins[key], QLabel("允许"), least, QLabel("至"), most):
                layout.addWidget(widget)
            layout.addStretch(1)
            self.add_field(f"{label}任期", row)
        self.add_section(
            QLabel(
                "团章：团的基层委员会每届任期三至五年，团总支、团支部每届任期两年或三年；"
                "学生团支部每届任期一年（团支部工作条例）。",
                wordWrap=True,
            )
        )

    def save(self, session) -> None:
        set_term_years(
            session,
            {key: spin.value() for key, spin in self.spins.items()},
            {key: (least.value(), most.value()) for key, (least, most) in self.ranges.items()},
        )
