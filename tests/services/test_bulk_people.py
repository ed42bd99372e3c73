"""A roster's people are saved in batches, on both engines: each new role gets its own person."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desk_league.data.models import AuditLog, Organisation, Person, Volunteer
from desk_league.domain.codes import OrgKind
from desk_league.domain.names import PINYIN, STROKES, name_key
from desk_league.services import volunteer_import as vi
from desk_league.services.people import insert_people
from tests.imports._rosters import make_id, person_row, write_roster

TODAY = date(2026, 11, 26)


def _person(name: str, id_number: str | None) -> dict:
    return {
        "name": name,
        "gender": "",
        "id_type": "护照" if id_number is None else "居民身份证",
        "id_number": id_number,
        "birth_date": None,
        "phone": "",
        "organisation_id": None,
        "department": "",
        "political_status": "",
        "note": "",
        "ethnicity": "",
        "education": "",
    }


def test_people_with_and_without_an_id_number_get_their_own_ids_in_order(db):
    names = ["张乐", "艾青", "白云", "蔡明", "王芳", "刘洋"]
    rows = [
        _person(name, None if i % 3 == 2 else make_id(date(1990, 1, 1 + i), i))
        for i, name in enumerate(names)
    ]
    with db.transaction() as session:
        ids = insert_people(session, rows)
    with db.reading() as session:
        saved = {
            person_id: rest
            for person_id, *rest in session.execute(
                select(
                    Person.id,
                    Person.name,
                    Person.id_number,
                    Person.name_pinyin,
                    Person.name_strokes,
                )
            )
        }
    assert len(set(ids)) == len(names)
    for person_id, row in zip(ids, rows, strict=True):
        name = row["name"]
        assert saved[person_id] == [
            name,
            row["id_number"],
            name_key(name, PINYIN),
            name_key(name, STROKES),
        ]


def test_a_roster_of_many_volunteers_gives_each_their_own_person_and_one_audit_line(db, tmp_path):
    rows = [person_row(n) for n in range(1, 1201)]  # more than one batch of inserts
    with db.transaction() as session:
        session.add(Organisation(kind=OrgKind.BRANCH, name="市人民医院团支部", unit="市人民医院"))
    path = write_roster(tmp_path / "名册.xlsx", rows)
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, today=TODAY)
    assert preview.ok and result.created == len(rows)
    with db.reading() as session:
        pairs = session.execute(
            select(Person.name, Person.id_number).join(Volunteer, Volunteer.person_id == Person.id)
        ).all()
        audit = session.scalars(select(AuditLog.summary).where(AuditLog.table_name == "volunteer"))
        summaries = [s for s in audit if "名册.xlsx" in s]
    assert sorted(pairs) == sorted((r["姓名"], r["公民身份号码"]) for r in rows)
    assert summaries == [f"导入志愿者名册“名册.xlsx”：{result}"]
