"""The year's figures: what the upper committee asks for each December, counted from the records.

One function per area returns plain rows, each counting through ``services.figures`` (the one
definition of every figure and its scope); the 总览 charts, the annual statistics workbook
(``desk-league report annual``) and the year-end summary all read these, so they agree. A
period is a year (or, for the 上半年 summary, its first half); its figures stand on its last day,
or today while it runs:
- plan: the tasks of the year's plan(s), grouped under their top-level section;
- activities: held ones (status done) whose start date falls in the period, by category and month;
- volunteer hours: approved service records served in the period (pending and void are shown
  apart), by the unit of the volunteer; volunteers in the recycle bin are left out;
- volunteers: 在册 at the period's end; those who served; those under the yearly minimum;
- star levels: registered volunteers by their approved hours up to the period's end;
- honours: granted (active) honours whose grant date falls in the period (the 年度 when no
  date), 本级表彰 apart from 上级荣誉;
- organisations: those existing at the period's end as they stood then, with their 换届 state;
- 青年文明号 held at the end, their reviews and sanctions; 推优 of the period;
- information reports: per unit, every unit listed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desk_league.data.models import (
    ACTIVITY_CATEGORIES,
    HONOUR_LEVELS,
    Activity,
    Honour,
    HonourType,
    Plan,
    PlanItem,
    ServiceRecord,
    plan_item_activity,
)
from desk_league.domain.codes import (
    OrgKind,
    PlanItemKind,
    PlanItemStatus,
    RecommendationStage,
    ReviewKind,
    ReviewResult,
    ServiceStatus,
    TermStatus,
    VolunteerStatus,
)
from desk_league.domain.honours import STAR_WORDS
from desk_league.domain.stars import STAR_COUNT, star_label, star_level
from desk_league.exports.register import Column, Register, write_workbook
from desk_league.services import figures
from desk_league.services.figures import Period
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register
from desk_league.services.settings import get_setting

NO_SECTION = "（未分板块的任务）"
MONTHS = range(1, 13)
SANCTIONS = (ReviewKind.WARNING, ReviewKind.STAR_DOWN, ReviewKind.REVOKE)


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


def plan_completion(session: Session, year: int, period: Period | None = None) -> list[dict]:
    """One row per plan section: tasks by status (a count per PlanItemStatus code), completion
    rate, activities held for them (in ``period``, the whole year by default)."""
    sections, tasks = plan_structure(session, year)
    held = _held_activities_per_task(session, [t.id for t in tasks], period or Period.year(year))
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


def _held_activities_per_task(
    session: Session, task_ids: list[int], period: Period
) -> dict[int, set[int]]:
    rows = session.execute(
        select(plan_item_activity.c.plan_item_id, Activity.id)
        .join(Activity, Activity.id == plan_item_activity.c.activity_id)
        .where(plan_item_activity.c.plan_item_id.in_(task_ids), figures.held_in(period))
    )
    found: dict[int, set[int]] = defaultdict(set)
    for task_id, activity_id in rows:
        found[task_id].add(activity_id)
    return found


# --- activities -------------------------------------------------------------------------------


def activities_by_category_month(session: Session, period: Period) -> list[dict]:
    """One row per category (the standard ones, then any other in use): held activities per
    month and their participants."""
    rows: dict[str, dict] = {}
    for category in ACTIVITY_CATEGORIES:
        rows[category] = _empty_category_row(category)
    result = session.execute(
        select(Activity.category, Activity.start_date, Activity.participant_count).where(
            figures.held_in(period)
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


def volunteers_by_unit(
    session: Session, period: Period, today: date, facts: list | None = None
) -> list[dict]:
    """Per unit: registered volunteers, those who served (and of them the registered), the
    registered under the yearly minimum, approved records and hours, pending hours."""
    facts = facts if facts is not None else figures.volunteer_facts(session, period, today)
    minimum = figures.min_yearly_hours(session)
    unit = figures.unit_expr()  # one expression: PostgreSQL groups by it only as selected
    pending = dict(
        session.execute(
            figures.of_live_volunteers(
                select(unit, func.sum(ServiceRecord.hours)).select_from(ServiceRecord)
            )
            .where(ServiceRecord.status == ServiceStatus.PENDING, figures.served_in(period))
            .group_by(unit)
        ).all()
    )
    rows: dict[str, dict] = {name: _unit_row(name) for name in figures.unit_order(session)}
    for fact in facts:
        row = rows.get(fact.unit) or rows.setdefault(fact.unit, _unit_row(fact.unit))
        row["registered"] += fact.registered
        row["active"] += fact.served
        row["registered_active"] += fact.registered and fact.served
        row["under_hours"] += fact.registered and fact.hours < minimum
        row["records"] += fact.records
        row["hours"] += fact.hours
    for name, hours in pending.items():
        rows.setdefault(name, _unit_row(name))["pending_hours"] = round(float(hours), 1)
    for row in rows.values():
        row["hours"] = round(row["hours"], 1)
    return [r for r in rows.values() if r["registered"] or r["active"] or r["pending_hours"]]


def _unit_row(name: str) -> dict:
    return {
        "unit": name,
        "registered": 0,
        "active": 0,
        "registered_active": 0,
        "under_hours": 0,
        "records": 0,
        "hours": 0.0,
        "pending_hours": 0.0,
    }


def hours_by_month(session: Session, period: Period) -> list[float]:
    """Approved hours in each month (index 0 = January)."""
    return figures.hours_by_month(session, period)


def volunteers_by_star(
    session: Session, period: Period, today: date, facts: list | None = None
) -> list[dict]:
    """Registered volunteers by star level, from approved hours up to the period's end."""
    facts = facts if facts is not None else figures.volunteer_facts(session, period, today)
    registered = {f.id for f in facts if f.registered}
    thresholds = tuple(get_setting(session, "star_thresholds"))
    totals = dict(
        session.execute(
            select(ServiceRecord.volunteer_id, func.sum(ServiceRecord.hours))
            .where(
                ServiceRecord.status == ServiceStatus.APPROVED,
                ServiceRecord.served_on <= period.as_of(today),
            )
            .group_by(ServiceRecord.volunteer_id)
        ).all()
    )
    rows: list[dict[str, Any]] = [
        {
            "star": star_label(level) or "未达星级",
            "threshold": _threshold_text(thresholds, level),
            "volunteers": 0,
            "hours": 0.0,
        }
        for level in range(STAR_COUNT + 1)
    ]
    for vid in registered:
        total = float(totals.get(vid) or 0.0)
        row = rows[star_level(total, thresholds)]
        row["volunteers"] += 1
        row["hours"] = round(row["hours"] + total, 1)
    return rows


