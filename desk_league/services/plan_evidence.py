"""Activities as the evidence (活动佐证) of a plan task: linking them, and completing from them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_league.data.models import Activity, PlanItem, plan_item_activity
from desk_league.domain.codes import ActivityStatus, PlanItemStatus
from desk_league.errors import ValidationError
from desk_league.services.common import get_live
from desk_league.services.listing import ListColumn, Listing

ITEM_EVIDENCE = Listing(
    name="plan_item_evidence",
    columns=[
        ListColumn("id", "编号", Activity.id, "int", hidden=True),
        ListColumn("start_date", "日期", Activity.start_date, "date", width=90),
        ListColumn("title", "关联活动", Activity.title, width=240),
        ListColumn("status", "状态", Activity.status, width=60, labels=ActivityStatus.labels()),
    ],
    base=select(Activity)
    .join(plan_item_activity, plan_item_activity.c.activity_id == Activity.id)
    .where(Activity.deleted_at.is_(None)),
    filters={"plan_item_id": lambda item_id: plan_item_activity.c.plan_item_id == int(item_id)},
    default_sort=[Activity.start_date, Activity.id],
)
"""The activities linked to one task as its evidence (filter ``plan_item_id``, always set)."""


def link_activities(session: Session, item_id: int, activity_ids: Iterable[int]) -> int:
    item = get_live(session, PlanItem, item_id, "计划事项")
    linked = {a.id for a in item.activities}
    added = 0
    for activity_id in activity_ids:
        if activity_id not in linked:
            item.activities.append(get_live(session, Activity, activity_id, "活动"))
            linked.add(activity_id)
            added += 1
    return added


def unlink_activity(session: Session, item_id: int, activity_id: int) -> None:
    item = get_live(session, PlanItem, item_id, "计划事项")
    item.activities = [a for a in item.activities if a.id != activity_id]


def complete_from_evidence(session: Session, item_id: int) -> PlanItem:
    """One click: a task whose linked activities include a finished one is marked done."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    finished = [
        a for a in item.activities if a.deleted_at is None and a.status == ActivityStatus.DONE
    ]
    if not finished:
        raise ValidationError(
            f"该事项还没有{ActivityStatus.DONE.label}的关联活动，不能按佐证标记完成。"
        )
    item.status, item.progress = PlanItemStatus.DONE, 100
    return item
