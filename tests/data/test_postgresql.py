"""The same schema and lists on PostgreSQL, for an office that shares one database (on the
session's throwaway server, tests/postgres_server.py)."""

from __future__ import annotations

from datetime import date

import pytest

from desk_league.data import migrate
from desk_league.data.db import open_database
from desk_league.services import activities, honours, organisations, plan_tree, volunteers
from desk_league.services.demo import build_demo
from desk_league.services.listing import ListQuery


@pytest.fixture
def pg_db(pg_url):
    db = open_database(url=pg_url)
    yield db
    db.close()


def test_demo_office_and_every_list_work_on_postgresql(pg_db):
    assert migrate.current_revision(pg_db.engine) == migrate.head_revision()
    with pg_db.transaction() as session:
        build_demo(session, today=date(2026, 11, 26))
    listings = [
        volunteers.VOLUNTEERS,
        volunteers.SERVICE_RECORDS,
        activities.ACTIVITIES,
        plan_tree.PLAN_ITEMS,
        honours.HONOURS,
        organisations.ORGANISATIONS,
    ]
    with pg_db.reading() as session:
        for listing in listings:
            assert listing.count(session, ListQuery()) > 0, listing.name
            key = listing.visible_columns[1].key
            assert listing.page(session, ListQuery(text="市", sort_key=key), 0, 20) is not None
