"""A plan from pasted text (``imports.plan_text``), and next year's plan copied from this one."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_league.data.models import KeyDate, Plan, PlanItem
from desk_league.domain.codes import PlanItemStatus, PlanStatus
from desk_league.domain.dates import add_years
from desk_league.errors import Conflict
from desk_league.imports.plan_prose import KeyDateRule, resolve_dates
from desk_league.imports.plan_text import ParsedItem, ParsedPlan
from desk_league.services import reference
from desk_league.services.common import get_live, move_to_recycle_bin
from desk_league.services.plan_editing import check_plan_year, key_date_in
from desk_league.services.plan_tree import in_tree_order, items_by_parent, live_items, plan_for_year


def key_date_rules(session: Session) -> list[KeyDateRule]:
    """The calendar's key dates as a plan import links its time words to them."""
    return [
        KeyDateRule(kd.id, kd.name, kd.calendar, kd.month, kd.day)
        for kd in session.scalars(
            select(KeyDate).where(KeyDate.deleted_at.is_(None)).order_by(KeyDate.id)
        )
    ]


def default_key_date_rules() -> list[KeyDateRule]:
    """The key dates every office starts with, for a dry run that has no database."""
    return [KeyDateRule(0, n, c, m, d) for n, c, m, d, _remind in reference.KEY_DATES]


def import_plan(session: Session, parsed: ParsedPlan, year: int, *, replace: bool = False) -> Plan:
    """Save a parsed plan text as the plan of ``year`` (one transaction: all or nothing).

    An existing plan for the year is refused unless ``replace``, which sends it to the recycle bin.
    Time words become each task's 时间节点, linked to the calendar's key date with a due date in
    ``year`` (proposed tasks are saved like the others: the clerk saw them in the preview).
    """
    check_plan_year(year)
    resolve_dates(parsed, key_date_rules(session), year)
    existing = plan_for_year(session, year)
    if existing is not None:
        if not replace:
            raise Conflict(
                f"{year}年已有工作计划“{existing.title}”。如要替换，请确认覆盖（原计划进入回收站）。"
            )
        move_to_recycle_bin(session, existing)
    plan = Plan(
        year=year, title=(parsed.title or f"{year}年工作计划")[:200], approach=parsed.approach
    )
    session.add(plan)
    session.flush()
    _add_parsed(session, plan, parsed.items, parent_id=None)
    session.flush()
    return plan


def _add_parsed(
    session: Session, plan: Plan, items: list[ParsedItem], parent_id: int | None
) -> None:
    for position, parsed in enumerate(items):
        item = PlanItem(
            plan_id=plan.id,
            parent_id=parent_id,
            position=position,
            kind=parsed.kind,
            number=parsed.number,
            title=parsed.title[:300],
            body=parsed.body,
            time_node=parsed.time_node,
            due_date=parsed.due_date,
            key_date_id=parsed.key_date_id,
        )
        session.add(item)
        session.flush()
        _add_parsed(session, plan, parsed.children, item.id)


def copy_plan_to_year(session: Session, plan_id: int, year: int) -> Plan:
    """Next year's plan from this one: same items, reset to todo, dates a year (or more) on."""
    source = get_live(session, Plan, plan_id, "工作计划")
    check_plan_year(year)
    if plan_for_year(session, year) is not None:
        raise Conflict(f"{year}年已有工作计划，不能再复制一份。")
    shift = year - source.year
    title = (
        source.title.replace(str(source.year), str(year))
        if str(source.year) in source.title
        else source.title
    )
    plan = Plan(year=year, title=title, approach=source.approach, status=PlanStatus.DRAFT)
    session.add(plan)
    session.flush()
    new_ids: dict[int, int] = {}
    for old in in_tree_order(items_by_parent(live_items(session, source.id))):
        item = PlanItem(
            plan_id=plan.id,
            parent_id=new_ids.get(old.parent_id) if old.parent_id else None,
            position=old.position,
            kind=old.kind,
            number=old.number,
            title=old.title,
            body=old.body,
            owner=old.owner,
            lead_unit_id=old.lead_unit_id,
            time_node=old.time_node,
            key_date_id=old.key_date_id,
            note="",
            due_date=_shifted_due_date(session, old, year, shift),
            status=PlanItemStatus.TODO,
            progress=0,
        )
        session.add(item)
        session.flush()
        new_ids[old.id] = item.id
    return plan


def _shifted_due_date(session: Session, item: PlanItem, year: int, shift: int) -> date | None:
    if item.due_date is None:
        return None
    if item.key_date_id and item.due_date == key_date_in(session, item.key_date_id, item.plan.year):
        return key_date_in(session, item.key_date_id, year)  # on the key date: follow it
    return add_years(item.due_date, shift)
