"""The same schema and lists on PostgreSQL, for an office that shares one database.

Runs when DESK_LEAGUE_TEST_POSTGRES_URL names an empty database it may fill, e.g.
postgresql+psycopg2://dl:dl@127.0.0.1/dl (needs psycopg2-binary); skipped otherwise.
"""

from __future__ import annotations

import os
from datetime import date

import pytest

from desk_league.data import migrate
from desk_league.data.db import open_database
from desk_league.data.models import Base
from desk_league.services import activities, honours, organisations, plan_tree, volunteers
from desk_league.services.demo import build_demo
from desk_league.services.listing import ListQuery

URL = os.environ.get("DESK_LEAGUE_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="DESK_LEAGUE_TEST_POSTGRES_URL is not set")


@pytest.fixture
def pg_db():
    db = open_database(url=URL)
    with db.engine.begin() as conn:  # start from nothing
        Base.metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    db.close()
    db = open_database(url=URL)
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
            asked = ListQuery(text="市", sort_key=key)
            page = listing.page(session, asked, 20)
            if page.after is not None:  # the next page starts after the last row's keys
                assert listing.page(session, asked, 20, after=page.after) is not None
