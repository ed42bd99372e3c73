"""The year-end summary draft (年度工作总结): written from the records, in the office's own words.

The draft claims only what the database shows: task titles and statuses as entered, activities
held with their dates and figures, the year's statistics and the honours granted. A task is
called done only when its status is done; every other task is listed with its own status.
The clerk edits the text in the app; the edited draft is kept per year and exported to PDF.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_league.data.models import (
    Activity,
    Honour,
    HonourType,
    Organisation,
    Person,
    Plan,
    ServiceRecord,
    plan_item_activity,
)
from desk_league.domain.codes import (
    ActivityStatus,
    PlanItemStatus,
    ServiceStatus,
    TermStatus,
    VolunteerStatus,
)
from desk_league.domain.dates import chinese_date
from desk_league.exports.summary_pdf import write_summary_pdf
from desk_league.services import statistics
from desk_league.services.progress import Progress
from desk_league.services.settings import get_setting, set_setting
from desk_league.services.statistics import TaskFact

DRAFTS_SETTING = "year_end_summary_drafts"
CHINESE_NUMBERS = "一二三四五六七八九十"


def _chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二 (section numbers never reach a hundred)."""
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else CHINESE_NUMBERS[tens - 1])
        + "十"
        + (CHINESE_NUMBERS[ones - 1] if ones else "")
    )


def _date_text(on: date, year: int) -> str:
    return f"{on.month}月{on.day}日" if on.year == year else f"{on.year}年{on.month}月{on.day}日"


def _hours_text(hours: float) -> str:
    return f"{hours:g}"


