"""People (人员): the one place a person's identity is checked before it is saved.

A person is one record whatever roles they hold: 团员 and 团干部 (services/members.py),
volunteer, honour recipient, 推优 candidate, activity participant. Each of those services calls
``create_person`` / ``update_person`` (or ``person_for``, which finds the person an ID number
already names), so the ID-number, phone and date rules hold everywhere and nobody is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import case, exists, func, insert, literal, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import LeagueMember, LeaguePost, Organisation, Person, Volunteer
from desk_league.domain.codes import Education, MemberStatus, PoliticalStatus
from desk_league.domain.ethnicity import parse_ethnicity
from desk_league.domain.gender import GENDER_PROBLEM, GENDERS
from desk_league.domain.id_number import (
    ID_TYPES,
    RESIDENT_ID,
    check_id_matches,
    mask_id_number,
    parse_id_number,
    validate_id,
)
from desk_league.domain.names import PINYIN, STROKES, name_key
from desk_league.domain.phone import validate_phone
from desk_league.errors import Conflict, ValidationError
from desk_league.services.common import bulk_insert, get_live, get_to_save, saved_values
from desk_league.services.listing import ListColumn, Listing

NAME_MAX = 50


@dataclass
class PersonInput:
    name: str
    id_type: str = RESIDENT_ID
    id_number: str = ""
    gender: str = ""  # "" = read from the resident ID
    birth_date: date | None = None  # None = read from the resident ID
    phone: str = ""
    organisation_id: int | None = None
    department: str = ""
    political_status: str = ""  # PoliticalStatus (a label or an alias is read too)
    league_joined_on: date | None = None
    note: str = ""
    ethnicity: str = ""  # 汉族 (汉 is read as 汉族)
    education: str = ""  # Education
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def validate_person(data: PersonInput, today: date | None = None) -> PersonInput:
    """The input checked and normalised; birth date and gender filled in from a resident ID."""
    today = today or date.today()
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError("请填写姓名。", field="姓名")
    if len(name) > NAME_MAX:
        raise ValidationError(f"姓名不应超过{NAME_MAX}个字。", field="姓名")
    if data.id_type not in ID_TYPES:
        raise ValidationError(f"证件类型应为：{'、'.join(ID_TYPES)}", field="证件类型")
    if data.gender and data.gender not in GENDERS:
        raise ValidationError(f"{GENDER_PROBLEM}。", field="性别")
    clean = replace(
        data,
        name=name,
        department=data.department.strip(),
        political_status=_code(PoliticalStatus, data.political_status, "政治面貌"),
        education=_code(Education, data.education, "学历"),
        ethnicity=parse_ethnicity(data.ethnicity),
    )
    clean.id_number = validate_id(data.id_type, data.id_number) if data.id_number.strip() else ""
    if clean.id_number and data.id_type == RESIDENT_ID:
        info = parse_id_number(clean.id_number, today)
        check_id_matches(info, data.birth_date, data.gender or None)
        clean.birth_date, clean.gender = info.birth_date, info.gender
    if clean.birth_date and clean.birth_date > today:
        raise ValidationError("出生日期不能晚于今天。", field="出生日期")
    clean.phone = validate_phone(data.phone) if data.phone.strip() else ""
    if clean.league_joined_on and clean.league_joined_on > today:
        raise ValidationError("入团日期不能晚于今天。", field="入团日期")
    return clean


def _code(codes: type[PoliticalStatus] | type[Education], text: str, field: str) -> str:
    value = (text or "").strip()
    return codes.parse(value, field=field).value if value else ""


def person_by_id_number(session: Session, id_number: str) -> Person | None:
    """The person holding this ID number, in the recycle bin or not (the number is unique)."""
    if not id_number:
        return None
    return session.scalar(select(Person).where(Person.id_number == id_number))


def _check_unique(session: Session, data: PersonInput, person_id: int | None) -> None:
    other = person_by_id_number(session, data.id_number)
    if other is not None and other.id != person_id:
        where = "（在回收站中，可先恢复）" if other.deleted_at else ""
        raise Conflict(
            f"证件号码 {mask_id_number(data.id_number)} 已登记为“{other.name}”{where}，不能重复登记。"
        )


def person_for(session: Session, data: PersonInput, today: date | None = None) -> Person:
    """The person ``data`` describes: the one already on file under its ID number (updated with
    what was typed), else a new one. How every role (团员, volunteer …) finds its person."""
    id_number = validate_person(data, today).id_number
    existing = person_by_id_number(session, id_number)
    if existing is not None and existing.deleted_at is None:
        return update_person(session, existing.id, data, today)
    return create_person(session, data, today)


def create_person(session: Session, data: PersonInput, today: date | None = None) -> Person:
    clean = validate_person(data, today)
    if clean.organisation_id is not None:
        get_live(session, Organisation, clean.organisation_id, "单位团组织")
    _check_unique(session, clean, None)
    person = Person(**_columns(clean))
    session.add(person)
    session.flush()
    return person


def update_person(
    session: Session, person_id: int, data: PersonInput, today: date | None = None
) -> Person:
    person = get_to_save(session, Person, person_id, data.version, "人员")
    clean = validate_person(data, today)
    if clean.organisation_id is not None:
        get_live(session, Organisation, clean.organisation_id, "单位团组织")
    _check_unique(session, clean, person_id)
    for key, value in _columns(clean).items():
        setattr(person, key, value)
    return person


def person_input(person: Person) -> PersonInput:
    """What a form shows for an existing person."""
    values: dict[str, Any] = {key: getattr(person, key) or _EMPTY.get(key) for key in _FIELDS}
    return PersonInput(**values)


_FIELDS = tuple(PersonInput.__dataclass_fields__)
_EMPTY = {
    "id_number": "",
    "phone": "",
    "department": "",
    "political_status": "",
    "note": "",
    "gender": "",
    "ethnicity": "",
    "education": "",
}


def _columns(data: PersonInput) -> dict:
    values = saved_values(data)
    values["id_number"] = values["id_number"] or None  # NULLs never clash in the unique index
    values.update(name_sort_keys(data.name))
    return values


def name_sort_keys(name: str) -> dict[str, str]:
    """The person columns that order lists by name (pinyin) and registers by 姓氏笔画."""
    return {"name_pinyin": name_key(name, PINYIN), "name_strokes": name_key(name, STROKES)}


def insert_people(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Many new people at once (a roster's): their rows (name sort keys added here) inserted
    in batches of many rows a statement; returns their new ids, in the order of ``rows``.

    Rows with an ID number come back matched by it (unique). Asking for the ids in the rows'
    order instead would make SQLite insert one row a statement (it cannot tell which new id
    belongs to which row of a batch): 10,000 statements for a 10,000-row roster. The few rows
    without an ID number go that way, in order. The statements run on the session's
    connection (``bulk_insert``)."""
    values = [row | name_sort_keys(row["name"]) for row in rows]
    numbered = [v for v in values if v["id_number"]]
    unnumbered = [v for v in values if not v["id_number"]]
    by_number: dict[str | None, int] = {}
    if numbered:
        returned = bulk_insert(
            session, insert(Person).returning(Person.id_number, Person.id), numbered
        )
        by_number.update((id_number, person_id) for id_number, person_id in returned)
    in_order = iter(
        bulk_insert(
            session, insert(Person).returning(Person.id, sort_by_parameter_order=True), unnumbered
        )
        .scalars()
        .all()
        if unnumbered
        else ()
    )
    return [by_number[v["id_number"]] if v["id_number"] else next(in_order) for v in values]


