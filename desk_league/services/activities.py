"""The activity ledger (活动台账): activities, their people, plan tasks, photos and volunteer hours."""

from __future__ import annotations

import mimetypes
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import and_, extract, func, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import (
    Activity,
    ActivityParticipant,
    Attachment,
    KeyDate,
    Organisation,
    Person,
    Plan,
    PlanItem,
    ServiceRecord,
    Volunteer,
    plan_item_activity,
)
from desk_league.domain.codes import ActivityStatus, PlanItemKind, ServiceStatus, VolunteerStatus
from desk_league.errors import Conflict, ValidationError
from desk_league.exports.files import atomic_output
from desk_league.exports.register import Column, TotalsBy, write_register
from desk_league.services import figures
from desk_league.services.common import (
    get_live,
    get_to_save,
    move_to_recycle_bin,
)
from desk_league.services.figures import Period
from desk_league.services.listing import ListColumn, Listing
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register
from desk_league.services.service_hours import (
    ServiceRecordInput,
    add_service_record,
    update_service_record,
)
from desk_league.services.settings import get_setting, set_setting

VOLUNTEER_CATEGORY = "志愿服务"
ATTACHMENT_OWNER = "activity"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}

ACTIVITIES = Listing(
    name="activities",
    columns=[
        ListColumn("id", "编号", Activity.id, "int", hidden=True),
        ListColumn("start_date", "开始日期", Activity.start_date, "date", width=90),
        ListColumn("end_date", "结束日期", Activity.end_date, "date", width=90),
        ListColumn("title", "活动名称", Activity.title, width=260),
        ListColumn("category", "类别", Activity.category, width=80),
        ListColumn("organiser", "主办单位", Organisation.name, width=160),
        ListColumn("place", "地点", Activity.place, width=120),
        ListColumn("participant_count", "参与人数", Activity.participant_count, "int", width=65),
        ListColumn("key_date", "重要节点", KeyDate.name, width=100),
        ListColumn("status", "状态", Activity.status, width=60, labels=ActivityStatus.labels()),
    ],
    base=select(Activity)
    .outerjoin(Organisation, Activity.organiser_id == Organisation.id)
    .outerjoin(KeyDate, Activity.key_date_id == KeyDate.id)
    .where(Activity.deleted_at.is_(None)),
    search=[
        Activity.title,
        Activity.place,
        Activity.summary,
        Organisation.name,
        Activity.co_organisers,
    ],
    filters={
        "category": lambda category: Activity.category == category,
        "status": lambda status: Activity.status == status,
        "organiser_id": lambda org_id: Activity.organiser_id == org_id,
        "key_date_id": lambda key_date_id: Activity.key_date_id == key_date_id,
        "year": lambda year: and_(
            Activity.start_date >= date(int(year), 1, 1),
            Activity.start_date <= date(int(year), 12, 31),
        ),
        "month": lambda month: extract("month", Activity.start_date) == int(month),
    },
    default_sort=[Activity.start_date.desc(), Activity.id.desc()],
)

# The service records an activity produced, shown in its hours dialog.
ACTIVITY_SERVICE_RECORDS = Listing(
    name="activity_service_records",
    columns=[
        ListColumn("id", "编号", ServiceRecord.id, "int", hidden=True),
        ListColumn("name", "姓名", Person.name, width=80, sort_expr=Person.name_pinyin),
        ListColumn("number", "志愿者编号", Volunteer.number, width=110),
        ListColumn("served_on", "服务日期", ServiceRecord.served_on, "date", width=90),
        ListColumn("hours", "时长(小时)", ServiceRecord.hours, "hours", width=75),
        ListColumn("status", "状态", ServiceRecord.status, width=60, labels=ServiceStatus.labels()),
    ],
    base=select(ServiceRecord)
    .join(Volunteer, ServiceRecord.volunteer_id == Volunteer.id)
    .join(Person, Volunteer.person_id == Person.id),
    search=[Person.name, Volunteer.number],
    filters={"activity_id": lambda activity_id: ServiceRecord.activity_id == activity_id},
    default_sort=[Volunteer.number, ServiceRecord.id],
)


