"""The yearly work plan (工作计划): sections and tasks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import Organisation, Plan, PlanItem
from desk_league.services.listing import ListColumn, Listing

_section = aliased(PlanItem)

PLAN_ITEMS = Listing(
    name="plan_items",
    columns=[
        ListColumn("id", "编号", PlanItem.id, "int", hidden=True),
        ListColumn("section", "板块", _section.title, width=200),
        ListColumn("number", "序号", PlanItem.number, width=50),
        ListColumn("title", "事项", PlanItem.title, width=320),
        ListColumn("owner", "责任人", PlanItem.owner, width=70),
        ListColumn("lead_unit", "牵头单位", Organisation.name, width=140),
        ListColumn("time_node", "时间节点", PlanItem.time_node, width=90),
        ListColumn("due_date", "完成时限", PlanItem.due_date, "date", width=90),
        ListColumn("status", "状态", PlanItem.status, width=60),
        ListColumn("progress", "进度", PlanItem.progress, "percent", width=55),
    ],
    base=select(PlanItem)
    .join(Plan, PlanItem.plan_id == Plan.id)
    .outerjoin(_section, PlanItem.parent_id == _section.id)
    .outerjoin(Organisation, PlanItem.lead_unit_id == Organisation.id)
    .where(PlanItem.deleted_at.is_(None), Plan.deleted_at.is_(None), PlanItem.kind == "task"),
    search=[PlanItem.title, PlanItem.body, PlanItem.owner],
    filters={
        "year": lambda year: Plan.year == int(year),
        "status": lambda status: PlanItem.status == status,
    },
    default_sort=[_section.position, PlanItem.position, PlanItem.id],
)


def plan_years(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Plan.year).where(Plan.deleted_at.is_(None)).distinct().order_by(Plan.year.desc())
        )
    )
