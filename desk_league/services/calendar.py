"""Key dates (重要节点) of the year, solar or lunar, and the calendar of nodes and activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from desk_league.data.models import Activity, KeyDate, Plan, PlanItem
from desk_league.domain.codes import ActivityStatus, CalendarKind, PlanItemKind, PlanItemStatus
from desk_league.domain.lunar import key_date_rule_text, resolve_key_date
from desk_league.errors import ValidationError
from desk_league.services.common import (
    get_live,
    get_to_save,
    move_to_recycle_bin,
    saved_values,
)
from desk_league.services.listing import ListColumn, Listing

DEFAULT_UPCOMING_DAYS = 30

KEY_DATES = Listing(
    name="key_dates",
    columns=[
        ListColumn("id", "编号", KeyDate.id, "int", hidden=True),
        ListColumn("name", "节点名称", KeyDate.name, width=220),
        ListColumn("calendar", "历法", KeyDate.calendar, width=50, labels=CalendarKind.labels()),
        ListColumn("month", "月", KeyDate.month, "int", width=40),
        ListColumn("day", "日", KeyDate.day, "int", width=40),
        ListColumn("remind_days", "提前提醒(天)", KeyDate.remind_days, "int", width=85),
        ListColumn("note", "备注", KeyDate.note, width=160),
    ],
    base=select(KeyDate).where(KeyDate.deleted_at.is_(None)),
    search=[KeyDate.name, KeyDate.note],
    filters={"calendar": lambda calendar: KeyDate.calendar == calendar},
    # lunar dates fall later than their month number suggests; solar first keeps the list calm
    default_sort=[
        case({CalendarKind.SOLAR.value: 0}, value=KeyDate.calendar, else_=1),
        KeyDate.month,
        KeyDate.day,
    ],
)


@dataclass
class KeyDateInput:
    name: str
    calendar: str = CalendarKind.SOLAR
    month: int = 1
    day: int = 1
    remind_days: int = 14
    note: str = ""
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def _validate(data: KeyDateInput) -> None:
    data.name = data.name.strip()
    if not data.name:
        raise ValidationError("请填写节点名称。", field="节点名称")
    data.calendar = CalendarKind.parse(data.calendar, field="历法")
    if not 1 <= data.month <= 12:
        raise ValidationError(f"月份应在1到12之间，实为{data.month}。", field="月")
    if data.calendar == CalendarKind.SOLAR:
        try:
            date(2024, data.month, data.day)  # a leap year: 2月29日 is a valid yearly rule
        except ValueError:
            raise ValidationError(f"公历没有{data.month}月{data.day}日。", field="日") from None
    elif not 1 <= data.day <= 30:
        raise ValidationError(f"农历日期应在初一到三十之间，实为{data.day}。", field="日")
    if not 0 <= data.remind_days <= 180:
        raise ValidationError("提前提醒天数应在0到180之间。", field="提前提醒")


def create_key_date(session: Session, data: KeyDateInput) -> KeyDate:
    _validate(data)
    key_date = KeyDate(**saved_values(data))
    session.add(key_date)
    session.flush()
    return key_date


def update_key_date(session: Session, key_date_id: int, data: KeyDateInput) -> KeyDate:
    _validate(data)
    key_date = get_to_save(session, KeyDate, key_date_id, data.version, "重要节点")
    for key, value in saved_values(data).items():
        setattr(key_date, key, value)
    return key_date


def delete_key_date(session: Session, key_date_id: int) -> None:
    move_to_recycle_bin(session, get_live(session, KeyDate, key_date_id, "重要节点"))


def key_date_form(session: Session, key_date_id: int) -> KeyDateInput:
    kd = get_live(session, KeyDate, key_date_id, "重要节点")
    return KeyDateInput(
        kd.name, kd.calendar, kd.month, kd.day, kd.remind_days, kd.note, version=kd.version
    )


# --- the year resolved ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedKeyDate:
    id: int
    name: str
    on: date
    calendar: str
    rule: str  # 公历3月5日 / 农历九月初九
    remind_days: int


def key_dates_of_year(session: Session, year: int) -> list[ResolvedKeyDate]:
    """Every key date of ``year`` as a solar date, in date order."""
    found = [
        ResolvedKeyDate(
            kd.id,
            kd.name,
            resolve_key_date(year, kd.calendar, kd.month, kd.day),
            kd.calendar,
            key_date_rule_text(kd.calendar, kd.month, kd.day),
            kd.remind_days,
        )
        for kd in session.scalars(select(KeyDate).where(KeyDate.deleted_at.is_(None)))
    ]
    return sorted(found, key=lambda k: (k.on, k.name))


def _activity_counts(session: Session, start: date, end: date) -> dict[int, int]:
    """Live, not cancelled activities per key date within [start, end]."""
    counts: dict[int, int] = {}
    for key_date_id in session.scalars(
        select(Activity.key_date_id).where(
            Activity.deleted_at.is_(None),
            Activity.status != ActivityStatus.CANCELLED,
            Activity.key_date_id.is_not(None),
            Activity.start_date.between(start, end),
        )
    ):
        if key_date_id is not None:  # the query leaves them out; the column allows them
            counts[key_date_id] = counts.get(key_date_id, 0) + 1
    return counts


@dataclass(frozen=True)
class NodeFlag:
    """A node the plan expects something at, with nothing recorded yet."""

    key_date_id: int
    name: str
    on: date
    reason: str


def nodes_without_activity(session: Session, year: int) -> list[NodeFlag]:
    """Nodes of ``year`` that the plan ties tasks to, yet no activity is recorded for.

    A plan task names its node (五四, 重阳 …); until an activity is dated at that node or linked
    to the task, the calendar flags it so the office plans one in time.
    """
    resolved = {k.id: k for k in key_dates_of_year(session, year)}
    counts = _activity_counts(session, date(year, 1, 1), date(year, 12, 31))
    tasks = session.scalars(
        select(PlanItem)
        .join(Plan, PlanItem.plan_id == Plan.id)
        .where(
            Plan.year == year,
            Plan.deleted_at.is_(None),
            PlanItem.deleted_at.is_(None),
            PlanItem.kind == PlanItemKind.TASK,
            PlanItem.key_date_id.is_not(None),
            PlanItem.status != PlanItemStatus.CANCELLED,
        )
        .order_by(PlanItem.id)
    )
    flags: dict[int, NodeFlag] = {}
    for task in tasks:
        node = resolved.get(task.key_date_id) if task.key_date_id is not None else None
        live = [
            a
            for a in task.activities
            if a.deleted_at is None and a.status != ActivityStatus.CANCELLED
        ]
        if node is None or live or counts.get(node.id) or node.id in flags:
            continue
        flags[node.id] = NodeFlag(node.id, node.name, node.on, f"计划事项“{task.title}”尚无活动")
    return sorted(flags.values(), key=lambda f: f.on)


@dataclass(frozen=True)
class UpcomingItem:
    on: date
    days_left: int
    kind: str  # key_date / activity
    name: str
    rule: str = ""  # for key dates
    remind: bool = False  # a key date inside its own reminder window
    flag: str = ""  # why the clerk should act: no activity yet
    activity_id: int | None = None


def upcoming(
    session: Session, today: date, days: int = DEFAULT_UPCOMING_DAYS
) -> list[UpcomingItem]:
    """Key dates and activities of the next ``days`` days, plus any key date already inside its
    own reminder window (N per key date), each flagged when no activity is arranged for it."""
    horizon = today + timedelta(days=days)
    items: list[UpcomingItem] = []
    for year in (today.year, today.year + 1):
        counts = _activity_counts(session, date(year, 1, 1), date(year, 12, 31))
        planned = {f.key_date_id: f.reason for f in nodes_without_activity(session, year)}
        for node in key_dates_of_year(session, year):
            left = (node.on - today).days
            remind = 0 <= left <= node.remind_days
            if not (0 <= left <= days or remind):
                continue
            flag = ""
            if not counts.get(node.id):
                flag = planned.get(node.id) or "尚未安排活动"
            items.append(
                UpcomingItem(node.on, left, "key_date", node.name, node.rule, remind, flag)
            )
    for activity in session.scalars(
        select(Activity).where(
            Activity.deleted_at.is_(None),
            Activity.status == ActivityStatus.PLANNED,
            Activity.start_date.between(today, horizon),
        )
    ):
        items.append(
            UpcomingItem(
                activity.start_date,
                (activity.start_date - today).days,
                "activity",
                activity.title,
                activity_id=activity.id,
            )
        )
    return sorted(items, key=lambda i: (i.on, i.kind != "key_date", i.name))


# --- a month on the calendar ---------------------------------------------------------------


@dataclass
class CalendarDay:
    key_dates: list[ResolvedKeyDate] = field(default_factory=list)
    activities: list[tuple[int, str, str]] = field(default_factory=list)  # id, title, status label
    flags: list[str] = field(default_factory=list)


def month_calendar(session: Session, year: int, month: int) -> dict[date, CalendarDay]:
    """What falls on each day of the month: key dates, activities (multi-day ones every day),
    and nodes flagged for having no activity."""
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    days: dict[date, CalendarDay] = {}
    for node in key_dates_of_year(session, year):
        if first <= node.on <= last:
            days.setdefault(node.on, CalendarDay()).key_dates.append(node)
    for flag in nodes_without_activity(session, year):
        if first <= flag.on <= last:
            days.setdefault(flag.on, CalendarDay()).flags.append(f"{flag.name}：{flag.reason}")
    activities = session.scalars(
        select(Activity)
        .where(
            Activity.deleted_at.is_(None),
            Activity.start_date <= last,
            ((Activity.end_date.is_(None)) & (Activity.start_date >= first))
            | (Activity.end_date >= first),
        )
        .order_by(Activity.start_date, Activity.id)
    )
    for activity in activities:
        day = max(activity.start_date, first)
        while day <= min(activity.end_date or activity.start_date, last):
            days.setdefault(day, CalendarDay()).activities.append(
                (activity.id, activity.title, ActivityStatus.label_of(activity.status))
            )
            day += timedelta(days=1)
    return days


def calendar_year_rows(session: Session, year: int) -> list[dict]:
    """The year's key dates for ``desk-league calendar``: name, date, rule."""
    return [
        {
            "name": k.name,
            "date": k.on.isoformat(),
            "calendar": k.calendar,
            "rule": k.rule,
            "remind_days": k.remind_days,
        }
        for k in key_dates_of_year(session, year)
    ]
