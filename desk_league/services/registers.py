"""What every register the office sends upward carries: its 填报单位 line and date."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from desk_league.data.models import Person
from desk_league.domain.names import ORDER_LABELS, STROKES, name_key
from desk_league.errors import ValidationError
from desk_league.exports.register import Column, Register
from desk_league.services.settings import get_setting

LIST_ORDER = "list"  # a register of people in the order of the list on screen


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


def person_order(order: str | None) -> list[Any]:
    """The SQL order of a register of people: 姓氏笔画 or 拼音 (the keys services/people.py
    keeps), or [] for the order the list on screen has."""
    if order is None or order == LIST_ORDER:
        return []
    if order not in ORDER_LABELS:
        raise ValidationError(
            f"排序方式应为 {'、'.join(ORDER_LABELS)}，而不是 {order}。", field="排序"
        )
    return [Person.name_strokes if order == STROKES else Person.name_pinyin]


def sorted_by_name(
    rows: list[dict], order: str, key: str, group: Callable[[dict], Any] | None = None
) -> list[dict]:
    """Rows of a small register ordered by the name in ``key`` (within ``group``, if given)."""
    if order not in ORDER_LABELS:
        raise ValidationError(
            f"排序方式应为 {'、'.join(ORDER_LABELS)}，而不是 {order}。", field="排序"
        )
    return sorted(
        rows,
        key=lambda row: (
            group(row) if group is not None else 0,
            name_key(str(row.get(key) or ""), order),
        ),
    )
