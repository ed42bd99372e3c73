"""Branches and their elections (换届). Their members, 28-year notes and 推优: test_members.py."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desk_league.data.models import Organisation
from desk_league.domain.codes import OrgKind
from desk_league.errors import ValidationError
from desk_league.services.organisations import (
    OrganisationInput,
    create_organisation,
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
