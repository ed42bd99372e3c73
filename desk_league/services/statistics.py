"""The year's figures: what the upper committee asks for each December, counted from the records.

One function per area returns plain rows; the 总览 charts, the annual statistics workbook
(``desk-league report annual``) and the year-end summary all read these, so they agree.

Counting rules (the same everywhere):
- plan: the tasks of the year's plan(s), grouped under their top-level section;
- activities: held ones (status done) whose start date falls in the year, by category and month;
- volunteer hours: approved service records served in the year (pending and void never count),
  by the unit of the volunteer; volunteers in the recycle bin are left out;
- star levels: active volunteers by their approved hours up to the year's end;
- honours: granted (active) honours whose grant date falls in the year (the 年度 when no date);
- organisations: live ones, with their 换届 state on the year's last day (or today, if sooner).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, extract, func, or_, select
from sqlalchemy.orm import Session

from desk_league.data.models import (
    ACTIVITY_CATEGORIES,
    HONOUR_LEVELS,
    Activity,
    Honour,
    HonourType,
    InfoReport,
    Organisation,
    Person,
    Plan,
    PlanItem,
    ServiceRecord,
    Volunteer,
    plan_item_activity,
)
from desk_league.domain.codes import (
    ActivityStatus,
    HonourStatus,
    InfoReportStatus,
    OrgKind,
    PlanItemKind,
    PlanItemStatus,
    ServiceStatus,
    TermStatus,
    VolunteerStatus,
)
from desk_league.domain.stars import STAR_COUNT, star_label, star_level
from desk_league.exports.register import Column, Register, write_workbook
from desk_league.services.organisations import organisation_register_rows
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register
from desk_league.services.settings import get_setting

NO_UNIT = "未填写单位"
NO_SECTION = "（未分板块的任务）"
MONTHS = range(1, 13)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- plan -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFact:
    """A plan task with its top-level section, as the statistics and the summary see it."""

    id: int
    section_id: int | None
    section: str
    number: str
    title: str
    status: str
    progress: int
    owner: str
    due_date: date | None


@dataclass(frozen=True)
class SectionFact:
    id: int | None
    number: str
    title: str


def plan_structure(session: Session, year: int) -> tuple[list[SectionFact], list[TaskFact]]:
    """The year's sections (plan order) and tasks (each under its top-level section)."""
    items = session.scalars(
        select(PlanItem)
        .join(Plan, PlanItem.plan_id == Plan.id)
        .where(Plan.year == year, Plan.deleted_at.is_(None), PlanItem.deleted_at.is_(None))
        .order_by(Plan.id, PlanItem.position, PlanItem.id)
    ).all()
    by_id = {item.id: item for item in items}

    def top(item: PlanItem) -> PlanItem | None:
        seen = set()
        while item.parent_id in by_id and item.id not in seen:
            seen.add(item.id)
            item = by_id[item.parent_id]
        return item if item.kind == PlanItemKind.SECTION else None

    sections = [
        SectionFact(i.id, i.number, i.title)
        for i in items
        if i.kind == PlanItemKind.SECTION and top(i) is i
    ]
    tasks = []
    for item in items:
        if item.kind != PlanItemKind.TASK:
            continue
        section = top(item)
        tasks.append(
            TaskFact(
                item.id,
                section.id if section else None,
                section.title if section else NO_SECTION,
                item.number,
                item.title,
                item.status,
                item.progress,
                item.owner,
                item.due_date,
            )
        )
    order = {s.id: n for n, s in enumerate(sections)}
    tasks.sort(key=lambda t: order.get(t.section_id, len(order)))  # stable: plan order within
    if any(t.section_id is None for t in tasks):
        sections.append(SectionFact(None, "", NO_SECTION))
    return sections, tasks


def plan_completion(session: Session, year: int) -> list[dict]:
    """One row per plan section: tasks by status (a count per PlanItemStatus code), completion
    rate, activities held for them."""
    sections, tasks = plan_structure(session, year)
    held = _held_activities_per_task(session, [t.id for t in tasks])
    rows = []
    for section in sections:
        mine = [t for t in tasks if t.section_id == section.id]
        counts = Counter(t.status for t in mine)
        countable = len(mine) - counts[PlanItemStatus.CANCELLED]
        rows.append(
            {
                "section": f"{section.number}{section.title}",
                "tasks": len(mine),
                **{status.value: counts[status] for status in PlanItemStatus},
                "rate": counts[PlanItemStatus.DONE] / countable if countable else None,
                "activities": len({a for t in mine for a in held.get(t.id, ())}),
            }
        )
    return rows


