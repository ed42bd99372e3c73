"""What every register the office sends upward carries: its 填报单位 line and date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from desk_league.exports.register import Column, Register
from desk_league.services.settings import get_setting


def office_line(session: Session) -> str:
    """The 填报单位 line under a register's title."""
    return f"填报单位：{get_setting(session, 'office_name')}"


def office_register(
    session: Session,
    title: str,
    columns: Sequence[Column],
    *,
    today: date | None = None,
    **options: Any,
) -> Register:
    """A register with the office's line, the day's date and the names of 填表人/审核人
    (``options``: sheet_name, mask_ids …)."""
    return Register(
        title=title,
        columns=columns,
        office=office_line(session),
        date=today or date.today(),
        filler=str(get_setting(session, "form_filler")),
        reviewer=str(get_setting(session, "form_reviewer")),
        **options,
    )
