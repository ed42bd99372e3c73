"""The honours tab's dialogs: an honour, honour types, a 青年文明号 review, a batch, quotas,
a nomination, the eligibility checklist, and the certificate printing options."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt
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
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import (
    HonourStatus,
    RecipientKind,
    ReviewKind,
    ReviewResult,
    VolunteerStatus,
)
from desk_league.domain.honours import REVIEW_RESULT_KINDS, RULE_LABELS, STAR_WORDS
from desk_league.services import commendations, honours
from desk_league.services.commendations import CommendationInput, NominationInput, NomineeChecklist
from desk_league.services.honour_certificates import template_choices
from desk_league.services.honours import HONOUR_LEVELS, HonourInput
from desk_league.services.organisations import organisation_choices
from desk_league.services.settings import get_setting
from desk_league.ui.forms import EditTracker, FormDialog, choice_combo, date_edit, from_qdate
from desk_league.ui.operations import Changed, change, read


class PersonPicker(QWidget):
    """Type part of a name, pick the person (with the unit) from the matches."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText="输入姓名查找…", objectName="person_search")
        self.search.setProperty("not_an_edit", True)  # the chosen match is the edit
        self.matches = QComboBox(objectName="person_matches")
        self.matches.setMinimumWidth(220)
        self.search.textChanged.connect(self._find)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.matches, 1)
        self.setFocusProxy(self.search)

    def _find(self, text: str) -> None:
        found = read(lambda session: commendations.person_choices(session, text))
        self.matches.clear()
        for person_id, label in found:
            self.matches.addItem(label, person_id)

    def person_id(self) -> int | None:
        return self.matches.currentData()

    def set_person(self, person_id: int | None, label: str = "") -> None:
        if person_id is not None:
            self.matches.clear()
            self.matches.addItem(label or f"#{person_id}", person_id)


