"""Lists page by key: every row once, in every order a list offers, and counts that agree."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import func, select

from desk_league.data.models import Person, ServiceRecord, Volunteer
from desk_league.errors import Cancelled
from desk_league.services import (
    activities,
    calendar,
    commendations,
    honours,
    info_reports,
    members,
    organisations,
    people,
    plan_tree,
    recommendations,
    volunteers,
)
from desk_league.services.listing import ListQuery

LISTINGS = [
    volunteers.VOLUNTEERS,
    volunteers.SERVICE_RECORDS,
    activities.ACTIVITIES,
    activities.ACTIVITY_SERVICE_RECORDS,
    honours.HONOURS,
    honours.YOUTH_CIVILIZATIONS,
    organisations.ORGANISATIONS,
    recommendations.RECOMMENDATIONS,
    members.members_listing(date(2026, 11, 26)),
    members.cadres_listing(date(2026, 11, 26)),
    people.PEOPLE,
    info_reports.INFO_REPORTS,
    commendations.COMMENDATIONS,
    commendations.NOMINATIONS,
    calendar.KEY_DATES,
    plan_tree.PLAN_ITEMS,
]


def _walk(session, listing, query, size):
    rows, after = [], None
    while True:
        page = listing.page(session, query, size, after=after)
        rows.extend(page)
        if page.after is None:
            return rows
        after = page.after


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_paging_by_key_lists_every_row_once_in_every_order_the_list_offers(demo_db, listing):
    ids = [c.key for c in listing.columns].index("id")
    queries = [ListQuery()] + [
        ListQuery(sort_key=column.key, descending=descending)
        for column in listing.visible_columns
        if column.sortable
        for descending in (False, True)
    ]
    with demo_db.reading() as session:
        for query in queries:
            whole = [row[ids] for row in session.execute(listing._ordered(query))]
            size = max(3, len(whole) // 9)  # ten pages or so, whatever the list's length
            paged = [row[ids] for row in _walk(session, listing, query, size)]
            assert paged == whole, (query.sort_key, query.descending)
            assert listing.count(session, query) == len(whole)


def test_a_page_that_holds_the_last_row_says_no_more_follow(demo_db):
    with demo_db.reading() as session:
        total = volunteers.VOLUNTEERS.count(session, ListQuery())
        assert volunteers.VOLUNTEERS.page(session, ListQuery(), total + 1).after is None
        assert volunteers.VOLUNTEERS.page(session, ListQuery(), total - 1).after is not None


def test_service_records_count_the_same_rows_each_filter_lists(demo_db):
    listing = volunteers.SERVICE_RECORDS
    with demo_db.reading() as session:
        volunteer_id = session.scalar(select(ServiceRecord.volunteer_id).limit(1))
        name = session.scalar(
            select(Person.name)
            .join(Volunteer, Volunteer.person_id == Person.id)
            .where(Volunteer.id == volunteer_id)
        )
        for query in [
            ListQuery(),
            ListQuery(filters={"status": "pending"}),
            ListQuery(filters={"unit": "市人民医院"}),
            ListQuery(filters={"year": 2026}),
            ListQuery(filters={"volunteer_id": volunteer_id}),
            ListQuery(text=name[:1]),
        ]:
            inner = listing._select(query).order_by(None).subquery()
            joined = session.scalar(select(func.count()).select_from(inner))
            assert listing.count(session, query) == joined > 0, query


def test_a_sort_no_index_serves_is_not_offered_on_the_long_lists():
    offered = {c.key for c in volunteers.SERVICE_RECORDS.visible_columns if c.sortable}
    assert offered == {"served_on", "place", "organiser", "hours", "status"}
    assert not volunteers.VOLUNTEERS.column("total_hours").sortable
    register = members.members_listing(date(2026, 11, 26))
    offered = {c.key for c in register.visible_columns if c.sortable}
    assert offered == {"name", "birth_date", "league_joined_on", "number", "status"}


def test_a_read_that_is_no_longer_wanted_stops_in_the_middle(demo_db):
    stop = {"now": False}

    def asked() -> bool:  # a newer search arrives while the statement runs
        stop["now"] = True
        return True

    started = time.perf_counter()
    with pytest.raises(Cancelled), demo_db.reading(asked) as session:
        big = select(ServiceRecord.id).join(Person, Person.id > 0).subquery()  # 6,000,000 rows
        session.execute(
            select(func.count()).select_from(big).join(Person, Person.id > big.c.id)
        ).scalar()
    assert stop["now"] and time.perf_counter() - started < 5
    with demo_db.reading(lambda: False) as session:  # the connection serves the next read
        assert session.scalar(select(func.count()).select_from(Person)) > 0
