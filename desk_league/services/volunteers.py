"""Volunteers (志愿者): the register, their numbers, teams, star levels and the Excel registers."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from desk_league.data.constraints import VOLUNTEER_NUMBER
from desk_league.data.models import Organisation, Person, ServiceRecord, Volunteer
from desk_league.domain.codes import PoliticalStatus, ServiceStatus, VolunteerStatus
from desk_league.domain.id_number import normalize_id_number
from desk_league.domain.names import STROKES, name_key
from desk_league.domain.stars import (
    DEFAULT_STAR_THRESHOLDS,
    star_label,
    star_level,
    validate_thresholds,
)
from desk_league.domain.volunteering import check_guardian_consent, check_registration_age
from desk_league.errors import Conflict, NotFound, ValidationError
from desk_league.exports.register import Column, TotalsBy, write_register, write_workbook
from desk_league.services import figures
from desk_league.services.common import get_live, get_to_save, with_fresh_number
from desk_league.services.figures import Period
from desk_league.services.listing import ListColumn, Listing, ListQuery
from desk_league.services.people import (
    PersonInput,
    create_person,
    person_by_id_number,
    person_input,
    update_person,
    validate_person,
)
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register, person_order
from desk_league.services.settings import get_setting, numbering, set_setting

GUARDIAN_LABELS = {True: "已同意", False: ""}
STAR_LABELS = {0: "", 1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}


def _approved_hours(*extra):
    """Approved hours of the listed volunteer, as a correlated subquery (uses the volunteer index)."""
    return (
        select(func.coalesce(func.sum(ServiceRecord.hours), 0.0))
        .where(
            ServiceRecord.volunteer_id == Volunteer.id,
            ServiceRecord.status == ServiceStatus.APPROVED,
            *extra,
        )
        .correlate(Volunteer)
        .scalar_subquery()
    )


TOTAL_HOURS = _approved_hours()
HOURS_THIS_YEAR = _approved_hours(ServiceRecord.served_on >= date(date.today().year, 1, 1))


def star_expression(thresholds: Sequence[float]):
    """The star level in SQL, so the list can sort and filter on it (thresholds are a setting)."""
    whens = [
        (float(t) <= TOTAL_HOURS, level) for level, t in reversed(list(enumerate(thresholds, 1)))
    ]
    return case(*whens, else_=literal(0))


def _star_range(total_hours, thresholds: Sequence[float], level: int):
    """Hours within one star level: two comparisons rather than the whole CASE."""
    low = float(thresholds[level - 1]) if level > 0 else None
    high = float(thresholds[level]) if level < len(thresholds) else None
    clauses = [
        c
        for c in (
            total_hours >= low if low is not None else None,
            total_hours < high if high is not None else None,
        )
        if c is not None
    ]
    return and_(*clauses)


@functools.lru_cache(maxsize=8)
def volunteer_listing(thresholds: tuple[float, ...] = DEFAULT_STAR_THRESHOLDS) -> Listing:
    """The register list for the office's star thresholds (read them with ``star_thresholds``)."""
    stars = star_expression(thresholds)
    return Listing(
        name="volunteers",
        columns=[
            ListColumn("id", "编号", Volunteer.id, "int", hidden=True),
            ListColumn("number", "志愿者编号", Volunteer.number, width=110),
            ListColumn("name", "姓名", Person.name, width=70, sort_expr=Person.name_pinyin),
            ListColumn("gender", "性别", Person.gender, width=45, sortable=False),
            ListColumn("id_type", "证件类型", Person.id_type, hidden=True),
            ListColumn(
                "id_number", "身份证号", Person.id_number, "id_number", width=160, sortable=False
            ),
            ListColumn("birth_date", "出生日期", Person.birth_date, "date", hidden=True),
            ListColumn("phone", "联系电话", Person.phone, "phone", width=105, sortable=False),
            ListColumn("unit", "单位", Organisation.unit, width=130, sortable=False),
            ListColumn("department", "科室", Person.department, width=80, sortable=False),
            ListColumn(
                "political_status",
                "政治面貌",
                Person.political_status,
                width=96,  # 中共预备党员 whole
                labels=PoliticalStatus.labels(),
                sortable=False,
            ),
            ListColumn("team", "服务队", Volunteer.team, width=80),
            ListColumn("skills", "特长", Volunteer.skills, hidden=True),
            ListColumn("registered_on", "注册日期", Volunteer.registered_on, "date", width=90),
            ListColumn(
                "status", "状态", Volunteer.status, width=50, labels=VolunteerStatus.labels()
            ),
            ListColumn(
                "guardian_consent",
                "监护人同意",
                Volunteer.guardian_consent,
                width=70,
                hidden=True,
                labels=GUARDIAN_LABELS,
            ),
            # sums over each volunteer's records: no index can order 100,000 of them
            ListColumn("total_hours", "累计时长", TOTAL_HOURS, "hours", width=70, sortable=False),
            ListColumn(
                "year_hours", "本年时长", HOURS_THIS_YEAR, "hours", width=70, sortable=False
            ),
            ListColumn("stars", "星级", stars, "int", width=55, labels=STAR_LABELS, sortable=False),
        ],
        base=select(Volunteer)
        .join(Person, Volunteer.person_id == Person.id)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
        .where(Volunteer.deleted_at.is_(None)),
        search=[Person.name, Volunteer.number, Person.id_number, Person.phone, Volunteer.skills],
        filters={
            "unit": lambda unit: Organisation.unit == unit,
            "team": lambda team: Volunteer.team == team,
            "status": lambda status: Volunteer.status == status,
            "stars": lambda level: _star_range(TOTAL_HOURS, thresholds, int(level)),
        },
        default_sort=[Volunteer.number],
    )


