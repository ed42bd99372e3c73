"""A small office for the honours tests: two branches, a few people, one volunteer.

Imported by the test modules that use it (not a conftest: other suites add their own there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desk_league.data.models import (
    HonourType,
    LeagueMember,
    Organisation,
    Person,
    ServiceRecord,
    Volunteer,
)
from desk_league.domain.codes import OrgKind, PoliticalStatus, VolunteerStatus


@dataclass
class Office:
    branch_a: int
    branch_b: int
    young: int  # 25, member 8 years, volunteer with 24 approved hours in 2025
    old: int  # 30, no volunteer record
    new_member: int  # joined the League a year ago
    types: dict[str, int]


def make_office(db) -> Office:
    with db.transaction() as session:
        a = Organisation(kind=OrgKind.BRANCH, name="市人民医院内科团支部", unit="市人民医院")
        b = Organisation(kind=OrgKind.BRANCH, name="市中医医院护理团支部", unit="市中医医院")
        session.add_all([a, b])
        session.flush()
        young = Person(
            name="张晓燕",
            birth_date=date(2001, 3, 1),
            league_joined_on=date(2015, 5, 4),
            organisation_id=a.id,
            political_status=PoliticalStatus.LEAGUE_MEMBER,
        )
        old = Person(
            name="李明",
            birth_date=date(1996, 1, 1),
            league_joined_on=date(2010, 5, 4),
            organisation_id=a.id,
            political_status=PoliticalStatus.LEAGUE_MEMBER,
        )
        new = Person(
            name="王龑",
            birth_date=date(2003, 9, 9),
            league_joined_on=date(2025, 5, 4),
            organisation_id=b.id,
            political_status=PoliticalStatus.LEAGUE_MEMBER,
        )
        session.add_all([young, old, new])
        session.flush()
        session.add_all(LeagueMember(person_id=p.id) for p in (young, old, new))
        volunteer = Volunteer(
            person_id=young.id, number="WJ202100001", status=VolunteerStatus.ACTIVE
        )
        session.add(volunteer)
        session.flush()
        for day, hours, status in [
            (date(2025, 3, 5), 8, "approved"),
            (date(2025, 6, 1), 16, "approved"),
            (date(2025, 7, 1), 30, "pending"),
            (date(2024, 12, 5), 40, "approved"),
        ]:
            session.add(
                ServiceRecord(volunteer_id=volunteer.id, served_on=day, hours=hours, status=status)
            )
        types = {t.name: t.id for t in session.scalars(select(HonourType))}
        return Office(a.id, b.id, young.id, old.id, new.id, types)
