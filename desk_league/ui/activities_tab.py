"""活动: the activity ledger (活动台账)."""

from __future__ import annotations

from datetime import date

from desk_league.data.models import ACTIVITY_CATEGORIES, ACTIVITY_STATUSES
from desk_league.services.activities import ACTIVITIES
from desk_league.ui.base_tab import ListTab


class ActivitiesTab(ListTab):
    title = "活动"
    listing = ACTIVITIES

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        this_year = date.today().year
        years = [("全部", None)] + [(f"{y}年", y) for y in range(this_year + 1, this_year - 6, -1)]
        self.table.add_filter("year", "年度", years, current=this_year)
        self.table.add_filter("category", "类别", [("全部", None)] + [(c, c) for c in ACTIVITY_CATEGORIES])
        self.table.add_filter("status", "状态", [("全部", None)] + [(s, s) for s in ACTIVITY_STATUSES])