VOLUNTEERS = volunteer_listing()


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
        # the volunteer's columns would sort 1,000,000 records through a join: not offered
        ListColumn("name", "姓名", Person.name, width=70, sortable=False),
        ListColumn("number", "志愿者编号", Volunteer.number, width=110, sortable=False),
        ListColumn("unit", "单位", Organisation.unit, width=130, sortable=False),
        ListColumn("content", "服务内容", ServiceRecord.content, width=200, sortable=False),
        ListColumn("place", "服务地点", ServiceRecord.place, width=120),
        ListColumn("organiser", "组织单位", ServiceRecord.organiser, width=120),
        ListColumn("hours", "时长(小时)", ServiceRecord.hours, "hours", width=70),
        ListColumn("status", "状态", ServiceRecord.status, width=60, labels=ServiceStatus.labels()),
        ListColumn("entered_by", "录入人", ServiceRecord.entered_by, width=80, sortable=False),
        ListColumn("verified_by", "审核人", ServiceRecord.verified_by, width=80, sortable=False),
        ListColumn("void_reason", "作废原因", ServiceRecord.void_reason, width=120, sortable=False),
    ],
    # outer joins, though every record has its volunteer and person (NOT NULL references):
    # a count that names none of their columns skips them on both engines. Records of
    # volunteers in the recycle bin go with them (and leave the figures with them), asked of
    # the few deleted volunteers rather than of a join
    base=select(ServiceRecord)
    .outerjoin(Volunteer, ServiceRecord.volunteer_id == Volunteer.id)
    .outerjoin(Person, Volunteer.person_id == Person.id)
    .outerjoin(Organisation, Person.organisation_id == Organisation.id)
    .where(
        ServiceRecord.volunteer_id.not_in(
            select(Volunteer.id).where(Volunteer.deleted_at.is_not(None))
        )
    ),
    search_word=_records_of_volunteers_matching,
    filters={
        "status": lambda status: ServiceRecord.status == status,
        "volunteer_id": lambda vid: ServiceRecord.volunteer_id == vid,
        "unit": lambda unit: Organisation.unit == unit,
        "year": lambda year: and_(
            ServiceRecord.served_on >= date(int(year), 1, 1),
            ServiceRecord.served_on <= date(int(year), 12, 31),
        ),
    },
    default_sort=[ServiceRecord.served_on.desc(), ServiceRecord.id.desc()],
)