class HonourDialog(FormDialog):
    changes = Changed.HONOURS

    def __init__(self, honour_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("编辑荣誉" if honour_id else "新增荣誉", parent)
        self.honour_id = honour_id

        def load(session):
            types = honours.honour_types(session)
            data = honours.honour_input(session, honour_id) if honour_id else None
            person_label = honours.person_label(session, data.person_id) if data else ""
            orgs = organisation_choices(session)
            return [(t.id, t.recipient_kind, t.name) for t in types], orgs, data, person_label

        types, orgs, data, person_label = read(load)
        self.types = {type_id: kind for type_id, kind, _ in types}
        type_names = [(type_id, name) for type_id, _, name in types]
        data = data or HonourInput(
            honour_type_id=type_names[0][0] if type_names else 0, year=date.today().year
        )
        # kept as loaded: the batch the honour came from, and the version a save goes over
        self.commendation_id, self.version = data.commendation_id, data.version
        self.type_box = self.add_field(
            "荣誉类型", choice_combo(type_names, data.honour_type_id, name="honour_type")
        )
        self.level = self.add_field(
            "级别",
            choice_combo([(lv, lv) for lv in HONOUR_LEVELS], data.level, name="honour_level"),
        )
        self.year = self.add_field("年度", QSpinBox(minimum=1950, maximum=2100, value=data.year))
        self.person = self.add_field("获得者（个人）", PersonPicker(), also=("获得者",))
        self.person.set_person(data.person_id, person_label)
        self.organisation = self.add_field(
            "获得者（团组织）",
            choice_combo(orgs, data.organisation_id, none_text="（无）"),
            also=("获得者",),
        )
        self.collective = self.add_field(
            "集体名称", QLineEdit(data.collective_name, placeholderText="如 市人民医院急诊科")
        )
        self.title_edit = self.add_field(
            "称号（证书上的文字）", QLineEdit(data.title, placeholderText="默认与荣誉类型相同")
        )
        self.granting_body = self.add_field("授予单位", QLineEdit(data.granting_body))
        self.document_number = self.add_field("文号", QLineEdit(data.document_number))
        self.granted_on = self.add_field("授予日期", date_edit(data.granted_on))
        self.certificate_number = self.add_field(
            "证书编号", QLineEdit(data.certificate_number or "")
        )
        self.status = self.add_field(
            "状态", choice_combo(list(HonourStatus.labels().items()), data.status)
        )
        self.star = self.add_field(
            "星级（青年文明号）",
            choice_combo(list(STAR_WORDS.items()), data.star, none_text="（无）"),
            also=("星级",),
        )
        self.note = self.add_field("备注", QLineEdit(data.note))
        self.type_box.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.resize(560, 0)

    def reopened(self) -> HonourDialog | None:
        return HonourDialog(self.honour_id, self.parentWidget())

    def _kind_changed(self) -> None:
        personal = self.types.get(self.type_box.currentData()) == RecipientKind.PERSONAL
        self.person.setEnabled(personal)
        self.organisation.setEnabled(not personal)
        self.collective.setEnabled(not personal)

    def save(self, session):
        personal = self.types.get(self.type_box.currentData()) == RecipientKind.PERSONAL
        data = HonourInput(
            honour_type_id=self.type_box.currentData(),
            year=self.year.value(),
            level=self.level.currentData(),
            title=self.title_edit.text(),
            person_id=self.person.person_id() if personal else None,
            organisation_id=None if personal else self.organisation.currentData(),
            collective_name="" if personal else self.collective.text(),
            granting_body=self.granting_body.text().strip(),
            document_number=self.document_number.text().strip(),
            granted_on=from_qdate(self.granted_on.date()),
            certificate_number=self.certificate_number.text(),
            status=self.status.currentData(),
            star=self.star.currentData(),
            note=self.note.text(),
            commendation_id=self.commendation_id,
            version=self.version,
        )
        if self.honour_id:
            return honours.update_honour(session, self.honour_id, data).id
        return honours.create_honour(session, data).id


class RulesEditor(QWidget):
    """An honour type's eligibility rules as fields: the same on the type list and in a batch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_age = QSpinBox(maximum=99, specialValueText="不限", objectName="rule_max_age")
        self.min_years = QSpinBox(maximum=50, specialValueText="不限", objectName="rule_min_years")
        self.min_hours = QDoubleSpinBox(
            maximum=10000, decimals=1, specialValueText="不限", objectName="rule_min_hours"
        )
        self.volunteer = QCheckBox(
            f"须为{VolunteerStatus.ACTIVE.label}注册志愿者", objectName="rule_volunteer"
        )
        self.league_member = QCheckBox(RULE_LABELS["league_member"], objectName="rule_league")
        self.holds_post = QCheckBox(RULE_LABELS["holds_post"], objectName="rule_post")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        for label, widget in [
            ("年龄（未满，周岁）", self.max_age),
            ("最少团龄（年）", self.min_years),
            ("本年度志愿服务（小时）", self.min_hours),
            ("", self.volunteer),
            ("", self.league_member),
            ("", self.holds_post),
        ]:
            self.form.addRow(label, widget)

    def set_rules(self, rules: dict) -> None:
        self.max_age.setValue(int(rules.get("max_age", 0)))
        self.min_years.setValue(int(rules.get("min_member_years", 0)))
        self.min_hours.setValue(float(rules.get("min_hours", 0)))
        self.volunteer.setChecked(bool(rules.get("volunteer")))
        self.league_member.setChecked(bool(rules.get("league_member")))
        self.holds_post.setChecked(bool(rules.get("holds_post")))

    def rules(self) -> dict:
        return {
            "max_age": self.max_age.value(),
            "min_member_years": self.min_years.value(),
            "min_hours": self.min_hours.value(),
            "volunteer": self.volunteer.isChecked(),
            "league_member": self.league_member.isChecked(),
            "holds_post": self.holds_post.isChecked(),
        }


class HonourTypesDialog(QDialog):
    """The editable list of honour types and their eligibility rules. Choosing another type or
    closing with unsaved changes to the one shown asks 保存 / 放弃 / 取消."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("荣誉类型与资格条件")
        self._shown_row = -1
        self.list = QListWidget(objectName="honour_types")
        self.list.setProperty("not_an_edit", True)
        self.name = QLineEdit()
        self.kind = choice_combo(list(RecipientKind.labels().items()))
        self.rules = RulesEditor()
        form = QFormLayout()
        form.addRow("名称", self.name)
        form.addRow("对象", self.kind)
        form.addRow(self.rules)
        save, add, remove, close = (
            QPushButton(t) for t in ("保存修改", "另存为新类型", "删除", "关闭")
        )
        save.clicked.connect(
            lambda: self._save(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
        )
        add.clicked.connect(lambda: self._save(None))
        remove.clicked.connect(self._delete)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (save, add, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(
            QLabel("资格条件只作提示（✓ ✗ ?），是否推荐由团委决定。", wordWrap=True)
        )
        right_layout.addStretch(1)
        self.edits = EditTracker(right, "荣誉类型")
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(self._show)
        self.resize(720, 420)
        self._load()

    def _load(self, select_id: int | None = None) -> None:
        self.types = read(
            lambda session: {
                t.id: (t.name, t.recipient_kind, dict(t.rules or {}))
                for t in honours.honour_types(session)
            }
        )
        self.list.clear()
        for type_id, (name, kind, _) in self.types.items():
            self.list.addItem(f"{name}（{RecipientKind.label_of(kind)}）")
            self.list.item(self.list.count() - 1).setData(Qt.ItemDataRole.UserRole, type_id)
        ids = list(self.types)
        self._shown_row = -1
        self.list.setCurrentRow(ids.index(select_id) if select_id in ids else 0)

    def _shown_id(self) -> int | None:
        item = self.list.item(self._shown_row) if self._shown_row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _may_leave(self) -> bool:
        return self.edits.may_leave(
            save=lambda: self._save(self._shown_id()), discard=self.edits.mark_clean
        )

    def _show(self, row: int) -> None:
        if row < 0 or row == self._shown_row:
            return
        if self._shown_row >= 0 and not self._may_leave():
            with QSignalBlocker(self.list):  # back to the type with unsaved changes
                self.list.setCurrentRow(self._shown_row)
            return
        self._shown_row = row
        name, kind, rules = self.types[self.list.item(row).data(Qt.ItemDataRole.UserRole)]
        self.name.setText(name)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.rules.set_rules(rules)
        self.edits.mark_clean()

    def accept(self) -> None:  # 关闭
        if self._may_leave():
            super().accept()

    def reject(self) -> None:  # Esc, the close box
        if self._may_leave():
            super().reject()

    def _save(self, type_id: int | None) -> bool:
        rules = self.rules.rules()
        name, kind = self.name.text(), self.kind.currentData()
        saved: list[int] = []
        change(
            self,
            lambda s: honours.save_honour_type(s, name, kind, rules, type_id).id,
            Changed.HONOURS,
            action="保存荣誉类型",
        ).success(saved.append).run()
        if saved:
            self.edits.mark_clean()
            self._load(saved[0])
        return bool(saved)

    def _delete(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        type_id = item.data(Qt.ItemDataRole.UserRole)
        change(
            self,
            lambda s: honours.delete_honour_type(s, type_id),
            Changed.HONOURS,
            action="删除荣誉类型",
        ).success(lambda _: (self.edits.mark_clean(), self._load())).run()


class ReviewDialog(FormDialog):
    """年审 / 复核 / 升星 or a sanction (警示 / 降星 / 撤销) for one 青年文明号."""

    changes = Changed.HONOURS

    def __init__(self, honour_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"青年文明号动态管理 — {name}", parent)
        self.honour_id = honour_id
        history = read(
            lambda session: [
                f"{r.reviewed_on:%Y-%m-%d} {ReviewKind.label_of(r.kind)} "
                f"{ReviewResult.label_of(r.result)} {r.reason}".strip()
                for r in honours.reviews_of(session, honour_id)
            ]
        )
        self.history = self.add_field("历史记录", QLabel("\n".join(history) or "（尚无记录）"))
        self.kind = self.add_field(
            "类型", choice_combo(list(ReviewKind.labels().items()), name="review_kind")
        )
        self.result = self.add_field(
            "结果", choice_combo(list(ReviewResult.labels().items()), name="review_result")
        )
        self.on = self.add_field("日期", date_edit())
        self.reason = self.add_field("原因", QPlainTextEdit(placeholderText="处理须写明原因"))
        self.reason.setFixedHeight(80)
        self.kind.currentIndexChanged.connect(
            lambda: self.result.setEnabled(self.kind.currentData() in REVIEW_RESULT_KINDS)
        )

    def save(self, session):
        kind = self.kind.currentData()
        return honours.add_review(
            session,
            self.honour_id,
            kind,
            from_qdate(self.on.date()),
            self.result.currentData() if kind in REVIEW_RESULT_KINDS else "",
            self.reason.toPlainText(),
        ).id


class CommendationDialog(FormDialog):
    changes = Changed.COMMENDATIONS

    def __init__(self, batch_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("编辑表彰" if batch_id else "新建表彰", parent)
        self.batch_id = batch_id
        year = date.today().year - 1
        templates, batch, office = read(
            lambda session: (
                template_choices(session),
                commendations.commendation_input(session, batch_id) if batch_id else None,
                get_setting(session, "office_name"),
            )
        )
        self.title_edit = self.add_field(
            "表彰名称",
            QLineEdit(
                batch.title if batch else f"{year}年度市直卫生系统共青团先进集体和先进个人",
                objectName="batch_title",
            ),
        )
        self.year = self.add_field(
            "年度", QSpinBox(minimum=1950, maximum=2100, value=batch.year if batch else year)
        )
        self.decided_on = self.add_field("表彰日期", date_edit(batch.decided_on if batch else None))
        self.reference_date = self.add_field(
            "资格核查基准日", date_edit(batch.reference_date if batch else date(year + 1, 5, 4))
        )
        self.document_number = self.add_field(
            "文号",
            QLineEdit(
                batch.document_number if batch else "", placeholderText="如 卫团发〔2026〕3号"
            ),
        )
        self.granting_body = self.add_field(
            "授予单位", QLineEdit(batch.granting_body if batch else office)
        )
        self.template = self.add_field(
            "证书模板", choice_combo(templates, batch.template_id if batch else None)
        )
        # kept as loaded: the note (no field here) and the version a save goes over
        self.note, self.version = (batch.note, batch.version) if batch else ("", None)
        self.resize(560, 0)

    def reopened(self) -> CommendationDialog | None:
        return CommendationDialog(self.batch_id, self.parentWidget())

    def save(self, session):
        data = CommendationInput(
            title=self.title_edit.text(),
            year=self.year.value(),
            decided_on=from_qdate(self.decided_on.date()),
            reference_date=from_qdate(self.reference_date.date()),
            document_number=self.document_number.text().strip(),
            granting_body=self.granting_body.text().strip(),
            template_id=self.template.currentData(),
            note=self.note,
            version=self.version,
        )
        if self.batch_id:
            return commendations.update_commendation(session, self.batch_id, data).id
        return commendations.create_commendation(session, data).id


class QuotaDialog(FormDialog):
    """名额: a total per honour type, or a branch's share."""

    changes = Changed.COMMENDATIONS

    def __init__(self, batch_id: int, parent: QWidget | None = None) -> None:
        super().__init__("设置名额", parent)
        self.batch_id = batch_id
        types, orgs, usage = read(
            lambda session: (
                [(t.id, t.name) for t in honours.honour_types(session)],
                organisation_choices(session),
                commendations.quota_usage(session, batch_id),
            )
        )
        current = "\n".join(
            f"{u.honour_type} {u.organisation or '总计'}：{u.used}/{u.quota}{'（超出）' if u.over else ''}"
            for u in usage
        )
        self.add_field("现有名额", QLabel(current or "（尚未设置）"))
        self.type_box = self.add_field("荣誉类型", choice_combo(types, name="quota_type"))
        self.organisation = self.add_field(
            "推荐单位", choice_combo(orgs, none_text="（总名额）", name="quota_org")
        )
        self.quota = self.add_field("名额", QSpinBox(maximum=999, objectName="quota_value"))
        self.remove = self.add_field("", QCheckBox("取消该名额限制"))

    def save(self, session):
        commendations.set_quota(
            session,
            self.batch_id,
            self.type_box.currentData(),
            None if self.remove.isChecked() else self.quota.value(),
            self.organisation.currentData(),
        )


class NominationDialog(FormDialog):
    changes = Changed.COMMENDATIONS

    def __init__(self, batch_id: int, parent: QWidget | None = None) -> None:
        super().__init__("推荐对象", parent)
        self.batch_id = batch_id
        all_types, orgs = read(
            lambda session: (
                [(t.name, t.id, t.recipient_kind) for t in honours.honour_types(session)],
                organisation_choices(session),
            )
        )
        self.kinds = {type_id: kind for _, type_id, kind in all_types}
        self.type_box = self.add_field(
            "荣誉类型",
            choice_combo(
                [(type_id, name) for name, type_id, _ in all_types], name="nomination_type"
            ),
        )
        self.person = self.add_field("个人", PersonPicker(), also=("推荐对象",))
        self.organisation = self.add_field(
            "团组织",
            choice_combo(orgs, none_text="（无）", name="nomination_org"),
            also=("推荐对象",),
        )
        self.collective = self.add_field(
            "集体名称", QLineEdit(placeholderText="如 市人民医院急诊科")
        )
        self.nominated_by = self.add_field(
            "推荐单位", choice_combo(orgs, none_text="（团委直接推荐）", name="nominated_by")
        )
        self.reason = self.add_field("推荐理由", QPlainTextEdit(placeholderText="主要事迹"))
        self.reason.setFixedHeight(90)
        self.type_box.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.resize(560, 0)

    def _kind_changed(self) -> None:
        personal = self.kinds.get(self.type_box.currentData()) == RecipientKind.PERSONAL
        self.person.setEnabled(personal)
        self.organisation.setEnabled(not personal)
        self.collective.setEnabled(not personal)

    def save(self, session):
        data = NominationInput(
            honour_type_id=self.type_box.currentData(),
            person_id=self.person.person_id(),
            organisation_id=self.organisation.currentData(),
            collective_name=self.collective.text(),
            nominated_by_id=self.nominated_by.currentData(),
            reason=self.reason.toPlainText().strip(),
        )
        return commendations.nominate(session, self.batch_id, data).id


class BatchRulesDialog(QDialog):
    """本批次资格条件: this year's rules per honour type, where the notice differs from the
    type's own (恢复默认 goes back to them). Choosing another type with unsaved changes asks."""

    def __init__(self, batch_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("本批次资格条件")
        self.batch_id = batch_id
        self._shown_row = -1
        self.list = QListWidget(objectName="batch_rule_types")
        self.list.setProperty("not_an_edit", True)
        self.rules = RulesEditor()
        self.own = QLabel(objectName="batch_rules_own", wordWrap=True)
        save, reset, close = (QPushButton(t) for t in ("保存", "恢复为类型默认", "关闭"))
        save.setObjectName("save_batch_rules")
        save.clicked.connect(lambda: self._save(self._shown_id(), self.rules.rules()))
        reset.clicked.connect(lambda: self._save(self._shown_id(), None))
        close.clicked.connect(self.accept)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.rules)
        right_layout.addWidget(self.own)
        right_layout.addWidget(
            QLabel("每年的表彰通知可能不同：这里的修改只用于本批次的资格核查。", wordWrap=True)
        )
        right_layout.addStretch(1)
        self.edits = EditTracker(right, "资格条件")
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(right, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(reset)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(self._show)
        self.resize(720, 420)
        self._load()

    def _load(self, select_id: int | None = None) -> None:
        self.types = {
            type_id: (name, rules, own)
            for type_id, name, rules, own in read(
                lambda s: commendations.batch_rule_choices(s, self.batch_id)
            )
        }
        self.list.clear()
        for type_id, (name, _rules, own) in self.types.items():
            self.list.addItem(f"{name}{'（本批次）' if own else ''}")
            self.list.item(self.list.count() - 1).setData(Qt.ItemDataRole.UserRole, type_id)
        ids = list(self.types)
        self._shown_row = -1
        self.list.setCurrentRow(ids.index(select_id) if select_id in ids else 0)

    def _shown_id(self) -> int | None:
        item = self.list.item(self._shown_row) if self._shown_row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _may_leave(self) -> bool:
        return self.edits.may_leave(
            save=lambda: self._save(self._shown_id(), self.rules.rules()),
            discard=self.edits.mark_clean,
        )

    def _show(self, row: int) -> None:
        if row < 0 or row == self._shown_row:
            return
        if self._shown_row >= 0 and not self._may_leave():
            with QSignalBlocker(self.list):
                self.list.setCurrentRow(self._shown_row)
            return
        self._shown_row = row
        _name, rules, own = self.types[self.list.item(row).data(Qt.ItemDataRole.UserRole)]
        self.rules.set_rules(rules)
        self.own.setText("本批次已单独设定。" if own else "目前按荣誉类型的默认条件。")
        self.edits.mark_clean()

    def accept(self) -> None:
        if self._may_leave():
            super().accept()

    def reject(self) -> None:
        if self._may_leave():
            super().reject()

    def _save(self, type_id: int | None, rules: dict | None) -> bool:
        if type_id is None:
            return False
        saved: list[None] = []
        change(
            self,
            lambda s: commendations.set_batch_rules(s, self.batch_id, type_id, rules),
            Changed.COMMENDATIONS,
            action="保存资格条件",
        ).success(saved.append).run()
        if saved:
            self.edits.mark_clean()
            self._load(type_id)
        return bool(saved)


class ChecklistDialog(QDialog):
    """资格核查: each nominee's checklist against the rules of its honour type."""

    def __init__(
        self, checklists: list[NomineeChecklist], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"资格核查 — {title}")
        self.tree = QTreeWidget(objectName="checklists")
        self.tree.setHeaderLabels(["推荐对象 / 条件", "结果", "情况"])
        for checklist in checklists:
            top = QTreeWidgetItem(
                [f"{checklist.nominee}（{checklist.honour_type}）", checklist.summary, ""]
            )
            for check in checklist.checks:
                top.addChild(QTreeWidgetItem([check.label, check.mark, check.detail]))
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        self.tree.setColumnWidth(0, 340)
        self.tree.setColumnWidth(1, 70)
        note = QLabel("✓ 符合　✗ 不符　? 资料不全。核查结果只作提示，是否通过由团委决定。")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(note)
        layout.addWidget(close)
        self.resize(760, 520)


class CertificateOptionsDialog(QDialog):
    """Where to write the certificates, with which template, combined and/or one file each."""

    def __init__(self, count_text: str, template_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("生成荣誉证书")
        templates = read(template_choices)
        self.template = choice_combo(templates, template_id, name="certificate_template")
        self.folder = QLineEdit(str(Path.home() / "荣誉证书"), objectName="certificate_folder")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.combined = QCheckBox(
            "合并为一个 PDF（便于一次打印）", checked=True, objectName="combined"
        )
        self.separate = QCheckBox("每人一个 PDF（证书编号_姓名.pdf）", objectName="separate")
        form = QFormLayout()
        form.addRow("范围", QLabel(count_text))
        form.addRow("证书模板", self.template)
        form.addRow("保存到文件夹", row)
        form.addRow("", self.combined)
        form.addRow("", self.separate)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("生成")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 0)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存证书的文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)
