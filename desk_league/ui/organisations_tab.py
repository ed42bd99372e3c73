"""团组织: the tree of 团委 / 团总支 / 团支部, their terms (换届) and the members of the one
selected (the whole register, 团干部 and 推优 are on the 团员 tab)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk_league.domain.codes import MemberStatus, OrgKind
from desk_league.services.members import members_listing
from desk_league.services.organisations import (
    delete_organisation,
    export_organisations_register,
    export_terms_register,
    organisation_tree,
    term_reminder_list,
)
from desk_league.ui.base_tab import ActionBar, BaseTab, ListTable, with_empty_state
from desk_league.ui.member_dialogs import MemberDialog
from desk_league.ui.messages import confirm, inform
from desk_league.ui.operations import Changed, change, long_query, read
from desk_league.ui.organisation_dialog import OrganisationDialog, TermYearsDialog
from desk_league.ui.tree_model import RecordTreeModel, TreeColumn, TreeRow, show_rows

# 0 fine … 4 no term recorded
URGENCY_COLOURS = {1: "#8a6100", 2: "#e07a00", 3: "#b3261e", 4: "#6750a4"}

TREE_COLUMNS = [
    TreeColumn("name", "团组织名称", 260),
    TreeColumn("kind", "类别", 60),
    TreeColumn("unit", "所在单位", 150),
    TreeColumn("secretary", "书记", 70),
    TreeColumn("contact", "联系人", 70),
    TreeColumn("phone", "联系电话", 110),
    TreeColumn("member_count", "团员数", 55, "int"),
    TreeColumn("established_on", "成立日期", 90, "date"),
    TreeColumn("term_start", "本届起始", 90, "date"),
    TreeColumn("term_years", "任期(年)", 60, "int"),
    TreeColumn("term_end", "届满日期", 90, "date"),
    TreeColumn("state", "换届状态", 110),
]

REMINDER_COLUMNS = [
    TreeColumn("name", "团组织", 240),
    TreeColumn("kind", "类别", 60),
    TreeColumn("term_end", "届满日期", 90, "date"),
    TreeColumn("state", "状态", 100),
    TreeColumn("reminder_on", "提醒日期", 90, "date"),
    TreeColumn("reminder", "提醒事项", 380),
]


def _tree_view(
    model: RecordTreeModel, columns: list[TreeColumn], name: str, *, flat: bool = False
) -> QTreeView:
    view = QTreeView(objectName=name, rootIsDecorated=not flat)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    for i, column in enumerate(columns):
        view.setColumnWidth(i, column.width)
    return view


class OrganisationsTab(BaseTab):
    title = "团组织"
    watches = Changed.ORGANISATIONS | Changed.PEOPLE | Changed.SETTINGS | Changed.MEMBERS

    def __init__(self, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self._children: dict[int, list[int]] = {}

        toolbar = QHBoxLayout()
        actions = ActionBar(self)
        for text, slot, name in [
            ("新建…", self.new_organisation, "new_organisation"),
            ("新建下级…", self.new_child, "new_child_organisation"),
            ("编辑…", self.edit_organisation, "edit_organisation"),
            ("删除", self.delete_organisation, "delete_organisation"),
            ("任期设置…", self.term_settings, "term_settings"),
            ("导入名单…", self.import_organisations, "import_organisations"),
            ("导出名册…", self.export_register, "export_organisations"),
            ("导出换届情况表…", self.export_terms, "export_terms"),
            ("荣誉…", self.show_honours, "organisation_honours"),
        ]:
            actions.add(text, slot, name=name)
        toolbar.addWidget(actions, 1)
        self.summary = QLabel(objectName="organisations_summary")
        toolbar.addWidget(self.summary)
        self.layout_.addLayout(toolbar)

        self.tree_model = RecordTreeModel(TREE_COLUMNS, parent=self)
        self.tree = _tree_view(self.tree_model, TREE_COLUMNS, "organisations_tree")
        self.tree.doubleClicked.connect(lambda _i: self.edit_organisation())
        self.tree.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._organisation_chosen()
        )

        self.details = QTabWidget(objectName="organisation_details")
        self.details.addTab(self._members_page(), "团员")
        self.details.addTab(self._reminders_page(), "换届提醒")

        self.tree_stack, self.tree_empty = with_empty_state(self.tree, self)
        self.tree_empty.set_content(
            "还没有团组织。\n先建立本系统的团组织：最上面是本团委，其下是各单位的团委、团总支和团支部。"
            "可以逐个新建，也可以从 Excel 名单导入（名称、类别、上级组织）。",
            [
                ("新建团委…", self.new_organisation),
                ("从 Excel 导入名单…", self.import_organisations),
                ("下载导入模板…", lambda: self.save_template()),
            ],
        )
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree_stack)
        splitter.addWidget(self.details)
        splitter.setSizes([430, 300])
        self.layout_.addWidget(splitter, 1)

    # --- pages below the tree ------------------------------------------------------------

    def _members_page(self) -> QWidget:
        self.members = ListTable(members_listing(self.today), self)
        self.members.model.query.filters["status"] = MemberStatus.ACTIVE.value
        self.only_warnings = QCheckBox("只看年龄提示", objectName="only_age_warnings")
        self.only_warnings.toggled.connect(
            lambda on: self.members.model.set_filter("age_warning", on or None)
        )
        self.members.toolbar.insertWidget(self.members.toolbar.count() - 1, self.only_warnings)
        self.members_label = QLabel("全部团组织的团员")
        self.members.toolbar.insertWidget(0, self.members_label)
        self.members.add_button("登记团员…", self.add_member, name="org_add_member")
        self.members.add_button("修改…", self.edit_member, name="org_edit_member")
        self.members.on_activated(self.edit_member)
        self.members.set_empty_state(
            "还没有团员。可以在这里登记（选中的团组织即其所在团组织），或到“团员”页导入团员名册、"
            "把团员转入选中的团组织。",
            [("登记团员…", self.add_member)],
            context=["organisation_ids"],
        )
        return self.members

    def _reminders_page(self) -> QWidget:
        page = QWidget()
        self.reminder_model = RecordTreeModel(REMINDER_COLUMNS, parent=self)
        self.reminders = _tree_view(
            self.reminder_model, REMINDER_COLUMNS, "term_reminders", flat=True
        )
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            QLabel(
                "届满前6个月、3个月各提醒一次，超期后每月提醒，直至录入新一届的起始日期；未填写换届时间的也列出。"
            )
        )
        layout.addWidget(self.reminders)
        return page

    # --- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        nodes, reminders = read(
            lambda session: (
                organisation_tree(session, self.today),
                term_reminder_list(session, self.today),
            )
        )
        self._children = {}
        for node in nodes:
            self._children.setdefault(node.parent_id, []).append(node.id)
        show_rows(
            self.tree,
            self.tree_model,
            [
                TreeRow(
                    node.id,
                    node.parent_id,
                    node.values,
                    bold=node.parent_id is None or node.kind == OrgKind.COUNCIL,
                    foreground=URGENCY_COLOURS.get(node.state.urgency),
                    tooltip=node.state.reminder,
                )
                for node in nodes
            ],
        )
        self.reminder_model.set_rows(
            [
                TreeRow(
                    i,
                    None,
                    {
                        "name": r.name,
                        "kind": OrgKind.label_of(r.kind),
                        "term_end": r.term_end,
                        "state": r.state.label,
                        "reminder_on": r.state.reminder_on,
                        "reminder": r.state.reminder,
                        "org_id": r.organisation_id,
                    },
                    foreground=URGENCY_COLOURS.get(r.state.urgency),
                )
                for i, r in enumerate(reminders, start=1)
            ]
        )
        overdue = sum(1 for r in reminders if r.state.urgency == 3)
        missing = sum(1 for r in reminders if r.state.urgency == 4)
        self.summary.setText(
            f"共 {len(nodes)} 个团组织；超期未换届 {overdue} 个，未填写换届时间 {missing} 个"
        )
        self.details.setTabText(1, f"换届提醒（{len(reminders)}）")
        self.tree_stack.setCurrentIndex(0 if nodes else 1)
        self._organisation_chosen()

    def current_id(self) -> int | None:
        row = self.tree_model.row_for(self.tree.currentIndex())
        return row.id if row else None

    def show_record(self, kind: str, record_id: int | None, text: str = "") -> None:
        """Open an organisation from elsewhere (the overview): selected in the tree."""
        self.ensure_loaded()
        if kind == "organisation" and record_id is not None:
            self.select(record_id)

    def select(self, org_id: int) -> None:
        index = self.tree_model.index_of(org_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        self._organisation_chosen()

    def _subtree(self, org_id: int) -> list[int]:
        ids, stack = [], [org_id]
        while stack:
            current = stack.pop()
            ids.append(current)
            stack.extend(self._children.get(current, []))
        return ids

    def _organisation_chosen(self) -> None:
        org_id = self.current_id()
        ids = self._subtree(org_id) if org_id else None
        row = self.tree_model.row_for(self.tree.currentIndex())
        self.members_label.setText(
            f"{row.values['name']}及下级的团员" if row else "全部团组织的团员"
        )
        self.members.model.query.filters["organisation_ids"] = ids
        self.members.refresh()

    # --- organisations -----------------------------------------------------------------

    def new_organisation(self) -> None:
        OrganisationDialog(None, self, today=self.today).exec()

    def new_child(self) -> None:
        parent_id = self.current_id()
        if parent_id is None:
            inform(self, "请先在树中选中上级团组织。")
            return
        OrganisationDialog(None, self, parent_id=parent_id, today=self.today).exec()

    def edit_organisation(self) -> None:
        org_id = self.current_id()
        if org_id:
            OrganisationDialog(org_id, self, today=self.today).exec()

    def delete_organisation(self) -> None:
        org_id = self.current_id()
        if not org_id:
            return
        if self._children.get(org_id):
            inform(self, "该团组织下还有下级组织，请先删除或移走下级组织。")
            return
        if confirm(self, "删除选中的团组织？（可在回收站恢复）"):
            change(
                self, lambda s: delete_organisation(s, org_id), Changed.ORGANISATIONS, action="删除"
            ).run()

    def term_settings(self) -> None:
        TermYearsDialog(self).exec()

    # --- members of the selected organisation -----------------------------------------------

    def add_member(self) -> None:
        MemberDialog(None, self, organisation_id=self.current_id(), today=self.today).exec()

    def edit_member(self, member_id: int | None = None) -> None:
        member_id = member_id or self.members.current_id()
        if member_id:
            MemberDialog(member_id, self, today=self.today).exec()

    def import_organisations(self) -> None:
        from desk_league.ui.import_wizard import ImportWizard

        ImportWizard(self, kind="organisations").exec()

    def save_template(self, path: str | None = None) -> None:
        from desk_league.ui.import_wizard import save_template

        save_template(self, "organisations", path)

    def show_honours(self) -> None:
        """The selected organisation's honours, in the 荣誉 tab."""
        org_id = self.current_id()
        window = self.window()
        if org_id is None or not hasattr(window, "tab"):
            return
        # imported here: the tabs do not import each other when the window is built
        from desk_league.ui.honours_tab import HonoursTab

        honours_tab = window.tab(HonoursTab)
        window.tabs.setCurrentWidget(honours_tab)
        honours_tab.show_honours_of(organisation_id=org_id)

    # --- registers -----------------------------------------------------------------------

    def export_register(self, path: str | None = None) -> None:
        self._export(
            "导出团组织名册", "团组织名册及换届情况表.xlsx", export_organisations_register, path
        )

    def export_terms(self, path: str | None = None) -> None:
        self._export("导出团组织换届情况表", "团组织换届情况表.xlsx", export_terms_register, path)

    def _export(self, title: str, file_name: str, writer, path: str | None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, title, str(Path.home() / file_name), "Excel 工作簿 (*.xlsx)"
            )
        if not path:
            return

        long_query(
            self,
            title,
            lambda session, progress: writer(session, path, today=self.today, progress=progress),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()