def _held_activities_per_task(session: Session, task_ids: list[int]) -> dict[int, set[int]]:
    rows = session.execute(
        select(plan_item_activity.c.plan_item_id, Activity.id)
        .join(Activity, Activity.id == plan_item_activity.c.activity_id)
        .where(
            plan_item_activity.c.plan_item_id.in_(task_ids),
            Activity.deleted_at.is_(None),
            Activity.status == ActivityStatus.DONE,
        )
    )
    found: dict[int, set[int]] = defaultdict(set)
    for task_id, activity_id in rows:
        found[task_id].add(activity_id)
    return found


# --- activities -------------------------------------------------------------------------------


def held_in(year: int):
    start, end = year_bounds(year)
    return and_(
        Activity.deleted_at.is_(None),
        Activity.status == ActivityStatus.DONE,
        Activity.start_date.between(start, end),
    )


def activities_by_category_month(session: Session, year: int) -> list[dict]:
    """One row per category (the standard ones, then any other in use): count per month."""
    rows: dict[str, dict] = {}
    for category in ACTIVITY_CATEGORIES:
        rows[category] = _empty_category_row(category)
    result = session.execute(
        select(Activity.category, Activity.start_date, Activity.participant_count).where(
            held_in(year)
        )
    )
    for category, start, participants in result:
        row = rows.setdefault(category or "其他", _empty_category_row(category or "其他"))
        row[f"m{start.month}"] += 1
        row["total"] += 1
        row["participants"] += participants or 0
    return list(rows.values())


def _empty_category_row(category: str) -> dict:
    return {"category": category, **{f"m{m}": 0 for m in MONTHS}, "total": 0, "participants": 0}


# --- volunteers -------------------------------------------------------------------------------


def unit_expr():
    return func.coalesce(func.nullif(Organisation.unit, ""), NO_UNIT)


def approved_in(year: int):
    start, end = year_bounds(year)
    return and_(
        ServiceRecord.status == ServiceStatus.APPROVED, ServiceRecord.served_on.between(start, end)
    )


def of_live_volunteers(stmt, *, with_unit: bool = True):
    """Service records of volunteers not in the recycle bin (joined to their unit if asked)."""
    stmt = stmt.join(Volunteer, ServiceRecord.volunteer_id == Volunteer.id).where(
        Volunteer.deleted_at.is_(None)
    )
    if with_unit:
        stmt = stmt.join(Person, Volunteer.person_id == Person.id).outerjoin(
            Organisation, Person.organisation_id == Organisation.id
        )
    return stmt


def volunteers_by_unit(session: Session, year: int) -> list[dict]:
    """Per unit: registered volunteers, those who served, approved records and hours."""
    _, end = year_bounds(year)
    unit = unit_expr()
    registered = session.execute(
        select(unit, func.count(Volunteer.id))
        .select_from(Volunteer)
        .join(Person, Volunteer.person_id == Person.id)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
        .where(
            Volunteer.deleted_at.is_(None),
            Volunteer.status == VolunteerStatus.ACTIVE,
            or_(Volunteer.registered_on.is_(None), Volunteer.registered_on <= end),
        )
        .group_by(unit)
    ).all()
    served = session.execute(
        of_live_volunteers(
            select(
                unit,
                func.count(func.distinct(ServiceRecord.volunteer_id)),
                func.count(ServiceRecord.id),
                func.coalesce(func.sum(ServiceRecord.hours), 0.0),
            ).select_from(ServiceRecord)
        )
        .where(approved_in(year))
        .group_by(unit)
    ).all()
    rows: dict[str, dict] = {}
    for name in _unit_order(session):
        rows[name] = {"unit": name, "registered": 0, "active": 0, "records": 0, "hours": 0.0}
    for name, n in registered:
        rows.setdefault(
            name, {"unit": name, "registered": 0, "active": 0, "records": 0, "hours": 0.0}
        )
        rows[name]["registered"] = n
    for name, active, records, hours in served:
        row = rows.setdefault(
            name, {"unit": name, "registered": 0, "active": 0, "records": 0, "hours": 0.0}
        )
        row.update(active=active, records=records, hours=round(float(hours), 1))
    return [r for r in rows.values() if r["registered"] or r["records"]]


