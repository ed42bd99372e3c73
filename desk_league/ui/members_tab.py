"""团员: the member register, the league cadres (团干部), 超龄离团 and 推优入党.

A 团员 is a role of a person (the volunteer register shows the same person): the register is
filled by hand or from an Excel 团员名册, each list says so while it is empty. Every change is an
operation (``ui/operations``) announcing ``Changed.MEMBERS`` / ``RECOMMENDATIONS``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFileDialog, QInputDialog, QTabWidget, QWidget

from desk_league.domain.codes import (
    LeaguePostKind,
    MemberStatus,
    PoliticalStatus,
    RecommendationStage,
)
from desk_league.domain.league import AGE_BANDS
from desk_league.services import members, recommendations
from desk_league.services.organisations import organisation_filter_choices
from desk_league.ui.base_tab import BaseTab, ListTable, refill
from desk_league.ui.member_dialogs import (
    LeavingDialog,
    MemberDialog,
    MoveMembersDialog,
    RecommendationDialog,
)
from desk_league.ui.messages import confirm, inform
from desk_league.ui.operations import Changed, change, long_query, query
from desk_league.ui.table_model import frozen

EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
# what the 超龄离团 page shows, in this order: the note that decides first after the name
AGE_OUT_COLUMNS = (
    "name",
    "age_warning",
    "birth_date",
    "organisation",
    "political",
    "posts",
    "department",
    "phone",
)
MASKED, FULL = "身份证号中间打码（对外报送）", "显示完整身份证号（可再导入本软件）"


class MembersTab(BaseTab):
    title = "团员"
    watches = (
        Changed.MEMBERS
        | Changed.PEOPLE
        | Changed.ORGANISATIONS
        | Changed.RECOMMENDATIONS
        | Changed.VOLUNTEERS
    )

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        orgs: list = []  # the organisations' choices come with ``refresh``, off the GUI thread
        self.pages = QTabWidget(objectName="member_pages")
        self.pages.addTab(self._register_page(orgs), "团员名册")
        self.pages.addTab(self._cadres_page(orgs), "团干部")
        self.pages.addTab(self._age_out_page(), "超龄离团")
        self.pages.addTab(self._recommendations_page(orgs), "推优入党")
        self._unread: set[int] = set()  # pages whose list is read when they are next shown
        self.pages.currentChanged.connect(self._page_shown)
        self.layout_.addWidget(self.pages)

    # --- 团员名册 --------------------------------------------------------------------------------

    def _register_page(self, orgs) -> QWidget:
        table = self.members = ListTable(members.members_listing(self.today), self)
        self.org_filter = table.add_filter("organisation_tree", "团组织", [("全部", None), *orgs])
        _compact(self.org_filter)
        table.add_filter(
            "political_status",
            "政治面貌",
            [("全部", None)] + [(s.label, s.value) for s in PoliticalStatus],
        )
        table.add_filter("age_band", "年龄", [("全部", None)] + [(b[1], b[0]) for b in AGE_BANDS])
        table.add_filter(
            "status",
            "状态",
            [("全部", None)] + [(s.label, s.value) for s in MemberStatus],
            current=MemberStatus.ACTIVE.value,
        )
        table.add_button("登记", self.add_member, "Ctrl+N", name="add_member")
        table.add_button("修改", self.edit_member, name="edit_member")
        table.add_button("删除", self.delete_member, name="delete_member")
        table.add_button("导入…", lambda: self.open_import("members"), name="import_members")
        table.add_button("转入团组织…", self.move_members, name="move_members")
        table.add_button("办理离团…", lambda: self.record_leaving(table), name="record_leaving")
        table.add_button("导出名册…", self.export_members, name="export_members")
        table.add_button("导入模板…", lambda: self.save_template("members"), name="member_template")
        table.on_activated(lambda _id: self.edit_member())
        table.set_empty_state(
            "团员名册还是空的。\n这里将列出全系统的团员（团员是人员的一种身份：已登记为志愿者的人，"
            "登记为团员后两种身份都会显示）。\n可以逐个登记，也可以从 Excel 团员名册导入；"
            "没有现成名册的，可先下载导入模板填写。",
            [
                ("导入团员名册…", lambda: self.open_import("members")),
                ("登记团员…", self.add_member),
                ("下载导入模板…", lambda: self.save_template("members")),
            ],
        )
        return table

    def add_member(self) -> None:
        org_id = self.members.model.query.filters.get("organisation_tree")
        MemberDialog(None, self, organisation_id=org_id, today=self.today).exec()

    def edit_member(self, member_id: int | None = None) -> None:
        member_id = member_id or self.members.current_id()
        if member_id is None:
            inform(self, "请先在列表中选择一名团员。")
            return
        MemberDialog(member_id, self, today=self.today).exec()

    def delete_member(self) -> None:
        ids = self.members.selected_ids()
        if not ids:
            inform(self, "请先在列表中选择要删除的团员。")
            return
        if not confirm(
            self,
            f"从团员名册删除所选 {len(ids)} 人？（只删除团员身份，人员的志愿者等其他身份保留；"
            "可在回收站恢复。离团请用“办理离团”，以保留团籍历史。）",
        ):
            return

        def delete(session) -> None:
            for member_id in ids:
                members.delete_member(session, member_id, self.today)

        change(self, delete, Changed.MEMBERS | Changed.ORGANISATIONS, action="删除").run()

    def move_members(self) -> None:
        ids = self.members.selected_ids()
        if not ids:
            inform(self, "请先在列表中选择要转入其他团组织的团员（可按住 Ctrl 或 Shift 多选）。")
            return
        MoveMembersDialog(ids, self).exec()

    def record_leaving(self, table: ListTable) -> None:
        ids = table.selected_ids()
        if not ids:
            inform(self, "请先在列表中选择要办理离团的团员（可多选）。")
            return
        dialog = LeavingDialog(ids, self, today=self.today)
        if dialog.exec() and dialog.result_value is not None:
            inform(self, dialog.result_value.message)

    def export_members(self, path: str | None = None, *, show_ids: bool | None = None) -> None:
        if show_ids is None:
            choice, ok = QInputDialog.getItem(
                self, "导出团员名册", "身份证号：", [MASKED, FULL], 0, False
            )
            if not ok:
                return
            show_ids = choice == FULL
        path = path or _save_path(self, "导出团员名册", "团员名册.xlsx")
        if not path:
            return
        query, mask = frozen(self.members.model.query), not show_ids
        long_query(
            self,
            "导出团员名册",
            lambda session, progress: members.export_member_register(
                session, path, query, mask_ids=mask, today=self.today, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()

    # --- 团干部 ---------------------------------------------------------------------------------

    def _cadres_page(self, orgs) -> QWidget:
        table = self.cadres = ListTable(members.cadres_listing(self.today), self)
        table.model.query.filters["current"] = True
        self.cadre_org_filter = table.add_filter(
            "organisation_tree", "团组织", [("全部", None), *orgs]
        )
        _compact(self.cadre_org_filter)
        table.add_filter(
            "post", "职务", [("全部", None)] + [(k.label, k.value) for k in LeaguePostKind]
        )
        past = QCheckBox("含已离任", objectName="past_posts")
        past.toggled.connect(lambda on: table.model.set_filter("current", None if on else True))
        table.filters_layout.addWidget(past)
        table.add_button("修改职务…", self.edit_cadre, name="edit_cadre")
        table.add_button("导入…", lambda: self.open_import("cadres"), name="import_cadres")
        table.add_button("导出名册…", self.export_cadres, name="export_cadres")
        table.add_button("导入模板…", lambda: self.save_template("cadres"), name="cadre_template")
        table.on_activated(lambda _id: self.edit_cadre())
        table.set_empty_state(
            "还没有团干部。\n团干部是担任团内职务（书记、副书记、组织委员、宣传委员、委员……）的团员："
            "在团员表单的“团内职务”页添加，或在“团组织”页编辑团组织时指定书记；也可导入团干部名册。",
            [
                ("导入团干部名册…", lambda: self.open_import("cadres")),
                ("下载导入模板…", lambda: self.save_template("cadres")),
            ],
        )
        return table

    def edit_cadre(self) -> None:
        index = self.cadres.view.currentIndex()
        if not index.isValid():
            inform(self, "请先在列表中选择一名团干部。")
            return
        member_id = self.cadres.model.row_value(index.row(), "member_id")
        if member_id is not None:
            MemberDialog(member_id, self, today=self.today).exec()

    def export_cadres(self, path: str | None = None) -> None:
        path = path or _save_path(self, "导出团干部名册", "团干部名册.xlsx")
        if not path:
            return
        query = frozen(self.cadres.model.query)
        long_query(
            self,
            "导出团干部名册",
            lambda session, progress: members.export_cadre_register(
                session, path, query, today=self.today, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()

    # --- 超龄离团 -------------------------------------------------------------------------------

    def _age_out_page(self) -> QWidget:
        table = self.age_out = ListTable(members.members_listing(self.today), self)
        year = self.today.year
        table.add_filter("age_out", "年度", [(f"{y}年", y) for y in (year, year + 1)], current=year)
        table.model.query.filters["status"] = MemberStatus.ACTIVE.value
        table.add_button("办理离团…", lambda: self.record_leaving(table), name="record_aged_out")
        table.on_activated(self.edit_member)
        _show_only(table, AGE_OUT_COLUMNS)
        table.set_empty_state(
            f"{year}年没有年满28周岁的团员。\n这里列出当年年满28周岁和已超过28周岁、仍在团的团员："
            "未任团内职务的应办理超龄离团；任团内职务的按团章保留团籍，列表中注明。"
        )
        return table

    # --- 推优入党 -------------------------------------------------------------------------------

    def _recommendations_page(self, orgs) -> QWidget:
        table = self.recommendations = ListTable(recommendations.RECOMMENDATIONS, self)
        self.rec_org_filter = table.add_filter(
            "organisation_tree", "团组织", [("全部", None), *orgs]
        )
        _compact(self.rec_org_filter)
        table.add_filter(
            "stage", "阶段", [("全部", None)] + [(s.label, s.value) for s in RecommendationStage]
        )
        year = self.today.year
        table.add_filter(
            "year",
            "推优年度",
            [("全部", None)] + [(f"{y}年", y) for y in range(year, year - 6, -1)],
        )
        table.add_button("新增推优…", self.new_recommendation, name="new_recommendation")
        table.add_button("登记进程…", self.edit_recommendation, name="edit_recommendation")
        table.add_button("删除", self.delete_recommendation, name="delete_recommendation")
        table.add_button("导出推荐对象名册…", self.export_recommendations, name="export_tuiyou")
        table.on_activated(self.edit_recommendation)
        table.set_empty_state(
            "还没有推优记录。\n推优入党：团支部推荐年满18周岁、未满28周岁的共青团员作为入党积极分子人选，"
            "此后登记列为积极分子、发展对象、接收预备党员、转为正式党员的日期。",
            [("新增推优…", self.new_recommendation)],
        )
        return table

    def new_recommendation(self) -> None:
        org_id = self.recommendations.model.query.filters.get("organisation_tree")
        RecommendationDialog(None, self, organisation_id=org_id, today=self.today).exec()

    def edit_recommendation(self, rec_id: int | None = None) -> None:
        rec_id = rec_id or self.recommendations.current_id()
        if rec_id is None:
            inform(self, "请先在列表中选择一条推优记录。")
            return
        RecommendationDialog(rec_id, self, today=self.today).exec()

    def delete_recommendation(self) -> None:
        rec_id = self.recommendations.current_id()
        if rec_id and confirm(self, "删除选中的推优记录？（可在回收站恢复）"):
            change(
                self,
                lambda s: recommendations.delete_recommendation(s, rec_id),
                Changed.RECOMMENDATIONS,
                action="删除",
            ).run()

    def export_recommendations(self, path: str | None = None) -> None:
        path = path or _save_path(self, "导出推荐对象名册", "推优入党推荐对象名册.xlsx")
        if not path:
            return
        query = frozen(self.recommendations.model.query)
        year = query.filters.get("year")
        long_query(
            self,
            "导出推荐对象名册",
            lambda session, progress: recommendations.export_recommendation_register(
                session, path, query, year=year, today=self.today, progress=progress
            ),
        ).success(lambda out: inform(self, f"已导出：{out}")).run()

    # --- shared ---------------------------------------------------------------------------------

    def open_import(self, kind: str) -> None:
        from desk_league.ui.import_wizard import ImportWizard

        ImportWizard(self, kind=kind).exec()

    def save_template(self, kind: str, path: str | None = None) -> None:
        from desk_league.ui.import_wizard import save_template

        save_template(self, kind, path)

    def refresh(self) -> None:
        """The filters' organisations in the background, then the list of the page on screen;
        the other pages read theirs when they are shown."""
        query(self, organisation_filter_choices).in_background().success(self._show_choices).run()

    def _show_choices(self, orgs: list) -> None:
        for combo in (self.org_filter, self.cadre_org_filter, self.rec_org_filter):
            refill(combo, orgs)
        self._unread = set(range(self.pages.count()))
        self._page_shown(self.pages.currentIndex())

    def _page_shown(self, index: int) -> None:
        if index in self._unread:
            self._unread.discard(index)
            self.pages.widget(index).refresh()

    def show_record(self, kind: str, record_id: int | None, text: str = "") -> None:
        self.ensure_loaded()
        pages = {"member": self.members, "recommendation": self.recommendations}
        table = pages.get(kind, self.members)
        self.pages.setCurrentWidget(table)
        table.show_row(record_id, text)


def _show_only(table: ListTable, keys: tuple[str, ...]) -> None:
    """A page that needs fewer columns of its listing, in its own order."""
    header = table.view.horizontalHeader()
    columns = [c.key for c in table.model.columns]
    for index, key in enumerate(columns):
        table.view.setColumnHidden(index, key not in keys)
    for position, key in enumerate(keys):
        header.moveSection(header.visualIndex(columns.index(key)), position)


def _compact(combo) -> None:
    """Organisation names run long: the closed box stays small, the list shows them whole."""
    from PySide6.QtWidgets import QComboBox

    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)


def _save_path(parent: QWidget, title: str, name: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), EXCEL_FILTER)
    return path
