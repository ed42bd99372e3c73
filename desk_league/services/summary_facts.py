"""What the year-end (or half-year) summary is written from: the records of a period, read once.

``SummaryFacts`` gathers them for ``year_end_summary``, which writes the text: the plan's
sections and tasks with the activities linked to them, the figures of ``services.figures`` as
of the period's end (a past year's are that year's), the honours counted (本级表彰 apart from
上级荣誉), volunteers, organisations, 青年文明号, 信息报送, and the next period's key dates, term
ends and 青年文明号 cycles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_league.data.models import (
    Activity,
    Commendation,
    Honour,
    HonourType,
    Organisation,
    Person,
    Plan,
    ServiceRecord,
    plan_item_activity,
)
from desk_league.domain.codes import ActivityStatus, PlanItemStatus, RecipientKind
from desk_league.services import figures, statistics
from desk_league.services.calendar import key_dates_of_year
from desk_league.services.figures import Period
from desk_league.services.honours import youth_civilization_rows
from desk_league.services.settings import get_setting
from desk_league.services.statistics import SectionFact, TaskFact

OPEN = (PlanItemStatus.TODO, PlanItemStatus.ONGOING)


def summary_period(year: int, half: bool = False) -> Period:
    return Period.first_half(year) if half else Period.year(year)


@dataclass(frozen=True)
class HonourFact:
    type: str
    level: str
    recipient: str
    awarded: bool  # 本级表彰
    batch: str  # the commendation batch's title, if any
    personal: bool


class SummaryFacts:
    """What the draft is written from, read once: the period's plan, activities, honours,
    volunteers, organisations, 青年文明号, 信息报送 and next period's dates, with the figures
    of ``statistics`` (as of the period's end)."""

    def __init__(self, session: Session, period: Period, today: date) -> None:
        self.period, self.today = period, today
        self.year = period.start.year
        self.as_of = period.as_of(today)
        self.office = str(get_setting(session, "office_name"))
        self.plan_titles = list(
            session.scalars(
                select(Plan.title)
                .where(Plan.year == self.year, Plan.deleted_at.is_(None))
                .order_by(Plan.id)
            )
        )
        self.sections, self.tasks = statistics.plan_structure(session, self.year)
        self.stats = statistics.annual_statistics(session, period, today)
        self.figure = {row["key"]: row["value"] for row in self.stats.summary()}
        self.activities_of = self._linked_activities(session)
        self.hours_of = self._hours_per_activity(session)
        self.unlinked = self._unlinked_activities(session)
        self.honours = self._honours(session)
        self.volunteers = figures.volunteer_facts(session, period, today)
        self.minimum = figures.min_yearly_hours(session)
        self.organisations = figures.organisations_as_of(session, period, today)
        self.youth = figures.youth_civilizations_as_of(session, period, today)
        self.hours = figures.service_hours(session, period)
        self.reports = figures.info_reports_by_unit(session, period, today)
        self.recommendations = figures.recommendations_in(session, period)
        self.next_period = (
            Period(date(self.year, 7, 1), date(self.year, 12, 31), f"{self.year}年下半年")
            if period.is_half
            else Period.year(self.year + 1)
        )
        self.key_dates = [
            kd
            for year in range(self.next_period.start.year, self.next_period.end.year + 1)
            for kd in key_dates_of_year(session, year)
            if self.next_period.covers(kd.on)
        ]
        self.cycles = [
            row
            for row in youth_civilization_rows(session, today)
            if self.next_period.covers(row["cycle_end"])
        ]

    def _linked_activities(self, session: Session) -> dict[int, list[Activity]]:
        rows = session.execute(
            select(plan_item_activity.c.plan_item_id, Activity)
            .join(Activity, Activity.id == plan_item_activity.c.activity_id)
            .where(
                plan_item_activity.c.plan_item_id.in_([t.id for t in self.tasks]),
                figures.dated_in(self.period),
                Activity.status != ActivityStatus.CANCELLED,
            )
            .order_by(Activity.start_date, Activity.id)
        )
        found: dict[int, list[Activity]] = defaultdict(list)
        for task_id, activity in rows:
            found[task_id].append(activity)
        return found

    def _hours_per_activity(self, session: Session) -> dict[int | None, float]:
        rows = session.execute(
            figures.of_live_volunteers(
                select(ServiceRecord.activity_id, func.sum(ServiceRecord.hours)).select_from(
                    ServiceRecord
                ),
                with_unit=False,
            )
            .where(figures.approved_in(self.period), ServiceRecord.activity_id.is_not(None))
            .group_by(ServiceRecord.activity_id)
        )
        return {activity_id: round(float(hours), 1) for activity_id, hours in rows}

    def _unlinked_activities(self, session: Session) -> list[Activity]:
        linked = select(plan_item_activity.c.activity_id)
        return list(
            session.scalars(
                select(Activity)
                .where(figures.held_in(self.period), Activity.id.not_in(linked))
                .order_by(Activity.start_date, Activity.id)
            )
        )

    def _honours(self, session: Session) -> list[HonourFact]:
        recipient = func.coalesce(
            Person.name, func.nullif(Honour.collective_name, ""), Organisation.name, Honour.title
        )
        own = figures.awarded_by_office(figures.office_names(session))
        rows = session.execute(
            select(
                HonourType.name,
                Honour.level,
                recipient,
                own,
                func.coalesce(Commendation.title, ""),
                HonourType.recipient_kind,
            )
            .join(HonourType, Honour.honour_type_id == HonourType.id)
            .outerjoin(Person, Honour.person_id == Person.id)
            .outerjoin(Organisation, Honour.organisation_id == Organisation.id)
            .outerjoin(Commendation, Honour.commendation_id == Commendation.id)
            .where(figures.honours_counted(self.period))
            .order_by(HonourType.position, Honour.level, Honour.id)
        )
        return [
            HonourFact(t, lv, r, bool(a), b, kind == RecipientKind.PERSONAL)
            for t, lv, r, a, b, kind in rows
        ]

    # --- what the parts share ---

    @property
    def running(self) -> bool:
        return not self.period.is_over(self.today)

    @property
    def when(self) -> str:
        """全年 / 上半年 once over; before that the figures are only 截至 today."""
        if not self.running:
            return "上半年" if self.period.is_half else "全年"
        return f"截至{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日"

    def tasks_of(self, section: SectionFact) -> list[TaskFact]:
        return [t for t in self.tasks if t.section_id == section.id]

    def held_of(self, tasks: Sequence[TaskFact]) -> list[Activity]:
        seen: dict[int, Activity] = {}
        for task in tasks:
            for activity in self.activities_of.get(task.id, []):
                if activity.status == ActivityStatus.DONE:
                    seen[activity.id] = activity
        return sorted(seen.values(), key=lambda a: (a.start_date, a.id))

    @property
    def overdue(self) -> list[TaskFact]:
        return [
            t for t in self.tasks if t.status in OPEN and t.due_date and t.due_date < self.as_of
        ]

    @property
    def under(self) -> list[figures.VolunteerFact]:
        return figures.under_hours(self.volunteers, self.minimum)