# --- the form ----------------------------------------------------------------------------------


@dataclass
class ActivityInput:
    title: str
    start_date: date
    category: str = "其他"
    end_date: date | None = None
    place: str = ""
    organiser_id: int | None = None
    co_organisers: str = ""
    participant_count: int = 0
    summary: str = ""
    key_date_id: int | None = None
    status: str = ActivityStatus.PLANNED
    participant_ids: list[int] = field(default_factory=list)  # named participants (people)
    plan_item_ids: list[int] = field(default_factory=list)  # the plan tasks it carries out
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


@dataclass
class ActivitySaved:
    activity: Activity
    pending_followed: int = 0  # pending service records moved to the new date / place
    approved_kept: int = 0  # approved records left exactly as they were

    @property
    def notice(self) -> str:
        """What the clerk should know after the save, or ''."""
        if not self.approved_kept:
            return ""
        return (
            f"该活动有 {self.approved_kept} 条已审核的志愿服务记录，未随活动修改；"
            "如需更正，请在“志愿者”中作废后重新录入。"
        )


_FORM_FIELDS = (
    "title",
    "start_date",
    "category",
    "end_date",
    "place",
    "organiser_id",
    "co_organisers",
    "participant_count",
    "summary",
    "key_date_id",
    "status",
)


def activity_categories(session: Session) -> list[str]:
    """The category list the office keeps (editable in the settings)."""
    return list(get_setting(session, "activity_categories"))


def set_activity_categories(session: Session, categories: Sequence[str]) -> list[str]:
    """Replace the category list; a category still used by an activity cannot be dropped."""
    cleaned = list(dict.fromkeys(c.strip() for c in categories if c.strip()))
    if not cleaned:
        raise ValidationError("至少保留一个活动类别。", field="类别")
    if too_long := [c for c in cleaned if len(c) > 20]:
        raise ValidationError(f"类别名称不能超过20个字：{too_long[0]}", field="类别")
    for dropped in [c for c in activity_categories(session) if c not in cleaned]:
        used = session.scalar(
            select(func.count(Activity.id)).where(
                Activity.category == dropped, Activity.deleted_at.is_(None)
            )
        )
        if used:
            raise ValidationError(
                f"类别“{dropped}”已有 {used} 项活动使用，不能删除。", field="类别"
            )
    set_setting(session, "activity_categories", cleaned)
    return cleaned


def _validate(session: Session, data: ActivityInput) -> None:
    data.title = data.title.strip()
    if not data.title:
        raise ValidationError("请填写活动名称。", field="活动名称")
    if data.end_date is not None and data.end_date < data.start_date:
        raise ValidationError(
            f"结束日期 {data.end_date:%Y-%m-%d} 早于开始日期 {data.start_date:%Y-%m-%d}，请检查。",
            field="结束日期",
        )
    categories = activity_categories(session)
    if data.category not in categories:
        raise ValidationError(
            f"类别“{data.category}”不在类别列表中（{'、'.join(categories)}）。", field="类别"
        )
    data.status = ActivityStatus.parse(data.status)
    if data.participant_count < 0:
        raise ValidationError("参与人数不能为负数。", field="参与人数")
    if data.organiser_id is not None:
        get_live(session, Organisation, data.organiser_id, "主办单位")
    if data.key_date_id is not None:
        get_live(session, KeyDate, data.key_date_id, "重要节点")
    # the count is at least the people named; more may have taken part unnamed
    data.participant_count = max(data.participant_count, len(set(data.participant_ids)))


def organiser_by_name(session: Session, name: str) -> int | None:
    """The organisation the clerk typed as organiser; '' means none. Unknown names are refused."""
    name = name.strip()
    if not name:
        return None
    org_id = session.scalar(
        select(Organisation.id).where(
            Organisation.deleted_at.is_(None),
            (Organisation.name == name) | (Organisation.short_name == name),
        )
    )
    if org_id is None:
        raise ValidationError(
            f"“{name}”不在团组织名单中，请从列表中选择；新的团组织请先在“团组织”中添加。",
            field="主办单位",
        )
    return org_id


