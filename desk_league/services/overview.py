"""The figures the 总览 tab opens with: what is coming up and what needs the clerk.

Each reminder carries a ``RecordRef`` (which kind of record, its id, words to search for), so
the screen can take the clerk to the record it speaks of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_league.data.models import (
    Activity,
    Honour,
    Organisation,
    Plan,
    PlanItem,
    ServiceRecord,
)
from desk_league.domain.codes import (
    ActivityStatus,
    CalendarKind,
    PlanItemKind,
    PlanItemStatus,
    ServiceStatus,
)
from desk_league.domain.league import term_reminders
from desk_league.services import figures, honours, statistics
from desk_league.services.calendar import ResolvedKeyDate, key_dates_of_year
from desk_league.services.figures import Period, VolunteerFact
from desk_league.services.organisations import term_years_for

UPCOMING_DAYS = 30
OPEN_TASK_STATUSES = (PlanItemStatus.TODO, PlanItemStatus.ONGOING)


@dataclass(frozen=True)
class RecordRef:
    """Where a reminder leads: ``kind`` names the record's table, ``text`` finds it in a list."""

    kind: (
        str  # activity / key_date / plan_item / organisation / honour / service_record / volunteer
    )
    id: int | None
    text: str = ""


@dataclass(frozen=True)
class Reminder:
    """One line of the overview: a date (if any), what it is about, and a note."""

    on: date | None
    title: str
    note: str
    ref: RecordRef
    urgent: bool = False


def upcoming_key_dates(
    session: Session, today: date, days: int = UPCOMING_DAYS
) -> list[ResolvedKeyDate]:
    """Key dates falling within ``days`` of today (the calendar resolves lunar ones)."""
    return [
        node
        for year in (today.year, today.year + 1)
        for node in key_dates_of_year(session, year)
        if 0 <= (node.on - today).days <= days
    ]


def upcoming(session: Session, today: date, days: int = UPCOMING_DAYS) -> list[Reminder]:
    """Today's and the coming days' key dates and planned activities, in date order."""
    items = []
    for node in upcoming_key_dates(session, today, days):
        left = (node.on - today).days
        items.append(
            Reminder(
                node.on,
                node.name
                + (
                    f"（{CalendarKind.LUNAR.label}）" if node.calendar == CalendarKind.LUNAR else ""
                ),
                "今天" if left == 0 else f"还有 {left} 天",
                RecordRef("key_date", node.id),
                urgent=left <= 7,
            )
        )
    for activity in upcoming_activities(session, today, days):
        items.append(
            Reminder(
                activity.start_date,
                activity.title,
                f"{activity.category}·{ActivityStatus.label_of(activity.status)}",
                RecordRef("activity", activity.id, activity.title),
            )
        )
    return sorted(items, key=lambda r: r.on or today)


def upcoming_activities(session: Session, today: date, days: int = UPCOMING_DAYS) -> list[Activity]:
    """Activities starting from today to ``days`` ahead that are not cancelled."""
    return list(
        session.scalars(
            select(Activity)
            .where(
                Activity.deleted_at.is_(None),
                Activity.status != ActivityStatus.CANCELLED,
                Activity.start_date.between(today, today + timedelta(days=days)),
            )
            .order_by(Activity.start_date, Activity.id)
        )
    )


def overdue_tasks(session: Session, today: date) -> list[Reminder]:
    """Plan tasks past their due date and not finished (or cancelled), oldest first."""
    tasks = session.scalars(
        select(PlanItem)
        .join(Plan, PlanItem.plan_id == Plan.id)
        .where(
            Plan.deleted_at.is_(None),
            PlanItem.deleted_at.is_(None),
            PlanItem.kind == PlanItemKind.TASK,
            PlanItem.due_date < today,
            PlanItem.status.in_(OPEN_TASK_STATUSES),
        )
        .order_by(PlanItem.due_date, PlanItem.position, PlanItem.id)
    )
    return [
        Reminder(
            task.due_date,
            task.title,
            f"{PlanItemStatus.label_of(task.status)}·已逾期 {(today - task.due_date).days} 天"
            + (f"·{task.owner}" if task.owner else ""),
            RecordRef("plan_item", task.id, task.title),
            urgent=True,
        )
        for task in tasks
        if task.due_date is not None  # the query leaves the undated out; this tells the types
    ]


def terms_due(session: Session, today: date) -> list[Reminder]:
    """Organisations with a 换届 reminder in force: 6 or 3 months ahead, overdue, or no date."""
    found = []
    orgs = session.scalars(
        select(Organisation).where(Organisation.deleted_at.is_(None)).order_by(Organisation.id)
    )
    for org in orgs:
        reminders = term_reminders(org.term_start, term_years_for(session, org), today)
        if not reminders:
            continue
        latest = reminders[-1]
        found.append(
            Reminder(
                latest.date if latest.kind != "missing" else None,
                org.name,
                latest.text,
                RecordRef("organisation", org.id, org.name),
                urgent=latest.kind in ("overdue", "missing"),
            )
        )
    # overdue first, then the soonest; branches without a date last
    return sorted(found, key=lambda r: (not r.urgent or r.on is None, r.on or today))


