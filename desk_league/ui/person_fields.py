"""The fields of a person on a form: the same on the volunteer form and the member form.

A person is one record whatever roles they hold; a form shows the fields its role needs and
keeps the rest as loaded (``value`` starts from the person as read), so saving a volunteer never
clears the 入团日期 the member register holds.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from desk_league.domain.codes import Education, PoliticalStatus
from desk_league.domain.ethnicity import ETHNIC_GROUPS, OTHER_GROUPS
from desk_league.domain.id_number import ID_FIELD, ID_TYPES
from desk_league.services.people import PersonInput
from desk_league.ui.forms import FormDialog, OptionalDate, choice_combo

FROM_ID = "（按身份证号）"
TYPICAL_BIRTH_AGE = 25  # where the birth-date calendar opens: most of them are young


class PersonFields:
    """Adds a person's fields to ``form``; ``league`` adds 民族, 学历 and 入团日期 too."""

    def __init__(
        self,
        form: FormDialog,
        person: PersonInput,
        organisations: list[tuple[int, str]],
        *,
        unit_label: str = "单位",
        league: bool = False,
        layout: QFormLayout | None = None,
    ) -> None:
        self.loaded = person
        today = date.today()

        def add(label, widget, **kw):
            return form.add_field(label, widget, form=layout, **kw)

        self.name = add("姓名*", QLineEdit(person.name, objectName="name"))
        self.id_type = add(
            "证件类型", choice_combo([(t, t) for t in ID_TYPES], person.id_type, name="id_type")
        )
        self.id_number = add(
            "证件号码", QLineEdit(person.id_number, objectName="id_number"), also=(ID_FIELD,)
        )
        self.id_number.setPlaceholderText("18位身份证号，出生日期和性别自动读取")
        self.gender = add(
            "性别",
            choice_combo([("", FROM_ID), ("男", "男"), ("女", "女")], person.gender, name="gender"),
        )
        self.birth_date = add(
            "出生日期",
            OptionalDate(
                "手工填写",
                person.birth_date or date(today.year - TYPICAL_BIRTH_AGE, 1, 1),
                "birth_date",
            ),
        )
        self.birth_date.set_value(person.birth_date)
        self.birth_date.setToolTip("居民身份证可不填，出生日期从身份证号读取")
        self.ethnicity: QComboBox | None = None
        if league:
            groups = [(g, g) for g in ("", *ETHNIC_GROUPS, *OTHER_GROUPS)]
            self.ethnicity = add(
                "民族", choice_combo(groups, person.ethnicity, editable=True, name="ethnicity")
            )
        phone_label = "手机" if league else "联系电话"  # as each register calls it
        self.phone = add(
            phone_label, QLineEdit(person.phone, objectName="phone"), also=("联系电话", "手机")
        )
        self.unit = add(
            unit_label,
            choice_combo(organisations, person.organisation_id, none_text="（未填）", name="unit"),
            also=("单位团组织",),
        )
        self.department = add("科室", QLineEdit(person.department, objectName="department"))
        self.political = add(
            "政治面貌",
            choice_combo(
                list(PoliticalStatus.labels().items()),
                person.political_status or None,
                none_text="（未填）",
                name="political",
            ),
        )
        self.education: QComboBox | None = None
        self.joined: OptionalDate | None = None
        if league:
            self.education = add(
                "学历",
                choice_combo(
                    list(Education.labels().items()),
                    person.education or None,
                    none_text="（未填）",
                    name="education",
                ),
            )
            self.joined = add(
                "入团日期",
                OptionalDate("已知", person.league_joined_on or today, "league_joined_on"),
            )
            self.joined.set_value(person.league_joined_on)

    def value(self) -> PersonInput:
        """The person as typed, with what this form does not show kept as it was loaded."""
        chosen = replace(
            self.loaded,
            name=self.name.text(),
            id_type=self.id_type.currentData(),
            id_number=self.id_number.text(),
            gender=self.gender.currentData(),
            birth_date=self.birth_date.value(),
            phone=self.phone.text(),
            organisation_id=self.unit.currentData(),
            department=self.department.text(),
            political_status=self.political.currentData() or "",
        )
        if self.ethnicity is not None:
            chosen.ethnicity = self.ethnicity.currentText()
        if self.education is not None:
            chosen.education = self.education.currentData() or ""
        if self.joined is not None:
            chosen.league_joined_on = self.joined.value()
        return chosen