class _Facts:
    """What the draft is written from, read once."""

    def __init__(self, session: Session, year: int, today: date) -> None:
        self.year, self.today = year, today
        self.office = get_setting(session, "office_name")
        self.plan_titles = list(
            session.scalars(
                select(Plan.title)
                .where(Plan.year == year, Plan.deleted_at.is_(None))
                .order_by(Plan.id)
            )
        )
        self.sections, self.tasks = statistics.plan_structure(session, year)
        self.stats = statistics.annual_statistics(session, year, today)
        self.activities_of = self._linked_activities(session)
        self.hours_of = self._hours_per_activity(session)
        self.unlinked = self._unlinked_activities(session)
        self.honours = self._honours(session)

    def _linked_activities(self, session: Session) -> dict[int, list[Activity]]:
        rows = session.execute(
            select(plan_item_activity.c.plan_item_id, Activity)
            .join(Activity, Activity.id == plan_item_activity.c.activity_id)
            .where(
                plan_item_activity.c.plan_item_id.in_([t.id for t in self.tasks]),
                Activity.deleted_at.is_(None),
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
            select(ServiceRecord.activity_id, func.sum(ServiceRecord.hours))
            .where(
                ServiceRecord.status == ServiceStatus.APPROVED,
                ServiceRecord.activity_id.is_not(None),
            )
            .group_by(ServiceRecord.activity_id)
        )
        return {activity_id: float(hours) for activity_id, hours in rows}

    def _unlinked_activities(self, session: Session) -> list[Activity]:
        linked = select(plan_item_activity.c.activity_id)
        return list(
            session.scalars(
                select(Activity)
                .where(statistics.held_in(self.year), Activity.id.not_in(linked))
                .order_by(Activity.start_date, Activity.id)
            )
        )

    def _honours(self, session: Session) -> list[tuple[str, str, str]]:
        recipient = func.coalesce(
            Person.name, func.nullif(Honour.collective_name, ""), Organisation.name, Honour.title
        )
        rows = session.execute(
            select(HonourType.name, Honour.level, recipient)
            .join(HonourType, Honour.honour_type_id == HonourType.id)
            .outerjoin(Person, Honour.person_id == Person.id)
            .outerjoin(Organisation, Honour.organisation_id == Organisation.id)
            .where(statistics.honours_won_in(self.year))
            .order_by(HonourType.position, Honour.level, Honour.id)
        )
        return [(kind, level, recipient) for kind, level, recipient in rows]


def build_summary_draft(session: Session, year: int, today: date) -> str:
    """The generated draft of the year's summary, as plain text ready to edit."""
    facts = _Facts(session, year, today)
    lines = [f"{facts.office}{year}年度工作总结", ""]
    lines += _opening(facts)
    parts = [
        ("工作计划执行情况", _plan_part(facts)),
        ("主要工作数据", _figures_part(facts)),
        ("获得的荣誉", _honours_part(facts)),
        ("尚未完成的工作", _open_part(facts)),
    ]
    for n, (heading, body) in enumerate(parts, start=1):
        lines += ["", f"{_chinese_ordinal(n)}、{heading}", *body]
    lines += ["", facts.office, chinese_date(today)]
    return "\n".join(lines) + "\n"


def _period(facts: _Facts) -> str:
    """全年 once the year is over; before that the figures are only 截至 today."""
    if facts.today > date(facts.year, 12, 31):
        return "全年"
    return f"截至{facts.today.year}年{facts.today.month}月{facts.today.day}日"


def _opening(facts: _Facts) -> list[str]:
    summary = {row["key"]: row["value"] for row in facts.stats.summary()}
    status_counts: dict[str, int] = defaultdict(int)
    for task in facts.tasks:
        status_counts[task.status] += 1
    order = (
        PlanItemStatus.DONE,
        PlanItemStatus.ONGOING,
        PlanItemStatus.TODO,
        PlanItemStatus.CANCELLED,
    )
    plan = "、".join(f"《{t}》" for t in facts.plan_titles)
    basis = f"按照{plan}开展工作" if plan else f"开展工作（系统中没有{facts.year}年的工作计划）"
    tasks = (
        f"计划共{len(facts.tasks)}项任务，"
        + "，".join(f"{s.label}{status_counts[s]}项" for s in order if status_counts[s])
        + "；"
        if facts.tasks
        else ""
    )
    return [
        f"{facts.year}年，{facts.office}{basis}。{_period(facts)}，{tasks}"
        f"开展活动{summary['activities']:g}次，参与{summary['participants']:g}人次；"
        f"青年志愿者经审核的志愿服务时长{summary['hours']:g}小时；"
        f"获得荣誉{summary['honours']:g}项。现将有关情况总结如下。"
    ]


def _activity_text(activity: Activity, facts: _Facts) -> str:
    figures = []
    if activity.participant_count:
        figures.append(f"参与{activity.participant_count}人")
    hours = facts.hours_of.get(activity.id)
    if hours:
        figures.append(f"志愿服务{_hours_text(hours)}小时")
    if activity.status != ActivityStatus.DONE:
        figures.append(ActivityStatus.label_of(activity.status))
    detail = f"（{'，'.join(figures)}）" if figures else ""
    # the title as the office wrote it (it often holds its own quotation marks)
    return f"{_date_text(activity.start_date, facts.year)}，{activity.title}{detail}"


def _task_line(index: int, task: TaskFact, facts: _Facts) -> str:
    status = PlanItemStatus.label_of(task.status)
    if task.status == PlanItemStatus.ONGOING:
        status += f"，进度{task.progress}%"
    # no 。 right after ）: the PDF wrapper can hang only one closing mark at a line's end
    line = f"{index}. {task.title}（{status}）"
    activities = facts.activities_of.get(task.id, [])
    held = [a for a in activities if a.status == ActivityStatus.DONE]
    planned = [a for a in activities if a.status != ActivityStatus.DONE]
    if held:
        line += "；开展活动：" + "；".join(_activity_text(a, facts) for a in held)
    if planned:
        line += "；已安排：" + "；".join(_activity_text(a, facts) for a in planned)
    return line + "。" if held or planned else line


def _plan_part(facts: _Facts) -> list[str]:
    if not facts.tasks:
        return [f"系统中没有{facts.year}年工作计划的任务。"]
    lines = []
    for n, section in enumerate(facts.sections, start=1):
        tasks = [t for t in facts.tasks if t.section_id == section.id]
        done = [t for t in tasks if t.status == PlanItemStatus.DONE]
        going = [t for t in tasks if t.status == PlanItemStatus.ONGOING]
        lines.append(f"（{_chinese_ordinal(n)}）{section.title}")
        lines.append(
            f"本板块计划任务{len(tasks)}项，{PlanItemStatus.DONE.label}{len(done)}项，"
            f"{PlanItemStatus.ONGOING.label}{len(going)}项。"
        )
        for i, task in enumerate(done + going, start=1):
            lines.append(_task_line(i, task, facts))
    if facts.unlinked:
        lines.append(f"（{_chinese_ordinal(len(facts.sections) + 1)}）计划任务以外开展的活动")
        lines.append("；".join(_activity_text(a, facts) for a in facts.unlinked) + "。")
    return lines


def _figures_part(facts: _Facts) -> list[str]:
    stats = facts.stats
    held = [(r["category"], r["total"]) for r in stats.activities if r["total"]]
    total = sum(n for _, n in held)
    participants = sum(r["participants"] for r in stats.activities)
    units = sorted(stats.volunteers, key=lambda r: -r["hours"])[:3]
    summary = {row["key"]: row["value"] for row in stats.summary()}
    orgs = {r["kind"]: r for r in stats.organisations}
    lines = [
        f"（一）活动。{_period(facts)}，开展活动{total}次"
        + ("，其中" + "、".join(f"{c}{n}次" for c, n in held) if held else "")
        + f"，参与{participants}人次。",
        f"（二）志愿服务。{VolunteerStatus.ACTIVE.label}志愿者{summary['volunteers']:g}名，"
        f"本年参加服务{summary['serving']:g}名，"
        f"经审核的服务记录{summary['records']:g}条、服务时长{summary['hours']:g}小时"
        + (
            "；服务时长较多的单位："
            + "、".join(f"{r['unit']}{_hours_text(r['hours'])}小时" for r in units if r["hours"])
            if any(r["hours"] for r in units)
            else ""
        )
        + "。",
        f"（三）团组织建设。现有团组织{summary['organisations']:g}个（"
        + "、".join(f"{k}{r['count']}个" for k, r in orgs.items() if r["count"])
        + f"），团员{summary['members']:g}名；本年完成换届{summary['elected']:g}个，"
        f"超期未换届{sum(r[TermStatus.OVERDUE] for r in orgs.values())}个，"
        f"{TermStatus.MISSING.label}{sum(r[TermStatus.MISSING] for r in orgs.values())}个。",
        f"（四）信息报送。报送信息{summary['reports']:g}条，被采用{summary['adopted']:g}条。",
    ]
    return lines


def _honours_part(facts: _Facts) -> list[str]:
    if not facts.honours:
        return [f"{facts.year}年没有登记获得的荣誉。"]
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for type_name, level, recipient in facts.honours:
        grouped[(type_name, level)].append(recipient)
    lines = [f"本年获得荣誉{len(facts.honours)}项。"]
    for i, ((type_name, level), names) in enumerate(grouped.items(), start=1):
        lines.append(f"{i}. {level}“{type_name}”{len(names)}项：{'、'.join(names)}。")
    return lines


def _open_part(facts: _Facts) -> list[str]:
    open_tasks = [
        t for t in facts.tasks if t.status in (PlanItemStatus.TODO, PlanItemStatus.ONGOING)
    ]
    cancelled = [t for t in facts.tasks if t.status == PlanItemStatus.CANCELLED]
    if not open_tasks and not cancelled:
        return [f"计划任务均{PlanItemStatus.DONE.label}。"] if facts.tasks else ["无。"]
    lines = []
    for i, task in enumerate(open_tasks, start=1):
        due = (
            f"，完成时限{task.due_date.year}年{task.due_date.month}月{task.due_date.day}日"
            if task.due_date
            else ""
        )
        owner = f"，责任人：{task.owner}" if task.owner else ""
        status = PlanItemStatus.label_of(task.status)
        lines.append(f"{i}. {task.title}（{status}{due}{owner}）")
    for i, task in enumerate(cancelled, start=len(open_tasks) + 1):
        lines.append(f"{i}. {task.title}（{PlanItemStatus.CANCELLED.label}）")
    return lines


# --- keeping the clerk's edits ------------------------------------------------------------------


def saved_summary_draft(session: Session, year: int) -> str | None:
    """The clerk's edited draft of ``year``, if one was saved."""
    return get_setting(session, DRAFTS_SETTING).get(str(year))


def save_summary_draft(session: Session, year: int, text: str) -> None:
    drafts = dict(get_setting(session, DRAFTS_SETTING))  # a new dict, so the JSON column updates
    drafts[str(year)] = text
    set_setting(session, DRAFTS_SETTING, drafts)


def export_summary_pdf(
    path: str | Path, text: str, *, year: int, progress: Progress | None = None
) -> Path:
    """The (edited) draft as a printable PDF in the bundled font."""
    return write_summary_pdf(path, text, title=f"{year}年度工作总结", progress=progress)
