"""Honours (荣誉) and commendation batches (表彰)."""

from __future__ import annotations

from sqlalchemy import func, select

from desk_league.data.models import Honour, HonourType, Organisation, Person
from desk_league.services.listing import ListColumn, Listing

RECIPIENT = func.coalesce(Person.name, func.nullif(Honour.collective_name, ""), Organisation.name)

HONOURS = Listing(
    name="honours",
    columns=[
        ListColumn("id", "编号", Honour.id, "int", hidden=True),
        ListColumn("year", "年度", Honour.year, "int", width=55),
        ListColumn("type", "荣誉类型", HonourType.name, width=130),
        ListColumn("level", "级别", Honour.level, width=60),
        ListColumn("recipient", "获得者", RECIPIENT, width=180),
        ListColumn("granting_body", "授予单位", Honour.granting_body, width=160),
        ListColumn("document_number", "文号", Honour.document_number, width=140),
        ListColumn("granted_on", "授予日期", Honour.granted_on, "date", width=90),
        ListColumn("certificate_number", "证书编号", Honour.certificate_number, width=90),
        ListColumn("status", "状态", Honour.status, width=50),
    ],
    base=select(Honour)
    .join(HonourType, Honour.honour_type_id == HonourType.id)
    .outerjoin(Person, Honour.person_id == Person.id)
    .outerjoin(Organisation, Honour.organisation_id == Organisation.id)
    .where(Honour.deleted_at.is_(None)),
    search=[Person.name, Honour.collective_name, Organisation.name, HonourType.name, Honour.title],
    filters={
        "year": lambda year: Honour.year == int(year),
        "type_id": lambda type_id: Honour.honour_type_id == type_id,
        "level": lambda level: Honour.level == level,
    },
    default_sort=[Honour.year.desc(), HonourType.position, Honour.id],
)