def star_thresholds(session: Session) -> tuple[float, ...]:
    return tuple(float(t) for t in get_setting(session, "star_thresholds"))


def save_star_thresholds(session: Session, values: Sequence[object]) -> tuple[float, ...]:
    """Check and save the five thresholds (hours for one to five stars)."""
    thresholds = validate_thresholds(values)
    set_setting(session, "star_thresholds", list(thresholds))
    return thresholds


def team_names(session: Session) -> list[str]:
    """The service teams offered in forms: the setting, plus any team already in use."""
    teams = list(get_setting(session, "volunteer_teams"))
    used = session.scalars(
        select(Volunteer.team)
        .where(Volunteer.team != "")
        .group_by(Volunteer.team)
        .order_by(Volunteer.team)
    )
    return teams + [t for t in used if t not in teams]


# --- the register ---------------------------------------------------------------------------


@dataclass
class VolunteerInput:
    person: PersonInput
    number: str = ""  # "" = the next number of the office's pattern
    registered_on: date | None = None  # None = today
    team: str = ""
    skills: str = ""
    status: str = VolunteerStatus.ACTIVE
    note: str = ""
    guardian_consent: bool = False  # under 18 at registration: the guardian's consent is on file
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def next_volunteer_number(session: Session, year: int) -> str:
    """The next free number of the pattern (setting ``volunteer_number_pattern``) for ``year``."""
    numbers = numbering(session, "volunteer_number_pattern")
    taken = set(
        session.scalars(
            select(Volunteer.number).where(Volunteer.number.startswith(numbers.prefix(year)))
        )
    )
    seq = len(taken) + 1
    while (number := numbers.number(year, seq)) in taken:
        seq += 1
    return number


def _check_volunteer(
    session: Session,
    data: VolunteerInput,
    volunteer_id: int | None,
    registered_on: date,
    today: date,
) -> None:
    """The register's rules: a free number, a known status, 14 or older on the day of
    registration, and a guardian's consent on file for one still under 18."""
    data.status = VolunteerStatus.parse(data.status)
    if data.number:
        other = session.scalar(select(Volunteer).where(Volunteer.number == data.number))
        if other is not None and other.id != volunteer_id:
            raise Conflict(f"志愿者编号 {data.number} 已被“{other.person.name}”使用。")
    if registered_on > today:
        raise ValidationError(f"注册日期 {registered_on:%Y-%m-%d} 晚于今天。", field="注册日期")
    birth = validate_person(data.person, today).birth_date
    check_registration_age(birth, registered_on)
    check_guardian_consent(birth, today, data.guardian_consent)


def register_volunteer(
    session: Session, data: VolunteerInput, today: date | None = None
) -> Volunteer:
    """A new volunteer; a person already on file (same ID number) is linked, not duplicated."""
    today = today or date.today()
    data.number = data.number.strip()
    registered = data.registered_on or today
    _check_volunteer(session, data, None, registered, today)
    existing = person_by_id_number(session, _normalised_id(data.person))
    if existing is not None and existing.deleted_at is None:
        already = session.scalar(select(Volunteer).where(Volunteer.person_id == existing.id))
        if already is not None:
            raise Conflict(f"“{existing.name}”已是注册志愿者（编号 {already.number}）。")
        person = update_person(session, existing.id, data.person, today)
    else:
        person = create_person(session, data.person, today)

    def add() -> Volunteer:
        volunteer = Volunteer(
            person_id=person.id,
            number=data.number or next_volunteer_number(session, registered.year),
            registered_on=registered,
            team=data.team.strip(),
            skills=data.skills.strip(),
            status=data.status,
            guardian_consent=data.guardian_consent,
            note=data.note,
        )
        session.add(volunteer)
        session.flush()
        return volunteer

    if data.number:  # the clerk's own number: taken meanwhile is a conflict to tell
        return add()
    return with_fresh_number(session, add, VOLUNTEER_NUMBER)  # another PC drew it: draw again


