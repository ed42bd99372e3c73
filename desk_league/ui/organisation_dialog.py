"""Forms of the 团组织 tab: an organisation (its 书记 among its members), the term length per
kind."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from desk_league.domain.codes import OrgKind
from desk_league.services.members import member_choices
from desk_league.services.organisations import (
    TERM_YEARS_RANGE,
    OrganisationInput,
    create_organisation,
    organisation_choices,
    organisation_form,
    set_term_years,
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
        data, parents, people, default_years = read(
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
            )
        )
        self.version, self.today = data.version, today  # as loaded (see FormDialog.reopened)
        self.name = self.add_field("团组织名称", QLineEdit(data.name, objectName="org_name"))
        self.kind = self.add_field(
            "类别", choice_combo(list(OrgKind.labels().items()), data.kind, name="org_kind")
        )
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
            "按设置（" + "，".join(f"{k.label}{v}年" for k, v in default_years.items()) + "）"
        )
        self.term_years.setSuffix(" 年")
        self.term_years.setValue(data.term_years or 0)
        self.note = self.add_field("备注", QPlainTextEdit(data.note, objectName="org_note"))
        self.note.setMaximumHeight(70)
        self.today = today
        self.resize(560, 520)

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
            version=self.version,
        )
        if self.org_id is None:
            return create_organisation(session, data, self.today).id
        return update_organisation(session, self.org_id, data, self.today).id


class TermYearsDialog(FormDialog):
    """团章 allows a range of term lengths; the office sets its own per kind."""

    changes = Changed.ORGANISATIONS | Changed.SETTINGS  # terms end on other dates now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("任期设置", parent)
        years = read(term_years_setting)
        self.spins: dict[str, QSpinBox] = {}
        low, high = TERM_YEARS_RANGE
        for kind in OrgKind:
            spin = QSpinBox(
                objectName=f"term_years_{kind}", minimum=low, maximum=high, suffix=" 年"
            )
            spin.setValue(years[kind])
            self.spins[kind] = self.add_field(f"{kind.label}任期", spin)

    def save(self, session) -> None:
        set_term_years(session, {kind: spin.value() for kind, spin in self.spins.items()})
