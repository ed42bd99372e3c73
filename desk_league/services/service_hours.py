"""Volunteer service records: entered pending, approved (then locked), or voided with a reason.

Records are never deleted. Hours and star levels count approved records only. Every record
meets the rules of ``domain.volunteering`` whoever enters it (the form, an activity's hours,
the import): a service date not in the future nor before the volunteer turned 14, at most 24
hours a day across the day's records, and no second record of the same service on the same
day unless the clerk confirms it is a second one (``DuplicateRecord``).

Two PCs at once: the day's records are checked with the volunteer's row locked
(``lock_volunteers``), so two entries for the same volunteer and day cannot both pass the
24-hour rule nor both be the first of a service; a status changes only from the status it was
read in, with the record locked (approve a pending one, void one not yet voided), and the one
who comes second is told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_league.data.models import ServiceRecord, Volunteer
from desk_league.domain.codes import ServiceStatus
from desk_league.domain.stars import validate_hours
from desk_league.domain.volunteering import check_daily_hours, check_service_date, same_service
from desk_league.errors import Conflict, NeedsConfirmation, NotFound, ValidationError
from desk_league.services.common import check_version, get_live, saved_values


@dataclass
class ServiceRecordInput:
    volunteer_id: int
    served_on: date
    hours: float
    content: str = ""
    place: str = ""
    organiser: str = ""
    activity_id: int | None = None
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def lock_volunteers(session: Session, volunteer_ids: Iterable[int]) -> None:
    """Hold the volunteers' rows until the transaction ends, in id order (no deadlock between
    two PCs): their day totals cannot change meanwhile. PostgreSQL: SELECT … FOR UPDATE;
    SQLite: the transaction already holds the write lock."""
    ids = sorted(set(volunteer_ids))
    for start in range(0, len(ids), 1000):
        session.execute(
            select(Volunteer.id)
            .where(Volunteer.id.in_(ids[start : start + 1000]))
            .with_for_update()
        ).all()


class DuplicateRecord(NeedsConfirmation):
    """The volunteer already has a record of the same service that day; ``existing`` names it.
    Saved only when the clerk confirms it is a second service (``confirm_duplicate``)."""

    def __init__(self, name: str, day: date, existing: list[ServiceRecord]) -> None:
        self.existing_ids = [r.id for r in existing]
        lines = "；".join(
            f"“{r.content or '（未填服务内容）'}”{r.hours:g} 小时，"
            f"{ServiceStatus.label_of(r.status)}（记录编号 {r.id}"
            + (f"，录入人 {r.entered_by}" if r.entered_by else "")
            + "）"
            for r in existing
        )
        super().__init__(
            f"{name} {day:%Y-%m-%d} 已有相同的服务记录：{lines}。"
            "如确是同一天的另一次服务，请确认后再保存；否则不要重复录入。"
        )


def records_on_day(
    session: Session, volunteer_id: int, day: date, excluding: int | None = None
) -> list[ServiceRecord]:
    """The volunteer's records of that day that count (not voided)."""
    stmt = select(ServiceRecord).where(
        ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.served_on == day,
        ServiceRecord.status != ServiceStatus.VOID,
    )
    if excluding is not None:
        stmt = stmt.where(ServiceRecord.id != excluding)
    return list(session.scalars(stmt.order_by(ServiceRecord.id)))


def check_service_record(
    session: Session,
    data: ServiceRecordInput,
    *,
    today: date | None = None,
    excluding: int | None = None,
    confirm_duplicate: bool = False,
) -> Volunteer:
    """Every rule a record meets before it is saved; the volunteer it belongs to (its row
    locked until the transaction ends, so the day's records stay as they were checked)."""
    volunteer = get_live(session, Volunteer, data.volunteer_id, "志愿者")
    data.hours = validate_hours(data.hours)
    lock_volunteers(session, [data.volunteer_id])
    check_service_date(data.served_on, today or date.today(), volunteer.person.birth_date)
    same_day = records_on_day(session, data.volunteer_id, data.served_on, excluding)
    check_daily_hours(data.served_on, sum(r.hours for r in same_day), data.hours)
    twins = [
        r
        for r in same_day
        if same_service(r.activity_id, r.content, data.activity_id, data.content)
    ]
    if twins and not confirm_duplicate:
        raise DuplicateRecord(volunteer.person.name, data.served_on, twins)
    return volunteer


