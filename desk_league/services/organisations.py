"""League organisations (团委 / 团总支 / 团支部): the tree, terms (换届) and their register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import ORG_KINDS, Organisation, Person
from desk_league.domain.dates import add_years
from desk_league.errors import ValidationError
from desk_league.exports.register import Column, Register, write_register
from desk_league.services.common import get_live, move_to_recycle_bin
from desk_league.services.listing import ListColumn, Listing
from desk_league.services.progress import Progress
from desk_league.services.settings import get_setting

_parent = aliased(Organisation)
_secretary = aliased(Person)

ORGANISATIONS = Listing(
    name="organisations",
    columns=[
        ListColumn("id", "编号", Organisation.id, "int", hidden=True),
        ListColumn("name", "团组织名称", Organisation.name, width=220),
        ListColumn("kind", "类别", Organisation.kind, width=70),
        ListColumn("unit", "所在单位", Organisation.unit, width=160),
        ListColumn("parent", "上级组织", _parent.name, width=160),
        ListColumn("secretary", "书记", _secretary.name, width=80),
        ListColumn("phone", "联系电话", Organisation.phone, "phone", width=110),
        ListColumn("member_count", "团员数", Organisation.member_count, "int", width=60),
        ListColumn("term_start", "本届起始", Organisation.term_start, "date", width=95),
        ListColumn("term_years", "任期(年)", Organisation.term_years, "int", width=65),
    ],
    base=select(Organisation)
    .outerjoin(_parent, Organisation.parent_id == _parent.id)
    .outerjoin(_secretary, Organisation.secretary_id == _secretary.id)
    .where(Organisation.deleted_at.is_(None)),
    search=[Organisation.name, Organisation.unit, _secretary.name],
    filters={"kind": lambda kind: Organisation.kind == kind},
    default_sort=[
        case({k: i for i, k in enumerate(ORG_KINDS)}, value=Organisation.kind),
        Organisation.position,
        Organisation.id,
    ],
)


@dataclass
class OrganisationInput:
    name: str
    kind: str = "团支部"
    unit: str = ""
    parent_id: int | None = None
    secretary_id: int | None = None
    contact: str = ""
    phone: str = ""
    member_count: int = 0
    established_on: date | None = None
    term_start: date | None = None
    term_years: int | None = None
    note: str = ""


def _validate(data: OrganisationInput) -> None:
    if not data.name.strip():
        raise ValidationError("请填写团组织名称。", field="团组织名称")
    if data.kind not in ORG_KINDS:
        raise ValidationError(f"类别应为{'、'.join(ORG_KINDS)}之一。", field="类别")
    if data.member_count < 0:
        raise ValidationError("团员数不能为负数。", field="团员数")


def create_organisation(session: Session, data: OrganisationInput) -> Organisation:
    _validate(data)
    if data.parent_id is not None:
        get_live(session, Organisation, data.parent_id, "上级组织")
    org = Organisation(**vars(data))
    org.name = data.name.strip()
    session.add(org)
    session.flush()
    return org


def update_organisation(session: Session, org_id: int, data: OrganisationInput) -> Organisation:
    _validate(data)
    org = get_live(session, Organisation, org_id, "团组织")
    if data.parent_id == org_id:
        raise ValidationError("上级组织不能是它自己。", field="上级组织")
    for key, value in vars(data).items():
        setattr(org, key, value)
    return org


def delete_organisation(session: Session, org_id: int) -> None:
    move_to_recycle_bin(session, get_live(session, Organisation, org_id, "团组织"))


def term_years_for(session: Session, org: Organisation) -> int:
    return org.term_years or int(get_setting(session, "term_years").get(org.kind, 2))


def term_end(session: Session, org: Organisation) -> date | None:
    if org.term_start is None:
        return None
    return add_years(org.term_start, term_years_for(session, org))


def unit_names(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Organisation.unit)
            .where(Organisation.deleted_at.is_(None), Organisation.unit != "")
            .group_by(Organisation.unit)
            .order_by(func.min(Organisation.id))
        )
    )


def organisation_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.deleted_at.is_(None))
        .order_by(*ORGANISATIONS.default_sort)
    )
    return [(row.id, row.name) for row in rows]


def organisation_register_rows(session: Session, today: date) -> list[dict]:
    """The rows of 团组织换届情况表: every live organisation with its computed term end."""
    rows = []
    orgs = session.scalars(
        select(Organisation)
        .where(Organisation.deleted_at.is_(None))
        .order_by(*ORGANISATIONS.default_sort)
    )
    for org in orgs:
        end = term_end(session, org)
        if end is None:
            state = "未填写换届时间"
        elif end < today:
            state = "已超期"
        elif (end - today).days <= 183:
            state = "即将到期"
        else:
            state = "正常"
        rows.append(
            {
                "name": org.name,
                "kind": org.kind,
                "unit": org.unit,
                "parent": org.parent.name if org.parent else "",
                "secretary": org.secretary.name if org.secretary else "",
                "phone": org.phone or (org.secretary.phone if org.secretary else ""),
                "member_count": org.member_count,
                "established_on": org.established_on,
                "term_start": org.term_start,
                "term_years": term_years_for(session, org),
                "term_end": end,
                "state": state,
            }
        )
    return rows



ORGANISATION_REGISTER_COLUMNS = [
    Column("name", "团组织名称", 28),
    Column("kind", "类别", 8),
    Column("unit", "所在单位", 22),
    Column("parent", "上级组织", 20),
    Column("secretary", "书记", 9),
    Column("phone", "联系电话", 14, "phone"),
    Column("member_count", "团员数", 8, "int", total=True),
    Column("established_on", "成立日期", 12, "date"),
    Column("term_start", "本届起始", 12, "date"),
    Column("term_years", "任期(年)", 8, "int"),
    Column("term_end", "届满日期", 12, "date"),
    Column("state", "换届状态", 14),
]


def export_organisations_register(
    session: Session, path: str | Path, *, today: date, progress: Progress | None = None
) -> Path:
    """团组织名册及换届情况表, through the shared register writer."""
    register = Register(
        title="市直卫生系统团组织名册及换届情况表",
        columns=ORGANISATION_REGISTER_COLUMNS,
        office=f"填报单位：{get_setting(session, 'office_name')}",
        date=today,
    )
    return write_register(path, register, organisation_register_rows(session, today), progress=progress)
