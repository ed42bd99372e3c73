"""One definition per figure the office reports, with its scope in words.

Every register's totals, the 总览 cards and charts, the annual statistics workbook and the
year-end summary count through this module, so a figure that appears in several places is the
same number in each, and each says what it adds up (``SCOPES``, printed under a register's
title). A figure belongs to a ``Period`` (a year, or its first half for the 上半年 summary)
and is taken as of the period's end, or today while the period runs:

- 志愿服务时长 (hours): approved records served in the period, of volunteers not in the recycle
  bin; pending and voided hours are shown apart and never added in;
- 活动 and 参与人次: activities held (已完成) whose start date falls in the period;
- 荣誉 of a period: granted honours (授予) whose grant date falls in it, or whose 年度 does when
  no date was entered; 本级表彰 (what the office itself awarded) apart from 上级荣誉;
- 在册志愿者: volunteers 在册 at the period's end (their status then) and registered by then;
  本年参加服务: volunteers with approved records in the period, whatever their status;
- 团组织 and 团员: organisations that existed at the period's end, as they stood then (their
  members, kind and term read back from the audit log), with their 换届 state on that day;
- 信息报送: items reported in the period, per unit, every unit listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, extract, func, or_, select
from sqlalchemy.orm import Session

from desk_league.data.audit import values_as_of
from desk_league.data.models import (
    INFO_CHANNELS,
    Activity,
    Honour,
    HonourType,
    InfoReport,
    LeagueRecommendation,
    Organisation,
    Person,
    ServiceRecord,
    Volunteer,
)
from desk_league.domain.codes import (
    ActivityStatus,
    HonourStatus,
    InfoReportStatus,
    OrgKind,
    ServiceStatus,
    TermStatus,
    VolunteerStatus,
)
from desk_league.domain.honours import YOUTH_CIVILIZATION
from desk_league.domain.league import DEFAULT_TERM_YEAR_RANGES, term_reminders, term_rule_key
from desk_league.services.members import member_counts
from desk_league.services.settings import get_setting

NO_UNIT = "未填写单位"
OFFICE_LEVEL = "系统级"  # the level of what the 市直卫生系统 committee itself awards


@dataclass(frozen=True)
class Period:
    """The stretch of days a figure counts: a year, or its first half."""

    start: date
    end: date
    name: str  # 2026年, 2026年上半年

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年")

    @classmethod
    def first_half(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 6, 30), f"{year}年上半年")

    @property
    def is_half(self) -> bool:
        return self.end.month == 6

    def as_of(self, today: date) -> date:
        """The day the figures stand on: the period's last day, or today while it runs."""
        return min(today, self.end)

    def is_over(self, today: date) -> bool:
        return today > self.end

    def moment(self, today: date) -> datetime:
        """The end of ``as_of``: changes logged after it are undone to read the past."""
        return datetime.combine(self.as_of(today) + timedelta(days=1), time.min)

    def covers(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


# What each figure counts, in the words printed under a register's title (Register.notes).
SCOPES = {
    "hours": "服务时长按服务日期统计，只计已审核的记录；待审核、已作废的另列，不计入合计。",
    "activities": "活动按开始日期统计，只计已完成的活动及其参与人数；计划中、已取消的另列，不计入合计。",
    "honours": "荣誉按授予日期统计（未填授予日期的按年度），只计状态为“授予”的荣誉。",
    "registered": "在册志愿者：统计截止日状态为在册、注册日期不晚于截止日的志愿者。",
    "serving": "参加服务：统计期内有已审核服务记录的志愿者，含已暂停、注销的，故可多于在册志愿者。",
    "under_hours": "在册不足{hours:g}小时：在册志愿者中统计期内已审核时长不足{hours:g}小时的"
    "（含未参加服务的）。",
    "organisations": "团组织：统计截止日已成立、未撤销的团组织，团员数与换届情况为截止日的记录。",
    "reports": "信息报送按报送日期统计，列出全部单位（含未报送的）。",
}


def scope(key: str, session: Session | None = None) -> str:
    """The scope line of a figure, filled with the office's settings where it names one."""
    text = SCOPES[key]
    if key == "under_hours":
        hours = min_yearly_hours(session) if session is not None else 20
        return text.format(hours=hours)
    return text


def min_yearly_hours(session: Session) -> float:
    """Hours a registered volunteer serves in a year at least (setting, 20 by default)."""
    return float(get_setting(session, "volunteer_min_yearly_hours"))


def office_names(session: Session) -> tuple[str, ...]:
    return tuple(
        n for n in (get_setting(session, "office_name"), get_setting(session, "office_short_name"))
    )


# --- volunteer hours --------------------------------------------------------------------------


def served_in(period: Period):
    return ServiceRecord.served_on.between(period.start, period.end)


def approved_in(period: Period):
    """The service records whose hours count: approved, served in the period."""
    return and_(ServiceRecord.status == ServiceStatus.APPROVED, served_in(period))


def unit_expr():
    return func.coalesce(func.nullif(Organisation.unit, ""), NO_UNIT)


def unit_order(session: Session) -> list[str]:
    """Units in the order of the organisation tree, so every sheet lists them alike."""
    return list(
        session.scalars(
            select(Organisation.unit)
            .where(Organisation.deleted_at.is_(None), Organisation.unit != "")
            .group_by(Organisation.unit)
            .order_by(func.min(Organisation.id))
        )
    )


def of_live_volunteers(stmt, *, with_unit: bool = True):
    """Service records of volunteers not in the recycle bin (joined to their unit if asked).

    Without the unit the few volunteers in the bin are left out by their ids, with no lookup of
    each record's volunteer: a sum over the period is then read from the covering index
    (status, served_on, volunteer_id, hours) alone (0.1 s instead of 3 s for the busiest year at
    1,000,000 records)."""
    if not with_unit:
        binned = select(Volunteer.id).where(Volunteer.deleted_at.is_not(None))
        return stmt.where(ServiceRecord.volunteer_id.not_in(binned))
    return (
        stmt.join(Volunteer, ServiceRecord.volunteer_id == Volunteer.id)
        .where(Volunteer.deleted_at.is_(None))
        .join(Person, Volunteer.person_id == Person.id)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
    )


@dataclass(frozen=True)
class HoursByStatus:
    """The period's hours of live volunteers by record status: approved is the figure."""

    approved: float = 0.0
    pending: float = 0.0
    void: float = 0.0
    records: dict[str, int] = field(default_factory=dict)  # count per status code

    @property
    def approved_records(self) -> int:
        return self.records.get(ServiceStatus.APPROVED, 0)


def _hours_by_day(session: Session, period: Period, *statuses: ServiceStatus):
    """(status, day, records, hours) of the period's records of live volunteers: read in the
    order of the index (status, served_on, …), with no sort, and summed up by the callers."""
    return session.execute(
        of_live_volunteers(
            select(
                ServiceRecord.status,
                ServiceRecord.served_on,
                func.count(ServiceRecord.id),
                func.coalesce(func.sum(ServiceRecord.hours), 0.0),
            ).select_from(ServiceRecord),
            with_unit=False,
        )
        .where(ServiceRecord.status.in_(statuses), served_in(period))
        .group_by(ServiceRecord.status, ServiceRecord.served_on)
    ).all()


def service_hours(session: Session, period: Period) -> HoursByStatus:
    records: dict[str, int] = defaultdict(int)
    totals: dict[str, float] = defaultdict(float)
    for status, _day, n, hours in _hours_by_day(session, period, *ServiceStatus):
        records[status] += n
        totals[status] += float(hours)
    return HoursByStatus(
        approved=round(totals[ServiceStatus.APPROVED], 1),
        pending=round(totals[ServiceStatus.PENDING], 1),
        void=round(totals[ServiceStatus.VOID], 1),
        records=dict(records),
    )


def hours_by_month(session: Session, period: Period) -> list[float]:
    """Approved hours in each month of the period's year (index 0 = January)."""
    months = [0.0] * 12
    for _status, day, _n, hours in _hours_by_day(session, period, ServiceStatus.APPROVED):
        months[day.month - 1] += float(hours)
    return [round(hours, 1) for hours in months]


# --- volunteers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerFact:
    """A volunteer as the period's figures see them."""

    id: int
    number: str
    name: str
    unit: str
    team: str
    registered: bool  # 在册 at the period's end, registered by then
    hours: float  # approved hours served in the period
    records: int  # approved records in the period

    @property
    def served(self) -> bool:
        return self.records > 0


def volunteer_facts(session: Session, period: Period, today: date) -> list[VolunteerFact]:
    """Every live volunteer registered at the period's end or who served in it, with their
    approved hours of the period (the status as it was then, from the audit log)."""
    as_of = period.as_of(today)
    served = {
        vid: (n, float(hours))
        for vid, n, hours in session.execute(
            select(
                ServiceRecord.volunteer_id,
                func.count(ServiceRecord.id),
                func.coalesce(func.sum(ServiceRecord.hours), 0.0),
            )
            .where(approved_in(period))
            .group_by(ServiceRecord.volunteer_id)
        )
    }
    then = values_as_of(session, Volunteer, period.moment(today))
    rows = session.execute(
        select(
            Volunteer.id,
            Volunteer.number,
            Person.name,
            unit_expr(),
            Volunteer.team,
            Volunteer.status,
            Volunteer.registered_on,
        )
        .join(Person, Volunteer.person_id == Person.id)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
        .where(Volunteer.deleted_at.is_(None))
        .order_by(Volunteer.number)
    )
    facts = []
    for vid, number, name, unit, team, status, registered_on in rows:
        past = then.get(vid, {})
        status = past.get("status", status)
        registered_on = past.get("registered_on", registered_on)
        registered = status == VolunteerStatus.ACTIVE and (
            registered_on is None or registered_on <= as_of
        )
        n, hours = served.get(vid, (0, 0.0))
        if registered or n:
            facts.append(
                VolunteerFact(vid, number, name, unit, team, registered, round(hours, 1), n)
            )
    return facts


def under_hours(facts: Sequence[VolunteerFact], minimum: float) -> list[VolunteerFact]:
    """Registered volunteers who served fewer than ``minimum`` approved hours in the period."""
    return [f for f in facts if f.registered and f.hours < minimum]


# --- activities -------------------------------------------------------------------------------


def dated_in(period: Period):
    """Activities (not in the recycle bin) starting in the period, whatever their status."""
    return and_(
        Activity.deleted_at.is_(None), Activity.start_date.between(period.start, period.end)
    )


def held_in(period: Period):
    """The activities that count: held (已完成), starting in the period."""
    return and_(dated_in(period), Activity.status == ActivityStatus.DONE)


@dataclass(frozen=True)
class ActivityCount:
    activities: int = 0
    participants: int = 0


def activities_by_status(session: Session, period: Period) -> dict[str, ActivityCount]:
    """Activities of the period and their participants per status: DONE is the figure."""
    rows = session.execute(
        select(
            Activity.status,
            func.count(Activity.id),
            func.coalesce(func.sum(Activity.participant_count), 0),
        )
        .where(dated_in(period))
        .group_by(Activity.status)
    )
    return {status: ActivityCount(n, int(people)) for status, n, people in rows}


# --- honours ----------------------------------------------------------------------------------


def honour_dated_in(period: Period):
    """Honours (not in the recycle bin) of the period: granted in it, or of its 年度 when no
    date was entered. The one rule for a year's honours: registers, lists and statistics."""
    dated = Honour.granted_on.between(period.start, period.end)
    if period.is_half:  # a 年度 alone cannot place an honour in half a year
        return and_(Honour.deleted_at.is_(None), dated)
    undated = and_(Honour.granted_on.is_(None), Honour.year == period.start.year)
    return and_(Honour.deleted_at.is_(None), or_(dated, undated))


def honours_counted(period: Period):
    """The honours a period's figures count: granted (授予) ones dated in it."""
    return and_(honour_dated_in(period), Honour.status == HonourStatus.ACTIVE)


def honour_year():
    """The year an honour counts in: its grant date's, else its 年度 (lists offer these)."""
    return func.coalesce(extract("year", Honour.granted_on), Honour.year)


def awarded_by_office(names: Sequence[str]):
    """本级表彰: what the office itself awarded — its commendation batches, honours it granted
    by name, or 系统级 ones with no granting body. Every other honour came from above (上级)."""
    return or_(
        Honour.commendation_id.is_not(None),
        Honour.granting_body.in_([n for n in names if n]),
        and_(Honour.granting_body == "", Honour.level == OFFICE_LEVEL),
    )


# --- organisations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationFact:
    """An organisation as it stood on the period's last day (or today)."""

    id: int
    name: str
    kind: str  # OrgKind
    unit: str
    parent_id: int | None
    student: bool
    member_count: int
    term_start: date | None
    term_years: int
    term_status: TermStatus
    elected: bool  # its term started in the period


_ORG_FIELDS = (
    "name",
    "kind",
    "unit",
    "parent_id",
    "student",
    "term_start",
    "term_years",
    "established_on",
    "deleted_at",
)


def organisations_as_of(session: Session, period: Period, today: date) -> list[OrganisationFact]:
    """The organisations that existed at the period's end, as they stood then: established
    by then (or no date known), not yet in the recycle bin; fields changed since are read back
    from the audit log. Term lengths not set on the organisation are the office's current ones."""
    as_of = period.as_of(today)
    moment = period.moment(today)
    then = values_as_of(session, Organisation, moment)
    defaults = dict(get_setting(session, "term_years"))
    members = member_counts(session, as_of)  # the member register, as of the period's end
    facts = []
    for org in session.scalars(select(Organisation).order_by(Organisation.id)):
        values = {key: getattr(org, key) for key in _ORG_FIELDS} | then.get(org.id, {})
        deleted = values["deleted_at"]
        established = values["established_on"]
        if (deleted is not None and deleted < moment) or (
            established is not None and established > as_of
        ):
            continue
        kind, student = values["kind"], bool(values["student"])
        key = term_rule_key(kind, student)
        years = values["term_years"] or int(
            defaults.get(key, DEFAULT_TERM_YEAR_RANGES.get(key, (2, 2))[0])
        )
        due = term_reminders(values["term_start"], years, as_of)
        facts.append(
            OrganisationFact(
                org.id,
                values["name"],
                kind,
                values["unit"] or "",
                values["parent_id"],
                student,
                members.get(org.id, 0),
                values["term_start"],
                years,
                TermStatus(due[-1].kind) if due else TermStatus.OK,
                period.covers(values["term_start"]),
            )
        )
    return _tree_order(facts)


def _tree_order(facts: list[OrganisationFact]) -> list[OrganisationFact]:
    """Kinds in their order (团委, 团总支, 团支部), then as entered, like the 团组织 tab."""
    rank = {kind.value: kind.rank for kind in OrgKind}
    return sorted(facts, key=lambda f: (rank.get(f.kind, len(rank)), f.id))


def unit_of(fact: OrganisationFact) -> str:
    return fact.unit or fact.name


# --- information reports ----------------------------------------------------------------------


def info_reports_by_unit(session: Session, period: Period, today: date) -> list[dict[str, Any]]:
    """信息报送 per unit: every unit of the organisations at the period's end (in tree order),
    with the items it reported in the period, per channel, and those adopted."""
    order = list(dict.fromkeys(unit_of(f) for f in organisations_as_of(session, period, today)))
    unit = func.coalesce(func.nullif(Organisation.unit, ""), Organisation.name, NO_UNIT)
    counts: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"total": 0, "adopted": 0, **{f"channel_{i}": 0 for i in range(len(INFO_CHANNELS))}}
    )
    rows = session.execute(
        select(unit, InfoReport.channel, InfoReport.status, func.count(InfoReport.id))
        .select_from(InfoReport)
        .outerjoin(Organisation, InfoReport.organisation_id == Organisation.id)
        .where(
            InfoReport.deleted_at.is_(None),
            InfoReport.reported_on.between(period.start, period.end),
        )
        .group_by(unit, InfoReport.channel, InfoReport.status)
    )
    others = len(INFO_CHANNELS) - 1  # 其他: also every channel the clerk typed in herself
    for name, channel, status, n in rows:
        row = counts[name]
        row["total"] += n
        if status == InfoReportStatus.ADOPTED:
            row["adopted"] += n
        index = INFO_CHANNELS.index(channel) if channel in INFO_CHANNELS else others
        row[f"channel_{index}"] += n
    order += sorted(set(counts) - set(order))
    return [{"unit": name, **counts[name]} for name in order]


