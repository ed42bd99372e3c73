"""The clerk's first week on an EMPTY database, through the window: the setup (the office, its
organisations, a member list and a volunteer list imported), a new 团支部 that gets members and
picks its 书记 among them, 推优 for an eligible member after two refusals that say why, an
activity with participants, and 登记志愿时长 starting from the volunteers among them."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from sqlalchemy import select

from desk_league.data.models import LeagueRecommendation, Organisation, ServiceRecord, Volunteer
from desk_league.domain.dates import add_years
from desk_league.ui.activities_tab import ActivitiesTab
from desk_league.ui.activity_dialog import ActivityDialog
from desk_league.ui.activity_hours_dialog import ActivityHoursDialog
from desk_league.ui.forms import ListPickerDialog
from desk_league.ui.import_wizard import ImportWizard
from desk_league.ui.member_dialogs import MoveMembersDialog, RecommendationDialog
from desk_league.ui.members_tab import MembersTab
from desk_league.ui.organisation_dialog import OrganisationDialog
from desk_league.ui.organisations_tab import OrganisationsTab
from tests.conftest import lists_read
from tests.imports._rosters import make_id, person_row, write_roster
from tests.ui.shots import in_dialog, shot

TODAY = date.today()  # the window works on today: the ages are set relative to it
COUNCIL, BRANCH, NEW_BRANCH = "市卫生健康委团委", "市人民医院内科团支部", "市人民医院急诊科团支部"
MEMBER_HEADERS = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "所在团组织",
    "政治面貌",
    "入团时间",
    "手机",
]


def _member(n: int, name: str, age: int, *, political: str = "共青团员", org: str = BRANCH):
    birth = add_years(TODAY, -age) - timedelta(days=30 + n)
    return {
        "序号": n,
        "姓名": name,
        "性别": "男",
        "公民身份号码": make_id(birth, n),
        "所在团组织": org,
        "政治面貌": political,
        "入团时间": f"{birth.year + 15}-05-04",
        "手机": f"139{n:08d}",
    }


MEMBERS = [
    _member(1, "张一", 24),
    _member(2, "李二", 25),
    _member(3, "王三", 23),
    _member(4, "赵四", 22),
    _member(5, "钱党员", 26, political="中共党员"),
    _member(6, "孙小妹", 17),
    _member(7, "周七", 27, org=COUNCIL),
]


def _import(qtbot, path, button) -> None:
    """The setup page's import button opens the wizard on the right kind; walk it through."""

    def walk(wizard: ImportWizard) -> None:
        wizard.file_page.path_edit.setText(str(path))
        wizard.next()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.layout_page, timeout=10_000)
        wizard.next()
        wizard.next()
        qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10_000)
        assert wizard.preview.ok, wizard.preview.errors
        shot(wizard, f"first_week_import_{wizard.kind}")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: wizard.result is not None, timeout=10_000)

    in_dialog(ImportWizard, walk)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _row_of(table, name: str) -> int:
    model = table.model
    return next(r for r in range(model.rowCount()) if model.row_value(r, "name") == name)


def _select(table, names: list[str]) -> None:
    view = table.view
    view.clearSelection()
    selection = view.selectionModel()
    flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
    for name in names:
        selection.select(table.model.index(_row_of(table, name), 0), flags)
    selection.setCurrentIndex(
        table.model.index(_row_of(table, names[0]), 0), selection.SelectionFlag.NoUpdate
    )


