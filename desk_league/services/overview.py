"""The figures the 总览 tab opens with: what is coming up and what needs the clerk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_league.data.models import (
    Activity,
    KeyDate,
    Organisation,
    PlanItem,
    ServiceRecord,
    Volunteer,
)
from desk_league.domain.lunar import resolve_key_date


@dataclass(frozen=True)
class UpcomingDate:
    name: str
    on: date
    days_left: int
    lunar: bool


def upcoming_key_dates(session: Session, today: date, days: int = 30) -> list[UpcomingDate]:
    """Key dates falling within ``days`` of today (lunar ones resolved for this year and next)."""
    found = []
    for key_date in session.scalars(select(KeyDate).where(KeyDate.deleted_at.is_(None))):
        for year in (today.year, today.year + 1):
            on = resolve_key_date(year, key_date.calendar, key_date.month, key_date.day)
            if 0 <= (on - today).days <= days:
                found.append(UpcomingDate(key_date.name, on, (on - today).days, key_date.calendar == "lunar"))
    return sorted(found, key=lambda u: u.on)


def year_counts(session: Session, today: date) -> dict[str, float]:
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)

    def count(stmt) -> int:
        return session.scalar(stmt) or 0

    return {
        "团组织": count(select(func.count(Organisation.id)).where(Organisation.deleted_at.is_(None))),
        "在册志愿者": count(
            select(func.count(Volunteer.id)).where(
                Volunteer.deleted_at.is_(None), Volunteer.status == "在册"
            )
        ),
        "本年活动": count(
            select(func.count(Activity.id)).where(
                Activity.deleted_at.is_(None), Activity.start_date.between(start, end)
            )
        ),
        "本年志愿服务时长": round(
            session.scalar(
                select(func.coalesce(func.sum(ServiceRecord.hours), 0)).where(
                    ServiceRecord.status == "approved", ServiceRecord.served_on.between(start, end)
                )
            )
            or 0,
            1,
        ),
        "待审核时长记录": count(
            select(func.count(ServiceRecord.id)).where(ServiceRecord.status == "pending")
        ),
        "逾期计划事项": count(
            select(func.count(PlanItem.id)).where(
                PlanItem.deleted_at.is_(None),
                PlanItem.kind == "task",
                PlanItem.due_date < today,
                PlanItem.status.in_(("未开始", "进行中")),
            )
        ),
    }


def upcoming_activities(session: Session, today: date, days: int = 30) -> list[tuple[date, str]]:
    rows = session.execute(
        select(Activity.start_date, Activity.title)
        .where(
            Activity.deleted_at.is_(None),
            Activity.start_date.between(today, today + timedelta(days=days)),
        )
        .order_by(Activity.start_date)
    )
    return [(row.start_date, row.title) for row in rows]