def _unit_order(session: Session) -> list[str]:
    """Units in the order of the organisation tree, so every sheet lists them alike."""
    return list(
        session.scalars(
            select(Organisation.unit)
            .where(Organisation.deleted_at.is_(None), Organisation.unit != "")
            .group_by(Organisation.unit)
            .order_by(func.min(Organisation.id))
        )
    )


def hours_by_month(session: Session, year: int) -> list[float]:
    """Approved hours in each month of the year (index 0 = January)."""
    month = extract("month", ServiceRecord.served_on)
    rows = session.execute(
        of_live_volunteers(
            select(month, func.sum(ServiceRecord.hours)).select_from(ServiceRecord), with_unit=False
        )
        .where(approved_in(year))
        .group_by(month)
    )
    month_of = {int(m): float(hours) for m, hours in rows}
    return [round(month_of.get(m, 0.0), 1) for m in MONTHS]


def volunteers_by_star(session: Session, year: int) -> list[dict]:
    """Registered volunteers by star level, from approved hours up to the end of the year."""
    _, end = year_bounds(year)
    thresholds = tuple(get_setting(session, "star_thresholds"))
    hours = (
        select(func.coalesce(func.sum(ServiceRecord.hours), 0.0))
        .where(
            ServiceRecord.volunteer_id == Volunteer.id,
            ServiceRecord.status == ServiceStatus.APPROVED,
            ServiceRecord.served_on <= end,
        )
        .correlate(Volunteer)
        .scalar_subquery()
    )
    totals = session.scalars(
        select(hours).where(
            Volunteer.deleted_at.is_(None),
            Volunteer.status == VolunteerStatus.ACTIVE,
            or_(Volunteer.registered_on.is_(None), Volunteer.registered_on <= end),
        )
    ).all()
    rows: list[dict[str, Any]] = [
        {
            "star": star_label(level) or "未达星级",
            "threshold": _threshold_text(thresholds, level),
            "volunteers": 0,
            "hours": 0.0,
        }
        for level in range(STAR_COUNT + 1)
    ]
    for total in totals:
        row = rows[star_level(float(total), thresholds)]
        row["volunteers"] += 1
        row["hours"] = round(row["hours"] + float(total), 1)
    return rows


def _threshold_text(thresholds: tuple[float, ...], level: int) -> str:
    if level == 0:
        return f"不足{thresholds[0]:g}小时"
    upper = f"，不足{thresholds[level]:g}小时" if level < len(thresholds) else ""
    return f"{thresholds[level - 1]:g}小时及以上{upper}"


# --- honours ----------------------------------------------------------------------------------


def honours_won_in(year: int):
    """Granted honours that count in ``year``: by grant date, or by 年度 when there is no date."""
    start, end = year_bounds(year)
    return and_(
        Honour.deleted_at.is_(None),
        Honour.status == HonourStatus.ACTIVE,
        or_(
            Honour.granted_on.between(start, end),
            and_(Honour.granted_on.is_(None), Honour.year == year),
        ),
    )


def honours_by_type_level(session: Session, year: int) -> list[dict]:
    """One row per honour type won in the year, a column per level."""
    result = session.execute(
        select(HonourType.name, Honour.level, func.count(Honour.id))
        .join(HonourType, Honour.honour_type_id == HonourType.id)
        .where(honours_won_in(year))
        .group_by(HonourType.name, HonourType.position, Honour.level)
        .order_by(HonourType.position, HonourType.name)
    )
    rows: dict[str, dict] = {}
    for name, level, n in result:
        row = rows.setdefault(name, {"type": name, **{lv: 0 for lv in HONOUR_LEVELS}, "total": 0})
        row[level if level in HONOUR_LEVELS else HONOUR_LEVELS[-1]] += n
        row["total"] += n
    return list(rows.values())


def honours_by_level(session: Session, year: int) -> dict[str, int]:
    counts = {level: 0 for level in HONOUR_LEVELS}
    for row in honours_by_type_level(session, year):
        for level in HONOUR_LEVELS:
            counts[level] += row[level]
    return counts


# --- organisations and information reports ----------------------------------------------------


