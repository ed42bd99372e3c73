"""志愿者: the volunteer register with cumulative hours."""

from __future__ import annotations

from desk_league.services.volunteers import VOLUNTEERS
from desk_league.ui.base_tab import ListTab

VOLUNTEER_STATUSES = ("在册", "暂停", "注销")


class VolunteersTab(ListTab):
    title = "志愿者"
    listing = VOLUNTEERS

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.table.add_filter("status", "状态", [("全部", None)] + [(s, s) for s in VOLUNTEER_STATUSES])
