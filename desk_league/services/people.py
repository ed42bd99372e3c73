"""People (人员): the one place a person's identity is checked before it is saved.

Volunteers, honour recipients and league cadres are all people; each of those services calls
``create_person`` / ``update_person`` so the ID-number, phone and date rules hold everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_league.data.models import Organisation, Person
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
from desk_league.services.common import get_live, get_to_save, saved_values

GENDERS = ("男", "女")
POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "民主党派", "群众")
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
    political_status: str = ""
    league_joined_on: date | None = None
    league_post: str = ""
    note: str = ""
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
        raise ValidationError("性别应为“男”或“女”。", field="性别")
    clean = replace(
        data,
        name=name,
        department=data.department.strip(),
        political_status=data.political_status.strip(),
    )
    clean.id_number = validate_id(data.id_type, data.id_number) if data.id_number.strip() else ""
    if clean.id_number and data.id_type == RESIDENT_ID:
        info = parse_id_number(clean.id_number, today)
        check_id_matches(info, data.birth_date, data.gender or None)
        clean.birth_date, clean.gender = info.birth_date, info.gender
    if clean.birth_date and clean.birth_date > today:
        raise ValidationError("出生日期不能晚于今天。", field="出生日期")
    clean.phone = validate_phone(data.phone) if data.phone.strip() else ""
    return clean


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
    "league_post": "",
    "note": "",
    "gender": "",
}


def _columns(data: PersonInput) -> dict:
    values = saved_values(data)
    values["id_number"] = values["id_number"] or None  # NULLs never clash in the unique index
    values.update(name_sort_keys(data.name))
    return values


def name_sort_keys(name: str) -> dict[str, str]:
    """The person columns that order lists by name (pinyin) and registers by 姓氏笔画."""
    return {"name_pinyin": name_key(name, PINYIN), "name_strokes": name_key(name, STROKES)}


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
