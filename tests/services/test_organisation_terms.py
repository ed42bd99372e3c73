"""Branches and their elections (换届), members reaching 28, and 推优."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desk_league.data.models import Organisation, Person
from desk_league.domain.codes import OrgKind, RecommendationOutcome
from desk_league.errors import ValidationError
from desk_league.services.listing import ListQuery
from desk_league.services.organisations import (
    RECOMMENDATIONS,
    OrganisationInput,
    RecommendationInput,
    create_organisation,
    create_recommendation,
    league_members_listing,
    set_term_years,
    term_end,
    term_reminder_list,
    term_state,
    terms_register_rows,
    update_organisation,
)


def _branch(session, term_start: date | None, kind: str = OrgKind.BRANCH, **extra) -> Organisation:
    return create_organisation(
        session, OrganisationInput(f"{kind}{term_start}", kind=kind, term_start=term_start, **extra)
    )


@pytest.mark.parametrize(
    ("today", "label", "reminder_on"),
    [
        (date(2026, 12, 31), "正常", None),  # more than six months to go
        (date(2027, 1, 1), "6个月内届满", date(2027, 1, 1)),
        (date(2027, 3, 31), "6个月内届满", date(2027, 1, 1)),
        (date(2027, 4, 1), "3个月内届满", date(2027, 4, 1)),
        (date(2027, 7, 1), "已超期", date(2027, 7, 1)),  # the term ends today
        (date(2027, 9, 15), "已超期", date(2027, 9, 1)),  # monthly once overdue
    ],
)
def test_term_reminders_come_at_six_and_three_months_then_monthly(db, today, label, reminder_on):
    with db.transaction() as session:
        branch = _branch(session, date(2025, 7, 1))  # 团支部: two years by default
        assert term_end(session, branch) == date(2027, 7, 1)
        state = term_state(session, branch, today)
    assert (state.label, state.reminder_on) == (label, reminder_on)


def test_an_overdue_reminder_says_how_many_months_late(db):
    with db.transaction() as session:
        branch = _branch(session, date(2025, 7, 1))
        state = term_state(session, branch, date(2027, 10, 2))
    assert "已超期3个月" in state.reminder


def test_a_branch_without_a_term_date_is_flagged(db):
    with db.transaction() as session:
        branch = _branch(session, None)
        state = term_state(session, branch, date(2026, 11, 26))
        listed = term_reminder_list(session, date(2026, 11, 26))
    assert state.label == "未填写换届时间"
    assert [r.name for r in listed] == [branch.name]


def test_term_length_is_the_office_setting_per_kind(db):
    with db.transaction() as session:
        committee = _branch(session, date(2024, 6, 1), kind=OrgKind.COUNCIL)
        assert term_end(session, committee) == date(2027, 6, 1)
        set_term_years(session, {OrgKind.COUNCIL: 5})
        assert term_end(session, committee) == date(2029, 6, 1)
        with pytest.raises(ValidationError) as error:
            set_term_years(session, {OrgKind.BRANCH: 9})
        assert error.value.field == "团支部任期"


def test_an_organisation_with_its_own_term_length_keeps_it(db):
    with db.transaction() as session:
        branch = _branch(session, date(2024, 6, 1), term_years=3)
        assert term_end(session, branch) == date(2027, 6, 1)


def test_an_organisation_cannot_be_moved_under_its_own_branch(db):
    with db.transaction() as session:
        parent = _branch(session, None, kind=OrgKind.COUNCIL)
        child = create_organisation(session, OrganisationInput("下级团支部", parent_id=parent.id))
        data = OrganisationInput(parent.name, kind=OrgKind.COUNCIL, parent_id=child.id)
        with pytest.raises(ValidationError, match="下级"):
            update_organisation(session, parent.id, data)


def _person(session, name: str, birth: date, org_id: int, post: str = "") -> int:
    person = Person(
        name=name,
        birth_date=birth,
        organisation_id=org_id,
        league_post=post,
        political_status="共青团员",
    )
    session.add(person)
    session.flush()
    return person.id


def test_members_reaching_28_are_warned_not_removed_and_post_holders_stay(db):
    today = date(2026, 11, 26)
    with db.transaction() as session:
        branch = _branch(session, date(2025, 7, 1))
        _person(session, "刚满二十八", date(1998, 11, 26), branch.id)
        _person(session, "差一天", date(1998, 11, 27), branch.id)
        _person(session, "明年五月", date(1999, 5, 20), branch.id)
        _person(session, "二十五岁", date(2001, 1, 1), branch.id)
        _person(session, "团支书", date(1996, 3, 1), branch.id, post="团支部书记")
        branch_id = branch.id
    listing = league_members_listing(today)
    with db.reading() as session:
        rows = listing.iter_rows(session, ListQuery(filters={"organisation_id": branch_id}))
        warnings = {row["name"]: row["age_warning"] for row in rows}
        flagged = listing.count(
            session, ListQuery(filters={"organisation_id": branch_id, "age_warning": True})
        )
    assert warnings == {
        "刚满二十八": "已满28周岁，应办理离团",
        "差一天": "半年内满28周岁",
        "明年五月": "半年内满28周岁",
        "二十五岁": "",
        "团支书": "已满28周岁（任团内职务，保留团籍）",
    }
    assert flagged == 4


def test_a_recommendation_is_recorded_against_the_branch(db):
    today = date(2026, 11, 26)
    with db.transaction() as session:
        branch = _branch(session, date(2025, 7, 1))
        person_id = _person(session, "李青", date(2000, 4, 1), branch.id)
        with pytest.raises(ValidationError) as error:
            create_recommendation(session, RecommendationInput(None, branch.id, today), today)
        assert error.value.field == "姓名"
        with pytest.raises(ValidationError, match="晚于今天"):
            create_recommendation(
                session, RecommendationInput(person_id, branch.id, date(2027, 1, 1)), today
            )
        create_recommendation(
            session,
            RecommendationInput(
                person_id, branch.id, date(2026, 6, 1), RecommendationOutcome.ACTIVIST
            ),
            today,
        )
        branch_id = branch.id
    with db.reading() as session:
        rows = list(
            RECOMMENDATIONS.iter_rows(session, ListQuery(filters={"organisation_ids": [branch_id]}))
        )
    assert [(r["name"], r["outcome"], r["recommended_on"]) for r in rows] == [
        ("李青", RecommendationOutcome.ACTIVIST, date(2026, 6, 1))
    ]


def test_the_terms_table_carries_state_reminder_and_next_reminder(demo_db):
    with demo_db.reading() as session:
        rows = terms_register_rows(session, date(2026, 11, 26))
        names = session.scalars(
            select(Organisation.name).where(Organisation.deleted_at.is_(None))
        ).all()
    assert len(rows) == len(names)
    states = {row["state"] for row in rows}
    assert {"正常", "已超期", "未填写换届时间"} <= states
    overdue = next(row for row in rows if row["state"] == "已超期")
    assert "请尽快换届" in overdue["reminder"] and overdue["next_reminder"] > date(2026, 11, 26)
