"""Every register the app writes for people or hours comes back into an empty office's database.

An office moving to a new PC without a backup, or an upper committee merging offices, exports
its 志愿者花名册 with full IDs and its 志愿服务记录明细, and imports them into a fresh database:
the same people, the same roles, the same hours.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from desk_league.data.models import Organisation, Person, ServiceRecord, Volunteer
from desk_league.services import volunteer_import as vi
from desk_league.services import volunteers

TODAY = date(2026, 11, 26)


def _people(db) -> dict[str, tuple]:
    """Who each volunteer is and what roles they hold, keyed by volunteer number."""
    with db.reading() as session:
        rows = session.execute(
            select(
                Volunteer.number,
                Person.name,
                Person.gender,
                Person.id_number,
                Person.birth_date,
                Person.phone,
                Organisation.unit,
                Person.department,
                Person.political_status,
                Volunteer.team,
                Volunteer.status,
                Volunteer.registered_on,
            )
            .join(Person, Volunteer.person_id == Person.id)
            .outerjoin(Organisation, Person.organisation_id == Organisation.id)
            .where(Volunteer.deleted_at.is_(None))
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _hours(db) -> dict[tuple[str, str], float]:
    """Hours per volunteer number and status (void records count for nobody)."""
    totals: dict[tuple[str, str], float] = defaultdict(float)
    with db.reading() as session:
        rows = session.execute(
            select(Volunteer.number, ServiceRecord.status, ServiceRecord.hours)
            .join(Volunteer, ServiceRecord.volunteer_id == Volunteer.id)
            .where(ServiceRecord.status != "void", Volunteer.deleted_at.is_(None))
        )
        for number, status, hours in rows:
            totals[number, status] += hours
    return {key: round(value, 1) for key, value in totals.items()}


def test_volunteer_roster_and_hours_register_come_back_into_an_empty_database(
    demo_db, db, tmp_path
):
    roster, records = tmp_path / "志愿者花名册.xlsx", tmp_path / "志愿服务记录明细.xlsx"
    with demo_db.reading() as session:
        volunteers.export_volunteer_roster(session, roster, mask_ids=False, today=TODAY)
        volunteers.export_service_records_register(session, records, today=TODAY)

    with db.transaction() as session:
        preview, result = vi.import_file(session, roster, create_units=True, today=TODAY)
    assert preview.ok, preview.errors[:5]
    assert any("合计" in line for line in preview.skipped_lines())
    with db.transaction() as session:
        preview, result = vi.import_file(
            session, records, "service_records", keep_status=True, today=TODAY
        )
    assert preview.ok, preview.errors[:5]

    assert _people(db) == _people(demo_db)
    assert _hours(db) == _hours(demo_db)
    assert any(status == "approved" for _, status in _hours(db))


def test_the_roster_as_printed_with_masked_ids_says_to_export_the_full_ids(demo_db, db, tmp_path):
    roster = tmp_path / "花名册（打码）.xlsx"
    with demo_db.reading() as session:
        volunteers.export_volunteer_roster(session, roster, today=TODAY)
    with db.transaction() as session:
        preview, result = vi.import_file(session, roster, create_units=True, today=TODAY)
    assert result is None and preview.errors
    assert all("打码" in e.reason and "完整身份证号" in e.fix for e in preview.errors)


def _league(db) -> tuple[dict, dict, set, dict]:
    """Who each member is, their 团籍, their posts, and the organisation tree."""
    from desk_league.data.models import LeagueMember, LeaguePost

    with db.reading() as session:
        people = {
            p.id_number: (
                p.name,
                p.gender,
                p.ethnicity,
                p.birth_date,
                p.league_joined_on,
                p.political_status,
                p.education,
                p.phone,
                p.department,
                p.organisation.name if p.organisation else None,
            )
            for p in session.scalars(
                select(Person).join(LeagueMember, LeagueMember.person_id == Person.id)
            )
        }
        roles = {
            idn: (status, left_on, number)
            for idn, status, left_on, number in session.execute(
                select(
                    Person.id_number, LeagueMember.status, LeagueMember.left_on, LeagueMember.number
                ).join(Person, LeagueMember.person_id == Person.id)
            )
        }
        posts = set(
            session.execute(
                select(
                    Person.id_number,
                    Organisation.name,
                    LeaguePost.post,
                    LeaguePost.title,
                    LeaguePost.started_on,
                )
                .join(Person, LeaguePost.person_id == Person.id)
                .join(Organisation, LeaguePost.organisation_id == Organisation.id)
            ).all()
        )
        tree = {
            o.name: (o.kind, o.unit, o.parent.name if o.parent else None, o.term_start)
            for o in session.scalars(select(Organisation))
        }
    return people, roles, posts, tree


def test_the_member_and_cadre_registers_come_back_with_the_same_people_and_roles(
    demo_db, db, tmp_path
):
    from desk_league.services import members, organisations
    from desk_league.services.listing import ListQuery

    files = {name: tmp_path / f"{name}.xlsx" for name in ("团组织", "团员", "团干部", "志愿者")}
    with demo_db.reading() as session:
        organisations.export_organisations_register(session, files["团组织"], today=TODAY)
        members.export_member_register(
            session, files["团员"], ListQuery(), mask_ids=False, today=TODAY
        )
        members.export_cadre_register(session, files["团干部"], mask_ids=False, today=TODAY)
        volunteers.export_volunteer_roster(session, files["志愿者"], mask_ids=False, today=TODAY)

    for name, kind in (
        ("团组织", "organisations"),
        ("团员", "members"),
        ("团干部", "cadres"),
        ("志愿者", "volunteers"),
    ):
        with db.transaction() as session:
            preview, result = vi.import_file(session, files[name], kind, today=TODAY)
        assert preview.ok and result is not None, (name, preview.errors[:5])

    assert _league(db) == _league(demo_db)
    assert _people(db) == _people(demo_db)
