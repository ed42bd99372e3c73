"""荣誉: honours held by people, organisations and collectives."""

from __future__ import annotations

from desk_league.data.models import HONOUR_LEVELS
from desk_league.services.honours import HONOURS
from desk_league.ui.base_tab import ListTab


class HonoursTab(ListTab):
    title = "荣誉"
    listing = HONOURS

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.table.add_filter("level", "级别", [("全部", None)] + [(lv, lv) for lv in HONOUR_LEVELS])