def create_activity(session: Session, data: ActivityInput) -> ActivitySaved:
    _validate(session, data)
    activity = Activity(**{key: getattr(data, key) for key in _FORM_FIELDS})
    session.add(activity)
    session.flush()
    _set_participants(session, activity, data.participant_ids)
    link_activity_to_plan_tasks(session, activity.id, data.plan_item_ids)
    return ActivitySaved(activity)


def update_activity(session: Session, activity_id: int, data: ActivityInput) -> ActivitySaved:
    """Save the form. Pending hours records follow a new date or place; approved ones never change."""
    activity = get_to_save(session, Activity, activity_id, data.version, "活动")
    _validate(session, data)
    for key in _FORM_FIELDS:
        setattr(activity, key, getattr(data, key))
    _set_participants(session, activity, data.participant_ids)
    link_activity_to_plan_tasks(session, activity.id, data.plan_item_ids)
    session.flush()
    return _follow_service_records(session, activity)


def delete_activity(session: Session, activity_id: int) -> None:
    activity = get_live(session, Activity, activity_id, "活动")
    counted = session.scalar(
        select(func.count(ServiceRecord.id)).where(
            ServiceRecord.activity_id == activity_id, ServiceRecord.status == ServiceStatus.APPROVED
        )
    )
    if counted:
        raise Conflict(
            f"该活动已有 {counted} 条审核通过的志愿服务时长，不能删除；"
            f"可将状态改为“{ActivityStatus.CANCELLED.label}”。"
        )
    move_to_recycle_bin(session, activity)


def activity_form(session: Session, activity_id: int) -> ActivityInput:
    """The saved activity as the form shows it."""
    activity = get_live(session, Activity, activity_id, "活动")
    data = ActivityInput(**{key: getattr(activity, key) for key in _FORM_FIELDS})
    data.version = activity.version
    data.participant_ids = [p.person_id for p in activity.participants]
    data.plan_item_ids = linked_plan_task_ids(session, activity_id)
    return data


def _set_participants(session: Session, activity: Activity, person_ids: Sequence[int]) -> None:
    wanted = list(dict.fromkeys(person_ids))
    for person_id in wanted:
        get_live(session, Person, person_id, "参与人员")
    activity.participants = [
        next((p for p in activity.participants if p.person_id == pid), None)
        or ActivityParticipant(person_id=pid)
        for pid in wanted
    ]


def _follow_service_records(session: Session, activity: Activity) -> ActivitySaved:
    records = session.scalars(
        select(ServiceRecord).where(
            ServiceRecord.activity_id == activity.id, ServiceRecord.status != ServiceStatus.VOID
        )
    ).all()
    saved = ActivitySaved(activity)
    end = activity.end_date or activity.start_date
    for record in records:
        in_range = activity.start_date <= record.served_on <= end
        wanted = (record.served_on if in_range else activity.start_date, activity.place)
        if (record.served_on, record.place) == wanted:
            continue
        if record.status == ServiceStatus.APPROVED:
            saved.approved_kept += 1
            continue
        moved = ServiceRecordInput(
            volunteer_id=record.volunteer_id,
            served_on=wanted[0],
            hours=record.hours,
            content=record.content,
            place=wanted[1],
            organiser=record.organiser,
            activity_id=activity.id,
        )
        try:  # the same service moving with its activity is no second one: no duplicate asked
            update_service_record(session, record.id, moved, confirm_duplicate=True)
        except ValidationError as exc:
            raise ValidationError(
                f"该活动有待审核的志愿服务记录，随活动改到 {wanted[0]:%Y-%m-%d} 时"
                f"{record.volunteer.person.name}的记录不符合规则：{exc.reason}",
                field="开始日期",
            ) from None
        saved.pending_followed += 1
    return saved