def register_people_as_volunteers(
    session: Session, person_ids: Sequence[int], today: date | None = None
) -> list[Volunteer]:
    """People already on file (an activity's participants) registered as volunteers, numbered
    by the office's pattern; nothing about them is typed again. Those already volunteers are
    left as they are."""
    today = today or date.today()
    created = []
    for person_id in dict.fromkeys(person_ids):
        person = get_live(session, Person, person_id, "人员")
        if session.scalar(select(Volunteer.id).where(Volunteer.person_id == person.id)):
            continue

        def add(person_id: int = person.id) -> Volunteer:
            volunteer = Volunteer(
                person_id=person_id,
                number=next_volunteer_number(session, today.year),
                registered_on=today,
                status=VolunteerStatus.ACTIVE,
            )
            session.add(volunteer)
            session.flush()
            return volunteer

        created.append(with_fresh_number(session, add, VOLUNTEER_NUMBER))
    return created


def update_volunteer(
    session: Session, volunteer_id: int, data: VolunteerInput, today: date | None = None
) -> Volunteer:
    today = today or date.today()
    volunteer = get_to_save(session, Volunteer, volunteer_id, data.version, "志愿者")
    data.number = data.number.strip() or volunteer.number
    registered = data.registered_on or volunteer.registered_on or today
    _check_volunteer(session, data, volunteer_id, registered, today)
    update_person(session, volunteer.person_id, data.person, today)
    volunteer.number, volunteer.registered_on = data.number, registered
    volunteer.team, volunteer.skills = data.team.strip(), data.skills.strip()
    volunteer.status, volunteer.note = data.status, data.note
    volunteer.guardian_consent = data.guardian_consent
    return volunteer


def volunteer_input(session: Session, volunteer_id: int) -> VolunteerInput:
    """What the edit form shows for a volunteer."""
    volunteer = get_live(session, Volunteer, volunteer_id, "志愿者")
    return VolunteerInput(
        person=person_input(volunteer.person),
        number=volunteer.number,
        registered_on=volunteer.registered_on,
        team=volunteer.team,
        skills=volunteer.skills,
        status=volunteer.status,
        note=volunteer.note,
        guardian_consent=volunteer.guardian_consent,
        version=volunteer.version,
    )


def find_volunteer(session: Session, key: str | int) -> Volunteer:
    """A volunteer by number (WJ202500012), by ID number, or by the database id."""
    text = str(key).strip()
    stmt = select(Volunteer).join(Person).where(Volunteer.deleted_at.is_(None))
    found = session.scalar(stmt.where(Volunteer.number == text))
    found = found or session.scalar(stmt.where(Person.id_number == text.upper()))
    if found is None and text.isdigit() and len(text) < 10:
        found = session.scalar(stmt.where(Volunteer.id == int(text)))
    if found is None:
        raise NotFound(f"找不到志愿者“{text}”（可输入志愿者编号或身份证号）。")
    return found


def _normalised_id(person: PersonInput) -> str:
    return normalize_id_number(person.id_number) if person.id_number else ""


# --- registers (Excel) ------------------------------------------------------------------------

ROSTER_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("number", "志愿者编号", 14, "code"),
    Column("name", "姓名", 9),
    Column("gender", "性别", 5),
    Column("id_number", "身份证号", 21, "id_number"),
    Column("phone", "联系电话", 13, "phone"),
    Column("unit", "单位", 20),
    Column("department", "科室", 10),
    Column("political_status", "政治面貌", 10),
    Column("team", "服务队", 10),
    Column("registered_on", "注册日期", 11, "date"),
    Column("status", "状态", 6),
    # read back by the import: a minor's consent survives a roster's round trip
    Column("guardian_consent", "监护人同意", 7),
    Column("total_hours", "累计时长", 9, "hours", total=True),
    Column("star", "星级", 8),
]


