"""工具 → 单位与编号设置: the office's name, who signs its registers, and how it numbers things."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QSpinBox, QWidget

from desk_league.domain.numbering import format_number
from desk_league.errors import ValidationError
from desk_league.services.settings import (
    NUMBER_PATTERN_LABELS,
    REVIEW_CYCLE_RANGE,
    OfficeSettings,
    office_settings,
    save_office_settings,
)
from desk_league.ui.forms import FormDialog
from desk_league.ui.operations import Changed, read

SIGN_BY_HAND = "留空则在表上留出手写签名处"


class OfficeSettingsDialog(FormDialog):
    """Every value is checked on 保存; a wrong numbering pattern keeps the form open on its field.
    Each pattern shows the number it would give next to it while the clerk types."""

    changes = Changed.SETTINGS  # the plan's title, the review cycle's reminders

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__("单位与编号设置", parent)
        self.year = (today or date.today()).year
        current = read(office_settings)
        self.office_name = self._line(
            "单位名称", current.office_name, "office_name", "印在登记表“填报单位”、证明和证书落款处"
        )
        self.office_short_name = self._line(
            "单位简称",
            current.office_short_name,
            "office_short_name",
            "用于工作计划标题，如“市直卫生系统团委”",
        )
        self.form_filler = self._line("填表人", current.form_filler, "form_filler", SIGN_BY_HAND)
        self.form_reviewer = self._line(
            "审核人", current.form_reviewer, "form_reviewer", SIGN_BY_HAND
        )
        self.add_field(
            "", _note("编号格式：{year} 为年度，{seq} 为序号，{seq:05d} 为补足5位的序号。")
        )
        self.patterns: dict[str, QLineEdit] = {}
        self.samples: dict[str, QLabel] = {}
        for key, label in NUMBER_PATTERN_LABELS.items():
            edit = self._line(label, getattr(current, key), key)
            sample = self.add_field("", _note("", f"{key}_sample"))
            edit.textChanged.connect(lambda _text, key=key: self._show_sample(key))
            self.patterns[key], self.samples[key] = edit, sample
            self._show_sample(key)
        low, high = REVIEW_CYCLE_RANGE
        self.review_cycle = self.add_field(
            "青年文明号创建周期",
            QSpinBox(
                objectName="honour_review_cycle_years", minimum=low, maximum=high, suffix=" 年"
            ),
        )
        self.review_cycle.setValue(int(current.honour_review_cycle_years))
        self.setMinimumWidth(600)

    def _line(self, label: str, value: str, name: str, hint: str = "") -> QLineEdit:
        return self.add_field(label, QLineEdit(str(value), objectName=name, placeholderText=hint))

    def _show_sample(self, key: str) -> None:
        label = NUMBER_PATTERN_LABELS[key]
        try:
            first = format_number(self.patterns[key].text().strip(), self.year, 1, field=label)
            second = format_number(self.patterns[key].text().strip(), self.year, 2, field=label)
        except ValidationError as exc:
            self.samples[key].setText(exc.reason)  # the field's own label is beside it
            self.samples[key].setStyleSheet("color: #b00020;")
            self._grow()
            return
        self.samples[key].setText(f"例：{first}、{second}……")
        self.samples[key].setStyleSheet("color: #555555;")

    def _grow(self) -> None:
        """A refused pattern's reason takes two lines: the form grows rather than clip it."""
        self.layout_.activate()
        needed = self.layout_.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def chosen(self) -> OfficeSettings:
        return OfficeSettings(
            office_name=self.office_name.text(),
            office_short_name=self.office_short_name.text(),
            form_filler=self.form_filler.text(),
            form_reviewer=self.form_reviewer.text(),
            honour_review_cycle_years=self.review_cycle.value(),
            **{key: edit.text() for key, edit in self.patterns.items()},
        )

    def save(self, session) -> None:
        save_office_settings(session, self.chosen())


def _note(text: str, name: str = "") -> QLabel:
    """A line of explanation under a field; it wraps only when the form is too narrow for it."""
    label = QLabel(text, objectName=name or None, wordWrap=True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(360)
    return label
