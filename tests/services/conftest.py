"""The service tests run on both engines: each test that takes ``db`` or ``demo_db`` runs on an
SQLite file and on the session's PostgreSQL server (``test_x[sqlite]``, ``test_x[postgresql]``).
A test about files (photos, the attachments folder) is marked ``sqlite_only``."""

from __future__ import annotations

import pytest

from desk_league.data.db import open_database
from desk_league.services.reference import seed_reference_data
from tests.conftest import ENGINES, _close, _server_copy


def pytest_collection_modifyitems(config, items):
    """A test marked ``sqlite_only`` runs on SQLite alone (its PostgreSQL run is deselected)."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_server = callspec is not None and callspec.params.get("engine") == "postgresql"
        (dropped if on_server and item.get_closest_marker("sqlite_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture
def db(engine, request, db_path):
    """An empty office database with the reference data, on the engine of this run."""
    if engine == "postgresql":
        database, drop = _server_copy(request, "_pg_reference")
        yield database
        _close(database)
        drop()
        return
    database = open_database(db_path)
    with database.transaction() as session:
        seed_reference_data(session)
    yield database
    _close(database)


@pytest.fixture
def demo_db(engine, request):
    """A private copy of the demo database, on the engine of this run."""
    if engine == "postgresql":
        database, drop = _server_copy(request, "_pg_demo")
        yield database
        _close(database)
        drop()
        return
    database = request.getfixturevalue("_sqlite_demo_db")
    yield database