def _numbered(rows, thresholds: Sequence[float]):
    for seq, row in enumerate(rows, start=1):
        row["seq"] = seq
        row["star"] = star_label(star_level(row.get("total_hours") or 0, thresholds))
        yield row


def export_volunteer_roster(
    session: Session,
    path: str | Path,
    query: ListQuery | None = None,
    *,
    mask_ids: bool = True,
    order: str = STROKES,
    today: date | None = None,
    progress: Progress | None = None,
) -> Path:
    """志愿者花名册 of the listed volunteers (the tab's filters), ID numbers masked by default,
    by 姓氏笔画 (``order``: STROKES, PINYIN, or LIST_ORDER for the list's own order)."""
    thresholds = star_thresholds(session)
    rows = volunteer_listing(thresholds).iter_rows(
        session,
        query or ListQuery(),
        order_by=person_order(order),
        labelled=True,
        keys={c.key for c in ROSTER_COLUMNS},  # the star from total_hours, in _numbered
    )
    register = office_register(
        session, "青年志愿者花名册", ROSTER_COLUMNS, today=today, mask_ids=mask_ids
    )
    return write_register(path, register, _numbered(rows, thresholds), progress=progress)


RECORD_COLUMNS = [
    Column("served_on", "服务日期", 11, "date"),
    Column("number", "志愿者编号", 14, "code"),
    Column("name", "姓名", 9),
    Column("unit", "单位", 20),
    Column("content", "服务内容", 26),
    Column("place", "服务地点", 22),
    Column("organiser", "组织单位", 22),
    Column("hours", "时长(小时)", 9, "hours", total=True),
    Column("status", "状态", 8),
]


def export_service_records_register(
    session: Session,
    path: str | Path,
    query: ListQuery | None = None,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> Path:
    """志愿服务记录明细: every listed record (100,000 of them stream through). 合计 adds the
    approved hours only; pending and voided ones get a line each under it."""
    query = query or ListQuery()
    year = query.filters.get("year")
    register = office_register(
        session,
        f"{year}年志愿服务记录明细表" if year else "志愿服务记录明细表",
        RECORD_COLUMNS,
        today=today,
        notes=[figures.scope("hours")],
        totals_by=TotalsBy("status", (ServiceStatus.APPROVED.label,)),
    )
    rows = SERVICE_RECORDS.iter_rows(session, query, labelled=True)
    return write_register(path, register, rows, progress=progress)


PER_VOLUNTEER_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("number", "志愿者编号", 14, "code"),
    Column("name", "姓名", 9),
    Column("unit", "单位", 22),
    Column("team", "服务队", 10),
    Column("times", "服务次数", 9, "int", total=True),
    Column("hours", "本年服务时长", 12, "hours", total=True),
    Column("total_hours", "累计时长", 10, "hours", total=True),
    Column("star", "星级", 8),
]
PER_UNIT_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("unit", "单位", 28),
    Column("volunteers", "参与志愿者(人)", 14, "int", total=True),
    Column("times", "服务人次", 10, "int", total=True),
    Column("hours", "服务时长(小时)", 14, "hours", total=True),
]
UNDER_HOURS_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("number", "志愿者编号", 14, "code"),
    Column("name", "姓名", 9),
    Column("unit", "单位", 22),
    Column("team", "服务队", 10),
    Column("times", "服务次数", 9, "int"),
    Column("hours", "本年服务时长", 12, "hours"),
]


@dataclass
class HoursStatistics:
    """The rows of 志愿服务时长统计: per volunteer who served, per unit, and the registered
    volunteers under the yearly minimum (all from ``figures.volunteer_facts``)."""

    volunteers: list[dict]
    units: list[dict]
    under: list[dict]
    minimum: float


