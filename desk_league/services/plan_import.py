"""A plan from pasted text (``imports.plan_text``), and next year's plan copied from this one."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from desk_league.data.models import Plan, PlanItem
from desk_league.domain.codes import PlanItemStatus, PlanStatus
from desk_league.domain.dates import add_years
from desk_league.errors import Conflict
from desk_league.imports.plan_text import ParsedItem, ParsedPlan
from desk_league.services.common import get_live, move_to_recycle_bin
from desk_league.services.plan_editing import check_plan_year, key_date_in
from desk_league.services.plan_tree import in_tree_order, items_by_parent, live_items, plan_for_year


def import_plan(session: Session, parsed: ParsedPlan, year: int, *, replace: bool = False) -> Plan:
    """Save a parsed plan text as the plan of ``year`` (one transaction: all or nothing).

    An existing plan for the year is refused unless ``replace``, which sends it to the recycle bin.
    """
    check_plan_year(year)
    existing = plan_for_year(session, year)
    if existing is not None:
        if not replace:
            raise Conflict(
                f"{year}年已有工作计划“{existing.title}”。如要替换，请确认覆盖（原计划进入回收站）。"
            )
        move_to_recycle_bin(session, existing)
    plan = Plan(year=year, title=parsed.title or f"{year}年工作计划", approach=parsed.approach)
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