def test_the_clerks_first_week_on_an_empty_database(qtbot, db, tmp_path, told, typist):
    from desk_league.ui.app import create_application
    from desk_league.ui.main_window import MainWindow

    create_application([])
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()

    # --- the setup opens by itself on a new office's database ------------------------------
    setup = window.first_start
    qtbot.waitUntil(setup.isVisible)
    setup.office_page.name.setText("市卫生健康委团委")
    setup.office_page.short_name.setText("市直卫生系统团委")
    shot(setup, "first_week_setup_1_office")
    setup.next()
    page = setup.organisations_page
    assert setup.currentPage() is page
    typist(page.name, COUNCIL)
    page.add_organisation()
    typist(page.name, BRANCH)  # a 团支部 under the 团委 just added: the form says so already
    assert page.parent_combo.currentText() == COUNCIL
    page.add_organisation()
    assert page.tree.topLevelItem(0).child(0).text(0) == BRANCH
    shot(setup, "first_week_setup_2_organisations")
    setup.next()

    members = write_roster(tmp_path / "团员名册.xlsx", MEMBERS, headers=MEMBER_HEADERS)
    _import(qtbot, members, _button(setup.people_page, "setup_import_members"))
    volunteers = write_roster(
        tmp_path / "志愿者名册.xlsx",
        [
            person_row(
                1, unit=BRANCH, 姓名="张一", 性别="男", 公民身份号码=MEMBERS[0]["公民身份号码"]
            ),
            person_row(
                2, unit=BRANCH, 姓名="李二", 性别="男", 公民身份号码=MEMBERS[1]["公民身份号码"]
            ),
            person_row(9, unit=BRANCH, 姓名="吴九"),
        ],
    )
    _import(qtbot, volunteers, _button(setup.people_page, "setup_import_volunteers"))
    counts = setup.people_page.counts.text()
    assert "团员 7 人" in counts and "志愿者 3 人" in counts  # 张一、李二 are both, once each
    shot(setup, "first_week_setup_3_people")
    setup.button(QWizard.WizardButton.FinishButton).click()
    assert not setup.isVisible()

    # --- a new 团支部: members moved into it, its 书记 picked among them --------------------
    organisations = window.show_record("organisation")
    assert isinstance(organisations, OrganisationsTab)
    council_id, branch_id = _org_id(db, COUNCIL), _org_id(db, BRANCH)
    organisations.select(council_id)
    in_dialog(OrganisationDialog, lambda d: (typist(d.name, NEW_BRANCH), d.accept()))
    organisations.new_child()
    new_id = _org_id(db, NEW_BRANCH)
    assert (
        organisations.tree_model.row_for(organisations.tree_model.index_of(new_id)).parent_id
        == council_id
    )

    tab = window.tab(MembersTab)
    window.tabs.setCurrentWidget(tab)
    lists_read(qtbot)  # the filters' choices, then the register
    _select(tab.members, ["王三", "赵四"])

    def move(dialog: MoveMembersDialog) -> None:
        dialog.organisation.setCurrentIndex(dialog.organisation.findData(new_id))
        dialog.accept()

    in_dialog(MoveMembersDialog, move)
    tab.move_members()

    window.tabs.setCurrentWidget(organisations)
    organisations.select(new_id)
    chosen = {}

    def pick_secretary(dialog: OrganisationDialog) -> None:
        combo = dialog.secretary
        names = sorted(combo.itemText(i) for i in range(1, combo.count()))
        chosen["names"] = names
        combo.setCurrentIndex(combo.findText("王三"))
        shot(dialog, "first_week_secretary")
        dialog.accept()

    in_dialog(OrganisationDialog, pick_secretary)
    organisations.edit_organisation()
    assert chosen["names"] == ["王三", "赵四"]  # its members, no one else
    row = organisations.tree_model.row_for(organisations.tree_model.index_of(new_id))
    assert row.values["secretary"] == "王三"
    shot(window, "first_week_organisations")

    # --- 推优: refused for a 党员 and for a 17-year-old, with the reason; then recorded ------
    window.tabs.setCurrentWidget(tab)
    tab.pages.setCurrentWidget(tab.recommendations)
    lists_read(qtbot)
    refusals = []

    def recommend(dialog: RecommendationDialog) -> None:
        dialog.organisation.setCurrentIndex(dialog.organisation.findData(branch_id))
        for name in ("钱党员", "孙小妹", "张一"):
            dialog.person.setCurrentIndex(dialog.person.findText(name))
            dialog.buttons.accepted.emit()
            if dialog.isVisible():
                refusals.append(dialog.error_label.text())
                shot(dialog, f"first_week_tuiyou_refused_{len(refusals)}")

    in_dialog(RecommendationDialog, recommend)
    tab.new_recommendation()
    assert "钱党员不能推优：政治面貌为“中共党员”，推优对象须为共青团员" in refusals[0]
    assert "孙小妹不能推优" in refusals[1] and "17周岁，未满18周岁" in refusals[1]
    assert len(refusals) == 2
    lists_read(qtbot)  # the list reads the change it was told of
    assert tab.recommendations.model.row_value(0, "name") == "张一"
    with db.reading() as session:
        assert session.scalar(select(LeagueRecommendation.organisation_id)) == branch_id
    shot(window, "first_week_tuiyou")

    # --- an activity with participants: the volunteers among them come chosen --------------
    activities = window.tab(ActivitiesTab)
    window.tabs.setCurrentWidget(activities)

    def pick(picker: ListPickerDialog) -> None:
        qtbot.waitUntil(lambda: picker.table.model.rowCount() >= 8)
        _select(picker.table, ["张一", "李二", "王三"])
        picker.accept()

    def fill(dialog: ActivityDialog) -> None:
        typist(dialog.title_edit, "“学雷锋”志愿服务进社区")
        dialog.category.setCurrentIndex(dialog.category.findText("志愿服务"))
        dialog.organiser.setCurrentIndex(dialog.organiser.findData(branch_id))
        in_dialog(ListPickerDialog, pick)
        dialog.pick_participants()
        assert dialog.participant_ids() and len(dialog.participant_ids()) == 3
        dialog.buttons.accepted.emit()

    in_dialog(ActivityDialog, fill)
    activities.new_activity()
    lists_read(qtbot)
    activities.table.view.selectRow(0)
    seen = {}

    def hours(dialog: ActivityHoursDialog) -> None:
        seen["chosen"] = sorted(name for _, name in dialog.chosen)
        seen["others"] = dialog.others_label.text()
        shot(dialog, "first_week_hours_preselected")
        qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
        seen["after"] = sorted(name for _, name in dialog.chosen)
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any("已为 3 名志愿者登记" in m for m in told), timeout=10_000)
        dialog.reject()

    in_dialog(ActivityHoursDialog, hours)
    activities.record_hours()
    assert seen["chosen"] == ["张一", "李二"]  # the registered volunteers among the participants
    assert "王三" in seen["others"]  # named, with the action that registers them
    assert seen["after"] == ["张一", "李二", "王三"]
    with db.reading() as session:
        volunteers_now = session.scalars(select(Volunteer)).all()
        records = session.scalars(select(ServiceRecord)).all()
        assert {v.person.name for v in volunteers_now} == {"张一", "李二", "吴九", "王三"}
    assert len(records) == 3
    window.close()


def _button(page, name: str):
    from PySide6.QtWidgets import QPushButton

    button = page.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _org_id(db, name: str) -> int:
    with db.reading() as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))
