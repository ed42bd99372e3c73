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
