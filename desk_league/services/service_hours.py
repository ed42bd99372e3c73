"""Volunteer service records: entered pending, approved (then locked), or voided with a reason.

Records are never deleted. Hours and star levels count approved records only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_league.data.models import ServiceRecord, Volunteer
from desk_league.domain.codes import ServiceStatus
from desk_league.domain.stars import MAX_HOURS_PER_RECORD, validate_hours
from desk_league.errors import Conflict, NotFound, ValidationError
from desk_league.services.common import get_live


@dataclass
class ServiceRecordInput:
    volunteer_id: int
    served_on: date
    hours: float
    content: str = ""
    place: str = ""
    organiser: str = ""
    activity_id: int | None = None


def _hours_on_day(
    session: Session, volunteer_id: int, day: date, excluding: int | None = None
) -> float:
    stmt = select(func.coalesce(func.sum(ServiceRecord.hours), 0.0)).where(
        ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.served_on == day,
        ServiceRecord.status != ServiceStatus.VOID,
    )
    if excluding is not None:
        stmt = stmt.where(ServiceRecord.id != excluding)
    return float(session.scalar(stmt) or 0)


def _check_day_total(
    session: Session, data: ServiceRecordInput, excluding: int | None = None
) -> None:
    already = _hours_on_day(session, data.volunteer_id, data.served_on, excluding)
    if already + data.hours > MAX_HOURS_PER_RECORD:
        raise ValidationError(
            f"{data.served_on:%Y-%m-%d} 已记录 {already:g} 小时，再加 {data.hours:g} 小时将超过每天 24 小时。",
            field="服务时长",
        )


def add_service_record(
    session: Session, data: ServiceRecordInput, entered_by: str = ""
) -> ServiceRecord:
    """A new pending record, after the hours rules (> 0, 0.5 steps, ≤ 24 a day per person)."""
    get_live(session, Volunteer, data.volunteer_id, "志愿者")
    data.hours = validate_hours(data.hours)
    _check_day_total(session, data)
    record = ServiceRecord(**vars(data), entered_by=entered_by or session.info.get("user", ""))
    session.add(record)
    session.flush()
    return record


def get_service_record(session: Session, record_id: int) -> ServiceRecord:
    record = session.get(ServiceRecord, record_id)
    if record is None:
        raise NotFound(f"找不到志愿服务记录（编号 {record_id}）。")
    return record


_record = get_service_record


def update_service_record(
    session: Session, record_id: int, data: ServiceRecordInput
) -> ServiceRecord:
    """Only a pending record can change; an approved one is voided and entered again."""
    record = _record(session, record_id)
    if record.status != ServiceStatus.PENDING:
        raise Conflict("已审核或已作废的记录不能修改；如有错误，请作废后重新录入。")
    data.hours = validate_hours(data.hours)
    _check_day_total(session, data, excluding=record_id)
    for key, value in vars(data).items():
        setattr(record, key, value)
    return record


def approve_service_records(
    session: Session, record_ids: Iterable[int], verified_by: str = ""
) -> int:
    """Approve pending records (bulk). Returns how many changed; others are left as they are."""
    now = datetime.now()
    changed = 0
    for record in session.scalars(
        select(ServiceRecord).where(ServiceRecord.id.in_(list(record_ids)))
    ):
        if record.status == ServiceStatus.PENDING:
            record.status, record.verified_at = ServiceStatus.APPROVED, now
            record.verified_by = verified_by or session.info.get("user", "")
            changed += 1
    return changed


def void_service_record(session: Session, record_id: int, reason: str) -> ServiceRecord:
    if not reason.strip():
        raise ValidationError("作废记录须填写原因。", field="作废原因")
    record = _record(session, record_id)
    if record.status == ServiceStatus.VOID:
        raise Conflict("该记录已作废。")
    record.status, record.void_reason = ServiceStatus.VOID, reason.strip()
    return record