# --- plan tasks (the activity side of the plan ↔ activity link) --------------------------------


def plan_task_choices(session: Session, year: int) -> list[tuple[int, str]]:
    """The tasks of that year's plan, labelled as the plan numbers them: “三、2、…”."""
    section = aliased(PlanItem)
    rows = session.execute(
        select(PlanItem.id, section.number, PlanItem.number, PlanItem.title)
        .join(Plan, PlanItem.plan_id == Plan.id)
        .outerjoin(section, PlanItem.parent_id == section.id)
        .where(
            Plan.year == year,
            Plan.deleted_at.is_(None),
            PlanItem.deleted_at.is_(None),
            PlanItem.kind == PlanItemKind.TASK,
        )
        .order_by(section.position, PlanItem.position, PlanItem.id)
    )
    return [(row[0], f"{row[1] or ''}{row[2]}{row[3]}") for row in rows]


def linked_plan_task_ids(session: Session, activity_id: int) -> list[int]:
    return list(
        session.scalars(
            select(plan_item_activity.c.plan_item_id).where(
                plan_item_activity.c.activity_id == activity_id
            )
        )
    )


def link_activity_to_plan_tasks(
    session: Session, activity_id: int, task_ids: Sequence[int]
) -> None:
    """Make the activity the evidence of exactly these plan tasks (through the tasks' own
    collections, so each task's audit line records the change)."""
    wanted = {task_id: get_live(session, PlanItem, task_id, "计划事项") for task_id in task_ids}
    for task in wanted.values():
        if task.kind != PlanItemKind.TASK:
            raise ValidationError(
                f"“{task.title}”是计划板块，请选择其下的具体事项。", field="计划事项"
            )
    current = set(linked_plan_task_ids(session, activity_id))
    activity = get_live(session, Activity, activity_id, "活动")
    # held in a list: the session keeps unchanged objects only weakly, and a change event on a
    # collected one fails
    changed = [
        task
        for task in (session.get(PlanItem, task_id) for task_id in sorted(current - set(wanted)))
        if task is not None
    ]
    for task in changed:
        task.activities = [a for a in task.activities if a.id != activity_id]
    for task_id in sorted(set(wanted) - current):
        wanted[task_id].activities.append(activity)


# --- volunteer hours from an activity ------------------------------------------------------------


@dataclass
class HoursResult:
    created: int
    skipped: list[str]  # volunteers already recorded for this activity

    @property
    def message(self) -> str:
        text = f"已为 {self.created} 名志愿者登记服务时长（待审核）。"
        if self.skipped:
            text += f"\n以下志愿者已有本活动的记录，未重复登记：{'、'.join(self.skipped)}"
        return text


@dataclass(frozen=True)
class HoursCandidates:
    """An activity's named participants, as 登记志愿时长 starts from them."""

    volunteers: list[tuple[int, str]]  # (volunteer id, name): registered, 在册 — preselected
    not_volunteers: list[tuple[int, str]]  # (person id, name): not registered volunteers yet
    inactive: list[str]  # volunteers 暂停 or 注销: named, not chosen


def hours_candidates(session: Session, activity_id: int) -> HoursCandidates:
    activity = get_live(session, Activity, activity_id, "活动")
    person_ids = [p.person_id for p in activity.participants]
    volunteers = {
        v.person_id: v
        for v in session.scalars(
            select(Volunteer).where(
                Volunteer.person_id.in_(person_ids), Volunteer.deleted_at.is_(None)
            )
        )
    }
    names = people_names(session, person_ids)
    result = HoursCandidates([], [], [])
    for person_id in sorted(person_ids, key=lambda pid: names.get(pid, "")):
        volunteer = volunteers.get(person_id)
        name = names.get(person_id, f"#{person_id}")
        if volunteer is None:
            result.not_volunteers.append((person_id, name))
        elif volunteer.status == VolunteerStatus.ACTIVE:
            result.volunteers.append((volunteer.id, name))
        else:
            result.inactive.append(f"{name}（{VolunteerStatus.label_of(volunteer.status)}）")
    return result