def _threshold_text(thresholds: tuple[float, ...], level: int) -> str:
    if level == 0:
        return f"不足{thresholds[0]:g}小时"
    upper = f"，不足{thresholds[level]:g}小时" if level < len(thresholds) else ""
    return f"{thresholds[level - 1]:g}小时及以上{upper}"


# --- honours ----------------------------------------------------------------------------------


def honours_by_type_level(session: Session, period: Period) -> list[dict]:
    """One row per honour type counted in the period, a column per level, and how many of
    them the office itself awarded (本级表彰)."""
    own = figures.awarded_by_office(figures.office_names(session))
    result = session.execute(
        select(
            HonourType.name,
            Honour.level,
            func.count(Honour.id),
            func.sum(case((own, 1), else_=0)),
        )
        .join(HonourType, Honour.honour_type_id == HonourType.id)
        .where(figures.honours_counted(period))
        .group_by(HonourType.name, HonourType.position, Honour.level)
        .order_by(HonourType.position, HonourType.name)
    )
    rows: dict[str, dict] = {}
    for name, level, n, awarded in result:
        row = rows.setdefault(
            name,
            {"type": name, **{lv: 0 for lv in HONOUR_LEVELS}, "total": 0, "awarded": 0},
        )
        row[level if level in HONOUR_LEVELS else HONOUR_LEVELS[-1]] += n
        row["total"] += n
        row["awarded"] += int(awarded or 0)
    for row in rows.values():
        row["received"] = row["total"] - row["awarded"]
    return list(rows.values())