def organisations_by_kind(session: Session, year: int, today: date) -> list[dict]:
    """Per kind (团委/团总支/团支部): how many, members, elections held, and a count per 换届
    state (keyed by TermStatus code); ``kind`` is the label."""
    as_of = min(today, year_bounds(year)[1])
    start, end = year_bounds(year)

    def empty(kind: str) -> dict:
        return {
            "kind": OrgKind.label_of(kind),
            "count": 0,
            "members": 0,
            "elected": 0,
            **{state.value: 0 for state in TermStatus},
        }

    rows = {kind.value: empty(kind) for kind in OrgKind}
    for org in organisation_register_rows(session, as_of):
        row = rows.setdefault(org["kind_code"], empty(org["kind_code"]))
        row["count"] += 1
        row["members"] += org["member_count"] or 0
        row[org["term_status"]] += 1
        if org["term_start"] and start <= org["term_start"] <= end:
            row["elected"] += 1
    return list(rows.values())


def info_reports_by_unit(session: Session, year: int) -> list[dict]:
    """信息报送 per unit: items sent and items adopted in the year."""
    start, end = year_bounds(year)
    unit = unit_expr()
    result = session.execute(
        select(
            unit,
            func.count(InfoReport.id),
            func.count(InfoReport.id).filter(InfoReport.status == InfoReportStatus.ADOPTED),
        )
        .select_from(InfoReport)
        .outerjoin(Organisation, InfoReport.organisation_id == Organisation.id)
        .where(InfoReport.deleted_at.is_(None), InfoReport.reported_on.between(start, end))
        .group_by(unit)
    ).all()
    found = {name: (sent, adopted) for name, sent, adopted in result}
    order = [u for u in _unit_order(session) if u in found] + sorted(
        set(found) - set(_unit_order(session))
    )
    return [{"unit": u, "submitted": found[u][0], "adopted": found[u][1]} for u in order]


# --- the workbook -----------------------------------------------------------------------------


@dataclass
class AnnualStatistics:
    year: int
    plan: list[dict]
    activities: list[dict]
    volunteers: list[dict]
    stars: list[dict]
    honours: list[dict]
    organisations: list[dict]
    info_reports: list[dict]

    def summary(self) -> list[dict]:
        """The 汇总 sheet: each figure is the 合计 of one detail sheet; ``key`` names a figure
        for the code that reads it (the year-end summary)."""

        def total(rows: list[dict], key: str) -> float:
            return sum(r[key] for r in rows)

        done, active = PlanItemStatus.DONE, VolunteerStatus.ACTIVE
        plan, acts, vols = self.plan, self.activities, self.volunteers
        orgs, reports = self.organisations, self.info_reports
        lines = [
            ("tasks", "工作计划", "计划任务（项）", total(plan, "tasks"), "计划完成情况"),
            (
                "tasks_done",
                "工作计划",
                f"{done.label}任务（项）",
                total(plan, done),
                "计划完成情况",
            ),
            ("activities", "活动", "开展活动（次）", total(acts, "total"), "活动统计"),
            ("participants", "活动", "参与人次", total(acts, "participants"), "活动统计"),
            (
                "volunteers",
                "志愿服务",
                f"{active.label}志愿者（名）",
                total(vols, "registered"),
                "志愿服务",
            ),
            (
                "serving",
                "志愿服务",
                "本年参加服务的志愿者（名）",
                total(vols, "active"),
                "志愿服务",
            ),
            ("records", "志愿服务", "经审核的服务记录（条）", total(vols, "records"), "志愿服务"),
            (
                "hours",
                "志愿服务",
                "经审核的服务时长（小时）",
                round(total(vols, "hours"), 1),
                "志愿服务",
            ),
            ("honours", "荣誉", "获得荣誉（项）", total(self.honours, "total"), "荣誉统计"),
            ("organisations", "团组织", "团组织（个）", total(orgs, "count"), "团组织与换届"),
            ("members", "团组织", "团员（名）", total(orgs, "members"), "团组织与换届"),
            ("elected", "团组织", "本年换届（个）", total(orgs, "elected"), "团组织与换届"),
            ("reports", "信息报送", "报送信息（条）", total(reports, "submitted"), "信息报送"),
            ("adopted", "信息报送", "被采用信息（条）", total(reports, "adopted"), "信息报送"),
        ]
        # hours keep their decimal; counts print as whole numbers
        return [
            {
                "key": k,
                "area": a,
                "item": i,
                "value": v,
                "sheet": s,
                "hours" if k == "hours" else "count": v,
            }
            for k, a, i, v, s in lines
        ]