def record_activity_hours(
    session: Session,
    activity_id: int,
    volunteer_ids: Sequence[int],
    hours: float,
    served_on: date | None = None,
    *,
    today: date | None = None,
    confirm_duplicates: bool = False,
) -> HoursResult:
    """One pending service record per volunteer for a 志愿服务 activity, hours entered once.

    Each record meets the rules of ``add_service_record``; a volunteer whose day already holds
    the same service (entered by hand or imported) stops the whole entry with
    ``DuplicateRecord`` unless ``confirm_duplicates``."""
    activity = get_live(session, Activity, activity_id, "活动")
    if activity.category != VOLUNTEER_CATEGORY:
        raise ValidationError(
            f"只有“{VOLUNTEER_CATEGORY}”类活动才能登记志愿服务时长（本活动为“{activity.category}”）。",
            field="类别",
        )
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(
            f"活动状态为“{ActivityStatus.CANCELLED.label}”，不能登记服务时长。", field="状态"
        )
    if not volunteer_ids:
        raise ValidationError("请至少选择一名志愿者。", field="志愿者")
    served_on = served_on or activity.start_date
    end = activity.end_date or activity.start_date
    if not activity.start_date <= served_on <= end:
        raise ValidationError(
            f"服务日期应在活动日期 {activity.start_date:%Y-%m-%d} 至 {end:%Y-%m-%d} 之间。",
            field="服务日期",
        )
    already = set(
        session.scalars(
            select(ServiceRecord.volunteer_id).where(
                ServiceRecord.activity_id == activity_id, ServiceRecord.status != ServiceStatus.VOID
            )
        )
    )
    organiser = activity.organiser.name if activity.organiser else ""
    result = HoursResult(0, [])
    for volunteer_id in dict.fromkeys(volunteer_ids):
        volunteer = get_live(session, Volunteer, volunteer_id, "志愿者")
        if volunteer_id in already:
            result.skipped.append(volunteer.person.name)
            continue
        try:
            add_service_record(
                session,
                ServiceRecordInput(
                    volunteer_id=volunteer_id,
                    served_on=served_on,
                    hours=hours,
                    content=activity.title,
                    place=activity.place,
                    organiser=organiser,
                    activity_id=activity_id,
                ),
                today=today,
                confirm_duplicate=confirm_duplicates,
            )
        except ValidationError as exc:
            raise ValidationError(
                f"{volunteer.person.name}：{exc.reason}", field=exc.field
            ) from None
        result.created += 1
    return result


# --- attachments (photos and files) ----------------------------------------------------------


@dataclass(frozen=True)
class AttachmentFile:
    id: int
    file_name: str
    path: Path
    is_image: bool
    size: int


def add_attachments(
    session: Session, activity_id: int, files: Sequence[str | Path], folder: Path | None
) -> list[Attachment]:
    """Copy files into the data folder's attachments and record them against the activity."""
    get_live(session, Activity, activity_id, "活动")
    if folder is None:
        raise ValidationError(
            "使用服务器数据库时无法保存附件（附件保存在本机数据文件夹中）。", field="附件"
        )
    added = []
    for file in map(Path, files):
        if not file.is_file():
            raise ValidationError(f"找不到文件：{file}", field="附件")
        relative = Path(ATTACHMENT_OWNER) / str(activity_id) / f"{uuid.uuid4().hex[:8]}_{file.name}"
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copied before the row is committed: a failed save leaves an unused file, never a row
        # pointing at nothing; the copy appears whole (owner-only) or not at all.
        with atomic_output(target) as part:
            shutil.copyfile(file, part)
        attachment = Attachment(
            owner_table=ATTACHMENT_OWNER,
            owner_id=activity_id,
            file_name=file.name,
            stored_path=relative.as_posix(),
            size=file.stat().st_size,
            media_type=mimetypes.guess_type(file.name)[0] or "",
        )
        session.add(attachment)
        added.append(attachment)
    session.flush()
    return added


