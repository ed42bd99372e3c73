"""Volunteers and their service hours."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from desk_league.data.models import Organisation, Person, ServiceRecord, Volunteer
from desk_league.domain.stars import star_level
from desk_league.services.listing import ListColumn, Listing
from desk_league.services.settings import get_setting

SERVICE_STATUS_LABELS = {"pending": "待审核", "approved": "已审核", "void": "已作废"}


def _approved_hours(*extra):
    """Approved hours of the listed volunteer, as a correlated subquery (uses the volunteer index)."""
    return (
        select(func.coalesce(func.sum(ServiceRecord.hours), 0.0))
        .where(
            ServiceRecord.volunteer_id == Volunteer.id,
            ServiceRecord.status == "approved",
            *extra,
        )
        .correlate(Volunteer)
        .scalar_subquery()
    )


TOTAL_HOURS = _approved_hours()
HOURS_THIS_YEAR = _approved_hours(ServiceRecord.served_on >= date(date.today().year, 1, 1))

VOLUNTEERS = Listing(
    name="volunteers",
    columns=[
        ListColumn("id", "编号", Volunteer.id, "int", hidden=True),
        ListColumn("number", "志愿者编号", Volunteer.number, width=110),
        ListColumn("name", "姓名", Person.name, width=70),
        ListColumn("gender", "性别", Person.gender, width=45),
        ListColumn("id_number", "身份证号", Person.id_number, "id_number", width=160),
        ListColumn("phone", "联系电话", Person.phone, "phone", width=105),
        ListColumn("unit", "单位", Organisation.unit, width=130),
        ListColumn("department", "科室", Person.department, width=80),
        ListColumn("team", "服务队", Volunteer.team, width=80),
        ListColumn("registered_on", "注册日期", Volunteer.registered_on, "date", width=90),
        ListColumn("status", "状态", Volunteer.status, width=50),
        ListColumn("total_hours", "累计时长", TOTAL_HOURS, "hours", width=70),
        ListColumn("year_hours", "本年时长", HOURS_THIS_YEAR, "hours", width=70),
    ],
    base=select(Volunteer)
    .join(Person, Volunteer.person_id == Person.id)
    .outerjoin(Organisation, Person.organisation_id == Organisation.id)
    .where(Volunteer.deleted_at.is_(None)),
    search=[Person.name, Volunteer.number, Person.id_number, Person.phone],
    filters={
        "unit": lambda unit: Organisation.unit == unit,
        "team": lambda team: Volunteer.team == team,
        "status": lambda status: Volunteer.status == status,
    },
    default_sort=[Volunteer.number],
)

def _records_of_volunteers_matching(word: str):
    """Find the volunteers first (10,000 rows), then their records through the index."""
    pattern = f"%{word}%"
    volunteers = (
        select(Volunteer.id)
        .join(Person, Volunteer.person_id == Person.id)
        .where(or_(Person.name.ilike(pattern), Volunteer.number.ilike(pattern)))
    )
    return ServiceRecord.volunteer_id.in_(volunteers)


SERVICE_RECORDS = Listing(
    name="service_records",
    columns=[
        ListColumn("id", "编号", ServiceRecord.id, "int", hidden=True),
        ListColumn("served_on", "服务日期", ServiceRecord.served_on, "date", width=90),
        ListColumn("name", "姓名", Person.name, width=70),
        ListColumn("number", "志愿者编号", Volunteer.number, width=110),
        ListColumn("unit", "单位", Organisation.unit, width=130),
        ListColumn("content", "服务内容", ServiceRecord.content, width=200),
        ListColumn("place", "服务地点", ServiceRecord.place, width=120),
        ListColumn("hours", "时长(小时)", ServiceRecord.hours, "hours", width=70),
        ListColumn("status", "状态", ServiceRecord.status, width=60, labels=SERVICE_STATUS_LABELS),
    ],
    base=select(ServiceRecord)
    .join(Volunteer, ServiceRecord.volunteer_id == Volunteer.id)
    .join(Person, Volunteer.person_id == Person.id)
    .outerjoin(Organisation, Person.organisation_id == Organisation.id),
    search_word=_records_of_volunteers_matching,
    filters={
        "status": lambda status: ServiceRecord.status == status,
        "volunteer_id": lambda vid: ServiceRecord.volunteer_id == vid,
        "year": lambda year: and_(
            ServiceRecord.served_on >= date(int(year), 1, 1),
            ServiceRecord.served_on <= date(int(year), 12, 31),
        ),
    },
    default_sort=[ServiceRecord.served_on.desc(), ServiceRecord.id.desc()],
)



def volunteer_star(session: Session, hours: float) -> int:
    return star_level(hours, tuple(get_setting(session, "star_thresholds")))