def annual_statistics(session: Session, year: int, today: date) -> AnnualStatistics:
    return AnnualStatistics(
        year=year,
        plan=plan_completion(session, year),
        activities=activities_by_category_month(session, year),
        volunteers=volunteers_by_unit(session, year),
        stars=volunteers_by_star(session, year),
        honours=honours_by_type_level(session, year),
        organisations=organisations_by_kind(session, year, today),
        info_reports=info_reports_by_unit(session, year),
    )


def _registers(session: Session, year: int, today: date) -> dict[str, Register]:
    def register(sheet: str, title: str, columns: list[Column]) -> Register:
        return office_register(
            session, f"{year}年度{title}", columns, today=today, sheet_name=sheet
        )

    return {
        "summary": register(
            "汇总",
            "共青团工作统计汇总表",
            [
                Column("area", "方面", 12),
                Column("item", "项目", 30),
                Column("count", "数量", 10, "int"),
                Column("hours", "时长（小时）", 13, "hours"),
                Column("sheet", "明细表", 16),
            ],
        ),
        "plan": register(
            "计划完成情况",
            "工作计划完成情况统计表",
            [
                Column("section", "计划板块", 36),
                Column("tasks", "任务数", 8, "int", True),
                *(Column(s, s.label, 8, "int", True) for s in PlanItemStatus),
                Column("rate", "完成率", 9, "percent"),
                Column("activities", "开展活动", 9, "int", True),
            ],
        ),
        "activities": register(
            "活动统计",
            "活动开展情况统计表（按类别、月份）",
            [
                Column("category", "活动类别", 11),
                *(Column(f"m{m}", f"{m}月", 5.5, "int", True) for m in MONTHS),
                Column("total", "合计", 7, "int", True),
                Column("participants", "参与人次", 9, "int", True),
            ],
        ),
        "volunteers": register(
            "志愿服务",
            "青年志愿服务统计表（按单位）",
            [
                Column("unit", "单位", 28),
                Column("registered", f"{VolunteerStatus.ACTIVE.label}志愿者", 11, "int", True),
                Column("active", "本年参加服务", 12, "int", True),
                Column("records", "服务记录（条）", 13, "int", True),
                Column("hours", "服务时长（小时）", 14, "hours", True),
            ],
        ),
        "stars": register(
            "志愿者星级",
            f"{VolunteerStatus.ACTIVE.label}志愿者星级统计表",
            [
                Column("star", "星级", 12),
                Column("threshold", "累计服务时长", 30),
                Column("volunteers", "志愿者（名）", 12, "int", True),
                Column("hours", "累计时长（小时）", 16, "hours", True),
            ],
        ),
        "honours": register(
            "荣誉统计",
            "获得荣誉统计表（按类型、级别）",
            [
                Column("type", "荣誉类型", 22),
                *(Column(lv, lv, 9, "int", True) for lv in HONOUR_LEVELS),
                Column("total", "合计", 8, "int", True),
            ],
        ),
        "organisations": register(
            "团组织与换届",
            "团组织及换届情况统计表",
            [
                Column("kind", "类别", 10),
                Column("count", "数量", 8, "int", True),
                Column("members", "团员数", 9, "int", True),
                Column("elected", "本年换届", 10, "int", True),
                *(Column(s, f"换届状态：{s.label}", 12, "int", True) for s in TermStatus),
            ],
        ),
        "info_reports": register(
            "信息报送",
            "团内信息报送统计表",
            [
                Column("unit", "单位", 28),
                Column("submitted", "报送（条）", 11, "int", True),
                Column("adopted", "采用（条）", 11, "int", True),
            ],
        ),
    }


def export_annual_statistics(
    session: Session, path: str | Path, *, year: int, today: date, progress: Progress | None = None
) -> Path:
    """The annual statistics workbook: 汇总 first, then one sheet per area."""
    stats = annual_statistics(session, year, today)
    registers = _registers(session, year, today)
    sheets = [
        (registers["summary"], stats.summary()),
        (registers["plan"], stats.plan),
        (registers["activities"], stats.activities),
        (registers["volunteers"], stats.volunteers),
        (registers["stars"], stats.stars),
        (registers["honours"], stats.honours),
        (registers["organisations"], stats.organisations),
        (registers["info_reports"], stats.info_reports),
    ]
    return write_workbook(path, sheets, progress=progress)