def honours_by_level(session: Session, period: Period) -> dict[str, int]:
    counts = {level: 0 for level in HONOUR_LEVELS}
    for row in honours_by_type_level(session, period):
        for level in HONOUR_LEVELS:
            counts[level] += row[level]
    return counts


# --- organisations, 青年文明号, 推优 and information reports ------------------------------------


def organisations_by_kind(
    session: Session, period: Period, today: date, facts: list | None = None
) -> list[dict]:
    """Per kind (团委/团总支/团支部): how many at the period's end, members, elections held in
    the period, and a count per 换届 state (keyed by TermStatus code); ``kind`` is the label."""
    facts = facts if facts is not None else figures.organisations_as_of(session, period, today)

    def empty(kind: str) -> dict:
        return {
            "kind": OrgKind.label_of(kind),
            "count": 0,
            "members": 0,
            "elected": 0,
            **{state.value: 0 for state in TermStatus},
        }

    rows = {kind.value: empty(kind) for kind in OrgKind}
    for org in facts:
        row = rows.setdefault(org.kind, empty(org.kind))
        row["count"] += 1
        row["members"] += org.member_count
        row[org.term_status] += 1
        row["elected"] += org.elected
    return list(rows.values())


def youth_civilizations_by_level(session: Session, period: Period, today: date) -> list[dict]:
    """青年文明号 held at the period's end per level: stars, and the period's 年审 and sanctions."""
    rows = {level: _youth_row(level) for level in HONOUR_LEVELS[:3]}
    for fact in figures.youth_civilizations_as_of(session, period, today):
        row = rows.setdefault(fact.level, _youth_row(fact.level))
        row["count"] += 1
        if fact.star in STAR_WORDS:
            row[f"star{fact.star}"] += 1
        kinds = [(kind, result) for kind, result, _ in fact.reviews]
        row["passed"] += (ReviewKind.ANNUAL, ReviewResult.PASS) in kinds
        row["failed"] += (ReviewKind.ANNUAL, ReviewResult.FAIL) in kinds
        row["sanctioned"] += any(kind in SANCTIONS for kind, _ in kinds)
    return list(rows.values())


def _youth_row(level: str) -> dict:
    stars = {f"star{n}": 0 for n in STAR_WORDS}
    return {"level": level, "count": 0, **stars, "passed": 0, "failed": 0, "sanctioned": 0}


def recommendations_by_outcome(session: Session, period: Period) -> list[dict]:
    """推优 of the period by the stage each has reached (推优, 入党积极分子 … 正式党员, 终止)."""
    counts = Counter(figures.recommendations_in(session, period))
    rows = [{"outcome": o.label, "count": counts.pop(o.value, 0)} for o in RecommendationStage]
    rows += [{"outcome": word, "count": n} for word, n in sorted(counts.items())]
    return rows


def info_reports_by_unit(session: Session, period: Period, today: date) -> list[dict]:
    """信息报送 per unit (every unit): items reported and adopted in the period."""
    return [
        {"unit": row["unit"], "submitted": row["total"], "adopted": row["adopted"]}
        for row in figures.info_reports_by_unit(session, period, today)
    ]


# --- the workbook -----------------------------------------------------------------------------