def activity_attachments(
    session: Session, activity_id: int, folder: Path | None
) -> list[AttachmentFile]:
    rows = session.scalars(
        select(Attachment)
        .where(
            Attachment.owner_table == ATTACHMENT_OWNER,
            Attachment.owner_id == activity_id,
            Attachment.deleted_at.is_(None),
        )
        .order_by(Attachment.id)
    )
    base = folder or Path()
    return [
        AttachmentFile(
            a.id,
            a.file_name,
            base / a.stored_path,
            Path(a.file_name).suffix.lower() in IMAGE_SUFFIXES,
            a.size,
        )
        for a in rows
    ]


def remove_attachment(session: Session, attachment_id: int) -> None:
    """To the recycle bin; the copied file stays so a restore brings it back."""
    move_to_recycle_bin(session, get_live(session, Attachment, attachment_id, "附件"))


# --- choices for filters and forms -----------------------------------------------------------


def activity_years(session: Session, today: date) -> list[int]:
    first = session.scalar(
        select(func.min(Activity.start_date)).where(Activity.deleted_at.is_(None))
    )
    start = min(first.year if first else today.year, today.year)
    return list(range(today.year + 1, start - 1, -1))


def key_date_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(KeyDate.id, KeyDate.name)
        .where(KeyDate.deleted_at.is_(None))
        .order_by(KeyDate.month, KeyDate.day)
    )
    return [(row.id, row.name) for row in rows]


def people_names(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = session.execute(select(Person.id, Person.name).where(Person.id.in_(list(person_ids))))
    return {row.id: row.name for row in rows}


# --- the register ------------------------------------------------------------------------------

ACTIVITY_REGISTER_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("dates", "活动时间", 20),
    Column("title", "活动名称", 34),
    Column("category", "类别", 10),
    Column("organiser", "主办单位", 22),
    Column("co_organisers", "协办单位", 16),
    Column("place", "地点", 18),
    Column("participant_count", "参与人数", 9, "int", total=True),
    Column("key_date", "重要节点", 14),
    Column("plan_tasks", "对应计划事项", 30),
    Column("summary", "活动概况", 40),
    Column("status", "状态", 8),
]


def _date_span(start: date, end: date | None) -> str:
    if end is None or end == start:
        return f"{start:%Y-%m-%d}"
    return (
        f"{start:%Y-%m-%d}至{end:%m-%d}"
        if end.year == start.year
        else f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"
    )


def activity_register_rows(session: Session, year: int) -> list[dict]:
    """Every activity of the year (``figures.dated_in``), whatever its status."""
    activities = session.scalars(
        select(Activity)
        .where(figures.dated_in(Period.year(year)))
        .order_by(Activity.start_date, Activity.id)
    ).all()
    return [
        {
            "seq": seq,
            "dates": _date_span(a.start_date, a.end_date),
            "title": a.title,
            "category": a.category,
            "organiser": a.organiser.name if a.organiser else "",
            "co_organisers": a.co_organisers,
            "place": a.place,
            "participant_count": a.participant_count,
            "key_date": a.key_date.name if a.key_date else "",
            "plan_tasks": "；".join(t.title for t in a.plan_items if t.deleted_at is None),
            "summary": a.summary,
            "status": ActivityStatus.label_of(a.status),
        }
        for seq, a in enumerate(activities, start=1)
    ]


def export_activity_register(
    session: Session, path: str | Path, *, year: int, today: date, progress: Progress | None = None
) -> Path:
    """活动台账 of one year, through the shared register writer: every activity listed, 合计
    of the held ones (the figure the statistics count), planned and cancelled ones apart."""
    register = office_register(
        session,
        f"{year}年市直卫生系统共青团活动台账",
        ACTIVITY_REGISTER_COLUMNS,
        today=today,
        notes=[figures.scope("activities")],
        totals_by=TotalsBy("status", (ActivityStatus.DONE.label,), unit="项"),
    )
    return write_register(path, register, activity_register_rows(session, year), progress=progress)
