"""Databases as older versions left them: at an older revision, or half upgraded."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from desk_league.data.migrate import alembic_config
from desk_league.data.models import Base

OLDEST = "0001"


@contextmanager
def written_by_todays_models(engine):
    """Today's models writing rows into an old schema: the ``version`` columns (migration 0008)
    are there while they write, and gone again afterwards, as the old program left the file."""
    with engine.connect() as conn:  # the tables the old schema has (later ones are not there)
        existing = set(inspect(conn).get_table_names())
    tables = [
        t.name for t in Base.metadata.sorted_tables if "version" in t.c and t.name in existing
    ]
    with engine.begin() as conn:
        for table in tables:
            conn.exec_driver_sql(
                f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1"
            )
    yield
    with engine.begin() as conn:
        for table in tables:
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN version")


def at_revision(source: Path, target: Path, revision: str = OLDEST) -> Path:
    """A copy of ``source`` (a database at head) brought down to ``revision``, data kept."""
    shutil.copyfile(source, target)
    engine = create_engine(f"sqlite:///{target}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
    engine.dispose()
    return target


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table, read through a plain connection."""
    with sqlite3.connect(path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name != 'alembic_version'"
            )
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    conn.close()
    return counts


def revision_of(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    conn.close()
    return row[0] if row else None


def index_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    return names