@dataclass
class AnnualStatistics:
    period: Period
    plan: list[dict]
    activities: list[dict]
    volunteers: list[dict]
    stars: list[dict]
    honours: list[dict]
    organisations: list[dict]
    youth: list[dict]
    recommendations: list[dict]
    info_reports: list[dict]

    @property
    def year(self) -> int:
        return self.period.start.year

    def summary(self) -> list[dict]:
        """The 汇总 sheet: each figure is the 合计 of one detail sheet; ``key`` names a figure
        for the code that reads it (the overview, the year-end summary)."""

        def total(rows: list[dict], key: str) -> float:
            return sum(r[key] for r in rows)

        done, active = PlanItemStatus.DONE, VolunteerStatus.ACTIVE
        plan, acts, vols = self.plan, self.activities, self.volunteers
        orgs, reports, honours = self.organisations, self.info_reports, self.honours
        minimum = f"{self.minimum_hours:g}"
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
            ("serving", "志愿服务", "参加服务的志愿者（名）", total(vols, "active"), "志愿服务"),
            (
                "serving_registered",
                "志愿服务",
                f"其中{active.label}志愿者（名）",
                total(vols, "registered_active"),
                "志愿服务",
            ),
            (
                "under_hours",
                "志愿服务",
                f"服务不足{minimum}小时的{active.label}志愿者（名）",
                total(vols, "under_hours"),
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
            (
                "pending_hours",
                "志愿服务",
                "待审核时长（小时，未计入）",
                round(total(vols, "pending_hours"), 1),
                "志愿服务",
            ),
            ("honours", "荣誉", "荣誉（项）", total(honours, "total"), "荣誉统计"),
            (
                "honours_awarded",
                "荣誉",
                "其中本级表彰（项）",
                total(honours, "awarded"),
                "荣誉统计",
            ),
            (
                "honours_received",
                "荣誉",
                "其中获得上级荣誉（项）",
                total(honours, "received"),
                "荣誉统计",
            ),
            ("youth", "青年文明号", "青年文明号（个）", total(self.youth, "count"), "青年文明号"),
            (
                "youth_sanctioned",
                "青年文明号",
                "受到警示、降星或撤销（个）",
                total(self.youth, "sanctioned"),
                "青年文明号",
            ),
            ("organisations", "团组织", "团组织（个）", total(orgs, "count"), "团组织与换届"),
            ("members", "团组织", "团员（名）", total(orgs, "members"), "团组织与换届"),
            ("elected", "团组织", "完成换届（个）", total(orgs, "elected"), "团组织与换届"),
            (
                "overdue",
                "团组织",
                "超期未换届（个）",
                total(orgs, TermStatus.OVERDUE),
                "团组织与换届",
            ),
            ("recommended", "推优", "推优（人）", total(self.recommendations, "count"), "推优"),
            ("reports", "信息报送", "报送信息（条）", total(reports, "submitted"), "信息报送"),
            ("adopted", "信息报送", "被采用信息（条）", total(reports, "adopted"), "信息报送"),
        ]
        hours_keys = ("hours", "pending_hours")
        return [
            {
                "key": k,
                "area": a,
                "item": i,
                "value": v,
                "sheet": s,
                "hours" if k in hours_keys else "count": v,
            }
            for k, a, i, v, s in lines
        ]

    minimum_hours: float = 20.0

    def figure(self, key: str) -> float:
        return next(row["value"] for row in self.summary() if row["key"] == key)


def annual_statistics(session: Session, year: int | Period, today: date) -> AnnualStatistics:
    """Every area's rows for a year (or a ``Period``), as of its end (or today)."""
    period = year if isinstance(year, Period) else Period.year(year)
    facts = figures.volunteer_facts(session, period, today)
    return AnnualStatistics(
        period=period,
        plan=plan_completion(session, period.start.year, period),
        activities=activities_by_category_month(session, period),
        volunteers=volunteers_by_unit(session, period, today, facts),
        stars=volunteers_by_star(session, period, today, facts),
        honours=honours_by_type_level(session, period),
        organisations=organisations_by_kind(session, period, today),
        youth=youth_civilizations_by_level(session, period, today),
        recommendations=recommendations_by_outcome(session, period),
        info_reports=info_reports_by_unit(session, period, today),
        minimum_hours=figures.min_yearly_hours(session),
    )


