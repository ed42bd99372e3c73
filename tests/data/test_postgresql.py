"""The same schema and lists on PostgreSQL, for an office that shares one database (on the
session's throwaway server, tests/postgres_server.py)."""

from __future__ import annotations

import sqlite3
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
            asked = ListQuery(text="市", sort_key=key)
            page = listing.page(session, asked, 20)
            if page.after is not None:  # the next page starts after the last row's keys
                assert listing.page(session, asked, 20, after=page.after) is not None


def test_an_older_server_database_is_backed_up_on_this_pc_before_its_upgrade(pg_url):
    from alembic import command
    from sqlalchemy import create_engine, text

    from desk_league.data.server import server_url
    from tests.data._schema import revision_of

    old = create_engine(server_url(pg_url))
    with old.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0005")
        conn.execute(
            text(
                "INSERT INTO organisation (kind, name, unit, short_name, contact, phone,"
                " member_count, position, note) VALUES ('branch', '旧版本的团支部', '',"
                " '', '', '', 0, 0, '')"
            )
        )
    old.dispose()

    db = open_database(url=pg_url)
    try:
        (backup,) = db.storage.backups()
        assert migrate.current_revision(db.engine) == migrate.head_revision()
    finally:
        db.close()
    assert backup.reason == "before-upgrade" and revision_of(backup.path) == "0005"
    with sqlite3.connect(backup.path) as copy:
        assert copy.execute("SELECT name FROM organisation").fetchall() == [("旧版本的团支部",)]
    copy.close()


def test_a_backup_an_older_version_took_restores_onto_the_server(_demo_file, pg_url, tmp_path):
    from tests.data._schema import at_revision, table_counts

    old = at_revision(_demo_file, tmp_path / "old.db")
    expected = table_counts(old)["volunteer"]
    db = open_database(url=pg_url)
    try:
        db.storage.restore(old)
        with db.reading() as session:
            listed = volunteers.VOLUNTEERS.count(session, ListQuery())
    finally:
        db.close()
    assert listed == expected > 0
