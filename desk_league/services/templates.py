"""Import templates (导入模板): for every roster kind the import reads, a blank workbook whose
header the import recognises and whose drop-downs hold the values it accepts, the office's own
organisations, units and service teams among them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_league.data.models import Organisation
from desk_league.domain.codes import (
    Education,
    LeaguePostKind,
    MemberStatus,
    OrgKind,
    PoliticalStatus,
    ServiceStatus,
    VolunteerStatus,
)
from desk_league.domain.ethnicity import ETHNIC_GROUPS
from desk_league.domain.id_number import ID_TYPES
from desk_league.exports.import_template import TemplateColumn, write_import_template
from desk_league.imports.roster import roster_kind
from desk_league.services.organisations import unit_names
from desk_league.services.volunteers import team_names

# how a field is formatted in the template, by its key; the rest are text
KINDS = {
    "id_number": "id_number",
    "phone": "phone",
    "birth_date": "date",
    "league_joined_on": "date",
    "registered_on": "date",
    "served_on": "date",
    "started_on": "date",
    "ended_on": "date",
    "left_on": "date",
    "established_on": "date",
    "term_start": "date",
    "hours": "number",
}
WIDTHS = {"id_number": 21, "organisation": 26, "parent": 26, "name": 10, "unit": 20, "note": 20}
HINTS = {
    "volunteers": "身份证号列已设为文本格式；单位请填团组织名单中的单位名称。",
    "service_records": "志愿者编号和身份证号至少填一项；时长以小时计，可为 0.5 的倍数。",
    "members": "身份证号列已设为文本格式；所在团组织请从下拉列表中选择（没有的可先在“团组织”页添加）。",
    "cadres": "一人担任多个职务的，每个职务填一行；任职团组织请从下拉列表中选择。",
    "organisations": "先写上级组织再写下级均可；上级组织须是本表中或已有的团组织。",
}


def _organisation_names(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Organisation.name)
            .where(Organisation.deleted_at.is_(None))
            .order_by(Organisation.parent_id.is_not(None), Organisation.position, Organisation.id)
        )
    )


def _labels(codes) -> Callable[[Session], list[str]]:
    return lambda _session: [member.label for member in codes]


# field key → its drop-down values; per roster kind where the same key means different things
CHOICES: dict[str, Callable[[Session], list[str]]] = {
    "gender": lambda _session: ["男", "女"],
    "id_type": lambda _session: list(ID_TYPES),
    "ethnicity": lambda _session: list(ETHNIC_GROUPS),
    "political_status": _labels(PoliticalStatus),
    "education": _labels(Education),
    "post": _labels(LeaguePostKind),
    "organisation": _organisation_names,
    "parent": _organisation_names,
    "kind": _labels(OrgKind),
    "unit": unit_names,
    "team": team_names,
}
# lists that also take other values: units and organisations not on file yet, teams and posts
# of the office's own
OPEN_LISTS = ("unit", "team", "organisation", "parent", "post")
STATUS_CHOICES = {
    "volunteers": VolunteerStatus,
    "members": MemberStatus,
    "service_records": ServiceStatus,
}


def write_template(session: Session, kind: str, path: str | Path) -> Path:
    """The blank template for roster ``kind`` (volunteers, service_records, members, cadres,
    organisations)."""
    spec = roster_kind(kind)
    columns = [
        TemplateColumn(
            field.key,
            field.title,
            field.required,
            KINDS.get(field.key, "text"),
            WIDTHS.get(field.key, max(8.0, len(field.title) * 2.2 + 2)),
        )
        for field in spec.fields
    ]
    choices = {key: make(session) for key, make in CHOICES.items()}
    if kind in STATUS_CHOICES:
        choices["status"] = [member.label for member in STATUS_CHOICES[kind]]
    if kind == "organisations":
        choices.pop("unit", None)  # a new organisation's unit is often not on file yet
    return write_import_template(
        path,
        f"{spec.title}（导入模板）",
        columns,
        choices,
        hint=HINTS.get(kind, ""),
        open_lists=OPEN_LISTS,
    )