def _registers(session: Session, period: Period, today: date) -> dict[str, Register]:
    name = period.name if period.is_half else f"{period.start.year}年度"

    def register(sheet: str, title: str, columns: list[Column], *notes: str) -> Register:
        return office_register(
            session,
            f"{name}{title}",
            columns,
            today=today,
            sheet_name=sheet,
            notes=[f"统计截止：{_date_text(period.as_of(today))}", *notes],
        )

    minimum = f"{figures.min_yearly_hours(session):g}"
    active = VolunteerStatus.ACTIVE.label
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
            "每项数字为所列明细表的合计，口径见各明细表表头下的说明。",
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
            "完成率＝已完成任务÷（任务数－已取消任务）；开展活动：统计期内已完成的关联活动。",
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
            figures.scope("activities"),
        ),
        "volunteers": register(
            "志愿服务",
            "青年志愿服务统计表（按单位）",
            [
                Column("unit", "单位", 24),
                Column("registered", f"{active}志愿者", 9, "int", True),
                Column("active", "参加服务", 9, "int", True),
                Column("registered_active", f"其中{active}", 9, "int", True),
                Column("under_hours", f"{active}不足{minimum}小时", 11, "int", True),
                Column("records", "服务记录（条）", 10, "int", True),
                Column("hours", "服务时长（小时）", 11, "hours", True),
                Column("pending_hours", "待审核时长（未计入）", 12, "hours", True),
            ],
            figures.scope("registered"),
            figures.scope("serving"),
            figures.scope("under_hours", session),
            figures.scope("hours"),
        ),
        "stars": register(
            "志愿者星级",
            f"{active}志愿者星级统计表",
            [
                Column("star", "星级", 12),
                Column("threshold", "累计服务时长", 30),
                Column("volunteers", "志愿者（名）", 12, "int", True),
                Column("hours", "累计时长（小时）", 16, "hours", True),
            ],
            figures.scope("registered") + "累计时长为截止日前的已审核时长。",
        ),
        "honours": register(
            "荣誉统计",
            "荣誉统计表（按类型、级别）",
            [
                Column("type", "荣誉类型", 20),
                *(Column(lv, lv, 8, "int", True) for lv in HONOUR_LEVELS),
                Column("total", "合计", 7, "int", True),
                Column("awarded", "其中本级表彰", 9, "int", True),
                Column("received", "其中上级荣誉", 9, "int", True),
            ],
            figures.scope("honours"),
            "本级表彰：本单位表彰批次授予、授予单位为本单位或系统级的荣誉；其余为上级荣誉。",
        ),
        "youth": register(
            "青年文明号",
            "青年文明号统计表（按级别）",
            [
                Column("level", "级别", 10),
                Column("count", "集体数", 8, "int", True),
                *(Column(f"star{n}", word, 7, "int", True) for n, word in STAR_WORDS.items()),
                Column("passed", "年审合格", 9, "int", True),
                Column("failed", "年审不合格", 10, "int", True),
                Column("sanctioned", "警示/降星/撤销", 12, "int", True),
            ],
            "集体数为统计截止日仍保有称号的集体；年审与处理为统计期内的记录。",
        ),
        "organisations": register(
            "团组织与换届",
            "团组织及换届情况统计表",
            [
                Column("kind", "类别", 10),
                Column("count", "数量", 8, "int", True),
                Column("members", "团员数", 9, "int", True),
                Column("elected", "完成换届", 10, "int", True),
                *(Column(s, f"换届状态：{s.label}", 12, "int", True) for s in TermStatus),
            ],
            figures.scope("organisations"),
        ),
        "recommendations": register(
            "推优",
            "推优工作统计表",
            [Column("outcome", "目前所处阶段", 20), Column("count", "人数", 8, "int", True)],
            "按推优日期统计，阶段为目前记录的阶段。",
        ),
        "info_reports": register(
            "信息报送",
            "团内信息报送统计表",
            [
                Column("unit", "单位", 28),
                Column("submitted", "报送（条）", 11, "int", True),
                Column("adopted", "采用（条）", 11, "int", True),
            ],
            figures.scope("reports"),
        ),
    }


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


SHEETS = (
    "summary",
    "plan",
    "activities",
    "volunteers",
    "stars",
    "honours",
    "youth",
    "organisations",
    "recommendations",
    "info_reports",
)


def export_annual_statistics(
    session: Session,
    path: str | Path,
    *,
    year: int,
    today: date,
    period: Period | None = None,
    progress: Progress | None = None,
) -> Path:
    """The annual statistics workbook: 汇总 first, then one sheet per area."""
    period = period or Period.year(year)
    stats = annual_statistics(session, period, today)
    registers = _registers(session, period, today)
    rows = {"summary": stats.summary(), **{key: getattr(stats, key) for key in SHEETS[1:]}}
    return write_workbook(path, [(registers[key], rows[key]) for key in SHEETS], progress=progress)