def hours_statistics(
    session: Session, year: int, order: str = STROKES, today: date | None = None
) -> HoursStatistics:
    """Approved hours of ``year`` per volunteer (by unit, then by name in ``order``), per unit,
    and those under the yearly minimum: the figures of the annual workbook, row by row."""
    period = Period.year(year)
    today = today or date.today()
    facts = figures.volunteer_facts(session, period, today)
    thresholds = star_thresholds(session)
    cumulative = dict(
        session.execute(
            select(ServiceRecord.volunteer_id, func.sum(ServiceRecord.hours))
            .where(
                ServiceRecord.status == ServiceStatus.APPROVED,
                ServiceRecord.served_on <= period.as_of(today),
            )
            .group_by(ServiceRecord.volunteer_id)
        ).all()
    )
    rank = {unit: i for i, unit in enumerate(figures.unit_order(session))}

    def by_unit_and_name(fact: figures.VolunteerFact):
        return (rank.get(fact.unit, len(rank)), fact.unit, name_key(fact.name, order), fact.number)

    volunteers = []
    units: dict[str, dict] = {}
    for seq, fact in enumerate(sorted((f for f in facts if f.served), key=by_unit_and_name), 1):
        total = float(cumulative.get(fact.id) or 0.0)
        volunteers.append(
            {
                "seq": seq,
                "number": fact.number,
                "name": fact.name,
                "unit": fact.unit,
                "team": fact.team,
                "times": fact.records,
                "hours": fact.hours,
                "total_hours": round(total, 1),
                "star": star_label(star_level(total, thresholds)),
            }
        )
        unit = units.setdefault(
            fact.unit, {"unit": fact.unit, "volunteers": 0, "times": 0, "hours": 0.0}
        )
        unit["volunteers"] += 1
        unit["times"] += fact.records
        unit["hours"] = round(unit["hours"] + fact.hours, 1)
    per_unit = sorted(units.values(), key=lambda u: -u["hours"])
    for seq, row in enumerate(per_unit, start=1):
        row["seq"] = seq
    minimum = figures.min_yearly_hours(session)
    under = [
        {
            "seq": seq,
            "number": f.number,
            "name": f.name,
            "unit": f.unit,
            "team": f.team,
            "times": f.records,
            "hours": f.hours,
        }
        for seq, f in enumerate(
            sorted(figures.under_hours(facts, minimum), key=by_unit_and_name), start=1
        )
    ]
    return HoursStatistics(volunteers, per_unit, under, minimum)


def export_hours_statistics(
    session: Session,
    path: str | Path,
    year: int,
    *,
    order: str = STROKES,
    today: date | None = None,
    progress: Progress | None = None,
) -> Path:
    """志愿服务时长统计 of a year: a sheet per volunteer and one per unit, each with 合计, and
    the registered volunteers under the yearly minimum."""
    today = today or date.today()
    stats = hours_statistics(session, year, order, today)
    hours_scope = figures.scope("hours")

    def sheet(title: str, columns: list[Column], name: str, *notes: str):
        return office_register(
            session, f"{year}年度{title}", columns, today=today, sheet_name=name, notes=notes
        )

    sheets = [
        (
            sheet("志愿服务时长统计表（按志愿者）", PER_VOLUNTEER_COLUMNS, "按志愿者", hours_scope),
            stats.volunteers,
        ),
        (
            sheet("志愿服务时长统计表（按单位）", PER_UNIT_COLUMNS, "按单位", hours_scope),
            stats.units,
        ),
        (
            sheet(
                f"服务时长不足{stats.minimum:g}小时的{VolunteerStatus.ACTIVE.label}志愿者名单",
                UNDER_HOURS_COLUMNS,
                f"不足{stats.minimum:g}小时",
                figures.scope("under_hours", session),
                f"共{len(stats.under)}名。",
            ),
            stats.under,
        ),
    ]
    return write_workbook(path, sheets, progress=progress)