def honour_reviews_due(session: Session, today: date) -> list[Reminder]:
    """青年文明号 that need a review: the honours service's rule (this year's 年审 missing, or
    the creation cycle ending within three months), so the overview and the 荣誉 tab agree."""
    return [
        Reminder(
            r.due, r.name, r.text, RecordRef("honour", r.honour_id, r.name), urgent=r.due <= today
        )
        for r in honours.review_reminders(session, today)
    ]


def pending_service_records(session: Session) -> list[Reminder]:
    """Service records waiting for approval, one line per unit with the oldest date."""
    unit = figures.unit_expr()
    rows = session.execute(
        figures.of_live_volunteers(
            select(
                unit, func.count(ServiceRecord.id), func.min(ServiceRecord.served_on)
            ).select_from(ServiceRecord)
        )
        .where(ServiceRecord.status == ServiceStatus.PENDING)
        .group_by(unit)
        .order_by(func.min(ServiceRecord.served_on))
    )
    return [
        Reminder(
            oldest,
            name,
            f"{n} 条待审核，最早 {oldest:%Y-%m-%d}",
            RecordRef("service_record", None, name),
        )
        for name, n, oldest in rows
    ]


def volunteers_of_year(session: Session, year: int, today: date) -> list[VolunteerFact]:
    """The volunteers as ``year``'s figures see them (``figures.volunteer_facts``): one read
    that a refresh of the overview hands to its figures, charts and reminders alike."""
    return figures.volunteer_facts(session, Period.year(year), today)


def volunteers_under_hours(
    session: Session,
    today: date,
    year: int | None = None,
    facts: list[VolunteerFact] | None = None,
) -> list[Reminder]:
    """Registered volunteers whose approved hours of the year are under the yearly minimum
    (setting ``volunteer_min_yearly_hours``), fewest hours first: the same list as the
    register's sheet and the summary's figure. ``facts``: the year's, when already read."""
    period = Period.year(year or today.year)
    minimum = figures.min_yearly_hours(session)
    if facts is None:
        facts = figures.volunteer_facts(session, period, today)
    under = figures.under_hours(facts, minimum)
    return [
        Reminder(
            None,
            f"{fact.name}（{fact.unit}）",
            f"{period.name}已审核 {fact.hours:g} 小时，不足 {minimum:g} 小时"
            + ("" if fact.served else "，未参加服务"),
            RecordRef("volunteer", fact.id, fact.number),
        )
        for fact in sorted(under, key=lambda f: (f.hours, f.unit, f.number))
    ]


def year_counts(
    session: Session,
    today: date,
    year: int | None = None,
    facts_now: list[VolunteerFact] | None = None,
) -> dict[str, float]:
    """The figures at the top of the overview for ``year`` (this year by default); each is the
    figure of the annual workbook and the summary (``services.figures``). ``facts_now``: this
    year's volunteers, when already read."""
    period = Period.year(year or today.year)
    now = Period.year(today.year)  # 团组织 and 在册志愿者 are today's, whatever the year shown
    if facts_now is None:
        facts_now = figures.volunteer_facts(session, now, today)
    held = figures.activities_by_status(session, period).get(ActivityStatus.DONE)
    own = figures.awarded_by_office(figures.office_names(session))

    def honours_where(*clauses) -> int:
        stmt = select(func.count(Honour.id)).where(figures.honours_counted(period), *clauses)
        return session.scalar(stmt) or 0

    return {
        "团组织": len(figures.organisations_as_of(session, now, today)),
        "在册志愿者": sum(f.registered for f in facts_now),
        "已开展活动": held.activities if held else 0,
        "志愿服务时长": figures.service_hours(session, period).approved,
        "本级表彰": honours_where(own),
        "获得上级荣誉": honours_where(~own),
        "待审核时长记录": session.scalar(
            select(func.count(ServiceRecord.id)).where(
                ServiceRecord.status == ServiceStatus.PENDING
            )
        )
        or 0,
        "逾期计划事项": session.scalar(  # always as of today: a to-do, not a figure of the year
            select(func.count(PlanItem.id))
            .join(Plan, PlanItem.plan_id == Plan.id)
            .where(
                Plan.deleted_at.is_(None),
                PlanItem.deleted_at.is_(None),
                PlanItem.kind == PlanItemKind.TASK,
                PlanItem.due_date < today,
                PlanItem.status.in_(OPEN_TASK_STATUSES),
            )
        )
        or 0,
    }


@dataclass
class ChartData:
    """This year's counts behind the overview charts (the same rules as the annual workbook)."""

    year: int
    activities_by_category: dict[str, int]
    hours_by_month: list[float]
    hours_by_unit: dict[str, float]
    honours_by_level: dict[str, int]


def chart_data(
    session: Session,
    year: int,
    today: date | None = None,
    facts: list[VolunteerFact] | None = None,
) -> ChartData:
    """``facts``: the year's volunteers, when already read."""
    period = Period.year(year)
    activities = statistics.activities_by_category_month(session, period)
    units = statistics.volunteers_by_unit(session, period, today or date.today(), facts)
    return ChartData(
        year=year,
        activities_by_category={row["category"]: row["total"] for row in activities},
        hours_by_month=statistics.hours_by_month(session, period),
        hours_by_unit={row["unit"]: row["hours"] for row in units if row["hours"]},
        honours_by_level=statistics.honours_by_level(session, period),
    )
