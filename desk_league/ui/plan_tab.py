"""工作计划: the year's plan tasks."""

from __future__ import annotations

from datetime import date

from desk_league.data.models import PLAN_ITEM_STATUSES
from desk_league.services.plans import PLAN_ITEMS, plan_years
from desk_league.ui.base_tab import ListTab


class PlanTab(ListTab):
    title = "工作计划"
    listing = PLAN_ITEMS

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        with db.reading() as session:
            years = plan_years(session) or [date.today().year]
        self.table.add_filter("year", "年度", [(f"{y}年", y) for y in years], current=years[0])
        self.table.add_filter("status", "状态", [("全部", None)] + [(s, s) for s in PLAN_ITEM_STATUSES])
