"""团组织: the league organisations of every health unit, and their register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from desk_league.data.models import ORG_KINDS
from desk_league.services.organisations import ORGANISATIONS, export_organisations_register
from desk_league.ui.background import run_in_background
from desk_league.ui.base_tab import ListTab
from desk_league.ui.messages import inform


class OrganisationsTab(ListTab):
    title = "团组织"
    listing = ORGANISATIONS

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.table.add_filter("kind", "类别", [("全部", None)] + [(k, k) for k in ORG_KINDS])
        self.table.add_button("导出名册…", self.export_register, name="export_organisations")
        self.table.add_button("荣誉…", self.show_honours, name="organisation_honours")

    def show_honours(self) -> None:
        """The selected organisation's honours, in the 荣誉 tab."""
        org_id = self.table.current_id()
        window = self.window()
        if org_id is None or not hasattr(window, "tab"):
            return
        # imported here: the tabs do not import each other when the window is built
        from desk_league.ui.honours_tab import HonoursTab

        honours_tab = window.tab(HonoursTab)
        window.tabs.setCurrentWidget(honours_tab)
        honours_tab.show_honours_of(organisation_id=org_id)

    def export_register(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "导出团组织名册", str(Path.home() / "团组织名册及换届情况表.xlsx"), "Excel 工作簿 (*.xlsx)"
            )
        if not path:
            return

        def work(progress):
            with self.db.reading() as session:
                return export_organisations_register(session, path, today=date.today(), progress=progress)

        run_in_background(self, "导出团组织名册", work, lambda out: inform(self, f"已导出：{out}"))