def unit_organisations(session: Session) -> dict[str, int]:
    """Unit name (and organisation name) → the organisation people of that unit belong to.

    A unit may have a 团委 and several 团支部; people are filed under its first, highest one.
    """
    rows = session.execute(
        select(Organisation.id, Organisation.unit, Organisation.name)
        .where(Organisation.deleted_at.is_(None))
        .order_by(Organisation.id)
    )
    units: dict[str, int] = {}
    for org_id, unit, name in rows:
        for key in (unit, name):
            if key and key not in units:
                units[key] = org_id
    return units


# --- everyone, with their roles (the participants of an activity are picked from here) --------

_person_org = aliased(Organisation)
IS_MEMBER = exists().where(
    LeagueMember.person_id == Person.id,
    LeagueMember.deleted_at.is_(None),
    LeagueMember.status == MemberStatus.ACTIVE,
)
IS_CADRE = exists().where(LeaguePost.person_id == Person.id, LeaguePost.ended_on.is_(None))
IS_VOLUNTEER = exists().where(Volunteer.person_id == Person.id, Volunteer.deleted_at.is_(None))
ROLES = func.trim(
    case((IS_MEMBER, literal("团员 ")), else_=literal(""))
    + case((IS_CADRE, literal("团干部 ")), else_=literal(""))
    + case((IS_VOLUNTEER, literal("志愿者")), else_=literal(""))
)

PEOPLE = Listing(
    name="people",
    columns=[
        ListColumn("id", "编号", Person.id, "int", hidden=True),
        ListColumn("name", "姓名", Person.name, width=70, sort_expr=Person.name_pinyin),
        ListColumn("gender", "性别", Person.gender, width=40),
        ListColumn("organisation", "所在团组织", _person_org.name, width=200),
        ListColumn("department", "科室", Person.department, width=90),
        ListColumn(
            "political_status",
            "政治面貌",
            Person.political_status,
            width=90,
            labels=PoliticalStatus.labels(),
        ),
        ListColumn("roles", "身份", ROLES, width=150),
    ],
    base=select(Person)
    .outerjoin(_person_org, Person.organisation_id == _person_org.id)
    .where(Person.deleted_at.is_(None)),
    search=[Person.name, Person.department, _person_org.name],
    filters={
        "organisation_ids": lambda ids: Person.organisation_id.in_(list(ids)),
        "members": lambda on: IS_MEMBER if on else None,
    },
    default_sort=[Person.name_pinyin, Person.id],
)
