"""The forms of the 团员 tab: a member with their posts, 离团, 转入团组织, a 推优 record."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import LeaguePostKind, MemberStatus
from desk_league.errors import ValidationError
from desk_league.services import members, recommendations
from desk_league.services.members import MemberInput, PostInput
from desk_league.services.organisations import organisation_choices
from desk_league.services.people import PersonInput
from desk_league.services.recommendations import STAGE_DATES, RecommendationInput
from desk_league.ui.forms import (
    FormDialog,
    OptionalDate,
    choice_combo,
    date_edit,
    from_qdate,
    tool_button,
)
from desk_league.ui.operations import Changed, read
from desk_league.ui.person_fields import PersonFields

MEMBER_CHANGES = Changed.MEMBERS | Changed.PEOPLE | Changed.ORGANISATIONS | Changed.VOLUNTEERS


class MemberDialog(FormDialog):
    """登记 / 修改 a 团员: the person, their 团籍 and their 团内职务 (each with its dates)."""

    changes = MEMBER_CHANGES

    def __init__(
        self,
        member_id: int | None = None,
        parent: QWidget | None = None,
        *,
        organisation_id: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__("修改团员" if member_id else "登记团员", parent)
        self.setObjectName("member_dialog")
        self.member_id = member_id
        self.today = today or date.today()
        data, self.organisations = read(
            lambda session: (
                members.member_input(session, member_id)
                if member_id
                else MemberInput(PersonInput(name="", organisation_id=organisation_id)),
                organisation_choices(session),
            )
        )
        self.version = data.version  # as loaded (the person's rides in ``PersonFields``)
        self.person = PersonFields(
            self, data.person, self.organisations, unit_label="所在团组织", league=True
        )
        self.person.unit.setToolTip("团员所在的团支部（或团委、团总支）；工作单位即该组织的单位")

        pages = QTabWidget(objectName="member_pages")
        pages.addTab(self._membership_page(data), "团籍")
        pages.addTab(self._posts_page(data), "团内职务")
        self.add_section(pages)
        self.resize(560, 0)

    def _membership_page(self, data: MemberInput) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.number = self.add_field(
            "团员编号", QLineEdit(data.number, objectName="member_number"), form=form
        )
        self.number.setPlaceholderText("可不填")
        self.status = self.add_field(
            "状态",
            choice_combo(list(MemberStatus.labels().items()), data.status, name="member_status"),
            form=form,
        )
        self.left_on = self.add_field(
            "离团日期", OptionalDate("已离团", data.left_on or self.today, "left_on"), form=form
        )
        self.left_on.set_value(data.left_on)
        self.left_reason = self.add_field(
            "离团原因/去向", QLineEdit(data.left_reason, objectName="left_reason"), form=form
        )
        self.note = self.add_field(
            "备注", QLineEdit(data.note, objectName="member_note"), form=form
        )
        return page

    def _posts_page(self, data: MemberInput) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.posts_grid = QGridLayout()
        for column, title in enumerate(("任职团组织", "职务", "任职日期", "离任日期", "")):
            self.posts_grid.addWidget(QLabel(title), 0, column)
        layout.addLayout(self.posts_grid)
        self.post_rows: list[_PostRow] = []
        for post in data.posts:
            self._add_post(post)
        layout.addWidget(tool_button("添加职务", lambda: self._add_post(None), "add_post"))
        layout.addWidget(
            QLabel("现任职务不填离任日期；任团内职务的团员年满28周岁仍保留团籍。", wordWrap=True)
        )
        layout.addStretch(1)
        return page

    def _add_post(self, post: PostInput | None) -> None:
        if post is None:
            post = PostInput(self.person.unit.currentData(), LeaguePostKind.SECRETARY, self.today)
        row = _PostRow(self, post)
        line = len(self.post_rows) + 1
        for column, widget in enumerate(row.widgets):
            self.posts_grid.addWidget(widget, line, column)
        self.post_rows.append(row)

    def remove_post(self, row: _PostRow) -> None:
        self.post_rows.remove(row)
        for widget in row.widgets:
            self.posts_grid.removeWidget(widget)
            widget.deleteLater()

    def value(self) -> MemberInput:
        return MemberInput(
            person=self.person.value(),
            number=self.number.text(),
            status=self.status.currentData(),
            left_on=self.left_on.value(),
            left_reason=self.left_reason.text(),
            note=self.note.text(),
            posts=[row.value() for row in self.post_rows],
            version=self.version,
        )

    def reopened(self) -> MemberDialog | None:
        return MemberDialog(self.member_id, self.parentWidget(), today=self.today)

    def save(self, session) -> int:
        if self.member_id is None:
            return members.add_member(session, self.value(), self.today).id
        return members.update_member(session, self.member_id, self.value(), self.today).id


class _PostRow:
    """One 团内职务 on the member form: organisation, post, from, until, and 移除."""

    def __init__(self, dialog: MemberDialog, post: PostInput) -> None:
        self.post_id = post.id
        self.organisation = choice_combo(
            dialog.organisations, post.organisation_id, none_text="（请选择）", name="post_org"
        )
        self.organisation.setMinimumContentsLength(12)
        self.organisation.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        current = post.title if post.post == LeaguePostKind.OTHER and post.title else post.post
        self.kind = choice_combo(
            list(LeaguePostKind.labels().items()), current, editable=True, name="post_kind"
        )
        self.kind.setToolTip("也可直接输入其他职务名称，如“文体委员”")
        self.started = OptionalDate("", post.started_on or dialog.today, "post_started")
        self.started.set_value(post.started_on)
        self.ended = OptionalDate("", post.ended_on or dialog.today, "post_ended")
        self.ended.set_value(post.ended_on)
        self.remove = tool_button("移除", lambda: dialog.remove_post(self), "remove_post")
        self.widgets: list[QWidget] = [
            self.organisation,
            self.kind,
            self.started,
            self.ended,
            self.remove,
        ]

    def value(self) -> PostInput:
        text = self.kind.currentText().strip()
        code = self.kind.currentData() if self.kind.findText(text) >= 0 else None
        return PostInput(
            self.organisation.currentData(),
            code or (LeaguePostKind.OTHER if text else ""),
            self.started.value(),
            self.ended.value(),
            title="" if code else text,
            id=self.post_id,
        )


class LeavingDialog(FormDialog):
    """办理离团 for the selected members: 超龄离团 by default, with its date."""

    changes = MEMBER_CHANGES | Changed.RECOMMENDATIONS

    def __init__(
        self,
        member_ids: list[int],
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__("办理离团", parent)
        self.member_ids = member_ids
        self.today = today or date.today()
        self.add_field("", QLabel(f"已选 {len(member_ids)} 名团员。"))
        kinds = [(s.value, s.label) for s in MemberStatus if s != MemberStatus.ACTIVE]
        self.kind = self.add_field("离团方式", choice_combo(kinds, name="leaving_kind"))
        self.on = self.add_field("离团日期", date_edit(self.today, "leaving_date"))
        self.reason = self.add_field("原因/去向", QLineEdit(objectName="leaving_reason"))
        self.add_section(
            QLabel(
                "超龄离团：年满28周岁、未任团内职务的团员；任团内职务的按团章保留团籍，不予办理。",
                wordWrap=True,
            )
        )
        self.resize(460, 0)

    def save(self, session) -> members.LeavingResult:
        return members.record_leaving(
            session,
            self.member_ids,
            from_qdate(self.on.date()),
            self.kind.currentData(),
            self.reason.text(),
            today=self.today,
        )


class MoveMembersDialog(FormDialog):
    """转入团组织: the selected members now belong to another organisation."""

    changes = MEMBER_CHANGES

    def __init__(self, member_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__("转入团组织", parent)
        self.member_ids = member_ids
        choices = read(organisation_choices)
        self.add_field("", QLabel(f"已选 {len(member_ids)} 名团员。"))
        self.organisation = self.add_field(
            "转入", choice_combo(choices, none_text="（请选择）", name="move_to")
        )
        self.resize(460, 0)

    def save(self, session) -> int:
        org_id = self.organisation.currentData()
        if org_id is None:
            raise ValidationError("请选择要转入的团组织。", field="转入")
        return members.move_members(session, self.member_ids, org_id)


class RecommendationDialog(FormDialog):
    """推优入党: a 共青团员 recommended by a branch, and each stage after it with its date."""

    changes = Changed.RECOMMENDATIONS | Changed.MEMBERS | Changed.PEOPLE

    def __init__(
        self,
        rec_id: int | None,
        parent: QWidget | None = None,
        *,
        organisation_id: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__("推优与入党进程" if rec_id else "新增推优", parent)
        self.setObjectName("recommendation_dialog")
        self.rec_id = rec_id
        self.today = today or date.today()
        data, organisations = read(
            lambda session: (
                recommendations.recommendation_form(session, rec_id)
                if rec_id
                else RecommendationInput(None, organisation_id, self.today),
                organisation_choices(session),
            )
        )
        self.version = data.version
        self.organisation = self.add_field(
            "推荐团组织",
            choice_combo(
                organisations, data.organisation_id, none_text="（请选择）", name="rec_org"
            ),
        )
        self.person = self.add_field("姓名", QComboBox(objectName="rec_person"))
        self.organisation.currentIndexChanged.connect(lambda _i: self._load_people(None))
        self._load_people(data.person_id)
        self.recommended_on = self.add_field("推优日期", date_edit(data.recommended_on, "rec_date"))
        self.stages: dict[str, OptionalDate] = {}
        for _stage, column, label in STAGE_DATES:
            when = getattr(data, column)
            field = OptionalDate("已", when or self.today, f"rec_{column}")
            field.set_value(when)
            self.stages[column] = self.add_field(label, field)
        self.stopped = self.add_field(
            "终止", OptionalDate("已终止", data.stopped_on or self.today, "rec_stopped")
        )
        self.stopped.set_value(data.stopped_on)
        self.note = self.add_field("备注", QPlainTextEdit(data.note, objectName="rec_note"))
        self.note.setMaximumHeight(60)
        self.add_section(
            QLabel(
                "推优对象须为共青团员，推优时年满18周岁、未满28周岁；接收为预备党员、转为正式党员后，"
                "政治面貌随之更新。",
                wordWrap=True,
            )
        )
        self.resize(520, 0)

    def _load_people(self, current: int | None) -> None:
        org_id = self.organisation.currentData()
        people = read(lambda s: members.member_choices(s, org_id)) if org_id else []
        self.person.clear()
        self.person.addItem("（请选择）", None)
        for person_id, name in people:
            self.person.addItem(name, person_id)
        self.person.setCurrentIndex(max(0, self.person.findData(current)))

    def value(self) -> RecommendationInput:
        return RecommendationInput(
            self.person.currentData(),
            self.organisation.currentData(),
            from_qdate(self.recommended_on.date()),
            **{column: field.value() for column, field in self.stages.items()},
            stopped_on=self.stopped.value(),
            note=self.note.toPlainText().strip(),
            version=self.version,
        )

    def reopened(self) -> RecommendationDialog | None:
        return RecommendationDialog(self.rec_id, self.parentWidget(), today=self.today)

    def save(self, session) -> int:
        if self.rec_id is None:
            return recommendations.create_recommendation(session, self.value(), self.today).id
        return recommendations.update_recommendation(
            session, self.rec_id, self.value(), self.today
        ).id