# --- 青年文明号 and 推优 ------------------------------------------------------------------------


@dataclass(frozen=True)
class YouthCivilizationFact:
    """A 青年文明号 held at the period's end (its status and star then), and what its
    动态管理 recorded during the period."""

    id: int
    name: str
    level: str
    star: int | None
    reviews: tuple[tuple[str, str, str], ...]  # (ReviewKind, ReviewResult or "", reason)


def youth_civilizations_as_of(
    session: Session, period: Period, today: date
) -> list[YouthCivilizationFact]:
    as_of = period.as_of(today)
    then = values_as_of(session, Honour, period.moment(today))
    honours = session.scalars(
        select(Honour)
        .join(HonourType, Honour.honour_type_id == HonourType.id)
        .where(HonourType.name == YOUTH_CIVILIZATION, Honour.deleted_at.is_(None))
        .order_by(Honour.id)
    )
    facts = []
    for honour in honours:
        past = then.get(honour.id, {})
        named = honour.granted_on or date(honour.year, 12, 31)
        if past.get("status", honour.status) != HonourStatus.ACTIVE or named > as_of:
            continue
        reviews = tuple(
            (r.kind, r.result, r.reason)
            for r in honour.reviews
            if period.start <= r.reviewed_on <= as_of
        )
        name = (
            honour.collective_name
            or (honour.organisation.name if honour.organisation else "")
            or (honour.person.name if honour.person else honour.title)
        )
        facts.append(
            YouthCivilizationFact(
                honour.id, name, honour.level, past.get("star", honour.star), reviews
            )
        )
    return facts


def recommendations_in(session: Session, period: Period) -> dict[str, int]:
    """推优 of the period: people recommended (by date), per stage reached as it stands."""
    rows = session.execute(
        select(LeagueRecommendation.stage, func.count(LeagueRecommendation.id))
        .where(
            LeagueRecommendation.deleted_at.is_(None),
            LeagueRecommendation.recommended_on.between(period.start, period.end),
        )
        .group_by(LeagueRecommendation.stage)
    )
    return {stage: n for stage, n in rows}