def add_service_record(
    session: Session,
    data: ServiceRecordInput,
    entered_by: str = "",
    *,
    today: date | None = None,
    confirm_duplicate: bool = False,
) -> ServiceRecord:
    """A new pending record, after the rules (hours > 0 in 0.5 steps, a past date on or after
    the 14th birthday, ≤ 24 hours a day, no second record of the same service unconfirmed)."""
    check_service_record(session, data, today=today, confirm_duplicate=confirm_duplicate)
    record = ServiceRecord(
        **saved_values(data), entered_by=entered_by or session.info.get("user", "")
    )
    session.add(record)
    session.flush()
    return record


def get_service_record(session: Session, record_id: int, *, lock: bool = False) -> ServiceRecord:
    """The record; with ``lock``, read afresh and held until the transaction ends."""
    if lock:
        stmt = (
            select(ServiceRecord)
            .where(ServiceRecord.id == record_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        record = session.scalar(stmt)
    else:
        record = session.get(ServiceRecord, record_id)
    if record is None:
        raise NotFound(f"找不到志愿服务记录（编号 {record_id}）。")
    return record


_record = get_service_record


def service_record_input(session: Session, record_id: int) -> ServiceRecordInput:
    """What the edit form shows for a record, with the version it saves over."""
    record = get_service_record(session, record_id)
    return ServiceRecordInput(
        record.volunteer_id,
        record.served_on,
        record.hours,
        record.content,
        record.place,
        record.organiser,
        record.activity_id,
        version=record.version,
    )


def update_service_record(
    session: Session,
    record_id: int,
    data: ServiceRecordInput,
    *,
    today: date | None = None,
    confirm_duplicate: bool = False,
) -> ServiceRecord:
    """Only a pending record can change; an approved one is voided and entered again."""
    record = _record(session, record_id, lock=True)
    if record.status != ServiceStatus.PENDING:
        raise Conflict(f"该记录{_now_is(record)}，不能修改；如有错误，请作废后重新录入。")
    check_version(record, data.version, "志愿服务记录")
    check_service_record(
        session, data, today=today, excluding=record_id, confirm_duplicate=confirm_duplicate
    )
    for key, value in saved_values(data).items():
        setattr(record, key, value)
    return record


def _now_is(record: ServiceRecord) -> str:
    """已审核 / 已作废（原因）, as the loser of a race is told."""
    label = ServiceStatus.label_of(record.status)
    if record.status == ServiceStatus.VOID and record.void_reason:
        return f"{label}（{record.void_reason}）"
    return label


def approve_service_records(
    session: Session, record_ids: Iterable[int], verified_by: str = ""
) -> int:
    """Approve pending records (bulk). Returns how many changed; others are left as they are.
    Each is read afresh and locked first, so one voided on another PC meanwhile stays void;
    when none of them could be approved, the clerk is told why."""
    now = datetime.now()
    changed = 0
    ids = sorted(set(record_ids))
    records = session.scalars(
        select(ServiceRecord)
        .where(ServiceRecord.id.in_(ids))
        .order_by(ServiceRecord.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for record in records:
        if record.status == ServiceStatus.PENDING:
            record.status, record.verified_at = ServiceStatus.APPROVED, now
            record.verified_by = verified_by or session.info.get("user", "")
            changed += 1
    if ids and not changed:
        states = "、".join(sorted({_now_is(r) for r in records})) or "已不存在"
        raise Conflict(f"所选记录{states}，没有可审核的记录（可能是其他电脑刚刚处理过）。")
    return changed


def void_service_record(session: Session, record_id: int, reason: str) -> ServiceRecord:
    if not reason.strip():
        raise ValidationError("作废记录须填写原因。", field="作废原因")
    record = _record(session, record_id, lock=True)
    if record.status == ServiceStatus.VOID:
        raise Conflict(f"该记录{_now_is(record)}（可能是其他电脑刚刚作废的）。")
    record.status, record.void_reason = ServiceStatus.VOID, reason.strip()
    return record
